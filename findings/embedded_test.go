package findings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/identifiers"
)

func TestMergeNamesTheMember(t *testing.T) {
	top := &Result{Object: Object{Key: "a.zip"}, Status: Complete}
	top.Merge(resultWith(map[*identifiers.Identifier]int{card: 2}), "a.zip!x.txt")
	top.Merge(resultWith(map[*identifiers.Identifier]int{card: MaxResultOccurrences, aws: 1}), "a.zip!y/z.txt")
	top.Finish()
	if top.Detections() != 3+MaxResultOccurrences || len(top.Types) != 2 {
		t.Fatalf("%d detections in %d types", top.Detections(), len(top.Types))
	}
	c := top.Types[1] // CREDIT_CARD_NUMBER, after AWS_CREDENTIALS
	if c.Count != 2+MaxResultOccurrences || len(c.Occurrences) != MaxResultOccurrences {
		t.Errorf("count %d, %d occurrences kept", c.Count, len(c.Occurrences))
	}
	if c.Occurrences[0].File != "a.zip!x.txt" || c.Occurrences[2].File != "a.zip!y/z.txt" {
		t.Errorf("files %q %q", c.Occurrences[0].File, c.Occurrences[2].File)
	}
	rec := Record(top, run)
	b, _ := json.Marshal(rec)
	if !bytes.Contains(b, []byte(`"filePath":"a.zip!y/z.txt"`)) {
		t.Error("filePath missing from the result JSON")
	}
	// Outside archives the field is left out: Macie's shape exactly.
	b, _ = json.Marshal(Record(resultWith(map[*identifiers.Identifier]int{card: 1}), run))
	if bytes.Contains(b, []byte("filePath")) || bytes.Contains(b, []byte("embeddedFileDetails")) {
		t.Error("archive fields on a plain file's result")
	}
}

func TestEmbeddedFileDetails(t *testing.T) {
	r := &Result{Object: Object{Key: "a.zip"}, Status: Partial, Reason: ArchiveContainsUnprocessedFiles}
	r.AddEmbedded(EmbeddedFile{Path: "dir/in.tar!data.CSV", Size: 461, LastModified: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Status: Complete})
	r.AddEmbedded(EmbeddedFile{Path: "secret.txt", Size: 10, Status: Skipped, Reason: InvalidEncryption})
	for i := range MaxEmbeddedFiles {
		r.AddEmbedded(EmbeddedFile{Path: fmt.Sprint(i), Status: Complete})
	}
	if len(r.Embedded) != MaxEmbeddedFiles {
		t.Errorf("%d members kept, want %d", len(r.Embedded), MaxEmbeddedFiles)
	}
	recs := Records(r, run)
	if len(recs) != 1+MaxEmbeddedFiles || recs[0].ResourcesAffected.S3Object.EmbeddedFileDetails != nil {
		t.Fatalf("%d records, the archive's with embeddedFileDetails %v", len(recs), recs[0].ResourcesAffected.S3Object.EmbeddedFileDetails)
	}
	d0, d1 := recs[1].ResourcesAffected.S3Object.EmbeddedFileDetails, recs[2].ResourcesAffected.S3Object.EmbeddedFileDetails
	if d0.FileExtension != "CSV" || d0.FileLastModified != "2024-01-02T03:04:05.000Z" || d0.FileSize != 461 ||
		d1.Status.Reason == nil || *d1.Status.Reason != InvalidEncryption || d0.Status.Reason != nil {
		t.Errorf("details %+v %+v", d0, d1)
	}
	// Each member's record has its status as its result's, and an ID of
	// its own.
	if st := recs[2].ClassificationDetails.Result.Status; st.Code != Skipped || st.Reason == nil || *st.Reason != InvalidEncryption {
		t.Errorf("member status %+v", st)
	}
	if recs[1].ID == recs[0].ID || recs[1].ID == recs[2].ID || recs[1].ResourcesAffected.S3Object.Key != "a.zip" {
		t.Errorf("member IDs %s %s %s, key %s", recs[0].ID, recs[1].ID, recs[2].ID, recs[1].ResourcesAffected.S3Object.Key)
	}
	// Findings are Macie's: no member list there.
	r.Merge(resultWith(map[*identifiers.Identifier]int{card: 1}), "a.zip!x")
	if f := Build(r, run); f == nil || f.ResourcesAffected.S3Object.EmbeddedFileDetails != nil {
		t.Error("member list in a finding")
	}
}

func TestTableNamesTheMember(t *testing.T) {
	r := &Result{Object: Object{Key: "a.zip"}, Status: Complete}
	r.Merge(resultWith(map[*identifiers.Identifier]int{card: 1}), "a.zip!dir/x.txt")
	r.Finish()
	var buf bytes.Buffer
	tw := NewTable(&buf)
	tw.Put(r, Build(r, run))
	tw.Close()
	if !strings.Contains(buf.String(), "dir/x.txt: line 1") {
		t.Errorf("table: %q", buf.String())
	}
}
