package identifiers

import (
	"bytes"
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
		for off := 0; off < 64+2*32*addrBlocks+40; off++ {
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
	var regions []string
	for _, k := range slices.Concat(keysOf(usZIP), keysOf(caFirst), keysOf(auPostcodes)) {
		regions = append(regions, k)
	}
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
