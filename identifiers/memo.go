package identifiers

// Match memo: digit-heavy text (a table of ids, amounts and phone numbers)
// hands a pattern thousands of windows that differ only in bytes the
// pattern cannot tell apart (one digit for another, where it only asks for
// \d). The matches in a window depend only on the window's shape, each
// byte replaced by the least byte the pattern treats alike, so the regexp
// runs once per shape.

import (
	"regexp/syntax"
	"slices"
	"unicode"
)

// Memo limits: windows longer than memoMaxWindow run the regexp directly,
// and a rule's memo is emptied when it reaches memoMaxEntries shapes. A
// memo that hits less than half the time after memoTrial lookups is
// dropped for the rest of the segment: its shapes do not repeat.
const (
	memoMaxWindow  = 64
	memoMaxEntries = 1024
	memoTrial      = 256
)

// memoShape maps each byte to its stand-in: the least byte that every part
// of the pattern treats alike. Two ASCII bytes are alike when each literal
// (with its case variants), each character class, '.', \b and \B (word
// bytes) and (?m)^ and $ (newline) accepts both or neither. Bytes of 0x80
// and up stand for themselves, so UTF-8 decodes the same in a shape.
type memoShape struct {
	rep *[256]byte
	// digitBlind says every ASCII digit has one stand-in: shapes repeat
	// across a table's numbers, so the memo is cheap enough to run before
	// a keyword search.
	digitBlind bool
}

func newMemoShape(re *syntax.Regexp) memoShape {
	var sets [][]rune // each a rune range list, as syntax.Regexp.Rune
	var collect func(re *syntax.Regexp)
	collect = func(re *syntax.Regexp) {
		switch re.Op {
		case syntax.OpLiteral:
			for _, r := range re.Rune {
				set := []rune{r, r}
				for f := unicode.SimpleFold(r); re.Flags&syntax.FoldCase != 0 && f != r; f = unicode.SimpleFold(f) {
					set = append(set, f, f)
				}
				sets = append(sets, set)
			}
		case syntax.OpCharClass:
			sets = append(sets, re.Rune)
		case syntax.OpAnyCharNotNL, syntax.OpBeginLine, syntax.OpEndLine:
			sets = append(sets, []rune{'\n', '\n'})
		case syntax.OpWordBoundary, syntax.OpNoWordBoundary:
			sets = append(sets, []rune{'0', '9', 'A', 'Z', '_', '_', 'a', 'z'})
		}
		for _, sub := range re.Sub {
			collect(sub)
		}
	}
	collect(re)
	rep := standIns(func(sig []byte, c byte) []byte {
		for _, set := range sets {
			in := byte(0)
			if inClass(set, rune(c)) {
				in = 1
			}
			sig = append(sig, in)
		}
		return sig
	})
	return memoShape{rep: rep, digitBlind: digitBlindRep(rep)}
}

// standIns returns a byte map of shapes: each ASCII byte stands for
// itself or for the least byte with the same signature (sig appends c's
// to buf), and each byte of 0x80 and up for itself, so UTF-8 decodes the
// same in a shape.
func standIns(sig func(buf []byte, c byte) []byte) *[256]byte {
	rep := new([256]byte)
	first := map[string]byte{} // signature -> least byte with it
	var buf []byte
	for c := range 256 {
		if c >= 0x80 {
			rep[c] = byte(c)
			continue
		}
		buf = sig(buf[:0], byte(c))
		b, ok := first[string(buf)]
		if !ok {
			b = byte(c)
			first[string(buf)] = b
		}
		rep[c] = b
	}
	return rep
}

// digitBlindRep reports whether rep gives every ASCII digit one stand-in.
func digitBlindRep(rep *[256]byte) bool {
	for d := byte('1'); d <= '9'; d++ {
		if rep[d] != rep['0'] {
			return false
		}
	}
	return true
}

func inClass(ranges []rune, r rune) bool {
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i] <= r && r <= ranges[i+1] {
			return true
		}
	}
	return false
}

// shapeOf writes window's shape into buf, and returns it with its hash
// (shapeHash).
func (m *memoShape) shapeOf(buf, window []byte) ([]byte, uint64) {
	buf = slices.Grow(buf[:0], len(window))[:len(window)]
	for k, c := range window {
		buf[k] = m.rep[c]
	}
	return buf, shapeHash(buf)
}

// memo is one rule's memo in a scan state: an open-addressed table of
// shapes, cheaper than a map with string keys since the hash comes with
// the shape.
type memo struct {
	slots []memoSlot // memoSlots of them, or none yet
	n     int
	trial
}

// trial decides whether a memo pays: one that hits less than half the time
// after memoTrial lookups is turned off (off) for the rest of the segment.
type trial struct {
	lookups, hits int
	off           bool
}

// look counts a lookup, and reports whether it has just turned the memo
// off.
func (t *trial) look(hit bool) bool {
	t.lookups++
	if hit {
		t.hits++
		return false
	}
	if t.lookups >= memoTrial && t.hits*2 < t.lookups {
		t.off = true
		return true
	}
	return false
}

// restart begins a new trial (a new segment); the memo keeps its shapes.
func (t *trial) restart() { *t = trial{} }

type memoSlot struct {
	hash  uint64
	shape string // "" for a free slot (a window is never empty)
	found [][]int
}

// memoSlots is the table size: twice memoMaxEntries, so probes stay short.
const memoSlots = 2 * memoMaxEntries

// slot returns the slot of shape: its own, or the free one it would take.
func (m *memo) slot(shape []byte, h uint64) *memoSlot {
	for k := h; ; k++ {
		s := &m.slots[k%memoSlots]
		if s.shape == "" || s.hash == h && s.shape == string(shape) {
			return s
		}
	}
}

// lookup finds shape's slot in the memo, counting the lookup: hit says it
// holds the shape's entry; on is false when the memo has just been turned
// off (its shapes do not repeat) and the caller should run the pattern
// itself from now on.
func (m *memo) lookup(shape []byte, h uint64) (s *memoSlot, hit, on bool) {
	if m.slots == nil {
		m.slots = make([]memoSlot, memoSlots)
	}
	s = m.slot(shape, h)
	hit = s.shape != ""
	if m.look(hit) {
		m.slots, m.n = nil, 0
		return nil, false, false
	}
	return s, hit, true
}

// store puts shape's entry in the slot lookup gave, emptying the memo
// first when it is full.
func (m *memo) store(s *memoSlot, shape []byte, h uint64, found [][]int) {
	if m.n >= memoMaxEntries {
		clear(m.slots)
		m.n = 0
		s = m.slot(shape, h)
	}
	*s = memoSlot{hash: h, shape: string(shape), found: found}
	m.n++
}

// findAll returns rule i's matches in text[a:b], from the memo when the
// window's shape has been seen.
func (e *Engine) findAll(i, a, b int, st *scanState) [][]int {
	r := e.rules[i]
	window := st.text[a:b]
	if len(window) >= re2MinWindow {
		if found, ok := r.findAllLong(window); ok {
			return found
		}
	}
	if !e.wideMatches(i, window, st) {
		return nil
	}
	m := &st.memos[i]
	if m.off || len(window) > memoMaxWindow || len(window) == 0 {
		return r.re.FindAllIndex(window, -1)
	}
	shape, h := r.memo.shapeOf(st.shape, window)
	st.shape = shape
	s, hit, on := m.lookup(shape, h)
	switch {
	case hit:
		return s.found
	case !on:
		return r.re.FindAllIndex(window, -1)
	}
	found := r.re.FindAllIndex(window, -1)
	m.store(s, shape, h, found)
	return found
}
