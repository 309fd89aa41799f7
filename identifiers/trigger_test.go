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
			eng.digitRuns(text, eng.digitRunsMasked(text, collect), collect)
			if !slices.Equal(got, want) {
				t.Fatalf("text %d (%d bytes): masked runs %v, byte loop's %v", k, len(text), got, want)
			}
		}
	}
}
