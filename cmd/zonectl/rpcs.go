package main

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	"github.com/zoneledger/zoneledger/proto/zoneledger"
)

// This file builds a command that is one call of one RPC from the
// descriptors of its request and answer, so that a command is its name, its
// RPC and its examples: the request's fields are its flags and arguments,
// their help is the comment the protos give each field, the protos' rules
// say which are required, the request is checked by those rules before it
// is sent, and the answer prints through a view.

// rpcSpec is a command that makes one call.
type rpcSpec struct {
	// use is the command's name; the usage line adds its arguments and
	// required flags. The help's text is the protos' comment on the RPC,
	// then more (what the command adds: it goes in order, what it prints);
	// long replaces both where the comment is not what a user of the
	// command needs.
	use, short, long, more, example string
	// aliases are other names of the command ("ls").
	aliases []string
	// note, when set, says on stderr what an answer means beyond what
	// prints ("replayed: ..."); "" says nothing.
	note func(resp proto.Message) string
	// method is the RPC's full method name (the generated
	// *_FullMethodName constant).
	method string
	// bind says how the request's fields are given, space-separated:
	//
	//	flag=path          the field at path ("step.key": through singular
	//	                   message fields, or through a repeated one to its
	//	                   one element: "items.code") as --flag
	//	ARG=path           an argument (its name upper-case), in order
	//	flag=path,         a repeated string field, comma-separated values
	//	flag=path(a:b:c)   a repeated message field: each --flag A:B:C adds
	//	                   an element with fields a, b and c (trailing ones
	//	                   may be left out)
	//	flag=path(a:b!:c)  the same, where every part up to the last one
	//	                   marked ! must be written (A:B or A:B:C)
	//	-path              not given (and not a flag)
	//	flag=path?DEFAULT  --flag, whose field is DEFAULT when the flag is not
	//	                   given (so it is never required); {p} in DEFAULT
	//	                   stands for the value of the field at path p
	//	                   ("close:{book_id}:{through}")
	//	path:=VALUE        the field is always VALUE (not a flag)
	//	flag=path!         --flag, required though the protos' rules are not
	//	                   (the server refuses the zero value); also after
	//	                   a repeated message's parts: flag=path(a:b)!
	//
	// A map<string, string> field bound as a flag takes KEY=VALUE, once per
	// pair.
	//	yes|no=path        a bool field as two flags: --yes sends true, --no
	//	                   false; one of them is required, not both
	//
	// A flag's binding may end in +path=value, more than once: giving the
	// flag also sets the field at path to value (an enum by its name:
	// "actual=materials(book_seq:quantity)+basis=actual"), and that field
	// is no flag of its own; +list.field=value sets a field of the element
	// the flag adds ("scrap=removed(book_seq:quantity)+removed.scrap=true").
	// Flags bound to one field exclude each other, unless they set fields
	// of their own elements (they then add to one list), and when the
	// protos require the field one of them is required. A bool part of
	// A:B:C is written as its name (scrap) or true or false; an enum's
	// value may be written with - for _ (old-parts).
	//	flag=path(a=b)     the same written A=B
	//	ARG...=path        the last argument, given once or more: a repeated
	//	                   field takes every value in one call; else one call
	//	                   per value, in order (each checked before any is
	//	                   sent), the first refusal stops
	//	[ARG]=path         the last argument, which may be left out
	//
	// Every other scalar, enum and repeated scalar field of the request and
	// of its singular message fields is a flag named by flagNames or else
	// after the field (group_products: --group-products). Paging fields are
	// zonectl's own. A google.protobuf.Timestamp field is one flag written
	// RFC 3339.
	bind string
	// quiet, when set, is the field of the printed message (form_no) that
	// -q prints alone, one per line, for scripts.
	quiet string
	// write, when set, takes the request sent and its answer in place of
	// the view (a message written to a file); the view is not used.
	write func(req, resp proto.Message) error
	// check, when set, refuses before anything is sent what the protos'
	// rules cannot state (a decimal's sign and places, a field named
	// twice); it sees the request after those rules and the arguments,
	// and its error is a usage error.
	check func(req proto.Message, args []string) error
}

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

// fieldHelp is the help of a field: the first paragraph of the protos'
// comment on it, with what values an enum takes and whether it is required.
func fieldHelp(b boundField) string {
	fd := b.path[len(b.path)-1]
	help, _, _ := strings.Cut(zoneledger.Comment(fd.FullName()), "\n\n")
	help = strings.TrimSuffix(strings.Join(strings.Fields(help), " "), ".")
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
		return r.GetString().GetMinLen() > 0 || r.GetString().GetLen() > 0 || p != "" && !regexp.MustCompile(p).MatchString("")
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

// rpcCmd builds the command of s, which prints the M of each answer: the
// answer itself, its one M field, or every element of its repeated M field
// (every page of a paged list).
func rpcCmd[M proto.Message](a *app, s rpcSpec, v view[M]) *cobra.Command {
	md, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(strings.ReplaceAll(strings.TrimPrefix(s.method, "/"), "/", ".")))
	if err != nil {
		panic(fmt.Sprintf("zonectl: no method %s: %v", s.method, err)) // a programming error
	}
	m := md.(protoreflect.MethodDescriptor)
	reqType, _ := protoregistry.GlobalTypes.FindMessageByName(m.Input().FullName())
	respType, _ := protoregistry.GlobalTypes.FindMessageByName(m.Output().FullName())
	req := reqType.New()
	flags, args := bindFields(m.Input(), s.bind)
	pick := answerField(m.Output(), answerName[M]())

	argNames, use := make([]string, len(args)), []string{s.use}
	for i, b := range args {
		argNames[i] = b.name
		if b.many {
			argNames[i] += "..."
		}
		if b.opt {
			argNames[i] = "[" + argNames[i] + "]"
		}
	}
	use = append(use, argNames...)
	c := &cobra.Command{Short: s.short, Long: cmp.Or(s.long, strings.TrimSpace(zoneledger.Comment(m.FullName())+"\n\n"+s.more)), Example: s.example, Aliases: s.aliases,
		Args: exactArgs(len(args), strings.Join(argNames, " "))}
	if len(args) == 0 {
		c.Args = exactArgs(0, "no arguments")
	}
	if n := len(args); n > 0 && args[n-1].many {
		c.Args = minArgs(n, strings.Join(argNames, " "))
	} else if n > 0 && args[n-1].opt {
		c.Args = rangeArgs(n-1, n, strings.Join(argNames, " "))
	}
	var quiet bool
	var quietField protoreflect.FieldDescriptor
	if s.quiet != "" {
		var zero M
		if quietField = zero.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(s.quiet)); quietField == nil {
			panic(fmt.Sprintf("zonectl: quiet: no field %q in %s", s.quiet, answerName[M]())) // a programming error
		}
		addQuiet(c, &quiet, strings.TrimSuffix(s.quiet, "_no"))
	}
	// flagOf names each field's flag (--book) or argument (ORDER), for errors.
	flagOf := make(map[string]string, len(flags)+len(args))
	for _, b := range args {
		flagOf[pathName(b.path)] = b.name
	}
	var shared []string // fields bound to more than one flag
	sharing := map[string][]string{}
	for _, b := range flags {
		if b.fixed {
			continue
		}
		p := pathName(b.path)
		if sharing[p] = append(sharing[p], b.name); len(sharing[p]) == 2 {
			shared = append(shared, p)
		}
	}
	for _, b := range flags {
		if b.fixed {
			continue
		}
		f := c.Flags().VarPF(&fieldValue{req: req, b: b}, b.name, "", fieldHelp(b))
		if b.path[len(b.path)-1].Kind() == protoreflect.BoolKind && !b.path[len(b.path)-1].IsList() {
			f.NoOptDefVal = "true"
		}
		flagOf[pathName(b.path)] = "--" + strings.Join(sharing[pathName(b.path)], " or --")
		if b.not != "" {
			c.Flags().VarPF(&fieldValue{req: req, b: b, not: true}, b.not, "", fieldHelp(b)).NoOptDefVal = "true"
			c.MarkFlagsOneRequired(b.name, b.not)
			c.MarkFlagsMutuallyExclusive(b.name, b.not)
			use = append(use, "--"+b.name+"|--"+b.not)
		}
		if (b.must || isRequired(b.path[len(b.path)-1])) && len(sharing[pathName(b.path)]) == 1 && b.def == "" {
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
		if !slices.ContainsFunc(flags, func(b boundField) bool { // flags that add elements of their own add to one list
			return pathName(b.path) == p && slices.ContainsFunc(b.also, func(pv string) bool { _, own := b.ownField(pv); return own })
		}) {
			c.MarkFlagsMutuallyExclusive(names...)
		}
		if fds := fieldPath(m.Input(), p); isRequired(fds[len(fds)-1]) {
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
	for _, b := range flags {
		if b.def != "" && !b.fixed { // help shows the default as "close:BOOK:THROUGH"
			c.Flags().Lookup(b.name).DefValue = defaultField.ReplaceAllStringFunc(b.def, func(p string) string {
				return strings.ToUpper(strings.ReplaceAll(strings.TrimPrefix(flagOf[strings.Trim(p, "{}")], "--"), "-", "_"))
			})
		}
	}
	c.Use = strings.Join(use, " ")
	c.RunE = a.act(func(cmd *cobra.Command, argv []string) error {
		// each is an ARG... of a singular field: one call per value.
		var each []string
		for i, b := range args[:min(len(args), len(argv))] {
			values := argv[i : i+1]
			if b.many {
				values = argv[i:]
				if !b.path[len(b.path)-1].IsList() {
					each, values = values, values[:1] // the others are set in turn below
				}
			}
			for _, arg := range values {
				if err := (&fieldValue{req: req, b: b}).Set(arg); err != nil {
					return usagef("%s %q: %v", b.name, arg, err)
				}
			}
		}
		for _, b := range flags {
			if b.def != "" && (b.fixed || !cmd.Flags().Changed(b.name)) {
				if err := (&fieldValue{req: req, b: b}).Set(expandDefault(req, b.def)); err != nil {
					return usagef("--%s %q: %v", b.name, b.def, err)
				}
			}
		}
		check := func() error {
			field, msg := input.Validate(req.Interface())
			list, _, _ := strings.Cut(field, "[")
			switch {
			case msg != "" && flagOf[field] == "" && flagOf[list] != "": // in an element of a repeated field
				return usagef("%s: %s: %s", flagOf[list], field, msg)
			case msg != "":
				return usagef("%s: %s", cmp.Or(flagOf[field], field), msg)
			case s.check != nil:
				return asUsage(s.check(req.Interface(), argv))
			}
			return nil
		}
		if err := check(); err != nil {
			return err
		}
		invoke := func(ctx context.Context, c *clients) (protoreflect.Message, error) {
			resp := respType.New()
			err := c.cc.Invoke(ctx, s.method, req.Interface(), resp.Interface())
			if err == nil && s.note != nil {
				if n := s.note(resp.Interface()); n != "" {
					a.note("%s", n)
				}
			}
			return resp, err
		}
		if each != nil {
			b, nos := args[len(args)-1], each
			for _, no := range nos[1:] { // every value is checked before anything is sent
				if err := (&fieldValue{req: req, b: b}).Set(no); err != nil {
					return usagef("%s %q: %v", b.name, no, err)
				}
				if err := check(); err != nil {
					return err
				}
			}
			return actOn(a, cmd, nos, v, func(ctx context.Context, c *clients, no string) (M, error) {
				_ = (&fieldValue{req: req, b: b}).Set(no) // checked above
				resp, err := invoke(ctx, c)
				return answerOf[M](resp, pick, err)
			})
		}
		if s.write != nil {
			resp, err := call(a, cmd.Context(), invoke)
			if err != nil {
				return err
			}
			return s.write(req.Interface(), resp.Interface())
		}
		if quiet {
			m, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (M, error) {
				resp, err := invoke(ctx, c)
				return answerOf[M](resp, pick, err)
			})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(a.stdout, m.ProtoReflect().Get(quietField).String())
			return err
		}
		if pick == nil || !pick.IsList() {
			return show(a, cmd, v, func(ctx context.Context, c *clients) (M, error) {
				resp, err := invoke(ctx, c)
				return answerOf[M](resp, pick, err)
			})
		}
		token := req.Descriptor().Fields().ByName("page_token")
		if token == nil {
			return showAll(a, cmd, v, func(ctx context.Context, c *clients) ([]M, error) {
				resp, err := invoke(ctx, c)
				if err != nil {
					return nil, err
				}
				return listOf[M](resp.Get(pick).List()), nil
			})
		}
		req.Set(req.Descriptor().Fields().ByName("page_size"), protoreflect.ValueOfInt32(pageSize))
		next := m.Output().Fields().ByName("next_page_token")
		return showPages(a, cmd, v, func(ctx context.Context, c *clients, tok string) ([]M, string, error) {
			req.Set(token, protoreflect.ValueOfString(tok))
			resp, err := invoke(ctx, c)
			if err != nil {
				return nil, "", err
			}
			return listOf[M](resp.Get(pick).List()), resp.Get(next).String(), nil
		})
	})
	return c
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

// answerField is the field of an answer that holds what a command prints:
// nil when it prints the answer itself, else its one field of message
// want (singular or repeated). None, or two, is a programming error.
func answerField(out protoreflect.MessageDescriptor, want protoreflect.FullName) protoreflect.FieldDescriptor {
	if out.FullName() == want {
		return nil
	}
	var found protoreflect.FieldDescriptor
	fs := out.Fields()
	for i := range fs.Len() {
		if fd := fs.Get(i); fd.Message() != nil && fd.Message().FullName() == want && !fd.IsMap() {
			if found != nil {
				panic(fmt.Sprintf("zonectl: %s has two %s fields", out.FullName(), want))
			}
			found = fd
		}
	}
	if found == nil {
		panic(fmt.Sprintf("zonectl: %s has no %s field", out.FullName(), want))
	}
	return found
}

// answerOf is what a call answered: its error, or the M of the answer
// (the answer itself, or its field pick; nil when pick is not set).
func answerOf[M proto.Message](resp protoreflect.Message, pick protoreflect.FieldDescriptor, err error) (M, error) {
	var zero M
	switch {
	case err != nil:
		return zero, err
	case pick == nil:
		return asM[M](resp), nil
	case !resp.Has(pick):
		return zero, nil
	}
	return asM[M](resp.Get(pick).Message()), nil
}

// rangeArgs accepts from lo to hi arguments (names says which).
func rangeArgs(lo, hi int, names string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < lo || len(args) > hi {
			return usagef("expected %s, got %d argument(s)", names, len(args))
		}
		return nil
	}
}

// asM is m as the Go type M.
func asM[M proto.Message](m protoreflect.Message) M {
	return m.Interface().(M)
}

// listOf is a list of messages as their Go type M.
func listOf[M proto.Message](l protoreflect.List) []M {
	ms := make([]M, l.Len())
	for i := range ms {
		ms[i] = asM[M](l.Get(i).Message())
	}
	return ms
}
