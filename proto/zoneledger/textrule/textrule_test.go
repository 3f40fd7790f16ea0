package textrule

import (
	"testing"
	"unicode/utf8"
)

// allowedText is text the rule must let through, each with why (the edge's
// tests in ledger/grpcedge send one of each kind through the interceptor).
var allowedText = []struct{ name, s string }{
	{"TAB, LF, CR", "line 1\tA\r\nline 2\n"},
	{"CJK", "电子账册 保税核注清单"},
	{"emoji with ZWJ", "👨\u200d👩\u200d👧"},
	{"emoji with a variation selector", "❤\ufe0f"},
	{"ZWNJ in Persian", "می\u200cخواهم"},
	{"Arabic with its semicolon (lead byte of U+061C)", "مرحبا\u061b"},
	{"no-break space and soft hyphen (lead byte of the C1 controls)", "A\u00a0B\u00adC é"},
	{"word joiner and line separator (lead byte of the bidi controls)", "A\u2060B\u2028C\u2010D"},
	{"half-width forms (lead byte of U+FEFF)", "ｱｲｳ\uff01"},
	{"ASCII", "H-31050000001 'x' %s ../ 1,000"},
}

// TestRefusedIsTheDocumentedSet: the rule refuses exactly the
// documented characters (every code point checked), and its byte-level
// scan finds exactly the characters Refused names.
func TestRefusedIsTheDocumentedSet(t *testing.T) {
	documented := func(r rune) bool {
		switch {
		case r < 0x20:
			return r != '\t' && r != '\n' && r != '\r'
		case r == 0x7f, r >= 0x80 && r <= 0x9f:
			return true
		case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return true
		case r == 0x200b, r == 0xfeff:
			return true
		}
		return false
	}
	refused := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue // surrogates are not characters (invalid UTF-8)
		}
		want := documented(r)
		what := Refused(r)
		if (what != "") != want {
			t.Errorf("Refused(U+%04X) = %q, want refused %v", r, what, want)
		}
		s := "电A" + string(r) + "B"
		at, got := Index(s)
		if want && (at != len("电A") || got != r) {
			t.Errorf("Index(%q) = %d, U+%04X; want %d, U+%04X", s, at, got, len("电A"), r)
		}
		if !want && at != -1 {
			t.Errorf("Index(%q) = %d, U+%04X; want none", s, at, got)
		}
		if want {
			refused++
		}
	}
	if refused != 29+1+32+12+2 {
		t.Errorf("%d characters refused, want 76 (29 C0, DEL, 32 C1, 12 bidi, 2 zero-width)", refused)
	}
	for _, r := range []rune{-1, utf8.RuneError, utf8.MaxRune + 1} {
		if what := Refused(r); what != "" {
			t.Errorf("Refused(%d) = %q, want allowed (not a character this rule names)", r, what)
		}
	}
	for _, c := range allowedText {
		if at, r := Index(c.s); at >= 0 {
			t.Errorf("%s: %q refused at %d (U+%04X)", c.name, c.s, at, r)
		}
	}
}
