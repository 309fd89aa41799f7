package formats

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// csvCell is one cell as the tests see it: its location, as Segment.Where
// reports it, and its whole text, put together again if it was cut.
type csvCell struct {
	Row, Col int
	Name     string
	Text     string
}

func (c csvCell) String() string {
	return fmt.Sprintf("(%d,%d %q)=%q", c.Row, c.Col, c.Name, c.Text)
}

// csvRun is what one run of the extractor gave.
type csvRun struct {
	cells []csvCell
	segs  int
	names []string // ColumnNames of the last segment
	err   error
}

// runCSV runs csvSegments over data, checks every segment with
// checkCSVSegment, and puts the cells together. A cell cut into several
// segments is rebuilt from the bytes each segment owns.
func runCSV(data []byte, opt CSVOptions, readSize int) (csvRun, error) {
	var run csvRun
	size := opt.SegmentSize
	if size == 0 {
		size = defaultCSVSegment
	}
	lastRow, lastCol := 0, 0
	run.err = csvSegments(bytes.NewReader(data), opt, readSize, func(s *Segment) error {
		run.segs++
		if err := checkCSVSegment(s, size); err != nil {
			return fmt.Errorf("segment %d: %w", run.segs, err)
		}
		ownedEnd := s.OwnedEnd
		if ownedEnd == 0 {
			ownedEnd = len(s.Text)
		}
		for i, p := range s.Parts {
			if p.Row < lastRow || p.Row == lastRow && p.Col < lastCol {
				return fmt.Errorf("segment %d part %d: cell (%d,%d) after (%d,%d)", run.segs, i, p.Row, p.Col, lastRow, lastCol)
			}
			occ := s.Where(p.Start, p.End)
			text := string(s.Text[max(p.Start, s.Owned):min(p.End, ownedEnd)])
			if i == 0 && s.Owned > 0 {
				// The rest of the cell the last segment cut.
				if len(run.cells) == 0 || p.Row != lastRow || p.Col != lastCol {
					return fmt.Errorf("segment %d: Owned %d but part 0 (%d,%d) does not go on with the cut cell", run.segs, s.Owned, p.Row, p.Col)
				}
				run.cells[len(run.cells)-1].Text += text
				continue
			}
			if p.Row == lastRow && p.Col == lastCol {
				return fmt.Errorf("segment %d part %d: cell (%d,%d) twice", run.segs, i, p.Row, p.Col)
			}
			run.cells = append(run.cells, csvCell{occ.Cell.Row, occ.Cell.Column, occ.Cell.ColumnName, text})
			lastRow, lastCol = p.Row, p.Col
		}
		run.names = slices.Clone(s.ColumnNames)
		return nil
	})
	if run.err != nil && !errors.Is(run.err, ErrMalformed) {
		return run, run.err
	}
	return run, nil
}

// checkCSVSegment checks what CSVSegments promises of every segment.
func checkCSVSegment(s *Segment, size int) error {
	switch {
	case len(s.Text) > size:
		return fmt.Errorf("%d bytes, SegmentSize %d", len(s.Text), size)
	case s.Layout != Cells || s.Line != 1 || s.Column != 1 || s.Sheet != "" || s.Context != nil:
		return fmt.Errorf("layout %v, line %d, column %d, sheet %q, context %q", s.Layout, s.Line, s.Column, s.Sheet, s.Context)
	case len(s.Parts) == 0:
		return errors.New("no parts")
	case s.OwnedEnd != 0 && (len(s.Parts) != 1 || s.OwnedEnd <= s.Owned || s.OwnedEnd > len(s.Text)):
		// Only a cell too big for a segment is cut, alone.
		return fmt.Errorf("Owned %d OwnedEnd %d with %d parts, %d bytes", s.Owned, s.OwnedEnd, len(s.Parts), len(s.Text))
	case s.Owned < 0 || s.Owned >= s.Parts[0].End:
		return fmt.Errorf("Owned %d outside the first part %+v", s.Owned, s.Parts[0])
	case len(s.Contexts) > len(s.ColumnNames):
		return fmt.Errorf("%d contexts for %d column names", len(s.Contexts), len(s.ColumnNames))
	}
	for i, p := range s.Parts {
		if i == 0 && p.Start != 0 {
			return fmt.Errorf("part 0 starts at %d", p.Start)
		}
		if p.Start >= p.End || p.End > len(s.Text) {
			return fmt.Errorf("part %d [%d,%d) in %d bytes", i, p.Start, p.End, len(s.Text))
		}
		if i > 0 {
			prev := s.Parts[i-1]
			if p.Start != prev.End+1 || s.Text[prev.End] != '\n' {
				return fmt.Errorf("part %d [%d,%d) does not follow part %d [%d,%d) after one '\\n'", i, p.Start, p.End, i-1, prev.Start, prev.End)
			}
			if p.Row < prev.Row || p.Row == prev.Row && p.Col <= prev.Col {
				return fmt.Errorf("part %d (%d,%d) after (%d,%d)", i, p.Row, p.Col, prev.Row, prev.Col)
			}
		}
		if p.Row < 1 || p.Col < 1 || p.Record != 0 || p.Path != "" {
			return fmt.Errorf("part %d: %+v", i, p)
		}
		wantCtx := -1
		if p.Row > 1 && p.Col <= len(s.Contexts) {
			wantCtx = p.Col - 1
			if !slices.Equal(s.Contexts[wantCtx], []string{s.ColumnNames[wantCtx]}) {
				return fmt.Errorf("Contexts[%d] = %q, column name %q", wantCtx, s.Contexts[wantCtx], s.ColumnNames[wantCtx])
			}
		}
		if p.Ctx != wantCtx {
			return fmt.Errorf("part %d (%d,%d): Ctx %d, want %d", i, p.Row, p.Col, p.Ctx, wantCtx)
		}
		name := ""
		if p.Col <= len(s.ColumnNames) {
			name = s.ColumnNames[p.Col-1]
		}
		// Where must find the part from any span inside it.
		for _, span := range [][2]int{{p.Start, p.End}, {p.End - 1, p.End}} {
			occ := s.Where(span[0], span[1])
			if occ.Cell == nil || occ.Line != nil || occ.Record != nil {
				return fmt.Errorf("Where(%d,%d) = %+v, want a cell", span[0], span[1], occ)
			}
			if want := (Cell{Row: p.Row, Column: p.Col, ColumnName: name}); *occ.Cell != want {
				return fmt.Errorf("Where(%d,%d) = %+v, want %+v", span[0], span[1], *occ.Cell, want)
			}
		}
	}
	if last := s.Parts[len(s.Parts)-1]; last.End != len(s.Text) {
		return fmt.Errorf("text goes on after the last part: %d bytes, last part ends at %d", len(s.Text), last.End)
	}
	return nil
}

// readSizes are the read sizes every table case runs with: byte by byte,
// a few odd sizes that put each state of the tokenizer on a boundary, and
// the real one.
var readSizes = []int{1, 2, 3, 7, 64, csvReadSize}

// checkCSVCells runs data at every read size and compares the cells with
// want, and the error with wantErr (nil, or ErrMalformed).
func checkCSVCells(t *testing.T, data []byte, opt CSVOptions, want []csvCell, wantErr error) {
	t.Helper()
	for _, rs := range readSizes {
		run, err := runCSV(data, opt, rs)
		if err != nil {
			t.Fatalf("read size %d: %v", rs, err)
		}
		if !errors.Is(run.err, wantErr) || (wantErr == nil) != (run.err == nil) {
			t.Errorf("read size %d: error %v, want %v", rs, run.err, wantErr)
		}
		if !slices.Equal(run.cells, want) {
			t.Fatalf("read size %d: cells\n got %v\nwant %v", rs, run.cells, want)
		}
	}
}

// tableCells is what every fixture made from the one table in make-csv.sh
// holds, in any dialect.
var tableCells = []csvCell{
	{1, 1, "id", "id"}, {1, 2, "name", "name"}, {1, 3, "ssn", "ssn"}, {1, 4, "notes", "notes"}, {1, 5, "card number", "card number"},
	{2, 1, "id", "1"}, {2, 2, "name", "Jane Doe"}, {2, 3, "ssn", "123-45-6789"}, {2, 4, "notes", `says "hi", then; leaves|`}, {2, 5, "card number", "4111111111111111"},
	{3, 1, "id", "2"}, {3, 2, "name", "Ørjan Ñúñez"}, {3, 4, "notes", "line one\nline two"}, {3, 5, "card number", "5500 0000 0000 0004"},
	{4, 1, "id", "3"}, {4, 2, "name", "Smith, John"}, {4, 3, "ssn", "078-05-1120"},
	{5, 1, "id", "4"}, {5, 2, "name", "Extra\tTab"}, {5, 6, "", "overflow"},
}

func TestCSVFixtures(t *testing.T) {
	tests := []struct {
		file    string
		want    []csvCell
		wantErr error
	}{
		{"python-excel.csv", tableCells, nil},
		{"python-excel-tab.tsv", tableCells, nil},
		{"python-unix-semicolon.csv", tableCells, nil},
		{"python-pipe.csv", tableCells, nil},
		{"libreoffice.csv", tableCells, nil},
		{"libreoffice-semicolon.csv", tableCells, nil},
		{"libreoffice.tsv", tableCells, nil},
		{"header-only.csv", tableCells[:5], nil},
		{"empty.csv", nil, nil},
		// The rows before the broken one, and nothing after it.
		{"malformed-bare-quote.csv", []csvCell{{1, 1, "id", "id"}, {1, 2, "name", "name"}, {2, 1, "id", "1"}, {2, 2, "name", "Jane"}}, ErrMalformed},
		{"malformed-open-quote.csv", []csvCell{{1, 1, "id", "id"}, {1, 2, "name", "name"}, {2, 1, "id", "1"}, {2, 2, "name", "Jane"}}, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "testdata", "formats", "csv", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			checkCSVCells(t, data, CSVOptions{}, tc.want, tc.wantErr)
			// The same cells from segments far smaller than the file.
			checkCSVCells(t, data, CSVOptions{SegmentSize: minCSVSegment}, tc.want, tc.wantErr)
		})
	}
}

func TestCSVCases(t *testing.T) {
	c := func(row, col int, name, text string) csvCell { return csvCell{row, col, name, text} }
	tests := []struct {
		name    string
		in      string
		comma   rune
		want    []csvCell
		wantErr error
	}{
		{"empty", "", 0, nil, nil},
		{"only line ends", "\n\r\n\r\n", 0, nil, nil},
		{"header only, no line end", "a,b", 0, []csvCell{c(1, 1, "a", "a"), c(1, 2, "b", "b")}, nil},
		{"header only, line end", "a,b\n", 0, []csvCell{c(1, 1, "a", "a"), c(1, 2, "b", "b")}, nil},
		{"LF", "a,b\nc,d\n", 0, []csvCell{c(1, 1, "a", "a"), c(1, 2, "b", "b"), c(2, 1, "a", "c"), c(2, 2, "b", "d")}, nil},
		{"CRLF", "a,b\r\nc,d\r\ne,f", 0, []csvCell{c(1, 1, "a", "a"), c(1, 2, "b", "b"), c(2, 1, "a", "c"), c(2, 2, "b", "d"), c(3, 1, "a", "e"), c(3, 2, "b", "f")}, nil},
		{"lone CR ends a row", "a,b\rc,d\r", 0, []csvCell{c(1, 1, "a", "a"), c(1, 2, "b", "b"), c(2, 1, "a", "c"), c(2, 2, "b", "d")}, nil},
		{"blank lines are empty rows", "a\n\nb\r\n\r\nc", 0, []csvCell{c(1, 1, "a", "a"), c(3, 1, "a", "b"), c(5, 1, "a", "c")}, nil},
		{
			"quoted newlines and doubled quotes keep the rows after them",
			"h1,h2\n\"a\nb\"\"c\r\nd\",x\n\"\"\"\",\"\n\"\nnext,row\n", 0,
			[]csvCell{c(1, 1, "h1", "h1"), c(1, 2, "h2", "h2"), c(2, 1, "h1", "a\nb\"c\r\nd"), c(2, 2, "h2", "x"), c(3, 1, "h1", `"`), c(3, 2, "h2", "\n"), c(4, 1, "h1", "next"), c(4, 2, "h2", "row")},
			nil,
		},
		{"quoted delimiters", "a,b\n\"x,y\",\"p;q\"\n", 0, []csvCell{c(1, 1, "a", "a"), c(1, 2, "b", "b"), c(2, 1, "a", "x,y"), c(2, 2, "b", "p;q")}, nil},
		{"empty cells give no part", "a,,c\n,\"\",\n,,z", 0, []csvCell{c(1, 1, "a", "a"), c(1, 3, "c", "c"), c(3, 3, "c", "z")}, nil},
		{"spaces are kept", " a , b \n 1 ,\t2\t\n", 0, []csvCell{c(1, 1, " a ", " a "), c(1, 2, " b ", " b "), c(2, 1, " a ", " 1 "), c(2, 2, " b ", "\t2\t")}, nil},
		{"row longer than the header", "a\n1,2,3\n", 0, []csvCell{c(1, 1, "a", "a"), c(2, 1, "a", "1"), c(2, 2, "", "2"), c(2, 3, "", "3")}, nil},
		{"row shorter than the header", "a,b,c\n1\n", 0, []csvCell{c(1, 1, "a", "a"), c(1, 2, "b", "b"), c(1, 3, "c", "c"), c(2, 1, "a", "1")}, nil},
		{"empty header name", "a,,c\n1,2,3", 0, []csvCell{c(1, 1, "a", "a"), c(1, 3, "c", "c"), c(2, 1, "a", "1"), c(2, 2, "", "2"), c(2, 3, "c", "3")}, nil},
		{"blank first line: no names", "\na,b\n", 0, []csvCell{c(2, 1, "", "a"), c(2, 2, "", "b")}, nil},
		{"byte-order mark skipped", "\xef\xbb\xbfssn,x\n1,2", 0, []csvCell{c(1, 1, "ssn", "ssn"), c(1, 2, "x", "x"), c(2, 1, "ssn", "1"), c(2, 2, "x", "2")}, nil},
		{"UTF-8 kept", "名前,ñ\n太郎,€\n", 0, []csvCell{c(1, 1, "名前", "名前"), c(1, 2, "ñ", "ñ"), c(2, 1, "名前", "太郎"), c(2, 2, "ñ", "€")}, nil},
		{"TSV sniffed", "name\tnote\nBob\tx, y\n", 0, []csvCell{c(1, 1, "name", "name"), c(1, 2, "note", "note"), c(2, 1, "name", "Bob"), c(2, 2, "note", "x, y")}, nil},
		{"semicolons sniffed past decimal commas", "name;amount\nBob;3,50\nAl;4,00\n", 0, []csvCell{c(1, 1, "name", "name"), c(1, 2, "amount", "amount"), c(2, 1, "name", "Bob"), c(2, 2, "amount", "3,50"), c(3, 1, "name", "Al"), c(3, 2, "amount", "4,00")}, nil},
		{"pipes sniffed", "a|b\n1|2,3\n", 0, []csvCell{c(1, 1, "a", "a"), c(1, 2, "b", "b"), c(2, 1, "a", "1"), c(2, 2, "b", "2,3")}, nil},
		{"delimiter given", "a,b;c\n1,2;3", ';', []csvCell{c(1, 1, "a,b", "a,b"), c(1, 2, "c", "c"), c(2, 1, "a,b", "1,2"), c(2, 2, "c", "3")}, nil},
		{"one column", "email\na@b.example\n", 0, []csvCell{c(1, 1, "email", "email"), c(2, 1, "email", "a@b.example")}, nil},
		{"trailing delimiter", "a,b,\n1,2,3", 0, []csvCell{c(1, 1, "a", "a"), c(1, 2, "b", "b"), c(2, 1, "a", "1"), c(2, 2, "b", "2"), c(2, 3, "", "3")}, nil},
		{"quoted cell at the end, no line end", "a\n\"x\"", 0, []csvCell{c(1, 1, "a", "a"), c(2, 1, "a", "x")}, nil},
		{"quoted cell then CR LF", "a\r\n\"x\"\r\ny", 0, []csvCell{c(1, 1, "a", "a"), c(2, 1, "a", "x"), c(3, 1, "a", "y")}, nil},

		// Strict, as encoding/csv: everything before the broken row, then
		// ErrMalformed.
		{"bare quote", "a,b\n1,2\n3,x\"y\n4,5\n", 0, []csvCell{c(1, 1, "a", "a"), c(1, 2, "b", "b"), c(2, 1, "a", "1"), c(2, 2, "b", "2")}, ErrMalformed},
		{"bare quote in the header", "a\"b\n1\n", 0, nil, ErrMalformed},
		{"text after a closing quote", "a\n1\n\"x\"y\n", 0, []csvCell{c(1, 1, "a", "a"), c(2, 1, "a", "1")}, ErrMalformed},
		{"space before a quote", "a,b\n1, \"x\"\n", 0, []csvCell{c(1, 1, "a", "a"), c(1, 2, "b", "b")}, ErrMalformed},
		{"quote open at the end", "a\n1\n\"abc\ndef", 0, []csvCell{c(1, 1, "a", "a"), c(2, 1, "a", "1")}, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkCSVCells(t, []byte(tc.in), CSVOptions{Comma: tc.comma}, tc.want, tc.wantErr)
			checkCSVCells(t, []byte(tc.in), CSVOptions{Comma: tc.comma, SegmentSize: minCSVSegment}, tc.want, tc.wantErr)
		})
	}
}

func TestCSVMalformedError(t *testing.T) {
	err := CSVSegments(strings.NewReader("a\n1\n2,x\"SECRET\n"), CSVOptions{}, func(*Segment) error { return nil })
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("error %v, want ErrMalformed", err)
	}
	// Where it broke, never what the file holds.
	if msg := err.Error(); !strings.Contains(msg, "row 3") || !strings.Contains(msg, "line 3") || strings.Contains(msg, "SECRET") {
		t.Errorf("error %q: want row 3, line 3, and no content", msg)
	}
}

func TestCSVOptionsChecked(t *testing.T) {
	for _, opt := range []CSVOptions{{SegmentSize: -1}, {SegmentSize: minCSVSegment - 1}, {Comma: '"'}, {Comma: '\n'}, {Comma: '\r'}, {Comma: '€'}, {Comma: -1}} {
		called := false
		err := CSVSegments(strings.NewReader("a,b\n"), opt, func(*Segment) error { called = true; return nil })
		if err == nil || errors.Is(err, ErrMalformed) || called {
			t.Errorf("%+v: error %v, called %v; want an options error and no call", opt, err, called)
		}
	}
}

func TestCSVCallbackError(t *testing.T) {
	stop := errors.New("stop")
	data := strings.Repeat("a,b,c\n", 10000)
	calls := 0
	err := CSVSegments(strings.NewReader(data), CSVOptions{SegmentSize: 100}, func(*Segment) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("error %v after %d calls, want stop after 1", err, calls)
	}
}

func TestCSVReadError(t *testing.T) {
	broken := errors.New("connection reset")
	// The error comes with the first read, or with a later one.
	for _, rows := range []int{1, 5000} {
		r := io.MultiReader(strings.NewReader("a,b\n"+strings.Repeat("1,2\n", rows)+"3,"), &errReader{broken})
		var cells int
		err := csvSegments(r, CSVOptions{}, 4, func(s *Segment) error { cells += len(s.Parts); return nil })
		if !errors.Is(err, broken) || errors.Is(err, ErrMalformed) {
			t.Errorf("%d rows: error %v, want the read error", rows, err)
		}
		if want := 2 + 2*rows; cells != want { // the rows read in full
			t.Errorf("%d rows: %d cells before the error, want %d", rows, cells, want)
		}
	}
}

type errReader struct{ err error }

func (r *errReader) Read([]byte) (int, error) { return 0, r.err }

func TestSniffComma(t *testing.T) {
	tests := []struct {
		in    string
		whole bool
		want  byte
	}{
		{"", true, ','},
		{"email\nx@y\n", true, ','},
		{"a,b,c\n1,2,3\n", true, ','},
		{"a\tb\tc\n1\t2\t3\n", true, '\t'},
		{"a;b;c\n1;2;3\n", true, ';'},
		{"a|b|c\n1|2|3\n", true, '|'},
		{"a;b\n1;2,5\n3;4,5\n", true, ';'},        // decimal commas
		{"a\tb\n1\tx, y\n2\tz\n", true, '\t'},     // commas in text
		{"\"a,b\";c\n\"1,2\";3\n", true, ';'},     // quoted commas do not count
		{"a,b;c\n1,2;3\n", true, ','},             // a tie goes to the earlier candidate
		{"a;b;c,d\n1;2;3,4\n", true, ';'},         // then to the header's higher count
		{"a,b,c\n1,2,3\n4;5;6;7\n", true, ','},    // most rows agree
		{"a;b\r\n1;2\r\n", true, ';'},             // CRLF
		{"a;b;c\n1;2;3\n4,5", false, ';'},         // a cut last record does not count
		{"a,b\n1,2\n3;4;5;6\n7;8;9;0", true, ','}, // ties on rows, then header
		{"x;y\n\"multi\nline, with, commas\";z\n", true, ';'},
		{"h1\th2\th3,x\th4", false, '\t'}, // a header longer than the sample
		{"\"h1\th2\",h3,h4", false, ','},
	}
	for _, tc := range tests {
		if got := sniffComma([]byte(tc.in), tc.whole); got != tc.want {
			t.Errorf("sniffComma(%q, %v) = %q, want %q", tc.in, tc.whole, got, tc.want)
		}
	}
}

// TestCSVWide checks a table 10,000 columns wide, header included, against
// segments far smaller than a row: rows are split between cells, every
// segment stays within SegmentSize, and every cell keeps its column's name.
func TestCSVWide(t *testing.T) {
	const cols = 10000
	for _, delim := range []byte{',', '\t'} {
		var b strings.Builder
		var want []csvCell
		for row := 1; row <= 3; row++ {
			for col := 1; col <= cols; col++ {
				if col > 1 {
					b.WriteByte(delim)
				}
				v := fmt.Sprintf("v%d.%d", row, col)
				if row == 1 {
					v = fmt.Sprintf("h%d", col)
				}
				b.WriteString(v)
				want = append(want, csvCell{row, col, fmt.Sprintf("h%d", col), v})
			}
			b.WriteString("\r\n")
		}
		// The header is longer than the sniffed sample: the delimiter comes
		// from the part of it the sample holds.
		for _, size := range []int{minCSVSegment, 4096, 1 << 20} {
			run, err := runCSV([]byte(b.String()), CSVOptions{SegmentSize: size}, csvReadSize)
			if err != nil || run.err != nil {
				t.Fatalf("%q, SegmentSize %d: %v %v", delim, size, err, run.err)
			}
			if !slices.Equal(run.cells, want) {
				t.Fatalf("%q, SegmentSize %d: %d cells, want %d; first difference at %d", delim, size, len(run.cells), len(want), firstDiff(run.cells, want))
			}
			if len(run.names) != cols {
				t.Errorf("%q, SegmentSize %d: %d column names, want %d", delim, size, len(run.names), cols)
			}
			t.Logf("%q, SegmentSize %d: %d segments", delim, size, run.segs)
		}
	}
}

func firstDiff(a, b []csvCell) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestCSVHugeCell checks a 5 MB cell: it is cut into segments of at most
// SegmentSize that overlap, each value planted in it is seen whole by the
// one segment that owns its start, the rows after it are right, and memory
// stays near SegmentSize.
func TestCSVHugeCell(t *testing.T) {
	const cellLen = 5 << 20
	const tokenLen = 24
	cell := make([]byte, cellLen)
	for i := range cell {
		cell[i] = "abcdefghij klmnopqrstuvwxyz"[i%27]
	}
	// A token every 997 bytes lands on every position around the cuts.
	var tokens []int
	for off := 13; off+tokenLen <= cellLen; off += 997 {
		copy(cell[off:], fmt.Sprintf("<TOKEN-%015d>", off))
		tokens = append(tokens, off)
	}
	// One multi-byte rune in every few bytes keeps cuts on rune starts.
	for off := 500; off+2 <= cellLen; off += 1000 {
		if cell[off] != '<' && cell[off+1] != '<' {
			copy(cell[off:], "é")
		}
	}
	for _, tc := range []struct {
		name   string
		data   []byte
		size   int
		broken bool
	}{
		{"quoted", slices.Concat([]byte("id,blob\r\n1,\""), cell, []byte("\"\r\n2,after\r\n")), 1 << 20, false},
		{"unquoted, small segments", slices.Concat([]byte("id,blob\n1,"), cell, []byte("\n2,after\n")), 64 << 10, false},
		{"quote never closed", slices.Concat([]byte("id,blob\n1,\""), cell), 1 << 20, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var (
				segs     int
				rebuilt  = make([]byte, 0, cellLen) // the big cell's owned bytes, end to end
				found    = make([]int, len(tokens))
				tail     = make([]string, 0, 8)
				maxText  int
				extraErr error
			)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			err := CSVSegments(bytes.NewReader(tc.data), CSVOptions{SegmentSize: tc.size}, func(s *Segment) error {
				segs++
				if err := checkCSVSegment(s, tc.size); err != nil {
					extraErr = fmt.Errorf("segment %d: %w", segs, err)
					return extraErr
				}
				maxText = max(maxText, len(s.Text))
				ownedEnd := s.OwnedEnd
				if ownedEnd == 0 {
					ownedEnd = len(s.Text)
				}
				for _, p := range s.Parts {
					if p.Row != 2 || p.Col != 2 {
						tail = append(tail, string(s.Text[p.Start:p.End]))
						continue
					}
					// Text[0] is the big cell's byte at base.
					base := len(rebuilt) - s.Owned
					from, to := max(p.Start, s.Owned), min(p.End, ownedEnd)
					for i, off := range tokens {
						if off >= base+from && off < base+to {
							found[i]++
							at := off - base
							if at+tokenLen > p.End || !bytes.Equal(s.Text[at:at+tokenLen], cell[off:off+tokenLen]) {
								return fmt.Errorf("segment %d: token at %d not whole", segs, off)
							}
						}
					}
					rebuilt = append(rebuilt, s.Text[from:to]...)
				}
				return nil
			})
			runtime.ReadMemStats(&after)
			if extraErr != nil || (err != nil) != tc.broken || tc.broken && !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v (broken %v)", err, tc.broken)
			}
			// A broken cell goes out as far as it was cut; its last piece,
			// in no whole row, does not.
			if !bytes.Equal(rebuilt, cell) && !(tc.broken && bytes.HasPrefix(cell, rebuilt) && len(rebuilt) > cellLen-tc.size) {
				t.Fatalf("cell rebuilt to %d bytes, differs at %d", len(rebuilt), firstByteDiff(rebuilt, cell))
			}
			for i, n := range found {
				if n != 1 && tokens[i] < len(rebuilt) {
					t.Fatalf("token at %d owned %d times", tokens[i], n)
				}
			}
			wantTail := []string{"id", "blob", "1", "2", "after"}
			if tc.broken {
				wantTail = []string{"id", "blob", "1"}
			}
			if !slices.Equal(tail, wantTail) {
				t.Errorf("other cells %q, want %q", tail, wantTail)
			}
			if maxText != tc.size {
				t.Errorf("largest segment %d bytes, want %d", maxText, tc.size)
			}
			// The input is allocated before; what the extractor allocates is
			// its segment, its read buffer and a little more.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(2*tc.size+csvReadSize+64<<10) {
				t.Errorf("allocated %d bytes for SegmentSize %d", alloc, tc.size)
			}
			t.Logf("%d segments", segs)
		})
	}
}

func firstByteDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// refCSV parses data by the rules CSVSegments documents, the slow and
// obvious way, as a reference for the fuzz target: every non-empty cell
// with its column's name, and the row of the first malformed field (0 for
// none). size is the SegmentSize, which bounds the header's names.
func refCSV(data []byte, comma byte, size int) (cells []csvCell, bad int) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var names []string
	naming, nameBytes := true, 0
	isEnd := func(i int) bool { return i == len(data) || data[i] == comma || data[i] == '\n' || data[i] == '\r' }
	row := 1
	defer func() {
		for i := range cells {
			if c := cells[i].Col; c <= len(names) {
				cells[i].Name = names[c-1]
			}
		}
	}()
	for i := 0; i < len(data); row++ {
		for col := 1; ; col++ {
			var field []byte
			if i < len(data) && data[i] == '"' {
				for i++; ; {
					if i == len(data) {
						return cells, row
					}
					if data[i] == '"' {
						if i+1 < len(data) && data[i+1] == '"' {
							field = append(field, '"')
							i += 2
							continue
						}
						i++
						break
					}
					field = append(field, data[i])
					i++
				}
				if !isEnd(i) {
					return cells, row
				}
			} else {
				for ; !isEnd(i); i++ {
					if data[i] == '"' {
						return cells, row
					}
					field = append(field, data[i])
				}
			}
			if row == 1 && naming {
				if len(names) >= maxNamedColumns || len(field) > size || nameBytes+len(field) > max(size, maxHeaderBytes) {
					naming = false
				} else {
					names = append(names, string(field))
					nameBytes += len(field)
				}
			}
			if len(field) > 0 {
				cells = append(cells, csvCell{row, col, "", string(field)})
			}
			if i < len(data) && data[i] == comma {
				i++
				continue
			}
			if i < len(data) && data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			i++
			break
		}
	}
	return cells, 0
}

func FuzzCSVSegments(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "formats", "csv", "*"))
	for i, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint16(i*37), uint8(0), uint8(i))
	}
	f.Add([]byte("a,b\r\n\"x\"\"\ny\",z\r\n\r\n1,2,3"), uint16(0), uint8(1), uint8(3))
	f.Add([]byte("\xef\xbb\xbfa;b\n1;\"2\"x"), uint16(5), uint8(3), uint8(1))
	f.Add([]byte(strings.Repeat("x", 300)+",y\n"+strings.Repeat("z", 200)), uint16(0), uint8(0), uint8(7))
	commas := []rune{0, ',', '\t', ';', '|'}
	f.Fuzz(func(t *testing.T, data []byte, size uint16, comma, readSize uint8) {
		opt := CSVOptions{SegmentSize: minCSVSegment + int(size)%1024, Comma: commas[int(comma)%len(commas)]}
		rs := 1 + int(readSize)%32
		if readSize == 0 {
			rs = csvReadSize
		}
		run, err := runCSV(data, opt, rs)
		if err != nil {
			t.Fatal(err)
		}
		c := byte(opt.Comma)
		if c == 0 {
			body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
			sample := body[:min(len(body), csvSniffLen)]
			c = sniffComma(sample, len(sample) == len(body))
		}
		want, bad := refCSV(data, c, opt.SegmentSize)
		if (bad > 0) != errors.Is(run.err, ErrMalformed) {
			t.Fatalf("error %v, reference says malformed at row %d", run.err, bad)
		}
		got := run.cells
		if bad > 0 {
			// Rows before the broken one in full, nothing past it; some of
			// its own cells may have gone out if it was wider than a segment.
			keep := func(cs []csvCell) []csvCell {
				return slices.DeleteFunc(slices.Clone(cs), func(c csvCell) bool { return c.Row == bad })
			}
			got, want = keep(got), keep(want)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("comma %q: cells\n got %v\nwant %v", c, got, want)
		}
	})
}

// benchCSV is about 16 MiB of a typical export: numbers, names, quoted
// text with delimiters in it, identifiers, dates, e-mail addresses; with
// quoteAll every field is quoted, as Python's unix dialect and
// LibreOffice's "quote all text cells" write them.
func benchCSV(quoteAll bool) []byte {
	format := "%d,Jane Doe %d,%03d-%02d-%04d,\"Paid, \"\"late\"\" %d\",%d.%02d,2024-%02d-%02d,user%d@example.com,4111 1111 1111 %04d\r\n"
	if quoteAll {
		format = "\"%d\",\"Jane Doe %d\",\"%03d-%02d-%04d\",\"Paid, \"\"late\"\" %d\",\"%d.%02d\",\"2024-%02d-%02d\",\"user%d@example.com\",\"4111 1111 1111 %04d\"\r\n"
	}
	var b bytes.Buffer
	b.WriteString("id,name,ssn,note,amount,date,email,card\r\n")
	for i := 0; b.Len() < 16<<20; i++ {
		fmt.Fprintf(&b, format, i, i, i%900, i%100, i%10000, i, i%5000, i%100, 1+i%12, 1+i%28, i, i%10000)
	}
	return b.Bytes()
}

func BenchmarkCSVSegments(b *testing.B) {
	for _, quoteAll := range []bool{false, true} {
		data := benchCSV(quoteAll)
		b.Run(map[bool]string{false: "typical", true: "quoted"}[quoteAll], func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			parts := 0
			for b.Loop() {
				err := CSVSegments(bytes.NewReader(data), CSVOptions{}, func(s *Segment) error {
					parts += len(s.Parts)
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(parts)/float64(b.N), "cells/op")
		})
	}
}

// BenchmarkEncodingCSV is the standard library on the same data, as the
// yardstick the hand-written tokenizer has to beat to be worth having.
func BenchmarkEncodingCSV(b *testing.B) {
	data := benchCSV(false)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord, r.FieldsPerRecord = true, -1
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}
