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
// due date, as CSV or XLSX.
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
//  2. in one SERIALIZABLE transaction locks the orders (still PENDING?)
//     and the buyers' yearly totals, checks each order in arrival order
//     against its buyer's totals as the earlier orders of the batch left
//     them (caps, single and annual limits, the tax withheld), deducts the
//     accepted lists' stock from the warehouse book (ledger/pgstore's
//     PostInTx: a journal per list, keyed by the list number, checked in
//     the same transaction), and stores each list RELEASED, or REFUSED
//     when its stock was short, counting the released ones in the buyers'
//     totals and rejecting the others.
//
// A release is thus one transaction: a crash leaves the orders PENDING and
// the next document (a platform resends what was not answered) releases
// them. With a ledger.Store that cannot post inside a caller's transaction
// the release takes three steps instead — lists stored RELEASING, the
// journals posted with PostMany, the lists finished in a second
// transaction — and Recover (at start) or the order's next document
// finishes a release a crash interrupted.
//
// Settings (the return windows, the payment period, the positive list) come
// from the [ecommerce] table of zoneledger's config file
// (cmd/zoneledger/README.md); Settings.Validate names the key of a bad value.
//
// Facts: 财关税〔2016〕18号 and 财关税〔2018〕49号 (tax, limits), GACC 公告2018年
// 第194号 (三单, returns); see customs/tax/README.md for the tax rules.
package ecommerce
