package identifiers

import (
	"bytes"
	"hash/crc32"
	"math"
)

// Validators of the TRAWL_ secrets (catalogue_secrets.go).

// base62Digits is the alphabet of GitHub's token checksums.
const base62Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62Value returns the number that s spells in base62Digits, or false
// when a byte is outside them.
func base62Value(s []byte) (uint64, bool) {
	var n uint64
	for _, c := range s {
		k := bytes.IndexByte([]byte(base62Digits), c)
		if k < 0 {
			return 0, false
		}
		n = n*62 + uint64(k)
	}
	return n, true
}

// validGitHubToken checks a ghp_/gho_/ghu_/ghs_/ghr_ token: it stands
// alone, and its last six characters are the CRC32 (IEEE) of the thirty
// before them, in base62.
func validGitHubToken(text []byte, s, e int) bool {
	if !standsAlone(text, s, e, isKeyTokenChar) {
		return false
	}
	v := text[s:e]
	body, sum := v[4:34], v[34:]
	n, ok := base62Value(sum)
	return ok && n == uint64(crc32.ChecksumIEEE(body))
}

// validKeyToken checks that a token stands alone, not a piece of a longer
// run of token characters.
func validKeyToken(text []byte, s, e int) bool {
	return standsAlone(text, s, e, isKeyTokenChar)
}

// validSlackToken checks that a Slack token stands alone and that its
// secret, after the last hyphen, is not one character repeated (a
// placeholder such as xoxb-0000-0000-XXXXXXXXXXXXXXXXXXXXXXXX).
func validSlackToken(text []byte, s, e int) bool {
	if !standsAlone(text, s, e, isKeyTokenChar) {
		return false
	}
	v := text[s:e]
	secret := v[bytes.LastIndexByte(v, '-')+1:]
	return distinctBytes(secret) > 1
}

// validAWSKeyID checks an AWS access key ID: it stands alone, is not one of
// AWS's documentation IDs (AKIAIOSFODNN7EXAMPLE and its kind), and holds a
// digit, which an all-capitals word of twenty letters ("ASIAPACIFIC...")
// does not.
func validAWSKeyID(text []byte, s, e int) bool {
	v := text[s:e]
	return standsAlone(text, s, e, isAlnum) && !bytes.HasSuffix(v, []byte("EXAMPLE")) &&
		bytes.ContainsAny(v[4:], "0123456789")
}

// placeholderWords in a password's value mark it as documentation,
// a template or a variable, not a password.
var placeholderWords = [][]byte{
	[]byte("${"), []byte("{{"), []byte("%("), []byte("%s"), []byte("***"), []byte("xxx"), []byte("..."),
	[]byte("example"), []byte("placeholder"), []byte("changeme"), []byte("change_me"), []byte("your"),
	[]byte("redacted"), []byte("dummy"), []byte("password"), []byte("passwd"), []byte("secret"),
	[]byte("null"), []byte("none"), []byte("undefined"), []byte("required"), []byte("optional"),
	[]byte("string"), []byte("environ"), []byte("getenv"), []byte("process.env"),
}

// validPasswordAssignment checks a password assignment: the name starts a
// word (or follows an underscore, dot or hyphen: db_password), and the
// value is a password: no placeholder or template, not a variable, path or
// code, with six or more distinct characters and 2.3 bits of entropy or
// more per character. An unquoted value needs a letter and a digit or
// symbol.
func validPasswordAssignment(text []byte, s, e int) bool {
	if s > 0 && isAlnum(text[s-1]) {
		return false
	}
	v := text[s:e]
	k := bytes.IndexAny(v, ":=")
	val := bytes.TrimLeft(v[k+1:], "= \t")
	quoted := val[0] == '"' || val[0] == '\''
	if quoted {
		val = val[1 : len(val)-1]
	} else if e < len(text) && !isSpace(text[e]) && text[e] != '"' && text[e] != '\'' && text[e] != '<' {
		return false // longer than 128 bytes: not a password
	}
	lower := bytes.ToLower(val)
	for _, w := range placeholderWords {
		if bytes.Contains(lower, w) {
			return false
		}
	}
	if c := val[0]; c == '$' || c == '%' || c == '@' || c == '/' || c == '~' || c == '<' {
		return false
	}
	if !quoted {
		if bytes.ContainsAny(val, "()[]{},;/\\") || dottedName(val) {
			return false
		}
		var letter, other bool
		for _, c := range val {
			letter = letter || isLetterASCII(c)
			other = other || !isLetterASCII(c) && c != '_'
		}
		if !letter || !other {
			return false
		}
	}
	return distinctBytes(val) >= 6 && entropy(val) >= 2.3
}

// dottedName reports whether v is a dotted name of code (config.db.pass).
func dottedName(v []byte) bool {
	dot := false
	for _, c := range v {
		switch {
		case c == '.':
			dot = true
		case !isAlnum(c) && c != '_':
			return false
		}
	}
	return dot
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// distinctBytes counts the distinct bytes of v.
func distinctBytes(v []byte) int {
	var seen [256]bool
	n := 0
	for _, c := range v {
		if !seen[c] {
			seen[c] = true
			n++
		}
	}
	return n
}

// entropy is v's Shannon entropy in bits per byte.
func entropy(v []byte) float64 {
	var count [256]int
	for _, c := range v {
		count[c]++
	}
	h := 0.0
	for _, n := range count {
		if n > 0 {
			p := float64(n) / float64(len(v))
			h -= p * math.Log2(p)
		}
	}
	return h
}
