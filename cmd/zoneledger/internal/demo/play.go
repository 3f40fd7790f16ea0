package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// play makes a scene's gRPC calls one after the other, each as one of the
// demo's principals with a deadline, counted in *calls when calls is not
// nil: the first that fails is kept in err, named by its RPC, and every
// call after it is skipped, so a scene reads as its calls and looks at err
// where it needs an answer.
type play struct {
	ctx   context.Context
	c     *client
	calls *int
	err   error
}

// fail keeps a failure of the scene's own (an answer not as planned)
// unless an earlier one is kept.
func (p *play) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

// as is the context of a call as principal who, with a deadline; the call
// counts in *calls when calls is not nil.
func (p *play) as(who string) (context.Context, context.CancelFunc) {
	if p.calls != nil {
		*p.calls++
	}
	ctx, cancel := context.WithTimeout(p.ctx, time.Minute)
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+p.c.tokens[who]), cancel
}

// rpcName is the name of a client's method, for messages.
func rpcName(rpc any) string {
	name := runtime.FuncForPC(reflect.ValueOf(rpc).Pointer()).Name()
	return strings.TrimSuffix(name[strings.LastIndexByte(name, '.')+1:], "-fm")
}

// receive reads a server stream, rpc(req) as who, to its end, unless an
// earlier call of the play failed.
func receive[Req, Msg any](p *play, who string, rpc func(context.Context, Req, ...grpc.CallOption) (grpc.ServerStreamingClient[Msg], error), req Req) []*Msg {
	if p.err != nil {
		return nil
	}
	ctx, cancel := p.as(who)
	defer cancel()
	var out []*Msg
	stream, err := rpc(ctx, req)
	for err == nil {
		var m *Msg
		if m, err = stream.Recv(); err == nil {
			out = append(out, m)
		}
	}
	if !errors.Is(err, io.EOF) {
		p.fail("%s as %s: %w", rpcName(rpc), who, err)
	}
	return out
}

// do makes one call, rpc(req), as principal who, unless an earlier call of
// the play failed; then, or when it fails itself, it answers nil.
func do[Req, Resp any](p *play, who string, rpc func(context.Context, Req, ...grpc.CallOption) (Resp, error), req Req) Resp {
	var resp Resp
	if p.err != nil {
		return resp
	}
	ctx, cancel := p.as(who)
	defer cancel()
	resp, err := rpc(ctx, req)
	if err != nil {
		p.fail("%s as %s: %w", rpcName(rpc), who, err)
	}
	return resp
}

// refuse makes a call, rpc(req) as who, that the scene expects the server
// to refuse with the reason want; any other answer fails the play (what
// names the attempt). It returns the refusal.
func refuse[Req, Resp any](p *play, what, want, who string, rpc func(context.Context, Req, ...grpc.CallOption) (Resp, error), req Req) CallRefusal {
	if p.err != nil {
		return CallRefusal{}
	}
	ctx, cancel := p.as(who)
	defer cancel()
	_, err := rpc(ctx, req)
	if err == nil {
		p.fail("%s was accepted; the demo expected %s", what, want)
		return CallRefusal{}
	}
	reason, msg := reasonOf(err)
	if reason != want {
		p.fail("%s: %w (expected %s)", what, err, want)
	}
	return CallRefusal{Code: status.Code(err).String(), Reason: reason, Message: msg}
}

// pages reads every page of a listing, rpc(req(token)) as who, and returns
// the items of the pages in order.
func pages[Req any, Resp interface{ GetNextPageToken() string }, Item any](p *play, who string,
	rpc func(context.Context, Req, ...grpc.CallOption) (Resp, error), req func(token string) Req, items func(Resp) []Item) []Item {
	var out []Item
	for tok := ""; ; {
		resp := do(p, who, rpc, req(tok))
		out = append(out, items(resp)...)
		if tok = resp.GetNextPageToken(); tok == "" || p.err != nil {
			return out
		}
	}
}
