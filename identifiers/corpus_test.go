package identifiers

// Deterministic test data: synthetic sensitive values with correct (or
// deliberately wrong) check digits, and corpora of prose, logs, CSV and
// JSONL with such values planted sparsely, from a seed. The check digits
// come from internal/corpus (math/big for IBANs), which shares nothing with
// the validators under test. No value here belongs to anyone: cards avoid the issuers' test
// numbers only because Macie ignores those, not because they are real.

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/trawlsec/trawl/internal/corpus"
)

// NewCorpusRand returns the generator every corpus function uses.
func NewCorpusRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x7472617776)) }

func randDigits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func randFrom(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// GenCard returns a Luhn-valid card number of the given length that starts
// with prefix and is not one of the published test numbers.
func GenCard(r *rand.Rand, prefix string, length int) string {
	for {
		body := prefix + randDigits(r, length-len(prefix)-1)
		n := body + string(corpus.LuhnDigit(body))
		if !publishedTestCard(n) {
			return n
		}
	}
}

func publishedTestCard(n string) bool {
	switch n {
	case "4111111111111111", "5555555555554444", "378282246310005", "6011111111111117":
		return true
	}
	return testCards[n]
}

// cardBrands are prefixes and lengths that Macie's brands issue.
var cardBrands = []struct {
	prefix string
	length int
}{
	{"4", 16}, {"4", 13}, {"4", 19}, {"51", 16}, {"55", 16}, {"2221", 16}, {"2720", 16},
	{"34", 15}, {"37", 15}, {"6011", 16}, {"65", 16}, {"3530", 16}, {"36", 14}, {"62", 19},
}

// GenAnyCard returns a valid card of a random brand.
func GenAnyCard(r *rand.Rand) string {
	b := cardBrands[r.IntN(len(cardBrands))]
	return GenCard(r, b.prefix, b.length)
}

// GroupCard prints a card the way cards are printed: 4-6-5 (or 4-6-4) for
// 15- and 14-digit cards, otherwise groups of four.
func GroupCard(card, sep string) string {
	if len(card) == 15 || len(card) == 14 {
		return card[:4] + sep + card[4:10] + sep + card[10:]
	}
	return GroupBy(card, 4, sep)
}

// GroupBy splits s into groups of n joined by sep.
func GroupBy(s string, n int, sep string) string {
	var parts []string
	for len(s) > n {
		parts = append(parts, s[:n])
		s = s[n:]
	}
	return strings.Join(append(parts, s), sep)
}

const (
	upper       = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lower       = "abcdefghijklmnopqrstuvwxyz"
	digitsUpper = "0123456789" + upper
	awsAlphabet = upper + lower + "0123456789/+"
	b64url      = upper + lower + "0123456789-_"
)

// GenIBAN returns a compact IBAN for the country with correct check digits.
func GenIBAN(r *rand.Rand, country string) string {
	_, bban := ibanOf(country)
	return genCountryIBAN(r, country, bban)
}

// GenSSN returns a US SSN that the SSA could issue, as ddd-dd-dddd.
func GenSSN(r *rand.Rand) string {
	for {
		area := 1 + r.IntN(899)
		if area == 666 {
			continue
		}
		s := fmt.Sprintf("%03d-%02d-%04d", area, 1+r.IntN(99), 1+r.IntN(9999))
		if s != "078-05-1120" && s != "219-09-9999" {
			return s
		}
	}
}

// GenPhone returns a NANP number as area, exchange and line.
func GenPhone(r *rand.Rand) (area, exchange, line string) {
	return strconv.Itoa(200 + r.IntN(800)), strconv.Itoa(200 + r.IntN(800)), randDigits(r, 4)
}

// GenAWSSecret returns a 40-character secret access key look-alike that
// mixes upper case, lower case and digits.
func GenAWSSecret(r *rand.Rand) string {
	for {
		s := randFrom(r, awsAlphabet, 40)
		if strings.ContainsAny(s, upper) && strings.ContainsAny(s, lower) && strings.ContainsAny(s, "0123456789") {
			return s
		}
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// GenJWT returns a signed (HS256) token with random claims.
func GenJWT(r *rand.Rand) string {
	return b64(`{"alg":"HS256","typ":"JWT"}`) + "." +
		b64(fmt.Sprintf(`{"sub":"%d","iat":%d}`, r.IntN(1e9), 1.6e9+r.IntN(1e8))) + "." +
		randFrom(r, b64url, 43)
}

// GenUnsignedJWT returns an alg "none" token, which ends in a dot.
func GenUnsignedJWT(r *rand.Rand) string {
	return b64(`{"alg":"none"}`) + "." + b64(fmt.Sprintf(`{"sub":"%d"}`, r.IntN(1e9))) + "."
}

// GenOpenSSHKey returns an OpenSSH private key block; newline is "\n",
// "\r\n" or the two characters `\n` of an escaped JSON string.
func GenOpenSSHKey(r *rand.Rand, newline string, withEnd bool) string {
	var sb strings.Builder
	sb.WriteString("-----BEGIN OPENSSH PRIVATE KEY-----" + newline)
	body := "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW" +
		randFrom(r, upper+lower+"0123456789+/", 70*3)
	for len(body) > 70 {
		sb.WriteString(body[:70] + newline)
		body = body[70:]
	}
	sb.WriteString(body)
	if withEnd {
		sb.WriteString(newline + "-----END OPENSSH PRIVATE KEY-----")
	}
	return sb.String()
}

// CorpusKind is the shape of a generated corpus.
type CorpusKind int

const (
	CorpusProse CorpusKind = iota
	CorpusLogs
	CorpusCSV
	CorpusJSONL
	// CorpusMixed interleaves all of the above with hostile bits (multi-byte
	// text, invalid UTF-8, long digit runs, keywords at the distance limit).
	CorpusMixed
)

func (k CorpusKind) String() string {
	return [...]string{"prose", "logs", "csv", "jsonl", "mixed"}[k]
}

var proseWords = strings.Fields(`the a of and to in is was for on that with as by at from this be
	are or it an which have not has had were but their they its one all been more also would
	can about other into after first new two some these time only may over such most when
	quarterly report shows revenue growth across regions while costs remained flat during period
	customer support team resolved tickets faster than expected thanks improved tooling
	migration plan includes database upgrade storage tiering network changes weekend window
	café naïve résumé Zürich São Paulo Kraków Ærøskøbing 東京 данные ελληνικά
	account balance invoice receipt shipment warehouse contract renewal audit compliance
	meeting notes agenda follow up decision owner deadline budget forecast estimate`)

// keywordWords are words that are (or begin with) managed keywords.
var keywordWords = []string{"card", "credit", "phone", "contact", "ssn", "SSN", "credentials", "Visa",
	"mobile", "secret key", "Tel", "cell", "debit", "social security", "fax"}

// GenerateCorpus returns size bytes (a few fewer rather than cut a UTF-8
// sequence) of deterministic text of the given kind. About
// once every plantEvery bytes a line gets a planted value: valid or broken
// cards, SSNs, phones, IBANs, tokens and keys, with or without keywords.
// plantEvery <= 0 plants nothing.
func GenerateCorpus(kind CorpusKind, size int, seed uint64, plantEvery int) []byte {
	r := NewCorpusRand(seed)
	out := make([]byte, 0, size+4096)
	line := 0
	if kind == CorpusCSV {
		out = append(out, "id,created_at,customer,amount,currency,reference,notes\n"...)
	}
	next := 0 // offset after which the next value is planted
	if plantEvery > 0 {
		next = r.IntN(plantEvery)
	}
	for len(out) < size {
		k := kind
		if k == CorpusMixed {
			k = CorpusKind(r.IntN(4))
			if r.IntN(8) == 0 {
				out = append(out, hostile(r)...)
				continue
			}
		}
		var plant string
		if plantEvery > 0 && len(out) >= next {
			plant = Plant(r)
			next = len(out) + plantEvery/2 + r.IntN(plantEvery)
		}
		out = append(out, corpusLine(r, k, line, plant)...)
		line++
	}
	cut := size
	for cut > 0 && cut < len(out) && out[cut]&0xc0 == 0x80 {
		cut--
	}
	return out[:cut]
}

func corpusLine(r *rand.Rand, k CorpusKind, n int, plant string) string {
	switch k {
	case CorpusLogs:
		s := fmt.Sprintf("2024-%02d-%02dT%02d:%02d:%02d.%03dZ %s [worker-%d] req=%016x status=%d latency_ms=%d path=/api/v1/users/%d ip=10.%d.%d.%d",
			1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000),
			[]string{"INFO", "WARN", "DEBUG", "ERROR"}[r.IntN(4)], r.IntN(16), r.Uint64(),
			[]int{200, 201, 204, 301, 404, 500}[r.IntN(6)], r.IntN(5000), r.IntN(1e6),
			r.IntN(256), r.IntN(256), r.IntN(256))
		if plant != "" {
			s += " msg=\"" + plant + "\""
		}
		return s + "\n"
	case CorpusCSV:
		notes := sentence(r, 3+r.IntN(6))
		if plant != "" {
			notes = plant
		}
		return fmt.Sprintf("%d,2024-%02d-%02d %02d:%02d,%s,%d.%02d,%s,%s,\"%s\"\n",
			100000+n, 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60),
			proseWords[r.IntN(len(proseWords))], r.IntN(100000), r.IntN(100),
			[]string{"EUR", "USD", "GBP"}[r.IntN(3)], randDigits(r, 8+r.IntN(12)),
			strings.ReplaceAll(notes, `"`, `""`))
	case CorpusJSONL:
		note := sentence(r, 4+r.IntN(8))
		if plant != "" {
			note = plant
		}
		return fmt.Sprintf(`{"id":%d,"ts":%d,"user":{"name":%q,"tier":%d},"amount":%d.%02d,"tags":[%q,%q],"note":%q}`+"\n",
			n, 1.7e9+r.IntN(1e7), proseWords[r.IntN(len(proseWords))], r.IntN(5), r.IntN(1e5), r.IntN(100),
			proseWords[r.IntN(len(proseWords))], proseWords[r.IntN(len(proseWords))], note)
	}
	// Prose: a paragraph of sentences, with the plant somewhere inside.
	var sb strings.Builder
	sents := 2 + r.IntN(5)
	at := r.IntN(sents)
	for i := range sents {
		s := sentence(r, 6+r.IntN(14))
		if plant != "" && i == at {
			s += " " + plant
		}
		sb.WriteString(s + ". ")
	}
	sb.WriteString("\n\n")
	return sb.String()
}

func sentence(r *rand.Rand, words int) string {
	w := make([]string, words)
	for i := range w {
		switch r.IntN(40) {
		case 0:
			w[i] = strconv.Itoa(r.IntN(100000))
		case 1:
			w[i] = fmt.Sprintf("%d.%02d", r.IntN(10000), r.IntN(100))
		default:
			w[i] = proseWords[r.IntN(len(proseWords))]
		}
	}
	s := strings.Join(w, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// Plant returns one sensitive (or nearly sensitive) snippet.
func Plant(r *rand.Rand) string {
	gap := func() string {
		// A gap around Macie's 30-character limit, sometimes multi-byte.
		n := 26 + r.IntN(8)
		if r.IntN(3) == 0 {
			return " " + strings.Repeat("é", n-2) + " "
		}
		return " " + strings.Repeat("x", n-2) + " "
	}
	// withKW places v with one of kws (or now and then an unrelated
	// keyword, or none) before or after it, near or around the limit.
	withKW := func(v string, kws ...string) string {
		kw := kws[r.IntN(len(kws))]
		if r.IntN(4) == 0 {
			kw = keywordWords[r.IntN(len(keywordWords))]
		}
		switch r.IntN(6) {
		case 0:
			return v
		case 1:
			return kw + gap() + v
		case 2:
			return v + gap() + kw
		case 3:
			return v + " (" + kw + ")"
		case 4:
			return kw + " = " + v
		}
		return kw + ": " + v
	}
	cardKW := []string{"card", "Credit Card", "visa", "AMEX", "card_number", "cardNo", "pan", "debit"}
	ssnKW := []string{"ssn", "SSN", "social security", "Social-Security", "ss#"}
	phoneKW := []string{"phone", "Tel", "fax", "mobile", "contact", "cell", "Phone Number"}
	awsKW := []string{"aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "credentials", "secret key", "SecretAccessKey", "secret-access-key"}
	if r.IntN(3) == 0 {
		return categoryPlants[r.IntN(len(categoryPlants))](r)
	}
	area, exch, line := GenPhone(r)
	switch r.IntN(16) {
	case 0:
		return withKW(GenAnyCard(r), cardKW...)
	case 1:
		return withKW(GroupCard(GenAnyCard(r), []string{" ", "-"}[r.IntN(2)]), cardKW...)
	case 2:
		return withKW(corpus.BadLuhn(GenAnyCard(r)), cardKW...)
	case 3:
		return withKW([]string{"4111111111111111", "4111 1111 1111 1111", "5555555555554444", "378282246310005"}[r.IntN(4)], cardKW...)
	case 4:
		return withKW(strings.NewReplacer("-", []string{"-", " ", ""}[r.IntN(3)]).Replace(GenSSN(r)), ssnKW...)
	case 5:
		return withKW([]string{"000", "666", "900", "987"}[r.IntN(4)]+"-"+randDigits(r, 2)+"-"+randDigits(r, 4), ssnKW...)
	case 6:
		return withKW([]string{"+1 ", "1-", "+1", ""}[r.IntN(4)]+"("+area+") "+exch+"-"+line, phoneKW...)
	case 7:
		return withKW(area+[]string{"-", ".", " ", ""}[r.IntN(4)]+exch+"-"+line, phoneKW...)
	case 8:
		c := []string{"FR", "DE", "IT", "NL", "ES", "GB"}[r.IntN(6)]
		v := GenIBAN(r, c)
		if r.IntN(2) == 0 {
			v = GroupBy(v, 4, []string{" ", "-"}[r.IntN(2)])
		}
		return "IBAN " + v
	case 9:
		return "IBAN " + breakCheckDigits(GenIBAN(r, []string{"FR", "DE", "IT", "NL", "ES", "GB"}[r.IntN(6)]))
	case 10:
		return "Authorization: Bearer " + GenJWT(r)
	case 11:
		return "token=" + GenUnsignedJWT(r) + []string{"", ".", "x", " "}[r.IntN(4)]
	case 12, 13:
		return withKW(GenAWSSecret(r), awsKW...)
	case 14:
		if r.IntN(3) == 0 {
			return withKW("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", awsKW...)
		}
		return GenOpenSSHKey(r, []string{"\n", `\n`, "\r\n"}[r.IntN(3)], r.IntN(4) != 0)
	}
	return withKW(randDigits(r, 9+r.IntN(11)), keywordWords...)
}

// categoryPlants plant the values of the rest of the catalogue: one
// function per category's cases file.
var categoryPlants = []func(*rand.Rand) string{plantCredentialFinancial}

// hostile returns text that stresses the Engine's shortcuts: digit soup,
// separators, multi-byte runs, invalid UTF-8, keywords glued into words.
func hostile(r *rand.Rand) string {
	switch r.IntN(7) {
	case 0:
		var sb strings.Builder
		for range 20 + r.IntN(60) {
			sb.WriteString(randDigits(r, 1+r.IntN(6)))
			sb.WriteString([]string{" ", "-", ".", "", "(", ")", "+", "/", ","}[r.IntN(9)])
		}
		return sb.String() + "\n"
	case 1:
		return strings.Repeat("é", r.IntN(40)) + "ssn" + strings.Repeat("€", r.IntN(40)) + GenSSN(r) + "\n"
	case 2:
		return string([]byte{0xff, 0xfe, byte(r.IntN(256)), '4', 0xc3}) + GenAnyCard(r) + string([]byte{0xe2, 0x82}) + "\n"
	case 3:
		a, e, l := GenPhone(r)
		return "businessname " + GenSSN(r) + " advisable " + GenAnyCard(r) + " hotel " + a + "-" + e + "-" + l + "\n"
	case 4:
		return "userSsn=" + GenSSN(r) + " customerCardNo=" + GenAnyCard(r) + " SECRET_ACCESS_KEY=" + GenAWSSecret(r) + "\n"
	case 5:
		return randFrom(r, awsAlphabet+" \n", 30+r.IntN(200)) + "\n"
	}
	return randFrom(r, digitsUpper+" -", 20+r.IntN(80)) + "\n"
}
