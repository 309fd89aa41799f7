package formats_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"

	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

// These benchmarks measure an extractor and the matching engine together,
// one goroutine, Macie's recommended managed identifiers: the throughput
// a worker gets on that format. Targets (issue 5): Parquet ≥ 50 MB/s of
// uncompressed value text, XLSX ≥ 20 MB/s of file.

func recommendedEngine(b *testing.B) *identifiers.Engine {
	b.Helper()
	ids, err := identifiers.Select(identifiers.SelectRecommended, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	e, err := identifiers.NewEngine(ids)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// valueBytes counts the text an extractor hands over: the parts' bytes
// for tables and records, the owned text otherwise.
func valueBytes(s *formats.Segment) int {
	if len(s.Parts) == 0 {
		end := s.OwnedEnd
		if end == 0 {
			end = len(s.Text)
		}
		return end - s.Owned
	}
	n := 0
	for _, p := range s.Parts {
		n += p.End - p.Start
	}
	return n
}

func BenchmarkParquetWithEngine(b *testing.B) {
	type row struct {
		ID      int64   `parquet:"id"`
		Name    string  `parquet:"name"`
		SSN     string  `parquet:"ssn,optional"`
		Email   string  `parquet:"email"`
		Street  string  `parquet:"street"`
		Note    string  `parquet:"note"`
		Balance float64 `parquet:"balance"`
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[row](&buf, parquet.Compression(&parquet.Snappy))
	rows := make([]row, 0, 1024)
	for i := 0; buf.Len() < 16<<20; i++ {
		rows = append(rows, row{
			ID: int64(i), Name: fmt.Sprintf("Person Number %d", i), SSN: fmt.Sprintf("%03d-%02d-%04d", 100+i%600, 1+i%98, 1+i%9998),
			Email:  fmt.Sprintf("person%d@example.com", i),
			Street: fmt.Sprintf("%d Long Street Name Avenue", i), Note: "customer account in good standing, reviewed by the team",
			Balance: float64(i) / 7,
		})
		if len(rows) == cap(rows) {
			if _, err := w.Write(rows); err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
			// A row group per batch, so the file grows as rows are added.
			if err := w.Flush(); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	e := recommendedEngine(b)
	var text int
	count := func(s *formats.Segment) error {
		text += valueBytes(s)
		e.Scan(s, func(identifiers.Detection) {})
		return nil
	}
	if err := formats.ParquetSegments(bytes.NewReader(data), int64(len(data)), formats.RecordsOptions{}, count); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(text))
	b.ReportMetric(float64(len(data)), "file-bytes")
	b.ResetTimer()
	for range b.N {
		if err := formats.ParquetSegments(bytes.NewReader(data), int64(len(data)), formats.RecordsOptions{}, count); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkXLSXWithEngine(b *testing.B) {
	data := benchXLSX(b)
	e := recommendedEngine(b)
	scan := func(s *formats.Segment) error {
		e.Scan(s, func(identifiers.Detection) {})
		return nil
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		err := formats.SpreadsheetSegments(bytes.NewReader(data), int64(len(data)), formats.KindXLSX, formats.OfficeOptions{}, scan)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkXLSXExtractOnly is the same workbook without the engine: how
// much of the time is excelize's.
func BenchmarkXLSXExtractOnly(b *testing.B) {
	data := benchXLSX(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		err := formats.SpreadsheetSegments(bytes.NewReader(data), int64(len(data)), formats.KindXLSX, formats.OfficeOptions{},
			func(*formats.Segment) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// benchXLSX writes a 100,000-row workbook with excelize's stream writer.
func benchXLSX(b testing.TB) []byte {
	b.Helper()
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	sw.SetRow("A1", []any{"id", "name", "ssn", "amount", "notes"})
	for i := 2; i <= 100000; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{i, fmt.Sprintf("Person Number %d", i), fmt.Sprintf("%03d-%02d-%04d", 100+i%600, 1+i%98, 1+i%9998),
			float64(i) * 1.25, "customer account in good standing, reviewed by the team"})
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}
