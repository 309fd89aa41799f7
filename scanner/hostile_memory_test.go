package scanner

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/internal/childmem"
	"github.com/trawlsec/trawl/internal/hostile"
	"github.com/trawlsec/trawl/internal/membudget"
)

// Inputs that attack memory through archive decoders, scanned by this
// test binary started again as a child (internal/childmem) under the
// budget `trawl scan --max-memory` sets, so that the child's peak RSS is
// the scan's own. Sizes come from hostile_memory_small_test.go (go test)
// or hostile_memory_full_test.go (-tags hostile, make hostile).

// memoryScanEnv names the child's input, its --max-memory and workers.
const (
	memoryScanPath    = "HOSTILE_SCAN_PATH"
	memoryScanMemory  = "HOSTILE_SCAN_MEMORY"
	memoryScanWorkers = "HOSTILE_SCAN_WORKERS"
)

// memoryHangGuard only stops a scan that would never end.
const memoryHangGuard = 30 * time.Minute

// TestHostileMemoryChild is the child's scan: it does nothing unless
// started by memoryScan. It prints one line per object: key, status,
// reason, planted SSNs found.
func TestHostileMemoryChild(t *testing.T) {
	if !childmem.IsChild() || os.Getenv(memoryScanPath) == "" {
		t.Skip("run as a child by memoryScan")
	}
	maxMemory, _ := strconv.ParseInt(os.Getenv(memoryScanMemory), 10, 64)
	workers, _ := strconv.Atoi(os.Getenv(memoryScanWorkers))
	s := newScanner(t, max(workers, 1))
	// As trawl scan does: the runtime's soft limit a quarter below
	// --max-memory, the pool 48 MiB below that.
	limit := maxMemory - max(maxMemory/4, 32<<20)
	debug.SetMemoryLimit(limit)
	s.Memory = membudget.New(limit - 48<<20)
	src, err := NewLocal(os.Getenv(memoryScanPath), s.Log)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Run(context.Background(), src, func(r *findings.Result) error {
		ssn := 0
		for _, tr := range r.Types {
			if tr.Identifier.ID == ssnID {
				ssn += tr.Count
			}
		}
		fmt.Printf("object %s %s/%s %d\n", r.Object.Key, r.Status, r.Reason, ssn)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// memoryResult is one object's outcome in the child.
type memoryResult struct {
	key, status string // status: "STATUS/REASON"
	ssn         int
}

// memoryScan scans path in a child with maxMemory and workers, and
// returns each object's outcome and the child's peak RSS. A death or a
// hang fails the test.
func memoryScan(t *testing.T, path string, maxMemory int64, workers int) ([]memoryResult, int64) {
	t.Helper()
	if raceDetector {
		// The race detector multiplies a process's memory, so a child's
		// peak says nothing of trawl's own; the run without it measures.
		t.Skip("memory is measured without the race detector")
	}
	cmd := childmem.Self("TestHostileMemoryChild", memoryScanPath+"="+path,
		memoryScanMemory+"="+fmt.Sprint(maxMemory), memoryScanWorkers+"="+fmt.Sprint(workers), "TMPDIR="+t.TempDir())
	r, err := childmem.Run(cmd, memoryHangGuard)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case r.HungUp:
		t.Fatalf("scan of %s hung", path)
	case r.Signal != "":
		t.Fatalf("scan of %s died: %s (peak %s)", path, r.Signal, childmem.MiB(r.PeakRSS))
	case r.ExitCode != 0:
		t.Fatalf("scan of %s: exit %d: %s%s", path, r.ExitCode, r.Stdout, r.Stderr)
	}
	var res []memoryResult
	for _, line := range strings.Split(string(r.Stdout), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 || f[0] != "object" {
			continue
		}
		n, _ := strconv.Atoi(f[3])
		res = append(res, memoryResult{key: f[1], status: f[2], ssn: n})
	}
	t.Logf("%s: peak RSS %s", filepath.Base(path), childmem.MiB(r.PeakRSS))
	return res, r.PeakRSS
}

// writeInput writes one input with gen to dir/name.
func writeInput(t *testing.T, dir, name string, gen func(*bufio.Writer) error) string {
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

func checkOutcome(t *testing.T, res []memoryResult, status string, ssn int) {
	t.Helper()
	if len(res) != 1 {
		t.Fatalf("%d results, want 1: %v", len(res), res)
	}
	if res[0].status != status || res[0].ssn != ssn {
		t.Errorf("%s with %d SSNs, want %s with %d", res[0].status, res[0].ssn, status, ssn)
	}
}

func checkPeakRSS(t *testing.T, peak, most int64) {
	t.Helper()
	if peak > most {
		t.Errorf("peak RSS %s, want at most %s", childmem.MiB(peak), childmem.MiB(most))
	}
}

// TestHostileSevenZipDictionary: a 7z whose LZMA coder declares a 4 GiB
// dictionary over a small output is decoded with a dictionary the size
// of that output: COMPLETE, the SSN found, little memory.
func TestHostileSevenZipDictionary(t *testing.T) {
	path := writeInput(t, t.TempDir(), "dict.7z", func(w *bufio.Writer) error {
		return hostile.SevenZipLZMA(w, 1<<31-1, hostile7zText, 0)
	})
	res, peak := memoryScan(t, path, 512<<20, 1)
	checkOutcome(t, res, "COMPLETE/", 1)
	checkPeakRSS(t, peak, 128<<20+hostile7zText)
}

// TestHostileSevenZipDeclaredOutput: the same dictionary over an output
// declared far larger than the bound on a coder's memory is not
// allocated: the member is SKIPPED FILE_EXCEEDS_SIZE_LIMIT, the archive
// PARTIAL.
func TestHostileSevenZipDeclaredOutput(t *testing.T) {
	path := writeInput(t, t.TempDir(), "declared.7z", func(w *bufio.Writer) error {
		return hostile.SevenZipLZMA(w, 1<<31-1, 1<<10, hostile7zDeclared)
	})
	res, peak := memoryScan(t, path, 512<<20, 1)
	checkOutcome(t, res, "PARTIAL/FILE_EXCEEDS_SIZE_LIMIT", 0)
	checkPeakRSS(t, peak, 128<<20)
}

// TestHostileSevenZipLargeDictionary: a 2 GiB dictionary over more
// output than a coder may hold in memory: the dictionary's pages would
// fill with that output (its size in RSS). The member is SKIPPED
// FILE_EXCEEDS_SIZE_LIMIT before its decoder allocates anything.
func TestHostileSevenZipLargeDictionary(t *testing.T) {
	path := writeInput(t, t.TempDir(), "large.7z", func(w *bufio.Writer) error {
		return hostile.SevenZipLZMA(w, 1<<31-1, hostile7zLarge, 0)
	})
	res, peak := memoryScan(t, path, 512<<20, 1)
	checkOutcome(t, res, "PARTIAL/FILE_EXCEEDS_SIZE_LIMIT", 0)
	checkPeakRSS(t, peak, 128<<20)
}

// TestHostileZipZstdMembers: zip members compressed with zstd, each with
// a large window, in as many zips as workers: each member's window is
// reserved before its decoder is made, so they wait for room, and all
// complete under --max-memory.
func TestHostileZipZstdMembers(t *testing.T) {
	dir := t.TempDir()
	for i := range hostileZipZstdFiles {
		writeInput(t, dir, fmt.Sprintf("z%02d.zip", i), func(w *bufio.Writer) error {
			return hostile.ZipZstd(w, 2, hostileZstdWindow, int64(hostileZstdWindow)*5/4)
		})
	}
	res, peak := memoryScan(t, dir, hostileZipZstdMemory, hostileZipZstdFiles)
	if len(res) != hostileZipZstdFiles {
		t.Fatalf("%d results, want %d", len(res), hostileZipZstdFiles)
	}
	for _, r := range res {
		if r.status != "COMPLETE/" || r.ssn != 1 {
			t.Errorf("%s: %s, %d SSNs", r.key, r.status, r.ssn)
		}
	}
	checkPeakRSS(t, peak, hostileZipZstdMemory)
}

// TestHostilePDFObjectStream: a font's dictionary in a compressed object
// stream holds a huge string, which the PDF library would read whole.
func TestHostilePDFObjectStream(t *testing.T) {
	path := writeInput(t, t.TempDir(), "objstm.pdf", func(w *bufio.Writer) error {
		return hostile.PDFObjectStream(w, hostilePDFString)
	})
	res, peak := memoryScan(t, path, 512<<20, 1)
	checkOutcome(t, res, "SKIPPED/FILE_EXCEEDS_SIZE_LIMIT", 0)
	checkPeakRSS(t, peak, 128<<20)
}

// TestHostileDOCXLongText: a stored DOCX with one run of text as large as
// the file is read in bounded pieces: COMPLETE, the SSN before it found.
func TestHostileDOCXLongText(t *testing.T) {
	path := writeInput(t, t.TempDir(), "text.docx", func(w *bufio.Writer) error {
		return hostile.DOCX(w, hostileXMLRun, false)
	})
	res, peak := memoryScan(t, path, 512<<20, 1)
	checkOutcome(t, res, "COMPLETE/", 1)
	checkPeakRSS(t, peak, 96<<20)
}

// TestHostileDOCXLongTag: one tag as large as the file is refused after
// 1 MiB: FILE_EXCEEDS_SIZE_LIMIT, without holding it.
func TestHostileDOCXLongTag(t *testing.T) {
	path := writeInput(t, t.TempDir(), "tag.docx", func(w *bufio.Writer) error {
		return hostile.DOCX(w, hostileXMLRun, true)
	})
	res, peak := memoryScan(t, path, 512<<20, 1)
	if len(res) != 1 || !strings.HasSuffix(res[0].status, "/FILE_EXCEEDS_SIZE_LIMIT") {
		t.Errorf("%v, want PARTIAL or SKIPPED FILE_EXCEEDS_SIZE_LIMIT", res)
	}
	checkPeakRSS(t, peak, 96<<20)
}

// TestHostileParquetPage: a page of a Parquet file that inflates far
// past its bytes (within the ratio deflate allows) is reserved from the
// memory budget before parquet-go allocates it; a page the budget cannot
// hold ends the scan after the rows before: FILE_EXCEEDS_SIZE_LIMIT.
func TestHostileParquetPage(t *testing.T) {
	path := writeInput(t, t.TempDir(), "page.parquet", func(w *bufio.Writer) error {
		return hostile.ParquetPage(w, hostileParquetPage)
	})
	res, peak := memoryScan(t, path, hostileParquetMemory, 1)
	if len(res) != 1 || !strings.HasSuffix(res[0].status, "/FILE_EXCEEDS_SIZE_LIMIT") {
		t.Errorf("%v, want PARTIAL or SKIPPED FILE_EXCEEDS_SIZE_LIMIT", res)
	}
	checkPeakRSS(t, peak, hostileParquetMemory)
}

// TestHostilePDFXrefTable: a PDF of a few hundred bytes whose
// cross-reference table lists object 4,000,000,000 ended the process
// with Go's fatal out of memory (no recover catches it); it is refused
// before the library opens it.
func TestHostilePDFXrefTable(t *testing.T) {
	path := writeInput(t, t.TempDir(), "xref.pdf", func(w *bufio.Writer) error {
		return hostile.PDFXref(w, 4_000_000_000)
	})
	res, peak := memoryScan(t, path, 512<<20, 1)
	checkOutcome(t, res, "SKIPPED/FILE_EXCEEDS_SIZE_LIMIT", 0)
	checkPeakRSS(t, peak, 128<<20)
}

// TestHostileNestedSevenZip: the large-dictionary 7z inside three stored
// 7z archives: each level is spooled, the innermost coder is refused
// as at the top, and the outer levels say so.
func TestHostileNestedSevenZip(t *testing.T) {
	var inner bytes.Buffer
	if err := hostile.SevenZipLZMA(&inner, 1<<31-1, hostile7zLarge, 0); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		var outer bytes.Buffer
		if err := hostile.SevenZipStored(&outer, inner.Bytes(), "in.7z"); err != nil {
			t.Fatal(err)
		}
		inner = outer
	}
	path := writeInput(t, t.TempDir(), "nested.7z", func(w *bufio.Writer) error {
		_, err := w.Write(inner.Bytes())
		return err
	})
	res, peak := memoryScan(t, path, 512<<20, 1)
	checkOutcome(t, res, "PARTIAL/FILE_EXCEEDS_SIZE_LIMIT", 0)
	checkPeakRSS(t, peak, 128<<20)
}
