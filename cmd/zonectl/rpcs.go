package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
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

// rpcCmd builds the command of s, which prints the M of each answer: the
// answer itself, its one M field, or every element of its repeated M field
// (every page of a paged list).
func rpcCmd[M proto.Message](a *app, s rpcSpec, v view[M]) *cobra.Command {
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(strings.ReplaceAll(strings.TrimPrefix(s.method, "/"), "/", ".")))
	if err != nil {
		panic(fmt.Sprintf("zonectl: no method %s: %v", s.method, err)) // a programming error
	}
	m := d.(protoreflect.MethodDescriptor)
	respType, _ := protoregistry.GlobalTypes.FindMessageByName(m.Output().FullName())
	r := newBoundRequest(m.Input(), s.bind)
	req := r.msg
	pick := answerField(m.Output(), answerName[M]())

	c := &cobra.Command{Short: s.short, Long: cmp.Or(s.long, s.more), Example: s.example, Aliases: s.aliases}
	if s.long == "" {
		c.Annotations = map[string]string{docKey: string(m.FullName())} // the RPC's comment, then more (documented)
	}
	argNames, argsRule := r.argsRule()
	c.Args = argsRule
	var quiet bool
	var quietField protoreflect.FieldDescriptor
	if s.quiet != "" {
		var zero M
		if quietField = zero.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(s.quiet)); quietField == nil {
			panic(fmt.Sprintf("zonectl: quiet: no field %q in %s", s.quiet, answerName[M]())) // a programming error
		}
		addQuiet(c, &quiet, strings.TrimSuffix(s.quiet, "_no"))
	}
	c.Use = strings.Join(slices.Concat([]string{s.use}, argNames, r.addFlags(c)), " ")
	c.RunE = a.act(func(cmd *cobra.Command, argv []string) error {
		each, err := r.fill(cmd, argv)
		if err != nil {
			return err
		}
		if err := r.check(s.check, argv); err != nil {
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
		answer := func(ctx context.Context, c *clients) (M, error) {
			resp, err := invoke(ctx, c)
			return answerOf[M](resp, pick, err)
		}
		switch {
		case each != nil:
			for _, arg := range each[1:] { // every value is checked before anything is sent
				if err := r.setEach(arg); err != nil {
					return err
				}
				if err := r.check(s.check, argv); err != nil {
					return err
				}
			}
			return actOn(a, cmd, each, v, func(ctx context.Context, c *clients, arg string) (M, error) {
				_ = r.setEach(arg) // checked above
				return answer(ctx, c)
			})
		case s.write != nil:
			resp, err := call(a, cmd.Context(), invoke)
			if err != nil {
				return err
			}
			return s.write(req.Interface(), resp.Interface())
		case quiet:
			m, err := call(a, cmd.Context(), answer)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(a.stdout, m.ProtoReflect().Get(quietField).String())
			return err
		case pick == nil || !pick.IsList():
			return show(a, cmd, v, answer)
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
