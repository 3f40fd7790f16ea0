// Package evidence seals and exports the evidence of a book's sealed
// periods: the period's journals and the customs documents of the book
// (the book itself, its lines, part numbers and enterprise, lists with
// their lines and states, passes, business forms, slips,
// consumption and production reports, certificates, display movements,
// destructions, R&D records, entrustments and their moves, repair orders
// and parts records, rectifications of the enterprise, stocktakes and
// write-off cycles, taxable events, the cross-border e-commerce inventory
// lists released from the book with their tax, returns, tax payments and
// customs status (CEB622 receipts) —
// of these, those changed since the book's previous seal),
// each in the canonical encoding of package
// proto/zoneledger/evidence, chained into one digest that customs keeps and
// checks outside the database (zonectl verify).
//
// The ledger seals a period over its journals (ledger.Store.ClosePeriod)
// and knows no customs documents; this package seals the evidence on top:
// it reads the period's journals from the ledger (and checks them against
// the digest the ledger sealed), the documents through each centre's own
// read function (zone.Service.BookDocumentsChanged and the Source interface), and
// stores the records as sealed in its own tables, so that an export later
// reproduces the digest even after documents changed state. See README.md.
package evidence
