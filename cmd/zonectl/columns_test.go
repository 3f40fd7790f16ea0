package main

import (
	"reflect"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func TestColumnsFormatEachKindAsTheServerSentIt(t *testing.T) {
	v := cols[*ledgerv1.Period]("book_id", "journal_count", "digest", "closed_at", "b=from")
	p := &ledgerv1.Period{BookId: "B1", Digest: []byte{0xab, 0x01}, ClosedAt: timestamppb.New(time.Date(2026, 3, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600)))}
	want := [][]string{{"B1", "0", "ab01", "2026-03-01T00:00:00Z", ""}}
	if got := v.rows(p); !reflect.DeepEqual(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	if want := []string{"book_id", "journal_count", "digest", "closed_at", "b"}; !reflect.DeepEqual(v.header, want) {
		t.Errorf("header %q, want %q", v.header, want)
	}

	b := cols[*ledgerv1.Book]("accounts/,", "attributes", "created_at")
	want = [][]string{{"bonded,nonbonded", "a=1;z=2", ""}}
	if got := b.rows(&ledgerv1.Book{Accounts: []string{"bonded", "nonbonded"}, Attributes: map[string]string{"z": "2", "a": "1"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("book rows %q, want %q", got, want)
	}
}

func TestColumnsEnumsBlanksCountsAndNestedFields(t *testing.T) {
	l := cols[*customsv1.List]("status", "len:lines")
	if got := l.rows(&customsv1.List{Status: customsv1.ListStatus_LIST_STATUS_DECLARED})[0]; !reflect.DeepEqual(got, []string{"DECLARED", "0"}) {
		t.Errorf("row %q", got)
	}
	if got := l.rows(&customsv1.List{})[0]; got[0] != "" {
		t.Errorf("unspecified status prints %q, want \"\"", got[0])
	}
	p := cols[*customsv1.PendingTrip]("no=slip.slip_no", "days_left")
	if got := p.rows(&customsv1.PendingTrip{Slip: &customsv1.Slip{SlipNo: "S1"}})[0]; !reflect.DeepEqual(got, []string{"S1", "0"}) {
		t.Errorf("trip row %q", got)
	}
	x := cols[*customsv1.TaxableEvent]("id?", "list_seq?", "interest_days")
	if got := x.rows(&customsv1.TaxableEvent{ListSeq: 3})[0]; !reflect.DeepEqual(got, []string{"", "3", "0"}) {
		t.Errorf("taxable row %q", got)
	}
}

func TestFlatRowsOnePerElementWithIndexAndOuterColumns(t *testing.T) {
	v := flat[*ledgerv1.Journal]([]string{"journal_id?"}, "postings", "posting=#0", "line=#1", "quantity", "^principal")
	j := &ledgerv1.Journal{JournalId: 7, Principal: "p", Postings: []*ledgerv1.Posting{{Quantity: "1.5"}, {Quantity: "2"}}}
	want := [][]string{{"7", "0", "1", "1.5", "p"}, {"7", "1", "2", "2", "p"}}
	if got := v.rows(j); !reflect.DeepEqual(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	want = [][]string{{"", "", "", "", "p"}}
	if got := v.rows(&ledgerv1.Journal{Principal: "p"}); !reflect.DeepEqual(got, want) {
		t.Errorf("no postings: rows %q, want %q", got, want)
	}
	c := flat[*customsv1.Certificate]([]string{"certificate_no"}, "lots", "lot", "quantity")
	if got := c.rows(&customsv1.Certificate{CertificateNo: "C"}); !reflect.DeepEqual(got, [][]string{{"C", "", ""}}) {
		t.Errorf("no lots: rows %q", got)
	}
	s := cols[*customsv1.ListLine]("lots")
	if got := s.rows(&customsv1.ListLine{Lots: []*customsv1.LotQuantity{{Lot: "L1", Quantity: "2"}, {Lot: "L2", Quantity: "3"}}})[0][0]; got != "L1=2;L2=3" {
		t.Errorf("lots cell %q, want L1=2;L2=3", got)
	}
}

func TestColumnNamingNoFieldPanicsAtStartUp(t *testing.T) {
	for _, spec := range []string{"no_such_field", "book_id.x", "slip.nope"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("column %q: no panic", spec)
				}
			}()
			cols[*customsv1.PendingTrip](spec)
		}()
	}
}
