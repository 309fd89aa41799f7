package identifiers

import (
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
// false when RE2 is not the engine for it: the window is short, RE2
// rejected the pattern, or the window is not valid UTF-8, where RE2 and
// Go's regexp may read a byte differently.
func (r *rule) findAllLong(window []byte) (found [][]int, ok bool) {
	if len(window) < re2MinWindow {
		return nil, false
	}
	re := r.long.get(r.Pattern)
	if re == nil || !utf8.Valid(window) {
		return nil, false
	}
	return re.FindAllIndex(window, -1), true
}
