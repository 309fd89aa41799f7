package identifiers

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

// finders are the managed identifiers' hand-written finders, by ID.
func finders() map[string]func([]byte, func(int, int)) {
	return map[string]func([]byte, func(int, int)){"NAME": findNames, "ADDRESS": findAddresses}
}

// findSpans returns what find reports over text.
func findSpans(find func([]byte, func(int, int)), text []byte) [][2]int {
	var out [][2]int
	find(text, func(s, t int) { out = append(out, [2]int{s, t}) })
	return out
}

// checkFinderSpans fails if a span lies outside the text, is empty, or
// starts before the previous one ends; and if a span that starts far
// from the text's beginning is not found the same in the text cut there
// (the locality that overlapping segments rely on). It names offsets only.
func checkFinderSpans(t *testing.T, id string, find func([]byte, func(int, int)), text []byte) {
	t.Helper()
	spans := findSpans(find, text)
	prevEnd := 0
	for _, sp := range spans {
		if sp[0] < prevEnd || sp[0] >= sp[1] || sp[1] > len(text) {
			t.Fatalf("%s: span [%d,%d) after one ending at %d in %d bytes", id, sp[0], sp[1], prevEnd, len(text))
		}
		prevEnd = sp[1]
	}
	const margin = 600
	for _, cut := range []int{1, 7, len(text) / 3} {
		if cut <= 0 || cut >= len(text) {
			continue
		}
		var want, got [][2]int
		for _, sp := range spans {
			if sp[0] >= cut+margin {
				want = append(want, [2]int{sp[0] - cut, sp[1] - cut})
			}
		}
		for _, sp := range findSpans(find, text[cut:]) {
			if sp[0] >= margin {
				got = append(got, sp)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: text cut at %d finds %v beyond %d bytes, the whole text %v", id, cut, got, margin, want)
		}
	}
}

func TestFinderSpansOnCorpus(t *testing.T) {
	t.Parallel()
	corpus := differentialCorpus()
	for id, find := range finders() {
		checkFinderSpans(t, id, find, corpus)
		if n := len(findSpans(find, corpus)); n == 0 {
			t.Errorf("%s: nothing found in the differential corpus", id)
		}
	}
}

func fuzzFinder(f *testing.F, id string) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	cases := catalogueCases()[id]
	for _, cs := range append(cases.match, cases.noMatch...) {
		text, _ := unmark(cs.text)
		f.Add(string(text))
	}
	find := finders()[id]
	f.Fuzz(func(t *testing.T, text string) {
		checkFinderSpans(t, id, find, []byte(text))
	})
}

func FuzzNameFinder(f *testing.F)    { fuzzFinder(f, "NAME") }
func FuzzAddressFinder(f *testing.F) { fuzzFinder(f, "ADDRESS") }

// TestNameParts checks the pieces of the name finder that the cases do
// not reach one by one.
func TestNameParts(t *testing.T) {
	t.Parallel()
	for i, c := range []struct {
		text string
		want int // names found
	}{
		{"Anne-Laure Martin", 1}, // double given name by its first half
		{"Hans-Dieter Schmidt and Karl-Heinz Roth", 2},
		{"Mr. and Mrs. Smith", 0},                    // no given name
		{"Dear Dr Maria Garcia", 1},                  // two leaders
		{"A B C D E F G H I J Maria Garcia K", 1},    // bare capitals are no words of a run: the name stands apart
		{"Maria Garcia Lopez Navarro Ruiz Perez", 0}, // too many words for a name
		{"Maria José García", 1},                     // middle given name
		{"Zoë Müller-Lüdenscheidt", 1},               // accents and a double surname
		{"John MacÉlroy", 1},                         // an accented capital after a prefix
		{"Maria\u00a0Garcia", 0},                     // no-break space is not the separator
		{"«Maria Garcia»", 1},                        // quotes around
		{"«Élodie Moreau»", 1},                       // an accented capital after a quotation mark
		{"notre «\u00a0Élodie Moreau\u00a0»", 1},     // and after a no-break space
		{"é\u00c9lodie Moreau", 0},                   // nor glued to a letter
		{"Maria Garcia2", 0},                         // glued digit
		{"maria Garcia", 0},
		{"Victoria Station", 0}, // ambiguous given name, not a surname
		{"Victoria Smith", 1},
	} {
		if got := len(findSpans(findNames, []byte(c.text))); got != c.want {
			t.Errorf("case %d (%d words): %d names, want %d", i, len(strings.Fields(c.text)), got, c.want)
		}
	}
}

// TestAddressTables checks the tables the address finder matches codes
// against, with published examples.
func TestAddressTables(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		state string
		zip   int
		ok    bool
	}{{"DC", 205, true}, {"NY", 100, true}, {"CA", 902, true}, {"CA", 100, false}, {"TX", 787, true}, {"TX", 902, false}} {
		if inRanges(c.zip, usZIP[c.state]) != c.ok {
			t.Errorf("US %s %03d: got %v", c.state, c.zip, !c.ok)
		}
	}
	for code, first := range caFirst {
		if strings.ContainsAny(first, "DFIOQUWZ") {
			t.Errorf("Canada %s: first letter in %q is never used", code, first)
		}
	}
	for _, area := range []string{"SW", "EC", "M", "B", "EH", "BT"} {
		if !ukAreas[area] {
			t.Errorf("UK area %s missing", area)
		}
	}
	if inRanges(3000, auPostcodes["NSW"]) || !inRanges(2600, auPostcodes["ACT"]) || !inRanges(800, auPostcodes["NT"]) {
		t.Error("Australian postcode ranges")
	}
	// "Str" and "Weg" are street words whole; "Bring" ends in "ring" but
	// is too short to be a compound street name.
	for _, w := range []string{"Hauptstraße", "Bahnhofstr.", "Lindenweg", "Street", "rue", "Via", "Calle", "Avda.", "Str", "Weg"} {
		if !isStreetWord([]byte(w)) {
			t.Errorf("%s is a street word", w)
		}
	}
	for _, w := range []string{"Bring", "Maria", "12"} {
		if isStreetWord([]byte(w)) {
			t.Errorf("%s is not a street word", w)
		}
	}
	for _, c := range []struct {
		w  string
		ok bool
	}{{"10", true}, {"221B", true}, {"12-14", true}, {"5bis", true}, {"123456", false}, {"B12", false}, {"12ab", false}} {
		if houseNumber([]byte(c.w)) != c.ok {
			t.Errorf("houseNumber(%q) = %v", c.w, !c.ok)
		}
	}
}

// titleCaseProse is text full of capitalised words that are not names:
// places, organisations, headings, products, ambiguous given names before
// common words, and numbers beside place names that are not addresses.
func titleCaseProse(r *rand.Rand, size int) []byte {
	places := strings.Fields(`New York San Francisco Los Angeles London Paris Berlin Madrid Rome Sydney Toronto Chicago Boston Texas California Florida Europe Asia Germany France Spain Italy Canada Australia`)
	orgs := []string{"Bank of America", "General Electric", "Goldman Sachs", "Deutsche Bank", "Banco Santander", "Credit Suisse", "Ernst & Young", "Procter & Gamble", "Johnson & Johnson", "Morgan Stanley", "Wells Fargo", "Harvard University", "Stanford Research Institute", "Red Cross", "World Health Organization", "Microsoft Teams", "Google Cloud Platform", "Amazon Web Services"}
	heads := []string{"Quarterly Report Shows Revenue Growth", "Annual General Meeting", "Terms And Conditions", "Privacy Policy Update", "Customer Support Team", "Project Status Summary", "Release Notes Version", "Executive Summary", "Board Of Directors", "Human Resources Department"}
	amb := []string{"Will Power", "Grace Period", "Mark Down", "Rose Garden", "Jack Daniels Whiskey", "April Showers", "May Day", "Frank Discussion", "Bill Payment", "Art Gallery", "Hope Street", "Summer Sale", "Amber Alert", "Paris Agreement", "Victoria Station", "Jordan River", "Sydney Harbour", "Austin Healey", "Dallas Cowboys", "Florence Cathedral"}
	misc := []string{"Main Street", "Park Avenue", "Oxford Street", "Champs Élysées", "Room 12 Floor 3", "Building 7", "Order 55123 Shipped", "Version 10.2 Released", "Route 66", "Interstate 95", "Apollo 11", "Windows 11 Pro", "iPhone 15 Pro Max", "Boeing 747", "Studio 54", "Catch 22", "Area 51", "Highway 101"}
	var sb strings.Builder
	for sb.Len() < size {
		var w string
		switch r.IntN(5) {
		case 0:
			w = pick(r, places)
		case 1:
			w = pick(r, orgs)
		case 2:
			w = pick(r, heads)
		case 3:
			w = pick(r, amb)
		default:
			w = pick(r, misc)
		}
		s := sentence(r, 3+r.IntN(8))
		switch r.IntN(3) {
		case 0:
			sb.WriteString(w + ": " + s + ".\n")
		case 1:
			sb.WriteString(s + " in " + w + ". ")
		default:
			sb.WriteString(w + " " + strings.ToLower(s[:1]) + s[1:] + ". ")
		}
	}
	return []byte(sb.String())
}

// nameAddressEngine runs NAME and ADDRESS only.
func nameAddressEngine(tb testing.TB) *Engine {
	tb.Helper()
	ids, err := Select(SelectNone, []string{"NAME", "ADDRESS"}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	e, err := NewEngine(ids)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// countIDs scans text as the scanner does and counts detections by ID.
func countIDs(e *Engine, text []byte) map[string]int {
	n := map[string]int{}
	for _, seg := range SegmentsOf(text) {
		e.Scan(seg, func(d Detection) { n[d.Identifier.ID]++ })
	}
	return n
}

// embedValue puts v in prose, a CSV row or a JSON line; marked shows where.
func embedValue(r *rand.Rand, v string) (text string, at int) {
	switch r.IntN(3) {
	case 0:
		pre := sentence(r, 3+r.IntN(6)) + ". The contact is "
		return pre + v + ", " + strings.ToLower(sentence(r, 4)) + ".\n", len(pre)
	case 1:
		pre := strconv.Itoa(r.IntN(1e6)) + ",2024-05-01,"
		return pre + v + "," + randDigits(r, 5) + ".00,EUR\n", len(pre)
	}
	pre := `{"id":` + strconv.Itoa(r.IntN(1e6)) + `,"value":"`
	return pre + v + `","tier":` + strconv.Itoa(r.IntN(5)) + "}\n", len(pre)
}

// recall embeds n values from gen and returns the share found exactly.
func recall(e *Engine, r *rand.Rand, id string, n int, gen func(*rand.Rand) string) float64 {
	found := 0
	for range n {
		v := gen(r)
		text, at := embedValue(r, v)
		e.Scan(wholeSegment([]byte(text)), func(d Detection) {
			if d.Identifier.ID == id && d.Start == at && d.End == at+len(v) {
				found++
			}
		})
	}
	return float64(found) / float64(n)
}

// TestNameAddressPrecisionRecall measures the finders as README.md and
// the catalogue's descriptions report them: recall on generated names and
// addresses in prose, CSV and JSON, and false detections per 10 MB of the
// noise corpora and of title-case prose. TRAWL_NEGATIVE_MB sets the size
// of each noise corpus (default 2).
func TestNameAddressPrecisionRecall(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the race run skips it: it scans megabytes")
	}
	e := nameAddressEngine(t)
	r := NewCorpusRand(99)
	rates := map[string]float64{
		"NAME (in the lists)":        recall(e, r, "NAME", 3000, genName),
		"NAME (given name unlisted)": recall(e, r, "NAME", 500, func(r *rand.Rand) string { return pick(r, otherGiven) + " " + pick(r, sampleSurnames) }),
		"ADDRESS":                    recall(e, r, "ADDRESS", 3000, genAddress),
	}
	for k, v := range rates {
		t.Logf("recall %s: %.1f%%", k, 100*v)
	}
	if rates["NAME (in the lists)"] < 0.95 || rates["ADDRESS"] < 0.98 {
		t.Errorf("recall fell: %v", rates)
	}

	mb := 2
	if v, err := strconv.Atoi(os.Getenv("TRAWL_NEGATIVE_MB")); err == nil && v > 0 {
		mb = v
	}
	size := mb << 20
	noise := map[string][]byte{
		"digits, UUIDs, hashes, timestamps": negativeCorpus(NewCorpusRand(77), size),
		"title-case prose":                  titleCaseProse(NewCorpusRand(78), size),
	}
	for _, k := range []CorpusKind{CorpusProse, CorpusLogs, CorpusCSV, CorpusJSONL} {
		noise[k.String()+" corpus"] = GenerateCorpus(k, size, 500+uint64(k), 16<<10)
	}
	for name, text := range noise {
		n := countIDs(e, text)
		per10 := func(id string) float64 { return float64(n[id]) * float64(10<<20) / float64(len(text)) }
		t.Logf("%s: %.1f false NAME and %.1f false ADDRESS detections per 10 MB", name, per10("NAME"), per10("ADDRESS"))
		if per10("NAME") > 1 || per10("ADDRESS") > 1 {
			t.Errorf("%s: more than one false detection per 10 MB: %v in %d bytes", name, n, len(text))
		}
	}
}

// BenchmarkFinders measures each finder alone (the Engine adds its checks
// only for the spans they report) over the benchmark prose and CSV
// corpora, and over the title-case prose of the precision test (capitals
// in most words: the NAME finder's worst case).
func BenchmarkFinders(b *testing.B) {
	corpora := map[string][]byte{
		"prose": BenchCorpus(CorpusProse), "csv": BenchCorpus(CorpusCSV),
		"titlecase": titleCaseProse(NewCorpusRand(78), BenchSize),
	}
	for _, kind := range []string{"prose", "csv", "titlecase"} {
		text := corpora[kind]
		for _, id := range []string{"NAME", "ADDRESS"} {
			find := finders()[id]
			b.Run(id+"/"+kind, func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				n := 0
				for b.Loop() {
					n = 0
					find(text, func(int, int) { n++ })
				}
				b.ReportMetric(float64(n), "spans/op")
			})
		}
	}
}

func TestParticles(t *testing.T) {
	t.Parallel()
	for p := range strings.FieldsSeq(particles) {
		if !isParticle([]byte(p)) || nameWords[p]&wParticle == 0 {
			t.Errorf("%q is a particle", p)
		}
	}
	for _, w := range []string{"", "the", "and", "Van", "vanx", "va", "dellas", "yy", "d", "z", "dé", "t", "te", "zoo"} {
		if isParticle([]byte(w)) {
			t.Errorf("%q is no particle", w)
		}
	}
}

// TestNameBoundaryIsNoWord checks what findNames relies on to skip a
// wordByteBefore test: no byte or mark after which a name may start is a
// word's.
func TestNameBoundaryIsNoWord(t *testing.T) {
	t.Parallel()
	var before []string
	for c := range 256 {
		before = append(before, string([]byte{byte(c)}))
	}
	before = append(before, "«", "\u00a0", "“", "‘", "„", "é", "ß", "1", "_")
	for _, b := range before {
		text := []byte(b + "A")
		i := len(b)
		if nameBoundaryBefore(text, i) && wordByteBefore(text, i) {
			t.Errorf("% x: a name boundary after a word's rune", b)
		}
	}
	if !nameBoundaryBefore([]byte("«A"), len("«")) || nameBoundaryBefore([]byte("éA"), len("é")) {
		t.Error("« opens a name, é does not")
	}
}
