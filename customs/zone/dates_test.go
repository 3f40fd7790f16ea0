package zone_test

import (
	"strings"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// TestAbsurdBusinessDatesAndCodesAreRefused: a list dated 1900-01-01 or in
// the future, a consumption report dated 9999-12-31, a form starting in
// 1999 or years ahead, a line in currency 999 or from country 000 are
// refused naming the field; the window's edges are taken.
func TestAbsurdBusinessDatesAndCodesAreRefused(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	today := time.Now().UTC().Truncate(24 * time.Hour)
	list := func(inner string, bend func(l *zone.List)) error {
		l := entry(w.h1, inner, 1, "1", "100")
		bend(&l)
		_, err := w.svc.CreateList(w.ctx, w.e1, l)
		return err
	}
	refused := func(what string, err error, field, says string) {
		t.Helper()
		le := wantReason(t, err, ledger.ReasonInvalidArgument)
		if le.Field != field || !strings.Contains(le.Message, says) {
			t.Errorf("%s: field %q message %q; want field %q saying %q", what, le.Field, le.Message, field, says)
		}
	}
	refused("list of 1900-01-01", list("D1", func(l *zone.List) { l.Date = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) }), "date", "before 2000-01-01")
	refused("list of 1999-12-31", list("D2", func(l *zone.List) { l.Date = time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC) }), "date", "before 2000-01-01")
	refused("list of 9999-12-31", list("D3", func(l *zone.List) { l.Date = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) }), "date", "in the future")
	refused("line in currency 999", list("D4", func(l *zone.List) { l.Lines[0].Currency = "999" }), "lines[0].currency", "not in the customs currency table")
	refused("line from country 000", list("D5", func(l *zone.List) { l.Lines[0].Country = "000" }), "lines[0].country", "101-699 by continent")
	refused("list to country XXX", list("D6", func(l *zone.List) { l.Country = "XXX" }), "country", "not an ISO 3166 country code")
	if err := list("D7", func(l *zone.List) {
		l.Date = zone.EarliestBusinessDate
		l.Lines[0].Currency = "502"
		l.ExchangeRate = d("7.1")
		l.Lines[0].Country = "502"
	}); err != nil {
		t.Errorf("a list of %s in USD from 502: %v", ledger.FormatDate(zone.EarliestBusinessDate), err)
	}

	_, err := w.svc.ReportConsumption(w.ctx, w.e1, zone.ConsumptionReport{InnerNo: "C9", Book: w.h1, Purpose: "简单加工", Date: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
		Consumed: []zone.ConsumedLine{{BookSeq: 1, Quantity: d("1")}}})
	refused("consumption report of 9999-12-31", err, "date", "in the future")

	form := func(inner string, from time.Time) error {
		_, err := w.svc.CreateForm(w.ctx, w.e1, zone.Form{InnerNo: inner, Book: w.h1, Type: codes.FormCollective, ValidFrom: from, ValidUntil: from.AddDate(0, 1, 0)})
		return err
	}
	refused("form from 1999", form("F1", time.Date(1999, 6, 1, 0, 0, 0, 0, time.UTC)), "valid_from", "before 2000-01-01")
	refused("form from two years ahead", form("F2", today.AddDate(2, 0, 0)), "valid_from", "more than 90 days after the zone's today")
	if err := form("F3", today.AddDate(0, 0, zone.FormStartsAheadDays-1)); err != nil {
		t.Errorf("a form starting in %d days: %v", zone.FormStartsAheadDays-1, err)
	}
}
