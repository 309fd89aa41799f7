package handler

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/trawlsec/trawl/internal/miniotest"
	"github.com/trawlsec/trawl/scanner/s3source"
)

const ssnText = "name: Jane Roe\nssn: 123-45-6789\n"

// fixture is a MinIO with a bucket of objects, and a handler reaching it.
type fixture struct {
	srv    *miniotest.Server
	bucket string
	etags  map[string]string
	h      *Handler
}

func newFixture(t testing.TB, settings Settings) *fixture {
	t.Helper()
	srv := miniotest.Start(t)
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	f := &fixture{srv: srv, bucket: srv.Bucket(t, "events"), etags: map[string]string{}}
	settings.S3 = s3source.ClientOptions{EndpointURL: srv.Endpoint, PathStyle: true, Region: srv.Region}
	cfg, err := settings.Build(context.Background(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if f.h, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) put(t testing.TB, key, body string) string {
	t.Helper()
	out, err := f.srv.Client().PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(f.bucket), Key: aws.String(key), Body: strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	f.etags[key] = strings.Trim(aws.ToString(out.ETag), `"`)
	return aws.ToString(out.VersionId)
}

// invoke runs the payload through aws-lambda-go's handler API, as the
// runtime does, and decodes the answer.
func (f *fixture) invoke(t testing.TB, ctx context.Context, payload string) (*Response, error) {
	t.Helper()
	out, err := lambda.NewHandler(f.h.Invoke).Invoke(ctx, []byte(payload))
	if err != nil {
		return nil, err
	}
	var r Response
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("response %s: %v", out, err)
	}
	return &r, nil
}

func eventBridge(bucket, key, etag, version string, size int) string {
	v := ""
	if version != "" {
		v = fmt.Sprintf(`,"version-id":%q`, version)
	}
	return fmt.Sprintf(`{"version":"0","id":"1","detail-type":"Object Created","source":"aws.s3","account":"123456789012",
"time":"2026-12-07T00:00:00Z","region":"us-east-1","resources":["arn:aws:s3:::%s"],
"detail":{"version":"0","bucket":{"name":%q},"object":{"key":%q,"size":%d,"etag":%q%s,"sequencer":"1"},"reason":"PutObject"}}`,
		bucket, bucket, key, size, etag, v)
}

func s3Record(bucket, encodedKey, etag string, size int) string {
	return fmt.Sprintf(`{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventName":"ObjectCreated:Put",
"s3":{"s3SchemaVersion":"1.0","bucket":{"name":%q,"arn":"arn:aws:s3:::%s"},"object":{"key":%q,"size":%d,"eTag":%q,"sequencer":"1"}}}`,
		bucket, bucket, encodedKey, size, etag)
}

func sqsMessage(id, body string) string {
	b, _ := json.Marshal(body)
	return fmt.Sprintf(`{"messageId":%q,"receiptHandle":"r","body":%s,"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:q","awsRegion":"us-east-1"}`, id, b)
}

func detections(o ObjectResult) string {
	var parts []string
	for _, d := range o.Detections {
		parts = append(parts, fmt.Sprintf("%s=%d", d.Type, d.Count))
	}
	return strings.Join(parts, ",")
}

func TestHandlerEventShapes(t *testing.T) {
	f := newFixture(t, Settings{})
	f.put(t, "in/plan q1.csv", ssnText)
	f.put(t, "in/new file=1.txt", ssnText)
	f.put(t, "in/clean.txt", "nothing to see\n")
	ctx := context.Background()

	t.Run("eventbridge", func(t *testing.T) {
		// EventBridge's key may come URL-encoded: the decoded reading is tried.
		r, err := f.invoke(t, ctx, eventBridge(f.bucket, "in/plan%20q1.csv", f.etags["in/plan q1.csv"], "", len(ssnText)))
		if err != nil {
			t.Fatal(err)
		}
		if r.Shape != "eventbridge:Object Created" || len(r.Objects) != 1 || len(r.Unfinished) != 0 {
			t.Fatalf("response %+v", r)
		}
		o := r.Objects[0]
		if o.Key != "in/plan q1.csv" || o.Status != "COMPLETE" || o.FindingType != "SensitiveData:S3Object/Personal" ||
			detections(o) != "USA_SOCIAL_SECURITY_NUMBER=1" {
			t.Errorf("object %+v (%s)", o, detections(o))
		}
	})
	t.Run("s3 notification in sqs", func(t *testing.T) {
		body := `{"Records":[` + s3Record(f.bucket, "in/new+file%3D1.txt", f.etags["in/new file=1.txt"], len(ssnText)) + `,` +
			s3Record(f.bucket, "in/clean.txt", f.etags["in/clean.txt"], 15) + `]}`
		test := `{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"events"}`
		r, err := f.invoke(t, ctx, `{"Records":[`+sqsMessage("m1", body)+`,`+sqsMessage("m2", test)+`]}`)
		if err != nil {
			t.Fatal(err)
		}
		if r.Shape != "sqs" || len(r.Objects) != 2 || r.TestEvents != 1 || len(r.BatchItemFailures) != 0 {
			t.Fatalf("response %+v", r)
		}
		if o := r.Objects[0]; o.Key != "in/new file=1.txt" || detections(o) != "USA_SOCIAL_SECURITY_NUMBER=1" {
			t.Errorf("object 0 %+v", o)
		}
		if o := r.Objects[1]; o.Key != "in/clean.txt" || o.Status != "COMPLETE" || o.FindingType != "" {
			t.Errorf("object 1 %+v", o)
		}
	})
	t.Run("test event", func(t *testing.T) {
		r, err := f.invoke(t, ctx, `{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-12-07T00:00:00Z","Bucket":"events"}`)
		if err != nil || r.Shape != "s3:TestEvent" || r.TestEvents != 1 || len(r.Objects) != 0 {
			t.Fatalf("response %+v, %v", r, err)
		}
	})
	t.Run("gone, changed, no bucket", func(t *testing.T) {
		payload := `{"Records":[` + s3Record(f.bucket, "in/gone.txt", "0123456789abcdef0123456789abcdef", 10) + `,` +
			s3Record(f.bucket, "in/clean.txt", "0123456789abcdef0123456789abcdef", 15) + `,` +
			s3Record("no-such-bucket", "x.txt", "", 1) + `]}`
		r, err := f.invoke(t, ctx, payload)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"SKIPPED/SOURCE_OBJECT_NO_LONGER_AVAILABLE", "SKIPPED/OBJECT_VERSION_MISMATCH", "SKIPPED/NO_SUCH_BUCKET_AVAILABLE"}
		if len(r.Objects) != len(want) {
			t.Fatalf("response %+v", r)
		}
		for i, o := range r.Objects {
			if got := string(o.Status) + "/" + string(o.Reason); got != want[i] {
				t.Errorf("%s: %s, want %s", o.Key, got, want[i])
			}
		}
	})
	t.Run("malformed", func(t *testing.T) {
		_, err := f.invoke(t, ctx, `{"detail-type":"Object Deleted","source":"aws.s3","detail":{}}`)
		if err == nil || !strings.Contains(err.Error(), `"Object Deleted"`) {
			t.Fatalf("error %v, want one naming the event", err)
		}
		_, err = f.invoke(t, ctx, `{"trawl":"run-job","job":"nightly"}`)
		if err == nil || !strings.Contains(err.Error(), "nightly") {
			t.Fatalf("error %v, want one naming the job", err)
		}
	})
}

// TestHandlerVersion scans the version an event names, not the current one.
func TestHandlerVersion(t *testing.T) {
	f := newFixture(t, Settings{})
	_, err := f.srv.Client().PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{
		Bucket: aws.String(f.bucket), VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	if err != nil {
		t.Fatal(err)
	}
	v1 := f.put(t, "doc.txt", ssnText)
	etag1 := f.etags["doc.txt"]
	f.put(t, "doc.txt", "clean now\n")
	if v1 == "" {
		t.Fatal("no version ID from a versioned bucket")
	}
	r, err := f.invoke(t, context.Background(), eventBridge(f.bucket, "doc.txt", etag1, v1, len(ssnText)))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Objects) != 1 || r.Objects[0].VersionID != v1 || detections(r.Objects[0]) != "USA_SOCIAL_SECURITY_NUMBER=1" {
		t.Fatalf("response %+v", r)
	}
}

// TestHandlerMapBatch scans a Distributed Map batch and writes its
// discovery results to S3 under the batch's job.
func TestHandlerMapBatch(t *testing.T) {
	f := newFixture(t, Settings{Results: "s3://results/trawl/", Account: "123456789012"})
	f.srv.Bucket(t, "results")
	var items []string
	for i := range 40 {
		key := fmt.Sprintf("lake/part-%02d.txt", i)
		body := "plain\n"
		if i%4 == 0 {
			body = ssnText
		}
		f.put(t, key, body)
		items = append(items, fmt.Sprintf(`{"Etag":"\"%s\"","Key":%q,"LastModified":1668699881,"Size":%d,"StorageClass":"STANDARD"}`,
			f.etags[key], key, len(body)))
	}
	payload := fmt.Sprintf(`{"BatchInput":{"bucket":%q,"jobId":"nightly-0001"},"Items":[%s]}`, f.bucket, strings.Join(items, ","))
	r, err := f.invoke(t, context.Background(), payload)
	if err != nil {
		t.Fatal(err)
	}
	if r.Shape != "states:distributed-map-batch" || len(r.Objects) != 40 || len(r.Unfinished) != 0 || r.JobID != "nightly-0001" {
		t.Fatalf("shape %s, %d objects, %d unfinished, job %s", r.Shape, len(r.Objects), len(r.Unfinished), r.JobID)
	}
	withFindings := 0
	for _, o := range r.Objects {
		if o.FindingType != "" {
			withFindings++
		}
	}
	if withFindings != 10 {
		t.Errorf("%d objects with findings, want 10", withFindings)
	}
	// The results: one gzipped JSON Lines file with a record per object.
	list, err := f.srv.Client().ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{
		Bucket: aws.String("results"), Prefix: aws.String("trawl/AWSLogs/123456789012/Macie/")})
	if err != nil || len(list.Contents) != 1 || !strings.Contains(aws.ToString(list.Contents[0].Key), "/nightly-0001/") {
		t.Fatalf("results listing %v, %v", list, err)
	}
	obj, err := f.srv.Client().GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("results"), Key: list.Contents[0].Key})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(obj.Body)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(zr)
	if n := bytes.Count(data, []byte("\n")); n != 40 {
		t.Errorf("%d result records, want 40", n)
	}
	if bytes.Contains(data, []byte("123-45-6789")) {
		t.Error("results hold a matched value")
	}
}

// TestHandlerDeadline lets a batch's soft deadline pass after a few
// objects: the rest are reported unfinished and their SQS messages
// failed, and every object is either scanned or unfinished, never both.
func TestHandlerDeadline(t *testing.T) {
	f := newFixture(t, Settings{Workers: 1})
	var records []string
	for i := range 12 {
		key := fmt.Sprintf("q/%02d.txt", i)
		f.put(t, key, ssnText)
		records = append(records, sqsMessage(fmt.Sprintf("m%02d", i),
			`{"Records":[`+s3Record(f.bucket, key, f.etags[key], len(ssnText))+`]}`))
	}
	// A clock that moves a second each time it is read: the soft
	// deadline, 5 s away, passes at the fifth object.
	start := time.Now()
	var mu sync.Mutex
	ticks := 0
	f.h.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		ticks++
		return start.Add(time.Duration(ticks) * time.Second)
	}
	f.h.cfg.Margin = time.Hour
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(time.Hour+closeMargin+5500*time.Millisecond))
	defer cancel()
	r, err := f.invoke(t, ctx, `{"Records":[`+strings.Join(records, ",")+`]}`)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Objects) != 5 || len(r.Unfinished) != 7 || len(r.BatchItemFailures) != 7 {
		t.Fatalf("%d scanned, %d unfinished, %d failed messages; want 5, 7, 7", len(r.Objects), len(r.Unfinished), len(r.BatchItemFailures))
	}
	for i, o := range r.Objects {
		if want := fmt.Sprintf("q/%02d.txt", i); o.Key != want || o.Status != "COMPLETE" {
			t.Errorf("scanned %d: %s %s", i, o.Key, o.Status)
		}
	}
	for i, u := range r.Unfinished {
		if want := fmt.Sprintf("q/%02d.txt", i+5); u.Key != want || r.BatchItemFailures[i].ItemIdentifier != fmt.Sprintf("m%02d", i+5) {
			t.Errorf("unfinished %d: %s (%s)", i, u.Key, r.BatchItemFailures[i].ItemIdentifier)
		}
	}
}

// TestHandlerDeadlinePassed: a payload that arrives with less than the
// margin left scans nothing and hands everything back.
func TestHandlerDeadlinePassed(t *testing.T) {
	f := newFixture(t, Settings{})
	f.put(t, "a.txt", ssnText)
	ctx, cancel := context.WithTimeout(context.Background(), closeMargin+time.Second)
	defer cancel()
	r, err := f.invoke(t, ctx, `{"Records":[`+sqsMessage("m1", `{"Records":[`+s3Record(f.bucket, "a.txt", f.etags["a.txt"], len(ssnText))+`]}`)+`]}`)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Objects) != 0 || len(r.Unfinished) != 1 || len(r.BatchItemFailures) != 1 {
		t.Fatalf("response %+v", r)
	}
}

func TestSettingsFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	s, err := SettingsFromEnv(env(map[string]string{EnvWorkers: "4", EnvMargin: "30s", EnvPathStyle: "true",
		EnvResults: "s3://r/p/", EnvManaged: "all"}))
	if err != nil || s.Workers != 4 || s.Margin != 30*time.Second || !s.S3.PathStyle || s.Results != "s3://r/p/" || s.Managed != "all" {
		t.Fatalf("settings %+v, %v", s, err)
	}
	for _, c := range []struct{ k, v, want string }{
		{EnvWorkers, "0", EnvWorkers},
		{EnvWorkers, "5000", "1 to 1024"},
		{EnvMargin, "soon", EnvMargin},
		{EnvPathStyle, "maybe", EnvPathStyle},
		{EnvResults, "/tmp/results", "s3://"},
	} {
		if _, err := SettingsFromEnv(env(map[string]string{c.k: c.v})); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s=%s: error %v, want one naming %q", c.k, c.v, err, c.want)
		}
	}
	if _, err := (Settings{Managed: "some"}).Build(context.Background(), slog.New(slog.DiscardHandler)); err == nil ||
		!strings.Contains(err.Error(), EnvManaged) {
		t.Errorf("bad selector: %v", err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "cdi.yaml")
	os.WriteFile(bad, []byte("name: [unclosed"), 0o644)
	if _, err := (Settings{Custom: bad}).Build(context.Background(), slog.New(slog.DiscardHandler)); err == nil ||
		!strings.Contains(err.Error(), EnvCustom) {
		t.Errorf("bad custom identifiers: %v", err)
	}
}

// TestHandlerMapRetry: a map batch cut short answers the batch of its
// unfinished items, which scans the rest when invoked.
func TestHandlerMapRetry(t *testing.T) {
	f := newFixture(t, Settings{Workers: 1})
	var items []string
	for i := range 6 {
		key := fmt.Sprintf("m/%d.txt", i)
		f.put(t, key, ssnText)
		items = append(items, fmt.Sprintf(`{"Etag":"\"%s\"","Key":%q,"LastModified":1668699881,"Size":%d}`, f.etags[key], key, len(ssnText)))
	}
	payload := fmt.Sprintf(`{"BatchInput":{"bucket":%q,"jobId":"j1"},"Items":[%s]}`, f.bucket, strings.Join(items, ","))
	start := time.Now()
	ticks := 0
	var mu sync.Mutex
	f.h.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		ticks++
		return start.Add(time.Duration(ticks) * time.Second)
	}
	f.h.cfg.Margin = time.Hour
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(time.Hour+closeMargin+2500*time.Millisecond))
	defer cancel()
	r, err := f.invoke(t, ctx, payload)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Objects) != 2 || len(r.Unfinished) != 4 || len(r.Retry) == 0 {
		t.Fatalf("%d scanned, %d unfinished, retry %s", len(r.Objects), len(r.Unfinished), r.Retry)
	}
	f.h.now = time.Now
	again, err := f.invoke(t, context.Background(), string(r.Retry))
	if err != nil {
		t.Fatal(err)
	}
	if again.JobID != "j1" || len(again.Objects) != 4 || again.Objects[0].Key != "m/2.txt" || len(again.Retry) != 0 {
		t.Fatalf("retry: job %s, %d objects, first %+v", again.JobID, len(again.Objects), again.Objects)
	}
}
