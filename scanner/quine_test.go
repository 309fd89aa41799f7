package scanner

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings"
)

// TestScanArchiveQuine scans a zip whose member is the zip itself
// (testdata/archives/make-quine.go): the nesting limit stops it as it
// stops chain-12.zip. The member at nesting level 11 (ten names deep) is
// listed as skipped, not opened.
func TestScanArchiveQuine(t *testing.T) {
	fi, err := os.Stat(archiveFixture(t, "quine.zip"))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := scanFile(t, archiveFixture(t, "quine.zip"), nil)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("scan took %v", d)
	}
	if r.Status != findings.Partial || r.Reason != findings.ArchiveNestingLevelOverLimit {
		t.Errorf("status %s %s, want %s %s", r.Status, r.Reason, findings.Partial, findings.ArchiveNestingLevelOverLimit)
	}
	if len(r.Embedded) != 10 {
		t.Fatalf("%d members listed, want 10", len(r.Embedded))
	}
	for i, e := range r.Embedded {
		depth := i + 1
		want := strings.TrimSuffix(strings.Repeat("quine.zip!", depth), "!")
		if e.Path != want || e.Size != fi.Size() {
			t.Errorf("member %d: %q, %d bytes", depth, e.Path, e.Size)
		}
		status, reason := findings.Complete, findings.Reason("")
		if depth == 10 {
			status, reason = findings.Skipped, findings.ArchiveNestingLevelOverLimit
		}
		if e.Status != status || e.Reason != reason {
			t.Errorf("member %d: %s %s, want %s %s", depth, e.Status, e.Reason, status, reason)
		}
	}
}
