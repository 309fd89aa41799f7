package identifiers

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// Validators check what a pattern cannot: checksums, boundaries and known
// example values. Each takes the whole segment and the match's span, so it
// can look at the bytes around the value.

// digitsOf returns the ASCII digits of b.
func digitsOf(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c-'0' <= 9 {
			out = append(out, c)
		}
	}
	return out
}

// placeholder reports a digit string that is one digit repeated
// ("000000000", "99999999"): Macie ignores such values of national IDs and
// accounts.
func placeholder(d []byte) bool {
	if len(d) == 0 {
		return true
	}
	return bytes.Count(d, d[:1]) == len(d)
}

// luhn reports whether a digit string passes the Luhn (mod 10) check.
func luhn(d []byte) bool {
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return len(d) > 0 && sum%10 == 0
}

// cardPrefixes are the issuer prefixes of the brands Macie names, with the
// lengths each brand issues.
var cardPrefixes = []struct {
	lo, hi   int // inclusive range of the leading digits
	digits   int // how many leading digits lo and hi have
	min, max int // card number length
}{
	{34, 34, 2, 15, 15}, {37, 37, 2, 15, 15}, // American Express
	{4, 4, 1, 13, 19},                            // Visa, Visa Electron
	{51, 55, 2, 16, 16}, {2221, 2720, 4, 16, 16}, // Mastercard
	{6011, 6011, 4, 16, 19}, {644, 649, 3, 16, 19}, {65, 65, 2, 16, 19}, // Discover
	{622126, 622925, 6, 16, 19},              // Discover / UnionPay co-brand
	{62, 62, 2, 16, 19}, {81, 81, 2, 16, 19}, // UnionPay
	{3528, 3589, 4, 16, 19},                                                                  // JCB
	{300, 305, 3, 14, 19}, {36, 36, 2, 14, 19}, {38, 39, 2, 14, 19}, {3095, 3095, 4, 14, 19}, // Diners Club
	{5019, 5019, 4, 16, 16}, {4571, 4571, 4, 16, 16}, // Dankort
}

func knownCardPrefix(d []byte) bool {
	for _, p := range cardPrefixes {
		if len(d) < p.digits || len(d) < p.min || len(d) > p.max {
			continue
		}
		lead := 0
		for _, c := range d[:p.digits] {
			lead = lead*10 + int(c-'0')
		}
		if lead >= p.lo && lead <= p.hi {
			return true
		}
	}
	return false
}

// testCards are the card numbers trawl ignores: the 55 that Macie's
// financial identifiers page lists as "reserved by issuers for public
// testing", exactly (76009244561 has 11 digits and fails Luhn; it is on
// Macie's list), and, beyond Macie, the test numbers that payment
// processors (Stripe, Adyen, Braintree...) publish, which fill test data.
var testCards = map[string]bool{}

// macieTestCards is Macie's list, kept apart so a test can hold it to the
// documentation.
const macieTestCards = `
	122000000000003 2222405343248877 2222990905257051 2223007648726984 2223577120017656
	30569309025904 34343434343434 3528000700000000 3530111333300000 3566002020360505
	36148900647913 36700102000000 371449635398431 378282246310005 378734493671000
	38520000023237 4012888888881881 4111111111111111 4222222222222 4444333322221111
	4462030000000000 4484070000000000 4911830000000 4917300800000000 4917610000000000
	4917610000000000003 5019717010103742 5105105105105100 5111010030175156 5185540810000019
	5200828282828210 5204230080000017 5204740009900014 5420923878724339 5454545454545454
	5455330760000018 5506900490000436 5506900490000444 5506900510000234 5506920809243667
	5506922400634930 5506927427317625 5553042241984105 5555553753048194 5555555555554444
	5610591081018250 6011000990139424 6011000400000000 6011111111111117 630490017740292441
	630495060000000000 6331101999990016 6759649826438453 6799990100000000019 76009244561`

func init() {
	for _, n := range strings.Fields(macieTestCards + `
		4242424242424242 4000056655665556 4000000000000002 4000000000000077 4000000000000093
		4000000000000119 4000000000003220 4988080000000000 4007000000027 4012000033330026
		4012000077777777 4217651111111119 4500600000000061 5431111111111111 2223003122003222
		2222400010000008 5500000000000004 5123456789012346 5424000000000015 371111111111114
		343434343434343 6011601160116611 6011000000000004 6445644564456445 36227206271667
		36006666333344 30000000000004 3566111111111113 3569990010095841 6200000000000005
		6250941006528599 6221261111117766 6282000123842342 4571000000000001
	`) {
		testCards[n] = true
	}
}

// validCard checks a card number: 13–19 digits, the Luhn check, a known
// brand prefix, not a published test number, and if it is written in
// groups, one separator used in a grouping that cards are printed in.
func validCard(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	if len(d) < 13 || len(d) > 19 || !luhn(d) || !knownCardPrefix(d) || testCards[string(d)] {
		return false
	}
	if len(d) == len(v) {
		return true
	}
	return cardGrouping(v)
}

// cardGrouping accepts 4-4-4-4(-1..3), Amex/Diners 4-6-4/5, and 4-4-4-1..3.
func cardGrouping(v []byte) bool {
	var sep byte
	var groups []int
	n := 0
	for _, c := range v {
		if c-'0' <= 9 {
			n++
			continue
		}
		if sep == 0 {
			sep = c
		} else if c != sep {
			return false
		}
		groups = append(groups, n)
		n = 0
	}
	groups = append(groups, n)
	switch {
	case len(groups) == 3 && groups[0] == 4 && groups[1] == 6 && (groups[2] == 4 || groups[2] == 5):
		return true
	case len(groups) >= 4 && len(groups) <= 5:
		for i, g := range groups {
			if i < 3 && g != 4 || i == 3 && len(groups) == 5 && g != 4 {
				return false
			}
		}
		last := groups[len(groups)-1]
		return last >= 1 && last <= 4
	}
	return false
}

// validSSN rejects US SSNs that the SSA never issues: area 000, 666 or
// 900–999, group 00, serial 0000, and the two famous advertising numbers.
// Separators, when used, must be the same twice.
func validSSN(text []byte, s, e int) bool {
	v := text[s:e]
	d := digitsOf(v)
	if len(d) != 9 {
		return false
	}
	if len(v) == 11 && v[3] != v[6] {
		return false
	}
	area, group, serial := string(d[:3]), string(d[3:5]), string(d[5:])
	switch {
	case area == "000" || area == "666" || area[0] == '9', group == "00", serial == "0000":
		return false
	case string(d) == "078051120" || string(d) == "219099999":
		return false
	}
	return true
}

// validIBAN checks that the value stands alone and passes the ISO 7064
// mod-97 check. The pattern already fixes the country's structure and
// length; separators, when used, must all be the same.
func validIBAN(text []byte, s, e int) bool {
	if !wordBoundaryAt(text, s) || !wordBoundaryAt(text, e) {
		return false
	}
	v, ok := withoutSeparators(text[s:e])
	if !ok {
		return false
	}
	rem := 0
	for i := range v {
		c := v[(i+4)%len(v)] // the first four characters move to the end
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	if rem != 1 {
		return false
	}
	national := nationalChecks[string(v[:2])]
	return national == nil || national(v[4:])
}

// withoutSeparators returns the characters of an IBAN or BBAN without its
// separators, or false if it mixes spaces and hyphens.
func withoutSeparators(b []byte) ([]byte, bool) {
	v := make([]byte, 0, len(b))
	var sep byte
	for _, c := range b {
		if isSep(c) {
			if sep != 0 && c != sep {
				return nil, false
			}
			sep = c
			continue
		}
		v = append(v, c)
	}
	return v, true
}

func isSep(c byte) bool { return c == ' ' || c == '-' }

// wordBoundaryAt reports whether offset i of text is not inside an
// alphanumeric word.
func wordBoundaryAt(text []byte, i int) bool {
	if i == 0 || i == len(text) {
		return true
	}
	return !isAlnum(text[i-1]) || !isAlnum(text[i])
}

func isAlnum(c byte) bool { return c-'0' <= 9 || c|0x20 >= 'a' && c|0x20 <= 'z' }

// isKeyTokenChar is a character of a base64url-style token (JWTs, API keys).
func isKeyTokenChar(c byte) bool { return isAlnum(c) || c == '_' || c == '-' }

// standsAlone reports whether text[s:e] has no character of the token's
// alphabet on either side.
func standsAlone(text []byte, s, e int, in func(byte) bool) bool {
	return (s == 0 || !in(text[s-1])) && (e == len(text) || !in(text[e]))
}

// joinedTo reports whether text[s:e] is a piece of something longer: on
// either side a joining character (as join says) with a character of
// another piece (as piece says) beyond it.
func joinedTo(text []byte, s, e int, join, piece func(byte) bool) bool {
	return s >= 2 && join(text[s-1]) && piece(text[s-2]) || e+1 < len(text) && join(text[e]) && piece(text[e+1])
}

// validJWTToken checks that the token stands alone, then decodes it.
func validJWTToken(text []byte, s, e int) bool {
	if !standsAlone(text, s, e, isKeyTokenChar) || e < len(text) && text[e] == '.' {
		return false
	}
	return validJWT(text[s:e])
}

// validJWT decodes the header and payload: both must be JSON objects and
// the header must name an algorithm ("none" for unsigned tokens).
func validJWT(token []byte) bool {
	parts := bytes.Split(token, []byte("."))
	if len(parts) != 3 {
		return false
	}
	var header map[string]any
	if !decodeJSONPart(parts[0], &header) {
		return false
	}
	if _, ok := header["alg"].(string); !ok {
		return false
	}
	var payload map[string]any
	return decodeJSONPart(parts[1], &payload)
}

func decodeJSONPart(p []byte, v any) bool {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(string(p), "="))
	return err == nil && json.Unmarshal(raw, v) == nil
}

// validOpenSSHKey checks that the body begins with the base64 of the
// "openssh-key-v1" magic, so a stray header with junk after it is not a key.
func validOpenSSHKey(text []byte, s, e int) bool {
	body := trimNewlines(text[s+len("-----BEGIN OPENSSH PRIVATE KEY-----") : e])
	return bytes.HasPrefix(body, []byte("b3BlbnNzaC1rZXktdjE"))
}

// validAWSSecret checks a 40-character secret access key candidate: it must
// stand alone (no key characters on either side, nor base64 padding after
// it), mix upper and lower case and digits as random keys do, and not be
// one of AWS's documentation examples, which end in EXAMPLEKEY. An '='
// before the value is the assignment of AWS_SECRET_ACCESS_KEY=..., not part
// of a longer string.
func validAWSSecret(text []byte, s, e int) bool {
	isKeyChar := func(c byte) bool { return isAlnum(c) || c == '/' || c == '+' }
	if !standsAlone(text, s, e, isKeyChar) || e < len(text) && text[e] == '=' {
		return false
	}
	v := text[s:e]
	if bytes.HasSuffix(v, []byte("EXAMPLEKEY")) {
		return false
	}
	var upper, lower, digit bool
	for _, c := range v {
		upper = upper || c >= 'A' && c <= 'Z'
		lower = lower || c >= 'a' && c <= 'z'
		digit = digit || c >= '0' && c <= '9'
	}
	return upper && lower && digit
}
