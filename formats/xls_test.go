package formats

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// collectXLS reads a workbook with XLSSegments into the cells
// spreadsheet_test.go compares.
func collectXLS(t testing.TB, data []byte, opt OfficeOptions) ([]sheetCell, error) {
	t.Helper()
	var got []sheetCell
	err := XLSSegments(bytes.NewReader(data), int64(len(data)), opt, func(s *Segment) error {
		got = appendSheetCells(t, got, s)
		return nil
	})
	return got, err
}

// TestXLSFixture: LibreOffice's .xls of the spreadsheet fixture gives the
// same cells, references, column names and shown values as its .xlsx.
func TestXLSFixture(t *testing.T) {
	data := formatFixture(t, "office", "sheet.xls")
	if k, err := LegacyKind(bytes.NewReader(data)); k != KindXLS || err != nil {
		t.Fatalf("LegacyKind = %q, want xls", k)
	}
	got, err := collectXLS(t, data, OfficeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameCells(t, got, sheetFixtureCells)

	// Small segments: the same cells.
	got, err = collectXLS(t, data, OfficeOptions{SegmentSize: 64})
	if err != nil {
		t.Fatal(err)
	}
	sameCells(t, got, sheetFixtureCells)
}

// xlsGlobalsBOF is where the fixture's Workbook stream starts: its BOF
// record (BIFF8, workbook globals).
func xlsGlobalsBOF(t testing.TB, b []byte) int {
	t.Helper()
	i := bytes.Index(b, []byte{0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00})
	if i < 0 {
		t.Fatal("no BOF in the fixture")
	}
	return i
}

func TestXLSEncryptedAndMalformed(t *testing.T) {
	good := formatFixture(t, "office", "sheet.xls")
	bof := xlsGlobalsBOF(t, good)
	// The record after the BOF becomes a FILEPASS: Excel's password to
	// open.
	enc := bytes.Clone(good)
	binary.LittleEndian.PutUint16(enc[bof+20:], xlsFilePass)
	if cells, err := collectXLS(t, enc, OfficeOptions{}); !errors.Is(err, ErrEncrypted) || len(cells) != 0 {
		t.Errorf("encrypted: err %v, %d cells; want ErrEncrypted and none", err, len(cells))
	}
	// A record longer than BIFF8 allows.
	long := bytes.Clone(good)
	binary.LittleEndian.PutUint16(long[bof+22:], 0xFFFF)
	for name, b := range map[string][]byte{
		"record too long": long,
		"truncated":       good[:len(good)/2],
		"not OLE2":        []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 and nothing more"),
	} {
		if _, err := collectXLS(t, b, OfficeOptions{}); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

func TestReadSST(t *testing.T) {
	// Three strings: Latin-1 "abc"; "déf" + "ghi" split across a CONTINUE
	// whose flags byte switches to UTF-16; a rich string with one run and
	// 2 bytes of phonetic data, both skipped.
	sst := []byte{3, 0, 0, 0, 3, 0, 0, 0,
		3, 0, 0, 'a', 'b', 'c',
		6, 0, 0, 'd', 0xe9, 'f'}
	cont := []byte{1, 'g', 0, 'h', 0, 'i', 0,
		2, 0, 0x0c, 1, 0, 2, 0, 0, 0, 'x', 'y', 1, 2, 3, 4, 5, 6}
	got, err := readSST([][]byte{sst, cont})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"abc", "défghi", "xy"}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("got %q, want %q", got, want)
	}
	// A string claiming more characters than there are.
	if _, err := readSST([][]byte{{1, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 'a'}}); !errors.Is(err, ErrMalformed) {
		t.Errorf("short string: err = %v", err)
	}
	if _, err := readSST([][]byte{{1, 0}}); !errors.Is(err, ErrMalformed) {
		t.Errorf("short header: err = %v", err)
	}
}

func TestFormatNumber(t *testing.T) {
	cases := []struct {
		v    float64
		f    string
		want string
	}{
		{1234.5, "", "1234.5"},
		{4111111111111111, "General", "4111111111111111"},
		{1234.5, "#,##0.00", "1,234.50"},
		{-1234567, "#,##0", "-1,234,567"},
		{0.125, "0.0%", "12.5%"},
		{2, "0.00;[Red]-0.00", "2.00"},
		{12, `"USD "0.00`, "12.00"},
		{45000, "yyyy-mm-dd", "2023-03-15"},
		{45000.5, "d/m/yy h:mm", "2023-03-15 12:00:00"},
		{1e300, "yyyy", "1e+300"},
		{1.5e-7, "0.00E+00", "0.00000015"}, // an exponent: in full
		// Built-in ids, from the table XLSX shares: any date shows as ISO.
		{45000, builtinNumFormats[14], "2023-03-15"},
		{45000.75, builtinNumFormats[22], "2023-03-15 18:00:00"},
		{0.75, builtinNumFormats[20], "1899-12-30 18:00:00"},
		{-1234567, builtinNumFormats[37], "-1,234,567"},
		{-1234.567, builtinNumFormats[39], "-1,234.57"},
		{1234.5, builtinNumFormats[11], "1234.5"},
		{1234.5, builtinNumFormats[0], "1234.5"},
		{1234.5, builtinNumFormats[49], "1234.5"},
	}
	for _, c := range cases {
		if got := formatNumber(c.v, c.f, false); got != c.want {
			t.Errorf("formatNumber(%v, %q) = %q, want %q", c.v, c.f, got, c.want)
		}
	}
	if got := formatNumber(0, "yyyy-mm-dd", true); got != "1904-01-01" {
		t.Errorf("1904 date system: %q", got)
	}
	for rk, want := range map[uint32]float64{
		2<<2 | 2:       2,     // integer
		1234<<2 | 3:    12.34, // integer / 100
		0x3FF00000:     1,     // top bits of 1.0
		0x3FF00000 | 1: 0.01,  // 1.0 / 100
	} {
		if got := rkValue(rk); got != want {
			t.Errorf("rkValue(%#x) = %v, want %v", rk, got, want)
		}
	}
}

func FuzzXLS(f *testing.F) {
	good := formatFixture(f, "office", "sheet.xls")
	f.Add(good)
	enc := bytes.Clone(good)
	binary.LittleEndian.PutUint16(enc[xlsGlobalsBOF(f, good)+20:], xlsFilePass)
	f.Add(enc)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := collectXLS(t, b, OfficeOptions{SegmentSize: 256})
		if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrEncrypted) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}
