package main

import (
	"strings"
	"testing"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
)

// The CSV form of display movements: rows sharing inner_no are one
// movement, and each refusal names the file, the row and the column.
func TestDisplayMovesCSV(t *testing.T) {
	const header = "inner_no,apply_no,date,book_seq,quantity,value\n"
	docs, err := input.ReadDisplayMoves(strings.NewReader(header+
		"D-1,C1,2026-11-02,1,2,200\n"+
		"D-1,C1,2026-11-02,2,1,\n"+
		"D-2,C1,2026-11-03,1,5,500\n"), "moves.csv", input.CSVFormat)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || len(docs[0].Req.GetLines()) != 2 || docs[1].Req.GetInnerNo() != "D-2" || docs[0].Lines[1] != 3 {
		t.Fatalf("movements %v", docs)
	}
	for _, c := range []struct{ name, data, want string }{
		{"missing column", "inner_no,book_seq\nD-1,1\n", `moves.csv: row 1: missing column quantity`},
		{"unknown column", "inner_no,book_seq,quantity,lot\nD-1,1,1,x\n", `unknown column "lot"`},
		{"blank row", header + "D-1,C1,2026-11-02,1,2,200\n,,,,,\n", `moves.csv: row 3, column "inner_no": is empty`},
		{"bad line number", header + "D-1,C1,2026-11-02,0,2,200\n", `row 2, column "book_seq": "0" is not a book line number`},
		{"rows disagree", header + "D-1,C1,2026-11-02,1,2,200\nD-1,C1,2026-11-04,2,1,100\n", `row 3, column "date": "2026-11-04" differs from "2026-11-02" on row 2`},
		{"no movements", header, "no display movements in the file"},
	} {
		_, err := input.ReadDisplayMoves(strings.NewReader(c.data), "moves.csv", input.CSVFormat)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// The JSON form: one object, an array or JSON Lines; refusals name the line.
func TestDisplayMovesJSON(t *testing.T) {
	one := `{"inner_no": "D-1", "lines": [{"book_seq": 1, "quantity": "2"}]}`
	for _, data := range []string{one, "[" + one + ",\n" + one + "]", one + "\n" + one} {
		if _, err := input.ReadDisplayMoves(strings.NewReader(data), "moves.json", input.JSONFormat); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
	}
	for _, c := range []struct{ name, data, want string }{
		{"not an object", "[" + one + ",\n 7]", "moves.json: line 2: expected a JSON object"},
		{"unknown field", `{"inner_no": "D-1", "lot": "x"}`, `unknown field "lot"`},
		{"number for a decimal", `{"inner_no": "D-1", "lines": [{"book_seq": 1, "quantity": 2}]}`, "write decimals as JSON strings"},
		{"stray data", one + "\n]", "moves.json: line 2: unexpected data"},
		{"empty", " \n", "no display movements in the file"},
	} {
		_, err := input.ReadDisplayMoves(strings.NewReader(c.data), "moves.json", input.JSONFormat)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}
