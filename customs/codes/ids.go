package codes

import (
	"fmt"
	"strings"
	"unicode/utf8"
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
// digits, the 8-digit tariff line and 2 additional digits (§1.3).
func CheckHSCode(s string) error {
	return checkForm(s, "商品编码", 10, isDigit, "digits", "the 8-digit tariff line and 2 additional digits")
}

// CheckUnit checks a customs unit-of-measure code (计量单位代码): exactly 3
// digits, e.g. "035" 千克, "007" 个, "011" 件.
func CheckUnit(s string) error {
	return checkForm(s, "计量单位代码", 3, isDigit, "digits", `e.g. "035" 千克, "007" 个, "011" 件`)
}

// CheckCountry checks a country or region code (国别(地区)代码): either 3
// upper-case letters (e.g. "CHN") or 3 digits (e.g. "142"), not a mix.
func CheckCountry(s string) error {
	const what = "国别(地区)代码"
	const expect = `expected 3 upper-case letters (e.g. "USA") or 3 digits (e.g. "502")`
	if s == "" {
		return fmt.Errorf("the %s is empty: %s", what, expect)
	}
	if len(s) == 3 && (allOf(s, isDigit) || allOf(s, isUpper)) {
		return nil
	}
	return fmt.Errorf("%q is not a %s: %s", s, what, expect)
}

// CurrencyCNY is the customs currency code (币制) of the renminbi.
const CurrencyCNY = "142"

// CurrencyUSD is the customs currency code (币制) of the US dollar.
const CurrencyUSD = "502"

// CheckCurrency checks a customs currency code (币制): exactly 3 digits, e.g.
// "142" CNY, "502" USD.
func CheckCurrency(s string) error {
	return checkForm(s, "币制代码", 3, isDigit, "digits", `e.g. "142" CNY, "502" USD`)
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
