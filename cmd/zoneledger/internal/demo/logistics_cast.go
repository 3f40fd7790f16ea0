package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The logistics centre (物流分拨中心) of the demo zone, run through the
// customs services (BookService, DeclarationService, GateService) rather
// than by filing journals directly: customs registers the enterprises, each
// enterprise registers its own book and lines (自主备案), files verification
// lists, passes and slips, customs approves and the gate system (acting as
// customs) records every vehicle. Names and codes are fictional but
// well-formed, like the rest of the demo.

// customsEnterprise is an enterprise registered with BookService: a zone
// enterprise like the others.
type customsEnterprise = enterprise

// bookLine is a book line (备案序号) of a customs book, with what the demo
// needs to file it: prices and per-unit weights.
type bookLine struct {
	Book      *customsBook
	Seq       int32
	HS        string
	Name      string
	Short     string // short name for the step log
	Spec      string
	Unit      string // declared unit (申报计量单位)
	UnitName  string
	Scale     int32
	Legal     string // first legal unit (法定第一计量单位)
	LegalName string
	Factor    decimal.Decimal // legal quantity = declared quantity × Factor
	Type      customsv1.GoodsType
	Country   string          // origin of the goods entering
	Price     decimal.Decimal // entry value per declared unit, CNY
	Sale      decimal.Decimal // domestic sale price per declared unit, CNY (the dutiable value)
	GrossPer  decimal.Decimal // gross weight per declared unit, kg
	NetPer    decimal.Decimal // net weight per declared unit, kg
}

// legalUnit is the line's legal unit as the reports show it, with its
// factor when it is not 1.
func (l *bookLine) legalUnit() string {
	if l.Factor.Equal(decimal.NewFromInt(1)) {
		return l.Legal + " " + l.LegalName
	}
	return l.Legal + " " + l.LegalName + " (× " + l.Factor.String() + ")"
}

// customsBook is a book registered with BookService.
type customsBook struct {
	No     string
	Kind   customsv1.BookKind
	Owner  *customsEnterprise
	Office string
	Usage  string
	Lines  []*bookLine
}

func (b *customsBook) line(seq int32) *bookLine {
	for _, l := range b.Lines {
		if l.Seq == seq {
			return l
		}
	}
	panic(fmt.Sprintf("demo: no line %d on book %s", seq, b.No))
}

// logisticsCast is the logistics centre: the logistics enterprise with its TW
// book, and the processing enterprise whose H book receives the
// intra-zone transfers.
type logisticsCast struct {
	Yecheng, Nandu *customsEnterprise
	T, H           *customsBook
	Books          []*customsBook
}

func newLogisticsCast() *logisticsCast {
	c := &logisticsCast{}
	c.Yecheng = &customsEnterprise{
		USCC: makeUSCC("460100", "MA5TYC68"), CustomsNo: "4601360068",
		Name: "海南椰城国际物流有限公司", Principal: "yecheng", ShortLabel: "椰城物流", Prefix: "YC",
		Centre: "物流分拨 logistics & distribution (customs services)",
	}
	c.Nandu = &customsEnterprise{
		USCC: makeUSCC("460100", "MA5TND71"), CustomsNo: "4601360071",
		Name: "海口南渡江智能制造有限公司", Principal: "nandu", ShortLabel: "南渡江智造",
		Centre: "加工制造 processing (customs services)",
	}
	c.T = &customsBook{No: "T4601W000293", Kind: customsv1.BookKind_BOOK_KIND_LOGISTICS, Owner: c.Yecheng, Office: customsOffice}
	c.T.Lines = []*bookLine{
		{Seq: 1, HS: "1901101000", Name: "婴幼儿配方奶粉（零售包装）", Short: "奶粉", Spec: "800克/罐，1段", Unit: "035", UnitName: "千克", Scale: 3,
			Legal: "035", LegalName: "千克", Factor: d("1"), Country: "NLD", Price: d("185.00"), Sale: d("268.00"), GrossPer: d("1.12"), NetPer: d("1")},
		{Seq: 2, HS: "3304990099", Name: "护肤品（面霜，50克/瓶）", Short: "面霜", Spec: "50克/瓶", Unit: "007", UnitName: "个", Scale: 0,
			Legal: "035", LegalName: "千克", Factor: d("0.05"), Country: "FRA", Price: d("260.00"), Sale: d("395.00"), GrossPer: d("0.09"), NetPer: d("0.05")},
		{Seq: 3, HS: "2208300000", Name: "威士忌（700毫升/瓶）", Short: "威士忌", Spec: "700毫升/瓶，40%vol", Unit: "142", UnitName: "瓶", Scale: 0,
			Legal: "095", LegalName: "升", Factor: d("0.7"), Country: "GBR", Price: d("210.00"), Sale: d("298.00"), GrossPer: d("1.45"), NetPer: d("0.67")},
		{Seq: 4, HS: "8504409999", Name: "开关电源", Short: "开关电源", Spec: "12V 2A", Unit: "007", UnitName: "个", Scale: 0,
			Legal: "007", LegalName: "个", Factor: d("1"), Country: "JPN", Price: d("42.00"), Sale: d("42.00"), GrossPer: d("0.33"), NetPer: d("0.28")},
		{Seq: 5, HS: "8516500000", Name: "微波炉（国产，非保税）", Short: "微波炉", Spec: "20升", Unit: "001", UnitName: "台", Scale: 0,
			Legal: "001", LegalName: "台", Factor: d("1"), Country: "CHN", Price: d("380.00"), Sale: d("380.00"), GrossPer: d("14.5"), NetPer: d("12")},
	}
	c.H = &customsBook{No: "H4601A000088", Kind: customsv1.BookKind_BOOK_KIND_ZONE, Owner: c.Nandu, Office: customsOffice, Usage: "1"}
	c.H.Lines = []*bookLine{
		{Seq: 1, HS: "8504409999", Name: "开关电源", Short: "开关电源", Spec: "12V 2A", Unit: "007", UnitName: "个", Scale: 0,
			Legal: "007", LegalName: "个", Factor: d("1"), Price: d("45.50"), GrossPer: d("0.33"), NetPer: d("0.28")},
	}
	c.Books = []*customsBook{c.T, c.H}
	for _, b := range c.Books {
		for _, l := range b.Lines {
			l.Book = b
			if l.Type == customsv1.GoodsType_GOODS_TYPE_UNSPECIFIED {
				l.Type = customsv1.GoodsType_GOODS_TYPE_MATERIAL
			}
		}
	}
	return c
}

// logisticsPrincipals are the logistics centre's principals, created by the admin
// like the demo's others; customs-4601 approves and runs the gate.
func logisticsPrincipals(c *logisticsCast) []principalDef {
	return []principalDef{
		c.Yecheng.principal("files lists, passes and slips on its TW book " + c.T.No + " (customs services)"),
		c.Nandu.principal("files the receiving lists of transfers into its H book " + c.H.No),
	}
}

// containerNo makes an ISO 6346 container number: the 3-letter owner code,
// category U (freight container), a six-digit serial and the check digit.
func containerNo(owner string, serial int) string {
	s := fmt.Sprintf("%sU%06d", owner, serial)
	sum := 0
	for i := 0; i < 10; i++ {
		sum += strings.IndexByte(iso6346Values, s[i]) << i
	}
	return s + fmt.Sprint(sum%11%10)
}

// iso6346Values gives a character its value in the check-digit sum, its
// index: digits as they are, letters from A = 10 upwards skipping the
// multiples of 11 (the blanks).
const iso6346Values = "0123456789A BCDEFGHIJK LMNOPQRSTU VWXYZ"

// zoneTimeZone is the zone's time zone: `zoneledger demo` starts its
// server with the default --time-zone, Asia/Shanghai (README.md).
const zoneTimeZone = "Asia/Shanghai"

// zoneLocation is the zone's time zone: the business date of a gate event
// is its time read in it. The binary embeds the time zone database.
var zoneLocation = func() *time.Location {
	loc, err := time.LoadLocation(zoneTimeZone)
	if err != nil {
		panic(err)
	}
	return loc
}()

// businessDate is the zone's business date of an instant.
func businessDate(t time.Time) string { return t.In(zoneLocation).Format(time.DateOnly) }

func fmtLineQty(l *bookLine, q decimal.Decimal) string {
	return q.StringFixed(l.Scale) + " " + l.UnitName
}

// goodsOf describes quantities of lines: "奶粉 2400.000 千克, 威士忌 1800 瓶".
func goodsOf(b *customsBook, qs []lineQty) string {
	parts := make([]string, len(qs))
	for i, q := range qs {
		l := b.line(q.Seq)
		parts[i] = l.Short + " " + fmtLineQty(l, q.Qty)
	}
	return strings.Join(parts, ", ")
}
