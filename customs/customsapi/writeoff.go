package customsapi

import (
	"context"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/writeoff"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// WriteOffServer implements customsv1.WriteOffServiceServer over the
// write-off package: the bonded inventory balance.
type BalanceServer struct {
	balances *writeoff.Balances
}

// NewBalanceServer returns the balance part of WriteOffService over
// balances.
func NewBalanceServer(balances *writeoff.Balances) *BalanceServer {
	return &BalanceServer{balances: balances}
}

// balanceChunk is how many rows a GetInventoryBalance message carries.
const balanceChunk = 500

// exportChunk is how many bytes of a report file an
// ExportInventoryBalance message carries.
const exportChunk = 1 << 20

// GetInventoryBalance implements customsv1.WriteOffServiceServer.
func (s *BalanceServer) GetInventoryBalance(r *customsv1.GetInventoryBalanceRequest, stream customsv1.WriteOffService_GetInventoryBalanceServer) error {
	b, err := s.balance(stream.Context(), r.GetBookNo(), r.GetFrom(), r.GetTo())
	if err != nil {
		return err
	}
	for i := 0; i == 0 || i < len(b.Lines); i += balanceChunk {
		msg := &customsv1.GetInventoryBalanceResponse{BookNo: b.Book, From: dateOut(b.From), To: dateOut(b.To)}
		for _, l := range b.Lines[i:min(i+balanceChunk, len(b.Lines))] {
			msg.Lines = append(msg.Lines, balanceLineOut(l))
		}
		if err := stream.Send(msg); err != nil {
			return err
		}
	}
	return nil
}

// ExportInventoryBalance implements customsv1.WriteOffServiceServer.
func (s *BalanceServer) ExportInventoryBalance(r *customsv1.ExportInventoryBalanceRequest, stream customsv1.WriteOffService_ExportInventoryBalanceServer) error {
	format, err := reportFormat(r.GetFormat())
	if err != nil {
		return err
	}
	b, err := s.balance(stream.Context(), r.GetBookNo(), r.GetFrom(), r.GetTo())
	if err != nil {
		return err
	}
	w := &chunkWriter{name: b.FileName(format), ctype: format.ContentType(), send: func(name, ctype string, data []byte) error {
		return stream.Send(&customsv1.ExportInventoryBalanceResponse{FileName: name, ContentType: ctype, Data: data})
	}}
	if err := b.WriteReport(w, format); err != nil {
		return grpcedge.Status(err)
	}
	return w.flush()
}

// balance reads a balance as the stream's principal; its error is a
// status.
func (s *BalanceServer) balance(ctx context.Context, book, from, to string) (writeoff.InventoryBalance, error) {
	return handle(ctx, nil, func(p access.Principal) (writeoff.InventoryBalance, error) {
		var ps parser
		f, t := ps.optDate(from, "from"), ps.optDate(to, "to")
		if ps.err != nil {
			return writeoff.InventoryBalance{}, ps.err
		}
		return s.balances.InventoryBalance(ctx, p, book, f, t)
	})
}

// chunkWriter sends what is written to it in messages of exportChunk
// bytes, the first one carrying the file's name and type.
type chunkWriter struct {
	name, ctype string
	sent        bool
	buf         []byte
	send        func(name, ctype string, data []byte) error
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for len(w.buf) >= exportChunk {
		if err := w.sendChunk(w.buf[:exportChunk]); err != nil {
			return 0, err
		}
		w.buf = w.buf[exportChunk:]
	}
	return len(p), nil
}

func (w *chunkWriter) sendChunk(data []byte) error {
	name, ctype := "", ""
	if !w.sent {
		name, ctype, w.sent = w.name, w.ctype, true
	}
	return w.send(name, ctype, append([]byte(nil), data...))
}

func (w *chunkWriter) flush() error {
	if len(w.buf) == 0 && w.sent {
		return nil
	}
	return w.sendChunk(w.buf)
}

// reportFormat is the write-off report format asked for.
func reportFormat(f customsv1.ReportFormat) (writeoff.BalanceReportFormat, error) {
	switch f {
	case customsv1.ReportFormat_REPORT_FORMAT_CSV:
		return writeoff.BalanceCSV, nil
	case customsv1.ReportFormat_REPORT_FORMAT_XLSX:
		return writeoff.BalanceXLSX, nil
	}
	return "", grpcedge.Status(ledger.BadArgument("format", "choose REPORT_FORMAT_CSV or REPORT_FORMAT_XLSX"))
}

func balanceAmountOut(a ledger.Amount) *customsv1.BalanceAmount {
	return &customsv1.BalanceAmount{Quantity: qty(a.Quantity), Value: ledger.FormatMoney(a.Value)}
}

func balanceLineOut(l writeoff.BalanceLine) *customsv1.BalanceLine {
	out := &customsv1.BalanceLine{
		BookSeq: int32(l.BookSeq), Name: l.Name, Unit: l.Unit,
		Type:    customsv1.GoodsType(enumOut(customsv1.GoodsType_value, "GOODS_TYPE_", string(l.Type))),
		Status:  customsv1.BalanceStatus(enumOut(customsv1.BalanceStatus_value, "BALANCE_STATUS_", string(l.Status))),
		Opening: balanceAmountOut(l.Opening), In: balanceAmountOut(l.In), Out: balanceAmountOut(l.Out),
		Consumed: balanceAmountOut(l.Consumed), ScrapMade: balanceAmountOut(l.ScrapMade), Closing: balanceAmountOut(l.Closing),
	}
	for _, f := range l.Flows {
		out.Flows = append(out.Flows, &customsv1.BalanceFlowAmount{
			Flow:      customsv1.BalanceFlow(enumOut(customsv1.BalanceFlow_value, "BALANCE_FLOW_", string(f.Flow))),
			Direction: customsv1.BalanceDirection(enumOut(customsv1.BalanceDirection_value, "BALANCE_DIRECTION_", string(f.Direction))),
			Amount:    balanceAmountOut(ledger.Amount{Quantity: f.Quantity, Value: f.Value}),
		})
	}
	return out
}
