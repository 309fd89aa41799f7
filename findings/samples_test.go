package findings

import (
	"strings"
	"testing"
	"unicode"

	"github.com/trawlsec/trawl/identifiers"
)

func TestMaskSample(t *testing.T) {
	for _, c := range []struct {
		value string
		cat   identifiers.Category
		want  string
	}{
		{"4111111111111111", identifiers.Financial, "************1111"},
		{"4539 9872 1613 6598", identifiers.Financial, "**** **** **** 6598"},
		{"123-45-4398", identifiers.Personal, "***-**-4398"},
		{"AKIAIOSFODNN7EXAMPLE", identifiers.Credentials, "AKIA****************"},
		{"12", identifiers.Personal, "*2"},
		{"ab\ncd", identifiers.Personal, "** cd"},
		{"x", identifiers.Personal, "*"},
		{"", identifiers.Personal, ""},
		{strings.Repeat("9", 100) + "1234", identifiers.Financial, "…" + strings.Repeat("*", 36) + "1234"},
	} {
		if got := MaskSample(c.value, c.cat); got != c.want {
			t.Errorf("MaskSample(%q) = %q, want %q", c.value, got, c.want)
		}
	}
}

// A sample never shows more than four of its value's letters and digits.
func FuzzMaskSample(f *testing.F) {
	f.Add("4111 1111 1111 1111", false)
	f.Add("AKIAIOSFODNN7EXAMPLE", true)
	f.Fuzz(func(t *testing.T, v string, cred bool) {
		cat := identifiers.Personal
		if cred {
			cat = identifiers.Credentials
		}
		shown := 0
		for _, r := range MaskSample(v, cat) {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				shown++
			}
		}
		if shown > 4 {
			t.Errorf("MaskSample(%q) shows %d letters and digits", v, shown)
		}
	})
}
