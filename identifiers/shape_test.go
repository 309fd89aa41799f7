package identifiers

import (
	"strings"
	"testing"
)

func TestShapeFilters(t *testing.T) {
	cases := []struct {
		pattern    string
		minStretch int
		maxLen     int
		wholeRun   bool
	}{
		{`\b\d(?:[ -]?\d){12,18}\b`, 1, 37, false}, // a space may split the digits
		{`\b\d{3}[ -]?\d{2}[ -]?\d{4}\b`, 4, 11, false},
		{`(?i)INC\d{7}`, 7, 10, false},
		{`\b[A-Z]{2}\d{9}\b`, 9, 11, true},
		{`\b[A-F0-9]{12}\b`, 0, 12, true}, // all letters is a match too
		{`1Z[0-9A-Z]{16}`, 1, 18, false},
		{`12\d{3}x\d`, 5, 7, false},
		{`\d+|a`, 0, inf, false},
		{`(\b\d{3}\b)`, 3, 3, true},
		{`\b\d+\b`, 1, inf, true},
		{`\b\w+-\d\b`, 1, inf, false}, // '-' is not a word byte: a boundary may fall inside
		{`\b\d{2}\b\d`, 3, 3, false},  // it does not end with \b
		{`é\d{2}`, 2, 4, false},
	}
	for _, c := range cases {
		sh, err := analyse(c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if sh.minStretch != c.minStretch || sh.maxLen != c.maxLen || sh.wholeRun != c.wholeRun {
			t.Errorf("%s: minStretch %d maxLen %d wholeRun %v; want %d %d %v",
				c.pattern, sh.minStretch, sh.maxLen, sh.wholeRun, c.minStretch, c.maxLen, c.wholeRun)
		}
	}
}

func TestAnchoringLits(t *testing.T) {
	for _, c := range []struct {
		lits []string
		want bool
	}{
		{[]string{"DE"}, true},                    // two upper case letters: rare in text
		{[]string{"1Z"}, true},                    // Z is rare
		{[]string{"ab"}, false},                   // common letters
		{[]string{"+1", "1 ", "1.", "1-"}, false}, // a digit or a space is common
		{[]string{"CUST"}, true},
		{[]string{"x"}, false},
	} {
		var lits [][]byte
		for _, l := range c.lits {
			lits = append(lits, []byte(l))
		}
		if got := anchoringLits(lits); got != c.want {
			t.Errorf("anchoringLits(%q) = %v, want %v", c.lits, got, c.want)
		}
	}
}

// TestFiltersKeepMatches checks, against the reference, text built to sit
// at the filters' edges: runs one byte longer than a whole-run pattern
// allows, digits split into stretches one short of what a rule needs, and
// dates and addresses beside real values.
func TestFiltersKeepMatches(t *testing.T) {
	ids := benchIdentifiers(t)
	e, err := NewEngine(ids)
	if err != nil {
		t.Fatal(err)
	}
	text := "badge 1234567 badge 12345678 badge x1234567 member id AB123456789 member id AB1234567890 " +
		"2024-01-17T10:20:30Z 10.234.198.116 ssn 123-45-6789 ssn 12345-6789 " +
		"card 4111 1111 1111 1111 tel (555) 234-5678 phone 1-555-234-5678 "
	seg := wholeSegment([]byte(text))
	compareWithReference(t, e, newReference(ids), seg, "filter edges")
	got := map[string]int{}
	e.Scan(seg, func(d Detection) { got[d.Identifier.Name+d.Identifier.ID]++ })
	for name, want := range map[string]int{"Badge number": 1, "Member ID": 1} {
		n := 0
		for k, v := range got {
			if strings.HasPrefix(k, name) {
				n += v
			}
		}
		if n != want {
			t.Errorf("%s: %d detections, want %d", name, n, want)
		}
	}
}
