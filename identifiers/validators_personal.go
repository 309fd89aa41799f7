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

// digitsValue returns the value of a short digit string.
func digitsValue(d []byte) int {
	n := 0
	for _, c := range d {
		n = n*10 + int(c-'0')
	}
	return n
}

// weightedSum returns the sum of d's digits, each times its weight: the
// weight at the same index of w (w may be longer than d).
func weightedSum(d []byte, w []int) int {
	sum := 0
	for i, c := range d {
		sum += int(c-'0') * w[i]
	}
	return sum
}

// cyclicSum returns the sum of d's digits weighted 2, 3, ... top from the
// right, then from 2 again (the CNPJ's and the RUT's weights).
func cyclicSum(d []byte, top int) int {
	sum, w := 0, 2
	for i := len(d) - 1; i >= 0; i-- {
		sum += int(d[i]-'0') * w
		if w++; w > top {
			w = 2
		}
	}
	return sum
}

// elevenDown are the weights 11 down to 2; a number of n digits that uses
// n+1 down to 2 (CPF, NHS) takes the last n.
var elevenDown = []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2}

// mod11Digit is the check digit 11 - sum mod 11, with 10 and 11 as 0 (the
// CPF's and the CNPJ's rule).
func mod11Digit(sum int) byte {
	r := sum % 11
	if r < 2 {
		return '0'
	}
	return byte('0' + 11 - r)
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
	if !notJoined(text, s, e) {
		return false
	}
	d := digitsOf(text[s:e])
	if len(d) == 0 || d[0] == '0' && placeholder(d) {
		return false
	}
	return len(d) < 6 || !placeholder(d)
}

// notJoined reports whether text[s:e] is not a piece of a longer code
// joined by '-', '.', '/' or '_'.
func notJoined(text []byte, s, e int) bool {
	return !joinedTo(text, s, e, isCodeJoiner, isAlnum)
}

func isCodeJoiner(c byte) bool { return c == '-' || c == '.' || c == '/' || c == '_' }

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
	return mod11Digit(weightedSum(d, elevenDown[len(elevenDown)-len(d):]))
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

func cnpjDigit(d []byte) byte { return mod11Digit(cyclicSum(d, 9)) }

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
	return weightedSum(d, w)%11 == 0
}

// dniLetters is the Spanish DNI/NIE control alphabet, indexed by the number
// mod 23.
const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// validDNI checks a Spanish DNI (and the NIF of a Spanish citizen, which is
// the same): eight digits and the control letter. 99999999 and all zeros
// are examples Macie ignores.
func validDNI(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	if len(v) != 9 || placeholder(v[:8]) || !notJoined(text, s, e) {
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

// validCodiceFiscale checks an Italian fiscal code: the check letter over
// the first fifteen characters.
func validCodiceFiscale(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	return len(v) == 16 && v[15] == italianCheck(v[:15])
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

// Verhoeff's dihedral-group tables (Aadhaar's check digit).
var (
	verhoeffD = [10][10]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
		{3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
		{9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	verhoeffP = [8][10]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
		{8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
)

// verhoeff reports whether a digit string ends in its Verhoeff check digit.
func verhoeff(d []byte) bool {
	var c byte
	for i := range d {
		c = verhoeffD[c][verhoeffP[i%8][d[len(d)-1-i]-'0']]
	}
	return len(d) > 0 && c == 0
}

// validAadhaar checks an Indian Aadhaar number: twelve digits, the first
// 2–9, Verhoeff's check digit, written whole or in groups of four.
func validAadhaar(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	return len(d) == 12 && d[0] >= '2' && oneSeparator(v) && !placeholder(d) && verhoeff(d)
}

// validRUT checks a Chilean RUN/RUT: the number and a mod-11 check
// character (0–9 or K), weights 2–7 from the right. All zeros are ignored.
func validRUT(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	if len(v) < 8 {
		return false
	}
	body := v[:len(v)-1]
	if placeholder(body) && body[0] == '0' {
		return false
	}
	want := "0K987654321"[cyclicSum(body, 7)%11] // 11 - sum%11, with 11 as 0 and 10 as K
	return v[len(v)-1] == want
}

// validCUIT checks an Argentine CUIT/CUIL: eleven digits whose last is the
// mod-11 check over weights 5432765432.
func validCUIT(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	if len(d) != 11 || !oneSeparator(v) || placeholder(d[2:10]) {
		return false
	}
	check := (11 - weightedSum(d[:10], []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})%11) % 11
	return check < 10 && int(d[10]-'0') == check
}

// validNIT checks a Colombian NIT: the number and its DIAN check digit
// (weights 3, 7, 13, 17, ... from the right, mod 11).
func validNIT(text []byte, s, e int) bool {
	d := digitsOf(text[s:e])
	if len(d) < 7 || len(d) > 16 || placeholder(d[:len(d)-1]) {
		return false
	}
	w := []int{3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71}
	body := d[:len(d)-1]
	sum := 0
	for i := range body {
		sum += int(body[len(body)-1-i]-'0') * w[i]
	}
	check := sum % 11
	if check >= 2 {
		check = 11 - check
	}
	return int(d[len(d)-1]-'0') == check
}

// curpAlphabet gives the values of CURP characters (Ñ is not in ASCII
// text and is left out; it sorts between N and O, so O and later count
// one more).
const curpAlphabet = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"

// validCURP checks a Mexican CURP: a real birth date and the check digit
// over the first seventeen characters.
func validCURP(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	if len(v) != 18 || !validYYMMDD(v[4:10]) {
		return false
	}
	sum := 0
	for i, c := range v[:17] {
		sum += bytes.IndexByte([]byte(curpAlphabet), c) * (18 - i)
	}
	return int(v[17]-'0') == (10-sum%10)%10
}

// validYYMMDD checks that six digits are a date (any century).
func validYYMMDD(d []byte) bool {
	return validDay(digitsValue(d[:2]), digitsValue(d[2:4]), digitsValue(d[4:6]))
}

// validDay reports whether month is a month and day one of its days in
// year (two or four digits).
func validDay(year, month, day int) bool {
	return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month, year)
}

// daysIn returns the days of a month; a two-digit year, whose century is
// unknown, is taken as a leap year when divisible by 4 (00 may be 2000).
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year < 100 || year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// validNHS checks a UK NHS number: ten digits, the last a mod-11 check
// over weights 10 down to 2 (a check of 10 means the number is never
// issued).
func validNHS(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	if len(d) != 10 || !oneSeparator(v) || placeholder(d) {
		return false
	}
	check := (11 - weightedSum(d[:9], elevenDown[1:])%11) % 11
	return check != 10 && int(d[9]-'0') == check
}

// validDEA checks a DEA registration number: two letters and seven digits
// whose last is the last digit of d1+d3+d5 + 2(d2+d4+d6).
func validDEA(text []byte, s, e int) bool {
	v := alnumOf(text[s:e])
	if len(v) != 9 {
		return false
	}
	d := v[2:]
	sum := int(d[0]-'0') + int(d[2]-'0') + int(d[4]-'0') + 2*(int(d[1]-'0')+int(d[3]-'0')+int(d[5]-'0'))
	return !placeholder(d) && int(d[6]-'0') == sum%10
}

// validNPI checks a US National Provider Identifier: ten digits passing
// Luhn when prefixed with 80840 (the US health industry prefix).
func validNPI(text []byte, s, e int) bool {
	d := digitsOf(text[s:e])
	return len(d) == 10 && !placeholder(d[:9]) && luhn(append([]byte("80840"), d...))
}

// validHICN checks a Health Insurance Claim Number: an SSN as the SSA
// issues them and a beneficiary code.
func validHICN(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	return len(d) >= 9 && validSSN(d[:9], 0, 9) && oneSeparator(v)
}

// validCanadaHealth checks a Canadian health number: Ontario's ten digits
// pass Luhn, British Columbia's PHN (a 9 first) its mod-11 check; the
// other provinces' numbers have no public check and are taken as they are.
func validCanadaHealth(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	if placeholder(d) {
		return false
	}
	if len(d) != 10 || (v[0] < '0' || v[0] > '9') {
		return looseID(text, s, e)
	}
	if d[0] == '9' {
		sum := weightedSum(d[1:9], []int{2, 4, 8, 5, 10, 9, 7, 3})
		if int(d[9]-'0') == (11-sum%11)%11 {
			return true
		}
	}
	return luhn(d)
}

// validEHIC checks a European Health Insurance Card number: twenty digits,
// the ISO/IEC 7812 issuer prefix 80 (health) and country, and Luhn.
func validEHIC(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	return len(d) == 20 && oneSeparator(v) && luhn(d)
}

// gs1Check reports whether a GS1 key (GTIN) ends in its check digit:
// weights 3 and 1 alternating from the right.
func gs1Check(d []byte) bool {
	sum := 0
	for i := len(d) - 2; i >= 0; i-- {
		w := 3
		if (len(d)-2-i)%2 == 1 {
			w = 1
		}
		sum += int(d[i]-'0') * w
	}
	return len(d) > 1 && int(d[len(d)-1]-'0') == (10-sum%10)%10
}

// validUDI checks a GS1 device identifier's GTIN check digit after (01).
func validUDI(text []byte, s, e int) bool { return gs1Check(text[s+4 : s+18]) }

// validCookieHeader checks that the header name starts a header: at the
// start of a line or after a space, tab or quote, not inside a longer name
// ("X-Cookie:").
func validCookieHeader(text []byte, s, e int) bool {
	if s == 0 {
		return true
	}
	switch text[s-1] {
	case '\n', '\r', ' ', '\t', '"', '\'':
		return true
	}
	return false
}

// vinValues transliterates VIN letters (I, O and Q are never used).
var vinValues = [26]int{1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 0, 7, 0, 9, 2, 3, 4, 5, 6, 7, 8, 9}

// validVIN checks a vehicle identification number: seventeen characters
// with letters and digits, and the North American check digit in the
// ninth place (0–9 or X).
func validVIN(text []byte, s, e int) bool {
	v := text[s:e]
	if n := len(digitsOf(v)); len(v) != 17 || n == 17 || n == 0 {
		return false
	}
	w := [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, c := range v {
		n := int(c - '0')
		if c >= 'A' {
			n = vinValues[c-'A']
		}
		sum += n * w[i]
	}
	want := byte('0' + sum%11)
	if sum%11 == 10 {
		want = 'X'
	}
	return v[8] == want
}

// validSUBE checks an Argentine SUBE card: sixteen digits from 6061 with a
// Luhn check digit.
func validSUBE(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	return len(d) == 16 && oneSeparator(v) && luhn(d)
}

// validRFC checks a Mexican RFC: a real date after the name letters, and
// not the generic RFCs for the public (XAXX010101000) and foreigners
// (XEXX010101000), which Macie ignores.
func validRFC(text []byte, s, e int) bool {
	v := text[s:e] // letters may include '&', which alnumOf would drop
	if string(v) == "XAXX010101000" || string(v) == "XEXX010101000" || len(v) < 12 {
		return false
	}
	n := len(v) - 9 // three or four name letters
	return validYYMMDD(v[n : n+6])
}

// validLatLong checks a decimal-degree pair: latitude within ±90 and
// longitude within ±180.
func validLatLong(text []byte, s, e int) bool {
	v := text[s:e]
	i := bytes.IndexByte(v, ',')
	if i < 0 {
		return false
	}
	lat, err1 := strconv.ParseFloat(string(bytes.TrimSpace(v[:i])), 64)
	lon, err2 := strconv.ParseFloat(string(bytes.TrimSpace(v[i+1:])), 64)
	return err1 == nil && err2 == nil && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// validDate checks an all-digit date: one separator throughout, a year
// 1900–2099 (or two digits), and a real day, read day first or month first
// (or after the year).
func validDate(text []byte, s, e int) bool {
	v := text[s:e]
	if !oneSeparator(v) {
		return false
	}
	nums := bytes.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(nums) != 3 {
		return false
	}
	okYear := func(y []byte) bool {
		n := digitsValue(y)
		return len(y) == 2 || len(y) == 4 && n >= 1900 && n <= 2099
	}
	a, b, c := nums[0], nums[1], nums[2]
	if len(a) == 4 {
		return okYear(a) && validDay(digitsValue(a), digitsValue(b), digitsValue(c))
	}
	year := digitsValue(c)
	return okYear(c) && (validDay(year, digitsValue(b), digitsValue(a)) || validDay(year, digitsValue(a), digitsValue(b)))
}

// monthNames are the months' names, lower case; a written date may give
// the whole name, its first three letters, or "sept".
var monthNames = [...]string{"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"}

// monthOf returns the month (1-12) that w names or abbreviates, or 0.
func monthOf(w []byte) int {
	l := bytes.ToLower(w)
	for m, name := range monthNames {
		if string(l) == name || len(l) == 3 && name[:3] == string(l) || m == 8 && string(l) == "sept" {
			return m + 1
		}
	}
	return 0
}

// ordinalSuffix returns the English ordinal suffix of day: 1st, 2nd, 23rd, 11th.
func ordinalSuffix(day int) string {
	if day/10 != 1 {
		switch day % 10 {
		case 1:
			return "st"
		case 2:
			return "nd"
		case 3:
			return "rd"
		}
	}
	return "th"
}

// validWrittenDate checks a date with its month in letters
// (writtenDatePattern): a real day of that month and year, a year
// 1900-2099 (two digits only between hyphens or slashes, "21-Mar-70"), an
// ordinal suffix that fits the day ("21st", not "21th"), and one kind of
// separator: "21-Mar-1970" and "21/Mar/1970" but not "21-Mar/1970"; with
// spaces, a comma may come before the year ("March 21, 1970"), a period
// after an abbreviated month ("Mar. 21") and "of" after the day.
func validWrittenDate(text []byte, s, e int) bool {
	v := text[s:e]
	// The three parts, each a run of digits or letters (a day with its
	// suffix), and the two separators between them.
	var parts [3][]byte
	var suffix []byte
	var seps [2]string
	n, i := 0, 0
	for i < len(v) {
		j := i
		for j < len(v) && !isAlnum(v[j]) {
			j++
		}
		k := j
		digit := isDigit(v[j])
		for k < len(v) && isAlnum(v[k]) && isDigit(v[k]) == digit {
			k++
		}
		w := v[j:k]
		switch {
		case n > 0 && j == i && !digit && isDigit(parts[n-1][0]) && suffix == nil:
			suffix = w // "21st"
		case n > 0 && bytes.EqualFold(w, []byte("of")):
			seps[n-1] += string(v[i:k]) // "21st of March"
			i = k
			continue
		default:
			if n == 3 {
				return false
			}
			if n > 0 {
				seps[n-1] += string(v[i:j])
			}
			parts[n] = w
			n++
		}
		i = k
	}
	if n != 3 {
		return false
	}
	var day, month, year []byte
	switch {
	case !isDigit(parts[0][0]):
		month, day, year = parts[0], parts[1], parts[2]
	case len(parts[0]) == 4:
		year, month, day = parts[0], parts[1], parts[2]
	default:
		day, month, year = parts[0], parts[1], parts[2]
	}
	m := monthOf(month)
	if m == 0 || !isDigit(day[0]) || !isDigit(year[0]) {
		return false
	}
	d, y := digitsValue(day), digitsValue(year)
	if suffix != nil && (!bytes.EqualFold(suffix, []byte(ordinalSuffix(d))) || len(year) == 4 && &year[0] == &parts[0][0]) {
		return false
	}
	abbreviated := len(month) == 3 || bytes.EqualFold(month, []byte("sept"))
	switch a, b := seps[0], seps[1]; {
	case a == "-" && b == "-", a == "/" && b == "/":
		if len(year) == 2 {
			return validDay(y, m, d)
		}
	case len(year) == 2:
		return false
	case a == "." && b == ".":
		// "21.Mar.1970"
	default:
		// Spaces: "of" after the day, a period after an abbreviated
		// month, a comma before the year or after a month-first day.
		for k, sep := range seps {
			ok := sep == " " || sep == ", " || sep == "," ||
				sep == " of " && k == 0 && &day[0] == &parts[0][0] ||
				(sep == ". " || sep == ".") && abbreviated && &month[0] == &parts[k][0]
			if !ok {
				return false
			}
		}
	}
	return y >= 1900 && y <= 2099 && validDay(y, m, d)
}

// validPersonNIT checks a Colombian person's NIT: a NIT that is not an
// organization's (nine digits from 8 or 9).
func validPersonNIT(text []byte, s, e int) bool {
	d := digitsOf(text[s:e])
	org := len(d) == 10 && (d[0] == '8' || d[0] == '9')
	return !org && validNIT(text, s, e)
}

// phoneStandsAlone checks that a phone number is not glued to a word
// before its + or digits, nor a piece of a longer hyphenated or dotted
// code.
func phoneStandsAlone(text []byte, s, e int) bool {
	if s > 0 && text[s] == '+' && isAlnum(text[s-1]) {
		return false
	}
	return notJoined(text, s, e)
}

// nationalDigits returns a phone number's digits after its country code
// and trunk 0 ("+44 (0)20 ...", "020 ...").
func nationalDigits(v []byte, code string) []byte {
	d := digitsOf(v)
	if v[0] == '+' {
		d = d[len(code):]
		if !bytes.Contains(v, []byte("(0)")) {
			return d
		}
	}
	if len(d) > 0 && d[0] == '0' {
		return d[1:]
	}
	return d
}

// validUKPhone checks that a UK number has nine or ten national digits.
func validUKPhone(text []byte, s, e int) bool {
	n := len(nationalDigits(text[s:e], "44"))
	return (n == 9 || n == 10) && phoneStandsAlone(text, s, e)
}

// validGermanyPhone checks that a German number has seven to eleven
// national digits.
func validGermanyPhone(text []byte, s, e int) bool {
	n := len(nationalDigits(text[s:e], "49"))
	return n >= 7 && n <= 11 && phoneStandsAlone(text, s, e)
}

// validPersonnummer checks a Swedish personal identity number: a birth
// date (YYMMDD) and four digits, the last a Luhn check over the ten.
func validPersonnummer(text []byte, s, e int) bool {
	d := digitsOf(text[s:e])
	if len(d) == 12 {
		// The century first: the date is checked with the whole year,
		// the Luhn digit over the ten digits without the century.
		y := digitsValue(d[:4])
		if !validDay(y, digitsValue(d[4:6]), digitsValue(d[6:8])) {
			return false
		}
		d = d[2:]
	}
	return len(d) == 10 && validYYMMDD(d[:6]) && luhn(d) && notJoined(text, s, e)
}

// validFinnishID checks a Finnish personal identity code: a birth date
// (DDMMYY), the century sign, three digits and the check character, the
// nine digits mod 31.
func validFinnishID(text []byte, s, e int) bool {
	v := text[s:e]
	if !validDay(digitsValue(v[4:6]), digitsValue(v[2:4]), digitsValue(v[:2])) || !notJoined(text, s, e) {
		return false
	}
	n := digitsValue(append(bytes.Clone(v[:6]), v[7:10]...))
	return "0123456789ABCDEFHJKLMNPRSTUVWXY"[n%31] == v[10]
}
