package input

import (
	"strings"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

const journalObj = `{"book_id": "H1", "idempotency_key": "k1", "effective_date": "2026-03-02",
 "document": {"type": "ENTRY", "number": "QD1", "trade_mode": "5034"},
 "postings": [{"item_code": "1", "from": {"name": "abroad"}, "to": {"book_id": "H1", "name": "bonded"},
               "quantity": "1200.5", "unit": "KGM", "value": "86436.00"}]}`

func TestJSONSingleObject(t *testing.T) {
	js, err := ReadJournals(strings.NewReader(journalObj), "one.json", Auto)
	if err != nil {
		t.Fatal(err)
	}
	if len(js) != 1 {
		t.Fatalf("got %d journals, want 1", len(js))
	}
	r := js[0].Req
	if r.GetIdempotencyKey() != "k1" || r.GetDocument().GetTradeMode() != "5034" {
		t.Errorf("bad request: %v", r)
	}
	p := r.GetPostings()[0]
	// Decimals stay the exact strings of the file.
	if p.GetQuantity() != "1200.5" || p.GetValue() != "86436.00" {
		t.Errorf("quantity %q value %q, want the file's strings", p.GetQuantity(), p.GetValue())
	}
	if p.GetFrom().GetBookId() != "" || p.GetTo().GetBookId() != "H1" {
		t.Errorf("accounts: %v -> %v", p.GetFrom(), p.GetTo())
	}
	if js[0].Source() != "line 1" {
		t.Errorf("source %q", js[0].Source())
	}
}

func TestJSONArrayAndCamelCase(t *testing.T) {
	second := strings.ReplaceAll(strings.ReplaceAll(journalObj, `"k1"`, `"k2"`), "idempotency_key", "idempotencyKey")
	data := "[\n" + journalObj + ",\n\n" + second + "\n]\n"
	js, err := ReadJournals(strings.NewReader(data), "many.json", Auto)
	if err != nil {
		t.Fatal(err)
	}
	if len(js) != 2 || js[1].Req.GetIdempotencyKey() != "k2" {
		t.Fatalf("got %d journals: %v", len(js), js)
	}
	if js[0].Lines[0] != 2 || js[1].Lines[0] != 7 {
		t.Errorf("lines %v %v, want 2 and 7", js[0].Lines, js[1].Lines)
	}
}

func TestJSONLines(t *testing.T) {
	one := strings.Join(strings.Fields(journalObj), " ")
	data := one + "\n" + strings.ReplaceAll(one, `"k1"`, `"k2"`) + "\n\n" + strings.ReplaceAll(one, `"k1"`, `"k3"`) + "\n"
	// No .json extension: the format is sniffed from the first character.
	js, err := ReadJournals(strings.NewReader(data), "-", Auto)
	if err != nil {
		t.Fatal(err)
	}
	if len(js) != 3 {
		t.Fatalf("got %d journals, want 3", len(js))
	}
	for i, want := range []int{1, 2, 4} {
		if js[i].Lines[0] != want || js[i].Index != i+1 {
			t.Errorf("journal %d: line %d index %d, want line %d", i, js[i].Lines[0], js[i].Index, want)
		}
	}
}

func TestJSONErrors(t *testing.T) {
	one := strings.Join(strings.Fields(journalObj), " ")
	cases := []struct {
		name, data string
		want       []string
		line       int
	}{
		{"malformed decimal", one + "\n" + strings.Replace(one, `"1200.5"`, `"1e3"`, 1),
			[]string{"line 2", "journal 2", "postings[0].quantity", `"1e3" is not a decimal`}, 2},
		{"number instead of string", strings.Replace(one, `"1200.5"`, `1200.5`, 1),
			[]string{"line 1", "journal 1", "quantity", `write decimals as JSON strings, e.g. "12.5"`}, 1},
		{"negative value", strings.Replace(one, `"86436.00"`, `"-1"`, 1),
			[]string{"postings[0].value", "negative"}, 1},
		{"zero quantity", strings.Replace(one, `"1200.5"`, `"0.000"`, 1),
			[]string{"postings[0].quantity", "greater than zero"}, 1},
		{"unknown field", strings.Replace(one, `"unit"`, `"uom"`, 1),
			[]string{"line 1", "uom"}, 1},
		{"missing key", strings.Replace(one, `"idempotency_key": "k1",`, "", 1),
			[]string{"idempotency_key", "required"}, 1},
		{"bad date", strings.Replace(one, `"2026-03-02"`, `"2026-02-30"`, 1),
			[]string{"effective_date", "calendar date"}, 1},
		{"syntax", one + "\n{\"book_id\": ", []string{"line 2", "invalid JSON"}, 2},
		{"not an object", "[1]", []string{"expected a JSON object"}, 1},
		{"legs", strings.Replace(one, `"unit": "KGM"`, `"unit": "KGM", "legs": [{"quantity": "1"}]`, 1),
			[]string{"postings[0].legs", "output only"}, 1},
		{"NUL in a lot", strings.Replace(one, `"unit": "KGM"`, `"unit": "KGM", "lot": "L\u0000"`, 1),
			[]string{"postings[0].lot", "U+0000"}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadJournals(strings.NewReader(c.data), "j.jsonl", Auto)
			wantInputError(t, err, c.line, "", c.want...)
		})
	}
}

func TestEmptyFile(t *testing.T) {
	for _, name := range []string{"e.json", "e.csv"} {
		if _, err := ReadJournals(strings.NewReader(""), name, Auto); err == nil {
			t.Errorf("%s: no error for an empty file", name)
		}
	}
}

const csvHeader = "idempotency_key,book_id,effective_date,doc_type,doc_number,trade_mode,item_code,from_book,from_account,to_book,to_account,quantity,unit,value,lot\n"

func TestCSVGroupsRowsByKey(t *testing.T) {
	data := csvHeader +
		"k1,H1,2026-03-02,ENTRY,QD1,5034,1,,abroad,H1,bonded,1200.5,KGM,86436.00,\n" +
		"k2,H1,2026-03-02,EXIT,QD2,5034,1,H1,bonded,,abroad,10,KGM,,L7\n" +
		"k1,H1,2026-03-02,ENTRY,QD1,5034,2,,abroad,H1,bonded,40,PCE,5200.00,\n" +
		",,,,,,,,,,,,,,\n"
	js, err := ReadJournals(strings.NewReader(data), "j.csv", Auto)
	if err != nil {
		t.Fatal(err)
	}
	if len(js) != 2 {
		t.Fatalf("got %d journals, want 2", len(js))
	}
	k1, k2 := js[0], js[1]
	if k1.Req.GetIdempotencyKey() != "k1" || len(k1.Req.GetPostings()) != 2 {
		t.Fatalf("k1: %v", k1.Req)
	}
	if got := k1.Source(); got != "rows 2,4" {
		t.Errorf("k1 source %q, want rows 2,4", got)
	}
	if got := k1.Locate("postings[1].quantity"); got != "row 4" {
		t.Errorf("locate posting 1: %q, want row 4", got)
	}
	p := k1.Req.GetPostings()[1]
	if p.GetItemCode() != "2" || p.GetQuantity() != "40" || p.GetUnit() != "PCE" || p.GetValue() != "5200.00" {
		t.Errorf("posting: %v", p)
	}
	if p.GetFrom().GetBookId() != "" || p.GetFrom().GetName() != "abroad" || p.GetTo().GetBookId() != "H1" {
		t.Errorf("accounts: %v -> %v", p.GetFrom(), p.GetTo())
	}
	q := k2.Req.GetPostings()[0]
	if q.GetLot() != "L7" || q.GetValue() != "" || k2.Req.GetDocument().GetType() != "EXIT" {
		t.Errorf("k2: %v", k2.Req)
	}
	if k2.Source() != "row 3" {
		t.Errorf("k2 source %q", k2.Source())
	}
}

func TestCSVColumnsAnyOrderOptionalLeftOut(t *testing.T) {
	data := "\ufeffQuantity,unit,item_code,from_account,to_account,to_book,idempotency_key,book_id,effective_date,doc_type,doc_number\n" +
		"3,PCE,9,abroad,bonded,H1,k,H1,2026-01-05,ENTRY,QD9\n"
	js, err := ParseJournalsCSV(stripBOM([]byte(data)), "j.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got := js[0].Req.GetPostings()[0].GetQuantity(); got != "3" {
		t.Errorf("quantity %q", got)
	}
}

func TestCSVErrors(t *testing.T) {
	row := "k1,H1,2026-03-02,ENTRY,QD1,5034,1,,abroad,H1,bonded,1200.5,KGM,86436.00,\n"
	cases := []struct {
		name, data string
		line       int
		column     string
		want       []string
	}{
		{"malformed decimal", csvHeader + row + strings.Replace(row, "1200.5", "1,200.5", 1),
			0, "", []string{"row 3", "wrong number of fields"}},
		{"exponent", csvHeader + row + strings.Replace(row, "1200.5", "1.2e3", 1),
			3, "quantity", []string{`row 3, column "quantity"`, `"1.2e3" is not a decimal number`}},
		{"bad value", csvHeader + strings.Replace(row, "86436.00", "86 436", 1),
			2, "value", []string{`row 2, column "value"`}},
		{"negative quantity", csvHeader + strings.Replace(row, "1200.5", "-5", 1),
			2, "quantity", []string{"negative"}},
		{"missing columns", "idempotency_key,book_id,effective_date,doc_type,doc_number,item_code,from_account,to_account,unit\n" + "k,H1,2026-01-01,E,1,1,a,b,KGM\n",
			1, "", []string{"row 1", "missing column quantity"}},
		{"two missing", "idempotency_key,book_id,effective_date,item_code,from_account,to_account,quantity,unit\n",
			1, "", []string{"missing columns doc_type, doc_number"}},
		{"unknown column", strings.Replace(csvHeader, "lot", "lott", 1) + row,
			1, "", []string{`unknown column "lott"`}},
		{"duplicate column", strings.TrimSuffix(csvHeader, "\n") + ",unit\n",
			1, "unit", []string{"twice"}},
		{"empty required cell", csvHeader + strings.Replace(row, "KGM", "", 1),
			2, "unit", []string{`column "unit"`, "required"}},
		{"journal fields disagree", csvHeader + row + strings.Replace(row, "2026-03-02", "2026-03-03", 1),
			3, "effective_date", []string{"row 3", "differs", "row 2", `"k1"`}},
		{"bad date", csvHeader + strings.Replace(row, "2026-03-02", "02/03/2026", 1),
			2, "effective_date", []string{"YYYY-MM-DD"}},
		{"bad trade mode", csvHeader + strings.Replace(row, "5034", "534", 1),
			2, "trade_mode", []string{"4-digit"}},
		{"same account", csvHeader + strings.Replace(row, ",,abroad,H1,bonded,", ",H1,bonded,H1,bonded,", 1),
			2, "to_account", []string{"same account"}},
		{"header only", csvHeader, 0, "", []string{"no journals"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadJournals(strings.NewReader(c.data), "j.csv", Auto)
			wantInputError(t, err, c.line, c.column, c.want...)
		})
	}
}

func TestFormatOverride(t *testing.T) {
	// A .txt file holding CSV, and the explicit format.
	data := csvHeader + "k1,H1,2026-03-02,ENTRY,QD1,,1,,abroad,H1,bonded,1,KGM,,\n"
	js, err := ReadJournals(strings.NewReader(data), "j.txt", CSVFormat)
	if err != nil || len(js) != 1 {
		t.Fatalf("got %v, %v", js, err)
	}
	if _, err := ParseFileFormat("xml"); err == nil {
		t.Error("xml accepted")
	}
	if f, _ := ParseFileFormat("JSONL"); f != JSONFormat {
		t.Errorf("jsonl -> %q", f)
	}
}

func TestItemsCSV(t *testing.T) {
	data := "\ufeffcode,unit,scale,name,attr:hs_code\n1,KGM,3,Copper cathode,7403110000\n2,PCE,0,\"Board, printed\",\n"
	items, err := ReadItemsCSV(strings.NewReader(data), "items.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("got %d items", len(items))
	}
	a, b := items[0], items[1]
	if a.Item.GetCode() != "1" || a.Item.GetUnit() != "KGM" || a.Item.GetScale() != 3 || a.Row != 2 {
		t.Errorf("item 1: %v row %d", a.Item, a.Row)
	}
	if a.Item.GetAttributes()["hs_code"] != "7403110000" {
		t.Errorf("attributes %v", a.Item.GetAttributes())
	}
	if b.Item.GetName() != "Board, printed" || b.Item.GetAttributes() != nil || b.Row != 3 {
		t.Errorf("item 2: %v", b.Item)
	}
}

func TestItemsCSVErrors(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"missing scale column", "code,unit,name\n1,KGM,x\n", "missing column scale"},
		{"scale too big", "code,unit,scale\n1,KGM,6\n", `row 2, column "scale"`},
		{"scale not a number", "code,unit,scale\n1,KGM,1.5\n", `"1.5" is not a scale`},
		{"duplicate code", "code,unit,scale\n1,KGM,0\n2,KGM,0\n1,PCE,0\n", "already appears on row 2"},
		{"unknown column", "code,unit,scale,hs\n1,KGM,0,x\n", `unknown column "hs"`},
		{"no items", "code,unit,scale\n", "no items"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadItemsCSV(strings.NewReader(c.data), "items.csv")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestSpans(t *testing.T) {
	if got := spans([]int{2, 3, 4, 7, 9, 10}); got != "2-4,7,9-10" {
		t.Errorf("spans: %q", got)
	}
}

// TestValidateAppliesTheAPIsTextRule: a file's text that the server would
// refuse (an ESC starting a terminal escape, a right-to-left override, a
// NUL) is refused before sending, naming the field and the character, with
// the server's own rule (wiretext.Check).
func TestValidateAppliesTheAPIsTextRule(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{"L\x1b[31m1", "U+001B"},
		{"L\u202e1", "U+202E"},
		{"L\x001", "U+0000"},
	} {
		r := &customsv1.CreateListRequest{InnerNo: "V-1", BookNo: "H31050000001", Io: "I", TradeMode: "5034",
			Lines: []*customsv1.ListLine{{BookSeq: 1, Quantity: "1", Lot: c.value}}}
		if field, msg := Validate(r); field != "lines[0].lot" || !strings.Contains(msg, c.want) {
			t.Errorf("%q: Validate = %q, %q; want lines[0].lot naming %s", c.value, field, msg, c.want)
		}
	}
}
