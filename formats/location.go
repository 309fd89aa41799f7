package formats

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Cell is Macie's cells location: 1-based row and column, the column's
// name, and for spreadsheets the cell reference ("Sheet2!C5"; null for
// CSV and TSV).
type Cell struct {
	Row           int     `json:"row"`
	Column        int     `json:"column"`
	ColumnName    string  `json:"columnName"`
	CellReference *string `json:"cellReference"`
}

// Record is Macie's records location: the 0-based record (the line of a
// JSON Lines file; always 0 for a JSON document) and the JSON path.
type Record struct {
	RecordIndex int    `json:"recordIndex"`
	JSONPath    string `json:"jsonPath"`
}

// Page is Macie's pages location for a PDF: the 1-based page number and,
// beyond Macie (which reserves the field), the lines within the page's text
// as trawl extracts it. offsetRange stays null, as in Macie.
type Page struct {
	PageNumber  int        `json:"pageNumber"`
	LineRange   *LineRange `json:"lineRange"`
	OffsetRange *LineRange `json:"offsetRange"`
}

// Occurrence is where a value sits: exactly one of Line, Cell, Record and
// Page is set. File names the archive member that holds it
// ("outer.zip!dir/inner.tar!data.csv"), empty outside archives.
type Occurrence struct {
	Line   *LineRange
	Cell   *Cell
	Record *Record
	Page   *Page
	File   string
}

// Layout says how a segment's parts are located.
type Layout int

const (
	// Lines: plain text, located by line and column.
	Lines Layout = iota
	// Cells: each part is a cell of a table.
	Cells
	// Records: each part is a value in a record (JSON, JSONL, Avro, Parquet).
	Records
)

// Part is an independent piece of a segment's text: a cell, or a value of
// a record. No match and no keyword proximity crosses its bounds, and the
// names of its context count as near all of it. Parts are ordered, do not
// overlap, and are separated by at least one byte that is not a letter
// (extractors put a newline between them).
type Part struct {
	Start, End int
	// Ctx indexes Segment.Contexts (-1 for none).
	Ctx int
	// Row and Col (1-based) locate a cell.
	Row, Col int
	// Record and Path locate a value of a record.
	Record int
	Path   string
}

// PartAt returns the index of the part that holds offset off, or -1.
func (s *Segment) PartAt(off int) int { return PartIndex(s.Parts, off) }

// PartIndex returns the index of the part of parts (ordered, not
// overlapping) that holds offset off, or -1.
func PartIndex(parts []Part, off int) int {
	i := sort.Search(len(parts), func(i int) bool { return parts[i].End > off })
	if i < len(parts) && parts[i].Start <= off {
		return i
	}
	return -1
}

// Where locates the span [start, end) of Text in the segment's layout.
func (s *Segment) Where(start, end int) Occurrence {
	if s.Layout == Lines || len(s.Parts) == 0 {
		lr := s.Locate(start, end)
		if s.Page > 0 {
			return Occurrence{Page: &Page{PageNumber: s.Page, LineRange: &lr}}
		}
		return Occurrence{Line: &lr}
	}
	p := s.Parts[max(s.PartAt(start), 0)]
	if s.Layout == Records {
		return Occurrence{Record: &Record{RecordIndex: p.Record, JSONPath: p.Path}}
	}
	c := &Cell{Row: p.Row, Column: p.Col}
	if p.Col-1 < len(s.ColumnNames) {
		c.ColumnName = s.ColumnNames[p.Col-1]
	}
	if s.Sheet != "" {
		ref := s.Sheet + "!" + ColumnLetters(p.Col) + strconv.Itoa(p.Row)
		c.CellReference = &ref
	}
	return Occurrence{Cell: c}
}

// ColumnLetters turns a 1-based column number into spreadsheet letters:
// 1 is A, 27 is AA.
func ColumnLetters(col int) string {
	var b []byte
	for ; col > 0; col = (col - 1) / 26 {
		b = append([]byte{byte('A' + (col-1)%26)}, b...)
	}
	return string(b)
}

// NamedValue returns the text at [start, end) when a name that locates the
// part holding it contains that text: its column's name, its JSON path
// (as the path writes it, escapes included), its sheet's name. A header
// cell or an object key that is itself a detected value is such a text,
// and so is a value repeated in a header. A location is written in the
// clear, so such a text must be masked wherever locations are written
// (see MaskName). It runs for every detection in a table or a record, so
// the common answer, no, costs no allocation.
func (s *Segment) NamedValue(start, end int) (string, bool) {
	if s.Layout == Lines || len(s.Parts) == 0 || start >= end || end > len(s.Text) {
		return "", false
	}
	p := s.Parts[max(s.PartAt(start), 0)]
	name := s.Sheet
	switch {
	case s.Layout == Records:
		name = p.Path
	case p.Col-1 < len(s.ColumnNames):
		name = s.ColumnNames[p.Col-1]
	}
	v := s.Text[start:end]
	if containsName(name, v) || (s.Sheet != name && containsName(s.Sheet, v)) {
		return string(v), true
	}
	return "", false
}

func containsName(name string, v []byte) bool {
	if name == "" {
		return false
	}
	if strings.Contains(name, string(v)) {
		return true
	}
	return needsEscape(v) && strings.Contains(name, escapedName(string(v)))
}

func needsEscape(v []byte) bool {
	return bytes.ContainsFunc(v, func(c rune) bool { return c == '\'' || c == '\\' || c < 0x20 })
}

// escapedName is v as a JSON path writes it inside ['...'].
func escapedName(v string) string {
	if !needsEscape([]byte(v)) {
		return v
	}
	r := renderName(v)
	if strings.HasPrefix(r, "['") {
		return r[2 : len(r)-2]
	}
	return v
}

// MaskName replaces every occurrence of value in a name written in a
// location (a column name, a JSON path, a cell reference, a member path)
// with as many '*' as it has characters, in its plain and its JSON path
// escaped forms.
func MaskName(name, value string) string {
	if value == "" || name == "" {
		return name
	}
	stars := strings.Repeat("*", utf8.RuneCountInString(value))
	name = strings.ReplaceAll(name, value, stars)
	if esc := escapedName(value); esc != value {
		name = strings.ReplaceAll(name, esc, stars)
	}
	return name
}
