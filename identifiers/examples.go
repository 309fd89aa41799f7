package identifiers

import (
	"hash/crc32"
	"strings"
)

// Examples are texts that show what a managed identifier reports (Match)
// and what it leaves alone (NoMatch), for `trawl identifiers show`. They are
// published samples (the IBAN registry's, RFC 7617's, Macie's) or obviously
// synthetic values; none belongs to anyone. TestExamples holds them to the
// Engine.
type Examples struct{ Match, NoMatch []string }

// withLuhn appends the digit that makes the digits of s pass Luhn.
func withLuhn(s string) string {
	for d := byte('0'); d <= '9'; d++ {
		if luhn(digitsOf([]byte(s + string(d)))) {
			return s + string(d)
		}
	}
	return s
}

// breakCheckDigits changes an IBAN's check digits so mod-97 fails.
func breakCheckDigits(iban string) string {
	d := []byte(iban)
	d[3] = '0' + (d[3]-'0'+1)%10
	return string(d)
}

// withGitHubChecksum appends to a GitHub token's prefix and thirty
// characters the six-character base62 CRC32 that makes it well-formed.
func withGitHubChecksum(tok string) string {
	sum := crc32.ChecksumIEEE([]byte(tok[4:]))
	var enc [6]byte
	for i := 5; i >= 0; i-- {
		enc[i] = base62Digits[sum%62]
		sum /= 62
	}
	return tok + string(enc[:])
}

const (
	exampleOpenSSH = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----"
	examplePGP     = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlFgEZQAAABYJKwYBBAHaRw8BAQdAexampleexampleexample\n=AbCd\n-----END PGP PRIVATE KEY BLOCK-----"
	examplePKCS    = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQexample\n-----END PRIVATE KEY-----"
	examplePuTTY   = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ed25519-key-20240101\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExample\nExampleExample\nPrivate-Lines: 1\nAAAAIExampleExampleExampleExampleExampleExampleExam\nPrivate-MAC: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

// examples are the hand-written ones; ExamplesOf adds the IBANs.
var examples = map[string]Examples{
	"AWS_CREDENTIALS": {
		Match:   []string{"aws_secret_access_key = Xk3/pQ9rT2vW8yZ1aB4cD6eF0gH5iJ7kL2mN8oP9"},
		NoMatch: []string{"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "token = Xk3/pQ9rT2vW8yZ1aB4cD6eF0gH5iJ7kL2mN8oP9"},
	},
	"GCP_API_KEY": {
		Match:   []string{"X-goog-api-key: AIzaSyExample0Example1Example2Example3x"},
		NoMatch: []string{"token: AIzaSyExample0Example1Example2Example3x", "X-goog-api-key: AIzaSyTooShort"},
	},
	"HTTP_BASIC_AUTH_HEADER": {
		Match:   []string{"Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Proxy-Authorization: Basic dGVzdDoxMjPCow=="},
		NoMatch: []string{"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Authorization: Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ=="},
	},
	"JSON_WEB_TOKEN": {
		Match:   []string{"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLWV4YW1wbGU"},
		NoMatch: []string{"eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln (header without alg)"},
	},
	"OPENSSH_PRIVATE_KEY": {
		Match:   []string{exampleOpenSSH},
		NoMatch: []string{"-----BEGIN OPENSSH PRIVATE KEY-----"},
	},
	"PGP_PRIVATE_KEY": {
		Match:   []string{examplePGP},
		NoMatch: []string{strings.ReplaceAll(examplePGP, "PRIVATE", "PUBLIC"), "-----BEGIN PGP PRIVATE KEY BLOCK-----"},
	},
	"PKCS": {
		Match:   []string{examplePKCS, strings.ReplaceAll(examplePKCS, "PRIVATE", "RSA PRIVATE")},
		NoMatch: []string{strings.ReplaceAll(examplePKCS, "PRIVATE KEY", "CERTIFICATE")},
	},
	"PUTTY_PRIVATE_KEY": {
		Match:   []string{examplePuTTY},
		NoMatch: []string{strings.Replace(examplePuTTY, "Public-Lines: 2", "Public-Lines: 3", 1)},
	},
	"STRIPE_CREDENTIALS": {
		Match:   []string{"sk_live_51Hx8ExAmPlE0kEy1nOtReAl2q"},
		NoMatch: []string{"sk_test_4eC39HqLyjWDarjtT1zdp7dc (Stripe's documentation key)", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"},
	},
	"BANK_ACCOUNT_NUMBER": {
		Match:   []string{"Checking account: 123456789012"},
		NoMatch: []string{"order 123456789012", "checking account 12345678"},
	},
	"CREDIT_CARD_NUMBER": {
		Match:   []string{"Visa card: " + withLuhn("4000 1234 5678 901")},
		NoMatch: []string{"card: 4111 1111 1111 1111 (an issuer's test number)", "order " + withLuhn("400012345678901")},
	},
	"CREDIT_CARD_NUMBER_(NO_KEYWORD)": {
		Match:   []string{"order " + withLuhn("400012345678901")},
		NoMatch: []string{"Visa card: " + withLuhn("4000 1234 5678 901")},
	},
	"CREDIT_CARD_EXPIRATION": {
		Match:   []string{"expiry 02/26", "Expiration: Feb 2026", "expY=2026, expM=02"},
		NoMatch: []string{"valid thru 02/26", "expiry 2026-02-14"},
	},
	"CREDIT_CARD_MAGNETIC_STRIPE": {
		Match:   []string{"swipe ;" + withLuhn("400012345678901") + "=27051010000000000?"},
		NoMatch: []string{"swipe ;" + withLuhn("400012345678901") + "=27131010000000000? (month 13)", ";" + withLuhn("400012345678901") + "=27051010000000000? (no keyword)"},
	},
	"CREDIT_CARD_SECURITY_CODE": {
		Match:   []string{"CVV: 123", "card identification number 4321"},
		NoMatch: []string{"room 123", "cvv 12"},
	},
	"USA_SOCIAL_SECURITY_NUMBER": {
		Match:   []string{"SSN: 123-45-6789"},
		NoMatch: []string{"SSN: 666-45-6789", "number 123-45-6789"},
	},
	"NAME": {
		Match:   []string{"Dear Maria Garcia,", "signed: John A. Smith", "Jean-Pierre Dupont"},
		NoMatch: []string{"New York", "Will Power (an ambiguous given name needs a known surname)", "john smith (lower case)"},
	},
	"ADDRESS": {
		Match:   []string{"10 Downing Street, London SW1A 2AA", "Springfield, IL 62701", "Platz der Republik 1, 11011 Berlin"},
		NoMatch: []string{"Main Street (no postal code)", "Washington, DC 90210 (a California ZIP)", "order 12345 Springfield (no street, unknown city)"},
	},
	"TRAWL_GITHUB_TOKEN": {
		Match: []string{
			"GITHUB_TOKEN=" + withGitHubChecksum("ghp_Example0Token1Not2Real3Value4x"),
			"token: github_pat_11EXAMPLE0123456789abc_ExampleExampleExampleExampleExampleExampleExampleExample000",
		},
		NoMatch: []string{"ghp_abcdefghijklmnopqrstuvwxyzABCD012345 (checksum fails)", "ghx_Example0Token1Not2Real3Value4xAAAAAA (no such prefix)"},
	},
	"TRAWL_SLACK_TOKEN": {
		Match:   []string{"SLACK_BOT_TOKEN=xoxb-12345678901-1234567890123-Example0Token1Not2Real34"},
		NoMatch: []string{"xoxb-000000000000-000000000000-XXXXXXXXXXXXXXXXXXXXXXXX (placeholder)", "xoxb-Example0Token1Not2Real3 (no team and user IDs)"},
	},
	"TRAWL_AWS_ACCESS_KEY_ID": {
		Match:   []string{"aws_access_key_id = AKIA2T5EXAMPLE4KEYID", "ASIA3QZX7MBWN2RTKL64"},
		NoMatch: []string{"AKIAIOSFODNN7EXAMPLE (AWS's documentation key ID)", "ASIAPACIFICREGIONALS (no digit)"},
	},
	"TRAWL_PASSWORD_ASSIGNMENT": {
		Match:   []string{`password = "Tr0ub4dor&3"`, "DB_PASSWORD=hunter2x9Q"},
		NoMatch: []string{`password = "${DB_PASSWORD}" (a template)`, "PWD=/home/user (a path)", "password = request.form['password'] (code)"},
	},
	"DATE_OF_BIRTH": {
		Match:   []string{"DOB: 07/04/1985", "Date of birth: March 21, 1970", "born 17 June 1970 (dob)", "dob=21-Mar-1970"},
		NoMatch: []string{"shipped March 21, 1970 (no keyword)", "DOB 31 February 1970 (no such day)", "DOB 21th March 1970 (wrong suffix)"},
	},
	"PHONE_NUMBER": {
		Match:   []string{"phone: (555) 234-5678", "+1 555 234 5678"},
		NoMatch: []string{"555 234 5678 (no keyword, no country code)"},
	},
}

// publishedValues are sample values that issuing authorities, specimen
// documents or their specifications publish (the same the validators'
// tests use); ExamplesOf builds an identifier's examples from its value:
// the value by its first keyword, and, not reported, the value with its
// last character changed (a check that fails) and the value with no
// keyword near.
var publishedValues = map[string]string{
	"BRAZIL_CPF_NUMBER":                              "390.533.447-05",
	"BRAZIL_CNPJ_NUMBER":                             "16.727.230/0001-97",
	"AUSTRALIA_TAX_FILE_NUMBER":                      "123 456 782",
	"SPAIN_DNI_NUMBER":                               "54362315K",
	"SPAIN_NIE_NUMBER":                               "X2482300W",
	"SPAIN_NIF_NUMBER":                               "M1234567L",
	"FRANCE_NATIONAL_IDENTIFICATION_NUMBER":          "2 95 10 99 126 111 93",
	"FRANCE_TAX_IDENTIFICATION_NUMBER":               "3023217600053",
	"GERMANY_TAX_IDENTIFICATION_NUMBER":              "36 574 261 809",
	"ITALY_NATIONAL_IDENTIFICATION_NUMBER":           "RSSMRA85T10A562S",
	"GERMANY_NATIONAL_IDENTIFICATION_NUMBER":         "T220001293",
	"UK_DRIVERS_LICENSE":                             "MORGA753116SM9IJ",
	"CANADA_SOCIAL_INSURANCE_NUMBER":                 "130 692 544",
	"UK_NATIONAL_INSURANCE_NUMBER":                   "AB 12 34 56 C",
	"INDIA_AADHAAR_NUMBER":                           "2341 2341 2346",
	"CHILE_RUT_NUMBER":                               "76.086.428-5",
	"ARGENTINA_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER": "20-05536168-2",
	"MEXICO_CURP_NUMBER":                             "BOXW310820HNERXN09",
	"UK_NHS_NUMBER":                                  "943 476 5919",
	"US_DRUG_ENFORCEMENT_AGENCY_NUMBER":              "AB1234563",
	"USA_NATIONAL_PROVIDER_IDENTIFIER":               "1234567893",
	"VEHICLE_IDENTIFICATION_NUMBER":                  "1M8GDM9AXKP042788",
	"MEXICO_INDIVIDUAL_RFC_NUMBER":                   "GODE561231GR8",
	"USA_HEALTH_INSURANCE_CLAIM_NUMBER":              "123-45-6789A",
	"FINLAND_DRIVERS_LICENSE":                        "010594Y9032",
	"SWEDEN_DRIVERS_LICENSE":                         "19880320-0016",
	"SPAIN_DRIVERS_LICENSE":                          "54362315K",
}

// publishedBad are values of the identifiers whose last character no
// check covers, made wrong elsewhere, with why.
var publishedBad = map[string]string{
	"UK_DRIVERS_LICENSE":                "SM9TH753116SM9IJ (a digit in the surname)",
	"UK_NATIONAL_INSURANCE_NUMBER":      "GB 12 34 56 C (prefix never issued)",
	"MEXICO_INDIVIDUAL_RFC_NUMBER":      "GODE561331GR8 (month 13)",
	"USA_HEALTH_INSURANCE_CLAIM_NUMBER": "666-45-6789A (area 666)",
}

// publishedExamples builds the examples of an identifier from its
// published value, or reports false.
func publishedExamples(id string) (Examples, bool) {
	v, ok := publishedValues[id]
	if !ok {
		return Examples{}, false
	}
	kw, keyed := "", false
	for _, m := range catalogue {
		if m.ID == id {
			if m.Keyword == KeywordRequired {
				kw, keyed = m.Keywords[0]+": ", true
			}
			break
		}
	}
	last := v[len(v)-1]
	switch {
	case last >= '0' && last <= '9':
		last = '0' + (last-'0'+1)%10
	default:
		last = 'A' + (last|0x20-'a'+1)%26
	}
	bad := v[:len(v)-1] + string(last) + " (check fails)"
	if b, ok := publishedBad[id]; ok {
		bad = b
	}
	ex := Examples{Match: []string{kw + v}, NoMatch: []string{kw + bad}}
	if keyed {
		ex.NoMatch = append(ex.NoMatch, "ref "+v+" (no keyword)")
	}
	return ex, true
}

// ExamplesOf returns the examples of a managed identifier (none if it has
// no entry).
func ExamplesOf(id string) Examples {
	if ex, ok := examples[id]; ok {
		return ex
	}
	if ex, ok := publishedExamples(id); ok {
		return ex
	}
	for _, c := range ibans {
		if c.id == id {
			ex := Examples{
				Match:   []string{"IBAN " + c.example},
				NoMatch: []string{"IBAN " + breakCheckDigits(c.example) + " (check digits wrong)"},
			}
			if _, ok := bbanKeywords[c.country]; ok {
				ex.Match = append(ex.Match, "account number "+c.example[4:])
				ex.NoMatch = append(ex.NoMatch, c.example[4:]+" (domestic form without a keyword)")
			}
			return ex
		}
	}
	return Examples{}
}
