package identifiers

import (
	"regexp"
	"regexp/syntax"
	"testing"
)

// TestWidenKeepsMatches: the widened pattern, on a window's shape, matches
// wherever the pattern matches the window, since the Engine drops windows
// it does not match. Each pattern that tells digits apart is tried on
// windows made from one of its matches with digits and separators
// redrawn at random.
func TestWidenKeepsMatches(t *testing.T) {
	r := NewCorpusRand(5)
	for _, c := range []struct{ pattern, seed string }{
		{`\b0[1-9](?:[ .-]?\d{2}){4}\b`, "tel 01 23 45 67 89."},
		{`(?:\+1[ .-]?)?\b[2-9]\d{2}[ .-]?[2-9]\d{2}[ .-]?\d{4}\b`, "+1 415-555-0134"},
		{`\+33 ?[1-9](?: ?\d{2}){4}`, "+33 6 12 34 56 78"},
		{`\b[1-478]\d{2}(?:0[1-9]|1[0-2])\d{8}\b`, " 185057800608436 "},
		{`\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])\b`, "on 2024-07."},
		{`\b\d{3}-(?:[0-57-9]\d|6[0-57-9])-\d{4}\b`, "ssn 123-45-6789"},
	} {
		parsed, err := syntax.Parse(c.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		wide, shape := widen(parsed.Simplify())
		if wide == nil {
			t.Fatalf("%s: not widened", c.pattern)
		}
		re := regexp.MustCompile(c.pattern)
		matched, missed := 0, 0
		for range 20000 {
			w := []byte(c.seed)
			for k, b := range w {
				switch {
				case b-'0' <= 9 && r.IntN(2) == 0:
					w[k] = '0' + byte(r.IntN(10))
				case r.IntN(20) == 0:
					w[k] = " -.0"[r.IntN(4)]
				}
			}
			if !re.Match(w) {
				continue
			}
			matched++
			if s, _ := shape.shapeOf(nil, w); !wide.Match(s) {
				missed++
			}
		}
		if missed > 0 || matched < 100 {
			t.Errorf("%s: the widened pattern misses %d of %d matching windows (want 0 of at least 100)", c.pattern, missed, matched)
		}
	}
}
