package identifiers

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"

	"github.com/trawlsec/trawl/formats"
)

// Detection is one occurrence of sensitive data in a segment. It holds the
// span, never the text: the matched value lives only as long as the scan of
// its segment.
type Detection struct {
	Identifier *Identifier
	Start, End int // byte offsets in the segment's Text
	Lines      formats.LineRange
}

// Engine runs a fixed set of identifiers over segments. It is compiled once
// per scan and safe for concurrent use.
//
// It finds exactly what running each identifier's pattern over the whole
// segment would find (then validator, ignore words, keywords), but looks
// only where a match can be. Every pattern consumes bytes from a known class
// (see shape), so its matches lie inside maximal runs of that class, and the
// Engine runs it only on the runs that a cheap trigger points at:
//   - a literal every match contains ("-----BEGIN OPENSSH", "eyJ"), found
//     with the keywords in one Aho-Corasick pass;
//   - for identifiers that need a keyword, the keywords' neighbourhoods;
//   - for digit-bearing values, runs of digits.
type Engine struct {
	rules []*rule
	// ac finds every keyword variant and anchor literal in one pass; refs
	// says, per automaton pattern, which rules it serves and how.
	ac     ahocorasick.AhoCorasick
	acRefs [][]acRef
	pool   sync.Pool // *scanState
}

type rule struct {
	*Identifier
	re *regexp.Regexp
	shape
}

type acRef struct {
	rule   int
	anchor bool   // an anchor literal, not a keyword
	exact  string // for a case-sensitive anchor, the bytes that must match
}

// scanState is the per-call scratch space, pooled.
type scanState struct {
	kw      [][]span // per rule: keyword occurrences
	anchors [][]int  // per rule: anchor start offsets
	ctxKW   []bool   // per rule: a keyword is in the segment's context
	digits  []span   // maximal digit runs, computed on first need
	dOK     bool
	found   []Detection
}

// NewEngine compiles the identifiers. It fails on a pattern the regexp
// compiler rejects.
func NewEngine(ids []*Identifier) (*Engine, error) {
	e := &Engine{}
	var patterns []string
	index := map[string]int{}
	addPattern := func(p string, ref acRef) {
		i, ok := index[p]
		if !ok {
			i = len(patterns)
			index[p] = i
			patterns = append(patterns, p)
			e.acRefs = append(e.acRefs, nil)
		}
		e.acRefs[i] = append(e.acRefs[i], ref)
	}
	for i, id := range ids {
		re, err := regexp.Compile(id.Pattern)
		if err != nil {
			return nil, fmt.Errorf("identifier %s: invalid regular expression: %w", id.ID, err)
		}
		sh, err := analyse(id.Pattern)
		if err != nil {
			return nil, fmt.Errorf("identifier %s: %w", id.ID, err)
		}
		e.rules = append(e.rules, &rule{Identifier: id, re: re, shape: sh})
		if sh.anchor != "" {
			ref := acRef{rule: i, anchor: true}
			if !sh.anchorFold {
				ref.exact = sh.anchor
			}
			addPattern(strings.ToLower(sh.anchor), ref)
		}
		if id.Keyword != NoKeyword {
			for _, kw := range id.Keywords {
				for _, v := range keywordVariants(kw) {
					addPattern(v, acRef{rule: i})
				}
			}
		}
	}
	if len(patterns) > 0 {
		b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{
			AsciiCaseInsensitive: true,
			MatchKind:            ahocorasick.StandardMatch,
			DFA:                  true,
		})
		e.ac = b.Build(patterns)
	}
	n := len(e.rules)
	e.pool.New = func() any {
		return &scanState{kw: make([][]span, n), anchors: make([][]int, n), ctxKW: make([]bool, n)}
	}
	return e, nil
}

// Identifiers returns the identifiers the Engine runs.
func (e *Engine) Identifiers() []*Identifier {
	out := make([]*Identifier, len(e.rules))
	for i, r := range e.rules {
		out[i] = r.Identifier
	}
	return out
}

// Scan runs every identifier over the segment and calls emit for each
// detection the segment owns, in order of position.
func (e *Engine) Scan(seg *formats.Segment, emit func(Detection)) {
	st := e.pool.Get().(*scanState)
	defer e.release(st)
	text := seg.Text
	e.findLiterals(text, st)
	for _, c := range seg.Context {
		e.markContext([]byte(c), st)
	}
	for i, r := range e.rules {
		e.scanRule(i, r, text, seg, st)
	}
	if len(st.found) == 0 {
		return
	}
	slices.SortFunc(st.found, func(a, b Detection) int {
		if c := strings.Compare(a.Identifier.ID, b.Identifier.ID); c != 0 {
			return c
		}
		return a.Start - b.Start
	})
	// Entries that share an ID (a type with several shapes) report an
	// overlapping value once.
	kept := st.found[:0]
	for _, d := range st.found {
		if n := len(kept); n > 0 && kept[n-1].Identifier.ID == d.Identifier.ID && d.Start < kept[n-1].End {
			continue
		}
		kept = append(kept, d)
	}
	slices.SortStableFunc(kept, func(a, b Detection) int { return a.Start - b.Start })
	for _, d := range kept {
		d.Lines = seg.Locate(d.Start, d.End)
		emit(d)
	}
}

func (e *Engine) release(st *scanState) {
	for i := range st.kw {
		st.kw[i] = st.kw[i][:0]
		st.anchors[i] = st.anchors[i][:0]
		st.ctxKW[i] = false
	}
	st.digits, st.dOK, st.found = st.digits[:0], false, st.found[:0]
	e.pool.Put(st)
}

// findLiterals records keyword and anchor occurrences per rule.
func (e *Engine) findLiterals(text []byte, st *scanState) {
	if len(e.acRefs) == 0 {
		return
	}
	it := e.ac.IterOverlappingByte(text)
	for m := it.Next(); m != nil; m = it.Next() {
		start, end := m.Start(), m.End()
		for _, ref := range e.acRefs[m.Pattern()] {
			switch {
			case ref.anchor:
				if ref.exact == "" || string(text[start:end]) == ref.exact {
					st.anchors[ref.rule] = append(st.anchors[ref.rule], start)
				}
			case keywordStartsWord(text, start):
				st.kw[ref.rule] = append(st.kw[ref.rule], span{start, end})
			}
		}
	}
}

// markContext notes the rules whose keywords appear in a structural name.
func (e *Engine) markContext(name []byte, st *scanState) {
	if len(e.acRefs) == 0 {
		return
	}
	it := e.ac.IterOverlappingByte(name)
	for m := it.Next(); m != nil; m = it.Next() {
		for _, ref := range e.acRefs[m.Pattern()] {
			if !ref.anchor && keywordStartsWord(name, m.Start()) {
				st.ctxKW[ref.rule] = true
			}
		}
	}
}

// scanRule finds the runs where rule i can match and runs its pattern there.
func (e *Engine) scanRule(i int, r *rule, text []byte, seg *formats.Segment, st *scanState) {
	kws := st.kw[i]
	near := st.ctxKW[i]
	if r.Keyword == KeywordRequired && !near && len(kws) == 0 {
		return
	}
	if r.whole {
		e.matchWindow(r, text, 0, len(text), seg, st, i)
		return
	}
	done := 0 // runs before this offset have been scanned
	visit := func(p int) {
		if p < done || !r.class.has(text[p]) {
			return
		}
		a, b := p, p+1
		for a > 0 && r.class.has(text[a-1]) {
			a--
		}
		for b < len(text) && r.class.has(text[b]) {
			b++
		}
		done = b
		if r.minDigits > 0 && countDigits(text[a:b], r.minDigits) < r.minDigits {
			return
		}
		e.matchWindow(r, text, max(a-1, 0), min(b+1, len(text)), seg, st, i)
	}
	switch {
	case r.anchor != "":
		anchors := st.anchors[i]
		slices.Sort(anchors)
		for _, p := range anchors {
			visit(p)
		}
	case r.Keyword == KeywordRequired && !near:
		slices.SortFunc(kws, func(a, b span) int { return a.start - b.start })
		reach := r.Distance*4 + 1 // bytes that can hold Distance characters
		for _, k := range kws {
			lo, hi := k.start-reach, k.end+reach
			if r.DistanceRule == BeforeToEnd {
				lo = k.start
			}
			for p := max(lo, done, 0); p < min(hi, len(text)); p++ {
				visit(p)
			}
		}
	case r.minDigits > 0:
		for _, d := range st.digitRuns(text) {
			visit(d.start)
		}
	default:
		for p := range text {
			visit(p)
		}
	}
}

// matchWindow runs the rule's pattern on text[a:b] and keeps the matches
// that pass its checks.
func (e *Engine) matchWindow(r *rule, text []byte, a, b int, seg *formats.Segment, st *scanState, i int) {
	for _, m := range r.re.FindAllIndex(text[a:b], -1) {
		s, t := a+m[0], a+m[1]
		if s == t || !seg.Owns(s) {
			continue
		}
		if r.Validate != nil && !r.Validate(text, s, t) {
			continue
		}
		if containsAny(text[s:t], r.IgnoreWords) {
			continue
		}
		switch r.Keyword {
		case KeywordRequired:
			if !st.ctxKW[i] && !keywordNear(text, st.kw[i], s, t, r.Distance, r.DistanceRule) {
				continue
			}
		case KeywordAbsent:
			if st.ctxKW[i] || keywordNear(text, st.kw[i], s, t, r.Distance, r.DistanceRule) {
				continue
			}
		}
		st.found = append(st.found, Detection{Identifier: r.Identifier, Start: s, End: t})
	}
}

// keywordNear reports whether one of the keyword occurrences is within
// distance characters of the value text[s:t].
func keywordNear(text []byte, kws []span, s, t, distance int, rule DistanceRule) bool {
	for _, k := range kws {
		switch rule {
		case BeforeToEnd:
			if k.end <= s && runesBetween(text, k.end, t, distance) <= distance {
				return true
			}
		default:
			switch {
			case k.end <= s:
				if runesBetween(text, k.end, s, distance) <= distance {
					return true
				}
			case k.start >= t:
				if runesBetween(text, t, k.start, distance) <= distance {
					return true
				}
			default: // the keyword overlaps the value
				return true
			}
		}
	}
	return false
}

func containsAny(b []byte, words []string) bool {
	for _, w := range words {
		if strings.Contains(string(b), w) {
			return true
		}
	}
	return false
}

// digitRuns returns the maximal runs of ASCII digits in text.
func (st *scanState) digitRuns(text []byte) []span {
	if st.dOK {
		return st.digits
	}
	st.dOK = true
	for i := 0; i < len(text); i++ {
		if text[i]-'0' > 9 {
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
