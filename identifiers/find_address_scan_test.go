package identifiers

import (
	"bytes"
	"math/bits"
	"slices"
	"strings"
	"testing"
)

// TestAddressAtEveryOffset checks that the address scan finds each
// address of the cases wherever it lies: at the text's edges, where the
// scan looks byte by byte, across its eight-byte words and 32-byte
// blocks, and across its chunks and the SIMD pass's, after prose whose
// digit runs it must pass over. The text after the address is long
// enough for the SIMD pass to run.
func TestAddressAtEveryOffset(t *testing.T) {
	t.Parallel()
	filler := "costs 123 and 45 at 2017. Order 55123 Shipped in Texas. "
	after := strings.Repeat(filler, 32*addrBlocks/len(filler)+2)
	for _, cs := range catalogueCases()["ADDRESS"].match {
		text, want := unmark(cs.text)
		for off := 0; off < 32+2*32*addrBlocks+40; off++ {
			pre := []byte(strings.Repeat(filler, off/len(filler)+1)[:off])
			if off > 0 {
				pre[off-1] = '\n' // the address starts a line
			}
			whole := slices.Concat(pre, text, []byte("\n"), []byte(after))
			got := findSpans(findAddresses, whole)
			if len(got) != len(want) {
				t.Fatalf("%s at offset %d: %d spans, want %d", cs.name, off, len(got), len(want))
			}
			for k, sp := range got {
				if sp[0] != off+want[k].Start || sp[1] != off+want[k].End {
					t.Fatalf("%s at offset %d: span %d is [%d,%d), want [%d,%d)", cs.name, off, k,
						sp[0]-off, sp[1]-off, want[k].Start, want[k].End)
				}
			}
		}
	}
}

// TestRegionMayEnd checks that the scan's quick test lets through every
// state and province that regionBefore finds, as a code or a name in any
// case, and rejects common words.
func TestRegionMayEnd(t *testing.T) {
	t.Parallel()
	regions := slices.Concat(keysOf(usZIP), keysOf(caFirst), keysOf(auPostcodes))
	for _, k := range slices.Concat(keysOf(usStateNames), keysOf(caProvinceNames), keysOf(auStateNames)) {
		if !strings.Contains(k, " and ") && !strings.Contains(k, " of ") { // regionBefore wants capitals
			regions = append(regions, titleWords(k), strings.ToUpper(k))
		}
	}
	for _, r := range regions {
		for _, pre := range []string{"at Springfield, ", "x ", "Springfield "} {
			text := []byte(pre + r + " 12345")
			i := bytes.LastIndexByte(text, ' ') + 1
			if _, ps := regionBefore(text, i-1, 0, usZIP, usStateNames); ps == 0 {
				if _, ps = regionBefore(text, i-1, 0, caFirst, caProvinceNames); ps == 0 {
					if _, ps = regionBefore(text, i-1, 0, auPostcodes, auStateNames); ps == 0 {
						t.Errorf("regionBefore finds no region of %d bytes", len(r))
						continue
					}
				}
			}
			if !regionMayEnd(text, i) {
				t.Errorf("regionMayEnd rejects a region of %d bytes after %d bytes", len(r), len(pre))
			}
		}
	}
	for _, w := range []string{"costs", "Costs", "in", "At", "Order", "Shipped", "Version"} {
		if text := []byte("the " + w + " 12345"); regionMayEnd(text, len(text)-5) {
			t.Errorf("regionMayEnd accepts a word of %d bytes", len(w))
		}
	}
}

// TestStreetWordQuick checks isStreetWord's quick path for ASCII words
// against its folding path, on the street words in three cases, with and
// without a period, German compounds, and other words.
func TestStreetWordQuick(t *testing.T) {
	t.Parallel()
	slow := isStreetWordFolded
	words := append(keysOf(streetWords), "Hauptstrasse", "LINDENWEG", "Bring", "Str", "Ring", "Xring",
		"Bahnhofstr", "Domplatz", "Maria", "12", "", ".", "...", "c/", "C/", "Street..", "strasse", "Allee",
		"Thisisaverylongwordwithnoend", "Rheinuferstrasse", "a", "ST", "Sq")
	for _, w := range words {
		for _, v := range []string{w, strings.ToUpper(w), titleWords(w), w + ".", titleWords(w) + "."} {
			if got, ok := isStreetWordASCII([]byte(v)); !ok || got != slow([]byte(v)) {
				t.Errorf("isStreetWordASCII of a word of %d bytes: %v, %v; folding says %v", len(v), got, ok, slow([]byte(v)))
			}
		}
	}
	if _, ok := isStreetWordASCII([]byte("Straße")); ok {
		t.Error("isStreetWordASCII takes a word that is not ASCII")
	}
}

// titleWords capitalises each word of s.
func titleWords(s string) string {
	words := strings.Split(s, " ")
	for k, w := range words {
		if w != "" {
			words[k] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// TestRegionLanes checks that regionLanes keeps every digit where
// regionMayEnd holds, whatever the length of the word before it (longer
// than its 64 bytes too), and drops a digit after a word in lower case.
func TestRegionLanes(t *testing.T) {
	t.Parallel()
	r := NewCorpusRand(12)
	pieces := []string{" ", " ", ", ", "1", "12345", "Texas", "IL", "costs", "é", "Ωmega", "\n", "-", "[", "_"}
	var text []byte
	for len(text) < 1<<16 {
		if r.IntN(4) == 0 {
			// A long word, which may reach back past the 64 bytes.
			// It ends as "Texas" does, which regionMayEnd looks at.
			word := slices.Concat([]byte{'N'}, bytes.Repeat([]byte("x"), r.IntN(70)), []byte("as"))
			text = append(slices.Concat(text, []byte(" "), word), " 12345"...)
			continue
		}
		text = append(text, pieces[r.IntN(len(pieces))]...)
	}
	kept, dropped := 0, 0
	for p := 32; p+32 <= len(text); p += 32 {
		lanes := regionLanesAt(text, p)
		for c := range 32 {
			if k := p + c; isDigit(text[k]) && lanes>>c&1 == 0 {
				dropped++
				if regionMayEnd(text, k) {
					t.Fatalf("regionLanes drops a digit at %d where regionMayEnd holds", k)
				}
			}
		}
		kept += bits.OnesCount32(lanes)
	}
	if kept == 0 || dropped == 0 {
		t.Errorf("regionLanes keeps %d digits and drops %d: want some of each", kept, dropped)
	}
	for _, c := range []struct {
		before string
		kept   bool
	}{{"in Springfield, IL ", true}, {"Springfield, Illinois ", true}, {"and the costs ", false}, {"in Springfield, il ", false}} {
		text := []byte(strings.Repeat("x", 40-len(c.before)) + " " + c.before + "62701 and more text after it, to 64 bytes")
		k := bytes.Index(text, []byte("62701"))
		if got := regionLanesAt(text, 32); got>>(k-32)&1 != 0 != c.kept || got&^(1<<(k-32)) != 0 {
			t.Errorf("regionLanes after %q: %#x, want %v for byte %d", c.before, got, c.kept, k-32)
		}
	}
}

// regionLanesAt is regionLanes for the 32 bytes of text from p, the
// masks built byte by byte.
func regionLanesAt(text []byte, p int) uint32 {
	var digits uint32
	var spaces, capitals uint64
	for c := range 64 {
		x := text[p-32+c]
		if x == ' ' {
			spaces |= 1 << c
		}
		if x&0xE0 == 0x40 {
			capitals |= 1 << c
		}
		if c >= 32 && isDigit(x) {
			digits |= 1 << (c - 32)
		}
	}
	return regionLanes(digits, spaces, capitals)
}
