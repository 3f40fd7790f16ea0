package codes

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// usccCharset is the GB 32100-2015 character set of a 统一社会信用代码: the
// digits and the upper-case Latin letters without I, O, S, V and Z. A
// character's value is its index in this string.
const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the GB 32100-2015 weights of the first 17 characters.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCLength is the length of a 统一社会信用代码.
const USCCLength = 18

// CheckUSCC checks a 统一社会信用代码 (unified social credit code): exactly 18
// characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" whose 18th character is
// the GB 32100-2015 check character of the first 17. On a mismatch the
// message names the check character the first 17 characters call for.
func CheckUSCC(s string) error {
	const what = "统一社会信用代码"
	if s == "" {
		return fmt.Errorf("the %s is empty: expected %d characters (digits and the upper-case letters A–Y except I, O, S, V, Z)", what, USCCLength)
	}
	if n := utf8.RuneCountInString(s); n != USCCLength {
		return fmt.Errorf("%q is not a %s: expected %d characters, got %d", s, what, USCCLength, n)
	}
	if err := usccChars(s, what); err != nil {
		return err
	}
	want, err := USCCCheckChar(s[:USCCLength-1])
	if err != nil {
		return err
	}
	if got := s[USCCLength-1]; got != want {
		return fmt.Errorf("%q is not a valid %s: its check character (the 18th) is %q, but the first 17 characters give %q (GB 32100-2015)", s, what, got, want)
	}
	return nil
}

// USCCCheckChar computes the GB 32100-2015 check character of the first 17
// characters of a 统一社会信用代码: the weighted sum of the characters'
// values (their index in "0123456789ABCDEFGHJKLMNPQRTUWXY") with weights
// 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28; the check
// value is 31 − (sum mod 31), with 31 written as 0.
func USCCCheckChar(first17 string) (byte, error) {
	const what = "统一社会信用代码 without its check character"
	if n := utf8.RuneCountInString(first17); n != USCCLength-1 {
		return 0, fmt.Errorf("%q is not a %s: expected %d characters, got %d", first17, what, USCCLength-1, n)
	}
	if err := usccChars(first17, what); err != nil {
		return 0, err
	}
	sum := 0
	for i := range USCCLength - 1 {
		sum += strings.IndexByte(usccCharset, first17[i]) * usccWeights[i]
	}
	check := 31 - sum%31
	if check == 31 {
		check = 0
	}
	return usccCharset[check], nil
}

// usccChars reports the first character of s outside the USCC charset.
func usccChars(s, what string) error {
	pos := 0
	for _, r := range s {
		pos++
		if r < utf8.RuneSelf && strings.IndexByte(usccCharset, byte(r)) >= 0 {
			continue
		}
		hint := ""
		if r >= 'a' && r <= 'z' {
			hint = " (letters must be upper-case)"
		}
		return fmt.Errorf("%q is not a %s: character %d, %q, is not allowed%s; expected digits and the upper-case letters A–Y except I, O, S, V, Z", s, what, pos, r, hint)
	}
	return nil
}

// CheckCustomsCode checks a 海关编码 (the enterprise's customs registration
// code): exactly 10 characters, each a digit or an upper-case letter.
func CheckCustomsCode(s string) error {
	return checkForm(s, "海关编码", 10, isDigitOrUpper, "digits or upper-case letters", "")
}

// CheckCustomsOffice checks a 关区代码 (customs office code): exactly 4
// digits, e.g. "3105".
func CheckCustomsOffice(s string) error {
	return checkForm(s, "关区代码", 4, isDigit, "digits", `e.g. "3105"`)
}

// CheckHSCode checks a 商品编码 (HS commodity code as declared): exactly 10
// digits, the 8-digit tariff line and 2 additional digits (金二 INV101 line fields, gx-customs-bridge inv101_models.go).
func CheckHSCode(s string) error {
	return checkForm(s, "商品编码", 10, isDigit, "digits", "the 8-digit tariff line and 2 additional digits")
}

// CheckUnit checks a customs unit-of-measure code (计量单位代码): exactly 3
// digits, e.g. "035" 千克, "007" 个, "011" 件.
func CheckUnit(s string) error {
	return checkForm(s, "计量单位代码", 3, isDigit, "digits", `e.g. "035" 千克, "007" 个, "011" 件`)
}

// CheckCountry checks a country or region code (国别(地区)代码) as the 金二
// messages carry it (金二 INV101 line fields, gx-customs-bridge inv101_models.go 原产国 / 最终目的国, 3 characters): either 3 digits
// of the customs numeric table, whose first digit is the continent (1 Asia,
// 2 Africa, 3 Europe, 4 Latin America, 5 North America, 6 Oceania; "142"
// China, "502" United States) with 701 国别不详 and 702 联合国及机构和国际
// 组织, or an ISO 3166-1 alpha-3 country code in upper case ("USA", "CHN"),
// checked against the ISO table that golang.org/x/text carries. A number
// inside a continent's block is taken as it stands: the per-country
// numbers of the table are [UNCONFIRMED] beyond those named here.
func CheckCountry(s string) error {
	const what = "国别(地区)代码"
	const expect = `expected 3 digits of the customs country table (101-699 by continent, 701, 702; e.g. "502" United States, "142" China) or an ISO 3166 alpha-3 code (e.g. "USA")`
	if s == "" {
		return fmt.Errorf("the %s is empty: %s", what, expect)
	}
	if len(s) == 3 && allOf(s, isDigit) {
		if s[0] >= '1' && s[0] <= '6' && s[1:] != "00" || s == "701" || s == "702" {
			return nil
		}
		return fmt.Errorf("%q is not a %s: %s", s, what, expect)
	}
	if len(s) == 3 && allOf(s, isUpper) {
		if r, err := language.ParseRegion(s); err == nil && r.IsCountry() {
			return nil
		}
		return fmt.Errorf("%q is not an ISO 3166 country code (%s): %s", s, what, expect)
	}
	return fmt.Errorf("%q is not a %s: %s", s, what, expect)
}

// CurrencyCNY is the customs currency code (币制) of the renminbi.
const CurrencyCNY = "142"

// CurrencyUSD is the customs currency code (币制) of the US dollar.
const CurrencyUSD = "502"

// currencies is the customs currency table (币制代码表) as far as a zone's
// books use it: code → ISO 4217 code. 142 CNY and 502 USD are from the 金二
// line fields (金二 INV101 line fields, gx-customs-bridge inv101_models.go); 116 JPY and 132 SGD are seen beside them in an
// open-source declaration client; the others are [UNCONFIRMED] (each
// follows the customs number of its country, as 142 and 502 do).
var currencies = map[string]string{
	"110": "HKD", "112": "IDR", "116": "JPY", "121": "MOP", "122": "MYR", "129": "PHP",
	"132": "SGD", "133": "KRW", "136": "THB", "142": "CNY", "300": "EUR", "302": "DKK",
	"303": "GBP", "326": "NOK", "330": "SEK", "331": "CHF", "344": "RUB", "501": "CAD",
	"502": "USD", "601": "AUD", "609": "NZD",
}

// CurrencyISO returns the ISO 4217 code of a customs currency code, and
// whether the code is in the table.
func CurrencyISO(code string) (string, bool) {
	iso, ok := currencies[code]
	return iso, ok
}

// CheckCurrency checks a customs currency code (币制): 3 digits of the
// customs currency table, e.g. "142" CNY, "502" USD, "300" EUR.
func CheckCurrency(s string) error {
	if err := checkForm(s, "币制代码", 3, isDigit, "digits", `e.g. "142" CNY, "502" USD`); err != nil {
		return err
	}
	if _, ok := currencies[s]; !ok {
		codes := make([]string, 0, len(currencies))
		for c, iso := range currencies {
			codes = append(codes, c+" "+iso)
		}
		slices.Sort(codes)
		return fmt.Errorf("%q is not in the customs currency table (币制代码表); use one of %s", s, strings.Join(codes, ", "))
	}
	return nil
}

// checkForm checks that s has exactly n characters, each accepted by ok.
// kinds names the accepted characters in the message; example (optional)
// is appended to it.
func checkForm(s, what string, n int, ok func(byte) bool, kinds, example string) error {
	expect := fmt.Sprintf("expected exactly %d %s", n, kinds)
	if example != "" {
		expect += " (" + example + ")"
	}
	if s == "" {
		return fmt.Errorf("the %s is empty: %s", what, expect)
	}
	if len(s) != n || !allOf(s, ok) {
		return fmt.Errorf("%q is not a %s: %s", s, what, expect)
	}
	return nil
}

// allOf reports whether every byte of s satisfies ok. Multi-byte UTF-8
// sequences never do, since ok accepts ASCII only.
func allOf(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool        { return c >= '0' && c <= '9' }
func isUpper(c byte) bool        { return c >= 'A' && c <= 'Z' }
func isDigitOrUpper(c byte) bool { return isDigit(c) || isUpper(c) }

// IDNumberLength is the length of a 居民身份证号码 (resident identity card
// number).
const IDNumberLength = 18

// idWeights are the GB 11643-1999 weights of the first 17 digits of a
// 居民身份证号码: 2^(18−i) mod 11 for position i = 1…17.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character.
const idCheckChars = "10X98765432"

// CheckIDNumber checks an 18-character 居民身份证号码 (resident identity card
// number, GB 11643-1999): 17 digits and a check character that is a digit
// or an upper-case X, which must equal the ISO 7064 MOD 11-2 check
// character of the first 17 digits (IDCheckChar). It does not check the
// region code or the birth date inside the number.
func CheckIDNumber(s string) error {
	const what = "居民身份证号码"
	const expect = "expected 17 digits and a check character (a digit or an upper-case X)"
	if s == "" {
		return fmt.Errorf("the %s is empty: %s", what, expect)
	}
	if n := utf8.RuneCountInString(s); n != IDNumberLength {
		return fmt.Errorf("%q is not a %s: %s, got %d characters", s, what, expect, n)
	}
	want, err := IDCheckChar(s[:IDNumberLength-1])
	if err != nil {
		return fmt.Errorf("%q is not a %s: %s", s, what, expect)
	}
	got := s[IDNumberLength-1]
	if got == 'x' {
		return fmt.Errorf("%q is not a %s: the check character must be an upper-case X", s, what)
	}
	if !isDigit(got) && got != 'X' {
		return fmt.Errorf("%q is not a %s: %s", s, what, expect)
	}
	if got != want {
		return fmt.Errorf("%q is not a valid %s: its check character (the 18th) is %q, but the first 17 digits give %q (GB 11643-1999); check the number for a typing error", s, what, got, want)
	}
	return nil
}

// IDCheckChar computes the GB 11643-1999 check character of the first 17
// digits of a 居民身份证号码: ISO 7064 MOD 11-2, the sum of the digits
// weighted 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, taken mod 11, indexes
// "10X98765432".
func IDCheckChar(first17 string) (byte, error) {
	if len(first17) != IDNumberLength-1 || !allOf(first17, isDigit) {
		return 0, fmt.Errorf("%q is not the first 17 digits of a 居民身份证号码: expected exactly 17 digits", first17)
	}
	sum := 0
	for i := range IDNumberLength - 1 {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], nil
}
