package tests

// Authorization of WriteOffService's balance methods: the per-method cases
// TestAuthorizationEveryMethod runs for them, on E1's zone book (stock on
// two lines).

import (
	"context"
	"errors"
	"io"

	"google.golang.org/grpc"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

func init() {
	// An enterprise reads only its own book's balance, customs every
	// book's: another's book answers as one that does not exist.
	for _, m := range []string{"GetInventoryBalance", "ExportInventoryBalance"} {
		customsByNumber[woSvc+m] = true
	}
}

// drain reads a server stream to its end and returns its error, if any.
func drain[T any](st grpc.ServerStreamingClient[T], err error) error {
	if err != nil {
		return err
	}
	for {
		if _, err := st.Recv(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// balanceMethodCases has one case per balance RPC of WriteOffService, each
// a valid request on E1's zone book.
func balanceMethodCases() map[string]methodCase {
	wo := func(w *authWorld) customsv1.WriteOffServiceClient {
		return customsv1.NewWriteOffServiceClient(w.s.Conn())
	}
	return map[string]methodCase{
		woSvc + "GetInventoryBalance": func(ctx context.Context, w *authWorld) error {
			return drain(wo(w).GetInventoryBalance(ctx, &customsv1.GetInventoryBalanceRequest{BookNo: w.z.book, From: day(-30), To: day(0)}))
		},
		woSvc + "ExportInventoryBalance": func(ctx context.Context, w *authWorld) error {
			return drain(wo(w).ExportInventoryBalance(ctx, &customsv1.ExportInventoryBalanceRequest{BookNo: w.z.book, From: day(-30), To: day(0),
				Format: customsv1.ReportFormat_REPORT_FORMAT_CSV}))
		},
	}
}
