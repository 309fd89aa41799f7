package scanner

import (
	"strings"
	"testing"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
)

// TestJSONWithoutName: JSON content with no telling name is read as JSON
// (records); if it breaks past the sniffed window it is read again as text.
func TestJSONWithoutName(t *testing.T) {
	good := `{"people": [{"name": "Jane", "ssn": "123-45-6789"}]}`
	lines := "{\"ssn\": \"123-45-6789\"}\n{\"n\": 2}\n"
	broken := `{"pad": "` + strings.Repeat("x", formats.SniffLen) + `", "ssn": "123-45-6789", oops}`
	src := &memSource{keys: []string{"export", "events", "broken"},
		data: map[string]string{"export": good, "events": lines, "broken": broken}}
	res := resultsByKey(t, newScanner(t, 1), src)
	cases := []struct{ key, mime, where string }{
		{"export", "application/json", "$.people[0].ssn"},
		{"events", "application/jsonl", "$.ssn"},
		{"broken", "application/json", "line 1"},
	}
	for _, c := range cases {
		r := res[c.key]
		if r.Status != findings.Complete || r.MimeType != c.mime {
			t.Errorf("%s: %s %s %s", c.key, r.Status, r.Reason, r.MimeType)
		}
		var where []string
		for _, tr := range r.Types {
			for _, o := range tr.Occurrences {
				switch {
				case o.Record != nil:
					where = append(where, o.Record.JSONPath)
				case o.Line != nil:
					where = append(where, "line "+itoa(o.Line.Start))
				}
			}
		}
		if len(where) != 1 || where[0] != c.where {
			t.Errorf("%s: found at %v, want [%s]", c.key, where, c.where)
		}
	}
}
