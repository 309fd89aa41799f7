package formats

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// numFormatCases: what excelize v2.11.1 (trawl's earlier XLSX reader)
// showed for these codes and values, recorded from a differential run.
var numFormatCases = []struct{ code, value, want string }{
	{"#,##0 ;(#,##0)", "-1234.5678", "(1,235)"},
	{"#,##0 ;(#,##0)", "0.125", "0 "},
	{"#,##0 ;(#,##0)", "1234.5", "1,235 "},
	{"#,##0", "-1234.5678", "-1,235"},
	{"#,##0", "0.125", "0"},
	{"#,##0", "1234.5", "1,235"},
	{"#,##0.00 \"EUR\"", "-1234.5678", "-1,234.57 EUR"},
	{"#,##0.00 \"EUR\"", "0.125", "0.13 EUR"},
	{"#,##0.00 \"EUR\"", "1234.5", "1,234.50 EUR"},
	{"#,##0.00", "-1234.5678", "-1,234.57"},
	{"#,##0.00", "0.125", "0.13"},
	{"#,##0.00", "1234.5", "1,234.50"},
	{"#,##0.00;(#,##0.00)", "-1234.5678", "(1,234.57)"},
	{"#,##0.00;(#,##0.00)", "0.125", "0.13"},
	{"#,##0.00;(#,##0.00)", "1234.5", "1,234.50"},
	{"#.##", "-1234.5678", "-1234.57"},
	{"#.##", "0.125", "0.13"},
	{"#.##", "1234.5", "1234.5"},
	{"0", "-1234.5678", "-1235"},
	{"0", "0.125", "0"},
	{"0", "1234.5", "1235"},
	{"0%", "-1234.5678", "-123457%"},
	{"0%", "0.125", "13%"},
	{"0%", "1234.5", "123450%"},
	{"0.0#", "-1234.5678", "-1234.57"},
	{"0.0#", "0.125", "0.13"},
	{"0.0#", "1234.5", "1234.5"},
	{"0.00", "-1234.5678", "-1234.57"},
	{"0.00", "0.125", "0.13"},
	{"0.00", "1234.5", "1234.50"},
	{"0.00%", "-1234.5678", "-123456.78%"},
	{"0.00%", "0.125", "12.50%"},
	{"0.00%", "1234.5", "123450.00%"},
	{"0.00;[Red]-0.00", "-1234.5678", "-1234.57"},
	{"0.00;[Red]-0.00", "0.125", "0.13"},
	{"0.00;[Red]-0.00", "1234.5", "1234.50"},
	{"0.00E+00", "-1234.5678", "-1.23E+03"},
	{"0.00E+00", "0.125", "1.25E-01"},
	{"0.00E+00", "1234.5", "1.23E+03"},
	{"000-00-0000", "-1234.5678", "-000-00-1235"},
	{"000-00-0000", "0.125", "000-00-0000"},
	{"000-00-0000", "1234.5", "000-00-1235"},
	{"@", "-1234.5678", "-1234.5678"},
	{"@", "0.125", "0.125"},
	{"@", "1234.5", "1234.5"},
	{"General", "-1234.5678", "-1234.5678"},
	{"General", "0.125", "0.125"},
	{"General", "1234.5", "1234.5"},
	{"[$-409]mmmm d, yyyy", "-1234.5678", "-1234.5678"},
	{"[$-409]mmmm d, yyyy", "0.125", "January 0, 1900"},
	{"[$-409]mmmm d, yyyy", "1234.5", "May 18, 1903"},
	{"[h]:mm:ss", "-1234.5678", "-1234.5678"},
	{"[h]:mm:ss", "0.125", "3:00:00"},
	{"[h]:mm:ss", "1234.5", "29628:00:00"},
	{"\"$\"#,##0.00", "-1234.5678", "-$1,234.57"},
	{"\"$\"#,##0.00", "0.125", "$0.13"},
	{"\"$\"#,##0.00", "1234.5", "$1,234.50"},
	{"d-mmm", "-1234.5678", "-1234.5678"},
	{"d-mmm", "0.125", "0-Jan"},
	{"d-mmm", "1234.5", "18-May"},
	{"d-mmm-yy", "-1234.5678", "-1234.5678"},
	{"d-mmm-yy", "0.125", "0-Jan-00"},
	{"d-mmm-yy", "1234.5", "18-May-03"},
	{"dd/mm/yyyy", "-1234.5678", "-1234.5678"},
	{"dd/mm/yyyy", "0.125", "00/01/1900"},
	{"dd/mm/yyyy", "1234.5", "18/05/1903"},
	{"dddd", "-1234.5678", "-1234.5678"},
	{"dddd", "0.125", "Saturday"},
	{"dddd", "1234.5", "Monday"},
	{"h:mm AM/PM", "-1234.5678", "-1234.5678"},
	{"h:mm AM/PM", "0.125", "3:00 AM"},
	{"h:mm AM/PM", "1234.5", "12:00 PM"},
	{"h:mm:ss AM/PM", "-1234.5678", "-1234.5678"},
	{"h:mm:ss AM/PM", "0.125", "3:00:00 AM"},
	{"h:mm:ss AM/PM", "1234.5", "12:00:00 PM"},
	{"hh:mm", "-1234.5678", "-1234.5678"},
	{"hh:mm", "0.125", "03:00"},
	{"hh:mm", "1234.5", "12:00"},
	{"hh:mm:ss", "-1234.5678", "-1234.5678"},
	{"hh:mm:ss", "0.125", "03:00:00"},
	{"hh:mm:ss", "1234.5", "12:00:00"},
	{"m/d/yy hh:mm", "-1234.5678", "-1234.5678"},
	{"m/d/yy hh:mm", "0.125", "1/0/00 03:00"},
	{"m/d/yy hh:mm", "1234.5", "5/18/03 12:00"},
	{"mm-dd-yy", "-1234.5678", "-1234.5678"},
	{"mm-dd-yy", "0.125", "01-00-00"},
	{"mm-dd-yy", "1234.5", "05-18-03"},
	{"mm:ss", "-1234.5678", "-1234.5678"},
	{"mm:ss", "0.125", "00:00"},
	{"mm:ss", "1234.5", "00:00"},
	{"mmm-yy", "-1234.5678", "-1234.5678"},
	{"mmm-yy", "0.125", "Jan-00"},
	{"mmm-yy", "1234.5", "May-03"},
	{"mmmm", "-1234.5678", "-1234.5678"},
	{"mmmm", "0.125", "January"},
	{"mmmm", "1234.5", "May"},
	{"yyyy-mm-dd hh:mm:ss", "-1234.5678", "-1234.5678"},
	{"yyyy-mm-dd hh:mm:ss", "0.125", "1900-01-00 03:00:00"},
	{"yyyy-mm-dd hh:mm:ss", "1234.5", "1903-05-18 12:00:00"},
	{"yyyy-mm-dd", "-1234.5678", "-1234.5678"},
	{"yyyy-mm-dd", "0.125", "1900-01-00"},
	{"yyyy-mm-dd", "1234.5", "1903-05-18"},
	{builtinNumFormats[14], "-1234.5678", "-1234.5678"},
	{builtinNumFormats[14], "45000.75", "03-15-23"},
	{builtinNumFormats[22], "-1234.5678", "-1234.5678"},
	{builtinNumFormats[22], "45000.75", "3/15/23 18:00"},
	{builtinNumFormats[39], "-1234.5678", "(1,234.57)"},
	{builtinNumFormats[39], "45000.75", "45,000.75 "},
	{builtinNumFormats[47], "-1234.5678", "-1234.5678"},
	{builtinNumFormats[47], "45000.75", "00:00.0"},
	{"[h]:mm:ss", "45000.75", "1080018:00:00"},
	{"dddd", "45000.75", "Wednesday"},
	{"yyyy-mm-dd hh:mm:ss", "45000.75", "2023-03-15 18:00:00"},
}

func TestXLSXNumFormats(t *testing.T) {
	for _, c := range numFormatCases {
		got := string(parseNumFormat(c.code).appendValue(nil, []byte(c.value), false))
		if got != c.want {
			t.Errorf("format %q of %s = %q, want %q", c.code, c.value, got, c.want)
		}
	}
	// Where trawl parts from excelize on purpose or in its details.
	for _, c := range []struct {
		code, value string
		date1904    bool
		want        string
	}{
		// General keeps 15 significant digits (excelize cut a custom
		// "General" to 11, losing a card number stored as a number).
		{"General", "3.14159265358979", false, "3.14159265358979"},
		{"General", "4111111111111111", false, "4.11111111111111E+15"},
		{"General", "411111111111111", false, "411111111111111"},
		// A date format on what is no date shows the number.
		{"yyyy-mm-dd", "-1", false, "-1"},
		{"yyyy-mm-dd", "3000000", false, "3000000"},
		{"yyyy-mm-dd", "0", false, "1900-01-00"},
		{"yyyy-mm-dd", "59", false, "1900-02-28"},
		{"yyyy-mm-dd", "60", false, "1900-02-29"}, // Excel's (and Lotus's) phantom day
		{"yyyy-mm-dd", "61", false, "1900-03-01"},
		{"yyyy-mm-dd", "0", true, "1904-01-01"},
		{"d/m/yyyy", "45000", true, "16/3/2027"},
		{"d/m/yyyy", "45000", false, "15/3/2023"},
		{"mm:ss.00", "0.500005787", false, "00:00.50"},
		{"0.00", "not a number", false, "not a number"},
		{"0.00", "1e400", false, "1e400"},
		{"###-##-####", "123456789", false, "123-45-6789"},
		{"000-00-0000", "78051120", false, "078-05-1120"},
		{"0000 0000 0000 0000", "4111111111111111", false, "4111 1111 1111 1110"},
		{"# ?/?", "1.5", false, "1.5"}, // fractions: General
		{"@", "123", false, "123"},
		{"0;-0;\"zero\"", "0", false, "zero"},
		{"0.00_);(0.00)", "-2", false, "(2.00)"},
		// Conditional sections: Excel's Special > Phone Number format.
		{"[<=9999999]###-####;\\(###\\)\\ ###-####", "2065551234", false, "(206) 555-1234"},
		{"[<=9999999]###-####;(###) ###-####", "5551234", false, "555-1234"},
		{"[>=100]\"big \"0;[<0]\"neg \"0;\"small \"0", "5", false, "small 5"},
		{"[>=100]\"big \"0;[<0]\"neg \"0;\"small \"0", "500", false, "big 500"},
	} {
		got := string(parseNumFormat(c.code).appendValue(nil, []byte(c.value), c.date1904))
		if got != c.want {
			t.Errorf("format %q of %s (1904 %v) = %q, want %q", c.code, c.value, c.date1904, got, c.want)
		}
	}
}

// xlsxPart is a part of a hand-made workbook.
type xlsxPart struct{ name, body string }

const (
	xlsxMainNS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	xlsxRelNS  = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
	xlsxRelT   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

// makeXLSX zips parts into a workbook; with no workbook part given, one
// with sheets S1 (sheet1.xml) and S2 (sheet2.xml), styles and shared
// strings is added.
func makeXLSX(t testing.TB, parts ...xlsxPart) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	defaults := []xlsxPart{
		{"_rels/.rels", `<Relationships ` + xlsxRelNS + `><Relationship Id="rId1" Type="` + xlsxRelT + `officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook ` + xlsxMainNS + `><sheets><sheet name="S1" sheetId="1" r:id="rId1"/><sheet name="Chart" sheetId="3" r:id="rId9"/><sheet name="S2" sheetId="2" r:id="rId2"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships ` + xlsxRelNS + `>` +
			`<Relationship Id="rId1" Type="` + xlsxRelT + `worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + xlsxRelT + `worksheet" Target="/xl/worksheets/sheet2.xml"/>` +
			`<Relationship Id="rId9" Type="` + xlsxRelT + `chartsheet" Target="chartsheets/sheet1.xml"/>` +
			`<Relationship Id="rId3" Type="` + xlsxRelT + `styles" Target="styles.xml"/>` +
			`<Relationship Id="rId4" Type="` + xlsxRelT + `sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/styles.xml", `<styleSheet ` + xlsxMainNS + `><numFmts count="1"><numFmt numFmtId="164" formatCode="000-00-0000"/></numFmts>` +
			`<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>`},
		{"xl/sharedStrings.xml", `<sst ` + xlsxMainNS + ` uniqueCount="4"><si><t>SSN</t></si>` +
			`<si><r><rPr><b/></rPr><t>card </t></r><r><t xml:space="preserve">4111 1111 1111 1111</t></r><rPh><t>phonetic</t></rPh></si>` +
			`<si><t>a&amp;b &lt;c&gt; &#x41;&#66; line_x000D_end</t></si><si/><si><t><![CDATA[<raw>&amp;]]></t></si></sst>`},
		{"xl/worksheets/sheet2.xml", `<worksheet ` + xlsxMainNS + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>only</t></is></c></row></sheetData></worksheet>`},
	}
	bodies := map[string]string{}
	var names []string
	for _, p := range defaults {
		bodies[p.name] = p.body
		names = append(names, p.name)
	}
	for _, p := range parts {
		if _, ok := bodies[p.name]; !ok {
			names = append(names, p.name)
		}
		bodies[p.name] = p.body // "" leaves the part out
	}
	for _, name := range names {
		if bodies[name] == "" {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, bodies[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sheet1(rows string) xlsxPart {
	return xlsxPart{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?>
<!-- made by hand --><worksheet ` + xlsxMainNS + `><dimension ref="A1:D9"/><sheetData>` + rows + `</sheetData><pageMargins left="0.7"/></worksheet>`}
}

func TestXLSXCells(t *testing.T) {
	data := makeXLSX(t, sheet1(
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><v>notes</v></c></row>`+
			`<row r="3" spans="1:4"><c r="A3" s="1"><v>78051120</v></c><c r="B3" t="s"><v>1</v></c><c t="b"><v>1</v></c><c t="e"><v>#DIV/0!</v></c></row>`+
			`<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="A4" t="s"><x:v> 2 </x:v></x:c><x:c r="C4" s="2"><x:f>TODAY()</x:f><x:v>45000</x:v></x:c></x:row>`+
			`<row r="5"><c r="A5" t="s"><v>3</v></c><c r="B5" t="s"><v>99</v></c><c r="C5" t="s"><v>4</v></c><c r="D5" t="inlineStr"><is><r><t>in</t></r><r><t>line_x005F_x0041_</t></r></is></c></row>`+
			`<row r="6"><c r="A6"/><c r="ZZZZZ6"><v>7</v></c><c r="C6" s="99999"><v>1.50</v></c><c r="D6" t="b"><v>0</v></c></row>`))
	got, err := collectSheets(t, data, KindXLSX, OfficeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []sheetCell{
		{"S1!A1", "SSN", "SSN", 1, 1, -1},
		{"S1!B1", "notes", "notes", 1, 2, -1},
		{"S1!A3", "SSN", "078-05-1120", 3, 1, 0},
		{"S1!B3", "notes", "card 4111 1111 1111 1111", 3, 2, 1},
		{"S1!C3", "", "TRUE", 3, 3, -1},
		{"S1!D3", "", "#DIV/0!", 3, 4, -1},
		{"S1!A4", "SSN", "a&b <c> AB line\rend", 4, 1, 0},
		{"S1!C4", "", "03-15-23", 4, 3, -1},
		{"S1!C5", "", "<raw>&amp;", 5, 3, -1},
		{"S1!D5", "", "inline_x0041_", 5, 4, -1},
		// A reference past the sheet's bounds: the next column.
		{"S1!B6", "notes", "7", 6, 2, 1},
		{"S1!C6", "", "1.5", 6, 3, -1}, // a style that does not exist: General
		{"S1!D6", "", "FALSE", 6, 4, -1},
		{"S2!A1", "only", "only", 1, 1, -1},
	}
	// A5 (an empty shared string) and B5 (an index past the table) give
	// nothing.
	sameCells(t, got, want)
}

func TestXLSXStructure(t *testing.T) {
	ok := sheet1(`<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>`)
	// No shared strings or styles part: still read.
	data := makeXLSX(t, ok, xlsxPart{"xl/sharedStrings.xml", ""}, xlsxPart{"xl/styles.xml", ""})
	if got, err := collectSheets(t, data, KindXLSX, OfficeOptions{}); err != nil || len(got) != 2 {
		t.Errorf("no sst/styles: %v, %v", got, err)
	}
	// No workbook relationships: the sheets are found where writers put
	// them (sheet1.xml, sheet2.xml... in workbook order; the chart sheet
	// takes the second name, which holds S2's cells).
	data = makeXLSX(t, ok, xlsxPart{"xl/_rels/workbook.xml.rels", ""})
	if got, err := collectSheets(t, data, KindXLSX, OfficeOptions{}); err != nil || len(got) != 2 || got[0].Ref != "S1!A1" || got[1].Ref != "Chart!A1" {
		t.Errorf("no workbook rels: %v, %v", got, err)
	}
	// A worksheet part named but missing, no workbook, a sheet cut short:
	// malformed.
	for name, d := range map[string][]byte{
		"missing sheet":   makeXLSX(t),
		"no workbook":     makeXLSX(t, ok, xlsxPart{"xl/workbook.xml", ""}),
		"cut sheet":       makeXLSX(t, xlsxPart{"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row r="1"><c r="A1" t="str"><v>x</v></c>`}),
		"unclosed tag":    makeXLSX(t, xlsxPart{"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row r="1"`}),
		"bad styles XML":  makeXLSX(t, ok, xlsxPart{"xl/styles.xml", `<styleSheet><cellXfs><xf numFmtId="x"/></cellXfs></styleSheet>`}),
		"bad workbook":    makeXLSX(t, ok, xlsxPart{"xl/workbook.xml", `<workbook><sheets>&123-45-6789;</sheets></workbook>`}),
		"unterminated si": makeXLSX(t, ok, xlsxPart{"xl/sharedStrings.xml", `<sst><si><t><![CDATA[123-45-6789`}),
	} {
		got, err := collectSheets(t, d, KindXLSX, OfficeOptions{})
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %d cells, %v", name, len(got), err)
		}
		if err != nil && strings.Contains(err.Error(), "123-45") {
			t.Errorf("%s: the error quotes the document", name)
		}
	}
	// A cut sheet keeps the cells before the cut.
	d := makeXLSX(t, xlsxPart{"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row r="1"><c r="A1" t="str"><v>x</v></c></row><row r="2"><c r="A2" t="str"><v>y`})
	if got, _ := collectSheets(t, d, KindXLSX, OfficeOptions{}); len(got) != 1 || got[0].Text != "x" {
		t.Errorf("cut sheet gave %v", got)
	}
	// An error from fn stops the read and comes back as is.
	stop := errors.New("stop")
	if err := SpreadsheetSegments(bytes.NewReader(data), int64(len(data)), KindXLSX, OfficeOptions{}, func(*Segment) error { return stop }); err != stop {
		t.Errorf("fn error: %v", err)
	}
}

// TestXLSXSharedStringsLimit: the shared-strings table may not take more
// memory than MaxSharedStrings; the workbook is then skipped with
// ErrUncompressedSize (OOXML_UNCOMPRESSED_SIZE_EXCEEDS_LIMIT).
func TestXLSXSharedStringsLimit(t *testing.T) {
	var sst strings.Builder
	sst.WriteString(`<sst>`)
	for i := range 1000 {
		fmt.Fprintf(&sst, `<si><t>value number %04d</t></si>`, i)
	}
	sst.WriteString(`</sst>`)
	data := makeXLSX(t, sheet1(`<row r="1"><c r="A1" t="s"><v>999</v></c></row>`), xlsxPart{"xl/sharedStrings.xml", sst.String()})
	// 1,000 strings of 17 bytes and their 4-byte index: 21,000 bytes.
	got, err := collectSheets(t, data, KindXLSX, OfficeOptions{MaxSharedStrings: 21000})
	if err != nil || len(got) != 2 || got[0].Text != "value number 0999" {
		t.Errorf("at the limit: %v, %v", got, err)
	}
	if _, err := collectSheets(t, data, KindXLSX, OfficeOptions{MaxSharedStrings: 20999}); !errors.Is(err, ErrUncompressedSize) {
		t.Errorf("past the limit: %v", err)
	}
	// The workbook's MaxUncompressed budget counts the parts as read.
	if _, err := collectSheets(t, data, KindXLSX, OfficeOptions{MaxUncompressed: 1000}); !errors.Is(err, ErrUncompressedSize) {
		t.Errorf("past MaxUncompressed: %v", err)
	}
}

// TestXLSXSharedStringsLimitWithinString: the limit holds while one
// string grows, not only when it ends: a single <si> (closed or left open
// at the end of the part) may not fill memory past MaxSharedStrings.
func TestXLSXSharedStringsLimitWithinString(t *testing.T) {
	const limit = 64 << 10
	big := strings.Repeat("x", 64*limit)
	for name, sst := range map[string]string{
		"one string": `<sst><si><t>` + big + `</t></si></sst>`,
		"left open":  `<sst><si><t>` + big,
		"empty si":   `<sst>` + strings.Repeat(`<si/>`, limit) + `</sst>`,
	} {
		data := makeXLSX(t, sheet1(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`), xlsxPart{"xl/sharedStrings.xml", sst})
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := collectSheets(t, data, KindXLSX, OfficeOptions{MaxSharedStrings: limit, MaxRatio: 1e6})
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrUncompressedSize) {
			t.Errorf("%s: %v, want ErrUncompressedSize", name, err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 16*limit {
			t.Errorf("%s: %d bytes allocated for a %d-byte limit", name, grew, limit)
		}
	}
}

// TestXLSXLongNumFormat: a format code past Excel's 255 characters is not
// applied: 100,000 decimal places would make every cell 100 KB of text.
func TestXLSXLongNumFormat(t *testing.T) {
	styles := `<styleSheet ` + xlsxMainNS + `><numFmts count="1"><numFmt numFmtId="164" formatCode="0.` + strings.Repeat("0", 100000) + `"/></numFmts>` +
		`<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>`
	data := makeXLSX(t, sheet1(`<row r="1"><c r="A1" s="1"><v>1.5</v></c></row>`), xlsxPart{"xl/styles.xml", styles})
	got, err := collectSheets(t, data, KindXLSX, OfficeOptions{MaxRatio: 1e6})
	if err != nil || len(got) == 0 || got[0].Text != "1.5" {
		n := 0
		if len(got) > 0 {
			n = len(got[0].Text)
		}
		t.Errorf("got %d cells (first %d bytes), %v; want 1.5", len(got), n, err)
	}
}

// TestXLSXHugeCell: a cell's text past xlsxMaxCell ends the sheet as
// malformed, after the cells before it, instead of growing without bound.
func TestXLSXHugeCell(t *testing.T) {
	if testing.Short() {
		t.Skip("a 16 MiB cell")
	}
	for _, c := range []struct {
		size      int
		malformed bool
	}{{xlsxMaxCell, false}, {xlsxMaxCell + 1, true}} {
		data := makeXLSX(t, sheet1(`<row r="1"><c r="A1" t="str"><v>head</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>`+
			strings.Repeat("x", c.size)+`</t></is></c></row>`))
		got, err := collectSheets(t, data, KindXLSX, OfficeOptions{MaxRatio: 1e6})
		if errors.Is(err, ErrMalformed) != c.malformed || len(got) == 0 || got[0].Text != "head" {
			t.Errorf("cell of %d bytes: %d parts, %v", c.size, len(got), err)
		}
	}
}

// TestXMLScanner drives the tokenizer with a reader that gives one byte at
// a time and a buffer smaller than the tokens, so every token crosses a
// refill.
func TestXMLScanner(t *testing.T) {
	long := strings.Repeat("v", 3*xmlScanBuffer)
	in := `<?xml version="1.0"?><!DOCTYPE x><!-- a > comment --><a:root xmlns:a="u" q='it''s'><e at=">" b = "2" /><t>` +
		long + `&amp;</t><![CDATA[<not a tag>]]></a:root >`
	x := newXMLScanner(&oneByteReader{strings.NewReader(in)})
	var got []string
	var text []byte
	for {
		if err := x.next(); err != nil {
			t.Fatal(err)
		}
		switch x.kind {
		case xmlEOF:
			want := []string{"start root", "start e empty", "start t", "end t", "cdata <not a tag>", "end root"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("tokens %q, want %q", got, want)
			}
			if string(text) != long+"&" {
				t.Errorf("text of %d bytes, want %d", len(text), len(long)+1)
			}
			return
		case xmlStart:
			tok := "start " + string(x.name)
			if x.empty {
				tok += " empty"
				if v, _ := xmlAttr(x.attrs, "at"); string(v) != ">" {
					t.Errorf("attribute at = %q", v)
				}
				if v, _ := xmlAttr(x.attrs, "b"); string(v) != "2" {
					t.Errorf("attribute b = %q", v)
				}
			}
			got = append(got, tok)
		case xmlEnd:
			got = append(got, "end "+string(x.name))
		case xmlText:
			text = appendXMLText(text, x.text)
		case xmlCDATA:
			got = append(got, "cdata "+string(x.text))
		}
	}
}

type oneByteReader struct{ r io.Reader }

func (o *oneByteReader) Read(p []byte) (int, error) { return o.r.Read(p[:min(len(p), 1)]) }

func TestXMLScannerErrors(t *testing.T) {
	for name, in := range map[string]string{
		"unterminated tag":     `<a b="1"`,
		"unterminated comment": `<!-- x`,
		"unterminated CDATA":   `<![CDATA[x`,
		"huge tag":             `<a b="` + strings.Repeat("x", xmlMaxToken) + `"/>`,
	} {
		x := newXMLScanner(strings.NewReader(in))
		var err error
		for err == nil {
			if err = x.next(); x.kind == xmlEOF {
				break
			}
		}
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"a&lt;b&#38;&#x26;&bogus;&#xD800;&", "a<b&&&bogus;&#xD800;&"},
		{"x\r\ny\rz", "x\ny\nz"},
	} {
		if got := string(appendXMLText(nil, []byte(c.in))); got != c.want {
			t.Errorf("appendXMLText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzXLSXStream feeds the XLSX reader workbooks, and the tokenizer raw
// XML, seeded with the fixtures and the hand-made parts above.
func FuzzXLSXStream(f *testing.F) {
	f.Add(formatFixture(f, "office", "sheet.xlsx"))
	f.Add(makeXLSX(f, sheet1(`<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" s="1"><v>78051120</v></c><c r="C1" s="2"><v>45000</v></c></row>`)))
	f.Add([]byte(`<sst><si><t>a&amp;b</t></si><si><r><t>c</t></r><rPh><t>d</t></rPh></si></sst>`))
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`))
	opt := OfficeOptions{MaxUncompressed: 4 << 20, SegmentSize: 64, MaxSharedStrings: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		SpreadsheetSegments(bytes.NewReader(data), int64(len(data)), KindXLSX, opt, fuzzCheckParts(t))
		// The same bytes as a sheet and as a shared-strings table.
		for _, name := range []string{"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"} {
			wb := makeXLSX(t, xlsxPart{name, string(data)})
			SpreadsheetSegments(bytes.NewReader(wb), int64(len(wb)), KindXLSX, opt, func(*Segment) error { return nil })
		}
	})
}

// TestXMLScannerHostileText: text made of what the decoder looks at
// twice ('&' with no ';', '<' that open nothing) stays linear.
func TestXMLScannerHostileText(t *testing.T) {
	if testing.Short() {
		t.Skip("16 MiB of text")
	}
	for _, unit := range []string{"&", "&#", "]]", "\r"} {
		in := "<t>" + strings.Repeat(unit, 8<<20/len(unit)) + "</t>"
		x := newXMLScanner(strings.NewReader(in))
		var n int
		var out []byte
		for {
			if err := x.next(); err != nil {
				t.Fatal(err)
			}
			if x.kind == xmlEOF {
				break
			}
			if x.kind == xmlText {
				out = appendXMLText(out[:0], x.text)
				n += len(x.text)
			}
		}
		if n != len(in)-7 {
			t.Errorf("%q: %d bytes of text, want %d", unit, n, len(in)-7)
		}
	}
}
