package identifiers

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/trawlsec/trawl/formats"
)

// fuzzSeeds are chunks of the differential corpus and a few hand-made
// texts that sit on the Engine's edges.
func fuzzSeeds() []string {
	r := NewCorpusRand(12)
	seeds := []string{
		"",
		"ssn 536-22-8142",
		"card: " + GenCard(r, "4", 16) + " " + GroupCard(GenCard(r, "37", 15), "-"),
		"phone +1 (415) 555-0134 1-415-555-0135 +14155550136",
		"aws_secret_access_key=" + GenAWSSecret(r),
		"IBAN " + GroupBy(GenIBAN(r, "FR"), 4, " ") + " " + GenIBAN(r, "GB"),
		"Bearer " + GenJWT(r) + " " + GenUnsignedJWT(r) + ".",
		GenOpenSSHKey(r, `\n`, false),
		"ssn" + strings.Repeat("𝄞", 30) + " 536-22-8142 " + strings.Repeat("é", 31) + "ssn",
		"businessname 536-22-8142 advisable 4" + strings.Repeat("0", 15) + " userSsn=536228142",
	}
	corpus := differentialCorpus()
	// Small seeds keep the fuzzer fast; together they sample the corpus.
	for i := 0; i < len(corpus); i += 4 << 10 {
		seeds = append(seeds, string(corpus[i:min(i+(1<<10), len(corpus))]))
	}
	return seeds
}

// fuzzSegment makes a segment from fuzz arguments: the owned window and the
// context names ('/'-separated) come from the input too.
func fuzzSegment(text []byte, ctx string, owned, trim uint16) *formats.Segment {
	seg := &formats.Segment{Text: text, Line: 1, Column: 1}
	seg.Owned = int(owned) % (len(text) + 1)
	seg.OwnedEnd = len(text) - int(trim)%(len(text)-seg.Owned+1)
	if ctx != "" {
		seg.Context = strings.Split(ctx, "/")
	}
	return seg
}

func addSeeds(f *testing.F) {
	for i, s := range fuzzSeeds() {
		f.Add([]byte(s), "", uint16(0), uint16(0))
		if i%5 == 0 {
			f.Add([]byte(s), "customer/ssn", uint16(i*37), uint16(i*11))
		}
	}
}

// FuzzEngineMatchesReference: on any text, owned window and context, the
// Engine finds exactly what the naive reference finds, for all managed
// identifiers.
func FuzzEngineMatchesReference(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text []byte, ctx string, owned, trim uint16) {
		e, ref := managed(t)
		compareWithReference(t, e, ref, fuzzSegment(text, ctx, owned, trim), "fuzz input")
	})
}

var (
	customOnce   sync.Once
	customEngine *Engine
	customRef    *reference
)

// FuzzCustomEngineMatchesReference does the same with custom identifiers
// added, which reach the parts of the Engine that the managed catalogue
// does not (whole-text anchors, the custom distance rule, folded anchors).
func FuzzCustomEngineMatchesReference(f *testing.F) {
	addSeeds(f)
	f.Add([]byte("employee EMP-123456 ref:abc123 café-1234 order no 12345"), "Employee", uint16(0), uint16(0))
	f.Add([]byte("ABC1234"), "", uint16(0), uint16(0))
	f.Fuzz(func(t *testing.T, text []byte, ctx string, owned, trim uint16) {
		customOnce.Do(func() {
			ids := append(Managed(), customIdentifiers()...)
			e, err := NewEngine(ids)
			if err != nil {
				panic(err)
			}
			customEngine, customRef = e, newReference(ids)
		})
		compareWithReference(t, customEngine, customRef, fuzzSegment(text, ctx, owned, trim), "fuzz input")
	})
}

// FuzzAllowEngineMatchesReference does the same for an Engine built with
// an allow list (Options{Allow: ...}): managed, custom and loaded custom
// identifiers, and a list of several files that names some of the values in
// the seeds, so that mutations land on both sides of it.
func FuzzAllowEngineMatchesReference(f *testing.F) {
	addSeeds(f)
	for _, s := range allowTexts {
		f.Add([]byte(s), "", uint16(0), uint16(0))
		f.Add([]byte(s), "name", uint16(3), uint16(2))
	}
	var seeds [][]byte
	for _, s := range fuzzSeeds() {
		seeds = append(seeds, []byte(s))
	}
	ids, allow := allowFixture(f, seeds)
	e, err := NewEngine(ids, Options{Allow: allow})
	if err != nil {
		f.Fatal(err)
	}
	ref := newReferenceAllow(ids, allow)
	f.Fuzz(func(t *testing.T, text []byte, ctx string, owned, trim uint16) {
		compareWithReference(t, e, ref, fuzzSegment(text, ctx, owned, trim), "fuzz input")
	})
}

// naiveAllows is what an allow list in the text format means, read
// directly: a value is allowed when it equals an entry line character by
// character up to case (bytes that are not UTF-8 must be the same bytes), or
// when one of the "regex:" lines, on its own, matches all of it.
func naiveAllows(list string, value []byte) bool {
	list = strings.TrimPrefix(list, "\uFEFF")
	for line := range strings.SplitSeq(list, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if expr, ok := strings.CutPrefix(line, "regex:"); ok {
			// Leftmost-longest finds a match of all of the value if
			// there is one: it starts leftmost, and is the longest there.
			re := regexp.MustCompile(expr)
			re.Longest()
			if loc := re.FindIndex(value); loc != nil && loc[0] == 0 && loc[1] == len(value) {
				return true
			}
		} else if strings.TrimSpace(line) != "" && equalUpToCase([]byte(line), value) {
			return true
		}
	}
	return false
}

// naiveInvalid says why a text list must be refused, or "" when it must
// load: it has no entry, or an expression is too long or is refused on its
// own by the dialect check.
func naiveInvalid(list string) string {
	list = strings.TrimPrefix(list, "\uFEFF")
	entries := 0
	for line := range strings.SplitSeq(list, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if expr, ok := strings.CutPrefix(line, "regex:"); ok {
			if utf8.RuneCountInString(expr) > MaxAllowRegexLen {
				return "long regex"
			}
			if err := checkDialect(expr); err != nil {
				return err.Error()
			}
			entries++
		} else if strings.TrimSpace(line) != "" {
			entries++
		}
	}
	if entries == 0 {
		return "empty"
	}
	return ""
}

func equalUpToCase(a, b []byte) bool {
	for len(a) > 0 && len(b) > 0 {
		ra, na := utf8.DecodeRune(a)
		rb, nb := utf8.DecodeRune(b)
		badA, badB := ra == utf8.RuneError && na == 1, rb == utf8.RuneError && nb == 1
		switch {
		case badA || badB:
			if !badA || !badB || a[0] != b[0] {
				return false
			}
		case unicode.ToLower(ra) != unicode.ToLower(rb):
			return false
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) == 0 && len(b) == 0
}

// FuzzAllowList: a loaded text list allows exactly what naiveAllows says,
// whatever the entries, expressions and value.
func FuzzAllowList(f *testing.F) {
	for _, s := range []struct{ list, value string }{
		{"EMP-0000\n", "emp-0000"},
		{"EMP-0000\r\n\r\nAcme Corp\n", "ACME CORP"},
		{"regex:(?i)abc\nregex:def\n", "DEF"},
		{"regex:ab|cd\n", "abcd"},
		{"regex:\\d{4}\nregex:(?s)x.y\n", "x\ny"},
		{"caf\xe9\n", "caf\xe8"},
		{"\uFEFFfirst\n", "FIRST"},
		{"Zürich\n", "ZÜRICH"},
		{"regex:(?m)^a$\n", "a\nb"},
		{" padded \n", " PADDED "},
		{"regex:\\Qa.b\nregex:c\\Q+\\E\n", "c+"},
	} {
		f.Add(s.list, []byte(s.value))
	}
	f.Fuzz(func(t *testing.T, list string, value []byte) {
		path := filepath.Join(t.TempDir(), "allow.txt")
		if err := os.WriteFile(path, []byte(list), 0o600); err != nil {
			t.Fatal(err)
		}
		a, err := LoadAllowLists([]string{path})
		if err != nil {
			if why := naiveInvalid(list); why == "" {
				t.Fatalf("list of %d bytes refused: %v", len(list), err)
			}
			return
		}
		if got, want := a.Allows(value), naiveAllows(list, value); got != want {
			t.Fatalf("list of %d bytes, value of %d bytes: Allows = %v, naive %v", len(list), len(value), got, want)
		}
	})
}
