package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/conn"
	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// runRPC runs the command rpcCmd builds of s alone, printing CSV, against
// h's fake server, and returns its exit code.
func runRPC[M proto.Message](h *harness, s rpcSpec, v view[M], args ...string) int {
	h.t.Helper()
	h.stdout.Reset()
	h.stderr.Reset()
	a := newApp(&h.stdout, &h.stderr)
	a.g.addr, a.g.token, a.format = conn.DefaultAddr, "zl_test_secret", output.CSV
	a.getenv = func(string) string { return "" }
	a.dial = func(conn.Config) (*clients, error) { return &clients{cc: h.fakeServer}, nil }
	c := rpcCmd(a, s, v)
	c.SetArgs(args)
	c.SetOut(&h.stdout)
	c.SetErr(&h.stderr)
	c.SilenceErrors, c.SilenceUsage = true, true
	c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asUsage(err) })
	h.lastRun = a.exitCode(c, c.ExecuteContext(h.t.Context()))
	return h.lastRun
}

// A map<string, string> field bound to a flag takes KEY=VALUE, once per
// pair (the key trimmed, the value whole); a value without "=" is a usage
// error and nothing is sent.
func TestRPCBindMapFlagTakesKeyValuePairs(t *testing.T) {
	h := newHarness(t)
	spec := rpcSpec{use: "create", method: ledgerv1.LedgerService_CreateBook_FullMethodName, bind: "BOOK=book_id attr=attributes"}
	var got map[string]string
	h.calls[ledgerv1.LedgerService_CreateBook_FullMethodName] = func(r *ledgerv1.CreateBookRequest) (*ledgerv1.CreateBookResponse, error) {
		got = r.GetAttributes()
		return &ledgerv1.CreateBookResponse{Book: &ledgerv1.Book{BookId: r.GetBookId()}}, nil
	}
	runRPC(h, spec, bookView, "H1", "--owner", "E1", "--attr", "kind=processing", "--attr", " note =a=b")
	h.expect(exitOK)
	if len(got) != 2 || got["kind"] != "processing" || got["note"] != "a=b" {
		t.Errorf("attributes %v", got)
	}
	for _, bad := range []string{"novalue", "=v"} {
		h := newHarness(t)
		h.nodial = true
		if code := runRPC(h, spec, bookView, "H1", "--owner", "E1", "--attr", bad); code != exitUsage || !strings.Contains(h.stderr.String(), "write KEY=VALUE") {
			t.Errorf("--attr %q: exit %d, stderr %q", bad, code, h.stderr.String())
		}
	}
}

// ARG...=path is a last argument that takes one or more values into a
// repeated field; none is a usage error.
func TestRPCBindVariadicArgument(t *testing.T) {
	h := newHarness(t)
	spec := rpcSpec{use: "add-accounts", method: ledgerv1.LedgerService_AddBookAccounts_FullMethodName, bind: "BOOK=book_id ACCOUNT...=accounts"}
	h.calls[ledgerv1.LedgerService_AddBookAccounts_FullMethodName] = func(r *ledgerv1.AddBookAccountsRequest) (*ledgerv1.AddBookAccountsResponse, error) {
		if r.GetBookId() != "H1" || strings.Join(r.GetAccounts(), "|") != "repair|scrap|parts" {
			t.Errorf("request %v", r)
		}
		return &ledgerv1.AddBookAccountsResponse{Book: &ledgerv1.Book{BookId: r.GetBookId(), Accounts: r.GetAccounts()}}, nil
	}
	runRPC(h, spec, bookView, "H1", "repair", "scrap", "parts")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), `H1,,,"repair,scrap,parts"`) {
		t.Errorf("stdout %q", h.stdout.String())
	}
	h = newHarness(t)
	h.nodial = true
	if code := runRPC(h, spec, bookView, "H1"); code != exitUsage || !strings.Contains(h.stderr.String(), "expected BOOK ACCOUNT...") {
		t.Errorf("no ACCOUNT: exit %d, stderr %q", code, h.stderr.String())
	}
}

// path:=VALUE sends the field with that value always, and is no flag.
func TestRPCBindFixedValue(t *testing.T) {
	for _, suspend := range []bool{true, false} {
		h := newHarness(t)
		spec := rpcSpec{use: "x", method: customsv1.BookService_SetEnterpriseSuspended_FullMethodName, bind: "USCC=uscc suspended:=" + map[bool]string{true: "true", false: "false"}[suspend]}
		sent := !suspend
		h.calls[customsv1.BookService_SetEnterpriseSuspended_FullMethodName] = func(r *customsv1.SetEnterpriseSuspendedRequest) (*customsv1.SetEnterpriseSuspendedResponse, error) {
			sent = r.GetSuspended()
			return &customsv1.SetEnterpriseSuspendedResponse{Enterprise: &customsv1.Enterprise{Uscc: r.GetUscc(), Suspended: r.GetSuspended()}}, nil
		}
		runRPC(h, spec, enterpriseView, "U1")
		h.expect(exitOK)
		if sent != suspend {
			t.Errorf("suspended:=%v sent %v", suspend, sent)
		}
		if code := runRPC(h, spec, enterpriseView, "U1", "--suspended"); code != exitUsage {
			t.Errorf("a fixed field is a flag: exit %d", code)
		}
	}
}

// flag=path?DEFAULT gives the field DEFAULT, with the values of the fields
// it names, when the flag is not given; the flag is then not required
// although the protos require the field, and its help shows the default in
// flag names.
func TestRPCBindDefaultFromOtherFields(t *testing.T) {
	spec := rpcSpec{use: "close", method: ledgerv1.LedgerService_ClosePeriod_FullMethodName, bind: "key=idempotency_key?close:{book_id}:{through}"}
	c := rpcCmd(newApp(nil, nil), spec, periodView)
	if f := c.Flags().Lookup("key"); f.DefValue != "close:BOOK:THROUGH" || f.Annotations[cobra.BashCompOneRequiredFlag] != nil ||
		strings.Contains(f.Usage, "(required)") || strings.Contains(c.Use, "--key") {
		t.Errorf("--key: default %q, annotations %v, usage %q, use %q", f.DefValue, f.Annotations, f.Usage, c.Use)
	}
	for _, tc := range []struct{ args []string }{
		{[]string{"--book", "H1", "--through", "2026-03-31"}},
		{[]string{"--book", "H1", "--through", "2026-03-31", "--key", "mine"}},
	} {
		h := newHarness(t)
		var key string
		h.calls[ledgerv1.LedgerService_ClosePeriod_FullMethodName] = func(r *ledgerv1.ClosePeriodRequest) (*ledgerv1.ClosePeriodResponse, error) {
			key = r.GetIdempotencyKey()
			return &ledgerv1.ClosePeriodResponse{Period: &ledgerv1.Period{BookId: r.GetBookId()}}, nil
		}
		runRPC(h, spec, periodView, tc.args...)
		h.expect(exitOK)
		if want := map[int]string{4: "close:H1:2026-03-31", 6: "mine"}[len(tc.args)]; key != want {
			t.Errorf("%v: key %q, want %q", tc.args, key, want)
		}
	}
}

// An enum is written as its value's name without the prefix, or with it,
// in any case.
func TestRPCEnumTakesItsFullNameToo(t *testing.T) {
	spec := rpcSpec{use: "status", method: customsv1.BookService_SetBookStatus_FullMethodName, bind: "BOOK=book_no STATUS=status"}
	for _, s := range []string{"closed", "CLOSED", "BOOK_STATUS_CLOSED", "book_status_closed"} {
		h := newHarness(t)
		h.calls[customsv1.BookService_SetBookStatus_FullMethodName] = func(r *customsv1.SetBookStatusRequest) (*customsv1.SetBookStatusResponse, error) {
			if r.GetStatus() != customsv1.BookStatus_BOOK_STATUS_CLOSED {
				t.Errorf("%s: status %v", s, r.GetStatus())
			}
			return &customsv1.SetBookStatusResponse{Book: &customsv1.Book{BookNo: r.GetBookNo(), Status: r.GetStatus()}}, nil
		}
		runRPC(h, spec, customsBookView, "H1", s)
		h.expect(exitOK)
	}
	h := newHarness(t)
	h.nodial = true
	if code := runRPC(h, spec, customsBookView, "H1", "STATUS_CLOSED"); code != exitUsage {
		t.Errorf("a part of the prefix: exit %d", code)
	}
}

// An argument the protos' rules refuse is named as the argument, not as a
// flag; the command's aliases are the spec's.
func TestRPCArgumentRefusalNamesTheArgument(t *testing.T) {
	h := newHarness(t)
	h.nodial = true
	spec := rpcSpec{use: "get", aliases: []string{"show"}, method: ledgerv1.LedgerService_GetJournal_FullMethodName, bind: "ID=journal_id"}
	runRPC(h, spec, journalView, "0")
	h.expect(exitUsage)
	if !strings.HasPrefix(h.stderr.String(), "error: ID: ") {
		t.Errorf("stderr %q", h.stderr.String())
	}
	if c := rpcCmd(newApp(nil, nil), spec, journalView); strings.Join(c.Aliases, ",") != "show" {
		t.Errorf("aliases %v", c.Aliases)
	}
}

// A path through a repeated message field is its one element: the flags
// fill one item, and a refusal of that element names the flag.
func TestRPCBindThroughARepeatedFieldToItsOneElement(t *testing.T) {
	spec := rpcSpec{use: "register", method: ledgerv1.LedgerService_RegisterItems_FullMethodName,
		bind: "code=items.code unit=items.unit scale=items.scale attr=items.attributes"}
	h := newHarness(t)
	h.calls[ledgerv1.LedgerService_RegisterItems_FullMethodName] = func(r *ledgerv1.RegisterItemsRequest) (*ledgerv1.RegisterItemsResponse, error) {
		if it := r.GetItems(); r.GetBookId() != "H1" || len(it) != 1 || it[0].GetCode() != "7" || it[0].GetUnit() != "KGM" ||
			it[0].GetScale() != 3 || it[0].GetAttributes()["hs_code"] != "7403110000" {
			t.Errorf("request %v", r)
		}
		return &ledgerv1.RegisterItemsResponse{Items: r.GetItems()}, nil
	}
	runRPC(h, spec, itemView, "--book", "H1", "--code", "7", "--unit", "KGM", "--scale", "3", "--attr", "hs_code=7403110000")
	h.expect(exitOK)
	if !strings.HasSuffix(h.stdout.String(), "\n,7,KGM,3,,hs_code=7403110000\n") {
		t.Errorf("stdout %q", h.stdout.String())
	}
	h = newHarness(t)
	h.nodial = true
	if code := runRPC(h, spec, itemView, "--book", "H1", "--code", "7", "--unit", "KGM", "--scale", "6"); code != exitUsage ||
		!strings.HasPrefix(h.stderr.String(), "error: --scale: ") {
		t.Errorf("--scale 6: exit %d, stderr %q", code, h.stderr.String())
	}
}

// A spec's note says on stderr what an answer means beyond what prints,
// and nothing when it returns "": journals reverse says that a reversal
// was replayed.
func TestRPCNoteSaysWhatTheAnswerMeans(t *testing.T) {
	for _, replayed := range []bool{true, false} {
		h := newHarness(t)
		h.calls[ledgerv1.LedgerService_ReverseJournal_FullMethodName] = &ledgerv1.ReverseJournalResponse{Replayed: replayed,
			Journal: &ledgerv1.Journal{JournalId: 8, BookId: "H1", IdempotencyKey: "rev-7"}}
		code, stdout, stderr := h.output("journals", "reverse", "--book", "H1", "--journal", "7", "--key", "rev-7",
			"--date", "2026-03-05", "--reason", "wrong quantity", "-o", "json")
		if code != exitOK || !strings.Contains(stdout, `"journal_id": "8"`) {
			t.Errorf("replayed %v: exit %d, stdout %q", replayed, code, stdout)
		}
		if want := map[bool]string{true: "replayed: key \"rev-7\" was booked before; this is the original reversing journal\n"}[replayed]; stderr != want {
			t.Errorf("replayed %v: stderr %q, want %q", replayed, stderr, want)
		}
		spec := rpcSpec{use: "get", method: ledgerv1.LedgerService_GetJournal_FullMethodName, bind: "ID=journal_id",
			note: func(m proto.Message) string { return m.(*ledgerv1.GetJournalResponse).GetJournal().GetBookId() }}
		h.calls[ledgerv1.LedgerService_GetJournal_FullMethodName] = &ledgerv1.GetJournalResponse{Journal: &ledgerv1.Journal{JournalId: 8}}
		if runRPC(h, spec, journalView, "8"); h.stderr.String() != "" {
			t.Errorf("an empty note printed %q", h.stderr.String())
		}
		h.calls[ledgerv1.LedgerService_GetJournal_FullMethodName] = &ledgerv1.GetJournalResponse{Journal: &ledgerv1.Journal{JournalId: 8, BookId: "H1"}}
		if runRPC(h, spec, journalView, "8"); h.stderr.String() != "H1\n" {
			t.Errorf("note printed %q, want H1", h.stderr.String())
		}
	}
}
