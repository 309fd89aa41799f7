package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/trawlsec/trawl/internal/miniotest"
)

// trawlEnv runs the binary with extra environment (S3 credentials).
func trawlEnv(t *testing.T, env []string, args ...string) runResult {
	t.Helper()
	cmd := exec.Command(trawlBin, args...)
	cmd.Env = append(storeEnv(t, nil), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run trawl: %v", err)
	}
	return runResult{stdout: out.String(), stderr: errb.String(), code: code}
}

// TestScanS3 uploads the sample data to a real MinIO and scans it the way
// a user does: the same results as the local scan, with S3's metadata.
func TestScanS3(t *testing.T) {
	srv := miniotest.Start(t)
	srv.Bucket(t, "sample")
	root := "../../testdata/sample"
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || !info.Mode().IsRegular() {
			return err
		}
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		key, _ := filepath.Rel(root, path)
		srv.Put(t, "sample", filepath.ToSlash(key), body)
		return nil
	})
	want := sampleExpected(t)
	s3 := []string{"--endpoint-url", srv.Endpoint, "--path-style"}
	results := t.TempDir()
	r := trawlEnv(t, srv.Env(), append([]string{"scan", "s3://sample", "--managed-identifiers", "all",
		"--format", "jsonl", "--results", results}, s3...)...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (findings); stderr: %s", r.code, r.stderr)
	}
	recs := readResults(t, results)
	if len(recs) != len(want) {
		t.Errorf("%d results for %d objects", len(recs), len(want))
	}
	for _, rec := range recs {
		key := rec.ResourcesAffected.S3Object.Key
		w, ok := want[key]
		if !ok {
			t.Errorf("unexpected object %s", key)
			continue
		}
		if got := rec.status(); got != w.Status+"/"+w.Reason || !equalCounts(rec.counts(), w.Types) {
			t.Errorf("%s: %s %v, want %s/%s %v", key, got, rec.counts(), w.Status, w.Reason, w.Types)
		}
		if rec.ResourcesAffected.S3Bucket.Name != "sample" || rec.ResourcesAffected.S3Object.Path != "sample/"+key {
			t.Errorf("%s: bucket %q path %q", key, rec.ResourcesAffected.S3Bucket.Name, rec.ResourcesAffected.S3Object.Path)
		}
	}
	fs := parseJSONL(t, strings.NewReader(r.stdout))
	for _, f := range fs {
		if !strings.HasPrefix(f.Title, "The S3 object ") {
			t.Errorf("%s: title %q", f.ResourcesAffected.S3Object.Key, f.Title)
		}
	}
	assertNoLeak(t, root, r.stdout+r.stderr+dump(recs))

	// A prefix, a scope, and a local target in the same run.
	r = trawlEnv(t, srv.Env(), append([]string{"scan", "s3://sample/finance/", "../../testdata/sample/people",
		"--include-ext", "csv,txt", "--exclude-prefix", "finance/old", "--format", "jsonl", "--results", t.TempDir()}, s3...)...)
	if r.code != 1 {
		t.Fatalf("prefix scan: exit %d; stderr: %s", r.code, r.stderr)
	}
	for _, f := range parseJSONL(t, strings.NewReader(r.stdout)) {
		o := f.ResourcesAffected.S3Object
		fromS3 := f.ResourcesAffected.S3Bucket.Name == "sample"
		if fromS3 && (!strings.HasPrefix(o.Key, "finance/") || (o.Extension != "csv" && o.Extension != "txt")) {
			t.Errorf("out of scope: %s", o.Key)
		}
	}

	t.Run("Errors", func(t *testing.T) {
		cases := []struct {
			args []string
			env  []string
			want string
		}{
			{[]string{"scan", "s3://no-such-bucket"}, srv.Env(), "does not exist"},
			{[]string{"scan", "s3://sample"}, []string{"AWS_ACCESS_KEY_ID=nobody", "AWS_SECRET_ACCESS_KEY=wrong-secret", "AWS_REGION=us-east-1"}, "denied"},
			{[]string{"scan", "s3://sample", "--max-size", "5XB"}, srv.Env(), "--max-size"},
			{[]string{"scan", "s3://sample", "--modified-after", "yesterday"}, srv.Env(), "--modified-after"},
			{[]string{"scan", "s3://sample", "--sampling", "0"}, srv.Env(), "--sampling"},
			{[]string{"scan", "s3://sample", "--tag", "=x"}, srv.Env(), "--tag"},
			{[]string{"scan", "s3://sample", "--min-size", "10MB", "--max-size", "1MB"}, srv.Env(), "--max-size"},
			{[]string{"scan", "s3://sample", "--sse-c-key-file", "/nonexistent"}, srv.Env(), "--sse-c-key-file"},
			{[]string{"scan", "s3://"}, srv.Env(), "names no bucket"},
		}
		for _, c := range cases {
			r := trawlEnv(t, c.env, append(c.args, s3...)...)
			if r.code != 2 || !strings.Contains(r.stderr, c.want) || r.stdout != "" {
				t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %q", c.args, r.code, r.stderr, c.want)
			}
		}
	})
}

// TestS3ListsAndResults reads custom identifiers and an allow list from
// S3, scans a bucket with them, and writes the discovery results to S3
// with SSE-KMS.
func TestS3ListsAndResults(t *testing.T) {
	srv := miniotest.Start(t)
	ctx := context.Background()
	for _, b := range []string{"config", "data", "results"} {
		srv.Bucket(t, b)
	}
	examples := "../../testdata/examples/"
	for _, f := range []string{"custom-identifiers.yaml", "allow-list.txt"} {
		body, err := os.ReadFile(examples + f)
		if err != nil {
			t.Fatal(err)
		}
		srv.Put(t, "config", "lists/"+f, body)
	}
	srv.Put(t, "data", "staff.txt", []byte("employee EMP-123456\nemployee EMP-000000\nPRJ-ABC-1234 PRJ-DEM-0001 PRJ-TST-9999\n"))
	srv.Put(t, "data", "other.txt", []byte("nothing here\n"))
	r := trawlEnv(t, srv.Env(), "scan", "s3://data", "--endpoint-url", srv.Endpoint, "--path-style",
		"--managed-identifiers", "none", "--format", "jsonl",
		"--custom-identifiers", "s3://config/lists/custom-identifiers.yaml", "--allow-list", "s3://config/lists/allow-list.txt",
		"--results", "s3://results/trawl", "--results-kms-key", "trawl-key")
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	fs := parseJSONL(t, strings.NewReader(r.stdout))
	if len(fs) != 1 || fs[0].Type != "SensitiveData:S3Object/CustomIdentifier" {
		t.Fatalf("%d findings", len(fs))
	}
	// The same counts as TestCustomIdentifiersAndAllowLists: one employee
	// ID (the other is allow-listed), one project code.
	var raw map[string]any
	json.Unmarshal([]byte(strings.SplitN(r.stdout, "\n", 2)[0]), &raw)
	cdi := raw["classificationDetails"].(map[string]any)["result"].(map[string]any)["customDataIdentifiers"].(map[string]any)
	if cdi["totalCount"] != 2.0 {
		t.Errorf("custom detections: %v", cdi["totalCount"])
	}

	// Macie's layout; MinIO has no STS GetCallerIdentity, so the account
	// is unknown.
	c := srv.Client()
	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("results"), Prefix: aws.String("trawl/")})
	if err != nil || len(list.Contents) != 1 {
		t.Fatalf("results objects: %v %v", err, list)
	}
	jobID := fs[0].ClassificationDetails.JobID
	layout := regexp.MustCompile(`^trawl/AWSLogs/unknown/Macie/` + regexp.QuoteMeta(srv.Region) + `/` + jobID +
		`/unknown/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.jsonl\.gz$`)
	key := aws.ToString(list.Contents[0].Key)
	if jobID == "" || !layout.MatchString(key) {
		t.Errorf("results key %q, want Macie's layout for job %q", key, jobID)
	}
	if loc := raw["classificationDetails"].(map[string]any)["detailedResultsLocation"]; loc != "s3://results/"+key {
		t.Errorf("detailedResultsLocation %q, want s3://results/%s", loc, key)
	}
	obj, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("results"), Key: list.Contents[0].Key})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Body.Close()
	if obj.ServerSideEncryption != types.ServerSideEncryptionAwsKms {
		t.Errorf("results encryption %q, want aws:kms", obj.ServerSideEncryption)
	}
	gz, err := gzip.NewReader(obj.Body)
	if err != nil {
		t.Fatal(err)
	}
	recs := parseJSONL(t, gz)
	if len(recs) != 2 {
		t.Errorf("%d result records, want 2", len(recs))
	}

	// A bad file in S3 is named by its URL, not by trawl's local copy.
	srv.Put(t, "config", "lists/bad.yaml", []byte("- name: Bad\n  regex: 'a(?=b)'\n"))
	r = trawlEnv(t, srv.Env(), "scan", "s3://data", "--endpoint-url", srv.Endpoint, "--path-style",
		"--custom-identifiers", "s3://config/lists/bad.yaml")
	if r.code != 2 || !strings.Contains(r.stderr, "s3://config/lists/bad.yaml") || strings.Contains(r.stderr, os.TempDir()) {
		t.Errorf("bad custom identifiers from S3: exit %d, stderr %q", r.code, r.stderr)
	}

	// Bad locations are exit-2 errors naming the flag.
	for _, c := range []struct{ args []string }{
		{[]string{"--allow-list", "s3://config/lists/missing.txt"}},
		{[]string{"--custom-identifiers", "s3://config/"}},
		{[]string{"--results", "s3://no-such-results-bucket/x"}},
		{[]string{"--results", t.TempDir(), "--results-kms-key", "k"}},
	} {
		r := trawlEnv(t, srv.Env(), append([]string{"scan", "s3://data", "--endpoint-url", srv.Endpoint, "--path-style"}, c.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, strings.TrimPrefix(c.args[0], "--")) && !strings.Contains(r.stderr, "does not exist") {
			t.Errorf("%v: exit %d, stderr %q", c.args, r.code, r.stderr)
		}
	}
}

// TestS3CustomerKeyFile scans SSE-C objects with --sse-c-key-file (MinIO
// over TLS, trusted through AWS_CA_BUNDLE) and without it.
func TestS3CustomerKeyFile(t *testing.T) {
	srv := miniotest.StartTLS(t)
	srv.Bucket(t, "ssec")
	key := bytes.Repeat([]byte{7}, 32)
	sum := md5.Sum(key)
	srv.Put(t, "ssec", "secret.txt", []byte("ssn: 234-56-7891\n"), func(in *s3.PutObjectInput) {
		in.SSECustomerAlgorithm = aws.String("AES256")
		in.SSECustomerKey = aws.String(base64.StdEncoding.EncodeToString(key))
		in.SSECustomerKeyMD5 = aws.String(base64.StdEncoding.EncodeToString(sum[:]))
	})
	keyFile := filepath.Join(t.TempDir(), "key.b64")
	os.WriteFile(keyFile, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600)
	for _, c := range []struct {
		args       []string
		code       int
		wantStatus string
	}{
		{[]string{"--sse-c-key-file", keyFile}, 1, "COMPLETE/"},
		{nil, 0, "SKIPPED/INVALID_ENCRYPTION"},
	} {
		results := t.TempDir()
		r := trawlEnv(t, srv.Env(), append([]string{"scan", "s3://ssec", "--endpoint-url", srv.Endpoint, "--path-style",
			"--format", "jsonl", "--results", results}, c.args...)...)
		if r.code != c.code {
			t.Fatalf("%v: exit %d, want %d; stderr %s", c.args, r.code, c.code, r.stderr)
		}
		recs := readResults(t, results)
		if len(recs) != 1 {
			t.Fatalf("%v: %d results", c.args, len(recs))
		}
		if got := recs[0].status(); got != c.wantStatus {
			t.Errorf("%v: %s, want %s", c.args, got, c.wantStatus)
		}
	}
}
