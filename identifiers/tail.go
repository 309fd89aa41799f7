package identifiers

// Anchor tails: a pattern that begins with its anchor ("exp" of an expiry
// field, "eyJ" of a token) is tried at each place the anchor occurs, and
// the anchor can be common in prose ("expected"). What a match has right
// after the anchor is often a chain of plain character classes, each
// repeated ([A-Za-z_-]{0,12}["']?[ \t]*[=:] for the field), which a walk
// of a few bytes checks: at "expected to" the [=:] finds a "t". That
// spares the run around the place its widening and its checks.

import (
	"regexp/syntax"
	"unicode/utf8"
)

// tailStep is one link of the chain: min to max bytes of class (max -1
// for no bound).
type tailStep struct {
	class    byteSet
	min, max int
}

// anchorTail returns the chain that follows the anchor lit (case-folded
// when fold) at the start of every match of re, cut where a greedy walk
// would no longer tell exactly whether it can match; nil when re does not
// begin with lit, or nothing useful follows it.
func anchorTail(re *syntax.Regexp, lit string, fold bool) []tailStep {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpConcat {
		return nil
	}
	subs := re.Sub
	// Assertions before the anchor only narrow where it may begin a
	// match: passing over them lets the walk through more, never less.
	for len(subs) > 0 && emptyWidth(subs[0].Op) {
		subs = subs[1:]
	}
	if len(subs) == 0 || subs[0].Op != syntax.OpLiteral || string(subs[0].Rune) != lit ||
		(subs[0].Flags&syntax.FoldCase != 0) != fold {
		return nil
	}
	var steps []tailStep
	for _, sub := range subs[1:] {
		more, ok := tailSteps(sub)
		if !ok {
			break
		}
		steps = append(steps, more...)
	}
	steps = steps[:greedyPrefix(steps)]
	// A chain with no step that must match cannot fail.
	for _, s := range steps {
		if s.min > 0 {
			return steps
		}
	}
	return nil
}

// emptyWidth reports whether op matches no bytes (an assertion).
func emptyWidth(op syntax.Op) bool {
	switch op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return true
	}
	return false
}

// tailSteps returns the steps of one part of a concatenation: a literal's
// bytes, or a repeat of one ASCII class or byte; ok is false for anything
// else.
func tailSteps(re *syntax.Regexp) (steps []tailStep, ok bool) {
	min, max, one := 1, 1, re
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			s, ok := tailClass(&syntax.Regexp{Op: syntax.OpLiteral, Rune: []rune{r}, Flags: re.Flags})
			if !ok {
				return nil, false
			}
			steps = append(steps, tailStep{class: s, min: 1, max: 1})
		}
		return steps, true
	case syntax.OpQuest:
		min, max, one = 0, 1, re.Sub[0]
	case syntax.OpStar:
		min, max, one = 0, -1, re.Sub[0]
	case syntax.OpPlus:
		min, max, one = 1, -1, re.Sub[0]
	case syntax.OpRepeat:
		min, max, one = re.Min, re.Max, re.Sub[0]
	}
	s, ok := tailClass(one)
	if !ok {
		return nil, false
	}
	return []tailStep{{class: s, min: min, max: max}}, true
}

// tailClass returns the bytes of a class or a one-rune literal, all
// ASCII (each byte then one character, so counts of bytes are counts of
// characters).
func tailClass(re *syntax.Regexp) (byteSet, bool) {
	var s byteSet
	switch {
	case re.Op == syntax.OpLiteral && len(re.Rune) == 1 && re.Rune[0] < utf8.RuneSelf:
		c := byte(re.Rune[0])
		if re.Flags&syntax.FoldCase != 0 && c|0x20 >= 'a' && c|0x20 <= 'z' {
			// k and s also fold to non-ASCII letters, which a byte walk
			// cannot count as one: stop there.
			if c|0x20 == 'k' || c|0x20 == 's' {
				return s, false
			}
			s.addFold(c, true)
		} else {
			s.add(c)
		}
		return s, true
	case re.Op == syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1] >= utf8.RuneSelf {
				return s, false
			}
			s.addRange(byte(re.Rune[i]), byte(re.Rune[i+1]))
		}
		return s, true
	}
	return s, false
}

// greedyPrefix returns how many of the steps a greedy walk checks
// exactly: those whose class shares no byte with the classes of the
// steps after it, up to and including the next that must match. Then
// every match takes all the bytes of a step's class that the walk
// does (a byte left over could go to no later step), so the walk's
// places are the match's.
func greedyPrefix(steps []tailStep) int {
	for i := range steps {
		for j := i + 1; j < len(steps); j++ {
			if steps[i].class.meets(&steps[j].class) {
				return i
			}
			if steps[j].min > 0 {
				break
			}
		}
	}
	return len(steps)
}

// tailFits reports whether a match can go on as steps say from text[q:]
// (false only when none can).
func tailFits(steps []tailStep, text []byte, q int) bool {
	for k := range steps {
		s := &steps[k]
		n := 0
		for q < len(text) && (s.max < 0 || n < s.max) && s.class[text[q]] {
			q++
			n++
		}
		if n < s.min {
			return false
		}
	}
	return true
}
