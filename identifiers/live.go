package identifiers

// Live rules: with Macie's whole catalogue nearly every digit rule needs a
// keyword, and most runs of digits have none of theirs nearby. The Engine
// then works out once per candidate run which rules a keyword can reach
// there (a bitmask, from the keyword blocks around it and the part's
// structural names), and walks only the digit groups that have one.

import (
	"math/bits"
	"slices"
	"unicode/utf8"
)

// ruleSet is a set of the Engine's rules, a bit per rule.
type ruleSet []uint64

func newRuleSet(n int) ruleSet { return make(ruleSet, (n+63)/64) }

func (s ruleSet) has(i int) bool { return s[i/64]>>(i%64)&1 != 0 }
func (s ruleSet) add(i int)      { s[i/64] |= 1 << (i % 64) }

// or adds the members of t.
func (s ruleSet) or(t ruleSet) {
	for k := range s {
		s[k] |= t[k]
	}
}

// and keeps only the members of t.
func (s ruleSet) and(t ruleSet) {
	for k := range s {
		s[k] &= t[k]
	}
}

// outside reports whether s has a rule that t lacks.
func (s ruleSet) outside(t ruleSet) bool {
	for k := range s {
		if s[k]&^t[k] != 0 {
			return true
		}
	}
	return false
}

// meets reports whether s and t share a rule.
func (s ruleSet) meets(t ruleSet) bool {
	for k := range s {
		if s[k]&t[k] != 0 {
			return true
		}
	}
	return false
}

// reach is how many bytes from a value one of rule i's keywords can start
// and still be within its distance: Distance+1 characters of up to four
// bytes each, and the longest keyword.
func (e *Engine) reach(i int) int {
	return (e.rules[i].Distance+1)*utf8.UTFMax + e.rules[i].kwLen
}

// liveSets prepares the Engine's masks: the rules a keyword cannot rule
// out by block (those that need none, and those whose keywords may lie
// further than a neighbouring block), and the reach of the rest.
func (e *Engine) liveSets() {
	e.free = newRuleSet(len(e.rules))
	for i, r := range e.rules {
		reach := e.reach(i)
		switch {
		case r.Keyword != KeywordRequired || reach > kwBlockSize:
			e.free.add(i)
		default:
			e.nearReach = max(e.nearReach, reach)
		}
	}
	e.groupOf = make([]int, len(e.rules))
	for i := range e.groupOf {
		e.groupOf[i] = -1
	}
	for g := range e.digitGroups {
		grp := &e.digitGroups[g]
		grp.mask = newRuleSet(len(e.rules))
		for _, i := range grp.rules {
			grp.mask.add(i)
			e.groupOf[i] = g
		}
	}
	e.groupMasks = len(e.digitGroups) <= 64
	if e.groupMasks {
		e.groupTables()
	}
}

// groupTables fills the Engine's bitmask tables of the digit groups (at
// most 64): which groups each byte, digit count, length and stretch
// admits, which hold all ten digits, and which have a free rule.
func (e *Engine) groupTables() {
	for g := range e.digitGroups {
		grp := &e.digitGroups[g]
		bit := uint64(1) << g
		all := true
		for c := range 256 {
			if grp.class[c] {
				e.groupClass[c] |= bit
			} else if '0' <= c && c <= '9' {
				all = false
			}
		}
		if all {
			e.allDigitGroups |= bit
		}
		if grp.mask.meets(e.free) {
			e.freeGroups |= bit
		}
		// A threshold over 64 is filed under 64: the tables may let a
		// group through that its own checks then turn away.
		for n := range e.ndGroups {
			if min(grp.minDigits, 64) <= n {
				e.ndGroups[n] |= bit
			}
			if min(grp.minLen, 64) <= n {
				e.lenGroups[n] |= bit
			}
			if min(grp.minStretch, 64) <= n {
				e.stretchGroups[n] |= bit
			}
		}
	}
}

// groupsFor returns the digit groups whose thresholds a run with nd digits,
// length n and longest stretch of digits stretch meets (when there are at
// most 64 groups).
func (e *Engine) groupsFor(nd, n, stretch int) uint64 {
	return e.ndGroups[min(nd, 64)] & e.lenGroups[min(n, 64)] & e.stretchGroups[min(stretch, 64)]
}

// groupsOf returns the digit groups of the rules a keyword pattern
// serves, as a bitmask (0 without groupMasks).
func (e *Engine) groupsOf(pattern int) uint64 {
	var m uint64
	for _, r := range e.kwRefs[pattern] {
		if g := e.groupOf[r]; g >= 0 && e.groupMasks {
			m |= 1 << g
		}
	}
	return m
}

// liveAround returns the rules that can match in the run text[a:b], and
// their digit groups (a bitmask, with groupMasks): the free ones, those
// with a keyword among the structural names of a part the run crosses, and
// those with a keyword in the blocks within reach (searched on first
// need). The rule set is st.live, valid until the next call.
func (e *Engine) liveAround(a, b int, st *scanState) (uint64, ruleSet) {
	groups, live := e.freeGroups, st.live
	copy(live, e.free)
	for pi := st.partAt(a); pi >= 0 && pi < len(st.parts) && st.parts[pi].Start < b; pi++ {
		if c := st.parts[pi].Ctx; e.ctxSet(c, st) != nil {
			live.or(st.ctxKW[c])
			groups |= st.ctxGroups[c]
		}
	}
	lo, hi := max(a-e.nearReach, 0), min(b+e.nearReach, len(st.text))
	for bi := lo / kwBlockSize; bi*kwBlockSize < hi; bi++ {
		blk := e.block(bi, st)
		live.or(blk.rules)
		groups |= blk.groups
	}
	return groups, live
}

// liveIn returns, of the digit groups a superset run text[a:b] admits by
// its digits, length and stretch, those with a rule that can match there,
// and those rules (st.live, valid until the next call): the rules whose
// pattern fits the run's shape (viable.go) and that are free, or have a
// keyword within reach (liveAround). The blocks around the run are
// searched only when a viable rule needs a keyword.
func (e *Engine) liveIn(a, b int, groups uint64, st *scanState) (uint64, ruleSet) {
	// Where the blocks around the run have been searched already (a
	// table's numbers, or a rule whose values are everywhere), their rule
	// masks cost less than the run's shape; and the shape may be unknown
	// (viableIn's ok).
	lo, hi := max(a-e.nearReach, 0), min(b+e.nearReach, len(st.text))
	searched := st.blocks[lo/kwBlockSize].done && st.blocks[(hi-1)/kwBlockSize].done
	var v *viableEntry
	ok := false
	if !searched {
		if v, ok = e.viableIn(a, b, groups, st); ok {
			if v.leads {
				v = e.dropLeads(a, b, v, st)
			}
			// Viable rules that need a keyword share one search of the
			// blocks around the run: letting one or two look in their
			// own windows instead was slower on tables (measured on
			// BenchmarkEngineRecCSV), each window's look costing more
			// than a block's rule mask.
			if groups &= v.groups; !v.keyed {
				return groups, v.rules
			}
			// When the rules that need a keyword all fit plain numbers,
			// a scan for their own keywords is enough.
			if v.plainly {
				return e.dropPlain(a, b, v, groups, st)
			}
			if lg, live, ok := e.dropAlone(a, b, v, st); ok {
				return groups & lg, live
			}
		}
	}
	lg, live := e.liveAround(a, b, st)
	if ok {
		live.and(v.rules)
	}
	return groups & lg, live
}

// liveRanges returns, in order and merged, the stretches of text where
// rule i can have a keyword within reach, each widened by pad bytes: the
// parts whose structural names hold one of its keywords, and the blocks
// that hold one, with the rule's reach either side. It searches every
// block.
func (e *Engine) liveRanges(i, pad int, st *scanState) []span {
	out := st.ranges[:0]
	named := false
	for c := range st.contexts {
		if s := e.ctxSet(c, st); s != nil && s.has(i) {
			named = true
		}
	}
	if named {
		for pi, p := range st.parts {
			if e.ctxNear(i, pi, st) {
				out = append(out, span{p.Start, p.End})
			}
		}
	}
	reach := e.reach(i) + pad
	for bi := range st.blocks {
		if e.block(bi, st).mayHave(i) {
			out = append(out, span{bi*kwBlockSize - reach, (bi+1)*kwBlockSize + reach})
		}
	}
	if named {
		slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	}
	merged := out[:0]
	for _, s := range out {
		s.start, s.end = max(s.start-pad, 0), min(s.end+pad, len(st.text))
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	st.ranges = merged
	return merged
}

// Limits on dropAlone: a run far from the last that needed a keyword
// (sparseGap bytes), with at most aloneMaxRules viable rules that need a
// keyword and are not plain-number rules.
const (
	sparseGap     = 4 * kwBlockSize
	aloneMaxRules = 2
)

// dropAlone returns, for a run text[a:b] with shape entry v, the rules of
// v less those that need a keyword and have none near, and their digit
// groups, when it can tell that more cheaply than a search of the blocks
// around the run: where runs that need a keyword are sparse (prose's
// numbers, unlike a table's, seldom share a block), and the run's viable
// rules that need one are few. Each such rule's window is checked for a
// word that begins like one of its keywords (kwStarts), which turns away
// nearly every window at a fraction of a block search's cost: the blocks
// are searched only for the rare rule that passes. The rule set is
// st.live, valid until the next call; ok is false when the blocks must be
// searched.
func (e *Engine) dropAlone(a, b int, v *viableEntry, st *scanState) (groups uint64, live ruleSet, ok bool) {
	last := st.needAt
	st.needAt = a
	if a-last < sparseGap {
		return 0, nil, false
	}
	cheap := e.free
	if e.plain != nil {
		cheap = e.plain.cheap
	}
	var alone [aloneMaxRules]int
	n := 0
	for k, w := range v.rules {
		for m := w &^ cheap[k]; m != 0; m &= m - 1 {
			i := k*64 + bits.TrailingZeros64(m)
			if n == aloneMaxRules || e.rules[i].starts == nil {
				return 0, nil, false
			}
			alone[n] = i
			n++
		}
	}
	if e.plain != nil && v.plain != 0 {
		live = e.withPlain(v, e.plainKept(a, b, st), st)
	} else {
		live = st.live
		copy(live, v.rules)
	}
	for _, i := range alone[:n] {
		// The window a keyword within the rule's distance can start
		// in, counted in characters: in ASCII text a quarter of the
		// bytes that four-byte characters would span.
		r := e.rules[i]
		lo := max(runesBack(st.text, a, r.Distance+1)-r.kwLen, 0)
		hi := runesForward(st.text, b, r.Distance+1)
		if !e.namedIn(i, a, b, st) && !startsIn(st.text, lo, hi, r.starts) {
			live[i/64] &^= 1 << (i % 64)
		}
	}
	return e.groupsIn(live, nil), live, true
}

// groupsIn returns the digit groups of the rules of s that are not in
// except (which may be nil), as a bitmask.
func (e *Engine) groupsIn(s, except ruleSet) uint64 {
	var groups uint64
	for k, w := range s {
		if except != nil {
			w &^= except[k]
		}
		for ; w != 0; w &= w - 1 {
			if g := e.groupOf[k*64+bits.TrailingZeros64(w)]; g >= 0 {
				groups |= 1 << g
			}
		}
	}
	return groups
}
