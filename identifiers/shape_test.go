package identifiers

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestShapeFilters(t *testing.T) {
	cases := []struct {
		pattern    string
		minStretch int
		maxLen     int
		wholeRun   bool
		stretchCap int
	}{
		{`\b\d(?:[ -]?\d){12,18}\b`, 1, 37, false, 19}, // a space may split the digits
		{`\b\d{3}[ -]?\d{2}[ -]?\d{4}\b`, 4, 11, false, 9},
		{`(?i)INC\d{7}`, 7, 10, false, 0},
		{`\b[A-Z]{2}\d{9}\b`, 9, 11, true, 9},
		{`\b[A-F0-9]{12}\b`, 0, 12, true, 12}, // all letters is a match too
		{`1Z[0-9A-Z]{16}`, 1, 18, false, 0},
		{`12\d{3}x\d`, 5, 7, false, 0},
		{`\d+|a`, 0, inf, false, 0},
		{`(\b\d{3}\b)`, 3, 3, true, 3},
		{`\b\d+\b`, 1, inf, true, 0},
		{`\b\w+-\d\b`, 1, inf, false, 0}, // '-' is not a word byte: a boundary may fall inside
		{`\b\d{2}\b\d`, 3, 3, false, 0},  // it does not end with \b
		{`é\d{2}`, 2, 4, false, 0},
		// A phone number: a \b or a non-digit at each end, 11 digits at most
		// in a row ("15552345678").
		{`(?:(?:\+1|\b1)[ .-]?)?(?:\([2-9]\d{2}\)[ .-]?|\b[2-9]\d{2}[ .-]?)[2-9]\d{2}[ .-]?\d{4}\b`, 4, 17, false, 11},
		{`\bMRN[: ]?\d{8}\b`, 8, 12, false, 8},
	}
	for _, c := range cases {
		sh, err := analyse(c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if sh.minStretch != c.minStretch || sh.maxLen != c.maxLen || sh.wholeRun != c.wholeRun || sh.stretchCap != c.stretchCap {
			t.Errorf("%s: minStretch %d maxLen %d wholeRun %v stretchCap %d; want %d %d %v %d", c.pattern,
				sh.minStretch, sh.maxLen, sh.wholeRun, sh.stretchCap, c.minStretch, c.maxLen, c.wholeRun, c.stretchCap)
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
		"card 4111 1111 1111 1111 tel (555) 234-5678 phone 1-555-234-5678 " +
		// A stretch too long for a phone number, in the run of one.
		"tel 12345678901234567 555-234-5678 tel 123456789012 (555) 234-5678 "
	seg := wholeSegment([]byte(text))
	compareWithReference(t, e, newReference(ids), seg, "filter edges")
	got := map[string]int{}
	e.Scan(seg, func(d Detection) { got[d.Identifier.Name+d.Identifier.ID]++ })
	for name, want := range map[string]int{"Badge number": 1, "Member ID": 1, "PHONE_NUMBER": 4} {
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

// FuzzPatternMatchesReference holds the Engine's reading of a pattern (its
// class, anchors, digit stretches, lengths and boundaries, see shape) to
// the pattern itself: for any pattern regexp accepts and any text, the
// Engine finds what the pattern run over the whole text finds.
func FuzzPatternMatchesReference(f *testing.F) {
	for _, p := range []string{
		`\b\d(?:[ -]?\d){12,18}\b`, `\b\d{3}[ -]?\d{2}[ -]?\d{4}\b`, `(?i)INC\d{7}`, `\b[A-Z]{2}\d{9}\b`,
		`\b[A-F0-9]{12}\b`, `1Z[0-9A-Z]{16}`, `(\b\d{3}\b)`, `\bMRN[: ]?\d{8}\b`, `DE\d{2}(?:[ -]?\d){18}`,
		`(?:(?:\+1|\b1)[ .-]?)?(?:\([2-9]\d{2}\)[ .-]?|\b[2-9]\d{2}[ .-]?)[2-9]\d{2}[ .-]?\d{4}\b`,
		`\b0[1-9](?:[ .-]?\d{2}){4}\b`, `\+33 ?[1-9](?: ?\d{2}){4}`, `\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])\b`,
	} {
		f.Add(p, []byte("tel 12345678901234567 555-234-5678 1Z12345678901234AB DE89 3704 0044 0532 0130 00 MRN 12345678 AB123456789"))
	}
	f.Fuzz(func(t *testing.T, pattern string, text []byte) {
		if len(pattern) > 64 || len(text) > 4096 {
			return
		}
		if _, err := regexp.Compile(pattern); err != nil {
			return
		}
		ids := []*Identifier{{ID: "FUZZ", Category: Custom, Pattern: pattern}}
		e, err := NewEngine(ids)
		if err != nil {
			return // a pattern the Engine refuses (huge programs) is refused, not run
		}
		compareWithReference(t, e, newReference(ids), wholeSegment(text), "fuzz pattern")
	})
}

// TestManyKeywordRulesMatchReference runs an Engine with more keyword-bound
// rules than manyKeywordRules, which looks for keywords by block before any
// memo or regexp, against the reference on the differential corpus and on
// text built so that each rule's keyword sits near and far from numbers.
func TestManyKeywordRulesMatchReference(t *testing.T) {
	ids := benchIdentifiers(t)
	var text strings.Builder
	for k := range manyKeywordRules + 8 {
		kw := fmt.Sprintf("kwword%c%c", 'a'+k%26, 'a'+k/26)
		ids = append(ids, &Identifier{ID: fmt.Sprintf("MANY_%02d", k), Category: Custom,
			Pattern: fmt.Sprintf(`\b%d\d{%d}\b`, 1+k%9, 5+k%4), Keywords: []string{kw},
			Keyword: KeywordRequired, Distance: 20})
		fmt.Fprintf(&text, "%s %d12345678 and far away %s %s %d123456789\n",
			kw, 1+k%9, strings.Repeat("filler ", 5), kw, 1+k%9)
	}
	e, err := NewEngine(ids)
	if err != nil {
		t.Fatal(err)
	}
	if !e.keywordsByBlock {
		t.Fatal("the Engine does not take the many-keyword-rules path")
	}
	ref := newReference(ids)
	compareWithReference(t, e, ref, wholeSegment([]byte(text.String())), "many keyword rules")
	for _, kind := range []CorpusKind{CorpusProse, CorpusLogs, CorpusCSV, CorpusJSONL} {
		compareWithReference(t, e, ref, wholeSegment(BenchCorpus(kind)[:64<<10]), kind.String())
	}
	n := 0
	e.Scan(wholeSegment([]byte(text.String())), func(d Detection) {
		if strings.HasPrefix(d.Identifier.ID, "MANY_") {
			n++
		}
	})
	if n == 0 {
		t.Error("no MANY_ detections: the test text does not exercise the rules")
	}
}

// TestCamelCaseKeywordEnds: a keyword begun at a camelCase join counts only
// when it also ends at one, so "fSSNp" inside base64 is not the keyword
// "ssn", while "userSsn:" and "userSSNValue" are.
func TestCamelCaseKeywordEnds(t *testing.T) {
	e, ref := managed(t)
	for _, tc := range []struct {
		text string
		want int
	}{
		{"userSsn: 123-45-6789", 1},
		{"userSSNValue 123-45-6789", 1},
		{"user_ssn 123-45-6789", 1},
		{"ssnumber 123-45-6789", 1}, // not at a join: the end stays free
		{"aZfSSNp 123-45-6789", 0},
		{"xSsnq 123-45-6789", 0},
		{"userSsn 123-45-6789", 1},          // at the end of the word
		{"userSsnID 123-45-6789", 0},        // a lone capital: encoded noise's joins look so
		{"puSsn7cLn 123-45-6789", 0},        // a digit after it: base64
		{"patientSsnNumber 123-45-6789", 1}, // the next camelCase word
	} {
		seg := wholeSegment([]byte(tc.text))
		compareWithReference(t, e, ref, seg, "camel case")
		n := 0
		e.Scan(seg, func(d Detection) {
			if d.Identifier.ID == "USA_SOCIAL_SECURITY_NUMBER" {
				n++
			}
		})
		if n != tc.want {
			t.Errorf("case %d: %d SSN detections, want %d", len(tc.text), n, tc.want)
		}
	}
}

// TestPairAnchorsEveryOffset puts anchors found by their first two capitals
// (pairAnchors) at every offset of the eight-byte words the search reads,
// across word ends and at the end of the text, beside capitals that lead
// nowhere.
func TestPairAnchorsEveryOffset(t *testing.T) {
	ids := []*Identifier{
		{ID: "PAIR", Category: Custom, Pattern: `DE\d{4}`},
		{ID: "LONG", Category: Custom, Pattern: `AIza[0-9A-Za-z]{4}`},
		{ID: "BYTE", Category: Custom, Pattern: `eyJ\d{2}`},
	}
	e, err := NewEngine(ids)
	if err != nil {
		t.Fatal(err)
	}
	if e.pairAnchors == nil || len(e.anchorBytes) != 1 {
		t.Fatalf("want two pair anchors and one byte anchor, got %d byte anchors", len(e.anchorBytes))
	}
	ref := newReference(ids)
	for pad := range 17 {
		for _, tail := range []string{"", " ", "XX DEX", "D"} {
			text := strings.Repeat("a", pad) + "DE1234 XDE5678 AIzaB9c0 eyJ12 QDDE0000" + tail
			for cut := len(text) - 8; cut <= len(text); cut++ {
				seg := wholeSegment([]byte(text[:cut]))
				compareWithReference(t, e, ref, seg, fmt.Sprintf("pad %d cut %d", pad, cut))
			}
			n := 0
			e.Scan(wholeSegment([]byte(text)), func(Detection) { n++ })
			if n != 5 {
				t.Errorf("pad %d tail %q: %d detections, want 5", pad, tail, n)
			}
		}
	}
}

// TestManyDigitGroupsMatchReference takes the path for more digit groups
// than a bitmask holds (each rule here has a class of its own), where runs
// pick their groups one by one, and holds it to the reference.
func TestManyDigitGroupsMatchReference(t *testing.T) {
	const extra = "!#$%&*+=?@^~|<>;:,./_-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var ids []*Identifier
	var text strings.Builder
	for k := range 70 {
		c := extra[k%len(extra)]
		kw := fmt.Sprintf("grpkw%c%c", 'a'+k%26, 'a'+k/26)
		ids = append(ids, &Identifier{ID: fmt.Sprintf("GROUP_%02d", k), Category: Custom,
			Pattern:  fmt.Sprintf(`\d{2}%s\d{%d}`, regexp.QuoteMeta(string(c)), 3+k%3),
			Keywords: []string{kw}, Keyword: KeywordRequired, Distance: 20})
		fmt.Fprintf(&text, "%s 12%c%s 1234567 %s far %s 98%c456\n", kw, c, strings.Repeat("3", 3+k%3), strings.Repeat("filler ", 6), kw, c)
	}
	e, err := NewEngine(ids)
	if err != nil {
		t.Fatal(err)
	}
	if e.groupMasks || !e.keywordsByBlock {
		t.Fatalf("%d digit groups, by block %v: the test does not take the path it is for", len(e.digitGroups), e.keywordsByBlock)
	}
	ref := newReference(ids)
	compareWithReference(t, e, ref, wholeSegment([]byte(text.String())), "many digit groups")
	for _, kind := range []CorpusKind{CorpusProse, CorpusCSV} {
		compareWithReference(t, e, ref, wholeSegment(BenchCorpus(kind)[:32<<10]), kind.String())
	}
	n := 0
	e.Scan(wholeSegment([]byte(text.String())), func(Detection) { n++ })
	if n < 35 {
		t.Errorf("%d detections: the test text does not exercise the rules", n)
	}
}
