package input

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// seedFiles adds every example file of zonectl (and a few broken shapes)
// to a fuzz target's corpus, with each format the readers take.
func seedFiles(f *testing.F) {
	f.Helper()
	paths, err := filepath.Glob("../../examples/*")
	if err != nil || len(paths) == 0 {
		f.Fatalf("no example files: %v", err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
		f.Add(b, uint8(1))
		f.Add(b, uint8(2))
	}
	for _, s := range []string{"", "[", "{", "[{}]", "{\"book_id\":1}\n{", "a,b\n\"x", "\xef\xbb\xbfidempotency_key,book_id\n,,,,\n",
		"idempotency_key,book_id,effective_date,item_code,unit,quantity,from,to\nk,b,2026-03-01,1,007,99999999999999999999999999999999999,abroad,b:bonded\n"} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(2))
	}
}

func formatOf(sel uint8) FileFormat {
	switch sel % 3 {
	case 1:
		return JSONFormat
	case 2:
		return CSVFormat
	}
	return Auto
}

// FuzzReadJournals: the journal reader answers journals or an error for
// any file in any format, never panics.
func FuzzReadJournals(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		_, _ = ReadJournals(bytes.NewReader(data), "f", formatOf(sel))
		_, _ = ReadJournals(bytes.NewReader(data), "f.csv", Auto)
		_, _ = ReadJournals(bytes.NewReader(data), "f.jsonl", Auto)
	})
}

// FuzzReadCustomsDocs: the readers of lists, passes, slips and consumption
// reports answer documents or an error, never panic, and every document
// they answer passes its own check.
func FuzzReadCustomsDocs(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		ff := formatOf(sel)
		if ls, err := ReadLists(bytes.NewReader(data), "f", ff); err == nil {
			for _, d := range ls {
				if field, msg := CheckList(d.Req); msg != "" {
					t.Fatalf("ReadLists answered a list its check refuses: %s: %s", field, msg)
				}
			}
		}
		_, _ = ReadPasses(bytes.NewReader(data), "f")
		_, _ = ReadSlips(bytes.NewReader(data), "f", ff)
		_, _ = ReadConsumption(bytes.NewReader(data), "f", ff)
	})
}

// FuzzReadBookFiles: the book-line, part-number and item readers answer
// rows or an error, never panic.
func FuzzReadBookFiles(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		_, _ = ReadBookLines(bytes.NewReader(data), "f", formatOf(sel))
		_, _ = ReadPartsCSV(bytes.NewReader(data), "f")
		_, _ = ReadItemsCSV(bytes.NewReader(data), "f")
	})
}
