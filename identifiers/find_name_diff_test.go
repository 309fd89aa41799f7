package identifiers

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// The NAME finder against refFindNames (find_name_ref_test.go): the same
// spans on the corpora, on texts built from pieces that exercise every
// rule of the scan (capitals ASCII and not, particles, initials, the
// marks that open a name, runes cut short) and under the fuzzer.

// namePieces are the pieces of the differential texts: names, particles,
// leaders, firm words, non-name capitals, Latin, Greek, Cyrillic and CJK
// letters, the marks and spaces a name may follow, and broken UTF-8.
var namePieces = []string{
	"John", "Smith", "Maria", "Garcia", "Grace", "Kelly", "Anne-Laure", "Martin", "O'Brien", "D’Angelo",
	"McDonald", "Jean", "Paul", "van", "der", "de", "la", "Beethoven", "Dr.", "Dr", "Mr.", "Dear", "J.",
	"A.", "LLC", "GmbH", "&", "Street", "Hospital", "Customer", "the", "these", "they", "EUR", "CEO",
	"São", "Kraków", "Zürich", "Ærøskøbing", "Élodie", "Łukasz", "Ḁx", "ÉMILE", "ελληνικά", "Данные",
	"данные", "東京", "ß", "é", "É", "x", "Z", "a", "1", "42", "_", " ", " ", " ", "  ", ".", ",", ";",
	":", "!", "?", "(", ")", "[", "{", "<", ">", "|", "*", "=", "@", "`", "'", "\"", "-", "\n", "\r",
	"\t", "“", "‘", "„", "«", "»", "\u00a0", "’", "\xc3", "\xe2\x80", "\xc4", "\xe1\xb8", "\xff", "\x80",
}

// randomNameText returns a text of up to max pieces, mostly joined by
// spaces so that runs of words form.
func randomNameText(r *rand.Rand, max int) []byte {
	var b []byte
	for range r.IntN(max + 1) {
		b = append(b, namePieces[r.IntN(len(namePieces))]...)
		if r.IntN(3) > 0 {
			b = append(b, ' ')
		}
	}
	return b
}

// randomUTF8 returns n random runes, many of them Latin capitals and
// letters of other scripts, and a few bytes that are no UTF-8.
func randomUTF8(r *rand.Rand, n int) []byte {
	var b []byte
	for range n {
		switch r.IntN(8) {
		case 0:
			b = append(b, byte(r.IntN(256)))
		case 1:
			b = utf8.AppendRune(b, rune(0xC0+r.IntN(0x250-0xC0)))
		case 2:
			b = utf8.AppendRune(b, rune(0x370+r.IntN(0x500-0x370)))
		case 3:
			b = utf8.AppendRune(b, rune(0x1E00+r.IntN(0x100)))
		case 4:
			b = utf8.AppendRune(b, rune(r.IntN(0x3000)))
		default:
			b = append(b, byte(0x20+r.IntN(0x5F)))
		}
	}
	return b
}

// diffNames fails if findNames and refFindNames differ on text.
func diffNames(t *testing.T, what string, text []byte) {
	t.Helper()
	got, want := findSpans(findNames, text), findSpans(refFindNames, text)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s (%d bytes): %d spans %v, want %d %v", what, len(text), len(got), got, len(want), want)
	}
}

func TestFindNamesMatchesReference(t *testing.T) {
	t.Parallel()
	corpora := map[string][]byte{
		"prose": BenchCorpus(CorpusProse), "csv": BenchCorpus(CorpusCSV), "logs": BenchCorpus(CorpusLogs),
		"jsonl": BenchCorpus(CorpusJSONL), "titlecase": titleCaseProse(NewCorpusRand(78), BenchSize),
		"differential": differentialCorpus(),
	}
	for name, text := range corpora {
		diffNames(t, name, text)
		// Cut anywhere, also in the middle of a rune.
		for _, cut := range []int{1, 2, 3, 31, 33, len(text)/2 + 1, len(text) - 1, len(text) - 2} {
			if 0 < cut && cut < len(text) {
				diffNames(t, fmt.Sprintf("%s[:%d]", name, cut), text[:cut])
				diffNames(t, fmt.Sprintf("%s[%d:]", name, cut), text[cut:])
			}
		}
	}
	cases := catalogueCases()["NAME"]
	for k, cs := range append(cases.match, cases.noMatch...) {
		text, _ := unmark(cs.text)
		diffNames(t, fmt.Sprintf("case %d", k), text)
	}
	r := NewCorpusRand(91)
	var all []byte
	for k := range 20000 {
		text := randomNameText(r, 24)
		diffNames(t, fmt.Sprintf("random text %d", k), text)
		all = append(all, text...)
	}
	diffNames(t, "random texts joined", all)
	for k := range 3000 {
		text := randomUTF8(r, r.IntN(200))
		diffNames(t, fmt.Sprintf("random UTF-8 %d", k), text)
	}
}

// TestFindNamesMatchesReferenceFinds guards the differential test itself:
// its random texts must hold names, or it would compare empty outputs.
func TestFindNamesMatchesReferenceFinds(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(91)
	found := 0
	for range 20000 {
		found += len(findSpans(refFindNames, randomNameText(r, 24)))
	}
	if found < 100 {
		t.Fatalf("the random texts hold %d names", found)
	}
}

func FuzzFindNamesMatchesReference(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	cases := catalogueCases()["NAME"]
	for _, cs := range append(cases.match, cases.noMatch...) {
		text, _ := unmark(cs.text)
		f.Add(string(text))
	}
	r := NewCorpusRand(5)
	for range 50 {
		f.Add(string(randomNameText(r, 40)))
	}
	f.Fuzz(func(t *testing.T, text string) {
		diffNames(t, "fuzzed text", []byte(text))
	})
}
