package customsapi

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/repair"
	"github.com/zoneledger/zoneledger/ledger"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// RepairServer implements customsv1.RepairServiceServer over a
// repair.Service: repair and remanufacture orders on repair books.
type RepairServer struct {
	customsv1.UnimplementedRepairServiceServer
	svc *repair.Service
}

// NewRepairServer returns a RepairService over svc.
func NewRepairServer(svc *repair.Service) *RepairServer { return &RepairServer{svc: svc} }

var repairSections = map[customsv1.RepairSection]repair.Section{
	customsv1.RepairSection_REPAIR_SECTION_AWAITING:       repair.SectionAwaiting,
	customsv1.RepairSection_REPAIR_SECTION_REPAIRED:       repair.SectionRepaired,
	customsv1.RepairSection_REPAIR_SECTION_UNREPAIRABLE:   repair.SectionUnrepairable,
	customsv1.RepairSection_REPAIR_SECTION_CORES:          repair.SectionCores,
	customsv1.RepairSection_REPAIR_SECTION_REMANUFACTURED: repair.SectionRemanufactured,
	customsv1.RepairSection_REPAIR_SECTION_PARTS:          repair.SectionParts,
	customsv1.RepairSection_REPAIR_SECTION_OLD_PARTS:      repair.SectionOldParts,
	customsv1.RepairSection_REPAIR_SECTION_SCRAP:          repair.SectionScrap,
}

var repairOrigins = map[customsv1.RepairOrigin]repair.Origin{
	customsv1.RepairOrigin_REPAIR_ORIGIN_ABROAD:   repair.OriginAbroad,
	customsv1.RepairOrigin_REPAIR_ORIGIN_DOMESTIC: repair.OriginDomestic,
	customsv1.RepairOrigin_REPAIR_ORIGIN_GROUP:    repair.OriginGroup,
}

func sectionOut(s repair.Section) customsv1.RepairSection {
	for k, v := range repairSections {
		if v == s {
			return k
		}
	}
	return customsv1.RepairSection_REPAIR_SECTION_UNSPECIFIED
}

func originOut(o repair.Origin) customsv1.RepairOrigin {
	for k, v := range repairOrigins {
		if v == o {
			return k
		}
	}
	return customsv1.RepairOrigin_REPAIR_ORIGIN_UNSPECIFIED
}

func repairOrderOut(o repair.Order) *customsv1.RepairOrder {
	out := &customsv1.RepairOrder{OrderNo: o.No, InnerNo: o.InnerNo, Enterprise: o.Enterprise, BookNo: o.Book, ListNo: o.List,
		BookSeq: int32(o.BookSeq), Quantity: qty(o.Quantity), Origin: originOut(o.Origin), Remanufacture: o.Remanufacture,
		NoDomesticAfterRepair: o.NoDomestic, Lot: o.Lot, Date: dateOut(o.Date), Due: dateOut(o.Due), Status: string(o.Status),
		Findings: o.Findings, JournalIds: o.JournalIDs, FiledBy: o.FiledBy}
	keys := make([]string, 0, len(o.Held))
	for k := range o.Held {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sec, seq, _ := strings.Cut(k, "/")
		n, _ := strconv.Atoi(seq)
		out.Held = append(out.Held, &customsv1.RepairOrderHolding{Section: sectionOut(repair.Section(sec)), BookSeq: int32(n), Quantity: qty(o.Held[k])})
	}
	for _, st := range o.Steps {
		out.Steps = append(out.Steps, &customsv1.RepairStep{Key: st.Key, Kind: st.Kind, Date: dateOut(st.Date), Detail: st.Detail,
			JournalId: st.JournalID, FiledBy: st.FiledBy, At: ts(st.At)})
	}
	for _, b := range o.Bindings {
		out.Bindings = append(out.Bindings, &customsv1.RepairBinding{Document: b.Kind, DocumentNo: b.No, Line: int32(b.Seq), Section: sectionOut(b.Section),
			BookSeq: int32(b.BookSeq), Quantity: qty(b.Quantity), Step: b.Step, Released: b.Released})
	}
	return out
}

// stepHeader reads a step's order, key and date.
func stepHeader(ps *parser, h *customsv1.RepairStepHeader) (string, string, time.Time) {
	return h.GetOrderNo(), h.GetKey(), ps.optDate(h.GetDate(), "step.date")
}

// OpenRepairOrder implements customsv1.RepairServiceServer.
func (s *RepairServer) OpenRepairOrder(ctx context.Context, r *customsv1.OpenRepairOrderRequest) (*customsv1.OpenRepairOrderResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.OpenRepairOrderResponse, error) {
		var ps parser
		o := repair.Order{InnerNo: r.GetInnerNo(), Book: r.GetBookNo(), List: r.GetListNo(), BookSeq: int(r.GetBookSeq()),
			Quantity: ps.dec(r.GetQuantity(), "quantity"), Group: r.GetGroupProducts(), Remanufacture: r.GetRemanufacture(),
			Date: ps.optDate(r.GetDate(), "date")}
		if ps.err != nil {
			return nil, ps.err
		}
		o, err := s.svc.OpenOrder(ctx, p, o)
		if err != nil {
			return nil, err
		}
		return &customsv1.OpenRepairOrderResponse{Order: repairOrderOut(o)}, nil
	})
}

// ReceiveRepairParts implements customsv1.RepairServiceServer.
func (s *RepairServer) ReceiveRepairParts(ctx context.Context, r *customsv1.ReceiveRepairPartsRequest) (*customsv1.ReceiveRepairPartsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ReceiveRepairPartsResponse, error) {
		var ps parser
		in := repair.PartsIntake{InnerNo: r.GetInnerNo(), Book: r.GetBookNo(), List: r.GetListNo(), BookSeq: int(r.GetBookSeq()),
			Quantity: ps.dec(r.GetQuantity(), "quantity"), Date: ps.optDate(r.GetDate(), "date")}
		if ps.err != nil {
			return nil, ps.err
		}
		in, err := s.svc.ReceiveParts(ctx, p, in)
		if err != nil {
			return nil, err
		}
		return &customsv1.ReceiveRepairPartsResponse{IntakeNo: in.No, Origin: originOut(in.Origin), JournalId: in.JournalID}, nil
	})
}

// RecordRepairTest implements customsv1.RepairServiceServer.
func (s *RepairServer) RecordRepairTest(ctx context.Context, r *customsv1.RecordRepairTestRequest) (*customsv1.RecordRepairTestResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RecordRepairTestResponse, error) {
		var ps parser
		no, key, date := stepHeader(&ps, r.GetStep())
		if ps.err != nil {
			return nil, ps.err
		}
		o, err := s.svc.RecordTest(ctx, p, no, key, date, r.GetFindings())
		if err != nil {
			return nil, err
		}
		return &customsv1.RecordRepairTestResponse{Order: repairOrderOut(o)}, nil
	})
}

// ConsumeRepairParts implements customsv1.RepairServiceServer.
func (s *RepairServer) ConsumeRepairParts(ctx context.Context, r *customsv1.ConsumeRepairPartsRequest) (*customsv1.ConsumeRepairPartsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ConsumeRepairPartsResponse, error) {
		var ps parser
		no, key, date := stepHeader(&ps, r.GetStep())
		var uses []repair.PartUse
		for i, u := range r.GetUses() {
			uses = append(uses, repair.PartUse{BookSeq: int(u.GetBookSeq()), Quantity: ps.dec(u.GetQuantity(), "uses["+strconv.Itoa(i)+"].quantity"),
				Origin: repairOrigins[u.GetOrigin()]})
		}
		if ps.err != nil {
			return nil, ps.err
		}
		o, err := s.svc.ConsumeParts(ctx, p, no, key, date, uses)
		if err != nil {
			return nil, err
		}
		return &customsv1.ConsumeRepairPartsResponse{Order: repairOrderOut(o)}, nil
	})
}

// RemoveRepairParts implements customsv1.RepairServiceServer.
func (s *RepairServer) RemoveRepairParts(ctx context.Context, r *customsv1.RemoveRepairPartsRequest) (*customsv1.RemoveRepairPartsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RemoveRepairPartsResponse, error) {
		var ps parser
		no, key, date := stepHeader(&ps, r.GetStep())
		var rm []repair.Removed
		for i, x := range r.GetRemoved() {
			f := "removed[" + strconv.Itoa(i) + "]"
			rm = append(rm, repair.Removed{BookSeq: int(x.GetBookSeq()), Quantity: ps.dec(x.GetQuantity(), f+".quantity"), Scrap: x.GetScrap(),
				Value: ps.optDec(x.GetValue(), f+".value")})
		}
		if ps.err != nil {
			return nil, ps.err
		}
		o, err := s.svc.RemoveParts(ctx, p, no, key, date, rm)
		if err != nil {
			return nil, err
		}
		return &customsv1.RemoveRepairPartsResponse{Order: repairOrderOut(o)}, nil
	})
}

// FinishRepair implements customsv1.RepairServiceServer.
func (s *RepairServer) FinishRepair(ctx context.Context, r *customsv1.FinishRepairRequest) (*customsv1.FinishRepairResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.FinishRepairResponse, error) {
		var ps parser
		no, key, date := stepHeader(&ps, r.GetStep())
		rep, unrep := ps.optDec(r.GetRepaired(), "repaired"), ps.optDec(r.GetUnrepairable(), "unrepairable")
		if ps.err != nil {
			return nil, ps.err
		}
		o, err := s.svc.Finish(ctx, p, no, key, date, rep, unrep)
		if err != nil {
			return nil, err
		}
		return &customsv1.FinishRepairResponse{Order: repairOrderOut(o)}, nil
	})
}

// ExitRepairGoods implements customsv1.RepairServiceServer.
func (s *RepairServer) ExitRepairGoods(ctx context.Context, r *customsv1.ExitRepairGoodsRequest) (*customsv1.ExitRepairGoodsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ExitRepairGoodsResponse, error) {
		var ps parser
		no, key, date := stepHeader(&ps, r.GetStep())
		e := repair.Exit{Section: repairSections[r.GetSection()], BookSeq: int(r.GetBookSeq()), Quantity: ps.dec(r.GetQuantity(), "quantity"),
			Way: repair.Way(ps.enum(customsv1.RepairExitWay_name, "REPAIR_EXIT_WAY_", int32(r.GetWay()), "way")), TradeMode: r.GetTradeMode(), Reference: r.GetReference()}
		if ps.err != nil {
			return nil, ps.err
		}
		o, err := s.svc.ExitGoods(ctx, p, no, key, date, e)
		if err != nil {
			return nil, err
		}
		return &customsv1.ExitRepairGoodsResponse{Order: repairOrderOut(o)}, nil
	})
}

// GetRepairOrder implements customsv1.RepairServiceServer.
func (s *RepairServer) GetRepairOrder(ctx context.Context, r *customsv1.GetRepairOrderRequest) (*customsv1.GetRepairOrderResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetRepairOrderResponse, error) {
		o, err := s.svc.GetOrder(ctx, p, r.GetOrderNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetRepairOrderResponse{Order: repairOrderOut(o)}, nil
	})
}

// ListOverdueRepairOrders implements customsv1.RepairServiceServer.
func (s *RepairServer) ListOverdueRepairOrders(ctx context.Context, r *customsv1.ListOverdueRepairOrdersRequest) (*customsv1.ListOverdueRepairOrdersResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListOverdueRepairOrdersResponse, error) {
		var ps parser
		asOf := ps.optDate(r.GetAsOf(), "as_of")
		if ps.err != nil {
			return nil, ps.err
		}
		os, err := s.svc.ListOverdue(ctx, p, r.GetBookNo(), asOf)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListOverdueRepairOrdersResponse{}
		for _, o := range os {
			out.Orders = append(out.Orders, repairOrderOut(o))
		}
		return out, nil
	})
}

// GetRepairStock implements customsv1.RepairServiceServer.
func (s *RepairServer) GetRepairStock(ctx context.Context, r *customsv1.GetRepairStockRequest) (*customsv1.GetRepairStockResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetRepairStockResponse, error) {
		var ps parser
		var asOf *time.Time
		if r.GetAsOf() != "" {
			d := ps.optDate(r.GetAsOf(), "as_of")
			asOf = &d
		}
		if ps.err != nil {
			return nil, ps.err
		}
		lines, err := s.svc.StockReport(ctx, p, r.GetBookNo(), asOf)
		if err != nil {
			return nil, err
		}
		out := &customsv1.GetRepairStockResponse{}
		if asOf != nil {
			out.AsOf = ledger.FormatDate(*asOf)
		}
		for _, l := range lines {
			sl := &customsv1.RepairStockLine{BookSeq: int32(l.BookSeq), Name: l.Name, Unit: l.Unit}
			for _, h := range l.Holdings {
				sl.Holdings = append(sl.Holdings, &customsv1.RepairHolding{Section: sectionOut(h.Section), Origin: originOut(h.Origin), Quantity: qty(h.Quantity)})
			}
			out.Lines = append(out.Lines, sl)
		}
		return out, nil
	})
}

// SetRectification implements customsv1.RepairServiceServer.
func (s *RepairServer) SetRectification(ctx context.Context, r *customsv1.SetRectificationRequest) (*customsv1.SetRectificationResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SetRectificationResponse, error) {
		if err := s.svc.SetRectification(ctx, p, r.GetEnterprise(), r.GetUnderRectification(), r.GetNote()); err != nil {
			return nil, err
		}
		return &customsv1.SetRectificationResponse{}, nil
	})
}
