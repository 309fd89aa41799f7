package identifiers

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/trawlsec/trawl/formats"
)

// Detection is one occurrence of sensitive data in a segment. It holds the
// span, never the text: the matched value lives only as long as the scan of
// its segment.
type Detection struct {
	Identifier *Identifier
	Start, End int // byte offsets in the segment's Text
	seg        *formats.Segment
	rule       int // the entry's place in the Engine, for a stable order
}

// DetectionAt makes a detection of id at [start, end) of seg, for code that
// builds results without an Engine (tests, replays).
func DetectionAt(id *Identifier, seg *formats.Segment, start, end int) Detection {
	return Detection{Identifier: id, Start: start, End: end, seg: seg}
}

// Where locates the value: line and column, a cell, or a record. It is
// computed on demand (a result keeps at most 1,000 locations per type) and
// only while the detection's segment is being scanned.
func (d Detection) Where() formats.Occurrence { return d.seg.Where(d.Start, d.End) }

// Value is the detected text, for a masked sample; "" for a detection
// made without a segment.
func (d Detection) Value() string {
	if d.seg == nil {
		return ""
	}
	return string(d.seg.Text[d.Start:d.End])
}

// NamedValue returns the detected text when a name that locates it (its
// column's name, its JSON path) also holds it: see formats.NamedValue.
func (d Detection) NamedValue() (string, bool) { return d.seg.NamedValue(d.Start, d.End) }

// Engine runs a fixed set of identifiers over segments. It is compiled once
// per scan and safe for concurrent use.
//
// It finds exactly what running each identifier's pattern over the whole
// segment, or each part of a segment alone (then validator, ignore words,
// keywords, allow lists: the naive definition, which the differential tests
// hold it to), but it looks only where a match can be. Every pattern consumes bytes from a known class
// (see shape), so its matches lie inside maximal runs of class bytes, and the
// Engine runs the pattern only on runs that a cheap trigger points at, from
// cheapest to dearest:
//
//  1. anchor: a literal every match contains ("-----BEGIN OPENSSH", "eyJ"),
//     or one of a few ("ghp_", "gho_", ...; two bytes will do when one is
//     rare, as the "DE" of an IBAN), found by its least frequent byte, each
//     distinct byte searched once for all anchors;
//  2. digits: each digit, found eight bytes at a time, is widened to the
//     run of the union of the digit rules' classes, counting its digits;
//     a run with digits and length enough for some rule is split into the
//     runs of each distinct class (rules sharing a class share the walk),
//     and each rule looks only at runs with its minimum digits, length and
//     stretch of consecutive digits that hold the literals every match
//     needs (and, for a pattern bounded at both ends, enough digits in
//     stretches no longer than a match can hold: see shape.stretchCap);
//  3. long run: a value of 8 or more bytes from a class without spaces (an
//     AWS secret key) is found by probing every minLen-th byte, per rule;
//  4. keywords: an identifier that needs a keyword and has none of the
//     above runs around its keywords;
//  5. class scan: anything else looks at every run of its class.
//
// Keywords are searched lazily, only where a candidate run needs one: a
// per-rule digram check of the window first, then a search of the
// 256-byte blocks it covers (word starts whose first two bytes begin a
// keyword), kept for the rest of the segment. Prose without candidates is
// never searched for keywords. A pattern that treats all digits alike runs
// once per window shape (memo.go), which is what digit-heavy tables need.
type Engine struct {
	rules []*rule
	// anchors are the distinct anchor literals and the rules they serve;
	// anchorBytes the bytes they are searched by, anchorFilter the SIMD
	// pass's filter for them (nil for one byte, or too many), and
	// anchorOf[c] the index of byte c in anchorBytes, or -1.
	anchors      []anchor
	anchorBytes  []anchorByte
	anchorFilter *anchorFilter
	anchorOf     [256]int8
	pairAnchors  *pairAnchors
	// kw finds every keyword variant; kwRefs says which rules each serves.
	kw     kwIndex
	kwRefs [][]int32
	// keywordsByBlock is set when so many rules need a keyword (more than
	// manyKeywordRules: RECOMMENDED, or Macie's whole catalogue) that one
	// search of a candidate's blocks for all of them costs less than each
	// rule checking its window, or running its memo, first; a digit run
	// then also works out which rules a keyword can reach (live.go) before
	// any group walks it.
	keywordsByBlock bool
	// free are the rules that a keyword block cannot rule out, nearReach
	// how far from a run the others' keywords can start (see live.go).
	free      ruleSet
	nearReach int
	// groupOf is each rule's digit group (or -1). With at most 64 groups
	// (groupMasks), runs pick their groups by bitmask: ndGroups[n] are the
	// groups that take a run of n digits (lenGroups: of length n;
	// stretchGroups: with a stretch of n), freeGroups those with a free
	// rule.
	groupOf                            []int
	groupMasks                         bool
	ndGroups, lenGroups, stretchGroups [65]uint64
	freeGroups                         uint64
	// groupClass[c] are the groups whose class holds byte c, and
	// allDigitGroups those whose class holds all ten digits (see
	// scanGroupsTogether).
	groupClass     [256]uint64
	allDigitGroups uint64
	// The rules by trigger.
	byAnchor, byDigits, byLongRun, byKeyword, byClass, byWhole []int
	// foldEscapes says an anchored rule's case-folded literals hold an s
	// or a k (shape.foldEscape).
	foldEscapes bool
	// capsLong are the long-run rules whose classes hold no lower case
	// letter, when there are several: their runs are rare in text, and
	// they are probed for together, by the union of their classes
	// (capsClass) and the shortest of their minimum lengths (capsMin).
	capsLong  []int
	capsClass byteSet
	capsMin   int
	// capsNibbles is capsClass's nibble table, when the digit rules' SIMD
	// pass flags its runs as it goes (see capsRuns); else nil.
	capsNibbles *[32]byte
	// byFind are the rules with a hand-written finder (finder.go).
	byFind []int
	// superset is the union of the digit rules' classes, with the loosest
	// of their filters.
	superset             byteSet
	supMinDigits, supMin int
	// supNibbles is the superset's nibble table for asciiMasksSIMD, or
	// nil when it holds a byte that is not ASCII.
	supNibbles  *[32]byte
	digitGroups []digitGroup
	// viableRep maps bytes to their stand-ins in run shapes, or is nil
	// when runs are not sorted by shape (see viable.go).
	viableRep *[256]byte
	// plain finds the keywords of the rules that fit plain numbers, or
	// is nil (plainkw.go).
	plain *plainKeywords
	// leadRules are the digit rules whose matches begin a number with one
	// of a few digits (shape.lead), other than the plain-number rules; nil
	// when there are none, or runs are not sorted by shape. leadBy[d] are
	// those whose matches may begin with digit d; plainRules the
	// plain-number rules.
	leadRules, plainRules ruleSet
	leadBy                [10]ruleSet
	allow                 *AllowList
	pool                  sync.Pool // *scanState
}

type rule struct {
	*Identifier
	re *regexp.Regexp
	shape
	// kwAnchored says the rule's keywords are among the anchors, so that
	// the keyword trigger looks only where one of them occurs.
	kwAnchored bool
	kwPairs    []kwPair // where its anchors lie in its keywords, when kwAnchored
	ignore     [][]byte
	// idRank orders the rules by ID (equal for entries sharing one), so
	// detections sort by ID without comparing strings.
	idRank int
	// starts are the beginnings of the rule's keywords: a window with no
	// word that begins like one holds none of them, and need not be
	// searched.
	starts *kwStarts
	// anchorUnsought says the rule has an anchor but is triggered by its
	// digits (commonAnchor), so a run must be checked for the anchor; an
	// anchored rule's runs are found at its anchor.
	anchorUnsought bool
	// kwLen is the length of the rule's longest keyword variant.
	kwLen int
	// long is the pattern for long windows (re2.go).
	long *longRegexp
	// needBytes are shape.need's bytes, when all are ASCII, for the class
	// scan to jump between.
	needBytes string
}

type anchor struct {
	lit   string // lower case when fold
	fold  bool
	rare  int // index in lit of its least common byte, searched for first
	rules []int
}

// scanState is the per-call scratch space, pooled.
type scanState struct {
	text   []byte
	blocks []kwBlock
	// parts are the segment's independent pieces (one covering all of a
	// plain text segment); contexts their structural names.
	parts    []formats.Part
	contexts [][]string
	one      [1]formats.Part
	lastPart int // the part partAt found last
	// ctxKW[c] are the rules with a keyword in context c, once ctxDone[c]
	// says it has been looked at; live is scratch for liveAround.
	ctxKW   []ruleSet
	ctxDone []bool
	// ctxGroups[c] are the digit groups of ctxKW[c]'s rules.
	ctxGroups []uint64
	live      ruleSet
	// searched counts the blocks searched so far.
	searched int
	// needAt is where the last run began that needed its keywords looked
	// for alone (dropAlone).
	needAt int
	// viable memoises which rules a run shape admits (viable.go).
	viable viableMemo
	// plain is the scan for the plain-number rules' keywords (plainkw.go).
	plain plainState
	// caps are the runs of capsClass that the digit rules' pass found.
	caps capsRuns
	// leads holds a run shape's rules less those its numbers' first
	// digits rule out (dropLeads).
	leads ruleSet
	// lead is the entry dropLeads returns, with leads as its rules.
	lead viableEntry
	// stretches is scratch for scanGroupsTogether.
	stretches []int
	ranges    []span
	anchors   [][]int
	found     []Detection
	// memos[i] maps window shapes to rule i's matches (see memo.go);
	// wideMemos[i] to whether its widened pattern matches (widen.go);
	// shape is scratch for building one.
	memos, wideMemos []memo
	shape            []byte
	// digramBytes counts the bytes digram-checked in this segment.
	digramBytes int
	// idEnd is emit's scratch: by ID rank, the end of the last detection
	// kept, or 0.
	idEnd []int
}

// Options tune an Engine beyond its identifiers.
type Options struct {
	// Allow drops matches whose text is allow-listed (Macie's allow lists).
	Allow *AllowList
}

// NewEngine compiles the identifiers. It fails on a pattern the regexp
// compiler rejects.
func NewEngine(ids []*Identifier, opts ...Options) (*Engine, error) {
	e := &Engine{}
	for _, o := range opts {
		if o.Allow != nil {
			e.allow = o.Allow
		}
	}
	var patterns []string
	index := map[string]int{}
	anchorIndex := map[string]int{}
	nkw := 0 // rules that need a keyword
	e.supMinDigits, e.supMin = -1, -1
	// addAnchors has rule i anchored by the literals (case-folded when
	// fold), each distinct literal searched once for all its rules. A
	// case-folded literal is a word, whose letters are all common:
	// searched by its rarest byte after the first, it is found by that
	// byte and the one before it (anchorByte.prev), which a first byte
	// would forgo for all the anchors sharing its search byte.
	addAnchors := func(i int, lits []string, fold bool) {
		for _, lit := range lits {
			if fold {
				lit = strings.ToLower(lit)
			}
			key := fmt.Sprint(fold, lit)
			a, ok := anchorIndex[key]
			if !ok {
				a = len(e.anchors)
				anchorIndex[key] = a
				rare := rarest(lit, fold)
				if fold && rare == 0 && len(lit) > 1 {
					rare = 1 + rarest(lit[1:], fold)
				}
				e.anchors = append(e.anchors, anchor{lit: lit, fold: fold, rare: rare})
			}
			e.anchors[a].rules = append(e.anchors[a].rules, i)
		}
	}
	for i, id := range ids {
		re, sh, err := compileRule(id)
		if err != nil {
			return nil, err
		}
		r := &rule{Identifier: id, re: re, shape: sh, anchorUnsought: commonAnchor(sh), long: new(longRegexp)}
		if id.Keyword == KeywordRequired {
			nkw++
		}
		if sh.need != nil {
			r.needBytes = sh.need.asciiString()
		}
		for _, w := range id.IgnoreWords {
			r.ignore = append(r.ignore, []byte(w))
		}
		e.rules = append(e.rules, r)
		if id.Keyword != NoKeyword {
			r.starts = new(kwStarts)
			for _, kw := range id.Keywords {
				for _, v := range keywordVariants(kw) {
					if len(v) < 2 {
						r.starts = nil // a one-byte keyword: no beginning to look for
					} else if r.starts != nil {
						r.starts.add([]byte(v))
					}
					p, ok := index[v]
					if !ok {
						p = len(patterns)
						index[v] = p
						patterns = append(patterns, v)
						e.kwRefs = append(e.kwRefs, nil)
					}
					r.kwLen = max(r.kwLen, len(v))
					if !slices.Contains(e.kwRefs[p], int32(i)) {
						e.kwRefs[p] = append(e.kwRefs[p], int32(i))
					}
				}
			}
		}
		switch {
		case id.Find != nil:
			e.byFind = append(e.byFind, i)
		case sh.whole:
			e.byWhole = append(e.byWhole, i)
		case (sh.anchor != "" || anchoringLits(sh.lits)) && !r.anchorUnsought:
			// Every match contains the anchor, or one of the literals.
			lits, fold := litStrings(sh.lits), false
			if sh.anchor != "" {
				lits, fold = []string{sh.anchor}, sh.anchorFold
			}
			addAnchors(i, lits, fold)
			e.byAnchor = append(e.byAnchor, i)
		case id.Keyword == KeywordRequired && sh.minDigits > 0 && sh.class.has(' ') && sh.class.hasLower() && anchorableKeywords(id.Keywords):
			// A date with the month's name: its class takes in words and
			// spaces, so the digit trigger, which widens every number to
			// the run of its group's classes, would walk whole sentences
			// for every rule of the group. Its keywords are rarer: they
			// are found as anchors, in the one pass that finds the
			// others, and only the text around them is looked at.
			var lits []string
			for _, kw := range id.Keywords {
				for _, v := range keywordVariants(kw) {
					lits = append(lits, rarePair(v))
				}
			}
			slices.Sort(lits)
			lits = slices.Compact(lits)
			addAnchors(i, lits, true)
			r.kwAnchored = true
			// Every place an anchor lies in a variant, so that a scan can
			// tell from the anchor which variants may hold it.
			for _, kw := range id.Keywords {
				for _, v := range keywordVariants(kw) {
					for k := 0; k+1 < len(v); k++ {
						if slices.Contains(lits, v[k:k+2]) {
							r.kwPairs = append(r.kwPairs, kwPair{[2]byte{v[k], v[k+1]}, []byte(v), k})
						}
					}
				}
			}
			e.byKeyword = append(e.byKeyword, i)
		case sh.minDigits > 0:
			e.byDigits = append(e.byDigits, i)
			e.superset.union(&sh.class)
			if e.supMinDigits < 0 || sh.minDigits < e.supMinDigits {
				e.supMinDigits = sh.minDigits
			}
			if e.supMin < 0 || sh.minLen < e.supMin {
				e.supMin = sh.minLen
			}
		case sh.minLen >= 8 && !sh.class.has(' ') && !sh.class.has('\n'):
			e.byLongRun = append(e.byLongRun, i)
		case id.Keyword == KeywordRequired:
			e.byKeyword = append(e.byKeyword, i)
		case len(sh.foldLits) > 0:
			// A case-insensitive alternation of words: they anchor it as
			// keywords would, where its class (letters and spaces) would
			// have it run on nearly every line.
			addAnchors(i, sh.foldLits, true)
			e.byAnchor = append(e.byAnchor, i)
			e.foldEscapes = e.foldEscapes || sh.foldEscape
		default:
			e.byClass = append(e.byClass, i)
		}
	}
	// Digit rules by their minimum digit count, so a run with few digits
	// stops looking after the first rules.
	slices.SortStableFunc(e.byDigits, func(a, b int) int { return e.rules[a].minDigits - e.rules[b].minDigits })
	e.kw = newKWIndex(patterns)
	e.keywordsByBlock = nkw > manyKeywordRules
	e.anchorBytes, e.pairAnchors = groupAnchors(e.anchors)
	if len(e.anchorBytes) > 1 && len(e.anchorBytes) <= math.MaxInt8 {
		for k := range e.anchorOf {
			e.anchorOf[k] = -1
		}
		for k, ab := range e.anchorBytes {
			e.anchorOf[ab.b] = int8(k)
		}
		e.anchorFilter = newAnchorFilter(e.anchorBytes, e.pairAnchors != nil)
	}
	byID := slices.Clone(e.rules)
	slices.SortStableFunc(byID, func(a, b *rule) int { return strings.Compare(a.ID, b.ID) })
	for k, r := range byID {
		r.idRank = k
		if k > 0 && byID[k-1].ID == r.ID {
			r.idRank = byID[k-1].idRank
		}
	}
	e.digitGroups = groupDigitRules(e.rules, e.byDigits)
	e.capsRules()
	e.supNibbles = asciiNibbles(&e.superset)
	e.liveSets()
	e.viableShapes()
	e.plainSets()
	e.leadSets()
	n := len(e.rules)
	e.pool.New = func() any {
		return &scanState{anchors: make([][]int, n), memos: make([]memo, n), wideMemos: make([]memo, n), live: newRuleSet(n), leads: newRuleSet(n)}
	}
	return e, nil
}

// capsRules finds the long-run rules to probe for together (capsLong).
func (e *Engine) capsRules() {
	var caps []int
	for _, i := range e.byLongRun {
		r := e.rules[i]
		if !r.class.hasLower() {
			caps = append(caps, i)
		}
	}
	if len(caps) < 2 {
		return
	}
	e.capsLong, e.capsMin = caps, e.rules[caps[0]].minLen
	for _, i := range caps {
		e.capsClass.union(&e.rules[i].class)
		e.capsMin = min(e.capsMin, e.rules[i].minLen)
	}
	if e.capsMin <= 64 {
		e.capsNibbles = asciiNibbles(&e.capsClass)
	}
}

// Identifiers returns the identifiers the Engine runs.
func (e *Engine) Identifiers() []*Identifier {
	out := make([]*Identifier, len(e.rules))
	for i, r := range e.rules {
		out[i] = r.Identifier
	}
	return out
}

// anchorableKeywords reports whether keywords can be found by case-folded
// anchors (rarePair): each variant ASCII, so that an ASCII case-insensitive
// search finds every place the keyword rules (which fold ASCII letters
// only) find one, and three bytes or more, with a pair to search for.
func anchorableKeywords(keywords []string) bool {
	for _, kw := range keywords {
		for _, v := range keywordVariants(kw) {
			if len(v) < 3 || rarePair(v) == "" {
				return false
			}
			for k := range len(v) {
				if v[k] >= utf8.RuneSelf {
					return false
				}
			}
		}
	}
	return len(keywords) > 0
}

// kwPair is a two-byte anchor (lower case) at offset k of keyword variant v.
type kwPair struct {
	pair [2]byte
	v    []byte
	k    int
}

// rarePair returns the two bytes of a keyword variant, a letter and the
// byte after it, that are likely rarest together ("bi" of "birthday", "ob"
// of "dob"): the anchor that finds the variant. An anchor of the whole
// word would be searched by one of its letters after another ("ay" of
// "birthday"), and stop at every "day" and "may" of the text. "" when the
// variant has no letter before its last byte.
func rarePair(v string) string {
	best, cost := "", 0
	for k := 1; k < len(v); k++ {
		if !isLetter(v[k-1]) || v[k-1] >= utf8.RuneSelf {
			continue
		}
		if c := foldFreq(v[k-1], true) * foldFreq(v[k], true); best == "" || c < cost {
			best, cost = v[k-1:k+1], c
		}
	}
	return best
}

// Scan runs every identifier over the segment and calls emit for each
// detection the segment owns, in order of position.
func (e *Engine) Scan(seg *formats.Segment, emit func(Detection)) {
	st := e.begin(seg)
	defer e.release(st)
	text := st.text
	for _, i := range e.byWhole {
		for pi, p := range st.parts {
			e.matchWindow(i, p.Start, p.End, pi, seg, st)
		}
	}
	if len(e.anchors) > 0 {
		e.findAnchors(text, st)
		escaped := e.foldEscapes && escapedFold(text)
		for _, i := range e.byAnchor {
			if escaped && e.rules[i].foldEscape {
				// A match may hold a long s or a Kelvin sign where the
				// ASCII search sought an s or a k: each is in the rule's
				// class, so its run is looked at too.
				st.anchors[i] = appendFoldEscapes(st.anchors[i], text)
			}
			slices.Sort(st.anchors[i])
			e.scanPositions(i, st.anchors[i], seg, st)
		}
	}
	if len(e.byDigits) > 0 {
		e.scanDigits(seg, st)
	}
	if len(e.byLongRun) > 0 {
		e.scanLongRuns(seg, st)
	}
	for _, i := range e.byKeyword {
		e.scanKeywordFirst(i, seg, st)
	}
	for _, i := range e.byClass {
		e.scanClass(i, seg, st)
	}
	e.scanFinders(seg, st)
	e.emit(seg, st, emit)
}

// begin takes a scan state from the pool and readies it for seg: its
// text, keyword blocks, parts and their structural names. Give it back
// with release.
func (e *Engine) begin(seg *formats.Segment) *scanState {
	st := e.pool.Get().(*scanState)
	text := seg.Text
	st.text, st.needAt = text, -sparseGap
	nb := (len(text) + kwBlockSize - 1) / kwBlockSize
	if cap(st.blocks) < nb {
		st.blocks = make([]kwBlock, nb)
		words := (len(e.rules) + 63) / 64
		bits := make([]uint64, nb*words)
		for k := range st.blocks {
			st.blocks[k].rules = bits[k*words : (k+1)*words]
		}
	}
	st.blocks = st.blocks[:nb]
	if len(seg.Parts) > 0 {
		st.parts, st.contexts = seg.Parts, seg.Contexts
	} else {
		st.one[0] = formats.Part{Start: 0, End: len(text), Ctx: 0}
		st.parts, st.contexts = st.one[:], [][]string{seg.Context}
	}
	for len(st.ctxKW) < len(st.contexts) {
		st.ctxKW = append(st.ctxKW, newRuleSet(len(e.rules)))
		st.ctxGroups = append(st.ctxGroups, 0)
	}
	if cap(st.ctxDone) < len(st.contexts) {
		st.ctxDone = make([]bool, len(st.contexts))
	}
	st.ctxDone = st.ctxDone[:len(st.contexts)]
	clear(st.ctxDone)
	return st
}

func (e *Engine) emit(seg *formats.Segment, st *scanState, emit func(Detection)) {
	if len(st.found) == 0 {
		return
	}
	// In order of position, then of ID, then of the entries' order; the
	// triggers append in runs already so ordered (a log's every line),
	// which the check finds in one pass.
	order := func(a, b Detection) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if c := e.rules[a.rule].idRank - e.rules[b.rule].idRank; c != 0 {
			return c
		}
		return a.rule - b.rule
	}
	if !slices.IsSortedFunc(st.found, order) {
		slices.SortFunc(st.found, order)
	}
	// Of two entries sharing an ID that report one value, the one listed
	// first wins, whatever order the triggers ran them in: a detection
	// is dropped when it begins before the end of the last one kept for
	// its ID.
	if cap(st.idEnd) < len(e.rules) {
		st.idEnd = make([]int, len(e.rules))
	}
	idEnd := st.idEnd[:len(e.rules)]
	kept := st.found[:0]
	for _, d := range st.found {
		rank := e.rules[d.rule].idRank
		if end := idEnd[rank]; end > 0 && d.Start < end {
			continue
		}
		idEnd[rank] = d.End
		kept = append(kept, d)
	}
	for _, d := range kept {
		idEnd[e.rules[d.rule].idRank] = 0
		d.seg = seg
		emit(d)
	}
}

func (e *Engine) release(st *scanState) {
	for i := range st.anchors {
		st.anchors[i] = st.anchors[i][:0]
	}
	st.parts, st.contexts, st.lastPart = nil, nil, 0
	for i := range st.blocks {
		st.blocks[i].done = false
		st.blocks[i].hits = st.blocks[i].hits[:0]
		clear(st.blocks[i].rules)
		st.blocks[i].groups = 0
	}
	st.text, st.found, st.digramBytes, st.searched = nil, st.found[:0], 0, 0
	st.plain.from, st.plain.to, st.plain.hits = 0, 0, st.plain.hits[:0]
	st.caps = capsRuns{at: st.caps.at[:0]}
	// The shapes stay for the next segment; the trials start again.
	st.viable.restart()
	for k := range st.memos {
		st.memos[k].restart()
		st.wideMemos[k].restart()
	}
	e.pool.Put(st)
}

// ctxNear reports whether a keyword of rule i is among the structural names
// of part pi.
func (e *Engine) ctxNear(i, pi int, st *scanState) bool {
	s := e.ctxSet(st.parts[pi].Ctx, st)
	return s != nil && s.has(i)
}

// ctxSet returns the rules with a keyword among the names of context c, or
// nil. Each context is searched once per segment, on first need.
func (e *Engine) ctxSet(c int, st *scanState) ruleSet {
	if c < 0 || c >= len(st.contexts) || len(e.kwRefs) == 0 {
		return nil
	}
	s := st.ctxKW[c]
	if !st.ctxDone[c] {
		st.ctxDone[c] = true
		clear(s)
		st.ctxGroups[c] = 0
		for _, name := range st.contexts[c] {
			b := []byte(name)
			e.kw.find(b, 0, len(b), func(pattern, _, _ int) {
				for _, r := range e.kwRefs[pattern] {
					s.add(int(r))
				}
				st.ctxGroups[c] |= e.groupsOf(pattern)
			})
		}
	}
	return s
}

// partAt returns the index of the part holding offset p, or -1. Triggers
// mostly move forward, so the part found last, and the one after it, are
// tried before searching.
func (st *scanState) partAt(p int) int {
	if k := st.lastPart; k < len(st.parts) && st.parts[k].Start <= p && p < st.parts[k].End {
		return k
	}
	if k := st.lastPart + 1; k < len(st.parts) && st.parts[k].Start <= p && p < st.parts[k].End {
		st.lastPart = k
		return k
	}
	k := formats.PartIndex(st.parts, p)
	if k >= 0 {
		st.lastPart = k
	}
	return k
}

// visit expands rule i's class run around p, within p's part, and if the
// run can hold a match runs the pattern on it. It returns the run's end.
func (e *Engine) visit(i, p int, seg *formats.Segment, st *scanState) int {
	r := e.rules[i]
	text := st.text
	if !r.class.has(text[p]) {
		return p + 1
	}
	pi := st.partAt(p)
	if pi < 0 {
		return p + 1
	}
	ps, pe := st.parts[pi].Start, st.parts[pi].End
	a, b := p, p+1
	for a > ps && r.class.has(text[a-1]) {
		a--
	}
	for b < pe && r.class.has(text[b]) {
		b++
	}
	e.tryRun(i, a, b, pi, -1, seg, st)
	return b
}

// tryRun applies rule i's cheap filters to the class run text[a:b] of part
// pi and, if it passes, runs the pattern on it with one byte of context
// each side (inside the part). nd is the run's digit count, when the
// caller has it, or -1.
func (e *Engine) tryRun(i, a, b, pi, nd int, seg *formats.Segment, st *scanState) {
	r := e.rules[i]
	run := st.text[a:b]
	if !r.lengthFits(len(run)) || r.need != nil && !r.need.anyIn(run) {
		return
	}
	if r.minDigits > 0 {
		if nd < 0 {
			nd = countDigits(run, r.minDigits)
		}
		if nd < r.minDigits {
			return
		}
	}
	if !containsRequired(run, r.lits) || r.anchorUnsought && !containsAnchor(run, r.anchor, r.anchorFold) {
		return
	}
	for _, set := range r.foldNeed {
		if !containsFoldAny(run, set) {
			return
		}
	}
	if !r.stretchesFit(run) {
		return
	}
	ps, pe := st.parts[pi].Start, st.parts[pi].End
	// A keyword search (cached per block, so at worst one pass over the
	// segment) costs less than a regexp call, which on a short window takes
	// hundreds of nanoseconds. A memoised pattern is cheaper still, and its
	// validator rules out most windows before any keyword is looked for.
	if r.Keyword == KeywordRequired && (e.keywordsByBlock || !(r.memo.digitBlind && b-a <= memoMaxWindow)) && !e.ctxNear(i, pi, st) {
		lo := max(runesBack(st.text, a, r.Distance+1)-r.kwLen, ps)
		hi := min(runesForward(st.text, b, r.Distance+1), pe)
		if !e.plainNear(i, lo, hi, st) || !e.anyKeyword(i, lo, hi, pe, st) {
			return
		}
	}
	e.matchWindow(i, max(a-1, ps), min(b+1, pe), pi, seg, st)
}

// lengthFits reports whether a class run of n bytes can hold one of the
// rule's matches.
func (r *rule) lengthFits(n int) bool { return n >= r.minLen && !(r.wholeRun && n > r.maxLen) }

// stretchesFit reports whether run has enough digits in stretches short
// enough for a match (see shape.stretchCap).
func (r *rule) stretchesFit(run []byte) bool {
	return r.stretchCap == 0 || digitsInShortStretches(run, r.stretchCap) >= r.minDigits
}

// matchWindow runs rule i's pattern on text[a:b] and keeps the matches
// that pass its checks.
func (e *Engine) matchWindow(i, a, b, pi int, seg *formats.Segment, st *scanState) {
	for _, m := range e.findAll(i, a, b, st) {
		e.accept(i, a+m[0], a+m[1], pi, seg, st)
	}
}

// accept keeps rule i's match text[s:t] of part pi if it passes the
// rule's checks.
func (e *Engine) accept(i, s, t, pi int, seg *formats.Segment, st *scanState) {
	r := e.rules[i]
	text := st.text
	if s == t || !seg.Owns(s) {
		return
	}
	if r.Validate != nil && !r.Validate(text, s, t) {
		return
	}
	if containsAny(text[s:t], r.ignore) {
		return
	}
	switch r.Keyword {
	case KeywordRequired:
		if !e.ctxNear(i, pi, st) && !e.keywordNear(i, s, t, pi, st) {
			return
		}
	case KeywordAbsent:
		if e.ctxNear(i, pi, st) || e.keywordNear(i, s, t, pi, st) {
			return
		}
	}
	if e.allow.Allows(text[s:t]) {
		return
	}
	st.found = append(st.found, Detection{Identifier: r.Identifier, Start: s, End: t, rule: i})
}

// manyKeywordRules is how many keyword-bound rules an Engine takes before
// it looks for their keywords by block first (see Engine.keywordsByBlock).
// Measured (BenchmarkEngineRec*, BenchmarkEngine*): RECOMMENDED's 31 scan
// CSV, logs and JSON Lines 2-6 times faster by block, and prose as fast;
// the first set's identifiers with 20 custom ones (19) scan prose
// nearly twice as fast without, their keywords being common words there.
const manyKeywordRules = 24

// commonAnchor reports whether a pattern's anchor is searched by a byte so
// common (the "c" of a case-insensitive "inc") that its digits, if it needs
// a few, make the cheaper trigger.
func commonAnchor(sh shape) bool {
	if sh.anchor == "" || sh.minDigits < 3 {
		return false
	}
	return foldFreq(sh.anchor[rarest(sh.anchor, sh.anchorFold)], sh.anchorFold) >= 100
}

// anchoringLits reports whether the literals one of which every match
// holds make a good anchor: three bytes or more, or two with a rare byte
// ("DE" of a German IBAN, "1Z" of a parcel number), which finds a handful
// of places where the digit trigger would widen every number.
func anchoringLits(lits [][]byte) bool {
	switch score(litStrings(lits)) {
	case 0, 1:
		return false
	case 2:
		for _, l := range lits {
			if byteFreq(l[rarest(string(l), false)]) > byteFreq('A') {
				return false
			}
		}
	}
	return true
}

func litStrings(lits [][]byte) []string {
	out := make([]string, len(lits))
	for i, l := range lits {
		out[i] = string(l)
	}
	return out
}

// containsRequired reports whether b holds one of the literals that every
// match contains (true when the rule has none).
func containsRequired(b []byte, lits [][]byte) bool {
	if lits == nil {
		return true
	}
	for _, l := range lits {
		if bytes.Contains(b, l) {
			return true
		}
	}
	return false
}

// containsAnchor reports whether b holds the anchor literal (in any case
// when fold).
func containsAnchor(b []byte, anchor string, fold bool) bool {
	if !fold {
		return bytes.Contains(b, []byte(anchor))
	}
	for k := 0; k+len(anchor) <= len(b); k++ {
		if bytes.EqualFold(b[k:k+len(anchor)], []byte(anchor)) {
			return true
		}
	}
	return false
}

// digitsInShortStretches counts the digits of b that lie in stretches of
// at most limit consecutive digits.
func digitsInShortStretches(b []byte, limit int) int {
	n, run := 0, 0
	for _, c := range b {
		if c-'0' <= 9 {
			run++
			continue
		}
		if run <= limit {
			n += run
		}
		run = 0
	}
	if run <= limit {
		n += run
	}
	return n
}

// containsFoldAny reports whether b holds one of lits (lower-case ASCII)
// in any case.
func containsFoldAny(b []byte, lits []string) bool {
	for _, l := range lits {
		for k := 0; k+len(l) <= len(b); k++ {
			if b[k]|0x20 == l[0]|0x20 && equalFoldASCII(b[k:k+len(l)], l) {
				return true
			}
		}
	}
	return false
}

// escapedFold reports whether text holds a long s (U+017F) or a Kelvin
// sign (U+212A): the only non-ASCII characters that (?i) matches for an
// ASCII letter (s and k), and that a search folding ASCII case misses.
func escapedFold(text []byte) bool {
	return bytes.Contains(text, []byte("\u017f")) || bytes.Contains(text, []byte("\u212a"))
}

// appendFoldEscapes appends the offsets of each long s and Kelvin sign
// in text.
func appendFoldEscapes(at []int, text []byte) []int {
	for _, c := range [][]byte{[]byte("\u017f"), []byte("\u212a")} {
		for off := 0; ; {
			k := bytes.Index(text[off:], c)
			if k < 0 {
				break
			}
			at = append(at, off+k)
			off += k + len(c)
		}
	}
	return at
}

func containsAny(b []byte, words [][]byte) bool {
	for _, w := range words {
		if bytes.Contains(b, w) {
			return true
		}
	}
	return false
}
