package identifiers

import (
	"unicode"
	"unicode/utf8"
)

// Helpers of the hand-written finders (find_name.go, find_address.go):
// Latin letters, case and accent folding, and word-at-a-time skipping.

// isLatin reports whether r is a letter of the Latin script.
func isLatin(r rune) bool {
	return r < 0x250 && unicode.IsLetter(r) || r >= 0x1E00 && r <= 0x1EFF
}

// upperAt reports whether an upper case Latin letter starts at text[i],
// and its length in bytes.
func upperAt(text []byte, i int) (int, bool) {
	c := text[i]
	if c < utf8.RuneSelf {
		return 1, isUpper(c)
	}
	r, n := utf8.DecodeRune(text[i:])
	return n, isLatin(r) && unicode.IsUpper(r)
}

// lowerAt reports whether a lower case Latin letter starts at text[i], and
// its length in bytes.
func lowerAt(text []byte, i int) (int, bool) {
	c := text[i]
	if c < utf8.RuneSelf {
		return 1, isLower(c)
	}
	r, n := utf8.DecodeRune(text[i:])
	return n, isLatin(r) && unicode.IsLower(r)
}

// wordByteBefore reports whether the rune ending at text[i] (exclusive)
// is a letter or digit of any script, or a byte that joins words ('_').
func wordByteBefore(text []byte, i int) bool {
	if i == 0 {
		return false
	}
	if c := text[i-1]; c < utf8.RuneSelf {
		return isWordByte(c)
	}
	r, _ := utf8.DecodeLastRune(text[:i])
	return isWordRune(r)
}

// wordByteAt is wordByteBefore for the rune starting at text[i].
func wordByteAt(text []byte, i int) bool {
	if i >= len(text) {
		return false
	}
	if c := text[i]; c < utf8.RuneSelf {
		return isWordByte(c)
	}
	r, _ := utf8.DecodeRune(text[i:])
	return isWordRune(r)
}

// isWordByte is an ASCII byte of a word: a letter, a digit or '_'.
func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }

// isWordRune is a non-ASCII rune of a word: a letter or digit of any
// script, or a byte that is not UTF-8 (which may be a legacy letter).
func isWordRune(r rune) bool { return r == utf8.RuneError || unicode.IsLetter(r) || unicode.IsDigit(r) }

// lowerRun returns the end of the run of ASCII lower case letters at i.
func lowerRun(text []byte, i int) int {
	for i < len(text) && isLower(text[i]) {
		i++
	}
	return i
}

// foldAccents maps the accented Latin letters names and places use to
// their base letter, lower case.
var foldAccents = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae", 'ç': "c", 'è': "e",
	'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ñ': "n", 'ò': "o",
	'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ü': "u",
	'ý': "y", 'ÿ': "y", 'ß': "ss", 'œ': "oe", 'ł': "l", 'ś': "s", 'š': "s", 'ž': "z", 'ź': "z",
	'ż': "z", 'č': "c", 'ć': "c", 'ř': "r", 'ě': "e", 'ę': "e", 'ą': "a", 'ń': "n", 'ő': "o",
	'ű': "u", 'ğ': "g", 'ı': "i", 'ş': "s", 'ș': "s", 'ț': "t", 'ă': "a", 'đ': "d",
}

// appendFolded appends w in lower case without accents, and with the
// typographic apostrophe as ASCII's: the key of the finders' word tables.
func appendFolded(dst []byte, w []byte) []byte {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if isUpper(c) {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(w[i:])
		i += n
		if r == '’' {
			dst = append(dst, '\'')
			continue
		}
		r = unicode.ToLower(r)
		if f, ok := foldAccents[r]; ok {
			dst = append(dst, f...)
		} else {
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}
