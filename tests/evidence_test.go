package tests

// Evidence of sealed periods (WriteOffService's evidence calls): sealed
// through the API, exported with zonectl, checked offline with zonectl
// verify; and the authorization cases TestAuthorizationEveryMethod runs.

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func init() {
	for _, m := range []string{"SealEvidence", "ListEvidence", "ExportEvidence"} {
		customsByNumber[woSvc+m] = true
	}
}

// evidenceAuth is E1's book with a closed period whose evidence is sealed.
type evidenceAuth struct {
	wo      customsv1.WriteOffServiceClient
	book    string
	through string
}

// setUpEvidence registers a book of E1 with stock, closes its period
// through today and seals the evidence.
func (w *customsAuthWorld) setUpEvidence(t *testing.T, s *Server) {
	t.Helper()
	ev := &evidenceAuth{wo: customsv1.NewWriteOffServiceClient(s.Conn()), through: day(0)}
	w.evidence = ev
	ev.book = w.z.hBook(t, w.e1)
	w.z.stockIn(t, w.e1, ev.book, linePE, "2.5", "40")
	if _, err := s.Ledger().ClosePeriod(ctxAs(t, w.e1.tok), &ledgerv1.ClosePeriodRequest{BookId: ev.book, Through: ev.through, IdempotencyKey: "ev-close"}); err != nil {
		t.Fatalf("ClosePeriod: %v", err)
	}
	if _, err := ev.wo.SealEvidence(ctxAs(t, w.e1.tok), &customsv1.SealEvidenceRequest{BookNo: ev.book, Through: ev.through}); err != nil {
		t.Fatalf("SealEvidence: %v", err)
	}
}

// evidenceMethodCases has one case per evidence RPC of WriteOffService,
// each a valid request on E1's sealed period.
func evidenceMethodCases() map[string]methodCase {
	ev := func(w *authWorld) *evidenceAuth { return w.z.evidence }
	return map[string]methodCase{
		woSvc + "SealEvidence": func(ctx context.Context, w *authWorld) error {
			_, err := ev(w).wo.SealEvidence(ctx, &customsv1.SealEvidenceRequest{BookNo: ev(w).book, Through: ev(w).through})
			return err
		},
		woSvc + "ListEvidence": func(ctx context.Context, w *authWorld) error {
			_, err := ev(w).wo.ListEvidence(ctx, &customsv1.ListEvidenceRequest{BookNo: ev(w).book})
			return err
		},
		woSvc + "ExportEvidence": func(ctx context.Context, w *authWorld) error {
			st, err := ev(w).wo.ExportEvidence(ctx, &customsv1.ExportEvidenceRequest{BookNo: ev(w).book, Through: ev(w).through})
			if err != nil {
				return err
			}
			_, err = st.Recv()
			return err
		},
	}
}

// TestEvidenceExportVerifiesOffline: a period sealed by customs, exported
// by its enterprise with zonectl, reproduces the sealed digest with
// 'zonectl verify' and no server; a changed amount, a changed document
// state, a deleted and a reordered record each fail verify (exit 1) naming
// the line and the record. Another enterprise cannot export the book.
func TestEvidenceExportVerifiesOffline(t *testing.T) {
	needZonectl(t)
	z := newZoneEnv(t)
	e1, e2 := z.enterprise(t, "Evidence One"), z.enterprise(t, "Evidence Two")
	book := z.hBook(t, e1)
	z.stockIn(t, e1, book, linePE, "12.5", "1000.50")
	draft := z.createList(t, e1.tok, entryReq(book, "EV-DRAFT", lineNotebook, "3", "900")).GetListNo()
	today := day(0)
	if _, err := z.s.Ledger().ClosePeriod(ctxAs(t, e1.tok), &ledgerv1.ClosePeriodRequest{BookId: book, Through: today, IdempotencyKey: "ev-close"}); err != nil {
		t.Fatalf("ClosePeriod: %v", err)
	}
	c := &ctl{t: t, addr: z.s.Addr, dir: t.TempDir()}
	var sealed customsv1.Evidence
	if err := protojson.Unmarshal([]byte(c.must(z.customs, "-o", "json", "evidence", "seal", "--book", book, "--through", today)), &sealed); err != nil {
		t.Fatal(err)
	}
	if len(sealed.GetDigest()) != 64 || sealed.GetJournals() == 0 || sealed.GetDocuments() < 3 {
		t.Fatalf("sealed %v", &sealed)
	}
	file := filepath.Join(c.dir, "evidence.jsonl")
	c.must(e1.tok, "evidence", "export", "--book", book, "--through", today, "--out", file)

	// Offline: no server address that answers, no token.
	off := &ctl{t: t, addr: "127.0.0.1:1", dir: c.dir}
	out := off.must("", "verify", "--export", file, "--digest", sealed.GetDigest())
	if !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("verify printed %q", out)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	find := func(sub string) int {
		for i, l := range lines {
			if strings.Contains(l, sub) {
				return i
			}
		}
		t.Fatalf("no line of the export holds %s:\n%s", sub, data)
		return -1
	}
	journal := find(`"kind":"journal"`)
	draftLine := find(`"key":"` + draft + `"`)
	edits := []struct {
		name, want string
		edit       func([]string) []string
	}{
		{"changed amount", lineName(journal + 1), func(ls []string) []string {
			ls[journal] = strings.Replace(ls[journal], `"quantity":"12.5"`, `"quantity":"12.6"`, 1)
			return ls
		}},
		{"changed state", lineName(draftLine+1) + "list " + draft + ")", func(ls []string) []string {
			ls[draftLine] = strings.Replace(ls[draftLine], `"status":"DRAFT"`, `"status":"APPROVED"`, 1)
			return ls
		}},
		{"deleted record", lineName(journal + 1), func(ls []string) []string { return append(ls[:journal:journal], ls[journal+1:]...) }},
		{"reordered records", lineName(draftLine), func(ls []string) []string {
			ls[draftLine-1], ls[draftLine] = ls[draftLine], ls[draftLine-1]
			return ls
		}},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			bad := filepath.Join(c.dir, strings.ReplaceAll(e.name, " ", "-")+".jsonl")
			if err := os.WriteFile(bad, []byte(strings.Join(e.edit(append([]string(nil), lines...)), "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			out, _, code := off.run("", "verify", "--export", bad, "--digest", sealed.GetDigest())
			if code != 1 || !strings.Contains(out, "NOT OK") || !strings.Contains(out, e.want) {
				t.Fatalf("verify of an export with a %s: exit %d, printed\n%s\nwant exit 1 naming %q", e.name, code, out, e.want)
			}
		})
	}

	// The digest ListEvidence shows is the one the export reproduces.
	wo := customsv1.NewWriteOffServiceClient(z.s.Conn())
	le, err := wo.ListEvidence(ctxAs(t, z.customs), &customsv1.ListEvidenceRequest{BookNo: book})
	if err != nil || len(le.GetEvidence()) != 1 || le.GetEvidence()[0].GetDigest() != sealed.GetDigest() {
		t.Fatalf("ListEvidence: %v %v", le, err)
	}
	// Another enterprise does not see the book.
	_, errOut, code := c.run(e2.tok, "evidence", "export", "--book", book, "--through", today, "--out", filepath.Join(c.dir, "e2.jsonl"))
	if code != 1 || !strings.Contains(errOut, "UNKNOWN_BOOK") {
		t.Fatalf("E2 exporting E1's book: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(c.dir, "e2.jsonl")); !os.IsNotExist(err) {
		t.Fatalf("a refused export left a file: %v", err)
	}
	// Sealing the next period before closing it is refused with its reason.
	_, err = wo.SealEvidence(ctxAs(t, z.customs), &customsv1.SealEvidenceRequest{BookNo: book, Through: day(1)})
	if wantCode(t, err, codes.FailedPrecondition, "sealing a period not closed") && errorsv1.ReasonOf(err) != "EVIDENCE_PERIOD_NOT_CLOSED" {
		t.Errorf("sealing a period not closed: %v; want reason EVIDENCE_PERIOD_NOT_CLOSED", err)
	}
}

// lineName is how verify names a line: "line N (".
func lineName(i int) string { return "line " + strconv.Itoa(i) + " (" }
