package demo

import (
	"strings"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// checkOutZone checks the out-of-zone scene as the server answered it and
// as the report printed it: the mould is still out and the only overdue
// row, 30 days past its due day; the sheet sent for 外发加工 is settled
// (back, consumed, sold); the stock keeps the mould bonded and out; the
// refusal names its rule.
func checkOutZone(t *testing.T, res *Result, report string) {
	t.Helper()
	r := res.OutZone
	if r == nil || len(r.Moves) != 4 {
		t.Fatalf("the out-of-zone scene: %+v", r)
	}
	mould, sheet, sale := r.Moves[0], r.Moves[1], r.Moves[3]
	if mould.GetStatus() != "OUT" || len(mould.GetOutstanding()) != 1 || mould.GetOutstanding()[0].GetQuantity() != "1" {
		t.Errorf("mould movement %v", mould)
	}
	if sheet.GetStatus() != "SETTLED" || len(sheet.GetOutstanding()) != 0 {
		t.Errorf("sheet movement %v", sheet)
	}
	if d(sale.GetTax()).Sign() <= 0 {
		t.Errorf("the sheet sold shows tax %s", sale.GetTax())
	}
	if r.Refused != "OUT_ZONE_EXCEEDS_SENT" {
		t.Errorf("two moulds back: %q", r.Refused)
	}
	want := map[int32][3]string{1: {"1", "0", "1"}, 2: {"1560", "1560", "0"}, 3: {"3200", "3200", "0"}, 4: {"12.5", "12.5", "0"}}
	for _, l := range r.Stock {
		w := want[l.GetBookSeq()]
		if !d(l.GetBonded()).Equal(d(w[0])) || !d(l.GetAvailable()).Equal(d(w[1])) || !d(l.GetOutZone()).Equal(d(w[2])) {
			t.Errorf("stock line %d: bonded %s available %s out %s; want %v", l.GetBookSeq(), l.GetBonded(), l.GetAvailable(), l.GetOutZone(), w)
		}
	}
	if len(r.Overdue) != 1 || r.Overdue[0].GetKind() != customsv1.OverdueKind_OVERDUE_KIND_MOULD || r.Overdue[0].GetDaysOverdue() != 30 ||
		r.Overdue[0].GetDocuments()[0] != mould.GetMoveNo() || r.Overdue[0].GetDue() != mould.GetDueBack() {
		t.Errorf("overdue %v", r.Overdue)
	}
	_, sec, ok := strings.Cut(report, "Out of the zone and back")
	if !ok || !strings.Contains(sec, mould.GetMoveNo()) || !strings.Contains(sec, "OUT_ZONE_EXCEEDS_SENT") || !strings.Contains(sec, sale.GetTax()) {
		t.Errorf("the out-of-zone section:\n%s", sec)
	}
}
