package identifiers

// Keyword search: where the Engine looks for keywords near a candidate, and
// how it measures their distance.

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// fold lower-cases an ASCII letter.
func fold(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func digram(a, b byte) int { return int(fold(a))<<8 | int(fold(b)) }

// kwBlock is the unit of lazy keyword search: the keyword occurrences that
// start in one block of text (only those that start a word).
const kwBlockSize = 256

type kwHit struct {
	pattern    int32
	start, end int32
}

type kwBlock struct {
	done bool
	hits []kwHit
	// rules has bit i set when a hit serves rule i, so most checks need
	// not look at the hits (a word per 64 rules).
	rules []uint64
	// groups are the digit groups of those rules (Engine.groupOf).
	groups uint64
}

// mayHave reports whether the block can hold a hit for rule i.
func (b *kwBlock) mayHave(i int) bool { return b.rules[i/64]&(1<<(i%64)) != 0 }

// forKeywords calls fn with each occurrence of one of rule i's keywords
// that starts in [lo, hi) and ends by maxEnd, in order, until fn returns
// false. Blocks of text are searched on first need.
func (e *Engine) forKeywords(i, lo, hi, maxEnd int, st *scanState, fn func(kwHit) bool) {
	if len(e.kwRefs) == 0 {
		return
	}
	lo, hi = max(lo, 0), min(hi, len(st.text))
	for bi := lo / kwBlockSize; bi*kwBlockSize < hi; bi++ {
		blk := e.block(bi, st)
		if !blk.mayHave(i) {
			continue
		}
		for _, h := range blk.hits {
			if int(h.start) < lo || int(h.start) >= hi || int(h.end) > maxEnd || !slices.Contains(e.kwRefs[h.pattern], int32(i)) {
				continue
			}
			if !fn(h) {
				return
			}
		}
	}
}

// block returns the keyword occurrences starting in block bi, searching it
// if this is the first time.
func (e *Engine) block(bi int, st *scanState) *kwBlock {
	blk := &st.blocks[bi]
	if blk.done {
		return blk
	}
	blk.done = true
	st.searched++
	start := bi * kwBlockSize
	end := min(start+kwBlockSize, len(st.text))
	e.kw.find(st.text, start, end, func(pattern, s, t int) {
		blk.hits = append(blk.hits, kwHit{int32(pattern), int32(s), int32(t)})
		for _, r := range e.kwRefs[pattern] {
			blk.rules[r/64] |= 1 << (r % 64)
		}
		blk.groups |= e.groupsOf(pattern)
	})
	return blk
}

// kwIndex finds keyword variants where they start a word. Only a word
// start can begin a keyword (keywordStartsWord), so rather than run an
// automaton over every byte, it tests each word start's first four bytes
// (loosely folded: see loose4) against a bitmap of the keywords' first
// four (or their first two or three, for keywords that short), and
// compares only the few keywords hashed to the same bucket. Macie's whole
// catalogue has about 1,800 variants, many sharing their first two bytes
// ("co", "nu"), so the first four are what tell them apart; on prose about
// one word start in thirty passes the bitmap.
type kwIndex struct {
	first    [256]bool    // first bytes of the variants, in both cases
	byByte   [256][]int32 // one-byte variants
	variants [][]byte     // lower case
	// quads and triples are bitmaps of the hashed first four bytes of the
	// variants of four bytes or more, and of the three-byte ones; pairs of
	// the two-byte ones, indexed by the two bytes themselves.
	quads, pairs, triples [1 << kwFilterBits / 64]uint64
	// buckets holds the variants of two bytes or more by the hash of their
	// first (up to) four bytes: those of bucket h are
	// ids[offs[h]:offs[h+1]].
	offs []int32
	ids  []int32
	// key8 are each variant's first eight bytes (fewer for a shorter one),
	// loosely folded (see loose): a bucket's variants often share their
	// first four ("driver licence", "driver_licence", ...), and this tells
	// most of them apart with one compare.
	key8 []uint64
	// letters says every variant begins with a letter, so only the word
	// starts that findLetters picks out eight bytes at a time can begin
	// one.
	letters bool
}

// kwFilterBits and kwBucketBits size kwIndex's bitmaps (8 KiB each) and
// its bucket table.
const (
	kwFilterBits = 16
	kwBucketBits = 13
)

// loose reads the first n (up to eight) bytes of b with bit 0x20 set in
// each, which lower-cases ASCII letters and maps other bytes consistently:
// the same for text and keywords, so it can only over-report, and a hit is
// checked exactly.
func loose(b []byte, n int) uint64 {
	var k uint64
	for i := range n {
		k |= uint64(b[i]|0x20) << (8 * i)
	}
	return k
}

func loose4(b []byte, n int) uint32 { return uint32(loose(b, n)) }

// lowBytes masks the first n (up to eight) bytes of a word.
func lowBytes(n int) uint64 { return ^uint64(0) >> (64 - 8*min(n, 8)) }

// kwHash spreads a loose prefix over bits bits.
func kwHash(k uint32, bits int) uint32 { return (k * 0x9E3779B1) >> (32 - bits) }

func setBit(m []uint64, h uint32)      { m[h/64] |= 1 << (h % 64) }
func hasBit(m []uint64, h uint32) bool { return m[h/64]>>(h%64)&1 != 0 }

// prefixLen is how many of a variant's first bytes kwIndex hashes it by.
func prefixLen(v []byte) int { return min(len(v), 4) }

func newKWIndex(variants []string) kwIndex {
	x := kwIndex{letters: true}
	nb := 1 << kwBucketBits
	count := make([]int32, nb+1)
	for _, v := range variants {
		b := []byte(v)
		x.variants = append(x.variants, b)
		x.letters = x.letters && isLetter(b[0])
		x.first[b[0]] = true
		if l := b[0] | 0x20; l >= 'a' && l <= 'z' {
			x.first[l], x.first[l&^0x20] = true, true
		}
		x.key8 = append(x.key8, loose(b, min(len(b), 8)))
		if len(b) == 1 {
			continue
		}
		k := loose4(b, prefixLen(b))
		switch len(b) {
		case 2:
			setBit(x.pairs[:], k)
		case 3:
			setBit(x.triples[:], kwHash(k, kwFilterBits))
		default:
			setBit(x.quads[:], kwHash(k, kwFilterBits))
		}
		count[kwHash(k, kwBucketBits)+1]++
	}
	x.offs = make([]int32, nb+1)
	for h := 1; h <= nb; h++ {
		x.offs[h] = x.offs[h-1] + count[h]
	}
	x.ids = make([]int32, x.offs[nb])
	fill := slices.Clone(x.offs[:nb])
	for p, b := range x.variants {
		if len(b) == 1 {
			x.byByte[fold(b[0])] = append(x.byByte[fold(b[0])], int32(p))
			continue
		}
		h := kwHash(loose4(b, prefixLen(b)), kwBucketBits)
		x.ids[fill[h]] = int32(p)
		fill[h]++
	}
	return x
}

// find calls fn for each variant occurrence that starts a word at an offset
// in [from, to) of text; it may run past to.
func (x *kwIndex) find(text []byte, from, to int, fn func(pattern, start, end int)) {
	p := from
	if x.letters {
		p = x.findLetters(text, from, to, fn)
	}
	for ; p < to; p++ {
		if x.first[text[p]] && keywordStartsWord(text, p) {
			x.at(text, p, fn)
		}
	}
}

// findLetters does find's work eight bytes at a time, when every keyword
// begins with a letter (see wordStarts). It returns where it stopped,
// fewer than eight bytes before to.
func (x *kwIndex) findLetters(text []byte, from, to int, fn func(pattern, start, end int)) int {
	// With SIMD, the word starts of up to 256 bytes at a time, as masks.
	var masks [kwBlockSize / 32]uint32
	p := maskRounds(from, masks[:], func(q int) int { return wordStartMasksSIMD(text, q, to, masks[:]) }, func(q int) {
		if lens := x.mayBegin(text, q); lens != 0 {
			x.atLens(text, q, lens, fn)
		}
	})
	ws := newWordStarts(text, p)
	for ; p+8 <= to; p += 8 {
		for starts := ws.next(text, p); starts != 0; starts &= starts - 1 {
			q := p + bits.TrailingZeros64(starts)/8
			if lens := x.mayBegin(text, q); lens != 0 {
				x.atLens(text, q, lens, fn)
			}
		}
	}
	return p
}

// allLens is the mask of prefix lengths (bit n for n bytes) that at tries.
const allLens = 1<<2 | 1<<3 | 1<<4

// mayBegin is the first test of at: which prefix lengths of text[p:] (bit
// n for n bytes) begin a variant of two bytes or more, by the bitmaps of
// their beginnings; 0 says none can.
func (x *kwIndex) mayBegin(text []byte, p int) uint {
	if p+4 > len(text) {
		return allLens // near the end: let at look
	}
	k := binary.LittleEndian.Uint32(text[p:]) | 0x20202020
	var lens uint
	if hasBit(x.quads[:], kwHash(k, kwFilterBits)) {
		lens |= 1 << 4
	}
	if hasBit(x.triples[:], kwHash(k&0xFFFFFF, kwFilterBits)) {
		lens |= 1 << 3
	}
	if hasBit(x.pairs[:], k&0xFFFF) {
		lens |= 1 << 2
	}
	return lens
}

// kwStarts says which (case-folded) two- and three-byte beginnings a set
// of keywords has: a position whose bytes begin none of them starts no
// keyword. It ignores one-byte keywords (their owners have no kwStarts).
type kwStarts struct {
	// digrams has a bit per first two bytes; trigrams one per hash of the
	// first three of longer keywords; pairs marks the digrams that are
	// whole (two-byte) keywords, which need no third byte.
	digrams, trigrams, pairs [1 << 16 / 64]uint64
	// other says some keyword begins with a byte that is not a letter,
	// so word starts found by letter lanes are not all there is.
	other bool
}

func (k *kwStarts) add(v []byte) {
	if len(v) < 2 {
		return
	}
	k.other = k.other || !isLetter(v[0])
	d := digram(v[0], v[1])
	k.digrams[d/64] |= 1 << (d % 64)
	if len(v) == 2 {
		k.pairs[d/64] |= 1 << (d % 64)
	} else {
		h := trigram(d, fold(v[2]))
		k.trigrams[h/64] |= 1 << (h % 64)
	}
}

// at reports whether text[p:] can begin one of the keywords.
func (k *kwStarts) at(text []byte, p int) bool {
	if p+1 >= len(text) {
		return false
	}
	d := digram(text[p], text[p+1])
	if k.digrams[d/64]&(1<<(d%64)) == 0 {
		return false
	}
	if k.pairs[d/64]&(1<<(d%64)) != 0 {
		return true
	}
	if p+2 >= len(text) {
		return false
	}
	h := trigram(d, fold(text[p+2]))
	return k.trigrams[h/64]&(1<<(h%64)) != 0
}

// wordStarts finds, eight bytes at a time, where a letter begins a word
// (keywordStartsWord): a letter after a non-letter, or an upper case
// letter after a lower case one.
type wordStarts struct {
	// prevL and prevLow flag (in bit 7, the first lane's) whether the
	// byte before the next eight is a letter, and a lower case one.
	prevL, prevLow uint64
}

func newWordStarts(text []byte, from int) wordStarts {
	var ws wordStarts
	if from > 0 {
		if c := text[from-1]; isLetter(c) {
			ws.prevL = 0x80
			if c >= 'a' && c <= 'z' {
				ws.prevLow = 0x80
			}
		}
	}
	return ws
}

// next returns the word starts among text[p:p+8], flagged in bit 7 of
// their bytes; calls must go through the text in order, eight bytes apart.
func (ws *wordStarts) next(text []byte, p int) uint64 {
	letters, lower, upper := letterLanes(binary.LittleEndian.Uint64(text[p:]))
	starts := letters&^(letters<<8|ws.prevL) | upper&(lower<<8|ws.prevLow)
	ws.prevL, ws.prevLow = letters>>56, lower>>56
	return starts
}

// letterLanes flags (in bit 7 of each byte) which of the eight bytes of w
// are letters (isLetter: ASCII letters and every byte of 0x80 and up),
// ASCII lower case letters, and ASCII upper case ones. Each byte's sums
// stay within the byte, so no lane disturbs another.
func letterLanes(w uint64) (letters, lower, upper uint64) {
	// Adding 0x80-c to a lane's low seven bits sets its bit 7 when they
	// are c or more.
	a := w & low7
	ascii := ^w & high
	lower = (a + ones*(0x80-'a')) &^ (a + ones*(0x80-'z'-1)) & ascii
	upper = (a + ones*(0x80-'A')) &^ (a + ones*(0x80-'Z'-1)) & ascii
	return lower | upper | w&high, lower, upper
}

// at calls fn for each variant that begins at text[p], a word start.
func (x *kwIndex) at(text []byte, p int, fn func(pattern, start, end int)) {
	x.atLens(text, p, allLens, fn)
}

// atLens is at for the variants hashed by the prefix lengths in lens.
func (x *kwIndex) atLens(text []byte, p int, lens uint, fn func(pattern, start, end int)) {
	camel := p > 0 && isLower(text[p-1])
	for _, v := range x.byByte[fold(text[p])] {
		if !camel || camelEnd(text, p+1) {
			fn(int(v), p, p+1)
		}
	}
	var t8 uint64 // text[p:p+8], loosely folded
	if p+8 <= len(text) {
		t8 = binary.LittleEndian.Uint64(text[p:]) | 0x2020202020202020
	} else {
		t8 = loose(text[p:], len(text)-p)
	}
	for n := min(len(text)-p, 4); n >= 2; n-- {
		if lens&(1<<n) == 0 {
			continue
		}
		h := kwHash(loose4(text[p:], n), kwBucketBits)
		for _, v := range x.ids[x.offs[h]:x.offs[h+1]] {
			w := x.variants[v]
			if t8&lowBytes(len(w)) == x.key8[v] && prefixLen(w) == n && hasFoldPrefix(text[p:], w) && (!camel || camelEnd(text, p+len(w))) {
				fn(int(v), p, p+len(w))
			}
		}
	}
}

// trigram hashes a digram and a third (folded) byte to 16 bits.
func trigram(d int, c byte) int { return (d*0x9E5 ^ int(c)*0x3B1) & 0xFFFF }

// hasFoldPrefix reports whether text begins with w (lower case), folding
// ASCII letters only, as the keyword rules do.
func hasFoldPrefix(text, w []byte) bool {
	if len(text) < len(w) {
		return false
	}
	for k, c := range w {
		if fold(text[k]) != c {
			return false
		}
	}
	return true
}

// anyKeyword reports whether one of rule i's keywords starts in [lo, hi)
// and ends by maxEnd.
func (e *Engine) anyKeyword(i, lo, hi, maxEnd int, st *scanState) bool {
	// Sparse candidates: a check of the window's word starts against the
	// rule's keyword beginnings is cheaper than searching its blocks.
	// Dense ones: the blocks are searched once and reused, so once such
	// checks have covered half the text, stop them.
	if k := e.rules[i].starts; k != nil && !e.keywordsByBlock && st.digramBytes < len(st.text)/2 {
		lo, hi := max(lo, 0), min(hi, len(st.text))
		st.digramBytes += hi - lo
		if !startsIn(st.text, lo, hi, k) {
			return false
		}
	}
	found := false
	e.forKeywords(i, lo, hi, maxEnd, st, func(kwHit) bool { found = true; return false })
	return found
}

// startsIn reports whether a word in text[lo:hi] begins like one of the
// keywords of k.
func startsIn(text []byte, lo, hi int, k *kwStarts) bool {
	p := lo
	if !k.other {
		ws := newWordStarts(text, lo)
		for ; p+8 <= hi; p += 8 {
			for starts := ws.next(text, p); starts != 0; starts &= starts - 1 {
				if q := p + bits.TrailingZeros64(starts)/8; k.at(text, q) {
					return true
				}
			}
		}
	}
	for ; p < hi && p+1 < len(text); p++ {
		// The digram test inline, the rest of at only where it passes.
		if d := digram(text[p], text[p+1]); k.digrams[d/64]&(1<<(d%64)) != 0 &&
			keywordStartsWord(text, p) && k.at(text, p) {
			return true
		}
	}
	return false
}

// keywordNear reports whether one of rule i's keywords is within its
// distance of the value text[s:t].
func (e *Engine) keywordNear(i, s, t, pi int, st *scanState) bool {
	r := e.rules[i]
	near := false
	ps, pe := st.parts[pi].Start, st.parts[pi].End
	lo := max(runesBack(st.text, s, r.Distance+1)-r.kwLen, ps)
	hi := min(runesForward(st.text, t, r.Distance+1), pe)
	e.forKeywords(i, lo, hi, pe, st, func(k kwHit) bool {
		near = isNear(st.text, span{int(k.start), int(k.end)}, s, t, r.Distance, r.DistanceRule)
		return !near
	})
	return near
}

// asciiOnly reports whether b has no byte of 0x80 or more, eight at a time.
func asciiOnly(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&high != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// runesBack returns the offset n characters before off (or 0). It counts
// rune starts, one compare a byte; on invalid UTF-8 (stray continuation
// bytes) it reaches further back than decoding would, which is safe: it
// only bounds where keywords are looked for.
func runesBack(text []byte, off, n int) int {
	if off >= n && asciiOnly(text[off-n:off]) {
		return off - n
	}
	for off > 0 && n > 0 {
		off--
		if text[off]&0xC0 != 0x80 {
			n--
		}
	}
	return off
}

// runesForward returns the offset n characters after off (or the end),
// erring wide on invalid UTF-8 as runesBack does.
func runesForward(text []byte, off, n int) int {
	if off+n <= len(text) && asciiOnly(text[off:off+n]) {
		return off + n
	}
	for ; off < len(text); off++ {
		if text[off]&0xC0 != 0x80 {
			if n == 0 {
				return off
			}
			n--
		}
	}
	return off
}

// isNear applies the distance rule to one keyword occurrence.
func isNear(text []byte, k span, s, t, distance int, rule DistanceRule) bool {
	if rule == BeforeToEnd {
		return k.end <= s && runesBetween(text, k.end, t, distance) <= distance
	}
	switch {
	case k.end <= s:
		return runesBetween(text, k.end, s, distance) <= distance
	case k.start >= t:
		return runesBetween(text, t, k.start, distance) <= distance
	}
	return true // the keyword overlaps the value
}
