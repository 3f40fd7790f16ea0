package main

import (
	"context"
	"fmt"
	"reflect"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// This file holds the connect-call-print shape every command shares: dial on
// first use, bound the call by --timeout, call, print what came back.

// rpc is one call of a command on the service stubs of the connection.
type rpc[R any] func(ctx context.Context, c *clients) (R, error)

// call dials on first use and makes one call bounded by --timeout.
func call[R any](a *app, ctx context.Context, f rpc[R]) (R, error) {
	c, err := a.connect()
	if err != nil {
		var zero R
		return zero, err
	}
	cctx, cancel := a.callCtx(ctx)
	defer cancel()
	return f(cctx, c)
}

// view is how a message prints in a table or CSV: its columns and its row(s).
type view[M any] struct {
	header []string
	rows   func(M) [][]string
}

// rowView is the view of a message that prints as one row.
func rowView[M any](header []string, row func(M) []string) view[M] {
	return view[M]{header: header, rows: one(row)}
}

// show makes one call and prints the message it returns (JSON: the message).
func show[M proto.Message](a *app, cmd *cobra.Command, v view[M], f rpc[M]) error {
	m, err := call(a, cmd.Context(), f)
	if err != nil {
		return err
	}
	return output.One(a.stdout, a.format, m, v.header, v.rows(m)...)
}

// showAll makes one call and prints the messages it returns as a list.
func showAll[M proto.Message](a *app, cmd *cobra.Command, v view[M], f rpc[[]M]) error {
	ms, err := call(a, cmd.Context(), f)
	if err != nil {
		return err
	}
	l := output.NewList(a.stdout, a.format, v.header)
	for _, m := range ms {
		if err := l.Add(m, v.rows(m)...); err != nil {
			return err
		}
	}
	return l.Close()
}

// showPages prints every page of a paged list call as one list: f fetches
// the page of a page token and returns its entries and the next token.
func showPages[M proto.Message](a *app, cmd *cobra.Command, v view[M],
	f func(ctx context.Context, c *clients, token string) ([]M, string, error)) error {
	c, err := a.connect()
	if err != nil {
		return err
	}
	l := output.NewList(a.stdout, a.format, v.header)
	err = a.pages(cmd.Context(), func(ctx context.Context, token string) (string, error) {
		entries, next, err := f(ctx, c, token)
		if err != nil {
			return "", err
		}
		for _, e := range entries {
			if err := l.Add(e, v.rows(e)...); err != nil {
				return "", err
			}
		}
		return next, nil
	})
	return closeList(l, err)
}

// chunks sends the rows of a file in chunks of size rows, one call per
// chunk (each all or nothing), with a progress bar on stderr when there is
// more than one chunk. A refusal stops the run: the note says how many rows
// went before and where names the rows of the refused chunk, narrowed by
// the field the server blamed; the error is the server's.
type chunks[R any] struct {
	file       string // as given, for the note
	what, verb string // "book lines", "registered"
	size       int
	noProgress bool
	send       func(ctx context.Context, c *clients, chunk []R) error
	where      func(chunk []R, field string) string
}

// run sends rows and returns how many were sent.
func (s chunks[R]) run(a *app, cmd *cobra.Command, rows []R) (int, error) {
	c, err := a.connect()
	if err != nil {
		return 0, err
	}
	set, end := a.progress(!s.noProgress && len(rows) > s.size, len(rows), s.what)
	defer end()
	done := 0
	for start := 0; start < len(rows); start += s.size {
		chunk := rows[start:min(start+s.size, len(rows))]
		cctx, cancel := a.callCtx(cmd.Context())
		err := s.send(cctx, c, chunk)
		cancel()
		if err != nil {
			end()
			a.note("%s: %d %s %s before; the chunk with %s was refused (nothing of it %s); re-running the file is safe",
				s.file, done, s.what, s.verb, s.where(chunk, errorsv1.FieldOf(err)), s.verb)
			return done, err
		}
		done += len(chunk)
		set(done)
	}
	return done, nil
}

// answer finds the field of type M in a response of type R (a
// GetListResponse's List); nil when R is an M. A response without one, or
// with two, is a programming error and panics when the command tree is
// built.
func answer[M, R proto.Message]() protoreflect.FieldDescriptor {
	var r R
	want := answerName[M]()
	if r.ProtoReflect().Descriptor().FullName() == want {
		return nil
	}
	var found protoreflect.FieldDescriptor
	fs := r.ProtoReflect().Descriptor().Fields()
	for i := range fs.Len() {
		if fd := fs.Get(i); fd.Message() != nil && fd.Message().FullName() == want && fd.Cardinality() != protoreflect.Repeated {
			if found != nil {
				panic(fmt.Sprintf("%s has two %s fields", r.ProtoReflect().Descriptor().FullName(), want))
			}
			found = fd
		}
	}
	if found == nil {
		panic(fmt.Sprintf("%s has no %s field", r.ProtoReflect().Descriptor().FullName(), want))
	}
	return found
}

// unwrap turns a call that returns a response R into one that returns its
// M (see answer).
func unwrap[M, R proto.Message, A any](f func(ctx context.Context, c *clients, arg A) (R, error)) func(ctx context.Context, c *clients, arg A) (M, error) {
	fd := answer[M, R]()
	return func(ctx context.Context, c *clients, arg A) (M, error) {
		var zero M
		resp, err := f(ctx, c, arg)
		switch {
		case err != nil:
			return zero, err
		case fd == nil:
			return any(resp).(M), nil
		case !resp.ProtoReflect().Has(fd):
			return zero, nil
		}
		return resp.ProtoReflect().Get(fd).Message().Interface().(M), nil
	}
}

// runShow is the RunE of a command that makes one call with its arguments
// and prints the M of the answer (show).
func runShow[M, R proto.Message](a *app, v view[M], f func(ctx context.Context, c *clients, args []string) (R, error)) func(*cobra.Command, []string) error {
	g := unwrap[M](f)
	return a.act(func(cmd *cobra.Command, args []string) error {
		return show(a, cmd, v, func(ctx context.Context, c *clients) (M, error) { return g(ctx, c, args) })
	})
}

// sendShowPages prints every page of a paged list call of m with req
// (sendPages, showPages): for a command that checks or builds req itself.
func sendShowPages[M, R proto.Message, S any, Q proto.Message](a *app, cmd *cobra.Command, v view[M], m method[S, Q, R], req Q) error {
	f := sendPages(m, req)
	return showPages(a, cmd, v, entries(pageOf[M, R](), func(ctx context.Context, c *clients, token string) (R, error) { return f(ctx, c, nil, token) }))
}

// entries turns a call that answers a page R into one that answers the
// page's entries and next page token (page, from pageOf).
func entries[M, R proto.Message](page func(R) ([]M, string), f func(ctx context.Context, c *clients, token string) (R, error)) func(ctx context.Context, c *clients, token string) ([]M, string, error) {
	return func(ctx context.Context, c *clients, token string) ([]M, string, error) {
		resp, err := f(ctx, c, token)
		if err != nil {
			return nil, "", err
		}
		ms, next := page(resp)
		return ms, next, nil
	}
}

// pageOf reads a page of a list response R: its repeated field of M and
// its next_page_token. A response without them is a programming error and
// panics when the command tree is built.
func pageOf[M, R proto.Message]() func(R) ([]M, string) {
	var r R
	rd := r.ProtoReflect().Descriptor()
	next := rd.Fields().ByName("next_page_token")
	var list protoreflect.FieldDescriptor
	fs := rd.Fields()
	for i := range fs.Len() {
		if fd := fs.Get(i); fd.IsList() && fd.Message() != nil && fd.Message().FullName() == answerName[M]() {
			list = fd
		}
	}
	if list == nil || next == nil {
		panic(fmt.Sprintf("%s is not a page of %s", rd.FullName(), answerName[M]())) // a programming error
	}
	return func(resp R) ([]M, string) {
		l := resp.ProtoReflect().Get(list).List()
		ms := make([]M, l.Len())
		for i := range ms {
			ms[i] = l.Get(i).Message().Interface().(M)
		}
		return ms, resp.ProtoReflect().Get(next).String()
	}
}

// answerName is the full name of the message M.
func answerName[M proto.Message]() protoreflect.FullName {
	var m M
	return m.ProtoReflect().Descriptor().FullName()
}

// method is a method expression of a service's client, such as
// customsv1.WriteOffServiceClient.GetCycle.
type method[S any, Q proto.Message, R any] func(S, context.Context, Q, ...grpc.CallOption) (R, error)

// send is the call of a command (runShow) that sends req, whose fields its
// flags set, with m.
func send[S any, Q proto.Message, R any](m method[S, Q, R], req Q) func(ctx context.Context, c *clients, _ []string) (R, error) {
	stub[S](&clients{}) // no such stub panics when the command tree is built
	return func(ctx context.Context, c *clients, _ []string) (R, error) { return m(*stub[S](c), ctx, req) }
}

// sendPages is the call of a list command (runPages) that sends req, whose
// fields its flags set, with m, once per page: it sets req's page_size to
// pageSize and its page_token.
func sendPages[S any, Q proto.Message, R any](m method[S, Q, R], req Q) func(ctx context.Context, c *clients, _ []string, token string) (R, error) {
	stub[S](&clients{})
	fs := req.ProtoReflect().Descriptor().Fields()
	size, tok := fs.ByName("page_size"), fs.ByName("page_token")
	if size == nil || tok == nil {
		panic(fmt.Sprintf("%s is not a page request", req.ProtoReflect().Descriptor().FullName())) // a programming error
	}
	return func(ctx context.Context, c *clients, _ []string, token string) (R, error) {
		req.ProtoReflect().Set(size, protoreflect.ValueOfInt32(pageSize))
		req.ProtoReflect().Set(tok, protoreflect.ValueOfString(token))
		return m(*stub[S](c), ctx, req)
	}
}

// stub is the field of c that holds the service stub of type S.
func stub[S any](c *clients) *S {
	for _, p := range []any{&c.ledger, &c.admin, &c.books, &c.decls, &c.gate, &c.display, &c.ecommerce, &c.processing,
		&c.rnd, &c.outzone, &c.repair, &c.writeoff} {
		if s, ok := p.(*S); ok {
			return s
		}
	}
	panic(fmt.Sprintf("zonectl has no %v stub", reflect.TypeFor[S]())) // a programming error
}

// sendShow makes one call of m with req and prints the M of its answer
// (show): for a command that checks or builds req itself.
func sendShow[M, R proto.Message, S any, Q proto.Message](a *app, cmd *cobra.Command, v view[M], m method[S, Q, R], req Q) error {
	g := unwrap[M](send(m, req))
	return show(a, cmd, v, func(ctx context.Context, c *clients) (M, error) { return g(ctx, c, nil) })
}
