package identifiers

import (
	"slices"
	"strings"
	"testing"
)

// nameScanTexts are the texts of the scan's tests: the corpora, and short
// texts that put capitals, non-ASCII letters and the bytes that open
// names at every offset of the eight-byte words and the SIMD path's
// 32-byte ones.
func nameScanTexts() [][]byte {
	texts := [][]byte{differentialCorpus(), titleCaseProse(NewCorpusRand(3), 64<<10)}
	pieces := []string{"A", "a", " ", "É", "é", "[", "{", "|", "x", "Z", "“", "«", "\u00a0", "_", "1", ".", "'", "ß", "Ł", "Ḁ", "\xc3", "÷", "ÿ", "Þ", "\x9e", "\x9f", "\xb7", "\xbf", "\xc0", "\xe2\x80", "@", "`", "\n", "z", "{", "Æ", "Ω", "д"}
	r := NewCorpusRand(8)
	for range 3000 {
		var b []byte
		for range r.IntN(100) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		texts = append(texts, b)
	}
	return texts
}

// TestNameScanFlags checks the flags of nameScan, by the SIMD path (where
// there is one) and by the portable one, against isNameStart and isLower
// at every byte: every start must be flagged, every small letter, and
// nothing else as a small letter.
func TestNameScanFlags(t *testing.T) {
	t.Parallel()
	for k, text := range nameScanTexts() {
		for from := 1; from < len(text); from += nameChunk {
			to := min(from+nameChunk, len(text))
			for _, portable := range []bool{false, true} {
				var f nameScan
				if portable {
					f.from, f.to = from, to
					f.fillWords(text, 0)
				} else {
					f.fill(text, from, to)
				}
				for q := from; q < to; q++ {
					bit := f.starts[(q-from)/64]>>((q-from)%64)&1 == 1
					if isNameStart(text, q) && !bit {
						t.Fatalf("text %d, portable %v: start at %d of %d not flagged", k, portable, q, len(text))
					}
					if small := f.small[(q-from)/64]>>((q-from)%64)&1 == 1; small != isSmallAt(text, q) {
						t.Fatalf("text %d, portable %v: byte %d of %d flagged small %v", k, portable, q, len(text), small)
					}
				}
			}
		}
	}
}

// TestNameScanSmallEnd checks nameScan.smallEnd against smallRun at every
// byte of a chunk and just past it, and smallRun against isSmallAt.
func TestNameScanSmallEnd(t *testing.T) {
	t.Parallel()
	for k, text := range nameScanTexts()[2:] {
		text = append(text, "abcdefghijklmnopqrstuvwxyzàéïñôøüÿabcdefghijklmnopqrstuvwxyz"[:k%60]...)
		for _, from := range []int{1, 5} {
			for _, to := range []int{len(text), len(text) - 3, len(text) - 40} {
				if from >= to {
					continue
				}
				var f nameScan
				f.fill(text, from, to)
				for i := from; i <= to && i < len(text); i++ {
					if got, want := f.smallEnd(text, i), smallRun(text, i); got != want {
						t.Fatalf("text %d [%d,%d): smallEnd(%d) = %d, want %d", k, from, to, i, got, want)
					}
				}
			}
		}
		for i := range text {
			j := i
			for j < len(text) && isSmallAt(text, j) {
				j++
			}
			if got := smallRun(text, i); got != j {
				t.Fatalf("text %d: smallRun(%d) = %d, want %d", k, i, got, j)
			}
		}
	}
}

// TestIsSmallAt checks isSmallAt against latinLowerAt: the bytes of ASCII
// and Latin-1 small letters, and nothing else.
func TestIsSmallAt(t *testing.T) {
	t.Parallel()
	for c := range 256 {
		for d := range 256 {
			text := []byte{byte(c), byte(d)}
			n, low := latinLowerAt(text, 0)
			want := low && (n == 1 || c == 0xc3)
			if isSmallAt(text, 0) != want || isSmallAt(text, 1) != (want && n == 2 || d < 0x80 && isLower(byte(d))) {
				t.Fatalf("% x: isSmallAt %v %v", text, isSmallAt(text, 0), isSmallAt(text, 1))
			}
		}
	}
}

// TestLatinCaseAt checks latinUpperAt and latinLowerAt against upperAt and
// lowerAt on every one- and two-byte text, and three-byte ones that begin
// with 0xC3.
func TestLatinCaseAt(t *testing.T) {
	t.Parallel()
	var texts [][]byte
	for c := range 256 {
		texts = append(texts, []byte{byte(c)})
		for d := range 256 {
			texts = append(texts, []byte{byte(c), byte(d)}, []byte{0xc3, byte(c), byte(d)})
		}
	}
	for _, text := range texts {
		for i := range text {
			n, up := latinUpperAt(text, i)
			wn, wup := upperAt(text, i)
			m, low := latinLowerAt(text, i)
			wm, wlow := lowerAt(text, i)
			if n != wn || up != wup || m != wm || low != wlow {
				t.Fatalf("% x at %d: upper %d %v, lower %d %v; want %d %v, %d %v", text, i, n, up, m, low, wn, wup, wm, wlow)
			}
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

// TestNameCache: the cache gives every word's flags as nameFlags does,
// over words that share slots and lengths, looked up again and again in
// any order, and words too long for it.
func TestNameCache(t *testing.T) {
	t.Parallel()
	var words []string
	for w := range nameWords {
		words = append(words, w, strings.ToUpper(w[:1])+w[1:])
	}
	slices.Sort(words)
	words = append(words, "Zürich", "ZÜRICH", "São", "Ærøskøbing", "x", "Xavier-Jean-Baptiste", "notaname", "Smith-Jones")
	r := NewCorpusRand(14)
	var c nameCache
	hits := 0
	for range 200000 {
		w := []byte(words[r.IntN(len(words))])
		if r.IntN(2) == 0 {
			w = []byte(words[r.IntN(64)]) // some words often, so they are cached
		}
		before := c
		if got, want := c.flags(w), nameFlags(w); got != want {
			t.Fatalf("flags of %q: %b, want %b", w, got, want)
		}
		if c == before {
			hits++
		}
	}
	if hits < 10000 {
		t.Errorf("%d cache hits: the test reuses too few words", hits)
	}
	// A word that takes the slot of a known name, and shares its length
	// and first eight bytes, is no hit for it.
	slotOf := func(w string) int {
		var fresh nameCache
		fresh.flags([]byte(w))
		return slices.IndexFunc(fresh.slots[:], func(s nameCached) bool { return s.n != 0 })
	}
	name := "Christopher"
	for k := 0; ; k++ {
		other := name[:8] + string([]byte{'a' + byte(k%26), 'a' + byte(k/26%26), 'a' + byte(k/676%26)})
		if other == name || slotOf(other) != slotOf(name) {
			continue
		}
		var c nameCache
		c.flags([]byte(name))
		if got, want := c.flags([]byte(other)), nameFlags([]byte(other)); got != want || want == nameFlags([]byte(name)) {
			t.Errorf("flags of %q after %q: %b, want %b", other, name, got, want)
		}
		break
	}
	var none *nameCache
	if got, want := none.flags([]byte("Maria")), nameFlags([]byte("Maria")); got != want {
		t.Errorf("nil cache: %b, want %b", got, want)
	}
}
