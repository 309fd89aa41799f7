package identifiers

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// The NAME finder's skipping: a name can only start at a capital that
// begins a word (nameStart). Capitals are a few per cent of prose and
// the other bytes the finder used to stop at (every byte of 0x80 or more,
// "@[\]^_") start nothing, so findNames goes from one possible start to
// the next eight bytes at a time.

// asciiBoundary holds the ASCII bytes after which nameBoundaryBefore lets
// a name start.
var asciiBoundary = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = nameBoundaryBefore([]byte{byte(c), 'A'}, 1)
	}
	return t
}()

// isNameStart reports whether findNames looks for a name at text[q]: an
// upper case Latin letter after a name boundary (nameBoundaryBefore). A
// non-ASCII capital must follow an ASCII byte that is no word's (or begin
// the text): after a quotation mark that is not ASCII only an ASCII capital
// opens a name, which findNames has always done.
func isNameStart(text []byte, q int) bool {
	c := text[q]
	if c < utf8.RuneSelf {
		return isUpper(c) && nameBoundaryBefore(text, q)
	}
	if q > 0 && (text[q-1] >= utf8.RuneSelf || isWordByte(text[q-1])) || !maybeLatinUpper(text[q:]) {
		return false
	}
	_, up := upperAt(text, q)
	return up && nameBoundaryBefore(text, q)
}

// nameStartAt is isNameStart for a byte after the first that a scan
// flagged. Most are ASCII capitals after an ASCII byte, decided by the
// boundary table.
func nameStartAt(text []byte, q int) bool {
	if c, b := text[q], text[q-1]; c-'A' <= 'Z'-'A' && b < utf8.RuneSelf {
		return asciiBoundary[b]
	}
	return isNameStart(text, q)
}

// nextNameStart returns the first q >= i with isNameStart(text, q), or
// len(text). Eight bytes at a time it flags a superset of those q, with
// few operations and no constant but high (each 64-bit constant costs an
// instruction of its own): bytes of 0x40-0x5F (the capitals and
// "@[\]^_") and bytes of 0x80 or more that follow an ASCII byte, unless
// the byte before is one of 0x40-0x57 and 0x60-0x77 (most letters, and
// no byte after which a name starts). Each flagged byte is then checked.
func nextNameStart(text []byte, i int) int {
	if i == 0 && len(text) > 0 {
		// The loop reads the byte before its eight: the first alone.
		if isNameStart(text, 0) {
			return 0
		}
		i = 1
	}
	if q, ok := nameStartSIMD(text, i); ok {
		return q
	} else {
		i = q
	}
	for ; i+8 <= len(text); i += 8 {
		w := binary.LittleEndian.Uint64(text[i:])
		p := binary.LittleEndian.Uint64(text[i-1:]) // each byte's predecessor
		// Shifting left by k moves bit 7-k of each byte to its bit 7,
		// where the flags are read.
		upperish := w << 1 &^ (w | w<<2)         // 010xxxxx
		firstHigh := w &^ p                      // 1xxxxxxx after 0xxxxxxx
		letterish := p << 1 &^ (p | p<<3&(p<<4)) // 01x0xxxx, 01x10xxx
		cand := (upperish | firstHigh) &^ letterish & high
		for cand != 0 {
			if q := i + bits.TrailingZeros64(cand)/8; nameStartAt(text, q) {
				return q
			}
			cand &= cand - 1
		}
	}
	for ; i < len(text); i++ {
		if isNameStart(text, i) {
			return i
		}
	}
	return len(text)
}

// asciiLowerRun is lowerRun eight bytes at a time: the end of the run of
// ASCII lower case letters at i. Most words of prose are such runs.
func asciiLowerRun(text []byte, i int) int {
	for ; i+8 <= len(text); i += 8 {
		w := binary.LittleEndian.Uint64(text[i:])
		a := w & low7
		lower := (a + ones*(0x80-'a')) &^ (a + ones*(0x80-'z'-1)) &^ w & high
		if lower != high {
			return i + bits.TrailingZeros64(^lower&high)/8
		}
	}
	return lowerRun(text, i)
}
