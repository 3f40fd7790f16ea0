package grpcedge

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"

	"google.golang.org/grpc"
)

// RecoveryInterceptors are the outermost interceptors (after metrics): a
// handler's panic is logged with its stack under an error id and answered
// INTERNAL with that id (InternalStatus), and the process lives on; an
// error that is not yet a gRPC status goes through Status, so no raw error
// reaches a caller. They also refuse the messages TextCodec decoded from
// invalid UTF-8, before anything else looks at them.
func RecoveryInterceptors(log *slog.Logger) (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	caught := func(method string, r any) error {
		id := NewErrorID()
		log.Error("handler panicked; answered INTERNAL, serving on", "error_id", id, "method", method,
			"value", fmt.Sprint(r), "stack", string(debug.Stack()))
		return InternalStatus(id)
	}
	unary := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (resp any, err error) {
		if err := takeBadUTF8(req); err != nil {
			return nil, err
		}
		defer func() {
			if r := recover(); r != nil {
				resp, err = nil, caught(info.FullMethod, r)
			}
		}()
		resp, err = h(ctx, req)
		return resp, Status(err)
	}
	stream := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = caught(info.FullMethod, r)
			}
		}()
		return Status(h(srv, &textStream{ss}))
	}
	return unary, stream
}

// textStream refuses each received message TextCodec decoded from invalid
// UTF-8.
type textStream struct{ grpc.ServerStream }

func (s *textStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	return takeBadUTF8(m)
}
