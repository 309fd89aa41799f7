package identifiers

import (
	"fmt"
	"slices"
	"testing"
)

// TestKWIndexFind holds the keyword search (SIMD, word at a time, byte at
// a time) to a check of every word start, over texts of keyword variants,
// camelCase joins, accented letters and noise, in windows that start and
// end anywhere.
func TestKWIndexFind(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	x := &e.kw
	r := NewCorpusRand(13)
	pieces := []string{" ", "\n", "_", "-", ":", "7", "é", "Ü", "x", "Q", "the", "user", "ID", "é"}
	for range 40 {
		pieces = append(pieces, string(x.variants[r.IntN(len(x.variants))]))
	}
	for n := range 500 {
		var text []byte
		for len(text) < 1+r.IntN(700) { // past 256 bytes: more than one round of masks
			p := []byte(pieces[r.IntN(len(pieces))])
			if r.IntN(4) == 0 && len(p) > 0 && p[0] >= 'a' && p[0] <= 'z' {
				p = append([]byte{p[0] - 'a' + 'A'}, p[1:]...) // a camelCase join
			}
			text = append(text, p...)
		}
		from := r.IntN(len(text))
		to := from + r.IntN(len(text)-from+1)
		var got, want []string
		x.find(text, from, to, func(v, s, t int) { got = append(got, fmt.Sprint(v, s, t)) })
		for q := from; q < to; q++ {
			if x.first[text[q]] && keywordStartsWord(text, q) {
				x.at(text, q, func(v, s, t int) { want = append(want, fmt.Sprint(v, s, t)) })
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("text %d (%d bytes, [%d,%d)): %d hits, want %d", n, len(text), from, to, len(got), len(want))
		}
	}
}
