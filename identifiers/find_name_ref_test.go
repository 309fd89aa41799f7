package identifiers

// refFindNames is the NAME finder as it was before the bit-mask scan
// (commit 2c6255b), kept as the reference the differential tests and
// the fuzz target compare findNames with. Only the scanning and parsing
// are copied; evalRun and the word tables are shared.

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

var refASCIIBoundary = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = refNameBoundaryBefore([]byte{byte(c), 'A'}, 1)
	}
	return t
}()

// refFindNames reports the full names in text.
func refFindNames(text []byte, emit func(start, end int)) {
	var run [maxRunTokens + 1]nameTok
	for i := 0; ; {
		i = refNextNameStart(text, i)
		if i >= len(text) {
			return
		}
		if end, ok := refLoneWord(text, i); ok {
			i = end
			continue
		}
		n, end, long := refParseRun(text, i, run[:])
		if n >= 2 && !long {
			if s, t, ok := evalRun(text, run[:n], end, nil); ok {
				emit(s, t)
			}
		}
		i = max(end, i+1)
	}
}

// refLoneWord reports whether the word at i, when it is a plain ASCII word,
// is plainly no part of a run of capitalised words: all capitals, or
// followed by punctuation or by a lower case word that is no particle. Most
// capitalised words (a sentence's first) end here, cheaply. It returns
// the word's end.
func refLoneWord(text []byte, i int) (int, bool) {
	j := refAsciiLowerRun(text, i+1)
	if j >= len(text) {
		return j, true
	}
	if j == i+1 && isUpper(text[j]) {
		// An all-capital word ("EUR", "CEO") is no word of a name.
		return refSkipRest(text, j), true
	}
	switch c := text[j]; c {
	case ',', ';', ':', '!', '?', ')', '"', '\n', '\r', '\t':
		return j, true
	case ' ':
		k := refAsciiLowerRun(text, j+1)
		return j, k > j+1 && (k == len(text) || text[k] < utf8.RuneSelf) && !refIsParticle(text[j+1:k])
	}
	return j, false
}

// refSkipRest returns the end of the word that goes on at j. Any non-ASCII
// byte counts as the word's, except where a quotation mark or space that
// may open a name begins: only those end a word without a space
// (refNameBoundaryBefore).
func refSkipRest(text []byte, j int) int {
	for j < len(text) {
		c := text[j]
		if c < utf8.RuneSelf {
			if !isWordByte(c) {
				break
			}
		} else if refOpensName(text[j:]) > 0 {
			break
		}
		j++
	}
	return j
}

// refOpensName returns the length of the quotation mark or no-break space
// that b begins with, after which refNameBoundaryBefore lets a name start;
// 0 if none.
func refOpensName(b []byte) int {
	if len(b) >= 2 && b[0] == 0xc2 && (b[1] == 0xab || b[1] == 0xa0) { // « and no-break space
		return 2
	}
	if len(b) >= 3 && b[0] == 0xe2 && b[1] == 0x80 && (b[2] == 0x9c || b[2] == 0x98 || b[2] == 0x9e) { // “ ‘ „
		return 3
	}
	return 0
}

// refMaybeLatinUpper reports whether b may begin with a Latin capital: À–Þ,
// or a letter of Latin Extended-A, -B or Additional (decoded later).
func refMaybeLatinUpper(b []byte) bool {
	switch {
	case len(b) < 2:
		return false
	case b[0] == 0xc3:
		return 0x80 <= b[1] && b[1] <= 0x9e && b[1] != 0x97
	case 0xc4 <= b[0] && b[0] <= 0xc9:
		return true
	case b[0] == 0xe1:
		return 0xb8 <= b[1] && b[1] <= 0xbb
	}
	return false
}

// refNameBoundaryBefore reports whether a name may start at i: at the start,
// after white space, or after an opening or separating punctuation mark,
// not inside a path, address, identifier or number ("x.John", "@Smith").
// None of these is a word's rune, so it implies !wordByteBefore.
func refNameBoundaryBefore(text []byte, i int) bool {
	if i == 0 {
		return true
	}
	switch text[i-1] {
	case ' ', '\t', '\n', '\r', '"', '\'', '(', '[', '{', '<', '>', ':', ';', ',', '=', '|', '*':
		return true
	}
	if text[i-1] >= utf8.RuneSelf {
		r, n := utf8.DecodeLastRune(text[:i])
		return r != utf8.RuneError && refOpensName(text[i-n:i]) == n
	}
	return false
}

// refParseRun parses the run of capitalised words, each after one space,
// that starts at i, into toks. It returns the number of words, the run's
// end and whether it was longer than maxRunTokens.
func refParseRun(text []byte, i int, toks []nameTok) (n, end int, long bool) {
	p := i
	particle := -1
	for {
		tok, next, ok := refParseNameToken(text, p)
		if !ok {
			break
		}
		if n == maxRunTokens {
			return n, refSkipRun(text, p), true
		}
		tok.particle = particle
		particle = -1
		toks[n] = tok
		n++
		end = tok.end
		if tok.initial {
			end = tok.end + 1
		}
		if next != tok.end && !tok.initial {
			// A period after a word: an abbreviated title ("Dr.") goes on,
			// anything else ends the sentence and the run.
			if nameFlags(text[tok.start:tok.end])&wLeader == 0 {
				break
			}
			end = next
		}
		if next >= len(text) || text[next] != ' ' {
			break
		}
		q := next + 1
		// Up to two lower case particles before the next word ("de la",
		// "van der").
		pstart := q
		for range 2 {
			w := lowerRun(text, q)
			if w == q || w >= len(text) || text[w] != ' ' || !refIsParticle(text[q:w]) {
				break
			}
			q = w + 1
		}
		if q >= len(text) {
			break
		}
		if _, ok := upperAt(text, q); !ok {
			break
		}
		if q != pstart {
			particle = pstart
		}
		p = q
	}
	return n, end, false
}

// refSkipRun returns the end of a run of capitalised words at p (one that
// is too long to be a name).
func refSkipRun(text []byte, p int) int {
	for {
		_, next, ok := refParseNameToken(text, p)
		if !ok || next+1 >= len(text) || text[next] != ' ' {
			return max(next, p+1)
		}
		if _, up := upperAt(text, next+1); !up {
			return next
		}
		p = next + 1
	}
}

// refParseNameToken parses a capitalised word or an initial at p. next is
// where the word ends, after a trailing period.
func refParseNameToken(text []byte, p int) (tok nameTok, next int, ok bool) {
	n, up := upperAt(text, p)
	if !up {
		return tok, p, false
	}
	q := p + n
	lowers := 0
	for q < len(text) && q-p <= maxNameToken {
		if isLower(text[q]) {
			q++
			lowers++
			continue
		}
		if n, ok := lowerAt(text, q); ok {
			q += n
			lowers++
			continue
		}
		c := text[q]
		// O'Brien, D’Angelo, Jean-Pierre, McDonald: a capital inside a
		// word only after an apostrophe, a hyphen or a known prefix.
		join := 0
		switch {
		case c == '\'' || c == '-':
			join = 1
		case c == 0xe2 && bytes.HasPrefix(text[q:], []byte("’")):
			join = len("’")
		}
		if join > 0 && q+join < len(text) {
			if n, up := upperAt(text, q+join); up {
				q += join + n
				continue
			}
		}
		if m, up := upperAt(text, q); up && refInnerCapital(text[p:q]) {
			q += m
			continue
		}
		break
	}
	if q-p > maxNameToken {
		return tok, q, false
	}
	tok = nameTok{start: p, end: q, particle: -1}
	if lowers == 0 {
		// A single capital with a period is an initial; an all-capitals
		// word ("CEO", "SMITH") is not a token of a name.
		if q == p+n && q < len(text) && text[q] == '.' {
			tok.initial = true
			return tok, q + 1, true
		}
		return tok, q, false
	}
	if wordByteAt(text, q) {
		return tok, q, false // "John2", "Smith_", "Anna3": an identifier
	}
	if q < len(text) && text[q] == '.' {
		return tok, q + 1, true
	}
	return tok, q, true
}

// refInnerCapital reports whether a capital may follow the word's beginning
// w: McDonald, MacLeod, DeLuca, LaFontaine, FitzGerald, VanDyke.
func refInnerCapital(w []byte) bool {
	switch string(w) {
	case "Mc", "Mac", "De", "Di", "La", "Le", "Fitz", "Van":
		return true
	}
	return false
}

// refIsNameStart reports whether refFindNames looks for a name at text[q]: an
// upper case Latin letter after a name boundary (refNameBoundaryBefore). A
// non-ASCII capital must follow an ASCII byte that is no word's, or a
// quotation mark or no-break space that opens a name, or begin the text.
func refIsNameStart(text []byte, q int) bool {
	c := text[q]
	if c < utf8.RuneSelf {
		return isUpper(c) && refNameBoundaryBefore(text, q)
	}
	opened := q >= 2 && refOpensName(text[q-2:q]) == 2 || q >= 3 && refOpensName(text[q-3:q]) == 3
	if q > 0 && (text[q-1] >= utf8.RuneSelf && !opened || isWordByte(text[q-1])) || !refMaybeLatinUpper(text[q:]) {
		return false
	}
	_, up := upperAt(text, q)
	return up && refNameBoundaryBefore(text, q)
}

// refNameStartAt is refIsNameStart for a byte after the first that a scan
// flagged. Most are ASCII capitals after an ASCII byte, decided by the
// boundary table.
func refNameStartAt(text []byte, q int) bool {
	if c, b := text[q], text[q-1]; c-'A' <= 'Z'-'A' && b < utf8.RuneSelf {
		return refASCIIBoundary[b]
	}
	return refIsNameStart(text, q)
}

// refNextNameStart returns the first q >= i with refIsNameStart(text, q), or
// len(text). Eight bytes at a time it flags a superset of those q, with
// few operations and no constant but high (each 64-bit constant costs an
// instruction of its own): bytes of 0x40-0x5F (the capitals and
// "@[\]^_") and bytes of 0x80 or more that follow an ASCII byte, unless
// the byte before is one of 0x40-0x57 and 0x60-0x77 (most letters, and
// no byte after which a name starts). Each flagged byte is then checked.
func refNextNameStart(text []byte, i int) int {
	if i == 0 && len(text) > 0 {
		// The loop reads the byte before its eight: the first alone.
		if refIsNameStart(text, 0) {
			return 0
		}
		i = 1
	}
	for ; i+8 <= len(text); i += 8 {
		w := binary.LittleEndian.Uint64(text[i:])
		p := binary.LittleEndian.Uint64(text[i-1:]) // each byte's predecessor
		// Shifting left by k moves bit 7-k of each byte to its bit 7,
		// where the flags are read.
		upperish := w << 1 &^ (w | w<<2)         // 010xxxxx
		firstHigh := w                           // 1xxxxxxx (any: a check follows)
		letterish := p << 1 &^ (p | p<<3&(p<<4)) // 01x0xxxx, 01x10xxx
		cand := (upperish | firstHigh) &^ letterish & high
		for cand != 0 {
			if q := i + bits.TrailingZeros64(cand)/8; refNameStartAt(text, q) {
				return q
			}
			cand &= cand - 1
		}
	}
	for ; i < len(text); i++ {
		if refIsNameStart(text, i) {
			return i
		}
	}
	return len(text)
}

// refAsciiLowerRun is lowerRun eight bytes at a time: the end of the run of
// ASCII lower case letters at i. Most words of prose are such runs.
func refAsciiLowerRun(text []byte, i int) int {
	for ; i+8 <= len(text); i += 8 {
		w := binary.LittleEndian.Uint64(text[i:])
		a := w & low7
		lower := (a + ones*(0x80-'a')) &^ (a + ones*(0x80-'z'-1)) &^ w & high
		if lower != high {
			return i + bits.TrailingZeros64(^lower&high)/8
		}
	}
	return lowerRun(text, i)
}

// refIsParticle reports whether w is one of particles, without a lookup.
func refIsParticle(w []byte) bool {
	switch string(w) {
	case "van", "von", "der", "den", "de", "da", "di", "del", "della", "delle", "dei", "du", "des",
		"la", "le", "lo", "dos", "das", "do", "y", "ten", "ter", "zu":
		return true
	}
	return false
}
