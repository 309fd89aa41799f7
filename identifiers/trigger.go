package identifiers

// Triggers: the cheap scans that point the Engine at the few runs of text
// where a pattern can match.

import (
	"bytes"
	"encoding/binary"
	"slices"
	"unicode/utf8"

	"github.com/trawlsec/trawl/formats"
)

// rarity ranks a byte by how seldom it appears in text: lower case
// letters, spaces and vowels are everywhere, capitals and most punctuation
// are not.
func rarity(c byte) int {
	switch {
	case c == ' ' || c == 'e' || c == 't' || c == 'a' || c == 'o' || c == 'i' || c == 'n':
		return 0
	case c >= 'a' && c <= 'z':
		return 1
	case c >= '0' && c <= '9' || c == '.' || c == ',' || c == '-' || c == '\n':
		return 2
	case c >= 'A' && c <= 'Z':
		return 3
	}
	return 4
}

func rarest(lit string) int {
	best := 0
	for i := range len(lit) {
		if rarity(lit[i]) > rarity(lit[best]) {
			best = i
		}
	}
	return best
}

// findAnchors records, per rule, where its anchor occurs.
func (e *Engine) findAnchors(text []byte, st *scanState) {
	for _, a := range e.anchors {
		// Find the literal's rarest byte, then check the literal around it:
		// bytes.Index would stop at every "e" of "eyJ" in English text. A
		// case-folded anchor is looked for in both cases of that byte.
		lit, rare := []byte(a.lit), a.rare
		cases := []byte{lit[rare]}
		if up := lit[rare] &^ 0x20; a.fold && up >= 'A' && up <= 'Z' {
			cases = []byte{up, up | 0x20}
		}
		for _, c := range cases {
			for off := rare; off < len(text); {
				j := bytes.IndexByte(text[off:], c)
				if j < 0 {
					break
				}
				start := off + j - rare
				if start+len(lit) <= len(text) && (a.fold && bytes.EqualFold(text[start:start+len(lit)], lit) ||
					!a.fold && bytes.Equal(text[start:start+len(lit)], lit)) {
					for _, r := range a.rules {
						st.anchors[r] = append(st.anchors[r], start)
					}
				}
				off += j + 1
			}
		}
	}
}

// scanPositions visits the class runs of rule i around the given offsets.
func (e *Engine) scanPositions(i int, positions []int, seg *formats.Segment, st *scanState) {
	done := 0
	for _, p := range positions {
		if p >= done {
			done = e.visit(i, p, seg, st)
		}
	}
}

// scanDigits drives the digit-bearing rules from the digit runs.
func (e *Engine) scanDigits(seg *formats.Segment, st *scanState) {
	text := st.text
	digits := st.digitRuns(text)
	supDone := 0
	// per rule: runs before this offset are done
	done := st.ruleDone(len(e.rules))
	for k := 0; k < len(digits); k++ {
		d := digits[k]
		if d.start < supDone {
			continue
		}
		a, b := d.start, d.end
		for a > 0 && e.superset.has(text[a-1]) {
			a--
		}
		for b < len(text) && e.superset.has(text[b]) {
			b++
		}
		supDone = b
		// The digit runs inside this superset run.
		last, nd := k, 0
		for last < len(digits) && digits[last].start < b {
			nd += digits[last].end - digits[last].start
			last++
		}
		if nd < e.supMinDigits || b-a < e.supMin {
			k = last - 1
			continue
		}
		for _, i := range e.byDigits {
			r := e.rules[i]
			if nd < r.minDigits {
				break // the rest need even more digits
			}
			// Keywords are checked later, per match: neighbouring numbers
			// often join into a long superset run.
			if b-a < r.minLen || !containsRequired(text[a:b], r.lits) {
				continue
			}
			for j := k; j < last; j++ {
				if p := digits[j].start; p >= done[i] {
					done[i] = e.visit(i, p, seg, st)
				}
			}
		}
		k = last - 1
	}
}

// scanLongRuns finds the runs of the long-run rules' union class that are
// at least as long as the shortest of their matches, by probing every
// minLen-th byte: a byte outside the class rules out every run through it,
// so text without long runs is mostly skipped. Each rule then looks at its
// own class runs inside.
func (e *Engine) scanLongRuns(seg *formats.Segment, st *scanState) {
	text, L := st.text, e.longMin
	for i0 := 0; i0+L <= len(text); {
		p := i0 + L - 1
		if !e.longClass.has(text[p]) {
			i0 = p + 1
			continue
		}
		a := p
		for a > i0 && e.longClass.has(text[a-1]) {
			a--
		}
		if a > i0 {
			i0 = a // the run through p starts at a: probe again from there
			continue
		}
		for a > 0 && e.longClass.has(text[a-1]) {
			a--
		}
		b := p + 1
		for b < len(text) && e.longClass.has(text[b]) {
			b++
		}
		for _, i := range e.byLongRun {
			if r := e.rules[i]; b-a >= r.minLen {
				for q := a; q < b; q++ {
					if r.class.has(text[q]) {
						q = e.visit(i, q, seg, st)
					}
				}
			}
		}
		i0 = b + 1
	}
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
	e.forKeywords(i, 0, len(st.text), len(st.text), st, func(h kwHit) bool {
		lo, hi := int(h.start)-reach, int(h.end)+reach
		if r.DistanceRule == BeforeToEnd {
			lo = int(h.start)
		}
		ranges = append(ranges, span{max(lo, 0), min(hi, len(st.text))})
		return true
	})
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
	for p := 0; p < len(st.text); p++ {
		if r.class.has(st.text[p]) {
			p = e.visit(i, p, seg, st)
		}
	}
}

// digitRuns returns the maximal runs of ASCII digits in text, skipping
// eight bytes at a time where there are none.
func (st *scanState) digitRuns(text []byte) []span {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	i := 0
	for i < len(text) {
		if i+8 <= len(text) {
			// Bytes below 10 after XOR with '0' are exactly the digits; the
			// "has a byte less than 10" test is exact for the whole word.
			x := binary.LittleEndian.Uint64(text[i:]) ^ (ones * '0')
			if (x-ones*10)&^x&high == 0 {
				i += 8
				continue
			}
		}
		if text[i]-'0' > 9 {
			i++
			continue
		}
		j := i + 1
		for j < len(text) && text[j]-'0' <= 9 {
			j++
		}
		st.digits = append(st.digits, span{i, j})
		i = j
	}
	return st.digits
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
