package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/conn"
	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func TestUsageErrorsExit2WithoutDialing(t *testing.T) {
	bad := writeFile(t, "bad.csv", "idempotency_key,book_id\nk,H1\n")
	cases := [][]string{
		{"frobnicate"},
		{"books", "frob"},
		{"balances"},                        // required --book
		{"-o", "yaml", "whoami"},            // unknown format
		{"books", "get"},                    // missing argument
		{"books", "get", "a", "b"},          // too many
		{"journals", "get", "abc"},          // not an id
		{"journals", "post", "--file", bad}, // missing columns
		{"journals", "post", "--file", "/nonexistent/j.csv"},
		{"journals", "post", "--file", bad, "--chunk", "0"},
		{"items", "register", "--book", "H1", "--code", "1", "--unit", "KGM", "--scale", "6"},
		{"admin", "tokens", "issue", "--principal", "p", "--expires", "tomorrow"},
		{"admin", "principals", "create", "--id", "p", "--role", "superuser"},
		{"admin", "principals", "create", "--id", "p", "--role", "enterprise"},
		{"books", "create", "H1", "--owner", "E1", "--attr", "novalue"},
		{"whoami", "--timeout", "-1s"},
		{"whoami", "--no-such-flag"},
	}
	expectUsage(t, cases)
}

func TestNoTokenIsAUsageError(t *testing.T) {
	h := newHarness(t)
	h.env = map[string]string{}
	h.nodial = true
	h.run("whoami")
	h.expect(exitUsage)
	if !strings.Contains(h.stderr.String(), "no token") {
		t.Errorf("stderr: %s", h.stderr.String())
	}
}

func TestTokenAndAddrFromEnvironmentNeverPrinted(t *testing.T) {
	h := newHarness(t)
	h.env[conn.EnvAddr] = "10.1.2.3:7420"
	h.calls[adminv1.AdminService_WhoAmI_FullMethodName] = &adminv1.WhoAmIResponse{Principal: &adminv1.Principal{PrincipalId: "acme-ops", Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: "E1"}}
	h.run("whoami")
	h.expect(exitOK)
	if h.dialed.Addr != "10.1.2.3:7420" || string(h.dialed.Token) != "zl_test_secret" {
		t.Errorf("dialed %s with the wrong token or address", h.dialed.Addr)
	}
	if !strings.Contains(h.stdout.String(), "acme-ops") || !strings.Contains(h.stdout.String(), "enterprise") {
		t.Errorf("stdout: %s", h.stdout.String())
	}
	if !strings.Contains(h.stderr.String(), "without TLS") {
		t.Errorf("no plaintext warning for a remote address: %q", h.stderr.String())
	}
	h.run("--addr", "127.0.0.1:9", "whoami")
	if h.dialed.Addr != "127.0.0.1:9" || h.stderr.Len() != 0 {
		t.Errorf("--addr does not win over the environment: %s, stderr %q", h.dialed.Addr, h.stderr.String())
	}
	for _, args := range [][]string{{"--help"}, {"whoami", "--help"}, {"journals", "post", "--help"}} {
		h.run(args...)
		if strings.Contains(h.stdout.String()+h.stderr.String(), "zl_test_secret") {
			t.Errorf("zonectl %v prints the token", args)
		}
	}
}

func TestTokenFile(t *testing.T) {
	h := newHarness(t)
	h.env = map[string]string{conn.EnvTokenFile: writeFile(t, "tok", "  zl_from_file\n")}
	h.calls[adminv1.AdminService_WhoAmI_FullMethodName] = &adminv1.WhoAmIResponse{Principal: &adminv1.Principal{PrincipalId: "p"}}
	h.run("whoami")
	h.expect(exitOK)
	if string(h.dialed.Token) != "zl_from_file" {
		t.Error("token file not read and trimmed")
	}
}

func TestJournalsPostHelpSaysRerunIsSafe(t *testing.T) {
	h := newHarness(t)
	h.run("journals", "post", "--help")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "RE-RUNNING THE SAME FILE IS SAFE") {
		t.Errorf("help: %s", h.stdout.String())
	}
}

const journalCSV = "idempotency_key,book_id,effective_date,doc_type,doc_number,trade_mode,item_code,from_book,from_account,to_book,to_account,quantity,unit,value,lot\n" +
	"k1,H1,2026-03-02,ENTRY,QD1,5034,1,,abroad,H1,bonded,1200.5,KGM,86436.00,\n" +
	"k2,H1,2026-03-02,ENTRY,QD2,5034,1,,abroad,H1,bonded,10,KGM,,\n" +
	"k3,H1,2026-03-03,EXIT,QD3,5034,1,H1,bonded,,abroad,5,KGM,,\n" +
	"k3,H1,2026-03-03,EXIT,QD3,5034,2,H1,bonded,,abroad,99999,PCE,,\n"

// answerJournals: k2 replayed, k3 refused on its second posting, the rest accepted.
func answerJournals(r *ledgerv1.PostJournalsRequest) (*ledgerv1.PostJournalsResponse, error) {
	resp := &ledgerv1.PostJournalsResponse{}
	for i, j := range r.GetJournals() {
		res := &ledgerv1.PostJournalResult{Journal: &ledgerv1.Journal{JournalId: int64(100 + i), IdempotencyKey: j.GetIdempotencyKey()}}
		switch j.GetIdempotencyKey() {
		case "k2":
			res.Replayed = true
		case "k3":
			res = &ledgerv1.PostJournalResult{Error: &ledgerv1.JournalError{Code: "FAILED_PRECONDITION",
				Reason: "INSUFFICIENT_QUANTITY", Field: "postings[1].quantity", Message: "only 40 PCE of item 2 in bonded"}}
		}
		resp.Results = append(resp.Results, res)
	}
	return resp, nil
}

func TestJournalsPostTable(t *testing.T) {
	h := newHarness(t)
	var sent *ledgerv1.PostJournalsRequest
	h.calls[ledgerv1.LedgerService_PostJournals_FullMethodName] = func(r *ledgerv1.PostJournalsRequest) (*ledgerv1.PostJournalsResponse, error) {
		sent = r
		return answerJournals(r)
	}
	file := writeFile(t, "j.csv", journalCSV)
	h.run("journals", "post", "--file", file)
	h.expect(exitRefused)
	if len(sent.GetJournals()) != 3 || len(sent.GetJournals()[2].GetPostings()) != 2 {
		t.Fatalf("sent %v", sent)
	}
	out := h.stdout.String()
	for _, want := range []string{
		"3 journals: 1 accepted, 1 replayed, 1 refused",
		"INSUFFICIENT_QUANTITY  1",
		"row 5", // the refused posting's row
		"postings[1].quantity",
		"only 40 PCE of item 2 in bonded",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(h.stderr.String(), "[") {
		t.Errorf("progress bar for 3 journals: %q", h.stderr.String())
	}
}

func TestJournalsPostCSVAndJSONReports(t *testing.T) {
	h := newHarness(t)
	h.calls[ledgerv1.LedgerService_PostJournals_FullMethodName] = answerJournals
	file := writeFile(t, "j.csv", journalCSV)

	h.run("journals", "post", "--file", file, "-o", "csv")
	h.expect(exitRefused)
	recs, err := csv.NewReader(strings.NewReader(h.stdout.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || strings.Join(recs[0], ",") != strings.Join(postResultHeader, ",") {
		t.Fatalf("csv report: %v", recs)
	}
	if got := strings.Join(recs[1], "|"); got != "1|row 2|H1|k1|accepted|100||||" {
		t.Errorf("row 1: %s", got)
	}
	if recs[2][4] != "replayed" || recs[3][4] != "refused" || recs[3][7] != "INSUFFICIENT_QUANTITY" || recs[3][1] != "row 5" {
		t.Errorf("rows: %v", recs)
	}
	if !strings.Contains(h.stderr.String(), "1 accepted, 1 replayed, 1 refused") {
		t.Errorf("csv summary on stderr: %q", h.stderr.String())
	}

	h.run("journals", "post", "--file", file, "-o", "json")
	h.expect(exitRefused)
	var rep postReport
	if err := json.Unmarshal(h.stdout.Bytes(), &rep); err != nil {
		t.Fatalf("json report: %v\n%s", err, h.stdout.String())
	}
	if rep.Accepted != 1 || rep.Replayed != 1 || rep.Refused != 1 || rep.RefusedByReason["INSUFFICIENT_QUANTITY"] != 1 ||
		rep.Results[0].JournalID != "100" || rep.Results[2].Error.Field != "postings[1].quantity" {
		t.Errorf("json report: %+v", rep)
	}
}

func TestJournalsPostAllAcceptedExit0(t *testing.T) {
	h := newHarness(t)
	h.calls[ledgerv1.LedgerService_PostJournals_FullMethodName] = answerJournals
	h.stdin = strings.SplitAfterN(journalCSV, "\n", 3)[0] + strings.SplitAfterN(journalCSV, "\n", 3)[1]
	h.run("journals", "post", "--file", "-", "--format", "csv")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "-: 1 journals: 1 accepted, 0 replayed, 0 refused") {
		t.Errorf("stdout: %s", h.stdout.String())
	}
}

func TestJournalsPostUnavailable(t *testing.T) {
	h := newHarness(t)
	h.calls[ledgerv1.LedgerService_PostJournals_FullMethodName] = func(*ledgerv1.PostJournalsRequest) (*ledgerv1.PostJournalsResponse, error) {
		return nil, status.Error(codes.Unavailable, "connection refused")
	}
	h.run("journals", "post", "--file", writeFile(t, "j.csv", journalCSV))
	h.expect(exitRefused)
	if !strings.Contains(h.stdout.String(), "3 unanswered") {
		t.Errorf("stdout: %s", h.stdout.String())
	}
	stderr := h.stderr.String()
	if !strings.Contains(stderr, "error: stopped with 0 of 3 journals answered: connection refused (code=UNAVAILABLE)") ||
		!strings.Contains(stderr, "hint: ") || !strings.Contains(stderr, "same idempotency keys") {
		t.Errorf("stderr: %s", stderr)
	}
}

func TestJournalsPostManyShowsProgress(t *testing.T) {
	var b strings.Builder
	for i := range 250 {
		fmt.Fprintf(&b, `{"book_id":"H1","idempotency_key":"k%d","effective_date":"2026-03-02","document":{"type":"E","number":"%d"},`+
			`"postings":[{"item_code":"1","from":{"name":"abroad"},"to":{"book_id":"H1","name":"bonded"},"quantity":"1","unit":"KGM"}]}`+"\n", i, i)
	}
	file := writeFile(t, "j.jsonl", b.String())
	h := newHarness(t)
	calls := 0
	h.calls[ledgerv1.LedgerService_PostJournals_FullMethodName] = func(r *ledgerv1.PostJournalsRequest) (*ledgerv1.PostJournalsResponse, error) {
		calls++
		resp := &ledgerv1.PostJournalsResponse{}
		for range r.GetJournals() {
			resp.Results = append(resp.Results, &ledgerv1.PostJournalResult{Journal: &ledgerv1.Journal{JournalId: 1}})
		}
		return resp, nil
	}
	h.run("journals", "post", "--file", file)
	h.expect(exitOK)
	if calls != 3 {
		t.Errorf("%d calls for 250 journals", calls)
	}
	if !strings.Contains(h.stderr.String(), "250/250") {
		t.Errorf("no progress bar on stderr: %q", h.stderr.String())
	}
	if strings.Contains(h.stdout.String(), "250/250") {
		t.Error("progress bar on stdout")
	}
	h.run("journals", "post", "--file", file, "--no-progress")
	if h.stderr.Len() != 0 {
		t.Errorf("--no-progress: %q", h.stderr.String())
	}
}

func TestJournalsPostDryRunNeedsNoServer(t *testing.T) {
	h := newHarness(t)
	h.env = map[string]string{}
	h.nodial = true
	h.run("journals", "post", "--file", writeFile(t, "j.csv", journalCSV), "--dry-run")
	h.expect(exitOK)
	if !strings.Contains(h.stderr.String(), "3 journals, 4 postings") {
		t.Errorf("stderr: %s", h.stderr.String())
	}
}

func TestMalformedDecimalNamesRowAndColumn(t *testing.T) {
	h := newHarness(t)
	h.nodial = true
	bad := strings.Replace(journalCSV, "1200.5", "1.2005e3", 1)
	h.run("journals", "post", "--file", writeFile(t, "j.csv", bad))
	h.expect(exitUsage)
	if !strings.Contains(h.stderr.String(), `j.csv: row 2, column "quantity": "1.2005e3" is not a decimal number`) {
		t.Errorf("stderr: %s", h.stderr.String())
	}
}

func TestServerErrorFormatting(t *testing.T) {
	h := newHarness(t)
	h.calls[ledgerv1.LedgerService_GetBook_FullMethodName] = func(*ledgerv1.GetBookRequest) (*ledgerv1.GetBookResponse, error) {
		st, _ := status.New(codes.NotFound, "book H9 does not exist").WithDetails(&errdetails.ErrorInfo{
			Reason: "UNKNOWN_BOOK", Domain: "zoneledger", Metadata: map[string]string{"field": "book_id"}})
		return nil, st.Err()
	}
	h.run("books", "get", "H9")
	h.expect(exitRefused)
	if got := h.stderr.String(); got != "error: book H9 does not exist (reason=UNKNOWN_BOOK, field=book_id)\n" {
		t.Errorf("stderr: %q", got)
	}
}

func TestBooksListFollowsPages(t *testing.T) {
	h := newHarness(t)
	var tokens []string
	h.calls[ledgerv1.LedgerService_ListBooks_FullMethodName] = func(r *ledgerv1.ListBooksRequest) (*ledgerv1.ListBooksResponse, error) {
		tokens = append(tokens, r.GetPageToken())
		if r.GetPageToken() == "" {
			return &ledgerv1.ListBooksResponse{Books: []*ledgerv1.Book{{BookId: "H1", Owner: "E1", Accounts: []string{"bonded", "nonbonded"}}}, NextPageToken: "p2"}, nil
		}
		return &ledgerv1.ListBooksResponse{Books: []*ledgerv1.Book{{BookId: "H2", Owner: "E2", Name: "Repairs, Ltd"}}}, nil
	}
	h.run("books", "list", "-o", "csv")
	h.expect(exitOK)
	want := "book_id,name,owner,accounts,closed_through,attributes,created_at\n" +
		"H1,,E1,\"bonded,nonbonded\",,,\n" +
		"H2,\"Repairs, Ltd\",E2,,,,\n"
	if h.stdout.String() != want || strings.Join(tokens, "|") != "|p2" {
		t.Errorf("stdout:\n%s\ntokens %q", h.stdout.String(), tokens)
	}
	h.run("books", "list", "-o", "json")
	var arr []map[string]any
	if err := json.Unmarshal(h.stdout.Bytes(), &arr); err != nil || len(arr) != 2 || arr[1]["name"] != "Repairs, Ltd" {
		t.Errorf("json: %v %v", err, h.stdout.String())
	}
}

func TestJournalsListStreamsOneRowPerPosting(t *testing.T) {
	h := newHarness(t)
	posting := func(item, qty string) *ledgerv1.Posting {
		return &ledgerv1.Posting{ItemCode: item, From: &ledgerv1.AccountRef{Name: "abroad"},
			To: &ledgerv1.AccountRef{BookId: "H1", Name: "bonded"}, Quantity: qty, Unit: "KGM", Value: "1.10"}
	}
	stream := &fakeStream{}
	h.streams[ledgerv1.LedgerService_StreamJournals_FullMethodName] = stream
	for _, j := range []*ledgerv1.Journal{
		{JournalId: 7, BookId: "H1", IdempotencyKey: "k1", EffectiveDate: "2026-03-02",
			Document: &ledgerv1.Document{Type: "ENTRY", Number: "QD1"}, Postings: []*ledgerv1.Posting{posting("1", "0.00001"), posting("2", "3")}},
		{JournalId: 9, BookId: "H1", IdempotencyKey: "k2", EffectiveDate: "2026-03-03",
			Document: &ledgerv1.Document{Type: "ENTRY", Number: "QD2"}, Postings: []*ledgerv1.Posting{posting("1", "5")}},
	} {
		stream.msgs = append(stream.msgs, &ledgerv1.StreamJournalsResponse{Journal: j})
	}
	h.run("journals", "list", "--book", "H1", "-o", "csv")
	h.expect(exitOK)
	recs, err := csv.NewReader(strings.NewReader(h.stdout.String())).ReadAll()
	if err != nil || len(recs) != 4 {
		t.Fatalf("csv %v: %s", err, h.stdout.String())
	}
	if recs[1][0] != "7" || recs[1][9] != "1" || recs[1][14] != "0.00001" || recs[2][7] != "1" || recs[3][0] != "9" {
		t.Errorf("rows: %v", recs)
	}

	stream.err = status.Error(codes.Unavailable, "connection reset")
	h.run("journals", "list", "--book", "H1", "-o", "json")
	h.expect(exitRefused)
	var arr []json.RawMessage
	if err := json.Unmarshal(h.stdout.Bytes(), &arr); err != nil || len(arr) != 2 {
		t.Errorf("partial output is not a well-formed array: %v", err)
	}
	if !strings.Contains(h.stderr.String(), "--after 9") {
		t.Errorf("no resume advice: %s", h.stderr.String())
	}
}

func TestBalancesTable(t *testing.T) {
	h := newHarness(t)
	h.calls[ledgerv1.LedgerService_GetBalances_FullMethodName] = func(r *ledgerv1.GetBalancesRequest) (*ledgerv1.GetBalancesResponse, error) {
		if r.GetAsOf() != "2026-03-31" || !r.GetByLot() || r.GetAccount() != "bonded" {
			t.Errorf("request %v", r)
		}
		return &ledgerv1.GetBalancesResponse{Balances: []*ledgerv1.Balance{{Account: &ledgerv1.AccountRef{BookId: "H1", Name: "bonded"},
			ItemBookId: "H1", ItemCode: "1", Unit: "KGM", Lot: "L1", Quantity: "1195.50000", Value: "86075.99"}}}, nil
	}
	h.run("balances", "--book", "H1", "--account", "bonded", "--as-of", "2026-03-31", "--by-lot")
	h.expect(exitOK)
	want := "BOOK_ID  ACCOUNT  ITEM_BOOK_ID  ITEM_CODE  LOT  UNIT  QUANTITY    VALUE\n" +
		"H1       bonded   H1            1          L1   KGM   1195.50000  86075.99\n"
	if h.stdout.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", h.stdout.String(), want)
	}
}

func TestPeriodsCloseDefaultKeyAndVerify(t *testing.T) {
	h := newHarness(t)
	h.calls[ledgerv1.LedgerService_ClosePeriod_FullMethodName] = func(r *ledgerv1.ClosePeriodRequest) (*ledgerv1.ClosePeriodResponse, error) {
		if r.GetIdempotencyKey() != "close:H1:2026-03-31" {
			t.Errorf("key %q", r.GetIdempotencyKey())
		}
		return &ledgerv1.ClosePeriodResponse{Period: &ledgerv1.Period{BookId: "H1", Through: "2026-03-31", Digest: []byte{0xab, 0x01}}}, nil
	}
	h.run("periods", "close", "--book", "H1", "--through", "2026-03-31")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "ab01") {
		t.Errorf("digest not in hex: %s", h.stdout.String())
	}

	h.calls[ledgerv1.LedgerService_VerifyPeriods_FullMethodName] = &ledgerv1.VerifyPeriodsResponse{Ok: true}
	h.run("periods", "verify", "--book", "H1")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "nothing sealed yet") {
		t.Errorf("verify with no sealed period: %s", h.stdout.String())
	}
	h.calls[ledgerv1.LedgerService_VerifyPeriods_FullMethodName] = &ledgerv1.VerifyPeriodsResponse{Ok: true, PeriodsChecked: 3, JournalsChecked: 120}
	h.run("periods", "verify", "--book", "H1")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "ok: 3 sealed period(s), 120 journal(s)") {
		t.Errorf("verify of 3 intact periods: %s", h.stdout.String())
	}
	h.calls[ledgerv1.LedgerService_VerifyPeriods_FullMethodName] = &ledgerv1.VerifyPeriodsResponse{Ok: false, Problems: []string{"period 2026-02 digest mismatch"}}
	h.run("periods", "verify", "--book", "H1")
	h.expect(exitRefused)
	if !strings.Contains(h.stdout.String(), "NOT OK") || !strings.Contains(h.stdout.String(), "digest mismatch") {
		t.Errorf("stdout: %s", h.stdout.String())
	}
	h.run("periods", "verify", "--book", "H1", "-o", "json")
	h.expect(exitRefused)
	if !strings.Contains(h.stdout.String(), `"ok": false`) {
		t.Errorf("json: %s", h.stdout.String())
	}
}

func TestTokensIssuePrintsTheTokenOnceToStdout(t *testing.T) {
	h := newHarness(t)
	h.calls[adminv1.AdminService_IssueToken_FullMethodName] = func(r *adminv1.IssueTokenRequest) (*adminv1.IssueTokenResponse, error) {
		if r.GetExpiresAt().AsTime().Format("2006-01-02") != "2026-12-31" {
			t.Errorf("expiry %v", r.GetExpiresAt())
		}
		return &adminv1.IssueTokenResponse{TokenId: "tok_1", Token: "zl_new_secret",
			Info: &adminv1.TokenInfo{TokenId: "tok_1", PrincipalId: r.GetPrincipalId(), ExpiresAt: r.GetExpiresAt()}}, nil
	}
	h.run("admin", "tokens", "issue", "--principal", "acme-ops", "--expires", "2026-12-31T23:59:59+08:00")
	h.expect(exitOK)
	if h.stdout.String() != "zl_new_secret\n" {
		t.Errorf("stdout %q, want the token alone", h.stdout.String())
	}
	if strings.Contains(h.stderr.String(), "zl_new_secret") || !strings.Contains(h.stderr.String(), "tok_1") {
		t.Errorf("stderr %q", h.stderr.String())
	}
}

func TestItemsImportChunksOf1000(t *testing.T) {
	var b strings.Builder
	b.WriteString("code,unit,scale,name\n")
	for i := range 2500 {
		fmt.Fprintf(&b, "%d,KGM,3,item %d\n", i, i)
	}
	file := writeFile(t, "items.csv", b.String())
	h := newHarness(t)
	var sizes []int
	h.calls[ledgerv1.LedgerService_RegisterItems_FullMethodName] = func(r *ledgerv1.RegisterItemsRequest) (*ledgerv1.RegisterItemsResponse, error) {
		sizes = append(sizes, len(r.GetItems()))
		if len(sizes) == 3 {
			st, _ := status.New(codes.FailedPrecondition, "item 2010 exists with unit PCE").WithDetails(&errdetails.ErrorInfo{
				Reason: "ITEM_CONFLICT", Domain: "zoneledger", Metadata: map[string]string{"field": "items[10].unit"}})
			return nil, st.Err()
		}
		return &ledgerv1.RegisterItemsResponse{Items: r.GetItems()}, nil
	}
	h.run("items", "import", "--book", "H1", "--file", file)
	h.expect(exitRefused)
	if fmt.Sprint(sizes) != "[1000 1000 500]" {
		t.Errorf("chunks %v", sizes)
	}
	stderr := h.stderr.String()
	for _, want := range []string{"2000 items registered before", "row 2012", "reason=ITEM_CONFLICT, field=items[10].unit", "/2500)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// A request built from flags is checked with the protos' rules before it is
// sent, and the refusal names the flag: an item's unit or name longer than
// the proto allows, a principal whose role does not take --link, a reversal
// reason over 512 characters, an item file with a unit over 16.
func TestFlagsAreCheckedAgainstTheProtoRulesBeforeSending(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"items", "register", "--book", "H1", "--code", "1", "--unit", "KILOGRAMS-NET-DRY"}, "--unit: "},
		{[]string{"items", "register", "--book", "H1", "--code", "1", "--unit", "KGM", "--name", strings.Repeat("x", 129)}, "--name: "},
		{[]string{"admin", "principals", "create", "--id", "p", "--role", "customs", "--link", "E1"}, "--link: "},
		{[]string{"journals", "reverse", "--book", "H1", "--journal", "1", "--key", "k", "--date", "2026-01-01", "--reason", strings.Repeat("x", 600)}, "--reason: "},
		{[]string{"items", "import", "--book", "H1", "--file", writeFile(t, "items.csv", "code,unit,scale\n1,KGM,0\n2,KILOGRAMS-NET-DRY,0\n")},
			`items.csv: row 3, column "unit": `},
	} {
		h := newHarness(t)
		h.nodial = true
		if code := h.run(c.args...); code != exitUsage || !strings.Contains(h.stderr.String(), c.want) {
			t.Errorf("zonectl %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(c.args, " "), code, h.stderr.String(), c.want)
		}
	}
}
