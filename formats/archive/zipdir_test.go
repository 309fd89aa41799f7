package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/trawlsec/trawl/internal/membudget"
)

// emptyEntries is a zip of n empty stored files.
func emptyEntries(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := range n {
		if _, err := w.CreateRaw(&zip.FileHeader{Name: fmt.Sprint(i), Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// countingReaderAt counts the bytes read through it.
type countingReaderAt struct {
	ra io.ReaderAt
	n  atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.ra.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

func walkZipData(data []byte, ra io.ReaderAt, l Limits, mem *membudget.Lease) error {
	b := NewBudget(context.Background(), l)
	b.Memory = mem
	return Walk("zip", Input{RA: ra, Size: int64(len(data))}, b, func(*Entry) error { return nil })
}

func TestZipDeclaredEntriesRejectedBeforeDirectory(t *testing.T) {
	data := emptyEntries(t, 30_000) // a directory of 1.3 MB
	ra := &countingReaderAt{ra: bytes.NewReader(data)}
	err := walkZipData(data, ra, Limits{MaxFiles: 1000}, nil)
	if !errors.Is(err, ErrDeclared) || !errors.Is(err, ErrTooManyFiles) {
		t.Fatalf("30,000 entries, 1,000 allowed: %v", err)
	}
	if n := ra.n.Load(); n > 70_000 {
		t.Errorf("read %d bytes to reject it: more than the end record", n)
	}
}

func TestZipEndRecordThatUndercountsIsMeasured(t *testing.T) {
	// 66,536 entries declared as 1,000: the library accepts it (it
	// compares counts modulo 65,536), so the directory must be measured.
	data := emptyEntries(t, 66_536)
	p := bytes.LastIndex(data, []byte{0x50, 0x4b, 0x06, 0x06})
	if p < 0 {
		t.Fatal("no zip64 end record")
	}
	binary.LittleEndian.PutUint64(data[p+24:], 1000)
	binary.LittleEndian.PutUint64(data[p+32:], 1000)
	if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil || len(zr.File) != 66_536 {
		t.Fatalf("the library should read it all: %v", err)
	}
	err := walkZipData(data, bytes.NewReader(data), Limits{MaxFiles: 5000}, nil)
	if !errors.Is(err, ErrDeclared) || !errors.Is(err, ErrTooManyFiles) {
		t.Fatalf("66,536 entries declared as 1,000, 5,000 allowed: %v", err)
	}
}

func TestZipDirectoryReservesMemory(t *testing.T) {
	data := emptyEntries(t, 5000)
	want := ZipDirectoryMemory(bytes.NewReader(data), int64(len(data)), 1<<30)
	if want < 5000*zipEntryMemory {
		t.Fatalf("5,000 entries measured at %d bytes", want)
	}
	small := membudget.New(want) // less than the directory and its slice
	err := walkZipData(data, bytes.NewReader(data), Limits{}, small.Lease())
	if !errors.Is(err, ErrDeclared) || !errors.Is(err, ErrMemberTooBig) {
		t.Fatalf("a directory over the memory budget: %v", err)
	}
	pool := membudget.New(1 << 30)
	lease := pool.Lease()
	if err := walkZipData(data, bytes.NewReader(data), Limits{}, lease); err != nil {
		t.Fatal(err)
	}
	if pool.Peak() < want || lease.Held() != 0 {
		t.Errorf("peak reserved %d of %d measured, %d still held", pool.Peak(), want, lease.Held())
	}
}

func TestDecoderMemory(t *testing.T) {
	var z bytes.Buffer
	zw, _ := zstd.NewWriter(&z, zstd.WithWindowSize(8<<20), zstd.WithEncoderConcurrency(1))
	zw.Write(bytes.Repeat([]byte("x"), 20<<20))
	zw.Close()
	if got := DecoderMemory("zstd", z.Bytes()); got != 9<<20 {
		t.Errorf("zstd with an 8 MiB window: %d", got)
	}
	if got := DecoderMemory("zstd", []byte("nonsense")); got != zstdMaxWindow+1<<20 {
		t.Errorf("unreadable zstd header: %d", got)
	}
	// xz -6 (8 MiB dictionary), as make-archives.sh wrote the fixture.
	if got := DecoderMemory("xz", fixture(t, "data.csv.xz")); got != 8<<20 {
		t.Errorf("xz fixture: %d", got)
	}
	if got := DecoderMemory("xz", []byte("\xfd7zXZ\x00\x00\x04")); got != xzMaxDict {
		t.Errorf("short xz header: %d", got)
	}
	if DecoderMemory("gzip", nil) != 0 || DecoderMemory("bzip2", nil) != bzip2Memory {
		t.Error("gzip takes nothing to reserve, bzip2 its block")
	}
}
