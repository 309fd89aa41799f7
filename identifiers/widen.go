package identifiers

// Digit-blind prefilter: a pattern that tells digits apart ("0[1-9]",
// "[2-9]\d{2}") has too many window shapes for the memo, and a table's
// phone column hands each country's phone pattern every row. The same
// pattern with each digit widened to \d accepts every match of the
// original (and more), yet treats all digits alike, so its answer per
// window shape is memoised like a digit-blind pattern's: a window whose
// shape the wide pattern does not match holds no match, and the regexp
// never runs on it.

import (
	"regexp"
	"regexp/syntax"
	"slices"
)

// widen returns the pattern with every digit it names (in a literal or a
// class) widened to all ten, and its shape; nil when the widened pattern
// does not compile or still tells digits apart.
func widen(re *syntax.Regexp) (*regexp.Regexp, memoShape) {
	w := widened(re)
	wide, err := regexp.Compile(w.String())
	if err != nil {
		return nil, memoShape{}
	}
	shape := newMemoShape(w)
	if !shape.digitBlind {
		return nil, memoShape{}
	}
	return wide, shape
}

// widened returns a copy of re with each digit of a literal made [0-9],
// and each class that holds a digit made to hold all ten.
func widened(re *syntax.Regexp) *syntax.Regexp {
	out := *re
	out.Sub = nil
	for _, sub := range re.Sub {
		out.Sub = append(out.Sub, widened(sub))
	}
	switch re.Op {
	case syntax.OpLiteral:
		if !slices.ContainsFunc(re.Rune, isDigitRune) {
			return &out
		}
		cat := &syntax.Regexp{Op: syntax.OpConcat}
		for _, r := range re.Rune {
			if isDigitRune(r) {
				cat.Sub = append(cat.Sub, &syntax.Regexp{Op: syntax.OpCharClass, Rune: []rune{'0', '9'}})
			} else {
				cat.Sub = append(cat.Sub, &syntax.Regexp{Op: syntax.OpLiteral, Rune: []rune{r}, Flags: re.Flags})
			}
		}
		return cat
	case syntax.OpCharClass:
		for k := 0; k+1 < len(re.Rune); k += 2 {
			if re.Rune[k] <= '9' && re.Rune[k+1] >= '0' {
				out.Rune = append(slices.Clone(re.Rune), '0', '9')
				break
			}
		}
	}
	return &out
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// wideMatches reports whether rule i's widened pattern matches the window
// (from its memo, by shape); true when the rule has none.
func (e *Engine) wideMatches(i int, window []byte, st *scanState) bool {
	r := e.rules[i]
	if r.wide == nil || len(window) > memoMaxWindow || len(window) == 0 {
		return true
	}
	m := &st.wideMemos[i]
	if m.off {
		return true
	}
	shape, h := r.wideShape.shapeOf(st.shape, window)
	st.shape = shape
	s, hit, on := m.lookup(shape, h)
	switch {
	case hit:
		return s.found != nil
	case !on:
		return true
	}
	var found [][]int // non-nil (and empty) for a match
	if r.wide.Match(shape) {
		found = [][]int{}
	}
	m.store(s, shape, h, found)
	return found != nil
}
