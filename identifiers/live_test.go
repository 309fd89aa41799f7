package identifiers

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/formats"
)

// TestDropAlone: where runs that need a keyword are sparse, a run whose
// viable keyword rules are few keeps each only if a word within its reach
// begins like one of its keywords (a UK tax number's "utr", "tax", ...),
// or the part's structural names hold one; no keyword block is searched.
// Where they are dense, or the rules are many, the caller searches blocks.
func TestDropAlone(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	rule := func(id string) int {
		for i, r := range e.rules {
			if r.ID == id && r.Keyword == KeywordRequired && !e.free.has(i) && !e.plain.cheap.has(i) {
				return i
			}
		}
		t.Fatalf("%s has no keyword rule outside the plain-number ones", id)
		return -1
	}
	uk, ssn, itin := rule("UK_TAX_IDENTIFICATION_NUMBER"), rule("USA_SOCIAL_SECURITY_NUMBER"), rule("USA_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER")
	filler := strings.Repeat("the quarterly report shows growth across regions. ", 40) // no keyword of theirs
	for k, c := range []struct {
		before, after string
		context       string // the part's structural name
		needAt        int    // where the last run needing a keyword began, from the run
		rules         []int
		ok, keep      bool
	}{
		{before: "we paid ", after: " in all", needAt: -2 * sparseGap, rules: []int{uk}, ok: true},
		{before: "their utr is ", after: " in all", needAt: -2 * sparseGap, rules: []int{uk}, ok: true, keep: true},
		{before: "we paid ", after: " for the UTR", needAt: -2 * sparseGap, rules: []int{uk}, ok: true, keep: true},
		// 31 characters away still begins within distance+1 characters
		// and the keyword's length: kept here, turned away by the exact
		// check later; 62 do not, though within the bytes four a
		// character could span.
		{before: "Tax " + strings.Repeat("x", 29) + " ", after: "", needAt: -2 * sparseGap, rules: []int{uk}, ok: true, keep: true},
		{before: "Tax " + strings.Repeat("x", 60) + " ", after: "", needAt: -2 * sparseGap, rules: []int{uk}, ok: true},
		// Counted in characters, not bytes: 30 of them, 58 bytes.
		{before: "Tax " + strings.Repeat("é", 28) + " ", after: "", needAt: -2 * sparseGap, rules: []int{uk}, ok: true, keep: true},
		{before: "Tax " + strings.Repeat("x", 200) + " ", after: "", needAt: -2 * sparseGap, rules: []int{uk}, ok: true},
		{before: "we paid ", after: " in all", context: "utr", needAt: -2 * sparseGap, rules: []int{uk}, ok: true, keep: true},
		{before: "we paid ", after: " in all", needAt: -2 * sparseGap, rules: []int{uk, ssn}, ok: true},
		{before: "we paid ", after: " in all", needAt: -sparseGap / 2, rules: []int{uk}},            // dense
		{before: "we paid ", after: " in all", needAt: -2 * sparseGap, rules: []int{uk, ssn, itin}}, // many
	} {
		text := []byte(filler + c.before + "98129 31413" + c.after + " " + filler)
		a := bytes.Index(text, []byte("98129"))
		b := a + len("98129 31413")
		st := e.begin(&formats.Segment{Text: text, Context: []string{c.context}})
		st.needAt = a + c.needAt
		v := viableEntry{rules: newRuleSet(len(e.rules))}
		for _, i := range c.rules {
			v.rules.add(i)
			v.groups |= 1 << e.groupOf[i]
		}
		v.fixed = v.groups
		groups, live, ok := e.dropAlone(a, b, &v, st)
		switch {
		case ok != c.ok:
			t.Errorf("case %d: ok %v, want %v", k, ok, c.ok)
		case ok && (live.has(c.rules[0]) != c.keep || groups&(1<<e.groupOf[c.rules[0]]) != 0 != c.keep):
			t.Errorf("case %d: kept %v (groups %b), want %v", k, live.has(c.rules[0]), groups, c.keep)
		case st.searched != 0:
			t.Errorf("case %d: %d keyword blocks searched", k, st.searched)
		}
		if st.needAt != a {
			t.Errorf("case %d: the last run needing a keyword is at %d, want %d", k, st.needAt, a)
		}
		e.release(st)
	}
}
