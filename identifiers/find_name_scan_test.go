package identifiers

import (
	"fmt"
	"testing"
)

// TestNextNameStart checks the word-at-a-time skipping of the NAME finder
// against isNameStart at every byte, on the corpora and on short texts
// that put capitals, non-ASCII letters and the bytes that open names at
// every offset of the eight-byte words and the SIMD path's 32-byte ones.
func TestNextNameStart(t *testing.T) {
	t.Parallel()
	texts := [][]byte{differentialCorpus(), titleCaseProse(NewCorpusRand(3), 64<<10)}
	pieces := []string{"A", "a", " ", "É", "é", "[", "{", "|", "x", "Z", "“", "«", "\u00a0", "_", "1", ".", "'", "ß", "Ł", "Ḁ", "\xc3", "\xe2\x80", "@", "`", "\n"}
	r := NewCorpusRand(8)
	for range 3000 {
		var b []byte
		for range r.IntN(64) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		texts = append(texts, b)
	}
	for k, text := range texts {
		var want []int
		for q := range text {
			if isNameStart(text, q) {
				want = append(want, q)
			}
		}
		var got []int
		for i := 0; ; i++ {
			i = nextNameStart(text, i)
			if i >= len(text) {
				break
			}
			got = append(got, i)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("text %d (%d bytes): %d starts found, want %d", k, len(text), len(got), len(want))
		}
	}
}

func TestASCIIBoundaryAndLowerRun(t *testing.T) {
	t.Parallel()
	for c := range 128 {
		if asciiBoundary[c] != nameBoundaryBefore([]byte{byte(c), 'A'}, 1) {
			t.Errorf("asciiBoundary[%#x] = %v", c, asciiBoundary[c])
		}
	}
	for _, s := range []string{"", "a", "abcdefgh", "abcdefghijklmnopq", "abcdefgh ", "abc{", "abc`", "abcdefghé", "abcdefghijklmnopqrstuvwxyzabc.", "Abc"} {
		for i := range len(s) + 1 {
			if got, want := asciiLowerRun([]byte(s), i), lowerRun([]byte(s), i); got != want {
				t.Errorf("asciiLowerRun of %d bytes at %d = %d, want %d", len(s), i, got, want)
			}
		}
	}
}
