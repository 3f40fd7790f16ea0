package zone

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/ledger"
)

// No exit to the domestic market without its tax. Bonded goods that leave
// the zone for the domestic area (二线出区) either leave bonded status — a
// taxable event, under a domestic-sale trade mode (0110, 0444, ...) or a
// 清单类型 A list — or stay bonded in a counterpart bonded book that
// receives them: the 关联清单 (related_list_no) of another book kept here,
// which must exist and receive the same quantities. Anything else is
// refused with the rule, before a unit is reserved.

// Trade modes the exit rule names.
const (
	// modeEcommerce is 1210 保税电商: its goods leave only on
	// EcommerceService inventory lists (申报清单), taxed there.
	modeEcommerce = "1210"
	// modeTaxTopUp is 9700 后续补税: a tax top-up, not a movement.
	modeTaxTopUp = "9700"
)

// refuseNonMovement refuses a verification list under a trade mode that
// moves no goods on a list: 9700 (a tax top-up) and 1210 (e-commerce goods
// leave on inventory lists and enter as 保税电商 stock by the first line).
func refuseNonMovement(mode codes.TradeMode) error {
	switch mode.Code {
	case modeTaxTopUp:
		return ledger.Invalid(ReasonTaxTopUp, "trade_mode",
			"trade mode 9700 (后续补税) is a tax top-up, not a movement: it books no goods in or out of a book. Pay the tax owed on goods that already left on a 9700 报关单 in the customs declaration system; goods leaving now for the domestic market go on an E list under a domestic-sale trade mode (0110, 0444, 0445, 0544, 0545, 0644, 0245, 0844, 0845) and are taxed when they pass the gate")
	case modeEcommerce:
		return ledger.Invalid(ReasonEcommerceExit, "trade_mode",
			"trade mode 1210 (保税电商) goods leave the zone only on EcommerceService inventory lists (申报清单), each taxed as a cross-border retail import (跨境电商综合税, 财关税〔2016〕18号, GACC 公告2018年第194号); bring e-commerce stock in or out by the first line on a 清单类型 8 list (e.g. 5034), or sell them in bulk to the domestic market under a domestic-sale trade mode (0110), taxed")
	}
	return nil
}

// exitTaxed reports whether a list's exit to the domestic market is a
// taxable event.
func exitTaxed(l *List) bool {
	mode, _ := codes.LookupTradeMode(l.TradeMode)
	return mode.DomesticSale || l.Type == codes.ListSelectiveDuty
}

// domesticModes names the domestic-sale trade modes for messages.
func domesticModes() string {
	var out []string
	for _, m := range codes.TradeModes() {
		if m.DomesticSale {
			out = append(out, m.Code)
		}
	}
	return strings.Join(out, ", ")
}

// checkDomesticExit checks that bonded goods leaving for the domestic
// market on l (二线出区) are taxed or kept bonded by a counterpart: a list
// under a domestic-sale mode passes; any other names the receiving list
// (关联清单编号) on another book kept here, an inbound list from the
// domestic area (二线入区) that is live (not deleted or returned), that no
// other live list names, and whose lines receive the same legal quantities
// line by line. Another enterprise's receiving list must name l's book as
// its related_book_no. l.RelatedBookNo, when given, must be that list's book; it
// is filled in otherwise.
func (s *Service) checkDomesticExit(ctx context.Context, q querier, l *List) error {
	if exitTaxed(l) {
		return nil
	}
	mode, _ := codes.LookupTradeMode(l.TradeMode)
	if l.Type == codes.ListCollective {
		return ledger.Invalid(ReasonUntaxedExit, "trade_mode",
			"rule: bonded goods leave for the domestic market taxed or kept bonded by a counterpart; a collective (集报) list declares trips that already went to the domestic area, so it takes a domestic-sale trade mode (%s), not %s (%s)", domesticModes(), mode.Code, mode.Name)
	}
	if l.RelatedListNo == "" {
		return ledger.Invalid(ReasonUntaxedExit, "related_list_no",
			"rule: bonded goods leave for the domestic market taxed or kept bonded by a counterpart; under trade mode %s (%s) nothing is taxed, so name the receiving list (关联清单编号) of the bonded book that takes the goods (a list into that book, filed first, with the same quantities), or declare the sale under a domestic-sale trade mode (%s)", mode.Code, mode.Name, domesticModes())
	}
	// The receiving list is locked, so that exits naming it at once wait
	// for each other rather than both take it.
	var rl List
	unknown := ledger.NotFound(ReasonUnknownList, "related_list_no",
		"there is no verification list %q to receive the goods from book %s; file the receiving book's list first (another enterprise's list names book %s as its related_book_no) and name its number", l.RelatedListNo, l.Book, l.Book)
	row, err := getDoc(ctx, q, kindList, l.RelatedListNo, true, &rl)
	if err != nil {
		if isReason(err, ReasonUnknownDocument) {
			return unknown
		}
		return err
	}
	// Another enterprise's list is a counterpart only when it names this
	// book; otherwise it is answered as one that does not exist, so that
	// no enterprise learns of another's lists by naming them.
	if rl.Enterprise != l.Enterprise && rl.RelatedBookNo != l.Book {
		return unknown
	}
	if rl.Book == l.Book || rl.Flow != FlowSecondLineIn {
		return ledger.Precondition(ReasonCounterpartMismatch, "related_list_no",
			"list %s does not keep the goods bonded: the counterpart of an exit under %s (%s) is a list into another bonded book from the domestic area (二线入区, I, e.g. 5000 or 5100 on that book)", rl.No, mode.Code, mode.Name)
	}
	if st := ListStatus(row.status); st == ListDeleted || st == ListReturned {
		return ledger.Precondition(ReasonCounterpartMismatch, "related_list_no", "the receiving list %s is %s; name a live one", rl.No, strings.ToLower(string(st)))
	}
	if l.RelatedBookNo != "" && l.RelatedBookNo != rl.Book {
		return ledger.Precondition(ReasonCounterpartMismatch, "related_book_no", "the receiving list %s is on book %s, not %s", rl.No, rl.Book, l.RelatedBookNo)
	}
	l.RelatedBookNo = rl.Book
	var other string
	err = q.QueryRow(ctx, `SELECT no FROM zone_documents WHERE kind = $1 AND link = $2 AND no <> $3 AND status NOT IN ($4, $5) ORDER BY no LIMIT 1`,
		kindList, rl.No, l.No, string(ListDeleted), string(ListReturned)).Scan(&other)
	if err == nil {
		return ledger.Precondition(ReasonCounterpartMismatch, "related_list_no", "the receiving list %s already receives the goods of list %s; one counterpart justifies one exit", rl.No, other)
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if len(rl.Lines) != len(l.Lines) {
		return ledger.Precondition(ReasonCounterpartMismatch, "lines", "the receiving list %s has %d lines; this list has %d: they receive the same goods line by line", rl.No, len(rl.Lines), len(l.Lines))
	}
	for i := range l.Lines {
		if !rl.Lines[i].LegalQuantity.Equal(l.Lines[i].LegalQuantity) {
			return ledger.Precondition(ReasonCounterpartMismatch, fmt.Sprintf("lines[%d].quantity", i),
				"line %d sends %s in legal units; the receiving list %s line %d receives %s: a counterpart receives the same quantities", i+1, l.Lines[i].LegalQuantity, rl.No, i+1, rl.Lines[i].LegalQuantity)
		}
	}
	return nil
}

// exitLink is the link a list's row records: the list it is justified by,
// so that no two exits use one counterpart.
func exitLink(l List) string {
	if l.Flow == FlowSecondLineOut && !exitTaxed(&l) {
		return l.RelatedListNo
	}
	return ""
}
