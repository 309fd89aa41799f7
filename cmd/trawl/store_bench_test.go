package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/trawlsec/trawl/internal/corpus"
)

// BenchmarkScanRecording compares a scan of 2,000 files of 4 KiB of prose
// with values planted about one line in ten (most files make a finding:
// the worst case for the store, one finding per small object) without a
// store, into a new store, and into a store that already holds the
// findings (sightings only). One op is one run of the binary, 1 worker.
func BenchmarkScanRecording(b *testing.B) {
	dir := b.TempDir()
	const files, size = 2000, 4 << 10
	for i := range files {
		var buf bytes.Buffer
		if err := corpus.Write(&buf, corpus.Prose, size, uint64(i+1), 10); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%05d.txt", i)), buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	scan := func(b *testing.B, args ...string) int {
		cmd := exec.Command(trawlBin, append([]string{"scan", dir, "--format", "jsonl", "--workers", "1", "-q"}, args...)...)
		cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+b.TempDir())
		out, err := cmd.Output()
		if code := cmd.ProcessState.ExitCode(); code != 1 {
			b.Fatalf("exit %d: %v", code, err)
		}
		return bytes.Count(out, []byte("\n"))
	}
	b.Run("NoStore", func(b *testing.B) {
		n := 0
		for b.Loop() {
			n = scan(b, "--no-store")
		}
		b.ReportMetric(float64(n), "findings")
	})
	b.Run("NewStore", func(b *testing.B) {
		n := 0
		for b.Loop() {
			n = scan(b, "--store", filepath.Join(b.TempDir(), "s.db"))
		}
		b.ReportMetric(float64(n), "findings")
	})
	b.Run("KnownFindings", func(b *testing.B) {
		db := filepath.Join(b.TempDir(), "s.db")
		scan(b, "--store", db)
		n := 0
		for b.Loop() {
			n = scan(b, "--store", db)
		}
		b.ReportMetric(float64(n), "findings")
	})
}
