// Package ecommerce runs cross-border e-commerce bonded import (网购保税进口,
// trade mode 1210) in the zone: the order, payment slip and waybill (三单)
// arrive separately and in any order; once all three are in they are
// matched (order number, actual paid = goods value + freight + tax −
// non-cash discount = the payment, buyer = payer unless an identity proof is
// attached, consignee = the waybill's), and the inventory list (申报清单) is
// generated: positive-list check with per-person annual caps, the single
// and annual limits (tax engine, customs/tax), the tax assessed by the
// engine and checked against the tax the platform withheld, and the goods
// deducted from the zone warehouse's book (二线出区核减) through the ledger,
// with the guarantor recorded. Returns within the windows put the goods
// back into bonded stock, cancel the tax and restore the buyer's annual
// total. Settlement lists a guarantor's released lists, the tax due and the
// due date, as CSV or XLSX; customs records the guarantor's payment of that
// tax (RecordTaxPayment), and the settlement then shows each list's payment
// and the totals due, paid and unpaid.
//
// # The tax a platform withholds
//
// The platform withholds the tax before the order is sent (Order.TaxTotal)
// and the engine checks it. To withhold exactly what the engine charges, a
// platform computes it the engine's way (customs/tax/README.md has the
// formulas):
//
//  1. The dutiable value of the order is goods value (including non-cash
//     deductions) + freight + insurance, each counted once: Insurance is
//     the insured fee (保价费, the list's insuredFee) charged apart from
//     the goods value and the freight; a platform whose freight already
//     includes it sends the freight without it, or no insurance.
//  2. Freight and insurance are split over the lines pro rata to the line
//     totals, each share rounded half-up to the fen (0.005 → 0.01), the
//     last line taking what rounding leaves; each line is valued at its
//     total plus its share.
//  3. Each tax (duty, consumption tax, VAT) of each line is computed from
//     exact intermediates and rounded half-up to the fen once; the order's
//     tax is the sum of those rounded amounts.
//
// A platform that rounds otherwise — e.g. once on the order's total (per
// order) — can be a fen or two off; Settings.TaxTolerance (default 0.00)
// is how far the withheld tax may be from the engine's, either way, before
// the order is rejected with TAX_MISMATCH. The list, the settlement and
// the buyer's annual total always carry the engine's tax.
//
// # Returns (退货)
//
// The e-commerce enterprise (or its platform) applies for a return of all
// the goods of a released list or part of them — per line and quantity —
// within Settings.ReturnApplyDays (30) of release (RequestReturn; asking
// for more than a line released is refused with RETURN_EXCEEDS_LIST, and a
// list takes one return). The goods arrive at the zone warehouse, and the
// warehouse — the enterprise that keeps the list's book — confirms it
// (ReceiveReturn; the platform is refused with PERMISSION_DENIED), within
// Settings.ReturnArriveDays (45) of release. The returned goods go back
// into the very lots the release took them from, so they keep those lots'
// origin and carrying value (a part of a lot at its value pro rata,
// rounded half-up to the fen). A whole return cancels the list's tax
// (RETURNED); a partial one (PARTLY_RETURNED) leaves the tax of the goods
// kept — each returned line's value split pro rata to quantity, the kept
// goods re-quoted at the release date — and the buyer's annual total is
// restored by the returned goods' value. The journal and the list commit in
// one ReadWriteTx, like a release; Recover finishes, the same way, a list
// an earlier version left RETURN_RECEIVING. A return not received by the end
// of the arrival window lapses: the list reads RETURN_LAPSED, the goods can
// no longer be booked back, and the settlement marks the list final.
//
// # Payment of the tax (RecordTaxPayment)
//
// The guarantor (担保企业: the platform, the e-commerce enterprise or the
// logistics enterprise) collects the tax and pays it to customs within
// Settings.PaymentDays of release; customs records the payment: its number,
// amount, day and the inventory lists it pays (e.g. the lists of a
// GetSettlement). Only customs records (PERMISSION_DENIED for anyone else).
// The amount must equal the lists' tax due (InventoryList.Tax: the tax of
// the goods kept after a partial return) to the fen, else INVALID_ARGUMENT
// ECOMMERCE_TAX_PAYMENT_AMOUNT on amount; every list must be released and
// not wholly returned (WRONG_STATUS), have one guarantor
// (ECOMMERCE_TAX_PAYMENT_GUARANTORS) and be unpaid (FAILED_PRECONDITION
// ECOMMERCE_TAX_ALREADY_PAID, naming list_nos[i] and the payment that paid
// it); the day paid may be neither before a list's release nor after today.
// The payment number is the idempotency key: the same payment again (the
// lists in any order) answers it as recorded; other content under the
// number is refused (ALREADY_EXISTS, ECOMMERCE_TAX_PAYMENT_REUSED). The
// payment and the lists' marks commit in one transaction, and a refusal
// stores nothing. A paid list carries TaxPaymentNo and TaxPaidOn and leaves
// OverdueTax (and so the attention list's ECOMMERCE_TAX_OVERDUE rows).
//
// A return received after payment is left as it is: a partial return lowers
// the list's Tax below what was paid, a whole return makes it RETURNED, and
// the payment still names the list; the refund of the difference is not
// recorded here.
//
// # Single-window messages (SubmitMessages)
//
// The documents also arrive as the single window's own XML messages, as
// platforms, payment and logistics enterprises send them: CEB311 orders,
// CEB411 payments and CEB511 waybills (customs/singlewindow/ceb has the
// types, fields and rules). SubmitMessages decodes each message and hands
// its documents to SubmitDocuments, so they meet the same checks,
// idempotency and refusals as JSON documents. A message that does not
// parse (MESSAGE_MALFORMED) or breaks one of its own field rules
// (MESSAGE_FIELD) is refused whole with the element path, and none of its
// documents is taken; refusals of a document name the element its field
// came from ("messages[0]/CEB311Message/Order[1]/OrderHead/taxTotal").
// Payments and waybills carry no ebcCode: each takes the enterprise of its
// order in the same call, else the call's, else the caller's only one
// (MESSAGE_ENTERPRISE_UNKNOWN). A draft (appStatus 1) is refused
// (MESSAGE_NOT_DECLARED), so is a delete (appType 3,
// MESSAGE_DELETE_UNSUPPORTED: cancel the order instead); a change
// (appType 2) is received as a new document is.
//
// # How a document becomes a released list
//
// An order's three documents live on one row of ecom_orders. Documents of
// concurrent calls are stored together (the intake: one INSERT … ON
// CONFLICT statement that also returns each order's row), so a call learns
// at once whether its document completed its order. Complete orders go to
// the releaser, which takes the orders of concurrent calls together and,
// for a batch:
//
//  1. matches each order's documents and prepares its list (book open,
//     part numbers on the book, positive list, tax request) outside any
//     transaction;
//  2. in one transaction of the ledger's seam (ledger.ReadWriter's
//     ReadWriteTx: SERIALIZABLE, retried whole) locks the orders (still PENDING?)
//     and the buyers' yearly totals, checks each order in arrival order
//     against its buyer's totals as the earlier orders of the batch left
//     them (caps, single and annual limits, the tax withheld), deducts the
//     accepted lists' stock from the warehouse book (the seam's Journals:
//     a journal per list, keyed by the list number, checked in the same
//     transaction), and stores each list RELEASED, or REFUSED
//     when its stock was short, counting the released ones in the buyers'
//     totals and rejecting the others.
//
// A release is thus one transaction: a crash leaves the orders PENDING and
// the next document (a platform resends what was not answered) releases
// them; a commit whose answer was lost leaves them RELEASED, and the next
// document is answered as the order stands. Nothing is ever RELEASING any
// more (the API keeps the value); a database that an earlier zoneledger
// left with RELEASING lists stops Recover (ErrLegacyReleasing) until that
// version has finished them.
//
// # The CEB621 of a list (InventoryMessage)
//
// A released list is available as the CEB621 message (进口申报清单) it
// corresponds to (customs/singlewindow/ceb, the ceb: namespace): the same
// list gives the same bytes every time (its guids derive from the list
// number). Head: copNo is the list number (receipts name the list by it),
// orderNo, ebpCode the platform, ebcCode the e-commerce enterprise's
// customs code (its USCC when it is not registered in the zone), the
// waybill's logisticsNo and logisticsCode, assureCode the guarantor, emsNo
// the warehouse's book, areaCode, agentCode and the transfer block the
// warehouse enterprise (区内仓储企业), customsCode/portCode the book's
// customs office, tradeMode 1210, currency 142, country 142 (bonded
// import), freight and insuredFee from the order, the buyer (ID type 1),
// declTime and ieDate the release day. Lines: gnum is the order line's
// number (one to one); itemRecordNo is the part number (料号) the order line
// named, which the book maps onto line BookSeq — customs-reference §5.6
// calls the field 账册备案料号 and says each released list decrements "the
// line itemRecordNo on book emsNo", so the part number recorded on the
// book is what it carries, not the line's sequence number; gcode, gname and
// gmodel are the book line's; qty/unit in the declared unit, qty1/unit1 in
// the first legal unit, qty2/unit2 in the second when the line has one;
// totalPrice = price × qty exactly (a list whose product has more than five
// decimal places is refused with ECOMMERCE_CEB621_INEXACT_TOTAL). Not kept
// here, so written as noted: ebpName and logisticsName are the codes;
// netWeight and grossWeight are the lines' legal quantities in kilograms
// (unit 035) — zoneledger keeps no parcel weights, the declarant corrects
// them; the lines' country of origin is left empty; trafMode is
// Settings.CEB621TrafMode (UNCONFIRMED, "Y") and the DXP id
// Settings.CEBDxpID. Documents that lack what the message requires (e.g.
// no telephone for the buyer or the consignee) are refused with
// ECOMMERCE_CEB621_INCOMPLETE naming the element path; the list stands.
//
// # Customs receipts (ImportReceipts, CEB622)
//
// Customs answers a list with CEB622 receipts; customs or an admin imports
// them. Each receipt names its list by copNo and carries a returnStatus
// code, a returnTime and a returnInfo. The codes this zone takes, grouped
// into the list's CustomsStatus, are ReceiptStatuses (the table and its
// source are in README.md; a code not in it is refused with
// ECOMMERCE_RECEIPT_UNKNOWN_STATUS naming ".../returnStatus"). Order: a
// receipt moves the list when its returnTime is later than the one in
// force, or equal with a higher rank; RELEASED (800, 899) and RETURNED
// (100) are final — only a later code of the same final status (899 after
// 800) moves on. So an earlier-stage receipt arriving after a final one,
// or after a later one, is stored (Applied false) and changes nothing. The
// same receipt again (list, code and returnTime) is recognised
// (Duplicate) and changes nothing. A receipt for no list
// (ECOMMERCE_RECEIPT_UNKNOWN_LIST), for another platform's or
// enterprise's list (ECOMMERCE_RECEIPT_LIST_MISMATCH), or for a list refused
// for stock (ECOMMERCE_LIST_NOT_RELEASED) is refused, naming the element
// path, and changes nothing.
//
// A 退单 (100) releases the list's stock and quota: in the receipt's one
// ReadWriteTx the whole list is booked back the way a received return is —
// the goods into the very lots they left with those lots' carrying value
// (journal "<list>:return", dated the day the receipt is imported), the
// tax cancelled (RETURNED: the settlement and the overdue tax no longer
// count it), the buyer's annual total restored. A return the buyer had
// applied for is overtaken (the whole list comes back); a list whose goods
// came partly back through a buyer's return is refused
// (ECOMMERCE_RECEIPT_WRONG_STATUS): ask customs. A list the buyer wholly
// returned takes the 退单 as its customs status only.
//
// # A book's lists and their changes (BookListsChanged)
//
// Each list row carries the book its goods left (column book) and the
// change number of its last change (change_seq): every transaction that
// stores or changes lists — a release, a return asked for or received, a
// tax payment, a customs receipt — takes the next number of each book it
// touches from ecom_list_seqs (one row per book, locked until the
// transaction commits, so the numbers are given in commit order) and
// writes it on the lists it changes. BookListsChanged reads a book's lists
// changed after a number through the index (book, change_seq), never the
// lists' JSON nor another book's lists; customs/evidence seals with it only
// the lists changed since the book's previous seal. A return asked for
// lapses with the days rather than with a change: BookListsChanged also
// returns those that lapsed since the day of the previous read (the
// partial index on (book, released_on) of lists RETURN_REQUESTED). Lists
// stored before these columns were filled from their body by migration
// 0013, with change number 1.
//
// Settings (the return windows, the payment period, the positive list) come
// from the [ecommerce] table of zoneledger's config file
// (cmd/zoneledger/README.md); Settings.Validate names the key of a bad value.
//
// Facts: 财关税〔2016〕18号 and 财关税〔2018〕49号 (tax, limits), GACC 公告2018年
// 第194号 (三单, returns); see customs/tax/README.md for the tax rules.
package ecommerce
