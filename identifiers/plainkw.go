package identifiers

// Plain-number keywords: with Macie's whole catalogue, a few keyword rules
// have patterns that fit any ordinary number (a card security code is any
// three or four digits, an expiry year any 20xx). Run shapes (viable.go)
// cannot turn those away, so every number in prose would have the keyword
// blocks around it searched for all ~1,800 keyword variants. Their own
// keywords are few, and begin with few pairs of letters ("ca", "cv",
// "ex", ...): a scan for those pairs, thirty-two bytes at a time with SIMD
// (simd_amd64.go) and eight without, over the windows of the numbers, tells
// far more cheaply whether one can be near.

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// Limits on the plain-number rules: more rules or more first pairs would
// make the pair scan cost what the block search does.
const (
	plainMaxRules   = 8
	plainMaxDigrams = 6
)

// plainProbes are ordinary numbers in prose. A keyword rule whose pattern
// fits one of them (in its digit-blind form: see structure) is a
// plain-number rule.
var plainProbes = []string{"In 2017 we", "shipped 472 units", "on 12 May", "page 7 of"}

// plainKeywords finds the keywords of the plain-number rules.
type plainKeywords struct {
	// rules are the Engine's indexes of the plain-number rules; cheap
	// are those and the free rules: a run whose viable rules are all
	// cheap needs no block search.
	rules []int
	cheap ruleSet
	// distance and kwLen are the longest of their keyword distances and
	// keyword variants: how far from a value to look.
	distance, kwLen int
	// kw finds their keyword variants; bits[v] are the plain rules
	// (bits by position in rules) that variant v serves.
	kw   kwIndex
	bits []uint8
	// pairs[0][k] and pairs[1][k] are the first two bytes of some variant
	// (loosely folded: see loose); each pair once.
	pairs [2][]byte
	// same[i] is, for a rule with the keywords of a plain rule (another
	// entry of its ID, found by an anchor), that rule's bit; 0 for others.
	same []uint8
}

// plainSets finds the plain-number rules and prepares their keyword scan.
// It leaves e.plain nil when there are none, or too many rules or first
// pairs for the scan to pay, or a variant the pair scan cannot find (one
// byte long, or beginning with a byte other than a letter).
func (e *Engine) plainSets() {
	if e.viableRep == nil {
		return
	}
	p := &plainKeywords{cheap: newRuleSet(len(e.rules))}
	p.cheap.or(e.free)
	for _, i := range e.byDigits {
		r := e.rules[i]
		if r.Keyword != KeywordRequired || e.free.has(i) {
			continue
		}
		re := r.structure()
		if re == nil {
			re = r.re
		}
		if slices.ContainsFunc(plainProbes, re.MatchString) {
			p.rules = append(p.rules, i)
			p.cheap.add(i)
			p.distance, p.kwLen = max(p.distance, r.Distance), max(p.kwLen, r.kwLen)
		}
	}
	if len(p.rules) == 0 || len(p.rules) > plainMaxRules {
		return
	}
	index := map[string]int{}
	pairs := map[[2]byte]bool{}
	var variants []string
	for k, i := range p.rules {
		for _, kw := range e.rules[i].Keywords {
			for _, v := range keywordVariants(kw) {
				if len(v) < 2 || !isLetter(v[0]) {
					return
				}
				n, ok := index[v]
				if !ok {
					n = len(variants)
					index[v] = n
					variants = append(variants, v)
					p.bits = append(p.bits, 0)
				}
				p.bits[n] |= 1 << k
				if pair := [2]byte{v[0] | 0x20, v[1] | 0x20}; !pairs[pair] {
					pairs[pair] = true
					p.pairs[0], p.pairs[1] = append(p.pairs[0], pair[0]), append(p.pairs[1], pair[1])
				}
			}
		}
	}
	if len(pairs) > plainMaxDigrams {
		return
	}
	p.kw = newKWIndex(variants)
	p.same = make([]uint8, len(e.rules))
	for i, r := range e.rules {
		for k, j := range p.rules {
			if r.Keyword == KeywordRequired && slices.Equal(r.Keywords, e.rules[j].Keywords) {
				p.same[i] |= 1 << k
			}
		}
	}
	e.plain = p
}

// plainNear reports whether a keyword of rule i may start in text[lo:hi]:
// false only when the rule has a plain rule's keywords and the pair scan
// finds none of them there. It spares the block search around the
// candidates of a rule whose anchor is common in prose (an expiry field's
// "exp", as in "expected").
func (e *Engine) plainNear(i, lo, hi int, st *scanState) bool {
	if e.plain == nil || e.plain.same[i] == 0 || lo >= hi ||
		st.blocks[lo/kwBlockSize].done && st.blocks[(hi-1)/kwBlockSize].done {
		return true // where the blocks are searched, their hits cost less
	}
	return e.plain.near(st.text, lo, hi, &st.plain)&e.plain.same[i] != 0
}

// scan appends to hits the keyword variants of the plain rules that start
// a word in text[from:to], in order.
func (p *plainKeywords) scan(text []byte, from, to int, hits []plainHit) []plainHit {
	hit := func(v, start, _ int) {
		if n := len(hits); n > 0 && hits[n-1].start == start {
			hits[n-1].rules |= p.bits[v]
			return
		}
		hits = append(hits, plainHit{start, p.bits[v]})
	}
	check := func(c int) {
		if keywordStartsWord(text, c) && p.kw.mayBegin(text, c) != 0 {
			p.kw.at(text, c, hit)
		}
	}
	var masks [64]uint32
	q := maskRounds(from, masks[:], func(q int) int { return pairMasksSIMD(text, q, to, p.pairs[0], p.pairs[1], masks[:]) }, check)
	// Eight positions at a time: those whose byte and the next (each
	// loosely folded) may be a variant's first two, each pair's bytes
	// repeated in the eight lanes of a word.
	var firsts, seconds [plainMaxDigrams]uint64
	n := len(p.pairs[0])
	for k := range n {
		firsts[k], seconds[k] = ones*uint64(p.pairs[0][k]), ones*uint64(p.pairs[1][k])
	}
	for ; q+8 <= to && q+9 <= len(text); q += 8 {
		x := binary.LittleEndian.Uint64(text[q:]) | ones*0x20
		y := binary.LittleEndian.Uint64(text[q+1:]) | ones*0x20
		var m uint64
		for k := range n {
			// A lane is zero where both bytes match. The borrow of the
			// zero test can flag a lane above a zero one too, which
			// only adds a candidate that the index turns away.
			z := x ^ firsts[k] | y ^ seconds[k]
			m |= (z - ones) &^ z
		}
		for m &= high; m != 0; m &= m - 1 {
			check(q + bits.TrailingZeros64(m)/8)
		}
	}
	for ; q < to; q++ {
		if p.kw.first[text[q]] && keywordStartsWord(text, q) {
			p.kw.at(text, q, hit)
		}
	}
	return hits
}

// plainHit is a keyword of the plain-number rules: where it starts, and
// the rules it serves (bits by position in plainKeywords.rules).
type plainHit struct {
	start int
	rules uint8
}

// plainState is what a scan state keeps of the pair scan: the stretch of
// text scanned, from and to, and the hits in it, in order. Runs come in
// order, so the windows of a text's numbers extend one stretch; the
// anchors' candidates (plainNear) come before them, so the numbers'
// windows extend it back once. front is scratch for that.
type plainState struct {
	from, to int
	hits     []plainHit
	front    []plainHit
}

// plainAhead is how far past a window the pair scan goes when it must
// go on, with SIMD: one call for the windows of many numbers, not one
// each. Without, the scan costs enough a byte that scanning only the
// windows (and, in dropPlain, only the exact ones) is cheaper.
const plainAhead = 4 << 10

// near returns the plain rules with a keyword starting in text[lo:hi],
// scanning what of it has not been scanned (and beyond).
func (p *plainKeywords) near(text []byte, lo, hi int, ps *plainState) uint8 {
	switch {
	case lo > ps.to:
		// Past the stretch: start a new one.
		ps.from, ps.to, ps.hits = lo, lo, ps.hits[:0]
	case lo < ps.from:
		// Behind it: scan back to lo (the stretch the anchors' look-ups
		// began, which the numbers' windows then reach from the text's
		// start), rather than scan it all again.
		ps.front = p.scan(text, lo, ps.from, ps.front[:0])
		ps.hits = slices.Insert(ps.hits, 0, ps.front...)
		ps.from = lo
	}
	if hi > ps.to {
		end := hi
		if haveSIMD {
			end = min(max(hi, ps.to+plainAhead), len(text))
		}
		ps.hits = p.scan(text, ps.to, end, ps.hits)
		ps.to = end
	}
	k, _ := slices.BinarySearchFunc(ps.hits, lo, func(h plainHit, lo int) int { return h.start - lo })
	var rules uint8
	for ; k < len(ps.hits) && ps.hits[k].start < hi; k++ {
		rules |= ps.hits[k].rules
	}
	return rules
}

// index returns the position of rule i among the plain-number rules, or
// -1 (also when there are none).
func (p *plainKeywords) index(i int) int {
	if p == nil {
		return -1
	}
	return slices.Index(p.rules, i)
}

// dropPlain returns, of the digit groups groups, those of the rules of v
// (a run shape's entry) less the plain-number rules that plainKept turns
// away, and those rules. The rule set is st.live, valid until the next
// call, and nil when no group is left.
func (e *Engine) dropPlain(a, b int, v *viableEntry, groups uint64, st *scanState) (uint64, ruleSet) {
	kept := e.plainKept(a, b, st)
	g := v.fixed
	for m := v.plain & kept; m != 0; m &= m - 1 {
		g |= 1 << e.groupOf[e.plain.rules[bits.TrailingZeros8(m)]]
	}
	if groups &= g; groups == 0 {
		// Most numbers in prose: no set to copy.
		return 0, nil
	}
	return groups, e.withPlain(v, kept, st)
}

// withPlain returns the rules of v less its plain-number rules not in
// kept (bits by position in plainKeywords.rules), in st.live.
func (e *Engine) withPlain(v *viableEntry, kept uint8, st *scanState) ruleSet {
	live := st.live
	copy(live, v.rules)
	for m := v.plain &^ kept; m != 0; m &= m - 1 {
		i := e.plain.rules[bits.TrailingZeros8(m)]
		live[i/64] &^= 1 << (i % 64)
	}
	return live
}

// plainKept returns the plain-number rules (bits by position in
// plainKeywords.rules) with a keyword within their distance of the run
// text[a:b], or among the structural names of a part it crosses.
func (e *Engine) plainKept(a, b int, st *scanState) uint8 {
	p, text := e.plain, st.text
	// With SIMD, first the bytes that the characters within the
	// distance can span at most: mostly no keyword is there, and the
	// characters need not be counted. Without, the wider window's scan
	// costs more than the count.
	reach := (p.distance + 1) * utf8.UTFMax
	var near uint8
	if !haveSIMD || p.near(text, max(a-reach-p.kwLen, 0), min(b+reach, len(text)), &st.plain) != 0 {
		lo := max(runesBack(text, a, p.distance+1)-p.kwLen, 0)
		near = p.near(text, lo, runesForward(text, b, p.distance+1), &st.plain)
	}
	return near | e.plainNamed(a, b, st)
}

// plainNamed returns the plain-number rules (bits by position in
// plainKeywords.rules) with a keyword among the structural names of a
// part that the run text[a:b] crosses.
func (e *Engine) plainNamed(a, b int, st *scanState) uint8 {
	var named uint8
	for k, i := range e.plain.rules {
		if e.namedIn(i, a, b, st) {
			named |= 1 << k
		}
	}
	return named
}

// unnamed reports whether the text has no structural names at all (plain
// text: one context, empty), so no keyword can be among them.
func (st *scanState) unnamed() bool {
	return len(st.contexts) == 1 && len(st.contexts[0]) == 0
}

// namedIn reports whether one of rule i's keywords is among the structural
// names of a part the run text[a:b] crosses.
func (e *Engine) namedIn(i, a, b int, st *scanState) bool {
	if st.unnamed() {
		return false
	}
	for pi := st.partAt(a); pi >= 0 && pi < len(st.parts) && st.parts[pi].Start < b; pi++ {
		if s := e.ctxSet(st.parts[pi].Ctx, st); s != nil && s.has(i) {
			return true
		}
	}
	return false
}
