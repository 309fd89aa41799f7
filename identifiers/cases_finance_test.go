package identifiers

import (
	"encoding/base64"
	"fmt"
	"math/big"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/corpus"
)

// credentialFinancialCases are the cases of credentialFinancialEntries.
func credentialFinancialCases(r *rand.Rand) map[string]idCases {
	all := map[string]idCases{}
	for _, cases := range []func(*rand.Rand, map[string]idCases){credentialCases, ibanCases, financialCases} {
		cases(r, all)
	}
	return all
}

const base62 = upper + lower + "0123456789"

// genGCPKey returns a Google API key look-alike.
func genGCPKey(r *rand.Rand) string { return "AIza" + randFrom(r, base62+"_-", 35) }

// genBasicAuth returns base64 "user:password" credentials.
func genBasicAuth(r *rand.Rand) string {
	return base64.StdEncoding.EncodeToString([]byte(randFrom(r, lower, 6) + ":" + randFrom(r, base62, 12)))
}

// markToHeader marks a key block up to the ':' or '-' of its first armor
// header line, where its pattern stops (the validator reads on).
func markToHeader(k string) string {
	begin := strings.Index(k, "-----\n") + len("-----\n")
	i := begin + strings.IndexAny(k[begin:], ":-")
	return mark(k[:i]) + k[i:]
}

// wrapBase64 encodes raw and splits it into lines of n joined by nl.
func wrapBase64(raw []byte, n int, nl string) string {
	return GroupBy(base64.StdEncoding.EncodeToString(raw), n, nl)
}

// randBytes returns prefix followed by n random bytes.
func randBytes(r *rand.Rand, prefix []byte, n int) []byte {
	b := append([]byte(nil), prefix...)
	for range n {
		b = append(b, byte(r.IntN(256)))
	}
	return b
}

// genPGPKey returns an armored OpenPGP secret key whose first packet has
// the given header bytes: 0x94/0x95 old format and 0xC5 new format are
// Secret-Key packets.
func genPGPKey(r *rand.Rand, first []byte, nl string, headers ...string) string {
	var sb strings.Builder
	sb.WriteString("-----BEGIN PGP PRIVATE KEY BLOCK-----" + nl)
	for _, h := range headers {
		sb.WriteString(h + nl)
	}
	sb.WriteString(nl + wrapBase64(randBytes(r, first, 180), 64, nl) + nl)
	sb.WriteString("=" + randFrom(r, base62, 4) + nl + "-----END PGP PRIVATE KEY BLOCK-----")
	return sb.String()
}

// genPEMKey returns a PEM private key of the given kind ("RSA ", "" for
// PKCS #8...) whose DER body starts with first.
func genPEMKey(r *rand.Rand, kind string, first []byte, nl string, headers ...string) string {
	var sb strings.Builder
	sb.WriteString("-----BEGIN " + kind + "PRIVATE KEY-----" + nl)
	for _, h := range headers {
		sb.WriteString(h + nl)
	}
	if len(headers) > 0 {
		sb.WriteString(nl)
	}
	sb.WriteString(wrapBase64(randBytes(r, first, 300), 64, nl) + nl)
	sb.WriteString("-----END " + kind + "PRIVATE KEY-----")
	return sb.String()
}

var derSequence = []byte{0x30, 0x82, 0x04, 0xa4}

// genPuTTYKey returns a PuTTY key file with pub public and priv private
// lines, which it declares as declPub and declPriv.
func genPuTTYKey(r *rand.Rand, nl string, pub, priv int, declPub, declPriv string) string {
	lines := func(n int) string {
		var sb strings.Builder
		for range n {
			sb.WriteString(randFrom(r, base62+"+/", 64) + nl)
		}
		return sb.String()
	}
	return "PuTTY-User-Key-File-2: ssh-rsa" + nl +
		"Encryption: none" + nl +
		"Comment: rsa-key-20240101" + nl +
		"Public-Lines: " + declPub + nl + lines(pub) +
		"Private-Lines: " + declPriv + nl + lines(priv) +
		"Private-MAC: " + randFrom(r, "0123456789abcdef", 40)
}

// genStripeKey returns a Stripe key look-alike with the given prefix.
func genStripeKey(r *rand.Rand, prefix string, n int) string { return prefix + randFrom(r, base62, n) }

func credentialCases(r *rand.Rand, all map[string]idCases) {
	// GCP_API_KEY
	{
		k := genGCPKey(r)
		dm, dn := distanceCases("GCP api key", k)
		all["GCP_API_KEY"] = idCases{
			match: append([]idCase{
				c("header", "X-Goog-Api-Key: "+mark(k)),
				c("env variable", "GOOGLEKEY="+mark(genGCPKey(r))),
				c("gcloud output", "google-cloud-apikeys describe:\nkeyString: "+mark(genGCPKey(r))),
				c("JSON field", `{"googleKey": "`+mark(genGCPKey(r))+`"}`),
				c("column context", mark(genGCPKey(r)), "gcp_key"),
			}, dm...),
			noMatch: append([]idCase{
				c("no keyword", "token "+k),
				c("one character short", "GCP key: "+k[:38]),
				c("one character long", "GCP key: "+k+"x"),
				c("lower-case prefix", "GCP key: aiza"+k[4:]),
				c("glued to a word", "GCP key: x"+k),
			}, unmarked(dn)...),
		}
	}

	// HTTP_BASIC_AUTH_HEADER
	{
		cred := genBasicAuth(r)
		all["HTTP_BASIC_AUTH_HEADER"] = idCases{
			match: []idCase{
				c("Macie's example", "GET / HTTP/1.1\r\n"+mark("Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")+"\r\n"),
				c("proxy header, UTF-8 password", mark("Proxy-Authorization: Basic dGVzdDoxMjPCow==")),
				c("lower case (HTTP/2)", mark("authorization: basic "+cred)),
				c("curl option", `curl -H "`+mark("Authorization: Basic "+genBasicAuth(r))+`" https://example.test`),
				c("JSON headers", `{"headers": {"`+mark(`Authorization": "Basic `+genBasicAuth(r))+`"}}`),
			},
			noMatch: []idCase{
				c("bearer scheme", "Authorization: Bearer "+cred),
				c("no header name", "Basic "+cred),
				c("not base64", "Authorization: Basic not-base64!"),
				c("no colon inside", "Authorization: Basic "+base64.StdEncoding.EncodeToString([]byte("useronly"))),
				c("control bytes inside", "Authorization: Basic "+base64.StdEncoding.EncodeToString([]byte("a:\x01\x02"))),
				c("other header name", "X-Authorization: Basic "+cred),
				c("scheme missing", "Authorization: "+cred),
			},
		}
	}

	// PGP_PRIVATE_KEY
	{
		all["PGP_PRIVATE_KEY"] = idCases{
			match: []idCase{
				c("old format, GnuPG", "key:\n"+mark(genPGPKey(r, []byte{0x95, 0x03, 0xc6, 0x04}, "\n"))+"\n"),
				c("old format, one-octet length", mark(genPGPKey(r, []byte{0x94, 0x58, 0x04}, "\n"))),
				c("new format", mark(genPGPKey(r, []byte{0xc5, 0xc1, 0x58}, "\r\n"))),
				c("armor headers (reported up to them)", markToHeader(genPGPKey(r, []byte{0x95, 0x07, 0x46}, "\n", "Version: GnuPG v2", "Comment: https://gnupg.org - key"))),
				c("escaped in JSON", `{"key": "`+mark(genPGPKey(r, []byte{0x95, 0x01, 0xd8}, `\n`))+`"}`),
			},
			noMatch: []idCase{
				c("public key packet under a private header", genPGPKey(r, []byte{0x99, 0x01, 0x0d}, "\n")),
				c("new-format public key packet", genPGPKey(r, []byte{0xc6, 0xc1, 0x58}, "\n")),
				c("public key block", strings.Replace(genPGPKey(r, []byte{0x95, 0x03, 0xc6}, "\n"), "PRIVATE", "PUBLIC", 2)),
				c("header alone", "-----BEGIN PGP PRIVATE KEY BLOCK-----"),
				c("header and prose", "-----BEGIN PGP PRIVATE KEY BLOCK----- is how the block starts"),
			},
		}
	}

	// PKCS
	{
		all["PKCS"] = idCases{
			match: []idCase{
				c("PKCS #8", "key:\n"+mark(genPEMKey(r, "", derSequence, "\n"))+"\n"),
				c("PKCS #1 RSA", mark(genPEMKey(r, "RSA ", derSequence, "\r\n"))),
				c("encrypted PKCS #8", mark(genPEMKey(r, "ENCRYPTED ", derSequence, "\n"))),
				c("legacy encrypted PKCS #1 (ciphertext body)", markToHeader(genPEMKey(r, "RSA ", []byte{0x8f, 0x13}, "\n", "Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,"+randFrom(r, "0123456789ABCDEF", 32)))),
				c("EC key", mark(genPEMKey(r, "EC ", []byte{0x30, 0x77, 0x02, 0x01}, "\n"))),
				c("escaped in JSON", `{"private_key": "`+mark(genPEMKey(r, "", derSequence, `\n`))+`\n"}`),
			},
			noMatch: []idCase{
				c("body not DER", genPEMKey(r, "", []byte("hello"), "\n")),
				c("body not DER under other headers", genPEMKey(r, "RSA ", []byte{0x8f, 0x13}, "\n", "Comment: x")),
				c("public key", strings.Replace(genPEMKey(r, "", derSequence, "\n"), "PRIVATE", "PUBLIC", 2)),
				c("certificate", strings.Replace(genPEMKey(r, "", derSequence, "\n"), "PRIVATE KEY", "CERTIFICATE", 2)),
				c("header alone", "-----BEGIN PRIVATE KEY-----"),
				c("OpenSSH key", GenOpenSSHKey(r, "\n", true)),
			},
		}
	}

	// PUTTY_PRIVATE_KEY
	{
		all["PUTTY_PRIVATE_KEY"] = idCases{
			match: []idCase{
				c("version 2", "file:\n"+mark(genPuTTYKey(r, "\n", 6, 14, "6", "14"))+"\n"),
				c("CRLF", mark(genPuTTYKey(r, "\r\n", 2, 1, "2", "1"))+"\r\n"),
				c("version 3", mark(strings.Replace(genPuTTYKey(r, "\n", 2, 1, "2", "1"), "File-2", "File-3", 1))),
				c("escaped in JSON", `{"ppk": "`+mark(genPuTTYKey(r, `\n`, 2, 1, "2", "1"))+`"}`),
			},
			noMatch: []idCase{
				c("comment with spaces", strings.Replace(genPuTTYKey(r, "\n", 2, 1, "2", "1"), "rsa-key-20240101", "my key", 1)),
				c("fewer public lines than declared", genPuTTYKey(r, "\n", 1, 1, "2", "1")),
				c("more private lines than declared", genPuTTYKey(r, "\n", 2, 3, "2", "1")),
				c("headers out of order", strings.Replace(genPuTTYKey(r, "\n", 2, 1, "2", "1"), "Encryption: none\nComment: rsa-key-20240101", "Comment: rsa-key-20240101\nEncryption: none", 1)),
				c("custom header", strings.Replace(genPuTTYKey(r, "\n", 2, 1, "2", "1"), "Comment:", "Note: x\nComment:", 1)),
				c("first line alone", "PuTTY-User-Key-File-2: ssh-rsa"),
			},
		}
	}

	// STRIPE_CREDENTIALS
	{
		all["STRIPE_CREDENTIALS"] = idCases{
			match: []idCase{
				c("live secret key", "STRIPE_SECRET_KEY="+mark(genStripeKey(r, "sk_live_", 24))),
				c("test secret key, long", "Stripe.api_key = '"+mark(genStripeKey(r, "sk_test_", 99))+"'"),
				c("restricted key", mark(genStripeKey(r, "rk_live_", 24))),
				c("publishable key", `{"publishableKey":"`+mark(genStripeKey(r, "pk_live_", 34))+`"}`),
			},
			noMatch: []idCase{
				c("Stripe's sample secret key", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
				c("Stripe's sample publishable key", "key: pk_test_TYooMQauvdEDq54NiTphI7jx"),
				c("placeholder", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"),
				c("too short", genStripeKey(r, "sk_live_", 23)),
				c("unknown mode", genStripeKey(r, "sk_prod_", 24)),
				c("glued to a word", "my"+genStripeKey(r, "sk_live_", 24)),
			},
		}
	}

	// AWS_CREDENTIALS: both of AWS's documentation keys are ignored.
	all["AWS_CREDENTIALS"] = idCases{noMatch: []idCase{
		c("second AWS documentation example", "aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
	}}
}

// ibanLengths are the IBAN lengths of the ISO 13616 registry, to hold the
// catalogue's structures to.
var ibanLengths = map[string]int{
	"AL": 28, "AD": 24, "BA": 20, "BR": 29, "BG": 22, "CR": 22, "HR": 21, "CY": 28, "CZ": 24, "DK": 18,
	"DO": 28, "EG": 29, "EE": 20, "FO": 18, "FI": 18, "FR": 27, "GE": 22, "DE": 22, "GR": 27, "GL": 18,
	"HU": 28, "IS": 26, "IE": 22, "IT": 27, "JO": 30, "XK": 20, "LI": 21, "LT": 20, "MT": 31, "MR": 27,
	"MU": 30, "MC": 27, "ME": 22, "NL": 18, "MK": 19, "PL": 28, "PT": 25, "SM": 27, "SN": 28, "RS": 22,
	"SK": 24, "SI": 19, "ES": 24, "SE": 24, "CH": 21, "TL": 23, "TN": 24, "TR": 26, "GB": 22, "UA": 29,
	"AE": 23, "VG": 24,
}

// bbanAlphabets gives the characters of each class of bbanClasses.
var bbanAlphabets = map[string]string{bbanClasses['n']: "0123456789", bbanClasses['a']: upper, bbanClasses['c']: digitsUpper}

// bbanLength is the number of characters of an ISO 13616 structure.
func bbanLength(structure string) int {
	total := 0
	for _, f := range bbanFields(structure) {
		total += f.n
	}
	return total
}

// genBBAN returns random characters following an ISO 13616 structure.
func genBBAN(r *rand.Rand, structure string) string {
	var sb strings.Builder
	for _, f := range bbanFields(structure) {
		sb.WriteString(randFrom(r, bbanAlphabets[f.class], f.n))
	}
	return sb.String()
}

// genCountryIBAN returns a valid compact IBAN of the catalogue's country.
func genCountryIBAN(r *rand.Rand, country, structure string) string {
	return corpus.IBAN(country, fixNational(country, genBBAN(r, structure)))
}

// Domestic BBANs with their national check digits, computed here another
// way than the validators do.

// genFranceBBAN: the RIB key makes bank‖branch‖account‖key ≡ 0 (mod 97)
// with letters as their RIB digits.
func genFranceBBAN(r *rand.Rand) string {
	acct := randDigits(r, 6) + randFrom(r, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", 1) + randDigits(r, 4)
	body := randDigits(r, 10) + acct
	var digits strings.Builder
	for _, c := range body {
		if c >= 'A' {
			digits.WriteByte("123456789123456789234567890"[c-'A'])
		} else {
			digits.WriteRune(c)
		}
	}
	n, _ := new(big.Int).SetString(digits.String()+"00", 10)
	key := 97 - new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("%s%02d", body, key)
}

// genItalyBBAN: the CIN letter from the odd/even position tables.
func genItalyBBAN(r *rand.Rand) string {
	body := randDigits(r, 10) + randFrom(r, digitsUpper, 12)
	const odd = "BAFHJNPRTVCESULDGIMOQKWZYX" // value of A–Z (and 0–9 as A–J) at odd positions, as letters
	sum := 0
	for i, c := range body {
		v := int(c - '0')
		if c >= 'A' {
			v = int(c - 'A')
		}
		if i%2 == 0 {
			v = int(odd[v] - 'A')
		}
		sum += v
	}
	return string(rune('A'+sum%26)) + body
}

// genSpainBBAN: two mod-11 control digits.
func genSpainBBAN(r *rand.Rand) string {
	dc := func(d string) string {
		w := []int{1, 2, 4, 8, 5, 10, 9, 7, 3, 6}
		sum := 0
		for i, c := range d {
			sum += int(c-'0') * w[i]
		}
		return string("01987654321"[sum%11]) // 11 - sum%11, with 11 as 0 and 10 as 1
	}
	bank, acct := randDigits(r, 8), randDigits(r, 10)
	return bank + dc("00"+bank) + dc(acct) + acct
}

// domesticBBANs generate the BBANs of the five countries whose domestic
// form the catalogue reports, with their national check digits.
var domesticBBANs = map[string]func(*rand.Rand) string{
	"FR": genFranceBBAN, "IT": genItalyBBAN, "ES": genSpainBBAN,
	"DE": func(r *rand.Rand) string { return randDigits(r, 18) },
	"GB": func(r *rand.Rand) string { return randFrom(r, upper, 4) + randDigits(r, 14) },
}

// ibanOf returns the catalogue's ID and BBAN structure of a country.
func ibanOf(cc string) (id, bban string) {
	for _, row := range ibans {
		if row.country == cc {
			return row.id, row.bban
		}
	}
	return "", ""
}

// splitFields puts a space between the fields of an ISO 13616 structure
// ("30006 00001 12345678901 89").
func splitFields(v, structure string) string {
	var parts []string
	for _, f := range bbanFields(structure) {
		parts = append(parts, v[:f.n])
		v = v[f.n:]
	}
	return strings.Join(parts, " ")
}

// breakCheck changes the last character of v so a check digit fails (or
// for Italy, the CIN letter at the start).
func breakCheck(v string) string {
	if v[0] >= 'A' && v[0] <= 'Z' && len(v) == 23 && v[1] <= '9' {
		return string(rune('A'+(v[0]-'A'+1)%26)) + v[1:]
	}
	last := v[len(v)-1]
	return v[:len(v)-1] + string(rune('0'+(last-'0'+1)%10))
}

func ibanCases(r *rand.Rand, all map[string]idCases) {
	for _, row := range ibans {
		cc := row.country
		iban := genCountryIBAN(r, cc, row.bban)
		all[row.id] = idCases{
			match: []idCase{
				c("registry example", "IBAN: "+mark(row.example)),
				c("compact", "pay to "+mark(iban)+"."),
				c("groups of 4, spaces", "pay to "+mark(GroupBy(genCountryIBAN(r, cc, row.bban), 4, " "))+"."),
				c("groups of 4, hyphens", mark(GroupBy(genCountryIBAN(r, cc, row.bban), 4, "-"))),
				c("in CSV", "1,"+mark(genCountryIBAN(r, cc, row.bban))+",EUR"),
			},
			noMatch: []idCase{
				c("check digits wrong", "IBAN: "+breakCheckDigits(iban)),
				c("registry example broken", "IBAN: "+breakCheckDigits(row.example)),
				c("one character short", "IBAN: "+iban[:len(iban)-1]),
				c("one character long", "IBAN: "+iban+"7"),
				c("glued to letters", "IBAN:x"+iban),
				c("mixed separators", GroupBy(iban[:8], 4, " ")+"-"+GroupBy(iban[8:], 4, " ")),
				c("lower case", "iban "+strings.ToLower(iban)),
				c("two separators", GroupBy(iban, 4, "  ")),
			},
		}
	}

	// The five domestic BBANs, with a keyword.
	for cc, gen := range domesticBBANs {
		id, bban := ibanOf(cc)
		v := gen(r)
		kw := bbanKeywords[cc][r.IntN(len(bbanKeywords[cc]))]
		dm, dn := distanceCases("account number", v)
		cs := all[id]
		cs.match = append(cs.match, append([]idCase{
			c("BBAN compact", kw+": "+mark(v)),
			c("BBAN groups of 4", "BBAN "+mark(GroupBy(gen(r), 4, " "))),
			c("BBAN hyphens, keyword after", mark(GroupBy(gen(r), 4, "-"))+" (IBAN)"),
			c("BBAN column context", mark(gen(r)), "customer_account_number"),
			c("BBAN split between its fields", "bban "+mark(splitFields(gen(r), bban))),
			c("grouped IBAN with a keyword is one value", "IBAN "+mark(GroupBy(GenIBAN(r, cc), 4, " "))),
		}, dm...)...)
		cs.noMatch = append(cs.noMatch, append([]idCase{
			c("BBAN without keyword", "ref "+v),
			c("BBAN one character short", "bban "+v[:len(v)-1]),
			c("BBAN inside a longer number", "bban 1"+v),
			c("BBAN mixed separators", "bban "+GroupBy(v[:8], 4, " ")+"-"+GroupBy(v[8:], 4, " ")),
		}, unmarked(dn)...)...)
		if cc == "FR" || cc == "IT" || cc == "ES" {
			cs.noMatch = append(cs.noMatch, c("BBAN check digit wrong", "bban "+breakCheck(v)))
		}
		all[id] = cs
	}
	// The UK's sort code and account number.
	uk := all["UK_BANK_ACCOUNT_NUMBER"]
	uk.match = append(uk.match,
		c("Macie's sort code example", "account number "+mark("60-16-13 31926819")),
		c("sort code, no space", "Account number: "+mark("20-00-00"+randDigits(r, 8))),
		c("sort code without hyphens", "customer account number "+mark(randDigits(r, 6)+" "+randDigits(r, 8))),
	)
	uk.noMatch = append(uk.noMatch,
		c("sort code, no keyword", "ref 60-16-13 31926819"),
		c("sort code, 7-digit account", "account number 60-16-13 3192681"),
		c("sort code, account all zeros", "account number 00-00-00 00000000"),
		c("inside a longer grouped number", "account number 12-60-16-13 31926819"),
	)
	all["UK_BANK_ACCOUNT_NUMBER"] = uk
}

// genTrack1 and genTrack2 return magnetic stripe tracks for pan, expiring
// in month mm of 2027.
func genTrack1(r *rand.Rand, pan, mm string) string {
	return "%B" + pan + "^" + randFrom(r, upper, 6) + "/" + randFrom(r, upper, 4) + "^27" + mm + "101" + randDigits(r, 12) + "?"
}

func genTrack2(r *rand.Rand, pan, mm string) string {
	return ";" + pan + "=27" + mm + "101" + randDigits(r, 10) + "?"
}

func financialCases(r *rand.Rand, all map[string]idCases) {
	// BANK_ACCOUNT_NUMBER
	{
		v := randDigits(r, 12)
		dm, dn := distanceCases("bank account", v)
		all["BANK_ACCOUNT_NUMBER"] = idCases{
			match: append([]idCase{
				c("checking account", "Checking account: "+mark(v)),
				c("9 digits", "savings acct # "+mark(randDigits(r, 9))),
				c("17 digits", "deposit account "+mark(randDigits(r, 17))),
				c("keyword variant with underscore", "bank_account="+mark(randDigits(r, 10))),
				c("column context", mark(randDigits(r, 11)), "Bank Account"),
			}, dm...),
			noMatch: append([]idCase{
				c("8 digits", "bank account 12345678"),
				c("18 digits", "bank account "+randDigits(r, 18)),
				c("spaces inside", "bank account "+GroupBy(v, 4, " ")),
				c("no keyword", "order "+v),
				c("all zeros", "bank account 000000000000"),
				c("glued to letters", "bank account x"+v),
			}, unmarked(dn)...),
		}
	}

	// CREDIT_CARD_EXPIRATION
	{
		dm, dn := distanceCases("expiry", "02/27")
		all["CREDIT_CARD_EXPIRATION"] = idCases{
			match: append([]idCase{
				c("MM/YY", "Expiry: "+mark("02/26")),
				c("MM/YYYY", "expiration date "+mark("11/2029")),
				c("M-YY", "expiry "+mark("3-28")),
				c("month name and year (the year is reported)", "Expiration: Feb "+mark("2026")),
				c("full month name", "expiry September "+mark("2027")),
				c("abbreviation with a dot", "expiry Sept."+mark("2027")),
				c("YYYY-MM", "expiry "+mark("2027-04")),
				c("fields (reported whole)", "card "+mark("expY=2026")+", "+mark("expM=02")),
				c("fields, quoted", `{"`+mark(`exp_month": 7`)+`, "`+mark(`exp_year": 2030`)+`}`),
				c("column context", mark("08/28"), "card_expiry"),
			}, dm...),
			noMatch: append([]idCase{
				c("no keyword", "valid thru 02/26"),
				c("month 13", "expiry 13/26"),
				c("month 00", "expiry 00/26"),
				c("full date", "expiration 14/02/2026"),
				c("ISO date", "expiry 2026-02-14"),
				c("lone year, not a field", "expiry in 2026"),
				c("not a month name", "expiry Fob 2026"),
				c("month name inside a word", "expiry Decemberist 2026"),
				c("three-digit number by a month name", "expiry Feb 202"),
				c("field value out of range", "expM=13"),
				c("two-digit year by a month name (not covered)", "expiry 26-Feb, Feb 26"),
				c("exp alone is not a keyword", "exp: 02/26"),
			}, unmarked(dn)...),
		}
	}

	// CREDIT_CARD_MAGNETIC_STRIPE
	{
		pan := GenCard(r, "4", 16)
		t2 := genTrack2(r, pan, "05")
		dm, dn := distanceCases("swipe", t2)
		all["CREDIT_CARD_MAGNETIC_STRIPE"] = idCases{
			match: append([]idCase{
				c("track 1", "mag: "+mark(genTrack1(r, GenCard(r, "51", 16), "12"))),
				c("track 2", "swipe data "+mark(t2)),
				c("both tracks, keyword between", mark(genTrack1(r, pan, "05"))+"\nmag\n"+mark(genTrack2(r, pan, "05"))),
				c("track 2 without sentinels", "card data: "+mark(pan+"=2705101"+randDigits(r, 8))),
				c("Amex track 1", "ISO7813 "+mark(genTrack1(r, GenCard(r, "37", 15), "01"))),
			}, dm...),
			noMatch: append([]idCase{
				c("PAN fails Luhn", "swipe "+genTrack2(r, corpus.BadLuhn(pan), "05")),
				c("unknown brand", "swipe "+genTrack2(r, GenCard(r, "9", 16), "05")),
				c("month 13", "swipe "+genTrack2(r, pan, "13")),
				c("no keyword", "data "+t2),
				c("track 1 without the name field", "mag %B"+pan+"^2705101?"),
			}, unmarked(dn)...),
		}
	}

	// CREDIT_CARD_SECURITY_CODE
	{
		dm, dn := distanceCases("cvv", "123")
		all["CREDIT_CARD_SECURITY_CODE"] = idCases{
			match: append([]idCase{
				c("CVV", "CVV: "+mark(randDigits(r, 3))),
				c("CID 4 digits", "card identification number "+mark(randDigits(r, 4))),
				c("CVC2", "cvc2="+mark(randDigits(r, 3))),
				c("keyword after", mark(randDigits(r, 3))+" (security code on the back, cvv)"),
				c("column context", mark(randDigits(r, 3)), "cvv"),
			}, dm...),
			noMatch: append([]idCase{
				c("2 digits", "cvv 12"),
				c("5 digits", "cvv 12345"),
				c("no keyword", "room 123"),
				c("group of a card number", "card id 4539 1488 0343 6467"),
				c("time", "cvv checked at 12:30"),
			}, unmarked(dn)...),
		}
	}
}

// plantCredentialFinancial returns a value of one of this file's
// identifiers for the generated corpora: valid or broken, with or without
// its keyword.
func plantCredentialFinancial(r *rand.Rand) string {
	switch r.IntN(16) {
	case 8, 9:
		// Several at once: there are 52 countries to cover.
		var list []string
		for range 8 {
			row := ibans[r.IntN(len(ibans))]
			v := genCountryIBAN(r, row.country, row.bban)
			if r.IntN(4) == 0 {
				v = breakCheckDigits(v)
			}
			if r.IntN(2) == 0 {
				v = GroupBy(v, 4, []string{" ", "-"}[r.IntN(2)])
			}
			list = append(list, v)
		}
		return []string{"IBAN ", "pay to ", ""}[r.IntN(3)] + strings.Join(list, []string{", ", "; ", " or "}[r.IntN(3)])
	case 10:
		cc := []string{"FR", "DE", "IT", "ES", "GB"}[r.IntN(5)]
		v := domesticBBANs[cc](r)
		if r.IntN(4) == 0 {
			v = breakCheck(v)
		}
		return []string{"bban ", "account number: ", "ref "}[r.IntN(3)] + v
	case 12:
		return []string{"bank account ", "checking acct: ", "order "}[r.IntN(3)] + randDigits(r, 7+r.IntN(12))
	case 13:
		return []string{"expiry ", "Expiration: ", "valid thru "}[r.IntN(3)] +
			[]string{"02/26", "11/2029", "Feb 2026", "26-Feb", "2026-02-14", "13/26"}[r.IntN(6)]
	case 14:
		pan := GenAnyCard(r)
		if r.IntN(4) == 0 {
			pan = corpus.BadLuhn(pan)
		}
		return []string{"swipe ", "magstripe: ", "track "}[r.IntN(3)] + []func(*rand.Rand, string, string) string{genTrack1, genTrack2}[r.IntN(2)](r, pan, "0"+strconv.Itoa(1+r.IntN(9)))
	case 15:
		return []string{"CVV: ", "cvc2 ", "code "}[r.IntN(3)] + randDigits(r, 2+r.IntN(4))
	case 11:
		return []string{"account number ", "sort code "}[r.IntN(2)] + randDigits(r, 2) + "-" + randDigits(r, 2) + "-" + randDigits(r, 2) + " " + randDigits(r, 8)
	case 0:
		kw := []string{"GCP api key", "X-goog-api-key", "GOOGLEKEY", "token"}[r.IntN(4)]
		return kw + ": " + genGCPKey(r)
	case 1:
		return []string{"Authorization", "Proxy-Authorization", "authorization"}[r.IntN(3)] + ": " +
			[]string{"Basic ", "Bearer ", "basic "}[r.IntN(3)] + genBasicAuth(r)
	case 2:
		first := [][]byte{{0x95, 0x03}, {0xc5, 0xc1}, {0x99, 0x01}}[r.IntN(3)]
		return genPGPKey(r, first, []string{"\n", `\n`, "\r\n"}[r.IntN(3)])
	case 3:
		first := [][]byte{derSequence, {0x04, 0x20}}[r.IntN(2)]
		return genPEMKey(r, []string{"", "RSA ", "EC ", "ENCRYPTED "}[r.IntN(4)], first, []string{"\n", `\n`}[r.IntN(2)])
	case 4:
		pub, priv := 1+r.IntN(3), 1+r.IntN(3)
		return genPuTTYKey(r, []string{"\n", `\n`, "\r\n"}[r.IntN(3)], pub, priv, "2", "2")
	case 5:
		return "key=" + genStripeKey(r, []string{"sk_live_", "pk_test_", "rk_live_", "sk_test_"}[r.IntN(4)], 24+r.IntN(80))
	}
	return "stripe sk_test_4eC39HqLyjWDarjtT1zdp7dc"
}

// TestIBANTable holds the catalogue's IBAN structures to the registry's
// lengths and examples.
func TestIBANTable(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, row := range ibans {
		if seen[row.country] || seen[row.id] {
			t.Errorf("%s: listed twice", row.id)
		}
		seen[row.country], seen[row.id] = true, true
		if want := ibanLengths[row.country]; 4+bbanLength(row.bban) != want || len(row.example) != want {
			t.Errorf("%s: structure %s gives %d characters, example %d, registry %d", row.id, row.bban, 4+bbanLength(row.bban), len(row.example), want)
		}
		if !strings.HasPrefix(row.example, row.country) || !validate(validIBAN, row.example) {
			t.Errorf("%s: the registry example does not pass", row.id)
		}
		if !regexp.MustCompile(`^` + ibanPattern(row.country, row.bban) + `$`).MatchString(row.example) {
			t.Errorf("%s: the pattern does not take the registry example", row.id)
		}
	}
	if len(ibans) != 52 || len(ibanLengths) != 52 {
		t.Errorf("%d IBAN countries in the catalogue, %d in the registry table; Macie names 52", len(ibans), len(ibanLengths))
	}
}
