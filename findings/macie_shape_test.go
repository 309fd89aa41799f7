package findings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/macie2/types"

	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

// maciesSample is the detail of the sensitive data finding event in
// MACIE-JOBS-EVENTS.md §3 (Macie's documented shape).
const maciesSample = `{
    "schemaVersion": "1.0",
    "id": "64b917aa-3843-014c-91d8-937ffexample",
    "accountId": "123456789012", "partition": "aws", "region": "us-east-1",
    "type": "SensitiveData:S3Object/Personal",
    "title": "The S3 object contains personal information",
    "description": "The object contains personal information such as first or last names, addresses, or identification numbers.",
    "severity": {"score": 1, "description": "Low"},
    "category": "CLASSIFICATION", "count": 1, "archived": false, "sample": false,
    "createdAt": "2026-11-20T10:14:58.011Z", "updatedAt": "2026-11-20T10:14:58.011Z",
    "policyDetails": null,
    "resourcesAffected": {
      "s3Bucket": {"arn": "arn:aws:s3:::demo-bucket", "name": "demo-bucket", "createdAt": "2026-01-02T03:04:05Z",
                   "owner": {"displayName": "owner", "id": "abc"}, "tags": [],
                   "defaultServerSideEncryption": {"encryptionType": "AES256", "kmsMasterKeyId": null},
                   "allowsUnencryptedObjectUploads": "TRUE",
                   "publicAccess": {"effectivePermission": "NOT_PUBLIC"}},
      "s3Object": {"bucketArn": "arn:aws:s3:::demo-bucket", "key": "customer-info.txt",
                   "path": "demo-bucket/customer-info.txt", "extension": "txt", "eTag": "5b7c",
                   "lastModified": "2026-11-20T10:01:00Z", "size": 2048, "storageClass": "STANDARD",
                   "versionId": "", "publicAccess": false, "tags": [],
                   "serverSideEncryption": {"encryptionType": "AES256", "kmsMasterKeyId": null}}
    },
    "classificationDetails": {
      "jobId": "988fe294c68806b532b89fb843c0d953",
      "jobArn": "arn:aws:macie2:us-east-1:123456789012:classification-job/988fe294c68806b532b89fb843c0d953",
      "originType": "SENSITIVE_DATA_DISCOVERY_JOB",
      "detailedResultsLocation": "s3://results-bucket/AWSLogs/123456789012/Macie/us-east-1/988fe294c68806b532b89fb843c0d953/123456789012/0f5e.jsonl.gz",
      "result": {
        "status": {"code": "COMPLETE", "reason": null},
        "mimeType": "text/plain", "sizeClassified": 2048, "additionalOccurrences": false,
        "sensitiveData": [{"category": "PERSONAL_INFORMATION", "totalCount": 2,
          "detections": [
            {"type": "PHONE_NUMBER", "count": 1,
             "occurrences": {"lineRanges": [{"start": 3, "end": 3, "startColumn": 14}]}},
            {"type": "NAME", "count": 1,
             "occurrences": {"lineRanges": [{"start": 2, "end": 2, "startColumn": 7}]}}]}],
        "customDataIdentifiers": {"totalCount": 0, "detections": []}
      }
    }
}`

// maciesExport is a real custom identifier finding exported from Macie's
// console (a lab's README, github.com/renatomateusx/aws-ai-discover-
// sensitive-data-present-in-s3-bucket-using-macie; MACIE.md §4).
const maciesExport = `{
    "accountId": "843257763552", "archived": false, "category": "CLASSIFICATION",
    "classificationDetails": {
      "detailedResultsLocation": "s3://[export-config-not-set]/AWSLogs/843257763552/Macie/us-east-1/8df4fca1eccfdae45d8b936a21f1882d/843257763552/fe48af52-aad0-3665-8ebb-87432a08ee6f.jsonl.gz",
      "jobArn": "arn:aws:macie2:us-east-1:843257763552:classification-job/8df4fca1eccfdae45d8b936a21f1882d",
      "jobId": "8df4fca1eccfdae45d8b936a21f1882d", "originType": "SENSITIVE_DATA_DISCOVERY_JOB",
      "result": {
        "additionalOccurrences": false,
        "customDataIdentifiers": {
          "detections": [{"arn": "0e8eb8a1-1a3a-49ad-992f-0ab825642859", "count": 3, "name": "Whiz",
              "occurrences": {"cells": [
                  {"cellReference": null, "column": 1, "columnName": "EmpID", "row": 2},
                  {"cellReference": null, "column": 1, "columnName": "EmpID", "row": 4},
                  {"cellReference": null, "column": 1, "columnName": "EmpID", "row": 5}]}}],
          "totalCount": 3},
        "mimeType": "text/csv", "sensitiveData": [], "sizeClassified": 80,
        "status": {"code": "COMPLETE", "reason": null}}},
    "count": 1, "createdAt": "2024-03-11T19:46:53.031Z",
    "description": "The S3 object contains text that matches the criteria of one or more custom data identifiers. The object might contain multiple types of sensitive data.",
    "id": "ba3c75616234b8a67797b8000371aaba", "partition": "aws", "region": "us-east-1",
    "resourcesAffected": {
      "s3Bucket": {
        "allowsUnencryptedObjectUploads": "TRUE", "arn": "arn:aws:s3:::whizlabs.183836.81670451",
        "createdAt": "2024-03-11T19:37:03.000Z",
        "defaultServerSideEncryption": {"encryptionType": "AES256", "kmsMasterKeyId": null},
        "name": "whizlabs.183836.81670451",
        "owner": {"displayName": "labsorganization93", "id": "9ff21031f6ad6d32437ce9668c459d513416439f85260bb5cece1acbaacdfb7e"},
        "publicAccess": {"effectivePermission": "PUBLIC",
          "permissionConfiguration": {
            "accountLevelPermissions": {"blockPublicAccess": {"blockPublicAcls": false, "blockPublicPolicy": false, "ignorePublicAcls": false, "restrictPublicBuckets": false}},
            "bucketLevelPermissions": {
              "accessControlList": {"allowsPublicReadAccess": false, "allowsPublicWriteAccess": false},
              "blockPublicAccess": {"blockPublicAcls": false, "blockPublicPolicy": false, "ignorePublicAcls": false, "restrictPublicBuckets": false},
              "bucketPolicy": {"allowsPublicReadAccess": true, "allowsPublicWriteAccess": true}}}},
        "tags": []},
      "s3Object": {
        "bucketArn": "arn:aws:s3:::whizlabs.183836.81670451", "eTag": "07b21b45c9ed4a3fabf8173be102d9c2",
        "extension": "csv", "key": "sample_data.csv", "lastModified": "2024-03-11T19:37:04.000Z",
        "path": "whizlabs.183836.81670451/sample_data.csv", "publicAccess": null,
        "serverSideEncryption": {"encryptionType": "AES256", "kmsMasterKeyId": null},
        "size": 80, "storageClass": "STANDARD", "tags": [], "versionId": ""}},
    "sample": false, "schemaVersion": "1.0",
    "severity": {"description": "Medium", "score": 2},
    "title": "The S3 object contains text that matches custom data identifier criteria",
    "type": "SensitiveData:S3Object/CustomIdentifier",
    "updatedAt": "2024-03-11T19:46:53.031Z"
}`

// additions are the fields trawl adds to Macie's finding, by key, each
// allowed only under the parent named (docs/output-formats.md lists them).
var additions = map[string]string{
	"filePath":            "occurrence", // the archive member holding a location
	"embeddedFileDetails": "s3Object",   // results records only
}

// macieStrict decodes a finding's JSON into the SDK's macie2 Finding with
// unknown fields rejected, after taking out the documented additions.
func macieStrict(t *testing.T, raw []byte) types.Finding {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	strip(v, "")
	clean, _ := json.Marshal(v)
	dec := json.NewDecoder(bytes.NewReader(clean))
	dec.DisallowUnknownFields()
	var f types.Finding
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("not Macie's Finding: %v\n%s", err, clean)
	}
	return f
}

func strip(v any, parent string) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if where, ok := additions[k]; ok && (where == parent || where == "occurrence" && strings.HasSuffix(parent, "[]")) {
				delete(x, k)
				continue
			}
			strip(c, k)
		}
	case []any:
		for _, c := range x {
			strip(c, parent+"[]")
		}
	}
}

// shapeOf lists a JSON document's key paths with the kind of their value
// (arrays by their first element), so that two documents' shapes compare.
func shapeOf(v any, at string, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		out[at] = "object"
		for k, c := range x {
			shapeOf(c, at+"."+k, out)
		}
	case []any:
		out[at] = "array"
		if len(x) > 0 {
			shapeOf(x[0], at+"[]", out)
		}
	case nil:
		out[at] = "null"
	case string:
		out[at] = "string"
	case bool:
		out[at] = "bool"
	case float64:
		out[at] = "number"
	}
}

var millis = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

// s3Finding is a finding for an S3 object whose bucket the source read.
func s3Finding(t *testing.T) []byte {
	r := resultWith(map[*identifiers.Identifier]int{phone: 1, ident("NAME", identifiers.Personal, identifiers.ByCount): 1})
	r.Object = Object{Bucket: "demo-bucket", Key: "customer-info.txt", Path: "demo-bucket/customer-info.txt", Size: 2048,
		ETag: "5b7c", LastModified: time.Date(2026, 11, 20, 10, 1, 0, 123456789, time.UTC), StorageClass: "STANDARD", Encryption: "AES256",
		BucketInfo: &BucketInfo{OwnerID: "abc", OwnerName: "owner", EncryptionType: "AES256", EffectivePermission: "NOT_PUBLIC",
			CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), AccountID: "123456789012", Region: "us-east-1", Partition: "aws"}}
	run := Run{JobID: "988fe294c68806b532b89fb843c0d953", CreatedAt: time.Date(2026, 11, 20, 10, 14, 58, 11_600_000, time.UTC),
		AccountID: "123456789012", Region: "us-east-1", Partition: "aws", ResultsLocation: "s3://results-bucket/x.jsonl.gz"}
	raw, err := json.Marshal(Build(r, run))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestMaciesDocumentedShape: trawl's finding for the sample's object has
// every field of Macie's documented finding, with the same JSON kind, and
// decodes strictly into the SDK's macie2 Finding.
func TestMaciesDocumentedShape(t *testing.T) {
	macieStrict(t, []byte(maciesSample)) // the strict decode accepts Macie's own
	// ... and refuses a field Macie lacks, even deep inside.
	drift := strings.Replace(maciesSample, `"startColumn": 14`, `"startColumn": 14, "endColumn": 20`, 1)
	dec := json.NewDecoder(strings.NewReader(drift))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&types.Finding{}); err == nil {
		t.Error("an unknown field decoded")
	}
	raw := s3Finding(t)
	f := macieStrict(t, raw)
	var ours, theirs any
	json.Unmarshal(raw, &ours)
	json.Unmarshal([]byte(maciesSample), &theirs)
	want, got := map[string]string{}, map[string]string{}
	shapeOf(theirs, "", want)
	shapeOf(ours, "", got)
	var diff []string
	for k, kind := range want {
		if got[k] != kind {
			diff = append(diff, fmt.Sprintf("%s: %s, Macie's %s", k, got[k], kind))
		}
	}
	sort.Strings(diff)
	if len(diff) > 0 {
		t.Errorf("shape differs from Macie's sample:\n%s", strings.Join(diff, "\n"))
	}
	cd := f.ClassificationDetails
	if *cd.JobArn != "arn:aws:macie2:us-east-1:123456789012:classification-job/988fe294c68806b532b89fb843c0d953" {
		t.Errorf("jobArn %s", *cd.JobArn)
	}
	m := ours.(map[string]any)
	obj := m["resourcesAffected"].(map[string]any)["s3Object"].(map[string]any)
	for _, ts := range []any{m["createdAt"], m["updatedAt"], obj["lastModified"]} {
		if !millis.MatchString(ts.(string)) {
			t.Errorf("timestamp %v, want milliseconds", ts)
		}
	}
	if m["createdAt"] != "2026-11-20T10:14:58.011Z" || obj["lastModified"] != "2026-11-20T10:01:00.123Z" {
		t.Errorf("createdAt %v lastModified %v", m["createdAt"], obj["lastModified"])
	}
}

// TestLocalAndCustomShapes: a local file's finding with every location
// kind, a custom identifier and an archive member is still Macie's
// Finding; the S3 fields are there with Macie's values for no bucket.
func TestLocalAndCustomShapes(t *testing.T) {
	cdi, err := identifiers.ParseCustom([]byte(`{"name":"badge","regex":"B-\\d{4}"}`), "ids.json")
	if err != nil {
		t.Fatal(err)
	}
	r := resultWith(map[*identifiers.Identifier]int{cdi[0]: 2, card: 1})
	ref := "Sheet1!B2"
	for _, occ := range []formats.Occurrence{
		{Cell: &formats.Cell{Row: 2, Column: 2, ColumnName: "n", CellReference: &ref}},
		{Record: &formats.Record{RecordIndex: 3, JSONPath: "$.a"}, File: "x.zip!a.json"},
		{Page: &formats.Page{PageNumber: 1, LineRange: &formats.LineRange{Start: 1, End: 1, StartColumn: 4}}},
	} {
		r.typeFor(card).Occurrences = append(r.typeFor(card).Occurrences, occ)
		r.typeFor(card).Count++
	}
	local := Run{JobID: "job", CreatedAt: time.Now()}
	raw, _ := json.Marshal(Build(r, local))
	f := macieStrict(t, raw)
	o := f.ResourcesAffected.S3Object
	if o.PublicAccess == nil || *o.PublicAccess || *o.VersionId != "" || o.Tags == nil || len(o.Tags) != 0 ||
		o.ServerSideEncryption == nil || o.ServerSideEncryption.EncryptionType != types.EncryptionTypeNone {
		t.Errorf("local object fields: %s", raw)
	}
	det := f.ClassificationDetails.Result.CustomDataIdentifiers.Detections[0]
	want := "arn:aws:macie2:::custom-data-identifier/" + identifiers.CustomIDFor("badge", `B-\d{4}`)
	if *det.Arn != want {
		t.Errorf("custom identifier ARN %s, want %s", *det.Arn, want)
	}
	if *f.ClassificationDetails.JobArn != "arn:aws:macie2:::classification-job/job" {
		t.Errorf("local jobArn %s", *f.ClassificationDetails.JobArn)
	}
	// In an account, the ARN is placed there.
	placed := Run{JobID: "job", AccountID: "111122223333", Region: "eu-west-1", Partition: "aws"}
	f = macieStrict(t, mustJSON(t, Build(r, placed)))
	if got := *f.ClassificationDetails.Result.CustomDataIdentifiers.Detections[0].Arn; !strings.HasPrefix(got, "arn:aws:macie2:eu-west-1:111122223333:custom-data-identifier/") {
		t.Errorf("placed custom ARN %s", got)
	}
	// Results records, members included, decode the same way.
	r.Object.Key = "x.zip"
	r.AddEmbedded(EmbeddedFile{Path: "a.json", Status: Complete})
	for _, rec := range Records(r, local) {
		macieStrict(t, mustJSON(t, rec))
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMaciesExportedShape: for the object of a real exported Macie finding
// (a custom identifier in a CSV), trawl's finding has the same fields of
// the same kinds (a null of Macie's may be a value of trawl's), Macie's
// title and description, and only the location kinds it found.
func TestMaciesExportedShape(t *testing.T) {
	macieStrict(t, []byte(maciesExport))
	cdi, err := identifiers.ParseCustom([]byte(`{"name":"Whiz","regex":"W\\d{3}"}`), "ids.json")
	if err != nil {
		t.Fatal(err)
	}
	r := &Result{Object: Object{Bucket: "whizlabs.183836.81670451", Key: "sample_data.csv", Path: "whizlabs.183836.81670451/sample_data.csv",
		Size: 80, ETag: "07b21b45c9ed4a3fabf8173be102d9c2", LastModified: time.Date(2024, 3, 11, 19, 37, 4, 0, time.UTC), StorageClass: "STANDARD", Encryption: "AES256",
		BucketInfo: &BucketInfo{OwnerID: "9ff2", OwnerName: "labs", EncryptionType: "AES256", EffectivePermission: "PUBLIC",
			CreatedAt: time.Date(2024, 3, 11, 19, 37, 3, 0, time.UTC), AccountID: "843257763552", Region: "us-east-1", Partition: "aws"}},
		Status: Complete, MimeType: "text/csv", SizeClassified: 80}
	for _, row := range []int{2, 4, 5} {
		r.typeFor(cdi[0]).Occurrences = append(r.typeFor(cdi[0]).Occurrences, formats.Occurrence{Cell: &formats.Cell{Row: row, Column: 1, ColumnName: "EmpID"}})
		r.typeFor(cdi[0]).Count++
	}
	raw := mustJSON(t, Build(r, Run{JobID: "8df4fca1eccfdae45d8b936a21f1882d", CreatedAt: time.Now(), AccountID: "843257763552", Region: "us-east-1", Partition: "aws",
		ResultsLocation: "s3://results/x.jsonl.gz"}))
	macieStrict(t, raw)
	var ours, theirs map[string]any
	json.Unmarshal(raw, &ours)
	json.Unmarshal([]byte(maciesExport), &theirs)
	want, got := map[string]string{}, map[string]string{}
	shapeOf(theirs, "", want)
	shapeOf(ours, "", got)
	var diff []string
	for k, kind := range want {
		if got[k] != kind && kind != "null" {
			diff = append(diff, fmt.Sprintf("%s: %s, Macie's %s", k, got[k], kind))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && strings.Contains(k, "occurrences.") {
			diff = append(diff, k+": not in Macie's")
		}
	}
	sort.Strings(diff)
	if len(diff) > 0 {
		t.Errorf("shape differs from Macie's export:\n%s", strings.Join(diff, "\n"))
	}
	for _, k := range []string{"title", "description"} {
		if ours[k] != theirs[k] {
			t.Errorf("%s %q, Macie's %q", k, ours[k], theirs[k])
		}
	}
}
