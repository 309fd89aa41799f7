package findings

import (
	"slices"
	"strings"
	"unicode"

	"github.com/trawlsec/trawl/identifiers"
)

// MaxSamples is how many masked samples a finding keeps per detection.
const MaxSamples = 3

// maxSampleRunes bounds a sample's length (a private key is kilobytes).
const maxSampleRunes = 40

// MaskSample masks a detected value so that people can recognise it
// without reading it: letters and digits become '*' but for at most four
// of them (and never more than half), separators stay. A credential shows
// its first characters (a key's type: AKIA****************), anything
// else its last (************1111, ***-**-4398). The result never holds
// more than four of the value's letters and digits.
func MaskSample(v string, c identifiers.Category) string {
	rs := []rune(v)
	alnum := 0
	for _, r := range rs {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			alnum++
		}
	}
	show := min(4, alnum/2)
	keep := make([]bool, len(rs))
	fromStart := c == identifiers.Credentials
	for n, i := 0, 0; n < show && i < len(rs); i++ {
		j := i
		if !fromStart {
			j = len(rs) - 1 - i
		}
		if unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) {
			keep[j] = true
			n++
		}
	}
	var b strings.Builder
	for i, r := range rs {
		switch {
		case keep[i]:
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteByte('*')
		case unicode.IsSpace(r):
			b.WriteByte(' ') // a newline or tab would break a table
		case unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			b.WriteByte('*')
		}
	}
	out := []rune(b.String())
	if len(out) > maxSampleRunes {
		if fromStart {
			return string(out[:maxSampleRunes]) + "…"
		}
		return "…" + string(out[len(out)-maxSampleRunes:])
	}
	return string(out)
}

// addSample keeps a masked sample unless it is already kept.
func (t *TypeResult) addSample(s string) {
	if s == "" || len(t.samples) >= MaxSamples || slices.Contains(t.samples, s) {
		return
	}
	t.samples = append(t.samples, s)
}

// samplesFor gives a finding its type's samples; discovery results never
// carry them.
func (t *TypeResult) samplesFor(asFinding bool) []string {
	if !asFinding {
		return nil
	}
	return slices.Clone(t.samples)
}

// WithoutSamples returns the finding without its samples (a copy when it
// has some), for the store and publishers, which never keep them unless
// asked.
func WithoutSamples(f *Finding) *Finding {
	if f == nil {
		return nil
	}
	res := &f.ClassificationDetails.Result
	has := false
	for _, sd := range res.SensitiveData {
		for _, d := range sd.Detections {
			has = has || len(d.Samples) > 0
		}
	}
	for _, d := range res.CustomDataIdentifiers.Detections {
		has = has || len(d.Samples) > 0
	}
	if !has {
		return f
	}
	c := *f
	cres := &c.ClassificationDetails.Result
	cres.SensitiveData = slices.Clone(res.SensitiveData)
	for i := range cres.SensitiveData {
		ds := slices.Clone(cres.SensitiveData[i].Detections)
		for j := range ds {
			ds[j].Samples = nil
		}
		cres.SensitiveData[i].Detections = ds
	}
	cds := slices.Clone(res.CustomDataIdentifiers.Detections)
	for i := range cds {
		cds[i].Samples = nil
	}
	cres.CustomDataIdentifiers.Detections = cds
	return &c
}
