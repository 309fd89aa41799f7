package asff

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/securityhub/types"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

var card = &identifiers.Identifier{ID: "CREDIT_CARD_NUMBER", Category: identifiers.Financial, Severity: identifiers.AlwaysHigh}

// Finding is a finding for tests: one card number on line 3 of an object
// (in bucket when it is given).
func Finding(bucket string) *findings.Finding {
	seg := &formats.Segment{Text: []byte("a\nb\n4111 x\n"), Line: 1, Column: 1}
	r := &findings.Result{Object: findings.Object{Bucket: bucket, Key: "dir/f.txt", Path: "dir/f.txt", Size: 10,
		LastModified: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, Status: findings.Complete, MimeType: "text/plain"}
	if bucket != "" {
		r.Object.Path = bucket + "/dir/f.txt"
		r.Object.BucketInfo = &findings.BucketInfo{OwnerID: "abc", EncryptionType: "AES256", Region: "eu-west-1", Partition: "aws", AccountID: "111122223333"}
		r.Object.Encryption = "AES256"
	}
	r.Add(identifiers.DetectionAt(card, seg, 4, 8))
	r.Finish()
	return findings.Build(r, findings.Run{JobID: "job1", CreatedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), AccountID: "111122223333", Region: "eu-west-1", Partition: "aws"})
}

func strict(t *testing.T, raw []byte) types.AwsSecurityFinding {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var d types.AwsSecurityFinding
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("not an AwsSecurityFinding: %v\n%s", err, raw)
	}
	return d
}

func TestASFFOfAnS3Finding(t *testing.T) {
	raw, err := Marshal(From(Finding("bkt"), Target{}))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("null")) {
		t.Errorf("null fields: %s", raw)
	}
	d := strict(t, raw)
	// ASFF's required fields.
	for name, v := range map[string]*string{"SchemaVersion": d.SchemaVersion, "Id": d.Id, "ProductArn": d.ProductArn, "GeneratorId": d.GeneratorId,
		"AwsAccountId": d.AwsAccountId, "CreatedAt": d.CreatedAt, "UpdatedAt": d.UpdatedAt, "Title": d.Title, "Description": d.Description} {
		if v == nil || *v == "" {
			t.Errorf("%s missing", name)
		}
	}
	if *d.SchemaVersion != "2018-10-08" || *d.ProductArn != "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default" ||
		*d.GeneratorId != "arn:aws:macie2:eu-west-1:111122223333:classification-job/job1" ||
		d.Severity.Label != types.SeverityLabelHigh || d.Severity.Normalized != nil ||
		len(d.Types) != 1 || d.Types[0] != "Sensitive Data Identifications/PII/SensitiveData:S3Object-Financial" {
		t.Errorf("document %s", raw)
	}
	if len(d.Resources) != 2 || *d.Resources[0].Type != "AwsS3Bucket" || *d.Resources[1].Id != "arn:aws:s3:::bkt/dir/f.txt" {
		t.Fatalf("resources %s", raw)
	}
	dc := d.Resources[1].DataClassification
	if dc == nil || *dc.Result.SensitiveData[0].Detections[0].Type != "CREDIT_CARD_NUMBER" ||
		*dc.Result.SensitiveData[0].Detections[0].Occurrences.LineRanges[0].Start != 3 || *dc.Result.Status.Code != "COMPLETE" {
		t.Errorf("data classification %s", raw)
	}
	if *d.Resources[0].Details.AwsS3Bucket.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != "AES256" {
		t.Errorf("bucket encryption %s", raw)
	}
}

// A finding without a bucket goes as one resource of type Other, named
// by its path.
func TestASFFOfALocalFile(t *testing.T) {
	d := strict(t, mustMarshal(t, From(Finding(""), Target{AccountID: "999988887777", Region: "us-east-1"})))
	if len(d.Resources) != 1 || *d.Resources[0].Type != "Other" || *d.Resources[0].Id != "dir/f.txt" || d.Resources[0].DataClassification == nil {
		t.Errorf("resources %+v", d.Resources)
	}
	if *d.AwsAccountId != "999988887777" || *d.ProductArn != "arn:aws:securityhub:us-east-1:999988887777:product/999988887777/default" {
		t.Errorf("account %s product %s", *d.AwsAccountId, *d.ProductArn)
	}
}

func TestASFFWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, Target{})
	w.Put(nil, Finding("bkt"))
	w.Put(nil, nil)
	w.Put(nil, Finding(""))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var doc struct{ Findings []json.RawMessage }
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Findings) != 2 {
		t.Fatalf("%v, %d findings: %s", err, len(doc.Findings), buf.String())
	}
	for _, f := range doc.Findings {
		strict(t, f)
	}
	buf.Reset()
	NewWriter(&buf, Target{}).Close()
	if strings.TrimSpace(buf.String()) != `{"Findings": []}` {
		t.Errorf("empty: %q", buf.String())
	}
}

func mustMarshal(t *testing.T, d types.AwsSecurityFinding) []byte {
	b, err := Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
