package zone

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger"
)

// flowOf derives the flow a list books and refuses combinations the zone
// does not handle.
func (s *Service) flowOf(l *List) (Flow, error) {
	in := l.IO == codes.In
	switch {
	case l.Type == s.set.DirectTransferListType:
		if l.DeclareFlag != codes.Declared {
			return "", ledger.BadArgument("declare_flag", "a 区内直转 list goes with a declaration: 是否报关 must be 1")
		}
		if in {
			return FlowSwitchToBonded, nil
		}
		return FlowSwitchToNonbond, nil
	case l.DeclareFlag == codes.NotDeclared:
		if l.Type != codes.ListOrdinary {
			return "", ledger.Invalid(ReasonUnsupportedListType, "list_type", "a non-declaration (是否报关 2) list is an ordinary list (清单类型 0)")
		}
		if in {
			return FlowNonDeclaredIn, nil
		}
		return FlowNonDeclaredOut, nil
	case l.Type == codes.ListIntraZone:
		if in {
			return FlowIntraZoneIn, nil
		}
		return FlowIntraZoneOut, nil
	case l.Type == codes.ListEnterFirst:
		if !in {
			return "", ledger.BadArgument("io", "a 先入区后报关 list (清单类型 3) declares goods that entered: its flag is I")
		}
		return FlowEnterFirst, nil
	case l.Type == codes.ListCollective:
		if in {
			return "", ledger.Invalid(ReasonUnsupportedListType, "io", "collective (集报) lists are supported for trips out of the zone (分送集报 out); file trips in as ordinary lists")
		}
		return FlowCollectiveOut, nil
	case l.Type == codes.ListOrdinary || l.Type == codes.ListSelectiveDuty || l.Type == codes.ListGeneralTaxpayerSale:
	case l.Type == codes.ListEcommerce:
		// 保税电商 stock enters and leaves the warehouse book by the first
		// line like any goods; the sales themselves are EcommerceService's
		// inventory lists.
		if mode, _ := codes.LookupTradeMode(l.TradeMode); mode.Line != codes.LineFirst {
			return "", ledger.Invalid(ReasonUnsupportedListType, "list_type", "a 清单类型 8 (保税电商) list brings e-commerce stock in or out by the first line (e.g. 5034); sales leave on EcommerceService inventory lists")
		}
	case l.Type == codes.ListDisplay:
		return "", ledger.Invalid(ReasonUnsupportedListType, "list_type", "bonded display trading (清单类型 5) is filed as display movements under a type-C form: DisplayService/MoveDisplay")
	default:
		return "", ledger.Invalid(ReasonUnsupportedListType, "list_type", "清单类型 %s (%s) is not supported yet", l.Type, codes.ListTypeName(l.Type, s.set.DirectTransferListType))
	}
	mode, _ := codes.LookupTradeMode(l.TradeMode)
	if l.Type == codes.ListSelectiveDuty && (in || mode.Line != codes.LineSecond) {
		return "", ledger.BadArgument("list_type", "清单类型 A (选择性征关税) is a domestic sale: an E list with a second-line trade mode")
	}
	if l.Type == codes.ListGeneralTaxpayerSale && (in || mode.Line != codes.LineSecond || !mode.DomesticSale) {
		return "", ledger.BadArgument("list_type", "清单类型 9 (一纳成品内销) is a domestic sale: an E list under a domestic-sale trade mode (%s)", domesticModes())
	}
	switch mode.Line {
	case codes.LineFirst:
		if in {
			return FlowFirstLineIn, nil
		}
		return FlowFirstLineOut, nil
	case codes.LineSecond:
		if in {
			if mode.DomesticSale {
				return "", ledger.BadArgument("trade_mode", "trade mode %s (%s) takes goods out to the domestic market; goods coming in from the domestic area use 5000, 5100 or 5300", mode.Code, mode.Name)
			}
			return FlowSecondLineIn, nil
		}
		return FlowSecondLineOut, nil
	default:
		if in {
			return FlowInterZoneIn, nil
		}
		return FlowInterZoneOut, nil
	}
}

// taxable reports whether a list's goods leave bonded status when booked.
func (s *Service) taxable(l *List) bool {
	switch l.Flow {
	case FlowSwitchToNonbond:
		return true
	case FlowSecondLineOut, FlowCollectiveOut:
		return exitTaxed(l)
	}
	return false
}

// outbound reports whether a flow takes goods out of a bucket when declared.
func outbound(f Flow) bool {
	switch f {
	case FlowFirstLineOut, FlowSecondLineOut, FlowInterZoneOut, FlowIntraZoneOut, FlowNonDeclaredOut, FlowSwitchToBonded, FlowSwitchToNonbond:
		return true
	}
	return false
}

// reserveAccounts are the buckets a declared list moves its goods between.
func reserveAccounts(f Flow) (from, to string) {
	switch f {
	case FlowNonDeclaredOut:
		return AccountNonBonded, AccountNonBondedReserved
	case FlowSwitchToBonded:
		return AccountNonBonded, AccountInspection
	case FlowSwitchToNonbond:
		return AccountBonded, AccountInspection
	}
	return AccountBonded, AccountReserved
}

// gateAccounts are where goods come from (in) or go to (out) when a list's
// goods pass the gate: a world account and a book bucket.
func gateAccounts(f Flow) (world, bucket string) {
	switch f {
	case FlowFirstLineIn:
		return WorldAbroad, AccountBonded
	case FlowFirstLineOut:
		return WorldAbroad, AccountReserved
	case FlowSecondLineIn:
		return WorldDomestic, AccountBonded
	case FlowSecondLineOut:
		return WorldDomestic, AccountReserved
	case FlowInterZoneIn:
		return WorldOtherZone, AccountBonded
	case FlowInterZoneOut:
		return WorldOtherZone, AccountReserved
	case FlowNonDeclaredIn:
		return WorldOutside, AccountNonBonded
	case FlowNonDeclaredOut:
		return WorldOutside, AccountNonBondedReserved
	}
	return "", ""
}

// passTypeFor is the gate-pass type that carries a flow's goods, or "" when
// the flow passes no gate.
func passTypeFor(f Flow) codes.PassType {
	switch f {
	case FlowFirstLineIn, FlowFirstLineOut:
		return codes.PassFirstLine
	case FlowSecondLineIn, FlowSecondLineOut, FlowInterZoneIn, FlowInterZoneOut:
		return codes.PassSecondLine
	case FlowNonDeclaredIn, FlowNonDeclaredOut:
		return codes.PassNonDeclared
	}
	return ""
}

// CreateList files a verification list as a draft. InnerNo is the
// idempotency key: the same filing again returns the list; a different one
// under a used number is refused with DUPLICATE_LIST_NUMBER.
func (s *Service) CreateList(ctx context.Context, p access.Principal, l List) (List, error) {
	if err := s.normalizeList(&l); err != nil {
		return List{}, err
	}
	var out List
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b, err := filingBook(ctx, tx, p, l.Book)
		if err != nil {
			return err
		}
		old, found, err := filedBefore[List](ctx, tx, kindList, b.Enterprise, l.InnerNo, l.InputHash, ReasonDuplicateListNumber, "list")
		if err != nil {
			return err
		}
		if found {
			out = old
			return nil
		}
		c := l
		c.Enterprise = b.Enterprise
		if c.Date.IsZero() {
			c.Date = s.today()
		}
		if err := s.checkBusinessDate("date", c.Date, 0); err != nil {
			return err
		}
		if err := codes.CheckTradeModeBook(c.TradeMode, b.No); err != nil {
			return ledger.Invalid(ReasonTradeModeBook, "trade_mode", "%v", err)
		}
		if err := s.resolveLines(ctx, tx, &c); err != nil {
			return err
		}
		if err := s.checkFlowLinks(ctx, tx, p, b, &c); err != nil {
			return err
		}
		c.Status = ListDraft
		c.FiledBy = p.ID
		c.CreatedAt = s.clock()
		c.No, err = documentNumber(ctx, tx, "QD", b.CustomsOffice, s.today(), string(c.IO))
		if err != nil {
			return err
		}
		out = c
		link := exitLink(c)
		if c.Flow == FlowIntraZoneIn {
			link = c.RelatedListNo
		}
		return insertDoc(ctx, tx, docRow{kind: kindList, no: c.No, enterprise: c.Enterprise, innerNo: c.InnerNo, book: c.Book, status: string(c.Status), link: link}, c, c.CreatedAt)
	})
	return out, err
}

// normalizeList checks a filing's own fields and derives its flow.
func (s *Service) normalizeList(l *List) error {
	l.InnerNo, l.Book = strings.TrimSpace(l.InnerNo), strings.TrimSpace(l.Book)
	l.EntryClaims = nil
	if l.InnerNo == "" || len(l.InnerNo) > 64 {
		return ledger.BadArgument("inner_no", "the enterprise's own list number (企业内部清单编号) is required, at most 64 characters")
	}
	if l.Book == "" {
		return ledger.BadArgument("book_no", "is required")
	}
	for i, ln := range l.Lines {
		if ln.Source != "" || ln.SourceDocType != "" || ln.SourceDocNo != "" {
			return ledger.BadArgument(fmt.Sprintf("lines[%d].source", i), "a line's source bucket is set by the repair centre's exit of goods (ExitRepairGoods), not by the filer; leave it empty")
		}
	}
	if l.Type == "" {
		l.Type = codes.ListOrdinary
	}
	if err := codes.CheckListType(l.Type, s.set.DirectTransferListType); err != nil {
		return ledger.BadArgument("list_type", "%v", err)
	}
	if !l.IO.Valid() {
		return ledger.BadArgument("io", "%q is not an in/out flag; use I (into the zone) or E (out of it)", l.IO)
	}
	if err := codes.CheckTradeMode(l.TradeMode); err != nil {
		return ledger.Invalid(ReasonUnknownTradeMode, "trade_mode", "%v", err)
	}
	if mode, _ := codes.LookupTradeMode(l.TradeMode); refuseNonMovement(mode) != nil {
		return refuseNonMovement(mode)
	}
	if l.DeclareFlag == "" {
		l.DeclareFlag = codes.Declared
	}
	if !l.DeclareFlag.Valid() {
		return ledger.BadArgument("declare_flag", "%q: 是否报关 is 1 (报关) or 2 (非报关)", l.DeclareFlag)
	}
	if l.DeclarationKind != "" && !l.DeclarationKind.Valid() {
		return ledger.BadArgument("declaration_kind", "%q: 报关类型 is 1 (关联报关) or 2 (对应报关)", l.DeclarationKind)
	}
	if l.DeclareFlag == codes.NotDeclared && (l.DeclarationKind != "" || l.DeclarationNo != "") {
		return ledger.BadArgument("declaration_kind", "a non-declaration list (是否报关 2) has no 报关类型 or declaration number")
	}
	if l.TransferType != "" && !l.TransferType.Valid() {
		return ledger.BadArgument("transfer_type", "%q is not a 流转类型; use A to E", l.TransferType)
	}
	if l.Country != "" {
		if err := codes.CheckCountry(l.Country); err != nil {
			return ledger.BadArgument("country", "%v", err)
		}
	}
	if l.ExchangeRate.IsNegative() || ledger.Places(l.ExchangeRate) > 6 {
		return ledger.BadArgument("exchange_rate", "must be >= 0 with at most 6 decimal places")
	}
	flow, err := s.flowOf(l)
	if err != nil {
		return err
	}
	l.Flow = flow
	if len(l.Lines) == 0 && flow != FlowCollectiveOut {
		return ledger.BadArgument("lines", "a list has at least one line")
	}
	if len(l.Lines) > MaxLinesPerDoc {
		return ledger.BadArgument("lines", "has %d lines; at most %d are allowed", len(l.Lines), MaxLinesPerDoc)
	}
	for i := range l.Lines {
		ln := &l.Lines[i]
		f := fmt.Sprintf("lines[%d]", i)
		ln.Seq = i + 1
		ln.Passed, ln.Lots, ln.DeclaredQuantity, ln.LegalQuantity, ln.CNYValue = decimal.Zero, nil, decimal.Zero, decimal.Zero, decimal.Zero
		if ln.BookSeq == 0 && ln.PartNumber == "" {
			return ledger.BadArgument(f+".book_seq", "name the book line (备案序号) or a part number (料号)")
		}
		if !ln.Quantity.IsPositive() {
			return ledger.Invalid(ledger.ReasonNonPositiveQuantity, f+".quantity", "must be > 0")
		}
		if ln.UnitPrice.IsNegative() || ledger.Places(ln.UnitPrice) > 4 {
			return ledger.BadArgument(f+".unit_price", "must be >= 0 with at most 4 decimal places")
		}
		if ln.Total.IsNegative() || ledger.Places(ln.Total) > 2 {
			return ledger.BadArgument(f+".total", "must be >= 0 with at most 2 decimal places")
		}
		if ln.Total.IsZero() && ln.UnitPrice.IsPositive() {
			ln.Total = ln.UnitPrice.Mul(ln.Quantity).Round(2)
		}
		if ln.Currency == "" {
			ln.Currency = codes.CurrencyCNY
		}
		if err := codes.CheckCurrency(ln.Currency); err != nil {
			return ledger.BadArgument(f+".currency", "%v", err)
		}
		if ln.Currency != codes.CurrencyCNY && l.ExchangeRate.IsZero() {
			iso, _ := codes.CurrencyISO(ln.Currency)
			return ledger.BadArgument("exchange_rate", "%s is in currency %s (%s) and the list gives no exchange rate; give exchange_rate, CNY per unit of %s, so its value in CNY is known, or declare the line in CNY (142)", f, ln.Currency, iso, iso)
		}
		if ln.Country != "" {
			if err := codes.CheckCountry(ln.Country); err != nil {
				return ledger.BadArgument(f+".country", "%v", err)
			}
		}
		if ln.GrossWeight.IsNegative() || ln.NetWeight.IsNegative() || ln.NetWeight.GreaterThan(ln.GrossWeight) && ln.GrossWeight.IsPositive() {
			return ledger.BadArgument(f+".net_weight", "weights are >= 0 kg and the net weight is at most the gross weight")
		}
		if ledger.Places(ln.GrossWeight) > 5 || ledger.Places(ln.NetWeight) > 5 {
			return ledger.BadArgument(f+".gross_weight", "weights take at most 5 decimal places")
		}
		if ln.Lot != "" && !outbound(flow) {
			return ledger.BadArgument(f+".lot", "only goods leaving a bucket can name a lot")
		}
		if v := ln.ConsumptionVersion; v != "" && (len(v) > 8 || strings.Trim(v, "0123456789") != "") {
			return ledger.BadArgument(f+".consumption_version", "单耗版本号 %q must be 1 to 8 digits", v)
		}
	}
	h := *l
	h.No, h.Status, h.Enterprise = "", "", ""
	l.InputHash = digest(h)
	return nil
}

// resolveLines checks each line against its book line and fills in the
// converted quantities, values and weights.
func (s *Service) resolveLines(ctx context.Context, q querier, l *List) error {
	l.GrossWeight, l.NetWeight = decimal.Zero, decimal.Zero
	for i := range l.Lines {
		ln := &l.Lines[i]
		f := fmt.Sprintf("lines[%d]", i)
		bl, err := s.bookLine(ctx, q, l.Book, ln.BookSeq, ln.PartNumber, f)
		if err != nil {
			return err
		}
		ln.BookSeq, ln.DeclaredUnit = bl.Seq, bl.DeclaredUnit
		if ln.Unit == "" {
			ln.Unit = bl.DeclaredUnit
		}
		if ln.DeclaredQuantity, err = bl.toDeclared(ln.Quantity, ln.Unit, f); err != nil {
			return err
		}
		if err := goodsCategory(l, ln, bl, f); err != nil {
			return err
		}
		if ln.ConsumptionVersion != "" && bl.Type == codes.GoodsEquipment {
			return ledger.BadArgument(f+".consumption_version", "line %d is equipment; a unit consumption version is named on a line of goods made in the zone", bl.Seq)
		}
		ln.LegalQuantity = ln.DeclaredQuantity.Mul(bl.Legal.Factor)
		ln.CNYValue = ln.Total
		if ln.Currency != codes.CurrencyCNY {
			ln.CNYValue = ln.Total.Mul(l.ExchangeRate).Round(2)
		}
		l.GrossWeight = l.GrossWeight.Add(ln.GrossWeight)
		l.NetWeight = l.NetWeight.Add(ln.NetWeight)
		if err := s.resolveMaterials(ctx, q, l, ln, f); err != nil {
			return err
		}
	}
	return nil
}

// byMaterials reports whether a list's duty is computed on the materials
// its goods consumed (选择性征收关税 按料件): 清单类型 A, trade modes 0544 and
// 0545.
func byMaterials(l *List) bool {
	return l.Type == codes.ListSelectiveDuty || l.TradeMode == "0544" || l.TradeMode == "0545"
}

// resolveMaterials checks the materials a list line names: required, each
// a line of the book, on a list taxed on materials; refused on others.
func (s *Service) resolveMaterials(ctx context.Context, q querier, l *List, ln *ListLine, f string) error {
	if !byMaterials(l) {
		if len(ln.Materials) > 0 {
			return ledger.Invalid(tax.ReasonMaterialsNotAllowed, f+".materials",
				"materials are named only on a list taxed on its materials (清单类型 A, trade modes 0544 / 0545); remove them")
		}
		return nil
	}
	if len(ln.Materials) == 0 {
		return ledger.Invalid(tax.ReasonMaterialsRequired, f+".materials",
			"a list taxed on its materials (清单类型 A, trade modes 0544 / 0545) names on each line the book's materials its goods consumed, with quantity and CNY value")
	}
	if len(ln.Materials) > MaxLinesPerDoc {
		return ledger.BadArgument(f+".materials", "a line names at most %d materials", MaxLinesPerDoc)
	}
	seen := map[int]bool{}
	for j := range ln.Materials {
		m := &ln.Materials[j]
		mf := fmt.Sprintf("%s.materials[%d]", f, j)
		if seen[m.BookSeq] {
			return ledger.BadArgument(mf+".book_seq", "book line %d is named twice; give its total once", m.BookSeq)
		}
		seen[m.BookSeq] = true
		if !m.Quantity.IsPositive() || ledger.Places(m.Quantity) > 5 {
			return ledger.Invalid(ledger.ReasonNonPositiveQuantity, mf+".quantity", "must be > 0 with at most 5 decimal places")
		}
		if m.Value.IsNegative() || ledger.Places(m.Value) > 2 {
			return ledger.BadArgument(mf+".value", "is the material's dutiable value: >= 0 CNY to the fen")
		}
		bl, err := loadLine(ctx, q, l.Book, m.BookSeq)
		if err != nil {
			return withField(err, mf+".book_seq")
		}
		if _, err := bl.toDeclared(m.Quantity, bl.DeclaredUnit, mf); err != nil {
			return err
		}
		m.HSCode, m.Unit = bl.HSCode, bl.DeclaredUnit
		m.LegalQuantity, m.LegalUnit = m.Quantity.Mul(bl.Legal.Factor), bl.Legal.Unit
		m.FirstImport = time.Time{}
	}
	return nil
}

// firstImports finds, for a list taxed on its materials, the day each
// material's first lot entered the book from abroad, by book line.
func (s *Service) firstImports(ctx context.Context, l List) (map[int]time.Time, error) {
	out := map[int]time.Time{}
	if !byMaterials(&l) {
		return out, nil
	}
	for _, ln := range l.Lines {
		for _, m := range ln.Materials {
			if _, done := out[m.BookSeq]; done {
				continue
			}
			lots, err := s.ledger.Lots(ctx, ledger.ItemRef{Book: l.Book, Code: strconv.Itoa(m.BookSeq)})
			if err != nil {
				return nil, err
			}
			var first time.Time
			for _, lot := range lots {
				if fromAbroad[lot.Attributes["flow"]] && (first.IsZero() || lot.EntryDate.Before(first)) {
					first = lot.EntryDate
				}
			}
			out[m.BookSeq] = first
		}
	}
	return out, nil
}

// bookLine finds the line a list line refers to, by number or part number.
func (s *Service) bookLine(ctx context.Context, q querier, book string, seq int, part, f string) (BookLine, error) {
	if part != "" {
		var mapped int
		err := q.QueryRow(ctx, `SELECT seq FROM zone_part_numbers WHERE book = $1 AND part = $2`, book, part).Scan(&mapped)
		if err == pgx.ErrNoRows {
			return BookLine{}, ledger.NotFound(ReasonUnknownPartNumber, f+".part_number", "part number %q is not mapped to a line of book %s", part, book)
		}
		if err != nil {
			return BookLine{}, err
		}
		if seq != 0 && seq != mapped {
			return BookLine{}, ledger.BadArgument(f+".book_seq", "part number %s maps to line %d, not %d", part, mapped, seq)
		}
		seq = mapped
	}
	bl, err := loadLine(ctx, q, book, seq)
	if err != nil {
		return bl, withField(err, f+".book_seq")
	}
	return bl, nil
}

// repairReturn lets an untaxed second-line exit list of a repair book
// without a receiving list take only goods of the domestic area going
// back from repair: filed, it is a draft; declared, every line carries
// goods a repair order bound to it (BindListLine), which the repair
// centre binds to a second-line list only when they came from the
// domestic area.
func repairReturn(l *List) error {
	if l.Status == "" {
		return nil
	}
	for i, ln := range l.Lines {
		if ln.Source == "" {
			return ledger.Invalid(ReasonUntaxedExit, fmt.Sprintf("lines[%d]", i), "rule: bonded goods leave for the domestic market taxed or kept bonded by a counterpart; on a repair book an untaxed second-line list takes only domestic goods going back from repair: bind them to the line with ExitRepairGoods (RETURN_DOMESTIC), or declare a sale under a domestic-sale trade mode (%s)", domesticModes())
		}
	}
	return nil
}

// checkFlowLinks checks what a flow links to: the counterpart of a
// transfer, the passes of goods that entered first, the slips of a
// collective list.
func (s *Service) checkFlowLinks(ctx context.Context, q querier, p access.Principal, b Book, l *List) error {
	if l.Type == codes.ListGeneralTaxpayerSale && !b.GeneralTaxpayer {
		return ledger.Precondition(ReasonNotGeneralTaxpayer, "list_type", "清单类型 9 (一纳成品内销) is for VAT general-taxpayer pilot enterprises (一纳企业); customs has not recorded book %s's enterprise as one (SetGeneralTaxpayer): declare the sale on an ordinary list (清单类型 0) under a domestic-sale trade mode", b.No)
	}
	switch l.Flow {
	case FlowIntraZoneOut:
		if l.RelatedBookNo == "" {
			return ledger.BadArgument("related_book_no", "an intra-zone transfer names the receiving book (关联备案编号)")
		}
		rb, err := loadBook(ctx, q, l.RelatedBookNo)
		if err != nil {
			return withField(err, "related_book_no")
		}
		if rb.No == b.No {
			return ledger.Invalid(ReasonPairMismatch, "related_book_no", "a transfer goes to another book")
		}
		return checkOpen(ctx, q, rb, "related_book_no")
	case FlowIntraZoneIn:
		if l.RelatedListNo == "" {
			return ledger.BadArgument("related_list_no", "the receiving list of an intra-zone transfer names the sender's list (关联清单编号)")
		}
		var seller List
		row, err := getDoc(ctx, q, kindList, l.RelatedListNo, false, &seller)
		if err != nil {
			return withField(err, "related_list_no")
		}
		if seller.Flow != FlowIntraZoneOut || seller.RelatedBookNo != l.Book {
			return ledger.Invalid(ReasonPairMismatch, "related_list_no", "list %s is not an intra-zone transfer to book %s", l.RelatedListNo, l.Book)
		}
		if ListStatus(row.status) == ListDeleted || ListStatus(row.status) == ListReturned {
			return ledger.Precondition(ReasonPairMismatch, "related_list_no", "the sender's list %s is %s", l.RelatedListNo, strings.ToLower(row.status))
		}
		if l.RelatedBookNo == "" {
			l.RelatedBookNo = seller.Book
		}
		return pairLines(seller, *l)
	case FlowInterZoneOut, FlowInterZoneIn:
		if l.RelatedBookNo == "" && l.RelatedListNo == "" {
			return ledger.BadArgument("related_book_no", "an inter-zone transfer names the other zone's book or list (关联备案编号 / 关联清单编号)")
		}
	case FlowSecondLineOut:
		if b.Kind == codes.BookRepair && !exitTaxed(l) && l.RelatedListNo == "" {
			return repairReturn(l)
		}
		return s.checkDomesticExit(ctx, q, l)
	case FlowEnterFirst:
		return s.checkEntryPasses(ctx, q, l)
	case FlowCollectiveOut:
		if err := s.checkDomesticExit(ctx, q, l); err != nil {
			return err
		}
		return s.checkSlips(ctx, q, l)
	}
	return nil
}

// pairLines checks that a receiving list mirrors the sending list: line by
// line, the same legal quantity in the same legal unit.
func pairLines(seller, buyer List) error {
	if len(seller.Lines) != len(buyer.Lines) {
		return ledger.Invalid(ReasonPairMismatch, "lines", "the sender's list %s has %d lines; the receiving list must have the same lines in the same order", seller.No, len(seller.Lines))
	}
	for i := range buyer.Lines {
		if !seller.Lines[i].LegalQuantity.Equal(buyer.Lines[i].LegalQuantity) {
			return ledger.Invalid(ReasonPairMismatch, fmt.Sprintf("lines[%d].quantity", i), "line %d carries %s in legal units; the sender's line %d carries %s",
				i+1, buyer.Lines[i].LegalQuantity, i+1, seller.Lines[i].LegalQuantity)
		}
	}
	return nil
}

// GetList returns a list its enterprise or customs may read.
// GetList returns a list by the zone's number or by the number customs
// assigned it (CustomsNo).
func (s *Service) GetList(ctx context.Context, p access.Principal, no string) (List, error) {
	l, err := readDoc[List](ctx, s, p, kindList, no, listNotFound)
	if !isReason(err, ReasonUnknownList) {
		return l, err
	}
	zoneNo, found, e := docByCustomsNo(ctx, s.pool, kindList, no)
	if e != nil {
		return l, dbError(e)
	}
	if !found {
		return l, err
	}
	return readDoc[List](ctx, s, p, kindList, zoneNo, func(err error, _ string) error { return listNotFound(err, no) })
}

func listNotFound(err error, no string) error {
	if isReason(err, ReasonUnknownDocument) {
		return ledger.NotFound(ReasonUnknownList, "list_no", "there is no verification list %q", no)
	}
	return err
}

// ListLists pages the lists a principal may read, in number order.
func (s *Service) ListLists(ctx context.Context, p access.Principal, f ListFilter) ([]List, error) {
	return listDocs[List](ctx, s, p, kindList, f)
}

// lockList loads a list for a change by p: filed by its enterprise unless
// customs acts.
func lockList(ctx context.Context, tx pgx.Tx, no string) (List, docRow, error) {
	var l List
	row, err := getDoc(ctx, tx, kindList, no, true, &l)
	if err != nil {
		return l, row, listNotFound(err, no)
	}
	return l, row, nil
}

func wrongStatus(l List, want string) error {
	return ledger.Precondition(ReasonWrongStatus, "list_no", "list %s is %s; %s", l.No, strings.ToLower(string(l.Status)), want)
}

// DeclareList declares a draft list to customs (申报). Goods leaving a
// bucket are reserved (预核扣): the ledger refuses the declaration when the
// bucket does not hold them, so two lists can never reserve the same units.
// Declaring a declared list again returns it.
func (s *Service) DeclareList(ctx context.Context, p access.Principal, no string) (List, error) {
	// The materials' first imports come from the ledger's lots, read before
	// the transaction (they only ever grow older lots, never change).
	var firsts map[int]time.Time
	var draft List
	var chunks []gtChunk
	var bookFirst time.Time
	if _, err := getDoc(ctx, s.pool, kindList, no, false, &draft); err == nil && draft.Status == ListDraft {
		if firsts, err = s.firstImports(ctx, draft); err != nil {
			return List{}, err
		}
		if generalTaxpayerSale(&draft) && p.CanRead(draft.Enterprise) {
			// Which lots (bonded or not) each line takes, and where the
			// 缓税利息 of the bonded ones runs from, read from the ledger
			// before the transaction; the ledger checks the lots again in it.
			if chunks, err = s.planGeneralTaxpayer(ctx, draft); err != nil {
				return List{}, dbError(err)
			}
			if bookFirst, err = s.bookFirstImport(ctx, s.pool, draft.Book); err != nil {
				return List{}, dbError(err)
			}
		}
		// A draft's lines never change, so the versions they name are
		// checked here, before the transaction (for a filer who may
		// declare it; anyone else is refused in the transaction).
		if p.CanRead(draft.Enterprise) && canFile(p, draft.Enterprise) == nil {
			if err := s.checkVersions(ctx, draft); err != nil {
				return List{}, err
			}
		}
	}
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		l, _, err := lockList(ctx, tx, no)
		if err != nil {
			return nil, err
		}
		if err := canFileHidden(p, l.Enterprise, listNotFound(docNotFound(kindList, no), no)); err != nil {
			return nil, err
		}
		switch l.Status {
		case ListDeclared, ListApproved, ListCleared:
			return nil, nil
		case ListDraft:
		default:
			return nil, wrongStatus(l, "only a draft can be declared")
		}
		for i := range l.Lines {
			for j := range l.Lines[i].Materials {
				m := &l.Lines[i].Materials[j]
				m.FirstImport = firsts[m.BookSeq]
			}
		}
		b, err := loadBook(ctx, tx, l.Book)
		if err != nil {
			return nil, err
		}
		if err := checkOpen(ctx, tx, b, "book_no"); err != nil {
			return nil, err
		}
		if err := s.checkFlowLinks(ctx, tx, p, b, &l); err != nil {
			return nil, err
		}
		if byMaterials(&l) || generalTaxpayerSale(&l) {
			l.LastWriteOff = b.LastWriteOffDate
		}
		if generalTaxpayerSale(&l) {
			l.FirstImport = bookFirst
		}
		if !outbound(l.Flow) {
			l.Status, l.DeclaredAt = ListDeclared, s.clock()
			return nil, updateDoc(ctx, tx, kindList, l.No, string(l.Status), l)
		}
		if byMaterials(&l) || generalTaxpayerSale(&l) {
			// Keep the materials' first imports and the write-off date.
			if err := updateDoc(ctx, tx, kindList, l.No, string(l.Status), l); err != nil {
				return nil, err
			}
		}
		from, to := reserveAccounts(l.Flow)
		req := s.journal(l, "reserve", p.ID)
		in := &intent{ID: req.IdempotencyKey, Kind: intentReserve, Docs: []string{kindList + ":" + l.No}, Actor: p.ID}
		if generalTaxpayerSale(&l) {
			if len(chunks) == 0 {
				// Planned for another list or not at all: plan again.
				return nil, ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "", "list %s changed while it was declared; declare it again", l.No)
			}
			gtReserve(l, chunks, &req, in)
			in.Post = &req
			return in, nil
		}
		for i, ln := range l.Lines {
			src := from
			if ln.Source != "" {
				src = ln.Source
			}
			req.Postings = append(req.Postings, posting(l.Book, ln.BookSeq, src, to, ln.DeclaredQuantity, ln.Lot, ln.DeclaredUnit))
			in.Fields = append(in.Fields, fmt.Sprintf("lines[%d].quantity", i))
		}
		in.Post = &req
		return in, nil
	})
	if err != nil {
		return List{}, err
	}
	return s.GetList(ctx, p, no)
}

// journal starts the ledger request of a step of a list.
func (s *Service) journal(l List, step, principal string) ledger.JournalRequest {
	return ledger.JournalRequest{
		Book:           l.Book,
		IdempotencyKey: l.No + ":" + step,
		EffectiveDate:  l.businessDate(s.today()),
		Document:       ledger.Document{Type: "INVT", Number: l.No, TradeMode: l.TradeMode},
		Principal:      principal,
		Metadata:       map[string]string{"flow": string(l.Flow), "list_type": string(l.Type), "inner_no": l.InnerNo},
	}
}

// businessDate is the list's business date, or today for lists filed
// before lists had one.
func (l List) businessDate(today time.Time) time.Time {
	if l.Date.IsZero() {
		return today
	}
	return l.Date
}

// posting moves a quantity of a book line between two buckets of a book
// (or a world account when the book part of an end is empty).
func posting(book string, seq int, from, to string, q decimal.Decimal, lot, unit string) ledger.Posting {
	ref := func(name string) ledger.AccountRef {
		if isWorld(name) {
			return ledger.World(name)
		}
		return ledger.In(book, name)
	}
	return ledger.Posting{Item: ledger.ItemRef{Book: book, Code: strconv.Itoa(seq)}, From: ref(from), To: ref(to), Quantity: q, Unit: unit, Lot: lot}
}

func isWorld(name string) bool { return slices.Contains(worldAccounts(), name) }

func (s *Service) finishReserve(ctx context.Context, tx pgx.Tx, in *intent, j ledger.Journal) error {
	_, no, _ := strings.Cut(in.Docs[0], ":")
	l, _, err := lockListAny(ctx, tx, no)
	if err != nil {
		return err
	}
	if generalTaxpayerSale(&l) {
		if err := gtLots(&l, in.Extra, j); err != nil {
			return err
		}
	} else {
		for i := range l.Lines {
			l.Lines[i].Lots = legsOf(j.Postings[i])
		}
	}
	l.Status, l.DeclaredAt = ListDeclared, s.clock()
	l.JournalIDs = append(l.JournalIDs, j.ID)
	return updateDoc(ctx, tx, kindList, l.No, string(l.Status), l)
}

// lockListAny loads a list for finishing a change.
func lockListAny(ctx context.Context, tx pgx.Tx, no string) (List, docRow, error) {
	var l List
	row, err := getDoc(ctx, tx, kindList, no, true, &l)
	return l, row, err
}

func legsOf(p ledger.Posting) []LotQuantity {
	out := make([]LotQuantity, len(p.Legs))
	for i, g := range p.Legs {
		out[i] = LotQuantity{Lot: g.Lot, Quantity: g.Quantity}
	}
	return out
}

// ApproveList approves a declared list (审核通过). Customs only. Lists that
// pass no gate are booked now: a 先入区后报关 list moves its goods onto the
// book, a collective list closes its trips, an intra-zone transfer is
// booked once both lists are approved.
func (s *Service) ApproveList(ctx context.Context, p access.Principal, no, note string) (List, error) {
	if err := mustBeCustoms(p, "approve verification lists"); err != nil {
		return List{}, err
	}
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		l, _, err := lockList(ctx, tx, no)
		if err != nil {
			return nil, err
		}
		return s.approveLocked(ctx, tx, p, l, note)
	})
	if err != nil {
		return List{}, err
	}
	return s.GetList(ctx, p, no)
}

// takeListChanges takes, in book order, the change numbers of the books
// a change of list l may write (see takeChanges): both books of an
// intra-zone transfer, whose approval books the transfer on both lists.
func takeListChanges(ctx context.Context, q querier, l List) error {
	if l.Flow == FlowIntraZoneOut || l.Flow == FlowIntraZoneIn {
		return takeChanges(ctx, q, l.Book, l.RelatedBookNo)
	}
	return nil
}

// approveLocked approves a list locked in tx (ApproveList, and a receipt
// of customs' approval).
func (s *Service) approveLocked(ctx context.Context, tx pgx.Tx, p access.Principal, l List, note string) (*intent, error) {
	switch l.Status {
	case ListApproved, ListCleared:
		return nil, nil
	case ListDeclared:
	default:
		return nil, wrongStatus(l, "only a declared list can be approved")
	}
	// The approval may book an intra-zone transfer, which writes both
	// books' lists.
	if err := takeListChanges(ctx, tx, l); err != nil {
		return nil, err
	}
	l.Status, l.ApprovedAt, l.ApprovedBy, l.Note = ListApproved, s.clock(), p.ID, note
	if err := updateDoc(ctx, tx, kindList, l.No, string(l.Status), l); err != nil {
		return nil, err
	}
	return s.clearOnApproval(ctx, tx, p, l)
}

// ReturnList returns a declared or approved list to its filer (退单) with a
// reason; reserved goods go back where they were. Customs only. A list
// whose goods started passing the gate cannot be returned.
func (s *Service) ReturnList(ctx context.Context, p access.Principal, no, note string) (List, error) {
	if err := mustBeCustoms(p, "return verification lists"); err != nil {
		return List{}, err
	}
	if strings.TrimSpace(note) == "" {
		return List{}, ledger.BadArgument("note", "say why the list is returned")
	}
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		l, _, err := lockList(ctx, tx, no)
		if err != nil {
			return nil, err
		}
		return s.returnLocked(ctx, tx, p, l, note)
	})
	if err != nil {
		return List{}, err
	}
	return s.GetList(ctx, p, no)
}

// returnLocked returns a list locked in tx (ReturnList, and a receipt of
// customs' return).
func (s *Service) returnLocked(ctx context.Context, tx pgx.Tx, p access.Principal, l List, note string) (*intent, error) {
	switch l.Status {
	case ListReturned:
		return nil, nil
	case ListDeclared, ListApproved:
	default:
		return nil, wrongStatus(l, "only a declared or approved list can be returned")
	}
	for _, ln := range l.Lines {
		if ln.Passed.IsPositive() {
			return nil, wrongStatus(l, "part of its goods passed the gate already")
		}
	}
	l.Note = note
	if len(l.JournalIDs) == 0 {
		l.Status = ListReturned
		if err := s.releaseBound(ctx, tx, l, ListReturned, 0, p.ID, note); err != nil {
			return nil, err
		}
		return nil, updateDoc(ctx, tx, kindList, l.No, string(l.Status), l)
	}
	rev := &ledger.ReverseRequest{Book: l.Book, JournalID: l.JournalIDs[0], IdempotencyKey: l.No + ":release", EffectiveDate: s.today(), Principal: p.ID, Reason: "list returned: " + note}
	return &intent{ID: rev.IdempotencyKey, Kind: intentRelease, Reverse: rev, Docs: []string{kindList + ":" + l.No}, Actor: p.ID, Note: note}, nil
}

func (s *Service) finishRelease(ctx context.Context, tx pgx.Tx, in *intent, j ledger.Journal) error {
	_, no, _ := strings.Cut(in.Docs[0], ":")
	l, _, err := lockListAny(ctx, tx, no)
	if err != nil {
		return err
	}
	l.Status, l.Note = ListReturned, in.Note
	l.JournalIDs = append(l.JournalIDs, j.ID)
	if err := s.releaseBound(ctx, tx, l, ListReturned, j.ID, in.Actor, in.Note); err != nil {
		return err
	}
	return updateDoc(ctx, tx, kindList, l.No, string(l.Status), l)
}

// DeleteList deletes a draft (删单). Goods a document bound to its lines
// (BindListLine) go back to that document's keeper, in the same
// transaction.
func (s *Service) DeleteList(ctx context.Context, p access.Principal, no string) (List, error) {
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		l, _, err := lockList(ctx, tx, no)
		if err != nil {
			return nil, err
		}
		if err := canFileHidden(p, l.Enterprise, listNotFound(docNotFound(kindList, no), no)); err != nil {
			return nil, err
		}
		switch l.Status {
		case ListDeleted:
			return nil, nil
		case ListDraft:
		default:
			return nil, wrongStatus(l, "only a draft can be deleted; customs returns declared lists")
		}
		l.Status = ListDeleted
		if err := s.releaseBound(ctx, tx, l, ListDeleted, 0, p.ID, ""); err != nil {
			return nil, err
		}
		return nil, updateDoc(ctx, tx, kindList, l.No, string(l.Status), l)
	})
	if err != nil {
		return List{}, err
	}
	return s.GetList(ctx, p, no)
}

// ClearList books a 区内直转 list once its declaration is released: the
// goods leave the 待检区 for their new status (to non-bonded: a taxable
// event). The enterprise or customs may record the release.
func (s *Service) ClearList(ctx context.Context, p access.Principal, no, declarationNo string) (List, error) {
	declarationNo = strings.TrimSpace(declarationNo)
	if declarationNo == "" || utf8.RuneCountInString(declarationNo) > 64 {
		return List{}, ledger.BadArgument("declaration_no", "name the released declaration (报关单编号), at most 64 characters")
	}
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		l, _, err := lockList(ctx, tx, no)
		if err != nil {
			return nil, err
		}
		if p.Role != access.RoleCustoms {
			if err := canFileHidden(p, l.Enterprise, listNotFound(docNotFound(kindList, no), no)); err != nil {
				return nil, err
			}
		}
		if l.Flow != FlowSwitchToBonded && l.Flow != FlowSwitchToNonbond {
			return nil, ledger.Precondition(ReasonWrongStatus, "list_no", "list %s (%s) is cleared by the gate or by its approval, not by a declaration release", l.No, l.Flow)
		}
		switch l.Status {
		case ListCleared:
			return nil, nil
		case ListApproved:
		default:
			return nil, wrongStatus(l, "it is cleared once approved")
		}
		to := AccountBonded
		if l.Flow == FlowSwitchToNonbond {
			to = AccountNonBonded
		}
		l.DeclarationNo = declarationNo
		if err := updateDoc(ctx, tx, kindList, l.No, string(l.Status), l); err != nil {
			return nil, err
		}
		req := s.journal(l, "clear", p.ID)
		in := &intent{ID: req.IdempotencyKey, Kind: intentClear, Docs: []string{kindList + ":" + l.No}, Actor: p.ID, Date: req.EffectiveDate}
		for i, ln := range l.Lines {
			for _, lot := range ln.Lots {
				req.Postings = append(req.Postings, posting(l.Book, ln.BookSeq, AccountInspection, to, lot.Quantity, lot.Lot, ln.DeclaredUnit))
				in.Fields = append(in.Fields, fmt.Sprintf("lines[%d].quantity", i))
			}
		}
		in.Post = &req
		return in, nil
	})
	if err != nil {
		return List{}, err
	}
	return s.GetList(ctx, p, no)
}

// goodsCategory checks and fills in a line's goods category (§4.4): scrap
// trade modes move only scrap, scrap sells to the domestic market only
// under them, and a domestic-sale line always carries its category.
func goodsCategory(l *List, ln *ListLine, bl BookLine, f string) error {
	if ln.GoodsCategory != "" && !ln.GoodsCategory.Valid() {
		return ledger.BadArgument(f+".goods_category", "%q is not a goods category; use FINISHED, DEFECT, SURPLUS_MATERIAL, SCRAP, BY_PRODUCT or DISASTER", ln.GoodsCategory)
	}
	scrapMode := codes.ScrapTradeMode(l.TradeMode)
	switch {
	case scrapMode && ln.GoodsCategory == "":
		ln.GoodsCategory = codes.CategoryScrap
	case scrapMode && ln.GoodsCategory != codes.CategoryScrap:
		return ledger.Invalid(ReasonGoodsCategory, f+".goods_category", "trade mode %s moves scrap (边角料) only, not %s (%s)", l.TradeMode, ln.GoodsCategory, ln.GoodsCategory.Name())
	case !scrapMode && ln.GoodsCategory == codes.CategoryScrap && exitTaxed(l):
		return ledger.Invalid(ReasonGoodsCategory, f+".goods_category", "scrap (边角料) sold to the domestic market is declared under 0844 (进料) or 0845 (来料), not %s", l.TradeMode)
	case ln.GoodsCategory == "" && l.Flow == FlowSecondLineOut && exitTaxed(l):
		ln.GoodsCategory = codes.CategoryFinished
		if bl.Type == codes.GoodsMaterial {
			ln.GoodsCategory = codes.CategorySurplus
		}
	}
	return nil
}
