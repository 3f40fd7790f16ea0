package ecommerce

import (
	"time"

	"github.com/shopspring/decimal"
)

// Channel is how one e-commerce enterprise (跨境电商企业, ebc) sells: through
// a platform (电商平台, ebp), from a zone warehouse's book (the emsNo of its
// lists), with a tax guarantor (担保扣税企业).
type Channel struct {
	// Enterprise is the e-commerce enterprise's USCC (its domestic agent's);
	// platform principals linked to it may submit its orders.
	Enterprise string
	Name       string
	// Platform is the platform's code (ebpCode).
	Platform string
	// Book is the zone warehouse's book the goods are deducted from
	// (二线出区核减); order lines name its part numbers (料号).
	Book string
	// Guarantor is the code of the enterprise whose guarantee covers the
	// tax (the platform, the e-commerce enterprise or the logistics
	// enterprise).
	Guarantor string
}

// Person is a buyer, payer or consignee.
type Person struct {
	Name string
	// IDNumber is the 身份证 number (ID type 1 is the only one allowed).
	IDNumber string
	Phone    string
	Address  string
}

// Order is an e-commerce order (订单, CEB311).
type Order struct {
	OrderNo    string
	Enterprise string
	Buyer      Person
	Consignee  Person
	// GoodsValue is the goods' actual price incl. non-cash deductions;
	// Freight (运杂费) is charged beside it; Insurance is the insured fee
	// (保价费, the list's insuredFee) the logistics enterprise charges,
	// apart from the goods value and the freight: a platform whose freight
	// already includes it sends the freight without it, or no insurance.
	// The dutiable value is GoodsValue + Freight + Insurance, each counted
	// once. Discount is the non-cash part (points, coupons); TaxTotal the
	// tax withheld; ActualPaid must be GoodsValue + Freight + TaxTotal −
	// Discount (CEB311's formula, in which the insured fee does not appear).
	GoodsValue decimal.Decimal
	Freight    decimal.Decimal
	Insurance  decimal.Decimal
	Discount   decimal.Decimal
	TaxTotal   decimal.Decimal
	ActualPaid decimal.Decimal
	Lines      []OrderLine
	// IdentityProof references the authentication proof that lets the payer
	// differ from the buyer.
	IdentityProof string
	// Status and Reason say where the order is: PENDING (documents
	// missing), RELEASED, REJECTED (with the reason), CANCELLED.
	Status    string
	Reason    string
	ListNo    string
	CreatedAt time.Time
	InputHash string
}

// OrderLine is one SKU of an order.
type OrderLine struct {
	// ItemNo is the warehouse book's part number (料号) of the SKU.
	ItemNo   string
	Name     string
	Quantity decimal.Decimal
	Price    decimal.Decimal
	Total    decimal.Decimal
}

// Payment is a payment slip (支付单, CEB411).
type Payment struct {
	OrderNo       string
	PayCode       string
	TransactionID string
	Payer         Person
	Amount        decimal.Decimal
	PaidAt        time.Time
	CreatedAt     time.Time
	InputHash     string
}

// Waybill is a logistics waybill (运单, CEB511).
type Waybill struct {
	OrderNo       string
	LogisticsNo   string
	LogisticsCode string
	Consignee     Person
	CreatedAt     time.Time
	InputHash     string
}

// ListStatus is where an inventory list is.
type ListStatus string

// The list statuses.
const (
	// ListReleasing is no longer set: a list is stored RELEASED (or
	// REFUSED) in the transaction that deducts its stock. The API keeps
	// the value.
	ListReleasing ListStatus = "RELEASING"
	// ListReleased: released; goods off the book, tax due.
	ListReleased ListStatus = "RELEASED"
	// ListReturnRequested: a return was applied for within the window.
	ListReturnRequested ListStatus = "RETURN_REQUESTED"
	// ListReturned: the goods are back in bonded stock; tax cancelled.
	ListReturned ListStatus = "RETURNED"
	// ListRefused: the stock could not be deducted; nothing counted.
	ListRefused ListStatus = "REFUSED"
	// ListPartlyReturned: part of the goods (InventoryList.ReturnLines) are
	// back in bonded stock; the tax of the goods kept is due.
	ListPartlyReturned ListStatus = "PARTLY_RETURNED"
	// ListReturnLapsed: a return was applied for but the goods were not
	// received within Settings.ReturnArriveDays of release; the return
	// lapsed and the list's tax is final. A RETURN_REQUESTED list reads
	// as RETURN_LAPSED from the day after the arrival window closes.
	ListReturnLapsed ListStatus = "RETURN_LAPSED"
)

// ReturnLine is the part of one list line a return covers.
type ReturnLine struct {
	// Seq is the list line's number (ListLine.Seq).
	Seq int
	// Quantity is how much of the line comes back, in the line's unit:
	// > 0 and no more than the line's quantity.
	Quantity decimal.Decimal
}

// InventoryList is an import inventory list (申报清单, CEB621) of a bonded
// (1210) order.
type InventoryList struct {
	No         string
	OrderNo    string
	Enterprise string
	Platform   string
	Book       string
	Guarantor  string
	BuyerID    string
	Lines      []ListLine
	// DutiableValue is goods value + freight + insurance, each counted
	// once.
	DutiableValue decimal.Decimal
	// Duty, ConsumptionTax, VAT and Tax are the tax due: as assessed at
	// release, or, once part of the goods are returned (PARTLY_RETURNED),
	// the tax of the goods kept.
	Duty           decimal.Decimal
	ConsumptionTax decimal.Decimal
	VAT            decimal.Decimal
	Tax            decimal.Decimal
	// ReleasedTax is the tax assessed at release; it differs from Tax only
	// after a partial return.
	ReleasedTax decimal.Decimal
	Rule        string
	// Tariff is the name of the tariff the list was taxed with
	// (tax.Tariff.Name; tax.SampleTariffName for the illustrative sample).
	Tariff     string `json:",omitempty"`
	Status     ListStatus
	Reason     string
	ReleasedOn time.Time
	JournalID  int64
	// ReturnLines are the goods a return was applied for: every line in
	// full for a whole return.
	ReturnLines     []ReturnLine
	ReturnAppliedOn time.Time
	ReturnedOn      time.Time
	ReturnJournalID int64
	CreatedAt       time.Time
	// TaxPaymentNo and TaxPaidOn name the payment that paid the list's tax
	// (RecordTaxPayment); empty while unpaid.
	TaxPaymentNo string    `json:",omitempty"`
	TaxPaidOn    time.Time `json:",omitzero"`
	// CustomsStatus is where customs has the list, as its CEB622 receipts
	// say (ImportReceipts); empty before the first receipt.
	// CustomsStatusCode is the receipt's returnStatus code, CustomsStatusAt
	// its returnTime and CustomsNote its returnInfo (a 退单's reason).
	CustomsStatus     CustomsStatus `json:",omitempty"`
	CustomsStatusCode string        `json:",omitempty"`
	CustomsStatusAt   time.Time     `json:",omitzero"`
	CustomsNote       string        `json:",omitempty"`
	// CustomsPreNo and CustomsInvtNo are the pre-entry number and the list
	// number customs assigned (preNo, invtNo), from the receipts.
	CustomsPreNo  string `json:",omitempty"`
	CustomsInvtNo string `json:",omitempty"`
}

// ListLine is one line of an inventory list.
type ListLine struct {
	Seq      int
	ItemNo   string
	BookSeq  int
	HSCode   string
	Name     string
	Quantity decimal.Decimal
	Unit     string
	// LegalQuantity is in the book line's first legal unit.
	LegalQuantity decimal.Decimal
	LegalUnit     string
	Price         decimal.Decimal
	Total         decimal.Decimal
}

// Settlement is a guarantor's tax for a period: the lists released in it
// and not returned.
type Settlement struct {
	Guarantor string
	From, To  time.Time
	Lists     []SettlementLine
	// Tax is the tax due of every list; Paid that of the lists paid
	// (TaxPaymentNo set); Unpaid the rest, Tax − Paid.
	Tax    decimal.Decimal
	Paid   decimal.Decimal
	Unpaid decimal.Decimal
}

// SettlementLine is one released list in a settlement.
type SettlementLine struct {
	ListNo     string
	OrderNo    string
	BuyerID    string
	ReleasedOn time.Time
	// DueOn is the last day to pay: Settings.PaymentDays after release.
	DueOn          time.Time
	Duty           decimal.Decimal
	ConsumptionTax decimal.Decimal
	VAT            decimal.Decimal
	Tax            decimal.Decimal
	// Final is true once the arrival window has closed: no return can
	// cancel the tax any more (a return applied for and not received has
	// lapsed).
	Final bool
	// TaxPaymentNo and TaxPaidOn name the payment that paid the list's tax
	// (RecordTaxPayment); empty while unpaid.
	TaxPaymentNo string
	TaxPaidOn    time.Time
}
