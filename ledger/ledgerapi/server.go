// Package ledgerapi serves the ledger over gRPC (zoneledger.ledger.v1).
// Handlers are thin: they convert between protos and ledger types, ask the
// Guard whether the caller may touch the books involved, and call the
// ledger.Store. Every error leaves through ledger/grpcedge, the one table
// that maps ledger errors to gRPC statuses.
package ledgerapi

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"sync"

	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// Guard decides what the caller in a context may do. Books are guarded by
// their owner (the enterprise they belong to).
type Guard interface {
	// Principal returns the caller's identity for the journal record.
	Principal(ctx context.Context) (string, error)
	// CanRead allows reading books owned by owner.
	CanRead(ctx context.Context, owner string) error
	// CanWrite allows creating and posting to books owned by owner.
	CanWrite(ctx context.Context, owner string) error
	// CanClose allows closing and sealing periods of books owned by owner.
	CanClose(ctx context.Context, owner string) error
	// CanAdminister allows zone-wide changes such as world accounts.
	CanAdminister(ctx context.Context) error
	// ReadScope returns the owners whose books the caller may list, or
	// all=true when it may list every book.
	ReadScope(ctx context.Context) (owners []string, all bool, err error)
}

// Server implements ledgerv1.LedgerServiceServer.
type Server struct {
	ledgerv1.UnimplementedLedgerServiceServer
	store  ledger.Store
	guard  Guard
	owners sync.Map // book ID -> bookAccess; a book's owner and manager never change
}

// NewServer returns a LedgerService over store, guarded by guard.
func NewServer(store ledger.Store, guard Guard) *Server {
	return &Server{store: store, guard: guard}
}

// bookAccess is what access checks need of a book: its owner and the
// service that manages it, if any.
type bookAccess struct{ owner, managedBy string }

// ownerOf returns a book's owner, cached.
func (s *Server) ownerOf(ctx context.Context, book string) (string, error) {
	a, err := s.accessOf(ctx, book)
	return a.owner, err
}

func (s *Server) accessOf(ctx context.Context, book string) (bookAccess, error) {
	if o, ok := s.owners.Load(book); ok {
		return o.(bookAccess), nil
	}
	b, err := s.store.GetBook(ctx, book)
	if err != nil {
		return bookAccess{}, err
	}
	a := bookAccess{owner: b.Owner, managedBy: b.Attributes[ledger.AttributeManagedBy]}
	s.owners.Store(book, a)
	return a, nil
}

func (s *Server) canRead(ctx context.Context, book string) error {
	owner, err := s.ownerOf(ctx, book)
	if err != nil {
		return err
	}
	return s.guard.CanRead(ctx, owner)
}

// canWrite allows a generic write to a book: the principal may write the
// owner's books, and no service manages the book.
func (s *Server) canWrite(ctx context.Context, book string) error {
	a, err := s.accessOf(ctx, book)
	if err != nil {
		return err
	}
	if err := s.guard.CanWrite(ctx, a.owner); err != nil {
		return err
	}
	if a.managedBy != "" {
		return ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonBookManaged, "book_id",
			"book %q is kept by %s: its goods move only with their documents (zoneledger.customs.v1 DeclarationService and GateService), not by generic journals", book, a.managedBy)
	}
	return nil
}

// CreateBook implements ledgerv1.LedgerServiceServer.
func (s *Server) CreateBook(ctx context.Context, r *ledgerv1.CreateBookRequest) (*ledgerv1.CreateBookResponse, error) {
	if err := s.guard.CanWrite(ctx, r.GetOwner()); err != nil {
		return nil, grpcedge.Status(err)
	}
	b, err := s.store.CreateBook(ctx, ledger.Book{ID: r.GetBookId(), Name: r.GetName(), Owner: r.GetOwner(), Accounts: r.GetAccounts(), Attributes: r.GetAttributes()})
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &ledgerv1.CreateBookResponse{Book: bookToProto(b)}, nil
}

// GetBook implements ledgerv1.LedgerServiceServer.
func (s *Server) GetBook(ctx context.Context, r *ledgerv1.GetBookRequest) (*ledgerv1.GetBookResponse, error) {
	b, err := s.store.GetBook(ctx, r.GetBookId())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	if err := s.guard.CanRead(ctx, b.Owner); err != nil {
		return nil, grpcedge.Status(err)
	}
	return &ledgerv1.GetBookResponse{Book: bookToProto(b)}, nil
}

// ListBooks implements ledgerv1.LedgerServiceServer. Callers see only the
// books they may read.
func (s *Server) ListBooks(ctx context.Context, r *ledgerv1.ListBooksRequest) (*ledgerv1.ListBooksResponse, error) {
	owners, all, err := s.guard.ReadScope(ctx)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	owner := r.GetOwner()
	if !all && len(owners) == 0 {
		return nil, grpcedge.Status(ledger.Denied("this principal may not read any book"))
	}
	if !all {
		switch {
		case owner == "" && len(owners) == 1:
			owner = owners[0]
		case owner == "":
			return nil, grpcedge.Status(ledger.BadArgument("owner", "name one of the enterprises you may read: %v", owners))
		default:
			if err := s.guard.CanRead(ctx, owner); err != nil {
				return nil, grpcedge.Status(err)
			}
		}
	}
	after, err := grpcedge.DecodePageToken(r.GetPageToken())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	n := grpcedge.PageSize(r.GetPageSize())
	bs, err := s.store.ListBooks(ctx, ledger.BookFilter{Owner: owner, After: after, Limit: n})
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	out := &ledgerv1.ListBooksResponse{}
	for _, b := range bs {
		out.Books = append(out.Books, bookToProto(b))
	}
	if len(bs) == n {
		out.NextPageToken = grpcedge.EncodePageToken(bs[len(bs)-1].ID)
	}
	return out, nil
}

// AddBookAccounts implements ledgerv1.LedgerServiceServer.
func (s *Server) AddBookAccounts(ctx context.Context, r *ledgerv1.AddBookAccountsRequest) (*ledgerv1.AddBookAccountsResponse, error) {
	if err := s.canWrite(ctx, r.GetBookId()); err != nil {
		return nil, grpcedge.Status(err)
	}
	b, err := s.store.AddBookAccounts(ctx, r.GetBookId(), r.GetAccounts())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &ledgerv1.AddBookAccountsResponse{Book: bookToProto(b)}, nil
}

// RegisterItems implements ledgerv1.LedgerServiceServer.
func (s *Server) RegisterItems(ctx context.Context, r *ledgerv1.RegisterItemsRequest) (*ledgerv1.RegisterItemsResponse, error) {
	if err := s.canWrite(ctx, r.GetBookId()); err != nil {
		return nil, grpcedge.Status(err)
	}
	items := make([]ledger.Item, len(r.GetItems()))
	for i, it := range r.GetItems() {
		items[i] = ledger.Item{Book: r.GetBookId(), Code: it.GetCode(), Unit: it.GetUnit(), Scale: int32(it.GetScale()), Name: it.GetName(), Attributes: it.GetAttributes()}
	}
	got, err := s.store.RegisterItems(ctx, items)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	out := &ledgerv1.RegisterItemsResponse{}
	for _, it := range got {
		out.Items = append(out.Items, itemToProto(it))
	}
	return out, nil
}

// ListItems implements ledgerv1.LedgerServiceServer.
func (s *Server) ListItems(ctx context.Context, r *ledgerv1.ListItemsRequest) (*ledgerv1.ListItemsResponse, error) {
	if err := s.canRead(ctx, r.GetBookId()); err != nil {
		return nil, grpcedge.Status(err)
	}
	after, err := grpcedge.DecodePageToken(r.GetPageToken())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	n := grpcedge.PageSize(r.GetPageSize())
	items, err := s.store.ListItems(ctx, ledger.ItemFilter{Book: r.GetBookId(), After: after, Limit: n})
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	out := &ledgerv1.ListItemsResponse{}
	for _, it := range items {
		out.Items = append(out.Items, itemToProto(it))
	}
	if len(items) == n {
		out.NextPageToken = grpcedge.EncodePageToken(items[len(items)-1].Code)
	}
	return out, nil
}

// EnsureWorldAccounts implements ledgerv1.LedgerServiceServer.
func (s *Server) EnsureWorldAccounts(ctx context.Context, r *ledgerv1.EnsureWorldAccountsRequest) (*ledgerv1.EnsureWorldAccountsResponse, error) {
	if err := s.guard.CanAdminister(ctx); err != nil {
		return nil, grpcedge.Status(err)
	}
	if err := s.store.EnsureWorldAccounts(ctx, r.GetNames()); err != nil {
		return nil, grpcedge.Status(err)
	}
	names, err := s.store.WorldAccounts(ctx)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &ledgerv1.EnsureWorldAccountsResponse{Names: names}, nil
}

// authorizeJournal checks that the caller may write every book a journal
// touches: its own book, the items' books and the accounts' books.
func (s *Server) authorizeJournal(ctx context.Context, r ledger.JournalRequest) error {
	books := map[string]bool{r.Book: true}
	for _, p := range r.Postings {
		books[p.Item.Book] = true
		for _, a := range []ledger.AccountRef{p.From, p.To} {
			if !a.IsWorld() {
				books[a.Book] = true
			}
		}
	}
	for b := range books {
		if err := s.canWrite(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) journalRequest(ctx context.Context, r *ledgerv1.PostJournalRequest) (ledger.JournalRequest, error) {
	who, err := s.guard.Principal(ctx)
	if err != nil {
		return ledger.JournalRequest{}, err
	}
	req, err := JournalRequestFromProto(r, who)
	if err != nil {
		return ledger.JournalRequest{}, err
	}
	if err := s.authorizeJournal(ctx, req); err != nil {
		return ledger.JournalRequest{}, err
	}
	return req, nil
}

// PostJournal implements ledgerv1.LedgerServiceServer.
func (s *Server) PostJournal(ctx context.Context, r *ledgerv1.PostJournalRequest) (*ledgerv1.PostJournalResponse, error) {
	req, err := s.journalRequest(ctx, r)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	j, err := s.store.Post(ctx, req)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &ledgerv1.PostJournalResponse{Journal: JournalToProto(j), Replayed: j.Replayed}, nil
}

// PostJournals implements ledgerv1.LedgerServiceServer.
func (s *Server) PostJournals(ctx context.Context, r *ledgerv1.PostJournalsRequest) (*ledgerv1.PostJournalsResponse, error) {
	reqs := make([]ledger.JournalRequest, len(r.GetJournals()))
	for i, jr := range r.GetJournals() {
		req, err := s.journalRequest(ctx, jr)
		if err != nil {
			le := ledger.AsError(err)
			if le.Kind == ledger.KindPermissionDenied || le.Kind == ledger.KindUnauthenticated {
				return nil, grpcedge.Status(err)
			}
			le2 := *le
			le2.Field = fmt.Sprintf("journals[%d].%s", i, le.Field)
			return nil, grpcedge.Status(&le2)
		}
		reqs[i] = req
	}
	results := s.store.PostMany(ctx, reqs)
	out := &ledgerv1.PostJournalsResponse{Results: make([]*ledgerv1.PostJournalResult, len(results))}
	for i, res := range results {
		if res.Err != nil {
			e := grpcedge.Item(res.Err)
			out.Results[i] = &ledgerv1.PostJournalResult{Error: &ledgerv1.JournalError{
				Code: e.Code, Reason: e.Reason, Field: e.Field, Message: e.Message}}
			continue
		}
		out.Results[i] = &ledgerv1.PostJournalResult{Journal: JournalToProto(res.Journal), Replayed: res.Journal.Replayed}
	}
	return out, nil
}

// ReverseJournal implements ledgerv1.LedgerServiceServer.
func (s *Server) ReverseJournal(ctx context.Context, r *ledgerv1.ReverseJournalRequest) (*ledgerv1.ReverseJournalResponse, error) {
	who, err := s.guard.Principal(ctx)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	day, err := ledger.ParseDate(r.GetEffectiveDate(), "effective_date")
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	if err := s.canWrite(ctx, r.GetBookId()); err != nil {
		return nil, grpcedge.Status(err)
	}
	orig, err := s.store.GetJournal(ctx, r.GetJournalId())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	// The reversal touches the same books as the original.
	if err := s.authorizeJournal(ctx, ledger.JournalRequest{Book: r.GetBookId(), Postings: orig.Postings}); err != nil {
		return nil, grpcedge.Status(err)
	}
	j, err := s.store.Reverse(ctx, ledger.ReverseRequest{Book: r.GetBookId(), JournalID: r.GetJournalId(), IdempotencyKey: r.GetIdempotencyKey(),
		EffectiveDate: day, Principal: who, Reason: r.GetReason()})
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &ledgerv1.ReverseJournalResponse{Journal: JournalToProto(j), Replayed: j.Replayed}, nil
}

// GetJournal implements ledgerv1.LedgerServiceServer. The caller must be
// able to read the journal's book.
func (s *Server) GetJournal(ctx context.Context, r *ledgerv1.GetJournalRequest) (*ledgerv1.GetJournalResponse, error) {
	j, err := s.store.GetJournal(ctx, r.GetJournalId())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	if err := s.canRead(ctx, j.Book); err != nil {
		return nil, grpcedge.Status(err)
	}
	return &ledgerv1.GetJournalResponse{Journal: JournalToProto(j)}, nil
}

// ListJournals implements ledgerv1.LedgerServiceServer.
func (s *Server) ListJournals(ctx context.Context, r *ledgerv1.ListJournalsRequest) (*ledgerv1.ListJournalsResponse, error) {
	if err := s.canRead(ctx, r.GetBookId()); err != nil {
		return nil, grpcedge.Status(err)
	}
	f, err := journalFilter(r.GetBookId(), r.GetFromDate(), r.GetToDate())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	if f.AfterID, err = grpcedge.DecodeIntPageToken(r.GetPageToken(), math.MaxInt64); err != nil {
		return nil, grpcedge.Status(err)
	}
	f.Limit = grpcedge.PageSize(r.GetPageSize())
	js, err := s.store.ListJournals(ctx, f)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	out := &ledgerv1.ListJournalsResponse{}
	size := 0
	for i, j := range js {
		pj := JournalToProto(j)
		size += proto.Size(pj) + 8 // with the field's tag and length
		if i > 0 && size > MaxPageBytes {
			// The page is full before its count: the next one starts here.
			out.NextPageToken = grpcedge.EncodePageToken(strconv.FormatInt(js[i-1].ID, 10))
			return out, nil
		}
		out.Journals = append(out.Journals, pj)
	}
	if len(js) == f.Limit {
		out.NextPageToken = grpcedge.EncodePageToken(strconv.FormatInt(js[len(js)-1].ID, 10))
	}
	return out, nil
}

// MaxPageBytes bounds the encoded size of a ListJournals page, so that a
// client with gRPC's default 4 MiB receive limit reads any page: a page
// ends before page_size journals once the next journal would take it past
// this size, and next_page_token continues from there. A page always holds
// at least one journal (one journal of 1,000 postings is well under it).
const MaxPageBytes = 3 << 20

func journalFilter(book, from, to string) (ledger.JournalFilter, error) {
	f := ledger.JournalFilter{Book: book}
	var err error
	if f.From, err = optDate(from, "from_date"); err != nil {
		return f, err
	}
	if f.To, err = optDate(to, "to_date"); err != nil {
		return f, err
	}
	return f, nil
}

// StreamJournals implements ledgerv1.LedgerServiceServer: every journal of
// the book in ID order, read in pages so memory stays flat.
func (s *Server) StreamJournals(r *ledgerv1.StreamJournalsRequest, stream ledgerv1.LedgerService_StreamJournalsServer) error {
	ctx := stream.Context()
	if err := s.canRead(ctx, r.GetBookId()); err != nil {
		return grpcedge.Status(err)
	}
	f, err := journalFilter(r.GetBookId(), r.GetFromDate(), r.GetToDate())
	if err != nil {
		return grpcedge.Status(err)
	}
	f.AfterID, f.Limit = r.GetAfterJournalId(), 500
	for {
		js, err := s.store.ListJournals(ctx, f)
		if err != nil {
			return grpcedge.Status(err)
		}
		for _, j := range js {
			if err := stream.Send(&ledgerv1.StreamJournalsResponse{Journal: JournalToProto(j)}); err != nil {
				return err
			}
		}
		if len(js) < f.Limit {
			return nil
		}
		f.AfterID = js[len(js)-1].ID
	}
}

// GetBalances implements ledgerv1.LedgerServiceServer.
func (s *Server) GetBalances(ctx context.Context, r *ledgerv1.GetBalancesRequest) (*ledgerv1.GetBalancesResponse, error) {
	if err := s.canRead(ctx, r.GetBookId()); err != nil {
		return nil, grpcedge.Status(err)
	}
	q := ledger.BalanceQuery{Book: r.GetBookId(), Account: r.GetAccount(), Item: r.GetItemCode(), ByLot: r.GetByLot()}
	if r.GetAsOf() != "" { // any date given counts, 0001-01-01 too: only an empty as_of means now
		asOf, err := ledger.ParseDate(r.GetAsOf(), "as_of")
		if err != nil {
			return nil, grpcedge.Status(err)
		}
		q.AsOf = &asOf
	}
	hs, err := s.store.Balances(ctx, q)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	out := &ledgerv1.GetBalancesResponse{}
	for _, h := range hs {
		out.Balances = append(out.Balances, holdingToProto(h))
	}
	return out, nil
}

// GetDayTotals implements ledgerv1.LedgerServiceServer.
func (s *Server) GetDayTotals(ctx context.Context, r *ledgerv1.GetDayTotalsRequest) (*ledgerv1.GetDayTotalsResponse, error) {
	if err := s.canRead(ctx, r.GetBookId()); err != nil {
		return nil, grpcedge.Status(err)
	}
	f, err := journalFilter(r.GetBookId(), r.GetFromDate(), r.GetToDate())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	ts, err := s.store.DayTotals(ctx, ledger.TotalsQuery{Book: r.GetBookId(), Account: r.GetAccount(), Item: r.GetItemCode(), From: f.From, To: f.To})
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	out := &ledgerv1.GetDayTotalsResponse{}
	for _, t := range ts {
		out.DayTotals = append(out.DayTotals, dayTotalToProto(t))
	}
	return out, nil
}

// ClosePeriod implements ledgerv1.LedgerServiceServer. A retried call with
// the same idempotency key returns the period it closed.
func (s *Server) ClosePeriod(ctx context.Context, r *ledgerv1.ClosePeriodRequest) (*ledgerv1.ClosePeriodResponse, error) {
	owner, err := s.ownerOf(ctx, r.GetBookId())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	if err := s.guard.CanClose(ctx, owner); err != nil {
		return nil, grpcedge.Status(err)
	}
	through, err := ledger.ParseDate(r.GetThrough(), "through")
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	p, err := s.store.ClosePeriod(ctx, ledger.ClosePeriodRequest{Book: r.GetBookId(), Through: through, IdempotencyKey: r.GetIdempotencyKey()})
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &ledgerv1.ClosePeriodResponse{Period: periodToProto(p)}, nil
}

// ListPeriods implements ledgerv1.LedgerServiceServer.
func (s *Server) ListPeriods(ctx context.Context, r *ledgerv1.ListPeriodsRequest) (*ledgerv1.ListPeriodsResponse, error) {
	if err := s.canRead(ctx, r.GetBookId()); err != nil {
		return nil, grpcedge.Status(err)
	}
	ps, err := s.store.Periods(ctx, r.GetBookId())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	after, err := grpcedge.DecodePageToken(r.GetPageToken())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	n := grpcedge.PageSize(r.GetPageSize())
	out := &ledgerv1.ListPeriodsResponse{}
	for _, p := range ps {
		if after != "" && dateOf(p.Through) <= after {
			continue
		}
		if len(out.Periods) == n {
			out.NextPageToken = grpcedge.EncodePageToken(out.Periods[n-1].Through)
			break
		}
		out.Periods = append(out.Periods, periodToProto(p))
	}
	return out, nil
}

// VerifyPeriods implements ledgerv1.LedgerServiceServer.
func (s *Server) VerifyPeriods(ctx context.Context, r *ledgerv1.VerifyPeriodsRequest) (*ledgerv1.VerifyPeriodsResponse, error) {
	if err := s.canRead(ctx, r.GetBookId()); err != nil {
		return nil, grpcedge.Status(err)
	}
	v, err := s.store.VerifyPeriods(ctx, r.GetBookId())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &ledgerv1.VerifyPeriodsResponse{Ok: len(v.Problems) == 0, Problems: v.Problems,
		PeriodsChecked: int32(v.Periods), JournalsChecked: v.Journals}, nil
}
