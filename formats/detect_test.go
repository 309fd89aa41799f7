package formats

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// Heads made by Go's own writers of those formats, so the magic tested is
// the one real files carry.

func zipHead(t testing.TB) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("a.txt")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("hello"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func emptyZipHead(t testing.TB) []byte {
	var b bytes.Buffer
	if err := zip.NewWriter(&b).Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipHead(t testing.TB) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("hello"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tarHead(t testing.TB) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	if err := tw.WriteHeader(&tar.Header{Name: "a.txt", Mode: 0o644, Size: 5, Format: tar.FormatPAX}); err != nil {
		t.Fatal(err)
	}
	tw.Write([]byte("hello"))
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func imageHead(t testing.TB, encode func(*bytes.Buffer, image.Image) error) []byte {
	var b bytes.Buffer
	if err := encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func utf16Bytes(s string, bigEndian bool) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 0))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// atSniffLen returns a SniffLen-long head of UTF-8 text whose last rune is
// cut after its first cut bytes, as Peek(SniffLen) returns it mid-stream.
func atSniffLen(r string, cut int) []byte {
	b := []byte(strings.Repeat("x", SniffLen-cut))
	return append(b, r[:cut]...)
}

func TestDetect(t *testing.T) {
	bin := func(name, mime string) Type { return Type{Name: name, MIME: mime} }
	text := func(enc Encoding, bom int, mime string) Type {
		return Type{Name: "text", Text: true, Encoding: enc, BOM: bom, MIME: mime}
	}
	octet := bin("binary", "application/octet-stream")

	tests := []struct {
		name string
		head []byte
		file string
		want Type
	}{
		// Magic bytes, from real writers where Go has one.
		{"zip", zipHead(t), "a.zip", bin("zip", "application/zip")},
		{"zip renamed .txt", zipHead(t), "notes.txt", bin("zip", "application/zip")},
		{"empty zip", emptyZipHead(t), "a.zip", bin("zip", "application/zip")},
		{"gzip", gzipHead(t), "a.gz", bin("gzip", "application/gzip")},
		{"gzip renamed .csv", gzipHead(t), "a.csv", bin("gzip", "application/gzip")},
		{"tar", tarHead(t), "a.tar", bin("tar", "application/x-tar")},
		{"gnu tar magic", append(make([]byte, 257), "ustar  \x00"...), "a", bin("tar", "application/x-tar")},
		{"png", imageHead(t, func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) }), "a.png", bin("png", "image/png")},
		{"jpeg", imageHead(t, func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) }), "a.jpg", bin("jpeg", "image/jpeg")},
		{"gif", imageHead(t, func(b *bytes.Buffer, m image.Image) error { return gif.Encode(b, m, nil) }), "a.gif", bin("gif", "image/gif")},
		// Magic bytes as the format's specification gives them.
		{"bzip2", []byte("BZh91AY&SY\x00\x01"), "a.bz2", bin("bzip2", "application/x-bzip2")},
		{"xz", []byte("\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4\x46"), "a.xz", bin("xz", "application/x-xz")},
		{"zstd", []byte("\x28\xb5\x2f\xfd\x04\x58\x29\x00"), "a.zst", bin("zstd", "application/zstd")},
		{"7z", []byte("7z\xbc\xaf\x27\x1c\x00\x04"), "a.7z", bin("7z", "application/x-7z-compressed")},
		{"snappy framed", []byte("\xff\x06\x00\x00sNaPpY\x01\x09\x00\x00"), "a.sz", bin("snappy", "application/x-snappy-framed")},
		{"s2 framed", []byte("\xff\x06\x00\x00S2sTwO\x01\x09\x00\x00"), "a.s2", bin("snappy", "application/x-snappy-framed")},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "a.pdf", bin("pdf", "application/pdf")},
		{"ole2", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), "a.doc", bin("ole2", "application/x-ole-storage")},
		{"parquet", []byte("PAR1\x15\x04\x15"), "a.parquet", bin("parquet", "application/vnd.apache.parquet")},
		{"avro", []byte("Obj\x01\x04\x14avro.codec"), "a.avro", bin("avro", "application/avro")},
		{"elf", []byte("\x7fELF\x02\x01\x01\x00"), "a.out", bin("elf", "application/x-executable")},
		{"sqlite", []byte("SQLite format 3\x00\x10\x00\x01\x01"), "a.db", bin("sqlite", "application/vnd.sqlite3")},
		{"magic cut short is not magic", []byte("\x89PN"), "a.png", text(Latin1, 0, "text/plain")},
		{"tar magic past the end", append(make([]byte, 257), "usta"...), "a.tar", octet},

		// UTF-8.
		{"empty", nil, "", text(UTF8, 0, "text/plain")},
		{"empty .json", []byte{}, "a.json", text(UTF8, 0, "application/json")},
		{"ascii", []byte("hello, world\n"), "a.txt", text(UTF8, 0, "text/plain")},
		{"utf-8", []byte("naïve café — 中文 𝄞\r\n"), "a.txt", text(UTF8, 0, "text/plain")},
		{"utf-8 bom", []byte("\xef\xbb\xbfcafé"), "a.txt", text(UTF8, 3, "text/plain")},
		{"utf-8 bom only", []byte("\xef\xbb\xbf"), "a.txt", text(UTF8, 3, "text/plain")},
		{"escape sequences are text", []byte("\x1b[31mred\x1b[0m\tok\f\v\n"), "a.log", text(UTF8, 0, "text/plain")},
		{"window ends mid 2-byte rune", atSniffLen("é", 1), "a.txt", text(UTF8, 0, "text/plain")},
		{"window ends mid 3-byte rune", atSniffLen("€", 2), "a.txt", text(UTF8, 0, "text/plain")},
		{"window ends mid 4-byte rune", atSniffLen("𝄞", 3), "a.txt", text(UTF8, 0, "text/plain")},

		// UTF-16.
		{"utf-16le bom", append([]byte("\xff\xfe"), utf16Bytes("héllo\r\n", false)...), "a.txt", text(UTF16LE, 2, "text/plain")},
		{"utf-16be bom", append([]byte("\xfe\xff"), utf16Bytes("héllo\r\n", true)...), "a.txt", text(UTF16BE, 2, "text/plain")},
		{"utf-16le no bom", utf16Bytes("Export from Windows\r\nline two\r\n", false), "a.csv", text(UTF16LE, 0, "text/csv")},
		{"utf-16be no bom", utf16Bytes("Export from Windows\r\nline two\r\n", true), "a.log", text(UTF16BE, 0, "text/plain")},
		{"utf-16le no bom, odd length", utf16Bytes("Export from Windows", false)[:37], "a.txt", text(UTF16LE, 0, "text/plain")},
		{"utf-16 too short to sniff", utf16Bytes("hi", false), "a.txt", octet},

		// Latin-1 (Windows-1252).
		{"latin-1 café", []byte("caf\xe9 au lait\n"), "a.txt", text(Latin1, 0, "text/plain")},
		{"latin-1 ending in é", []byte("caf\xe9"), "a.txt", text(Latin1, 0, "text/plain")},
		{"latin-1 ending in a cut-looking byte", []byte("Num\xe9ro: S\xe3o Jo\xe3"), "a.csv", text(Latin1, 0, "text/csv")},
		{"windows-1252 quotes", []byte("\x93quoted\x94 \x80 5"), "a.txt", text(Latin1, 0, "text/plain")},
		{"utf-8 invalid in the middle", append(atSniffLen("é", 1)[:100], "\xc3(rest"...), "a.txt", text(Latin1, 0, "text/plain")},

		// Binary.
		{"random binary", randomBytes(1, 4096), "a.txt", octet},
		{"random binary, no name", randomBytes(2, SniffLen), "", octet},
		{"nul bytes", []byte("abc\x00def\x00"), "a.txt", octet},
		{"all nul", make([]byte, 64), "a.txt", octet},
		{"control characters, not utf-8", bytes.Repeat([]byte("\x01\x02\x03abc\xff\x04\x05\x06"), 20), "a.txt", octet},
		{"few control characters, not utf-8", append(bytes.Repeat([]byte("plain words \xe9 "), 20), "\x01\x02"...), "a.txt", text(Latin1, 0, "text/plain")},
		// Valid UTF-8 is text before the control ratio is looked at.
		{"control characters, valid utf-8", bytes.Repeat([]byte("\x01\x02\x03abc\x7f\x04\x05\x06"), 20), "a.txt", text(UTF8, 0, "text/plain")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.head) > SniffLen {
				tc.head = tc.head[:SniffLen]
			}
			got := Detect(tc.head, tc.file)
			if got != tc.want {
				t.Errorf("Detect(% x..., %q) = %+v, want %+v", prefix(tc.head, 16), tc.file, got, tc.want)
			}
		})
	}
}

func prefix(b []byte, n int) []byte { return b[:min(n, len(b))] }

func TestDetectMIMEFromName(t *testing.T) {
	tests := []struct{ file, want string }{
		{"data.csv", "text/csv"},
		{"DATA.CSV", "text/csv"},
		{"dir/sub.dir/data.json", "application/json"},
		{"a.jsonl", "application/jsonl"},
		{"a.ndjson", "application/jsonl"},
		{"a.tsv", "text/tab-separated-values"},
		{"a.xml", "application/xml"},
		{"a.html", "text/html"},
		{"a.htm", "text/html"},
		{"a.yaml", "application/yaml"},
		{"a.yml", "application/yaml"},
		{"README.md", "text/markdown"},
		{"app.log", "text/plain"},
		{"a.txt", "text/plain"},
		{"a.unknownext", "text/plain"},
		{"Makefile", "text/plain"},
		{".env", "text/plain"},
		{"", "text/plain"},
		{"csv", "text/plain"},
		{"a.csv.gz", "text/plain"}, // the text inside a .gz is named by the .gz's entry, not here
	}
	for _, tc := range tests {
		for _, head := range [][]byte{[]byte("a,b\n1,2\n"), []byte("caf\xe9\n"), append([]byte("\xff\xfe"), utf16Bytes("a,b", false)...)} {
			got := Detect(head, tc.file)
			if !got.Text || got.MIME != tc.want {
				t.Errorf("Detect(%q, %q) = %+v, want text with MIME %q", head, tc.file, got, tc.want)
			}
		}
	}
}

// The name never overrides content: binary stays binary whatever it is called.
func TestDetectContentBeatsName(t *testing.T) {
	for _, file := range []string{"a.txt", "a.csv", "a.json", "a.md"} {
		if got := Detect(gzipHead(t), file); got.Text || got.Name != "gzip" {
			t.Errorf("gzip named %q: %+v", file, got)
		}
		if got := Detect([]byte("\x00\x01\x02\x03binary"), file); got.Text || got.MIME != "application/octet-stream" {
			t.Errorf("binary named %q: %+v", file, got)
		}
	}
}

func TestEncodingString(t *testing.T) {
	want := map[Encoding]string{UTF8: "utf-8", UTF16LE: "utf-16le", UTF16BE: "utf-16be", Latin1: "windows-1252"}
	for enc, s := range want {
		if enc.String() != s {
			t.Errorf("%d.String() = %q, want %q", int(enc), enc.String(), s)
		}
	}
}

// The sample files made for the demo decode to what their bytes say, through
// the same path the scanner takes: Detect, skip the BOM, TextSegments.
func TestDetectSampleEncodings(t *testing.T) {
	tests := []struct {
		file     string
		enc      Encoding
		bom      int
		contains string
		lines    int
	}{
		{"latin1.txt", Latin1, 0, "Numéro de sécurité", 1},
		{"utf16le.txt", UTF16LE, 2, "Export from Windows\r\n", 2},
		{"windows.txt", UTF8, 0, "Line one\r\nLine two\r\n", 3},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "testdata", "sample", "encodings", tc.file))
			if err != nil {
				t.Skip("sample file not present:", err)
			}
			typ := Detect(prefix(data, SniffLen), tc.file)
			if !typ.Text || typ.Encoding != tc.enc || typ.BOM != tc.bom {
				t.Fatalf("Detect = %+v, want text %v with BOM %d", typ, tc.enc, tc.bom)
			}
			var got []byte
			lines := 0
			err = TextSegments(bytes.NewReader(data[typ.BOM:]), typ.Encoding, DefaultTextOptions, func(s *Segment) error {
				got = append(got, s.Text[s.Owned:s.OwnedEnd]...)
				lines = s.Locate(0, len(s.Text)).End
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), tc.contains) {
				t.Errorf("decoded %q, want it to contain %q", got, tc.contains)
			}
			if lines != tc.lines {
				t.Errorf("last line %d, want %d", lines, tc.lines)
			}
		})
	}
}

func FuzzDetect(f *testing.F) {
	f.Add([]byte{}, "")
	f.Add(zipHead(f), "a.txt")
	f.Add(gzipHead(f), "a.gz")
	f.Add(tarHead(f), "a.tar")
	f.Add([]byte("%PDF-1.4\n"), "a.pdf")
	f.Add([]byte("\xef\xbb\xbfhello"), "a.csv")
	f.Add(append([]byte("\xff\xfe"), utf16Bytes("hello", false)...), "a.json")
	f.Add(utf16Bytes("hello world", true), "a.log")
	f.Add([]byte("caf\xe9"), "a.txt")
	f.Add([]byte("naïve café 𝄞"), "a.md")
	f.Add(atSniffLen("€", 2), "a.txt")
	f.Add(randomBytes(3, 256), "x")
	f.Fuzz(func(t *testing.T, head []byte, name string) {
		if len(head) > SniffLen {
			head = head[:SniffLen]
		}
		got := Detect(head, name)
		if got.MIME == "" || got.Name == "" {
			t.Fatalf("Detect = %+v: empty Name or MIME", got)
		}
		if got.Text != (got.Name == "text") {
			t.Fatalf("Detect = %+v: Text and Name disagree", got)
		}
		if !got.Text && (got.BOM != 0 || got.Encoding != UTF8) {
			t.Fatalf("Detect = %+v: binary with an encoding", got)
		}
		if got.BOM < 0 || got.BOM > len(head) {
			t.Fatalf("Detect = %+v: BOM longer than the head (%d bytes)", got, len(head))
		}
		_ = got.Encoding.String()
		// Detect is a pure function of its input.
		if again := Detect(head, name); again != got {
			t.Fatalf("Detect not deterministic: %+v then %+v", got, again)
		}
	})
}

// A Unix V7 tar (GNU tar --format=v7) has no "ustar" magic; its header
// checksum says what it is. A header with one byte changed, or text that
// merely starts like a file name, is not a tar.
func TestDetectV7Tar(t *testing.T) {
	tarFile, err := os.ReadFile("../testdata/archives/tar-v7.tar")
	if err != nil {
		t.Fatal(err)
	}
	if got := Detect(tarFile[:SniffLen], "backup.bin"); got.Name != "tar" {
		t.Errorf("V7 tar: %+v", got)
	}
	bad := slices.Clone(tarFile[:SniffLen])
	bad[10] ^= 1 // inside the name: the checksum no longer adds up
	if got := Detect(bad, "backup.bin"); got.Name == "tar" {
		t.Errorf("V7 tar with a wrong checksum detected as tar")
	}
	text := []byte(strings.Repeat("notes.txt and some words\n", 40))
	if got := Detect(text, "notes.txt"); got.Name != "text" {
		t.Errorf("text: %+v", got)
	}
}
