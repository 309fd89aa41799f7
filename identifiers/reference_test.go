package identifiers

// The naive reference: every identifier's pattern run over the whole
// segment, then the checks, with no shortcut at all. Engine.Scan must find
// exactly what it finds; the differential tests below and the fuzz target in
// fuzz_test.go hold it to that.

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/trawlsec/trawl/formats"
)

// hit is a detection without its text: what tests compare and print.
type hit struct {
	ID         string
	Start, End int
}

func (h hit) String() string { return fmt.Sprintf("%s[%d:%d]", h.ID, h.Start, h.End) }

// reference is the naive scanner.
type reference struct {
	ids   []*Identifier
	res   []*regexp.Regexp
	allow *AllowList
	// variants are each identifier's keyword variants, made once: making
	// them per scan was most of the reference's time on small parts.
	variants [][]string
}

func newReference(ids []*Identifier) *reference { return newReferenceAllow(ids, nil) }

// newReferenceAllow is the reference of an Engine built with
// Options{Allow: allow}.
func newReferenceAllow(ids []*Identifier, allow *AllowList) *reference {
	ref := &reference{ids: ids, allow: allow}
	for _, id := range ids {
		var re *regexp.Regexp
		if id.Find == nil {
			re = regexp.MustCompile(id.Pattern)
		}
		ref.res = append(ref.res, re)
		var vs []string
		for _, kw := range id.Keywords {
			vs = append(vs, refVariants(kw)...)
		}
		ref.variants = append(ref.variants, vs)
	}
	return ref
}

// refVariants: the keyword, lower case, and for one with spaces the forms
// with none, with '_' and with '-'.
func refVariants(kw string) []string {
	kw = strings.ToLower(strings.TrimSpace(kw))
	if kw == "" {
		return nil
	}
	out := []string{kw}
	if strings.Contains(kw, " ") {
		for _, sep := range []string{"", "_", "-"} {
			out = append(out, strings.ReplaceAll(kw, " ", sep))
		}
	}
	return out
}

// asciiLower folds ASCII letters only, keeping every offset.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// refStartsWord: a keyword counts where the byte before it is not a letter
// (non-ASCII bytes count as letters), or at a camelCase join.
func refStartsWord(text []byte, i int) bool {
	if i == 0 {
		return true
	}
	p := text[i-1]
	if !('a' <= p|0x20 && p|0x20 <= 'z' || p >= 0x80) {
		return true
	}
	return 'a' <= p && p <= 'z' && 'A' <= text[i] && text[i] <= 'Z'
}

// refKeywords returns every occurrence of a keyword variant (refVariants)
// that starts a word.
func refKeywords(text []byte, variants []string) [][2]int {
	low := asciiLower(text)
	var out [][2]int
	for _, v := range variants {
		for i := 0; i+len(v) <= len(low); i++ {
			j := bytes.Index(low[i:], []byte(v))
			if j < 0 {
				break
			}
			i += j
			end := i + len(v)
			// A keyword begun at a camelCase join must end at one: before
			// a byte that is not a letter, digit or non-ASCII, or before
			// an upper case letter that a lower case one follows.
			camel := i > 0 && 'a' <= text[i-1] && text[i-1] <= 'z'
			camelOK := end == len(text)
			if !camelOK {
				c := text[end]
				upper := 'A' <= c && c <= 'Z'
				alnum := upper || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80
				camelOK = !alnum || upper && end+1 < len(text) && 'a' <= text[end+1] && text[end+1] <= 'z'
			}
			if refStartsWord(text, i) && (!camel || camelOK) {
				out = append(out, [2]int{i, end})
			}
		}
	}
	return out
}

func refNear(text []byte, kws [][2]int, s, t, distance int, rule DistanceRule) bool {
	// within says whether text[a:b] holds at most distance characters. A
	// character is at most utf8.UTFMax bytes, so a longer gap is too far
	// (this only saves time on long texts).
	within := func(a, b int) bool {
		return b-a <= distance*utf8.UTFMax && utf8.RuneCount(text[a:b]) <= distance
	}
	for _, k := range kws {
		switch {
		case rule == BeforeToEnd:
			if k[1] <= s && within(k[1], t) {
				return true
			}
		case k[1] <= s:
			if within(k[1], s) {
				return true
			}
		case k[0] >= t:
			if within(t, k[0]) {
				return true
			}
		default: // overlapping the value
			return true
		}
	}
	return false
}

// scan returns what the reference finds in the segment, ordered by start
// and then ID, as Engine.Scan emits them.
func (ref *reference) scan(seg *formats.Segment) []hit {
	if len(seg.Parts) > 0 {
		// Each part on its own, as its own text, with its own context.
		var out []hit
		for _, p := range seg.Parts {
			sub := &formats.Segment{Text: seg.Text[p.Start:p.End], Line: 1, Column: 1}
			if p.Ctx >= 0 && p.Ctx < len(seg.Contexts) {
				sub.Context = seg.Contexts[p.Ctx]
			}
			for _, h := range ref.scan(sub) {
				h.Start += p.Start
				h.End += p.Start
				out = append(out, h)
			}
		}
		return out
	}
	text := seg.Text
	type found struct {
		hit
		order int
	}
	var all []found
	for i, id := range ref.ids {
		var kws [][2]int
		ctx := false
		if id.Keyword != NoKeyword {
			kws = refKeywords(text, ref.variants[i])
			for _, c := range seg.Context {
				ctx = ctx || len(refKeywords([]byte(c), ref.variants[i])) > 0
			}
		}
		for _, m := range refMatches(id, ref.res[i], text) {
			s, t := m[0], m[1]
			if s == t || !seg.Owns(s) {
				continue
			}
			if id.Validate != nil && !id.Validate(text, s, t) {
				continue
			}
			ignored := false
			for _, w := range id.IgnoreWords {
				ignored = ignored || bytes.Contains(text[s:t], []byte(w))
			}
			if ignored {
				continue
			}
			near := ctx || refNear(text, kws, s, t, id.Distance, id.DistanceRule)
			if id.Keyword == KeywordRequired && !near || id.Keyword == KeywordAbsent && near {
				continue
			}
			if ref.allow.Allows(text[s:t]) {
				continue
			}
			all = append(all, found{hit{id.ID, s, t}, len(all)})
		}
	}
	// Entries sharing an ID report overlapping values once: the first by
	// start wins, and at equal starts the entry listed first.
	slices.SortFunc(all, func(a, b found) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), a.Start-b.Start, a.order-b.order)
	})
	var out []hit
	lastEnd := map[string]int{}
	for _, f := range all {
		if end, ok := lastEnd[f.ID]; ok && f.Start < end {
			continue
		}
		lastEnd[f.ID] = f.End
		out = append(out, f.hit)
	}
	slices.SortStableFunc(out, func(a, b hit) int { return cmp.Or(a.Start-b.Start, strings.Compare(a.ID, b.ID)) })
	return out
}

// refMatches is every match of the identifier in text: its pattern's, or
// what its finder reports over the text (the reference scans each part as
// its own text).
func refMatches(id *Identifier, re *regexp.Regexp, text []byte) [][]int {
	if id.Find == nil {
		return re.FindAllIndex(text, -1)
	}
	var out [][]int
	id.Find(text, func(s, t int) { out = append(out, []int{s, t}) })
	return out
}

// wholeSegment is a segment that owns all of its text.
func wholeSegment(text []byte, ctx ...string) *formats.Segment {
	return &formats.Segment{Text: text, Line: 1, Column: 1, OwnedEnd: len(text), Context: ctx}
}

// engineHits runs the Engine and returns its detections as hits.
func engineHits(e *Engine, seg *formats.Segment) []hit {
	var out []hit
	e.Scan(seg, func(d Detection) { out = append(out, hit{d.Identifier.ID, d.Start, d.End}) })
	return out
}

var (
	managedOnce   sync.Once
	managedEngine *Engine
	managedRef    *reference
)

// managed returns an Engine and a reference over all managed identifiers.
func managed(tb testing.TB) (*Engine, *reference) {
	managedOnce.Do(func() {
		e, err := NewEngine(Managed())
		if err != nil {
			panic(err)
		}
		managedEngine, managedRef = e, newReference(Managed())
	})
	return managedEngine, managedRef
}

// compareWithReference fails the test at the first difference, naming
// offsets and IDs only, never the text.
func compareWithReference(tb testing.TB, e *Engine, ref *reference, seg *formats.Segment, label string) {
	tb.Helper()
	got, want := engineHits(e, seg), ref.scan(seg)
	if slices.Equal(got, want) {
		return
	}
	gs, ws := map[hit]bool{}, map[hit]bool{}
	for _, h := range got {
		gs[h] = true
	}
	for _, h := range want {
		ws[h] = true
	}
	var extra, missing []hit
	for _, h := range got {
		if !ws[h] {
			extra = append(extra, h)
		}
	}
	for _, h := range want {
		if !gs[h] {
			missing = append(missing, h)
		}
	}
	tb.Fatalf("%s (%d bytes, owned [%d,%d), %d context names): Engine differs from reference: engine-only %v, reference-only %v (engine %d hits, reference %d; order differs if both lists are empty)",
		label, len(seg.Text), seg.Owned, seg.OwnedEnd, len(seg.Context), first(extra, 10), first(missing, 10), len(got), len(want))
}

func first(h []hit, n int) []hit { return h[:min(n, len(h))] }

// differentialCorpus is the fixed corpus of the differential test and the
// fuzz seeds: a few hundred KB of every kind, densely planted.
var differentialCorpus = sync.OnceValue(func() []byte {
	var b []byte
	size := 80 << 10
	if testing.Short() {
		// The race run: the reference runs every managed pattern over the
		// whole corpus, many times; the case texts below still plant
		// every identifier.
		size = 16 << 10
	}
	for i, k := range []CorpusKind{CorpusMixed, CorpusProse, CorpusLogs, CorpusCSV, CorpusJSONL} {
		b = append(b, GenerateCorpus(k, size, uint64(1000+i), 200)...)
	}
	return append(b, catalogueCaseTexts()...)
})

// TestEngineMatchesReference compares the Engine with the reference over
// the fixed corpus: whole, in chunks, with overlapping owned windows, and
// with column context.
func TestEngineMatchesReference(t *testing.T) {
	t.Parallel()
	skipUnderRace(t)
	e, ref := managed(t)
	corpus := differentialCorpus()
	want := ref.scan(wholeSegment(corpus))
	if len(want) < 300 {
		t.Fatalf("the corpus should plant many detections; the reference finds %d", len(want))
	}
	perID := map[string]int{}
	for _, h := range want {
		perID[h.ID]++
	}
	for _, id := range ManagedIDs() {
		t.Logf("%s: %d", id, perID[id])
		if perID[id] == 0 {
			t.Errorf("the differential corpus has no %s detection: plant some", id)
		}
	}
	compareWithReference(t, e, ref, wholeSegment(corpus), "whole corpus")

	// Chunks cut anywhere (even inside a UTF-8 sequence), each owning a
	// window in its middle, the way the text segmenter overlaps segments.
	r := NewCorpusRand(7)
	for off := 0; off < len(corpus); {
		n := 1 + r.IntN(16<<10)
		end := min(off+n, len(corpus))
		seg := &formats.Segment{Text: corpus[off:end], Line: 1, Column: 1}
		seg.Owned = r.IntN(len(seg.Text) + 1)
		seg.OwnedEnd = seg.Owned + r.IntN(len(seg.Text)-seg.Owned+1)
		if r.IntN(4) == 0 {
			seg.Context = []string{[]string{"ssn", "Card Number", "notes", "userPhone", "aws_secret_access_key", "businessname"}[r.IntN(6)]}
		}
		compareWithReference(t, e, ref, seg, fmt.Sprintf("chunk at %d", off))
		off = end
	}
}

// TestSegmentedScanMatchesWhole checks that scanning the corpus as
// overlapping owned segments finds what one scan of the whole finds, given
// that no value is longer than the overlap and no keyword farther back than
// the context.
func TestSegmentedScanMatchesWhole(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	corpus := differentialCorpus()
	whole := engineHits(e, wholeSegment(corpus))
	const size, overlap, context = 32 << 10, 4 << 10, 1 << 10
	var segmented []hit
	owned := 0
	for start := 0; ; {
		end := min(start+size, len(corpus))
		seg := &formats.Segment{Text: corpus[start:end], Owned: owned - start, OwnedEnd: end - start}
		if end < len(corpus) {
			seg.OwnedEnd = end - overlap - start
		}
		for _, h := range engineHits(e, seg) {
			segmented = append(segmented, hit{h.ID, h.Start + start, h.End + start})
		}
		if end == len(corpus) {
			break
		}
		owned = end - overlap
		start = owned - context
	}
	if !slices.Equal(whole, segmented) {
		t.Fatalf("segmented scan found %d detections, whole scan %d", len(segmented), len(whole))
	}
}

// customIdentifiers exercise what the managed catalogue does not: the
// custom distance rule, whole-text anchors, case-folded anchors, any-char
// classes and non-ASCII literals.
func customIdentifiers() []*Identifier {
	return []*Identifier{
		{ID: "EMPLOYEE_ID", Category: Custom, Pattern: `(?i)emp-\d{6}\b`, Keywords: []string{"employee", "staff id"},
			Keyword: KeywordRequired, Distance: 20, DistanceRule: BeforeToEnd},
		{ID: "WHOLE", Category: Custom, Pattern: `^[A-Z]{3}\d{4}$`},
		{ID: "ANYCHAR", Category: Custom, Pattern: `ref:.{3}\d{3}`, IgnoreWords: []string{"000"}},
		{ID: "CAFE", Category: Custom, Pattern: `café-\d{4}`, Keywords: []string{"order"}, Keyword: KeywordAbsent, Distance: 10},
		{ID: "ORDER", Category: Custom, Pattern: `\b\d{5}\b`, Keywords: []string{"order no", "po"}, Keyword: KeywordRequired, Distance: 5},
		{ID: "FOLDED", Category: Custom, Pattern: `(?i)kassé-\d{3}`},
		{ID: "ACCENT", Category: Custom, Pattern: `ÉCOLE-\d{3}`},
	}
}

func TestEngineMatchesReferenceCustom(t *testing.T) {
	t.Parallel()
	ids := append(Managed(), customIdentifiers()...)
	e, err := NewEngine(ids)
	if err != nil {
		t.Fatal(err)
	}
	ref := newReference(ids)
	texts := []string{
		"ABC1234",
		"ABC1234\n",
		"employee EMP-123456 and emp-654321 staff-id: Emp-000001 and employee xxxxxxxxxxxxx EMP-222222",
		"ref:abc123 ref:é12345 ref:\n12123 ref:x000999 ref:00000",
		"café-1234 order café-5678 and later café-9999",
		"order no 12345, po 23456 po: 34567 po-number 45678 (po)56789",
		"KASSÉ-123 kassé-123 \u212Aa\u017F\u017Fé-123 École-123 ÉCOLE-123",
	}
	r := NewCorpusRand(3)
	corpus := GenerateCorpus(CorpusMixed, 64<<10, 11, 100)
	for i := 0; i < len(corpus); i += 512 {
		texts = append(texts, string(corpus[i:min(i+512, len(corpus))])+texts[r.IntN(7)])
	}
	for i, text := range texts {
		compareWithReference(t, e, ref, wholeSegment([]byte(text)), fmt.Sprintf("text %d", i))
		compareWithReference(t, e, ref, wholeSegment([]byte(text), "Employee"), fmt.Sprintf("text %d with context", i))
	}
}

// allowDefinitions are custom identifiers as a user writes them, loaded
// through LoadCustom for the allow-list differential tests: a keyword rule
// with a short distance and an ignore word, a case-folded anchor with a
// case-sensitive ignore word, and a class-scanned pattern with spaces.
const allowDefinitions = `
- name: badge
  regex: '\bB\d{4}\b'
  keywords: [badge no, staff]
  maximumMatchDistance: 12
  ignoreWords: [B0000]
- name: ticket
  regex: '(?i)tkt-[a-z0-9]{6}'
  ignoreWords: [TEST]
- name: full name
  regex: '[A-Z][a-z]+ [A-Z][a-z]+'
  keywords: [name]
  maximumMatchDistance: 300
  severityLevels:
    - {occurrencesThreshold: 2, severity: LOW}
`

// allowTexts are texts whose values the allow lists of allowFixture name.
var allowTexts = []string{
	"badge no B1234, staff: B2345 and B0000; staff B3456",
	"tkt-abc123 TKT-ABC123 tkt-TEST12 Tkt-zz9999 tkt-000000",
	"name: Jane Smith, John Smith, Ada Lovelace and Ada Byron",
	"employee EMP-123456 and emp-654000, staff id EMP-222222, ref:abc123 ref:x000999 ref:abc124",
	"ssn 536-22-8142 ssn 536-22-1142 ssn 536-22-2142",
	"ABC1234",
}

// allowFixture returns identifiers (managed, customIdentifiers and
// allowDefinitions) and an allow list of several files naming some of what
// they find in texts: every third value the reference reports (some in
// another case), fixed words, and expressions.
func allowFixture(tb testing.TB, texts [][]byte) ([]*Identifier, *AllowList) {
	tb.Helper()
	dir := tb.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			tb.Fatal(err)
		}
		return p
	}
	custom, err := LoadCustom(write("custom.yaml", allowDefinitions))
	if err != nil {
		tb.Fatal(err)
	}
	ids := append(append(Managed(), customIdentifiers()...), custom...)

	var words strings.Builder
	words.WriteString("B1234\r\ntkt-abc123\nEMP-123456\nref:abc123\n536-22-8142\n\nabc1234\n")
	ref := newReference(ids)
	n := 0
	for _, text := range texts {
		for _, h := range ref.scan(wholeSegment(text)) {
			if n++; n%3 != 0 {
				continue
			}
			v := string(text[h.Start:h.End])
			if strings.ContainsAny(v, "\r\n") || strings.HasPrefix(v, "regex:") || strings.TrimSpace(v) == "" {
				continue // not expressible as a line of a text list
			}
			if n%2 == 0 {
				v = strings.ToUpper(v)
			}
			words.WriteString(v + "\n")
		}
	}
	words.WriteString("regex:[A-Z][a-z]+ Smith\n")
	allow, err := LoadAllowLists([]string{
		write("words.txt", words.String()),
		write("criteria.json", `{"name": "emp", "criteria": {"regex": "(?i)emp-\\d{3}000"}}`),
		write("more.yaml", "regex: '\\d{3}-\\d{2}-1\\d{3}'\nwords: [Ada Lovelace, B3456]\n"),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ids, allow
}

// TestEngineMatchesReferenceAllow compares an Engine built with an allow
// list with the reference applying the same list, over the allow texts
// and the fixed corpus, whole and in chunks.
func TestEngineMatchesReferenceAllow(t *testing.T) {
	t.Parallel()
	skipUnderRace(t)
	corpus := differentialCorpus()
	var texts [][]byte
	for _, s := range allowTexts {
		texts = append(texts, []byte(s))
	}
	ids, allow := allowFixture(t, [][]byte{corpus})
	e, err := NewEngine(ids, Options{Allow: allow})
	if err != nil {
		t.Fatal(err)
	}
	ref := newReferenceAllow(ids, allow)
	plain := newReference(ids)

	for i, text := range texts {
		seg := wholeSegment(text)
		if kept, all := len(ref.scan(seg)), len(plain.scan(seg)); kept >= all || kept == 0 && i < 5 {
			t.Errorf("allow text %d: the list should drop some values (and keep some): %d of %d kept", i, kept, all)
		}
		compareWithReference(t, e, ref, seg, fmt.Sprintf("allow text %d", i))
		compareWithReference(t, e, ref, wholeSegment(text, "name"), fmt.Sprintf("allow text %d with context", i))
	}

	whole := wholeSegment(corpus)
	kept, all := len(ref.scan(whole)), len(plain.scan(whole))
	t.Logf("corpus: the allow list keeps %d of %d detections", kept, all)
	if kept == 0 || kept > all*3/4 {
		t.Errorf("the allow list should drop about a third of the corpus's detections; it keeps %d of %d", kept, all)
	}
	compareWithReference(t, e, ref, whole, "whole corpus with allow list")
	r := NewCorpusRand(17)
	for off := 0; off < len(corpus); {
		end := min(off+1+r.IntN(16<<10), len(corpus))
		seg := &formats.Segment{Text: corpus[off:end], Line: 1, Column: 1}
		seg.Owned = r.IntN(len(seg.Text) + 1)
		seg.OwnedEnd = seg.Owned + r.IntN(len(seg.Text)-seg.Owned+1)
		compareWithReference(t, e, ref, seg, fmt.Sprintf("chunk at %d with allow list", off))
		off = end
	}
}

// skipUnderRace skips a differential test in the race run: the reference
// runs every managed pattern with Go's regexp, some ten times slower under
// the detector, and these tests share nothing between goroutines that the
// plain run does not already check (TestScanConcurrent is the race run's).
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("differential test: runs without -race")
	}
}
