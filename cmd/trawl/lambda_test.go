package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/miniotest"
)

// TestShardsOverS3 scans one bucket with four --shard processes: their
// results together are one full scan's, with no object twice.
func TestShardsOverS3(t *testing.T) {
	srv := miniotest.Start(t)
	srv.Bucket(t, "shards")
	for i := range 60 {
		body := "nothing here\n"
		if i%3 == 0 {
			body = "ssn 123-45-6789\n"
		}
		srv.Put(t, "shards", fmt.Sprintf("p%d/obj-%03d.txt", i%4, i), []byte(body))
	}
	s3 := []string{"--endpoint-url", srv.Endpoint, "--path-style", "--format", "jsonl"}
	keys := func(args ...string) []string {
		t.Helper()
		results := t.TempDir()
		r := trawlEnv(t, srv.Env(), append(append([]string{"scan", "s3://shards", "--results", results}, s3...), args...)...)
		if r.code != 0 && r.code != 1 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		var ks []string
		for _, rec := range readResults(t, results) {
			ks = append(ks, rec.ResourcesAffected.S3Object.Key)
		}
		return ks
	}
	full := keys()
	if len(full) != 60 {
		t.Fatalf("full scan: %d results, want 60", len(full))
	}
	var union []string
	for i := range 4 {
		part := keys("--shard", fmt.Sprintf("%d/4", i))
		if len(part) == 0 || len(part) == 60 {
			t.Errorf("shard %d/4 scanned %d of 60 objects", i, len(part))
		}
		union = append(union, part...)
	}
	slices.Sort(full)
	slices.Sort(union)
	if !slices.Equal(full, union) {
		t.Errorf("the shards scanned %d objects (%d distinct); the full scan %d",
			len(union), len(slices.Compact(slices.Clone(union))), len(full))
	}
}

func TestShardFlagErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("x"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"scan", dir, "--shard", "4/4"}, "--shard"},
		{[]string{"scan", dir, "--shard", "x"}, "INDEX/COUNT"},
		{[]string{"scan", "-", "--shard", "0/2"}, "standard input"},
	} {
		r := trawl(t, strings.NewReader(""), c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// TestLambdaInvoke runs the Lambda handler on a recorded EventBridge
// event, as a user checks a deployment's configuration locally.
func TestLambdaInvoke(t *testing.T) {
	srv := miniotest.Start(t)
	srv.Bucket(t, "landing")
	srv.Put(t, "landing", "in/card.txt", []byte("Visa: 4539 1488 0343 6467\n"))
	event := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(event, []byte(`{"version":"0","id":"1","detail-type":"Object Created","source":"aws.s3",
"account":"123456789012","time":"2026-12-07T00:00:00Z","region":"us-east-1","resources":["arn:aws:s3:::landing"],
"detail":{"version":"0","bucket":{"name":"landing"},"object":{"key":"in/card.txt","size":26,"sequencer":"1"},"reason":"PutObject"}}`), 0o644)
	env := append(srv.Env(), "TRAWL_MANAGED_IDENTIFIERS=all")
	r := trawlEnv(t, env, "lambda", "invoke", "--event", event, "--endpoint-url", srv.Endpoint, "--path-style")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var resp struct {
		Shape   string
		Objects []struct {
			Bucket, Key, Status, FindingType string
			Detections                       []struct {
				Type  string
				Count int
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &resp); err != nil {
		t.Fatalf("response %q: %v", r.stdout, err)
	}
	if resp.Shape != "eventbridge:Object Created" || len(resp.Objects) != 1 {
		t.Fatalf("response %s", r.stdout)
	}
	o := resp.Objects[0]
	if o.Bucket != "landing" || o.Key != "in/card.txt" || o.Status != "COMPLETE" || o.FindingType != "SensitiveData:S3Object/Financial" {
		t.Errorf("object %+v", o)
	}
	if strings.Contains(r.stdout+r.stderr, "4539") {
		t.Error("the response holds the matched value")
	}

	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"lambda", "invoke"}, "--event"},
		{nil, []string{"lambda", "invoke", "--event", "/no/such/file"}, "--event"},
		{[]string{"TRAWL_WORKERS=lots"}, []string{"lambda", "invoke", "--event", event}, "TRAWL_WORKERS"},
	} {
		r := trawlEnv(t, append(srv.Env(), c.env...), c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v %v: exit %d, stderr %q; want 2 naming %q", c.env, c.args, r.code, r.stderr, c.want)
		}
	}
}
