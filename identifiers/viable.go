package identifiers

// Viable rules: with Macie's whole catalogue nearly every number in prose
// passes some digit group's thresholds (a CVV is any three or four
// digits), yet its shape ("1430.81" between two words) fits few patterns.
// Which rules' patterns can match in a run of the digit rules' classes
// depends only on the run's shape: each digit rule's widened pattern
// (widen.go), or the pattern itself when it treats all digits alike, sees
// every digit as any other. So the Engine works that out once per shape
// and looks for keywords (the dear part) only for the rules whose pattern
// fits.

import (
	"encoding/binary"
	"regexp"
)

// viableMaxRun is the longest superset run (with its byte of context each
// side) whose shape is memoised; a longer one takes the general path. It
// is no more than memoMaxWindow, so each window in the run is one that
// findAll checks by its pattern's shape.
const viableMaxRun = memoMaxWindow

// viableMaxEntries bounds a scan state's viability memo; it is emptied
// when full.
const viableMaxEntries = 4096

// viableEntry is what a run shape admits: the rules whose pattern can
// match in it, and their digit groups. With plain-number rules
// (plainkw.go), plain are those among the rules (bits by position in
// plainKeywords.rules), and fixed the groups of the others.
type viableEntry struct {
	groups uint64
	rules  ruleSet
	plain  uint8
	fixed  uint64
	// keyed says some rule needs a keyword (is not free), plainly that
	// all those are plain-number rules, leads that some rule is one of
	// the lead rules (see dropLeads). Most numbers in prose have no keyed
	// rules, or only plain-number ones: the flags spare them the set
	// operations.
	keyed, plainly, leads bool
}

// viableMemo maps run shapes to what they admit, for one scan state: an
// open-addressed table of twice viableMaxEntries slots, by a hash of the
// shape, each slot a small index into the entries (so that the table
// stays in cache).
type viableMemo struct {
	slots   []uint16 // an index into entries plus one; 0 for a free slot
	entries []shapeEntry
	trial
	key [viableMaxRun + 1]byte
}

// shapeEntry is a memoised shape and what it admits. The shape is a
// string of stand-ins, or for a short run its packed key (short, with
// shape "").
type shapeEntry struct {
	hash  uint64
	shape string
	short shortShape
	entry viableEntry
}

// shortShape is the key of a window of at most 16 bytes that has 16
// bytes of text from its start: the window's bytes with every digit made
// '0' and its bytes of context made their stand-ins, packed eight to a
// word (those past the window zero), and meta, which holds its length
// and which ends are context (never 0, so no long shape's entry has it).
// It tells apart more shapes than the stand-ins do, so shapes equal by it
// are equal by them; and it takes a few word operations where stand-ins
// take a load a byte and a loop whose length varies.
type shortShape struct{ lo, hi, meta uint64 }

// slot returns the slot of shape: its own, or the free one it would take.
func (m *viableMemo) slot(shape []byte, h uint64) *uint16 {
	for k := h; ; k++ {
		s := &m.slots[k%(2*viableMaxEntries)]
		if *s == 0 {
			return s
		}
		if x := &m.entries[*s-1]; x.hash == h && x.shape == string(shape) {
			return s
		}
	}
}

// shortSlot is slot for a short shape.
func (m *viableMemo) shortSlot(key shortShape, h uint64) *uint16 {
	for k := h; ; k++ {
		s := &m.slots[k%(2*viableMaxEntries)]
		if *s == 0 || m.entries[*s-1].short == key {
			return s
		}
	}
}

// shortKey returns the short shape of the window text[lo:hi] of the run
// text[a:b], and its hash. The caller sees that hi-lo <= 16 and
// lo+16 <= len(text).
func shortKey(text []byte, a, b, lo, hi int, rep *[256]byte) (shortShape, uint64) {
	n := hi - lo
	k := shortShape{
		lo:   digitsZeroed(binary.LittleEndian.Uint64(text[lo:])),
		hi:   digitsZeroed(binary.LittleEndian.Uint64(text[lo+8:])) & (1<<(8*max(n-8, 0)) - 1),
		meta: uint64(n) | uint64(a-lo)<<8 | uint64(hi-b)<<9,
	}
	if n < 8 {
		k.lo &= 1<<(8*n) - 1
	}
	if a > lo {
		k.lo = k.lo&^0xFF | uint64(rep[text[lo]])
	}
	if hi > b {
		// The byte of context after: in lo's word or in hi's.
		if e := 8 * uint(n-1); n <= 8 {
			k.lo = k.lo&^(0xFF<<e) | uint64(rep[text[hi-1]])<<e
		} else {
			e -= 64
			k.hi = k.hi&^(0xFF<<e) | uint64(rep[text[hi-1]])<<e
		}
	}
	const mul = 0x9E3779B97F4A7C15
	h := ((k.lo*mul^k.hi)*mul ^ k.meta) * mul
	return k, h ^ h>>32
}

// digitsZeroed returns w with each byte that is an ASCII digit made '0'.
func digitsZeroed(w uint64) uint64 { return w &^ (digitLanes(w) >> 7 * 0x0F) }

// shapeHash hashes a run shape eight bytes at a time: a multiply per
// eight, where a byte-wise hash's chain of multiplies takes as long as
// the rest of the look-up. A shape of eight bytes or more ends with its
// last eight (overlapping the word before), not a byte loop whose length
// varies from shape to shape.
func shapeHash(key []byte) uint64 {
	const mul = 0x9E3779B97F4A7C15
	h := uint64(len(key)) * mul
	var last uint64
	if len(key) >= 8 {
		last = binary.LittleEndian.Uint64(key[len(key)-8:])
		for ; len(key) > 8; key = key[8:] {
			h = (h ^ binary.LittleEndian.Uint64(key)) * mul
			h ^= h >> 29
		}
	} else {
		for k, c := range key {
			last |= uint64(c) << (8 * k)
		}
	}
	h = (h ^ last) * mul
	return h ^ h>>32
}

// structure returns the pattern that decides whether rule i can match in
// a window regardless of which digits it holds: the widened pattern, or
// the pattern itself when it treats all digits alike; nil when there is
// none (the rule is always viable).
func (r *rule) structure() *regexp.Regexp {
	switch {
	case r.wide != nil:
		return r.wide
	case r.memo.digitBlind:
		return r.re
	}
	return nil
}

// viableShapes prepares the byte map of run shapes: two bytes share a
// stand-in when every digit rule's class, and the shape map of the
// pattern that decides its viability, treat them alike. It leaves the map
// nil, and viability unused, when that map tells digits apart (a class of
// some digits only): shapes would then not repeat across numbers.
func (e *Engine) viableShapes() {
	if !e.groupMasks || !e.keywordsByBlock {
		return
	}
	rep := standIns(func(sig []byte, c byte) []byte {
		for _, i := range e.byDigits {
			r := e.rules[i]
			in := byte(0)
			if r.class[c] {
				in = 1
			}
			var sr byte
			switch {
			case r.wide != nil:
				sr = r.wideShape.rep[c]
			case r.memo.digitBlind:
				sr = r.memo.rep[c]
			}
			sig = append(sig, in, sr)
		}
		return sig
	})
	if digitBlindRep(rep) {
		e.viableRep = rep
	}
}

// viableIn returns what the superset run text[a:b] admits (with groups
// the digit groups its digits, length and stretch admit): the groups among
// them and the rules of theirs whose patterns can match there. ok is false
// when the memo cannot tell (no shape map, a run crossing parts or too
// long, a memo whose shapes do not repeat), and the caller takes the
// general path. The entry is the memo's own, valid until the next call:
// read it, do not change it.
func (e *Engine) viableIn(a, b int, groups uint64, st *scanState) (*viableEntry, bool) {
	m := &st.viable
	if e.viableRep == nil || m.off || b-a+2 > viableMaxRun {
		return nil, false
	}
	pi := st.partAt(a)
	if pi < 0 || b > st.parts[pi].End {
		return nil, false
	}
	ps, pe := st.parts[pi].Start, st.parts[pi].End
	lo, hi := max(a-1, ps), min(b+1, pe)
	if m.slots == nil {
		m.slots = make([]uint16, 2*viableMaxEntries)
	}
	rep := e.viableRep
	var (
		slot  *uint16
		h     uint64
		key   []byte
		short shortShape
	)
	if hi-lo <= 16 && lo+16 <= len(st.text) {
		// Most numbers.
		short, h = shortKey(st.text, a, b, lo, hi, rep)
		slot = m.shortSlot(short, h)
	} else {
		// The key: whether the run has a byte of context each side,
		// then the stand-ins of the window.
		// (b-a+2 <= viableMaxRun: it fits the memo's own array.)
		key = m.key[:hi-lo+1]
		key[0] = byte(a-lo) | byte(hi-b)<<1
		for k, c := range st.text[lo:hi] {
			key[k+1] = rep[c]
		}
		h = shapeHash(key)
		slot = m.slot(key, h)
	}
	hit := *slot != 0
	if m.look(hit) {
		m.slots, m.entries = nil, m.entries[:0]
		return nil, false
	}
	if !hit {
		if len(m.entries) >= viableMaxEntries {
			clear(m.slots)
			m.entries = m.entries[:0]
			if key != nil {
				slot = m.slot(key, h)
			} else {
				slot = m.shortSlot(short, h)
			}
		}
		v := e.viable(a, b, ps, pe, groups, st)
		e.flag(&v)
		m.entries = append(m.entries, shapeEntry{hash: h, shape: string(key), short: short, entry: v})
		*slot = uint16(len(m.entries))
	}
	return &m.entries[*slot-1].entry, true
}

// flag sets v's keyed, plainly and leads from its rules.
func (e *Engine) flag(v *viableEntry) {
	v.keyed = v.rules.outside(e.free)
	v.plainly = e.plain != nil && !v.rules.outside(e.plain.cheap)
	v.leads = e.leadRules != nil && v.rules.meets(e.leadRules)
}

// viable works out what run text[a:b] of part [ps, pe) admits: walking
// each group's class runs as scanGroup does, the rules whose digits,
// length and stretch thresholds the run meets and whose pattern (see
// structure) matches its window, or that have no such pattern.
func (e *Engine) viable(a, b, ps, pe int, groups uint64, st *scanState) viableEntry {
	v := viableEntry{rules: newRuleSet(len(e.rules))}
	text := st.text
	for g := range e.digitGroups {
		if groups>>g&1 == 0 {
			continue
		}
		grp := &e.digitGroups[g]
		for q := a; q < b; {
			start, end, nd, stretch := nextClassRun(text, grp.class, q, b)
			q = end
			if start == end || nd < grp.minDigits || end-start < grp.minLen || stretch < grp.minStretch {
				continue
			}
			for _, i := range grp.rules {
				r := e.rules[i]
				if nd < r.minDigits {
					break
				}
				run := text[start:end]
				if stretch < r.minStretch || !r.lengthFits(len(run)) || !r.stretchesFit(run) {
					continue
				}
				window := text[max(start-1, ps):min(end+1, pe)]
				if re := r.structure(); re != nil && !re.Match(window) {
					continue
				}
				v.rules.add(i)
				v.groups |= 1 << g
				if k := e.plain.index(i); k >= 0 {
					v.plain |= 1 << k
				} else {
					v.fixed |= 1 << g
				}
			}
		}
	}
	return v
}

// nextClassRun finds the first run of class bytes in text[q:b]: its start
// and end (both b when there is none), its digits and its longest stretch
// of consecutive digits.
func nextClassRun(text []byte, class *byteSet, q, b int) (start, end, nd, stretch int) {
	for q < b && !class[text[q]] {
		q++
	}
	start, cur := q, 0
	for ; q < b && class[text[q]]; q++ {
		if text[q]-'0' <= 9 {
			nd++
			cur++
			stretch = max(stretch, cur)
		} else {
			cur = 0
		}
	}
	return start, q, nd, stretch
}

// leadSets finds the digit rules whose matches begin a number with one of
// a few digits (shape.lead), other than the plain-number rules (whose
// scan runs for a run's rules all together).
func (e *Engine) leadSets() {
	if e.viableRep == nil {
		return
	}
	for _, i := range e.byDigits {
		if e.rules[i].lead != 0 && e.plain.index(i) < 0 {
			if e.leadRules == nil {
				e.leadRules = newRuleSet(len(e.rules))
				for d := range e.leadBy {
					e.leadBy[d] = newRuleSet(len(e.rules))
				}
			}
			e.leadRules.add(i)
			for d := range e.leadBy {
				if e.rules[i].lead>>d&1 != 0 {
					e.leadBy[d].add(i)
				}
			}
		}
	}
	if e.leadRules == nil {
		return
	}
	e.plainRules = newRuleSet(len(e.rules))
	if e.plain != nil {
		for _, i := range e.plain.rules {
			e.plainRules.add(i)
		}
	}
}

// dropLeads returns v (which has lead rules: v.leads) less the rules that
// cannot match in the run text[a:b] because none of its numbers begins
// with a digit theirs can begin with, and with their groups recomputed;
// v itself when none. The entry is then st.lead, valid until the next
// call.
func (e *Engine) dropLeads(a, b int, v *viableEntry, st *scanState) *viableEntry {
	// The first digits of the run's numbers, and the lead rules that
	// can begin none of them.
	text := st.text
	out := st.leads
	copy(out, e.leadRules)
	for p := a; p < b; p++ {
		if d := text[p] - '0'; d <= 9 && (p == 0 || !isDigit(text[p-1])) {
			for w := range out {
				out[w] &^= e.leadBy[d][w]
			}
		}
	}
	if !v.rules.meets(out) {
		return v
	}
	for w := range out {
		out[w] = v.rules[w] &^ out[w]
	}
	d := &st.lead
	*d = *v
	d.rules, d.groups, d.fixed = out, e.groupsIn(out, nil), e.groupsIn(out, e.plainRules)
	e.flag(d)
	return d
}
