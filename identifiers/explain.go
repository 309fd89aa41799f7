package identifiers

import (
	"fmt"
	"slices"
	"strings"
)

// Trigger says which of the Engine's triggers serves the rule at index i
// of Identifiers(), and why, in words for the identifier's author. The
// trigger names are those of Engine's documentation.
func (e *Engine) Trigger(i int) (name, why string) {
	r := e.rules[i]
	name = e.triggerOf(i)
	switch name {
	case "finder":
		why = "a hand-written finder runs over each part"
	case "whole":
		why = "the pattern uses ^ or $ of the whole text, so it runs over each part (with RE2 on long parts)"
	case "anchor":
		switch {
		case r.anchor != "":
			why = fmt.Sprintf("every match contains %q", r.anchor)
		case len(r.foldLits) > 0:
			why = fmt.Sprintf("every match contains one of %s, in any case", quoteAll(r.foldLits))
		default:
			why = fmt.Sprintf("every match contains one of %s", quoteAll(litStrings(r.lits)))
		}
	case "digits":
		why = fmt.Sprintf("every match holds %d or more digits", r.minDigits)
	case "long run":
		why = fmt.Sprintf("every match is %d or more bytes of a class without spaces, probed every %d bytes", r.minLen, r.minLen)
	case "keyword":
		why = "the identifier needs a keyword, and only the text around its keywords is looked at"
	default:
		if r.needBytes != "" {
			why = fmt.Sprintf("no literal or digits to find it by; only the runs of its class around %s are looked at", quoteAll(strings.Split(r.needBytes, "")))
		} else {
			why = "no literal, digits, keyword or long run to find it by: every run of its class is looked at, which costs most"
		}
	}
	return name, why
}

// triggerOf names the trigger that serves rule i.
func (e *Engine) triggerOf(i int) string {
	for _, t := range []struct {
		name  string
		rules []int
	}{
		{"finder", e.byFind}, {"whole", e.byWhole}, {"anchor", e.byAnchor}, {"digits", e.byDigits},
		{"long run", e.byLongRun}, {"keyword", e.byKeyword},
	} {
		if slices.Contains(t.rules, i) {
			return t.name
		}
	}
	return "class"
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for k, x := range s {
		q[k] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
