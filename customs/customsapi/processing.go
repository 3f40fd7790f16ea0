package customsapi

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/processing"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// ProcessingServer implements customsv1.ProcessingServiceServer over a
// processing.Service: unit consumption versions and production reports.
type ProcessingServer struct {
	customsv1.UnimplementedProcessingServiceServer
	svc *processing.Service
	// today is the zone's business date now, for GetVersion without a
	// date.
	today func() time.Time
}

// NewProcessingServer returns a ProcessingService over svc; today gives
// the zone's business date (nil: the UTC date).
func NewProcessingServer(svc *processing.Service, today func() time.Time) *ProcessingServer {
	if today == nil {
		today = func() time.Time { return ledger.Day(time.Now().UTC()) }
	}
	return &ProcessingServer{svc: svc, today: today}
}

// PutVersion implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) PutVersion(ctx context.Context, r *customsv1.PutVersionRequest) (*customsv1.PutVersionResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.PutVersionResponse, error) {
		var ps parser
		v := processing.Version{Book: r.GetBookNo(), FinishedSeq: int(r.GetFinishedSeq()), Version: r.GetVersion(),
			EffectiveDate: ps.optDate(r.GetEffectiveDate(), "effective_date")}
		for i, n := range r.GetNorms() {
			f := fmt.Sprintf("norms[%d]", i)
			v.Norms = append(v.Norms, processing.Norm{MaterialSeq: int(n.GetMaterialSeq()), Net: ps.dec(n.GetNet(), f+".net"),
				LossPercent: ps.optDec(n.GetLossPercent(), f+".loss_percent"), BondedPercent: ps.optDec(n.GetBondedPercent(), f+".bonded_percent")})
		}
		if ps.err != nil {
			return nil, ps.err
		}
		v, err := s.svc.PutVersion(ctx, p, v)
		if err != nil {
			return nil, err
		}
		return &customsv1.PutVersionResponse{Version: versionOut(v)}, nil
	})
}

// DeclareVersion implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) DeclareVersion(ctx context.Context, r *customsv1.DeclareVersionRequest) (*customsv1.DeclareVersionResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.DeclareVersionResponse, error) {
		v, err := s.svc.DeclareVersion(ctx, p, r.GetBookNo(), int(r.GetFinishedSeq()), r.GetVersion())
		if err != nil {
			return nil, err
		}
		return &customsv1.DeclareVersionResponse{Version: versionOut(v)}, nil
	})
}

// GetVersion implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) GetVersion(ctx context.Context, r *customsv1.GetVersionRequest) (*customsv1.GetVersionResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetVersionResponse, error) {
		var v processing.Version
		var err error
		if r.GetVersion() != "" {
			v, err = s.svc.GetVersion(ctx, p, r.GetBookNo(), int(r.GetFinishedSeq()), r.GetVersion())
		} else {
			var ps parser
			day := ps.optDate(r.GetDate(), "date")
			if ps.err != nil {
				return nil, ps.err
			}
			if day.IsZero() {
				day = s.today()
			}
			v, err = s.svc.VersionInForce(ctx, p, r.GetBookNo(), int(r.GetFinishedSeq()), day)
		}
		if err != nil {
			return nil, err
		}
		return &customsv1.GetVersionResponse{Version: versionOut(v)}, nil
	})
}

// ListVersions implements customsv1.ProcessingServiceServer. The page
// token carries the last version's good and effective date.
func (s *ProcessingServer) ListVersions(ctx context.Context, r *customsv1.ListVersionsRequest) (*customsv1.ListVersionsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListVersionsResponse, error) {
		pg := processing.VersionPage{Limit: grpcedge.PageSize(r.GetPageSize()), UsedNotDeclared: r.GetUsedNotDeclared()}
		if tok, err := grpcedge.DecodePageToken(r.GetPageToken()); err != nil {
			return nil, err
		} else if tok != "" {
			seq, date, ok := strings.Cut(tok, "/")
			n, err := strconv.Atoi(seq)
			t, derr := time.Parse(time.DateOnly, date)
			if !ok || err != nil || derr != nil || n < 0 {
				return nil, ledger.BadArgument("page_token", "is not a token this server issued; pass next_page_token back unchanged")
			}
			pg.AfterSeq, pg.AfterDate = n, t
		}
		vs, err := s.svc.ListVersions(ctx, p, r.GetBookNo(), int(r.GetFinishedSeq()), pg)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListVersionsResponse{}
		for _, v := range vs {
			out.Versions = append(out.Versions, versionOut(v))
		}
		if len(vs) > 0 {
			last := vs[len(vs)-1]
			out.NextPageToken = grpcedge.NextPageToken(len(vs), pg.Limit, fmt.Sprintf("%d/%s", last.FinishedSeq, ledger.FormatDate(last.EffectiveDate)))
		}
		return out, nil
	})
}

// FileProductionReport implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) FileProductionReport(ctx context.Context, r *customsv1.FileProductionReportRequest) (*customsv1.FileProductionReportResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.FileProductionReportResponse, error) {
		var ps parser
		rep := processing.Report{InnerNo: r.GetInnerNo(), Book: r.GetBookNo(), Date: ps.optDate(r.GetDate(), "date"),
			Basis:       processing.Basis(ps.enum(customsv1.ConsumptionBasis_name, "CONSUMPTION_BASIS_", int32(r.GetBasis()), "basis")),
			Entrustment: r.GetEntrustmentNo()}
		for i, o := range r.GetOutputs() {
			f := fmt.Sprintf("outputs[%d]", i)
			rep.Outputs = append(rep.Outputs, processing.Output{BookSeq: int(o.GetBookSeq()), Quantity: ps.dec(o.GetQuantity(), f+".quantity"),
				Value: ps.optDec(o.GetValue(), f+".value"), Version: o.GetVersion(),
				Category: processing.Category(ps.enum(customsv1.ProductionCategory_name, "PRODUCTION_CATEGORY_", int32(o.GetCategory()), f+".category"))})
		}
		for i, m := range r.GetMaterials() {
			f := fmt.Sprintf("materials[%d]", i)
			rep.Materials = append(rep.Materials, processing.MaterialUse{BookSeq: int(m.GetBookSeq()), Quantity: ps.optDec(m.GetQuantity(), f+".quantity"),
				NonBonded: ps.optDec(m.GetNonBonded(), f+".non_bonded"), Loss: ps.optDec(m.GetLoss(), f+".loss"), Lot: m.GetLot()})
		}
		if ps.err != nil {
			return nil, ps.err
		}
		rep, err := s.svc.FileReport(ctx, p, rep)
		if err != nil {
			return nil, err
		}
		return &customsv1.FileProductionReportResponse{Report: productionReportOut(rep)}, nil
	})
}

// GetProductionReport implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) GetProductionReport(ctx context.Context, r *customsv1.GetProductionReportRequest) (*customsv1.GetProductionReportResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetProductionReportResponse, error) {
		rep, err := s.svc.GetReport(ctx, p, r.GetReportNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetProductionReportResponse{Report: productionReportOut(rep)}, nil
	})
}

// ListProductionReports implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) ListProductionReports(ctx context.Context, r *customsv1.ListProductionReportsRequest) (*customsv1.ListProductionReportsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListProductionReportsResponse, error) {
		after, err := grpcedge.DecodePageToken(r.GetPageToken())
		if err != nil {
			return nil, err
		}
		size := grpcedge.PageSize(r.GetPageSize())
		reps, err := s.svc.ListReports(ctx, p, r.GetBookNo(), after, size)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListProductionReportsResponse{}
		for _, rep := range reps {
			out.Reports = append(out.Reports, productionReportOut(rep))
		}
		if len(reps) > 0 {
			out.NextPageToken = grpcedge.NextPageToken(len(reps), size, reps[len(reps)-1].No)
		}
		return out, nil
	})
}

func versionOut(v processing.Version) *customsv1.Version {
	out := &customsv1.Version{BookNo: v.Book, FinishedSeq: int32(v.FinishedSeq), Version: v.Version, EffectiveDate: dateOut(v.EffectiveDate),
		Status: customsv1.VersionStatus(enumOut(customsv1.VersionStatus_value, "VERSION_STATUS_", string(v.Status))), UsedBy: v.UsedBy,
		UsedThrough: dateOut(v.UsedThrough), SupersededBy: v.SupersededBy, SupersededFrom: dateOut(v.SupersededFrom), Enterprise: v.Enterprise,
		FiledBy: v.FiledBy, CreatedAt: ts(v.CreatedAt), DeclaredAt: ts(v.DeclaredAt)}
	for _, n := range v.Norms {
		out.Norms = append(out.Norms, &customsv1.Norm{MaterialSeq: int32(n.MaterialSeq), Net: n.Net.String(), LossPercent: n.LossPercent.String(),
			BondedPercent: n.BondedPercent.String(), UnitConsumption: n.UnitConsumption.String(), UnitConsumptionExact: n.UnitConsumptionExact})
	}
	return out
}

func productionReportOut(r processing.Report) *customsv1.ProductionReport {
	out := &customsv1.ProductionReport{ReportNo: r.No, InnerNo: r.InnerNo, Enterprise: r.Enterprise, BookNo: r.Book, Date: dateOut(r.Date),
		Basis:      customsv1.ConsumptionBasis(enumOut(customsv1.ConsumptionBasis_value, "CONSUMPTION_BASIS_", string(r.Basis))),
		JournalIds: r.JournalIDs, FiledBy: r.FiledBy, CreatedAt: ts(r.CreatedAt), InputHash: r.InputHash, EntrustmentNo: r.Entrustment}
	for _, o := range r.Outputs {
		out.Outputs = append(out.Outputs, &customsv1.ProductionOutput{BookSeq: int32(o.BookSeq), Quantity: qty(o.Quantity), Value: ledger.FormatMoney(o.Value), Version: o.Version, Lot: o.Lot,
			Category: customsv1.ProductionCategory(enumOut(customsv1.ProductionCategory_value, "PRODUCTION_CATEGORY_", string(o.Category)))})
	}
	for _, m := range r.Materials {
		pm := &customsv1.ProductionMaterial{BookSeq: int32(m.BookSeq), Lot: m.Lot}
		if r.Basis == processing.BasisActual {
			pm.Quantity, pm.NonBonded, pm.Loss = qty(m.Quantity), qty(m.NonBonded), qty(m.Loss)
		}
		out.Materials = append(out.Materials, pm)
	}
	for _, c := range r.Consumed {
		out.Consumed = append(out.Consumed, &customsv1.ProductionConsumed{BookSeq: int32(c.BookSeq), Bonded: qty(c.Bonded), NonBonded: qty(c.NonBonded),
			Loss: qty(c.Loss), Lots: lotsOut(c.Lots)})
	}
	return out
}

// RequestDestruction implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) RequestDestruction(ctx context.Context, r *customsv1.RequestDestructionRequest) (*customsv1.RequestDestructionResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RequestDestructionResponse, error) {
		var ps parser
		d := processing.Destruction{InnerNo: r.GetInnerNo(), Book: r.GetBookNo(), Date: ps.optDate(r.GetDate(), "date"), Reason: r.GetReason(),
			ResidueValue: ps.optDec(r.GetResidueValue(), "residue_value"), ResidueHSCode: r.GetResidueHsCode()}
		for i, l := range r.GetLines() {
			d.Lines = append(d.Lines, processing.DestroyLine{BookSeq: int(l.GetBookSeq()), Quantity: ps.dec(l.GetQuantity(), fmt.Sprintf("lines[%d].quantity", i)), Lot: l.GetLot()})
		}
		if ps.err != nil {
			return nil, ps.err
		}
		d, err := s.svc.RequestDestruction(ctx, p, d)
		if err != nil {
			return nil, err
		}
		return &customsv1.RequestDestructionResponse{Destruction: destructionOut(d)}, nil
	})
}

// ApproveDestruction implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) ApproveDestruction(ctx context.Context, r *customsv1.ApproveDestructionRequest) (*customsv1.ApproveDestructionResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ApproveDestructionResponse, error) {
		d, err := s.svc.ApproveDestruction(ctx, p, r.GetDestructionNo(), r.GetNote())
		if err != nil {
			return nil, err
		}
		return &customsv1.ApproveDestructionResponse{Destruction: destructionOut(d)}, nil
	})
}

// RejectDestruction implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) RejectDestruction(ctx context.Context, r *customsv1.RejectDestructionRequest) (*customsv1.RejectDestructionResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RejectDestructionResponse, error) {
		d, err := s.svc.RejectDestruction(ctx, p, r.GetDestructionNo(), r.GetNote())
		if err != nil {
			return nil, err
		}
		return &customsv1.RejectDestructionResponse{Destruction: destructionOut(d)}, nil
	})
}

// GetDestruction implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) GetDestruction(ctx context.Context, r *customsv1.GetDestructionRequest) (*customsv1.GetDestructionResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetDestructionResponse, error) {
		d, err := s.svc.GetDestruction(ctx, p, r.GetDestructionNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetDestructionResponse{Destruction: destructionOut(d)}, nil
	})
}

func destructionOut(d processing.Destruction) *customsv1.Destruction {
	out := &customsv1.Destruction{DestructionNo: d.No, InnerNo: d.InnerNo, Enterprise: d.Enterprise, BookNo: d.Book, Date: dateOut(d.Date),
		Reason: d.Reason, ResidueValue: ledger.FormatMoney(d.ResidueValue),
		Status: customsv1.DestructionStatus(enumOut(customsv1.DestructionStatus_value, "DESTRUCTION_STATUS_", string(d.Status))),
		Note:   d.Note, ApprovedBy: d.ApprovedBy, JournalIds: d.JournalIDs, FiledBy: d.FiledBy, CreatedAt: ts(d.CreatedAt), InputHash: d.InputHash,
		ResidueHsCode: d.ResidueHSCode, ResidueEventId: d.ResidueEvent}
	for _, l := range d.Lines {
		out.Lines = append(out.Lines, &customsv1.DestroyLine{BookSeq: int32(l.BookSeq), Quantity: qty(l.Quantity), Lot: l.Lot, Lots: lotsOut(l.Lots)})
	}
	return out
}

// FileEntrustment implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) FileEntrustment(ctx context.Context, r *customsv1.FileEntrustmentRequest) (*customsv1.FileEntrustmentResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.FileEntrustmentResponse, error) {
		var ps parser
		e := processing.Entrustment{InnerNo: r.GetInnerNo(), Book: r.GetBookNo(), Client: r.GetClient(), ClientName: r.GetClientName(), Date: ps.optDate(r.GetDate(), "date")}
		if ps.err != nil {
			return nil, ps.err
		}
		e, err := s.svc.FileEntrustment(ctx, p, e)
		if err != nil {
			return nil, err
		}
		return &customsv1.FileEntrustmentResponse{Entrustment: entrustmentOut(e)}, nil
	})
}

// GetEntrustment implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) GetEntrustment(ctx context.Context, r *customsv1.GetEntrustmentRequest) (*customsv1.GetEntrustmentResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetEntrustmentResponse, error) {
		e, err := s.svc.GetEntrustment(ctx, p, r.GetEntrustmentNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetEntrustmentResponse{Entrustment: entrustmentOut(e)}, nil
	})
}

// ReceiveEntrusted implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) ReceiveEntrusted(ctx context.Context, r *customsv1.ReceiveEntrustedRequest) (*customsv1.ReceiveEntrustedResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ReceiveEntrustedResponse, error) {
		var ps parser
		m := processing.EntrustedMove{InnerNo: r.GetInnerNo(), Entrustment: r.GetEntrustmentNo(), Reference: r.GetReference(), Date: ps.optDate(r.GetDate(), "date"),
			Via: ps.enum(customsv1.EntrustedVia_name, "ENTRUSTED_VIA_", int32(r.GetVia()), "via"), Lines: entrustedLinesIn(&ps, r.GetLines())}
		if ps.err != nil {
			return nil, ps.err
		}
		m, err := s.svc.ReceiveEntrusted(ctx, p, m)
		if err != nil {
			return nil, err
		}
		return &customsv1.ReceiveEntrustedResponse{Move: entrustedMoveOut(m)}, nil
	})
}

// ReturnEntrusted implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) ReturnEntrusted(ctx context.Context, r *customsv1.ReturnEntrustedRequest) (*customsv1.ReturnEntrustedResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ReturnEntrustedResponse, error) {
		var ps parser
		m := processing.EntrustedMove{InnerNo: r.GetInnerNo(), Entrustment: r.GetEntrustmentNo(), Reference: r.GetReference(), Date: ps.optDate(r.GetDate(), "date"),
			Via: processing.ViaGateRegistration, Lines: entrustedLinesIn(&ps, r.GetLines())}
		if ps.err != nil {
			return nil, ps.err
		}
		m, err := s.svc.ReturnEntrusted(ctx, p, m)
		if err != nil {
			return nil, err
		}
		return &customsv1.ReturnEntrustedResponse{Move: entrustedMoveOut(m)}, nil
	})
}

// GetEntrustedMove implements customsv1.ProcessingServiceServer.
func (s *ProcessingServer) GetEntrustedMove(ctx context.Context, r *customsv1.GetEntrustedMoveRequest) (*customsv1.GetEntrustedMoveResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetEntrustedMoveResponse, error) {
		m, err := s.svc.GetEntrustedMove(ctx, p, r.GetMoveNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetEntrustedMoveResponse{Move: entrustedMoveOut(m)}, nil
	})
}

func entrustedLinesIn(ps *parser, ls []*customsv1.EntrustedLine) []processing.EntrustedLine {
	var out []processing.EntrustedLine
	for i, l := range ls {
		f := fmt.Sprintf("lines[%d]", i)
		out = append(out, processing.EntrustedLine{BookSeq: int(l.GetBookSeq()), Quantity: ps.dec(l.GetQuantity(), f+".quantity"),
			Value: ps.optDec(l.GetValue(), f+".value"), Lot: l.GetLot()})
	}
	return out
}

func entrustmentOut(e processing.Entrustment) *customsv1.Entrustment {
	out := &customsv1.Entrustment{EntrustmentNo: e.No, InnerNo: e.InnerNo, Enterprise: e.Enterprise, BookNo: e.Book, Client: e.Client, ClientName: e.ClientName,
		Date: dateOut(e.Date), BondedValue: ledger.FormatMoney(e.BondedValue), BondedTaxed: ledger.FormatMoney(e.BondedTaxed), ReportNos: e.Reports, FiledBy: e.FiledBy, CreatedAt: ts(e.CreatedAt)}
	for _, h := range e.Held {
		out.Held = append(out.Held, &customsv1.EntrustedHolding{BookSeq: int32(h.BookSeq), Quantity: qty(h.Quantity), Value: ledger.FormatMoney(h.Value)})
	}
	return out
}

func entrustedMoveOut(m processing.EntrustedMove) *customsv1.EntrustedMove {
	out := &customsv1.EntrustedMove{MoveNo: m.No, InnerNo: m.InnerNo, Enterprise: m.Enterprise, BookNo: m.Book, EntrustmentNo: m.Entrustment, Kind: m.Kind,
		Date: dateOut(m.Date), Via: customsv1.EntrustedVia(enumOut(customsv1.EntrustedVia_value, "ENTRUSTED_VIA_", m.Via)), Reference: m.Reference,
		JournalIds: m.JournalIDs, EventIds: m.Events, FiledBy: m.FiledBy, CreatedAt: ts(m.CreatedAt)}
	for _, l := range m.Lines {
		out.Lines = append(out.Lines, &customsv1.EntrustedLine{BookSeq: int32(l.BookSeq), Quantity: qty(l.Quantity), Value: ledger.FormatMoney(l.Value), Lot: l.Lot,
			Lots: lotsOut(l.Lots), BondedValue: ledger.FormatMoney(l.BondedValue)})
	}
	return out
}
