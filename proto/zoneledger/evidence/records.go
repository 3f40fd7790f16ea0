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
