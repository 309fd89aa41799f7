package identifiers

import "testing"

func TestScratchCount(t *testing.T) {
	text := BenchCorpus(CorpusProse)
	cands, high, upper := 0, 0, 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c&0xe0 == 0x40 || c >= 0x80 {
			cands++
		}
		if c >= 0x80 {
			high++
		}
		if 'A' <= c && c <= 'Z' {
			upper++
		}
	}
	t.Logf("%d bytes, %d candidates, %d high, %d upper; sample %q", len(text), cands, high, upper, text[5000:5400])
}
