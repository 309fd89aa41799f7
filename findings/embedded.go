package findings

import (
	"crypto/sha256"
	"encoding/hex"
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
// status added (a trawl extension; the member's record has it as its
// result's status too).
type EmbeddedFileDetails struct {
	FilePath         string               `json:"filePath"`
	FileExtension    string               `json:"fileExtension"`
	FileSize         int64                `json:"fileSize"`
	FileLastModified string               `json:"fileLastModified,omitempty"`
	Status           ClassificationStatus `json:"status"`
}

// memberSummary is what a member's own results record needs beyond what
// the archive's result keeps: its counts per identifier (its locations
// are the archive's that name it), MIME type and bytes classified.
type memberSummary struct {
	counts         []*TypeResult // Occurrences left empty
	mimeType       string
	sizeClassified int64
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
	if r.members == nil {
		r.members = map[string]*memberSummary{}
	}
	if len(r.members) < MaxEmbeddedFiles {
		ms := &memberSummary{mimeType: member.MimeType, sizeClassified: member.SizeClassified}
		for _, mt := range member.Types {
			ms.counts = append(ms.counts, &TypeResult{Identifier: mt.Identifier, Count: mt.Count})
		}
		r.members[file] = ms
	}
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

// Records renders a result as Macie's discovery results records: the
// object's own (its counts the sum over its members, without
// embeddedFileDetails), then, for an archive, one record per listed
// member with embeddedFileDetails naming it and the member's own counts,
// status and locations. AWS's Athena table for Macie results reads
// embeddedFileDetails as one struct per record, and its queries list
// archive members as rows of their own.
func Records(r *Result, run Run) []Finding {
	out := []Finding{Record(r, run)}
	for _, e := range r.Embedded {
		out = append(out, memberRecord(r, e, run))
	}
	return out
}

// memberRecord is one archive member's results record.
func memberRecord(r *Result, e EmbeddedFile, run Run) Finding {
	file := r.Object.Key + "!" + e.Path
	sub := &Result{Object: r.Object, Status: e.Status, Reason: e.Reason}
	if ms := r.members[file]; ms != nil {
		sub.MimeType, sub.SizeClassified = ms.mimeType, ms.sizeClassified
		for _, c := range ms.counts {
			t := &TypeResult{Identifier: c.Identifier, Count: c.Count}
			for _, at := range r.byID[c.Identifier.ID].Occurrences {
				if at.File == file {
					t.Occurrences = append(t.Occurrences, at)
				}
			}
			sub.Types = append(sub.Types, t)
		}
	}
	rec := record(sub, run, false)
	h := sha256.Sum256([]byte(rec.ID + "\x00" + e.Path))
	rec.ID = hex.EncodeToString(h[:16])
	d := embeddedDetail(e)
	rec.ResourcesAffected.S3Object.EmbeddedFileDetails = &d
	return rec
}

func embeddedDetail(e EmbeddedFile) EmbeddedFileDetails {
	d := EmbeddedFileDetails{
		FilePath: e.Path,
		// The extension of the innermost name: "a.zip!b/c.csv" is csv.
		FileExtension: strings.TrimPrefix(path.Ext(e.Path[strings.LastIndex(e.Path, "!")+1:]), "."),
		FileSize:      e.Size,
		Status:        ClassificationStatus{Code: e.Status},
	}
	if !e.LastModified.IsZero() {
		d.FileLastModified = Timestamp(e.LastModified)
	}
	if e.Reason != "" {
		reason := e.Reason
		d.Status.Reason = &reason
	}
	return d
}
