package formats

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// formatFixture reads a file made by a testdata/formats script, from the
// folder dir (office, mail, markup, pdf).
func formatFixture(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "formats", dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// docText joins the owned text of every segment.
func docText(b []byte, kind string, opt OfficeOptions) (string, []*Segment, error) {
	var sb strings.Builder
	var segs []*Segment
	err := DocumentSegments(bytes.NewReader(b), int64(len(b)), kind, opt, func(s *Segment) error {
		sb.Write(ownedText(s))
		c := *s
		c.Text = append([]byte(nil), s.Text...)
		segs = append(segs, &c)
		return nil
	})
	return sb.String(), segs, err
}

func TestDocumentFixtures(t *testing.T) {
	textLines := []string{
		"Employee record",
		"First\tSecond",
		"Third line",
		"Cell A1", "Cell B1", "ssn", "123-45-6789",
		"The ssn 123-45-6789 is planted here.",
		"Müller naïve café end",
		"Header Acme Confidential",
		"Footer page marker",
	}
	slideLines := []string{
		"Slide one title", "Customer ssn 123-45-6789", "Second bullet",
		"Notes one secret phone 555-0100",
		"Slide two title", "Notes two end",
	}
	cases := []struct {
		file, kind string
		lines      []string // in order, each a whole line
		anywhere   []string // lines whose place is up to the format
	}{
		// Word keeps notes and comments in parts of their own, after the
		// body, headers and footers (LibreOffice starts a footnote with a tab).
		{"doc-text.docx", KindDOCX, append(textLines, "\tFootnote passport X1234567", "Comment check card 4111 1111 1111 1111"),
			[]string{"Name Jane Doe lives here.", "Reviewed by audit."}},
		// ODF has them inline, so they cut their paragraph.
		{"doc-text.odt", KindODT, textLines, []string{"Name Jane Doe", "Footnote passport X1234567", " lives here.",
			"Reviewed", "Comment check card 4111 1111 1111 1111", " by audit."}},
		{"doc-slides.pptx", KindPPTX, slideLines, nil},
		{"doc-slides.odp", KindODP, slideLines, nil},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			b := formatFixture(t, "office", c.file)
			if k := OfficeKind(bytes.NewReader(b), int64(len(b))); k != c.kind {
				t.Fatalf("OfficeKind = %q, want %q", k, c.kind)
			}
			text, segs, err := docText(b, c.kind, OfficeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(text, "\n")
			at := 0
			for _, want := range c.lines {
				i := at
				for i < len(lines) && lines[i] != want {
					i++
				}
				if i == len(lines) {
					t.Fatalf("line %q not found after line %d in:\n%s", want, at+1, text)
				}
				at = i + 1
			}
			for _, want := range c.anywhere {
				if !strings.Contains("\n"+text+"\n", "\n"+want+"\n") {
					t.Errorf("line %q missing in:\n%s", want, text)
				}
			}
			// Locate a planted value: its line is where the joined text has it.
			const planted = "123-45-6789"
			off := strings.Index(text, planted)
			wantLine := strings.Count(text[:off], "\n") + 1
			wantCol := len([]rune(text[strings.LastIndexByte(text[:off], '\n')+1:off])) + 1
			s := segs[0]
			i := bytes.Index(s.Text, []byte(planted))
			lr := s.Locate(i, i+len(planted))
			if lr != (LineRange{Start: wantLine, End: wantLine, StartColumn: wantCol}) {
				t.Errorf("Locate = %+v, want line %d column %d", lr, wantLine, wantCol)
			}
		})
	}
}

// Small segments: the same text comes out, cut with overlaps, and located
// values keep their lines.
func TestDocumentSmallSegments(t *testing.T) {
	b := formatFixture(t, "office", "doc-text.docx")
	whole, _, err := docText(b, KindDOCX, OfficeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cut, segs, err := docText(b, KindDOCX, OfficeOptions{SegmentSize: 64})
	if err != nil {
		t.Fatal(err)
	}
	if cut != whole {
		t.Fatalf("text with 64-byte segments differs:\n%q\n%q", cut, whole)
	}
	if len(segs) < 5 {
		t.Fatalf("only %d segments", len(segs))
	}
	const planted = "Footer page marker"
	off := strings.Index(whole, planted)
	wantLine := strings.Count(whole[:off], "\n") + 1
	found := false
	for _, s := range segs {
		if i := bytes.Index(s.Text, []byte(planted)); i >= 0 && s.Owns(i) {
			found = true
			if lr := s.Locate(i, i+len(planted)); lr.Start != wantLine || lr.StartColumn != 1 {
				t.Errorf("Locate = %+v, want line %d column 1", lr, wantLine)
			}
		}
	}
	if !found {
		t.Fatal("planted value not owned by any segment")
	}
}

func zipOf(t testing.TB, method uint16, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(entries); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: entries[i], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(entries[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDocumentLimits(t *testing.T) {
	bomb := `<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>` + strings.Repeat("\x00", 0) +
		strings.Repeat("0", 50<<20) + `</w:t></w:r></w:p></w:body></w:document>`
	b := zipOf(t, zip.Deflate, "word/document.xml", bomb)
	start := time.Now()
	_, _, err := docText(b, KindDOCX, OfficeOptions{})
	if !errors.Is(err, ErrUncompressedRatio) {
		t.Errorf("50 MB of zeros: %v, want ErrUncompressedRatio", err)
	}
	_, _, err = docText(b, KindDOCX, OfficeOptions{MaxRatio: 1e9, MaxUncompressed: 1 << 20})
	if !errors.Is(err, ErrUncompressedSize) {
		t.Errorf("over the size budget: %v, want ErrUncompressedSize", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("limits took %v", d)
	}
}

func TestDocumentMalformed(t *testing.T) {
	b := formatFixture(t, "office", "doc-text.docx")
	if _, _, err := docText(b[:len(b)/2], KindDOCX, OfficeOptions{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("truncated zip: %v, want ErrMalformed", err)
	}
	bad := zipOf(t, zip.Store, "word/document.xml", `<w:document><w:body><w:p><w:r><w:t>ssn 123-45-6789</w:t></w:r></w:p><w:p></w:body>`)
	text, _, err := docText(bad, KindDOCX, OfficeOptions{})
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("bad XML: %v, want ErrMalformed", err)
	}
	_ = text
	// An XML error names its line, not the text it stopped at.
	leak := zipOf(t, zip.Store, "word/document.xml", `<w:document><w:body><w:p><w:r><w:t>ssn &123-45-6789;</w:t></w:r></w:p></w:body></w:document>`)
	if _, _, err := docText(leak, KindDOCX, OfficeOptions{}); !errors.Is(err, ErrMalformed) || strings.Contains(err.Error(), "123-45") {
		t.Errorf("bad entity: malformed %v, message quotes the text %v", errors.Is(err, ErrMalformed), err != nil && strings.Contains(err.Error(), "123-45"))
	}
	if _, _, err := docText(zipOf(t, zip.Store, "x", "y"), KindDOCX, OfficeOptions{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("no main part: %v, want ErrMalformed", err)
	}
	// A callback error comes back as it is.
	stop := errors.New("stop")
	err = DocumentSegments(bytes.NewReader(b), int64(len(b)), KindDOCX, OfficeOptions{SegmentSize: 64}, func(*Segment) error { return stop })
	if err != stop {
		t.Errorf("callback error: %v", err)
	}
}

func TestDocumentEncryptedODF(t *testing.T) {
	manifest := `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="1000">
  <manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">
   <manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>
  </manifest:encryption-data>
 </manifest:file-entry>
</manifest:manifest>`
	b := zipOf(t, zip.Store, "mimetype", "application/vnd.oasis.opendocument.text",
		"META-INF/manifest.xml", manifest, "content.xml", "\x8f\x01binary ciphertext")
	if k := OfficeKind(bytes.NewReader(b), int64(len(b))); k != KindODT {
		t.Fatalf("OfficeKind = %q", k)
	}
	if _, _, err := docText(b, KindODT, OfficeOptions{}); !errors.Is(err, ErrEncrypted) {
		t.Errorf("encrypted ODT: %v, want ErrEncrypted", err)
	}
}

func TestIsEncryptedOffice(t *testing.T) {
	// Made by make-zencrypted-office.sh and the other fixture scripts.
	for name, want := range map[string]bool{
		"sheet-encrypted.xlsx":           true,  // OLE2: EncryptionInfo + EncryptedPackage
		"sheet.xls":                      false, // OLE2: Workbook
		"doc-text.doc":                   false, // OLE2: WordDocument
		"doc-names-encryptedpackage.doc": false, // its text spells both names in UTF-16
		"doc-text.docx":                  false, // a zip
		"sheet.xlsx":                     false,
	} {
		b := formatFixture(t, "office", name)
		if got := IsEncryptedOffice(bytes.NewReader(b), int64(len(b))); got != want {
			t.Errorf("%s: IsEncryptedOffice = %v, want %v", name, got, want)
		}
	}
	// The fixture's text does spell the name as a directory does, so a
	// byte search would be fooled.
	doc := formatFixture(t, "office", "doc-names-encryptedpackage.doc")
	if !bytes.Contains(doc, utf16le("EncryptedPackage")) {
		t.Error("doc-names-encryptedpackage.doc does not hold the UTF-16 name")
	}
	// A truncated encrypted package: its directory sectors are gone.
	enc := formatFixture(t, "office", "sheet-encrypted.xlsx")
	if IsEncryptedOffice(bytes.NewReader(enc[:600]), 600) {
		t.Error("truncated OLE2 file taken as encrypted")
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, c := range s {
		b = append(b, byte(c), byte(c>>8))
	}
	return b
}

func FuzzDocumentSegments(f *testing.F) {
	for _, name := range []string{"doc-text.docx", "doc-text.odt", "doc-slides.pptx", "doc-slides.odp"} {
		f.Add(formatFixture(f, "office", name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		kind := OfficeKind(bytes.NewReader(b), int64(len(b)))
		if kind == "" || kind == KindXLSX || kind == KindODS {
			kind = KindDOCX
		}
		start := time.Now()
		err := DocumentSegments(bytes.NewReader(b), int64(len(b)), kind,
			OfficeOptions{SegmentSize: 256, MaxUncompressed: 4 << 20}, func(s *Segment) error {
				if len(s.Text) > 256 {
					t.Fatalf("segment of %d bytes", len(s.Text))
				}
				return nil
			})
		if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrEncrypted) &&
			!errors.Is(err, ErrUncompressedSize) && !errors.Is(err, ErrUncompressedRatio) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("took %v", d)
		}
		IsEncryptedOffice(bytes.NewReader(b), int64(len(b)))
	})
}
