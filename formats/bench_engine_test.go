package formats_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
	"github.com/trawlsec/trawl/internal/corpus"
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

// benchParquet writes about 16 MiB of Parquet with parquet-go's writer
// (snappy, a row group per 1,024 rows).
func benchParquet(b *testing.B) []byte {
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
	return buf.Bytes()
}

func BenchmarkParquetWithEngine(b *testing.B) {
	data := benchParquet(b)
	e := recommendedEngine(b)
	benchParquetPath(b, data, func(s *formats.Segment) { e.Scan(s, func(identifiers.Detection) {}) })
}

// BenchmarkParquetExtractOnly is the same file without the engine: the
// extractor's own cost.
func BenchmarkParquetExtractOnly(b *testing.B) {
	benchParquetPath(b, benchParquet(b), func(*formats.Segment) {})
}

// benchParquetPath reports MB/s of value text (the uncompressed data).
func benchParquetPath(b *testing.B, data []byte, scan func(*formats.Segment)) {
	var text int
	count := func(s *formats.Segment) error {
		text += valueBytes(s)
		scan(s)
		return nil
	}
	if err := formats.ParquetSegments(bytes.NewReader(data), int64(len(data)), formats.RecordsOptions{}, count); err != nil {
		b.Fatal(err)
	}
	perOp := int64(text)
	b.SetBytes(perOp)
	b.ReportMetric(float64(len(data)), "file-bytes")
	cpu := startCPU(b)
	for range b.N {
		if err := formats.ParquetSegments(bytes.NewReader(data), int64(len(data)), formats.RecordsOptions{}, count); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b, perOp)
}

// XLSX throughput is given per byte of the .xlsx file (the MB/s column)
// and per byte of worksheet and shared-strings XML inflated from it
// (xml-MB/s), for the two shapes writers produce: "shared" as Excel and
// LibreOffice write (strings in the shared-strings table), "inline" as
// streaming writers such as excelize's StreamWriter do (inline strings).

func BenchmarkXLSXWithEngine(b *testing.B) {
	e := recommendedEngine(b)
	benchXLSXShapes(b, func(s *formats.Segment) error {
		e.Scan(s, func(identifiers.Detection) {})
		return nil
	})
}

// BenchmarkXLSXExtractOnly is the same workbooks without the engine: the
// extractor's own cost.
func BenchmarkXLSXExtractOnly(b *testing.B) {
	benchXLSXShapes(b, func(*formats.Segment) error { return nil })
}

func benchXLSXShapes(b *testing.B, fn func(*formats.Segment) error) {
	for _, inline := range []bool{false, true} {
		name := map[bool]string{false: "shared", true: "inline"}[inline]
		b.Run(name, func(b *testing.B) {
			data, xmlBytes := benchXLSX(b, inline)
			b.SetBytes(int64(len(data)))
			cpu := startCPU(b)
			for range b.N {
				err := formats.SpreadsheetSegments(bytes.NewReader(data), int64(len(data)), formats.KindXLSX, formats.OfficeOptions{}, fn)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(xmlBytes)*float64(b.N)/b.Elapsed().Seconds()/1e6, "xml-MB/s")
			cpu.report(b, int64(len(data)))
		})
	}
}

// benchXLSX makes a 100,000-row workbook out of the LibreOffice fixture
// sheet.xlsx: its parts as LibreOffice wrote them, with the first sheet
// (and, for the shared shape, the shared-strings table) replaced by rows
// of the same shape: id, name, SSN, an amount in the "#,##0.00" style,
// notes. It returns the file and the bytes of XML it holds.
func benchXLSX(b testing.TB, inline bool) ([]byte, int) {
	b.Helper()
	src, err := os.ReadFile(filepath.Join("..", "testdata", "formats", "office", "sheet.xlsx"))
	if err != nil {
		b.Fatal(err)
	}
	var sheet, sst bytes.Buffer
	var strs []string
	str := func(ref, v string) {
		if inline {
			fmt.Fprintf(&sheet, `<c r="%s" s="0" t="inlineStr"><is><t>%s</t></is></c>`, ref, v)
			return
		}
		fmt.Fprintf(&sheet, `<c r="%s" s="0" t="s"><v>%d</v></c>`, ref, len(strs))
		strs = append(strs, v)
	}
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:E100000"/><sheetData>`)
	sheet.WriteString(`<row r="1" customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false">`)
	for i, h := range []string{"id", "name", "ssn", "amount", "notes"} {
		str(string(rune('A'+i))+"1", h)
	}
	sheet.WriteString(`</row>`)
	for i := 2; i <= 100000; i++ {
		fmt.Fprintf(&sheet, `<row r="%d" customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false">`, i)
		fmt.Fprintf(&sheet, `<c r="A%d" s="0" t="n"><v>%d</v></c>`, i, i)
		str(fmt.Sprintf("B%d", i), fmt.Sprintf("Person Number %d", i))
		str(fmt.Sprintf("C%d", i), fmt.Sprintf("%03d-%02d-%04d", 100+i%600, 1+i%98, 1+i%9998))
		fmt.Fprintf(&sheet, `<c r="D%d" s="1" t="n"><v>%g</v></c>`, i, float64(i)*1.25)
		str(fmt.Sprintf("E%d", i), "customer account in good standing, reviewed by the team")
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	fmt.Fprintf(&sst, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(strs), len(strs))
	for _, v := range strs {
		fmt.Fprintf(&sst, `<si><t xml:space="preserve">%s</t></si>`, v)
	}
	sst.WriteString(`</sst>`)

	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	xmlBytes := 0
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			b.Fatal(err)
		}
		switch f.Name {
		case "xl/worksheets/sheet1.xml":
			xmlBytes += sheet.Len()
			w.Write(sheet.Bytes())
		case "xl/sharedStrings.xml":
			xmlBytes += sst.Len()
			w.Write(sst.Bytes())
		default:
			rc, err := f.Open()
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(w, rc)
			rc.Close()
		}
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return out.Bytes(), xmlBytes
}

// The CSV path on benchrun's digit-heavy CSV corpus (16 MiB of
// internal/corpus): the extractor alone (a no-op sink), the extractor and
// the engine, and the engine alone on the same bytes cut as plain text.
func BenchmarkCSVPath(b *testing.B) {
	var buf bytes.Buffer
	if err := corpus.Write(&buf, corpus.CSV, 16<<20, 1, 200); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	e := recommendedEngine(b)
	run := func(b *testing.B, fn func(*formats.Segment) error) {
		b.SetBytes(int64(len(data)))
		cpu := startCPU(b)
		for range b.N {
			if err := formats.CSVSegments(bytes.NewReader(data), formats.CSVOptions{}, fn); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b, int64(len(data)))
	}
	b.Run("extract-only", func(b *testing.B) { run(b, func(*formats.Segment) error { return nil }) })
	b.Run("with-engine", func(b *testing.B) {
		run(b, func(s *formats.Segment) error {
			e.Scan(s, func(identifiers.Detection) {})
			return nil
		})
	})
	b.Run("engine-on-text", func(b *testing.B) {
		var segs []*formats.Segment
		err := formats.TextSegments(bytes.NewReader(data), formats.UTF8, formats.DefaultTextOptions, func(s *formats.Segment) error {
			c := *s
			c.Text = bytes.Clone(s.Text)
			segs = append(segs, &c)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(data)))
		cpu := startCPU(b)
		for range b.N {
			for _, s := range segs {
				e.Scan(s, func(identifiers.Detection) {})
			}
		}
		cpu.report(b, int64(len(data)))
	})
}

// cpuMeter reports, beside the wall-clock MB/s, MB per second of the
// process's CPU time (user and system, all threads: GC included): on a
// machine shared with other work the wall clock stretches, the CPU time
// much less.
type cpuMeter struct{ start time.Duration }

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU(b *testing.B) *cpuMeter {
	b.ResetTimer()
	return &cpuMeter{start: cpuTime()}
}

func (m *cpuMeter) report(b *testing.B, bytesPerOp int64) {
	if d := cpuTime() - m.start; d > 0 {
		b.ReportMetric(float64(bytesPerOp)*float64(b.N)/d.Seconds()/1e6, "cpu-MB/s")
	}
}
