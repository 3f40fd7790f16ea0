package ledger

import (
	"strings"
	"testing"
)

// FuzzValidateShape feeds the journal shape check and the decimal and date
// parsers a request built from arbitrary strings: they refuse or accept,
// never panic, and what they accept is what the engine may store.
func FuzzValidateShape(f *testing.F) {
	f.Add("H31050000001", "key-1", "2026-03-01", "1", "KGM", "12.5", "100.00", "abroad", "bonded", "INVT", "QD310526I000000001", "5034", "L1")
	f.Add("b", "", "0001-01-01", "", "", "-1", "1e3", "", "", "", "", "12", "")
	f.Add("../etc", strings.Repeat("k", 129), "9999-12-31", "x\x00", "007", strings.Repeat("9", 35), "0.001", "w", "w", "T", "N", "0110", "\xff")
	f.Fuzz(func(t *testing.T, book, key, date, item, unit, qty, value, from, to, docType, docNo, mode, lot string) {
		q, qerr := ParseDecimal(qty, "postings[0].quantity")
		v, verr := ParseOptionalDecimal(value, "postings[0].value")
		d, derr := ParseDate(date, "effective_date")
		req := JournalRequest{Book: book, IdempotencyKey: key, EffectiveDate: d,
			Document: Document{Type: docType, Number: docNo, TradeMode: mode},
			Metadata: map[string]string{"k": lot},
			Postings: []Posting{{Item: ItemRef{Book: book, Code: item}, From: World(from), To: AccountRef{Book: book, Name: to},
				Quantity: q, Unit: unit, Value: v, Lot: lot}}}
		// A quantity that did not parse is zero here, which the shape
		// check refuses like any quantity that is not > 0.
		if err := ValidateShape(req); err == nil && !q.IsPositive() {
			t.Fatalf("ValidateShape accepted quantity %s (%q, %v)", q, qty, qerr)
		}
		if verr == nil && v.IsNegative() && ValidateShape(req) == nil {
			t.Fatalf("ValidateShape accepted value %s", v)
		}
		_ = ValidateReverse(ReverseRequest{Book: book, JournalID: 1, IdempotencyKey: key, EffectiveDate: d, Reason: lot})
		_ = ValidateName(book, "book_id")
		if derr == nil && FormatDate(d) != date && len(date) == 10 {
			t.Fatalf("date %q parsed as %s", date, FormatDate(d))
		}
	})
}
