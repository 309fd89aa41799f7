package identifiers

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// The address finder's scan. Most digit runs in text are no postal code:
// prose has one every hundred bytes or so, nearly all with lower case
// words either side ("costs 65849 resolved"). The scan flags the words
// (eight bytes) of a chunk that hold a digit, then looks at the digits of
// each for those where a country's form can begin, and tries a run only
// when the cheap conditions that its forms need hold. Each condition is
// necessary for the form it guards (addressAt fails without it), so the
// scan reports what trying every run would. With SIMD, a pass of 32
// bytes a step (addrLanesSIMD) flags those digits instead, for all but
// the text's first and last bytes, and tests more of the conditions.

// addrChunk is how many bytes the scan tests for digits before it looks
// closer: the test has no branch, its result is one bit for each eight
// bytes, and the chunk stays in the L1 cache while its digits' lanes are
// looked at.
const addrChunk = 512

// addrBlocks is how many blocks of 32 bytes the SIMD pass tests for
// digits before it looks closer: a chunk of 2 KiB, still in the L1 cache
// when the lanes are walked, whose blocks' bits fill a word.
const addrBlocks = 64

// addressScan is the state of one findAddresses call.
type addressScan struct {
	text  []byte
	emit  func(start, end int)
	floor int // where the last address ended: the next may not reach back past it
	next  int // runs that start before next were tried, or lie in an address
}

// findAddresses reports the mailing addresses in text.
func findAddresses(text []byte, emit func(start, end int)) {
	a := addressScan{text: text, emit: emit}
	q := 0
	if haveSIMD {
		q = a.blocks()
	}
	for ; q+addrChunk <= len(text); q += addrChunk {
		a.words(q, digitWords((*[addrChunk]byte)(text[q:])))
	}
	// The last words, fewer than a chunk's: all of them.
	a.words(q, 1<<((len(text)-q+7)/8)-1)
}

// blocks scans text with the SIMD pass, a chunk at a time, and returns
// where it stopped (a multiple of 32, where the words may go on). The
// first 32 bytes, whose lanes would read before the text, are words'.
func (a *addressScan) blocks() int {
	text := a.text
	if len(text) < 32+32*addrBlocks+2 {
		return 0
	}
	a.words(0, 0xF)
	var masks [addrBlocks]uint64
	q := 32
	for ; q+32*addrBlocks+2 <= len(text); q += 32 * addrBlocks {
		for set := addrLanesSIMD(text, q, &masks); set != 0; set &= set - 1 {
			b := bits.TrailingZeros64(set)
			a.lanes(q+32*b, uint32(masks[b]), uint32(masks[b]>>32))
		}
	}
	return q
}

// lanes tries the lanes of text[q:q+32] that addrLanesSIMD flagged, as
// anchors does those of eight bytes.
func (a *addressScan) lanes(q int, region, other uint32) {
	text := a.text
	for m := region | other; m != 0; m &= m - 1 {
		k := q + bits.TrailingZeros32(m)
		if other&(m&-m) == 0 && !regionCodeAt(text, k) {
			continue
		}
		a.try(k)
	}
}

// regionLanes returns the digits (bit c for byte c) of 32 bytes that
// may begin a code after a state or province as regionMayEnd needs one:
// after a space after a word that begins with an ASCII capital after a
// space. It is given the spaces and capitals of the 64 bytes that end
// with the 32 (bit c for byte c-32), and looks at words as runs of bytes
// other than spaces, capitals as bytes of 0x40–0x5F: a superset of
// regionMayEnd's (a run of letters after a space is a run of non-spaces).
// A word that reaches back past the 64 bytes may begin with a capital.
func regionLanes(digits uint32, spaces, capitals uint64) uint32 {
	words := ^spaces
	starts := capitals & (spaces << 1)
	// Adding a word's first bit to the word carries it to the byte after
	// the word: that byte's bit is set only for words that begin at a
	// start. A word at bit 0 gets a carry of its own.
	after := (words + starts + words&1) &^ words
	return digits & uint32(after>>31)
}

// digitWords flags the eight-byte words of c that hold a digit.
func digitWords(c *[addrChunk]byte) uint64 {
	var words uint64
	for k := range addrChunk / 8 {
		d := digitLanes(binary.LittleEndian.Uint64(c[8*k:]))
		words |= (d | -d) >> 63 << k
	}
	return words
}

// words tries the digits that anchorAt accepts in the words of text
// from q flagged in words (bit k for text[q+8k:q+8k+8]). Lanes of eight
// bytes read one to three bytes before or after a word give each digit's
// neighbours; their byte classes are the cheapest supersets of
// anchorAt's, by the top three bits of a byte: "letters" are 0x40 and up,
// "capitals" 0x40–0x5F.
func (a *addressScan) words(q int, words uint64) {
	text := a.text
	for ; words != 0; words &= words - 1 {
		p := q + 8*bits.TrailingZeros64(words)
		if p < 3 || p+10 > len(text) {
			// The lanes would reach past the text: byte by byte.
			for e := min(p+8, len(text)); p < e; p++ {
				if isDigit(text[p]) && anchorAt(text, p) {
					a.try(p)
				}
			}
			continue
		}
		w := (*[13]byte)(text[p-3:]) // one bounds check for the loads
		digits := digitLanes(binary.LittleEndian.Uint64(w[3:]))
		if digits == 0 {
			continue
		}
		before := spaceLanes(binary.LittleEndian.Uint64(w[2:]))
		x := binary.LittleEndian.Uint64(w[1:])
		letters2 := (x | x<<1) & high
		x = binary.LittleEndian.Uint64(w[4:])
		upper1 := x << 1 &^ (x << 2) &^ x & high
		space1 := spaceLanes(x)
		x = binary.LittleEndian.Uint64(w[5:])
		upperOrHigh2 := (x<<1&^(x<<2) | x) & high
		// region: digits after a space after a letter; other: digits
		// before a capital, or before a space and a capital or a byte of
		// 0x80 and up.
		region := digits & before & letters2
		other := digits & (upper1 | space1&upperOrHigh2)
		if region|other != 0 {
			a.anchors(p, region, other)
		}
	}
}

// anchors tries the lanes of text[q:q+8] that words flagged.
func (a *addressScan) anchors(q int, region, other uint64) {
	text := a.text
	if region != 0 && q >= 16 && !capitalNear(text, q) {
		region = 0
	}
	for m := region | other; m != 0; m &= m - 1 {
		lane := m & -m
		k := q + bits.TrailingZeros64(m)/8
		// The commonest lane by far: a number after a word, which is a
		// state or province only if regionMayEnd says so. Its first test
		// is made here, where it is cheapest.
		if other&lane == 0 && !regionCodeAt(text, k) {
			continue
		}
		a.try(k)
	}
}

// regionCodeAt reports whether the digit run that begins at text[k],
// after a space after a byte of 0x40 or more (k >= 3), may be a code
// that addressAt finds after a state or province: it has four or five
// digits, codeEnds may hold after it, and regionMayEnd holds. A run of
// another length, or one that goes on as a decimal or a word, is a code
// of no form that needs a region: the other forms' runs are other lanes.
func regionCodeAt(text []byte, k int) bool {
	if !regionEnds.has(text[k-3], text[k-2]) {
		return false
	}
	j := k
	for j < len(text) && j-k < 6 && isDigit(text[j]) {
		j++
	}
	if j-k != 4 && j-k != 5 {
		return false
	}
	if j < len(text) {
		if c := text[j]; c < utf8.RuneSelf && isWordByte(c) || c == '.' && j+1 < len(text) && isDigit(text[j+1]) {
			return false
		}
	}
	return regionMayEnd(text, k)
}

// capitalNear reports whether a word before a digit of text[q:q+8] may
// begin with an ASCII capital, as regionMayEnd needs: a capital (or a
// byte of 0x40–0x5F) lies within the 22 bytes from q-16 to q+6, or the
// word is long and all of text[q-16:q-8] are letters (0x40 and up).
func capitalNear(text []byte, q int) bool {
	w := (*[22]byte)(text[q-16:])
	x0 := binary.LittleEndian.Uint64(w[0:])
	x1 := binary.LittleEndian.Uint64(w[8:])
	x2 := binary.LittleEndian.Uint64(w[14:])
	capitals := (x0<<1&^(x0<<2)&^x0 | x1<<1&^(x1<<2)&^x1 | x2<<1&^(x2<<2)&^x2) & high
	return capitals != 0 || (x0|x0<<1)&high == high
}

// anchorAt reports whether the digit text[k] may be where a form's code
// begins or ends: the first digit of a run after a state or province,
// a digit before a capital (a UK or Canadian code's), or the last digit
// of a run before a space and a place ("12345 City").
func anchorAt(text []byte, k int) bool {
	if k+1 < len(text) && isUpper(text[k+1]) {
		return true
	}
	if k+2 < len(text) && text[k+1] == ' ' && (isUpper(text[k+2]) || text[k+2] >= 0x80) {
		return true
	}
	return regionMayEnd(text, k)
}

// digitLanes flags (in bit 7 of each byte) the ASCII digits of x.
func digitLanes(x uint64) uint64 {
	l := x & low7
	return (l + ones*(0x80-'0')) &^ (l + ones*(0x80-'9'-1)) &^ x & high
}

// spaceLanes flags the spaces of x.
func spaceLanes(x uint64) uint64 { return byteLanes(x, ' ') }

// byteLanes flags (in bit 7 of each byte) the bytes of x that are c,
// exactly: a lane's sum stays within it.
func byteLanes(x uint64, c byte) uint64 {
	y := x ^ ones*uint64(c)
	return ^((y&low7 + low7) | y) & high
}

// try tries the digit run around text[k] once: runs that began before
// a.next were tried already, or lie in an address found.
func (a *addressScan) try(k int) {
	text := a.text
	i := k
	for i > 0 && isDigit(text[i-1]) {
		i--
	}
	if i < a.next {
		return
	}
	j := k + 1
	for j < len(text) && isDigit(text[j]) {
		j++
	}
	a.next = j
	if s, t, ok := addressAt(text, i, j, a.floor); ok {
		a.emit(s, t)
		a.floor = t
		a.next = max(j, t)
	}
}

// regionMayEnd reports what regionBefore needs to find a state or
// province before the code at i: a space at i-1 after a word of letters
// (isLetter) that begins with an ASCII capital after a space, whose last
// two bytes may end a region (regionEnds) and which, if it is ASCII, has
// the length and first and last letters of a region's last word
// (regionWords).
func regionMayEnd(text []byte, i int) bool {
	e := i - 1 // the space
	if e < 2 || text[e] != ' ' || !regionEnds.has(text[e-2], text[e-1]) {
		return false
	}
	if e >= 8 {
		// The last byte before the word, among the eight before e.
		y := binary.LittleEndian.Uint64(text[e-8:])
		letters, _, _ := letterLanes(y)
		if nonLetters := ^letters & high; nonLetters != 0 {
			top := 63 - bits.LeadingZeros64(nonLetters) // bit 7 of that byte
			v := y >> (top - 7)
			if byte(v) != ' ' || !isUpper(byte(v>>8)) {
				return false
			}
			n := (63 - top) / 8
			return y>>(top+1)&high != 0 || regionWords.has(n, byte(v>>8), text[e-1])
		}
	}
	k := e
	ascii := true
	for k > 0 && isLetter(text[k-1]) {
		k--
		ascii = ascii && text[k] < 0x80
	}
	return k >= 1 && k < e && text[k-1] == ' ' && isUpper(text[k]) && (!ascii || regionWords.has(e-k, text[k], text[e-1]))
}

// wordShapes is a set of word lengths (1 to 15) with first and last
// letters, of either case.
type wordShapes [16][27]uint32

func (w *wordShapes) add(word string) {
	if n := len(word); n > 0 && n < len(w) {
		w[n][letterSlot(word[0])] |= 1 << letterSlot(word[n-1])
	}
}

// has reports whether a word of n bytes from first to last may be in the
// set; every word of 16 bytes or more may.
func (w *wordShapes) has(n int, first, last byte) bool {
	return n >= len(w) || w[n][letterSlot(first)]&(1<<letterSlot(last)) != 0
}

// regionWords are the shapes of the codes, and of the last words of the
// names, of the states and provinces regionBefore finds.
var regionWords = func() *wordShapes {
	var w wordShapes
	for _, k := range slices.Concat(keysOf(usZIP), keysOf(caFirst), keysOf(auPostcodes),
		keysOf(usStateNames), keysOf(caProvinceNames), keysOf(auStateNames)) {
		w.add(k[strings.LastIndexByte(k, ' ')+1:])
	}
	return &w
}()

// bytePairs is a set of pairs of bytes.
type bytePairs [256 * 256 / 64]uint64

func (p *bytePairs) add(x, y byte) { k := int(x)<<8 | int(y); p[k/64] |= 1 << (k % 64) }
func (p *bytePairs) has(x, y byte) bool {
	k := int(x)<<8 | int(y)
	return p[k/64]&(1<<(k%64)) != 0
}

// regionEnds are the last two bytes of every state or province that
// regionBefore can find, as the text may spell them: a code's two last
// capitals (or a space and a one-letter code), a name's two last letters
// in either case, and any pair with a byte of 0x80 or more, which may
// fold to a letter of a name.
var regionEnds = func() *bytePairs {
	var p bytePairs
	words := slices.Concat(keysOf(usZIP), keysOf(caFirst), keysOf(auPostcodes),
		keysOf(usStateNames), keysOf(caProvinceNames), keysOf(auStateNames))
	for x := range 256 {
		for y := range 256 {
			if x >= 0x80 || y >= 0x80 {
				p.add(byte(x), byte(y))
			}
		}
	}
	for _, w := range words {
		e := w[max(0, len(w)-2):]
		if len(e) < 2 {
			e = " " + e // a word of one letter after its space
		}
		for _, x := range caseVariants(e[0]) {
			for _, y := range caseVariants(e[1]) {
				p.add(x, y)
			}
		}
	}
	return &p
}()

func keysOf[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// caseVariants returns c, and its other case if it is an ASCII letter.
func caseVariants(c byte) []byte {
	if isLetterASCII(c) {
		return []byte{c | 0x20, c &^ 0x20}
	}
	return []byte{c}
}
