package main

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/proto/zoneledger"
)

// This file holds the language of rpcSpec.bind: how the fields of a request
// become a command's flags and arguments, how a flag's value is written
// into its field, its help and whether it is required (rpcs.go builds the
// command).

// flagNames are the flag names of fields that the commands share, where
// they differ from the fields' names.
var flagNames = map[protoreflect.Name]string{
	"book_no": "book", "list_no": "list", "book_seq": "line", "inner_no": "inner", "pass_no": "pass",
	"book_id": "book", "item_code": "item", // the ledger's (no customs message has them)
}

// boundField is one flag or argument of an rpc command: the path to its
// field from the request.
type boundField struct {
	name  string // flag name, or the argument's upper-case name
	path  []protoreflect.FieldDescriptor
	comma bool     // a repeated string taken as comma-separated values
	parts []string // a repeated message's fields, in the order written
	def   string   // the value when not given (path?DEFAULT), or always (fixed)
	fixed bool     // path:=VALUE: no flag, the field is always def
	sep   string   // what separates parts in a value: ":" unless "="
	not   string   // a bool's flag that sends false (yes|no=path)
	least int      // how many of parts must be written (! marks)
	also  []string // path=value: fields set too when the flag is given
	must  bool     // flag=path!: required though the protos' rules are not
	many  bool     // ARG...: the last argument, once or more
	opt   bool     // [ARG]: the last argument, optional
}

// fieldValue is the pflag.Value of a boundField on one request.
type fieldValue struct {
	req protoreflect.Message
	b   boundField
	set []string // what was given, for String
	not bool     // the flag of b.not: it sends false
}

func (v *fieldValue) String() string { return strings.Join(v.set, ",") }

func (v *fieldValue) Type() string {
	fd := v.b.path[len(v.b.path)-1]
	switch {
	case v.b.parts != nil:
		return strings.ToUpper(strings.Join(v.b.parts, cmp.Or(v.b.sep, ":")))
	case fd.IsMap():
		return "KEY=VALUE"
	case fd.IsList():
		return "strings"
	case fd.Kind() == protoreflect.EnumKind:
		return "string"
	case fd.Message() != nil:
		return "time"
	case fd.Kind() == protoreflect.BoolKind || fd.Kind() == protoreflect.StringKind:
		return fd.Kind().String()
	}
	return "int"
}

// Set writes s to the field (appends, for a repeated one), and the fields
// the binding sets too.
func (v *fieldValue) Set(s string) error {
	if err := v.write(s); err != nil {
		return err
	}
	for _, pv := range v.b.also {
		path, value, _ := strings.Cut(pv, "=")
		m := v.req
		if field, ok := v.b.ownField(path); ok { // of the element just added
			for _, fd := range v.b.path[:len(v.b.path)-1] {
				m = into(m, fd)
			}
			l := m.Mutable(v.b.path[len(v.b.path)-1]).List()
			m, path = l.Get(l.Len()-1).Message(), field
		}
		fds := fieldPath(m.Descriptor(), path)
		if err := (&fieldValue{req: m, b: boundField{path: fds}}).write(value); err != nil {
			panic(fmt.Sprintf("zonectl: bind +%s: %v", pv, err)) // a programming error
		}
	}
	return nil
}

// ownField is the field of b's own element that +path sets, when it is
// one ("removed.scrap" of removed(...): scrap).
func (b boundField) ownField(path string) (string, bool) {
	if b.parts == nil {
		return "", false
	}
	return strings.CutPrefix(path, pathName(b.path)+".")
}

// write writes s to the field (appends, for a repeated one).
func (v *fieldValue) write(s string) error {
	v.set = append(v.set, s)
	m := v.req
	for _, fd := range v.b.path[:len(v.b.path)-1] {
		m = into(m, fd)
	}
	fd := v.b.path[len(v.b.path)-1]
	if fd.IsMap() {
		k, val, ok := strings.Cut(s, "=")
		if k = strings.TrimSpace(k); !ok || k == "" {
			return fmt.Errorf("write KEY=VALUE")
		}
		m.Mutable(fd).Map().Set(protoreflect.ValueOfString(k).MapKey(), protoreflect.ValueOfString(val))
		return nil
	}
	if v.b.not != "" { // either flag of a pair sends its own value
		if yes, err := strconv.ParseBool(s); err != nil || !yes {
			return fmt.Errorf("give --%s or --%s, without a value", v.b.name, v.b.not)
		}
		s = strconv.FormatBool(!v.not)
	}
	if !fd.IsList() {
		val, err := scalarOf(fd, s)
		if err != nil {
			return err
		}
		m.Set(fd, val)
		return nil
	}
	l := m.Mutable(fd).List()
	if v.b.parts != nil {
		elem := l.NewElement()
		words := strings.SplitN(s, cmp.Or(v.b.sep, ":"), len(v.b.parts))
		if len(words) < v.b.least {
			return fmt.Errorf("write at least %s", strings.ToUpper(strings.Join(v.b.parts[:v.b.least], ":")))
		}
		for i, w := range words {
			efd := fd.Message().Fields().ByName(protoreflect.Name(v.b.parts[i]))
			val, err := scalarOf(efd, w)
			switch {
			case efd.Kind() == protoreflect.BoolKind && w == v.b.parts[i]: // written as its name
				val, err = protoreflect.ValueOfBool(true), nil
			case efd.Kind() == protoreflect.BoolKind && err != nil:
				err = fmt.Errorf("write %s or leave it out", v.b.parts[i])
			}
			if err != nil {
				return fmt.Errorf("%s: %w", v.b.parts[i], err)
			}
			elem.Message().Set(efd, val)
		}
		l.Append(elem)
		return nil
	}
	values := []string{s}
	if v.b.comma {
		values = strings.Split(s, ",")
	}
	for _, s := range values {
		val, err := scalarOf(fd, strings.TrimSpace(s))
		if err != nil {
			return err
		}
		l.Append(val)
	}
	return nil
}

// into is the message of m's field fd, made when unset; of a repeated
// field, its one element.
func into(m protoreflect.Message, fd protoreflect.FieldDescriptor) protoreflect.Message {
	if !fd.IsList() {
		return m.Mutable(fd).Message()
	}
	l := m.Mutable(fd).List()
	if l.Len() == 0 {
		l.Append(l.NewElement())
	}
	return l.Get(0).Message()
}

// scalarOf parses s as a value of fd's kind; an enum is written as its
// value's name without the enum's prefix, or with it, in any case.
func scalarOf(fd protoreflect.FieldDescriptor, s string) (protoreflect.Value, error) {
	switch fd.Kind() {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(s), nil
	case protoreflect.BoolKind:
		b, err := strconv.ParseBool(s)
		return protoreflect.ValueOfBool(b), err
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		n, err := strconv.ParseInt(s, 10, 32)
		return protoreflect.ValueOfInt32(int32(n)), err
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		n, err := strconv.ParseInt(s, 10, 64)
		return protoreflect.ValueOfInt64(n), err
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		n, err := strconv.ParseUint(s, 10, 32)
		return protoreflect.ValueOfUint32(uint32(n)), err
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		n, err := strconv.ParseUint(s, 10, 64)
		return protoreflect.ValueOfUint64(n), err
	case protoreflect.EnumKind:
		s = strings.ReplaceAll(s, "-", "_") // old-parts: old_parts
		if v := fd.Enum().Values().ByName(protoreflect.Name(strings.ToUpper(s))); v != nil && v.Number() != 0 {
			return protoreflect.ValueOfEnum(v.Number()), nil // the full name, as -o json prints it
		}
		names := enumNames(fd.Enum())
		if i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, s) }); i >= 0 {
			return protoreflect.ValueOfEnum(fd.Enum().Values().Get(i + 1).Number()), nil
		}
		return protoreflect.Value{}, fmt.Errorf("%q is not one of %s", s, strings.Join(names, ", "))
	case protoreflect.MessageKind:
		if fd.Message().FullName() == timestampName {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return protoreflect.Value{}, fmt.Errorf("write an RFC 3339 time such as 2026-03-02T09:15:00+08:00")
			}
			return protoreflect.ValueOfMessage(timestamppb.New(t).ProtoReflect()), nil
		}
	}
	panic(fmt.Sprintf("zonectl: %s: no flag for a %s", fd.FullName(), fd.Kind())) // a programming error
}

// enumNames are the names of an enum's values after its zero value,
// lower-case, without the enum's prefix (REPAIR_ORIGIN_ABROAD: abroad).
func enumNames(ed protoreflect.EnumDescriptor) []string {
	vs := ed.Values()
	prefix := string(vs.Get(0).Name())
	prefix = prefix[:strings.LastIndex(prefix, "_")+1] // REPAIR_ORIGIN_UNSPECIFIED: REPAIR_ORIGIN_
	names := make([]string, 0, vs.Len()-1)
	for i := 1; i < vs.Len(); i++ {
		names = append(names, strings.ToLower(strings.TrimPrefix(string(vs.Get(i).Name()), prefix)))
	}
	return names
}

// bindFields resolves a bind spec against the request's descriptor: its
// flags and its arguments, in order. A spec that names no field is a
// programming error and panics when the command tree is built.
func bindFields(md protoreflect.MessageDescriptor, spec string) (flags, args []boundField) {
	taken := map[string]bool{"page_size": true, "page_token": true}
	for _, tok := range strings.Fields(spec) {
		if path, ok := strings.CutPrefix(tok, "-"); ok {
			fieldPath(md, path)
			taken[path] = true
			continue
		}
		if path, value, ok := strings.Cut(tok, ":="); ok {
			flags = append(flags, boundField{name: path, path: fieldPath(md, path), def: value, fixed: true})
			taken[path] = true
			continue
		}
		name, path, ok := strings.Cut(tok, "=")
		if !ok {
			panic(fmt.Sprintf("zonectl: bind %q: write flag=path", tok))
		}
		b := boundField{name: name}
		b.name, b.not, _ = strings.Cut(name, "|")
		path, b.def, _ = strings.Cut(path, "?")
		b.name, b.many = strings.CutSuffix(b.name, "...")
		if n, ok := strings.CutPrefix(b.name, "["); ok {
			b.name, b.opt = strings.TrimSuffix(n, "]"), true
		}
		path, also, _ := strings.Cut(path, "+")
		path, b.must = strings.CutSuffix(path, "!")
		if also != "" {
			b.also = strings.Split(also, "+")
			for _, pv := range b.also {
				set, _, _ := strings.Cut(pv, "=")
				fieldPath(md, set)
				taken[set] = true
			}
		}
		if p, parts, ok := strings.Cut(path, "("); ok {
			if strings.Contains(parts, "=") {
				b.sep = "="
			}
			path, b.parts = p, strings.Split(strings.TrimSuffix(parts, ")"), cmp.Or(b.sep, ":"))
			for i, part := range b.parts {
				if p, ok := strings.CutSuffix(part, "!"); ok {
					b.parts[i], b.least = p, i+1
				}
			}
		}
		path, b.comma = strings.CutSuffix(path, ",")
		b.path = fieldPath(md, path)
		taken[path] = true
		if name == strings.ToUpper(name) {
			args = append(args, b)
		} else {
			flags = append(flags, b)
		}
	}
	var walk func(md protoreflect.MessageDescriptor, prefix string, path []protoreflect.FieldDescriptor)
	walk = func(md protoreflect.MessageDescriptor, prefix string, path []protoreflect.FieldDescriptor) {
		fs := md.Fields()
		for i := range fs.Len() {
			fd := fs.Get(i)
			p := prefix + string(fd.Name())
			switch {
			case taken[p] || fd.IsMap() || fd.IsList() && fd.Message() != nil:
			case fd.Message() != nil && fd.Message().FullName() != timestampName:
				walk(fd.Message(), p+".", append(slices.Clone(path), fd))
			default:
				name := flagNames[fd.Name()]
				if name == "" {
					name = strings.ReplaceAll(string(fd.Name()), "_", "-")
				}
				flags = append(flags, boundField{name: name, path: append(slices.Clone(path), fd)})
			}
		}
	}
	walk(md, "", nil)
	slices.SortStableFunc(flags, func(x, y boundField) int { // the request's order, for help
		return slices.CompareFunc(x.path, y.path, func(a, b protoreflect.FieldDescriptor) int { return a.Index() - b.Index() })
	})
	return flags, args
}

// timestampName is the message of a time: a flag written RFC 3339.
const timestampName protoreflect.FullName = "google.protobuf.Timestamp"

// fieldPath resolves a dotted path of field names.
func fieldPath(md protoreflect.MessageDescriptor, path string) []protoreflect.FieldDescriptor {
	var fds []protoreflect.FieldDescriptor
	for _, seg := range strings.Split(path, ".") {
		var fd protoreflect.FieldDescriptor
		if md != nil {
			fd = md.Fields().ByName(protoreflect.Name(seg))
		}
		if fd == nil {
			panic(fmt.Sprintf("zonectl: bind: no field %q in %s", path, md.FullName())) // a programming error
		}
		fds, md = append(fds, fd), fd.Message()
	}
	return fds
}

// pathName is the dotted path of a field, as protovalidate names it.
func pathName(path []protoreflect.FieldDescriptor) string {
	names := make([]string, len(path))
	for i, fd := range path {
		names[i] = string(fd.Name())
		if fd.IsList() && i < len(path)-1 {
			names[i] += "[0]"
		}
	}
	return strings.Join(names, ".")
}

// docKey annotates a command or flag whose help starts with the protos'
// comment on the element the annotation names: documented puts it there
// when help is shown, as reading the comments costs more than building
// every command and most runs show no help.
const docKey = "zonectl/doc"

// documented completes c's help with the protos' comments: its text (the
// comment on its RPC) and its flags' (the first paragraph of the comment
// on each one's field).
func documented(c *cobra.Command) {
	if name, ok := c.Annotations[docKey]; ok {
		c.Long = strings.TrimSpace(zoneledger.Comment(protoreflect.FullName(name)) + "\n\n" + c.Long)
		delete(c.Annotations, docKey)
	}
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if names := f.Annotations[docKey]; names != nil {
			help, _, _ := strings.Cut(zoneledger.Comment(protoreflect.FullName(names[0])), "\n\n")
			f.Usage = strings.TrimSpace(strings.TrimSuffix(strings.Join(strings.Fields(help), " "), ".") + f.Usage)
			delete(f.Annotations, docKey)
		}
	})
}

// docFlag makes the help of the flag named the comment on b's field, then
// its usage so far (fieldHelp).
func docFlag(c *cobra.Command, name string, b boundField) {
	if err := c.Flags().SetAnnotation(name, docKey, []string{string(b.path[len(b.path)-1].FullName())}); err != nil {
		panic(err) // a programming error: no such flag
	}
}

// fieldHelp is what a field's help says after the protos' comment on it
// (docFlag): what values an enum takes, whether it is repeatable and
// whether it is required.
func fieldHelp(b boundField) string {
	fd := b.path[len(b.path)-1]
	help := ""
	if fd.Kind() == protoreflect.EnumKind {
		help += " (" + strings.Join(enumNames(fd.Enum()), ", ") + ")"
	}
	if b.parts != nil || fd.IsMap() {
		help += "; repeatable"
	}
	if b.not != "" {
		help += " (--" + b.name + " or --" + b.not + ", required)"
	}
	if (b.must || isRequired(fd)) && b.def == "" {
		help += " (required)"
	}
	return help
}

// isRequired says whether the protos' rules refuse the field's zero value.
func isRequired(fd protoreflect.FieldDescriptor) bool {
	r, _ := proto.GetExtension(fd.Options(), validate.E_Field).(*validate.FieldRules)
	switch {
	case r == nil || r.GetIgnore() == validate.Ignore_IGNORE_IF_ZERO_VALUE:
		return false
	case r.GetRequired():
		return true
	case fd.IsList():
		return r.GetRepeated().GetMinItems() > 0
	}
	switch fd.Kind() {
	case protoreflect.StringKind:
		p := r.GetString().GetPattern()
		return r.GetString().GetMinLen() > 0 || r.GetString().GetLen() > 0 || p != "" && !matchesEmpty(p)
	case protoreflect.Int32Kind:
		return r.GetInt32().GetGte() > 0 || r.GetInt32().GetGt() >= 0 && r.GetInt32().HasGt()
	case protoreflect.Int64Kind:
		return r.GetInt64().GetGte() > 0 || r.GetInt64().GetGt() >= 0 && r.GetInt64().HasGt()
	case protoreflect.Uint32Kind:
		return r.GetUint32().GetGte() > 0 || r.GetUint32().HasGt()
	case protoreflect.EnumKind:
		return r.GetEnum().GetDefinedOnly() && slices.Contains(r.GetEnum().GetNotIn(), 0)
	}
	return false
}

// emptyMatches caches matchesEmpty: the commands are built with each flag's
// pattern asked about more than once, and compiling is the cost.
var emptyMatches sync.Map // pattern → bool

// matchesEmpty says whether the protos' pattern p accepts the empty string.
func matchesEmpty(p string) bool {
	if m, ok := emptyMatches.Load(p); ok {
		return m.(bool)
	}
	m := regexp.MustCompile(p).MatchString("")
	emptyMatches.Store(p, m)
	return m
}

// defaultField is a field named in a bind's default: {book_id}.
var defaultField = regexp.MustCompile(`{[a-z0-9_.]+}`)

// expandDefault is a default of a bind (path?DEFAULT) with each {p} replaced
// by the value of the request's field at path p.
func expandDefault(req protoreflect.Message, def string) string {
	return defaultField.ReplaceAllStringFunc(def, func(p string) string {
		m := req
		path := fieldPath(m.Descriptor(), strings.Trim(p, "{}"))
		for _, fd := range path[:len(path)-1] {
			m = m.Get(fd).Message()
		}
		return m.Get(path[len(path)-1]).String()
	})
}

// boundRequest is the request of one command with its flags and arguments
// bound to its fields.
type boundRequest struct {
	msg         protoreflect.Message
	flags, args []boundField
	// flagOf names each field's flag (--book) or argument (ORDER), for
	// errors.
	flagOf map[string]string
}

// newBoundRequest makes a request of message md (its generated Go type)
// bound by spec (rpcSpec.bind).
func newBoundRequest(md protoreflect.MessageDescriptor, spec string) *boundRequest {
	mt, err := protoregistry.GlobalTypes.FindMessageByName(md.FullName())
	if err != nil {
		panic(fmt.Sprintf("zonectl: no Go type for %s: %v", md.FullName(), err)) // a programming error
	}
	r := &boundRequest{msg: mt.New(), flagOf: map[string]string{}}
	r.flags, r.args = bindFields(md, spec)
	for _, b := range r.args {
		r.flagOf[pathName(b.path)] = b.name
	}
	return r
}

// argsRule checks the number of arguments, which the usage line names.
func (r *boundRequest) argsRule() ([]string, cobra.PositionalArgs) {
	names := make([]string, len(r.args))
	for i, b := range r.args {
		names[i] = b.name
		if b.many {
			names[i] += "..."
		}
		if b.opt {
			names[i] = "[" + names[i] + "]"
		}
	}
	n, all := len(r.args), strings.Join(names, " ")
	switch {
	case n == 0:
		return nil, exactArgs(0, "no arguments")
	case r.args[n-1].many:
		return names, minArgs(n, all)
	case r.args[n-1].opt:
		return names, rangeArgs(n-1, n, all)
	}
	return names, exactArgs(n, all)
}

// addFlags adds the flags to c and returns what the usage line says of
// them: the required ones and the groups of which one is required.
func (r *boundRequest) addFlags(c *cobra.Command) []string {
	var use []string
	var shared []string // fields bound to more than one flag
	sharing := map[string][]string{}
	for _, b := range r.flags {
		if b.fixed {
			continue
		}
		p := pathName(b.path)
		if sharing[p] = append(sharing[p], b.name); len(sharing[p]) == 2 {
			shared = append(shared, p)
		}
	}
	for _, b := range r.flags {
		if b.fixed {
			continue
		}
		fd := b.path[len(b.path)-1]
		f := c.Flags().VarPF(&fieldValue{req: r.msg, b: b}, b.name, "", fieldHelp(b))
		docFlag(c, b.name, b)
		if fd.Kind() == protoreflect.BoolKind && !fd.IsList() {
			f.NoOptDefVal = "true"
		}
		r.flagOf[pathName(b.path)] = "--" + strings.Join(sharing[pathName(b.path)], " or --")
		if b.not != "" {
			c.Flags().VarPF(&fieldValue{req: r.msg, b: b, not: true}, b.not, "", fieldHelp(b)).NoOptDefVal = "true"
			docFlag(c, b.not, b)
			c.MarkFlagsOneRequired(b.name, b.not)
			c.MarkFlagsMutuallyExclusive(b.name, b.not)
			use = append(use, "--"+b.name+"|--"+b.not)
		}
		if (b.must || isRequired(fd)) && len(sharing[pathName(b.path)]) == 1 && b.def == "" {
			required(c, b.name)
			value := strings.ToUpper(strings.ReplaceAll(b.name, "-", "_"))
			if b.parts != nil {
				value = strings.ToUpper(strings.Join(b.parts, ":"))
			}
			use = append(use, "--"+b.name+" "+value)
		}
	}
	for _, p := range shared {
		names := sharing[p]
		if !slices.ContainsFunc(r.flags, func(b boundField) bool { // flags that add elements of their own add to one list
			return pathName(b.path) == p && slices.ContainsFunc(b.also, func(pv string) bool { _, own := b.ownField(pv); return own })
		}) {
			c.MarkFlagsMutuallyExclusive(names...)
		}
		if fds := fieldPath(r.msg.Descriptor(), p); isRequired(fds[len(fds)-1]) {
			c.MarkFlagsOneRequired(names...)
			one := make([]string, len(names))
			for i, n := range names {
				f := c.Flags().Lookup(n)
				f.Usage = strings.TrimSuffix(f.Usage, " (required)") + " (one of --" + strings.Join(names, ", --") + " required)"
				one[i] = "--" + n + " " + strings.ToUpper(strings.ReplaceAll(n, "-", "_"))
			}
			use = append(use, "("+strings.Join(one, " | ")+")")
		}
	}
	for _, b := range r.flags {
		if b.def != "" && !b.fixed { // help shows the default as "close:BOOK:THROUGH"
			c.Flags().Lookup(b.name).DefValue = defaultField.ReplaceAllStringFunc(b.def, func(p string) string {
				return strings.ToUpper(strings.ReplaceAll(strings.TrimPrefix(r.flagOf[strings.Trim(p, "{}")], "--"), "-", "_"))
			})
		}
	}
	return use
}

// fill sets the arguments and the defaults of the flags not given. It
// returns the values of an ARG... of a singular field, one call each: the
// first is set, set the others in turn (setEach).
func (r *boundRequest) fill(cmd *cobra.Command, argv []string) (each []string, err error) {
	for i, b := range r.args[:min(len(r.args), len(argv))] {
		values := argv[i : i+1]
		if b.many {
			values = argv[i:]
			if !b.path[len(b.path)-1].IsList() {
				each, values = values, values[:1]
			}
		}
		for _, arg := range values {
			if err := r.setArg(b, arg); err != nil {
				return nil, err
			}
		}
	}
	for _, b := range r.flags {
		if b.def != "" && (b.fixed || !cmd.Flags().Changed(b.name)) {
			if err := (&fieldValue{req: r.msg, b: b}).Set(expandDefault(r.msg, b.def)); err != nil {
				return nil, usagef("--%s %q: %v", b.name, b.def, err)
			}
		}
	}
	return each, nil
}

// setArg sets the field of argument b to arg.
func (r *boundRequest) setArg(b boundField, arg string) error {
	if err := (&fieldValue{req: r.msg, b: b}).Set(arg); err != nil {
		return usagef("%s %q: %v", b.name, arg, err)
	}
	return nil
}

// setEach sets the field of the ARG... of a singular field to arg.
func (r *boundRequest) setEach(arg string) error { return r.setArg(r.args[len(r.args)-1], arg) }

// check refuses, as a usage error naming the flag or argument, a request
// that the protos' rules refuse, then what more refuses (rpcSpec.check).
func (r *boundRequest) check(more func(proto.Message, []string) error, argv []string) error {
	if err := checkFlags(r.msg.Interface(), r.flagOf); err != nil || more == nil {
		return err
	}
	return asUsage(more(r.msg.Interface(), argv))
}
