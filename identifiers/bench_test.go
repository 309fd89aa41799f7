package identifiers

import (
	"os"
	"runtime"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/internal/corpus"
)

// BenchSize is the size of each benchmark corpus.
const BenchSize = 4 << 20

// benchPlantEvery keeps sensitive values sparse, as in real data: about one
// planted value (valid or not) per 16 KiB.
const benchPlantEvery = 16 << 10

var benchCorpora sync.Map // CorpusKind -> []byte

// BenchCorpus returns the deterministic 4 MiB corpus of a kind that the
// benchmarks scan.
func BenchCorpus(kind CorpusKind) []byte {
	if v, ok := benchCorpora.Load(kind); ok {
		return v.([]byte)
	}
	v, _ := benchCorpora.LoadOrStore(kind, GenerateCorpus(kind, BenchSize, 2024+uint64(kind), benchPlantEvery))
	return v.([]byte)
}

// SegmentsOf cuts text the way formats.TextSegments does with its default
// options (1 MiB segments, 16 KiB overlap, 1 KiB context, each cut at the
// start of a character), without copying.
func SegmentsOf(text []byte) []*formats.Segment {
	opt := formats.DefaultTextOptions
	var segs []*formats.Segment
	owned := 0
	runeStart := func(i int) int {
		for k := 0; k < utf8.UTFMax-1 && i > 0 && i < len(text) && !utf8.RuneStart(text[i]); k++ {
			i--
		}
		return i
	}
	for start := 0; ; {
		start = runeStart(start)
		end := runeStart(min(start+opt.SegmentSize, len(text)))
		seg := &formats.Segment{Text: text[start:end], Line: 1, Column: 1, Owned: owned - start, OwnedEnd: end - start}
		if end < len(text) {
			seg.OwnedEnd -= opt.Overlap
		}
		segs = append(segs, seg)
		if end == len(text) {
			return segs
		}
		owned = end - opt.Overlap
		start = owned - opt.Context
	}
}

func benchScan(b *testing.B, kind CorpusKind, scan func(*formats.Segment) int) {
	text := BenchCorpus(kind)
	segs := SegmentsOf(text)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n = 0
		for _, s := range segs {
			// A fresh segment each time, so no line index is reused.
			seg := *s
			n += scan(&seg)
		}
	}
	b.ReportMetric(float64(n), "detections/op")
}

// firstSetIDs are the first managed identifiers trawl shipped, for
// which the matching core's first targets are stated.
var firstSetIDs = []string{
	"AWS_CREDENTIALS", "JSON_WEB_TOKEN", "OPENSSH_PRIVATE_KEY",
	"CREDIT_CARD_NUMBER", "CREDIT_CARD_NUMBER_(NO_KEYWORD)", "USA_SOCIAL_SECURITY_NUMBER", "PHONE_NUMBER",
	"FRANCE_BANK_ACCOUNT_NUMBER", "GERMANY_BANK_ACCOUNT_NUMBER", "ITALY_BANK_ACCOUNT_NUMBER",
	"NETHERLANDS_BANK_ACCOUNT_NUMBER", "SPAIN_BANK_ACCOUNT_NUMBER", "UK_BANK_ACCOUNT_NUMBER",
}

// benchIdentifiers is the first target set: the first set's managed
// identifiers plus 20 custom identifiers of the kinds users write.
func benchIdentifiers(tb testing.TB) []*Identifier {
	tb.Helper()
	ids, err := Select(SelectNone, firstSetIDs, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return append(ids, benchCustom(tb)...)
}

// benchAllIdentifiers is Macie's ALL target set: every managed identifier
// Macie has (not trawl's TRAWL_ secrets, so that figures stay comparable)
// plus the same 20 custom ones.
func benchAllIdentifiers(tb testing.TB) []*Identifier {
	tb.Helper()
	var ids []*Identifier
	for _, id := range Managed() {
		if !id.BeyondMacie {
			ids = append(ids, id)
		}
	}
	return append(ids, benchCustom(tb)...)
}

// benchTrawlAll is trawl's ALL: Macie's, the TRAWL_ secrets and the 20
// custom identifiers.
func benchTrawlAll(tb testing.TB) []*Identifier {
	tb.Helper()
	return append(Managed(), benchCustom(tb)...)
}

func benchCustom(tb testing.TB) []*Identifier {
	tb.Helper()
	custom, err := ParseCustom([]byte(corpus.BenchCustomIdentifiers), "bench.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	if len(custom) != 20 {
		tb.Fatalf("%d bench custom identifiers, want 20", len(custom))
	}
	return custom
}

func benchEngine(b *testing.B, kind CorpusKind) { benchEngineWith(b, kind, benchIdentifiers(b)) }

func benchEngineWith(b *testing.B, kind CorpusKind, ids []*Identifier) {
	e, err := NewEngine(ids)
	if err != nil {
		b.Fatal(err)
	}
	benchScan(b, kind, func(seg *formats.Segment) int {
		n := 0
		e.Scan(seg, func(Detection) { n++ })
		return n
	})
}

func BenchmarkEngineProse(b *testing.B) { benchEngine(b, CorpusProse) }
func BenchmarkEngineLogs(b *testing.B)  { benchEngine(b, CorpusLogs) }
func BenchmarkEngineCSV(b *testing.B)   { benchEngine(b, CorpusCSV) }
func BenchmarkEngineJSONL(b *testing.B) { benchEngine(b, CorpusJSONL) }

// The same with ALL managed identifiers (the ALL targets: prose and CSV).
func BenchmarkEngineAllProse(b *testing.B) { benchEngineWith(b, CorpusProse, benchAllIdentifiers(b)) }
func BenchmarkEngineAllLogs(b *testing.B)  { benchEngineWith(b, CorpusLogs, benchAllIdentifiers(b)) }
func BenchmarkEngineAllCSV(b *testing.B)   { benchEngineWith(b, CorpusCSV, benchAllIdentifiers(b)) }
func BenchmarkEngineAllJSONL(b *testing.B) { benchEngineWith(b, CorpusJSONL, benchAllIdentifiers(b)) }

// The same with trawl's ALL, the TRAWL_ secrets included.
func BenchmarkEngineTrawlAllProse(b *testing.B) { benchEngineWith(b, CorpusProse, benchTrawlAll(b)) }
func BenchmarkEngineTrawlAllLogs(b *testing.B)  { benchEngineWith(b, CorpusLogs, benchTrawlAll(b)) }
func BenchmarkEngineTrawlAllCSV(b *testing.B)   { benchEngineWith(b, CorpusCSV, benchTrawlAll(b)) }
func BenchmarkEngineTrawlAllJSONL(b *testing.B) { benchEngineWith(b, CorpusJSONL, benchTrawlAll(b)) }

// The same with the default set, RECOMMENDED, and no custom identifiers.
func BenchmarkEngineRecProse(b *testing.B) { benchEngineWith(b, CorpusProse, benchRecommended(b)) }
func BenchmarkEngineRecLogs(b *testing.B)  { benchEngineWith(b, CorpusLogs, benchRecommended(b)) }
func BenchmarkEngineRecCSV(b *testing.B)   { benchEngineWith(b, CorpusCSV, benchRecommended(b)) }
func BenchmarkEngineRecJSONL(b *testing.B) { benchEngineWith(b, CorpusJSONL, benchRecommended(b)) }

func benchRecommended(b *testing.B) []*Identifier {
	ids, err := Select(SelectRecommended, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	return ids
}

// BenchmarkNaive runs the reference (every pattern over the whole text) on
// the prose corpus with the same identifiers, to show what the Engine's
// shortcuts buy.
func BenchmarkNaive(b *testing.B) {
	ref := newReference(benchIdentifiers(b))
	benchScan(b, CorpusProse, func(seg *formats.Segment) int { return len(ref.scan(seg)) })
}

// BenchmarkCompile measures NewEngine for the target set, and the heap the
// compiled Engine holds (MB-heap).
func BenchmarkCompile(b *testing.B) {
	ids := benchIdentifiers(b)
	var before, after runtime.MemStats
	var keep *Engine
	for b.Loop() {
		// Only NewEngine is timed: the collections that measure its heap
		// would cost more than it does.
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		e, err := NewEngine(ids)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.StartTimer()
		keep = e
	}
	runtime.KeepAlive(keep)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB-heap")
}

// TestBenchCorporaAgree checks that the benchmark corpora are what they
// claim: the size, sparse detections, and the Engine agreeing with the
// reference on a slice of each.
func TestBenchCorporaAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 16 MiB")
	}
	t.Parallel()
	e, ref := managed(t)
	for _, kind := range []CorpusKind{CorpusProse, CorpusLogs, CorpusCSV, CorpusJSONL} {
		text := BenchCorpus(kind)
		if len(text) < BenchSize-3 || len(text) > BenchSize {
			t.Errorf("%s corpus is %d bytes", kind, len(text))
		}
		n := 0
		for _, seg := range SegmentsOf(text) {
			e.Scan(seg, func(Detection) { n++ })
		}
		if n == 0 || n > BenchSize/2048 {
			t.Errorf("%s corpus: %d detections; want sparse but some", kind, n)
		}
		part := text[:256<<10]
		compareWithReference(t, e, ref, wholeSegment(part), kind.String()+" corpus head")
	}
}

// The default selection (RECOMMENDED) plus the typical custom identifiers
// (corpus.TypicalCustomIdentifiers): compare each with BenchmarkEngineRec*
// on the same corpus for the cost of custom identifiers, which is to stay
// within that of the scan without them.
func BenchmarkCustomProse(b *testing.B) { benchEngineWith(b, CorpusProse, withTypicalCustom(b)) }
func BenchmarkCustomLogs(b *testing.B)  { benchEngineWith(b, CorpusLogs, withTypicalCustom(b)) }
func BenchmarkCustomCSV(b *testing.B)   { benchEngineWith(b, CorpusCSV, withTypicalCustom(b)) }
func BenchmarkCustomJSONL(b *testing.B) { benchEngineWith(b, CorpusJSONL, withTypicalCustom(b)) }

// docCorpus is real English documentation made by
// internal/benchrun/doc-corpus.sh (make bench writes it); its first 16 MiB
// are the Doc benchmarks' text.
const docCorpus = "../.bench/doc-60m.txt"

func benchDocs(b *testing.B, ids []*Identifier) {
	raw, err := os.ReadFile(docCorpus)
	if err != nil {
		b.Skipf("no documentation corpus (make bench writes %s): %v", docCorpus, err)
	}
	text := raw[:min(len(raw), 16<<20)]
	e, err := NewEngine(ids)
	if err != nil {
		b.Fatal(err)
	}
	segs := SegmentsOf(text)
	b.SetBytes(int64(len(text)))
	n := 0
	for b.Loop() {
		n = 0
		for _, s := range segs {
			seg := *s
			e.Scan(&seg, func(Detection) { n++ })
		}
	}
	b.ReportMetric(float64(n), "detections/op")
}

func BenchmarkEngineRecDocs(b *testing.B) { benchDocs(b, benchRecommended(b)) }
func BenchmarkCustomDocs(b *testing.B)    { benchDocs(b, withTypicalCustom(b)) }
