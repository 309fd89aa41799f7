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
		// kmsMasterKeyId is null in both; Macie's null reason likewise.
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
