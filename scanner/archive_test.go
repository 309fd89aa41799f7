package scanner

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/formats/archive"
)

const ssnID = "USA_SOCIAL_SECURITY_NUMBER"

func archiveFixture(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join("..", "testdata", "archives", name)
}

// scanFile scans one file through the local source, which gives random
// access, with the scanner's limits changed by adjust.
func scanFile(t *testing.T, path string, adjust func(*Limits)) *findings.Result {
	t.Helper()
	s := newScanner(t, 1)
	if adjust != nil {
		adjust(&s.Limits)
	}
	src, err := NewLocal(path, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := collect(t, s, context.Background(), src)
	if err != nil || len(got) != 1 {
		t.Fatalf("scan %s: %d results, %v", path, len(got), err)
	}
	return got[0]
}

// scanBytes scans data as a stream without random access, as standard
// input is.
func scanBytes(t *testing.T, key string, data []byte, adjust func(*Limits)) *findings.Result {
	t.Helper()
	s := newScanner(t, 1)
	if adjust != nil {
		adjust(&s.Limits)
	}
	got, err := collect(t, s, context.Background(), &memSource{keys: []string{key}, data: map[string]string{key: string(data)}})
	if err != nil || len(got) != 1 {
		t.Fatalf("scan %s: %d results, %v", key, len(got), err)
	}
	return got[0]
}

func count(r *findings.Result, id string) int {
	for _, t := range r.Types {
		if t.Identifier.ID == id {
			return t.Count
		}
	}
	return 0
}

func filePaths(r *findings.Result, id string) []string {
	var out []string
	for _, t := range r.Types {
		if t.Identifier.ID == id {
			for _, o := range t.Occurrences {
				out = append(out, o.File)
			}
		}
	}
	return out
}

func TestScanArchiveFixtures(t *testing.T) {
	// TMPDIR is checked afterwards: spooled members leave nothing behind.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	const (
		C = findings.Complete
		P = findings.Partial
		S = findings.Skipped
	)
	for _, tc := range []struct {
		file     string
		status   findings.Status
		reason   findings.Reason
		values   int // planted SSNs found
		embedded int // members listed
	}{
		{"zip-deflate.zip", C, "", 3, 3},
		{"zip-stored.zip", C, "", 3, 3},
		{"zip-bzip2.zip", C, "", 3, 3},
		{"zip64.zip", C, "", 3, 3},
		{"zip-stream.zip", C, "", 3, 3},
		{"tar-ustar.tar", C, "", 3, 3},
		{"tar-pax.tar", C, "", 3, 3},
		{"tar-gnu.tar", C, "", 3, 3},
		{"tar-v7.tar", C, "", 3, 3}, // no magic: known by its header checksum
		{"tar-sparse-gnu.tar", C, "", 1, 1},
		{"tar-sparse-pax.tar", C, "", 1, 1},
		{"tar.tar.gz", C, "", 3, 3},
		{"tgz.tgz", C, "", 3, 3},
		{"tar.tar.bz2", C, "", 3, 3},
		{"tar.tar.xz", C, "", 3, 3},
		{"tar.tar.zst", C, "", 3, 3},
		{"7z-lzma2.7z", C, "", 3, 3},
		{"notes.txt.gz", C, "", 1, 1},
		{"multi-member.txt.gz", C, "", 2, 1},
		{"data.csv.bz2", C, "", 1, 1},
		{"data.csv.xz", C, "", 1, 1},
		{"multi-stream.txt.xz", C, "", 2, 1},
		{"big-dictionary.txt.xz", S, findings.FileExceedsSizeLimit, 0, 0},
		{"record.json.zst", C, "", 1, 1},
		{"outer.zip", C, "", 1, 2},
		{"traversal.tar", C, "", 4, 4},
		{"traversal.zip", C, "", 4, 4},
		// Levels 1 to 10 are read; level-11.zip is listed, not opened.
		{"chain-12.zip", P, findings.ArchiveNestingLevelOverLimit, 10, 20},
		{"password.zip", P, findings.ArchiveContainsUnprocessedFiles, 1, 2},
		{"unsupported-member.zip", P, findings.ArchiveContainsUnprocessedFiles, 1, 2},
		{"7z-encrypted-entries.7z", P, findings.ArchiveContainsUnprocessedFiles, 0, 1},
		{"7z-encrypted-headers.7z", S, findings.InvalidEncryption, 0, 0},
		{"corrupt-central-directory.zip", S, findings.MalformedFile, 0, 0},
		{"truncated.tar", P, findings.MalformedFile, 1, 1},
		{"bad-crc.txt.gz", P, findings.MalformedFile, 0, 1},
		// 12.5 GiB declared by the directory: nothing is inflated.
		{"overlap-bomb.zip", S, findings.ArchiveTotalBytesExtractedOverLimit, 0, 0},
		// 10 GB of zeros is binary: recognised from its first bytes and
		// not read further.
		{"zeros-10g.gz.gz", P, findings.ArchiveContainsUnprocessedFiles, 0, 1},
		{"42-shape.zip", P, findings.ArchiveContainsUnprocessedFiles, 0, findings.MaxEmbeddedFiles},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := scanFile(t, archiveFixture(t, tc.file), nil)
			if r.Status != tc.status || r.Reason != tc.reason {
				t.Errorf("status %s %s, want %s %s", r.Status, r.Reason, tc.status, tc.reason)
			}
			if n := count(r, ssnID); n != tc.values {
				t.Errorf("%d values found, want %d", n, tc.values)
			}
			if len(r.Embedded) != tc.embedded {
				t.Errorf("%d members listed, want %d", len(r.Embedded), tc.embedded)
			}
			for _, f := range filePaths(r, ssnID) {
				if !strings.HasPrefix(f, tc.file+"!") {
					t.Errorf("occurrence in %q: not named after the archive", f)
				}
			}
		})
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("%d files left in the temporary directory", len(left))
	}
}

func TestScanArchiveMemberPaths(t *testing.T) {
	r := scanFile(t, archiveFixture(t, "outer.zip"), nil)
	if got := filePaths(r, ssnID); len(got) != 1 || got[0] != "outer.zip!dir/inner.tar!data.csv" {
		t.Errorf("occurrence paths %q", got)
	}
	ssn := slices.IndexFunc(r.Types, func(t *findings.TypeResult) bool { return t.Identifier.ID == ssnID })
	if ssn < 0 {
		t.Fatal("no SSN found")
	}
	if occ := r.Types[ssn].Occurrences[0]; occ.Cell == nil || occ.Cell.Row != 2 || occ.Cell.ColumnName != "ssn" {
		t.Errorf("the CSV member was not read as a table: %+v", occ)
	}
	want := []findings.EmbeddedFile{
		{Path: "dir/inner.tar", Size: 10240, Status: findings.Complete},
		{Path: "dir/inner.tar!data.csv", Size: 461, Status: findings.Complete},
	}
	for i, e := range r.Embedded {
		if i >= len(want) || e.Path != want[i].Path || e.Size != want[i].Size || e.Status != want[i].Status || e.LastModified.Year() != 2024 {
			t.Errorf("member %d: %+v", i, e)
		}
	}

	r = scanFile(t, archiveFixture(t, "chain-12.zip"), nil)
	paths := strings.Join(filePaths(r, ssnID), " ")
	for level := 1; level <= 10; level++ {
		if !strings.Contains(paths, fmt.Sprintf("level-%d.txt", level)) {
			t.Errorf("level %d not found", level)
		}
	}
	if strings.Contains(paths, "level-11.txt") {
		t.Error("level 11 was read")
	}
	last := r.Embedded[len(r.Embedded)-1]
	if !strings.HasSuffix(last.Path, "!level-11.zip") || last.Status != findings.Skipped || last.Reason != findings.ArchiveNestingLevelOverLimit {
		t.Errorf("the level-11 archive: %+v", last)
	}
}

func TestScanArchiveWithoutRandomAccess(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, name := range []string{"zip-deflate.zip", "7z-lzma2.7z", "tar.tar.gz", "outer.zip"} {
		data, err := os.ReadFile(archiveFixture(t, name))
		if err != nil {
			t.Fatal(err)
		}
		r := scanBytes(t, name, data, nil)
		if r.Status != findings.Complete || count(r, ssnID) == 0 {
			t.Errorf("%s from a stream: %s %s, %d values", name, r.Status, r.Reason, count(r, ssnID))
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("%d files left in the temporary directory", len(left))
	}
}

// zipOf builds a zip in memory; stored members stay as large as they are.
func zipOf(t *testing.T, members map[string][]byte, method uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range members {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestScanArchiveSpoolsLargeNestedZip(t *testing.T) {
	// A stored inner zip over memberInMemory goes to a temporary file,
	// which is gone afterwards.
	if testing.Short() {
		t.Skip("17 MiB through the race detector; the full run covers it")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	inner := zipOf(t, map[string][]byte{
		"big.bin":   make([]byte, memberInMemory+1<<20),
		"notes.txt": []byte("ssn 123-45-6789\n"),
	}, zip.Store)
	outer := zipOf(t, map[string][]byte{"inner.zip": inner}, zip.Deflate)
	r := scanBytes(t, "outer.zip", outer, nil)
	if count(r, ssnID) != 1 || r.Reason != findings.ArchiveContainsUnprocessedFiles {
		t.Errorf("%s %s, %d values", r.Status, r.Reason, count(r, ssnID))
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("%d files left in the temporary directory", len(left))
	}
}

func TestScanArchiveOfficeMember(t *testing.T) {
	xlsx, err := os.ReadFile(filepath.Join("..", "testdata", "formats", "office", "sheet.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	direct := scanFile(t, filepath.Join("..", "testdata", "formats", "office", "sheet.xlsx"), nil)
	r := scanBytes(t, "office.zip", zipOf(t, map[string][]byte{"people.xlsx": xlsx}, zip.Deflate), nil)
	if r.Detections() == 0 || r.Detections() != direct.Detections() {
		t.Fatalf("%d detections in the zipped sheet, %d in the sheet", r.Detections(), direct.Detections())
	}
	for _, ty := range r.Types {
		for _, o := range ty.Occurrences {
			if o.Cell == nil || o.Cell.CellReference == nil || o.File != "office.zip!people.xlsx" {
				t.Fatalf("not located as a sheet cell in the member: %+v", o)
			}
		}
	}
}

func TestScanArchiveSnappyAndZstdZip(t *testing.T) {
	var sn bytes.Buffer
	w := snappy.NewBufferedWriter(&sn)
	w.Write([]byte("ssn 123-45-6789\n"))
	w.Close()
	r := scanBytes(t, "notes.txt.sz", sn.Bytes(), nil)
	if r.Status != findings.Complete || count(r, ssnID) != 1 || filePaths(r, ssnID)[0] != "notes.txt.sz!notes.txt" {
		t.Errorf("snappy: %s %s, %q", r.Status, r.Reason, filePaths(r, ssnID))
	}
}

// tarGz streams a tar.gz with a small member holding a value, then a
// member of n zeros, generated as it is read: nothing of size n is held.
func tarGz(n int64) *io.PipeReader {
	pr, pw := io.Pipe()
	go func() {
		gz, _ := gzip.NewWriterLevel(pw, gzip.BestSpeed)
		tw := tar.NewWriter(gz)
		note := []byte("ssn 123-45-6789\n")
		tw.WriteHeader(&tar.Header{Name: "a.txt", Mode: 0o644, Size: int64(len(note))})
		tw.Write(note)
		tw.WriteHeader(&tar.Header{Name: "zeros.txt", Mode: 0o644, Size: n})
		io.CopyN(tw, zeroReader{}, n)
		tw.Close()
		gz.Close()
		pw.Close()
	}()
	return pr
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestScanArchiveLimits(t *testing.T) {
	t.Run("total bytes: a gzip bomb stops part-way, values before it kept", func(t *testing.T) {
		data, _ := io.ReadAll(tarGz(16 << 20))
		r := scanBytes(t, "bomb.tar.gz", data, func(l *Limits) { l.Archive.MaxBytes = 4 << 20 })
		if r.Status != findings.Partial || r.Reason != findings.ArchiveTotalBytesExtractedOverLimit || count(r, ssnID) != 1 {
			t.Errorf("%s %s, %d values", r.Status, r.Reason, count(r, ssnID))
		}
	})
	t.Run("total files", func(t *testing.T) {
		r := scanFile(t, archiveFixture(t, "42-shape.zip"), func(l *Limits) { l.Archive.MaxFiles = 100 })
		if r.Status != findings.Partial || r.Reason != findings.ArchiveTotalDocumentsProcessedOverLimit {
			t.Errorf("%s %s", r.Status, r.Reason)
		}
	})
	t.Run("declared files: nothing extracted", func(t *testing.T) {
		r := scanFile(t, archiveFixture(t, "zip-deflate.zip"), func(l *Limits) { l.Archive.MaxFiles = 2 })
		if r.Status != findings.Skipped || r.Reason != findings.ArchiveTotalDocumentsProcessedOverLimit || len(r.Embedded) != 0 {
			t.Errorf("%s %s, %d members", r.Status, r.Reason, len(r.Embedded))
		}
	})
	t.Run("member size by header", func(t *testing.T) {
		r := scanFile(t, archiveFixture(t, "tar-ustar.tar"), func(l *Limits) { l.Archive.MaxMemberSize = 500 })
		// notes.txt (1028 bytes) is over, the other two are read.
		if r.Status != findings.Partial || r.Reason != findings.FileExceedsSizeLimit || count(r, ssnID) != 2 {
			t.Errorf("%s %s, %d values", r.Status, r.Reason, count(r, ssnID))
		}
	})
	t.Run("member size by bytes read", func(t *testing.T) {
		// A gzip does not say how big its content is: the read is cut.
		var buf bytes.Buffer
		gz := gzip.NewWriter(&buf)
		gz.Write([]byte("ssn 123-45-6789\n" + strings.Repeat("filler line\n", 100_000)))
		gz.Close()
		r := scanBytes(t, "big.txt.gz", buf.Bytes(), func(l *Limits) { l.Archive.MaxMemberSize = 64 << 10 })
		if r.Status != findings.Partial || r.Reason != findings.FileExceedsSizeLimit || r.Embedded[0].Reason != findings.FileExceedsSizeLimit {
			t.Errorf("%s %s, member %+v", r.Status, r.Reason, r.Embedded)
		}
	})
	t.Run("depth", func(t *testing.T) {
		r := scanFile(t, archiveFixture(t, "chain-12.zip"), func(l *Limits) { l.Archive.MaxDepth = 3 })
		if r.Reason != findings.ArchiveNestingLevelOverLimit || count(r, ssnID) != 3 {
			t.Errorf("%s %s, %d values", r.Status, r.Reason, count(r, ssnID))
		}
		// A compressed layer counts as a level: a .tar.gz's members are at 2.
		r = scanFile(t, archiveFixture(t, "tar.tar.gz"), func(l *Limits) { l.Archive.MaxDepth = 1 })
		if r.Status != findings.Skipped || r.Reason != findings.ArchiveNestingLevelOverLimit {
			t.Errorf(".tar.gz at depth 1: %s %s", r.Status, r.Reason)
		}
	})
	t.Run("archive object size", func(t *testing.T) {
		r := scanFile(t, archiveFixture(t, "zip-deflate.zip"), func(l *Limits) { l.ArchiveSize.Zip = 100 })
		if r.Status != findings.Skipped || r.Reason != findings.ArchiveExceedsSizeLimit {
			t.Errorf("%s %s", r.Status, r.Reason)
		}
		r = scanFile(t, archiveFixture(t, "tar-ustar.tar"), func(l *Limits) { l.ArchiveSize.Tar = 100 })
		if r.Status != findings.Skipped || r.Reason != findings.ArchiveExceedsSizeLimit {
			t.Errorf("tar: %s %s", r.Status, r.Reason)
		}
	})
}

func TestScanArchiveDeepGzipChain(t *testing.T) {
	// 40 layers of gzip around a text, the shape a gzip quine unrolls to:
	// the depth limit stops it, since each layer is a level.
	data := []byte("ssn 123-45-6789\n")
	for range 40 {
		var buf bytes.Buffer
		gz := gzip.NewWriter(&buf)
		gz.Write(data)
		gz.Close()
		data = buf.Bytes()
	}
	r := scanBytes(t, "deep.gz", data, nil)
	if r.Status != findings.Skipped || r.Reason != findings.ArchiveNestingLevelOverLimit {
		t.Errorf("%s %s", r.Status, r.Reason)
	}
	// Ten layers: the text is at level 10 and is read.
	data = []byte("ssn 123-45-6789\n")
	for range 10 {
		var buf bytes.Buffer
		gz := gzip.NewWriter(&buf)
		gz.Write(data)
		gz.Close()
		data = buf.Bytes()
	}
	if r := scanBytes(t, "ten.txt.gz", data, nil); r.Status != findings.Complete || count(r, ssnID) != 1 {
		t.Errorf("ten layers: %s %s, %d values", r.Status, r.Reason, count(r, ssnID))
	}
}

func TestScanArchiveZipInGzipIsOneFile(t *testing.T) {
	// A zip inside a gzip is spooled whole, so the per-file limit bounds it.
	big := zipOf(t, map[string][]byte{"a.txt": []byte("ssn 123-45-6789\n"), "pad.bin": make([]byte, 256<<10)}, zip.Store)
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	gz.Write(big)
	gz.Close()
	r := scanBytes(t, "x.zip.gz", buf.Bytes(), func(l *Limits) { l.Archive.MaxMemberSize = 128 << 10 })
	if r.Reason != findings.FileExceedsSizeLimit {
		t.Errorf("%s %s", r.Status, r.Reason)
	}
	if r := scanBytes(t, "x.zip.gz", buf.Bytes(), nil); r.Status != findings.Partial || count(r, ssnID) != 1 {
		t.Errorf("under the limit: %s %s, %d values", r.Status, r.Reason, count(r, ssnID))
	}
}

func TestScanArchiveCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var pr *io.PipeReader
	src := &memSource{keys: []string{"bomb.tar.gz"}, open: func(context.Context, string) (io.ReadCloser, error) {
		pr = tarGz(1 << 40)
		return io.NopCloser(cancelAfter{pr, cancel}), nil
	}}
	got, err := collect(t, newScanner(t, 1), ctx, src)
	if pr != nil {
		pr.Close() // ends the generator
	}
	if err == nil || len(got) != 0 {
		t.Errorf("a cancelled scan of an endless archive: %d results, %v", len(got), err)
	}
}

func TestArchiveWalkStopsWhenCancelled(t *testing.T) {
	// Once the scan is cancelled a member's reads fail without a limit to
	// show for it: the walk must end after that member, not open the rest.
	members := map[string][]byte{}
	for i := range 50 {
		members[fmt.Sprintf("m%02d.txt", i)] = []byte("plain text\n")
	}
	data := zipOf(t, members, zip.Store)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := newScanner(t, 1)
	r := &findings.Result{Object: findings.Object{Key: "a.zip", Size: int64(len(data))}, Status: findings.Complete}
	w := &archiveWalk{s: s, ctx: ctx, budget: archive.NewBudget(ctx, s.Limits.Archive), top: r}
	br := bufio.NewReader(bytes.NewReader(data))
	err := w.container(formats.Type{Name: "zip"}, "a.zip", "", br, bytes.NewReader(data), int64(len(data)), 0, false)
	if !errors.Is(err, context.Canceled) || w.budget.Files() != 1 {
		t.Errorf("a cancelled walk: %v after %d of %d members", err, w.budget.Files(), len(members))
	}
}

// cancelAfter cancels the scan on its first read.
type cancelAfter struct {
	r      io.Reader
	cancel func()
}

func (c cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.cancel()
	return n, err
}

// raSource serves objects as a stream with ReadAt and Size, as the S3
// source does with ranged GETs; its Read stops after the sniffing window,
// so a scan that read the whole stream instead would fail.
type raSource struct{ memSource }

type raStream struct {
	*bytes.Reader
	read int
}

func (r *raStream) Read(p []byte) (int, error) {
	if r.read >= 8<<10 {
		return 0, fmt.Errorf("streamed past the sniffing window")
	}
	p = p[:min(len(p), 8<<10-r.read)]
	n, err := r.ReadAt(p, int64(r.read))
	r.read += n
	return n, err
}

func (r *raStream) Close() error { return nil }

func (s *raSource) Open(_ context.Context, o Object) (io.ReadCloser, error) {
	return &raStream{Reader: bytes.NewReader([]byte(s.data[o.Key]))}, nil
}

func TestScanArchiveUsesSourceRandomAccess(t *testing.T) {
	// 64 KiB stored before the directory: only random access reaches it.
	data := zipOf(t, map[string][]byte{
		"pad.txt":   []byte(strings.Repeat("plain text line\n", 4096)),
		"notes.txt": []byte("ssn 123-45-6789\n"),
	}, zip.Store)
	src := &raSource{memSource{keys: []string{"a.zip"}, data: map[string]string{"a.zip": string(data)}}}
	got, err := collect(t, newScanner(t, 1), context.Background(), src)
	if err != nil || len(got) != 1 {
		t.Fatal(err)
	}
	if r := got[0]; r.Status != findings.Complete || count(r, ssnID) != 1 || len(r.Embedded) != 2 {
		t.Errorf("%s %s, %d values", r.Status, r.Reason, count(r, ssnID))
	}
}

func TestScanArchiveMemberPanicCostsThatMemberOnly(t *testing.T) {
	// No engine: scanning any text panics. Each member is SKIPPED with
	// UNABLE_TO_PARSE_FILE; the walk still lists all three.
	s := newScanner(t, 1)
	s.Engine = nil
	src, err := NewLocal(archiveFixture(t, "tar-ustar.tar"), s.Log)
	if err != nil {
		t.Fatal(err)
	}
	got, err := collect(t, s, context.Background(), src)
	if err != nil || len(got) != 1 {
		t.Fatal(err)
	}
	r := got[0]
	if r.Status != findings.Partial || r.Reason != findings.ArchiveContainsUnprocessedFiles || len(r.Embedded) != 3 {
		t.Fatalf("%s %s, %d members", r.Status, r.Reason, len(r.Embedded))
	}
	for _, e := range r.Embedded {
		if e.Status != findings.Skipped || e.Reason != findings.UnableToParseFile {
			t.Errorf("%s: %s %s", e.Path, e.Status, e.Reason)
		}
	}
}
