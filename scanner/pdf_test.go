package scanner

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/trawlsec/trawl/findings"
)

// fixtureSource serves fixture files from memory under the given keys.
func fixtureSource(t *testing.T, files map[string]string) *memSource {
	t.Helper()
	m := &memSource{data: map[string]string{}}
	for key, path := range files {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "formats", path))
		if err != nil {
			t.Fatal(err)
		}
		m.keys = append(m.keys, key)
		m.data[key] = string(b)
	}
	return m
}

// resultsByKey scans src and indexes the results.
func resultsByKey(t *testing.T, s *Scanner, src Source) map[string]*findings.Result {
	t.Helper()
	got, err := collect(t, s, context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*findings.Result{}
	for _, r := range got {
		out[r.Object.Key] = r
	}
	return out
}

// pagesOf returns the page numbers at which an identifier was found.
func pagesOf(r *findings.Result, id string) []int {
	var pages []int
	for _, tr := range r.Types {
		if tr.Identifier.ID != id {
			continue
		}
		for _, o := range tr.Occurrences {
			if o.Page != nil {
				pages = append(pages, o.Page.PageNumber)
			}
		}
	}
	return pages
}

func TestScanPDF(t *testing.T) {
	src := fixtureSource(t, map[string]string{
		"report.pdf":  "pdf/pages.pdf",
		"renamed.txt": "pdf/pages-owner-only.pdf", // the content decides, not the name
		"locked.pdf":  "pdf/pages-encrypted.pdf",
	})
	good := src.data["report.pdf"]
	src.keys = append(src.keys, "truncated.pdf")
	src.data["truncated.pdf"] = good[:len(good)/3]

	s := newScanner(t, 2)
	res := resultsByKey(t, s, src)
	for _, key := range []string{"report.pdf", "renamed.txt"} {
		r := res[key]
		if r.Status != findings.Complete || r.MimeType != "application/pdf" {
			t.Errorf("%s: status %s %s, mime %s", key, r.Status, r.Reason, r.MimeType)
		}
		if p := pagesOf(r, "USA_SOCIAL_SECURITY_NUMBER"); len(p) != 1 || p[0] != 1 {
			t.Errorf("%s: SSN found on pages %v, want [1]", key, p)
		}
		if p := pagesOf(r, "CREDIT_CARD_NUMBER"); len(p) != 1 || p[0] != 3 {
			t.Errorf("%s: card found on pages %v, want [3]", key, p)
		}
	}
	if r := res["locked.pdf"]; r.Status != findings.Skipped || r.Reason != findings.InvalidEncryption {
		t.Errorf("locked.pdf: %s %s, want SKIPPED INVALID_ENCRYPTION", r.Status, r.Reason)
	}
	if r := res["truncated.pdf"]; r.Status != findings.Skipped || r.Reason != findings.MalformedFile {
		t.Errorf("truncated.pdf: %s %s, want SKIPPED MALFORMED_FILE", r.Status, r.Reason)
	}

	s.Limits.MaxPDFSize = int64(len(good)) - 1
	res = resultsByKey(t, s, fixtureSource(t, map[string]string{"report.pdf": "pdf/pages.pdf"}))
	if r := res["report.pdf"]; r.Status != findings.Skipped || r.Reason != findings.FileExceedsSizeLimit {
		t.Errorf("over the PDF limit: %s %s, want SKIPPED FILE_EXCEEDS_SIZE_LIMIT", r.Status, r.Reason)
	}
}
