package findings

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

var run = Run{JobID: "0123456789abcdef0123456789abcdef", CreatedAt: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}

func ident(id string, c identifiers.Category, sev identifiers.SeverityRule) *identifiers.Identifier {
	return &identifiers.Identifier{ID: id, Category: c, Severity: sev}
}

var (
	aws   = ident("AWS_CREDENTIALS", identifiers.Credentials, identifiers.AlwaysHigh)
	phone = ident("PHONE_NUMBER", identifiers.Personal, identifiers.ByCount)
	card  = ident("CREDIT_CARD_NUMBER", identifiers.Financial, identifiers.AlwaysHigh)
	pass  = ident("USA_PASSPORT_NUMBER", identifiers.Personal, identifiers.SeverityRule{identifiers.Medium, identifiers.High, identifiers.High})
	emp   = &identifiers.Identifier{ID: "emp", Name: "Employee ID", ARN: "arn:trawl:custom/emp", Category: identifiers.Custom, Severity: identifiers.SeverityRule{identifiers.Medium, identifiers.Medium, identifiers.Medium}}
)

func resultWith(counts map[*identifiers.Identifier]int) *Result {
	r := &Result{Object: Object{Key: "dir/file.txt", Path: "/data/dir/file.txt", Size: 10}, Status: Complete, MimeType: "text/plain"}
	for id, n := range counts {
		// Detection i sits at the start of line i+1.
		seg := &formats.Segment{Text: []byte(strings.Repeat("x\n", n)), Line: 1, Column: 1}
		for i := range n {
			r.Add(identifiers.DetectionAt(id, seg, 2*i, 2*i+1))
		}
	}
	r.Finish()
	return r
}

func TestSeverityByMaciesBuckets(t *testing.T) {
	cases := []struct {
		counts map[*identifiers.Identifier]int
		want   string
	}{
		{map[*identifiers.Identifier]int{phone: 1}, "Low"},
		{map[*identifiers.Identifier]int{phone: 2}, "Medium"},
		{map[*identifiers.Identifier]int{phone: 99}, "Medium"},
		{map[*identifiers.Identifier]int{phone: 100}, "High"},
		{map[*identifiers.Identifier]int{pass: 1}, "Medium"},
		{map[*identifiers.Identifier]int{pass: 2}, "High"},
		{map[*identifiers.Identifier]int{card: 1}, "High"},
		{map[*identifiers.Identifier]int{phone: 1, aws: 1}, "High"}, // the highest across types
		{map[*identifiers.Identifier]int{emp: 1}, "Medium"},
	}
	for _, c := range cases {
		f := Build(resultWith(c.counts), run)
		if f.Severity.Description != c.want || f.Severity.Score != map[string]int{"Low": 1, "Medium": 2, "High": 3}[c.want] {
			t.Errorf("%v: severity %+v, want %s", c.counts, f.Severity, c.want)
		}
	}
}

func TestFindingTypeAndTitle(t *testing.T) {
	cases := []struct {
		counts map[*identifiers.Identifier]int
		typ    string
	}{
		{map[*identifiers.Identifier]int{aws: 1}, TypeCredentials},
		{map[*identifiers.Identifier]int{card: 1}, TypeFinancial},
		{map[*identifiers.Identifier]int{phone: 1, pass: 1}, TypePersonal},
		{map[*identifiers.Identifier]int{emp: 1}, TypeCustom},
		{map[*identifiers.Identifier]int{card: 1, phone: 3}, TypeMultiple},
		{map[*identifiers.Identifier]int{emp: 1, aws: 1}, TypeMultiple},
	}
	for _, c := range cases {
		f := Build(resultWith(c.counts), run)
		if f.Type != c.typ || !strings.HasPrefix(f.Title, "The object contains") || f.Description == "" {
			t.Errorf("%v: type %s title %q", c.counts, f.Type, f.Title)
		}
	}
	r := resultWith(map[*identifiers.Identifier]int{card: 1})
	r.Object.Bucket = "my-bucket"
	f := Build(r, run)
	if !strings.HasPrefix(f.Title, "The S3 object contains") || f.ResourcesAffected.S3Bucket.Arn != "arn:aws:s3:::my-bucket" {
		t.Errorf("S3 object: title %q, bucket arn %q", f.Title, f.ResourcesAffected.S3Bucket.Arn)
	}
}

func TestNoFindingWithoutDetections(t *testing.T) {
	if f := Build(resultWith(nil), run); f != nil {
		t.Fatal("a result without detections must not make a finding")
	}
	rec := Record(resultWith(nil), run)
	if rec.Type != "" || rec.Severity != nil || rec.ClassificationDetails.Result.Status.Code != Complete {
		t.Fatalf("record without detections: type %q severity %v", rec.Type, rec.Severity)
	}
}

func TestOccurrenceLimits(t *testing.T) {
	r := resultWith(map[*identifiers.Identifier]int{phone: 1200, card: 15})
	if n := len(r.Types[1].Occurrences); n != MaxResultOccurrences {
		t.Fatalf("result keeps %d occurrences, want %d", n, MaxResultOccurrences)
	}
	f := Build(r, run)
	res := f.ClassificationDetails.Result
	if !res.AdditionalOccurrences {
		t.Error("additionalOccurrences must be true when a type has more than 15")
	}
	for _, s := range res.SensitiveData {
		for _, d := range s.Detections {
			if len(d.Occurrences.LineRanges) > MaxFindingOccurrences {
				t.Errorf("%s: %d occurrences in a finding", d.Type, len(d.Occurrences.LineRanges))
			}
		}
	}
	if d := res.SensitiveData[1].Detections[0]; d.Type != "PHONE_NUMBER" || d.Count != 1200 {
		t.Errorf("count %d for %s, want the full count 1200", d.Count, d.Type)
	}
	rec := Record(r, run)
	if n := len(rec.ClassificationDetails.Result.SensitiveData[1].Detections[0].Occurrences.LineRanges); n != MaxResultOccurrences {
		t.Errorf("record holds %d occurrences, want %d", n, MaxResultOccurrences)
	}
	exact := Build(resultWith(map[*identifiers.Identifier]int{card: 15}), run)
	if exact.ClassificationDetails.Result.AdditionalOccurrences {
		t.Error("15 occurrences fit in a finding: additionalOccurrences must be false")
	}
}

// TestJSONShape checks the wire format against Macie's field names, with
// nulls where Macie writes them.
func TestJSONShape(t *testing.T) {
	f := Build(resultWith(map[*identifiers.Identifier]int{card: 2, emp: 1}), run)
	raw, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(raw, &m)
	for _, k := range []string{"accountId", "archived", "category", "classificationDetails", "count", "createdAt",
		"description", "id", "partition", "policyDetails", "region", "resourcesAffected", "sample", "schemaVersion",
		"severity", "title", "type", "updatedAt"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing top-level field %s", k)
		}
	}
	if m["policyDetails"] != nil || m["count"] != 1.0 || m["createdAt"] != m["updatedAt"] || m["schemaVersion"] != "1.0" {
		t.Error("policyDetails must be null, count 1, createdAt == updatedAt, schemaVersion 1.0")
	}
	res := m["classificationDetails"].(map[string]any)["result"].(map[string]any)
	if st := res["status"].(map[string]any); st["code"] != "COMPLETE" || st["reason"] != nil {
		t.Errorf("status %v, want COMPLETE with a null reason", st)
	}
	occ := res["sensitiveData"].([]any)[0].(map[string]any)["detections"].([]any)[0].(map[string]any)["occurrences"].(map[string]any)
	for _, k := range []string{"cells", "offsetRanges", "pages", "records"} {
		if v, ok := occ[k]; ok {
			t.Errorf("occurrences.%s: %v, want it left out (Macie writes only the kinds it has)", k, v)
		}
	}
	lr := occ["lineRanges"].([]any)[0].(map[string]any)
	if lr["start"] != 1.0 || lr["end"] != 1.0 || lr["startColumn"] != 1.0 {
		t.Errorf("lineRanges[0] %v", lr)
	}
	cdi := res["customDataIdentifiers"].(map[string]any)
	det := cdi["detections"].([]any)[0].(map[string]any)
	if cdi["totalCount"] != 1.0 || det["arn"] != "arn:trawl:custom/emp" || det["name"] != "Employee ID" {
		t.Errorf("customDataIdentifiers %v", cdi)
	}
	obj := m["resourcesAffected"].(map[string]any)["s3Object"].(map[string]any)
	if obj["key"] != "dir/file.txt" || obj["extension"] != "txt" || obj["path"] != "/data/dir/file.txt" {
		t.Errorf("s3Object %v", obj)
	}
}

func TestSkippedRecordCarriesReason(t *testing.T) {
	r := &Result{Object: Object{Key: "x.bin"}, Status: Complete}
	r.Skip(UnsupportedFileType)
	rec := Record(r, run)
	st := rec.ClassificationDetails.Result.Status
	if st.Code != Skipped || st.Reason == nil || *st.Reason != "UNSUPPORTED_FILE_TYPE_EXCEPTION" {
		t.Fatalf("status %+v", st)
	}
}

func TestTagsAreSorted(t *testing.T) {
	r := resultWith(map[*identifiers.Identifier]int{card: 1})
	r.Object.Tags = map[string]string{"z": "1", "a": "2", "m": "3"}
	tags := Build(r, run).ResourcesAffected.S3Object.Tags
	if len(tags) != 3 || tags[0].Key != "a" || tags[1].Key != "m" || tags[2].Key != "z" {
		t.Fatalf("tags %v", tags)
	}
}

func TestWriters(t *testing.T) {
	with := resultWith(map[*identifiers.Identifier]int{card: 2})
	without := resultWith(nil)
	put := func(s Sink) {
		for _, r := range []*Result{with, without} {
			if err := s.Put(r, Build(r, run)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	var jl, js, tb bytes.Buffer
	put(NewJSONL(&jl))
	put(NewJSON(&js))
	put(NewTable(&tb))
	if strings.Count(jl.String(), "\n") != 1 {
		t.Errorf("jsonl: %d lines, want 1 finding", strings.Count(jl.String(), "\n"))
	}
	var arr []Finding
	if err := json.Unmarshal(js.Bytes(), &arr); err != nil || len(arr) != 1 {
		t.Errorf("json: %v, %d findings", err, len(arr))
	}
	if !strings.Contains(tb.String(), "CREDIT_CARD_NUMBER×2") || !strings.Contains(tb.String(), "line 1") {
		t.Errorf("table:\n%s", tb.String())
	}
	var empty bytes.Buffer
	NewJSON(&empty).Close()
	if err := json.Unmarshal(empty.Bytes(), &arr); err != nil || len(arr) != 0 {
		t.Errorf("empty json array: %q", empty.String())
	}

	dir := t.TempDir()
	rs, name, err := NewResults(filepath.Join(dir, "results"), run)
	if err != nil {
		t.Fatal(err)
	}
	put(rs)
	u, err := url.Parse(name)
	if err != nil || u.Scheme != "file" || !filepath.IsAbs(filepath.FromSlash(u.Path)) || filepath.Base(u.Path) != run.JobID+".jsonl.gz" {
		t.Errorf("results location %s, want an absolute file:// URI", name)
	}
	f, _ := os.Open(filepath.FromSlash(u.Path))
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(gz)
	if n := strings.Count(string(raw), "\n"); n != 2 {
		t.Errorf("results: %d records, want one per object (2)", n)
	}
}
