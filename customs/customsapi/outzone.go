package customsapi

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// OutZoneServer implements customsv1.OutZoneServiceServer over a
// zone.Service: goods out of the zone and back under business forms B, D,
// E, F and H, form closing, and the one overdue listing.
type OutZoneServer struct {
	customsv1.UnimplementedOutZoneServiceServer
	svc *zone.Service
}

// NewOutZoneServer returns an OutZoneService over svc.
func NewOutZoneServer(svc *zone.Service) *OutZoneServer { return &OutZoneServer{svc: svc} }

// MoveOutZone implements customsv1.OutZoneServiceServer. The goods are the
// form's book's: the form is read first as the caller, so a form the
// caller may not read is refused before anything else.
func (s *OutZoneServer) MoveOutZone(ctx context.Context, r *customsv1.MoveOutZoneRequest) (*customsv1.MoveOutZoneResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.MoveOutZoneResponse, error) {
		m, err := outZoneMoveIn(r)
		if err != nil {
			return nil, err
		}
		f, err := s.svc.GetForm(ctx, p, m.ApplyNo)
		if err != nil {
			return nil, applyNoField(err)
		}
		m.Book = f.Book
		if m, err = s.svc.MoveOutZone(ctx, p, m); err != nil {
			return nil, err
		}
		return &customsv1.MoveOutZoneResponse{Move: outZoneMoveOut(m)}, nil
	})
}

// GetOutZoneMove implements customsv1.OutZoneServiceServer.
func (s *OutZoneServer) GetOutZoneMove(ctx context.Context, r *customsv1.GetOutZoneMoveRequest) (*customsv1.GetOutZoneMoveResponse, error) {
	return handle(ctx, map[string]string{"": "move_no"}, func(p access.Principal) (*customsv1.GetOutZoneMoveResponse, error) {
		m, err := s.svc.GetOutZoneMove(ctx, p, r.GetMoveNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetOutZoneMoveResponse{Move: outZoneMoveOut(m)}, nil
	})
}

// CloseForm implements customsv1.OutZoneServiceServer.
func (s *OutZoneServer) CloseForm(ctx context.Context, r *customsv1.CloseFormRequest) (*customsv1.CloseFormResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.CloseFormResponse, error) {
		f, err := s.svc.CloseForm(ctx, p, r.GetApplyNo())
		if err != nil {
			return nil, applyNoField(err)
		}
		return &customsv1.CloseFormResponse{Form: formOut(f), Closed: true}, nil
	})
}

// ListOverdue implements customsv1.OutZoneServiceServer.
func (s *OutZoneServer) ListOverdue(ctx context.Context, r *customsv1.ListOverdueRequest) (*customsv1.ListOverdueResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListOverdueResponse, error) {
		var ps parser
		asOf := ps.optDate(r.GetAsOf(), "as_of")
		if ps.err != nil {
			return nil, ps.err
		}
		page, err := s.svc.ListOverdue(ctx, p, zone.OverdueQuery{Book: r.GetBookNo(), AsOf: asOf, After: r.GetPageToken(), Limit: int(r.GetPageSize())})
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListOverdueResponse{NextPageToken: page.Next}
		for _, it := range page.Items {
			out.Items = append(out.Items, &customsv1.OverdueItem{
				Kind:       customsv1.OverdueKind(enumOut(customsv1.OverdueKind_value, "OVERDUE_KIND_", string(it.Kind))),
				Enterprise: it.Enterprise, BookNo: it.Book, Documents: it.Documents, Due: dateOut(it.Due),
				DaysOverdue: int32(it.DaysOverdue), Quantity: qty(it.Quantity), Note: it.Note})
		}
		return out, nil
	})
}

func outZoneLinesIn(ps *parser, field string, ls []*customsv1.OutZoneLine) []zone.OutZoneLine {
	var out []zone.OutZoneLine
	for i, ln := range ls {
		f := fmt.Sprintf("%s[%d]", field, i)
		out = append(out, zone.OutZoneLine{BookSeq: int(ln.GetBookSeq()), Quantity: ps.dec(ln.GetQuantity(), f+".quantity"),
			Value: ps.optDec(ln.GetValue(), f+".value"), Scrap: ln.GetScrap()})
	}
	return out
}

func outZoneMoveIn(r *customsv1.MoveOutZoneRequest) (zone.OutZoneMove, error) {
	var ps parser
	m := zone.OutZoneMove{InnerNo: r.GetInnerNo(), ApplyNo: r.GetApplyNo(),
		Kind: zone.OutZoneKind(ps.enum(customsv1.OutZoneKind_name, "OUT_ZONE_KIND_", int32(r.GetKind()), "kind")),
		Date: ps.optDate(r.GetDate(), "date"), DueBack: ps.optDate(r.GetDueBack(), "due_back"),
		Counterparty: r.GetCounterparty(), Contract: r.GetContract(), OutNo: r.GetOutNo()}
	m.Lines = outZoneLinesIn(&ps, "lines", r.GetLines())
	m.Products = outZoneLinesIn(&ps, "products", r.GetProducts())
	m.Consumed = outZoneLinesIn(&ps, "consumed", r.GetConsumed())
	return m, ps.err
}

func outZoneLinesOut(ls []zone.OutZoneLine) []*customsv1.OutZoneLine {
	out := make([]*customsv1.OutZoneLine, 0, len(ls))
	for _, ln := range ls {
		out = append(out, &customsv1.OutZoneLine{BookSeq: int32(ln.BookSeq), Quantity: qty(ln.Quantity), Value: ledger.FormatMoney(ln.Value), Scrap: ln.Scrap})
	}
	return out
}

func outZoneMoveOut(m zone.OutZoneMove) *customsv1.OutZoneMove {
	out := &customsv1.OutZoneMove{MoveNo: m.No, InnerNo: m.InnerNo, Enterprise: m.Enterprise, BookNo: m.Book, ApplyNo: m.ApplyNo,
		FormType: string(m.FormType), Kind: customsv1.OutZoneKind(enumOut(customsv1.OutZoneKind_value, "OUT_ZONE_KIND_", string(m.Kind))),
		Date: dateOut(m.Date), DueBack: dateOut(m.DueBack), Counterparty: m.Counterparty, Contract: m.Contract, OutNo: m.OutNo,
		Lines: outZoneLinesOut(m.Lines), Products: outZoneLinesOut(m.Products), Consumed: outZoneLinesOut(m.Consumed),
		Tax: ledger.FormatMoney(m.Tax), Status: m.Status, JournalId: m.JournalID, FiledBy: m.FiledBy, CreatedAt: ts(m.CreatedAt), InputHash: m.InputHash}
	for _, seq := range slices.Sorted(maps.Keys(m.Outstanding)) {
		if q := m.Outstanding[seq]; q.IsPositive() {
			out.Outstanding = append(out.Outstanding, &customsv1.OutZoneLine{BookSeq: int32(seq), Quantity: qty(q), Value: "0.00"})
		}
	}
	return out
}
