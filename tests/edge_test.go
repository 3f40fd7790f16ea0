package tests

import (
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// TestUnstorableTextIsRefusedAtTheEdge is issue #12's "one request bricks
// the server": a list line whose lot holds U+0000 was filed, its
// declaration answered INTERNAL and left a change that stopped every
// restart. Now such text is refused with INVALID_ARGUMENT naming the field,
// on any method, before any handler; the server restarts and the book is
// usable.
func TestUnstorableTextIsRefusedAtTheEdge(t *testing.T) {
	z := newZoneEnv(t)
	e := z.enterprise(t, "NUL Trading")
	book := z.hBook(t, e)
	z.stockIn(t, e, book, lineNotebook, "10", "50000")
	out := func(inner, lot string) *customsv1.CreateListRequest {
		return &customsv1.CreateListRequest{InnerNo: inner, BookNo: book, Io: "E", TradeMode: "5034", Country: "USA",
			Lines: []*customsv1.ListLine{{BookSeq: lineNotebook, Quantity: "3", Total: "15000", GrossWeight: "300", NetWeight: "270", Lot: lot}}}
	}
	_, err := z.decl.CreateList(ctxAs(t, e.tok), out("NUL-1", "L\x00"))
	wantInvalid(t, err, "lines[0].lot", "a list line whose lot holds U+0000")
	if r := errorsv1.ReasonOf(err); r != "INVALID_ARGUMENT" {
		t.Errorf("reason %q, want INVALID_ARGUMENT", r)
	}
	_, err = z.s.Ledger().PostJournal(ctxAs(t, e.tok), journal(book, "nul-key", day(0),
		&ledgerv1.Posting{ItemCode: "1", Unit: "001", Quantity: "1", Lot: "L\x00", From: world("abroad"), To: acct(book, "bonded")}))
	wantInvalid(t, err, "postings[0].lot", "a ledger posting whose lot holds U+0000")
	_, err = z.books.RegisterEnterprise(ctxAs(t, z.admin), &customsv1.RegisterEnterpriseRequest{Uscc: e.uscc, CustomsCode: "3105999999", Name: "A\x00B"})
	wantInvalid(t, err, "name", "an enterprise name with U+0000")

	z.s.Restart()
	z = zoneOn(z.s, z.a)
	l := z.createList(t, e.tok, out("NUL-2", ""))
	z.declare(t, e.tok, l.GetListNo())
}
