package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/fakeaws"
	"github.com/trawlsec/trawl/internal/miniotest"
)

// An S3 scan publishes with the bucket's details: --endpoint-url reaches
// S3 (MinIO) only, EventBridge and Security Hub their own endpoints. A
// re-scan publishes nothing again.
func TestScanS3Publishes(t *testing.T) {
	srv := miniotest.Start(t)
	srv.Bucket(t, "payroll")
	srv.Put(t, "payroll", "hr/people.txt", []byte("SSN: 123-45-6789\n"))
	fake := fakeaws.Start(t, srv.AccessKey, srv.SecretKey, srv.Region)
	t.Cleanup(func() {
		if r := fake.Refused(); len(r) > 0 {
			t.Errorf("the fake refused requests: %q", r)
		}
	})
	env := append(srv.Env(), "AWS_ENDPOINT_URL_EVENTBRIDGE="+fake.URL, "AWS_ENDPOINT_URL_SECURITYHUB="+fake.URL,
		"AWS_ENDPOINT_URL_STS="+fake.URL, "AWS_PROFILE=", "AWS_SESSION_TOKEN=")
	store := filepath.Join(t.TempDir(), "trawl.db")
	args := []string{"scan", "s3://payroll", "--endpoint-url", srv.Endpoint, "--path-style", "--format", "jsonl",
		"--store", store, "--publish", "eventbridge", "--publish", "securityhub"}
	for run := range 2 {
		r := trawlEnv(t, env, args...)
		if r.code != 1 {
			t.Fatalf("run %d: exit %d: %s", run, r.code, r.stderr)
		}
	}
	ev := fake.Events()
	if len(ev) != 1 || len(fake.Imported()) != 1 {
		t.Fatalf("%d events, %d imported after two scans", len(ev), len(fake.Imported()))
	}
	if !strings.Contains(string(ev[0].Detail), `"name":"payroll"`) || !strings.Contains(string(ev[0].Detail), `"key":"hr/people.txt"`) {
		t.Errorf("event detail %s", ev[0].Detail)
	}
	var doc struct {
		Resources []struct{ Type, Id string }
	}
	json.Unmarshal(fake.Imported()[0], &doc)
	if len(doc.Resources) != 2 || doc.Resources[0].Type != "AwsS3Bucket" || doc.Resources[1].Type != "AwsS3Object" ||
		!strings.HasSuffix(doc.Resources[1].Id, "payroll/hr/people.txt") {
		t.Errorf("ASFF resources %+v", doc.Resources)
	}
	r := trawlEnv(t, env, "findings", "publish", "--store", store, "--publish", "eventbridge", "--bucket", "payroll", "--force")
	if r.code != 0 || len(fake.Events()) != 2 || string(fake.Events()[1].Detail) != string(ev[0].Detail) {
		t.Errorf("findings publish --force: exit %d, %d events: %s", r.code, len(fake.Events()), r.stderr)
	}
	if strings.Contains(string(ev[0].Detail), "123-45-6789") || strings.Contains(string(fake.Imported()[0]), "123-45-6789") {
		t.Error("a value was published")
	}
}
