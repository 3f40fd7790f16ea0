package customsapi

import (
	"context"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// GateServer implements customsv1.GateServiceServer over a zone.Service.
type GateServer struct {
	customsv1.UnimplementedGateServiceServer
	svc *zone.Service
}

// NewGateServer returns a GateService over svc.
func NewGateServer(svc *zone.Service) *GateServer { return &GateServer{svc: svc} }

// CreatePass implements customsv1.GateServiceServer.
func (s *GateServer) CreatePass(ctx context.Context, r *customsv1.CreatePassRequest) (*customsv1.CreatePassResponse, error) {
	return handle(ctx, passRenames, func(p access.Principal) (*customsv1.CreatePassResponse, error) {
		ps, err := passIn(r)
		if err != nil {
			return nil, err
		}
		if ps, err = s.svc.CreatePass(ctx, p, ps); err != nil {
			return nil, err
		}
		return &customsv1.CreatePassResponse{Pass: passOut(ps)}, nil
	})
}

// DeletePass implements customsv1.GateServiceServer.
func (s *GateServer) DeletePass(ctx context.Context, r *customsv1.DeletePassRequest) (*customsv1.DeletePassResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.DeletePassResponse, error) {
		ps, err := s.svc.DeletePass(ctx, p, r.GetPassNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.DeletePassResponse{Pass: passOut(ps)}, nil
	})
}

// RecordGateEvent implements customsv1.GateServiceServer.
func (s *GateServer) RecordGateEvent(ctx context.Context, r *customsv1.RecordGateEventRequest) (*customsv1.RecordGateEventResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RecordGateEventResponse, error) {
		ev, err := gateEventIn(r)
		if err != nil {
			return nil, err
		}
		ps, err := s.svc.RecordGateEvent(ctx, p, r.GetPassNo(), ev)
		if err != nil {
			return nil, err
		}
		return &customsv1.RecordGateEventResponse{Pass: passOut(ps)}, nil
	})
}

// ReleaseHold implements customsv1.GateServiceServer.
func (s *GateServer) ReleaseHold(ctx context.Context, r *customsv1.ReleaseHoldRequest) (*customsv1.ReleaseHoldResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ReleaseHoldResponse, error) {
		ps, err := s.svc.ReleaseHold(ctx, p, r.GetPassNo(), r.GetNote())
		if err != nil {
			return nil, err
		}
		return &customsv1.ReleaseHoldResponse{Pass: passOut(ps)}, nil
	})
}

// RejectHold implements customsv1.GateServiceServer.
func (s *GateServer) RejectHold(ctx context.Context, r *customsv1.RejectHoldRequest) (*customsv1.RejectHoldResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RejectHoldResponse, error) {
		ps, err := s.svc.RejectHold(ctx, p, r.GetPassNo(), r.GetNote())
		if err != nil {
			return nil, err
		}
		return &customsv1.RejectHoldResponse{Pass: passOut(ps)}, nil
	})
}

// GetPass implements customsv1.GateServiceServer.
func (s *GateServer) GetPass(ctx context.Context, r *customsv1.GetPassRequest) (*customsv1.GetPassResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetPassResponse, error) {
		ps, err := s.svc.GetPass(ctx, p, r.GetPassNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetPassResponse{Pass: passOut(ps)}, nil
	})
}

// ListPasses implements customsv1.GateServiceServer.
func (s *GateServer) ListPasses(ctx context.Context, r *customsv1.ListPassesRequest) (*customsv1.ListPassesResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListPassesResponse, error) {
		var ps parser
		status := ps.enum(customsv1.PassStatus_name, "PASS_STATUS_", int32(r.GetStatus()), "status")
		if ps.err != nil {
			return nil, ps.err
		}
		f, err := filterIn(r.GetBookNo(), r.GetEnterprise(), status, r.GetPageToken(), r.GetPageSize())
		if err != nil {
			return nil, err
		}
		passes, err := s.svc.ListPasses(ctx, p, f)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListPassesResponse{}
		for _, x := range passes {
			out.Passes = append(out.Passes, passOut(x))
		}
		if len(passes) > 0 {
			out.NextPageToken = grpcedge.NextPageToken(len(passes), f.Limit, passes[len(passes)-1].No)
		}
		return out, nil
	})
}
