package scanner

import (
	"testing"

	"github.com/trawlsec/trawl/findings"
)

// TestScanEncryptedOffice: a password-protected workbook (an OLE2
// EncryptedPackage) is skipped as encrypted; a plain .doc whose text
// spells that stream's name is read, not taken for one.
func TestScanEncryptedOffice(t *testing.T) {
	src := fixtureSource(t, map[string]string{
		"locked.xlsx": "office/sheet-encrypted.xlsx",
		"names.doc":   "office/doc-names-encryptedpackage.doc",
	})
	res := resultsByKey(t, newScanner(t, 2), src)
	if r := res["locked.xlsx"]; r.Status != findings.Skipped || r.Reason != findings.InvalidEncryption {
		t.Errorf("locked.xlsx: %s %s, want SKIPPED INVALID_ENCRYPTION", r.Status, r.Reason)
	}
	if r := res["names.doc"]; r.Status != findings.Complete || r.MimeType != "application/msword" {
		t.Errorf("names.doc: %s %s %s, want COMPLETE application/msword", r.Status, r.Reason, r.MimeType)
	}
}
