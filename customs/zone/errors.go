package zone

// Stable reasons of the zone's errors, in addition to the ledger's. Clients
// match on them; never change one once released.
const (
	ReasonInvalidUSCC         = "INVALID_USCC"
	ReasonEnterpriseExists    = "ENTERPRISE_EXISTS"
	ReasonUnknownEnterprise   = "UNKNOWN_ENTERPRISE"
	ReasonEnterpriseSuspended = "ENTERPRISE_SUSPENDED"
	ReasonInvalidBookNumber   = "INVALID_BOOK_NUMBER"
	ReasonBookExists          = "BOOK_EXISTS"
	ReasonUnknownBook         = "UNKNOWN_BOOK"
	ReasonBookNotExecuting    = "BOOK_NOT_EXECUTING"
	ReasonLineConflict        = "BOOK_LINE_CONFLICT"
	ReasonLineNotOnBook       = "LINE_NOT_ON_BOOK"
	ReasonUnknownPartNumber   = "UNKNOWN_PART_NUMBER"
	ReasonPartNumberConflict  = "PART_NUMBER_CONFLICT"
	ReasonUnitNotOnLine       = "UNIT_NOT_ON_LINE"
	ReasonInexactConversion   = "INEXACT_UNIT_CONVERSION"
	ReasonTradeModeBook       = "TRADE_MODE_BOOK_MISMATCH"
	ReasonUnknownTradeMode    = "UNKNOWN_TRADE_MODE"
	ReasonUnsupportedListType = "UNSUPPORTED_LIST_TYPE"
	ReasonDuplicateListNumber = "DUPLICATE_LIST_NUMBER"
	ReasonDuplicateDocument   = "DUPLICATE_DOCUMENT_NUMBER"
	ReasonUnknownList         = "UNKNOWN_LIST"
	ReasonUnknownDocument     = "UNKNOWN_DOCUMENT"
	ReasonWrongStatus         = "WRONG_STATUS"
	ReasonInsufficientBonded  = "INSUFFICIENT_BONDED_STOCK"
	ReasonInsufficientStock   = "INSUFFICIENT_STOCK"
	ReasonPairMismatch        = "TRANSFER_PAIR_MISMATCH"
	ReasonPassShape           = "PASS_SHAPE"
	ReasonPassListMismatch    = "PASS_LIST_MISMATCH"
	ReasonPassExceedsList     = "PASS_EXCEEDS_LIST"
	ReasonUnknownPass         = "UNKNOWN_PASS"
	ReasonGateEventReused     = "GATE_EVENT_REUSED"
	ReasonCertificateRefused  = "CERTIFICATE_REFUSED"
	ReasonSlipMismatch        = "COLLECTIVE_SLIP_MISMATCH"
	ReasonFormExpired         = "FORM_PERIOD"
	ReasonDiscredited         = "ENTERPRISE_DISCREDITED"
	ReasonEntryPassClaimed    = "ENTRY_PASS_CLAIMED"
	// ReasonUntaxedExit: bonded goods would leave for the domestic market
	// neither taxed nor kept bonded by a named counterpart.
	ReasonUntaxedExit = "UNTAXED_EXIT"
	// ReasonNotGeneralTaxpayer: a 清单类型 9 (一纳成品内销) list on a book
	// whose enterprise is not a VAT general-taxpayer pilot enterprise
	// (Book.GeneralTaxpayer, set by customs).
	ReasonNotGeneralTaxpayer = "NOT_GENERAL_TAXPAYER"
	// ReasonCounterpartMismatch: the counterpart named to keep exiting
	// goods bonded does not (wrong kind, not live, other quantities, or
	// already the counterpart of another exit).
	ReasonCounterpartMismatch = "EXIT_COUNTERPART_MISMATCH"
	// ReasonEcommerceExit: 1210 goods leave only on e-commerce inventory
	// lists, not on verification lists.
	ReasonEcommerceExit = "ECOMMERCE_EXIT_BY_INVENTORY_LIST"
	// ReasonGoodsCategory: a list line's goods category does not fit its
	// trade mode (scrap moves only under the scrap trade modes, and they
	// move only scrap).
	ReasonGoodsCategory = "GOODS_CATEGORY_MISMATCH"
	// ReasonListMessageInvalid: a verification list message (INV101) or
	// its receipt (INV201) does not decode or breaks the message's own
	// field rules; the field is the element path.
	ReasonListMessageInvalid = "LIST_MESSAGE_INVALID"
	// ReasonReceiptUnknownList: a receipt names no list filed here (by
	// customs number, or by the enterprise and its own number).
	ReasonReceiptUnknownList = "LIST_RECEIPT_UNKNOWN_LIST"
	// ReasonCustomsNoTaken: the customs number of a receipt is already
	// another list's, or the list already has another customs number.
	ReasonCustomsNoTaken = "CUSTOMS_LIST_NUMBER_TAKEN"
	// ReasonReceiptUnknownCode: a receipt's result or state code is not
	// one zoneledger reads.
	ReasonReceiptUnknownCode = "LIST_RECEIPT_UNKNOWN_CODE"
	// ReasonReceiptMismatch: a receipt's book or enterprise is not the
	// list's.
	ReasonReceiptMismatch = "LIST_RECEIPT_MISMATCH"
	// ReasonTaxTopUp: 9700 (后续补税) is a tax top-up, not a movement.
	ReasonTaxTopUp = "TAX_TOP_UP_NOT_A_MOVEMENT"
)
