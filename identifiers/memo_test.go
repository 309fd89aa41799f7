package identifiers

import (
	"fmt"
	"regexp/syntax"
	"strings"
	"testing"
)

func TestDigitBlind(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    bool
	}{
		{`\b\d(?:[ -]?\d){12,18}\b`, true},
		{`(?i)INC\d{7}`, true},
		{`DE\d{20}`, true},
		{`[0-9A-F]{12}`, true},
		{`.{3}\d`, true},
		{`[2-9]\d{2}-\d{4}`, false}, // a 1 cannot start it
		{`4\d{15}`, false},          // a literal digit
		{`\d{3}5`, false},
		{`[\d٠-٩]{4}`, true}, // Arabic-Indic digits stand for themselves
	} {
		re, err := syntax.Parse(c.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := newMemoShape(re).digitBlind; got != c.want {
			t.Errorf("digitBlind(%q) = %v, want %v", c.pattern, got, c.want)
		}
	}
}

// TestMemoMatchesReference scans many windows of the same shapes with
// digit-blind patterns whose assertions see the context bytes (\b, \B,
// (?m)^ and $), so that a memo keyed too loosely would hand one window
// another's matches.
func TestMemoMatchesReference(t *testing.T) {
	t.Parallel()
	ids := []*Identifier{
		{ID: "WORD4", Category: Custom, Pattern: `\b\d{4}\b`},
		{ID: "INNER4", Category: Custom, Pattern: `\B\d{4}\B`},
		{ID: "LINE4", Category: Custom, Pattern: `(?m)^\d{4}$`},
		{ID: "SEP", Category: Custom, Pattern: `\b\d{3}[ -]?\d{2}\b`},
		{ID: "LETTERS", Category: Custom, Pattern: `[A-Z]{2}\d{4}`},
		{ID: "NOTBLIND", Category: Custom, Pattern: `\b[5-9]\d{3}\b`},
		{ID: "FOLD", Category: Custom, Pattern: `(?i)ab\d{2}`},
	}
	for _, id := range ids[:5] {
		r, _ := syntax.Parse(id.Pattern, syntax.Perl)
		if !newMemoShape(r).digitBlind {
			t.Fatalf("%s should be digit-blind, or this test does not test the memo", id.ID)
		}
	}
	e, err := NewEngine(ids)
	if err != nil {
		t.Fatal(err)
	}
	ref := newReference(ids)
	contexts := []string{"", " ", "\n", "a", "_", "Z", ",", "é", "\xff", "1"}
	values := []string{"1234", "5678", "12345", "123 45", "123-45", "AB1234", "ab1234", "9999", "Ab12", "Cb12", "aB12", "xB12"}
	var b strings.Builder
	for _, l := range contexts {
		for _, v := range values {
			for _, r := range contexts {
				b.WriteString(l + v + r + "\n")
				b.WriteString(l + v + r + " ")
			}
		}
	}
	text := []byte(b.String())
	// Twice through one Engine: the second pass is served from the memo.
	for pass := range 2 {
		compareWithReference(t, e, ref, wholeSegment(text), fmt.Sprintf("pass %d", pass))
		for i := 0; i+40 <= len(text); i += 37 {
			compareWithReference(t, e, ref, wholeSegment(text[i:i+40]), fmt.Sprintf("pass %d window %d", pass, i))
		}
	}
}
