package identifiers

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// The NAME finder's skipping: a name can only start at a capital that
// begins a word (nameStart). Capitals are a few per cent of prose, so
// findNames flags the bytes that may start a name a chunk at a time, in a
// loop that calls nothing (a call costs the SIMD loop its constants),
// and then walks the flags. The same pass flags the small letters (ASCII
// and Latin-1), which tell most capitalised words' ends (loneWord)
// without a byte loop.

// asciiBoundary holds the ASCII bytes after which nameBoundaryBefore lets
// a name start.
var asciiBoundary = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = nameBoundaryBefore([]byte{byte(c), 'A'}, 1)
	}
	return t
}()

// isNameStart reports whether findNames looks for a name at text[q]: an
// upper case Latin letter after a name boundary (nameBoundaryBefore: the
// text's start, white space, punctuation, or a quotation mark or no-break
// space that opens a name, as in «Émile Zola»).
func isNameStart(text []byte, q int) bool {
	c := text[q]
	if c < utf8.RuneSelf {
		return isUpper(c) && nameBoundaryBefore(text, q)
	}
	if !maybeLatinUpper(text[q:]) {
		return false
	}
	_, up := latinUpperAt(text, q)
	return up && nameBoundaryBefore(text, q)
}

// nameChunk is how many bytes one pass of nameScan.fill flags: small
// enough for the flags to stay on the stack and in the L1 cache.
const nameChunk = 4096

// nameScan holds, for the bytes of text[from:to], one bit a byte (bit
// q-from, in 64-bit words): in starts a superset of the name starts
// (isNameStart), and in small the bytes of small letters (isSmallAt). No
// bit is set for a byte at or past to in the word that holds to.
type nameScan struct {
	// One word past the chunk's, never written (0), lets smallBits read
	// the word after any of the chunk's.
	starts, small [nameChunk/64 + 1]uint64
	from, to      int
}

// isSmallAt reports whether text[i] is a byte of a small letter that
// loneWord passes over: an ASCII one, or one of Latin-1 (ß-ÿ but ÷, 0xC3
// and a byte of 0x9F-0xBF but 0xB7), either of its two bytes.
func isSmallAt(text []byte, i int) bool {
	c := text[i]
	if c < utf8.RuneSelf {
		return isLower(c)
	}
	if c == 0xc3 {
		return i+1 < len(text) && isSmallLatin1(text[i+1])
	}
	return i > 0 && text[i-1] == 0xc3 && isSmallLatin1(c)
}

// isSmallLatin1 reports whether 0xC3 and c are a small letter of Latin-1.
func isSmallLatin1(c byte) bool { return c-0x9f <= 0xbf-0x9f && c != 0xb7 }

// fill flags text[from:to], from > 0 (the scans read the byte before)
// and to-from <= nameChunk.
func (f *nameScan) fill(text []byte, from, to int) {
	f.from, f.to = from, to
	f.fillWords(text, nameScanSIMD(text, from, to, (*[nameChunk / 64]uint64)(f.starts[:]), (*[nameChunk / 64]uint64)(f.small[:])))
}

// fillWords is fill's portable part: it flags the bytes from the n-th
// word on.
func (f *nameScan) fillWords(text []byte, n int) {
	from, to := f.from, f.to
	// Eight bytes at a time, with few operations, a superset of the
	// starts: bytes of 0x40-0x5F (the capitals and "@[\]^_") and the first
	// bytes of Latin capitals of two bytes or more (0xC3-0xC9, 0xE1:
	// maybeLatinUpper), unless the byte before is one of 0x40-0x57 and
	// 0x60-0x77 (most letters, and no byte after which a name starts).
	for ; n*64 < to-from; n++ {
		var starts, small uint64
		for k := 0; k < 64; k += 8 {
			i := from + n*64 + k
			if i+8 > to {
				// The last few bytes, one at a time.
				for ; i < to; i++ {
					c := text[i]
					bit := uint64(1) << (i - from - n*64)
					if c&0xE0 == 0x40 || c-0xC3 <= 0xC9-0xC3 || c == 0xE1 {
						starts |= bit
					}
					if isSmallAt(text, i) {
						small |= bit
					}
				}
				break
			}
			w := binary.LittleEndian.Uint64(text[i:])
			p := binary.LittleEndian.Uint64(text[i-1:]) // each byte's predecessor
			// Shifting left by k moves bit 7-k of each byte to its bit 7,
			// where the flags are read.
			upperish := w << 1 &^ (w | w<<2)         // 010xxxxx
			letterish := p << 1 &^ (p | p<<3&(p<<4)) // 01x0xxxx, 01x10xxx
			a := w & low7
			// 0xC3-0xC9 (high bytes whose low seven bits are 0x43-0x49)
			// and 0xE1.
			latin := (a+ones*(0x80-0x43))&^(a+ones*(0x80-0x4A))&w&high | byteLanes(w, 0xE1)
			starts |= highBits((upperish|latin)&^letterish) << k
			small |= highBits((a+ones*(0x80-'a'))&^(a+ones*(0x80-'z'-1))&^w) << k
			if w&high != 0 {
				if i+9 <= len(text) {
					x := binary.LittleEndian.Uint64(text[i+1:]) // each byte's successor
					small |= highBits(latinSmallLanes(p, w, x)) << k
				} else {
					// Latin-1's small letters, a byte at a time.
					for b := range 8 {
						if text[i+b] >= utf8.RuneSelf && isSmallAt(text, i+b) {
							small |= 1 << (k + b)
						}
					}
				}
			}
		}
		f.starts[n], f.small[n] = starts, small
	}
}

// latinSmallLanes flags (in bit 7 of each byte) the bytes of w that are
// either byte of a small letter of Latin-1 (isSmallAt), given each byte's
// predecessor p and successor x: 0xC3 before a byte of 0x9F-0xBF but
// 0xB7, and that byte after 0xC3. No lane's sums reach another's.
func latinSmallLanes(p, w, x uint64) uint64 {
	tail := func(v uint64) uint64 {
		a := v & low7
		return (a + ones*(0x80-0x1F)) &^ (a + ones*(0x80-0x40)) & v & high &^ byteLanes(v, 0xB7)
	}
	return byteLanes(w, 0xC3)&tail(x) | byteLanes(p, 0xC3)&tail(w)
}

// highBits gathers the top bits of x's eight bytes into a byte, the
// lowest byte's in bit 0: each moves by a distinct product term, and no
// two terms meet, so nothing carries.
func highBits(x uint64) uint64 {
	return (x & high >> 7 * 0x0102040810204080) >> 56
}

// smallBits returns the small letters' flags of the 64 bytes from
// f.from+off (off < f.to-f.from), the first in bit 0. The flags of bytes
// at or past f.to may be stale.
func (f *nameScan) smallBits(off uint) uint64 {
	k := off >> 6 & (nameChunk/64 - 1)
	return f.small[k]>>(off&63) | f.small[k+1]<<(64-off&63)
}

// smallEnd is smallRun(text, i), read from the flags when the run ends
// before f.to.
func (f *nameScan) smallEnd(text []byte, i int) int {
	if off := uint(i - f.from); off < uint(f.to-f.from) {
		if n := bits.TrailingZeros64(^f.smallBits(off)); n < 64 && i+n < f.to {
			return i + n
		}
	}
	return smallRun(text, i)
}

// smallRun returns the end of the run of bytes of small letters, ASCII
// and Latin-1 (isSmallAt), at i.
func smallRun(text []byte, i int) int {
	for {
		i = asciiLowerRun(text, i)
		if i >= len(text) || !isSmallAt(text, i) {
			return i
		}
		i++
	}
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
