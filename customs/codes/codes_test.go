package codes

import (
	"slices"
	"strings"
	"testing"
)

// wantErr checks err against a table row: wantSub == "" means no error;
// otherwise err must be non-nil and contain every "|"-separated part.
func wantErr(t *testing.T, name string, err error, wantSub string) {
	t.Helper()
	if wantSub == "" {
		if err != nil {
			t.Errorf("%s: unexpected error: %v", name, err)
		}
		return
	}
	if err == nil {
		t.Errorf("%s: accepted, want an error containing %q", name, wantSub)
		return
	}
	for part := range strings.SplitSeq(wantSub, "|") {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("%s: error %q does not contain %q", name, err, part)
		}
	}
}

// ---- 统一社会信用代码 ----

func TestCheckUSCCKnownCodes(t *testing.T) {
	for _, code := range []string{"91350100M000100Y43", "91110000600037341L"} {
		if err := CheckUSCC(code); err != nil {
			t.Errorf("CheckUSCC(%q) = %v, want nil", code, err)
		}
		want := code[17]
		got, err := USCCCheckChar(code[:17])
		if err != nil || got != want {
			t.Errorf("USCCCheckChar(%q) = %q, %v; want %q", code[:17], got, err, want)
		}
		// Every other last character is refused, naming the right one.
		for i := 0; i < len(usccCharset); i++ {
			c := usccCharset[i]
			if c == want {
				continue
			}
			bad := code[:17] + string(c)
			err := CheckUSCC(bad)
			wantErr(t, "CheckUSCC("+bad+")", err, "check character|'"+string(want)+"'|GB 32100-2015")
		}
	}
}

func TestUSCCCheckCharComputed(t *testing.T) {
	tests := []struct {
		first17 string
		want    byte
	}{
		// Sum 0: 31 − 0 = 31, written as 0.
		{"00000000000000000", '0'},
		// Sum 1·1 = 1: 31 − 1 = 30 → 'Y', the last character.
		{"10000000000000000", 'Y'},
		// Sum 1·3 = 3: 28 → 'W'.
		{"01000000000000000", 'W'},
		// Real-looking codes computed by hand with the weights.
		{"91310000MA1FL1234", 'Q'},
		{"91440300708461136", 'T'},
		{"12100000400000624", 'D'},
	}
	for _, tt := range tests {
		got, err := USCCCheckChar(tt.first17)
		if err != nil || got != tt.want {
			t.Errorf("USCCCheckChar(%q) = %q, %v; want %q", tt.first17, got, err, tt.want)
			continue
		}
		if err := CheckUSCC(tt.first17 + string(got)); err != nil {
			t.Errorf("CheckUSCC(%q) = %v, want nil", tt.first17+string(got), err)
		}
	}
}

// TestUSCCExactlyOneCheckChar: for any 17 characters exactly one 18th
// character of the charset makes a valid code.
func TestUSCCExactlyOneCheckChar(t *testing.T) {
	for _, first17 := range []string{"91350100M000100Y4", "9111000060003734A", "YYYYYYYYYYYYYYYYY", "ABCDEFGHJKLMNPQRT", "00000000000000000"} {
		valid := 0
		for i := 0; i < len(usccCharset); i++ {
			if CheckUSCC(first17+string(usccCharset[i])) == nil {
				valid++
			}
		}
		if valid != 1 {
			t.Errorf("%q: %d valid check characters, want 1", first17, valid)
		}
	}
}

func TestCheckUSCCErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty|18 characters"},
		{"17 chars", "91350100M000100Y4", "expected 18 characters, got 17"},
		{"19 chars", "91350100M000100Y433", "expected 18 characters, got 19"},
		{"lower case", "91350100m000100Y43", "character 9|'m'|upper-case"},
		{"letter I", "91350100I000100Y43", "character 9|'I'|except I, O, S, V, Z"},
		{"letter O", "9135010O0000100Y43", "'O'"},
		{"letter S", "S1350100M000100Y43", "character 1|'S'"},
		{"letter V", "91350100M000100V43", "'V'"},
		{"letter Z", "91350100M000100Y4Z", "character 18|'Z'"},
		{"space", "91350100M 00100Y43", "' '"},
		{"full-width digit", "９1350100M000100Y43", "character 1|'９'"},
		{"Chinese, 18 runes", "统一社会信用代码统一社会信用代码统一", "character 1"},
		{"check char mismatch", "91350100M000100Y44", "'4'|'3'"},
	}
	for _, tt := range tests {
		wantErr(t, tt.name, CheckUSCC(tt.in), tt.want)
	}
}

func TestUSCCCheckCharErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "expected 17 characters, got 0"},
		{"18 chars", "91350100M000100Y43", "expected 17 characters, got 18"},
		{"bad char", "91350100M00010OY4", "character 15|'O'"},
	}
	for _, tt := range tests {
		_, err := USCCCheckChar(tt.in)
		wantErr(t, tt.name, err, tt.want)
	}
}

// ---- fixed-form codes ----

func TestFixedFormCodes(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) error
		in    string
		want  string // "" = valid
	}{
		{"customs code digits", CheckCustomsCode, "3105960001", ""},
		{"customs code letters", CheckCustomsCode, "31059A0B1C", ""},
		{"customs code empty", CheckCustomsCode, "", "海关编码 is empty|exactly 10"},
		{"customs code short", CheckCustomsCode, "310596000", `"310596000" is not a 海关编码|exactly 10 digits or upper-case letters`},
		{"customs code long", CheckCustomsCode, "31059600011", "exactly 10"},
		{"customs code lower", CheckCustomsCode, "31059a0001", "upper-case"},
		{"customs code dash", CheckCustomsCode, "3105-60001", "exactly 10"},

		{"office", CheckCustomsOffice, "3105", ""},
		{"office empty", CheckCustomsOffice, "", "关区代码 is empty|exactly 4 digits"},
		{"office 3", CheckCustomsOffice, "310", `"310" is not a 关区代码|exactly 4 digits`},
		{"office letter", CheckCustomsOffice, "31A5", "exactly 4 digits"},
		{"office full-width", CheckCustomsOffice, "３１０５", "exactly 4 digits"},

		{"hs", CheckHSCode, "8471300000", ""},
		{"hs 8 digits", CheckHSCode, "84713000", `"84713000" is not a 商品编码|exactly 10 digits`},
		{"hs dot", CheckHSCode, "8471.30000", "exactly 10 digits"},
		{"hs empty", CheckHSCode, "", "商品编码 is empty"},

		{"unit 035", CheckUnit, "035", ""},
		{"unit 007", CheckUnit, "007", ""},
		{"unit 011", CheckUnit, "011", ""},
		{"unit 35", CheckUnit, "35", `"35" is not a 计量单位代码|exactly 3 digits|"035" 千克`},
		{"unit kg", CheckUnit, "KGM", "exactly 3 digits"},
		{"unit empty", CheckUnit, "", "计量单位代码 is empty"},

		{"country letters", CheckCountry, "CHN", ""},
		{"country digits", CheckCountry, "142", ""},
		{"country mixed", CheckCountry, "C42", `"C42" is not a 国别(地区)代码|ISO 3166 alpha-3|3 digits of the customs country table`},
		{"country lower", CheckCountry, "usa", "ISO 3166 alpha-3"},
		{"country 2 letters", CheckCountry, "CN", "ISO 3166 alpha-3"},
		{"country empty", CheckCountry, "", "国别(地区)代码 is empty"},
		// The code lists, not just the form.
		{"country USA digits", CheckCountry, "502", ""},
		{"country unknown", CheckCountry, "701", ""},
		{"country 000", CheckCountry, "000", `"000" is not a 国别(地区)代码|101-699 by continent`},
		{"country 999", CheckCountry, "999", "101-699 by continent"},
		{"country 800", CheckCountry, "800", "101-699 by continent"},
		{"country 100", CheckCountry, "100", "101-699 by continent"},
		{"country XXX", CheckCountry, "XXX", `"XXX" is not an ISO 3166 country code`},
		{"country EUR", CheckCountry, "EUR", "not an ISO 3166 country code"},

		{"currency CNY", CheckCurrency, CurrencyCNY, ""},
		{"currency USD", CheckCurrency, CurrencyUSD, ""},
		{"currency EUR", CheckCurrency, "300", ""},
		{"currency ISO letters", CheckCurrency, "CNY", `"CNY" is not a 币制代码|exactly 3 digits|"142" CNY`},
		{"currency empty", CheckCurrency, "", "币制代码 is empty"},
		{"currency 000", CheckCurrency, "000", `"000" is not in the customs currency table|142 CNY|502 USD`},
		{"currency 999", CheckCurrency, "999", "not in the customs currency table"},
	}
	for _, tt := range tests {
		wantErr(t, tt.name, tt.check(tt.in), tt.want)
	}
	if CurrencyCNY != "142" || CurrencyUSD != "502" {
		t.Errorf("CurrencyCNY, CurrencyUSD = %q, %q; want 142, 502", CurrencyCNY, CurrencyUSD)
	}
}

// ---- books ----

func TestBookKind(t *testing.T) {
	names := map[BookKind]string{
		BookZone:      "区域账册",
		BookLogistics: "区域物流账册",
		BookRND:       "保税研发账册",
		BookRepair:    "保税维修账册",
	}
	for k, n := range names {
		if !k.Valid() || k.Name() != n {
			t.Errorf("%s: Valid %v Name %q; want true, %q", k, k.Valid(), k.Name(), n)
		}
	}
	for _, k := range []BookKind{"", "H", "zone", "PROCESSING"} {
		if k.Valid() || k.Name() != "" {
			t.Errorf("%q: Valid %v Name %q; want false, empty", k, k.Valid(), k.Name())
		}
	}
}

func TestCheckBookNumber(t *testing.T) {
	tests := []struct {
		kind BookKind
		no   string
		want string
	}{
		{BookZone, "H31052000001", ""},
		{BookZone, "H3105A2B0C01", ""},
		{BookRND, "H31052000001", ""},
		{BookRepair, "H31052000001", ""},
		{BookLogistics, "T3105W000293", ""},
		{BookLogistics, "T3111W000076", ""},

		{BookZone, "", "区域账册 (ZONE) number is empty|\"H\" followed by 11"},
		{BookZone, "T3105W000293", `"T3105W000293" is not a 区域账册 (ZONE) number|"H" followed by 11 upper-case letters or digits (12 characters)`},
		{BookZone, "H3105200000", "12 characters"},             // 11 chars
		{BookZone, "H310520000011", "12 characters"},           // 13 chars
		{BookZone, "h31052000001", "\"H\" followed"},           // lower-case prefix
		{BookZone, "H3105200000a", "upper-case"},               // lower-case body
		{BookZone, "E31052000001", "\"H\" followed"},           // processing-trade E book
		{BookRND, "T3105W000293", "保税研发账册 (RND) number"},       // R&D books are H books
		{BookRepair, "T3105W000293", "保税维修账册 (REPAIR) number"}, // repair books are H books
		{BookLogistics, "H31052000001", `is not a 区域物流账册 (LOGISTICS) number|"T" + the 4-digit customs office + "W" + 6 digits|T3105W000293`},
		{BookLogistics, "T3105X000293", "\"W\""},
		{BookLogistics, "T31A5W000293", "4-digit customs office"},
		{BookLogistics, "T3105W00029", "12 characters"},
		{BookLogistics, "T3105W0002931", "12 characters"},
		{BookLogistics, "T3105W00029A", "6 digits"},
		{BookLogistics, "L3105W000293", "\"T\""}, // 区外物流账册
		{BookLogistics, "", "区域物流账册 (LOGISTICS) number is empty"},
		{"", "H31052000001", `book kind "" is not known|ZONE, LOGISTICS, RND or REPAIR`},
		{"TW", "T3105W000293", `book kind "TW" is not known`},
	}
	for _, tt := range tests {
		wantErr(t, string(tt.kind)+" "+tt.no, CheckBookNumber(tt.kind, tt.no), tt.want)
	}
}

func TestBookPrefix(t *testing.T) {
	tests := []struct{ no, want string }{
		{"H31052000001", "H"},
		{"T3105W000293", "T"},
		{"T3111W000076", "T"},
		{"E31052000001", "E"},
		{"B31052000001", "B"},
		{"C31052000001", "C"},
		{"L3105W000293", "L"},
		{"Z31052000001", "Z"},
		{"H", "H"},
		{"", ""},
		{"账册", "账"},
		{"\xff123", "\xff"},
	}
	for _, tt := range tests {
		if got := BookPrefix(tt.no); got != tt.want {
			t.Errorf("BookPrefix(%q) = %q, want %q", tt.no, got, tt.want)
		}
	}
}

func TestEnumsValid(t *testing.T) {
	type enum struct {
		name  string
		valid bool
		label string
	}
	tests := []struct {
		e         enum
		wantValid bool
		wantName  string
	}{
		{enum{"executing", BookExecuting.Valid(), BookExecuting.Name()}, true, "正常执行"},
		{enum{"suspended", BookSuspended.Valid(), BookSuspended.Name()}, true, "暂停"},
		{enum{"closed", BookClosed.Valid(), BookClosed.Name()}, true, "已注销"},
		{enum{"status empty", BookStatus("").Valid(), BookStatus("").Name()}, false, ""},
		{enum{"status 1", BookStatus("1").Valid(), BookStatus("1").Name()}, false, ""},

		{enum{"material", GoodsMaterial.Valid(), GoodsMaterial.Name()}, true, "料件"},
		{enum{"finished", GoodsFinished.Valid(), GoodsFinished.Name()}, true, "成品"},
		{enum{"equipment", GoodsEquipment.Valid(), GoodsEquipment.Name()}, true, "设备"},
		{enum{"goods I", GoodsType("I").Valid(), GoodsType("I").Name()}, false, ""},

		{enum{"advanced", CreditAdvanced.Valid(), CreditAdvanced.Name()}, true, "高级认证"},
		{enum{"general", CreditGeneral.Valid(), CreditGeneral.Name()}, true, "一般信用"},
		{enum{"discredited", CreditDiscredited.Valid(), CreditDiscredited.Name()}, true, "失信"},
		{enum{"credit empty", CreditRating("").Valid(), CreditRating("").Name()}, false, ""},

		{enum{"line first", LineFirst.Valid(), LineFirst.Name()}, true, "一线"},
		{enum{"line second", LineSecond.Valid(), LineSecond.Name()}, true, "二线"},
		{enum{"line bonded", LineBonded.Valid(), LineBonded.Name()}, true, "保税区域间"},
		{enum{"line empty", Line("").Valid(), Line("").Name()}, false, ""},

		{enum{"in", In.Valid(), In.Name()}, true, "进区"},
		{enum{"out", Out.Valid(), Out.Name()}, true, "出区"},
		{enum{"io lower", IOFlag("i").Valid(), IOFlag("i").Name()}, false, ""},

		{enum{"declared", Declared.Valid(), Declared.Name()}, true, "报关"},
		{enum{"not declared", NotDeclared.Valid(), NotDeclared.Name()}, true, "非报关"},
		{enum{"declare 0", DeclareFlag("0").Valid(), DeclareFlag("0").Name()}, false, ""},

		{enum{"related", DeclarationRelated.Valid(), DeclarationRelated.Name()}, true, "关联报关"},
		{enum{"corresponding", DeclarationCorresponding.Valid(), DeclarationCorresponding.Name()}, true, "对应报关"},
		{enum{"declaration 3", DeclarationKind("3").Valid(), DeclarationKind("3").Name()}, false, ""},

		{enum{"transfer A", TransferDeepProcessing.Valid(), TransferDeepProcessing.Name()}, true, "加工贸易深加工结转"},
		{enum{"transfer B", TransferLeftover.Valid(), TransferLeftover.Name()}, true, "加工贸易余料结转"},
		{enum{"transfer C", TransferFreeEquipment.Valid(), TransferFreeEquipment.Name()}, true, "不作价设备结转"},
		{enum{"transfer D", TransferInterZoneDeepProcessing.Valid(), TransferInterZoneDeepProcessing.Name()}, true, "区间深加工结转"},
		{enum{"transfer E", TransferInterZoneMaterial.Valid(), TransferInterZoneMaterial.Name()}, true, "区间料件结转"},
		{enum{"transfer F", TransferType("F").Valid(), TransferType("F").Name()}, false, ""},
		{enum{"transfer empty", TransferType("").Valid(), TransferType("").Name()}, false, ""},

		{enum{"form A", FormCollective.Valid(), FormCollective.Name()}, true, "分送集报"},
		{enum{"form B", FormOutsourcing.Valid(), FormOutsourcing.Name()}, true, "外发加工"},
		{enum{"form C", FormDisplay.Valid(), FormDisplay.Name()}, true, "保税展示交易"},
		{enum{"form D", FormEquipmentTesting.Valid(), FormEquipmentTesting.Name()}, true, "设备检测"},
		{enum{"form E", FormEquipmentRepair.Valid(), FormEquipmentRepair.Name()}, true, "设备维修"},
		{enum{"form F", FormMouldOutsourcing.Valid(), FormMouldOutsourcing.Name()}, true, "模具外发"},
		{enum{"form G", FormSimpleProcessing.Valid(), FormSimpleProcessing.Name()}, true, "简单加工"},
		{enum{"form H", FormOther.Valid(), FormOther.Name()}, true, "其他业务"},
		{enum{"form Y", FormGeneralTaxpayer.Valid(), FormGeneralTaxpayer.Name()}, true, "一纳企业进出区"},
		{enum{"form I", FormType("I").Valid(), FormType("I").Name()}, false, ""},
		{enum{"form empty", FormType("").Valid(), FormType("").Name()}, false, ""},
	}
	for _, tt := range tests {
		if tt.e.valid != tt.wantValid || tt.e.label != tt.wantName {
			t.Errorf("%s: Valid %v Name %q; want %v, %q", tt.e.name, tt.e.valid, tt.e.label, tt.wantValid, tt.wantName)
		}
	}
	if FormCollective != "A" || FormDisplay != "C" {
		t.Errorf("FormCollective, FormDisplay = %q, %q; want A, C", FormCollective, FormDisplay)
	}
}

// ---- trade modes ----

// wantModes is the required content of the trade-mode table.
var wantModes = []TradeMode{
	{Code: "0110", Name: "一般贸易", Line: LineSecond, DomesticSale: true},
	{Code: "0245", Name: "来料料件内销", Line: LineSecond, DomesticSale: true},
	{Code: "0444", Name: "保区进料成品", Line: LineSecond, DomesticSale: true},
	{Code: "0445", Name: "保区来料成品", Line: LineSecond, DomesticSale: true},
	{Code: "0544", Name: "保区进料料件", Line: LineSecond, DomesticSale: true},
	{Code: "0545", Name: "保区来料料件", Line: LineSecond, DomesticSale: true},
	{Code: "0644", Name: "进料料件内销", Line: LineSecond, DomesticSale: true},
	{Code: "0844", Name: "进料边角料内销", Line: LineSecond, DomesticSale: true},
	{Code: "0845", Name: "来料边角料内销", Line: LineSecond, DomesticSale: true},
	{Code: "1200", Name: "保税间货物", Line: LineBonded, Books: []string{"H", "T"}},
	{Code: "1210", Name: "保税电商", Line: LineSecond, Books: []string{"H", "T"}},
	{Code: "1371", Name: "保税维修", Line: LineFirst, Books: []string{"H"}},
	{Code: "5000", Name: "料件进出区", Line: LineSecond, Books: []string{"H", "T"}, Rule: "CR000026"},
	{Code: "5010", Name: "特殊区域研发货物", Line: LineFirst, Books: []string{"H"}},
	{Code: "5014", Name: "区内来料加工", Line: LineFirst, Books: []string{"H"}, Rule: "CR000023"},
	{Code: "5015", Name: "区内进料加工", Line: LineFirst, Books: []string{"H"}, Rule: "CR000024"},
	{Code: "5033", Name: "区内仓储货物", Line: LineFirst, Books: []string{"H", "T"}},
	{Code: "5034", Name: "区内物流货物", Line: LineFirst, Books: []string{"H", "T"}, Rule: "CR000025"},
	{Code: "5100", Name: "成品进出区", Line: LineSecond, Books: []string{"H"}, Rule: "CR000027"},
	{Code: "5200", Name: "区内边角调出", Line: LineSecond, Books: []string{"H"}},
	{Code: "5300", Name: "设备进出区", Line: LineSecond, Books: []string{"H"}},
	{Code: "5335", Name: "境外设备进区", Line: LineFirst, Books: []string{"H"}},
	{Code: "5361", Name: "区内设备退运", Line: LineFirst, Books: []string{"H"}},
	{Code: "9700", Name: "后续补税", Line: LineSecond, Books: []string{"H"}, Rule: "CR000034"},
}

func TestTradeModeTable(t *testing.T) {
	for _, want := range wantModes {
		got, ok := LookupTradeMode(want.Code)
		if !ok {
			t.Errorf("LookupTradeMode(%s): not found", want.Code)
			continue
		}
		if got.Code != want.Code || got.Name != want.Name || got.Line != want.Line ||
			!slices.Equal(got.Books, want.Books) || got.Rule != want.Rule || got.DomesticSale != want.DomesticSale {
			t.Errorf("LookupTradeMode(%s) = %+v, want %+v", want.Code, got, want)
		}
	}

	all := TradeModes()
	if !slices.IsSortedFunc(all, func(a, b TradeMode) int { return strings.Compare(a.Code, b.Code) }) {
		t.Errorf("TradeModes() is not sorted by code")
	}
	sale := map[string]bool{"0110": true, "0245": true, "0644": true, "0444": true, "0445": true, "0544": true, "0545": true, "0844": true, "0845": true}
	seen := map[string]bool{}
	for _, m := range all {
		if seen[m.Code] {
			t.Errorf("TradeModes(): %s twice", m.Code)
		}
		seen[m.Code] = true
		if len(m.Code) != 4 || !allOf(m.Code, isDigit) {
			t.Errorf("TradeModes(): code %q is not 4 digits", m.Code)
		}
		if m.Name == "" || !m.Line.Valid() {
			t.Errorf("TradeModes(): %s has name %q, line %q", m.Code, m.Name, m.Line)
		}
		if m.DomesticSale != sale[m.Code] {
			t.Errorf("TradeModes(): %s DomesticSale = %v, want %v", m.Code, m.DomesticSale, sale[m.Code])
		}
		if m.DomesticSale && m.Line != LineSecond {
			t.Errorf("TradeModes(): domestic sale %s crosses %s, want SECOND", m.Code, m.Line)
		}
		for _, p := range m.Books {
			if p != PrefixH && p != PrefixT {
				t.Errorf("TradeModes(): %s allows non-zone prefix %q", m.Code, p)
			}
		}
		if m.Rule != "" && len(m.Books) == 0 {
			t.Errorf("TradeModes(): %s names rule %s but no books", m.Code, m.Rule)
		}
	}
	if len(all) < len(wantModes) {
		t.Errorf("TradeModes() has %d modes, want at least %d", len(all), len(wantModes))
	}

	if _, ok := LookupTradeMode("0214"); ok {
		t.Errorf("LookupTradeMode(0214) found a processing-trade mode that is not a zone mode")
	}
	if m, ok := LookupTradeMode(""); ok || m.Code != "" {
		t.Errorf("LookupTradeMode(\"\") = %+v, %v", m, ok)
	}
}

func TestTradeModeCopies(t *testing.T) {
	m, _ := LookupTradeMode("5034")
	m.Books[0] = "X"
	all := TradeModes()
	all[0].Books = append(all[0].Books, "X")
	for i := range all {
		if len(all[i].Books) > 0 {
			all[i].Books[0] = "X"
		}
	}
	if err := CheckTradeModeBook("5034", "H31052000001"); err != nil {
		t.Errorf("mutating returned modes changed the table: %v", err)
	}
	if again, _ := LookupTradeMode("5100"); !slices.Equal(again.Books, []string{"H"}) {
		t.Errorf("mutating returned modes changed 5100's books to %v", again.Books)
	}
}

func TestCheckTradeModeBook(t *testing.T) {
	const (
		hBook = "H31052000001"
		tBook = "T3105W000293" // the reference's real logistics book
		eBook = "E31052000001" // processing-trade book outside zones
		bBook = "B31052000001"
		lBook = "L3105W000293" // 区外物流账册
	)
	// For every mode in the required table: each zone prefix is accepted
	// exactly when the mode allows it, and the refusal names the rule.
	for _, m := range wantModes {
		allowed := m.Books
		if len(allowed) == 0 {
			allowed = []string{"H", "T"}
		}
		for _, book := range []string{hBook, tBook, eBook, bBook, lBook} {
			err := CheckTradeModeBook(m.Code, book)
			ok := slices.Contains(allowed, book[:1])
			name := m.Code + " on " + book
			if ok {
				wantErr(t, name, err, "")
				continue
			}
			want := "trade mode " + m.Code + " (" + m.Name + ")|book " + book + " does not"
			if m.Rule != "" {
				want = "rule " + m.Rule + ": " + want
				if !strings.HasPrefix(err.Error(), "rule "+m.Rule+": ") {
					t.Errorf("%s: error %q does not start with the rule", name, err)
				}
			} else if err != nil && strings.Contains(err.Error(), "rule ") {
				t.Errorf("%s: error %q names a rule; the mode has none", name, err)
			}
			wantErr(t, name, err, want)
		}
	}

	tests := []struct {
		name, mode, book, want string
	}{
		// The spec's example message, verbatim.
		{"5100 on T book", "5100", tBook, "rule CR000027: trade mode 5100 (成品进出区) needs a book whose number starts with H; book T3105W000293 does not"},
		{"5034 on T book", "5034", tBook, ""},
		{"5034 on T3111W000076", "5034", "T3111W000076", ""},
		{"5034 on H book", "5034", hBook, ""},
		{"5034 on E book", "5034", eBook, "rule CR000025: trade mode 5034 (区内物流货物) needs a book whose number starts with H or T; book E31052000001 does not"},
		{"5014 on T book", "5014", tBook, "rule CR000023: trade mode 5014 (区内来料加工) needs a book whose number starts with H; book T3105W000293 does not"},
		{"5015 on T book", "5015", tBook, "rule CR000024: trade mode 5015 (区内进料加工)"},
		{"5000 on T book", "5000", tBook, ""},
		{"5000 on L book", "5000", lBook, "rule CR000026: trade mode 5000 (料件进出区) needs a book whose number starts with H or T"},
		{"5033 on T book", "5033", tBook, ""},
		{"5033 on E book", "5033", eBook, "trade mode 5033 (区内仓储货物) needs a book whose number starts with H or T; book E31052000001 does not"},
		{"1200 on T book", "1200", tBook, ""},
		{"1210 on T book", "1210", tBook, ""},
		{"9700 on H book", "9700", hBook, ""},
		{"9700 on T book", "9700", tBook, "rule CR000034: trade mode 9700 (后续补税) needs a book whose number starts with H; book T3105W000293 does not"},
		{"9700 on B book (allowed by CR000034 outside zones)", "9700", bBook, "rule CR000034"},
		{"0110 on T book", "0110", tBook, ""},
		{"0110 on E book", "0110", eBook, "trade mode 0110 (一般贸易) needs a zone book, whose number starts with H or T; book E31052000001 does not"},
		{"0444 on H book", "0444", hBook, ""},
		{"5200 on T book", "5200", tBook, "trade mode 5200 (区内边角调出) needs a book whose number starts with H"},
		{"5300 on T book", "5300", tBook, "trade mode 5300 (设备进出区)"},
		{"5335 on T book", "5335", tBook, "trade mode 5335 (境外设备进区)"},
		{"5361 on T book", "5361", tBook, "trade mode 5361 (区内设备退运)"},
		{"5010 on T book", "5010", tBook, "trade mode 5010 (特殊区域研发货物)"},
		{"1371 on T book", "1371", tBook, "trade mode 1371 (保税维修)"},
		{"lower-case h book", "5100", "h31052000001", "book h31052000001 does not"},
		{"empty book", "5100", "", "trade mode 5100 (成品进出区) needs a book number; got none"},
		{"unknown mode", "0214", hBook, "trade mode 0214 is not a zone trade mode|0110, 0245,|9700"},
		{"unknown mode 9610", "9610", tBook, "trade mode 9610 is not a zone trade mode"},
		{"malformed mode", "51", hBook, `"51" is not a trade mode (监管方式)|expected 4 digits`},
		{"malformed mode letters", "51OO", hBook, "expected 4 digits"},
		{"empty mode", "", hBook, "trade mode (监管方式) is empty|4-digit"},
	}
	for _, tt := range tests {
		err := CheckTradeModeBook(tt.mode, tt.book)
		wantErr(t, tt.name, err, tt.want)
		if tt.name == "5100 on T book" && err != nil && err.Error() != tt.want {
			t.Errorf("5100 on T book: message %q, want exactly %q", err, tt.want)
		}
	}
}

func TestCheckTradeMode(t *testing.T) {
	for _, m := range TradeModes() {
		if err := CheckTradeMode(m.Code); err != nil {
			t.Errorf("CheckTradeMode(%s) = %v", m.Code, err)
		}
	}
	wantErr(t, "0615", CheckTradeMode("0615"), "trade mode 0615 is not a zone trade mode")
	wantErr(t, "empty", CheckTradeMode(""), "is empty")
	wantErr(t, "5 digits", CheckTradeMode("51000"), "expected 4 digits")
}

func TestAllowsBookPrefix(t *testing.T) {
	anyZone := TradeMode{Code: "0110"}
	for p, want := range map[string]bool{"H": true, "T": true, "E": false, "B": false, "": false} {
		if got := anyZone.AllowsBookPrefix(p); got != want {
			t.Errorf("any zone book: AllowsBookPrefix(%q) = %v, want %v", p, got, want)
		}
	}
	h := TradeMode{Code: "5100", Books: []string{"H"}}
	if !h.AllowsBookPrefix("H") || h.AllowsBookPrefix("T") {
		t.Errorf("H-only mode: AllowsBookPrefix wrong")
	}
}

// ---- 核注清单 codes ----

func TestListTypes(t *testing.T) {
	names := map[ListType]string{
		ListOrdinary:            "普通清单",
		ListCollective:          "集报清单",
		ListEnterFirst:          "先入区后报关",
		ListSimpleProcessing:    "简单加工",
		ListDisplay:             "保税展示交易",
		ListIntraZone:           "区内流转",
		ListPortLink:            "区港联动",
		ListEcommerce:           "保税电商",
		ListGeneralTaxpayerSale: "一纳成品内销",
		ListSelectiveDuty:       "选择性征关税",
	}
	codes := map[ListType]string{
		ListOrdinary: "0", ListCollective: "1", ListEnterFirst: "3", ListSimpleProcessing: "4",
		ListDisplay: "5", ListIntraZone: "6", ListPortLink: "7", ListEcommerce: "8",
		ListGeneralTaxpayerSale: "9", ListSelectiveDuty: "A",
	}
	for lt, n := range names {
		if lt.Name() != n {
			t.Errorf("ListType(%s).Name() = %q, want %q", lt, lt.Name(), n)
		}
		if string(lt) != codes[lt] {
			t.Errorf("ListType %s has code %q", n, string(lt))
		}
		for _, dt := range []ListType{DefaultDirectTransferListType, "B", ""} {
			if !KnownListType(lt, dt) || CheckListType(lt, dt) != nil {
				t.Errorf("KnownListType(%s, %q) = false", lt, dt)
			}
		}
	}
	if DefaultDirectTransferListType != "Z" {
		t.Errorf("DefaultDirectTransferListType = %q, want Z", DefaultDirectTransferListType)
	}

	tests := []struct {
		t, direct ListType
		known     bool
		name      string
	}{
		{"Z", DefaultDirectTransferListType, true, "区内直转"},
		{"Z", "B", false, ""},
		{"B", "B", true, "区内直转"},
		{"2", DefaultDirectTransferListType, false, ""}, // there is no code 2
		{"", DefaultDirectTransferListType, false, ""},
		{"", "", false, ""}, // an empty setting does not make "" known
		{"a", DefaultDirectTransferListType, false, ""},
		{"Z", "", false, ""},
	}
	for _, tt := range tests {
		if got := KnownListType(tt.t, tt.direct); got != tt.known {
			t.Errorf("KnownListType(%q, %q) = %v, want %v", tt.t, tt.direct, got, tt.known)
		}
		if got := ListTypeName(tt.t, tt.direct); got != tt.name {
			t.Errorf("ListTypeName(%q, %q) = %q, want %q", tt.t, tt.direct, got, tt.name)
		}
		if ListType("Z").Name() != "" {
			t.Errorf("ListType(Z).Name() = %q; the 区内直转 letter is a setting", ListType("Z").Name())
		}
	}
	wantErr(t, "list type 2", CheckListType("2", DefaultDirectTransferListType), `"2" is not a 清单类型|0 普通清单|A 选择性征关税|Z 区内直转`)
	wantErr(t, "list type empty", CheckListType("", DefaultDirectTransferListType), "清单类型 is empty")
	if err := CheckListType("Z", ""); err == nil || strings.Contains(err.Error(), "区内直转") {
		t.Errorf("CheckListType(Z, \"\") = %v; want an error not offering 区内直转", err)
	}
}

func TestCheckDirectTransferListType(t *testing.T) {
	tests := []struct {
		in   ListType
		want string
	}{
		{DefaultDirectTransferListType, ""},
		{"B", ""},
		{"2", ""},
		{"", "expected one digit or upper-case letter"},
		{"ZZ", "expected one digit or upper-case letter"},
		{"z", "expected one digit or upper-case letter"},
		{"6", "it is already 区内流转"},
		{"A", "it is already 选择性征关税"},
	}
	for _, tt := range tests {
		wantErr(t, "direct transfer "+string(tt.in), CheckDirectTransferListType(tt.in), tt.want)
	}
}

func TestListCodes(t *testing.T) {
	if In != "I" || Out != "E" {
		t.Errorf("In, Out = %q, %q", In, Out)
	}
	if Declared != "1" || NotDeclared != "2" {
		t.Errorf("Declared, NotDeclared = %q, %q", Declared, NotDeclared)
	}
	if DeclarationRelated != "1" || DeclarationCorresponding != "2" {
		t.Errorf("DeclarationRelated, DeclarationCorresponding = %q, %q", DeclarationRelated, DeclarationCorresponding)
	}
	got := ""
	for c := 'A'; c <= 'Z'; c++ {
		if TransferType(string(c)).Valid() {
			got += string(c)
		}
	}
	if got != "ABCDE" {
		t.Errorf("valid 流转类型 letters = %q, want ABCDE", got)
	}
}

// ---- 核放单 ----

func TestPassType(t *testing.T) {
	names := map[PassType]string{
		PassEnterFirst:       "先入区后报关",
		PassFirstLine:        "一线一体化进出区",
		PassSecondLine:       "二线进出区",
		PassNonDeclared:      "非报关进出区",
		PassGateRegistration: "卡口登记货物",
		PassEmptyVehicle:     "空车进出区",
	}
	for pt, n := range names {
		if !pt.Valid() || pt.Name() != n {
			t.Errorf("PassType(%s): Valid %v Name %q; want true, %q", pt, pt.Valid(), pt.Name(), n)
		}
	}
	for _, pt := range []PassType{"", "0", "7"} {
		if pt.Valid() || pt.Name() != "" {
			t.Errorf("PassType(%q) is valid", pt)
		}
	}
	for b, n := range map[BindType]string{BindNone: "", BindOneVehicleManyLists: "一车多票", BindOneListOneVehicle: "一票一车", BindOneListManyVehicles: "一票多车"} {
		if !b.Valid() || b.Name() != n {
			t.Errorf("BindType(%q): Valid %v Name %q", b, b.Valid(), b.Name())
		}
	}
	if BindType("4").Valid() {
		t.Errorf("BindType(4) is valid")
	}
	for r, n := range map[RelatedDocType]string{RelatedNone: "", RelatedList: "核注清单", RelatedSlip: "出入库单", RelatedBill: "提运单"} {
		if !r.Valid() || r.Name() != n {
			t.Errorf("RelatedDocType(%q): Valid %v Name %q", r, r.Valid(), r.Name())
		}
	}
	if RelatedDocType("4").Valid() {
		t.Errorf("RelatedDocType(4) is valid")
	}
}

func TestCheckPassShape(t *testing.T) {
	const gateRule = "核放单类型为5或6时：绑定类型、关联单证类型、关联单证编号应为空"
	tests := []struct {
		name string
		t    PassType
		bind BindType
		rel  RelatedDocType
		docs int
		want string
	}{
		// Types 5 and 6: everything empty.
		{"5 empty", PassGateRegistration, BindNone, RelatedNone, 0, ""},
		{"6 empty", PassEmptyVehicle, BindNone, RelatedNone, 0, ""},
		{"5 with binding", PassGateRegistration, BindOneListOneVehicle, RelatedNone, 0, "核放单类型 5 (卡口登记货物) takes no 绑定类型|" + gateRule},
		{"6 with binding", PassEmptyVehicle, BindOneVehicleManyLists, RelatedNone, 0, "核放单类型 6 (空车进出区) takes no 绑定类型|" + gateRule},
		{"5 with related type", PassGateRegistration, BindNone, RelatedList, 0, "takes no 关联单证类型|" + gateRule},
		{"6 with related type", PassEmptyVehicle, BindNone, RelatedBill, 0, "takes no 关联单证类型|" + gateRule},
		{"5 with docs", PassGateRegistration, BindNone, RelatedNone, 1, "takes no 关联单证编号, got 1|" + gateRule},
		{"6 with docs", PassEmptyVehicle, BindNone, RelatedNone, 2, "takes no 关联单证编号, got 2|" + gateRule},
		{"5 with all", PassGateRegistration, BindOneListOneVehicle, RelatedList, 1, gateRule},

		// Type 1: 提运单, at least one.
		{"1 bill", PassEnterFirst, BindNone, RelatedBill, 1, ""},
		{"1 two bills", PassEnterFirst, BindNone, RelatedBill, 2, ""},
		{"1 bill bound 1", PassEnterFirst, BindOneVehicleManyLists, RelatedBill, 2, ""},
		{"1 bill bound 2", PassEnterFirst, BindOneListOneVehicle, RelatedBill, 1, ""},
		{"1 bill bound 2, two bills", PassEnterFirst, BindOneListOneVehicle, RelatedBill, 2, "绑定类型 2 (一票一车) binds exactly one 提运单, got 2"},
		{"1 no bill", PassEnterFirst, BindNone, RelatedBill, 0, "核放单类型 1 (先入区后报关) needs at least one 关联单证编号 (提运单)"},
		{"1 list", PassEnterFirst, BindOneListOneVehicle, RelatedList, 1, "核放单类型 1 (先入区后报关) needs 关联单证类型 3 (提运单), got 1 (核注清单)"},
		{"1 slip", PassEnterFirst, BindNone, RelatedSlip, 1, "needs 关联单证类型 3 (提运单), got 2 (出入库单)"},
		{"1 none", PassEnterFirst, BindNone, RelatedNone, 0, "needs 关联单证类型 3 (提运单), got none"},

		// Type 2: 核注清单 with a binding.
		{"2 list 1 car many", PassFirstLine, BindOneVehicleManyLists, RelatedList, 3, ""},
		{"2 list 1 car many, one list", PassFirstLine, BindOneVehicleManyLists, RelatedList, 1, ""},
		{"2 list one car", PassFirstLine, BindOneListOneVehicle, RelatedList, 1, ""},
		{"2 list many cars", PassFirstLine, BindOneListManyVehicles, RelatedList, 1, ""},
		{"2 list one car, two lists", PassFirstLine, BindOneListOneVehicle, RelatedList, 2, "绑定类型 2 (一票一车) binds exactly one 核注清单, got 2"},
		{"2 list many cars, two lists", PassFirstLine, BindOneListManyVehicles, RelatedList, 2, "绑定类型 3 (一票多车) binds exactly one 核注清单, got 2"},
		{"2 no binding", PassFirstLine, BindNone, RelatedList, 1, "核放单类型 2 (一线一体化进出区) with 关联单证类型 1 (核注清单) needs a 绑定类型"},
		{"2 no docs", PassFirstLine, BindOneListOneVehicle, RelatedList, 0, "needs at least one 关联单证编号 (核注清单), got none"},
		{"2 slip", PassFirstLine, BindOneListOneVehicle, RelatedSlip, 1, "核放单类型 2 (一线一体化进出区) needs 关联单证类型 1 (核注清单), got 2 (出入库单)"},
		{"2 bill", PassFirstLine, BindOneListOneVehicle, RelatedBill, 1, "needs 关联单证类型 1 (核注清单), got 3 (提运单)"},
		{"2 none", PassFirstLine, BindNone, RelatedNone, 0, "needs 关联单证类型 1 (核注清单), got none"},

		// Type 3: 核注清单 (binding required) or 出入库单 (分送集报).
		{"3 list", PassSecondLine, BindOneListOneVehicle, RelatedList, 1, ""},
		{"3 lists", PassSecondLine, BindOneVehicleManyLists, RelatedList, 4, ""},
		{"3 slip", PassSecondLine, BindNone, RelatedSlip, 1, ""},
		{"3 slips", PassSecondLine, BindNone, RelatedSlip, 3, ""},
		{"3 slips bound 1", PassSecondLine, BindOneVehicleManyLists, RelatedSlip, 3, ""},
		{"3 slips bound 3", PassSecondLine, BindOneListManyVehicles, RelatedSlip, 2, "绑定类型 3 (一票多车) binds exactly one 出入库单, got 2"},
		{"3 list no binding", PassSecondLine, BindNone, RelatedList, 1, "核放单类型 3 (二线进出区) with 关联单证类型 1 (核注清单) needs a 绑定类型"},
		{"3 slip no docs", PassSecondLine, BindNone, RelatedSlip, 0, "needs at least one 关联单证编号 (出入库单)"},
		{"3 bill", PassSecondLine, BindNone, RelatedBill, 1, "核放单类型 3 (二线进出区) needs 关联单证类型 1 (核注清单) or 2 (出入库单, 分送集报), got 3 (提运单)"},
		{"3 none", PassSecondLine, BindNone, RelatedNone, 0, "got none"},
		{"3 list one car two lists", PassSecondLine, BindOneListOneVehicle, RelatedList, 2, "binds exactly one 核注清单, got 2"},

		// Type 4: 核注清单 with a binding; no 出入库单.
		{"4 list", PassNonDeclared, BindOneListOneVehicle, RelatedList, 1, ""},
		{"4 lists", PassNonDeclared, BindOneVehicleManyLists, RelatedList, 2, ""},
		{"4 slip", PassNonDeclared, BindNone, RelatedSlip, 1, "核放单类型 4 (非报关进出区) needs 关联单证类型 1 (核注清单), got 2 (出入库单)"},
		{"4 no binding", PassNonDeclared, BindNone, RelatedList, 1, "needs a 绑定类型"},
		{"4 no docs", PassNonDeclared, BindOneVehicleManyLists, RelatedList, 0, "needs at least one"},
		{"4 many cars two lists", PassNonDeclared, BindOneListManyVehicles, RelatedList, 2, "binds exactly one"},

		// Malformed codes.
		{"type 7", "7", BindNone, RelatedNone, 0, `"7" is not a 核放单类型|1 先入区后报关|6 空车进出区`},
		{"type empty", "", BindNone, RelatedNone, 0, `"" is not a 核放单类型`},
		{"binding 4", PassFirstLine, "4", RelatedList, 1, `"4" is not a 绑定类型|1 一车多票`},
		{"related 4", PassFirstLine, BindOneListOneVehicle, "4", 1, `"4" is not a 关联单证类型|1 核注清单`},
		{"negative docs", PassFirstLine, BindOneListOneVehicle, RelatedList, -1, "关联单证编号 is -1"},
	}
	for _, tt := range tests {
		wantErr(t, tt.name, CheckPassShape(tt.t, tt.bind, tt.rel, tt.docs), tt.want)
	}
}

// TestCheckPassShapeInvariants runs every combination of codes and small
// document counts and checks the 金二 SAS121, gx-customs-bridge rules on what is accepted.
func TestCheckPassShapeInvariants(t *testing.T) {
	types := []PassType{PassEnterFirst, PassFirstLine, PassSecondLine, PassNonDeclared, PassGateRegistration, PassEmptyVehicle}
	binds := []BindType{BindNone, BindOneVehicleManyLists, BindOneListOneVehicle, BindOneListManyVehicles}
	rels := []RelatedDocType{RelatedNone, RelatedList, RelatedSlip, RelatedBill}
	accepted := map[PassType]int{}
	for _, pt := range types {
		for _, b := range binds {
			for _, r := range rels {
				for docs := 0; docs <= 3; docs++ {
					err := CheckPassShape(pt, b, r, docs)
					if err != nil {
						if err.Error() == "" {
							t.Errorf("%s/%q/%q/%d: empty message", pt, b, r, docs)
						}
						continue
					}
					accepted[pt]++
					shape := string(pt) + "/" + string(b) + "/" + string(r)
					switch pt {
					case PassGateRegistration, PassEmptyVehicle:
						if b != BindNone || r != RelatedNone || docs != 0 {
							t.Errorf("%s/%d accepted; types 5 and 6 take nothing", shape, docs)
						}
						continue
					case PassEnterFirst:
						if r != RelatedBill {
							t.Errorf("%s accepted; type 1 needs 提运单", shape)
						}
					case PassFirstLine, PassNonDeclared:
						if r != RelatedList {
							t.Errorf("%s accepted; types 2 and 4 need 核注清单", shape)
						}
					case PassSecondLine:
						if r != RelatedList && r != RelatedSlip {
							t.Errorf("%s accepted; type 3 needs 核注清单 or 出入库单", shape)
						}
					}
					if docs < 1 {
						t.Errorf("%s/0 accepted without related documents", shape)
					}
					if r == RelatedList && b == BindNone {
						t.Errorf("%s accepted: 核注清单 without a binding", shape)
					}
					if (b == BindOneListOneVehicle || b == BindOneListManyVehicles) && docs != 1 {
						t.Errorf("%s/%d accepted: binding %s binds exactly one", shape, docs, b)
					}
				}
			}
		}
	}
	for _, pt := range types {
		if accepted[pt] == 0 {
			t.Errorf("type %s: no shape accepted", pt)
		}
	}
	if accepted[PassGateRegistration] != 1 || accepted[PassEmptyVehicle] != 1 {
		t.Errorf("types 5 and 6 accept %d and %d shapes, want exactly 1", accepted[PassGateRegistration], accepted[PassEmptyVehicle])
	}
}

// ---- 居民身份证号码 ----

func TestCheckIDNumber(t *testing.T) {
	// 11010519491231002X is the GB 11643-1999 example number; the others
	// have their check digit computed by hand from the weights.
	for _, tc := range []struct{ name, in, wantSub string }{
		{"standard example", "11010519491231002X", ""},
		{"digit check", "110101199003070011", ""},
		{"digit check 7", "310115199003070017", ""},
		{"wrong check digit", "110101199003070019", `check character (the 18th) is '9'|give '1'|GB 11643`},
		{"X where a digit is due", "11010119900307001X", `give '1'`},
		{"digit where X is due", "110105194912310021", `give 'X'`},
		{"lower-case x", "11010519491231002x", "upper-case X"},
		{"empty", "", "is empty"},
		{"17 characters", "11010519491231002", "got 17 characters"},
		{"letter inside", "1101051949123100AX", "17 digits"},
		{"bad last character", "11010519491231002Y", "17 digits"},
		{"wide characters", "１１０１０５１９４９１２３１００２Ｘ", "17 digits"},
	} {
		wantErr(t, tc.name, CheckIDNumber(tc.in), tc.wantSub)
	}
}

// TestIDCheckCharExactlyOne: of the 11 possible check characters exactly
// one is accepted for each of a spread of first-17 digit strings.
func TestIDCheckCharExactlyOne(t *testing.T) {
	for _, first := range []string{"11010519491231002", "31011519900307001", "00000000000000000", "99999999999999999", "44030019800101123"} {
		n := 0
		for _, c := range idCheckChars {
			if CheckIDNumber(first+string(c)) == nil {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d check characters accepted, want 1", first, n)
		}
	}
	if _, err := IDCheckChar("1101051949123100"); err == nil {
		t.Error("IDCheckChar accepted 16 digits")
	}
}
