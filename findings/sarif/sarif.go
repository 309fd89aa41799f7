// Package sarif writes findings as SARIF 2.1.0 for code scanning (GitHub
// and others): one rule per identifier, one result per location of a
// detection, with line and column regions for text, and archive members
// as logical locations. No result carries a matched value.
package sarif

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report"
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/identifiers"
)

// GitHub code scanning's limits: results in a run, and the gzipped size
// of an upload. Past either the output is cut and the writer says so.
const (
	MaxResults   = 25_000
	MaxGzipBytes = 10 << 20
)

// Writer collects results and writes the SARIF log when closed (a SARIF
// log is one JSON document; at most MaxResults are held).
type Writer struct {
	out    io.Writer
	warn   io.Writer
	report *sarif.Report
	run    *sarif.Run
	rules  map[string]bool
	// Max is the most results written (MaxResults unless set), MaxGzip
	// the most gzipped bytes (MaxGzipBytes unless set).
	Max, MaxGzip int
	results      int
	dropped      int // past Max
	cut          int // past MaxGzip
}

// NewWriter writes SARIF to out; warnings (results cut) go to warn.
func NewWriter(out, warn io.Writer, version string) *Writer {
	run := sarif.NewRunWithInformationURI("trawl", "https://github.com/trawlsec/trawl")
	if version != "" {
		run.Tool.Driver.WithVersion(version)
	}
	rep := report.NewV210Report()
	rep.AddRun(run)
	return &Writer{out: out, warn: warn, report: rep, run: run, rules: map[string]bool{}, Max: MaxResults, MaxGzip: MaxGzipBytes}
}

// levels are SARIF's levels by Macie's severity.
var levels = map[string]string{"High": "error", "Medium": "warning", "Low": "note"}

func (w *Writer) Put(r *findings.Result, f *findings.Finding) error {
	if f == nil {
		return nil
	}
	descriptions := map[string]string{}
	if r != nil {
		for _, t := range r.Types {
			id := t.Identifier
			name := id.ID
			if id.Name != "" && id.Category == identifiers.Custom {
				name = id.Name
			}
			descriptions[name] = id.Description
		}
	}
	uri := f.ResourcesAffected.S3Object.Key
	if b := f.ResourcesAffected.S3Bucket.Name; b != "" {
		uri = "s3://" + b + "/" + uri
	}
	level := "warning"
	if f.Severity != nil {
		level = levels[f.Severity.Description]
	}
	return findings.EachLocation(f, func(l findings.Location) error {
		if w.results >= w.Max {
			w.dropped++
			return nil
		}
		w.results++
		w.rule(l, descriptions[l.Type])
		where := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri))
		if l.Line > 0 {
			region := sarif.NewRegion().WithStartLine(l.Line).WithEndLine(max(l.EndLine, l.Line))
			if l.Column > 0 {
				region.WithStartColumn(l.Column)
			}
			where.WithRegion(region)
		}
		loc := sarif.NewLocationWithPhysicalLocation(where)
		if l.Member != "" {
			loc.AddLogicalLocation(sarif.NewLogicalLocation().WithFullyQualifiedName(l.Member).WithKind("member"))
		}
		text := fmt.Sprintf("%s (%s) in %s", l.Type, l.Category, describe(l))
		res := w.run.CreateResultForRule(l.Type).
			WithLevel(level).
			WithMessage(sarif.NewTextMessage(text)).
			AddLocation(loc).
			WithPartialFingerprints(map[string]string{"trawlFinding/v1": fingerprint(f.ID, l)})
		props := sarif.NewPropertyBag()
		props.Add("findingId", f.ID)
		props.Add("findingType", f.Type)
		res.WithProperties(props)
		return nil
	})
}

// rule adds an identifier's rule once.
func (w *Writer) rule(l findings.Location, description string) {
	if w.rules[l.Type] {
		return
	}
	w.rules[l.Type] = true
	kind := strings.ToLower(strings.ReplaceAll(l.Category, "_", " "))
	if description == "" {
		description = "Sensitive data of type " + l.Type + " (" + kind + "), found by Amazon Macie's managed data identifier of that name"
		if l.Category == string(identifiers.Custom) {
			description = "Text matching the custom data identifier " + l.Type
		}
	}
	rule := w.run.AddRule(l.Type).WithName(l.Type).WithDescription(description)
	if uri := helpURIs[l.Category]; uri != "" {
		rule.WithHelpURI(uri)
	}
	props := sarif.NewPropertyBag()
	props.Add("tags", []string{"security", "sensitive-data", kind})
	rule.WithProperties(props)
}

// helpURIs are Macie's reference pages for each category's managed
// identifiers.
var helpURIs = map[string]string{
	string(identifiers.Credentials): "https://docs.aws.amazon.com/macie/latest/user/mdis-reference-credentials.html",
	string(identifiers.Financial):   "https://docs.aws.amazon.com/macie/latest/user/mdis-reference-financial.html",
	string(identifiers.Personal):    "https://docs.aws.amazon.com/macie/latest/user/managed-data-identifiers.html",
}

// describe names a location for a result's message.
func describe(l findings.Location) string {
	where := ""
	switch {
	case l.Page > 0:
		where = "page " + strconv.Itoa(l.Page)
	case l.Line > 0:
		where = "line " + strconv.Itoa(l.Line)
	case l.Record != "":
		where = "record " + l.Record
	case l.Cell != "":
		where = "cell " + l.Cell
	default:
		where = "the object"
	}
	if l.Member != "" {
		where = l.Member + ", " + where
	}
	return where
}

// fingerprint is stable across runs for one location of one finding: the
// finding's ID is stable for an object, and the rest is where it sits.
func fingerprint(id string, l findings.Location) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s\x00%+v", id, l))
	return hex.EncodeToString(h[:16])
}

// Close writes the log, cut to MaxGzip gzipped bytes, and says on warn
// if results were left out.
func (w *Writer) Close() error {
	var buf bytes.Buffer
	for {
		buf.Reset()
		if err := w.report.PrettyWrite(&buf); err != nil {
			return err
		}
		size, err := gzipSize(buf.Bytes())
		if err != nil {
			return err
		}
		n := len(w.run.Results)
		if size <= w.MaxGzip || n == 0 {
			break
		}
		// Keep the share of results that fits, less a tenth for the
		// estimate's error.
		keep := min(n-1, int(float64(n)*float64(w.MaxGzip)/float64(size)*0.9))
		w.cut += n - keep
		w.run.Results = w.run.Results[:keep]
	}
	if w.warn != nil {
		if w.dropped > 0 {
			fmt.Fprintf(w.warn, "trawl: SARIF output cut at %d results (GitHub code scanning's limit per run): %d more not written; use --format jsonl for all\n", w.Max, w.dropped)
		}
		if w.cut > 0 {
			fmt.Fprintf(w.warn, "trawl: SARIF output cut to %d bytes gzipped (GitHub code scanning's upload limit): %d results not written; use --format jsonl for all\n", w.MaxGzip, w.cut)
		}
	}
	_, err := w.out.Write(buf.Bytes())
	return err
}

// gzipSize is the size of b gzipped, as an upload would be.
func gzipSize(b []byte) (int, error) {
	var n countWriter
	z := gzip.NewWriter(&n)
	if _, err := z.Write(b); err != nil {
		return 0, err
	}
	err := z.Close()
	return int(n), err
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// Validate checks the log against the SARIF 2.1.0 schema (embedded in the
// library: nothing is downloaded).
func (w *Writer) Validate() error { return w.report.Validate() }
