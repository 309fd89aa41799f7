package identifiers

import (
	"slices"
	"strings"
	"testing"
)

func TestLastSpace(t *testing.T) {
	for _, c := range []struct {
		w    string
		want int
	}{
		{"abcdefgh", -1}, {" bcdefgh", 0}, {"abcdefg ", 7}, {"a c e g ", 7}, {"ab d\x00\x01gh", 2},
		{"\xa0\xa0\xa0\xa0\xa0\xa0\xa0\xa0", -1}, {"\x00 \x00\x00\x00\x00\x00\x00", 1}, {"\x21\x1f!!!!!!", -1},
	} {
		if got := lastSpace([]byte(c.w)); got != c.want {
			t.Errorf("lastSpace(%q) = %d, want %d", c.w, got, c.want)
		}
	}
}

// TestDigitRunsMasked: the superset runs read off SIMD flags are those of
// the byte loop, with the same bounds, digits and longest stretch, for
// runs inside 64 bytes' flags, across them, at the text's ends, and for a
// superset that leaves some digits out. Without SIMD there is nothing to
// compare.
func TestDigitRunsMasked(t *testing.T) {
	t.Parallel()
	if !haveSIMD {
		t.Skip("no SIMD")
	}
	type run struct{ a, b, nd, stretch int }
	e, _ := managed(t)
	someDigits, err := NewEngine([]*Identifier{{ID: "ODD", Pattern: `\b[13579][13579 -]{5,}\b`}})
	if err != nil {
		t.Fatal(err)
	}
	pieces := []string{"1", "23", "4567", " ", "-", ".", "/", "A", "n", "x", "é", "\n", "(", "98765432101234567890", strings.Repeat("5", 70), strings.Repeat("1 ", 40)}
	r := NewCorpusRand(11)
	texts := [][]byte{nil, []byte("1"), differentialCorpus()}
	for range 400 {
		var b []byte
		for range r.IntN(300) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		texts = append(texts, b)
	}
	for _, eng := range []*Engine{e, someDigits} {
		if eng.supNibbles == nil {
			t.Fatal("the superset is not ASCII: the masked path is not taken")
		}
		for k, text := range texts {
			var want, got []run
			eng.digitRuns(text, 0, func(a, b, nd, stretch int) { want = append(want, run{a, b, nd, stretch}) })
			collect := func(a, b, nd, stretch int) { got = append(got, run{a, b, nd, stretch}) }
			eng.digitRuns(text, eng.digitRunsMasked(text, collect, nil), collect)
			if !slices.Equal(got, want) {
				t.Fatalf("text %d (%d bytes): masked runs %v, byte loop's %v", k, len(text), got, want)
			}
		}
	}
}

// TestCapsRuns: where the digit rules' pass finds capsClass's runs of
// capsMin or more reaching their capsMin-th byte is where a byte loop
// does, for runs inside 64 bytes' flags, across them and at the text's
// ends; and where such runs are dense, it leaves them to the probe.
func TestCapsRuns(t *testing.T) {
	t.Parallel()
	if !haveSIMD {
		t.Skip("no SIMD")
	}
	e, _ := managed(t)
	if e.capsNibbles == nil || e.capsMin < 5 {
		t.Fatalf("no capitals class to flag (shortest run %d)", e.capsMin)
	}
	r := NewCorpusRand(12)
	text := func(size, every int) []byte {
		var b []byte
		for len(b) < size {
			// Now and then a run of the class of a length around
			// capsMin, or two joined; else short ones, among small
			// letters and spaces.
			n, long := r.IntN(4), r.IntN(every) == 0
			if long {
				n = r.IntN(2 * e.capsMin)
			}
			for range n {
				b = append(b, "AZ09X7-"[r.IntN(7)])
			}
			if !long || r.IntN(2) == 0 {
				b = append(b, " ab.\xc3"[r.IntN(5)])
			}
		}
		return b[:len(b)-r.IntN(64)]
	}
	for k := range 300 {
		b := text(1024*(1+k%5), 256)
		var want []int
		for p, n := 0, 0; p < len(b); p++ {
			if n = n + 1; !e.capsClass[b[p]] {
				n = 0
			}
			if n == e.capsMin {
				want = append(want, p)
			}
		}
		var caps capsRuns
		end := e.digitRunsMasked(b, func(a, b, nd, stretch int) {}, &caps)
		if !caps.on || caps.upTo != len(b)/64*64 || end < caps.upTo-64 {
			t.Fatalf("text %d (%d bytes): flags cover %d (on %v), want %d", k, len(b), caps.upTo, caps.on, len(b)/64*64)
		}
		for len(want) > 0 && want[len(want)-1] >= caps.upTo {
			want = want[:len(want)-1]
		}
		if !slices.Equal(caps.at, want) {
			t.Fatalf("text %d (%d bytes): runs reach %d bytes at %v, want %v", k, len(b), e.capsMin, caps.at, want)
		}
	}
	var caps capsRuns
	if e.digitRunsMasked(text(64<<10, 2), func(a, b, nd, stretch int) {}, &caps); caps.on {
		t.Errorf("%d long runs in 64 KiB: the pass still looks for them", len(caps.at))
	}
}

// TestCapsRunsAdd: capsRuns for every run length it takes, on random
// flags with runs of every length, against a bit loop.
func TestCapsRunsAdd(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(13)
	for n := 1; n <= 64; n++ {
		for range 20 {
			words := make([]uint64, 1+r.IntN(6))
			var bitsOf []bool
			for len(bitsOf) < 64*len(words) {
				on := r.IntN(2) == 0
				for range r.IntN(2 * n) {
					bitsOf = append(bitsOf, on)
				}
				bitsOf = append(bitsOf, !on)
			}
			var want []int
			run := 0
			for p := range 64 * len(words) {
				if run++; !bitsOf[p] {
					run = 0
				} else {
					words[p/64] |= 1 << (p % 64)
				}
				if run == n {
					want = append(want, p)
				}
			}
			var c capsRuns
			for len(words) > 0 {
				// In pieces, as the pass hands them over.
				k := 1 + r.IntN(len(words))
				c.add(words[:k], n)
				words = words[k:]
			}
			if !slices.Equal(c.at, want) {
				t.Fatalf("runs of %d: at %v, want %v", n, c.at, want)
			}
		}
	}
}
