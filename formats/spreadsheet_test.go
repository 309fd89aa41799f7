package formats

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// sheetCell is one part as a finding would locate it.
type sheetCell struct {
	Ref, ColumnName, Text string
	Row, Col, Ctx         int
}

// String leaves the text out (fixtures hold planted values): its length
// only.
func (c sheetCell) String() string {
	return fmt.Sprintf("%s(r%d c%d %q ctx%d)=%d bytes", c.Ref, c.Row, c.Col, c.ColumnName, c.Ctx, len(c.Text))
}

// sameCells compares cells without printing their text (fixtures hold
// planted values).
func sameCells(t *testing.T, got, want []sheetCell) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d cells, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		if g.Text != w.Text {
			t.Errorf("cell %d (%s): %d bytes of text, want %d bytes", i, w.Ref, len(g.Text), len(w.Text))
		}
		g.Text, w.Text = "", ""
		if g != w {
			t.Errorf("cell %d: %+v, want %+v", i, g, w)
		}
	}
}

// collectSheets runs SpreadsheetSegments and checks the conventions every
// segment must keep, returning its parts.
func collectSheets(t testing.TB, data []byte, kind string, opt OfficeOptions) ([]sheetCell, error) {
	var got []sheetCell
	err := SpreadsheetSegments(bytes.NewReader(data), int64(len(data)), kind, opt, func(s *Segment) error {
		got = appendSheetCells(t, got, s)
		return nil
	})
	return got, err
}

// appendSheetCells checks the conventions a segment of cells must keep
// and appends its cells to got.
func appendSheetCells(t testing.TB, got []sheetCell, s *Segment) []sheetCell {
	if s.Layout != Cells || s.Sheet == "" {
		t.Errorf("segment layout %v sheet %q", s.Layout, s.Sheet)
	}
	for i, p := range s.Parts {
		if p.Start < 0 || p.End > len(s.Text) || p.Start >= p.End || (i > 0 && p.Start <= s.Parts[i-1].End) {
			t.Fatalf("bad part %d %+v in %d bytes", i, p, len(s.Text))
		}
		if p.Ctx >= len(s.Contexts) {
			t.Fatalf("part ctx %d of %d contexts", p.Ctx, len(s.Contexts))
		}
		if p.Ctx >= 0 && p.Ctx != p.Col-1 {
			t.Errorf("part ctx %d, col %d", p.Ctx, p.Col)
		}
		o := s.Where(p.Start, p.End)
		if o.Cell == nil || o.Cell.CellReference == nil {
			t.Fatalf("no cell location: %+v", o)
		}
		got = append(got, sheetCell{Ref: *o.Cell.CellReference, ColumnName: o.Cell.ColumnName,
			Text: string(s.Text[p.Start:p.End]), Row: o.Cell.Row, Col: o.Cell.Column, Ctx: p.Ctx})
	}
	return got
}

// The cells of the workbook testdata/formats/make-spreadsheets.sh makes.
var sheetFixtureCells = []sheetCell{
	{"People!A1", "id", "id", 1, 1, -1},
	{"People!B1", "SSN", "SSN", 1, 2, -1},
	{"People!C1", "amount", "amount", 1, 3, -1},
	{"People!D1", "double", "double", 1, 4, -1},
	{"People!E1", "notes", "notes", 1, 5, -1},
	{"People!A2", "id", "1", 2, 1, 0},
	{"People!B2", "SSN", "123-45-6789", 2, 2, 1},
	{"People!C2", "amount", "1,234.50", 2, 3, 2},
	{"People!D2", "double", "2469", 2, 4, 3},
	{"People!E2", "notes", "card 4111111111111111 on file", 2, 5, 4},
	{"People!A3", "id", "2", 3, 1, 0},
	{"People!B3", "SSN", "078-05-1120", 3, 2, 1},
	{"People!C3", "amount", "20.00", 3, 3, 2},
	{"People!D3", "double", "40", 3, 4, 3},
	{"People!A5", "id", "3", 5, 1, 0},
	{"People!E5", "notes", "Ørjan Ñúñez", 5, 5, 4},
	{"Cards!A1", "card number", "card number", 1, 1, -1},
	{"Cards!B1", "notes", "notes", 1, 2, -1},
	{"Cards!A2", "card number", "5500 0000 0000 0004", 2, 1, 0},
	{"Cards!B2", "notes", "exp 02/26", 2, 2, 1},
}

func TestSpreadsheetFixtures(t *testing.T) {
	for _, tc := range []struct{ file, kind string }{
		{"sheet.xlsx", KindXLSX},
		{"sheet.ods", KindODS},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data := formatFixture(t, "office", tc.file)
			if k := OfficeKind(bytes.NewReader(data), int64(len(data))); k != tc.kind {
				t.Fatalf("OfficeKind = %q", k)
			}
			got, err := collectSheets(t, data, tc.kind, OfficeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sameCells(t, got, sheetFixtureCells)
		})
	}
}

// TestSpreadsheetSmallSegments cuts the fixture into tiny segments: the
// same cells come out, and a cell larger than a segment is cut with
// overlap.
func TestSpreadsheetSmallSegments(t *testing.T) {
	data := formatFixture(t, "office", "sheet.xlsx")
	var texts []string
	var cut []string
	err := SpreadsheetSegments(bytes.NewReader(data), int64(len(data)), KindXLSX, OfficeOptions{SegmentSize: 64}, func(s *Segment) error {
		if len(s.Text) > 64 {
			t.Errorf("segment of %d bytes", len(s.Text))
		}
		for _, p := range s.Parts {
			texts = append(texts, string(s.Text[p.Start:p.End]))
		}
		cut = append(cut, s.Sheet)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != len(sheetFixtureCells) || len(cut) < 2 {
		t.Fatalf("%d parts in %d segments", len(texts), len(cut))
	}

	// One long cell, cut: the owned spans tile the text exactly.
	long := strings.Repeat("abcdefghij", 30) + "123-45-6789"
	s := newSheetSink(64, nil)
	var owned strings.Builder
	s.fn = func(g *Segment) error {
		end := g.OwnedEnd
		if end == 0 {
			end = len(g.Text)
		}
		owned.Write(g.Text[g.Owned:end])
		if len(g.Parts) != 1 || g.Parts[0].Row != 2 || g.Parts[0].Col != 3 {
			t.Errorf("cut part %+v", g.Parts)
		}
		return nil
	}
	if err := s.startSheet("S"); err != nil {
		t.Fatal(err)
	}
	if err := s.cell(2, 3, long); err != nil {
		t.Fatal(err)
	}
	if owned.String() != long {
		t.Errorf("owned spans give %d bytes, not the cell's %d", owned.Len(), len(long))
	}
}

// makeODS builds an ODS from a content.xml body (the office:spreadsheet
// element's content).
func makeODS(t testing.TB, body string, encrypted bool) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
	enc := ""
	if encrypted {
		enc = `<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>`
	}
	w, _ = zw.Create("META-INF/manifest.xml")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">%s</manifest:file-entry>
</manifest:manifest>`, enc)
	w, _ = zw.Create("content.xml")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>%s</office:spreadsheet></office:body></office:document-content>`, body)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSpreadsheetODSRepeats(t *testing.T) {
	body := `<table:table table:name="T">
<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>SSN</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="float" office:value="7"/><table:table-cell table:number-columns-repeated="2"><text:p>a <text:s text:c="2"/>b</text:p><text:p>c<office:annotation><text:p>comment</text:p></office:annotation></text:p></table:table-cell></table:table-row>
</table:table>
<table:table table:name="U"><table:table-row table:number-rows-repeated="1000000000"><table:table-cell table:number-columns-repeated="1000000000"><text:p>x</text:p></table:table-cell></table:table-row></table:table>`
	data := makeODS(t, body, false)
	var got []sheetCell
	n := 0
	err := SpreadsheetSegments(bytes.NewReader(data), int64(len(data)), KindODS, OfficeOptions{}, func(s *Segment) error {
		for _, p := range s.Parts {
			if s.Sheet == "U" {
				n++
				continue
			}
			o := s.Where(p.Start, p.End)
			got = append(got, sheetCell{Ref: *o.Cell.CellReference, ColumnName: o.Cell.ColumnName,
				Text: string(s.Text[p.Start:p.End]), Row: o.Cell.Row, Col: o.Cell.Column, Ctx: p.Ctx})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r := 1048578
	want := []sheetCell{{"T!C1", "SSN", "SSN", 1, 3, -1}}
	for row := r; row < r+2; row++ {
		ref := fmt.Sprint(row)
		want = append(want,
			sheetCell{"T!A" + ref, "", "7", row, 1, 0},
			sheetCell{"T!B" + ref, "", "a   b\nc", row, 2, 1},
			sheetCell{"T!C" + ref, "SSN", "a   b\nc", row, 3, 2})
	}
	sameCells(t, got, want)
	// The huge repeat of a non-empty cell delivers the first copy and what
	// is left of the workbook's repeat budget (sheet T used 4), no more.
	if want := 1 + odsRepeatBudget - 4; n != want {
		t.Errorf("sheet U gave %d cells, want %d", n, want)
	}
}

func TestSpreadsheetEncrypted(t *testing.T) {
	enc := formatFixture(t, "office", "sheet-encrypted.xlsx") // see make-zencrypted-office.sh
	if !bytes.HasPrefix(enc, []byte(ole2Magic)) {
		t.Fatal("the encrypted fixture is not an OLE2 file")
	}
	if _, err := collectSheets(t, enc, KindXLSX, OfficeOptions{}); !errors.Is(err, ErrEncrypted) {
		t.Errorf("encrypted xlsx: %v", err)
	}
	if _, err := collectSheets(t, makeODS(t, "", true), KindODS, OfficeOptions{}); !errors.Is(err, ErrEncrypted) {
		t.Errorf("encrypted ods: %v", err)
	}
}

// bombXLSX is the fixture with its first sheet padded by 50 MB of spaces.
func bombXLSX(t testing.TB) []byte {
	src := formatFixture(t, "office", "sheet.xlsx")
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		if f.Name == "xl/worksheets/sheet1.xml" {
			i := bytes.Index(b.Bytes(), []byte("<sheetData>"))
			w.Write(b.Bytes()[:i])
			pad := bytes.Repeat([]byte(" "), 1<<20)
			for range 50 {
				w.Write(pad)
			}
			w.Write(b.Bytes()[i:])
			continue
		}
		w.Write(b.Bytes())
	}
	zw.Close()
	return buf.Bytes()
}

func TestSpreadsheetLimits(t *testing.T) {
	bomb := bombXLSX(t)
	if _, err := collectSheets(t, bomb, KindXLSX, OfficeOptions{}); !errors.Is(err, ErrUncompressedRatio) {
		t.Errorf("xlsx bomb, default ratio: %v", err)
	}
	if _, err := collectSheets(t, bomb, KindXLSX, OfficeOptions{MaxRatio: 1e9, MaxUncompressed: 1 << 20}); !errors.Is(err, ErrUncompressedSize) {
		t.Errorf("xlsx bomb, 1 MiB: %v", err)
	}
	// Within generous limits the padding is just whitespace.
	if got, err := collectSheets(t, bomb, KindXLSX, OfficeOptions{MaxRatio: 1e9}); err != nil || len(got) != len(sheetFixtureCells) {
		t.Errorf("xlsx bomb, no limits: %d cells, %v", len(got), err)
	}

	body := `<table:table table:name="T"><table:table-row><table:table-cell><text:p>` +
		strings.Repeat(" ", 50<<20) + `x</text:p></table:table-cell></table:table-row></table:table>`
	ods := makeODS(t, body, false)
	if _, err := collectSheets(t, ods, KindODS, OfficeOptions{}); !errors.Is(err, ErrUncompressedRatio) {
		t.Errorf("ods bomb, default ratio: %v", err)
	}
	if _, err := collectSheets(t, ods, KindODS, OfficeOptions{MaxRatio: 1e9, MaxUncompressed: 1 << 20}); !errors.Is(err, ErrUncompressedSize) {
		t.Errorf("ods bomb, 1 MiB: %v", err)
	}
}

func TestSpreadsheetMalformed(t *testing.T) {
	for _, tc := range []struct{ file, kind string }{
		{"sheet.xlsx", KindXLSX},
		{"sheet.ods", KindODS},
	} {
		data := formatFixture(t, "office", tc.file)
		if _, err := collectSheets(t, data[:len(data)/2], tc.kind, OfficeOptions{}); !errors.Is(err, ErrMalformed) {
			t.Errorf("truncated %s: %v", tc.file, err)
		}
		if _, err := collectSheets(t, []byte("not a zip"), tc.kind, OfficeOptions{}); !errors.Is(err, ErrMalformed) {
			t.Errorf("garbage as %s: %v", tc.kind, err)
		}
	}
	// content.xml cut inside a table: the cells before the break, then
	// ErrMalformed.
	data := makeODS(t, `<table:table table:name="T"><table:table-row><table:table-cell><text:p>a</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>b`, false)
	got, err := collectSheets(t, data, KindODS, OfficeOptions{})
	if !errors.Is(err, ErrMalformed) || len(got) != 1 || got[0].Text != "a" {
		t.Errorf("cut content.xml: %v, %v", got, err)
	}
	// An XML error names its line, not the text it stopped at.
	data = makeODS(t, `<table:table table:name="T"><table:table-row><table:table-cell><text:p>&123-45-6789;</text:p></table:table-cell></table:table-row></table:table>`, false)
	if _, err := collectSheets(t, data, KindODS, OfficeOptions{}); !errors.Is(err, ErrMalformed) || strings.Contains(err.Error(), "123-45") {
		t.Errorf("bad entity: malformed %v, message quotes the text %v", errors.Is(err, ErrMalformed), err != nil && strings.Contains(err.Error(), "123-45"))
	}
	// An error from fn comes back as is.
	stop := errors.New("stop")
	d := formatFixture(t, "office", "sheet.xlsx")
	if err := SpreadsheetSegments(bytes.NewReader(d), int64(len(d)), KindXLSX, OfficeOptions{}, func(*Segment) error { return stop }); err != stop {
		t.Errorf("fn error: %v", err)
	}
}

func FuzzSpreadsheetSegments(f *testing.F) {
	for _, name := range []string{"sheet.xlsx", "sheet.ods"} {
		f.Add(formatFixture(f, "office", name))
	}
	f.Add(makeODS(f, `<table:table table:name="T"><table:table-row table:number-rows-repeated="9"><table:table-cell table:number-columns-repeated="9"><text:p>x</text:p></table:table-cell></table:table-row></table:table>`, false))
	opt := OfficeOptions{MaxUncompressed: 4 << 20, SegmentSize: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range []string{KindXLSX, KindODS} {
			SpreadsheetSegments(bytes.NewReader(data), int64(len(data)), kind, opt, fuzzCheckParts(t))
		}
	})
}

// fuzzCheckParts is a segment callback for fuzz targets: every part lies
// within the text and locates without a panic.
func fuzzCheckParts(t *testing.T) func(*Segment) error {
	return func(s *Segment) error {
		for _, p := range s.Parts {
			if p.Start < 0 || p.End > len(s.Text) || p.Start > p.End {
				t.Fatalf("bad part %+v in %d bytes", p, len(s.Text))
			}
			s.Where(p.Start, p.End)
		}
		return nil
	}
}
