package identifiers

import (
	"strings"
	"sync"
	"testing"

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
