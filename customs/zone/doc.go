// Package zone keeps the customs side of a bonded zone's electronic account
// books (电子账册): the enterprises, their books and book lines, and every
// movement filed on them — verification lists (保税核注清单), gate passes
// (核放单) with automatic release at the gate, business forms and in/out
// slips of 分送集报, consumption reports, certificates of non-manipulation —
// and turns each movement into journals of the ledger (package ledger).
//
// # Buckets
//
// Every book is a ledger book with these accounts (see Accounts):
//
//	bonded              bonded goods on the 底账, available
//	reserved            bonded goods reserved by a declared outbound list (预核扣)
//	nonbonded           non-bonded goods stored beside them (仓储货物按状态分类监管)
//	nonbonded-reserved  non-bonded goods reserved by a declared non-declaration list
//	inspection          goods in the 待检区 while their status switches (区内直转)
//	entered             goods that entered on a type-1 pass and await their list (先入区后报关)
//	display             bonded goods out on display under a type-C form (保税展示交易)
//	out-zone            bonded goods temporarily out of the zone under a form B, D, E, F or H
//
// and the world accounts abroad, domestic, other-zone, outside (non-declared
// goods' origin and destination), zone-transfer, consumed and production
// carry the other side. A book line is a ledger item whose code is its 备案序号
// and whose unit is its declared unit. The bonded balance (余量) of a line is
// bonded + reserved; the ledger never lets a bucket go below zero, so two
// lists racing for the last units cannot both be declared.
//
// # Lists, passes, flows
//
// A list is filed as a draft, declared (outbound quantities move to
// reserved), approved or returned by customs (a return reverses the
// reservation), and cleared once all its goods are through the gate (reserved
// goods leave the book; inbound goods enter it as lots named after the list
// line). The flow a list books follows from its type, direction, trade mode
// and declaration flag (see Flow). Lists that never pass a gate clear
// differently: a status switch (区内直转) when its declaration is released
// (ClearList), an intra-zone transfer when both paired lists are approved
// (one journal across both books), a 先入区后报关 list on approval (its goods
// entered earlier on a type-1 pass), a collective (集报) list on approval (its
// trips already left on their slips).
//
// # Out of the zone and back
//
// Under a business form of type B (外发加工), D (设备检测), E (设备维修), F
// (模具外发) or H (其他业务), MoveOutZone takes goods out with their due-back
// date and counterparty (bonded → out-zone), brings them back in full or in
// parts (外发加工 also as products and scrap, recording what the processing
// consumed), or converts them to a taxed domestic sale; CloseForm closes a
// form. ListOverdue is customs' one list of every kind of goods past its
// date, with the repair orders of another package read through an
// OverdueSource.
//
// # Taxes
//
// Goods leaving bonded status become taxable events, quoted by the tax
// engine one consignment (一票) at a time at the list's declaration day (the
// rate date), not the gate day. A 清单类型 A list and trade modes 0544 / 0545
// name on each line the materials its goods consumed (MaterialLine); they
// are taxed on those materials with 缓税利息 from the materials' first import,
// or the book's last write-off date (SetLastWriteOffDate) when later, to the
// declaration day (README.md, "Selective duty").
//
// # Consistency with the ledger
//
// The documents live in this package's tables; the goods in the ledger. A
// change that moves goods is one transaction of the ledger's seam
// (ledger.ReadWriter's ReadWriteTx): it checks and writes the documents,
// posts the journal (with an idempotency key derived from the document
// and the step) and finishes the documents with it, all or nothing. A
// journal the ledger refuses refuses the whole change. A retried request
// finds the change committed and applies nothing twice. Start refuses a
// database where an earlier version, which committed a change in steps,
// left changes in flight (ErrLegacyIntents; README.md).
//
// Facts and their public sources (GACC announcements, the 金二 message
// specifications): README.md beside this file; code lists in package
// customs/codes.
package zone
