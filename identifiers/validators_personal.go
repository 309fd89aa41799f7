package identifiers

import (
	"bytes"
	"strconv"
)

// Validators of the PERSONAL_INFORMATION identifiers: national check
// digits and letters, and the structure rules the patterns cannot say.
// Each has the signature of Identifier.Validate: the whole segment and the
// match's span.

// alnumOf returns the ASCII letters (upper-cased) and digits of b: the value
// without its separators.
func alnumOf(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		switch {
		case c-'0' <= 9 || c >= 'A' && c <= 'Z':
			out = append(out, c)
		case c >= 'a' && c <= 'z':
			out = append(out, c-'a'+'A')
		}
	}
	return out
}

// oneSeparator reports whether every byte of v that is not a letter or digit
// is the same byte: "123-456-789" and "123 456 789" but not "123-456 789".
func oneSeparator(v []byte) bool {
	var sep byte
	for _, c := range v {
		if isAlnum(c) {
			continue
		}
		if sep != 0 && c != sep {
			return false
		}
		sep = c
	}
	return true
}

// placeholder reports a digit string that is one digit repeated
// ("000000000", "99999999"): Macie ignores such values of national IDs.
func placeholder(d []byte) bool {
	if len(d) == 0 {
		return true
	}
	return bytes.Count(d, d[:1]) == len(d)
}

// digitsValue returns the value of a short digit string.
func digitsValue(d []byte) int {
	n := 0
	for _, c := range d {
		n = n*10 + int(c-'0')
	}
	return n
}

// mod97 returns the remainder of a decimal digit string divided by 97.
func mod97(d []byte) int {
	rem := 0
	for _, c := range d {
		rem = (rem*10 + int(c-'0')) % 97
	}
	return rem
}

// looseID checks a value of an ID with no check digit of its own
// (licences, passports): it stands alone, not as a piece of a longer code
// joined by '-', '.', '/' or '_' ("A1234-12345-1234" holds no 5-digit
// licence), and it is not a placeholder: all zeros, or one digit repeated
// six or more times.
func looseID(text []byte, s, e int) bool {
	if joinedAt(text, s-1, -1) || joinedAt(text, e, 1) {
		return false
	}
	d := digitsOf(text[s:e])
	if len(d) == 0 || d[0] == '0' && placeholder(d) {
		return false
	}
	return len(d) < 6 || !placeholder(d)
}

// joinedAt reports whether text[i] is a joining character with a letter
// or digit beyond it (in direction dir).
func joinedAt(text []byte, i, dir int) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	switch text[i] {
	case '-', '.', '/', '_':
	default:
		return false
	}
	j := i + dir
	return j >= 0 && j < len(text) && isAlnum(text[j])
}

// validSIN checks a Canadian Social Insurance Number: nine digits, Luhn,
// and a first digit that a province or temporary resident gets (0 and 8
// are not issued).
func validSIN(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	return len(d) == 9 && oneSeparator(v) && d[0] != '0' && d[0] != '8' && luhn(d)
}

// validCPF checks a Brazilian CPF: eleven digits whose last two are mod-11
// check digits. Repeated digits pass the arithmetic and are placeholders.
func validCPF(text []byte, s, e int) bool {
	d := digitsOf(text[s:e])
	if len(d) != 11 || placeholder(d) {
		return false
	}
	return cpfDigit(d[:9]) == d[9] && cpfDigit(d[:10]) == d[10]
}

// cpfDigit is the CPF check digit over d: weights len(d)+1 down to 2.
func cpfDigit(d []byte) byte {
	sum := 0
	for i, c := range d {
		sum += int(c-'0') * (len(d) + 1 - i)
	}
	r := sum % 11
	if r < 2 {
		return '0'
	}
	return byte('0' + 11 - r)
}

// validCNPJ checks a Brazilian CNPJ: fourteen digits, two mod-11 check
// digits with weights 2–9 repeating from the right.
func validCNPJ(text []byte, s, e int) bool {
	d := digitsOf(text[s:e])
	if len(d) != 14 || placeholder(d) {
		return false
	}
	return cnpjDigit(d[:12]) == d[12] && cnpjDigit(d[:13]) == d[13]
}

func cnpjDigit(d []byte) byte {
	sum, w := 0, 2
	for i := len(d) - 1; i >= 0; i-- {
		sum += int(d[i]-'0') * w
		if w++; w > 9 {
			w = 2
		}
	}
	r := sum % 11
	if r < 2 {
		return '0'
	}
	return byte('0' + 11 - r)
}

// tfnWeights are the Australian Tax File Number weights for nine and for
// the older eight digits; the weighted sum is a multiple of 11.
var (
	tfnWeights9 = []int{1, 4, 3, 7, 5, 8, 6, 9, 10}
	tfnWeights8 = []int{10, 7, 8, 4, 6, 3, 5, 1}
)

// validTFN checks an Australian Tax File Number.
func validTFN(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	w := tfnWeights9
	if len(d) == 8 {
		w = tfnWeights8
	}
	if len(d) != len(w) || !oneSeparator(v) || placeholder(d) {
		return false
	}
	sum := 0
	for i, c := range d {
		sum += int(c-'0') * w[i]
	}
	return sum%11 == 0
}

// dniLetters is the Spanish DNI/NIE control alphabet, indexed by the number
// mod 23.
const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// validDNI checks a Spanish DNI (and the NIF of a Spanish citizen, which is
// the same): eight digits and the control letter. 99999999 and all zeros
// are examples Macie ignores.
func validDNI(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	if len(v) != 9 || placeholder(v[:8]) {
		return false
	}
	return dniLetters[digitsValue(v[:8])%23] == v[8]
}

// validNIE checks a Spanish foreigner's number: X, Y or Z (standing for 0,
// 1 and 2), seven digits and the DNI control letter.
func validNIE(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	if len(v) != 9 || placeholder(v[1:8]) {
		return false
	}
	n := digitsValue(v[1:8]) + int(v[0]-'X')*10_000_000
	return dniLetters[n%23] == v[8]
}

// validNIF checks a Spanish personal tax number: a DNI, or K, L or M (for
// those without a DNI) with seven digits and the DNI letter of the digits.
func validNIF(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	if len(v) == 9 && (v[0] == 'K' || v[0] == 'L' || v[0] == 'M') {
		return !placeholder(v[1:8]) && dniLetters[digitsValue(v[1:8])%23] == v[8]
	}
	return validDNI(text, s, e)
}

// validCIF checks a Spanish company tax code (CIF): an entity letter, seven
// digits and a control that is a digit or a letter of "JABCDEFGHI",
// depending on the entity type.
func validCIF(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	if len(v) != 9 || placeholder(v[1:8]) {
		return false
	}
	sum := 0
	for i, c := range v[1:8] {
		n := int(c - '0')
		if i%2 == 0 { // positions 1, 3, 5, 7 of the number are doubled
			n *= 2
			n = n/10 + n%10
		}
		sum += n
	}
	ctl := (10 - sum%10) % 10
	digit, letter := byte('0'+ctl), "JABCDEFGHI"[ctl]
	switch v[0] {
	case 'P', 'Q', 'R', 'S', 'N', 'W': // letter control only
		return v[8] == letter
	case 'A', 'B', 'E', 'H': // digit control only
		return v[8] == digit
	}
	return v[8] == digit || v[8] == letter
}

// validNINO checks a UK National Insurance number: prefixes that HMRC never
// issues (BG, GB, KN, NK, NT, TN, ZZ; the letters the pattern excludes) are
// rejected, and spaces, when used, split it as AB 12 34 56 C.
func validNINO(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	if len(v) != 9 {
		return false
	}
	switch string(v[:2]) {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	return oneSeparator(text[s:e]) && !placeholder(v[2:8])
}

// validNIR checks a French social security number (NIR, the INSEE number):
// thirteen characters, the second pair of which may be the Corsican
// department 2A or 2B, and a key of 97 minus the number mod 97.
func validNIR(text []byte, s, e int) bool {
	raw := text[s:e]
	v := alnumOf(raw)
	if len(v) != 15 || !oneSeparator(raw) {
		return false
	}
	month := digitsValue(v[3:5])
	if month == 0 || month > 12 && month < 20 || month > 42 && month < 50 {
		// 20–42 and 50–99 are the months of people registered without a
		// known birth month; 0 and 13–19 are never used.
		return false
	}
	body := bytes.Clone(v[:13])
	switch string(body[5:7]) {
	case "2A":
		copy(body[5:7], "19")
	case "2B":
		copy(body[5:7], "18")
	}
	for _, c := range body {
		if c-'0' > 9 {
			return false
		}
	}
	key := digitsValue(v[13:15])
	return key >= 1 && key <= 97 && 97-mod97(body) == key
}

// validFranceTIN checks a French tax number (numéro fiscal, SPI): thirteen
// digits starting 0–3 whose last three are the first ten mod 511.
func validFranceTIN(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	if len(d) != 13 || !oneSeparator(v) || placeholder(d) {
		return false
	}
	n, _ := strconv.ParseInt(string(d[:10]), 10, 64)
	return int(n%511) == digitsValue(d[10:])
}

// validGermanyTIN checks a German tax identification number (Steuer-IdNr):
// eleven digits, no leading zero, in the first ten exactly one digit
// repeated (twice, or three times but not in a row) and the ISO 7064
// mod 11,10 check digit.
func validGermanyTIN(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	if len(d) != 11 || d[0] == '0' || !oneSeparator(v) {
		return false
	}
	var count [10]int
	for _, c := range d[:10] {
		count[c-'0']++
	}
	repeated := 0
	for _, n := range count {
		switch {
		case n == 2 || n == 3:
			repeated++
		case n > 3:
			return false
		}
	}
	if repeated != 1 || threeInARow(d[:10]) {
		return false
	}
	return iso7064Mod1110(d[:10]) == d[10]
}

func threeInARow(d []byte) bool {
	for i := 0; i+2 < len(d); i++ {
		if d[i] == d[i+1] && d[i] == d[i+2] {
			return true
		}
	}
	return false
}

// iso7064Mod1110 returns the ISO 7064 MOD 11,10 check digit of d.
func iso7064Mod1110(d []byte) byte {
	p := 10
	for _, c := range d {
		s := (int(c-'0') + p) % 10
		if s == 0 {
			s = 10
		}
		p = s * 2 % 11
	}
	return byte('0' + (11-p)%10)
}

// validITIN checks a US ITIN: 9, then two digits, then a group in 50–65,
// 70–88, 90–92 or 94–99 (the pattern fixes those), with one separator.
func validITIN(text []byte, s, e int) bool {
	v := text[s:e]
	return oneSeparator(v) && len(digitsOf(v)) == 9
}

// validSpainSSN checks a Spanish social security number: a province code
// (01–53), eight digits and two control digits, the first ten digits mod
// 97.
func validSpainSSN(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	if len(d) != 12 || !oneSeparator(v) || placeholder(d[2:10]) {
		return false
	}
	if p := digitsValue(d[:2]); p < 1 || p > 53 {
		return false
	}
	return mod97(d[:10]) == digitsValue(d[10:])
}

// cfOdd are the codice fiscale values of characters in odd positions
// (first, third, ...), for 0–9 and then A–Z.
var cfOdd = [36]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
	1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}

// validCodiceFiscale checks an Italian fiscal code: the check letter over
// the first fifteen characters.
func validCodiceFiscale(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	if len(v) != 16 {
		return false
	}
	sum := 0
	for i, c := range v[:15] {
		idx := int(c - '0')
		if c >= 'A' {
			idx = int(c-'A') + 10
		}
		switch {
		case i%2 == 0:
			sum += cfOdd[idx]
		case c <= '9':
			sum += idx
		default:
			sum += idx - 10 // letters count from A = 0 in even places
		}
	}
	return v[15] == byte('A'+sum%26)
}

// icaoValue is a character's value in the ICAO 9303 check digit: digits
// as themselves, A–Z as 10–35.
func icaoValue(c byte) int {
	if c <= '9' {
		return int(c - '0')
	}
	return int(c-'A') + 10
}

// icaoCheck is the ICAO 9303 check digit (weights 7, 3, 1) of v.
func icaoCheck(v []byte) byte {
	w := [3]int{7, 3, 1}
	sum := 0
	for i, c := range v {
		sum += icaoValue(c) * w[i%3]
	}
	return byte('0' + sum%10)
}

// validGermanyID checks a German identity card or passport number: nine
// characters (a letter first, no vowels, since 2010 letters and digits),
// with at least one digit, and when the machine-readable check digit
// follows, that digit.
func validGermanyID(text []byte, s, e int) bool {
	v := text[s:e]
	if len(digitsOf(v[1:9])) == 0 {
		return false
	}
	if len(v) == 10 {
		return icaoCheck(v[:9]) == v[9]
	}
	return true
}

// validUKDrivingLicence checks the DVLA number's surname field: letters,
// then only 9s for padding.
func validUKDrivingLicence(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	if len(v) < 16 {
		return false
	}
	pad := bytes.IndexByte(v[:5], '9')
	return pad < 0 || bytes.Count(v[pad:5], []byte("9")) == 5-pad
}
