package identifiers

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/trawlsec/trawl/formats"
)

// TestKeywordRules checks Macie's keyword rules through the Engine, on the
// marked-text cases of catalogue_test.go.
func TestKeywordRules(t *testing.T) {
	t.Parallel()
	e, ref := managed(t)
	r := NewCorpusRand(9)
	ssn, aws := GenSSN(r), GenAWSSecret(r)
	card := GenCard(r, "4", 16)
	const SSN, AWS, CCN, CCNX, PHONE = "USA_SOCIAL_SECURITY_NUMBER", "AWS_CREDENTIALS", "CREDIT_CARD_NUMBER", "CREDIT_CARD_NUMBER_(NO_KEYWORD)", "PHONE_NUMBER"
	cases := []struct {
		id    string
		match bool
		idCase
	}{
		// Case does not matter.
		{SSN, true, c("upper", "SSN "+mark(ssn))},
		{SSN, true, c("mixed", "sSn "+mark(ssn))},
		{AWS, true, c("upper with underscores", "AWS_SECRET_ACCESS_KEY: "+mark(aws))},
		{AWS, true, c("title case", "Secret Access Key: "+mark(aws))},
		// A keyword with spaces matches with none, '_' or '-'.
		{AWS, true, c("no spaces", "secretaccesskey "+mark(aws))},
		{AWS, true, c("underscores", "secret_access_key "+mark(aws))},
		{AWS, true, c("hyphens", "secret-access-key "+mark(aws))},
		{AWS, true, c("as written", "secret access key "+mark(aws))},
		{AWS, false, c("two spaces", "secret  access  key "+aws)},
		{AWS, false, c("dot separated", "secret.access.key "+aws)},
		{SSN, true, c("social-security", "Social-Security: "+mark(ssn))},
		// A keyword counts only where a word starts ...
		{SSN, false, c("inside a word", "businessname "+ssn)},
		{SSN, false, c("inside a word, camel-looking", "businessName "+ssn)},
		{CCN, false, c("visa inside advisable", "advisable "+card)},
		{CCNX, true, c("visa inside advisable", "advisable "+mark(card))},
		{PHONE, false, c("tel inside hotel", "hotel 415-555-0134")},
		{SSN, false, c("after an accented letter", "éssn "+ssn)},
		// ... which includes after digits, punctuation and underscores, at a
		// camelCase join, and with a suffix.
		{SSN, true, c("after underscore", "user_ssn="+mark(ssn))},
		{SSN, true, c("after digit", "2ssn "+mark(ssn))},
		{SSN, true, c("camelCase", "userSsn: "+mark(ssn))},
		{SSN, true, c("camelCase upper", "userSSN: "+mark(ssn))},
		{SSN, true, c("plural", "SSNs: "+mark(ssn))},
		{SSN, true, c("start of text", "ssn "+mark(ssn))},
		{CCN, true, c("camelCase card", "customerCardNumber="+mark(card))},
		{CCNX, false, c("camelCase card", "customerCardNumber="+card)},
		{SSN, false, c("upper then upper is not a join", "USERSSN "+ssn)},
		// Keyword after the value.
		{SSN, true, c("after", mark(ssn)+" is my SSN")},
		{CCN, true, c("after", mark(card)+" <- card")},
		// Context: a column header makes every value near.
		{SSN, true, c("context, two far values", mark(ssn)+strings.Repeat(" filler", 50)+"\n"+mark(GenSSN(r)), "SSN")},
		{SSN, true, c("context camelCase", mark(ssn), "customerSsn")},
		{SSN, true, c("context path element", mark(ssn), "$", "person", "ssn")},
		{SSN, false, c("context without keyword", ssn, "notes")},
		{SSN, false, c("context keyword inside a word", ssn, "businessname")},
		{CCNX, false, c("context suppresses no-keyword card", card, "Card Number")},
		{CCN, true, c("context card", mark(card), "Card Number")},
		{CCNX, true, c("context of another identifier", mark(card), "ssn")},
		// A keyword overlapping the value is near.
		{AWS, true, c("keyword inside the value", "x "+mark("ab12/credentialsZZ"+aws[:22])+" y")},
	}
	for _, tc := range cases {
		t.Run(tc.id+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			checkCase(t, e, ref, tc.id, tc.idCase, tc.match)
		})
	}
}

// TestKeywordDistanceEveryGap walks the keyword from 0 to 40 characters of
// every width away from the value, both sides: up to 30 counts.
func TestKeywordDistanceEveryGap(t *testing.T) {
	t.Parallel()
	e, ref := managed(t)
	ssn := GenSSN(NewCorpusRand(5))
	for _, filler := range []string{" ", "é", "€", "𝄞", "\n", "\xff"} {
		for n := 1; n <= 40; n++ { // at 0 the keyword would join the value
			for _, after := range []bool{false, true} {
				text := "ssn" + gap(n, filler) + mark(ssn)
				if after {
					text = mark(ssn) + gap(n, filler) + "ssn"
				}
				cs := c(fmt.Sprintf("filler %q gap %d after %v", filler, n, after), text)
				if n > 30 {
					cs = unmarked([]idCase{cs})[0]
				}
				checkCase(t, e, ref, "USA_SOCIAL_SECURITY_NUMBER", cs, n <= 30)
			}
		}
	}
}

// TestOwnership: a segment reports only matches that start in
// [Owned, OwnedEnd), whatever their keywords' or ends' positions.
func TestOwnership(t *testing.T) {
	t.Parallel()
	e, ref := managed(t)
	r := NewCorpusRand(77)
	// Four values with a keyword each, one per line.
	var lines []string
	for range 4 {
		lines = append(lines, "ssn "+GenSSN(r))
	}
	text := []byte(strings.Join(lines, "\n"))
	all := engineHits(e, wholeSegment(text))
	if len(all) != 4 {
		t.Fatalf("want 4 detections, got %d", len(all))
	}
	for _, tc := range []struct {
		name            string
		owned, ownedEnd int
		want            []hit
	}{
		{"all", 0, len(text), all},
		{"zero OwnedEnd means to the end", 0, 0, all},
		{"empty window", all[1].Start, all[1].Start, nil},
		{"from second value's start", all[1].Start, len(text), all[1:]},
		{"one past its start", all[1].Start + 1, len(text), all[2:]},
		{"up to third value's start", 0, all[2].Start, all[:2]},
		{"up to one past it", 0, all[2].Start + 1, all[:3]},
		{"last byte of a value owned only", all[1].End - 1, all[2].Start, nil},
		{"keyword outside, value inside", all[3].Start - 1, len(text), all[3:]},
		{"value starts inside, ends outside", 0, all[0].Start + 1, all[:1]},
	} {
		seg := &formats.Segment{Text: text, Owned: tc.owned, OwnedEnd: tc.ownedEnd}
		if got := engineHits(e, seg); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
		compareWithReference(t, e, ref, seg, tc.name)
	}
}

// TestOverlappingShapesReportOnce: the two PHONE_NUMBER shapes both match a
// number with a country code and a keyword; it is reported once.
func TestOverlappingShapesReportOnce(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	text, want := unmark("phone: " + mark("+1 (415) 555-0134") + ", fax " + mark("1-415-555-0135"))
	for i := range want {
		want[i].ID = "PHONE_NUMBER"
	}
	if got := engineHits(e, wholeSegment(text)); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestDetectionFields: the identifier, span, line range, and emit order.
func TestDetectionFields(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	r := NewCorpusRand(8)
	ssn, card := GenSSN(r), GenCard(r, "4", 16)
	text := "first line\nssn " + ssn + " and card " + card + "\n\néé " + GenJWT(r) + "\n"
	seg := &formats.Segment{Text: []byte(text), Line: 10, Column: 5, OwnedEnd: len(text)}
	var got []Detection
	e.Scan(seg, func(d Detection) { got = append(got, d) })
	if len(got) != 3 {
		t.Fatalf("want 3 detections, got %d", len(got))
	}
	wantIDs := []string{"USA_SOCIAL_SECURITY_NUMBER", "CREDIT_CARD_NUMBER", "JSON_WEB_TOKEN"}
	wantLines := []formats.LineRange{{Start: 11, End: 11, StartColumn: 5}, {Start: 11, End: 11, StartColumn: 26}, {Start: 13, End: 13, StartColumn: 4}}
	for i, d := range got {
		if d.Identifier == nil || d.Identifier.ID != wantIDs[i] {
			t.Errorf("detection %d: want %s", i, wantIDs[i])
			continue
		}
		if w := d.Where(); w.Line == nil || *w.Line != wantLines[i] {
			t.Errorf("detection %d (%s): lines %+v, want %+v", i, d.Identifier.ID, d.Where().Line, wantLines[i])
		}
		if i > 0 && got[i-1].Start > d.Start {
			t.Errorf("detections not in order of position")
		}
		if d.Identifier.Category == "" || d.Identifier.Severity == (SeverityRule{}) {
			t.Errorf("detection %d: identifier without category or severity", i)
		}
	}
	if got[0].Start != strings.Index(text, ssn) || got[0].End != got[0].Start+len(ssn) {
		t.Errorf("SSN span [%d,%d)", got[0].Start, got[0].End)
	}
}

// TestScanConcurrent runs one Engine from many goroutines over different
// texts: results must not bleed between scans (the pooled scratch space).
func TestScanConcurrent(t *testing.T) {
	t.Parallel()
	e, ref := managed(t)
	corpus := differentialCorpus()
	var chunks [][]byte
	for i := 0; i+8192 <= len(corpus) && len(chunks) < 32; i += 8192 {
		chunks = append(chunks, corpus[i:i+8192])
	}
	want := make([][]hit, len(chunks))
	for i, ch := range chunks {
		want[i] = ref.scan(wholeSegment(ch))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(chunks))
	for g := range 8 {
		wg.Go(func() {
			for k := range 4 * len(chunks) {
				i := (g*7 + k) % len(chunks)
				if got := engineHits(e, wholeSegment(chunks[i])); !slices.Equal(got, want[i]) {
					errs <- fmt.Sprintf("goroutine %d chunk %d: %d detections, want %d", g, i, len(got), len(want[i]))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
}

func TestScanEdgeTexts(t *testing.T) {
	t.Parallel()
	e, ref := managed(t)
	for i, text := range []string{
		"", "s", "ssn", "4", "+1", "eyJ", "-----BEGIN OPENSSH PRIVATE KEY-----", "DE",
		"\xff\xfe\xfd", strings.Repeat("9", 100000), strings.Repeat("ssn ", 5000),
		strings.Repeat("4 ", 10000), strings.Repeat("card 4", 3000), strings.Repeat("é", 3000),
	} {
		compareWithReference(t, e, ref, wholeSegment([]byte(text)), fmt.Sprintf("edge text %d", i))
		compareWithReference(t, e, ref, wholeSegment([]byte(text), "ssn", "card"), fmt.Sprintf("edge text %d with context", i))
	}
	empty, err := NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	empty.Scan(wholeSegment([]byte("ssn 536-22-8142")), func(Detection) { t.Error("an empty engine detected something") })
	if len(empty.Identifiers()) != 0 {
		t.Error("empty engine has identifiers")
	}
}

func TestNewEngine(t *testing.T) {
	t.Parallel()
	if _, err := NewEngine([]*Identifier{{ID: "BAD", Pattern: `(`}}); err == nil || !strings.Contains(err.Error(), "BAD") {
		t.Errorf("an invalid pattern must fail naming the identifier, got %v", err)
	}
	ids := Managed()
	e, err := NewEngine(ids)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Identifiers(); !slices.Equal(got, ids) {
		t.Error("Identifiers does not return the identifiers in order")
	}
}

// TestCustomDistanceRule: custom identifiers measure from the keyword's end
// to the value's end, with the keyword before the value.
func TestCustomDistanceRule(t *testing.T) {
	t.Parallel()
	id := &Identifier{ID: "EMP", Category: Custom, Pattern: `\bE\d{6}\b`, Keywords: []string{"employee"},
		Keyword: KeywordRequired, Distance: 10, DistanceRule: BeforeToEnd}
	e, err := NewEngine([]*Identifier{id})
	if err != nil {
		t.Fatal(err)
	}
	ref := newReference([]*Identifier{id})
	for i, tc := range []struct {
		text string
		want bool
	}{
		{"employee E123456", true},   // 8 characters to the value's end
		{"employee  E123456", true},  // 9
		{"employee   E123456", true}, // 10
		{"employee    E123456", false},
		{"E123456 employee", false}, // keyword after: not for custom identifiers
		{"employeeéE123456", true},
		{"employeeééE123456", true},
		{"employeeéééE123456", true},
		{"employeeééééE123456", false},
	} {
		text, _ := unmark(tc.text)
		got := engineHits(e, wholeSegment(text))
		if (len(got) == 1) != tc.want || len(got) > 1 {
			t.Errorf("case %d: got %v, want match %v", i, got, tc.want)
		}
		compareWithReference(t, e, ref, wholeSegment(text), fmt.Sprintf("case %d", i))
	}
}

// TestIgnoreWords drops matches that contain an ignore word.
func TestIgnoreWords(t *testing.T) {
	t.Parallel()
	id := &Identifier{ID: "CODE", Category: Custom, Pattern: `CODE-[A-Z0-9]{4}`, IgnoreWords: []string{"TEST", "0000"}}
	e, err := NewEngine([]*Identifier{id})
	if err != nil {
		t.Fatal(err)
	}
	text, want := unmark(mark("CODE-AB12") + " CODE-TEST CODE-0000 code-ab12 " + mark("CODE-TES7"))
	for i := range want {
		want[i].ID = "CODE"
	}
	if got := engineHits(e, wholeSegment(text)); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestNonASCIIAnchors: a custom pattern's literal with non-ASCII letters, or
// case-folded letters whose folds are not ASCII (the Kelvin sign for k, the
// long s for s), is found as the regular expression finds it. The Engine's
// automaton folds ASCII only, so such literals must not be its trigger.
func TestNonASCIIAnchors(t *testing.T) {
	t.Parallel()
	for i, tc := range []struct{ pattern, text string }{
		{`(?i)café-\d{3}`, "CAFÉ-123 Café-123 café-123"},
		{`(?i)kelvin-\d{3}`, "\u212Aelvin-123 KELVIN-123"},
		{`(?i)sample-\d{3}`, "\u017Fample-123"},
		{`ÉCOLE-\d{3}`, "ÉCOLE-123 école-123"},
		{`İstanbul-\d{3}`, "İstanbul-123"},
		{`(?i)token-\d{3}`, "TOKEN-123 tOkEn-123"},
	} {
		ids := []*Identifier{{ID: "X", Category: Custom, Pattern: tc.pattern}}
		e, err := NewEngine(ids)
		if err != nil {
			t.Fatal(err)
		}
		ref := newReference(ids)
		seg := wholeSegment([]byte(tc.text))
		if len(ref.scan(seg)) == 0 {
			t.Fatalf("case %d: the reference finds nothing", i)
		}
		compareWithReference(t, e, ref, seg, fmt.Sprintf("case %d", i))
	}
}
