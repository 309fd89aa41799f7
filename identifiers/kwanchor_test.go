package identifiers

import (
	"fmt"
	"strings"
	"testing"
)

// TestKeywordAnchoredAgainstReference holds the keyword trigger of the
// written dates of birth, which looks only around its keywords' rarest
// letter pairs, to the naive definition: keywords in every case and
// variant, inside other words, joined in camelCase, at the distance limit
// and one past it, before and after the date, in long and short texts.
func TestKeywordAnchoredAgainstReference(t *testing.T) {
	t.Parallel()
	e, ref := managed(t)
	if name, _ := e.Trigger(writtenDOBRule(t, e)); name != "keyword" {
		t.Fatalf("the written date of birth is served by %q, want keyword", name)
	}
	keywords := []string{"DOB", "dob", "Dob", "adobe", "userDob", "user_dob", "date of birth", "DATE-OF-BIRTH",
		"dateOfBirth", "date_of_birth", "birthday", "Birthdays", "BDay", "b-day", "birth date", "birth_date", "rebirth date", "bi", "ob"}
	dates := []string{"March 21, 1970", "17 June 1970", "21-Mar-1970", "31 February 1970", "21st of March 1970", "1970-Mar-21"}
	r := NewCorpusRand(3)
	var long strings.Builder
	for k, kw := range keywords {
		for d, date := range dates {
			for _, gap := range []int{0, 1, 28, 29, 30, 31} {
				pad := strings.Repeat("x", gap)
				for _, text := range []string{kw + ":" + pad + " " + date, date + " " + pad + "(" + kw + ")", kw + " " + date + " " + kw} {
					compareWithReference(t, e, ref, wholeSegment([]byte(text)), fmt.Sprintf("keyword %d date %d gap %d", k, d, gap))
					long.WriteString(text)
					long.WriteString([]string{"\n", " ", ". ", "; the problem of big objects ", "\t"}[r.IntN(5)])
				}
			}
		}
	}
	compareWithReference(t, e, ref, wholeSegment([]byte(long.String())), "all in one text")
}

// writtenDOBRule returns the index of the DATE_OF_BIRTH form with month names.
func writtenDOBRule(t *testing.T, e *Engine) int {
	for i, id := range e.Identifiers() {
		if id.ID == "DATE_OF_BIRTH" && id.Pattern == writtenDatePattern {
			return i
		}
	}
	t.Fatal("no written DATE_OF_BIRTH form")
	return -1
}
