package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
)

// fixture reads a file made by testdata/archives/make-archives.sh.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "archives", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// member is what a walk saw of one entry: its name, and its content's
// length and number of "ssn" lines (never the content itself).
type member struct {
	name string
	n    int64
	ssn  int
}

func walk(t *testing.T, kind string, data []byte, l Limits) ([]member, error) {
	t.Helper()
	b := NewBudget(context.Background(), l)
	var got []member
	err := Walk(kind, Input{R: bytes.NewReader(data), RA: bytes.NewReader(data), Size: int64(len(data))}, b, func(e *Entry) error {
		r, err := e.Open()
		if err != nil {
			got = append(got, member{name: e.Name, n: -1})
			return nil
		}
		body, err := io.ReadAll(r)
		got = append(got, member{e.Name, int64(len(body)), strings.Count(string(body), "123-45-6789")})
		return err
	})
	return got, err
}

var three = []member{{"dir/data.csv", 461, 1}, {"notes.txt", 1028, 1}, {"record.json", 33, 1}}

func TestWalkRealArchives(t *testing.T) {
	for _, tc := range []struct{ file, kind string }{
		{"zip-deflate.zip", "zip"}, {"zip-stored.zip", "zip"}, {"zip-bzip2.zip", "zip"},
		{"zip64.zip", "zip"}, {"zip-stream.zip", "zip"},
		{"tar-ustar.tar", "tar"}, {"tar-pax.tar", "tar"}, {"tar-gnu.tar", "tar"}, {"tar-v7.tar", "tar"},
		{"7z-lzma2.7z", "7z"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := walk(t, tc.kind, fixture(t, tc.file), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, three) {
				t.Errorf("members %+v, want %+v", got, three)
			}
		})
	}
}

func TestWalkSparseTar(t *testing.T) {
	for _, file := range []string{"tar-sparse-gnu.tar", "tar-sparse-pax.tar"} {
		got, err := walk(t, "tar", fixture(t, file), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		// The hole reads back as zeros: the whole file, the value at its end.
		if len(got) != 1 || got[0].n != 1200000+17 || got[0].ssn != 1 {
			t.Errorf("%s: %+v", file, got)
		}
	}
}

func TestWalkDecodedTars(t *testing.T) {
	for _, tc := range []struct{ file, codec string }{
		{"tar.tar.gz", "gzip"}, {"tar.tar.bz2", "bzip2"}, {"tar.tar.xz", "xz"}, {"tar.tar.zst", "zstd"},
	} {
		dec, err := NewDecoder(tc.codec, bytes.NewReader(fixture(t, tc.file)))
		if err != nil {
			t.Fatal(err)
		}
		tarBytes, err := io.ReadAll(dec)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		got, err := walk(t, "tar", tarBytes, Limits{})
		if err != nil || !slices.Equal(got, three) {
			t.Errorf("%s: %+v, %v", tc.file, got, err)
		}
	}
}

func TestDecoders(t *testing.T) {
	text := []byte(strings.Repeat("plain line\n", 1000))
	var gz, zs, sn, s2b bytes.Buffer
	// Two gzip members, as `cat a.gz b.gz` makes: one stream.
	for range 2 {
		w := gzip.NewWriter(&gz)
		w.Write(text)
		w.Close()
	}
	zw, _ := zstd.NewWriter(&zs)
	zw.Write(text)
	zw.Close()
	sw := snappy.NewBufferedWriter(&sn)
	sw.Write(text)
	sw.Close()
	s2w := s2.NewWriter(&s2b)
	s2w.Write(text)
	s2w.Close()
	for _, tc := range []struct {
		codec string
		data  []byte
		want  int
	}{
		{"gzip", gz.Bytes(), 2 * len(text)},
		{"zstd", zs.Bytes(), len(text)},
		{"snappy", sn.Bytes(), len(text)},
		{"snappy", s2b.Bytes(), len(text)},
		{"gzip", fixture(t, "multi-member.txt.gz"), 2 * 1028},
		{"bzip2", fixture(t, "data.csv.bz2"), 461},
		{"xz", fixture(t, "data.csv.xz"), 461},
		{"xz", fixture(t, "multi-stream.txt.xz"), 2 * 1028},
		{"zstd", fixture(t, "record.json.zst"), 33},
	} {
		dec, err := NewDecoder(tc.codec, bytes.NewReader(tc.data))
		if err != nil {
			t.Fatalf("%s: %v", tc.codec, err)
		}
		n, err := io.Copy(io.Discard, dec)
		dec.Close()
		if err != nil || int(n) != tc.want {
			t.Errorf("%s: %d bytes, %v; want %d", tc.codec, n, err, tc.want)
		}
	}
}

func TestDecoderErrors(t *testing.T) {
	if _, err := NewDecoder("gzip", strings.NewReader("not gzip")); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad gzip header: %v", err)
	}
	if _, err := NewDecoder("xz", strings.NewReader("not xz")); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad xz header: %v", err)
	}
	// A dictionary of 1.5 GiB is refused before it is allocated: a size
	// limit, the stream itself being valid.
	if _, err := NewDecoder("xz", bytes.NewReader(fixture(t, "big-dictionary.txt.xz"))); !errors.Is(err, ErrMemberTooBig) {
		t.Errorf("xz asking for 1.5 GiB: %v", err)
	}
	dec, err := NewDecoder("gzip", bytes.NewReader(fixture(t, "bad-crc.txt.gz")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, dec); err == nil {
		t.Error("a bad CRC read without error")
	}
	if _, err := NewDecoder("rar", nil); err == nil {
		t.Error("unknown codec accepted")
	}
}

func TestDecodedName(t *testing.T) {
	for in, want := range map[string]string{
		"data.csv.gz": "data.csv", "logs.tgz": "logs.tar", "a.tar.zst": "a.tar", "x.txz": "x.tar",
		"b.json.bz2": "b.json", "c.sz": "c", "noext": "noext", "d.TXT.GZ": "d.TXT", "e.csv": "e.csv",
	} {
		if got := DecodedName(in); got != want {
			t.Errorf("DecodedName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMemberReaderLimits(t *testing.T) {
	ctx := context.Background()
	read := func(b *Budget, n int, counted bool) (*MemberReader, int64, error) {
		m := b.Member(strings.NewReader(strings.Repeat("x", n)), counted)
		got, err := io.Copy(io.Discard, m)
		return m, got, err
	}
	b := NewBudget(ctx, Limits{MaxMemberSize: 100, MaxBytes: 250})
	if _, n, err := read(b, 100, true); err != nil || n != 100 {
		t.Fatalf("exactly at the member limit: %d, %v", n, err)
	}
	if m, _, err := read(b, 101, true); !errors.Is(err, ErrMemberTooBig) || !errors.Is(m.LimitErr(), ErrMemberTooBig) {
		t.Fatalf("over the member limit: %v", err)
	}
	// 100 + 101 counted so far; 49 more are allowed, the 50th is over.
	if _, _, err := read(b, 49, true); err != nil {
		t.Fatalf("under the total: %v", err)
	}
	if _, _, err := read(b, 50, true); !errors.Is(err, ErrTooManyBytes) || !b.Exhausted() {
		t.Fatalf("over the total: %v", err)
	}
	// Once spent, every counted read stops; an uncounted one (bytes counted
	// upstream) does not.
	if _, _, err := read(b, 1, true); !errors.Is(err, ErrTooManyBytes) {
		t.Errorf("after the total: %v", err)
	}
	if _, n, err := read(b, 10, false); err != nil || n != 10 {
		t.Errorf("uncounted read after the total: %d, %v", n, err)
	}

	f := NewBudget(ctx, Limits{MaxFiles: 2})
	first, second := f.AddFile(), f.AddFile()
	if first != nil || second != nil || !errors.Is(f.AddFile(), ErrTooManyFiles) || f.Files() != 2 {
		t.Error("file limit")
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := read(NewBudget(cctx, Limits{}), 10, true); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestStreamHasNoMemberLimitUntilAsFile(t *testing.T) {
	b := NewBudget(context.Background(), Limits{MaxMemberSize: 10})
	s := b.Stream(strings.NewReader(strings.Repeat("x", 50)))
	if n, err := io.Copy(io.Discard, s); err != nil || n != 50 || b.Bytes() != 50 {
		t.Fatalf("stream: %d, %v", n, err)
	}
	f := b.Stream(strings.NewReader(strings.Repeat("x", 50)))
	f.AsFile()
	if _, err := io.Copy(io.Discard, f); !errors.Is(err, ErrMemberTooBig) {
		t.Fatalf("stream as a file: %v", err)
	}
}

func TestWalkLimits(t *testing.T) {
	// Files: the second file is one too many.
	if _, err := walk(t, "tar", fixture(t, "tar-ustar.tar"), Limits{MaxFiles: 1}); !errors.Is(err, ErrTooManyFiles) {
		t.Errorf("tar file limit: %v", err)
	}
	// A zip's directory declares its totals: nothing is extracted.
	got, err := walk(t, "zip", fixture(t, "zip-deflate.zip"), Limits{MaxFiles: 2})
	if !errors.Is(err, ErrDeclared) || !errors.Is(err, ErrTooManyFiles) || len(got) != 0 {
		t.Errorf("zip declared files: %v, %d members", err, len(got))
	}
	got, err = walk(t, "zip", fixture(t, "overlap-bomb.zip"), Limits{})
	if !errors.Is(err, ErrDeclared) || !errors.Is(err, ErrTooManyBytes) || len(got) != 0 {
		t.Errorf("overlapping-entry bomb: %v, %d members", err, len(got))
	}
	// Bytes counted as they come out of a tar.
	if _, err := walk(t, "tar", fixture(t, "tar-ustar.tar"), Limits{MaxBytes: 500}); !errors.Is(err, ErrTooManyBytes) {
		t.Errorf("tar byte limit: %v", err)
	}
	// One member over the per-file limit fails alone.
	got, err = walk(t, "7z", fixture(t, "7z-lzma2.7z"), Limits{MaxMemberSize: 500})
	if !errors.Is(err, ErrMemberTooBig) {
		t.Errorf("7z member limit: %v (%+v)", err, got)
	}
}

func TestWalkBadInput(t *testing.T) {
	if _, err := walk(t, "zip", fixture(t, "corrupt-central-directory.zip"), Limits{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("corrupt central directory: %v", err)
	}
	got, err := walk(t, "tar", fixture(t, "truncated.tar"), Limits{})
	if !errors.Is(err, ErrMalformed) && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated tar: %v", err)
	}
	if len(got) == 0 || got[0] != three[0] {
		t.Errorf("truncated tar lost its whole first member: %+v", got)
	}
	if _, err := walk(t, "7z", fixture(t, "7z-encrypted-headers.7z"), Limits{}); !errors.Is(err, ErrEncrypted) {
		t.Errorf("7z with encrypted headers: %v", err)
	}
	// Entry names are readable; the content fails as encrypted.
	got, err = walk(t, "7z", fixture(t, "7z-encrypted-entries.7z"), Limits{})
	if !errors.Is(err, ErrEncrypted) || len(got) != 1 || got[0].name != "notes.txt" || got[0].n != 0 {
		t.Errorf("7z with encrypted entries: %+v, %v", got, err)
	}
	b := NewBudget(context.Background(), Limits{})
	var enc []bool
	err = Walk("zip", Input{RA: bytes.NewReader(fixture(t, "password.zip")), Size: int64(len(fixture(t, "password.zip")))}, b, func(e *Entry) error {
		enc = append(enc, e.Encrypted)
		if _, err := e.Open(); e.Encrypted && !errors.Is(err, ErrEncrypted) {
			t.Errorf("encrypted entry opened: %v", err)
		}
		return nil
	})
	if err != nil || !slices.Equal(enc, []bool{true, false}) {
		t.Errorf("password.zip: %v, %v", enc, err)
	}
	if err := Walk("rar", Input{}, b, nil); err == nil {
		t.Error("unknown container accepted")
	}
}

func TestWalkKeepsHostileNamesAsData(t *testing.T) {
	got, err := walk(t, "zip", fixture(t, "traversal.zip"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range got {
		names = append(names, m.name)
	}
	if want := []string{"../../etc/passwd", "/abs/notes.txt", "dup.txt", "dup.txt"}; !slices.Equal(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	got, err = walk(t, "tar", fixture(t, "traversal.tar"), Limits{})
	if err != nil || len(got) != 4 || got[0].name != "../../etc/passwd" || got[1].name != "/abs/record.json" {
		t.Errorf("tar names: %+v, %v", got, err)
	}
}

func TestZipMethodsZstd(t *testing.T) {
	// No Debian zip writes method 93 (zstd); Go's writer with klauspost's
	// encoder does, as 7-Zip ZS and WinZip do.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(methodZstd, func(w io.Writer) (io.WriteCloser, error) { return zstd.NewWriter(w) })
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "z.txt", Method: methodZstd})
	w.Write([]byte(strings.Repeat("ssn 123-45-6789\n", 10)))
	zw.Close()
	got, err := walk(t, "zip", buf.Bytes(), Limits{})
	if err != nil || len(got) != 1 || got[0].ssn != 10 {
		t.Errorf("zstd zip: %+v, %v", got, err)
	}
	// An unknown method is reported, not guessed at.
	buf.Reset()
	zw = zip.NewWriter(&buf)
	zw.RegisterCompressor(99, func(w io.Writer) (io.WriteCloser, error) { return nopWriteCloser{w}, nil })
	w, _ = zw.CreateHeader(&zip.FileHeader{Name: "aes.txt", Method: 99})
	w.Write([]byte("x"))
	zw.Close()
	b := NewBudget(context.Background(), Limits{})
	err = Walk("zip", Input{RA: bytes.NewReader(buf.Bytes()), Size: int64(buf.Len())}, b, func(e *Entry) error {
		if _, err := e.Open(); !errors.Is(err, ErrUnsupported) {
			t.Errorf("method 99: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

func TestReadAhead(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 100_000) // several chunks
	r := ReadAhead(bytes.NewReader(data))
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d of %d bytes, %v", len(got), len(data), err)
	}
	r.Close()
	// A read error comes after the data before it.
	r = ReadAhead(io.MultiReader(bytes.NewReader(data), errReader{ErrMalformed}))
	got, err = io.ReadAll(r)
	if !errors.Is(err, ErrMalformed) || len(got) != len(data) {
		t.Errorf("%d bytes, %v", len(got), err)
	}
	r.Close()
	// Closing early stops the goroutine even though the source goes on.
	r = ReadAhead(infinite{})
	buf := make([]byte, 64<<10)
	for range 2 * aheadMin / len(buf) {
		r.Read(buf) // past aheadMin: the goroutine runs
	}
	if r.(*lazyAhead).ahead == nil {
		t.Fatal("no read-ahead after the first megabyte")
	}
	r.Close()
	if _, err := r.Read(buf); err == nil {
		// the rest of what was read ahead may still be served; then it ends
		for err == nil {
			_, err = r.Read(buf)
		}
	}
}

type infinite struct{}

func (infinite) Read(p []byte) (int, error) { return len(p), nil }

func TestReadAheadPanicIsMalformed(t *testing.T) {
	r := ReadAhead(io.MultiReader(bytes.NewReader(make([]byte, 2*aheadMin)), panicky{}))
	if _, err := io.ReadAll(r); !errors.Is(err, ErrMalformed) {
		t.Errorf("a panicking decoder: %v", err)
	}
	r.Close()
}

type panicky struct{}

func (panicky) Read([]byte) (int, error) { panic("decoder bug") }
