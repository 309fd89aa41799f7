package scanner

import (
	"testing"

	"github.com/trawlsec/trawl/findings"
)

func TestScanLegacyOffice(t *testing.T) {
	src := fixtureSource(t, map[string]string{
		"people.xls":  "office/sheet.xls",
		"letter.doc":  "office/doc-text.doc",
		"renamed.bin": "office/doc-text.doc",
	})
	xls := src.data["people.xls"]
	src.keys = append(src.keys, "truncated.xls")
	src.data["truncated.xls"] = xls[:len(xls)/2]

	s := newScanner(t, 2)
	res := resultsByKey(t, s, src)
	r := res["people.xls"]
	if r.Status != findings.Complete || r.MimeType != "application/vnd.ms-excel" {
		t.Fatalf("people.xls: %s %s %s", r.Status, r.Reason, r.MimeType)
	}
	var refs []string
	for _, tr := range r.Types {
		if tr.Identifier.ID != "USA_SOCIAL_SECURITY_NUMBER" {
			continue
		}
		for _, o := range tr.Occurrences {
			if o.Cell != nil && o.Cell.CellReference != nil {
				refs = append(refs, *o.Cell.CellReference+"/"+o.Cell.ColumnName)
			}
		}
	}
	// B3 holds 078-05-1120, the famous sample SSN the identifier ignores.
	if len(refs) != 1 || refs[0] != "People!B2/SSN" {
		t.Errorf("SSNs at %v, want People!B2 under SSN", refs)
	}
	for _, key := range []string{"letter.doc", "renamed.bin"} {
		r := res[key]
		if r.Status != findings.Complete || r.MimeType != "application/msword" {
			t.Errorf("%s: %s %s %s", key, r.Status, r.Reason, r.MimeType)
		}
		found := false
		for _, tr := range r.Types {
			for _, o := range tr.Occurrences {
				found = found || (tr.Identifier.ID == "USA_SOCIAL_SECURITY_NUMBER" && o.Line != nil && o.Line.Start == 12)
			}
		}
		if !found {
			t.Errorf("%s: no SSN located on line 12", key)
		}
	}
	if r := res["truncated.xls"]; r.Status != findings.Skipped || r.Reason != findings.MalformedOrFileSizeExceedsLimit {
		t.Errorf("truncated.xls: %s %s, want SKIPPED MALFORMED_OR_FILE_SIZE_EXCEEDS_LIMIT", r.Status, r.Reason)
	}

	s.Limits.MaxOfficeSize = int64(len(xls)) - 1
	res = resultsByKey(t, s, fixtureSource(t, map[string]string{"people.xls": "office/sheet.xls"}))
	if r := res["people.xls"]; r.Status != findings.Skipped || r.Reason != findings.FileExceedsSizeLimit {
		t.Errorf("over the office limit: %s %s, want SKIPPED FILE_EXCEEDS_SIZE_LIMIT", r.Status, r.Reason)
	}
}
