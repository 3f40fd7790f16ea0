package repair

import (
	"context"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/ledger"
)

// Section is a part of a repair book the goods are kept apart in.
type Section string

// The sections of a repair book (customs-reference §6; GACC 公告2018年第203号
// names them as what the premises keep apart).
const (
	// SectionAwaiting: goods awaiting repair (待维修货物).
	SectionAwaiting Section = "awaiting"
	// SectionRepaired: repaired goods (已维修货物).
	SectionRepaired Section = "repaired"
	// SectionUnrepairable: goods that cannot be repaired (无法维修货物).
	SectionUnrepairable Section = "unrepairable"
	// SectionOldParts: replaced old and bad parts (替换下来的旧件/坏件).
	SectionOldParts Section = "old-parts"
	// SectionScrap: repair scrap (维修边角料).
	SectionScrap Section = "scrap"
	// SectionCores: cores (胚料) in for remanufacture (再制造), bonded.
	SectionCores Section = "cores"
	// SectionRemanufactured: remanufactured goods, bonded.
	SectionRemanufactured Section = "remanufactured"
	// SectionParts: repair parts (维修用料件); their origin is OriginAbroad
	// for bonded parts and OriginDomestic for domestic ones.
	SectionParts Section = "parts"
)

// Origin is where the goods of a section came from.
type Origin string

// The origins of goods on a repair book.
const (
	// OriginAbroad: from abroad, on a first-line list (bonded).
	OriginAbroad Origin = "abroad"
	// OriginDomestic: from the domestic area, on a second-line list.
	OriginDomestic Origin = "domestic"
	// OriginGroup: the group's own products sold in the domestic area,
	// come back for repair (商务部 生态环境部 海关总署公告2024年第7号).
	OriginGroup Origin = "group"
)

// Sections lists the sections in the order the stock report shows them.
func Sections() []Section {
	return []Section{SectionAwaiting, SectionRepaired, SectionUnrepairable, SectionCores, SectionRemanufactured, SectionParts, SectionOldParts, SectionScrap}
}

// Origins lists the origins a section of s may hold: repair parts are
// bonded (abroad) or domestic; cores and remanufactured goods come from
// abroad only; the others hold goods of every origin.
func Origins(s Section) []Origin {
	switch s {
	case SectionParts:
		return []Origin{OriginAbroad, OriginDomestic}
	case SectionCores, SectionRemanufactured:
		return []Origin{OriginAbroad}
	}
	return []Origin{OriginAbroad, OriginDomestic, OriginGroup}
}

// Account is the name of the ledger account (bucket) of a section and
// origin on a repair book, e.g. "repair-awaiting-abroad".
func Account(s Section, o Origin) string { return "repair-" + string(s) + "-" + string(o) }

// Accounts returns every bucket a repair book has beside the zone's.
func Accounts() []string {
	var out []string
	for _, s := range Sections() {
		for _, o := range Origins(s) {
			out = append(out, Account(s, o))
		}
	}
	return out
}

// Holding is a quantity of a book line in one section and origin.
type Holding struct {
	Section  Section
	Origin   Origin
	Quantity decimal.Decimal
}

// StockLine is a repair book line's quantities per section and origin;
// every section and origin is listed, zero ones too, so a report reads
// the same way each day.
type StockLine struct {
	BookSeq  int
	Name     string
	Unit     string
	Holdings []Holding
}

// Quantity returns the line's quantity in a section and origin.
func (l StockLine) Quantity(s Section, o Origin) decimal.Decimal {
	for _, h := range l.Holdings {
		if h.Section == s && h.Origin == o {
			return h.Quantity
		}
	}
	return decimal.Zero
}

// StockReport shows a repair book's quantities per line, section and
// origin at the end of day asOf, or now when asOf is nil. Its owner and
// customs read it; another enterprise's book is answered as unknown.
func (s *Service) StockReport(ctx context.Context, p access.Principal, book string, asOf *time.Time) ([]StockLine, error) {
	b, err := s.readBook(ctx, p, book)
	if err != nil {
		return nil, err
	}
	if b.Kind != codes.BookRepair {
		return nil, notRepairBook(b.No, "book_no")
	}
	hs, err := s.ledger.Balances(ctx, ledger.BalanceQuery{Book: book, AsOf: asOf})
	if err != nil {
		return nil, err
	}
	type key struct {
		seq int
		acc string
	}
	got := map[key]decimal.Decimal{}
	for _, h := range hs {
		seq, err := strconv.Atoi(h.Item.Code)
		if err != nil {
			continue
		}
		k := key{seq, h.Account.Name}
		got[k] = got[k].Add(h.Quantity)
	}
	lines, err := s.allLines(ctx, p, book)
	if err != nil {
		return nil, err
	}
	out := make([]StockLine, 0, len(lines))
	for _, l := range lines {
		sl := StockLine{BookSeq: l.Seq, Name: l.Name, Unit: l.DeclaredUnit}
		for _, sec := range Sections() {
			for _, o := range Origins(sec) {
				sl.Holdings = append(sl.Holdings, Holding{Section: sec, Origin: o, Quantity: got[key{l.Seq, Account(sec, o)}]})
			}
		}
		out = append(out, sl)
	}
	return out, nil
}
