package scanner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/findings"
)

// nestedMail is a message whose first text part holds one SSN, then
// levels of nesting (multiparts, or forwarded messages) around a text part
// with another.
func nestedMail(levels int, forwarded bool) string {
	var b strings.Builder
	b.WriteString("Subject: nested\r\nContent-Type: multipart/mixed; boundary=\"top\"\r\n\r\n")
	b.WriteString("--top\r\nContent-Type: text/plain\r\n\r\nssn 123-45-6789 at the top\r\n--top\r\n")
	for i := range levels {
		if forwarded {
			b.WriteString("Content-Type: message/rfc822\r\n\r\n")
			fmt.Fprintf(&b, "Subject: level %d\r\n", i)
		} else {
			fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i)
		}
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nssn 123-45-6789 at the bottom\r\n")
	if !forwarded {
		for i := levels - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "--b%d--\r\n", i)
		}
	}
	b.WriteString("--top--\r\n")
	return b.String()
}

// A message nested past the e-mail depth limit (32) is not COMPLETE: the
// parts past it are passed over and the object says so; what sits above
// them is scanned.
func TestScanMailNestedPastTheLimit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mail   string
		status findings.Status
		reason findings.Reason
		values int
	}{
		{"multipart-30", nestedMail(30, false), findings.Complete, "", 2},
		{"multipart-40", nestedMail(40, false), findings.Partial, findings.ArchiveNestingLevelOverLimit, 1},
		{"forwarded-30", nestedMail(30, true), findings.Complete, "", 2},
		{"forwarded-40", nestedMail(40, true), findings.Partial, findings.ArchiveNestingLevelOverLimit, 1},
		// A deep part, and a part that cannot be decoded: the graver
		// reason, the nesting, is the one given.
		{"multipart-40-and-bad-base64", strings.Replace(nestedMail(40, false),
			"Content-Type: text/plain\r\n\r\nssn 123-45-6789 at the top",
			"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!not base64!!", 1),
			findings.Partial, findings.ArchiveNestingLevelOverLimit, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := scanBytes(t, tc.name+".eml", []byte(tc.mail), nil)
			if r.Status != tc.status || r.Reason != tc.reason {
				t.Errorf("status %s %s, want %s %s", r.Status, r.Reason, tc.status, tc.reason)
			}
			if n := count(r, ssnID); n != tc.values {
				t.Errorf("%d values found, want %d", n, tc.values)
			}
		})
	}
}
