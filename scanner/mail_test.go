package scanner

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
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

// TestMailAttachmentsByFormat: an attachment is an embedded file, read by
// its own format, however deep: a zip attached to a message has its CSV
// read by cell, located by the member path.
func TestMailAttachmentsByFormat(t *testing.T) {
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	f, err := zw.Create("dir/people.csv")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("name,ssn\nAda,536-22-8142\n"))
	zw.Close()
	b64 := base64.StdEncoding.EncodeToString(zbuf.Bytes())
	msg := "From: a@example.com\r\nSubject: export\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=XX\r\n\r\n" +
		"--XX\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" +
		"--XX\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"export.zip\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n--XX--\r\n"
	src := &memSource{keys: []string{"m.eml"}, data: map[string]string{"m.eml": msg}}
	r := resultsByKey(t, newScanner(t, 1), src)["m.eml"]
	if r.Status != findings.Complete {
		t.Errorf("status %s %s, want COMPLETE", r.Status, r.Reason)
	}
	var files []string
	for _, tr := range r.Types {
		for _, o := range tr.Occurrences {
			if o.Cell != nil {
				files = append(files, fmt.Sprintf("%s %s R%dC%d", tr.Identifier.ID, o.File, o.Cell.Row, o.Cell.Column))
			}
		}
	}
	want := []string{"USA_SOCIAL_SECURITY_NUMBER m.eml!export.zip!dir/people.csv R2C2"}
	if !slices.Equal(files, want) {
		t.Errorf("cells %q, want %q", files, want)
	}
	var embedded []string
	for _, e := range r.Embedded {
		embedded = append(embedded, e.Path+" "+string(e.Status))
	}
	if !slices.Contains(embedded, "export.zip!dir/people.csv COMPLETE") {
		t.Errorf("embedded files %q, want export.zip!dir/people.csv listed", embedded)
	}
}
