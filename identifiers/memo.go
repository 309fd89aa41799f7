package identifiers

// Match memo: digit-heavy text (a table of ids and amounts) hands the same
// pattern thousands of windows that differ only in their digits. For a
// pattern that treats every digit alike, the matches in a window depend only
// on the window's shape, so the regexp runs once per shape.

import (
	"regexp/syntax"
	"unicode"
)

// Memo limits: windows longer than memoMaxWindow run the regexp directly,
// and a rule's memo is emptied when it reaches memoMaxEntries shapes.
const (
	memoMaxWindow  = 64
	memoMaxEntries = 4096
)

// memoShape says how a rule's windows are reduced to their shape: every
// digit becomes '0', and a context byte (a window's first or last byte
// outside the rule's class) becomes word, newline or other, the only
// properties of a byte the pattern cannot consume that its assertions (\b,
// (?m)^ and $) can see. The three stand-ins are bytes outside the class,
// so a shape never mistakes context for a run byte. ok is false when the
// pattern tells digits apart ([2-9], a literal 4) or no stand-ins are free.
type memoShape struct {
	ok                   bool
	word, newline, other byte
}

func newMemoShape(re *syntax.Regexp, class *byteSet) memoShape {
	if !digitBlind(re) {
		return memoShape{}
	}
	m := memoShape{ok: true}
	m.word, m.newline, m.other = freeByte("_ZQXzqxJj", class), freeByte("\n", class), freeByte(",;|~\x00\x01", class)
	if m.word == 0 || m.newline == 0 || m.other == 0 || class['0'] == false {
		return memoShape{}
	}
	return m
}

// freeByte returns the first of the candidates not in class, or 0.
func freeByte(candidates string, class *byteSet) byte {
	for i := range len(candidates) {
		if c := candidates[i]; !class[c] {
			if c == 0 {
				return 0 // 0 means none; \x00 cannot stand in
			}
			return c
		}
	}
	return 0
}

// digitBlind reports whether every part of the pattern that can match a
// digit matches all ten alike.
func digitBlind(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if unicode.IsDigit(r) {
				return false
			}
		}
	case syntax.OpCharClass:
		for d := '0'; d <= '9'; d++ {
			if inClass(re.Rune, d) != inClass(re.Rune, '0') {
				return false
			}
		}
		// Non-ASCII digits (Arabic-Indic, ...) would stay as they are in
		// a shape, so they must not be told apart either: refuse classes
		// that hold any.
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1] >= 0x80 && hasNonASCIIDigit(re.Rune[i], re.Rune[i+1]) {
				return false
			}
		}
	}
	for _, sub := range re.Sub {
		if !digitBlind(sub) {
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

func hasNonASCIIDigit(lo, hi rune) bool {
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Hi) >= max(lo, 0x80) && rune(rg.Lo) <= hi {
			return true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rune(rg.Hi) >= max(lo, 0x80) && rune(rg.Lo) <= hi {
			return true
		}
	}
	return false
}

// shapeOf writes window's shape into buf.
func (m *memoShape) shapeOf(buf, window []byte, class *byteSet) []byte {
	buf = buf[:0]
	for _, c := range window {
		switch {
		case c-'0' <= 9:
			c = '0'
		case class[c]:
		case c == '\n':
			c = m.newline
		case c|0x20 >= 'a' && c|0x20 <= 'z' || c == '_':
			c = m.word
		default:
			c = m.other
		}
		buf = append(buf, c)
	}
	return buf
}

// findAll returns rule i's matches in text[a:b], from the memo when the
// window's shape has been seen.
func (e *Engine) findAll(i, a, b int, st *scanState) [][]int {
	r := e.rules[i]
	window := st.text[a:b]
	if !r.memo.ok || len(window) > memoMaxWindow {
		return r.re.FindAllIndex(window, -1)
	}
	st.shape = r.memo.shapeOf(st.shape, window, &r.class)
	memo := st.memos[i]
	if m, ok := memo[string(st.shape)]; ok {
		return m
	}
	m := r.re.FindAllIndex(window, -1)
	if memo == nil || len(memo) >= memoMaxEntries {
		memo = make(map[string][][]int)
		st.memos[i] = memo
	}
	memo[string(st.shape)] = m
	return m
}
