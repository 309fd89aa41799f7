package findings

import (
	"strings"
	"testing"

	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

// TestNameAddressCountCap: Macie stops counting full names and mailing
// addresses at 1,000 per file; other types count on.
func TestNameAddressCountCap(t *testing.T) {
	ids, err := identifiers.Select(identifiers.SelectNone, []string{"NAME", "ADDRESS", "PHONE_NUMBER"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	text := []byte(strings.Repeat("x", 10))
	seg := &formats.Segment{Text: text, Line: 1, Column: 1}
	var r Result
	for _, id := range ids {
		for range 1500 {
			r.Add(identifiers.DetectionAt(id, seg, 0, 5))
		}
	}
	r.Finish()
	want := map[string]int{"ADDRESS": 1000, "NAME": 1000, "PHONE_NUMBER": 3000} // two PHONE_NUMBER shapes
	for _, tr := range r.Types {
		if tr.Count != want[tr.Identifier.ID] {
			t.Errorf("%s: count %d, want %d", tr.Identifier.ID, tr.Count, want[tr.Identifier.ID])
		}
		if len(tr.Occurrences) > MaxResultOccurrences {
			t.Errorf("%s: %d occurrences kept", tr.Identifier.ID, len(tr.Occurrences))
		}
	}
	if len(r.Types) != 3 {
		t.Fatalf("%d types", len(r.Types))
	}
}
