package identifiers

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The ADDRESS finder. Macie's rule: a mailing address of Australia,
// Canada, France, Germany, Italy, Spain, the UK or the US, which must
// include a city or place and a matching postal code. trawl finds the
// postal code first (digits are rare in prose), then checks the line
// around it:
//
//   - US: "City, ST 12345" or "City, State 12345-6789", the ZIP's first
//     three digits in the state's range;
//   - Canada: "City, PR A1A 1A1", the code's first letter the province's;
//   - UK: "Town A1 1AA" with a real postcode area;
//   - Australia: "City STATE 2000", the postcode in the state's range;
//   - France, Germany, Italy, Spain: "12345 City", where a known city must
//     match the code's first two digits and any other place needs a street
//     (a house number and a street word) before the code on its line.
//
// The reported span starts at the street (house number or street word)
// when one comes before the city on the same line, else at the city, and
// ends after the postal code (US, CA, UK, AU) or the city (FR, DE, IT, ES).
// A street on the line before is not part of it: the finder works line by
// line.

// Limits of the address finder, in bytes.
const (
	maxPlaceWords = 4   // words of a city's name
	maxStreetBack = 120 // how far before the city a street may begin
)

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// addressAt tries each country's form around the digit run text[i:j],
// those that need a state or province only if regionMayEnd allows one.
func addressAt(text []byte, i, j, floor int) (int, int, bool) {
	switch j - i {
	case 5:
		if regionMayEnd(text, i) {
			if s, t, ok := usAddress(text, i, j, floor); ok {
				return s, t, true
			}
		}
		return euAddress(text, i, j, floor)
	case 4:
		if !regionMayEnd(text, i) {
			return 0, 0, false
		}
		return auAddress(text, i, j, floor)
	case 1:
		if s, t, ok := ukAddress(text, i, floor); ok {
			return s, t, true
		}
		return caAddress(text, i, floor)
	}
	return 0, 0, false
}

// codeEnds reports whether a postal code may end at e: at the end of the
// text or before a byte that does not continue a word or number.
func codeEnds(text []byte, e int) bool {
	if e >= len(text) {
		return true
	}
	if (text[e] == '.' || text[e] == '-') && e+1 < len(text) && isDigit(text[e+1]) {
		return false // a decimal or a longer number
	}
	return !wordByteAt(text, e)
}

// usAddress: "City, ST 12345" or "City, State 12345-6789".
func usAddress(text []byte, i, j, floor int) (int, int, bool) {
	end := j
	if j+5 <= len(text) && text[j] == '-' && digitsOnly(text[j+1:j+5]) {
		end = j + 5
	}
	if !codeEnds(text, end) || i < 1 || text[i-1] != ' ' {
		return 0, 0, false
	}
	state, ps := regionBefore(text, i-1, floor, usZIP, usStateNames)
	if state == "" {
		return 0, 0, false
	}
	if !inRanges(atoiBytes(text[i:i+3]), usZIP[state]) {
		return 0, 0, false
	}
	return placeAndStreet(text, ps, floor, end)
}

// caAddress: "City, PR A1A 1A1", triggered by the second half's digit.
func caAddress(text []byte, d, floor int) (int, int, bool) {
	// d is the digit of "1A1"'s start: letter-digit-letter before it,
	// maybe a space between the halves.
	if d+3 > len(text) || !isUpper(text[d+1]) || !isDigit(text[d+2]) || !codeEnds(text, d+3) {
		return 0, 0, false
	}
	h := d
	if h >= 1 && text[h-1] == ' ' {
		h--
	}
	if h < 4 || !isUpper(text[h-3]) || !isDigit(text[h-2]) || !isUpper(text[h-1]) || text[h-4] != ' ' {
		return 0, 0, false
	}
	for _, k := range []int{h - 3, h - 1, d + 1} {
		if strings.IndexByte("DFIOQU", text[k]) >= 0 {
			return 0, 0, false
		}
	}
	prov, ps := regionBefore(text, h-4, floor, caFirst, caProvinceNames)
	if prov == "" || strings.IndexByte(caFirst[prov], text[h-3]) < 0 {
		return 0, 0, false
	}
	return placeAndStreet(text, ps, floor, d+3)
}

// ukAddress: "Town A9 9AA", "Town AA9A 9AA"..., triggered by the inward
// code's digit.
func ukAddress(text []byte, d, floor int) (int, int, bool) {
	if d+3 > len(text) || d < 3 || text[d-1] != ' ' || !codeEnds(text, d+3) {
		return 0, 0, false
	}
	for _, c := range text[d+1 : d+3] {
		if !isUpper(c) || strings.IndexByte("CIKMOV", c) >= 0 {
			return 0, 0, false
		}
	}
	// The outward code: area letters, a digit, then a digit or a letter.
	e := d - 1
	s := e
	for s > 0 && e-s < 4 && (isUpper(text[s-1]) || isDigit(text[s-1])) {
		s--
	}
	out := text[s:e]
	if s < 1 || len(out) < 2 || (text[s-1] != ' ' && text[s-1] != ',') {
		return 0, 0, false
	}
	a := 0
	for a < len(out) && isUpper(out[a]) {
		a++
	}
	if a == 0 || a > 2 || !ukAreas[string(out[:a])] || a == len(out) || !isDigit(out[a]) || len(out)-a > 2 {
		return 0, 0, false
	}
	if len(out)-a == 2 && !isDigit(out[a+1]) && !isUpper(out[a+1]) {
		return 0, 0, false
	}
	// The town ends before the space, or before "," or ", ".
	ps := s - 1
	if text[ps] == ' ' && ps >= 1 && text[ps-1] == ',' {
		ps--
	}
	return placeAndStreet(text, ps, floor, d+3)
}

// auAddress: "City STATE 2000".
func auAddress(text []byte, i, j, floor int) (int, int, bool) {
	if !codeEnds(text, j) || i < 1 || text[i-1] != ' ' {
		return 0, 0, false
	}
	state, ps := regionBefore(text, i-1, floor, auPostcodes, auStateNames)
	if state == "" {
		return 0, 0, false
	}
	if !inRanges(atoiBytes(text[i:j]), auPostcodes[state]) {
		return 0, 0, false
	}
	return placeAndStreet(text, ps, floor, j)
}

// euAddress: "12345 City" (France, Germany, Italy, Spain), maybe with a
// country letter ("D-10117").
func euAddress(text []byte, i, j, floor int) (int, int, bool) {
	s := i
	if s >= 2 && text[s-1] == '-' && isUpper(text[s-2]) {
		s -= 2
		if s >= 1 && isUpper(text[s-1]) {
			s--
		}
	}
	if s > 0 && wordByteBefore(text, s) || s > 0 && strings.IndexByte(" \t\n\r,(;:", text[s-1]) < 0 {
		return 0, 0, false
	}
	if j+1 >= len(text) || text[j] != ' ' {
		return 0, 0, false
	}
	cs := j + 1
	ce, words := placeAfter(text, cs)
	if words == 0 {
		return 0, 0, false
	}
	var buf [64]byte
	prefixes, known := euCityPrefixes(appendFolded(buf[:0], text[cs:ce]))
	if known && !slices.Contains(prefixes, string(text[i:i+2])) {
		return 0, 0, false
	}
	if street := streetStart(text, s, floor); street >= 0 {
		return street, ce, true
	}
	if !known {
		return 0, 0, false
	}
	return s, ce, true
}

// euCityPrefixes looks a folded city up whole, then by its first and
// last words ("Frankfurt am Main", "A Coruña").
// It changes city's spaces to hyphens, as the table spells them.
func euCityPrefixes(city []byte) ([]string, bool) {
	for k, c := range city {
		if c == ' ' {
			city[k] = '-'
		}
	}
	if p, ok := euCities[string(city)]; ok {
		return p, true
	}
	if k := bytes.IndexAny(city, "-'"); k > 0 {
		if p, ok := euCities[string(city[:k])]; ok {
			return p, true
		}
		if p, ok := euCities[string(city[bytes.LastIndexAny(city, "-'")+1:])]; ok {
			return p, true
		}
	}
	return nil, false
}

// placeAfter returns the end of the place name at s: up to maxPlaceWords
// capitalised (or all-capital) words, joined by a space or a hyphen, with
// lower case particles between them ("Frankfurt am Main").
func placeAfter(text []byte, s int) (end, words int) {
	p := s
	end = s
	for words < maxPlaceWords && p < len(text) {
		n, up := upperAt(text, p)
		if !up {
			break
		}
		q := p + n
		for q < len(text) {
			if n, ok := lowerAt(text, q); ok {
				q += n
			} else if n, ok := upperAt(text, q); ok {
				q += n
			} else if text[q] == '\'' && q+1 < len(text) && isUpper(text[q+1]) {
				q++
			} else {
				break
			}
		}
		if q-p < 2 || wordByteAt(text, q) {
			break
		}
		words++
		end = q
		// The next word: after a hyphen, a space, or a particle.
		if q+1 < len(text) && (text[q] == '-' || text[q] == ' ') {
			r := q + 1
			for k := 0; k < 3 && r < len(text) && isLower(text[r]); k++ {
				w := lowerRun(text, r)
				if w-r > 4 || w >= len(text) || (text[w] != ' ' && text[w] != '-' && text[w] != '\'') {
					return end, words
				}
				r = w + 1
			}
			p = r
			continue
		}
		break
	}
	return end, words
}

// regionBefore reads the state or province that ends at e (text[e] is the
// space before the code): a code of table, or a name of names. It returns
// the code and where the text before the region ends (the place's end).
func regionBefore[V any](text []byte, e, floor int, table map[string]V, names map[string]string) (string, int) {
	// A code: upper case letters after a space or ", ".
	s := e
	for s > floor && isUpper(text[s-1]) && e-s < 3 {
		s--
	}
	if s > floor && text[s-1] == ' ' && s < e {
		if _, ok := table[string(text[s:e])]; ok {
			return string(text[s:e]), placeEnd(text, s-1)
		}
	}
	// A name of one to four words.
	s = e
	for w := 0; w < 4; w++ {
		k := s
		for k > floor && isLetter(text[k-1]) {
			k--
		}
		if k == s || k <= floor || !isUpper(text[k]) {
			return "", 0 // state and province names are capitalised
		}
		var buf [48]byte
		if code, ok := names[string(appendFolded(buf[:0], text[k:e]))]; ok && k > floor && text[k-1] == ' ' {
			return code, placeEnd(text, k-1)
		}
		if text[k-1] != ' ' {
			return "", 0
		}
		s = k - 1
	}
	return "", 0
}

// placeEnd returns where the place before a region ends: before the comma
// of "City, ST", or at the space of "City ST".
func placeEnd(text []byte, sp int) int {
	if sp >= 1 && text[sp-1] == ',' {
		return sp - 1
	}
	return sp
}

// placeAndStreet checks the place that ends at pe and returns the
// address's span: from its street, if one begins before the place on the
// line, or from the place, to end.
func placeAndStreet(text []byte, pe, floor, end int) (int, int, bool) {
	ps := placeBefore(text, pe, floor)
	if ps < 0 {
		return 0, 0, false
	}
	if st := streetStart(text, ps, floor); st >= 0 {
		return st, end, true
	}
	return ps, end, true
}

// placeBefore returns the start of the place name that ends at pe: one to
// maxPlaceWords capitalised or all-capital words ("Washington", "Salt
// Lake City", "Winston-Salem", "ST. LOUIS"), or -1. The place is not a
// street ("Main Street SW1A 1AA").
func placeBefore(text []byte, pe, floor int) int {
	start := -1
	p := pe
	for w := 0; w < maxPlaceWords; w++ {
		k := p
		if k > floor && text[k-1] == '.' {
			if start < 0 {
				break // a sentence's last word is no place
			}
			k-- // "St. Louis": checked below
		}
		for k > floor && (isLetter(text[k-1]) || text[k-1] == '-' || text[k-1] == '\'') {
			k--
		}
		if k == p || k == p-1 && text[k] == '.' {
			break
		}
		if _, up := upperAt(text, k); !up || k > floor && wordByteBefore(text, k) {
			break
		}
		var buf [48]byte
		w := bytes.TrimRight(appendFolded(buf[:0], text[k:p]), ".")
		saint := string(w) == "st" || string(w) == "ste" || string(w) == "mt" || string(w) == "ft"
		if text[p-1] == '.' && !saint {
			break // "Directors. Texas 75001"
		}
		if !saint && (streetWords[string(w)] || nameWords[string(w)]&wLeader != 0) {
			break
		}
		start = k
		if k-1 <= floor || text[k-1] != ' ' {
			break
		}
		p = k - 1
	}
	if start < 0 || pe-start < 2 {
		return -1
	}
	return start
}

// streetStart returns where a street begins before the place or code at
// e on the same line: a house number before a street word ("10 Downing
// Street", "55 rue du Faubourg") or a street word before a house number
// ("Platz der Republik 1", "Via del Quirinale 1"), with at most a few
// words between the street and e ("NW", "Suite 200"); -1 if none.
func streetStart(text []byte, e, floor int) int {
	lo := max(floor, e-maxStreetBack)
	// The window ends at the line's start, at punctuation that ends a
	// phrase, or at a sentence's end (a period after a word that is no
	// abbreviation).
	for k := e - 1; k >= lo; k-- {
		c := text[k]
		if phraseEnds[c] || c == '.' && k+1 < e && text[k+1] == ' ' && !abbreviationBefore(text, k) {
			lo = k + 1
			break
		}
	}
	if !streetWordIn(text[lo:e]) {
		return -1 // the common case, told apart without building the word list
	}
	type word struct {
		s, e           int
		number, street bool
		nameLike       bool // capitalised, a number or a particle: part of a street's name
	}
	var ws []word
	for k := lo; k < e; {
		for k < e && (text[k] == ' ' || text[k] == ',') {
			k++
		}
		s := k
		for k < e && text[k] != ' ' && text[k] != ',' {
			k++
		}
		if s == k {
			continue
		}
		w := text[s:k]
		_, up := upperAt(text, s)
		ws = append(ws, word{s: s, e: k, number: houseNumber(w), street: isStreetWord(w),
			nameLike: up || ordinal(w) || nameFlags(w)&wParticle != 0 || string(w) == "of" || string(w) == "the"})
	}
	last := -1
	for k := range ws {
		if ws[k].street {
			last = k
		}
	}
	if last < 0 {
		return -1
	}
	// comma reports whether a comma lies between words a and a+1.
	comma := func(a int) bool { return bytes.IndexByte(text[ws[a].e:ws[a+1].s], ',') >= 0 }
	const maxTail = 3 // words between the street and the place or code
	// tail reports whether the words from a on can follow a street: few,
	// and capitalised, numbers or particles ("NW", "Suite 200").
	tail := func(a int) bool {
		if len(ws)-a > maxTail {
			return false
		}
		for k := a; k < len(ws); k++ {
			if !ws[k].nameLike && !ws[k].number {
				return false
			}
		}
		return true
	}
	// A number before the street word, across up to four name words
	// ("55, rue du Faubourg": a comma only after the number).
	k := last - 1
	for k >= 0 && k >= last-5 && !ws[k].number && (ws[k].nameLike || ws[k].street) && !comma(k) {
		k--
	}
	if k >= 0 && ws[k].number && tail(last+1) {
		return ws[k].s
	}
	// A number after it ("Via Roma, 1"), or none after a word that begins
	// a street's name ("Via del Quirinale", "Calle Mayor").
	k = last + 1
	for k < len(ws) && k <= last+5 && !ws[k].number && ws[k].nameLike && !comma(k-1) {
		k++
	}
	if k < len(ws) && ws[k].number && tail(k+1) {
		return ws[last].s
	}
	named := k == len(ws) || ws[k].s >= e
	var buf [16]byte
	if leadingStreetWords[string(appendFolded(buf[:0], text[ws[last].s:ws[last].e]))] &&
		last+1 < len(ws) && len(ws)-1-last <= 4 && named {
		return ws[last].s
	}
	return -1
}

// ordinal reports whether w is an ordinal number ("5th", "2e", "1er").
func ordinal(w []byte) bool {
	n := 0
	for n < len(w) && isDigit(w[n]) {
		n++
	}
	switch string(w[n:]) {
	case "st", "nd", "rd", "th", "e", "er", "re", "ème", "o", "a", "º", "ª":
		return n > 0
	}
	return false
}

// abbreviationBefore reports whether the period at text[k] ends an
// abbreviation ("St.", "Bahnhofstr.", "J.", "No.") rather than a sentence.
func abbreviationBefore(text []byte, k int) bool {
	s := k
	for s > 0 && isLetterASCII(text[s-1]) {
		s--
	}
	w := text[s:k]
	if len(w) <= 1 || isStreetWord(w) {
		return true
	}
	if len(w) > 4 {
		return false // longer than any below
	}
	// w is ASCII letters: lower it as strings.ToLower would.
	var buf [4]byte
	for i, c := range w {
		buf[i] = c | 0x20
	}
	switch string(buf[:len(w)]) {
	case "no", "nr", "apt", "ste", "bldg", "dept", "fl", "mr", "mrs", "ms", "dr", "jr", "sr":
		return true
	}
	return false
}

// houseNumber reports whether w is a house number: 1 to 5 digits, maybe
// with a letter or a range ("221B", "12-14", "5bis").
func houseNumber(w []byte) bool {
	n := 0
	for n < len(w) && isDigit(w[n]) {
		n++
	}
	if n == 0 || n > 5 {
		return false
	}
	rest := string(w[n:])
	switch {
	case rest == "" || len(rest) == 1 && isLetterASCII(rest[0]):
		return true
	case rest == "bis" || rest == "ter":
		return true
	case rest[0] == '-' && len(rest) > 1 && len(rest) <= 4 && digitsOnly([]byte(rest[1:])):
		return true
	}
	return false
}

// isStreetWord reports whether w names a street: a word of streetWords or
// a German compound ending in one ("Hauptstraße").
func isStreetWord(w []byte) bool {
	if street, ok := isStreetWordASCII(w); ok {
		return street
	}
	return isStreetWordFolded(w)
}

// isStreetWordFolded is isStreetWord by folding the word, for words of
// any script (isStreetWordASCII is the quick path for ASCII ones).
func isStreetWordFolded(w []byte) bool {
	if len(w) > 0 && w[0] >= utf8.RuneSelf {
		// A word that begins with no ASCII capital is a street word only
		// as a whole, and every street word begins with an ASCII letter:
		// a first letter that does not fold to ASCII (Greek, Cyrillic...)
		// rules the word out before it is folded whole.
		r, _ := utf8.DecodeRune(w)
		if l := unicode.ToLower(r); l >= utf8.RuneSelf && foldAccents[l] == "" {
			return false
		}
	}
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

func digitsOnly(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

func inRanges(v int, rs [][2]int) bool {
	for _, r := range rs {
		if r[0] <= v && v <= r[1] {
			return true
		}
	}
	return false
}
