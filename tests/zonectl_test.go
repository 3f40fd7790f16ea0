package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// ctl runs the built zonectl against a server with a token file.
type ctl struct {
	t    *testing.T
	addr string
	dir  string
}

// run runs zonectl with args as the holder of tok ("" for no token) and
// returns its stdout, stderr and exit code.
func (c *ctl) run(tok string, args ...string) (string, string, int) {
	c.t.Helper()
	full := []string{"--addr", c.addr, "--timeout", "60s"}
	if tok != "" {
		f := filepath.Join(c.dir, "token")
		if err := os.WriteFile(f, []byte(tok+"\n"), 0o600); err != nil {
			c.t.Fatal(err)
		}
		full = append(full, "--token-file", f)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bins.zonectl, append(full, args...)...)
	cmd.Dir = c.dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ZONELEDGER_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		c.t.Fatalf("zonectl %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), code
}

// must runs zonectl and fails the test unless it exits 0.
func (c *ctl) must(tok string, args ...string) string {
	c.t.Helper()
	out, errOut, code := c.run(tok, args...)
	if code != 0 {
		c.t.Fatalf("zonectl %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func (c *ctl) file(name, content string) string {
	c.t.Helper()
	p := filepath.Join(c.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return p
}

// postReport is the part of `zonectl journals post -o json` the test reads.
type postReportJSON struct {
	Journals, Accepted, Replayed, Refused, Unanswered int
	Results                                           []struct {
		IdempotencyKey string `json:"idempotency_key"`
		Status         string `json:"status"`
		JournalID      string `json:"journal_id"`
		Error          *struct {
			Code, Reason, Field string
		} `json:"error"`
	}
}

// TestZonectlEndToEnd drives the built zonectl the way an enterprise's
// clerk would: create a book, import items from CSV, post journals from a
// JSON file (and post it again), read the balances as JSON.
func TestZonectlEndToEnd(t *testing.T) {
	needZonectl(t)
	s := StartServer(t)
	a := NewActors(t, s)
	c := &ctl{t: t, addr: s.Addr, dir: t.TempDir()}
	const book = "H-CTL-E1"

	c.must(a.C, "world", "ensure", "abroad", "domestic")
	out := c.must(a.E1, "-o", "json", "books", "create", book, "--owner", ent1, "--name", "Bonded stock", "--account", "bonded,nonbonded")
	var b ledgerv1.Book
	if err := protojson.Unmarshal([]byte(out), &b); err != nil || b.GetBookId() != book || b.GetOwner() != ent1 {
		t.Fatalf("books create -o json printed %q (%v)", out, err)
	}

	items := c.file("items.csv", "code,unit,scale,name,attr:hs_code\n1,KGM,3,Copper cathode,7403110000\n2,PCE,0,Circuit board,8534009000\n3,MTR,2,Cable,8544491900\n")
	c.must(a.E1, "items", "import", "--book", book, "--file", items)
	li, err := s.Ledger().ListItems(ctxAs(t, a.E1), &ledgerv1.ListItemsRequest{BookId: book})
	if err != nil || len(li.GetItems()) != 3 || li.GetItems()[0].GetAttributes()["hs_code"] != "7403110000" || li.GetItems()[0].GetScale() != 3 {
		t.Fatalf("items after the import: %v, %v", li.GetItems(), err)
	}

	d := day(-1)
	journals := c.file("journals.json", `[
 {"book_id": "`+book+`", "idempotency_key": "IN-0001", "effective_date": "`+d+`",
  "document": {"type": "ENTRY", "number": "QD0001", "trade_mode": "5034"},
  "postings": [{"item_code": "1", "from": {"name": "abroad"}, "to": {"book_id": "`+book+`", "name": "bonded"}, "quantity": "1200.5", "unit": "KGM", "value": "86436.00"},
               {"item_code": "2", "from": {"name": "abroad"}, "to": {"book_id": "`+book+`", "name": "bonded"}, "quantity": "40", "unit": "PCE", "value": "5200.00"}]},
 {"book_id": "`+book+`", "idempotency_key": "OUT-0001", "effective_date": "`+d+`",
  "document": {"type": "EXIT", "number": "QD0002"},
  "postings": [{"item_code": "1", "from": {"book_id": "`+book+`", "name": "bonded"}, "to": {"name": "domestic"}, "quantity": "200.5", "unit": "KGM"}]},
 {"book_id": "`+book+`", "idempotency_key": "IN-0002", "effective_date": "`+d+`",
  "document": {"type": "ENTRY", "number": "QD0003"},
  "postings": [{"item_code": "3", "from": {"name": "abroad"}, "to": {"book_id": "`+book+`", "name": "bonded"}, "quantity": "12.25", "unit": "MTR", "value": "49.00"}]}
]`)
	rep := postReport(t, c.must(a.E1, "-o", "json", "journals", "post", "--file", journals))
	if rep.Journals != 3 || rep.Accepted != 3 || rep.Refused != 0 {
		t.Errorf("journals post: %+v; want 3 accepted", rep)
	}
	again := postReport(t, c.must(a.E1, "-o", "json", "journals", "post", "--file", journals))
	if again.Replayed != 3 || again.Accepted != 0 {
		t.Errorf("posting the same file again: %+v; want 3 replayed", again)
	}
	for i := range rep.Results {
		if rep.Results[i].JournalID == "" || rep.Results[i].JournalID != again.Results[i].JournalID {
			t.Errorf("journal %s: id %q, on the re-run %q", rep.Results[i].IdempotencyKey, rep.Results[i].JournalID, again.Results[i].JournalID)
		}
	}

	// One journal refused: exit 1, the reason and field reported.
	refused := c.file("refused.json", `{"book_id": "`+book+`", "idempotency_key": "OUT-9999", "effective_date": "`+d+`",
  "document": {"type": "EXIT", "number": "QD9999"},
  "postings": [{"item_code": "2", "from": {"book_id": "`+book+`", "name": "bonded"}, "to": {"name": "domestic"}, "quantity": "41", "unit": "PCE"}]}`)
	out, errOut, code := c.run(a.E1, "-o", "json", "journals", "post", "--file", refused)
	if code != 1 {
		t.Errorf("posting a journal the book cannot cover: exit %d, want 1\n%s%s", code, out, errOut)
	} else if r := postReport(t, out); r.Refused != 1 || r.Results[0].Error == nil || r.Results[0].Error.Reason != "INSUFFICIENT_QUANTITY" || r.Results[0].Error.Field != "postings[0].quantity" {
		t.Errorf("refused journal report: %+v", r)
	}
	// A malformed file: exit 2, nothing sent.
	bad := c.file("bad.json", `{"book_id": "`+book+`", "idempotency_key": "BAD-1", "effective_date": "`+d+`",
  "document": {"type": "ENTRY", "number": "X"},
  "postings": [{"item_code": "1", "from": {"name": "abroad"}, "to": {"book_id": "`+book+`", "name": "bonded"}, "quantity": "1e3", "unit": "KGM", "value": "1.00"}]}`)
	if out, errOut, code := c.run(a.E1, "journals", "post", "--file", bad); code != 2 {
		t.Errorf("posting a file with quantity 1e3: exit %d, want 2\n%s%s", code, out, errOut)
	}
	if n := len(streamAll(t, s, a.E1, book)); n != 3 {
		t.Errorf("the book has %d journals, want 3", n)
	}

	// Balances as JSON agree with the API.
	out = c.must(a.E1, "-o", "json", "balances", "--book", book)
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("balances -o json is not a JSON array: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, r := range raw {
		var bal ledgerv1.Balance
		if err := protojson.Unmarshal(r, &bal); err != nil {
			t.Fatalf("balances -o json element %s: %v", r, err)
		}
		got[bal.GetAccount().GetName()+"/"+bal.GetItemCode()] = dec(t, bal.GetQuantity()).String() + "|" + dec(t, bal.GetValue()).StringFixed(2)
	}
	want := map[string]string{"bonded/1": "1000|72000.00", "bonded/2": "40|5200.00", "bonded/3": "12.25|49.00"}
	if !mapsEqual(got, want) {
		t.Errorf("zonectl balances: %v, want %v", got, want)
	}
	if api := balanceMap(t, s, a.E1, book); !mapsEqual(api, got) {
		t.Errorf("zonectl balances %v, the API says %v", got, api)
	}

	// Access control holds through the CLI too.
	if _, _, code := c.run(a.E2, "balances", "--book", book); code != 1 {
		t.Errorf("E2 reading E1's balances with zonectl: exit %d, want 1", code)
	}
	if _, _, code := c.run("", "balances", "--book", book); code != 2 {
		t.Errorf("zonectl without a token: exit %d, want 2 (usage: nothing sent)", code)
	}
}

func postReport(t *testing.T, out string) postReportJSON {
	t.Helper()
	var r postReportJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("journals post -o json printed %q: %v", out, err)
	}
	return r
}

// TestZonectlTokenIssueRetried: an admin whose `tokens issue` answer was
// lost runs the same command again with the same --request-id; the token
// the lost answer carried stops working, the new one works, and stderr
// names the token revoked. The principal is left with one live token.
func TestZonectlTokenIssueRetried(t *testing.T) {
	needZonectl(t)
	s := StartServer(t)
	c := &ctl{t: t, addr: s.Addr, dir: t.TempDir()}
	admin := s.AdminToken
	c.must(admin, "admin", "principals", "create", "--id", "bridge", "--role", "customs")
	issue := []string{"admin", "tokens", "issue", "--principal", "bridge", "--description", "ERP bridge", "--request-id", "bridge-2026"}
	lost := strings.TrimSpace(c.must(admin, issue...))
	if out := c.must(lost, "whoami"); !strings.Contains(out, "bridge") {
		t.Fatalf("whoami with the first token: %q", out)
	}
	out, errOut, code := c.run(admin, issue...)
	kept := strings.TrimSpace(out)
	if code != 0 || kept == "" || kept == lost || !strings.Contains(errOut, "revoked token tok_") {
		t.Fatalf("issuing again: exit %d, token %q (the first: %q), stderr %q", code, kept, lost, errOut)
	}
	if _, errOut, code := c.run(lost, "whoami"); code == 0 || !strings.Contains(errOut, "UNAUTHENTICATED") {
		t.Fatalf("the replaced token still works or is refused otherwise: exit %d, %s", code, errOut)
	}
	if out := c.must(kept, "whoami"); !strings.Contains(out, "bridge") {
		t.Fatalf("whoami with the new token: %q", out)
	}
	rows := strings.Split(strings.TrimSpace(c.must(admin, "-o", "csv", "admin", "tokens", "list", "--principal", "bridge")), "\n")
	live := 0
	for _, r := range rows[1:] { // token_id,principal_id,description,created_at,expires_at,revoked_at
		if strings.HasSuffix(r, ",") {
			live++
		}
	}
	if len(rows) != 3 || live != 1 {
		t.Fatalf("bridge's tokens, want two and one live:\n%s", strings.Join(rows, "\n"))
	}
}
