package scanner

import (
	"slices"
	"strconv"
	"testing"

	"github.com/trawlsec/trawl/findings"
)

// occurrencesOf lists where an identifier was found: "L<line>" for line
// ranges, "C<row>,<col>" for cells.
func occurrencesOf(r *findings.Result, id string) []string {
	var out []string
	for _, tr := range r.Types {
		if tr.Identifier.ID != id {
			continue
		}
		for _, o := range tr.Occurrences {
			switch {
			case o.Line != nil:
				out = append(out, "L"+itoa(o.Line.Start))
			case o.Cell != nil:
				out = append(out, "C"+itoa(o.Cell.Row)+","+itoa(o.Cell.Column))
			}
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestScanMail(t *testing.T) {
	src := fixtureSource(t, map[string]string{
		"message.eml": "mail/message.eml",
		"forward.eml": "mail/forward.eml",
		"saved.txt":   "mail/forward.eml", // a message by its content
	})
	src.keys = append(src.keys, "broken.eml")
	src.data["broken.eml"] = "Subject: ssn 123-45-6789\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!not base64!!\r\n"
	res := resultsByKey(t, newScanner(t, 2), src)

	r := res["message.eml"]
	// The PNG attachment is not scanned yet: PARTIAL, as an archive member
	// trawl could not process.
	if r.Status != findings.Partial || r.Reason != findings.ArchiveContainsUnprocessedFiles || r.MimeType != "message/rfc822" {
		t.Errorf("message.eml: %s %s %s", r.Status, r.Reason, r.MimeType)
	}
	// The subject (line 3) and the CSV attachment's cell (row 2, column 2).
	if got := occurrencesOf(r, "USA_SOCIAL_SECURITY_NUMBER"); !slices.Equal(got, []string{"L3", "C2,2"}) {
		t.Errorf("message.eml SSNs at %v, want [L3 C2,2]", got)
	}
	// The Latin-1 quoted-printable body.
	if got := occurrencesOf(r, "CREDIT_CARD_NUMBER"); !slices.Equal(got, []string{"L19"}) {
		t.Errorf("message.eml cards at %v, want [L19]", got)
	}
	for _, key := range []string{"forward.eml", "saved.txt"} {
		r := res[key]
		if r.Status != findings.Complete || r.MimeType != "message/rfc822" {
			t.Errorf("%s: %s %s %s", key, r.Status, r.Reason, r.MimeType)
		}
		if got := occurrencesOf(r, "USA_SOCIAL_SECURITY_NUMBER"); !slices.Equal(got, []string{"L25"}) {
			t.Errorf("%s SSNs at %v, want [L25]", key, got)
		}
	}
	r = res["broken.eml"]
	if r.Status != findings.Partial || r.Reason != findings.MalformedFile {
		t.Errorf("broken.eml: %s %s, want PARTIAL MALFORMED_FILE", r.Status, r.Reason)
	}
	if got := occurrencesOf(r, "USA_SOCIAL_SECURITY_NUMBER"); !slices.Equal(got, []string{"L1"}) {
		t.Errorf("broken.eml SSNs at %v, want [L1]", got)
	}
}
