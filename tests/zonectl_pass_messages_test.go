package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestZonectlPassMessagesTrip drives a pass's single-window trip with the
// built zonectl against a fresh server: the pass exported as SAS121 (XML
// and JSON), customs' SAS221 imported (customs' number stored, the pass
// found by it), SAS251 已过卡 imported (the goods booked once), and both
// receipts imported again changing nothing.
func TestZonectlPassMessagesTrip(t *testing.T) {
	z := startZonectlZone(t)
	s, c, e, cu, ex := z.s, z.c, z.e, z.cu, z.ex
	const (
		uscc      = "91310000MA1K000019"
		book      = "H31050000001"
		customsNo = "Z3105I261206000000000001"
	)
	one := func(out string) string {
		t.Helper()
		return strings.TrimSpace(out)
	}
	list := one(c.must(e, "customs", "list", "create", "--file", ex("list-in.json"), "-q"))
	c.must(e, "customs", "list", "declare", list)
	c.must(cu, "customs", "list", "approve", list)
	pass := one(c.must(e, "customs", "pass", "create", "--file", ex("pass-in.json"), "--related", list, "-q"))

	// SAS121 out: XML on standard output, JSON to a file.
	xml := c.must(e, "customs", "pass", "message", pass)
	for _, el := range []string{"<message_type>SAS121</message_type>", "<etpsPreentNo>P-IN-0001</etpsPreentNo>", "<rltNo>" + list + "</rltNo>", "<totalWt>13600</totalWt>"} {
		if !strings.Contains(xml, el) {
			t.Errorf("pass message lacks %s:\n%s", el, xml)
		}
	}
	jsonFile := filepath.Join(c.dir, "pass.json")
	c.must(e, "customs", "pass", "message", pass, "--format", "json", "--out", jsonFile)
	var js struct {
		Head map[string]string   `json:"head"`
		List []map[string]string `json:"list"`
		Rlt  []map[string]string `json:"rlt"`
	}
	if b, err := os.ReadFile(jsonFile); err != nil || json.Unmarshal(b, &js) != nil || js.Head["etpsPreentNo"] != "P-IN-0001" || js.Head["totalGrossWt"] != "3600" ||
		len(js.Rlt) != 1 || js.Rlt[0]["rltNo"] != list {
		t.Fatalf("pass message --format json: %+v (%v)", js, err)
	}

	// The receipts, from the fixtures of customs/singlewindow/sas.
	fill := func(name, out string, kv ...string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(bins.root, "customs", "singlewindow", "sas", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(c.dir, out)
		if err := os.WriteFile(p, []byte(strings.NewReplacer(kv...).Replace(string(b))), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	now := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05")
	sas221 := fill("SAS221_approved.xml", "sas221.xml", "{{INNER}}", "P-IN-0001", "{{CUSTOMS_NO}}", customsNo, "{{RESULT}}", "1", "{{RMK}}", "",
		"{{LIST_NO}}", list, "{{USCC}}", uscc)
	sas251 := fill("SAS251_gate.xml", "sas251.xml", "{{MESSAGE_ID}}", "CUS0000E010000-251-1", "{{INNER}}", "P-IN-0001", "{{CUSTOMS_NO}}", customsNo,
		"{{USCC}}", uscc, "{{VEHICLE}}", "沪A12345", "{{PASS_ID}}", "GATE1-0001", "{{PASS_TIME}}", now, "{{STUCD}}", "2")

	if _, errOut, code := c.run(e, "customs", "pass", "receipts", sas221); code != 1 || !strings.Contains(errOut, "reason=PERMISSION_DENIED") {
		t.Errorf("the enterprise importing customs' receipt: exit %d, %s", code, errOut)
	}
	r := csvRecords(t, c.must(cu, "-o", "csv", "customs", "pass", "receipts", sas221, sas251))
	if len(r) != 3 || r[1][1] != "SAS221" || r[1][4] != customsNo || r[1][5] != "APPROVED" || r[2][1] != "SAS251" || r[2][5] != "PASSED" || r[2][6] != "true" {
		t.Fatalf("pass receipts: %v", r)
	}
	var p customsv1.Pass
	if err := protojson.Unmarshal([]byte(c.must(e, "-o", "json", "customs", "pass", "get", customsNo)), &p); err != nil ||
		p.GetPassNo() != pass || p.GetCustomsNo() != customsNo || p.GetStatus() != customsv1.PassStatus_PASS_STATUS_PASSED || p.GetJournalId() == 0 {
		t.Fatalf("pass get by the customs number: %v (%v)", &p, err)
	}
	wantStock := map[string]string{"1": "100|100|0", "2": "2500.5|2500.5|0", "3": "0|0|0"}
	if got := stockCSV(t, c.must(e, "-o", "csv", "customs", "stock", book)); !mapsEqual(got, wantStock) {
		t.Fatalf("stock after the gate: %v, want %v", got, wantStock)
	}
	// Again: nothing changes, the goods are booked once.
	r = csvRecords(t, c.must(s.AdminToken, "-o", "csv", "customs", "pass", "receipts", sas221, sas251))
	if len(r) != 3 || r[1][6] != "false" || r[2][6] != "false" || r[2][5] != "PASSED" {
		t.Fatalf("pass receipts again: %v", r)
	}
	if got := stockCSV(t, c.must(e, "-o", "csv", "customs", "stock", book)); !mapsEqual(got, wantStock) {
		t.Fatalf("stock after the receipts again: %v, want %v", got, wantStock)
	}
	// A receipt for a pass the zone does not have names the element.
	bad := fill("SAS221_approved.xml", "bad.xml", "{{INNER}}", "NO-SUCH", "{{CUSTOMS_NO}}", "Z3105I261206000000000009", "{{RESULT}}", "1", "{{RMK}}", "",
		"{{LIST_NO}}", list, "{{USCC}}", uscc)
	if _, errOut, code := c.run(cu, "customs", "pass", "receipts", bad); code != 1 || !strings.Contains(errOut, "reason=PASS_RECEIPT_UNKNOWN_PASS") ||
		!strings.Contains(errOut, "HdeApprResult/etpsPreentNo") {
		t.Errorf("a receipt for an unknown pass: exit %d, %s", code, errOut)
	}
}
