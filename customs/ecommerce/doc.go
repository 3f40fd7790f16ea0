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
//     them (caps, single and annual limits, the tax withheld), stores the
//     accepted lists RELEASING, counts them in the totals, and rejects the
//     others;
//  3. deducts the accepted lists' stock with one ledger PostMany (a journal
//     per list, keyed by the list number);
//  4. in a second transaction finishes each list still RELEASING:
//     RELEASED, or REFUSED with the buyer's totals restored when the stock
//     was short.
//
// A crash or lost ledger answer between 2 and 4 leaves lists RELEASING:
// Recover (at start) and the order's next document finish them, and the
// ledger's idempotency key makes the deduction happen once.
//
// Facts: ../shared/domain/customs-reference.md §5.4–§5.6.
package ecommerce
