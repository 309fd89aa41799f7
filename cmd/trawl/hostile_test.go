package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/childmem"
	"github.com/trawlsec/trawl/internal/hostile"
)

// The hostile battery: inputs that attack memory, built in the test,
// scanned by the built trawl as a child whose peak RSS is read when it
// has exited. Sizes come from hostile_small_test.go (go test) or
// hostile_full_test.go (-tags hostile, make hostile).

// hangGuard only stops a scan that would never end; nothing here
// measures time.
const hangGuard = 30 * time.Minute

// hostileScan scans args with trawl as a child, results to a directory of
// its own and temporary files in one of the test's, and returns every
// object's result and the child's peak RSS. A death or a hang fails the
// test.
func hostileScan(t *testing.T, args ...string) ([]finding, int64) {
	t.Helper()
	results := t.TempDir()
	cmd := exec.Command(trawlBin, append([]string{"scan", "--format", "jsonl", "--results", results, "-q"}, args...)...)
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	r, err := childmem.Run(cmd, hangGuard)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case r.HungUp:
		t.Fatalf("trawl %v hung", args)
	case r.Signal != "":
		t.Fatalf("trawl %v died: %s (peak %s)", args, r.Signal, childmem.MiB(r.PeakRSS))
	case r.ExitCode != 0 && r.ExitCode != 1:
		t.Fatalf("trawl %v: exit %d: %s", args, r.ExitCode, r.Stderr)
	}
	t.Logf("trawl %v: peak RSS %s", args[len(args)-1], childmem.MiB(r.PeakRSS))
	return objectRecords(readResults(t, results)), r.PeakRSS
}

// writeHostile writes one input with gen to dir/name.
func writeHostile(t *testing.T, dir, name string, gen func(*bufio.Writer) error) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := gen(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkOne: the scan gave one result, with this status and one planted SSN.
func checkOne(t *testing.T, res []finding, status string, ssn int) {
	t.Helper()
	if len(res) != 1 {
		t.Fatalf("%d results, want 1", len(res))
	}
	if got := res[0].status(); got != status {
		t.Errorf("status %s, want %s", got, status)
	}
	if got := res[0].counts()["USA_SOCIAL_SECURITY_NUMBER"]; got != ssn {
		t.Errorf("%d SSNs found, want %d", got, ssn)
	}
}

func checkPeak(t *testing.T, peak, most int64) {
	t.Helper()
	if peak > most {
		t.Errorf("peak RSS %s, want at most %s", childmem.MiB(peak), childmem.MiB(most))
	}
}

// TestHostileAvroHugeString: one deflate block inflating to a huge
// string is read as a stream; the first record's SSN is reported.
func TestHostileAvroHugeString(t *testing.T) {
	path := writeHostile(t, t.TempDir(), "huge.avro", func(w *bufio.Writer) error { return hostile.Avro(w, hostileStringSize) })
	res, peak := hostileScan(t, path)
	checkOne(t, res, "PARTIAL/FILE_EXCEEDS_SIZE_LIMIT", 1)
	checkPeak(t, peak, 128<<20)
}

// TestHostileZipEntries: a zip whose end record declares more entries
// than the files limit is rejected before its directory is read.
func TestHostileZipEntries(t *testing.T) {
	path := writeHostile(t, t.TempDir(), "entries.zip", func(w *bufio.Writer) error { return hostile.EmptyEntries(w, hostileZipEntries) })
	res, peak := hostileScan(t, "--max-archive-files", fmt.Sprint(hostileZipEntries/2), path)
	checkOne(t, res, "SKIPPED/ARCHIVE_TOTAL_DOCUMENTS_PROCESSED_OVER_LIMIT", 0)
	checkPeak(t, peak, 128<<20)
}

// TestHostileNestedZips: objects of ten nested zips of members just
// under the in-memory threshold, as many as workers, all complete (what
// the budget cannot hold is spooled to files) under --max-memory.
func TestHostileNestedZips(t *testing.T) {
	dir := t.TempDir()
	for i := range hostileNestedFiles {
		writeHostile(t, dir, fmt.Sprintf("nested%02d.zip", i), func(w *bufio.Writer) error { return hostile.NestedZips(w, 9, 15<<20) })
	}
	res, peak := hostileScan(t, "--workers", fmt.Sprint(hostileNestedFiles), "--max-memory", hostileNestedMemory, dir)
	if len(res) != hostileNestedFiles {
		t.Fatalf("%d results, want %d", len(res), hostileNestedFiles)
	}
	for _, r := range res {
		if r.status() != "COMPLETE/" || r.counts()["USA_SOCIAL_SECURITY_NUMBER"] != 1 {
			t.Errorf("%s: %s, %d SSNs", r.ResourcesAffected.S3Object.Key, r.status(), r.counts()["USA_SOCIAL_SECURITY_NUMBER"])
		}
	}
	most, _ := parseSize(hostileNestedMemory)
	checkPeak(t, peak, most)
}

// TestHostilePDFHugeString: a page whose content stream holds one huge
// string; the SSN before it is reported, the scan survives.
func TestHostilePDFHugeString(t *testing.T) {
	path := writeHostile(t, t.TempDir(), "huge.pdf", func(w *bufio.Writer) error { return hostile.PDF(w, hostileStringSize) })
	res, peak := hostileScan(t, path)
	checkOne(t, res, "PARTIAL/FILE_EXCEEDS_SIZE_LIMIT", 1)
	checkPeak(t, peak, 128<<20)
}

// TestHostileZipLargeDirectory: a legal zip of many empty files is
// scanned, its directory reserved from the memory budget.
func TestHostileZipLargeDirectory(t *testing.T) {
	path := writeHostile(t, t.TempDir(), "many.zip", func(w *bufio.Writer) error { return hostile.EmptyEntries(w, hostileLegalEntries) })
	res, peak := hostileScan(t, path)
	checkOne(t, res, "COMPLETE/", 0)
	checkPeak(t, peak, 512<<20)
}

// TestHostileFlagsAtTheirBounds: the largest depth on the zip quine and
// the most workers on one small file take little memory.
func TestHostileFlagsAtTheirBounds(t *testing.T) {
	quine := filepath.Join("..", "..", "testdata", "archives", "quine.zip")
	res, peak := hostileScan(t, "--max-archive-depth", "64", quine)
	if len(res) != 1 || res[0].status() != "PARTIAL/ARCHIVE_NESTING_LEVEL_OVER_LIMIT" {
		t.Errorf("quine at depth 64: %d results", len(res))
	}
	checkPeak(t, peak, 128<<20)
	one := filepath.Join(t.TempDir(), "one.txt")
	if err := os.WriteFile(one, []byte(hostile.PlantedSSN+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, peak = hostileScan(t, "--workers", "1024", one)
	checkOne(t, res, "COMPLETE/", 1)
	checkPeak(t, peak, 128<<20)
}

// TestHostilePDFHugeCMap: a font whose ToUnicode map holds one huge
// string is read without the map; the page's SSN is reported.
func TestHostilePDFHugeCMap(t *testing.T) {
	path := writeHostile(t, t.TempDir(), "cmap.pdf", func(w *bufio.Writer) error { return hostile.PDFCMap(w, hostileStringSize) })
	res, peak := hostileScan(t, path)
	checkOne(t, res, "COMPLETE/", 1)
	checkPeak(t, peak, 128<<20)
}

// TestHostileZstdWindows: small zstd files whose decoders each keep a
// large window, as many as workers: the windows are reserved, so some
// files wait, and all complete under --max-memory.
func TestHostileZstdWindows(t *testing.T) {
	dir := t.TempDir()
	for i := range hostileZstdFiles {
		writeHostile(t, dir, fmt.Sprintf("w%02d.txt.zst", i), func(w *bufio.Writer) error {
			return hostile.Zstd(w, hostileZstdWindow, hostileZstdWindow*5/2)
		})
	}
	res, peak := hostileScan(t, "--workers", fmt.Sprint(hostileZstdFiles), "--max-memory", hostileNestedMemory, dir)
	if len(res) != hostileZstdFiles {
		t.Fatalf("%d results, want %d", len(res), hostileZstdFiles)
	}
	for _, r := range res {
		if r.status() != "COMPLETE/" || r.counts()["USA_SOCIAL_SECURITY_NUMBER"] != 1 {
			t.Errorf("%s: %s, %d SSNs", r.ResourcesAffected.S3Object.Key, r.status(), r.counts()["USA_SOCIAL_SECURITY_NUMBER"])
		}
	}
	most, _ := parseSize(hostileNestedMemory)
	checkPeak(t, peak, most)
}
