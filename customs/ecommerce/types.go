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
	// Freight and Insurance are charged beside it; Discount is the non-cash
	// part (points, coupons); TaxTotal the tax withheld; ActualPaid must be
	// GoodsValue + Freight + TaxTotal − Discount (Insurance is in GoodsValue
	// or Freight as the platform charges it, and is part of the dutiable
	// value).
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
	// ListReleasing: tax assessed, the stock deduction is being booked.
	ListReleasing ListStatus = "RELEASING"
	// ListReleased: released; goods off the book, tax due.
	ListReleased ListStatus = "RELEASED"
	// ListReturnRequested: a return was applied for within the window.
	ListReturnRequested ListStatus = "RETURN_REQUESTED"
	// ListReturned: the goods are back in bonded stock; tax cancelled.
	ListReturned ListStatus = "RETURNED"
	// ListRefused: the stock could not be deducted; nothing counted.
	ListRefused ListStatus = "REFUSED"
)

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
	// DutiableValue is goods value + freight + insurance.
	DutiableValue  decimal.Decimal
	Duty           decimal.Decimal
	ConsumptionTax decimal.Decimal
	VAT            decimal.Decimal
	Tax            decimal.Decimal
	Rule           string
	// Tariff is the name of the tariff the list was taxed with
	// (tax.Tariff.Name; tax.SampleTariffName for the illustrative sample).
	Tariff          string `json:",omitempty"`
	Status          ListStatus
	Reason          string
	ReleasedOn      time.Time
	JournalID       int64
	ReturnAppliedOn time.Time
	ReturnedOn      time.Time
	ReturnJournalID int64
	CreatedAt       time.Time
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
	Tax       decimal.Decimal
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
	// Final is true once the return window has closed.
	Final bool
}
