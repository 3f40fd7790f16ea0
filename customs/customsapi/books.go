package customsapi

import (
	"context"
	"math"
	"strconv"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// BookServer implements customsv1.BookServiceServer over a zone.Service.
type BookServer struct {
	customsv1.UnimplementedBookServiceServer
	svc *zone.Service
}

// NewBookServer returns a BookService over svc.
func NewBookServer(svc *zone.Service) *BookServer { return &BookServer{svc: svc} }

// RegisterEnterprise implements customsv1.BookServiceServer.
func (s *BookServer) RegisterEnterprise(ctx context.Context, r *customsv1.RegisterEnterpriseRequest) (*customsv1.RegisterEnterpriseResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RegisterEnterpriseResponse, error) {
		e, err := enterpriseIn(r)
		if err != nil {
			return nil, err
		}
		if e, err = s.svc.RegisterEnterprise(ctx, p, e); err != nil {
			return nil, err
		}
		return &customsv1.RegisterEnterpriseResponse{Enterprise: enterpriseOut(e)}, nil
	})
}

// SetEnterpriseSuspended implements customsv1.BookServiceServer.
func (s *BookServer) SetEnterpriseSuspended(ctx context.Context, r *customsv1.SetEnterpriseSuspendedRequest) (*customsv1.SetEnterpriseSuspendedResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SetEnterpriseSuspendedResponse, error) {
		e, err := s.svc.SetEnterpriseSuspended(ctx, p, r.GetUscc(), r.GetSuspended())
		if err != nil {
			return nil, err
		}
		return &customsv1.SetEnterpriseSuspendedResponse{Enterprise: enterpriseOut(e)}, nil
	})
}

// GetEnterprise implements customsv1.BookServiceServer.
func (s *BookServer) GetEnterprise(ctx context.Context, r *customsv1.GetEnterpriseRequest) (*customsv1.GetEnterpriseResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetEnterpriseResponse, error) {
		e, err := s.svc.GetEnterprise(ctx, p, r.GetUscc())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetEnterpriseResponse{Enterprise: enterpriseOut(e)}, nil
	})
}

// ListEnterprises implements customsv1.BookServiceServer.
func (s *BookServer) ListEnterprises(ctx context.Context, r *customsv1.ListEnterprisesRequest) (*customsv1.ListEnterprisesResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListEnterprisesResponse, error) {
		after, err := grpcedge.DecodePageToken(r.GetPageToken())
		if err != nil {
			return nil, err
		}
		n := grpcedge.PageSize(r.GetPageSize())
		es, err := s.svc.ListEnterprises(ctx, p, after, n)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListEnterprisesResponse{}
		for _, e := range es {
			out.Enterprises = append(out.Enterprises, enterpriseOut(e))
		}
		if len(es) > 0 {
			out.NextPageToken = grpcedge.NextPageToken(len(es), n, es[len(es)-1].USCC)
		}
		return out, nil
	})
}

// CreateBook implements customsv1.BookServiceServer.
func (s *BookServer) CreateBook(ctx context.Context, r *customsv1.CreateBookRequest) (*customsv1.CreateBookResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.CreateBookResponse, error) {
		b, err := bookIn(r)
		if err != nil {
			return nil, err
		}
		if b, err = s.svc.CreateBook(ctx, p, b); err != nil {
			return nil, err
		}
		return &customsv1.CreateBookResponse{Book: bookOut(b)}, nil
	})
}

// SetBookStatus implements customsv1.BookServiceServer.
func (s *BookServer) SetBookStatus(ctx context.Context, r *customsv1.SetBookStatusRequest) (*customsv1.SetBookStatusResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SetBookStatusResponse, error) {
		st, err := bookStatusIn(r.GetStatus())
		if err != nil {
			return nil, err
		}
		b, err := s.svc.SetBookStatus(ctx, p, r.GetBookNo(), st)
		if err != nil {
			return nil, err
		}
		return &customsv1.SetBookStatusResponse{Book: bookOut(b)}, nil
	})
}

// SetLastWriteOffDate implements customsv1.BookServiceServer.
func (s *BookServer) SetLastWriteOffDate(ctx context.Context, r *customsv1.SetLastWriteOffDateRequest) (*customsv1.SetLastWriteOffDateResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SetLastWriteOffDateResponse, error) {
		day, err := ledger.ParseDate(r.GetDate(), "date")
		if err != nil {
			return nil, err
		}
		b, err := s.svc.SetLastWriteOffDate(ctx, p, r.GetBookNo(), day)
		if err != nil {
			return nil, err
		}
		return &customsv1.SetLastWriteOffDateResponse{Book: bookOut(b)}, nil
	})
}

// SetGeneralTaxpayer implements customsv1.BookServiceServer.
func (s *BookServer) SetGeneralTaxpayer(ctx context.Context, r *customsv1.SetGeneralTaxpayerRequest) (*customsv1.SetGeneralTaxpayerResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SetGeneralTaxpayerResponse, error) {
		b, err := s.svc.SetGeneralTaxpayer(ctx, p, r.GetBookNo(), r.GetGeneralTaxpayer())
		if err != nil {
			return nil, err
		}
		return &customsv1.SetGeneralTaxpayerResponse{Book: bookOut(b)}, nil
	})
}

// GetBook implements customsv1.BookServiceServer.
func (s *BookServer) GetBook(ctx context.Context, r *customsv1.GetBookRequest) (*customsv1.GetBookResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetBookResponse, error) {
		b, err := s.svc.GetBook(ctx, p, r.GetBookNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetBookResponse{Book: bookOut(b)}, nil
	})
}

// ListBooks implements customsv1.BookServiceServer. An enterprise principal
// naming no enterprise lists its own books.
func (s *BookServer) ListBooks(ctx context.Context, r *customsv1.ListBooksRequest) (*customsv1.ListBooksResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListBooksResponse, error) {
		after, err := grpcedge.DecodePageToken(r.GetPageToken())
		if err != nil {
			return nil, err
		}
		enterprise := r.GetEnterprise()
		if enterprise == "" && p.Role == access.RoleEnterprise {
			enterprise = p.Enterprise
		}
		n := grpcedge.PageSize(r.GetPageSize())
		bs, err := s.svc.ListBooks(ctx, p, enterprise, after, n)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListBooksResponse{}
		for _, b := range bs {
			out.Books = append(out.Books, bookOut(b))
		}
		if len(bs) > 0 {
			out.NextPageToken = grpcedge.NextPageToken(len(bs), n, bs[len(bs)-1].No)
		}
		return out, nil
	})
}

// AddBookLines implements customsv1.BookServiceServer.
func (s *BookServer) AddBookLines(ctx context.Context, r *customsv1.AddBookLinesRequest) (*customsv1.AddBookLinesResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.AddBookLinesResponse, error) {
		lines, err := bookLinesIn(r.GetBookNo(), r.GetLines())
		if err != nil {
			return nil, err
		}
		if lines, err = s.svc.AddBookLines(ctx, p, r.GetBookNo(), lines); err != nil {
			return nil, err
		}
		out := &customsv1.AddBookLinesResponse{}
		for _, l := range lines {
			out.Lines = append(out.Lines, bookLineOut(l))
		}
		return out, nil
	})
}

// MapPartNumbers implements customsv1.BookServiceServer.
func (s *BookServer) MapPartNumbers(ctx context.Context, r *customsv1.MapPartNumbersRequest) (*customsv1.MapPartNumbersResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.MapPartNumbersResponse, error) {
		parts := make(map[string]int, len(r.GetParts()))
		for k, v := range r.GetParts() {
			parts[k] = int(v)
		}
		if err := s.svc.MapPartNumbers(ctx, p, r.GetBookNo(), parts); err != nil {
			return nil, err
		}
		return &customsv1.MapPartNumbersResponse{}, nil
	})
}

// ListBookLines implements customsv1.BookServiceServer.
func (s *BookServer) ListBookLines(ctx context.Context, r *customsv1.ListBookLinesRequest) (*customsv1.ListBookLinesResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListBookLinesResponse, error) {
		after, err := grpcedge.DecodeIntPageToken(r.GetPageToken(), math.MaxInt32)
		if err != nil {
			return nil, err
		}
		n := grpcedge.PageSize(r.GetPageSize())
		lines, err := s.svc.ListBookLines(ctx, p, r.GetBookNo(), int(after), n)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListBookLinesResponse{}
		for _, l := range lines {
			out.Lines = append(out.Lines, bookLineOut(l))
		}
		if len(lines) > 0 {
			out.NextPageToken = grpcedge.NextPageToken(len(lines), n, strconv.Itoa(lines[len(lines)-1].Seq))
		}
		return out, nil
	})
}

// GetStockReport implements customsv1.BookServiceServer.
func (s *BookServer) GetStockReport(ctx context.Context, r *customsv1.GetStockReportRequest) (*customsv1.GetStockReportResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetStockReportResponse, error) {
		var ps parser
		// Only an empty as_of means now: 0001-01-01 is a day like any other.
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
		out := &customsv1.GetStockReportResponse{}
		if asOf != nil {
			out.AsOf = ledger.FormatDate(*asOf)
		}
		for _, l := range lines {
			out.Lines = append(out.Lines, stockLineOut(l))
		}
		return out, nil
	})
}
