package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// zonectlZone is a fresh server and zonectl with the enterprise
// 91310000MA1K000019 (principal acme, token e), a customs officer (token
// cu) and the enterprise's zone book H31050000001 with the lines and
// parts of cmd/zonectl/examples.
type zonectlZone struct {
	s     *Server
	c     *ctl
	e, cu string
	ex    func(name string) string
	uscc  string
	book  string
}

func startZonectlZone(t *testing.T) *zonectlZone {
	t.Helper()
	needZonectl(t)
	s := StartServer(t)
	z := &zonectlZone{s: s, c: &ctl{t: t, addr: s.Addr, dir: t.TempDir()}, uscc: "91310000MA1K000019", book: "H31050000001",
		ex: func(name string) string { return filepath.Join(bins.root, "cmd", "zonectl", "examples", name) }}
	c, admin := z.c, s.AdminToken
	c.must(admin, "customs", "enterprise", "register", z.uscc, "--customs-code", "3105960001", "--name", "Pudong Precision Parts Co., Ltd.")
	c.must(admin, "admin", "principals", "create", "--id", "acme", "--role", "enterprise", "--enterprise", z.uscc)
	c.must(admin, "admin", "principals", "create", "--id", "officer", "--role", "customs")
	z.e = strings.TrimSpace(c.must(admin, "admin", "tokens", "issue", "--principal", "acme"))
	z.cu = strings.TrimSpace(c.must(admin, "admin", "tokens", "issue", "--principal", "officer"))
	c.must(z.e, "customs", "book", "create", z.book, "--kind", "zone", "--enterprise", z.uscc, "--customs-office", "3105", "--usage", "1")
	c.must(z.e, "customs", "book", "lines", "add", z.book, "--file", z.ex("lines.csv"))
	c.must(z.e, "customs", "book", "parts", "map", z.book, "--file", z.ex("parts.csv"))
	return z
}

// TestSingleWindowTripListThenPass drives one list's full single-window
// trip with the built zonectl against a fresh server (issue 18, "Shown"):
// the list leaves as INV101, customs' INV201 approves it and its customs
// number is stored; the pass leaves as SAS121 naming the list by that
// number (rltNo); customs' SAS221 approves the pass and stores its number;
// both documents are found by customs' numbers; SAS251 已过卡 moves the
// goods, once, however often it is imported.
func TestSingleWindowTripListThenPass(t *testing.T) {
	z := startZonectlZone(t)
	c, e, cu, ex := z.c, z.e, z.cu, z.ex
	const (
		uscc      = "91310000MA1K000019"
		book      = "H31050000001"
		listNo    = "QD310526I000000101" // customs' number of the list (保税清单编号)
		passNo    = "Z3105I261206000000000101"
		listInner = "IN-0001"
		passInner = "P-IN-0001"
	)
	one := func(out string) string { return strings.TrimSpace(out) }
	list := one(c.must(e, "customs", "list", "create", "--file", ex("list-in.json"), "-q"))
	c.must(e, "customs", "list", "declare", list)
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(c.dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	// INV101 out: the declared list with the enterprise's own numbers.
	inv101 := c.must(e, "customs", "list", "message", list)
	for _, el := range []string{"<message_type>INV101</message_type>", "<EtpsInnerInvtNo>" + listInner + "</EtpsInnerInvtNo>", "<PutrecNo>" + book + "</PutrecNo>", "<DelcareFlag>1</DelcareFlag>"} {
		if !strings.Contains(inv101, el) {
			t.Errorf("INV101 lacks %s:\n%s", el, inv101)
		}
	}

	// INV201 in: customs' number stored, the list approved and found by it.
	r := csvRecords(t, c.must(cu, "-o", "csv", "customs", "list", "receipts", write("inv201.xml", inv201(listNo, book, listInner, uscc, "1", "0", "0", ""))))
	if len(r) != 2 || r[1][1] != list || r[1][2] != listNo || r[1][4] != "APPROVED" || r[1][5] != "true" {
		t.Fatalf("list receipts: %v", r)
	}
	var l customsv1.List
	if err := protojson.Unmarshal([]byte(c.must(e, "-o", "json", "customs", "list", "get", listNo)), &l); err != nil ||
		l.GetListNo() != list || l.GetCustomsNo() != listNo || l.GetStatus() != customsv1.ListStatus_LIST_STATUS_APPROVED {
		t.Fatalf("list get by the customs number: %v (%v)", &l, err)
	}

	// SAS121 out: the pass names its list by customs' number.
	pass := one(c.must(e, "customs", "pass", "create", "--file", ex("pass-in.json"), "--related", list, "-q"))
	sas121 := c.must(e, "customs", "pass", "message", pass)
	for _, el := range []string{"<message_type>SAS121</message_type>", "<etpsPreentNo>" + passInner + "</etpsPreentNo>", "<rltNo>" + listNo + "</rltNo>"} {
		if !strings.Contains(sas121, el) {
			t.Errorf("SAS121 lacks %s:\n%s", el, sas121)
		}
	}
	if strings.Contains(sas121, "<rltNo>"+list+"</rltNo>") {
		t.Errorf("SAS121 names the list by the zone's number %s:\n%s", list, sas121)
	}

	// SAS221 in: the pass approved, customs' number stored, found by it.
	fill := func(name, out string, kv ...string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(bins.root, "customs", "singlewindow", "sas", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return write(out, []byte(strings.NewReplacer(kv...).Replace(string(b))))
	}
	sas221 := fill("SAS221_approved.xml", "sas221.xml", "{{INNER}}", passInner, "{{CUSTOMS_NO}}", passNo, "{{RESULT}}", "1", "{{RMK}}", "",
		"{{LIST_NO}}", listNo, "{{USCC}}", uscc)
	r = csvRecords(t, c.must(cu, "-o", "csv", "customs", "pass", "receipts", sas221))
	if len(r) != 2 || r[1][1] != "SAS221" || r[1][3] != pass || r[1][4] != passNo || r[1][5] != "APPROVED" || r[1][6] != "true" {
		t.Fatalf("SAS221: %v", r)
	}
	var p customsv1.Pass
	if err := protojson.Unmarshal([]byte(c.must(e, "-o", "json", "customs", "pass", "get", passNo)), &p); err != nil ||
		p.GetPassNo() != pass || p.GetCustomsNo() != passNo || p.GetStatus() != customsv1.PassStatus_PASS_STATUS_APPROVED {
		t.Fatalf("pass get by the customs number: %v (%v)", &p, err)
	}
	// The pass's message now carries both customs numbers.
	sas121 = c.must(e, "customs", "pass", "message", passNo)
	if !strings.Contains(sas121, "<passportNo>"+passNo+"</passportNo>") || !strings.Contains(sas121, "<rltNo>"+listNo+"</rltNo>") {
		t.Errorf("SAS121 after SAS221 lacks the customs numbers:\n%s", sas121)
	}

	// SAS251 已过卡 in: the goods move once.
	before := map[string]string{"1": "0|0|0", "2": "0|0|0", "3": "0|0|0"}
	if got := stockCSV(t, c.must(e, "-o", "csv", "customs", "stock", book)); !mapsEqual(got, before) {
		t.Fatalf("stock before the gate: %v, want %v", got, before)
	}
	now := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05")
	sas251 := fill("SAS251_gate.xml", "sas251.xml", "{{MESSAGE_ID}}", "CUS0000E010000-251-101", "{{INNER}}", passInner, "{{CUSTOMS_NO}}", passNo,
		"{{USCC}}", uscc, "{{VEHICLE}}", "沪A12345", "{{PASS_ID}}", "GATE1-0101", "{{PASS_TIME}}", now, "{{STUCD}}", "2")
	after := map[string]string{"1": "100|100|0", "2": "2500.5|2500.5|0", "3": "0|0|0"}
	for i, want := range []string{"true", "false", "false"} {
		r = csvRecords(t, c.must(cu, "-o", "csv", "customs", "pass", "receipts", sas251))
		if len(r) != 2 || r[1][1] != "SAS251" || r[1][5] != "PASSED" || r[1][6] != want {
			t.Fatalf("SAS251 (import %d): %v", i+1, r)
		}
		if got := stockCSV(t, c.must(e, "-o", "csv", "customs", "stock", book)); !mapsEqual(got, after) {
			t.Fatalf("stock after SAS251 (import %d): %v, want %v", i+1, got, after)
		}
	}
	if err := protojson.Unmarshal([]byte(c.must(e, "-o", "json", "customs", "list", "get", listNo)), &l); err != nil ||
		l.GetStatus() != customsv1.ListStatus_LIST_STATUS_CLEARED {
		t.Fatalf("the list after its vehicle passed: %v (%v)", &l, err)
	}
}
