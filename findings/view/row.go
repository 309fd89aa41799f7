package view

import (
	"fmt"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/store"
)

// Row is one finding as pages show it: its fields, flattened, and its
// detections with their locations. It holds no matched value because a
// finding holds none.
type Row struct {
	ID          string
	Severity    string
	Score       int
	Type        string
	Categories  []string
	Bucket      string
	Key         string
	Where       string // bucket/key, or the local path
	Size        int64
	MimeType    string
	Count       int // detections in all
	JobID       string
	JobArn      string
	CreatedAt   string
	LastSeenAt  string
	Archived    bool
	ArchivedBy  string
	Triage      *store.Triage
	Sightings   []store.Sighting
	Detections  []Detection
	Status      string
	Additional  bool // more occurrences than listed
	ResultsFile string
}

// Detection is one identifier's detections in a finding.
type Detection struct {
	Category  string
	Type      string // managed identifier type or custom identifier name
	Custom    bool
	Count     int
	Locations []string
	Samples   []string // masked, only when the scan kept them (--store-samples)
}

// RowOf flattens a finding for a page.
func RowOf(s *store.Stored) Row {
	f := &s.Finding
	r := Row{
		ID: f.ID, Severity: severityOf(f), Score: score(f), Type: f.Type,
		Bucket: f.ResourcesAffected.S3Bucket.Name, Key: f.ResourcesAffected.S3Object.Key,
		Size: f.ResourcesAffected.S3Object.Size, MimeType: f.ClassificationDetails.Result.MimeType,
		JobID: f.ClassificationDetails.JobID, JobArn: f.ClassificationDetails.JobArn,
		CreatedAt: f.CreatedAt, LastSeenAt: s.LastSeenAt, Archived: f.Archived, ArchivedBy: s.ArchivedBy,
		Triage: s.Triage, Sightings: s.Sightings, Status: string(f.ClassificationDetails.Result.Status.Code),
		Additional:  f.ClassificationDetails.Result.AdditionalOccurrences,
		ResultsFile: f.ClassificationDetails.DetailedResultsLocation,
	}
	r.Where = r.Key
	if r.Bucket != "" {
		r.Where = "s3://" + r.Bucket + "/" + r.Key
	}
	for _, sd := range f.ClassificationDetails.Result.SensitiveData {
		r.Categories = append(r.Categories, string(sd.Category))
		for _, d := range sd.Detections {
			r.Count += d.Count
			r.Detections = append(r.Detections, Detection{Category: string(sd.Category), Type: d.Type, Count: d.Count, Locations: Locations(d.Occurrences), Samples: d.Samples})
		}
	}
	if cd := f.ClassificationDetails.Result.CustomDataIdentifiers.Detections; len(cd) > 0 {
		r.Categories = append(r.Categories, "CUSTOM_IDENTIFIER")
		for _, d := range cd {
			r.Count += d.Count
			r.Detections = append(r.Detections, Detection{Category: "CUSTOM_IDENTIFIER", Type: d.Name, Custom: true, Count: d.Count, Locations: Locations(d.Occurrences), Samples: d.Samples})
		}
	}
	slices.Sort(r.Categories)
	r.Categories = slices.Compact(r.Categories)
	return r
}

// Identifiers is the row's detection types, for the table.
func (r Row) Identifiers() string {
	var ts []string
	for _, d := range r.Detections {
		ts = append(ts, d.Type)
	}
	return strings.Join(ts, ", ")
}

// Locations says where each occurrence is, in words: the line, cell,
// record or page, and the archive member that holds it.
func Locations(o findings.Occurrences) []string {
	var out []string
	in := func(member, s string) string {
		if member == "" {
			return s
		}
		return member + ": " + s
	}
	for _, l := range o.LineRanges {
		s := fmt.Sprintf("line %d, column %d", l.Start, l.StartColumn)
		if l.End != l.Start {
			s = fmt.Sprintf("lines %d-%d, column %d", l.Start, l.End, l.StartColumn)
		}
		out = append(out, in(l.FilePath, s))
	}
	for _, c := range o.Cells {
		s := fmt.Sprintf("row %d, column %d", c.Row, c.Column)
		if c.ColumnName != "" {
			s += fmt.Sprintf(" (%s)", c.ColumnName)
		}
		if c.CellReference != nil && *c.CellReference != "" {
			s = fmt.Sprintf("cell %s, ", *c.CellReference) + s
		}
		out = append(out, in(c.FilePath, s))
	}
	for _, rec := range o.Records {
		s := fmt.Sprintf("record %d", rec.RecordIndex)
		if rec.JSONPath != "" {
			s += ", " + rec.JSONPath
		}
		out = append(out, in(rec.FilePath, s))
	}
	for _, p := range o.Pages {
		s := fmt.Sprintf("page %d", p.PageNumber)
		if p.LineRange != nil {
			s += fmt.Sprintf(", line %d", p.LineRange.Start)
		}
		out = append(out, in(p.FilePath, s))
	}
	return out
}
