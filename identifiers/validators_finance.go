package identifiers

import (
	"bytes"
	"encoding/base64"
	"unicode/utf8"
)

// Validators of the CREDENTIALS and FINANCIAL_INFORMATION entries of
// catalogue_finance.go. Like those in validators.go, each takes the whole
// segment and the match's span.

// isKeyTokenChar is a character of a base64url-style token (API keys).
func isKeyTokenChar(c byte) bool { return isAlnum(c) || c == '_' || c == '-' }

// standsAlone reports whether text[s:e] has no character of the token's
// alphabet on either side.
func standsAlone(text []byte, s, e int, in func(byte) bool) bool {
	return (s == 0 || !in(text[s-1])) && (e == len(text) || !in(text[e]))
}

// validGCPKey checks that a Google API key candidate stands alone: the
// pattern fixes its "AIza" prefix and 39 characters.
func validGCPKey(text []byte, s, e int) bool {
	return standsAlone(text, s, e, isKeyTokenChar)
}

// stripeDocKeys are the sample keys of Stripe's documentation, which Macie
// ignores.
var stripeDocKeys = map[string]bool{
	"sk_test_4eC39HqLyjWDarjtT1zdp7dc": true,
	"pk_test_TYooMQauvdEDq54NiTphI7jx": true,
}

// validStripeKey rejects Stripe's documentation keys and placeholders: a
// random key of 24 or more base62 characters uses many distinct ones,
// "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx" does not.
func validStripeKey(text []byte, s, e int) bool {
	v := text[s:e]
	if stripeDocKeys[string(v)] || !standsAlone(text, s, e, isKeyTokenChar) {
		return false
	}
	secret := v[bytes.LastIndexByte(v, '_')+1:]
	var seen [256]bool
	distinct := 0
	for _, c := range secret {
		if !seen[c] {
			seen[c] = true
			distinct++
		}
	}
	return distinct >= 10
}

// validBasicAuth checks an Authorization or Proxy-Authorization header with
// the Basic scheme (RFC 7617): the header name starts a word, and the
// credentials decode from base64 to printable UTF-8 "user-id:password".
func validBasicAuth(text []byte, s, e int) bool {
	if s > 0 && (isAlnum(text[s-1]) || text[s-1] == '-' || text[s-1] == '_') {
		return false
	}
	if e < len(text) && (isAlnum(text[e]) || text[e] == '+' || text[e] == '/' || text[e] == '=') {
		return false
	}
	v := text[s:e]
	token := v[bytes.LastIndexAny(v, " \t")+1:]
	raw, err := base64.RawStdEncoding.DecodeString(string(bytes.TrimRight(token, "=")))
	if err != nil || !utf8.Valid(raw) || bytes.IndexByte(raw, ':') < 0 || len(raw) < 2 {
		return false
	}
	for _, c := range raw {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// pemBody returns what follows a PEM or OpenPGP armor header line in v:
// the base64 body after any "Name: value" header lines, newlines (real or
// escaped as \n, \r in a JSON string) and blank lines skipped.
func pemBody(v []byte, header string) []byte {
	body := v[len(header):]
	for {
		body = trimNewlines(body)
		line := body
		if i := bytes.IndexAny(line, "\r\n\\"); i >= 0 {
			line = line[:i]
		}
		if !bytes.Contains(line, []byte(": ")) {
			return body
		}
		body = body[len(line):]
	}
}

// trimNewlines drops leading white space and escaped \n or \r.
func trimNewlines(b []byte) []byte {
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		if !bytes.HasPrefix(b, []byte(`\n`)) && !bytes.HasPrefix(b, []byte(`\r`)) {
			return b
		}
		b = b[2:]
	}
}

// firstBytes decodes the first three bytes of a base64 body.
func firstBytes(body []byte) ([]byte, bool) {
	if len(body) < 4 {
		return nil, false
	}
	raw, err := base64.StdEncoding.DecodeString(string(body[:4]))
	return raw, err == nil
}

const pgpHeader = "-----BEGIN PGP PRIVATE KEY BLOCK-----"

// validPGPKey checks that the armored body begins with an OpenPGP
// Secret-Key packet (tag 5, RFC 9580 §5.5.1.3), in the old or the new
// packet format, so a header followed by anything else is not a key.
func validPGPKey(text []byte, s, e int) bool {
	raw, ok := firstBytes(pemBody(text[s:e], pgpHeader))
	if !ok {
		return false
	}
	b := raw[0]
	switch {
	case b&0xC0 == 0xC0: // new format: tag in the low six bits
		return b&0x3F == 5
	case b&0x80 != 0: // old format: tag in bits 5–2
		return (b>>2)&0x0F == 5
	}
	return false
}

// validPKCSKey checks that the PEM body begins with a DER SEQUENCE, as
// PKCS #1, PKCS #8 and SEC 1 private keys all do, or, for a key encrypted
// the legacy OpenSSL way (Proc-Type and DEK-Info headers), that it is
// base64.
func validPKCSKey(text []byte, s, e int) bool {
	v := text[s:e]
	end := bytes.Index(v, []byte("KEY-----"))
	if end < 0 {
		return false
	}
	header := v[:end+len("KEY-----")]
	body := pemBody(v, string(header))
	raw, ok := firstBytes(body)
	if !ok {
		return false
	}
	// A legacy encrypted key's body is ciphertext: only its headers say
	// what it is.
	if bytes.Contains(v[len(header):len(v)-len(body)], []byte("Proc-Type: 4,ENCRYPTED")) {
		return true
	}
	return raw[0] == 0x30
}

// validPuTTYKey checks that a PuTTY key file has as many base64 lines after
// Public-Lines and Private-Lines as those headers say.
func validPuTTYKey(text []byte, s, e int) bool {
	lines := splitKeyLines(text[s:e])
	for i := 0; i < len(lines); i++ {
		var n int
		switch {
		case bytes.HasPrefix(lines[i], []byte("Public-Lines: ")):
			n = atoiBytes(lines[i][len("Public-Lines: "):])
		case bytes.HasPrefix(lines[i], []byte("Private-Lines: ")):
			n = atoiBytes(lines[i][len("Private-Lines: "):])
		default:
			continue
		}
		if n <= 0 || i+n >= len(lines) {
			return false
		}
		for _, l := range lines[i+1 : i+1+n] {
			if bytes.Contains(l, []byte(": ")) {
				return false
			}
		}
		if next := lines[i+1+n]; !bytes.Contains(next, []byte(": ")) {
			return false
		}
		i += n
	}
	return true
}

// splitKeyLines splits at real or escaped newlines, dropping empty lines.
func splitKeyLines(v []byte) [][]byte {
	v = bytes.ReplaceAll(v, []byte(`\r`), nil)
	v = bytes.ReplaceAll(v, []byte(`\n`), []byte("\n"))
	v = bytes.ReplaceAll(v, []byte("\r"), nil)
	var out [][]byte
	for _, l := range bytes.Split(v, []byte("\n")) {
		if len(l) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// atoiBytes parses a short run of digits; anything else gives -1.
func atoiBytes(b []byte) int {
	if len(b) == 0 || len(b) > 6 {
		return -1
	}
	n := 0
	for _, c := range b {
		if c-'0' > 9 {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}
