package tests

// Authorization of WriteOffService's cycle and stocktake methods: E1's zone
// books with a cycle, a stocktake at each step a method acts on, and the
// per-method cases TestAuthorizationEveryMethod runs for them.

import (
	"context"
	"testing"

	"google.golang.org/protobuf/proto"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

const woSvc = "/zoneledger.customs.v1.WriteOffService/"

// writeoffCycleAuth is E1's books for the write-off: notified (a stocktake
// to count), counted (a notebook short, its tax assessed; a notebook found
// in non-bonded, to explain; polyethylene found in non-bonded, explained,
// to decide), settled (counted, no difference, to
// close) and fresh (a cycle, no stocktake, to notify).
type writeoffCycleAuth struct {
	wo                               customsv1.WriteOffServiceClient
	notified, counted, settled       string // books
	fresh                            string
	stNotified, stCounted, stSettled string // stocktakes
	shortageTax                      string
}

func init() {
	for _, m := range []string{"SetCycleStart", "RecordShortagePayment", "DecideSurplus"} {
		customsOnly[woSvc+m] = true
	}
	for _, m := range []string{"SetCycle", "NotifyStocktake", "ImportStocktake", "ExplainSurplus", "CloseWriteOff"} {
		customsFilesNot[woSvc+m] = true
		customsByNumber[woSvc+m] = true
	}
	for _, m := range []string{"GetCycle", "GetStocktake", "ListStocktakes", "ListDifferences", "ListAttention", "ExportAttention", "ExportDifferences"} {
		customsByNumber[woSvc+m] = true
	}
}

// importCount sends a CSV count file to ImportStocktake.
func importCount(ctx context.Context, wo customsv1.WriteOffServiceClient, no, key, csv string) (*customsv1.ImportStocktakeResponse, error) {
	st, err := wo.ImportStocktake(ctx)
	if err != nil {
		return nil, err
	}
	if err := st.Send(&customsv1.ImportStocktakeRequest{StocktakeNo: no, IdempotencyKey: key, Format: customsv1.CountFileFormat_COUNT_FILE_FORMAT_CSV, Chunk: []byte(csv)}); err != nil {
		_, rerr := st.CloseAndRecv()
		return nil, rerr
	}
	return st.CloseAndRecv()
}

// setUpWriteOffCycle registers E1's write-off books and their stocktakes.
func (w *customsAuthWorld) setUpWriteOffCycle(t *testing.T, wo customsv1.WriteOffServiceClient) {
	t.Helper()
	z, e1 := w.z, w.e1
	r := &writeoffCycleAuth{wo: wo}
	w.woCycle = r
	e1ctx, cctx := ctxAs(t, e1.tok), ctxAs(t, z.customs)
	book := func() string {
		b := z.hBook(t, e1)
		z.stockIn(t, e1, b, lineNotebook, "10", "50000")
		if _, err := wo.SetCycle(e1ctx, &customsv1.SetCycleRequest{BookNo: b, Months: 12}); err != nil {
			t.Fatalf("SetCycle: %v", err)
		}
		if _, err := wo.SetCycleStart(cctx, &customsv1.SetCycleStartRequest{BookNo: b, Start: day(-30)}); err != nil {
			t.Fatalf("SetCycleStart: %v", err)
		}
		return b
	}
	notify := func(b, inner string) string {
		st, err := wo.NotifyStocktake(e1ctx, &customsv1.NotifyStocktakeRequest{InnerNo: inner, BookNo: b, Date: day(0)})
		if err != nil {
			t.Fatalf("NotifyStocktake: %v", err)
		}
		return st.GetStocktake().GetStocktakeNo()
	}
	r.notified, r.counted, r.settled, r.fresh = book(), book(), book(), book()
	r.stNotified, r.stCounted, r.stSettled = notify(r.notified, "AZ-ST-1"), notify(r.counted, "AZ-ST-2"), notify(r.settled, "AZ-ST-3")
	if _, err := importCount(e1ctx, wo, r.stCounted, "AZ-C-2", "book_seq,status,quantity\n1,BONDED,9\n1,NONBONDED,1\n2,NONBONDED,2.5\n"); err != nil {
		t.Fatalf("ImportStocktake: %v", err)
	}
	if _, err := importCount(e1ctx, wo, r.stSettled, "AZ-C-3", "book_seq,status,quantity\n1,BONDED,10\n"); err != nil {
		t.Fatalf("ImportStocktake: %v", err)
	}
	ds, err := wo.ListDifferences(e1ctx, &customsv1.ListDifferencesRequest{StocktakeNo: r.stCounted})
	if err != nil || len(ds.GetDifferences()) != 3 {
		t.Fatalf("ListDifferences: %v %v", ds, err)
	}
	r.shortageTax = ds.GetDifferences()[0].GetTax()
	if _, err := wo.ExplainSurplus(e1ctx, &customsv1.ExplainSurplusRequest{StocktakeNo: r.stCounted, BookSeq: linePE,
		Status: customsv1.CountStatus_COUNT_STATUS_NONBONDED, Explanation: "a customer's goods", Value: "25.00"}); err != nil {
		t.Fatalf("ExplainSurplus: %v", err)
	}
}

// writeoffCycleSnapshot adds the write-off books' cycles and stocktakes to
// snap.
func writeoffCycleSnapshot(t *testing.T, w *authWorld, put func(string, proto.Message, error)) {
	t.Helper()
	r, ctx := w.z.woCycle, ctxAs(t, w.a.C)
	for _, b := range []string{r.notified, r.counted, r.settled, r.fresh} {
		c, err := r.wo.GetCycle(ctx, &customsv1.GetCycleRequest{BookNo: b})
		put("write-off cycle "+b, c, err)
	}
	for _, no := range []string{r.stNotified, r.stCounted, r.stSettled} {
		st, err := r.wo.GetStocktake(ctx, &customsv1.GetStocktakeRequest{StocktakeNo: no})
		put("stocktake "+no, st, err)
	}
	ds, err := r.wo.ListDifferences(ctx, &customsv1.ListDifferencesRequest{StocktakeNo: r.stCounted})
	put("stocktake differences", ds, err)
}

// writeoffCycleMethodCases has one case per cycle and stocktake RPC of
// WriteOffService, each a valid request on E1's books.
func writeoffCycleMethodCases() map[string]methodCase {
	wo := func(w *authWorld) customsv1.WriteOffServiceClient { return w.z.woCycle.wo }
	r := func(w *authWorld) *writeoffCycleAuth { return w.z.woCycle }
	return map[string]methodCase{
		woSvc + "SetCycle": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).SetCycle(ctx, &customsv1.SetCycleRequest{BookNo: r(w).fresh, Months: 12})
			return err
		},
		woSvc + "SetCycleStart": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).SetCycleStart(ctx, &customsv1.SetCycleStartRequest{BookNo: r(w).fresh, Start: day(-30)})
			return err
		},
		woSvc + "GetCycle": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).GetCycle(ctx, &customsv1.GetCycleRequest{BookNo: r(w).fresh})
			return err
		},
		woSvc + "NotifyStocktake": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).NotifyStocktake(ctx, &customsv1.NotifyStocktakeRequest{InnerNo: "AZ-ST-NEW", BookNo: r(w).fresh, Date: day(0)})
			return err
		},
		woSvc + "ImportStocktake": func(ctx context.Context, w *authWorld) error {
			_, err := importCount(ctx, wo(w), r(w).stNotified, "AZ-C-1", "book_seq,status,quantity\n1,BONDED,10\n")
			return err
		},
		woSvc + "GetStocktake": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).GetStocktake(ctx, &customsv1.GetStocktakeRequest{StocktakeNo: r(w).stCounted})
			return err
		},
		woSvc + "ListStocktakes": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).ListStocktakes(ctx, &customsv1.ListStocktakesRequest{BookNo: r(w).counted})
			return err
		},
		woSvc + "ListDifferences": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).ListDifferences(ctx, &customsv1.ListDifferencesRequest{StocktakeNo: r(w).stCounted})
			return err
		},
		woSvc + "RecordShortagePayment": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).RecordShortagePayment(ctx, &customsv1.RecordShortagePaymentRequest{StocktakeNo: r(w).stCounted, BookSeq: lineNotebook,
				PaymentNo: "AZ-PAY-1", Amount: r(w).shortageTax, Date: day(0)})
			return err
		},
		woSvc + "ExplainSurplus": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).ExplainSurplus(ctx, &customsv1.ExplainSurplusRequest{StocktakeNo: r(w).stCounted, BookSeq: lineNotebook,
				Status: customsv1.CountStatus_COUNT_STATUS_NONBONDED, Explanation: "a sample left by a customer"})
			return err
		},
		woSvc + "DecideSurplus": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).DecideSurplus(ctx, &customsv1.DecideSurplusRequest{StocktakeNo: r(w).stCounted, BookSeq: linePE,
				Status: customsv1.CountStatus_COUNT_STATUS_NONBONDED, Approve: true, Note: "ok"})
			return err
		},
		woSvc + "ListAttention": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).ListAttention(ctx, &customsv1.ListAttentionRequest{BookNo: r(w).counted})
			return err
		},
		woSvc + "ExportAttention": func(ctx context.Context, w *authWorld) error {
			return drain(wo(w).ExportAttention(ctx, &customsv1.ExportAttentionRequest{BookNo: r(w).counted, Format: customsv1.ReportFormat_REPORT_FORMAT_XLSX}))
		},
		woSvc + "ExportDifferences": func(ctx context.Context, w *authWorld) error {
			return drain(wo(w).ExportDifferences(ctx, &customsv1.ExportDifferencesRequest{StocktakeNo: r(w).stCounted, Format: customsv1.ReportFormat_REPORT_FORMAT_CSV}))
		},
		woSvc + "CloseWriteOff": func(ctx context.Context, w *authWorld) error {
			_, err := wo(w).CloseWriteOff(ctx, &customsv1.CloseWriteOffRequest{StocktakeNo: r(w).stSettled})
			return err
		},
	}
}
