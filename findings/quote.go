package findings

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// QuoteName makes a name from the data (an object key, a member path, a
// JSON path) safe to print on a terminal, the way git quotes paths: a name
// with no byte that needs it is returned as it is; any other is put in
// double quotes, with \a \b \t \n \v \f \r \" \\ for those characters and
// the octal escape of each byte (\033 for ESC) for other control
// characters, invalid UTF-8, and characters a terminal would not show as
// themselves (C1 controls, which some terminals obey as escape sequences,
// and bidirectional overrides). Printable Unicode is kept, as git does
// with core.quotePath off. Without it an escape sequence in a file name
// would colour, clear or rewrite the screen, and a newline would print a
// row of its own.
func QuoteName(s string) string {
	if !needsQuote(s) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			octal(&b, s[i])
		case r < utf8.RuneSelf && strings.IndexByte(`"\`, byte(r)) >= 0:
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		case r < utf8.RuneSelf && cEscape(byte(r)) != 0:
			b.WriteByte('\\')
			b.WriteByte(cEscape(byte(r)))
		case !printable(r):
			for j := range size {
				octal(&b, s[i+j])
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

func needsQuote(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || r == '"' || r == '\\' || !printable(r) {
			return true
		}
		i += size
	}
	return false
}

// printable: a character that shows as itself. The space is; tabs and
// line breaks are not (they would break the table's rows and columns).
func printable(r rune) bool { return r == ' ' || unicode.IsPrint(r) }

func cEscape(c byte) byte {
	switch c {
	case '\a':
		return 'a'
	case '\b':
		return 'b'
	case '\t':
		return 't'
	case '\n':
		return 'n'
	case '\v':
		return 'v'
	case '\f':
		return 'f'
	case '\r':
		return 'r'
	}
	return 0
}

func octal(b *strings.Builder, c byte) {
	b.WriteByte('\\')
	b.WriteByte('0' + c>>6)
	b.WriteByte('0' + c>>3&7)
	b.WriteByte('0' + c&7)
}

// EscapeInvalidUTF8 keeps a name's invalid UTF-8 bytes as \xNN escapes
// (a file name in Latin-1, a zip member named in CP437), where JSON would
// write each as U+FFFD and so give distinct names one key. Valid text,
// backslashes included, is returned as it is: only a name that holds the
// text \xNN as such could then meet an escaped one.
func EscapeInvalidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteString(`\x`)
			b.WriteByte("0123456789abcdef"[s[i]>>4])
			b.WriteByte("0123456789abcdef"[s[i]&15])
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
