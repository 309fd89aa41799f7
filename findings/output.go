package findings

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/trawlsec/trawl/formats"
)

// Sink takes each object's result, with its finding when it has one (nil
// otherwise), in output order. Like ripgrep's Sink, it knows nothing of how
// results were made.
type Sink interface {
	Put(r *Result, f *Finding) error
	Close() error
}

// Sinks fans results out to several sinks.
type Sinks []Sink

func (s Sinks) Put(r *Result, f *Finding) error {
	for _, k := range s {
		if err := k.Put(r, f); err != nil {
			return err
		}
	}
	return nil
}

func (s Sinks) Close() error {
	var first error
	for _, k := range s {
		if err := k.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// jsonlWriter writes one finding per line.
type jsonlWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
}

// NewJSONL writes findings as JSON Lines.
func NewJSONL(w io.Writer) Sink {
	bw := bufio.NewWriter(w)
	return &jsonlWriter{w: bw, enc: json.NewEncoder(bw)}
}

func (j *jsonlWriter) Put(_ *Result, f *Finding) error {
	if f == nil {
		return nil
	}
	return j.enc.Encode(f)
}

func (j *jsonlWriter) Close() error { return j.w.Flush() }

// jsonWriter writes findings as one JSON array, streamed.
type jsonWriter struct {
	w *bufio.Writer
	n int
}

// NewJSON writes findings as a JSON array.
func NewJSON(w io.Writer) Sink { return &jsonWriter{w: bufio.NewWriter(w)} }

func (j *jsonWriter) Put(_ *Result, f *Finding) error {
	if f == nil {
		return nil
	}
	b, err := json.MarshalIndent(f, "  ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n  "
	if j.n == 0 {
		sep = "[\n  "
	}
	j.n++
	j.w.WriteString(sep)
	_, err = j.w.Write(b)
	return err
}

func (j *jsonWriter) Close() error {
	if j.n == 0 {
		j.w.WriteString("[")
	}
	j.w.WriteString("\n]\n")
	return j.w.Flush()
}

// tableWriter prints one row per finding for people.
type tableWriter struct {
	out  io.Writer
	tw   *tabwriter.Writer
	rows int
}

// NewTable prints findings as an aligned table.
func NewTable(w io.Writer) Sink {
	return &tableWriter{out: w, tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
}

func (t *tableWriter) Put(r *Result, f *Finding) error {
	if f == nil {
		return nil
	}
	if t.rows == 0 {
		fmt.Fprintln(t.tw, "SEVERITY\tTYPE\tOBJECT\tFIRST AT\tDETECTIONS")
	}
	t.rows++
	var det []string
	first := ""
	firstKey := -1
	for _, ty := range r.Types {
		det = append(det, fmt.Sprintf("%s×%d", ty.Identifier.ID, ty.Count))
		if len(ty.Occurrences) == 0 {
			continue
		}
		if where, key := describe(ty.Occurrences[0]); firstKey < 0 || key < firstKey {
			first, firstKey = where, key
		}
	}
	// Names come from the data: quoted, on a terminal or not (a file
	// piped to less -R or cat later reaches one all the same).
	name := r.Object.Key
	if r.Object.Bucket != "" {
		name = "s3://" + r.Object.Bucket + "/" + r.Object.Key
	}
	name = QuoteName(name)
	_, err := fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\n", f.Severity.Description,
		strings.TrimPrefix(f.Type, "SensitiveData:S3Object/"), name, first, strings.Join(det, ", "))
	return err
}

// describe says where an occurrence is, for people, with a sort key that
// puts earlier places first. In an archive it names the member first.
func describe(o formats.Occurrence) (string, int) {
	if _, member, ok := strings.Cut(o.File, "!"); ok {
		o.File = ""
		where, key := describe(o)
		return QuoteName(member) + ": " + where, key
	}
	switch {
	case o.Line != nil:
		return fmt.Sprintf("line %d", o.Line.Start), o.Line.Start
	case o.Cell != nil:
		if o.Cell.CellReference != nil {
			return *o.Cell.CellReference, o.Cell.Row<<16 | o.Cell.Column
		}
		return fmt.Sprintf("row %d col %d", o.Cell.Row, o.Cell.Column), o.Cell.Row<<16 | o.Cell.Column
	case o.Record != nil:
		return fmt.Sprintf("record %d %s", o.Record.RecordIndex, QuoteName(o.Record.JSONPath)), o.Record.RecordIndex
	}
	return "", 0
}

func (t *tableWriter) Close() error {
	if t.rows == 0 {
		fmt.Fprintln(t.tw, "No sensitive data found.")
	}
	return t.tw.Flush()
}

// resultsWriter writes every result as a gzipped JSON Lines record, like
// Macie's sensitive data discovery results repository.
type resultsWriter struct {
	f   *os.File
	gz  *gzip.Writer
	enc *json.Encoder
	run Run
}

// NewResults writes discovery results to dir/<jobID>.jsonl.gz and returns
// the file's URI.
func NewResults(dir string, run Run) (Sink, string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", fmt.Errorf("create results directory: %w", err)
	}
	name := filepath.Join(dir, run.JobID+".jsonl.gz")
	f, err := os.Create(name)
	if err != nil {
		return nil, "", fmt.Errorf("create results file: %w", err)
	}
	gz := gzip.NewWriter(f)
	return &resultsWriter{f: f, gz: gz, enc: json.NewEncoder(gz), run: run}, FileURI(name), nil
}

// FileURI is a local file's absolute file:// URI, the form of a local
// detailedResultsLocation (Macie's is an s3:// URI: both name the file
// wherever the finding is read).
func FileURI(name string) string {
	if abs, err := filepath.Abs(name); err == nil {
		name = abs
	}
	p := filepath.ToSlash(name)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

func (w *resultsWriter) Put(r *Result, _ *Finding) error {
	for _, rec := range Records(r, w.run) {
		if err := w.enc.Encode(&rec); err != nil {
			return err
		}
	}
	return nil
}

func (w *resultsWriter) Close() error {
	if err := w.gz.Close(); err != nil {
		w.f.Close()
		return fmt.Errorf("write results: %w", err)
	}
	return w.f.Close()
}
