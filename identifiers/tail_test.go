package identifiers

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"testing"
)

// tailOf returns the tail the Engine would use for pattern.
func tailOf(t *testing.T, pattern string) []tailStep {
	t.Helper()
	sh, err := analyse(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return sh.tail
}

// TestAnchorTail: the tail is found only for patterns that begin with
// their anchor, and is cut where a greedy walk could turn away a match.
func TestAnchorTail(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pattern string
		steps   int
	}{
		{`(?i:exp)[A-Za-z_-]{0,12}["']?[ \t]*[=:][ \t]*["']?\d{1,4}\b`, 7},
		{`\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`, 3}, // the \b before the anchor is passed over
		{`[A-Z]{2}EMP-\d{6}`, 0},                   // the anchor is not first
		{`EMP-[0-9A-Z]*[0-9]{6}`, 0},               // the star's class holds the digit's: cut before it, nothing left
		{`EMP-[A-Z]?[0-9]{6}`, 2},                  // a class apart from the next: kept
		{`EMP-[0-9]{6}(?:[A-Z]{2}|[0-9]{3})`, 1},   // an alternation ends the chain
		{`(?i:emp-)[0-9](?i:s)[0-9]`, 1},           // s folds to ſ, two bytes: the walk stops before it
		{`EMP-é[0-9]{6}`, 0},                       // a non-ASCII byte ends the chain
		{`(?i:tok)[ \t]*`, 0},                      // no step must match: no tail
		{`(EMP-)[A-Z]{2}`, 0},                      // the anchor inside a group is not the start
		{`(?:EMP-[A-Z]{2}[0-9]{3})`, 2},            // a group around the whole is
		{`(?i:exp)[a-z]{0,12}[ \t]*[=:]`, 3},
		{`(?i:exp)[a-z]{0,12}x?[a-z]*[=:]`, 0}, // [a-z]{0,12} meets x: cut at once
		{`INV-[0-9]{4}-?[0-9]{4}`, 0},          // the first four digits could be the last four's
		{`INV-[0-9]{4}-[0-9]{4}`, 3},
	} {
		if got := len(tailOf(t, c.pattern)); got != c.steps {
			t.Errorf("%s: %d steps, want %d", c.pattern, got, c.steps)
		}
	}
}

// TestTailFits: the tail turns away the places where the anchor begins no
// match, and never one where it begins one: each place of random text
// (from bytes that the patterns' classes split finely) is held to the
// pattern anchored there.
func TestTailFits(t *testing.T) {
	t.Parallel()
	// Failures name the case and the pattern, never the text (a match).
	for k, c := range []struct{ pattern, fits, fails string }{
		{`(?i:exp)[A-Za-z_-]{0,12}["']?[ \t]*[=:][ \t]*["']?\d{1,4}\b`, `expMonth": 7`, "expected to ship"},
		{`(?i:exp)[A-Za-z_-]{0,12}["']?[ \t]*[=:][ \t]*["']?\d{1,4}\b`, "EXP_YEAR \t= 2030", "exponentially_growing_x = 2"},
		{`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`, "eyJhbGci.eyJzdWIi", "eyJhbGci eyJ"},
		{`INV-[0-9]{4}-[0-9]{4}`, "INV-2024-1234", "INV-20241234"},
		{`(?i:emp-)[0-9](?i:s)[0-9]`, "emp-1ſ2", "emp-x"},
	} {
		steps := tailOf(t, c.pattern)
		sh, _ := analyse(c.pattern)
		if steps == nil {
			t.Fatalf("%s: no tail", c.pattern)
		}
		if !tailFits(steps, []byte(c.fits), len(sh.anchor)) {
			t.Errorf("case %d (%s): the text that fits turned away", k, c.pattern)
		}
		if tailFits(steps, []byte(c.fails), len(sh.anchor)) {
			t.Errorf("case %d (%s): the text that fails let through", k, c.pattern)
		}
	}
	r := rand.New(rand.NewPCG(7, 11))
	const alphabet = "eExXpP_-aZ09 \t=:\"'.\n"
	for _, pattern := range []string{
		`(?i:exp)[A-Za-z_-]{0,12}["']?[ \t]*[=:][ \t]*["']?\d{1,4}\b`,
		`(?i:exp)[a-z]{0,3}[ \t]+[=:]`,
		`EXP[_-]?[0-9]{2}[a-z]+[ \t]*[=:]`,
		`(?i:exp)[a-z]{2,3}\.?[0-9]`,
	} {
		re := regexp.MustCompile(`^(?:` + pattern + `)`)
		sh, err := analyse(pattern)
		if err != nil {
			t.Fatal(err)
		}
		if sh.tail == nil {
			t.Fatalf("%s: no tail", pattern)
		}
		turned := 0
		for range 20000 {
			b := []byte("exp")
			if r.IntN(2) == 0 {
				b = []byte("EXP")
			}
			for range r.IntN(20) {
				b = append(b, alphabet[r.IntN(len(alphabet))])
			}
			fits := tailFits(sh.tail, b, len(sh.anchor))
			if !fits {
				turned++
			}
			if re.Match(b) && !fits {
				t.Fatalf("%s: a text of %d bytes (seed 7, 11) matches but its tail was turned away", pattern, len(b))
			}
		}
		if turned == 0 {
			t.Errorf("%s: the tail turned nothing away", pattern)
		}
	}
}

// TestTailInEngine: places where the anchor begins no match are passed
// over, and the matches after them, in the same class run or not, are
// still found, as the reference finds them.
func TestTailInEngine(t *testing.T) {
	t.Parallel()
	id := &Identifier{ID: "ZAP", Category: Custom, Pattern: `(?i:zap)[a-z]{0,6}[ \t]*=[ \t]*[0-9]{4}\b`}
	e, err := NewEngine([]*Identifier{id})
	if err != nil {
		t.Fatal(err)
	}
	if e.rules[0].tail == nil || len(e.byAnchor) != 1 {
		t.Fatal("no tail, or not found by its anchor")
	}
	ref := newReference([]*Identifier{id})
	for i, tc := range []struct {
		text string
		want int
	}{
		{"zaps zap = 1234 zapalong zapval=9876", 2},
		{"the zapline zapped zaps and zapval =  2024.", 1},
		{"zapliatelle = 1234", 0}, // eight small letters after the anchor
		{"Zap\t=\t5555 ZAPped=12345 ZAPped=1234", 2},
		{"zaps and zaps and zaps", 0},
		{"zaps, zap = 1234; zapalong, zapval=9876", 2}, // each in a class run of its own
		{"zap=1234, zapx=5678.", 2},
	} {
		text := []byte(tc.text)
		if got := engineHits(e, wholeSegment(text)); len(got) != tc.want {
			t.Errorf("case %d: %d matches, want %d", i, len(got), tc.want)
		}
		compareWithReference(t, e, ref, wholeSegment(text), fmt.Sprintf("case %d", i))
	}
}
