package identifiers

import (
	"sort"
	"sync"
	"unicode/utf8"

	re2 "github.com/wasilibs/go-re2"
)

// re2MinWindow is the shortest window that RE2 runs instead of Go's
// regexp. On a short window Go's regexp wins (a call into go-re2 copies
// the window into its memory and costs about a microsecond); on a long
// one RE2's DFA runs 10-30 times faster (see docs/performance.md).
const re2MinWindow = 2 << 10

// longRegexp is a rule's pattern compiled by go-re2, on first need: most
// rules never see a window long enough.
type longRegexp struct {
	once sync.Once
	re   *re2.Regexp // nil when RE2 rejects the pattern
}

func (l *longRegexp) get(pattern string) *re2.Regexp {
	l.once.Do(func() {
		if re, err := re2.Compile(pattern); err == nil {
			l.re = re
		}
	})
	return l.re
}

// findAllLong returns rule r's matches in a long window with RE2, or ok
// false when RE2 is not the engine for it: the window is short, or RE2
// rejected the pattern.
//
// RE2 and Go's regexp agree on valid UTF-8. Go's reads each byte of
// invalid UTF-8 as U+FFFD, one byte wide; so RE2 runs on a copy with each
// such byte spelt as U+FFFD (three bytes), which holds the same
// characters, and the matches' offsets are mapped back.
func (r *rule) findAllLong(window []byte) (found [][]int, ok bool) {
	if len(window) < re2MinWindow {
		return nil, false
	}
	re := r.long.get(r.Pattern)
	if re == nil {
		return nil, false
	}
	if utf8.Valid(window) {
		return re.FindAllIndex(window, -1), true
	}
	text, bad := spellInvalid(window)
	found = re.FindAllIndex(text, -1)
	for _, m := range found {
		m[0], m[1] = unspell(m[0], bad), unspell(m[1], bad)
	}
	return found, true
}

// spellInvalid returns a copy of b with each byte that is not part of a
// valid UTF-8 character replaced by U+FFFD, and the offsets in b of those
// bytes.
func spellInvalid(b []byte) (text []byte, bad []int) {
	text = make([]byte, 0, len(b)+64)
	done := 0 // b[:done] is in text
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		c, n := utf8.DecodeRune(b[i:])
		if c == utf8.RuneError && n == 1 {
			text = utf8.AppendRune(append(text, b[done:i]...), utf8.RuneError)
			bad = append(bad, i)
			done = i + 1
		}
		i += n
	}
	return append(text, b[done:]...), bad
}

// unspell maps offset o of spellInvalid's copy, which is never inside a
// character, back to the original: each replaced byte before it grew by
// two.
func unspell(o int, bad []int) int {
	// The k-th replacement begins at bad[k]+2k in the copy.
	k := sort.Search(len(bad), func(k int) bool { return bad[k]+2*k >= o })
	return o - 2*k
}
