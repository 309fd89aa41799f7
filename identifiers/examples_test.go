package identifiers

import "testing"

// TestExamples holds the examples `trawl identifiers show` prints to the
// Engine: each Match text reports its ID, no NoMatch text does, and every
// credential and financial identifier has both.
func TestExamples(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	for _, id := range Managed() {
		ex := ExamplesOf(id.ID)
		if id.Category != Personal && (len(ex.Match) == 0 || len(ex.NoMatch) == 0) {
			t.Errorf("%s has no examples", id.ID)
		}
		for i, text := range ex.Match {
			if n := countID(e, text, id.ID); n == 0 {
				t.Errorf("%s: match example %d reports nothing", id.ID, i)
			}
		}
		for i, text := range ex.NoMatch {
			if n := countID(e, text, id.ID); n != 0 {
				t.Errorf("%s: non-match example %d reports %d", id.ID, i, n)
			}
		}
	}
	if ExamplesOf("NO_SUCH_ID").Match != nil {
		t.Error("an unknown ID has examples")
	}
}

func countID(e *Engine, text, id string) int {
	n := 0
	for _, h := range engineHits(e, wholeSegment([]byte(text))) {
		if h.ID == id {
			n++
		}
	}
	return n
}
