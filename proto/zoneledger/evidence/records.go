package evidence

import "encoding/json"

// Journal is a journal's record: the ledger journal as recorded, with its
// postings and their lot legs. Quantities and values are exact decimal text.
type Journal struct {
	ID             int64             `json:"id"`
	Book           string            `json:"book"`
	IdempotencyKey string            `json:"idempotency_key"`
	EffectiveDate  string            `json:"effective_date"`
	DocumentType   string            `json:"document_type"`
	DocumentNumber string            `json:"document_number"`
	TradeMode      string            `json:"trade_mode"`
	Principal      string            `json:"principal"`
	Metadata       map[string]string `json:"metadata"`
	ReversalOf     int64             `json:"reversal_of"`
	Postings       []Posting         `json:"postings"`
	// Hash is the ledger's own hash of the journal, hex.
	Hash string `json:"hash"`
}

// Posting is one posting of a Journal.
type Posting struct {
	ItemBook      string            `json:"item_book"`
	Item          string            `json:"item"`
	FromBook      string            `json:"from_book"`
	From          string            `json:"from"`
	ToBook        string            `json:"to_book"`
	To            string            `json:"to"`
	Quantity      string            `json:"quantity"`
	Unit          string            `json:"unit"`
	Value         string            `json:"value"`
	Lot           string            `json:"lot"`
	LotAttributes map[string]string `json:"lot_attributes"`
	Legs          []Leg             `json:"legs"`
}

// Leg is the part of a posting taken from or put into one lot.
type Leg struct {
	Lot      string `json:"lot"`
	Quantity string `json:"quantity"`
	Value    string `json:"value"`
}

// Document is a customs document's record: its state and its content as
// the centre that keeps it stores it, canonically encoded.
type Document struct {
	// Book and Enterprise say whose document it is.
	Book       string `json:"book"`
	Enterprise string `json:"enterprise"`
	// Status is the document's state when the period was sealed; empty for
	// documents without one (reports, taxable events).
	Status string `json:"status"`
	// Body is the document itself.
	Body json.RawMessage `json:"body"`
}

// KindEcommerceList is the kind of a cross-border e-commerce inventory
// list (申报清单) released from the book: a Document whose Body is an
// EcommerceList and whose Status is the list's. Added to encoding
// zoneledger-evidence/v1 as one more document kind: exports sealed before
// it hold none and verify as they did.
const KindEcommerceList = "ecommerce-list"

// EcommerceList is the body of a KindEcommerceList record: the list, its
// lines, its tax, its return and the payment of its tax, as they stood
// when the period was sealed. Amounts and quantities are exact decimal
// text; dates YYYY-MM-DD, empty when not set.
type EcommerceList struct {
	No         string `json:"no"`
	OrderNo    string `json:"order_no"`
	Enterprise string `json:"enterprise"`
	Platform   string `json:"platform"`
	Book       string `json:"book"`
	Guarantor  string `json:"guarantor"`
	// BuyerID is the buyer's ID number masked: first 6 and last 4
	// characters.
	BuyerID string               `json:"buyer_id"`
	Lines   []EcommerceListLine  `json:"lines"`
	Tax     EcommerceListTax     `json:"tax"`
	Return  EcommerceListReturn  `json:"return"`
	Payment EcommerceListPayment `json:"payment"`
	// Customs is where customs has the list, as its latest CEB622 receipt
	// (回执) said; absent (not null) while the list has had no receipt, so
	// the record of such a list is the same bytes as before the field was
	// added. Records sealed before it was added have none even when a
	// receipt had moved the list.
	Customs *EcommerceListCustoms `json:"customs,omitempty"`
	// ReleasedOn is the business date of release; JournalID the journal
	// that took the goods off the book.
	ReleasedOn string `json:"released_on"`
	JournalID  int64  `json:"journal_id"`
}

// EcommerceListCustoms is an EcommerceList's customs status: what the
// latest CEB622 receipt taken for the list said.
type EcommerceListCustoms struct {
	// Status is the group the receipt's code falls in: DECLARED,
	// SEND_FAILED, ACCEPTED, INSPECTED, DETAINED, RELEASED or RETURNED
	// (customs/ecommerce README, the CEB622 table).
	Status string `json:"status"`
	// Code is the receipt's returnStatus code as customs sent it (e.g.
	// "800" released, "100" returned 退单).
	Code string `json:"code"`
	// At is the receipt's returnTime, RFC 3339 in UTC; Note its returnInfo
	// (a 退单's reason).
	At   string `json:"at"`
	Note string `json:"note"`
	// PreNo and InvtNo are the pre-entry number and the list number
	// customs assigned (preNo, invtNo); empty when no receipt carried them.
	PreNo  string `json:"pre_no"`
	InvtNo string `json:"invt_no"`
}

// EcommerceListLine is one line of an EcommerceList.
type EcommerceListLine struct {
	Seq           int64  `json:"seq"`
	ItemNo        string `json:"item_no"`
	BookSeq       int64  `json:"book_seq"`
	HSCode        string `json:"hs_code"`
	Name          string `json:"name"`
	Quantity      string `json:"quantity"`
	Unit          string `json:"unit"`
	LegalQuantity string `json:"legal_quantity"`
	LegalUnit     string `json:"legal_unit"`
	Price         string `json:"price"`
	Total         string `json:"total"`
}

// EcommerceListTax is an EcommerceList's tax: as assessed at release
// (released), and due now (duty, consumption tax, VAT, total), which
// differs after a partial return.
type EcommerceListTax struct {
	DutiableValue  string `json:"dutiable_value"`
	Duty           string `json:"duty"`
	ConsumptionTax string `json:"consumption_tax"`
	VAT            string `json:"vat"`
	Total          string `json:"total"`
	Released       string `json:"released"`
	Rule           string `json:"rule"`
	Tariff         string `json:"tariff"`
}

// EcommerceListReturn is an EcommerceList's return: the lines applied for
// (none when no return was), the day applied and the day received with
// the journal that booked the goods back.
type EcommerceListReturn struct {
	Lines      []EcommerceReturnLine `json:"lines"`
	AppliedOn  string                `json:"applied_on"`
	ReceivedOn string                `json:"received_on"`
	JournalID  int64                 `json:"journal_id"`
}

// EcommerceReturnLine is the part of a list line a return covers.
type EcommerceReturnLine struct {
	Seq      int64  `json:"seq"`
	Quantity string `json:"quantity"`
}

// EcommerceListPayment is the payment of an EcommerceList's tax, as
// customs recorded it: empty fields while unpaid. Amount is the whole
// payment's, which pays ListNos.
type EcommerceListPayment struct {
	No         string   `json:"no"`
	PaidOn     string   `json:"paid_on"`
	Amount     string   `json:"amount"`
	ListNos    []string `json:"list_nos"`
	Guarantor  string   `json:"guarantor"`
	RecordedBy string   `json:"recorded_by"`
	RecordedAt string   `json:"recorded_at"`
}
