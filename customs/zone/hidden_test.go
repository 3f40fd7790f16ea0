package zone_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// TestAnotherEnterprisesNumbersAnswerNotFound: every call that names a
// book or document by its number answers a principal who may not read it
// exactly as it answers a number that does not exist (same kind, reason,
// field, and message but for the number), so the caller learns neither
// that it exists nor whose it is. Customs still reads everything.
func TestAnotherEnterprisesNumbersAnswerNotFound(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "10", "50000"))
	ps := w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	draft, err := w.svc.CreateList(w.ctx, w.e1, entry(w.h1, "DRAFT-1", 1, "1", "5000"))
	w.must(err)
	const noList, noPass, noBook = "QD310526I999999999", "HF310526I999999999", "H3105W999999"

	type op struct {
		name          string
		real, missing string
		call          func(p access.Principal, no string) error
	}
	ops := []op{
		{"GetList", draft.No, noList, func(p access.Principal, no string) error { _, err := w.svc.GetList(w.ctx, p, no); return err }},
		{"DeclareList", draft.No, noList, func(p access.Principal, no string) error { _, err := w.svc.DeclareList(w.ctx, p, no); return err }},
		{"DeleteList", draft.No, noList, func(p access.Principal, no string) error { _, err := w.svc.DeleteList(w.ctx, p, no); return err }},
		{"ClearList", in.No, noList, func(p access.Principal, no string) error {
			_, err := w.svc.ClearList(w.ctx, p, no, "310520261000000001")
			return err
		}},
		{"RequestCertificate", in.No, noList, func(p access.Principal, no string) error {
			_, err := w.svc.RequestCertificate(w.ctx, p, no)
			return err
		}},
		{"GetPass", ps.No, noPass, func(p access.Principal, no string) error { _, err := w.svc.GetPass(w.ctx, p, no); return err }},
		{"DeletePass", ps.No, noPass, func(p access.Principal, no string) error { _, err := w.svc.DeletePass(w.ctx, p, no); return err }},
		{"GetBook", w.h1, noBook, func(p access.Principal, no string) error { _, err := w.svc.GetBook(w.ctx, p, no); return err }},
		{"ListBookLines", w.h1, noBook, func(p access.Principal, no string) error {
			_, err := w.svc.ListBookLines(w.ctx, p, no, 0, 10)
			return err
		}},
		{"StockReport", w.h1, noBook, func(p access.Principal, no string) error {
			_, err := w.svc.StockReport(w.ctx, p, no, nil)
			return err
		}},
		{"ListTaxableEvents", w.h1, noBook, func(p access.Principal, no string) error {
			_, err := w.svc.ListTaxableEvents(w.ctx, p, no, time.Time{}, time.Time{}, 0, 10)
			return err
		}},
		{"ListLists of a book", w.h1, noBook, func(p access.Principal, no string) error {
			_, err := w.svc.ListLists(w.ctx, p, zone.ListFilter{Book: no})
			return err
		}},
		{"CreateList on a book", w.h1, noBook, func(p access.Principal, no string) error {
			_, err := w.svc.CreateList(w.ctx, p, entry(no, "SNEAK-1", 1, "1", "1"))
			return err
		}},
		{"AddBookLines on a book", w.h1, noBook, func(p access.Principal, no string) error {
			_, err := w.svc.AddBookLines(w.ctx, p, no, []zone.BookLine{{Seq: 99, HSCode: "8471300000", Name: "x", DeclaredUnit: "001",
				Legal: zone.LegalUnit{Unit: "001", Factor: d("1")}}})
			return err
		}},
	}
	for _, o := range ops {
		t.Run(o.name, func(t *testing.T) {
			hidden, missing := o.call(w.e2, o.real), o.call(w.e2, o.missing)
			var h, m *ledger.Error
			if !errors.As(hidden, &h) || !errors.As(missing, &m) {
				t.Fatalf("E2 on E1's %s: %v; on a missing number: %v", o.real, hidden, missing)
			}
			if h.Kind != ledger.KindNotFound || h.Kind != m.Kind || h.Reason != m.Reason || h.Field != m.Field ||
				strings.ReplaceAll(h.Message, o.real, "#") != strings.ReplaceAll(m.Message, o.missing, "#") {
				t.Errorf("E2 on E1's %s: %s %s %q %q\n on a missing number: %s %s %q %q", o.real, h.Kind, h.Reason, h.Field, h.Message, m.Kind, m.Reason, m.Field, m.Message)
			}
			if strings.Contains(hidden.Error(), w.u1) {
				t.Errorf("E2 on E1's %s: %v names E1", o.real, hidden)
			}
		})
	}
	// A pass of E2's own book cannot carry E1's list, and is told so as
	// if the list did not exist.
	sneak := func(list string) error {
		_, err := w.svc.CreatePass(w.ctx, w.e2, zone.Pass{InnerNo: "SNEAK-P", Book: w.t2, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
			RelatedType: codes.RelatedList, RelatedNos: []string{list}, Vehicle: "沪A00001", VehicleWeight: d("10000"), GrossWeight: d("1"), NetWeight: d("1")})
		return err
	}
	h, m := wantReason(t, sneak(in.No), zone.ReasonUnknownList), wantReason(t, sneak(noList), zone.ReasonUnknownList)
	if h.Field != m.Field || strings.ReplaceAll(h.Message, in.No, "#") != strings.ReplaceAll(m.Message, noList, "#") {
		t.Errorf("E2's pass naming E1's list: %v; naming a missing list: %v", h, m)
	}
	// Customs reads all of them.
	if _, err := w.svc.GetList(w.ctx, w.customs, draft.No); err != nil {
		t.Errorf("customs GetList: %v", err)
	}
	if _, err := w.svc.GetPass(w.ctx, w.customs, ps.No); err != nil {
		t.Errorf("customs GetPass: %v", err)
	}
	if _, err := w.svc.StockReport(w.ctx, w.customs, w.h1, nil); err != nil {
		t.Errorf("customs StockReport: %v", err)
	}
}
