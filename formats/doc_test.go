package formats

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func docSegments(t testing.TB, b []byte, opt OfficeOptions) (string, []Segment, error) {
	t.Helper()
	var sb strings.Builder
	var segs []Segment
	err := DOCSegments(bytes.NewReader(b), int64(len(b)), opt, func(s *Segment) error {
		sb.Write(ownedText(s))
		c := *s
		c.Text = bytes.Clone(s.Text)
		segs = append(segs, c)
		return nil
	})
	return sb.String(), segs, err
}

// docFIB is where the fixture's WordDocument stream (its FIB) starts.
func docFIB(t testing.TB, b []byte) int {
	t.Helper()
	i := bytes.Index(b, []byte{0xec, 0xa5})
	if i < 0 {
		t.Fatal("no FIB in the fixture")
	}
	return i
}

// TestDOCFixture: LibreOffice's .doc of the text fixture gives the lines
// of its .docx, body first, then notes, headers and footers, comments.
func TestDOCFixture(t *testing.T) {
	b := formatFixture(t, "office", "doc-text.doc")
	if k, err := LegacyKind(bytes.NewReader(b)); k != KindDOC || err != nil {
		t.Fatalf("LegacyKind = %q, want doc", k)
	}
	text, segs, err := docSegments(t, b, OfficeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	want := []string{
		"Employee record", "Name Jane Doe lives here.", "First\tSecond", "Third line",
		"Cell A1", "Cell B1", "ssn", "123-45-6789", "Reviewed by audit.",
		"The ssn 123-45-6789 is planted here.", "Müller naïve café end",
		"\tFootnote passport X1234567", "Header Acme Confidential", "Footer page marker",
		"Comment check card 4111 1111 1111 1111",
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d", len(lines), len(want))
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d: %d bytes, want %d bytes (%d matching)", i, len(lines[i]), len(want[i]), commonPrefix(lines[i], want[i]))
		}
	}
	// Located by lines of the extracted text, as DOCX.
	i := bytes.Index(segs[0].Text, []byte("123-45-6789 is"))
	if lr := segs[0].Locate(i, i+11); lr.Start != 12 || lr.StartColumn != 9 {
		t.Errorf("line range %+v, want line 12 column 9", lr)
	}
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func TestDOCEncryptedAndMalformed(t *testing.T) {
	good := formatFixture(t, "office", "doc-text.doc")
	fib := docFIB(t, good)
	patch := func(off int, v ...byte) []byte {
		b := bytes.Clone(good)
		copy(b[fib+off:], v)
		return b
	}
	// The FIB's fEncrypted flag: Word's password to open.
	encrypted := bytes.Clone(good)
	encrypted[fib+0x0B] |= 0x01
	if _, segs, err := docSegments(t, encrypted, OfficeOptions{}); !errors.Is(err, ErrEncrypted) || len(segs) != 0 {
		t.Errorf("encrypted: err %v, %d segments; want ErrEncrypted and none", err, len(segs))
	}
	cases := map[string][]byte{
		"truncated":        good[:len(good)/2],
		"not OLE2":         []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 and nothing more"),
		"bad FIB magic":    patch(0, 0, 0),
		"CLX out of range": patch(0x01A2, 0xff, 0xff, 0xff, 0x7f),
		"empty CLX":        patch(0x01A6, 0, 0, 0, 0),
		"wrong table":      func() []byte { b := patch(0); b[fib+0x0B] ^= 0x02; return b }(),
	}
	for name, b := range cases {
		if _, _, err := docSegments(t, b, OfficeOptions{}); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

func TestPieceTable(t *testing.T) {
	// A Prc to skip, then two pieces: 3 UTF-16 characters at 0x100 and 4
	// compressed ones at byte 0x80 (stored as fc 0x100 with bit 30).
	clx := []byte{0x01, 0x02, 0x00, 0xAA, 0xBB, 0x02, 28, 0, 0, 0,
		0, 0, 0, 0, 3, 0, 0, 0, 7, 0, 0, 0,
		0, 0, 0x00, 0x01, 0x00, 0x00, 0, 0,
		0, 0, 0x00, 0x01, 0x00, 0x40, 0, 0}
	got, err := pieceTable(clx)
	if err != nil {
		t.Fatal(err)
	}
	want := []docPiece{{3, 0x100, false}, {4, 0x80, true}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("pieces %+v, want %+v", got, want)
	}
	for _, bad := range [][]byte{nil, {0x01, 0xff, 0x7f}, {0x02, 0xff, 0, 0, 0}, clx[:20]} {
		if _, err := pieceTable(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("bad CLX % x: err = %v", bad, err)
		}
	}
}

func TestWordTextMarks(t *testing.T) {
	d := &wordText{}
	// A field: begin, instruction, separator, result, end; then a cell
	// mark, a non-breaking hyphen and a picture anchor (dropped).
	for _, r := range "a\x13 HYPERLINK x \x14shown\x15b\x07c\x1ed\x01e\r" {
		d.char(r)
	}
	if got, want := string(d.out), "ashownb\nc-de\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzDOC(f *testing.F) {
	good := formatFixture(f, "office", "doc-text.doc")
	f.Add(good)
	enc := bytes.Clone(good)
	enc[docFIB(f, good)+0x0B] |= 0x01
	f.Add(enc)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, err := docSegments(t, b, OfficeOptions{SegmentSize: 256})
		if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrEncrypted) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}
