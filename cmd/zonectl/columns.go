package main

import (
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// This file builds the table and CSV views of result messages from their
// descriptors: a view names its columns by field path and protoreflect
// reads and formats each cell, so no message needs a hand-written row.
//
// A column is written
//
//	path          a field, or a path through message fields ("buyer.name");
//	              the column is named by the path's last field
//	name=path     the same, under another column name
//	path?         blank when the value is zero (journal ids, line numbers)
//	path/SEP      a repeated field joined by SEP (default ";")
//	len:path      the number of elements of a repeated field
//	name=#0       in a flat view, the element's index (#1: counted from 1)
//	^path         in a flat view's element columns, a field of the message
//	              itself (columns after the element's)
//
// Cells print as the server sent them: strings and decimals as they are,
// numbers in decimal, booleans true/false, enums by their value's name
// without the enum's prefix ("" when unspecified), timestamps in RFC 3339
// UTC ("" when unset), bytes in hex, maps as "k=v;k=v" sorted by key, and a
// message as its fields joined by "=" (a lot quantity: "lot=qty").

// column is one parsed column of a view.
type column struct {
	name  string
	path  []protoreflect.FieldDescriptor
	sep   string // joins a repeated field
	blank bool   // zero prints as ""
	count bool   // len:path
	index int    // #0 / #1 (index+1 > 0), 0 when not an index
	outer bool   // ^path: read from the flattened message, not the element
}

// parseColumns resolves column specs against a message descriptor; a spec
// that names no field is a programming error and panics at start-up.
func parseColumns(md, outer protoreflect.MessageDescriptor, specs []string) []column {
	cols := make([]column, len(specs))
	for i, spec := range specs {
		c := column{sep: ";"}
		if name, path, ok := strings.Cut(spec, "="); ok {
			c.name, spec = name, path
		}
		m := md
		if spec, c.outer = strings.CutPrefix(spec, "^"); c.outer {
			m = outer
		}
		if n, ok := strings.CutPrefix(spec, "#"); ok {
			c.index = 1
			if n == "1" {
				c.index = 2
			}
			cols[i] = c
			continue
		}
		spec, c.count = strings.CutPrefix(spec, "len:")
		spec, c.blank = strings.CutSuffix(spec, "?")
		if path, sep, ok := strings.Cut(spec, "/"); ok {
			spec, c.sep = path, sep
		}
		for _, seg := range strings.Split(spec, ".") {
			if m == nil {
				panic(fmt.Sprintf("column %q: %s is not a message", spec, seg))
			}
			fd := m.Fields().ByName(protoreflect.Name(seg))
			if fd == nil {
				panic(fmt.Sprintf("column %q: %s has no field %s", spec, m.FullName(), seg))
			}
			c.path = append(c.path, fd)
			m = fd.Message()
		}
		if c.name == "" {
			c.name = string(c.path[len(c.path)-1].Name())
		}
		cols[i] = c
	}
	return cols
}

func names(cols []column) []string {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.name
	}
	return h
}

// cells formats the columns of one message; in a flat view, m is the
// element, i its index and outer the flattened message.
func cells(m protoreflect.Message, cols []column, i int, outer protoreflect.Message) []string {
	row := make([]string, len(cols))
	for k, c := range cols {
		switch {
		case c.index > 0:
			row[k] = strconv.Itoa(i + c.index - 1)
		case c.outer:
			row[k] = c.cell(outer)
		default:
			row[k] = c.cell(m)
		}
	}
	return row
}

func (c column) cell(m protoreflect.Message) string {
	for _, fd := range c.path[:len(c.path)-1] {
		m = m.Get(fd).Message()
	}
	fd := c.path[len(c.path)-1]
	v := m.Get(fd)
	switch {
	case c.count:
		return strconv.Itoa(v.List().Len())
	case fd.IsMap():
		var parts []string
		v.Map().Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
			parts = append(parts, k.String()+"="+v.String())
			return true
		})
		sort.Strings(parts)
		return strings.Join(parts, ";")
	case fd.IsList():
		l := v.List()
		parts := make([]string, l.Len())
		for i := range parts {
			parts[i] = scalar(fd, l.Get(i), false)
		}
		return strings.Join(parts, c.sep)
	}
	return scalar(fd, v, c.blank)
}

// scalar formats one value of field fd.
func scalar(fd protoreflect.FieldDescriptor, v protoreflect.Value, blank bool) string {
	switch fd.Kind() {
	case protoreflect.StringKind:
		return v.String()
	case protoreflect.BoolKind:
		return strconv.FormatBool(v.Bool())
	case protoreflect.BytesKind:
		return hex.EncodeToString(v.Bytes())
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		prefix := strings.TrimSuffix(string(vals.ByNumber(0).Name()), "UNSPECIFIED")
		if v.Enum() == 0 {
			return ""
		}
		if ev := vals.ByNumber(v.Enum()); ev != nil {
			return strings.TrimPrefix(string(ev.Name()), prefix)
		}
		return strconv.Itoa(int(v.Enum()))
	case protoreflect.MessageKind, protoreflect.GroupKind:
		m := v.Message()
		if !m.IsValid() {
			return ""
		}
		if t, ok := m.Interface().(*timestamppb.Timestamp); ok {
			return ts(t)
		}
		var parts []string
		fs := m.Descriptor().Fields()
		for i := range fs.Len() {
			parts = append(parts, scalar(fs.Get(i), m.Get(fs.Get(i)), false))
		}
		return strings.Join(parts, "=")
	}
	if blank && v.Equal(fd.Default()) {
		return ""
	}
	return fmt.Sprint(v.Interface())
}

// cols is the view of a message that prints as one row of the given
// columns.
func cols[M proto.Message](specs ...string) view[M] {
	var zero M
	cs := parseColumns(zero.ProtoReflect().Descriptor(), nil, specs)
	return view[M]{header: names(cs), rows: func(m M) [][]string {
		return [][]string{cells(m.ProtoReflect(), cs, 0, nil)}
	}}
}

// flat is the view of a message flattened into one row per element of its
// repeated message field each: the head columns, then the element's
// columns; one row with the element columns empty (but its ^ columns) when
// there are none.
func flat[M proto.Message](head []string, each string, elem ...string) view[M] {
	var zero M
	md := zero.ProtoReflect().Descriptor()
	hs := parseColumns(md, nil, head)
	list := parseColumns(md, nil, []string{each})[0].path
	es := parseColumns(list[len(list)-1].Message(), md, elem)
	return view[M]{header: append(names(hs), names(es)...), rows: func(m M) [][]string {
		outer := m.ProtoReflect()
		h := cells(outer, hs, 0, nil)
		pm := outer
		for _, fd := range list[:len(list)-1] {
			pm = pm.Get(fd).Message()
		}
		l := pm.Get(list[len(list)-1]).List()
		if l.Len() == 0 {
			// An empty element still shows the ^ columns.
			row := append(h, make([]string, len(es))...)
			for k, c := range es {
				if c.outer {
					row[len(h)+k] = c.cell(outer)
				}
			}
			return [][]string{row}
		}
		rows := make([][]string, l.Len())
		for i := range rows {
			rows[i] = append(slices.Clone(h), cells(l.Get(i).Message(), es, i, outer)...)
		}
		return rows
	}}
}
