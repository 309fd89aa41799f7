package identifiers

import (
	"bytes"
	"embed"
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// The NAME finder: full names (a given name and a surname, maybe a middle
// name or initial) in Latin script. Macie documents no more than "full
// names only; Latin character sets only", so trawl errs on the side of
// precision: the first word must be a known given name, the last a known
// surname or a capitalised word that is not a known non-name, and the
// whole must stand apart from other capitalised words (headings, places,
// organisations).

//go:embed names/*.txt
var nameFiles embed.FS

// Flags of a word in nameWords.
const (
	wGiven     = 1 << iota // a given name (given.txt)
	wAmbiguous             // a given name that is also a word or place (ambiguous.txt)
	wSurname               // a surname (surnames.txt)
	wNotName               // a capitalised word that is no surname (notnames.txt)
	wLeader                // a word that may precede a name (leaders.txt)
	wParticle              // a surname particle: van, de, di...
)

// nameWords maps folded words (appendFolded) to their flags. It is built
// once and never changed.
var nameWords = buildNameWords()

func buildNameWords() map[string]uint8 {
	m := map[string]uint8{}
	for file, flag := range map[string]uint8{
		"given.txt": wGiven, "ambiguous.txt": wAmbiguous, "surnames.txt": wSurname,
		"notnames.txt": wNotName, "leaders.txt": wLeader,
	} {
		b, err := nameFiles.ReadFile("names/" + file)
		if err != nil {
			panic(err) // embedded: cannot happen
		}
		for line := range strings.Lines(string(b)) {
			line, _, _ = strings.Cut(line, "#")
			for _, w := range strings.Fields(line) {
				k := string(appendFolded(nil, []byte(w)))
				m[k] |= flag
			}
		}
	}
	for _, p := range strings.Fields(particles) {
		m[p] |= wParticle
	}
	return m
}

// particles are the lower case words that join a surname to the rest of
// a name ("van Beethoven", "de la Cruz").
const particles = "van von der den de da di del della delle dei du des la le lo dos das do y ten ter zu"

// particleLeads[c] has bit d-'a' when a particle begins with the letters
// c and d, and bit 26 when c alone is one ("y").
var particleLeads = func() (t [256]uint32) {
	for _, p := range strings.Fields(particles) {
		second := 26
		if len(p) > 1 {
			second = int(p[1] - 'a')
		}
		t[p[0]] |= 1 << second
	}
	return t
}()

// maxParticle is the length of the longest particle.
const maxParticle = 5

// isParticle reports whether w is one of particles, without a lookup.
// The word after a capitalised one mostly is not ("the", "and"): its
// length and first two letters tell most apart, inlined where the
// switch is a call.
func isParticle(w []byte) bool { return mayBeParticle(w) && particleWord(w) }

// mayBeParticle reports whether w may be one of particles, by its length
// and first two letters (loosely: a second byte that is no letter may
// pass). Its tests are combined without a branch: most words after a
// capitalised one are no particle, of lengths that vary word to word.
func mayBeParticle(w []byte) bool {
	if len(w) == 0 {
		return false
	}
	second := byte(26)
	if len(w) > 1 {
		second = w[1] - 'a'
	}
	may := particleLeads[w[0]] >> (second & 31) & 1
	if uint(len(w)-1) >= maxParticle {
		may = 0
	}
	return may != 0
}

// particleWord reports whether w is one of particles.
func particleWord(w []byte) bool {
	switch string(w) {
	case "van", "von", "der", "den", "de", "da", "di", "del", "della", "delle", "dei", "du", "des",
		"la", "le", "lo", "dos", "das", "do", "y", "ten", "ter", "zu":
		return true
	}
	return false
}

// nameFlags returns the flags of word w (folded).
func nameFlags(w []byte) uint8 {
	var buf [48]byte
	return nameWords[string(appendFolded(buf[:0], w))]
}

// nameCache remembers the flags of the words findNames looked up last,
// by their bytes as they stand: a text names the same people and places
// again and again, and a look-up folds the word (decoding any Latin
// letter) and hashes it into a table too large for the cache. A nil
// cache looks every word up.
type nameCache struct {
	slots [128]nameCached
}

type nameCached struct {
	lo, hi uint64 // the word's bytes, zero-padded to 16
	n      uint8  // its length; 0 for a free slot
	flags  uint8
}

// flags returns nameFlags(w).
func (c *nameCache) flags(w []byte) uint8 {
	if c == nil || len(w) == 0 || len(w) > 16 {
		return nameFlags(w)
	}
	var b [16]byte
	copy(b[:], w)
	lo, hi := binary.LittleEndian.Uint64(b[:]), binary.LittleEndian.Uint64(b[8:])
	h := (lo*0x9E3779B97F4A7C15 ^ hi*0xC2B2AE3D27D4EB4F ^ uint64(len(w))) >> 57
	s := &c.slots[h]
	if s.n != uint8(len(w)) || s.lo != lo || s.hi != hi {
		*s = nameCached{lo: lo, hi: hi, n: uint8(len(w)), flags: nameFlags(w)}
	}
	return s.flags
}

// Limits of a name's run of capitalised words.
const (
	maxNameToken = 32 // bytes in one word
	maxRunTokens = 8  // words parsed in one run; a longer run is a heading
	maxNameWords = 4  // given name, up to two middle names, surname
)

// nameTok is one capitalised word of a run.
type nameTok struct {
	start, end int // the word (without a trailing period)
	initial    bool
	// particle is where a surname particle before the word begins ("van"
	// of "van Beethoven", "De" of "De Luca"), or -1.
	particle int
	flags    uint8 // looked up by evalRun, when looked
	looked   bool
}

// findNames reports the full names in text.
func findNames(text []byte, emit func(start, end int)) {
	var run [maxRunTokens + 1]nameTok
	var scan nameScan
	var words nameCache
	// i is where the next name may start: past the last word looked at.
	i := 0
	if len(text) > 0 && isNameStart(text, 0) {
		// The scan reads the byte before each: the first alone.
		scan.from, scan.to = 0, 0
		i = nameAt(text, 0, &scan, run[:], &words, emit)
	}
	for from := 1; from < len(text); from += nameChunk {
		to := min(from+nameChunk, len(text))
		if i >= to {
			continue
		}
		scan.fill(text, from, to)
		for k, m := range scan.starts[:(to-from+63)/64] {
			for ; m != 0; m &= m - 1 {
				q := from + k*64 + bits.TrailingZeros64(m)
				if q < i {
					continue
				}
				// Whether a name may start here (isNameStart): most
				// flags are ASCII capitals after an ASCII byte, decided
				// here by the boundary table, without a call. Most
				// words are then lone (loneWord), and need no nameAt.
				if c, b := text[q], text[q-1]; c-'A' <= 'Z'-'A' && b < utf8.RuneSelf {
					if !asciiBoundary[b] {
						continue
					}
				} else if !isNameStart(text, q) {
					continue
				}
				if end, lone := loneWord(text, q, &scan); lone {
					i = end
				} else {
					i = runAt(text, q, run[:], &words, emit)
				}
			}
		}
	}
}

// nameAt looks for a name at the start i, and returns where the next one
// may start.
func nameAt(text []byte, i int, scan *nameScan, run []nameTok, words *nameCache, emit func(start, end int)) int {
	if end, ok := loneWord(text, i, scan); ok {
		return end
	}
	return runAt(text, i, run, words, emit)
}

// runAt looks for a name in the run of capitalised words at the start i
// (not a lone word), and returns where the next one may start.
func runAt(text []byte, i int, run []nameTok, words *nameCache, emit func(start, end int)) int {
	n, end, long := parseRun(text, i, run, words)
	if n >= 2 && !long {
		if s, t, ok := evalRun(text, run[:n], end, words); ok {
			emit(s, t)
		}
	}
	return max(end, i+1)
}

// loneWord reports whether the word at the start i is plainly no part of
// a run of capitalised words, and returns its end: when it is all
// capitals, or when its capital is followed by small letters (ASCII or
// Latin-1) and then by punctuation or by a space and a word that neither
// begins with a capital nor is a particle before another word. Most
// capitalised words (a sentence's first) end here, cheaply, where
// parseRun would find a run of one word and end at the same place. The
// scan's flags tell where runs of small letters end.
func loneWord(text []byte, i int, scan *nameScan) (int, bool) {
	if off := uint(i + 1 - scan.from); text[i] < utf8.RuneSelf && off < uint(scan.to-scan.from) {
		// The common case, "Customer these", from one window of flags:
		// small letters, a space, small letters, all before scan.to.
		run := scan.smallBits(off)
		n1 := bits.TrailingZeros64(^run)
		n2 := bits.TrailingZeros64(^(run >> (n1 + 1)))
		j, k := i+1+n1, i+2+n1+n2
		if n2 > 0 && n1+1+n2 < 64 && k < scan.to && text[j] == ' ' {
			// A word that begins with Latin-1 or holds it is no particle.
			w := text[j+1 : k]
			return j, text[k] != ' ' || !isParticle(w)
		}
	}
	n := 1
	if text[i] >= utf8.RuneSelf {
		n, _ = latinUpperAt(text, i)
	}
	j := scan.smallEnd(text, i+n)
	if j >= len(text) {
		return j, true
	}
	if j == i+n && isUpper(text[j]) {
		// An all-capital word ("EUR", "CEO") is no word of a name.
		return skipRest(text, j), true
	}
	switch c := text[j]; c {
	case ',', ';', ':', '!', '?', ')', '"', '\n', '\r', '\t':
		return j, true
	case ' ':
		q := j + 1
		if q >= len(text) {
			return j, true
		}
		if k := scan.smallEnd(text, q); k > q {
			// parseRun looks past particles ("de la Cruz"), which are
			// ASCII.
			return j, k >= len(text) || text[k] != ' ' || !isParticle(text[q:k])
		}
		_, up := latinUpperAt(text, q)
		return j, !up
	}
	return j, false
}

// skipRest returns the end of the word that goes on at j. Any non-ASCII
// byte counts as the word's, except where a quotation mark or space that
// may open a name begins: only those end a word without a space
// (nameBoundaryBefore).
func skipRest(text []byte, j int) int {
	for j < len(text) {
		c := text[j]
		if c < utf8.RuneSelf {
			if !isWordByte(c) {
				break
			}
		} else if opensName(text[j:]) > 0 {
			break
		}
		j++
	}
	return j
}

// opensName returns the length of the quotation mark or no-break space
// that b begins with, after which nameBoundaryBefore lets a name start;
// 0 if none.
func opensName(b []byte) int {
	if len(b) >= 2 && b[0] == 0xc2 && (b[1] == 0xab || b[1] == 0xa0) { // « and no-break space
		return 2
	}
	if len(b) >= 3 && b[0] == 0xe2 && b[1] == 0x80 && (b[2] == 0x9c || b[2] == 0x98 || b[2] == 0x9e) { // “ ‘ „
		return 3
	}
	return 0
}

// maybeLatinUpper reports whether b may begin with a Latin capital: À–Þ,
// or a letter of Latin Extended-A, -B or Additional (decoded later).
func maybeLatinUpper(b []byte) bool {
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

// nameBoundaryBefore reports whether a name may start at i: at the start,
// after white space, or after an opening or separating punctuation mark,
// not inside a path, address, identifier or number ("x.John", "@Smith").
// None of these is a word's rune, so it implies !wordByteBefore.
func nameBoundaryBefore(text []byte, i int) bool {
	if i == 0 {
		return true
	}
	switch text[i-1] {
	case ' ', '\t', '\n', '\r', '"', '\'', '(', '[', '{', '<', '>', ':', ';', ',', '=', '|', '*':
		return true
	}
	if text[i-1] >= utf8.RuneSelf {
		r, n := utf8.DecodeLastRune(text[:i])
		return r != utf8.RuneError && opensName(text[i-n:i]) == n
	}
	return false
}

// parseRun parses the run of capitalised words, each after one space,
// that starts at i, into toks. It returns the number of words, the run's
// end and whether it was longer than maxRunTokens.
func parseRun(text []byte, i int, toks []nameTok, words *nameCache) (n, end int, long bool) {
	p := i
	particle := -1
	for {
		tok, next, ok := parseNameToken(text, p)
		if !ok {
			break
		}
		if n == maxRunTokens {
			return n, skipRun(text, p), true
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
			if words.flags(text[tok.start:tok.end])&wLeader == 0 {
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
			if w == q || w >= len(text) || text[w] != ' ' || !isParticle(text[q:w]) {
				break
			}
			q = w + 1
		}
		if q >= len(text) {
			break
		}
		if _, ok := latinUpperAt(text, q); !ok {
			break
		}
		if q != pstart {
			particle = pstart
		}
		p = q
	}
	return n, end, false
}

// skipRun returns the end of a run of capitalised words at p (one that
// is too long to be a name).
func skipRun(text []byte, p int) int {
	for {
		_, next, ok := parseNameToken(text, p)
		if !ok || next+1 >= len(text) || text[next] != ' ' {
			return max(next, p+1)
		}
		if _, up := latinUpperAt(text, next+1); !up {
			return next
		}
		p = next + 1
	}
}

// parseNameToken parses a capitalised word or an initial at p. next is
// where the word ends, after a trailing period.
func parseNameToken(text []byte, p int) (tok nameTok, next int, ok bool) {
	n, up := latinUpperAt(text, p)
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
		if n, ok := latinLowerAt(text, q); ok {
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
			if n, up := latinUpperAt(text, q+join); up {
				q += join + n
				continue
			}
		}
		if m, up := latinUpperAt(text, q); up && innerCapital(text[p:q]) {
			q += m // the inner capital's length: "É" of "MacÉlroy" is two bytes
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

// latinUpperAt is upperAt with the letters of Latin-1 (0xC3 and a
// continuation byte: À-Þ, ß-ÿ) told without decoding: most accented
// letters of names are.
func latinUpperAt(text []byte, i int) (int, bool) {
	c := text[i]
	if c < utf8.RuneSelf {
		return 1, isUpper(c)
	}
	if c == 0xc3 && i+1 < len(text) && text[i+1]&0xc0 == 0x80 {
		b := text[i+1]
		return 2, b <= 0x9e && b != 0x97 // not ×
	}
	return upperAt(text, i)
}

// latinLowerAt is lowerAt, as latinUpperAt is upperAt.
func latinLowerAt(text []byte, i int) (int, bool) {
	c := text[i]
	if c < utf8.RuneSelf {
		return 1, isLower(c)
	}
	if c == 0xc3 && i+1 < len(text) && text[i+1]&0xc0 == 0x80 {
		return 2, isSmallLatin1(text[i+1])
	}
	return lowerAt(text, i)
}

// innerCapital reports whether a capital may follow the word's beginning
// w: McDonald, MacLeod, DeLuca, LaFontaine, FitzGerald, VanDyke.
func innerCapital(w []byte) bool {
	switch string(w) {
	case "Mc", "Mac", "De", "Di", "La", "Le", "Fitz", "Van":
		return true
	}
	return false
}

// evalRun decides whether the run toks is a full name, and returns its
// span. end is where the run ends.
func evalRun(text []byte, toks []nameTok, end int, words *nameCache) (int, int, bool) {
	if len(toks) > maxNameWords+2 {
		return 0, 0, false // a heading, even without two leading words
	}
	// Words are looked up only when needed: most runs fail on their first
	// word or two.
	look := func(t *nameTok) uint8 {
		if !t.initial && !t.looked {
			t.flags, t.looked = words.flags(text[t.start:t.end]), true
		}
		return t.flags
	}
	// Titles, salutations and a sentence's first word go before a name
	// ("Dear John Smith", "Yesterday Maria Garcia called").
	for k := 0; k < 2 && len(toks) > 2; k++ {
		t := &toks[0]
		f := look(t)
		if t.initial || f&(wGiven|wAmbiguous) != 0 && f&wLeader == 0 {
			break
		}
		if f&wLeader == 0 && !(k == 0 && sentenceStart(text, t.start)) {
			break
		}
		toks = toks[1:]
	}
	if len(toks) < 2 || len(toks) > maxNameWords {
		return 0, 0, false
	}
	first, last := &toks[0], &toks[len(toks)-1]
	ff := look(first)
	if h := bytes.IndexByte(text[first.start:first.end], '-'); h > 0 && ff&(wGiven|wAmbiguous) == 0 {
		// Anne-Laure, Hans-Dieter: a double given name is one if its
		// first half is.
		ff = words.flags(text[first.start:first.start+h]) & (wGiven | wAmbiguous)
	}
	if first.initial || first.particle >= 0 || ff&(wGiven|wAmbiguous) == 0 {
		return 0, 0, false
	}
	look(last)
	if last.initial || !isSurname(text, *last, ff&wAmbiguous != 0) {
		return 0, 0, false
	}
	for k := 1; k < len(toks)-1; k++ {
		m := &toks[k]
		if m.initial {
			continue
		}
		f := look(m)
		if m.particle >= 0 || f&(wGiven|wAmbiguous|wSurname) == 0 && f&(wNotName|wLeader) != 0 {
			return 0, 0, false
		}
	}
	if firmAround(text, first.start, end) {
		return 0, 0, false
	}
	return first.start, last.end, true
}

// isSurname reports whether tok can end a full name. After an ambiguous
// given name it must be a known surname.
func isSurname(text []byte, tok nameTok, ambiguous bool) bool {
	f := tok.flags
	if f&wSurname == 0 {
		// Smith-Jones: a double surname is one if either half is.
		if h := bytes.IndexByte(text[tok.start:tok.end], '-'); h > 0 {
			f |= nameFlags(text[tok.start:tok.start+h]) | nameFlags(text[tok.start+h+1:tok.end])
			if f&wSurname == 0 {
				f &^= wGiven
			}
		}
	}
	switch {
	case ambiguous:
		// "Grace Kelly", not "Grace Period" nor "May Day" (Day is a
		// surname, and a word).
		return f&wSurname != 0 && f&wNotName == 0
	case f&wSurname != 0:
		return true
	case f&(wNotName|wLeader|wParticle) != 0:
		return false
	case f&(wGiven|wAmbiguous) != 0:
		// Two given names ("Mary Ann", "Jean Paul") are not a full name.
		return false
	}
	return true
}

// sentenceStart reports whether the word at i begins a sentence or line.
func sentenceStart(text []byte, i int) bool {
	for i > 0 && (text[i-1] == ' ' || text[i-1] == '"' || text[i-1] == '\'' || text[i-1] == '(') {
		i--
	}
	if i == 0 {
		return true
	}
	switch text[i-1] {
	case '.', '!', '?', '\n', '\r', ':', '\t', '>', '|':
		return true
	}
	return false
}

// firmWords after a name make it a firm's ("Smith LLC", "Meyer GmbH",
// "Johnson & Johnson").
var firmWords = setOf("& llc ltd inc gmbh ag kg sa sas sarl srl spa s.p.a sl s.l plc llp corp co")

// firmAround reports whether the name at text[s:e] is part of a firm's
// name: "&" before it, or a firm word after it.
func firmAround(text []byte, s, e int) bool {
	if s >= 2 && text[s-1] == ' ' && text[s-2] == '&' {
		return true
	}
	j := e
	if j < len(text) && text[j] == ',' {
		j++
	}
	if j >= len(text) || text[j] != ' ' {
		return false
	}
	j++
	w := j
	for w < len(text) && w-j < 8 && (text[w] == '&' || text[w] == '.' || isLetterASCII(text[w])) {
		w++
	}
	var buf [8]byte
	word := bytes.TrimRight(appendFolded(buf[:0], text[j:w]), ".")
	return firmWords[string(word)] || len(word) > 0 && word[0] == '&'
}
