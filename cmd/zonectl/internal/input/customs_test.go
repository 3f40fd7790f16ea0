package input

import (
	"errors"
	"strings"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// wantInputError fails unless err is an *Error at line (0: any) and column
// whose text mentions every want.
func wantInputError(t *testing.T, err error, line int, column string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	var ie *Error
	if !errors.As(err, &ie) {
		t.Fatalf("error %T %v is not *input.Error", err, err)
	}
	if line != 0 && ie.Line != line {
		t.Errorf("%v: line %d, want %d", err, ie.Line, line)
	}
	if ie.Column != column {
		t.Errorf("%v: column %q, want %q", err, ie.Column, column)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}

const linesHeader = "seq,hs_code,name,spec,declared_unit,scale,legal_unit,legal_factor,second_unit,second_factor,type\n"

func TestBookLinesCSV(t *testing.T) {
	data := "\ufeff" + linesHeader +
		"1,8471300000,Notebook computer,\"14 in, 16 GB\",001,0,001,1,,,FINISHED\n" +
		",,,,,,,,,,\n" +
		"2,3901100000,Polyethylene,,035,3,035,1.000,070,0.001,料件\n"
	rows, err := ReadBookLines(strings.NewReader(data), "lines.csv", Auto)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("got %d lines", len(rows))
	}
	a, b := rows[0], rows[1]
	if a.Row != 2 || !a.CSV || a.Line.GetSeq() != 1 || a.Line.GetSpec() != "14 in, 16 GB" || a.Line.GetType() != customsv1.GoodsType_GOODS_TYPE_FINISHED {
		t.Errorf("line 1: %v (row %d)", a.Line, a.Row)
	}
	if a.Line.GetSecond() != nil {
		t.Errorf("line 1 has a second unit: %v", a.Line.GetSecond())
	}
	// Decimals stay the exact strings of the file.
	if b.Row != 4 || b.Line.GetScale() != 3 || b.Line.GetLegal().GetFactor() != "1.000" || b.Line.GetSecond().GetFactor() != "0.001" ||
		b.Line.GetSecond().GetUnit() != "070" || b.Line.GetType() != customsv1.GoodsType_GOODS_TYPE_MATERIAL {
		t.Errorf("line 2: %v (row %d)", b.Line, b.Row)
	}
	if b.Where() != "row 4" {
		t.Errorf("where %q", b.Where())
	}
}

func TestBookLinesCSVErrors(t *testing.T) {
	ok := "1,8471300000,Notebook,,001,0,001,1,,,\n"
	cases := []struct {
		name, data string
		line       int
		column     string
		want       []string
	}{
		{"hs code", linesHeader + ok + "2,84713000,X,,001,0,001,1,,,\n", 3, "hs_code", []string{`row 3, column "hs_code"`, "10-digit"}},
		{"declared unit", linesHeader + strings.Replace(ok, ",001,0,", ",KGM,0,", 1), 2, "declared_unit", []string{"3-digit"}},
		{"scale", linesHeader + strings.Replace(ok, ",001,0,", ",001,6,", 1), 2, "scale", []string{"0 to 5"}},
		// A scale is written as the item CSV writes it: digits, no sign.
		{"signed scale", linesHeader + strings.Replace(ok, ",001,0,", ",001,+3,", 1), 2, "scale", []string{`"+3" is not a scale`}},
		{"factor exponent", linesHeader + strings.Replace(ok, ",001,1,", ",001,1e3,", 1), 2, "legal_factor", []string{`"1e3" is not a decimal`}},
		{"factor zero", linesHeader + strings.Replace(ok, ",001,1,", ",001,0.0,", 1), 2, "legal_factor", []string{"greater than zero"}},
		{"factor places", linesHeader + strings.Replace(ok, ",001,1,", ",001,0.0000000001,", 1), 2, "legal_factor", []string{"9 decimal places"}},
		{"second unit alone", linesHeader + strings.Replace(ok, ",,,\n", ",070,,\n", 1), 2, "second_factor", []string{"both or neither"}},
		{"type", linesHeader + strings.Replace(ok, ",,,\n", ",,,GADGET\n", 1), 2, "type", []string{"MATERIAL, FINISHED or EQUIPMENT"}},
		{"duplicate seq", linesHeader + ok + ok, 3, "seq", []string{"already appears on row 2"}},
		{"bad seq", linesHeader + strings.Replace(ok, "1,", "0,", 1), 2, "seq", []string{"from 1"}},
		{"empty name", linesHeader + strings.Replace(ok, "Notebook", "", 1), 2, "name", []string{"required"}},
		{"missing column", "seq,hs_code,name,declared_unit,scale,legal_unit\n1,8471300000,X,001,0,001\n", 1, "", []string{"missing column legal_factor"}},
		{"unknown column", strings.Replace(linesHeader, "type", "kind", 1) + ok, 1, "", []string{`unknown column "kind"`}},
		{"short row", linesHeader + "1,8471300000\n", 2, "", []string{"wrong number of fields"}},
		{"header only", linesHeader, 0, "", []string{"no book lines"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadBookLines(strings.NewReader(c.data), "lines.csv", Auto)
			wantInputError(t, err, c.line, c.column, c.want...)
		})
	}
}

func TestBookLinesJSON(t *testing.T) {
	data := `[
  {"seq": 1, "hs_code": "8471300000", "name": "Notebook", "declared_unit": "001", "scale": 0,
   "legal": {"unit": "001", "factor": "1"}, "type": "GOODS_TYPE_FINISHED"},
  {"seq": 2, "hsCode": "3901100000", "name": "PE", "declaredUnit": "035", "scale": 3,
   "legal": {"unit": "035", "factor": "1"}, "second": {"unit": "070", "factor": "0.001"}}
]`
	rows, err := ReadBookLines(strings.NewReader(data), "lines.json", Auto)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1].Row != 4 || rows[1].CSV || rows[1].Line.GetSecond().GetFactor() != "0.001" || rows[1].Where() != "line 4" {
		t.Fatalf("rows %v", rows)
	}

	cases := []struct {
		name, data string
		line       int
		want       []string
	}{
		{"factor as a number", strings.Replace(data, `"factor": "0.001"`, `"factor": 0.001`, 1), 4, []string{"line 4", "factor", "JSON strings"}},
		{"duplicate seq", strings.Replace(data, `"seq": 2`, `"seq": 1`, 1), 4, []string{"seq", "already appears on line 2"}},
		{"part numbers", strings.Replace(data, `"seq": 2,`, `"seq": 2, "part_numbers": ["P1"],`, 1), 4, []string{"part_numbers", "parts map"}},
		{"unknown field", strings.Replace(data, `"scale": 3`, `"scale": 3, "precision": 3`, 1), 4, []string{"precision"}},
		{"bad hs code", strings.Replace(data, `"3901100000"`, `"39011"`, 1), 4, []string{"hs_code", "10-digit"}},
		{"syntax", strings.TrimSuffix(data, "]"), 0, []string{"invalid JSON"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadBookLines(strings.NewReader(c.data), "lines.json", Auto)
			wantInputError(t, err, c.line, "", c.want...)
		})
	}
}

func TestPartsCSV(t *testing.T) {
	parts, err := ReadPartsCSV(strings.NewReader("part_number,seq\nNB-1,1\nNB-2,1\n\nPE,2\n"), "parts.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 3 || parts[2].Part != "PE" || parts[2].Seq != 2 || parts[2].Row != 5 {
		t.Fatalf("parts %v", parts)
	}
	for _, c := range []struct {
		name, data string
		line       int
		column     string
		want       string
	}{
		{"duplicate", "part_number,seq\nA,1\nA,2\n", 3, "part_number", "already appears on row 2"},
		{"bad seq", "part_number,seq\nA,x\n", 2, "seq", `"x" is not a book line number`},
		{"empty seq", "part_number,seq\nA,\n", 2, "seq", "required"},
		{"missing column", "part_number\nA\n", 1, "", "missing column seq"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadPartsCSV(strings.NewReader(c.data), "parts.csv")
			wantInputError(t, err, c.line, c.column, c.want)
		})
	}
}

const listJSONDoc = `{"inner_no": "IN-1", "book_no": "H31050000001", "io": "I", "trade_mode": "5034", "country": "USA",
 "lines": [{"book_seq": 1, "quantity": "100", "total": "500000.00", "gross_weight": "1000", "net_weight": "900"},
           {"part_number": "PE", "quantity": "2500.5", "unit": "035"}]}`

func TestListsJSON(t *testing.T) {
	docs, err := ReadLists(strings.NewReader(listJSONDoc), "list.json", Auto)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Source() != "line 1" {
		t.Fatalf("docs %v", docs)
	}
	r := docs[0].Req
	if r.GetInnerNo() != "IN-1" || len(r.GetLines()) != 2 || r.GetLines()[1].GetQuantity() != "2500.5" || r.GetLines()[0].GetTotal() != "500000.00" {
		t.Errorf("request %v", r)
	}
	// JSON Lines: two lists; the second starts on line 2.
	one := strings.Join(strings.Fields(listJSONDoc), " ")
	docs, err = ReadLists(strings.NewReader(one+"\n"+strings.Replace(one, "IN-1", "IN-2", 1)+"\n"), "lists.jsonl", Auto)
	if err != nil || len(docs) != 2 || docs[1].Lines[0] != 2 || docs[1].Index != 2 {
		t.Fatalf("jsonl: %v %v", docs, err)
	}

	cases := []struct {
		name, data string
		line       int
		want       []string
	}{
		{"quantity number", strings.Replace(one, `"2500.5"`, `2500.5`, 1), 1, []string{"quantity", "JSON strings"}},
		{"quantity exponent", "\n" + strings.Replace(one, `"2500.5"`, `"2.5e3"`, 1), 2, []string{"line 2", "lines[1].quantity", `"2.5e3" is not a decimal`}},
		{"zero quantity", strings.Replace(one, `"100"`, `"0"`, 1), 1, []string{"lines[0].quantity", "greater than zero"}},
		{"negative weight", strings.Replace(one, `"1000"`, `"-1"`, 1), 1, []string{"lines[0].gross_weight"}},
		{"no line named", strings.Replace(one, `"part_number": "PE", `, "", 1), 1, []string{"lines[1].book_seq", "part_number"}},
		{"output only", strings.Replace(one, `"unit": "035"`, `"unit": "035", "passed": "1"`, 1), 1, []string{"lines[1].passed", "output only"}},
		{"bad io", strings.Replace(one, `"io": "I"`, `"io": "IN"`, 1), 1, []string{"io", `"IN"`}},
		{"no trade mode", strings.Replace(one, `"trade_mode": "5034", `, "", 1), 1, []string{"trade_mode", "required"}},
		{"trade mode", strings.Replace(one, `"5034"`, `"534"`, 1), 1, []string{"trade_mode", "4-digit"}},
		{"declare flag", strings.Replace(one, `"io": "I",`, `"io": "I", "declare_flag": "3",`, 1), 1, []string{"declare_flag"}},
		{"same inner_no twice", one + "\n" + one, 2, []string{"inner_no", "already appears on line 1"}},
		{"list from a get", `{"list_no": "QD1", "inner_no": "IN-1"}`, 1, []string{"list_no"}},
		{"empty", "  \n", 0, []string{"no lists"}},
		{"NUL in a lot", strings.Replace(one, `"unit": "035"`, `"unit": "035", "lot": "L\u0000"`, 1), 1, []string{"lines[1].lot", "U+0000"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadLists(strings.NewReader(c.data), "list.json", Auto)
			wantInputError(t, err, c.line, "", c.want...)
		})
	}
}

const listCSVHeader = "inner_no,book_no,io,trade_mode,list_country,book_seq,part_number,quantity,unit,total,gross_weight,net_weight,slip_nos\n"

func TestListsCSVGroupsRowsByInnerNo(t *testing.T) {
	data := listCSVHeader +
		"IN-1,H1,I,5034,USA,1,,100,,500000.00,1000,900,\n" +
		"IN-2,H1,E,5034,JPN,1,,40,,,400,360,\n" +
		"IN-1,H1,I,5034,USA,,PE,2500.5,035,,2600,2500.5,\n" +
		"C-1,H1,E,0110,,,,,,,,,CRK1;CRK2\n"
	docs, err := ReadLists(strings.NewReader(data), "lists.csv", Auto)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 {
		t.Fatalf("got %d lists", len(docs))
	}
	in1, in2, coll := docs[0], docs[1], docs[2]
	if in1.Req.GetCountry() != "USA" || len(in1.Req.GetLines()) != 2 || in1.Req.GetLines()[1].GetPartNumber() != "PE" ||
		in1.Req.GetLines()[1].GetQuantity() != "2500.5" || in1.Req.GetLines()[1].GetUnit() != "035" || in1.Req.GetLines()[0].GetBookSeq() != 1 {
		t.Errorf("IN-1: %v", in1.Req)
	}
	if in1.Source() != "rows 2,4" || in1.Locate("lines[1].quantity") != `row 4, column "quantity"` || in1.Locate("trade_mode") != `rows 2,4, column "trade_mode"` {
		t.Errorf("IN-1 source %q, locate %q / %q", in1.Source(), in1.Locate("lines[1].quantity"), in1.Locate("trade_mode"))
	}
	if in2.Req.GetIo() != "E" || in2.Source() != "row 3" {
		t.Errorf("IN-2: %v %s", in2.Req, in2.Source())
	}
	// A row with every line column empty adds no line.
	if len(coll.Req.GetLines()) != 0 || strings.Join(coll.Req.GetSlipNos(), "|") != "CRK1|CRK2" {
		t.Errorf("collective list: %v", coll.Req)
	}
}

func TestListsCSVErrors(t *testing.T) {
	row := "IN-1,H1,I,5034,USA,1,,100,,500000.00,1000,900,\n"
	cases := []struct {
		name, data string
		line       int
		column     string
		want       []string
	}{
		{"quantity", listCSVHeader + row + strings.Replace(row, ",100,", ",1.2e3,", 1), 3, "quantity", []string{`row 3, column "quantity"`, `"1.2e3" is not a decimal`}},
		{"weight", listCSVHeader + strings.Replace(row, ",1000,", ",1 000,", 1), 2, "gross_weight", []string{"not a decimal"}},
		{"disagree", listCSVHeader + row + strings.Replace(row, ",5034,", ",5000,", 1), 3, "trade_mode", []string{"differs", "row 2", `"IN-1"`}},
		{"bad io", listCSVHeader + strings.Replace(row, ",I,", ",X,", 1), 2, "io", []string{`"X" is not an in/out flag`}},
		{"book seq", listCSVHeader + strings.Replace(row, ",1,,", ",one,,", 1), 2, "book_seq", []string{"book line number"}},
		{"no line named", listCSVHeader + row + strings.Replace(row, ",1,,", ",,,", 1), 3, "book_seq", []string{"part_number"}},
		{"empty inner_no", listCSVHeader + strings.Replace(row, "IN-1,", ",", 1), 2, "inner_no", []string{"required"}},
		{"missing column", "inner_no,book_no,io,quantity\nA,H1,I,1\n", 1, "", []string{"missing column trade_mode"}},
		{"header only", listCSVHeader, 0, "", []string{"no lists"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadLists(strings.NewReader(c.data), "lists.csv", Auto)
			wantInputError(t, err, c.line, c.column, c.want...)
		})
	}
}

func TestPasses(t *testing.T) {
	data := `{"inner_no": "P-1", "book_no": "H1", "pass_type": "2", "bind_type": "2", "io": "I", "related_type": "1",
  "vehicle": "沪A12345", "vehicle_weight": "10000", "gross_weight": "3600", "net_weight": "3400.5"}`
	docs, err := ReadPasses(strings.NewReader(data), "pass.json")
	if err != nil {
		t.Fatal(err)
	}
	if docs[0].Req.GetNetWeight() != "3400.5" || docs[0].Req.GetVehicle() != "沪A12345" {
		t.Errorf("pass %v", docs[0].Req)
	}
	for _, c := range []struct{ name, data, want string }{
		{"weight", strings.Replace(data, `"10000"`, `"10,000"`, 1), "vehicle_weight"},
		{"pass type", strings.Replace(data, `"pass_type": "2"`, `"pass_type": "7"`, 1), "pass_type"},
		{"vehicle", strings.Replace(data, `"沪A12345"`, `""`, 1), "vehicle: is required"},
		{"line quantity", strings.Replace(data, `"net_weight": "3400.5"`, `"net_weight": "3400.5", "lines": [{"quantity": "0"}]`, 1), "lines[0].quantity"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadPasses(strings.NewReader(c.data), "pass.json")
			wantInputError(t, err, 1, "", c.want)
		})
	}
	// Passes have no CSV form.
	_, err = readDocs(strings.NewReader("inner_no\nP\n"), "p.csv", CSVFormat, passJSON, nil)
	wantInputError(t, err, 0, "", "JSON only")
}

func TestSlips(t *testing.T) {
	data := "inner_no,book_no,io,book_seq,quantity,value\nT-1,H1,E,2,100,1600.00\nT-1,H1,E,3,5,\n"
	docs, err := ReadSlips(strings.NewReader(data), "slip.csv", Auto)
	if err != nil {
		t.Fatal(err)
	}
	r := docs[0].Req
	if len(docs) != 1 || len(r.GetLines()) != 2 || r.GetApplyNo() != "" || r.GetLines()[0].GetValue() != "1600.00" {
		t.Fatalf("slips %v", docs)
	}
	_, err = ReadSlips(strings.NewReader(strings.Replace(data, ",5,", ",-5,", 1)), "slip.csv", Auto)
	wantInputError(t, err, 3, "quantity", "negative")
	_, err = ReadSlips(strings.NewReader(`{"inner_no": "T-1", "book_no": "H1", "io": "E", "lines": []}`), "slip.json", Auto)
	wantInputError(t, err, 1, "", "lines", "1 to 1000")
}

func TestConsumptionCSV(t *testing.T) {
	data := "inner_no,book_no,purpose,date,kind,book_seq,quantity,lot,value\n" +
		"R-1,H1,研发耗用,2026-03-31,consumed,2,12.5,,\n" +
		"R-1,H1,研发耗用,2026-03-31,produced,3,1,,80.00\n"
	docs, err := ReadConsumption(strings.NewReader(data), "report.csv", Auto)
	if err != nil {
		t.Fatal(err)
	}
	r := docs[0].Req
	if len(r.GetConsumed()) != 1 || len(r.GetProduced()) != 1 || r.GetProduced()[0].GetValue() != "80.00" || r.GetDate() != "2026-03-31" {
		t.Fatalf("report %v", r)
	}
	if docs[0].Locate("produced[0].value") != `row 3, column "value"` {
		t.Errorf("locate %q", docs[0].Locate("produced[0].value"))
	}
	for _, c := range []struct {
		name, data string
		line       int
		column     string
		want       string
	}{
		{"kind", strings.Replace(data, "produced", "made", 1), 3, "kind", "consumed or produced"},
		{"lot on produced", strings.Replace(data, "produced,3,1,,", "produced,3,1,L1,", 1), 3, "lot", "consumed goods only"},
		{"date", strings.ReplaceAll(data, "2026-03-31", "2026-02-30"), 2, "date", "calendar date"},
		{"only produced", strings.Replace(data, "consumed,2,12.5", "produced,2,12.5", 1), 2, "kind", "consumed lines"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadConsumption(strings.NewReader(c.data), "report.csv", Auto)
			wantInputError(t, err, c.line, c.column, c.want)
		})
	}
}
