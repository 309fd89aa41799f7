package identifiers

import (
	"bytes"
	"regexp/syntax"
	"testing"

	"github.com/trawlsec/trawl/formats"
)

// TestLeadDigits: the digits a match begins with, and whether every match
// begins with one of them, read off the pattern's syntax tree.
func TestLeadDigits(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pattern string
		digits  string // the digits a match can begin with
		ok      bool
		lead    bool // shape.lead is set: some digits only, after no digit
	}{
		{`\b0[1-9]\d{1,4}[ /-]?\d{3,8}\b`, "0", true, true},
		{`\b(?:0\d{1,3}[ .-]?\d{5,8}|3\d{2}[ .-]?\d{6,7})\b`, "03", true, true},
		{`\b[6-9]\d{2}(?:[ .-]?\d{3}){2}\b`, "6789", true, true},
		{`\b(?:9)?8\d{4}\b`, "89", true, true},
		{`\b\d{3}[ -]?\d{2}[ -]?\d{4}\b`, "0123456789", true, false}, // every digit: nothing to rule out
		{`0\d{4}`, "0", true, false},                                 // may follow a digit
		{`(?:\+49 ?)?0\d{9}\b`, "0", false, false},                   // may begin with "+"
		{`\b[0-9A-F]{8}\b`, "0123456789", false, false},              // or a letter
		{`\b(?:0\d*)?\b`, "0", false, false},                         // or be empty
		{`\b.5\d\b`, "", false, false},                               // or begin with any byte
	} {
		re, err := syntax.Parse(c.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		var want uint16
		for _, d := range c.digits {
			want |= 1 << (d - '0')
		}
		m, ok := leadDigits(re)
		if ok != c.ok || ok && m != want {
			t.Errorf("%s: lead digits %010b (ok %v), want %010b (ok %v)", c.pattern, m, ok, want, c.ok)
		}
		sh, err := analyse(c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if sh.lead != 0 != c.lead || c.lead && sh.lead != want {
			t.Errorf("%s: shape's lead %010b, want %v", c.pattern, sh.lead, c.lead)
		}
	}
}

// TestDropLeads: a run whose numbers begin with no digit a rule's matches
// can begin with loses that rule (a German phone number's 0), and only
// then; the run shape's own entry is left as it was.
func TestDropLeads(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	de := -1
	for i, r := range e.rules {
		if r.ID == "GERMANY_PHONE_NUMBER" && e.leadRules != nil && e.leadRules.has(i) {
			de = i
		}
	}
	if de < 0 {
		t.Fatal("the German phone number's keyword rule is not ruled out by its first digit")
	}
	for k, c := range []struct {
		text string
		keep bool
	}{
		{"costs 51119 2519 in all", false},
		{"costs 4008.98 51119 in all", false},
		{"costs 05119 2519 in all", true},
		{"costs 4008.05 51119 in all", true}, // "05" begins a number after the point
		{"costs 4000 2519 in all", false},    // a 0 inside a number begins none
	} {
		text := []byte(c.text)
		st := e.begin(&formats.Segment{Text: text})
		a := bytes.IndexAny(text, "0123456789")
		b := bytes.LastIndexAny(text, "0123456789") + 1
		v := viableEntry{rules: newRuleSet(len(e.rules)), groups: 1 << e.groupOf[de], fixed: 1 << e.groupOf[de], leads: true}
		v.rules.add(de)
		got := e.dropLeads(a, b, &v, st)
		if got.rules.has(de) != c.keep || got.groups != 0 != c.keep {
			t.Errorf("case %d: kept %v (groups %b), want %v", k, got.rules.has(de), got.groups, c.keep)
		}
		if !v.rules.has(de) {
			t.Errorf("case %d: the entry's own rules were changed", k)
		}
		// With a plain-number rule beside it, that rule stays, and its
		// group is among the groups but not the fixed ones (its keywords
		// are looked for by the pair scan).
		cvv := e.plain.rules[0]
		v.rules.add(cvv)
		v.groups |= 1 << e.groupOf[cvv]
		got = e.dropLeads(a, b, &v, st)
		wantFixed := uint64(0)
		if c.keep {
			wantFixed = 1 << e.groupOf[de]
		}
		if !got.rules.has(cvv) || got.groups&(1<<e.groupOf[cvv]) == 0 || got.fixed != wantFixed {
			t.Errorf("case %d: with a plain-number rule: kept %v, groups %b, fixed %b (want %b)", k, got.rules.has(cvv), got.groups, got.fixed, wantFixed)
		}
		e.release(st)
	}
}

// TestNeedBytes: the rare bytes one of which every match holds, other
// than the anchor's and the digits (which every run tried holds).
func TestNeedBytes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pattern, need string
	}{
		{`(?i:exp)[A-Za-z_-]{0,12}["']?[ \t]*[=:][ \t]*["']?\d{1,4}\b`, ":="},
		{`\b\d{5}/\d{2}/\d{4}\b`, "/"},
		{`\b\d{6}[-+A]\d{3}[0-9A-Y]\b`, "+-A"},
		{`\d(?:[/:]|x[a-z]*=)\d`, "/:x"},      // a byte of each branch
		{`\d(?:[/:]|[a-z]+)\d`, ""},           // a branch without one
		{`\d[/:]?\d`, ""},                     // or where it may be absent
		{`\b\d{3}[ -]?\d{2}[ -]?\d{4}\b`, ""}, // the separators may be absent
		{`\b\d{3} \d{2}\b`, ""},               // a space is too common to look for
		{`\b20\d{2}\b`, ""},                   // digits are in every run
		{`AL\d{2}(?:[ -]?\d){8}`, ""},         // so are the anchor's bytes
		{`[^a]\d`, ""},                        // a class of too many bytes
	} {
		sh, err := analyse(c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		var got []byte
		for b := range 256 {
			if sh.need != nil && sh.need[b] {
				got = append(got, byte(b))
			}
		}
		if string(got) != c.need {
			t.Errorf("%s: needs one of %q, want %q", c.pattern, got, c.need)
		}
	}
}
