package formats

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// stdlibRows parses data with encoding/csv (strict, any number of fields)
// and gives each record's non-empty cells as "col=value", dropping records
// with none; ok is false when encoding/csv finds the file malformed.
func stdlibRows(data []byte, comma byte) (rows [][]string, ok bool) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.FieldsPerRecord = rune(comma), -1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, true
		}
		if err != nil {
			return rows, false
		}
		var row []string
		for i, v := range rec {
			if v != "" {
				row = append(row, fmt.Sprintf("%d=%s", i+1, v))
			}
		}
		if row != nil {
			rows = append(rows, row)
		}
	}
}

// ourRows gives CSVSegments' cells in the same shape.
func ourRows(t testing.TB, data []byte, comma byte) (rows [][]string, ok bool) {
	run, err := runCSV(data, CSVOptions{Comma: rune(comma)}, csvReadSize)
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for _, c := range run.cells {
		if c.Row != last {
			rows, last = append(rows, nil), c.Row
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], fmt.Sprintf("%d=%s", c.Col, c.Text))
	}
	return rows, !errors.Is(run.err, ErrMalformed)
}

// stdlibComparable says whether encoding/csv reads data by CSVSegments'
// rules: it keeps a lone CR as text and turns a quoted CRLF into LF, and
// it does not skip a byte-order mark; blank lines it skips, as
// stdlibRows's dropping of empty rows makes up for.
func stdlibComparable(data []byte) bool {
	return !bytes.Contains(data, []byte{'\r'}) && !bytes.HasPrefix(data, []byte("\xef\xbb\xbf"))
}

// TestCSVAgainstStdlib: on the fixtures (CRLF made LF) the tokenizer gives
// the cells encoding/csv gives.
func TestCSVAgainstStdlib(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "formats", "csv", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.ReplaceAll(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), []byte("\r\n"), []byte("\n"))
		comma := sniffComma(data[:min(len(data), csvSniffLen)], len(data) <= csvSniffLen)
		compareWithStdlib(t, filepath.Base(name), data, comma)
	}
	// And the benchmark's table, quoted and not.
	for _, quoteAll := range []bool{false, true} {
		if testing.Short() {
			break // 16 MiB to generate
		}
		data := bytes.ReplaceAll(benchCSV(quoteAll)[:1<<20], []byte("\r\n"), []byte("\n"))
		data = data[:bytes.LastIndexByte(data, '\n')+1]
		compareWithStdlib(t, fmt.Sprint("bench quoteAll=", quoteAll), data, ',')
	}
}

func compareWithStdlib(t testing.TB, name string, data []byte, comma byte) {
	want, wantOK := stdlibRows(data, comma)
	got, gotOK := ourRows(t, data, comma)
	if gotOK != wantOK {
		t.Fatalf("%s: malformed: ours %v, encoding/csv %v", name, !gotOK, !wantOK)
	}
	if !wantOK {
		return // where each stops inside the broken record differs
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		// Counts only: the cells may hold anything.
		t.Fatalf("%s: %d rows, encoding/csv %d", name, len(got), len(want))
	}
}

// FuzzCSVAgainstStdlib compares the tokenizer with encoding/csv on any
// input both read by the same rules.
func FuzzCSVAgainstStdlib(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "formats", "csv", "*"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), uint8(0))
		}
	}
	f.Add([]byte("a,\"b\nc\",\"\"\"\"\n\n,,x\n\"open"), uint8(0))
	f.Add([]byte(strings.Repeat("1;2;\"3;4\"\n", 50)), uint8(2))
	commas := []byte{',', '\t', ';', '|'}
	f.Fuzz(func(t *testing.T, data []byte, comma uint8) {
		if !stdlibComparable(data) {
			return
		}
		compareWithStdlib(t, "input", data, commas[int(comma)%len(commas)])
	})
}
