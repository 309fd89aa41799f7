package events

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseShapes(t *testing.T) {
	for _, c := range []struct {
		file    string
		shape   Shape
		objects []Ref
		ignored int
		tests   int
	}{
		{"eventbridge-object-created.json", EventBridgeObjectCreated, []Ref{{
			Bucket: "username-sfn-tutorial", Key: "reports/q1%20plan.csv", AltKey: "reports/q1 plan.csv",
			VersionID: "w9eElv_lFFeEbifMabOBHjtJl9Ori_At", ETag: "f31d8546bb67845b4d3048cde533b937", Size: 800704}}, 0, 0},
		{"s3-notification.json", S3Notification, []Ref{{
			Bucket: "exports", Key: "customers/new file=1.csv", VersionID: "096fKKXTRTtl3on89fVO.nfljtsv6qko",
			ETag: "d41d8cd98f00b204e9800998ecf8427e", Size: 1024}}, 1, 0},
		{"s3-test-event.json", S3TestEvent, nil, 0, 1},
		{"sqs-messages.json", SQSMessages, []Ref{
			{Bucket: "exports", Key: "customers/new file=1.csv", VersionID: "096fKKXTRTtl3on89fVO.nfljtsv6qko",
				ETag: "d41d8cd98f00b204e9800998ecf8427e", Size: 1024, MessageID: "059f36b4-87a3-44ab-83d2-661975830a7d"},
			{Bucket: "username-sfn-tutorial", Key: "reports/q1%20plan.csv", AltKey: "reports/q1 plan.csv",
				VersionID: "w9eElv_lFFeEbifMabOBHjtJl9Ori_At", ETag: "f31d8546bb67845b4d3048cde533b937", Size: 800704,
				MessageID: "d9144555-9a4f-4ec3-99a0-fc4e625a8db2"}}, 0, 1},
		{"sns-notification.json", SNSNotification, []Ref{{
			Bucket: "exports", Key: "customers/new file=1.csv", VersionID: "096fKKXTRTtl3on89fVO.nfljtsv6qko",
			ETag: "d41d8cd98f00b204e9800998ecf8427e", Size: 1024}}, 0, 0},
		{"distributed-map-batch.json", DistributedMapBatch, []Ref{
			{Bucket: "datalake", Key: "processData/images/n02085620_1073.jpg", ETag: "05704fbdccb224cb01c59005bebbad28",
				Size: 34910, LastModified: time.Unix(1668699881, 0).UTC(), StorageClass: "STANDARD"},
			{Bucket: "datalake", Key: "exports/customers.csv", ETag: "0d4ea51b5f9c54e0a3b3d2f5ce1f4a5e",
				Size: 2048, LastModified: time.Unix(1668699990, 0).UTC(), StorageClass: "STANDARD_IA"}}, 0, 0},
	} {
		t.Run(c.file, func(t *testing.T) {
			req, err := Parse(load(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if req.Shape != c.shape || req.Ignored != c.ignored || req.TestEvents != c.tests {
				t.Errorf("shape %q, %d ignored, %d test events; want %q, %d, %d",
					req.Shape, req.Ignored, req.TestEvents, c.shape, c.ignored, c.tests)
			}
			if len(req.Objects) != len(c.objects) {
				t.Fatalf("objects %+v, want %+v", req.Objects, c.objects)
			}
			for i := range c.objects {
				if req.Objects[i] != c.objects[i] {
					t.Errorf("object %d: %+v, want %+v", i, req.Objects[i], c.objects[i])
				}
			}
		})
	}
}

func TestParseRunJob(t *testing.T) {
	req, err := Parse(load(t, "scheduler-run-job.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	if req.Shape != SchedulerRunJob || req.Job != "nightly" || !req.ScheduledTime.Equal(want) ||
		req.ExecutionID != "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" {
		t.Errorf("got %+v", req)
	}
}

func TestParseBad(t *testing.T) {
	for _, c := range []struct{ name, payload, want string }{
		{"not json", `not json`, "not a JSON object"},
		{"array", `[1,2]`, "not a JSON object"},
		{"unknown shape", `{"foo":1,"bar":{"secret":"4111111111111111"}}`, `fields "bar", "foo"`},
		{"scheduled rule", `{"detail-type":"Scheduled Event","source":"aws.events","detail":{}}`, "Scheduler"},
		{"eventbridge without key", `{"detail-type":"Object Created","source":"aws.s3","detail":{"bucket":{"name":"b"},"object":{}}}`, "detail.object.key"},
		{"unknown record source", `{"Records":[{"eventSource":"aws:dynamodb"}]}`, `eventSource "aws:dynamodb"`},
		{"s3 record without bucket", `{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"object":{"key":"k"}}}]}`, "s3.bucket.name"},
		{"bad encoding", `{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"%zz"}}}]}`, "URL-encoded"},
		{"sqs body not json", `{"Records":[{"eventSource":"aws:sqs","messageId":"m1","body":"hello"}]}`, "SQS message m1"},
		{"sns without message", `{"Records":[{"EventSource":"aws:sns"}]}`, "Sns.Message"},
		{"run-job without job", `{"trawl":"run-job"}`, `without "job"`},
		{"unknown action", `{"trawl":"delete-everything"}`, "unknown trawl action"},
		{"bad scheduled time", `{"trawl":"run-job","job":"j","scheduledTime":"yesterday"}`, "RFC 3339"},
		{"batch without bucket", `{"Items":[{"Key":"k"}]}`, "BatchInput"},
		{"batch input not object", `{"BatchInput":[1],"Items":[]}`, "BatchInput is not a JSON object"},
		{"too deep", nested(6), "nested more than"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.payload))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "4111111111111111") {
				t.Errorf("error repeats a value of the payload: %v", err)
			}
		})
	}
}

// nested wraps an S3 test event in n SNS notifications.
func nested(n int) string {
	s := `{"Event":"s3:TestEvent"}`
	for range n {
		s = `{"Type":"Notification","Message":` + quote(s) + `}`
	}
	return s
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
