package identifiers

import (
	"fmt"
	"slices"
	"testing"
)

// TestProbeSkipping holds the probe for long class runs that skips with
// SIMD to the byte-wise one: the same runs visited, on texts of runs of
// every length around the minimum and the 32-byte steps, broken by
// spaces, small letters and other bytes, in windows that start and end
// anywhere.
func TestProbeSkipping(t *testing.T) {
	t.Parallel()
	e, _ := managed(t)
	type probe struct {
		class *byteSet
		L     int
	}
	probes := []probe{{&e.capsClass, e.capsMin}, {&e.capsClass, 40}}
	for _, i := range e.byLongRun {
		r := e.rules[i]
		for _, L := range []int{r.minLen, 3, 7, 8, 15, 16, 31, 32, 63, 64, 70} {
			probes = append(probes, probe{&r.class, L})
		}
	}
	r := NewCorpusRand(15)
	in, out := []byte("AZ09az+/"), []byte("  .\n-éa")
	for n := range 3000 {
		pr := probes[r.IntN(len(probes))]
		var text []byte
		size := r.IntN(700)
		if n%10 == 0 {
			size = r.IntN(6000) // over the SIMD skip's rounds of 64 steps
		}
		for len(text) < size {
			lens := []int{pr.L - 1, pr.L, pr.L + 1, 31, 32, 33, 63, 64, r.IntN(2 * pr.L), 1, 2}
			for range lens[r.IntN(len(lens))] {
				text = append(text, in[r.IntN(len(in))])
			}
			text = append(text, out[r.IntN(len(out))])
			if r.IntN(2) == 0 {
				// Prose between runs: short words, no run near.
				for range r.IntN(150) {
					text = append(text, "ab cd e "[r.IntN(8)])
				}
			}
		}
		from := r.IntN(len(text) + 1)
		to := from + r.IntN(len(text)-from+1)
		runs := func(probeFn func(visit func(int) int) int) string {
			var got []string
			probeFn(func(p int) int {
				a, b := p, p+1
				for a > 0 && pr.class[text[a-1]] {
					a--
				}
				for b < len(text) && pr.class[text[b]] {
					b++
				}
				got = append(got, fmt.Sprint(a, b))
				return b
			})
			slices.Sort(got)
			return fmt.Sprint(slices.Compact(got))
		}
		got := runs(func(v func(int) int) int { return probeSkipping(text, pr.class, pr.L, from, to, v) })
		want := runs(func(v func(int) int) int { return probeRuns(text, pr.class, pr.L, from, to, v) })
		if got != want {
			t.Fatalf("text %d (%d bytes, [%d,%d), L %d): runs %s, want %s", n, len(text), from, to, pr.L, got, want)
		}
	}
}
