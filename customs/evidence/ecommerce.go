package evidence

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	evfile "github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
)

// EcommerceLists is the e-commerce centre as evidence reads it: the
// inventory lists released from a book that changed since a mark
// (ecommerce.Service.BookListsChanged).
type EcommerceLists interface {
	BookListsChanged(ctx context.Context, p access.Principal, book string, since ecommerce.ListMark, fn func(ecommerce.BookList) error) (ecommerce.ListMark, error)
}

// ecommerceDocuments calls fn with each e-commerce list released from the
// book that changed since the mark, as a document of kind
// evfile.KindEcommerceList, and returns the mark the next period's seal
// reads from.
func (s *Service) ecommerceDocuments(ctx context.Context, p access.Principal, book string, since ecommerce.ListMark, fn func(zone.StoredDocument) error) (ecommerce.ListMark, error) {
	if s.ecom == nil {
		return since, nil
	}
	return s.ecom.BookListsChanged(ctx, p, book, since, func(bl ecommerce.BookList) error {
		body, err := evfile.Marshal(ecommerceRecord(bl))
		if err != nil {
			return err
		}
		return fn(zone.StoredDocument{Kind: evfile.KindEcommerceList, No: bl.List.No, Enterprise: bl.List.Enterprise,
			Status: string(bl.List.Status), Body: string(body)})
	})
}

func ecommerceRecord(bl ecommerce.BookList) evfile.EcommerceList {
	l := bl.List
	dec := func(d decimal.Decimal) string { return d.String() }
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return ledger.FormatDate(t)
	}
	r := evfile.EcommerceList{No: l.No, OrderNo: l.OrderNo, Enterprise: l.Enterprise, Platform: l.Platform, Book: l.Book,
		Guarantor: l.Guarantor, BuyerID: l.BuyerID, Lines: make([]evfile.EcommerceListLine, len(l.Lines)),
		Tax: evfile.EcommerceListTax{DutiableValue: dec(l.DutiableValue), Duty: dec(l.Duty), ConsumptionTax: dec(l.ConsumptionTax),
			VAT: dec(l.VAT), Total: dec(l.Tax), Released: dec(l.ReleasedTax), Rule: l.Rule, Tariff: l.Tariff},
		Return: evfile.EcommerceListReturn{Lines: make([]evfile.EcommerceReturnLine, len(l.ReturnLines)), AppliedOn: day(l.ReturnAppliedOn),
			ReceivedOn: day(l.ReturnedOn), JournalID: l.ReturnJournalID},
		Payment:    evfile.EcommerceListPayment{No: l.TaxPaymentNo, PaidOn: day(l.TaxPaidOn), ListNos: []string{}},
		ReleasedOn: day(l.ReleasedOn), JournalID: l.JournalID}
	for i, ln := range l.Lines {
		r.Lines[i] = evfile.EcommerceListLine{Seq: int64(ln.Seq), ItemNo: ln.ItemNo, BookSeq: int64(ln.BookSeq), HSCode: ln.HSCode, Name: ln.Name,
			Quantity: dec(ln.Quantity), Unit: ln.Unit, LegalQuantity: dec(ln.LegalQuantity), LegalUnit: ln.LegalUnit, Price: dec(ln.Price), Total: dec(ln.Total)}
	}
	for i, rl := range l.ReturnLines {
		r.Return.Lines[i] = evfile.EcommerceReturnLine{Seq: int64(rl.Seq), Quantity: dec(rl.Quantity)}
	}
	if p := bl.Payment; p != nil {
		r.Payment.Amount, r.Payment.ListNos, r.Payment.Guarantor, r.Payment.RecordedBy = p.Amount.StringFixed(2), append([]string{}, p.ListNos...), p.Guarantor, p.RecordedBy
		if !p.RecordedAt.IsZero() {
			r.Payment.RecordedAt = p.RecordedAt.UTC().Format(time.RFC3339Nano)
		}
	}
	if l.CustomsStatus != "" || l.CustomsStatusCode != "" {
		r.Customs = &evfile.EcommerceListCustoms{Status: string(l.CustomsStatus), Code: l.CustomsStatusCode, Note: l.CustomsNote,
			PreNo: l.CustomsPreNo, InvtNo: l.CustomsInvtNo}
		if !l.CustomsStatusAt.IsZero() {
			r.Customs.At = l.CustomsStatusAt.UTC().Format(time.RFC3339Nano)
		}
	}
	return r
}
