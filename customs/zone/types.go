package zone

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/codes"
)

// Enterprise is a zone enterprise (区内企业) as customs registers it.
type Enterprise struct {
	// USCC is the unified social credit code (统一社会信用代码), 18
	// characters with a valid check character. It identifies the enterprise
	// everywhere: books' owner, principals' enterprise.
	USCC string
	// CustomsCode is the 10-character customs registration code (海关编码).
	CustomsCode string
	// Name is the registered name.
	Name string
	// Credit is the customs credit rating.
	Credit codes.CreditRating
	// Suspended is true while customs has suspended the enterprise: its
	// books accept no filings and nothing can be transferred to them.
	Suspended bool
	CreatedAt time.Time
}

// Book is an electronic account book (电子账册) of an enterprise.
type Book struct {
	// No is the book number (备案编号), e.g. "H31050000001" or "T3105W000293".
	No string
	// Kind is the kind of book; it fixes the number's prefix.
	Kind codes.BookKind
	// Enterprise is the USCC of the enterprise the book belongs to.
	Enterprise string
	// Usage is the book usage code (账册用途), free-form, e.g. "1" 一般纳税人, "3" 保税维修.
	Usage string
	// CustomsOffice is the competent customs office (主管海关), 4 digits.
	CustomsOffice string
	// GeneralTaxpayer says the enterprise is a VAT general-taxpayer pilot
	// enterprise (一纳企业, customs-reference §5.7) for this book: its
	// bonded and non-bonded goods are on the book, and it sells finished
	// goods to the domestic market on 清单类型 9 lists. Customs sets it
	// (SetGeneralTaxpayer); false for a new book.
	GeneralTaxpayer bool `json:",omitempty"`
	// Status gates filing: only an EXECUTING book accepts lists and passes.
	Status codes.BookStatus
	// WriteOffCycleMonths is the write-off cycle (核销周期), 1 to 12 months.
	WriteOffCycleMonths int
	// LastWriteOffDate is the book's most recent write-off date (最近核销日期;
	// zero: never written off). 缓税利息 on a domestic sale taxed on its
	// materials runs from it when it is later than the materials' first
	// import (GACC 公告2009年第14号). Set with SetLastWriteOffDate; kept in its
	// own column, not in the book's body.
	LastWriteOffDate time.Time `json:"-"`
	CreatedAt        time.Time
}

// LegalUnit is a legal unit of measure (法定计量单位) of a book line with the
// exact factor converting declared quantities into it:
// legal quantity = declared quantity × Factor.
type LegalUnit struct {
	Unit   string
	Factor decimal.Decimal
}

// BookLine is a line of a book (备案序号): the goods counted on it.
type BookLine struct {
	Book string
	// Seq is the line's number in the book (备案序号), from 1.
	Seq int
	// HSCode is the 10-digit commodity code.
	HSCode string
	Name   string
	// Spec is the specification / declaration elements (规格型号).
	Spec string
	// DeclaredUnit is the unit quantities are booked in (申报计量单位).
	DeclaredUnit string
	// Scale is the number of decimal places a quantity may have (0 to 5).
	Scale int32
	// Legal is the first legal unit; Second the optional second legal unit.
	Legal  LegalUnit
	Second *LegalUnit
	// Type is material, finished good or equipment.
	Type codes.GoodsType
	// PartNumbers are the enterprise part numbers (料号) mapped onto the line.
	PartNumbers []string
}

// ListStatus is where a verification list is in its lifecycle.
type ListStatus string

// The list statuses.
const (
	// ListDraft: filed, editable, no book effect.
	ListDraft ListStatus = "DRAFT"
	// ListDeclared: declared to customs (申报); outbound quantities are
	// reserved (预核扣).
	ListDeclared ListStatus = "DECLARED"
	// ListApproved: approved by customs (审核通过); goods may pass the gate.
	ListApproved ListStatus = "APPROVED"
	// ListReturned: returned by customs (退单); reservations released.
	ListReturned ListStatus = "RETURNED"
	// ListCleared: every quantity is on or off the book (已核扣).
	ListCleared ListStatus = "CLEARED"
	// ListDeleted: a draft deleted by its filer (删单).
	ListDeleted ListStatus = "DELETED"
)

// Flow is the movement a list books, derived from its type, direction,
// trade mode and declaration flag.
type Flow string

// The flows of the zone flows of GACC 公告2019年第26号.
const (
	FlowFirstLineIn     Flow = "FIRST_LINE_IN"     // 一线入区: abroad → bonded, at the gate (pass type 2)
	FlowFirstLineOut    Flow = "FIRST_LINE_OUT"    // 一线出区: bonded → abroad, at the gate
	FlowSecondLineIn    Flow = "SECOND_LINE_IN"    // 二线入区: domestic area → bonded, at the gate (pass type 3)
	FlowSecondLineOut   Flow = "SECOND_LINE_OUT"   // 二线出区 (内销 when the trade mode is a domestic sale: taxable)
	FlowInterZoneIn     Flow = "INTER_ZONE_IN"     // 区间流转 in: another bonded place → bonded
	FlowInterZoneOut    Flow = "INTER_ZONE_OUT"    // 区间流转 out: bonded → another bonded place
	FlowIntraZoneIn     Flow = "INTRA_ZONE_IN"     // 区内流转, buyer's list: paired with the seller's
	FlowIntraZoneOut    Flow = "INTRA_ZONE_OUT"    // 区内流转, seller's list
	FlowEnterFirst      Flow = "ENTER_FIRST"       // 先入区后报关: entered on a type-1 pass, declared later
	FlowCollectiveOut   Flow = "COLLECTIVE_OUT"    // 分送集报: trips already out, declared together
	FlowNonDeclaredIn   Flow = "NON_DECLARED_IN"   // 非报关 in: non-bonded goods into co-storage (pass type 4)
	FlowNonDeclaredOut  Flow = "NON_DECLARED_OUT"  // 非报关 out: non-bonded goods leave (pass type 4)
	FlowSwitchToBonded  Flow = "SWITCH_TO_BONDED"  // 区内直转: non-bonded → bonded through the 待检区
	FlowSwitchToNonbond Flow = "SWITCH_TO_NONBOND" // 区内直转: bonded → non-bonded (taxable) through the 待检区
)

// List is a bonded verification list (保税核注清单).
type List struct {
	// No is the list number (保税清单编号) the zone assigns:
	// "QD" + customs office + 2-digit year + I/E + 9-digit sequence.
	No string
	// InnerNo is the enterprise's own number (企业内部清单编号), unique per
	// enterprise.
	InnerNo    string
	Enterprise string
	Book       string
	Type       codes.ListType
	IO         codes.IOFlag
	// TradeMode is the 监管方式 code.
	TradeMode   string
	DeclareFlag codes.DeclareFlag
	// DeclarationKind (报关类型) and DeclarationNo (对应/关联报关单编号), when
	// DeclareFlag is 1.
	DeclarationKind codes.DeclarationKind
	DeclarationNo   string
	// TransferType is the 流转类型 of inter-zone transfers.
	TransferType codes.TransferType
	// RelatedListNo and RelatedBookNo name the counterpart's list and book
	// (关联清单编号 / 关联备案编号) of a transfer.
	RelatedListNo string
	RelatedBookNo string
	// ApplyNo is the business form (业务申报表) the list belongs to.
	ApplyNo string
	// EntryPassNos are the type-1 passes whose goods a 先入区后报关 list
	// declares.
	EntryPassNos []string
	// EntryClaims record which pass's goods each line of a 先入区后报关
	// list takes; set when the list is filed and again when declared, so
	// that no two live lists claim the same goods of a pass. Derived.
	EntryClaims []EntryClaim `json:",omitempty"`
	// SlipNos are the in/out slips a collective (集报) list declares.
	SlipNos []string
	// Country is the origin (in) or destination (out) country.
	Country string
	// ExchangeRate converts line totals in a foreign currency to CNY (the
	// value booked and the dutiable value of a domestic sale): CNY per unit
	// of the foreign currency. Required, whatever the flow, when any line
	// is not in CNY.
	ExchangeRate decimal.Decimal
	// Date is the list's business date (业务日期): its own journals are dated
	// on it, and its goods cannot pass the gate before it. Zero when filing
	// means today.
	Date time.Time
	// LastWriteOff is the book's last write-off date when a list taxed on
	// its materials was declared (zero: never written off); its 缓税利息
	// runs from it when later than the materials' first import. Derived.
	LastWriteOff time.Time
	// FirstImport is, on a 清单类型 9 (一纳成品内销) list, the day the book's
	// first materials entered from abroad, found when it is declared; the
	// 缓税利息 of its bonded goods runs from it, or from LastWriteOff when
	// later (GACC 公告2009年第14号, the 电子账册 rule). Derived.
	FirstImport time.Time `json:",omitzero"`
	// Flow is derived; Status moves through the lifecycle.
	Flow   Flow
	Status ListStatus
	Lines  []ListLine
	// GrossWeight and NetWeight are the sums of the lines', in kg.
	GrossWeight decimal.Decimal
	NetWeight   decimal.Decimal
	// Note is the latest customs note (return reason, approval remark).
	Note string
	// Failure says why the list's last change failed for good and was
	// given up (README.md: changes marked failed); empty otherwise. It is
	// kept beside the document, not in it, and cleared by the next change.
	Failure    string `json:"-"`
	FiledBy    string
	CreatedAt  time.Time
	DeclaredAt time.Time
	ApprovedAt time.Time
	ApprovedBy string
	ClearedAt  time.Time
	// JournalIDs are the ledger journals that moved the list's goods.
	JournalIDs []int64
	// InputHash is a digest of the filing, to tell a retry from a
	// duplicate number.
	InputHash string
	// CustomsNo is the number customs assigned to the list (保税清单编号,
	// BondInvtNo), brought by its receipt (INV201, ApplyListReceipt); empty
	// before. GetList finds a list by it as by No.
	CustomsNo string `json:",omitempty"`
	// CustomsStage is the furthest stage customs' receipts reported
	// (approved, pre-deducted, deducted, written off, returned) and
	// CustomsStageAt when customs handled it; empty before a receipt.
	CustomsStage   CustomsStage `json:",omitempty"`
	CustomsStageAt time.Time    `json:",omitzero"`
}

// ListLine is a line of a verification list.
type ListLine struct {
	// Seq is the line number in the list (商品序号), from 1.
	Seq int
	// BookSeq is the book line (备案序号); or give PartNumber and the line
	// it maps to is used.
	BookSeq    int
	PartNumber string
	// Quantity in Unit, which is the book line's declared unit or one of
	// its legal units; DeclaredQuantity is it converted to the declared unit.
	Quantity         decimal.Decimal
	Unit             string
	DeclaredQuantity decimal.Decimal
	// DeclaredUnit is the book line's declared unit.
	DeclaredUnit string
	// LegalQuantity is the quantity in the first legal unit.
	LegalQuantity decimal.Decimal
	UnitPrice     decimal.Decimal
	Total         decimal.Decimal
	Currency      string
	// CNYValue is the line's value in CNY (the dutiable value of a domestic
	// sale); equal to Total when Currency is CNY, else Total × the list's rate.
	CNYValue    decimal.Decimal
	Country     string
	GrossWeight decimal.Decimal
	NetWeight   decimal.Decimal
	// Lot names the lot an outbound line takes; empty: oldest first.
	Lot string
	// Source is the bucket of the book an outbound line reserves from
	// instead of the flow's own (bonded): set only by BindListLine, when
	// goods of a repair centre's section are bound to the line; a filer
	// cannot set it.
	Source string `json:",omitempty"`
	// SourceDocType and SourceDocNo name the document the goods bound to
	// the line serve (e.g. a repair order: REPAIR_ORDER and its number);
	// set with Source by BindListLine. When the list is returned or
	// deleted, that document's keeper takes the goods back
	// (SetLineReleaser).
	SourceDocType string `json:",omitempty"`
	SourceDocNo   string `json:",omitempty"`
	// Passed is how much of DeclaredQuantity has passed the gate (or was
	// otherwise booked).
	Passed decimal.Decimal
	// Lots are the lots an outbound line reserved, in order.
	Lots []LotQuantity
	// Materials are the imported materials (料件) the line's goods consumed,
	// for a list taxed on its materials (清单类型 A, trade modes 0544 / 0545):
	// its duty is computed on them, plus 缓税利息. Required on those lists,
	// refused on others.
	Materials []MaterialLine `json:",omitempty"`
	// ConsumptionVersion is the unit consumption version (单耗版本号,
	// UcnsVerno) the line's goods were made under, on a finished (or
	// semi-finished) goods line of a processing book; empty otherwise.
	// Declaring the list needs it declared (SetVersionChecker); once a
	// declared list names it, it cannot change (ListNamingVersion).
	ConsumptionVersion string `json:",omitempty"`
	// GoodsCategory is the category of the goods (customs-reference §4.4:
	// finished goods, defects, surplus materials, scrap, by-products,
	// disaster-hit goods). A domestic-sale line always has one: given, or
	// SCRAP under the scrap trade modes (0844 / 0845) and otherwise
	// FINISHED or SURPLUS_MATERIAL by the book line's type. Scrap trade
	// modes (0844 / 0845 / 0864 / 0865 / 5200) move only scrap.
	GoodsCategory codes.GoodsCategory `json:",omitempty"`
}

// MaterialLine is a material consumed by a list line's goods: a material
// line of the same book, the quantity consumed and its dutiable value.
type MaterialLine struct {
	// BookSeq is the material's book line (料件备案序号).
	BookSeq int
	// Quantity is the quantity consumed, in the material line's declared
	// unit.
	Quantity decimal.Decimal
	// Value is the material's dutiable value (完税价格) in CNY, to the fen.
	Value decimal.Decimal
	// HSCode, Unit, LegalQuantity and LegalUnit are derived from the book
	// line when the list is filed.
	HSCode        string
	Unit          string
	LegalQuantity decimal.Decimal
	LegalUnit     string
	// FirstImport is the day the book's first lot of this material entered
	// from abroad (一线入区 or 先入区后报关), found when the list is
	// declared; zero when it never did (it then bears no 缓税利息).
	FirstImport time.Time
}

// LotQuantity is a quantity of one lot.
type LotQuantity struct {
	Lot      string
	Quantity decimal.Decimal
	// Bucket is where the lot's goods are reserved when not the flow's
	// own bucket: nonbonded-reserved for the non-bonded goods a 清单类型 9
	// (一纳成品内销) line takes. Empty: the flow's.
	Bucket string `json:",omitempty"`
}

// PassStatus is where a gate pass is.
type PassStatus string

// The gate pass statuses (SAS251's 0 已申请, 1 已审批, 2/3/4 已过卡/一卡/二卡,
// 5 已删除, plus hold; SAS221's 退单).
const (
	PassApplied PassStatus = "APPLIED"
	// PassApproved: customs approved the pass (SAS221 通过, SAS251 已审批);
	// the vehicle has not reached the gate.
	PassApproved PassStatus = "APPROVED"
	// PassReturned: customs returned the pass (SAS221 退单) with its
	// reason in Note; nothing was booked, and what it bound is free again.
	PassReturned    PassStatus = "RETURNED"
	PassHeld        PassStatus = "HELD"
	PassFirstGate   PassStatus = "PASSED_FIRST_GATE"
	PassPassed      PassStatus = "PASSED"
	PassRejected    PassStatus = "REJECTED"
	PassDeletedStat PassStatus = "DELETED"
)

// Pass is a gate pass (核放单): one vehicle through the gate.
type Pass struct {
	// No is the zone's number; InnerNo the enterprise's own (企业内部编号),
	// unique per enterprise: the idempotency key of CreatePass.
	No      string
	InnerNo string
	// CustomsNo is customs' number of the pass (核放单编号), stored from
	// its SAS221 or SAS251 receipt; empty until then. GetPass finds a
	// pass by either number.
	CustomsNo  string `json:",omitempty"`
	Enterprise string
	Book       string
	Type       codes.PassType
	Bind       codes.BindType
	IO         codes.IOFlag
	// RelatedType and RelatedNos name the bound documents: list numbers,
	// slip numbers or bills of lading.
	RelatedType codes.RelatedDocType
	RelatedNos  []string
	Vehicle     string
	// VehicleWeight, FrameWeight and ContainerWeight are tare weights in kg.
	VehicleWeight   decimal.Decimal
	FrameWeight     decimal.Decimal
	Container       string
	ContainerWeight decimal.Decimal
	// GrossWeight and NetWeight are the goods' declared weights in kg.
	GrossWeight decimal.Decimal
	NetWeight   decimal.Decimal
	// Lines say what the vehicle carries when it is not simply every bound
	// list in full: one list on many vehicles, goods entering before their
	// list (type 1), slips, registered goods (type 5).
	Lines       []PassLine
	Status      PassStatus
	HoldReasons []string
	Events      []GateEvent
	Note        string
	FiledBy     string
	CreatedAt   time.Time
	JournalID   int64
}

// EntryClaim is what a 先入区后报关 list takes of the goods of one book line
// that entered on one type-1 pass.
type EntryClaim struct {
	Pass     string
	BookSeq  int
	Quantity decimal.Decimal
}

// PassLine is what a pass carries of one list line or book line.
type PassLine struct {
	ListNo  string
	ListSeq int
	BookSeq int
	// Description is free text for gate-registration goods.
	Description string
	Quantity    decimal.Decimal
	Unit        string
	Value       decimal.Decimal
	Country     string
	GrossWeight decimal.Decimal
	NetWeight   decimal.Decimal

	// Source, SourceDocType and SourceDocNo are set on a gate
	// registration's line by BindPassLine, when goods of a repair
	// centre's section serving a document (a repair order) are bound to
	// it: passing the gate, they leave Source for the domestic area. A
	// filer cannot set them.
	Source        string `json:",omitempty"`
	SourceDocType string `json:",omitempty"`
	SourceDocNo   string `json:",omitempty"`
}

// GateEvent is a vehicle at a gate: the scale's reading and what was seen.
type GateEvent struct {
	// ID identifies the event in the gate system; a replayed ID returns the
	// pass as the first event left it.
	ID string
	// Gate is 1 or 2 in a two-gate zone, 1 in a single-gate zone.
	Gate       int
	Vehicle    string
	Container  string
	ScaleGross decimal.Decimal
	At         time.Time
	// Outcome is what the event did: PASSED, PASSED_FIRST_GATE or HELD.
	Outcome string
	Reasons []string
}

// TaxableEvent is goods leaving bonded status: everything the tax needs,
// and the engine's assessment.
type TaxableEvent struct {
	// ID is the event's number in the zone: unique and increasing, but not
	// gap-free (a clearance retried or rolled back leaves its number
	// unused) nor in commit order across books.
	ID            int64
	Book          string
	Enterprise    string
	ListNo        string
	ListSeq       int
	BookSeq       int
	HSCode        string
	Quantity      decimal.Decimal
	Unit          string
	LegalQuantity decimal.Decimal
	LegalUnit     string
	DutiableValue decimal.Decimal
	TradeMode     string
	// Date is the day the goods left bonded status (the gate day, the
	// clearance).
	Date time.Time
	// TaxDate is the day the tax formalities were done: the list's
	// declaration day. It selects the tariff rows and rates (rate date) and
	// ends the 缓税利息 period. A display sale's is its date.
	TaxDate time.Time
	// GoodsCategory is the category of the goods sold (their list line's).
	GoodsCategory codes.GoodsCategory `json:",omitempty"`
	// DutyBasis is MATERIALS when the duty is computed on Materials (清单类型
	// A, 0544 / 0545); empty for the finished goods.
	DutyBasis string `json:",omitempty"`
	// Materials are this event's share of the materials its goods consumed.
	Materials []EventMaterial `json:",omitempty"`
	// InterestFrom is where the 缓税利息 period starts: the materials'
	// first import, or the book's last write-off date when later; zero when
	// no material was imported. InterestDays run from it to TaxDate.
	InterestFrom time.Time
	InterestDays int
	// Interest is the 缓税利息 assessed at the annual InterestRate.
	Interest     decimal.Decimal
	InterestRate decimal.Decimal
	// Duty, ConsumptionTax, VAT and Total are the engine's assessment;
	// AssessError says why there is none (e.g. no tariff row).
	Duty           decimal.Decimal
	ConsumptionTax decimal.Decimal
	VAT            decimal.Decimal
	Total          decimal.Decimal
	Rule           string
	// Waived are the taxes not collected because the consignment's (一票)
	// total of each was at or below the de-minimis (tax.Settings.DeMinimis);
	// their amounts are zero.
	Waived      []string `json:",omitempty"`
	AssessError string
	// GeneralTaxpayer marks the bonded part of a 清单类型 9 (一纳成品内销)
	// line: taxed on its actual state with 缓税利息 for InterestDays
	// (customs-reference §5.7).
	GeneralTaxpayer bool `json:",omitempty"`
	// Tariff is the name of the tariff the event was assessed with
	// (tax.Tariff.Name; tax.SampleTariffName for the illustrative sample);
	// empty when there is no tax engine.
	Tariff string `json:",omitempty"`
}

// EventMaterial is a material of a taxable event and the duty the engine
// computed on it.
type EventMaterial struct {
	BookSeq       int
	HSCode        string
	LegalQuantity decimal.Decimal
	LegalUnit     string
	DutiableValue decimal.Decimal
	// FirstImport is the material's first import into the book.
	FirstImport time.Time
	// Duty is the material's exact duty; the event's Duty is the sum of
	// its materials', rounded once.
	Duty decimal.Decimal
}

// StockLine is one book line's quantities by status, as of a date.
type StockLine struct {
	BookSeq int
	Name    string
	Unit    string
	// Bonded is on the 底账: Available plus Reserved plus Display plus
	// OutZone.
	Bonded    decimal.Decimal
	Available decimal.Decimal
	Reserved  decimal.Decimal
	// Display is bonded goods out of the zone on display (保税展示交易).
	Display decimal.Decimal
	// OutZone is bonded goods temporarily out of the zone under a business
	// form (testing, repair, moulds, other, 外发加工), due back.
	OutZone decimal.Decimal
	// NonBonded is co-stored non-bonded goods (available plus reserved).
	NonBonded         decimal.Decimal
	NonBondedReserved decimal.Decimal
	// Inspection is in the 待检区 during a status switch.
	Inspection decimal.Decimal
	// Undeclared entered on a type-1 pass and awaits its list.
	Undeclared decimal.Decimal
}

// ListFilter selects lists or passes.
type ListFilter struct {
	// Book restricts to one book; Enterprise to one enterprise's books.
	Book       string
	Enterprise string
	// Status restricts to one status.
	Status string
	// CustomsNo restricts to the list customs numbered so (lists only).
	CustomsNo string
	// After pages: numbers greater than it.
	After string
	Limit int
}

// Form is a business form (业务申报表), e.g. type A 分送集报.
type Form struct {
	// No is the zone's number (申请编号); InnerNo the enterprise's own.
	No         string
	InnerNo    string
	Enterprise string
	Book       string
	Type       codes.FormType
	// ValidFrom and ValidUntil bound the days trips may be made under it.
	ValidFrom  time.Time
	ValidUntil time.Time
	// Guarantee is the guarantee amount in CNY, when the business needs one.
	Guarantee decimal.Decimal
	Note      string
	FiledBy   string
	CreatedAt time.Time
	InputHash string
	// Display trading (type C): the tax assessed on goods sold and not yet
	// paid is covered by the guarantee; TaxAssessed and TaxPaid are kept
	// here, and OnDisplay holds what is out per book line.
	TaxAssessed decimal.Decimal
	TaxPaid     decimal.Decimal
	OnDisplay   map[int]decimal.Decimal `json:",omitempty"`
	// Payments are the tax payments recorded, by payment number.
	Payments map[string]decimal.Decimal `json:",omitempty"`
	// Status is FormFiled while the form is in force, FormClosed once
	// closed (CloseForm); empty on forms filed before forms had one (in
	// force).
	Status string `json:",omitempty"`
}

// GuaranteeAvailable is what the guarantee still covers: the guarantee less
// the tax assessed and not paid.
func (f Form) GuaranteeAvailable() decimal.Decimal {
	return f.Guarantee.Sub(f.TaxAssessed.Sub(f.TaxPaid))
}

// DisplayKind is a movement of bonded display trading.
type DisplayKind string

// The display movements.
const (
	// DisplayOut takes goods out of the zone for display: bonded → display.
	DisplayOut DisplayKind = "OUT"
	// DisplaySale reports goods sold on display (先销后税): display →
	// domestic, taxed, the tax covered by the guarantee until paid.
	DisplaySale DisplayKind = "SALE"
	// DisplayBack brings unsold goods back: display → bonded.
	DisplayBack DisplayKind = "BACK"
)

// DisplayMove is one movement of goods under a display-trading form
// (保税展示交易, business form C).
type DisplayMove struct {
	No         string
	InnerNo    string
	Enterprise string
	Book       string
	ApplyNo    string
	Kind       DisplayKind
	// Date is the business date; zero means today.
	Date  time.Time
	Lines []DisplayLine
	// Tax is the tax assessed on a sale (the sum of its taxable events).
	Tax       decimal.Decimal
	JournalID int64
	FiledBy   string
	CreatedAt time.Time
	InputHash string
}

// DisplayLine is goods of a display movement.
type DisplayLine struct {
	BookSeq  int
	Quantity decimal.Decimal
	// Value is a sale's price in CNY, its dutiable value.
	Value decimal.Decimal
}

// DisplayReport is the state of a display-trading form: the guarantee, the
// tax covered, what is out and whether it is overdue.
type DisplayReport struct {
	Form Form
	// Available is the guarantee not yet used by unpaid tax.
	Available decimal.Decimal
	// OnDisplay is what is out per book line; Overdue is true when goods are
	// still out after the form's last day.
	OnDisplay []LotQuantity
	Overdue   bool
}

// SlipStatus is where an in/out slip is.
type SlipStatus string

// The slip statuses.
const (
	SlipFiled    SlipStatus = "FILED"
	SlipPassed   SlipStatus = "PASSED"
	SlipDeclared SlipStatus = "DECLARED"
)

// Slip is an in/out slip (出入库单) of a 分送集报 trip.
type Slip struct {
	No         string
	InnerNo    string
	Enterprise string
	Book       string
	ApplyNo    string
	IO         codes.IOFlag
	Lines      []SlipLine
	Status     SlipStatus
	// PassNo is the pass the trip went through; PassedOn its date;
	// Deadline the day its collective declaration is due; ListNo the
	// collective list that declared it.
	PassNo    string
	PassedOn  time.Time
	Deadline  time.Time
	ListNo    string
	FiledBy   string
	CreatedAt time.Time
	InputHash string
}

// SlipLine is goods of a slip.
type SlipLine struct {
	BookSeq     int
	Quantity    decimal.Decimal
	Unit        string
	Value       decimal.Decimal
	GrossWeight decimal.Decimal
	NetWeight   decimal.Decimal
}

// PendingTrip is a trip out under 分送集报 not yet declared collectively.
type PendingTrip struct {
	Slip     Slip
	DaysLeft int
	// Nearing is true within Settings.CollectiveWarnDays of the deadline;
	// Overdue once it has passed.
	Nearing bool
	Overdue bool
}

// ConsumptionReport books goods consumed in the zone (simple processing,
// R&D use, production) and, optionally, what was produced from them.
type ConsumptionReport struct {
	No         string
	InnerNo    string
	Enterprise string
	Book       string
	// Purpose is free text, e.g. "简单加工", "研发耗用".
	Purpose  string
	Date     time.Time
	Consumed []ConsumedLine
	Produced []ProducedLine
	FiledBy  string
	// JournalID is the ledger journal that booked it.
	JournalID int64
	CreatedAt time.Time
	InputHash string
}

// ConsumedLine is goods consumed from the bonded stock.
type ConsumedLine struct {
	BookSeq  int
	Quantity decimal.Decimal
	Unit     string
	Lot      string
	// Lots are the lots actually consumed.
	Lots []LotQuantity
}

// ProducedLine is goods produced into the bonded stock.
type ProducedLine struct {
	BookSeq  int
	Quantity decimal.Decimal
	Unit     string
	Value    decimal.Decimal
}

// Certificate is a certificate of non-manipulation (未再加工证明) for goods
// leaving abroad on a list.
type Certificate struct {
	No         string
	ListNo     string
	Enterprise string
	Book       string
	IssuedAt   time.Time
	Lots       []CertifiedLot
}

// CertifiedLot is one lot a certificate covers, with its entry.
type CertifiedLot struct {
	BookSeq     int
	Lot         string
	Quantity    decimal.Decimal
	EntryListNo string
	EntryDate   time.Time
	Country     string
}
