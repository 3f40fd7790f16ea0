package codes

import "testing"

// FuzzValidators runs every validator of the package on arbitrary strings:
// each answers, none panics, and what a validator accepts has the form it
// documents.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{"91310000MA1FL0XX0X", "91350100M000100Y43", "3105960001", "3105", "8471300000", "035",
		"CHN", "142", "502", "usa", "000", "H31050000001", "T3105W000293", "5034", "0110", "A", "9", "", "\x00", "\xff\xfe", "９１３１", "11010519491231002X", "11010519491231002x"} {
		f.Add(s, 2, 1)
	}
	f.Fuzz(func(t *testing.T, s string, n, m int) {
		if CheckUSCC(s) == nil {
			if len(s) != 18 {
				t.Fatalf("CheckUSCC accepted %q", s)
			}
			if c, err := USCCCheckChar(s[:17]); err != nil || c != s[17] {
				t.Fatalf("CheckUSCC accepted %q, whose check character is %q (%v)", s, c, err)
			}
		}
		_, _ = USCCCheckChar(s)
		if CheckIDNumber(s) == nil {
			if len(s) != 18 {
				t.Fatalf("CheckIDNumber accepted %q", s)
			}
			if c, err := IDCheckChar(s[:17]); err != nil || c != s[17] {
				t.Fatalf("CheckIDNumber accepted %q, whose check character is %q (%v)", s, c, err)
			}
		}
		_, _ = IDCheckChar(s)
		for _, check := range []func(string) error{CheckCustomsCode, CheckCustomsOffice, CheckHSCode, CheckUnit, CheckCountry, CheckCurrency, CheckTradeMode} {
			if check(s) == nil && len(s) > 10 {
				t.Fatalf("a code validator accepted %q", s)
			}
		}
		if CheckCurrency(s) == nil {
			if _, ok := CurrencyISO(s); !ok {
				t.Fatalf("CheckCurrency accepted %q, not in the table", s)
			}
		}
		for _, k := range []BookKind{BookZone, BookLogistics, BookKind(s)} {
			_ = CheckBookNumber(k, s)
			_ = k.Valid()
		}
		_ = BookPrefix(s)
		_, _ = LookupTradeMode(s)
		_ = CheckTradeModeBook(s, s)
		_ = CheckTradeModeBook("5034", s)
		lt := ListType(s)
		_ = ListTypeName(lt, ListType("Z"))
		_ = KnownListType(lt, lt)
		_ = CheckListType(lt, ListType("Z"))
		_ = CheckDirectTransferListType(lt)
		_ = CheckPassShape(PassType(s), BindType(s), RelatedDocType(s), n)
		_ = CheckPassShape(PassType("1"), BindType("1"), RelatedDocType("1"), m)
	})
}
