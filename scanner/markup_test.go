package scanner

import (
	"testing"

	"github.com/trawlsec/trawl/findings"
)

func TestScanMarkup(t *testing.T) {
	src := fixtureSource(t, map[string]string{
		"page.html":  "markup/libreoffice.html",
		"export.txt": "markup/minidom.xml", // XML by its content
	})
	res := resultsByKey(t, newScanner(t, 2), src)
	cases := []struct {
		key, mime string
		ssnLines  []int
	}{
		{"page.html", "text/html", []int{43, 49}},
		{"export.txt", "application/xml", []int{6}},
	}
	for _, c := range cases {
		r := res[c.key]
		if r.Status != findings.Complete || r.MimeType != c.mime {
			t.Errorf("%s: %s %s, mime %s", c.key, r.Status, r.Reason, r.MimeType)
		}
		var lines []int
		for _, tr := range r.Types {
			if tr.Identifier.ID != "USA_SOCIAL_SECURITY_NUMBER" {
				continue
			}
			for _, o := range tr.Occurrences {
				if o.Line != nil {
					lines = append(lines, o.Line.Start)
				}
			}
		}
		if len(lines) != len(c.ssnLines) {
			t.Errorf("%s: SSNs on lines %v, want %v", c.key, lines, c.ssnLines)
			continue
		}
		for i := range lines {
			if lines[i] != c.ssnLines[i] {
				t.Errorf("%s: SSNs on lines %v, want %v", c.key, lines, c.ssnLines)
			}
		}
	}
}
