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
// false when RE2 is not the engine for it: the window is short, or RE2
// rejected the pattern.
//
// RE2 and Go's regexp agree on valid UTF-8. Go's reads each byte of
// invalid UTF-8 as U+FFFD, one byte wide; for a pattern that cannot match
// U+FFFD such a byte only separates, as a control byte outside the
// pattern's class does (neither is a word character for \b), so RE2 runs
// on a copy with each invalid byte so replaced. A pattern with (?m)^ or $,
// or one that can match U+FFFD, keeps Go's regexp for such a window.
func (r *rule) findAllLong(window []byte) (found [][]int, ok bool) {
	if len(window) < re2MinWindow {
		return nil, false
	}
	re := r.long.get(r.Pattern)
	if re == nil {
		return nil, false
	}
	if !utf8.Valid(window) {
		if r.lineAnchors || r.takesFFFD || r.separator == 0 {
			return nil, false
		}
		window = replaceInvalid(window, r.separator)
	}
	return re.FindAllIndex(window, -1), true
}

// replaceInvalid returns a copy of b with each byte that is not part of
// a valid UTF-8 character replaced by sep.
func replaceInvalid(b []byte, sep byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c, n := utf8.DecodeRune(b[i:])
		if c == utf8.RuneError && n == 1 {
			out = append(out, sep)
		} else {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

// separatorFor returns a control byte outside class, to stand for
// invalid UTF-8 (see findAllLong), or 0 when there is none.
func separatorFor(class *byteSet) byte {
	for c := byte(1); c < ' '; c++ {
		if !class.has(c) && c != '\n' {
			return c
		}
	}
	return 0
}
