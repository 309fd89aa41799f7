package identifiers

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/corpus"
)

func TestExploreCustom(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	rec, _ := Select(SelectRecommended, nil, nil)
	custom, err := ParseCustom([]byte(corpus.TypicalCustomIdentifiers), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := os.ReadFile("../.bench/doc-60m.txt")
	doc = doc[:16<<20]
	texts := map[string][]byte{"prose": BenchCorpus(CorpusProse), "logs": BenchCorpus(CorpusLogs), "csv": BenchCorpus(CorpusCSV), "jsonl": BenchCorpus(CorpusJSONL), "doc16": doc}
	run := func(ids []*Identifier, text []byte) (time.Duration, int) {
		e, err := NewEngine(ids)
		if err != nil {
			t.Fatal(err)
		}
		segs := SegmentsOf(text)
		n := 0
		st := time.Now()
		for _, s := range segs {
			seg := *s
			e.Scan(&seg, func(Detection) { n++ })
		}
		return time.Since(st), n
	}
	for _, name := range []string{"prose", "logs", "csv", "jsonl", "doc16"} {
		text := texts[name]
		base, _ := run(rec, text)
		all, _ := run(append(rec[:len(rec):len(rec)], custom...), text)
		fmt.Printf("%s: base %v all %v (%.1fx)\n", name, base, all, float64(all)/float64(base))
		for _, c := range custom {
			d, n := run(append(rec[:len(rec):len(rec)], c), text)
			fmt.Printf("   %-25s %8v  +%v  n=%d\n", c.Name, d, d-base, n)
		}
	}
}
