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
	"PHONE_NUMBER": {
		Match:   []string{"phone: (555) 234-5678", "+1 555 234 5678"},
		NoMatch: []string{"555 234 5678 (no keyword, no country code)"},
	},
}

// ExamplesOf returns the examples of a managed identifier (none if it has
// no entry).
func ExamplesOf(id string) Examples {
	if ex, ok := examples[id]; ok {
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
