package findings

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// csvHeader are the CSV output's columns: one row per location of a
// finding's detections (a detection whose locations were cut to Macie's
// 15 has rows for those 15), and never a matched value.
var csvHeader = []string{"finding_id", "job_id", "path", "archive_member", "type", "category", "severity",
	"line", "column", "page", "record", "cell"}

type csvWriter struct {
	w      *csv.Writer
	header bool
}

// NewCSV writes findings as CSV, one row per detection location.
func NewCSV(w io.Writer) Sink { return &csvWriter{w: csv.NewWriter(w)} }

func (c *csvWriter) Put(_ *Result, f *Finding) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(csvHeader); err != nil {
			return err
		}
	}
	if f == nil {
		return nil
	}
	return EachLocation(f, func(l Location) error {
		return c.w.Write([]string{f.ID, f.ClassificationDetails.JobID, f.ResourcesAffected.S3Object.Path, l.Member,
			l.Type, l.Category, f.Severity.Description, itoa(l.Line), itoa(l.Column), itoa(l.Page), l.Record, l.Cell})
	})
}

func (c *csvWriter) Close() error {
	if !c.header {
		c.w.Write(csvHeader)
	}
	c.w.Flush()
	return c.w.Error()
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// Location is one place a finding's detection sits, flattened for the
// CSV and SARIF outputs. Zero fields do not apply.
type Location struct {
	Type, Category string // the identifier (a custom one's name) and its category
	Member         string // the archive member, "" outside archives
	Line, Column   int    // 1-based; EndLine too for line ranges
	EndLine        int
	Page           int
	Record         string // "3" or "3 $.a.b": record index and JSON path
	Cell           string // Sheet1!B2, or "row 2 column 3 (name)" for CSV
}

// EachLocation calls fn for every location of a finding's detections, in
// the finding's order; a detection without locations gets one row with
// only its type.
func EachLocation(f *Finding, fn func(Location) error) error {
	res := f.ClassificationDetails.Result
	for _, sd := range res.SensitiveData {
		for _, d := range sd.Detections {
			if err := eachIn(d.Occurrences, Location{Type: d.Type, Category: string(sd.Category)}, fn); err != nil {
				return err
			}
		}
	}
	for _, d := range res.CustomDataIdentifiers.Detections {
		if err := eachIn(d.Occurrences, Location{Type: d.Name, Category: "CUSTOM_IDENTIFIER"}, fn); err != nil {
			return err
		}
	}
	return nil
}

// member is the archive member of an occurrence's filePath ("a.zip!b/c"
// is "b/c").
func member(file string) string {
	_, m, _ := strings.Cut(file, "!")
	return m
}

func eachIn(o Occurrences, base Location, fn func(Location) error) error {
	n := 0
	emit := func(l Location) error { n++; return fn(l) }
	for _, x := range o.LineRanges {
		l := base
		l.Member, l.Line, l.EndLine, l.Column = member(x.FilePath), x.Start, x.End, x.StartColumn
		if err := emit(l); err != nil {
			return err
		}
	}
	for _, x := range o.Pages {
		l := base
		l.Member, l.Page = member(x.FilePath), x.PageNumber
		if x.LineRange != nil {
			l.Line, l.EndLine, l.Column = x.LineRange.Start, x.LineRange.End, x.LineRange.StartColumn
		}
		if err := emit(l); err != nil {
			return err
		}
	}
	for _, x := range o.Records {
		l := base
		l.Member, l.Record = member(x.FilePath), strings.TrimSpace(strconv.Itoa(x.RecordIndex)+" "+x.JSONPath)
		if err := emit(l); err != nil {
			return err
		}
	}
	for _, x := range o.Cells {
		l := base
		l.Member = member(x.FilePath)
		if x.CellReference != nil {
			l.Cell = *x.CellReference
		} else {
			l.Cell = "row " + strconv.Itoa(x.Row) + " column " + strconv.Itoa(x.Column)
			if x.ColumnName != "" {
				l.Cell += " (" + x.ColumnName + ")"
			}
		}
		if err := emit(l); err != nil {
			return err
		}
	}
	if n == 0 {
		return fn(base)
	}
	return nil
}
