package identifiers

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// byteSet is a set of byte values. A table of bools rather than a bitmap:
// the class runs are walked byte by byte, and one load per byte is the
// cheapest membership test there is.
type byteSet [256]bool

func (s *byteSet) add(b byte)      { s[b] = true }
func (s *byteSet) has(b byte) bool { return s[b] }

// addFold adds c and, with fold and c an ASCII letter, its other case.
func (s *byteSet) addFold(c byte, fold bool) {
	s[c] = true
	if l := c | 0x20; fold && l >= 'a' && l <= 'z' {
		s[l], s[l&^0x20] = true, true
	}
}

// anyIn reports whether b holds a byte of the set.
func (s *byteSet) anyIn(b []byte) bool {
	for _, c := range b {
		if s[c] {
			return true
		}
	}
	return false
}

// hasLower reports whether the set holds an ASCII small letter.
func (s *byteSet) hasLower() bool {
	return slices.ContainsFunc([]byte("abcdefghijklmnopqrstuvwxyz"), s.has)
}
func (s *byteSet) addRange(lo, hi byte) {
	for c := int(lo); c <= int(hi); c++ {
		s.add(byte(c))
	}
}

// wordOnly reports whether every byte of s is an ASCII word byte
// ([0-9A-Za-z_]), as \b sees them.
func (s *byteSet) wordOnly() bool {
	for c, in := range s {
		if in && !syntax.IsWordChar(rune(c)) {
			return false
		}
	}
	return true
}

// meets reports whether s and o share a byte.
func (s *byteSet) meets(o *byteSet) bool {
	for c, in := range o {
		if in && s[c] {
			return true
		}
	}
	return false
}

// asciiString returns the set's bytes as a string, or "" when one is not
// ASCII.
func (s *byteSet) asciiString() string {
	var b []byte
	for c, in := range s {
		if in {
			if c >= utf8.RuneSelf {
				return ""
			}
			b = append(b, byte(c))
		}
	}
	return string(b)
}

// union adds every byte of o.
func (s *byteSet) union(o *byteSet) {
	for c, in := range o {
		s[c] = s[c] || in
	}
}

// shape is what the Engine learns from a pattern's syntax tree, so that it
// runs the regular expression only where a match can be.
type shape struct {
	// class holds every byte a match can consume. Any match lies inside a
	// maximal run of class bytes, so running the pattern on that run (with
	// one byte of context each side for \b) finds exactly the matches a run
	// over the whole text finds there.
	class byteSet
	// minDigits is the fewest ASCII digits any match contains.
	minDigits int
	// minLen is the fewest bytes any match has: a run of class bytes shorter
	// than that cannot hold one.
	minLen int
	// minStretch is the longest stretch of consecutive digits that every
	// match contains (7 for INC\d{7}, 4 for an SSN, 1 for a card number
	// whose digits may be split): a run whose digits are all in shorter
	// stretches (a date, an IP address) holds no match.
	minStretch int
	// wholeRun says a match is always its whole class run: the pattern
	// begins and ends with \b and consumes only word bytes, so no word
	// boundary falls inside a run. Then a run longer than maxLen holds
	// none.
	wholeRun bool
	maxLen   int
	// stretchCap, when not 0, is the longest stretch of consecutive
	// digits a match can hold, for a pattern whose matches neither begin
	// nor end inside a stretch of the text's digits (a \b or a non-digit
	// at each end): a longer stretch of the text is in no match, and a run
	// whose other digits are too few holds none.
	stretchCap int
	// anchor is a literal every match contains ("" if none of 3+ bytes).
	anchor     string
	anchorFold bool
	// tail, for a pattern whose every match begins with the anchor, is
	// what follows it, as far as a walk checks it (see tail.go).
	tail []tailStep
	// lits are case-sensitive literals one of which every match contains
	// ("DE" for a German IBAN; "+1", "1 ", "1.", "1-" for a phone number
	// with its country code): a run without any cannot hold a match.
	lits [][]byte
	// memo reduces the pattern's windows to their shapes (see memo.go).
	memo memoShape
	// wide is the pattern with digits widened, when it tells digits apart
	// and needs some, and wideShape its shape (see widen.go).
	wide      *regexp.Regexp
	wideShape memoShape
	// whole is set when the pattern uses ^ or $ of the whole text: then
	// windows would change its meaning and it runs on the whole segment.
	whole bool
	// need, when not nil, holds bytes one of which every match contains,
	// all rare in text (the "=" or ":" of a field "exp: 09"): a run with
	// none of them holds no match.
	need *byteSet
	// lead, when not 0, holds the digits a match can begin with (bit d
	// for digit d), some but not all ten, for a pattern whose every match
	// begins with a digit that follows no digit (a \b): then a match
	// begins where a number of the text does, with one of those digits
	// (a German phone number's 0).
	lead uint16
	// foldLits, when the pattern has neither an anchor nor lits, are
	// lower-case ASCII literals of 3+ bytes one of which every match
	// contains in some case: the words of a case-insensitive alternation
	// such as (?i)(confidential|internal only). foldEscape says one holds
	// an s or a k, which (?i) also matches as the non-ASCII long s or
	// Kelvin sign, invisible to an ASCII search (see Engine.escapedFold).
	foldLits   []string
	foldEscape bool
	// foldNeed are sets of lower-case ASCII literals without an s or a
	// k, one of each set being in every match in some case: the words
	// of (?i)project\s+(falcon|orion), which a run around the anchor
	// "project" must also hold.
	foldNeed [][]string
}

func analyse(pattern string) (shape, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return shape{}, err
	}
	var sh shape
	sh.walkClass(re)
	sh.minDigits = minDigits(re)
	sh.minLen = minLen(re)
	sh.minStretch = minStretch(re)
	sh.maxLen = maxLen(re)
	sh.wholeRun = sh.class.wordOnly() && edgeBoundaries(re)
	if c := digitStretches(re).in; c < inf && guarded(re, false) && guarded(re, true) {
		sh.stretchCap = c
	}
	sh.anchor, sh.anchorFold = requiredLiteral(re)
	for _, l := range requiredSet(re) {
		sh.lits = append(sh.lits, []byte(l))
	}
	if len(sh.anchor) < 3 || !asciiAnchor(sh.anchor, sh.anchorFold) {
		sh.anchor = ""
	} else {
		sh.tail = anchorTail(re, sh.anchor, sh.anchorFold)
	}
	if sh.anchor == "" && sh.lits == nil {
		sh.foldLits, sh.foldEscape = foldedSet(pattern)
	}
	if hasFold(re) {
		for _, set := range foldedParts(pattern) {
			if !slices.Equal(set, sh.foldLits) && !slices.Equal(set, []string{strings.ToLower(sh.anchor)}) {
				sh.foldNeed = append(sh.foldNeed, set)
			}
		}
	}
	if m, ok := leadDigits(re); ok && m != allDigitBits && guarded(re, false) {
		sh.lead = m
	}
	// The anchor's bytes, the literals' and digits are in every run the
	// pattern is tried on already.
	var known byteSet
	known.addRange('0', '9')
	for _, l := range append(sh.lits, []byte(sh.anchor)) {
		for _, c := range l {
			known.addFold(c, sh.anchorFold)
		}
	}
	if set, freq := requiredBytes(re, &known); set != nil && freq <= maxNeedFreq {
		sh.need = set
	}
	sh.memo = newMemoShape(re)
	if !sh.memo.digitBlind && sh.minDigits > 0 {
		sh.wide, sh.wideShape = widen(re)
	}
	return sh, nil
}

// asciiAnchor reports whether the Engine's automaton, which folds ASCII case
// only, finds every occurrence of the literal: it must be ASCII, and when
// case-folded, no letter of it may fold to a non-ASCII one (k to the Kelvin
// sign, s to the long s).
func asciiAnchor(lit string, fold bool) bool {
	for _, r := range lit {
		if r >= utf8.RuneSelf {
			return false
		}
		for f := unicode.SimpleFold(r); fold && f != r; f = unicode.SimpleFold(f) {
			if f >= utf8.RuneSelf {
				return false
			}
		}
	}
	return true
}

// walkClass fills class and whole.
func (sh *shape) walkClass(re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			sh.addRune(r, re.Flags&syntax.FoldCase != 0)
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if lo < utf8.RuneSelf {
				sh.class.addRange(byte(lo), byte(min(hi, utf8.RuneSelf-1)))
			}
			if hi >= utf8.RuneSelf {
				sh.class.addRange(0x80, 0xff)
			}
		}
	case syntax.OpAnyChar:
		sh.class.addRange(0, 0xff)
	case syntax.OpAnyCharNotNL:
		sh.class.addRange(0, '\n'-1)
		sh.class.addRange('\n'+1, 0xff)
	case syntax.OpBeginText, syntax.OpEndText:
		sh.whole = true
	}
	for _, sub := range re.Sub {
		sh.walkClass(sub)
	}
}

func (sh *shape) addRune(r rune, fold bool) {
	add := func(r rune) {
		if r < utf8.RuneSelf {
			sh.class.add(byte(r))
		} else {
			sh.class.addRange(0x80, 0xff)
		}
	}
	add(r)
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			add(f)
		}
	}
}

// minimum is the least a match of re must contain of something that its
// leaves count (digits, bytes): the sum over a concatenation, the least
// branch of an alternation, zero for what may be absent.
func minimum(re *syntax.Regexp, leaf func(*syntax.Regexp) int) int {
	switch re.Op {
	case syntax.OpLiteral, syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return leaf(re)
	case syntax.OpCapture, syntax.OpPlus:
		return minimum(re.Sub[0], leaf)
	case syntax.OpRepeat:
		return re.Min * minimum(re.Sub[0], leaf)
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += minimum(s, leaf)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			if d := minimum(s, leaf); n < 0 || d < n {
				n = d
			}
		}
		return max(n, 0)
	}
	return 0
}

// minDigits counts the ASCII digits every match must contain.
func minDigits(re *syntax.Regexp) int {
	return minimum(re, func(re *syntax.Regexp) int {
		switch re.Op {
		case syntax.OpLiteral:
			n := 0
			for _, r := range re.Rune {
				if r >= '0' && r <= '9' {
					n++
				}
			}
			return n
		case syntax.OpCharClass: // 1 when every rune of the class is a digit
			for i := 0; i+1 < len(re.Rune); i += 2 {
				if re.Rune[i] < '0' || re.Rune[i+1] > '9' {
					return 0
				}
			}
			return min(len(re.Rune), 1)
		}
		return 0
	})
}

// minLen counts the bytes every match must have.
func minLen(re *syntax.Regexp) int {
	return minimum(re, func(re *syntax.Regexp) int {
		switch re.Op {
		case syntax.OpLiteral:
			return literalLen(re, false)
		case syntax.OpCharClass:
			if len(re.Rune) == 0 {
				return 0
			}
			return max(utf8.RuneLen(re.Rune[0]), 1)
		}
		return 1 // any character
	})
}

// allDigits reports whether every byte re consumes is an ASCII digit
// (zero-width assertions consume none).
func allDigits(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	case syntax.OpCharClass:
		return minDigits(re) == 1
	case syntax.OpCapture, syntax.OpPlus, syntax.OpStar, syntax.OpQuest, syntax.OpRepeat, syntax.OpConcat:
		for _, sub := range re.Sub {
			if !allDigits(sub) {
				return false
			}
		}
		return true
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return true
	}
	return false
}

// minStretch returns the length of a stretch of consecutive digits that
// every match of re contains (0 when it knows none).
func minStretch(re *syntax.Regexp) int {
	if allDigits(re) {
		return minLen(re)
	}
	switch re.Op {
	case syntax.OpLiteral: // its longest digit run ("1" of "1Z")
		best, run := 0, 0
		for _, r := range re.Rune {
			if r >= '0' && r <= '9' {
				run++
			} else {
				run = 0
			}
			best = max(best, run)
		}
		return best
	case syntax.OpCapture, syntax.OpPlus:
		return minStretch(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return minStretch(re.Sub[0])
		}
	case syntax.OpAlternate:
		n := -1
		for _, sub := range re.Sub {
			if m := minStretch(sub); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	case syntax.OpConcat:
		// The longest of the subexpressions' own stretches and of the
		// sums over consecutive all-digit subexpressions.
		best, run := 0, 0
		for _, sub := range re.Sub {
			if allDigits(sub) {
				run += minLen(sub)
			} else {
				run = 0
				best = max(best, minStretch(sub))
			}
			best = max(best, run)
		}
		return best
	}
	return 0
}

// literalLen counts a literal's bytes, taking for each rune the shortest
// (longest) UTF-8 encoding of its case variants.
func literalLen(re *syntax.Regexp, longest bool) int {
	n := 0
	for _, r := range re.Rune {
		l := utf8.RuneLen(r)
		for f := unicode.SimpleFold(r); re.Flags&syntax.FoldCase != 0 && f != r; f = unicode.SimpleFold(f) {
			if fl := utf8.RuneLen(f); fl < l != longest {
				l = fl
			}
		}
		n += max(l, 1)
	}
	return n
}

// maxLen counts the most bytes a match can have (inf when unbounded).
func maxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return literalLen(re, true)
	case syntax.OpCharClass:
		n := 0
		for i := 1; i < len(re.Rune); i += 2 {
			n = max(n, utf8.RuneLen(min(re.Rune[i], unicode.MaxRune)))
		}
		return n
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxLen(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return inf
	case syntax.OpRepeat:
		if re.Max < 0 {
			return inf
		}
		return min(re.Max*maxLen(re.Sub[0]), inf)
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			n = min(n+maxLen(sub), inf)
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, sub := range re.Sub {
			n = max(n, maxLen(sub))
		}
		return n
	}
	return 0
}

// stretchInfo is what digitStretches learns of a subexpression: the most
// digits in a row that a match can begin with (pre), end with (suf) and
// hold anywhere (in), and the longest match that is all digits (all, -1
// when none is).
type stretchInfo struct{ all, pre, suf, in int }

func concatStretches(a, b stretchInfo) stretchInfo {
	out := stretchInfo{all: -1, pre: a.pre, suf: b.suf, in: max(a.in, b.in, min(a.suf+b.pre, inf))}
	if a.all >= 0 && b.all >= 0 {
		out.all = min(a.all+b.all, inf)
	}
	if a.all >= 0 {
		out.pre = max(out.pre, min(a.all+b.pre, inf))
	}
	if b.all >= 0 {
		out.suf = max(out.suf, min(b.all+a.suf, inf))
	}
	return out
}

func altStretches(a, b stretchInfo) stretchInfo {
	return stretchInfo{max(a.all, b.all), max(a.pre, b.pre), max(a.suf, b.suf), max(a.in, b.in)}
}

var emptyStretch = stretchInfo{}

// digitStretches analyses re for stretchCap.
func digitStretches(re *syntax.Regexp) stretchInfo {
	one := func(digit bool) stretchInfo {
		if digit {
			return stretchInfo{1, 1, 1, 1}
		}
		return stretchInfo{-1, 0, 0, 0}
	}
	switch re.Op {
	case syntax.OpLiteral:
		out := emptyStretch
		for _, r := range re.Rune {
			out = concatStretches(out, one(r >= '0' && r <= '9'))
		}
		return out
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		digits := re.Op != syntax.OpCharClass
		for i := 0; i+1 < len(re.Rune); i += 2 {
			digits = digits || re.Rune[i] <= '9' && re.Rune[i+1] >= '0'
		}
		return one(digits)
	case syntax.OpCapture:
		return digitStretches(re.Sub[0])
	case syntax.OpConcat:
		out := emptyStretch
		for _, sub := range re.Sub {
			out = concatStretches(out, digitStretches(sub))
		}
		return out
	case syntax.OpAlternate:
		out := stretchInfo{-1, 0, 0, 0}
		for _, sub := range re.Sub {
			out = altStretches(out, digitStretches(sub))
		}
		return out
	case syntax.OpQuest:
		return altStretches(emptyStretch, digitStretches(re.Sub[0]))
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		lo, hi := 0, -1
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
		}
		sub := digitStretches(re.Sub[0])
		if hi < 0 || hi > 32 {
			if sub.all > 0 {
				return stretchInfo{inf, inf, inf, inf} // digits without end
			}
			hi = max(lo, 2) // two repeats show every stretch more would
		}
		out := emptyStretch
		for range lo {
			out = concatStretches(out, sub)
		}
		for range hi - lo {
			out = concatStretches(out, altStretches(emptyStretch, sub))
		}
		return out
	}
	return emptyStretch // zero-width assertions, empty match
}

// guarded reports whether every match of re that begins (fromEnd: ends)
// with a digit has a \b or a line or text boundary there, so that the
// byte beyond is not a digit.
func guarded(re *syntax.Regexp, fromEnd bool) bool {
	switch re.Op {
	case syntax.OpWordBoundary, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpEmptyMatch, syntax.OpNoWordBoundary:
		return true // they consume nothing: what is guarded is decided around them
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return true
		}
		r := re.Rune[0]
		if fromEnd {
			r = re.Rune[len(re.Rune)-1]
		}
		return r < '0' || r > '9'
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '9' && re.Rune[i+1] >= '0' {
				return false
			}
		}
		return true
	case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		return guarded(re.Sub[0], fromEnd)
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !guarded(sub, fromEnd) {
				return false
			}
		}
		return true
	case syntax.OpConcat:
		for k := range re.Sub {
			sub := re.Sub[k]
			if fromEnd {
				sub = re.Sub[len(re.Sub)-1-k]
			}
			switch {
			case sub.Op == syntax.OpWordBoundary || sub.Op == syntax.OpBeginText || sub.Op == syntax.OpEndText ||
				sub.Op == syntax.OpBeginLine && !fromEnd || sub.Op == syntax.OpEndLine && fromEnd:
				return true // a boundary here, before (after) any byte
			case minLen(sub) > 0:
				return guarded(sub, fromEnd)
			case !guarded(sub, fromEnd):
				return false // when it is not empty
			}
		}
		return true
	}
	return false
}

// maxNeedFreq is the most a set of needed bytes may occur in text
// (byteFreq's sum over the set) for the check to pay: a digit's rate.
const maxNeedFreq = 100

// requiredBytes returns a set of bytes one of which every match of re
// contains, none of them known, the rarest it finds, and its frequency
// (byteFreq's sum over the set); nil when it knows none.
func requiredBytes(re *syntax.Regexp, known *byteSet) (*byteSet, int) {
	switch re.Op {
	case syntax.OpLiteral:
		var best *byteSet
		bestFreq := 0
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf || known[byte(r)] {
				continue
			}
			var set byteSet
			fold := re.Flags&syntax.FoldCase != 0
			set.addFold(byte(r), fold)
			if f := foldFreq(byte(r), fold); best == nil || f < bestFreq {
				best, bestFreq = &set, f
			}
		}
		return best, bestFreq
	case syntax.OpCharClass:
		var set byteSet
		freq, n := 0, 0
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if n++; n > maxLitSet || r >= utf8.RuneSelf || known[byte(r)] {
					return nil, 0
				}
				set.add(byte(r))
				freq += byteFreq(byte(r))
			}
		}
		return &set, freq
	case syntax.OpCapture, syntax.OpPlus:
		return requiredBytes(re.Sub[0], known)
	case syntax.OpRepeat:
		if re.Min > 0 {
			return requiredBytes(re.Sub[0], known)
		}
	case syntax.OpConcat:
		var best *byteSet
		bestFreq := 0
		for _, sub := range re.Sub {
			if set, f := requiredBytes(sub, known); set != nil && (best == nil || f < bestFreq) {
				best, bestFreq = set, f
			}
		}
		return best, bestFreq
	case syntax.OpAlternate:
		var set byteSet
		freq := 0
		for _, sub := range re.Sub {
			s, f := requiredBytes(sub, known)
			if s == nil {
				return nil, 0
			}
			set.union(s)
			freq += f
		}
		return &set, freq
	}
	return nil, 0
}

// allDigitBits has a bit for each of the ten digits.
const allDigitBits = 1<<10 - 1

// leadDigits returns the digits a match of re can begin with (bit d for
// digit d), and true when every match begins with one of them: none may
// be empty or begin with another byte.
func leadDigits(re *syntax.Regexp) (uint16, bool) {
	m, other, empty := leadBytes(re)
	return m, !other && !empty
}

// leadBytes returns the digits a match of re can begin with, whether it
// can begin with another byte (other), and whether it can be empty.
func leadBytes(re *syntax.Regexp) (digits uint16, other, empty bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return 0, false, true
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return 0, false, true
		}
		if r := re.Rune[0]; r >= '0' && r <= '9' {
			return 1 << (r - '0'), false, false
		}
		return 0, true, false
	case syntax.OpCharClass:
		for k := 0; k+1 < len(re.Rune); k += 2 {
			lo, hi := re.Rune[k], re.Rune[k+1]
			other = other || lo < '0' || hi > '9'
			for r := max(lo, '0'); r <= min(hi, '9'); r++ {
				digits |= 1 << (r - '0')
			}
		}
		return digits, other, false
	case syntax.OpCapture, syntax.OpPlus:
		return leadBytes(re.Sub[0])
	case syntax.OpStar, syntax.OpQuest:
		digits, other, _ = leadBytes(re.Sub[0])
		return digits, other, true
	case syntax.OpRepeat:
		digits, other, empty = leadBytes(re.Sub[0])
		return digits, other, empty || re.Min == 0
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			d, o, e := leadBytes(sub)
			digits, other, empty = digits|d, other || o, empty || e
		}
		return digits, other, empty
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			d, o, e := leadBytes(sub)
			digits, other = digits|d, other || o
			if !e {
				return digits, other, false
			}
		}
		return digits, other, true
	}
	return 0, true, true // any byte (., \C), or an op not known here
}

// inf stands for an unbounded length.
const inf = 1 << 30

// edgeBoundaries reports whether re is a concatenation that begins and
// ends with \b (looking through groups).
func edgeBoundaries(re *syntax.Regexp) bool {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 {
		return false
	}
	first, last := re.Sub[0], re.Sub[len(re.Sub)-1]
	return first.Op == syntax.OpWordBoundary && last.Op == syntax.OpWordBoundary
}

// requiredLiteral returns the longest literal that every match contains,
// looking through concatenations and groups (not alternations).
func requiredLiteral(re *syntax.Regexp) (string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return string(re.Rune), re.Flags&syntax.FoldCase != 0
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiteral(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return requiredLiteral(re.Sub[0])
		}
	case syntax.OpConcat:
		best, fold := "", false
		for _, s := range re.Sub {
			if l, f := requiredLiteral(s); len(l) > len(best) {
				best, fold = l, f
			}
		}
		return best, fold
	}
	return "", false
}

// maxFoldSet bounds the case-folded literal sets: they are searched for
// together, as keywords are, so more of them cost little.
const maxFoldSet = 16

// foldedSet returns the literals one of which every match of pattern
// contains, ignoring case, in lower case, when each is ASCII and 3 bytes
// or more; escape says one holds an s or a k. Case is ignored by taking
// every literal as written: a search that folds ASCII case finds each
// either way.
func foldedSet(pattern string) (lits []string, escape bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, false
	}
	clearFold(re)
	set := requiredSetUpTo(re, maxFoldSet)
	if score(set) < 3 {
		return nil, false
	}
	for _, l := range set {
		for k := range len(l) {
			if l[k] >= utf8.RuneSelf {
				return nil, false
			}
		}
		l = strings.ToLower(l)
		escape = escape || strings.ContainsAny(l, "sk")
		if !slices.Contains(lits, l) {
			lits = append(lits, l)
		}
	}
	return lits, escape
}

// foldedParts returns, for a pattern that is a concatenation, the folded
// literal sets of its parts (as foldedSet finds them) that hold no s or
// k, which an ASCII search cannot miss.
func foldedParts(pattern string) [][]string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	clearFold(re)
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpConcat {
		return nil
	}
	var out [][]string
next:
	for _, sub := range re.Sub {
		set := requiredSetUpTo(sub, maxFoldSet)
		if score(set) < 3 {
			continue
		}
		var lits []string
		for _, l := range set {
			for k := range len(l) {
				if l[k] >= utf8.RuneSelf {
					continue next
				}
			}
			l = strings.ToLower(l)
			if strings.ContainsAny(l, "sk") {
				continue next
			}
			if !slices.Contains(lits, l) {
				lits = append(lits, l)
			}
		}
		out = append(out, lits)
	}
	return out
}

// hasFold reports whether a part of re ignores case.
func hasFold(re *syntax.Regexp) bool {
	return re.Flags&syntax.FoldCase != 0 || slices.ContainsFunc(re.Sub, hasFold)
}

// clearFold drops the case-folding flag throughout re, so that the
// literal analyses take its literals as written.
func clearFold(re *syntax.Regexp) {
	re.Flags &^= syntax.FoldCase
	for _, sub := range re.Sub {
		clearFold(sub)
	}
}

// maxLitSet bounds the literal sets: more alternatives filter too little to
// pay for checking them.
const maxLitSet = 8

// exactSet returns every string re matches when they are few and short
// (nil when not known or too many). "" stands for an empty match.
func exactSet(re *syntax.Regexp) []string {
	if re.Flags&syntax.FoldCase != 0 {
		return nil
	}
	switch re.Op {
	case syntax.OpLiteral:
		return []string{string(re.Rune)}
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) == maxLitSet || r >= utf8.RuneSelf {
					return nil
				}
				out = append(out, string(r))
			}
		}
		return out
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return []string{""}
	case syntax.OpCapture:
		return exactSet(re.Sub[0])
	case syntax.OpQuest:
		if s := exactSet(re.Sub[0]); s != nil && len(s) < maxLitSet {
			return append(s, "")
		}
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			if out = cross(out, exactSet(sub)); out == nil {
				return nil
			}
		}
		return out
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			s := exactSet(sub)
			if s == nil || len(out)+len(s) > maxLitSet {
				return nil
			}
			out = append(out, s...)
		}
		return out
	}
	return nil
}

// cross is every a followed by every b, or nil if that is too many.
func cross(a, b []string) []string {
	if a == nil || b == nil || len(a)*len(b) > maxLitSet {
		return nil
	}
	var out []string
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// requiredSet returns literals one of which every match of re contains,
// the most selective it can find (nil when it knows none of 2+ bytes).
func requiredSet(re *syntax.Regexp) []string { return requiredSetUpTo(re, maxLitSet) }

// requiredSetUpTo is requiredSet with at most limit literals.
func requiredSetUpTo(re *syntax.Regexp, limit int) []string {
	requiredSet := func(re *syntax.Regexp) []string { return requiredSetUpTo(re, limit) }
	best := func(sets ...[]string) []string {
		var pick []string
		for _, s := range sets {
			if s != nil && score(s) > score(pick) {
				pick = s
			}
		}
		return pick
	}
	var out []string
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		out = requiredSet(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			out = requiredSet(re.Sub[0])
		}
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			s := requiredSet(sub)
			if s == nil || len(out)+len(s) > limit {
				return nil
			}
			out = append(out, s...)
		}
	case syntax.OpConcat:
		// Runs of parts whose exact strings are known combine; any part's
		// own required set also serves.
		for i := range re.Sub {
			out = best(out, requiredSet(re.Sub[i]))
			acc := []string{""}
			for j := i; j < len(re.Sub); j++ {
				if acc = cross(acc, exactSet(re.Sub[j])); acc == nil {
					break
				}
				out = best(out, acc)
			}
		}
	default:
		out = exactSet(re)
	}
	if score(out) < 2 {
		return nil
	}
	return out
}

// score is a literal set's selectivity: its shortest member's length (0
// for an empty or unknown set).
func score(s []string) int {
	if len(s) == 0 {
		return 0
	}
	n := len(s[0])
	for _, x := range s[1:] {
		n = min(n, len(x))
	}
	return n
}
