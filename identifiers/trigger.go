package identifiers

// Triggers: the cheap scans that point the Engine at the few runs of text
// where a pattern can match.

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/trawlsec/trawl/formats"
)

// byteFreq estimates how often a byte occurs in the text trawl scans
// (English prose, logs, tables, code), in occurrences per 10,000 bytes.
// Anchors are searched by their least frequent byte, and a byte every
// other word contains makes a poor trigger.
func byteFreq(c byte) int {
	const letters = "etaoinsrhldcumwfgypbvkxjqz"
	switch {
	case c >= 'a' && c <= 'z':
		// English letter frequencies, roughly: e 1000 down to z 7.
		rank := strings.IndexByte(letters, c)
		return max(1000-rank*45, 7)
	case c >= 'A' && c <= 'Z':
		return 20
	case c >= '0' && c <= '9':
		return 100
	case c == ' ':
		return 1500
	case c == '\n' || c == '.' || c == ',':
		return 120
	case c == '-' || c == '"' || c == '/' || c == ':' || c == '=' || c == '_':
		return 40
	case c >= utf8.RuneSelf:
		return 20
	}
	return 10
}

// foldFreq is byteFreq for a case-insensitive search: both cases count.
func foldFreq(c byte, fold bool) int {
	if l := c | 0x20; fold && l >= 'a' && l <= 'z' {
		return byteFreq(l) + byteFreq(l&^0x20)
	}
	return byteFreq(c)
}

// rarest returns the index of lit's least frequent byte.
func rarest(lit string, fold bool) int {
	best := 0
	for i := range len(lit) {
		if foldFreq(lit[i], fold) < foldFreq(lit[best], fold) {
			best = i
		}
	}
	return best
}

// anchorByte is one byte the anchors are searched by, and the anchors whose
// rarest byte it is (either case of it, for a case-folded anchor).
type anchorByte struct {
	b       byte
	anchors []int
	// prev, when not nil, holds the bytes that come before b in its
	// anchors ("h" of "hvs."): b after any other begins none of them.
	prev *byteSet
}

// mayBegin reports whether ab's byte at text[at] may be in one of its
// anchors, by the byte before it.
func (ab *anchorByte) mayBegin(text []byte, at int) bool {
	return ab.prev == nil || at > 0 && ab.prev[text[at-1]]
}

// groupAnchors lists the distinct search bytes of the anchors, so each
// byte is searched for once however many anchors share it ("ghp_",
// "gho_", ... all by '_'). Anchors that begin with two upper case letters
// (the country codes of IBANs, "AIza") are found instead by their first
// two bytes, in one pass for all of them (pairAnchors), which stops
// only where two capitals meet, not at every capital of every sentence.
func groupAnchors(anchors []anchor) (out []anchorByte, pairs *pairAnchors) {
	add := func(b byte, a int) {
		for k := range out {
			if out[k].b == b {
				out[k].anchors = append(out[k].anchors, a)
				return
			}
		}
		out = append(out, anchorByte{b: b, anchors: []int{a}})
	}
	// Each other anchor is searched by its least frequent byte, unless it
	// holds a byte already searched for that is not much more frequent:
	// a pass over the text costs more than the stops of a shared byte.
	// Commoner bytes choose first, so that rarer anchors can join them.
	order := make([]int, len(anchors))
	for a := range order {
		order[a] = a
	}
	slices.SortStableFunc(order, func(x, y int) int {
		ax, ay := &anchors[x], &anchors[y]
		return foldFreq(ay.lit[ay.rare], ay.fold) - foldFreq(ax.lit[ax.rare], ax.fold)
	})
	searched := func(c byte) bool {
		return slices.ContainsFunc(out, func(ab anchorByte) bool { return ab.b == c })
	}
	for _, a := range order {
		an := &anchors[a]
		if an.byPair() {
			if pairs == nil {
				pairs = &pairAnchors{}
			}
			k := pairIndex(an.lit[0], an.lit[1])
			pairs.byPair[k] = append(pairs.byPair[k], a)
			continue
		}
		own := foldFreq(an.lit[an.rare], an.fold)
		for k := range len(an.lit) {
			c := an.lit[k]
			if !isLetter(c) && searched(c) && foldFreq(c, an.fold) <= 2*own+20 {
				an.rare = k
				break
			}
		}
		c := an.lit[an.rare]
		add(c, a)
		if up := c &^ 0x20; an.fold && up >= 'A' && up <= 'Z' {
			add(up, a)
		}
	}
	for k := range out {
		out[k].prev = prevBytes(anchors, out[k].anchors)
	}
	return out, pairs
}

// prevBytes returns the bytes that come before the search byte in the
// given anchors (either case of a letter, for a case-folded anchor), or
// nil when one begins with its search byte.
func prevBytes(anchors []anchor, of []int) *byteSet {
	var set byteSet
	for _, a := range of {
		an := &anchors[a]
		if an.rare == 0 {
			return nil
		}
		set.addFold(an.lit[an.rare-1], an.fold)
	}
	return &set
}

// byPair reports whether the anchor is found by its first two bytes: it
// begins with two upper case letters, case-sensitive.
func (an *anchor) byPair() bool {
	return !an.fold && len(an.lit) >= 2 && isUpper(an.lit[0]) && isUpper(an.lit[1])
}

// pairAnchors are the anchors that begin with two upper case letters, by
// those two.
type pairAnchors struct {
	byPair [26 * 26][]int
}

func pairIndex(a, b byte) int { return int(a-'A')*26 + int(b-'A') }

// findPairAnchors records where the pair anchors occur: eight bytes at a
// time it flags the capitals followed by a capital, and looks only there.
func (e *Engine) findPairAnchors(text []byte, st *scanState) {
	var prevUpper uint64 // bit 7: the byte before these eight is a capital
	check := func(p int) { e.pairAnchorsAt(p, text, st) }
	var masks [64]uint32
	p := maskRounds(0, masks[:], func(q int) int { return capsPairMasksSIMD(text, q, len(text), masks[:]) }, check)
	for ; p+8 <= len(text); p += 8 {
		_, _, upper := letterLanes(binary.LittleEndian.Uint64(text[p:]))
		// A lane whose next lane is a capital too; the last lane's next
		// byte is the first of the next word, so that pair is checked
		// from there (prevUpper).
		if prevUpper != 0 && upper&0x80 != 0 {
			check(p - 1)
		}
		for m := upper & (upper >> 8); m != 0; m &= m - 1 {
			check(p + bits.TrailingZeros64(m)/8)
		}
		prevUpper = upper >> 56
	}
	if prevUpper != 0 && p < len(text) && isUpper(text[p]) {
		check(p - 1) // the pair across the last whole word and the tail
	}
	for ; p+1 < len(text); p++ {
		if isUpper(text[p]) && isUpper(text[p+1]) {
			check(p)
		}
	}
}

// pairAnchorsAt records the pair anchors that occur at text[p], where
// text[p] and text[p+1] are capitals.
func (e *Engine) pairAnchorsAt(p int, text []byte, st *scanState) {
	if p+1 >= len(text) {
		return
	}
	for _, k := range e.pairAnchors.byPair[pairIndex(text[p], text[p+1])] {
		a := &e.anchors[k]
		if p+len(a.lit) <= len(text) && string(text[p:p+len(a.lit)]) == a.lit {
			for _, r := range a.rules {
				st.anchors[r] = append(st.anchors[r], p)
			}
		}
	}
}

// findAnchors records, per rule, where its anchor occurs.
func (e *Engine) findAnchors(text []byte, st *scanState) {
	if haveSIMD && e.anchorFilter != nil && len(text) > 0 {
		// One pass flags the anchor bytes after the bytes their anchors
		// have before them, thirty-two at a time, where a pass per byte
		// would stop at each of them. The first byte has none before.
		// The same pass flags the capitals after a capital, for the
		// pair anchors (its filter has a bucket for them).
		pairs := e.pairAnchors != nil
		check := func(at int) {
			if k := e.anchorOf[text[at]]; k >= 0 && e.anchorBytes[k].mayBegin(text, at) {
				e.anchorsAt(&e.anchorBytes[k], at, text, st)
			}
			if pairs && at > 0 && isUpper(text[at]) && isUpper(text[at-1]) {
				e.pairAnchorsAt(at-1, text, st)
			}
		}
		check(0)
		var masks [64]uint32
		q := maskRounds(1, masks[:], func(q int) int { return anchorMasksSIMD(text, q, e.anchorFilter, masks[:]) }, check)
		for ; q < len(text); q++ {
			check(q)
		}
		return
	}
	if e.pairAnchors != nil {
		e.findPairAnchors(text, st)
	}
	for k := range e.anchorBytes {
		ab := &e.anchorBytes[k]
		// Find the rare byte, then check the literals around it: bytes.Index
		// would stop at every "e" of "eyJ" in English text.
		for off := 0; off < len(text); {
			j := bytes.IndexByte(text[off:], ab.b)
			if j < 0 {
				break
			}
			if ab.mayBegin(text, off+j) {
				e.anchorsAt(ab, off+j, text, st)
			}
			off += j + 1
		}
	}
}

// anchorsAt records the anchors searched by byte ab.b that occur with
// that byte at text[at].
func (e *Engine) anchorsAt(ab *anchorByte, at int, text []byte, st *scanState) {
	for _, k := range ab.anchors {
		a := &e.anchors[k]
		start := at - a.rare
		if start < 0 || start+len(a.lit) > len(text) {
			continue
		}
		w := text[start : start+len(a.lit)]
		if a.fold && equalFoldASCII(w, a.lit) || !a.fold && string(w) == a.lit {
			for _, r := range a.rules {
				st.anchors[r] = append(st.anchors[r], start)
			}
		}
	}
}

// maskRounds runs a SIMD pass that flags offsets as bit masks (fill, for
// up to len(masks) steps of 32 bytes from q, returning how many it did) in
// rounds from q, and calls fn with each flagged offset, in order. It
// returns where the pass stopped, for the caller's portable loop to go on
// from. The pass calls nothing, so its constants stay in registers; fn
// may call what it likes.
func maskRounds(q int, masks []uint32, fill func(q int) int, fn func(c int)) int {
	for {
		n := fill(q)
		// Two masks a step: most are empty, and the loop's own steps
		// cost more than the few flagged offsets.
		for k := 0; k < n; k += 2 {
			m := uint64(masks[k])
			if k+1 < n {
				m |= uint64(masks[k+1]) << 32
			}
			for ; m != 0; m &= m - 1 {
				fn(q + 32*k + bits.TrailingZeros64(m))
			}
		}
		if q += 32 * n; n < len(masks) {
			return q
		}
	}
}

// anchorFilter flags where a search byte of the anchors follows a byte
// that its anchors have before it, thirty-two bytes a step: a nibble
// look-up of each byte (lo, hi) and one of the byte before (plo, phi),
// each giving bucket bits, which must meet. A bucket holds some search
// bytes and the bytes their anchors have before them (any, for an anchor
// that begins with its search byte); the tables hold every byte whose
// nibbles are some member's, so the filter flags every place
// anchorByte.mayBegin accepts, and the buckets are chosen so that it
// flags few others. Each table is there twice, for the two halves of 32
// bytes that the SIMD look-up treats apart.
type anchorFilter struct{ lo, hi, plo, phi [32]byte }

// filterBucket is a set of search bytes and the bytes before them.
type filterBucket struct{ bytes, prev byteSet }

// newAnchorFilter builds the filter of the search bytes abs; with pairs,
// a bucket of it also flags the capitals after a capital, for the pair
// anchors.
func newAnchorFilter(abs []anchorByte, pairs bool) *anchorFilter {
	var buckets []filterBucket
	if pairs {
		var b filterBucket
		b.bytes.addRange('A', 'Z')
		b.prev.addRange('A', 'Z')
		buckets = append(buckets, b)
	}
	for _, ab := range abs {
		var b filterBucket
		b.bytes.add(ab.b)
		if ab.prev == nil {
			b.prev.addRange(0, 255)
		} else {
			b.prev = *ab.prev
		}
		buckets = append(buckets, b)
	}
	// Eight buckets at most: merge the pair that costs least, by how
	// often (byteFreq) the bytes it lets through that no member is occur,
	// and, when the members' bytes before differ, how often the rarer
	// members occur (their filter is weakened).
	for len(buckets) > 8 {
		bx, by, best := 0, 1, -1
		for x := range buckets {
			for y := x + 1; y < len(buckets); y++ {
				if c := mergeCost(&buckets[x], &buckets[y]); best < 0 || c < best {
					bx, by, best = x, y, c
				}
			}
		}
		buckets[bx].bytes.union(&buckets[by].bytes)
		buckets[bx].prev.union(&buckets[by].prev)
		buckets = slices.Delete(buckets, by, by+1)
	}
	var f anchorFilter
	for k := range buckets {
		bit := byte(1) << k
		for c := range 256 {
			if buckets[k].bytes[c] {
				nibbleAdd(&f.lo, &f.hi, byte(c), bit)
			}
			if buckets[k].prev[c] {
				nibbleAdd(&f.plo, &f.phi, byte(c), bit)
			}
		}
	}
	return &f
}

// mergeCost is what merging buckets x and y costs (see newAnchorFilter).
func mergeCost(x, y *filterBucket) int {
	var lo, hi [16]bool
	freq := [2]int{}
	for k, b := range []*filterBucket{x, y} {
		for c := range 256 {
			if b.bytes[c] {
				lo[c&15], hi[c>>4] = true, true
				freq[k] += byteFreq(byte(c))
			}
		}
	}
	cost := 0
	for c := range 256 {
		if lo[c&15] && hi[c>>4] && !x.bytes[c] && !y.bytes[c] {
			cost += byteFreq(byte(c))
		}
	}
	if x.prev != y.prev {
		cost += min(freq[0], freq[1])
	}
	return cost
}

// nibbleAdd puts byte c in a bucket of the nibble tables lo and hi.
func nibbleAdd(lo, hi *[32]byte, c, bucket byte) {
	for _, half := range []int{0, 16} {
		lo[half+int(c&15)] |= bucket
		hi[half+int(c>>4)] |= bucket
	}
}

// scanPositions visits the class runs of rule i around the given offsets.
func (e *Engine) scanPositions(i int, positions []int, seg *formats.Segment, st *scanState) {
	done := 0
	r := e.rules[i]
	for _, p := range positions {
		// A match that begins with the anchor must go on as its tail
		// says; a place where none can is not worth widening.
		if p >= done && (r.tail == nil || tailFits(r.tail, st.text, p+len(r.anchor))) {
			done = e.visit(i, p, seg, st)
		}
	}
}

// digitGroup is the digit rules that share one class, so each run of that
// class is found, and its digits counted, once for all of them.
type digitGroup struct {
	class                         *byteSet
	rules                         []int // by minDigits, ascending
	minDigits, minLen, minStretch int
	mask                          ruleSet // the rules
}

// groupDigitRules groups the digit rules (sorted by minDigits) by class.
func groupDigitRules(rules []*rule, byDigits []int) []digitGroup {
	var out []digitGroup
next:
	for _, i := range byDigits {
		r := rules[i]
		for k := range out {
			if *out[k].class == r.class {
				g := &out[k]
				g.rules = append(g.rules, i)
				g.minLen = min(g.minLen, r.minLen)
				g.minStretch = min(g.minStretch, r.minStretch)
				continue next
			}
		}
		out = append(out, digitGroup{class: &r.class, rules: []int{i}, minDigits: r.minDigits, minLen: r.minLen, minStretch: r.minStretch})
	}
	return out
}

// scanDigits drives the digit-bearing rules. Each digit, found eight
// bytes at a time, is widened to the run of the union of their classes
// (digits included), counting its digits on the way; a run with digits and
// length enough for one of them is split into the runs of each group's
// class, whose digits decide which rules look.
func (e *Engine) scanDigits(seg *formats.Segment, st *scanState) {
	run := func(a, b, nd, stretch int) { e.digitRun(a, b, nd, stretch, seg, st) }
	i := 0
	if haveSIMD && e.supNibbles != nil {
		var caps *capsRuns
		if e.capsNibbles != nil {
			caps = &st.caps
		}
		i = e.digitRunsMasked(st.text, run, caps)
	}
	e.digitRuns(st.text, i, run)
}

// digitRuns calls run for each superset run of text that holds a digit
// of the superset at or after i (the first run's start may be before i),
// with its bounds, its digits and its longest stretch of them.
func (e *Engine) digitRuns(text []byte, i int, run func(a, b, nd, stretch int)) {
	sup := &e.superset
	for i < len(text) {
		if i+8 <= len(text) {
			// Bytes below 10 after XOR with '0' are exactly the digits. The
			// "has a byte less than 10" test is exact for the word, and its
			// lowest flagged byte is exactly the first digit (a borrow can
			// flag only bytes above a true one), so jump there.
			x := binary.LittleEndian.Uint64(text[i:]) ^ (ones * '0')
			m := (x - ones*10) &^ x & high
			if m == 0 {
				// No digit near: a longer stride (SIMD) to the next.
				i = indexDigitSIMD(text, i+8)
				continue
			}
			i += bits.TrailingZeros64(m) / 8
		} else if text[i]-'0' > 9 {
			i++
			continue
		}
		if !sup[text[i]] {
			// A digit outside every class (a pattern that takes only 0s)
			// is in no run.
			i++
			continue
		}
		// i is the first digit of a superset run not yet seen: the run
		// began after the last one ended, so its digits (nd) and its
		// longest stretch of them (a date's or an address's are short)
		// are counted from i.
		a := i
		for a > 0 && sup[text[a-1]] {
			a--
		}
		_, b, nd, stretch := nextClassRun(text, sup, i, len(text))
		i = b
		run(a, b, nd, stretch)
	}
}

// digitRunsMasked is digitRuns with SIMD, for a superset of ASCII bytes:
// it flags the superset's bytes and the digits 4 KiB at a time, and reads
// each run's bounds, digits and longest stretch off the flags (with a
// byte loop only where a run crosses 64 bytes' flags). It returns where
// it stopped, fewer than 64 bytes before the end, past the last run.
// With caps, it also finds the long runs of capsClass in the bytes it
// flags (see capsRuns).
func (e *Engine) digitRunsMasked(text []byte, run func(a, b, nd, stretch int), caps *capsRuns) int {
	sup := &e.superset
	var in, digits, capsFlags [64]uint64
	var capsTable *[32]byte
	if caps != nil {
		capsTable, caps.on = e.capsNibbles, true
	}
	i := 0 // runs end before i
	for from := 0; ; {
		n := asciiMasksSIMD(text, from, e.supNibbles, capsTable, in[:], digits[:], capsFlags[:])
		if n == 0 {
			return max(i, from)
		}
		if caps != nil {
			caps.add(capsFlags[:n], e.capsMin)
			if len(caps.at) > 4+caps.upTo/capsSparse {
				// Long runs are everywhere (a table's numbers, where
				// the rules probe only near keywords): leave them to the
				// probe, and the pass to the digits.
				caps.on = false
				caps, capsTable = nil, nil
			}
		}
		for k := range n {
			base := from + 64*k
			if i >= base+64 {
				continue
			}
			// The digits from i on that are in the superset (all are, but
			// for a pattern that takes only some).
			m := digits[k] & in[k]
			if i > base {
				m &= ^uint64(0) << (i - base)
			}
			for m != 0 {
				off := bits.TrailingZeros64(m)
				p := base + off
				// Back over the run's bytes before its first digit.
				a := p
				// (At off 0 the shift of 64 leaves nothing below.)
				if below := ^in[k] << (64 - off); below != 0 {
					a = p - bits.LeadingZeros64(below)
				} else {
					for a > 0 && sup[text[a-1]] {
						a--
					}
				}
				var b, nd, stretch int
				if length := bits.TrailingZeros64(^(in[k] >> off)); off+length < 64 {
					b = p + length
					d := digits[k] >> off & (1<<length - 1)
					// The longest stretch: all the digits when they are
					// one stretch (most numbers, with or without the
					// spaces around them: d begins with the digit at p),
					// else as many steps as it is long.
					if nd = bits.OnesCount64(d); d&(d+1) == 0 {
						stretch = nd
					} else {
						for ; d != 0; d &= d << 1 {
							stretch++
						}
					}
				} else {
					_, b, nd, stretch = nextClassRun(text, sup, p, len(text))
				}
				i = b
				run(a, b, nd, stretch)
				if b-base >= 64 {
					break
				}
				m &= ^uint64(0) << (b - base)
			}
		}
		from += 64 * n
	}
}

// digitRun looks at the superset run text[a:b], with nd digits and a
// longest stretch of them, for the digit groups it can hold.
func (e *Engine) digitRun(a, b, nd, stretch int, seg *formats.Segment, st *scanState) {
	if nd < e.supMinDigits || b-a < e.supMin {
		return
	}
	if e.groupMasks {
		e.scanGroupsOf(a, b, nd, stretch, seg, st)
		return
	}
	var live ruleSet // the rules a keyword can reach, when worked out
	for g := range e.digitGroups {
		grp := &e.digitGroups[g]
		if nd < grp.minDigits || b-a < grp.minLen || stretch < grp.minStretch {
			continue
		}
		if e.keywordsByBlock {
			if live == nil {
				_, live = e.liveAround(a, b, st)
			}
			if !live.meets(grp.mask) {
				continue
			}
		}
		e.scanGroup(grp, a, b, live, seg, st)
	}
}

// asciiNibbles returns the table by which asciiMasksSIMD flags the bytes
// of class: for each low nibble (twice, once per 16-byte half of a
// vector), the high nibbles it makes a byte of the class with, a bit each
// (ASCII's high nibbles are 0-7). It returns nil for a class with a byte
// of 0x80 or more.
func asciiNibbles(class *byteSet) *[32]byte {
	var t [32]byte
	for c := range 256 {
		if !class[c] {
			continue
		}
		if c >= 0x80 {
			return nil
		}
		t[c&15] |= 1 << (c >> 4)
		t[16+c&15] |= 1 << (c >> 4)
	}
	return &t
}

// scanGroupsOf runs scanGroup for each digit group whose thresholds the
// superset run text[a:b] meets (and, with many keyword rules, that a
// keyword can reach), picked by bitmask.
func (e *Engine) scanGroupsOf(a, b, nd, stretch int, seg *formats.Segment, st *scanState) {
	groups := e.groupsFor(nd, b-a, stretch)
	if groups == 0 {
		return
	}
	var live ruleSet
	if e.keywordsByBlock {
		if groups, live = e.liveIn(a, b, groups, st); groups == 0 {
			return
		}
	}
	// With many keyword rules, the groups whose classes hold every digit
	// share one walk when there are several; the others walk alone. (With
	// few, the groups a run takes are few and short-lived: walking alone is
	// as fast, measured on logs and CSV.)
	if together := groups & e.allDigitGroups; e.keywordsByBlock && bits.OnesCount64(together) >= 2 {
		e.scanGroupsTogether(together, a, b, live, seg, st)
		groups &^= together
	}
	for ; groups != 0; groups &= groups - 1 {
		e.scanGroup(&e.digitGroups[bits.TrailingZeros64(groups)], a, b, live, seg, st)
	}
}

// scanGroup visits, for each rule of the group (of those in live, unless
// it is nil), the runs of the group's class in text[a:b] that have its
// digits and length.
func (e *Engine) scanGroup(g *digitGroup, a, b int, live ruleSet, seg *formats.Segment, st *scanState) {
	for q := a; q < b; {
		start, end, nd, stretch := nextClassRun(st.text, g.class, q, b)
		q = end
		if start < end && nd >= g.minDigits && end-start >= g.minLen && stretch >= g.minStretch {
			e.groupRun(g, start, end, nd, stretch, live, seg, st)
		}
	}
}

// groupRun sends the group's class run text[start:end], with nd digits and
// a longest stretch of them, to each rule of the group that takes it.
func (e *Engine) groupRun(g *digitGroup, start, end, nd, stretch int, live ruleSet, seg *formats.Segment, st *scanState) {
	// A run inside one part is the class run of each rule of the group:
	// no need to find it again per rule.
	pi := st.partAt(start)
	inPart := pi >= 0 && end <= st.parts[pi].End
	for _, i := range g.rules {
		r := e.rules[i]
		if nd < r.minDigits {
			break // the rest need even more digits
		}
		if stretch < r.minStretch || live != nil && !live.has(i) {
			continue
		}
		if inPart {
			e.tryRun(i, start, end, pi, nd, seg, st)
			continue
		}
		// One visit per part the run crosses.
		for p := start; end-start >= r.minLen && p < end; {
			p = e.visit(i, p, seg, st)
		}
	}
}

// scanGroupsTogether does scanGroup's work for several groups (bits of
// groups, each holding all ten digits) in one walk of the superset run
// text[a:b]: each byte's groups come from one table look-up, and a
// group's run is handled where its bit drops. Its digits are a difference
// of running counts, and its longest stretch the longest of the digit
// stretches that ended since it began (a stretch cannot straddle a run's
// start, whose byte before is outside the class and so no digit).
func (e *Engine) scanGroupsTogether(groups uint64, a, b int, live ruleSet, seg *formats.Segment, st *scanState) {
	text := st.text
	var start, digitsBefore, stretchesBefore [64]int
	stretches := st.stretches[:0]
	digits, cur := 0, 0
	var prev uint64
	for q := a; q <= b; q++ {
		var m uint64
		digit := false
		if q < b {
			c := text[q]
			m = e.groupClass[c] & groups
			digit = c-'0' <= 9
		}
		if !digit && cur > 0 {
			stretches = append(stretches, cur)
			cur = 0
		}
		if m != prev {
			for ended := prev &^ m; ended != 0; ended &= ended - 1 {
				k := bits.TrailingZeros64(ended)
				g := &e.digitGroups[k]
				nd := digits - digitsBefore[k]
				if nd < g.minDigits || q-start[k] < g.minLen {
					continue
				}
				stretch := 0
				for _, s := range stretches[stretchesBefore[k]:] {
					stretch = max(stretch, s)
				}
				if stretch >= g.minStretch {
					e.groupRun(g, start[k], q, nd, stretch, live, seg, st)
				}
			}
			for started := m &^ prev; started != 0; started &= started - 1 {
				k := bits.TrailingZeros64(started)
				start[k], digitsBefore[k], stretchesBefore[k] = q, digits, len(stretches)
			}
			prev = m
		}
		if digit {
			digits++
			cur++
		}
	}
	st.stretches = stretches
}

// scanLongRuns finds, for each long-run rule, the runs of its class that
// are at least as long as its shortest match, by probing every minLen-th
// byte: a byte outside the class rules out every run through it, so text
// without long runs is mostly skipped. Each rule probes with its own class
// and length: a union of them would probe more often, with a class (lower
// case letters) that every word of prose is made of.
func (e *Engine) scanLongRuns(seg *formats.Segment, st *scanState) {
	// Once the digit rules have had most blocks searched (a table's
	// numbers), the rest are searched too and a rule that needs a keyword
	// probes only where one can reach; otherwise (prose, whose numbers
	// mostly fit no pattern) it probes everywhere, and its candidates
	// look for keywords in their own windows.
	byRange := e.keywordsByBlock && 2*st.searched >= len(st.blocks)
	together := !byRange && len(e.capsLong) >= 2
	if together {
		// The runs the digit rules' pass found, then a probe of the rest:
		// from where a run it could not see whole may begin, and past
		// the last it visited.
		from := 0
		if st.caps.on {
			for _, p := range st.caps.at {
				if p >= from {
					from = e.visitCaps(p, seg, st)
				}
			}
			from = max(from, st.caps.upTo-e.capsMin+1)
		}
		probeSkipping(st.text, &e.capsClass, e.capsMin, from, len(st.text), func(p int) int {
			return e.visitCaps(p, seg, st)
		})
	}
	for _, i := range e.byLongRun {
		if !byRange || e.rules[i].Keyword != KeywordRequired {
			if !together || !slices.Contains(e.capsLong, i) {
				e.probeLongRuns(i, 0, len(st.text), seg, st)
			}
			continue
		}
		// Probe only where a keyword of the rule can reach, widened by the
		// shortest match, so that a match reaching into a live range has
		// that many bytes in the widened one.
		done := 0
		for _, rg := range e.liveRanges(i, e.rules[i].minLen, st) {
			done = e.probeLongRuns(i, max(rg.start, done), rg.end, seg, st)
		}
	}
}

// probeLongRuns visits rule i's class runs of at least its minimum length
// that have minLen bytes in text[from:to], and returns where it stopped.
func (e *Engine) probeLongRuns(i, from, to int, seg *formats.Segment, st *scanState) int {
	r := e.rules[i]
	return probeSkipping(st.text, &r.class, r.minLen, from, to, func(p int) int { return e.visit(i, p, seg, st) })
}

// probeSkipping is probeRuns, skipping with SIMD the stretches where no
// run can be: a run of at least 31 bytes holds an aligned block of 16
// free of the bytes its class lacks, and prose has a space (or, for a
// class without small letters, a small letter) in nearly every block of
// 16. It probes around the 32-byte steps that may hold such a block,
// merged when near, and after the last step; a run is visited once.
// (With shorter runs, blocks of 8 or 4, the steps that may hold one are
// so many that the byte-wise probe, which skips L bytes at a time, costs
// less.)
func probeSkipping(text []byte, class *byteSet, L, from, to int, visit func(p int) int) int {
	if !haveSIMD || L < 31 || class[' '] {
		return probeRuns(text, class, L, from, to, visit)
	}
	lower := !class.hasLower()
	seen := from // the end of the last run visited
	once := func(p int) int {
		if p < seen {
			return seen
		}
		seen = visit(p)
		return seen
	}
	hotFrom, hotTo := -1, -1 // the hot steps not yet probed around
	flush := func() {
		if hotFrom >= 0 {
			probeRuns(text, class, L, max(hotFrom-L, from), min(hotTo+L, to), once)
		}
	}
	q := hotStepsSIMD(text, from, to, lower, func(q int) {
		if hotTo >= 0 && q-hotTo > 2*L {
			flush()
			hotFrom = -1
		}
		if hotFrom < 0 {
			hotFrom = q
		}
		hotTo = q + 32
	})
	if hotFrom >= 0 && q-hotTo <= 2*L {
		q = hotFrom // near the end: probe on to it
	} else {
		flush()
	}
	return probeRuns(text, class, L, max(q-L, from), to, once)
}

// probeRuns calls visit at a byte of each run of class bytes at least L
// long that has L bytes in text[from:to], the run through text[p-L+1:p+1]
// being in the class; visit returns where the run ends. It returns where
// it stopped.
func probeRuns(text []byte, class *byteSet, L, from, to int, visit func(p int) int) int {
	noSpace := !class[' ']
	// known: text[i0:known] is already known to be in the class, so a
	// probe walks back over each byte once.
	known, i0 := from, from
	for i0+L <= to {
		p := i0 + L - 1
		if !class[text[p]] {
			i0 = p + 1
			continue
		}
		if noSpace && p >= i0+8 {
			// A space among the eight bytes up to p (most windows of
			// prose and logs have one) ends any run before it: the next
			// run starts after the last.
			if k := lastSpace(text[p-7 : p+1]); k >= 0 {
				i0 = p - 7 + k + 1
				continue
			}
		}
		a := p
		for a > max(i0, known) && class[text[a-1]] {
			a--
		}
		if a > max(i0, known) {
			// The run through p starts at a: probe again from there.
			i0, known = a, p+1
			continue
		}
		i0 = visit(p) + 1
	}
	return i0
}

// visitCaps visits, for each of the long-run rules probed together
// (capsLong), its class runs of at least its minimum length within the
// run of their classes' union through p. It returns that run's end.
func (e *Engine) visitCaps(p int, seg *formats.Segment, st *scanState) int {
	text := st.text
	a, b := p, p+1
	for a > 0 && e.capsClass[text[a-1]] {
		a--
	}
	for b < len(text) && e.capsClass[text[b]] {
		b++
	}
	for _, i := range e.capsLong {
		r := e.rules[i]
		for q := a; q < b; {
			start, end, _, _ := nextClassRun(text, &r.class, q, b)
			for q = start; end-start >= r.minLen && q < end; {
				q = e.visit(i, q, seg, st)
			}
			q = end
		}
	}
	return b
}

// Word-at-a-time constants: eight byte lanes of a uint64 hold each byte's
// 1, its high bit, and its low seven bits.
const (
	ones = 0x0101010101010101
	high = 0x8080808080808080
	low7 = 0x7F7F7F7F7F7F7F7F
)

// lastSpace returns the index of the last space in the eight bytes of w,
// or -1.
func lastSpace(w []byte) int {
	x := binary.LittleEndian.Uint64(w) ^ (ones * ' ') // spaces become zero
	// The high bit of each byte that is zero, exactly (no borrow between
	// bytes): a nonzero low part carries into it, as does a set high bit.
	zero := ^((x&low7 + low7) | x | low7)
	if zero == 0 {
		return -1
	}
	return (63 - bits.LeadingZeros64(zero)) / 8
}

// scanKeywordFirst visits rule i's class runs near its keywords, and all of
// those in parts whose structural names hold one.
func (e *Engine) scanKeywordFirst(i int, seg *formats.Segment, st *scanState) {
	r := e.rules[i]
	var ranges []span
	for pi, p := range st.parts {
		if e.ctxNear(i, pi, st) {
			ranges = append(ranges, span{p.Start, p.End})
		}
	}
	reach := r.Distance*utf8.UTFMax + 1
	around := func(h kwHit) bool {
		lo, hi := int(h.start)-reach, int(h.end)+reach
		if r.DistanceRule == BeforeToEnd {
			lo = int(h.start)
		}
		ranges = append(ranges, span{max(lo, 0), min(hi, len(st.text))})
		return true
	}
	if r.kwAnchored {
		// Only where a pair of a keyword's letters occurs, in any case
		// (rarePair): the keyword blocks there say whether a keyword
		// holds it and starts a word.
		slices.Sort(st.anchors[i])
		for _, p := range slices.Compact(st.anchors[i]) {
			// A variant that holds the pair there must be spelt out
			// around it before the blocks are searched.
			if p+1 >= len(st.text) {
				continue
			}
			pair := [2]byte{fold(st.text[p]), fold(st.text[p+1])}
			for _, kp := range r.kwPairs {
				if at := p - kp.k; kp.pair == pair && at >= 0 && hasFoldPrefix(st.text[at:], kp.v) {
					e.forKeywords(i, at, at+1, len(st.text), st, around)
				}
			}
		}
	} else {
		e.forKeywords(i, 0, len(st.text), len(st.text), st, around)
	}
	slices.SortFunc(ranges, func(a, b span) int { return a.start - b.start })
	done := 0
	for _, rg := range ranges {
		for p := max(rg.start, done); p < rg.end; p++ {
			if r.class.has(st.text[p]) {
				done = e.visit(i, p, seg, st)
				p = done
			}
		}
	}
}

// scanClass visits every run of rule i's class.
func (e *Engine) scanClass(i int, seg *formats.Segment, st *scanState) {
	r := e.rules[i]
	if r.needBytes != "" {
		// Every match holds one of the rare bytes (the @ of an e-mail
		// address), and the runs without one are dropped anyway.
		for p := 0; p < len(st.text); {
			k := bytes.IndexAny(st.text[p:], r.needBytes)
			if k < 0 {
				return
			}
			p = e.visit(i, p+k, seg, st)
		}
		return
	}
	for p := 0; p < len(st.text); p++ {
		if r.class.has(st.text[p]) {
			p = e.visit(i, p, seg, st)
		}
	}
}

// countDigits counts digits in b, stopping once it reaches enough.
func countDigits(b []byte, enough int) int {
	n := 0
	for _, c := range b {
		if c-'0' <= 9 {
			if n++; n >= enough {
				return n
			}
		}
	}
	return n
}

// equalFoldASCII reports whether w is lit (lower case ASCII) in any case
// of its letters. It agrees with bytes.EqualFold for such a lit: no other
// character of w's length folds to it.
func equalFoldASCII(w []byte, lit string) bool {
	if len(w) != len(lit) {
		return false
	}
	for k := range len(w) {
		c := w[k]
		if c-'A' < 26 {
			c += 'a' - 'A'
		}
		if c != lit[k] {
			return false
		}
	}
	return true
}
