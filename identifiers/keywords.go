package identifiers

import (
	"strings"
	"unicode/utf8"
)

// keywordVariants returns the forms of a keyword that Macie treats as the
// same: case does not matter (the automaton folds ASCII case), and a keyword
// with spaces also matches with no spaces, with '_' or with '-'.
func keywordVariants(kw string) []string {
	kw = strings.ToLower(strings.TrimSpace(kw))
	if kw == "" {
		return nil
	}
	if !strings.Contains(kw, " ") {
		return []string{kw}
	}
	return []string{
		kw,
		strings.ReplaceAll(kw, " ", ""),
		strings.ReplaceAll(kw, " ", "_"),
		strings.ReplaceAll(kw, " ", "-"),
	}
}

// keywordStartsWord reports whether a keyword found at text[start:] begins a
// word, so that "dob" counts in "DOB:" or "user_dob" but not in "adobe". A
// camelCase join ("userDob") counts too, when it also ends at one
// (camelEnd). Otherwise the end is left free so that plurals and suffixes
// ("SSNs", "ccnum") still count.
func keywordStartsWord(text []byte, start int) bool {
	if start == 0 {
		return true
	}
	prev := text[start-1]
	if !isLetter(prev) {
		return true
	}
	first := text[start]
	return prev >= 'a' && prev <= 'z' && first >= 'A' && first <= 'Z'
}

// camelEnd reports whether a keyword that began at a camelCase join and
// ends at text[end] also ends at one: at a byte that is neither a letter
// nor a digit ("userSSN:", "userDob"), or at the next camelCase word, a
// capital and a small letter ("userSsnValue", "userSSNValue"). Inside a
// word it does not ("fSSNp"), nor before a digit or a lone capital
// ("puPan7", "qSiNV"): those are the joins of base64 and other encoded
// noise, which would otherwise make keywords of it.
func camelEnd(text []byte, end int) bool {
	if end >= len(text) {
		return true
	}
	c := text[end]
	switch {
	case c >= utf8.RuneSelf || isLower(c) || c-'0' <= 9:
		return false
	case c >= 'A' && c <= 'Z':
		return end+1 < len(text) && isLower(text[end+1])
	}
	return true
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

// isLetter treats every non-ASCII byte as part of a letter, which is right
// for the accented keywords of other languages.
func isLetter(c byte) bool {
	return c|0x20 >= 'a' && c|0x20 <= 'z' || c >= utf8.RuneSelf
}

// span is a half-open byte range.
type span struct{ start, end int }

// runesBetween counts the characters in text[a:b], giving up (and returning
// limit+1) once it is sure there are more than limit.
func runesBetween(text []byte, a, b, limit int) int {
	if b-a <= limit {
		// Fewer bytes than the limit: fewer characters too.
		return utf8.RuneCount(text[a:b])
	}
	if b-a > limit*utf8.UTFMax {
		return limit + 1
	}
	return utf8.RuneCount(text[a:b])
}
