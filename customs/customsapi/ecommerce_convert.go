package customsapi

// Wire <-> domain conversions of EcommerceService (customs/ecommerce). The
// requests are parsed as strictly as the zone's: decimals with
// ledger.ParseDecimal, dates with ledger.ParseDate, errors naming the wire
// field ("lines[1].price", "buyer.name", "to_date").

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/ledger"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// settlementRenames maps the e-commerce domain's field names to the wire's
// where they differ.
var settlementRenames = map[string]string{"to": "to_date", "from": "from_date"}

// reqDate parses a required date.
func (ps *parser) reqDate(s, field string) time.Time {
	if ps.err != nil {
		return time.Time{}
	}
	t, err := ledger.ParseDate(s, field)
	ps.err = err
	return t
}

// optInstant parses an optional timestamp.
func (ps *parser) optInstant(t *timestamppb.Timestamp, field string) time.Time {
	if ps.err != nil || t == nil {
		return time.Time{}
	}
	if err := t.CheckValid(); err != nil {
		ps.err = ledger.BadArgument(field, "is not a valid timestamp: %v", err)
		return time.Time{}
	}
	return t.AsTime()
}

func channelIn(r *customsv1.RegisterChannelRequest) ecommerce.Channel {
	return ecommerce.Channel{Enterprise: r.GetEnterprise(), Name: r.GetName(), Platform: r.GetPlatform(), Book: r.GetBookNo(), Guarantor: r.GetGuarantor()}
}

func channelOut(c ecommerce.Channel) *customsv1.Channel {
	return &customsv1.Channel{Enterprise: c.Enterprise, Name: c.Name, Platform: c.Platform, BookNo: c.Book, Guarantor: c.Guarantor}
}

func personIn(p *customsv1.Person) ecommerce.Person {
	return ecommerce.Person{Name: p.GetName(), IDNumber: p.GetIdNumber(), Phone: p.GetPhone(), Address: p.GetAddress()}
}

func personOut(p ecommerce.Person) *customsv1.Person {
	return &customsv1.Person{Name: p.Name, IdNumber: p.IDNumber, Phone: p.Phone, Address: p.Address}
}

func orderIn(r *customsv1.SubmitOrderRequest) (ecommerce.Order, error) {
	var ps parser
	o := ecommerce.Order{OrderNo: r.GetOrderNo(), Enterprise: r.GetEnterprise(), Buyer: personIn(r.GetBuyer()), Consignee: personIn(r.GetConsignee()),
		GoodsValue: ps.dec(r.GetGoodsValue(), "goods_value"), Freight: ps.optDec(r.GetFreight(), "freight"),
		Insurance: ps.optDec(r.GetInsurance(), "insurance"), Discount: ps.optDec(r.GetDiscount(), "discount"),
		TaxTotal: ps.dec(r.GetTaxTotal(), "tax_total"), ActualPaid: ps.dec(r.GetActualPaid(), "actual_paid"),
		IdentityProof: r.GetIdentityProof()}
	for i, l := range r.GetLines() {
		f := fmt.Sprintf("lines[%d]", i)
		o.Lines = append(o.Lines, ecommerce.OrderLine{ItemNo: l.GetItemNo(), Name: l.GetName(),
			Quantity: ps.dec(l.GetQuantity(), f+".quantity"), Price: ps.dec(l.GetPrice(), f+".price"), Total: ps.dec(l.GetTotal(), f+".total")})
	}
	return o, ps.err
}

// stableReason matches the stable reason the domain puts before a rejected
// order's message ("TAX_MISMATCH: order ... withheld ...").
var stableReason = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// splitReason splits a rejected order's reason into the stable reason and
// its message.
func splitReason(s string) (reason, message string) {
	if r, m, ok := strings.Cut(s, ": "); ok && stableReason.MatchString(r) {
		return r, m
	}
	return "", s
}

// orderOut converts an order; nil when there is none (a payment or waybill
// received before its order).
func orderOut(o ecommerce.Order) *customsv1.Order {
	if o.OrderNo == "" {
		return nil
	}
	reason, msg := splitReason(o.Reason)
	out := &customsv1.Order{OrderNo: o.OrderNo, Enterprise: o.Enterprise, Buyer: personOut(o.Buyer), Consignee: personOut(o.Consignee),
		GoodsValue: ledger.FormatMoney(o.GoodsValue), Freight: ledger.FormatMoney(o.Freight), Insurance: ledger.FormatMoney(o.Insurance), Discount: ledger.FormatMoney(o.Discount),
		TaxTotal: ledger.FormatMoney(o.TaxTotal), ActualPaid: ledger.FormatMoney(o.ActualPaid), IdentityProof: o.IdentityProof,
		Status: customsv1.OrderStatus(enumOut(customsv1.OrderStatus_value, "ORDER_STATUS_", o.Status)),
		Reason: reason, ReasonMessage: msg, ListNo: o.ListNo, CreatedAt: ts(o.CreatedAt), InputHash: o.InputHash}
	for _, l := range o.Lines {
		out.Lines = append(out.Lines, &customsv1.OrderLine{ItemNo: l.ItemNo, Name: l.Name, Quantity: qty(l.Quantity), Price: qty(l.Price), Total: ledger.FormatMoney(l.Total)})
	}
	return out
}

func paymentIn(r *customsv1.SubmitPaymentRequest) (string, ecommerce.Payment, error) {
	var ps parser
	p := ecommerce.Payment{OrderNo: r.GetOrderNo(), PayCode: r.GetPayCode(), TransactionID: r.GetTransactionId(), Payer: personIn(r.GetPayer()),
		Amount: ps.dec(r.GetAmount(), "amount"), PaidAt: ps.optInstant(r.GetPaidAt(), "paid_at")}
	return r.GetEnterprise(), p, ps.err
}

func waybillIn(r *customsv1.SubmitWaybillRequest) (string, ecommerce.Waybill) {
	return r.GetEnterprise(), ecommerce.Waybill{OrderNo: r.GetOrderNo(), LogisticsNo: r.GetLogisticsNo(), LogisticsCode: r.GetLogisticsCode(),
		Consignee: personIn(r.GetConsignee())}
}

func inventoryListOut(l ecommerce.InventoryList) *customsv1.InventoryList {
	out := &customsv1.InventoryList{ListNo: l.No, OrderNo: l.OrderNo, Enterprise: l.Enterprise, Platform: l.Platform, BookNo: l.Book,
		Guarantor: l.Guarantor, BuyerId: l.BuyerID, DutiableValue: ledger.FormatMoney(l.DutiableValue), Duty: ledger.FormatMoney(l.Duty),
		ConsumptionTax: ledger.FormatMoney(l.ConsumptionTax), Vat: ledger.FormatMoney(l.VAT), Tax: ledger.FormatMoney(l.Tax), Rule: l.Rule, Tariff: l.Tariff,
		Status: customsv1.InventoryListStatus(enumOut(customsv1.InventoryListStatus_value, "INVENTORY_LIST_STATUS_", string(l.Status))),
		Reason: l.Reason, ReleasedOn: dateOut(l.ReleasedOn), JournalId: l.JournalID, ReturnAppliedOn: dateOut(l.ReturnAppliedOn),
		ReturnedOn: dateOut(l.ReturnedOn), ReturnJournalId: l.ReturnJournalID, CreatedAt: ts(l.CreatedAt), ReleasedTax: ledger.FormatMoney(l.ReleasedTax),
		TaxPaymentNo: l.TaxPaymentNo, TaxPaidOn: dateOut(l.TaxPaidOn)}
	if l.ReleasedTax.IsZero() && l.Status != ecommerce.ListPartlyReturned {
		out.ReleasedTax = out.Tax
	}
	customsStatusOut(out, l)
	for _, rl := range l.ReturnLines {
		out.ReturnLines = append(out.ReturnLines, &customsv1.ReturnLine{Seq: int32(rl.Seq), Quantity: qty(rl.Quantity)})
	}
	for _, ln := range l.Lines {
		out.Lines = append(out.Lines, &customsv1.InventoryListLine{Seq: int32(ln.Seq), ItemNo: ln.ItemNo, BookSeq: int32(ln.BookSeq),
			HsCode: ln.HSCode, Name: ln.Name, Quantity: qty(ln.Quantity), Unit: ln.Unit, LegalQuantity: qty(ln.LegalQuantity),
			LegalUnit: ln.LegalUnit, Price: qty(ln.Price), Total: ledger.FormatMoney(ln.Total)})
	}
	return out
}

// returnLinesIn parses the goods of a return, naming the wire field at
// fault ("lines[0].quantity").
func returnLinesIn(in []*customsv1.ReturnLine) ([]ecommerce.ReturnLine, error) {
	var ps parser
	out := make([]ecommerce.ReturnLine, 0, len(in))
	for i, rl := range in {
		out = append(out, ecommerce.ReturnLine{Seq: int(rl.GetSeq()), Quantity: ps.dec(rl.GetQuantity(), fmt.Sprintf("lines[%d].quantity", i))})
	}
	return out, ps.err
}

func settlementOut(st ecommerce.Settlement) *customsv1.Settlement {
	out := &customsv1.Settlement{Guarantor: st.Guarantor, FromDate: dateOut(st.From), ToDate: dateOut(st.To), Tax: ledger.FormatMoney(st.Tax),
		Paid: ledger.FormatMoney(st.Paid), Unpaid: ledger.FormatMoney(st.Unpaid)}
	for _, l := range st.Lists {
		out.Lines = append(out.Lines, &customsv1.SettlementLine{ListNo: l.ListNo, OrderNo: l.OrderNo, BuyerId: l.BuyerID,
			ReleasedOn: dateOut(l.ReleasedOn), DueOn: dateOut(l.DueOn), Duty: ledger.FormatMoney(l.Duty), ConsumptionTax: ledger.FormatMoney(l.ConsumptionTax),
			Vat: ledger.FormatMoney(l.VAT), Tax: ledger.FormatMoney(l.Tax), Final: l.Final, TaxPaymentNo: l.TaxPaymentNo, TaxPaidOn: dateOut(l.TaxPaidOn)})
	}
	return out
}

// unsafeFileChars are replaced in suggested file names.
var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// settlementFileName suggests a file name for an exported settlement.
func settlementFileName(st ecommerce.Settlement, ext string) string {
	return fmt.Sprintf("settlement-%s-%s-%s.%s", unsafeFileChars.ReplaceAllString(st.Guarantor, "_"), dateOut(st.From), dateOut(st.To), ext)
}

// taxPaymentOut is a recorded tax payment on the wire.
func taxPaymentOut(p ecommerce.TaxPayment) *customsv1.TaxPayment {
	return &customsv1.TaxPayment{PaymentNo: p.No, Amount: ledger.FormatMoney(p.Amount), PaidOn: dateOut(p.PaidOn), ListNos: p.ListNos,
		Guarantor: p.Guarantor, RecordedBy: p.RecordedBy, RecordedAt: ts(p.RecordedAt)}
}
