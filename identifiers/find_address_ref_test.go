package identifiers

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The address scan as it was before its SIMD pass (commit 2c6255b), kept
// as the reference that the differential tests hold the finder to, and a
// brute-force reference that tries every digit run.

type refAddressScan struct {
	text  []byte
	emit  func(start, end int)
	floor int
	next  int
}

func refFindAddresses(text []byte, emit func(start, end int)) {
	a := refAddressScan{text: text, emit: emit}
	q := 0
	for ; q+addrChunk <= len(text); q += addrChunk {
		a.words(q, refDigitWords((*[addrChunk]byte)(text[q:])))
	}
	a.words(q, 1<<((len(text)-q+7)/8)-1)
}

func refDigitWords(c *[addrChunk]byte) uint64 {
	var words uint64
	for k := range addrChunk / 8 {
		d := digitLanes(binary.LittleEndian.Uint64(c[8*k:]))
		words |= (d | -d) >> 63 << k
	}
	return words
}

func (a *refAddressScan) words(q int, words uint64) {
	text := a.text
	for ; words != 0; words &= words - 1 {
		p := q + 8*bits.TrailingZeros64(words)
		if p < 3 || p+10 > len(text) {
			for e := min(p+8, len(text)); p < e; p++ {
				if isDigit(text[p]) && refAnchorAt(text, p) {
					a.try(p)
				}
			}
			continue
		}
		w := (*[13]byte)(text[p-3:])
		digits := digitLanes(binary.LittleEndian.Uint64(w[3:]))
		if digits == 0 {
			continue
		}
		before := spaceLanes(binary.LittleEndian.Uint64(w[2:]))
		x := binary.LittleEndian.Uint64(w[1:])
		letters2 := (x | x<<1) & high
		x = binary.LittleEndian.Uint64(w[4:])
		upper1 := x << 1 &^ (x << 2) &^ x & high
		space1 := spaceLanes(x)
		x = binary.LittleEndian.Uint64(w[5:])
		upperOrHigh2 := (x<<1&^(x<<2) | x) & high
		region := digits & before & letters2
		other := digits & (upper1 | space1&upperOrHigh2)
		if region|other != 0 {
			a.anchors(p, region, other)
		}
	}
}

func (a *refAddressScan) anchors(q int, region, other uint64) {
	text := a.text
	if region != 0 && q >= 16 && !refCapitalNear(text, q) {
		region = 0
	}
	for m := region | other; m != 0; m &= m - 1 {
		lane := m & -m
		k := q + bits.TrailingZeros64(m)/8
		if other&lane == 0 && (!regionEnds.has(text[k-3], text[k-2]) || !regionMayEnd(text, k)) {
			continue
		}
		a.try(k)
	}
}

func refCapitalNear(text []byte, q int) bool {
	w := (*[22]byte)(text[q-16:])
	x0 := binary.LittleEndian.Uint64(w[0:])
	x1 := binary.LittleEndian.Uint64(w[8:])
	x2 := binary.LittleEndian.Uint64(w[14:])
	capitals := (x0<<1&^(x0<<2)&^x0 | x1<<1&^(x1<<2)&^x1 | x2<<1&^(x2<<2)&^x2) & high
	return capitals != 0 || (x0|x0<<1)&high == high
}

func refAnchorAt(text []byte, k int) bool {
	if k+1 < len(text) && isUpper(text[k+1]) {
		return true
	}
	if k+2 < len(text) && text[k+1] == ' ' && (isUpper(text[k+2]) || text[k+2] >= 0x80) {
		return true
	}
	return regionMayEnd(text, k)
}

func (a *refAddressScan) try(k int) {
	text := a.text
	i := k
	for i > 0 && isDigit(text[i-1]) {
		i--
	}
	if i < a.next {
		return
	}
	j := k + 1
	for j < len(text) && isDigit(text[j]) {
		j++
	}
	a.next = j
	if s, t, ok := addressAt(text, i, j, a.floor); ok {
		a.emit(s, t)
		a.floor = t
		a.next = max(j, t)
	}
}

// bruteFindAddresses tries addressAt on every digit run, in order, as
// the scan's comment says it is equivalent to.
func bruteFindAddresses(text []byte, emit func(start, end int)) {
	floor, next := 0, 0
	for i := 0; i < len(text); i++ {
		if !isDigit(text[i]) {
			continue
		}
		j := i + 1
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if i >= next {
			next = j
			if s, t, ok := addressAt(text, i, j, floor); ok {
				emit(s, t)
				floor = t
				next = max(j, t)
			}
		}
		i = j - 1
	}
}

// addressDiffCorpora are the texts the differential tests compare on.
func addressDiffCorpora() map[string][]byte {
	cs := map[string][]byte{
		"prose": BenchCorpus(CorpusProse), "csv": BenchCorpus(CorpusCSV),
		"logs": BenchCorpus(CorpusLogs), "jsonl": BenchCorpus(CorpusJSONL),
		"titlecase": titleCaseProse(NewCorpusRand(78), BenchSize),
	}
	r := NewCorpusRand(31)
	cs["addresses"] = addressSoup(r, 1<<18, addressPieces())
	// Addresses far apart in prose without digits: most of the SIMD
	// pass's blocks have none, and it looks at the others alone.
	var sparse []byte
	for len(sparse) < 1<<18 {
		sparse = append(sparse, addressSoup(r, 1, addressCaseTexts())...)
		sparse = append(sparse, addressSoup(r, 100+r.IntN(400), strings.Fields(digitFreeProse))...)
	}
	cs["sparse"] = sparse
	cs["bytes"] = addressSoup(r, 1<<16, []string{"\x00", "\xff", "\xc3", "\xa9", "1", "9", " ", ",", "-", ".", "A", "Z", "a", "z", "É", "Ω", "Ж", "\n"})
	return cs
}

// digitFreeProse are words (and spaces between them) for the prose
// between addresses.
const digitFreeProse = "the costs Order Shipped in Texas. were than also São Kraków Street ,  " +
	"Main New York The Via rue "

// addressPieces are fragments of addresses and their near misses, which
// addressSoup strings together at random.
func addressPieces() []string {
	pieces := []string{" ", " ", " ", ", ", "\n", ". ", "-", "'", "(", "São ", "Ærøskøbing ", "Ωmega ", "Жук ",
		"costs ", "the ", "Main Street ", "10 Downing Street ", "Via Roma, 1 ", "55 rue du Faubourg ", "Suite 200 ",
		"Springfield, ", "Salt Lake City, ", "ST. LOUIS, ", "Winston-Salem ", "Frankfurt am Main", "A Coruña",
		"IL ", "TX ", "Texas ", "New York ", "NSW ", "Victoria ", "ON ", "Québec ", "British Columbia ",
		"62701", "75001", "10117", "D-10117", "2000", "3000", "12345-6789", "4008.98", "51119", "8395", "1",
		"K1A 0B1", "M5V 3L9", "SW1A 1AA", "EC1A 1BB", "W1 2AB", "Berlin", "Paris", "Madrid", "Roma", "Lyon",
		"Hauptstraße 5 ", "Platz der Republik 1 ", "75008 Paris", "28013 Madrid", "00184 Roma", "é", "\xc3", "\xff"}
	return append(pieces, addressCaseTexts()...)
}

// addressCaseTexts are the texts of the catalogue's address cases, and
// of a few with a city that begins with a capital beyond ASCII.
func addressCaseTexts() []string {
	texts := []string{"Hauptstraße 5, 80331 Österfeld", "12 rue de la Paix, 75002 Évreux", "Calle Mayor 5, 28013 Ávila"}
	for _, c := range catalogueCases()["ADDRESS"].match {
		text, _ := unmark(c.text)
		texts = append(texts, string(text))
	}
	return texts
}

// addressSoup strings pieces together at random to n bytes or more.
func addressSoup(r *rand.Rand, n int, pieces []string) []byte {
	var b []byte
	for len(b) < n {
		b = append(b, pieces[r.IntN(len(pieces))]...)
	}
	return b
}

// TestAddressScanMatchesReference holds findAddresses to the reference
// scan and to trying every run, on the corpora, on their cuts at every
// offset near the start and end (where the scan works byte by byte), and
// on cuts that end mid-rune.
func TestAddressScanMatchesReference(t *testing.T) {
	t.Parallel()
	for name, text := range addressDiffCorpora() {
		compareAddressFinders(t, name, text)
		for cut := range 80 {
			compareAddressFinders(t, name+" head", text[:min(len(text), 3000+cut)])
			compareAddressFinders(t, name+" tail", text[len(text)-3000-cut:])
		}
	}
	for n := range 70 {
		compareAddressFinders(t, "short", []byte(strings.Repeat("Springfield, IL 62701 ", 4)[:n]))
	}
}

// compareAddressFinders fails if findAddresses, the reference scan and
// the brute-force tries do not report the same spans on text.
func compareAddressFinders(t *testing.T, name string, text []byte) {
	t.Helper()
	got := findSpans(findAddresses, text)
	want := findSpans(refFindAddresses, text)
	if !slices.Equal(got, want) {
		t.Fatalf("%s (%d bytes): %d spans, the reference %d; first difference at span %d", name, len(text),
			len(got), len(want), firstDiff(got, want))
	}
	if brute := findSpans(bruteFindAddresses, text); !slices.Equal(want, brute) {
		t.Fatalf("%s (%d bytes): the reference finds %d spans, trying every run %d", name, len(text), len(want), len(brute))
	}
}

func firstDiff(a, b [][2]int) int {
	k := 0
	for k < len(a) && k < len(b) && a[k] == b[k] {
		k++
	}
	return k
}

// FuzzAddressScanMatchesReference holds findAddresses to the references
// on any input, and on the input with an address piece spliced in.
func FuzzAddressScanMatchesReference(f *testing.F) {
	for _, p := range addressPieces() {
		f.Add([]byte(p), uint16(0), uint8(0))
	}
	f.Add([]byte("costs 4008.98 more Springfield, IL 62701\n10117 Berlin"), uint16(7), uint8(3))
	pieces := addressPieces()
	f.Fuzz(func(t *testing.T, text []byte, at uint16, piece uint8) {
		compareAddressFinders(t, "fuzz input", text)
		k := int(at) % (len(text) + 1)
		spliced := slices.Concat(text[:k], []byte(pieces[int(piece)%len(pieces)]), text[k:])
		compareAddressFinders(t, "fuzz input spliced", spliced)
		// Long enough for the SIMD pass: the input after prose without
		// digits, and the input over and over from an offset of its own.
		long := slices.Concat(bytes.Repeat([]byte("the costs Order "), 128+k%16)[k%16:], spliced,
			bytes.Repeat([]byte(" New York "), 220))
		compareAddressFinders(t, "fuzz input in prose", long)
		if len(spliced) > 0 {
			tiled := bytes.Repeat(spliced, 4200/len(spliced)+1)[k%len(spliced):]
			compareAddressFinders(t, "fuzz input tiled", tiled)
		}
	})
}

// refIsStreetWordFolded is isStreetWordFolded as it was before it looked
// at a word's first letter alone (commit 2c6255b).
func refIsStreetWordFolded(w []byte) bool {
	var buf [48]byte
	f := bytes.TrimRight(appendFolded(buf[:0], w), ".")
	if streetWords[string(f)] {
		return true
	}
	if len(w) == 0 || !isUpper(w[0]) {
		return false
	}
	for _, suf := range streetSuffixes {
		if len(f) > len(suf)+2 && bytes.HasSuffix(f, []byte(suf)) {
			return true
		}
	}
	return false
}

// TestStreetWordFoldedMatchesReference holds isStreetWordFolded to its
// reference on words that begin beyond ASCII: street words whose first
// letter folds to ASCII ("Àvenue", "İmpasse"), words of other scripts,
// broken UTF-8, and the words of the corpora.
func TestStreetWordFoldedMatchesReference(t *testing.T) {
	t.Parallel()
	words := []string{"Àvenue", "àvenue.", "İmpasse", "\u212Aing", "Élysée", "Ærøskøbing", "Ávila", "Straße",
		"ελληνικά", "данные", "東京", "’rue", "\xff", "\xc3", "Ωmega", "Öland", "Üfer", "Ústrasse", "", "."}
	for _, text := range addressDiffCorpora() {
		words = append(words, strings.Fields(string(text[:min(len(text), 1<<16)]))...)
	}
	streets := 0
	for _, w := range words {
		got, want := isStreetWordFolded([]byte(w)), refIsStreetWordFolded([]byte(w))
		if got != want {
			t.Errorf("isStreetWordFolded of a word of %d bytes: %v, the reference %v", len(w), got, want)
		}
		if want && len(w) > 0 && w[0] >= 0x80 {
			streets++
		}
	}
	if streets < 2 {
		t.Errorf("%d street words begin beyond ASCII: want the cases that fold to ASCII", streets)
	}
}
