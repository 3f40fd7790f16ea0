package customsapi

import (
	"context"
	"math"
	"strconv"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// DeclarationServer implements customsv1.DeclarationServiceServer over a
// zone.Service.
type DeclarationServer struct {
	customsv1.UnimplementedDeclarationServiceServer
	svc *zone.Service
}

// NewDeclarationServer returns a DeclarationService over svc.
func NewDeclarationServer(svc *zone.Service) *DeclarationServer { return &DeclarationServer{svc: svc} }

// formRenames maps the domain's form field names to the wire's.
var formRenames = map[string]string{"type": "form_type"}

// CreateList implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) CreateList(ctx context.Context, r *customsv1.CreateListRequest) (*customsv1.CreateListResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.CreateListResponse, error) {
		l, err := listIn(r)
		if err != nil {
			return nil, err
		}
		if l, err = s.svc.CreateList(ctx, p, l); err != nil {
			return nil, err
		}
		return &customsv1.CreateListResponse{List: listOut(l)}, nil
	})
}

// DeclareList implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) DeclareList(ctx context.Context, r *customsv1.DeclareListRequest) (*customsv1.DeclareListResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.DeclareListResponse, error) {
		l, err := s.svc.DeclareList(ctx, p, r.GetListNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.DeclareListResponse{List: listOut(l)}, nil
	})
}

// ApproveList implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) ApproveList(ctx context.Context, r *customsv1.ApproveListRequest) (*customsv1.ApproveListResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ApproveListResponse, error) {
		l, err := s.svc.ApproveList(ctx, p, r.GetListNo(), r.GetNote())
		if err != nil {
			return nil, err
		}
		return &customsv1.ApproveListResponse{List: listOut(l)}, nil
	})
}

// ReturnList implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) ReturnList(ctx context.Context, r *customsv1.ReturnListRequest) (*customsv1.ReturnListResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ReturnListResponse, error) {
		l, err := s.svc.ReturnList(ctx, p, r.GetListNo(), r.GetNote())
		if err != nil {
			return nil, err
		}
		return &customsv1.ReturnListResponse{List: listOut(l)}, nil
	})
}

// DeleteList implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) DeleteList(ctx context.Context, r *customsv1.DeleteListRequest) (*customsv1.DeleteListResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.DeleteListResponse, error) {
		l, err := s.svc.DeleteList(ctx, p, r.GetListNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.DeleteListResponse{List: listOut(l)}, nil
	})
}

// ClearList implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) ClearList(ctx context.Context, r *customsv1.ClearListRequest) (*customsv1.ClearListResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ClearListResponse, error) {
		l, err := s.svc.ClearList(ctx, p, r.GetListNo(), r.GetDeclarationNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.ClearListResponse{List: listOut(l)}, nil
	})
}

// GetList implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) GetList(ctx context.Context, r *customsv1.GetListRequest) (*customsv1.GetListResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetListResponse, error) {
		l, err := s.svc.GetList(ctx, p, r.GetListNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetListResponse{List: listOut(l)}, nil
	})
}

// ListLists implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) ListLists(ctx context.Context, r *customsv1.ListListsRequest) (*customsv1.ListListsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListListsResponse, error) {
		var ps parser
		status := ps.enum(customsv1.ListStatus_name, "LIST_STATUS_", int32(r.GetStatus()), "status")
		if ps.err != nil {
			return nil, ps.err
		}
		f, err := filterIn(r.GetBookNo(), r.GetEnterprise(), status, r.GetPageToken(), r.GetPageSize())
		if err != nil {
			return nil, err
		}
		f.CustomsNo = r.GetCustomsNo()
		ls, err := s.svc.ListLists(ctx, p, f)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListListsResponse{}
		for _, l := range ls {
			out.Lists = append(out.Lists, listOut(l))
		}
		if len(ls) > 0 {
			out.NextPageToken = grpcedge.NextPageToken(len(ls), f.Limit, ls[len(ls)-1].No)
		}
		return out, nil
	})
}

// CreateForm implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) CreateForm(ctx context.Context, r *customsv1.CreateFormRequest) (*customsv1.CreateFormResponse, error) {
	return handle(ctx, formRenames, func(p access.Principal) (*customsv1.CreateFormResponse, error) {
		f, err := formIn(r)
		if err != nil {
			return nil, err
		}
		if f, err = s.svc.CreateForm(ctx, p, f); err != nil {
			return nil, err
		}
		return &customsv1.CreateFormResponse{Form: formOut(f)}, nil
	})
}

// GetForm implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) GetForm(ctx context.Context, r *customsv1.GetFormRequest) (*customsv1.GetFormResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetFormResponse, error) {
		f, err := s.svc.GetForm(ctx, p, r.GetFormNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetFormResponse{Form: formOut(f)}, nil
	})
}

// CreateSlip implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) CreateSlip(ctx context.Context, r *customsv1.CreateSlipRequest) (*customsv1.CreateSlipResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.CreateSlipResponse, error) {
		sl, err := slipIn(r)
		if err != nil {
			return nil, err
		}
		if sl, err = s.svc.CreateSlip(ctx, p, sl); err != nil {
			return nil, err
		}
		return &customsv1.CreateSlipResponse{Slip: slipOut(sl)}, nil
	})
}

// GetSlip implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) GetSlip(ctx context.Context, r *customsv1.GetSlipRequest) (*customsv1.GetSlipResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetSlipResponse, error) {
		sl, err := s.svc.GetSlip(ctx, p, r.GetSlipNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetSlipResponse{Slip: slipOut(sl)}, nil
	})
}

// ListPendingTrips implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) ListPendingTrips(ctx context.Context, r *customsv1.ListPendingTripsRequest) (*customsv1.ListPendingTripsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListPendingTripsResponse, error) {
		var ps parser
		asOf := ps.optDate(r.GetAsOf(), "as_of")
		if ps.err != nil {
			return nil, ps.err
		}
		trips, err := s.svc.PendingTrips(ctx, p, r.GetBookNo(), asOf)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListPendingTripsResponse{}
		for _, t := range trips {
			out.Trips = append(out.Trips, tripOut(t))
		}
		return out, nil
	})
}

// ReportConsumption implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) ReportConsumption(ctx context.Context, r *customsv1.ReportConsumptionRequest) (*customsv1.ReportConsumptionResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ReportConsumptionResponse, error) {
		rep, err := reportIn(r)
		if err != nil {
			return nil, err
		}
		if rep, err = s.svc.ReportConsumption(ctx, p, rep); err != nil {
			return nil, err
		}
		return &customsv1.ReportConsumptionResponse{Report: reportOut(rep)}, nil
	})
}

// RequestCertificate implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) RequestCertificate(ctx context.Context, r *customsv1.RequestCertificateRequest) (*customsv1.RequestCertificateResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RequestCertificateResponse, error) {
		c, err := s.svc.RequestCertificate(ctx, p, r.GetListNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.RequestCertificateResponse{Certificate: certificateOut(c)}, nil
	})
}

// ListTaxableEvents implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) ListTaxableEvents(ctx context.Context, r *customsv1.ListTaxableEventsRequest) (*customsv1.ListTaxableEventsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListTaxableEventsResponse, error) {
		var ps parser
		from, to := ps.optDate(r.GetFromDate(), "from_date"), ps.optDate(r.GetToDate(), "to_date")
		if ps.err != nil {
			return nil, ps.err
		}
		after, err := grpcedge.DecodeIntPageToken(r.GetPageToken(), math.MaxInt64)
		if err != nil {
			return nil, err
		}
		n := grpcedge.PageSize(r.GetPageSize())
		evs, err := s.svc.ListTaxableEvents(ctx, p, r.GetBookNo(), from, to, after, n)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListTaxableEventsResponse{}
		for _, e := range evs {
			out.Events = append(out.Events, taxableEventOut(e))
		}
		if len(evs) > 0 {
			out.NextPageToken = grpcedge.NextPageToken(len(evs), n, strconv.FormatInt(evs[len(evs)-1].ID, 10))
		}
		return out, nil
	})
}
