package findings

import (
	"path"
	"strings"
	"time"
)

// MaxEmbeddedFiles bounds the members a result lists, so that a result's
// memory does not grow with an archive of a million files (all of them
// are still scanned and counted).
const MaxEmbeddedFiles = 1000

// EmbeddedFile is one member of an archive object, and how its scan ended.
type EmbeddedFile struct {
	Path         string // inside the object: "dir/inner.tar!data.csv"
	Size         int64
	LastModified time.Time
	Status       Status
	Reason       Reason
}

// EmbeddedFileDetails is Macie's embeddedFileDetails, with the member's
// status added (a trawl extension).
type EmbeddedFileDetails struct {
	FilePath         string               `json:"filePath"`
	FileExtension    string               `json:"fileExtension"`
	FileSize         int64                `json:"fileSize"`
	FileLastModified string               `json:"fileLastModified,omitempty"`
	Status           ClassificationStatus `json:"status"`
}

// AddEmbedded lists a member (past MaxEmbeddedFiles it is only scanned).
func (r *Result) AddEmbedded(e EmbeddedFile) {
	if len(r.Embedded) < MaxEmbeddedFiles {
		r.Embedded = append(r.Embedded, e)
	}
}

// Merge adds a member's detections to the object's result, each location
// naming the member (file), up to MaxResultOccurrences per type.
func (r *Result) Merge(member *Result, file string) {
	for _, mt := range member.Types {
		t := r.typeFor(mt.Identifier)
		t.Count += mt.Count
		for _, o := range mt.Occurrences {
			if len(t.Occurrences) >= MaxResultOccurrences {
				break
			}
			o.File = file
			t.Occurrences = append(t.Occurrences, o)
		}
	}
	r.SizeClassified += member.SizeClassified
	for v := range member.masks {
		r.addMask(v)
	}
	if member.maskNames {
		r.masks, r.maskNames = nil, true
	}
}

func embeddedDetails(es []EmbeddedFile) []EmbeddedFileDetails {
	var out []EmbeddedFileDetails
	for _, e := range es {
		d := EmbeddedFileDetails{
			FilePath: e.Path,
			// The extension of the innermost name: "a.zip!b/c.csv" is csv.
			FileExtension: strings.TrimPrefix(path.Ext(e.Path[strings.LastIndex(e.Path, "!")+1:]), "."),
			FileSize:      e.Size,
			Status:        ClassificationStatus{Code: e.Status},
		}
		if !e.LastModified.IsZero() {
			d.FileLastModified = e.LastModified.UTC().Format(time.RFC3339)
		}
		if e.Reason != "" {
			reason := e.Reason
			d.Status.Reason = &reason
		}
		out = append(out, d)
	}
	return out
}
