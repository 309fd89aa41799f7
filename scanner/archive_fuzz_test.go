package scanner

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/findings"
)

// FuzzScanArchive runs whole objects through detection, the archive walk
// and the member extractors with small limits. A panic anywhere is caught
// by the scanner and logged as an internal error: that log fails the
// target, as does a result past the limits.
func FuzzScanArchive(f *testing.F) {
	for _, name := range []string{"outer.zip", "tar.tar.gz", "7z-lzma2.7z", "chain-12.zip", "truncated.tar", "password.zip", "data.csv.xz", "record.json.zst"} {
		b, err := os.ReadFile(archiveFixture(f, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(name, b)
	}
	ids := newScanner(f, 1)
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		var logs bytes.Buffer
		s := *ids
		s.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))
		s.Limits.Archive.MaxBytes = 4 << 20
		s.Limits.Archive.MaxFiles = 200
		s.Limits.Archive.MaxMemberSize = 1 << 20
		src := &memSource{keys: []string{name}, data: map[string]string{name: string(data)}}
		got, err := collect(t, &s, context.Background(), src)
		if err != nil || len(got) != 1 {
			t.Fatalf("%d results, %v", len(got), err)
		}
		if strings.Contains(logs.String(), "internal error") {
			t.Fatalf("a panic while scanning: %s", logs.String())
		}
		r := got[0]
		if r.Status == findings.Complete && r.Reason != "" || len(r.Embedded) > findings.MaxEmbeddedFiles {
			t.Fatalf("status %s %s, %d members listed", r.Status, r.Reason, len(r.Embedded))
		}
	})
}
