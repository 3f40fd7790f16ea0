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
// Facts: ../shared/domain/customs-reference.md §5.4–§5.6.
package ecommerce
