package identifiers

import "unicode/utf8"

// Quick word tests of the address finder. A postal code after a number
// ("12345 Springfield") is an address only with a street before it, and
// the street's window holds many words: these tests tell most of them
// apart without folding them or hashing them.

// phraseEnds are the bytes at which a street's window ends: a line's end
// and punctuation that ends a phrase.
var phraseEnds = func() (t [256]bool) {
	for _, c := range []byte("\n\r:;!?\"()|\t=<>[]{}") {
		t[c] = true
	}
	return t
}()

// streetShapes are the shapes (length, first and last letters) of
// streetWords.
var streetShapes = func() *wordShapes {
	var w wordShapes
	for k := range streetWords {
		w.add(k)
	}
	return &w
}()

// suffixEnds has bit letterSlot(c) set for the last letter c of each of
// streetSuffixes.
var suffixEnds = func() (m uint32) {
	for _, suf := range streetSuffixes {
		m |= 1 << letterSlot(suf[len(suf)-1])
	}
	return m
}()

// letterSlot numbers an ASCII letter of either case 0 to 25, and any
// other byte 26.
func letterSlot(c byte) int {
	if isLetterASCII(c) {
		return int(c|0x20) - 'a'
	}
	return 26
}

// streetWordIn reports whether a word of b, split at spaces and commas as
// streetStart splits its window, is a street word.
func streetWordIn(b []byte) bool {
	for k := 0; k < len(b); {
		for k < len(b) && (b[k] == ' ' || b[k] == ',') {
			k++
		}
		s := k
		for k < len(b) && b[k] != ' ' && b[k] != ',' {
			k++
		}
		if s < k && isStreetWord(b[s:k]) {
			return true
		}
	}
	return false
}

// isStreetWordASCII is isStreetWord for an ASCII word, whose folding is
// only lowering its capitals; ok is false if w is not ASCII.
func isStreetWordASCII(w []byte) (street, ok bool) {
	n := len(w)
	for n > 0 && w[n-1] == '.' {
		n--
	}
	f := w[:n]
	for _, c := range f {
		if c >= utf8.RuneSelf {
			return false, false
		}
	}
	if n == 0 || streetShapes.has(n, f[0], f[n-1]) {
		var buf [16]byte
		if streetWords[string(appendFolded(buf[:0], f))] {
			return true, true
		}
	}
	if len(w) == 0 || !isUpper(w[0]) || n == 0 || suffixEnds&(1<<letterSlot(f[n-1])) == 0 {
		return false, true
	}
	for _, suf := range streetSuffixes {
		if n > len(suf)+2 && hasLowerSuffix(f, suf) {
			return true, true
		}
	}
	return false, true
}

// hasLowerSuffix reports whether the ASCII word f, lowered, ends in suf.
func hasLowerSuffix(f []byte, suf string) bool {
	f = f[len(f)-len(suf):]
	for i := range len(suf) {
		c := f[i]
		if isUpper(c) {
			c += 'a' - 'A'
		}
		if c != suf[i] {
			return false
		}
	}
	return true
}
