package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/corpus"
)

// BenchmarkScanRecording compares scans without a store, into a new store,
// and into a store that already holds their findings (sightings only), on
// two corpora: benchrun's prose (16 files of 4 MiB, a value planted one
// line in 200: 16 findings) and the store's worst case, 2,000 files of
// 4 KiB with a value one line in ten (about half make a finding). One op
// is one run of the binary with 1 worker for each of the three; ns/op is
// their sum, the metrics each one's time and the store's share.
func BenchmarkScanRecording(b *testing.B) {
	for _, c := range []struct {
		name        string
		files, size int
		rate        int
	}{
		{"Prose16x4MiB", 16, 4 << 20, 200},
		{"Small2000x4KiB", 2000, 4 << 10, 10},
	} {
		dir := b.TempDir()
		for i := range c.files {
			var buf bytes.Buffer
			if err := corpus.Write(&buf, corpus.Prose, int64(c.size), uint64(i+1), c.rate); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%05d.txt", i)), buf.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		// scan returns the findings printed and the CPU time the run took
		// (user and system: less bent by a busy machine than wall time).
		scan := func(b *testing.B, args ...string) (int, time.Duration) {
			cmd := exec.Command(trawlBin, append([]string{"scan", dir, "--format", "jsonl", "--workers", "1", "-q"}, args...)...)
			cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+b.TempDir())
			out, err := cmd.Output()
			if code := cmd.ProcessState.ExitCode(); code != 1 {
				b.Fatalf("exit %d: %v", code, err)
			}
			return bytes.Count(out, []byte("\n")), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		// The three runs alternate within an op, so that the load of a
		// shared machine weighs on them alike.
		b.Run(c.name, func(b *testing.B) {
			known := filepath.Join(b.TempDir(), "known.db")
			scan(b, "--store", known)
			var none, fresh, again, cpuNone, cpuFresh, cpuAgain time.Duration
			n := 0
			for b.Loop() {
				var cpu time.Duration
				start := time.Now()
				n, cpu = scan(b, "--no-store")
				none, cpuNone = none+time.Since(start), cpuNone+cpu
				start = time.Now()
				_, cpu = scan(b, "--store", filepath.Join(b.TempDir(), "s.db"))
				fresh, cpuFresh = fresh+time.Since(start), cpuFresh+cpu
				start = time.Now()
				_, cpu = scan(b, "--store", known)
				again, cpuAgain = again+time.Since(start), cpuAgain+cpu
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 / float64(b.N) }
			b.ReportMetric(float64(n), "findings")
			b.ReportMetric(ms(none), "ms-no-store")
			b.ReportMetric(ms(fresh), "ms-new-store")
			b.ReportMetric(ms(again), "ms-known-store")
			b.ReportMetric(ms(cpuNone), "cpu-ms-no-store")
			b.ReportMetric(ms(cpuFresh), "cpu-ms-new-store")
			b.ReportMetric(ms(cpuAgain), "cpu-ms-known-store")
		})
	}
}
