package tests

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestZonectlCustomsWorkedExample runs the worked example of
// cmd/zonectl/README.md with the built zonectl and the files of
// cmd/zonectl/examples against a fresh server: register an enterprise and
// its principals, create a book, add its lines (CSV, then the same lines as
// JSON) and part numbers, file a first-line entry list (JSON, then the same
// list in the CSV form), declare and approve it, file its pass, record the
// vehicle at the gate, and read the stock. It goes on with an export list
// (reserved stock), a vehicle held at the gate and released, and the
// certificate of non-manipulation.
func TestZonectlCustomsWorkedExample(t *testing.T) {
	needZonectl(t)
	s := StartServer(t)
	c := &ctl{t: t, addr: s.Addr, dir: t.TempDir()}
	ex := func(name string) string { return filepath.Join(bins.root, "cmd", "zonectl", "examples", name) }
	const (
		uscc = "91310000MA1K000019"
		book = "H31050000001"
	)
	admin := s.AdminToken
	one := func(out string) string { // the single line -q printed
		t.Helper()
		v := strings.TrimSpace(out)
		if v == "" || strings.ContainsAny(v, " \n") {
			t.Fatalf("expected one number, got %q", out)
		}
		return v
	}

	// The admin registers the enterprise and creates its principal and the
	// customs officer's.
	out := c.must(admin, "-o", "json", "customs", "enterprise", "register", uscc, "--customs-code", "3105960001",
		"--name", "Pudong Precision Parts Co., Ltd.")
	var ent customsv1.Enterprise
	if err := protojson.Unmarshal([]byte(out), &ent); err != nil || ent.GetUscc() != uscc || ent.GetCreditRating() != customsv1.CreditRating_CREDIT_RATING_GENERAL {
		t.Fatalf("enterprise register -o json printed %q (%v)", out, err)
	}
	c.must(admin, "admin", "principals", "create", "--id", "acme", "--role", "enterprise", "--enterprise", uscc)
	c.must(admin, "admin", "principals", "create", "--id", "officer", "--role", "customs")
	e := one(c.must(admin, "admin", "tokens", "issue", "--principal", "acme"))
	cu := one(c.must(admin, "admin", "tokens", "issue", "--principal", "officer"))

	// The enterprise registers its book, lines and part numbers.
	c.must(e, "customs", "book", "create", book, "--kind", "zone", "--enterprise", uscc, "--customs-office", "3105", "--usage", "1")
	c.must(e, "customs", "book", "lines", "add", book, "--file", ex("lines.csv"))
	c.must(e, "customs", "book", "lines", "add", book, "--file", ex("lines.json")) // the same lines: a no-op
	c.must(e, "customs", "book", "parts", "map", book, "--file", ex("parts.csv"))
	lines := csvRecords(t, c.must(e, "-o", "csv", "customs", "book", "lines", "list", book))
	if len(lines) != 4 || lines[1][1] != "1" || lines[1][12] != "NB-14-GREY;NB-14-SILVER" || lines[2][10] != "0.001" || lines[3][11] != "MATERIAL" {
		t.Fatalf("book lines: %v", lines)
	}

	// The first-line entry list: filed (JSON), the same list in the CSV
	// form comes back as the same list, declared, approved by customs.
	list := one(c.must(e, "customs", "list", "create", "--file", ex("list-in.json"), "-q"))
	if again := one(c.must(e, "customs", "list", "create", "--file", ex("list-in.csv"), "-q")); again != list {
		t.Errorf("the CSV form of the list filed %s, the JSON form %s; want the same list", again, list)
	}
	c.must(e, "customs", "list", "declare", list)
	if _, errOut, code := c.run(e, "customs", "list", "approve", list); code != 1 || !strings.Contains(errOut, "reason=PERMISSION_DENIED") {
		t.Errorf("the enterprise approving its own list: exit %d, stderr %q; want 1 and PERMISSION_DENIED", code, errOut)
	}
	out = c.must(cu, "-o", "csv", "customs", "list", "approve", list, "--note", "documents checked")
	if r := csvRecords(t, out); len(r) != 2 || r[1][7] != "APPROVED" || r[1][6] != "FIRST_LINE_IN" {
		t.Errorf("list approve: %v", r)
	}

	// The pass and the vehicle at the gate.
	pass := one(c.must(e, "customs", "pass", "create", "--file", ex("pass-in.json"), "--related", list, "-q"))
	for range 2 { // the gate system resends the event: recorded once
		out = c.must(cu, "-o", "json", "customs", "pass", "event", pass, "--event-id", "GATE1-0001", "--vehicle", "沪A12345", "--scale-gross", "13600")
		var p customsv1.Pass
		if err := protojson.Unmarshal([]byte(out), &p); err != nil || p.GetStatus() != customsv1.PassStatus_PASS_STATUS_PASSED ||
			len(p.GetEvents()) != 1 || p.GetJournalId() == 0 {
			t.Fatalf("pass event -o json printed %q (%v)", out, err)
		}
	}

	// The stock: table, CSV and JSON agree with each other and the API.
	out = c.must(e, "customs", "stock", book)
	want := "BOOK_SEQ  NAME                   UNIT  BONDED  AVAILABLE  RESERVED  NON_BONDED  NON_BONDED_RESERVED  INSPECTION  UNDECLARED  DISPLAY  OUT_ZONE\n" +
		"1         Notebook computer      001   100     100        0         0           0                    0           0           0        0\n" +
		"2         Polyethylene           035   2500.5  2500.5     0         0           0                    0           0           0        0\n" +
		"3         Printed circuit board  007   0       0          0         0           0                    0           0           0        0\n"
	if out != want {
		t.Errorf("zonectl customs stock:\n%s\nwant:\n%s", out, want)
	}
	wantStock := map[string]string{"1": "100|100|0", "2": "2500.5|2500.5|0", "3": "0|0|0"}
	if got := stockCSV(t, c.must(e, "-o", "csv", "customs", "stock", book)); !mapsEqual(got, wantStock) {
		t.Errorf("stock -o csv: %v, want %v", got, wantStock)
	}
	var js []map[string]any
	if err := json.Unmarshal([]byte(c.must(cu, "-o", "json", "customs", "stock", book)), &js); err != nil || len(js) != 3 ||
		js[1]["bonded"] != "2500.5" || js[1]["unit"] != "035" {
		t.Errorf("stock -o json as customs: %v %v", js, err)
	}
	api, err := customsv1.NewBookServiceClient(s.Conn()).GetStockReport(ctxAs(t, e), &customsv1.GetStockReportRequest{BookNo: book})
	if err != nil || len(api.GetLines()) != 3 || api.GetLines()[1].GetBonded() != "2500.5" || api.GetLines()[0].GetAvailable() != "100" {
		t.Errorf("GetStockReport: %v, %v", api.GetLines(), err)
	}
	if got := stockCSV(t, c.must(e, "-o", "csv", "customs", "stock", book, "--as-of", day(-1))); !mapsEqual(got, map[string]string{"1": "0|0|0", "2": "0|0|0", "3": "0|0|0"}) {
		t.Errorf("stock as of yesterday: %v, want nothing", got)
	}
	if r := csvRecords(t, c.must(e, "-o", "csv", "customs", "list", "get", list)); len(r) != 3 || r[1][6] != "CLEARED" || r[2][22] != "2500.5" {
		t.Errorf("list get after the gate: %v", r)
	}

	// Export: declaring reserves 40 of line 1; the vehicle is held at the
	// gate (the scale reads 500 kg too much) until customs releases it.
	exp := one(c.must(e, "customs", "list", "create", "--file", ex("list-out.json"), "-q"))
	c.must(e, "customs", "list", "declare", exp)
	if got := stockCSV(t, c.must(e, "-o", "csv", "customs", "stock", book))["1"]; got != "100|60|40" {
		t.Errorf("line 1 after declaring the export: %s, want bonded 100, available 60, reserved 40", got)
	}
	c.must(cu, "customs", "list", "approve", exp)
	out = c.must(e, "customs", "pass", "create", "--file", ex("pass-out.json"), "--related", exp, "-o", "csv")
	pout := csvRecords(t, out)[1][0]
	out, errOut, code := c.run(cu, "customs", "pass", "event", pout, "--event-id", "GATE1-0002", "--vehicle", "沪B00001", "--scale-gross", "9900")
	if code != 0 || !strings.Contains(out, "HELD") || !strings.Contains(errOut, "is HELD") {
		t.Errorf("a held vehicle: exit %d\n%s%s", code, out, errOut)
	}
	if got := stockCSV(t, c.must(e, "-o", "csv", "customs", "stock", book))["1"]; got != "100|60|40" {
		t.Errorf("line 1 while the vehicle is held: %s, want nothing booked", got)
	}
	if r := csvRecords(t, c.must(cu, "-o", "csv", "customs", "pass", "ls", "--status", "held")); len(r) != 2 || r[1][0] != pout {
		t.Errorf("pass ls --status held: %v", r)
	}
	c.must(cu, "customs", "pass", "release", pout, "--note", "inspected: pallets heavier than declared")
	if got := stockCSV(t, c.must(e, "-o", "csv", "customs", "stock", book))["1"]; got != "60|60|0" {
		t.Errorf("line 1 after the release: %s, want 60 bonded", got)
	}
	cert := csvRecords(t, c.must(e, "-o", "csv", "customs", "certificate", exp))
	if len(cert) != 2 || cert[1][6] != list+"-1" || cert[1][7] != "40" || cert[1][8] != list || cert[1][10] != "USA" {
		t.Errorf("certificate: %v", cert)
	}
	rep := csvRecords(t, c.must(e, "-o", "csv", "customs", "consumption", "report", "--file", ex("consumption.json")))
	if len(rep) != 2 || rep[1][6] != "consumed" || rep[1][8] != "12.5" || rep[1][12] != list+"-2=12.5" {
		t.Errorf("consumption report: %v", rep)
	}
	if got := stockCSV(t, c.must(e, "-o", "csv", "customs", "stock", book))["2"]; got != "2488|2488|0" {
		t.Errorf("line 2 after consuming 12.5: %s, want 2488 bonded", got)
	}
}

// csvRecords parses zonectl's CSV output.
func csvRecords(t *testing.T, out string) [][]string {
	t.Helper()
	r, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, out)
	}
	return r
}

// stockCSV reads `zonectl customs stock -o csv` as book_seq ->
// "bonded|available|reserved", checking the header.
func stockCSV(t *testing.T, out string) map[string]string {
	t.Helper()
	r := csvRecords(t, out)
	if len(r) == 0 || strings.Join(r[0], ",") != "book_seq,name,unit,bonded,available,reserved,non_bonded,non_bonded_reserved,inspection,undeclared,display,out_zone" {
		t.Fatalf("stock -o csv header: %v", r)
	}
	m := map[string]string{}
	for _, row := range r[1:] {
		m[row[0]] = row[3] + "|" + row[4] + "|" + row[5]
	}
	return m
}
