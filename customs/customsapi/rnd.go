package customsapi

import (
	"context"
	"fmt"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/processing"
	"github.com/zoneledger/zoneledger/ledger"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// RndServer implements customsv1.RndServiceServer over a
// processing.Service: bonded R&D projects and their uses.
type RndServer struct {
	customsv1.UnimplementedRndServiceServer
	svc *processing.Service
}

// NewRndServer returns an RndService over svc.
func NewRndServer(svc *processing.Service) *RndServer { return &RndServer{svc: svc} }

// projectRenames names the project code field as the project requests do.
var projectRenames = map[string]string{"project": "code"}

// FileRndProject implements customsv1.RndServiceServer.
func (s *RndServer) FileRndProject(ctx context.Context, r *customsv1.FileRndProjectRequest) (*customsv1.FileRndProjectResponse, error) {
	return handle(ctx, projectRenames, func(p access.Principal) (*customsv1.FileRndProjectResponse, error) {
		var ps parser
		pr := processing.Project{Book: r.GetBookNo(), Code: r.GetCode(), Name: r.GetName(), Start: ps.optDate(r.GetStart(), "start"), End: ps.optDate(r.GetEnd(), "end")}
		if ps.err != nil {
			return nil, ps.err
		}
		pr, err := s.svc.FileProject(ctx, p, pr)
		if err != nil {
			return nil, err
		}
		return &customsv1.FileRndProjectResponse{Project: projectOut(pr)}, nil
	})
}

// CloseRndProject implements customsv1.RndServiceServer.
func (s *RndServer) CloseRndProject(ctx context.Context, r *customsv1.CloseRndProjectRequest) (*customsv1.CloseRndProjectResponse, error) {
	return handle(ctx, projectRenames, func(p access.Principal) (*customsv1.CloseRndProjectResponse, error) {
		pr, err := s.svc.CloseProject(ctx, p, r.GetBookNo(), r.GetCode())
		if err != nil {
			return nil, err
		}
		return &customsv1.CloseRndProjectResponse{Project: projectOut(pr)}, nil
	})
}

// GetRndProject implements customsv1.RndServiceServer.
func (s *RndServer) GetRndProject(ctx context.Context, r *customsv1.GetRndProjectRequest) (*customsv1.GetRndProjectResponse, error) {
	return handle(ctx, projectRenames, func(p access.Principal) (*customsv1.GetRndProjectResponse, error) {
		u, err := s.svc.GetProject(ctx, p, r.GetBookNo(), r.GetCode())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetRndProjectResponse{Project: projectOut(u.Project), Uses: int32(u.Uses), Consumed: totalsOut(u.Consumed), Made: totalsOut(u.Made)}, nil
	})
}

// FileRndUse implements customsv1.RndServiceServer.
func (s *RndServer) FileRndUse(ctx context.Context, r *customsv1.FileRndUseRequest) (*customsv1.FileRndUseResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.FileRndUseResponse, error) {
		var ps parser
		u := processing.RndUse{InnerNo: r.GetInnerNo(), Book: r.GetBookNo(), Project: r.GetProject(), Date: ps.optDate(r.GetDate(), "date")}
		for i, m := range r.GetMaterials() {
			u.Materials = append(u.Materials, processing.RndMaterial{BookSeq: int(m.GetBookSeq()), Quantity: ps.dec(m.GetQuantity(), fmt.Sprintf("materials[%d].quantity", i)), Lot: m.GetLot()})
		}
		for i, o := range r.GetOutputs() {
			f := fmt.Sprintf("outputs[%d]", i)
			u.Outputs = append(u.Outputs, processing.RndOutput{BookSeq: int(o.GetBookSeq()), Quantity: ps.dec(o.GetQuantity(), f+".quantity"),
				Value: ps.optDec(o.GetValue(), f+".value"), Kind: processing.RndOutputKind(ps.enum(customsv1.RndOutputKind_name, "RND_OUTPUT_KIND_", int32(o.GetKind()), f+".kind"))})
		}
		if ps.err != nil {
			return nil, ps.err
		}
		u, err := s.svc.FileRndUse(ctx, p, u)
		if err != nil {
			return nil, err
		}
		return &customsv1.FileRndUseResponse{Use: rndUseOut(u)}, nil
	})
}

// GetRndUse implements customsv1.RndServiceServer.
func (s *RndServer) GetRndUse(ctx context.Context, r *customsv1.GetRndUseRequest) (*customsv1.GetRndUseResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetRndUseResponse, error) {
		u, err := s.svc.GetRndUse(ctx, p, r.GetUseNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetRndUseResponse{Use: rndUseOut(u)}, nil
	})
}

func projectOut(p processing.Project) *customsv1.RndProject {
	return &customsv1.RndProject{BookNo: p.Book, Code: p.Code, Name: p.Name, Enterprise: p.Enterprise, Start: dateOut(p.Start), End: dateOut(p.End),
		Status:  customsv1.RndProjectStatus(enumOut(customsv1.RndProjectStatus_value, "RND_PROJECT_STATUS_", string(p.Status))),
		FiledBy: p.FiledBy, CreatedAt: ts(p.CreatedAt)}
}

func totalsOut(ts []processing.LineTotal) []*customsv1.RndLineTotal {
	out := make([]*customsv1.RndLineTotal, 0, len(ts))
	for _, t := range ts {
		out = append(out, &customsv1.RndLineTotal{BookSeq: int32(t.BookSeq), Quantity: qty(t.Quantity),
			Kind: customsv1.RndOutputKind(enumOut(customsv1.RndOutputKind_value, "RND_OUTPUT_KIND_", string(t.Kind)))})
	}
	return out
}

func rndUseOut(u processing.RndUse) *customsv1.RndUse {
	out := &customsv1.RndUse{UseNo: u.No, InnerNo: u.InnerNo, Enterprise: u.Enterprise, BookNo: u.Book, Project: u.Project, Date: dateOut(u.Date),
		JournalIds: u.JournalIDs, FiledBy: u.FiledBy, CreatedAt: ts(u.CreatedAt), InputHash: u.InputHash}
	for _, m := range u.Materials {
		out.Materials = append(out.Materials, &customsv1.RndMaterial{BookSeq: int32(m.BookSeq), Quantity: qty(m.Quantity), Lot: m.Lot, Lots: lotsOut(m.Lots)})
	}
	for _, o := range u.Outputs {
		out.Outputs = append(out.Outputs, &customsv1.RndOutput{BookSeq: int32(o.BookSeq), Quantity: qty(o.Quantity), Value: ledger.FormatMoney(o.Value), Lot: o.Lot,
			Kind: customsv1.RndOutputKind(enumOut(customsv1.RndOutputKind_value, "RND_OUTPUT_KIND_", string(o.Kind)))})
	}
	return out
}
