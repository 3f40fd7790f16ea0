package customsapi

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// DisplayServer implements customsv1.DisplayServiceServer over a
// zone.Service: bonded display trading (保税展示交易) under type-C forms.
type DisplayServer struct {
	customsv1.UnimplementedDisplayServiceServer
	svc *zone.Service
}

// NewDisplayServer returns a DisplayService over svc.
func NewDisplayServer(svc *zone.Service) *DisplayServer { return &DisplayServer{svc: svc} }

// MoveDisplay implements customsv1.DisplayServiceServer. The goods are the
// form's book's: the form is read first (as the caller, so a form the
// caller may not read is refused before anything else), and its book is the
// movement's.
func (s *DisplayServer) MoveDisplay(ctx context.Context, r *customsv1.MoveDisplayRequest) (*customsv1.MoveDisplayResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.MoveDisplayResponse, error) {
		m, err := displayMoveIn(r)
		if err != nil {
			return nil, err
		}
		f, err := s.svc.GetForm(ctx, p, m.ApplyNo)
		if err != nil {
			return nil, applyNoField(err)
		}
		m.Book = f.Book
		if m, err = s.svc.MoveDisplay(ctx, p, m); err != nil {
			return nil, err
		}
		return &customsv1.MoveDisplayResponse{Move: displayMoveOut(m)}, nil
	})
}

// PayDisplayTax implements customsv1.DisplayServiceServer.
func (s *DisplayServer) PayDisplayTax(ctx context.Context, r *customsv1.PayDisplayTaxRequest) (*customsv1.PayDisplayTaxResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.PayDisplayTaxResponse, error) {
		var ps parser
		amount := ps.dec(r.GetAmount(), "amount")
		if ps.err != nil {
			return nil, ps.err
		}
		f, err := s.svc.PayDisplayTax(ctx, p, r.GetApplyNo(), r.GetPaymentNo(), amount)
		if err != nil {
			return nil, applyNoField(err)
		}
		return &customsv1.PayDisplayTaxResponse{Form: formOut(f), Available: ledger.FormatMoney(f.GuaranteeAvailable())}, nil
	})
}

// GetDisplayStatus implements customsv1.DisplayServiceServer.
func (s *DisplayServer) GetDisplayStatus(ctx context.Context, r *customsv1.GetDisplayStatusRequest) (*customsv1.GetDisplayStatusResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetDisplayStatusResponse, error) {
		var ps parser
		asOf := ps.optDate(r.GetAsOf(), "as_of")
		if ps.err != nil {
			return nil, ps.err
		}
		rep, err := s.svc.DisplayStatus(ctx, p, r.GetApplyNo(), asOf)
		if err != nil {
			return nil, applyNoField(err)
		}
		return displayReportOut(rep)
	})
}

// ListOverdueDisplays implements customsv1.DisplayServiceServer.
func (s *DisplayServer) ListOverdueDisplays(ctx context.Context, r *customsv1.ListOverdueDisplaysRequest) (*customsv1.ListOverdueDisplaysResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListOverdueDisplaysResponse, error) {
		var ps parser
		asOf := ps.optDate(r.GetAsOf(), "as_of")
		if ps.err != nil {
			return nil, ps.err
		}
		reps, err := s.svc.OverdueDisplays(ctx, p, r.GetBookNo(), asOf)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListOverdueDisplaysResponse{}
		for _, rep := range reps {
			st, err := displayReportOut(rep)
			if err != nil {
				return nil, err
			}
			out.Forms = append(out.Forms, st)
		}
		return out, nil
	})
}

// applyNoField names apply_no in a not-found error that names no field
// (the form does not exist).
func applyNoField(err error) error {
	var le *ledger.Error
	if !errors.As(err, &le) || le.Field != "" || le.Kind != ledger.KindNotFound {
		return err
	}
	c := *le
	c.Field = "apply_no"
	return &c
}

func displayMoveIn(r *customsv1.MoveDisplayRequest) (zone.DisplayMove, error) {
	var ps parser
	m := zone.DisplayMove{InnerNo: r.GetInnerNo(), ApplyNo: r.GetApplyNo(),
		Kind: zone.DisplayKind(ps.enum(customsv1.DisplayKind_name, "DISPLAY_KIND_", int32(r.GetKind()), "kind")),
		Date: ps.optDate(r.GetDate(), "date")}
	for i, ln := range r.GetLines() {
		f := fmt.Sprintf("lines[%d]", i)
		m.Lines = append(m.Lines, zone.DisplayLine{BookSeq: int(ln.GetBookSeq()), Quantity: ps.dec(ln.GetQuantity(), f+".quantity"),
			Value: ps.optDec(ln.GetValue(), f+".value")})
	}
	return m, ps.err
}

func displayMoveOut(m zone.DisplayMove) *customsv1.DisplayMove {
	out := &customsv1.DisplayMove{MoveNo: m.No, InnerNo: m.InnerNo, Enterprise: m.Enterprise, BookNo: m.Book, ApplyNo: m.ApplyNo,
		Kind: customsv1.DisplayKind(enumOut(customsv1.DisplayKind_value, "DISPLAY_KIND_", string(m.Kind))),
		Date: dateOut(m.Date), Tax: ledger.FormatMoney(m.Tax), JournalId: m.JournalID, FiledBy: m.FiledBy, CreatedAt: ts(m.CreatedAt),
		InputHash: m.InputHash}
	for _, ln := range m.Lines {
		out.Lines = append(out.Lines, &customsv1.DisplayLine{BookSeq: int32(ln.BookSeq), Quantity: qty(ln.Quantity), Value: ledger.FormatMoney(ln.Value)})
	}
	return out
}

// displayReportOut converts a form's display report; the domain names each
// book line's holding by its seq as a lot name.
func displayReportOut(r zone.DisplayReport) (*customsv1.GetDisplayStatusResponse, error) {
	f := r.Form
	out := &customsv1.GetDisplayStatusResponse{Form: formOut(f), Guarantee: ledger.FormatMoney(f.Guarantee), TaxAssessed: ledger.FormatMoney(f.TaxAssessed),
		TaxPaid: ledger.FormatMoney(f.TaxPaid), Available: ledger.FormatMoney(r.Available), Overdue: r.Overdue}
	for _, h := range r.OnDisplay {
		seq, err := strconv.ParseInt(h.Lot, 10, 32)
		if err != nil {
			return nil, ledger.Errorf(ledger.KindInternal, ledger.ReasonInternal, "", "form %s holds %q on display, which is not a book line", f.No, h.Lot)
		}
		out.OnDisplay = append(out.OnDisplay, &customsv1.DisplayHolding{BookSeq: int32(seq), Quantity: qty(h.Quantity)})
	}
	return out, nil
}
