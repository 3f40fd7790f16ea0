package customsapi

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/writeoff"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// MaxCountFileBytes caps a count file ImportStocktake receives.
const MaxCountFileBytes = 256 << 20

// WriteOffCycleServer implements the cycle and stocktake methods of
// customsv1.WriteOffServiceServer over writeoff.Cycles.
type WriteOffCycleServer struct {
	customsv1.UnimplementedWriteOffServiceServer
	cy *writeoff.Cycles
}

// NewWriteOffCycleServer returns the cycle and stocktake part of
// WriteOffService over cy.
func NewWriteOffCycleServer(cy *writeoff.Cycles) *WriteOffCycleServer {
	return &WriteOffCycleServer{cy: cy}
}

var countStatuses = map[customsv1.CountStatus]writeoff.CountStatus{
	customsv1.CountStatus_COUNT_STATUS_BONDED:    writeoff.CountBonded,
	customsv1.CountStatus_COUNT_STATUS_NONBONDED: writeoff.CountNonBonded,
}

func countStatusOut(s writeoff.CountStatus) customsv1.CountStatus {
	for k, v := range countStatuses {
		if v == s {
			return k
		}
	}
	return customsv1.CountStatus_COUNT_STATUS_UNSPECIFIED
}

func cycleOut(c writeoff.Cycle, today time.Time) *customsv1.WriteOffCycle {
	return &customsv1.WriteOffCycle{BookNo: c.Book, Months: int32(c.Months), Start: dateOut(c.Start), CurrentEnd: dateOut(c.End(today)),
		SetBy: c.SetBy, StartSetBy: c.StartSetBy}
}

func stocktakeOut(st writeoff.Stocktake) *customsv1.Stocktake {
	out := &customsv1.Stocktake{StocktakeNo: st.No, InnerNo: st.InnerNo, BookNo: st.Book, Enterprise: st.Enterprise, Date: dateOut(st.Date),
		NotifiedOn: dateOut(st.NotifiedOn), Status: string(st.Status), Rows: int32(len(st.Counts)), Differences: int32(len(st.Differences)),
		ShortageJournalIds: st.ShortageJournals, Digest: st.Digest, FiledBy: st.FiledBy, CountedBy: st.CountedBy, ClosedBy: st.ClosedBy,
		EvidenceDigest: st.EvidenceDigest, EvidenceThrough: dateOut(st.EvidenceThrough)}
	for _, d := range st.Differences {
		if d.Shortage() {
			out.Shortages++
		}
		if d.Surplus() {
			out.Surpluses++
		}
		if !d.Settled() {
			out.Unsettled++
		}
	}
	return out
}

func differenceOut(d writeoff.Difference) *customsv1.Difference {
	out := &customsv1.Difference{BookSeq: int32(d.BookSeq), Status: countStatusOut(d.Status), Name: d.Name, Unit: d.Unit,
		Booked: qty(d.Booked), Counted: qty(d.Counted), Difference: qty(d.Difference), Value: ledger.FormatMoney(d.Value), TaxableEventId: d.TaxEvent,
		DutyBasis: d.DutyBasis, AssessError: d.AssessError, Explanation: d.Explanation, Decision: string(d.Decision), DecidedBy: d.DecidedBy,
		Note: d.Note, JournalId: d.Journal, Settled: d.Settled()}
	if d.TaxEvent != 0 {
		out.Tax, out.Duty, out.Vat, out.ConsumptionTax, out.Interest = ledger.FormatMoney(d.Tax), ledger.FormatMoney(d.Duty), ledger.FormatMoney(d.VAT), ledger.FormatMoney(d.ConsumptionTax), ledger.FormatMoney(d.Interest)
	}
	if p := d.Payment; p != nil {
		out.Payment = &customsv1.ShortagePayment{PaymentNo: p.No, Amount: ledger.FormatMoney(p.Amount), Date: dateOut(p.Date), RecordedBy: p.RecordedBy}
	}
	return out
}

// differenceOf finds the difference of (seq, status) in st.
func differenceOf(st writeoff.Stocktake, seq int, status writeoff.CountStatus) *customsv1.Difference {
	for _, d := range st.Differences {
		if d.BookSeq == seq && d.Status == status {
			return differenceOut(d)
		}
	}
	return nil
}

// SetCycle implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) SetCycle(ctx context.Context, r *customsv1.SetCycleRequest) (*customsv1.SetCycleResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SetCycleResponse, error) {
		c, err := s.cy.SetCycle(ctx, p, r.GetBookNo(), int(r.GetMonths()))
		if err != nil {
			return nil, err
		}
		return &customsv1.SetCycleResponse{Cycle: cycleOut(c, s.cy.Today())}, nil
	})
}

// SetCycleStart implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) SetCycleStart(ctx context.Context, r *customsv1.SetCycleStartRequest) (*customsv1.SetCycleStartResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SetCycleStartResponse, error) {
		start, err := ledger.ParseDate(r.GetStart(), "start")
		if err != nil {
			return nil, err
		}
		c, err := s.cy.SetCycleStart(ctx, p, r.GetBookNo(), start)
		if err != nil {
			return nil, err
		}
		return &customsv1.SetCycleStartResponse{Cycle: cycleOut(c, s.cy.Today())}, nil
	})
}

// GetCycle implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) GetCycle(ctx context.Context, r *customsv1.GetCycleRequest) (*customsv1.GetCycleResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetCycleResponse, error) {
		c, err := s.cy.GetCycle(ctx, p, r.GetBookNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetCycleResponse{Cycle: cycleOut(c, s.cy.Today())}, nil
	})
}

// NotifyStocktake implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) NotifyStocktake(ctx context.Context, r *customsv1.NotifyStocktakeRequest) (*customsv1.NotifyStocktakeResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.NotifyStocktakeResponse, error) {
		day, err := ledger.ParseDate(r.GetDate(), "date")
		if err != nil {
			return nil, err
		}
		st, err := s.cy.NotifyStocktake(ctx, p, r.GetBookNo(), r.GetInnerNo(), day)
		if err != nil {
			return nil, err
		}
		return &customsv1.NotifyStocktakeResponse{Stocktake: stocktakeOut(st)}, nil
	})
}

// ImportStocktake implements customsv1.WriteOffServiceServer: it gathers
// the file's chunks (at most MaxCountFileBytes), reads it with
// writeoff.ParseCounts and imports the rows.
func (s *WriteOffCycleServer) ImportStocktake(stream customsv1.WriteOffService_ImportStocktakeServer) error {
	ctx := stream.Context()
	out, err := handle(ctx, nil, func(p access.Principal) (*customsv1.ImportStocktakeResponse, error) {
		var (
			no, key string
			format  customsv1.CountFileFormat
			file    bytes.Buffer
		)
		for first := true; ; first = false {
			m, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			if first {
				no, key, format = m.GetStocktakeNo(), m.GetIdempotencyKey(), m.GetFormat()
			}
			if file.Len()+len(m.GetChunk()) > MaxCountFileBytes {
				return nil, ledger.BadArgument("chunk", "the count file is larger than %d bytes; split it", MaxCountFileBytes)
			}
			file.Write(m.GetChunk())
		}
		if no == "" {
			return nil, ledger.BadArgument("stocktake_no", "the first message names the stocktake")
		}
		var f writeoff.CountFormat
		switch format {
		case customsv1.CountFileFormat_COUNT_FILE_FORMAT_CSV:
			f = writeoff.FormatCSV
		case customsv1.CountFileFormat_COUNT_FILE_FORMAT_XLSX:
			f = writeoff.FormatXLSX
		default:
			return nil, ledger.BadArgument("format", "the first message gives the file's format, CSV or XLSX")
		}
		counts, err := writeoff.ParseCounts(&file, f)
		if err != nil {
			return nil, err
		}
		st, err := s.cy.ImportStocktake(ctx, p, no, key, counts)
		if err != nil {
			return nil, err
		}
		return &customsv1.ImportStocktakeResponse{Stocktake: stocktakeOut(st)}, nil
	})
	if err != nil {
		return err
	}
	return stream.SendAndClose(out)
}

// GetStocktake implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) GetStocktake(ctx context.Context, r *customsv1.GetStocktakeRequest) (*customsv1.GetStocktakeResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetStocktakeResponse, error) {
		st, err := s.cy.GetStocktake(ctx, p, r.GetStocktakeNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetStocktakeResponse{Stocktake: stocktakeOut(st)}, nil
	})
}

// ListStocktakes implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) ListStocktakes(ctx context.Context, r *customsv1.ListStocktakesRequest) (*customsv1.ListStocktakesResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListStocktakesResponse, error) {
		after, err := grpcedge.DecodePageToken(r.GetPageToken())
		if err != nil {
			return nil, err
		}
		size := grpcedge.PageSize(r.GetPageSize())
		sts, err := s.cy.ListStocktakes(ctx, p, r.GetBookNo(), after, size)
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListStocktakesResponse{}
		for _, st := range sts {
			out.Stocktakes = append(out.Stocktakes, stocktakeOut(st))
		}
		if len(sts) > 0 {
			out.NextPageToken = grpcedge.NextPageToken(len(sts), size, sts[len(sts)-1].No)
		}
		return out, nil
	})
}

// ListDifferences implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) ListDifferences(ctx context.Context, r *customsv1.ListDifferencesRequest) (*customsv1.ListDifferencesResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListDifferencesResponse, error) {
		ds, err := s.cy.ListDifferences(ctx, p, r.GetStocktakeNo())
		if err != nil {
			return nil, err
		}
		from, err := grpcedge.DecodeIntPageToken(r.GetPageToken(), int64(len(ds)))
		if err != nil {
			return nil, err
		}
		size := grpcedge.PageSize(r.GetPageSize())
		end := min(int(from)+size, len(ds))
		out := &customsv1.ListDifferencesResponse{}
		for _, d := range ds[from:end] {
			out.Differences = append(out.Differences, differenceOut(d))
		}
		if end < len(ds) {
			out.NextPageToken = grpcedge.EncodePageToken(strconv.Itoa(end))
		}
		return out, nil
	})
}

// RecordShortagePayment implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) RecordShortagePayment(ctx context.Context, r *customsv1.RecordShortagePaymentRequest) (*customsv1.RecordShortagePaymentResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RecordShortagePaymentResponse, error) {
		var ps parser
		amount := ps.dec(r.GetAmount(), "amount")
		day := ps.optDate(r.GetDate(), "date")
		if ps.err != nil {
			return nil, ps.err
		}
		st, err := s.cy.RecordShortagePayment(ctx, p, r.GetStocktakeNo(), int(r.GetBookSeq()), r.GetPaymentNo(), amount, day)
		if err != nil {
			return nil, err
		}
		return &customsv1.RecordShortagePaymentResponse{Difference: differenceOf(st, int(r.GetBookSeq()), writeoff.CountBonded)}, nil
	})
}

// ExplainSurplus implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) ExplainSurplus(ctx context.Context, r *customsv1.ExplainSurplusRequest) (*customsv1.ExplainSurplusResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ExplainSurplusResponse, error) {
		var ps parser
		value := ps.optDec(r.GetValue(), "value")
		if ps.err != nil {
			return nil, ps.err
		}
		status := countStatuses[r.GetStatus()]
		st, err := s.cy.ExplainSurplus(ctx, p, r.GetStocktakeNo(), int(r.GetBookSeq()), status, r.GetExplanation(), value)
		if err != nil {
			return nil, err
		}
		return &customsv1.ExplainSurplusResponse{Difference: differenceOf(st, int(r.GetBookSeq()), status)}, nil
	})
}

// DecideSurplus implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) DecideSurplus(ctx context.Context, r *customsv1.DecideSurplusRequest) (*customsv1.DecideSurplusResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.DecideSurplusResponse, error) {
		status := countStatuses[r.GetStatus()]
		st, err := s.cy.DecideSurplus(ctx, p, r.GetStocktakeNo(), int(r.GetBookSeq()), status, r.GetApprove(), r.GetNote())
		if err != nil {
			return nil, err
		}
		return &customsv1.DecideSurplusResponse{Difference: differenceOf(st, int(r.GetBookSeq()), status)}, nil
	})
}

// CloseWriteOff implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) CloseWriteOff(ctx context.Context, r *customsv1.CloseWriteOffRequest) (*customsv1.CloseWriteOffResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.CloseWriteOffResponse, error) {
		st, err := s.cy.CloseWriteOff(ctx, p, r.GetStocktakeNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.CloseWriteOffResponse{Stocktake: stocktakeOut(st)}, nil
	})
}

// ListAttention implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) ListAttention(ctx context.Context, r *customsv1.ListAttentionRequest) (*customsv1.ListAttentionResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ListAttentionResponse, error) {
		var ps parser
		asOf := ps.optDate(r.GetAsOf(), "as_of")
		if ps.err != nil {
			return nil, ps.err
		}
		page, err := s.cy.ListAttention(ctx, p, writeoff.AttentionQuery{Book: r.GetBookNo(), AsOf: asOf, After: r.GetPageToken(), Limit: int(r.GetPageSize())})
		if err != nil {
			return nil, err
		}
		out := &customsv1.ListAttentionResponse{NextPageToken: page.Next}
		for _, it := range page.Items {
			out.Items = append(out.Items, attentionOut(it))
		}
		return out, nil
	})
}

func attentionOut(it writeoff.AttentionItem) *customsv1.AttentionItem {
	return &customsv1.AttentionItem{Kind: string(it.Kind), Enterprise: it.Enterprise, BookNo: it.Book, Documents: it.Documents,
		Since: dateOut(it.Since), Days: int32(it.Days), Due: dateOut(it.Due), Quantity: qty(it.Quantity), Amount: ledger.FormatMoney(it.Amount), Note: it.Note}
}

// ExportAttention implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) ExportAttention(r *customsv1.ExportAttentionRequest, stream customsv1.WriteOffService_ExportAttentionServer) error {
	format, err := reportFormat(r.GetFormat())
	if err != nil {
		return err
	}
	type report struct {
		items []writeoff.AttentionItem
		asOf  time.Time
	}
	rep, err := handle(stream.Context(), nil, func(p access.Principal) (report, error) {
		var ps parser
		asOf := ps.optDate(r.GetAsOf(), "as_of")
		if ps.err != nil {
			return report{}, ps.err
		}
		if asOf.IsZero() {
			asOf = s.cy.Today()
		}
		out := report{asOf: asOf}
		q := writeoff.AttentionQuery{Book: r.GetBookNo(), AsOf: asOf}
		for {
			page, err := s.cy.ListAttention(stream.Context(), p, q)
			if err != nil {
				return report{}, err
			}
			out.items = append(out.items, page.Items...)
			if page.Next == "" {
				return out, nil
			}
			q.After = page.Next
		}
	})
	if err != nil {
		return err
	}
	w := &chunkWriter{name: writeoff.AttentionFileName(r.GetBookNo(), rep.asOf, format), ctype: format.ContentType(), send: func(name, ctype string, data []byte) error {
		return stream.Send(&customsv1.ExportAttentionResponse{FileName: name, ContentType: ctype, Data: data})
	}}
	if err := writeoff.WriteAttentionReport(w, format, rep.items); err != nil {
		return grpcedge.Status(err)
	}
	return w.flush()
}

// ExportDifferences implements customsv1.WriteOffServiceServer.
func (s *WriteOffCycleServer) ExportDifferences(r *customsv1.ExportDifferencesRequest, stream customsv1.WriteOffService_ExportDifferencesServer) error {
	format, err := reportFormat(r.GetFormat())
	if err != nil {
		return err
	}
	st, err := handle(stream.Context(), nil, func(p access.Principal) (writeoff.Stocktake, error) {
		if _, err := s.cy.ListDifferences(stream.Context(), p, r.GetStocktakeNo()); err != nil {
			return writeoff.Stocktake{}, err
		}
		return s.cy.GetStocktake(stream.Context(), p, r.GetStocktakeNo())
	})
	if err != nil {
		return err
	}
	w := &chunkWriter{name: writeoff.DifferencesFileName(st, format), ctype: format.ContentType(), send: func(name, ctype string, data []byte) error {
		return stream.Send(&customsv1.ExportDifferencesResponse{FileName: name, ContentType: ctype, Data: data})
	}}
	if err := writeoff.WriteDifferencesReport(w, format, st); err != nil {
		return grpcedge.Status(err)
	}
	return w.flush()
}
