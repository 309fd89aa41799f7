package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/fakeaws"
)

// fakeAWS starts the EventBridge, Security Hub and STS stand-in and points
// trawl at it the way the SDK's users do, with AWS_ENDPOINT_URL_*.
func fakeAWS(t *testing.T) *fakeaws.Server {
	s := fakeaws.Start(t, "AKIDSCANTEST", "scan-test-secret", "eu-west-1")
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": s.AccessKey, "AWS_SECRET_ACCESS_KEY": s.SecretKey, "AWS_SESSION_TOKEN": "",
		"AWS_REGION": s.Region, "AWS_PROFILE": "", "AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_EVENTBRIDGE": s.URL, "AWS_ENDPOINT_URL_SECURITYHUB": s.URL,
		"AWS_ENDPOINT_URL_STS": s.URL, "AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "3",
	} {
		t.Setenv(k, v)
	}
	t.Cleanup(func() {
		if r := s.Refused(); len(r) > 0 {
			t.Errorf("the fake refused requests: %q", r)
		}
	})
	return s
}

func twoFindings(t *testing.T) string {
	dir := t.TempDir()
	for _, name := range []string{"a.txt", "b.txt"} {
		os.WriteFile(filepath.Join(dir, name), []byte("ssn: 123-45-6789\n"), 0o644)
	}
	return dir
}

func TestScanPublishes(t *testing.T) {
	s := fakeAWS(t)
	dir := twoFindings(t)
	out := filepath.Join(t.TempDir(), "f.jsonl")
	r := trawl(t, nil, "scan", dir, "--output", out, "--publish", "eventbridge:ops", "--publish", "securityhub", "--eventbridge-source", "acme.trawl")
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "published 2 events to eventbridge:ops") || !strings.Contains(r.stderr, "published 2 findings to securityhub:"+fakeaws.Account+"/eu-west-1") {
		t.Errorf("stderr %q", r.stderr)
	}
	ev := s.Events()
	if len(ev) != 2 || ev[0].Source != "acme.trawl" || ev[0].EventBusName != "ops" || ev[0].DetailType != "Macie Finding" {
		t.Fatalf("events %+v", ev)
	}
	imported := s.Imported()
	if len(imported) != 2 {
		t.Fatalf("%d findings imported into Security Hub", len(imported))
	}
	var doc struct {
		AwsAccountId string
		Resources    []struct{ Type string }
	}
	json.Unmarshal(imported[0], &doc)
	if doc.AwsAccountId != fakeaws.Account || doc.Resources[0].Type != "Other" {
		t.Errorf("ASFF %s", imported[0])
	}
	for _, e := range ev {
		if strings.Contains(string(e.Detail), "123-45-6789") {
			t.Fatal("a value in an event")
		}
	}
}

// A refused publish exits 2 with an error naming the service, the bus and
// the permission, and the scan's output is written all the same.
func TestScanPublishRefused(t *testing.T) {
	s := fakeAWS(t)
	s.FailRequests(fakeaws.PutEvents, -1, 400, "AccessDeniedException")
	dir := twoFindings(t)
	out := filepath.Join(t.TempDir(), "f.jsonl")
	r := trawl(t, nil, "scan", dir, "--output", out, "--publish", "eventbridge")
	if r.code != 2 || !strings.Contains(r.stderr, "events:PutEvents") || !strings.Contains(r.stderr, "event bus default") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	raw, _ := os.ReadFile(out)
	if n := strings.Count(string(raw), "\n"); n != 2 {
		t.Errorf("%d findings in the output, want 2", n)
	}
}

func TestPublishFlags(t *testing.T) {
	dir := twoFindings(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--publish", "kafka"}, "use eventbridge"},
		{[]string{"--publish", "eventbridge:bad bus!"}, "neither an event bus name"},
		{[]string{"--publish", "securityhub:x"}, "takes no argument"},
		{[]string{"--publish", "eventbridge", "--publish", "eventbridge"}, "given twice"},
		{[]string{"--publish", "eventbridge", "--eventbridge-source", "aws.macie"}, "reserved for AWS"},
		{[]string{"--eventbridge-source", "acme"}, "not given"},
	} {
		r := trawl(t, nil, append([]string{"scan", dir}, c.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, %q", c.args, r.code, r.stderr)
		}
	}
}

func TestParsePublishTargets(t *testing.T) {
	got, err := publishFlags{targets: []string{"eventbridge", "EventBridge:arn:aws:events:us-east-1:123456789012:event-bus/sec", "securityhub"}, source: "acme"}.parse()
	if err != nil || len(got) != 3 || got[0] != (publishTarget{service: "eventbridge"}) ||
		got[1].bus != "arn:aws:events:us-east-1:123456789012:event-bus/sec" || got[2].service != "securityhub" {
		t.Errorf("%+v, %v", got, err)
	}
	if _, err := (publishFlags{targets: []string{"eventbridge:arn:aws:s3:::bucket"}}).parse(); err == nil {
		t.Error("an S3 ARN taken for a bus")
	}
}

// A bus given by ARN is published to in the ARN's region, by ARN.
func TestScanPublishesToBusArn(t *testing.T) {
	s := fakeAWS(t)
	t.Setenv("AWS_REGION", "us-east-1") // the bus's region wins
	bus := "arn:aws:events:eu-west-1:" + fakeaws.Account + ":event-bus/security"
	r := trawl(t, nil, "scan", twoFindings(t), "--format", "jsonl", "--publish", "eventbridge:"+bus)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if ev := s.Events(); len(ev) != 2 || ev[0].EventBusName != bus || ev[0].Source != "trawl" {
		t.Errorf("events %+v", ev)
	}
}
