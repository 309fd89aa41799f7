package identifiers

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/corpus"
)

// typicalCustom returns corpus.TypicalCustomIdentifiers, the custom
// identifiers whose cost the benchmarks bound.
func typicalCustom(tb testing.TB) []*Identifier {
	tb.Helper()
	ids, err := ParseCustom([]byte(corpus.TypicalCustomIdentifiers), "typical.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	if len(ids) < 15 {
		tb.Fatalf("%d typical custom identifiers, want at least 15", len(ids))
	}
	return ids
}

// withTypicalCustom is the default selection plus the typical custom
// identifiers.
func withTypicalCustom(tb testing.TB) []*Identifier {
	tb.Helper()
	rec, err := Select(SelectRecommended, nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return append(rec, typicalCustom(tb)...)
}

// TestTypicalCustomTriggers pins the trigger each kind of custom pattern
// lands in: the case-insensitive alternations, which once fell back to a
// scan of every run of letters, are anchored by their words.
func TestTypicalCustomTriggers(t *testing.T) {
	e, err := NewEngine(typicalCustom(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Confidentiality marker": "anchor",
		"Restricted marker":      "anchor",
		"Password assignment":    "anchor",
		"Secret assignment":      "anchor",
		"E-mail address":         "class",
		"Generic token":          "long run",
		"Hex secret":             "long run",
	}
	for i, r := range e.rules {
		w, ok := want[r.Name]
		if !ok {
			continue
		}
		if got := e.triggerOf(i); got != w {
			t.Errorf("%s: trigger %q, want %q", r.Name, got, w)
		}
	}
}

// TestTypicalCustomAgainstReference holds the Engine with the typical
// custom identifiers to the naive definition on each corpus and on text
// made to reach the new paths: case-insensitive words in odd cases and
// spelt with a long s or a Kelvin sign, windows long enough for RE2, and
// invalid UTF-8 inside such a window.
func TestTypicalCustomAgainstReference(t *testing.T) {
	ids := withTypicalCustom(t)
	e, err := NewEngine(ids)
	if err != nil {
		t.Fatal(err)
	}
	ref := newReference(ids)
	for _, kind := range []CorpusKind{CorpusProse, CorpusLogs, CorpusCSV, CorpusJSONL} {
		text := BenchCorpus(kind)[:192<<10]
		compareWithReference(t, e, ref, wholeSegment(text), kind.String()+" corpus head")
	}
	filler := strings.Repeat("plain words and more words ", 200) // a long run of letters and spaces
	cases := map[string]string{
		"cases":          "This is CONFIDENTIAL and Internal Only; do NOT distribute. Top Secret!",
		"long s":         "the file is Confidential, internal only, do not di\u017ftribute it; pa\u017f\u017fword = hunter22hunter",
		"kelvin":         "api\u212aey: abcdefghijklmnop0123 and Secret_\u212aey=abcdefghijklmnopqrst",
		"password":       "user admin\npassword: correct-horse-battery\npasswd=xyzzy12345 PASSWORD :   s3cr3tValue!",
		"long window":    filler + "password: " + strings.Repeat("x", 70) + " " + filler + "internal only " + filler,
		"bearer long":    filler + "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789== " + filler,
		"bearer bytes":   filler + "Bearer abcdefghij\xffklmnopqrstuvwxyz0123 caf\xc3 Bearer \u212aabcdefghijklmnopqrstuvwxyz " + filler + "\xe2\x82",
		"password bytes": filler + "password=\xffabc\xfe\xfd\xc3\xa9xyz\xe2\x82 and passwd: \xef\xbf\xbdabcdefgh " + filler + "\xe2",
		"multiline":      filler + "\xff\n" + filler,
		"invalid utf8":   filler + "\xff\xfe password = abcdefgh12 \xc3 CONFIDENTIAL " + filler,
		"email":          "write to alice.smith+tag@mail.example.org or bob@example.com, not @nobody",
		"codenames":      "the project plan; Project  FALCON ships, PROJECT\torion too, project bluebirds not, project nightjar\n",
		"every line":     strings.Repeat("GET /x ip=10.1.2.3 ok\nPOST /y ip=192.168.0.7 ok\n", 300),
	}
	for name, text := range cases {
		compareWithReference(t, e, ref, wholeSegment([]byte(text)), name)
	}
}

// TestTriggerSaysWhy checks that Engine.Trigger names a trigger and a
// reason for every managed and typical custom identifier, and that a
// pattern served by a scan of every run of its class, or of each whole
// part, says so.
func TestTriggerSaysWhy(t *testing.T) {
	ids := append(Managed(), typicalCustom(t)...)
	fallback, err := ParseCustom([]byte(`
- {name: Any word pair, regex: '[a-z]+ [a-z]+ secret-ish'}
- {name: Whole text, regex: '^BEGIN'}
- {name: Word class, regex: '(?i)[a-z]{3} [a-z]{4}'}
`), "fallback.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, fallback...)
	e, err := NewEngine(ids)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range e.Identifiers() {
		name, why := e.Trigger(i)
		if name == "" || why == "" {
			t.Errorf("%s: trigger %q, reason %q", id.ID, name, why)
		}
	}
	want := map[string][2]string{
		"custom:Whole text": {"whole", "over each part"},
		"custom:Word class": {"class", "every run of its class"},
	}
	for i, id := range e.Identifiers() {
		w, ok := want[id.ID]
		if !ok {
			continue
		}
		name, why := e.Trigger(i)
		if name != w[0] || !strings.Contains(why, w[1]) {
			t.Errorf("%s: %s: %s; want %s, saying %q", id.ID, name, why, w[0], w[1])
		}
	}
}

// TestRE2AgainstGoOnInvalidUTF8 holds RE2 on long windows to Go's regexp
// where the window holds invalid UTF-8, for patterns that can and cannot
// match U+FFFD, with line anchors and word boundaries.
func TestRE2AgainstGoOnInvalidUTF8(t *testing.T) {
	filler := strings.Repeat("some words here, ", 150)
	texts := []string{
		filler + "\xff" + filler,
		"\xe2\x82" + filler + "key=\xff\xfeabc \xc3\xa9\xe2\x82\xac" + filler + "\xf0\x9f",
		filler + "\n\xfe start\n" + filler + "\xef\xbf\xbd end\xff\n",
	}
	patterns := []string{`\S{2,8}`, `.`, `(?m)^\S+`, `(?m)\S+$`, `\b\w+\b`, `[^a-z ,]+`, `\x{FFFD}+`, `(?i)key=\S+`, `(?s).{3}`}
	for _, p := range patterns {
		r := &rule{Identifier: &Identifier{Pattern: p}, long: new(longRegexp)}
		g := regexp.MustCompile(p)
		for k, text := range texts {
			got, ok := r.findAllLong([]byte(text))
			if !ok {
				t.Fatalf("%s: RE2 not used on text %d", p, k)
			}
			if want := g.FindAllIndex([]byte(text), -1); !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("%s on text %d: RE2 %v, Go %v", p, k, head(got), head(want))
			}
		}
	}
}

func head(m [][]int) [][]int { return m[:min(len(m), 5)] }

// TestRE2Concurrent scans long windows from several goroutines sharing
// one Engine, as the scanner's workers do, and expects each the same
// detections.
func TestRE2Concurrent(t *testing.T) {
	e, err := NewEngine(typicalCustom(t))
	if err != nil {
		t.Fatal(err)
	}
	filler := strings.Repeat("plain words and more words ", 200)
	text := []byte(filler + "password: hunter2hunter2 \xff Bearer abcdefghijklmnopqrstuvwxyz012345 " + filler)
	want := engineHits(e, wholeSegment(text))
	if len(want) < 2 {
		t.Fatalf("%d detections, want the password and the bearer token", len(want))
	}
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			for range 20 {
				if got := engineHits(e, wholeSegment(text)); !slices.Equal(got, want) {
					errs <- fmt.Sprintf("got %v, want %v", got, want)
					return
				}
			}
			errs <- ""
		}()
	}
	for range 8 {
		if msg := <-errs; msg != "" {
			t.Error(msg)
		}
	}
}
