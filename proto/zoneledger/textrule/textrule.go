// Package textrule is the API's rule for the characters text may not hold:
// control, bidirectional-control and zero-width characters (Refused). Every
// string of a request is checked with it at the server's edge
// (wiretext.Check), and so is the text of every single-window message the
// server reads (customs/singlewindow), whichever way it arrives.
//
// Hand-written, in the API module, importing only the standard library, so
// that the server's edge, its message readers and its clients (zonectl
// --dry-run) share one rule; see proto/README.md.
package textrule

import "unicode/utf8"

// Refused is the API's one rule for the characters text sent to zoneledger
// (a request's strings, a single-window message's text) may not hold. It returns what r is (e.g. "ESCAPE, a C0 control
// character") when the API refuses it, or "" when r is allowed. Refused
// are:
//
//   - the C0 controls U+0000–U+001F except TAB (U+0009), LF (U+000A) and
//     CR (U+000D), DEL (U+007F) and the C1 controls U+0080–U+009F: text
//     zoneledger stores is printed back (zonectl tables, reports, exports),
//     and a control such as ESC (U+001B) starts a terminal escape sequence
//     that can recolour, hide or rewrite what an officer's terminal shows.
//     TAB, LF and CR are kept: notes and addresses hold them.
//   - the bidirectional controls U+061C, U+200E, U+200F, U+202A–U+202E and
//     U+2066–U+2069 (marks, embeddings, overrides, isolates): they reorder
//     the text shown around them ("Trojan Source"), so an identifier or a
//     report line reads differently from what it is.
//   - ZERO WIDTH SPACE (U+200B) and ZERO WIDTH NO-BREAK SPACE, the byte
//     order mark (U+FEFF): invisible, they make two part numbers, inner
//     numbers or item codes that look the same different keys.
//
// Other invisible format characters are allowed on purpose: ZERO WIDTH
// JOINER (U+200D) and NON-JOINER (U+200C) shape Indic, Arabic and Persian
// words and build emoji sequences, the variation selectors choose a CJK or
// emoji glyph, and soft hyphens and word joiners occur in pasted text; all
// of them occur in legitimate names and addresses, and none reorders text
// or drives a terminal. U+0000 is refused too, as text PostgreSQL cannot
// store (wiretext.Fault.Unstorable).
func Refused(r rune) string {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return ""
	case r >= 0 && r < 0x20:
		return c0Names[r] + ", a C0 control character"
	case r == 0x7f:
		return "DELETE, a control character"
	case r >= 0x80 && r <= 0x9f:
		return "a C1 control character"
	}
	switch r {
	case 0x061c:
		return "ARABIC LETTER MARK, a bidirectional control character"
	case 0x200e:
		return "LEFT-TO-RIGHT MARK, a bidirectional control character"
	case 0x200f:
		return "RIGHT-TO-LEFT MARK, a bidirectional control character"
	case 0x202a:
		return "LEFT-TO-RIGHT EMBEDDING, a bidirectional control character"
	case 0x202b:
		return "RIGHT-TO-LEFT EMBEDDING, a bidirectional control character"
	case 0x202c:
		return "POP DIRECTIONAL FORMATTING, a bidirectional control character"
	case 0x202d:
		return "LEFT-TO-RIGHT OVERRIDE, a bidirectional control character"
	case 0x202e:
		return "RIGHT-TO-LEFT OVERRIDE, a bidirectional control character"
	case 0x2066:
		return "LEFT-TO-RIGHT ISOLATE, a bidirectional control character"
	case 0x2067:
		return "RIGHT-TO-LEFT ISOLATE, a bidirectional control character"
	case 0x2068:
		return "FIRST STRONG ISOLATE, a bidirectional control character"
	case 0x2069:
		return "POP DIRECTIONAL ISOLATE, a bidirectional control character"
	case 0x200b:
		return "ZERO WIDTH SPACE, an invisible character"
	case 0xfeff:
		return "ZERO WIDTH NO-BREAK SPACE (byte order mark), an invisible character"
	}
	return ""
}

// c0Names are the C0 controls' names (ISO 6429 abbreviations spelt out).
var c0Names = [0x20]string{
	"NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
	"ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
	"FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE",
	"DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR",
	"NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL",
	"END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "FILE SEPARATOR", "GROUP SEPARATOR",
	"RECORD SEPARATOR", "UNIT SEPARATOR",
}

// suspect marks the bytes that can start a refused character in UTF-8:
// the C0 controls, DEL, and the lead bytes of the two-byte (C1 controls
// 0xC2 0x80–0x9F, U+061C 0xD8 0x9C) and three-byte (U+200x–U+206x 0xE2,
// U+FEFF 0xEF) sequences. Any other byte (ASCII text, CJK, emoji) is passed
// over with one table look-up.
var suspect = func() (t [256]bool) {
	for b := range 0x20 {
		t[b] = b != '\t' && b != '\n' && b != '\r'
	}
	t[0x7f], t[0xc2], t[0xd8], t[0xe2], t[0xef] = true, true, true, true, true
	return t
}()

// Index returns the byte offset of the first character of s that Refused
// names, and the character; or -1.
func Index(s string) (int, rune) {
	for i := 0; i < len(s); i++ {
		if !suspect[s[i]] {
			continue
		}
		if s[i] < 0x80 {
			return i, rune(s[i])
		}
		r, _ := utf8.DecodeRuneInString(s[i:])
		if Refused(r) != "" {
			return i, r
		}
	}
	return -1, 0
}
