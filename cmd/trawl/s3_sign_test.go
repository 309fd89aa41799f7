package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trawlsec/trawl/findings/s3results"
	"github.com/trawlsec/trawl/internal/fakekms"
	"github.com/trawlsec/trawl/internal/miniotest"
)

// TestS3SignedResults runs trawl with --results-hmac-key against MinIO
// and a fake KMS (AWS_ENDPOINT_URL_KMS) that checks each request's SigV4
// signature, in the region of the key's ARN: the results object carries
// the MAC of its bytes' SHA-256. A KMS refusal fails the run (exit 2)
// and leaves no unsigned results.
func TestS3SignedResults(t *testing.T) {
	srv := miniotest.Start(t)
	srv.Bucket(t, "data")
	srv.Bucket(t, "results")
	srv.Put(t, "data", "a.txt", []byte("ssn 234-56-7890\n"))
	k := fakekms.Start(t, srv.AccessKey, srv.SecretKey, "eu-west-1")
	env := append(srv.Env(), "AWS_ENDPOINT_URL_KMS="+k.URL)
	ctx := context.Background()
	c := srv.Client()
	scan := func(prefix string) runResult {
		return trawlEnv(t, env, "scan", "s3://data", "--endpoint-url", srv.Endpoint, "--path-style", "--format", "jsonl",
			"--results", "s3://results/"+prefix, "--results-hmac-key", k.KeyArn)
	}
	if r := scan("ok/"); r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("results"), Prefix: aws.String("ok/")})
	if err != nil || len(list.Contents) != 1 {
		t.Fatalf("results objects: %v, %d", err, len(list.Contents))
	}
	obj, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("results"), Key: list.Contents[0].Key})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	digest := sha256.Sum256(body)
	mac, _ := base64.StdEncoding.DecodeString(obj.Metadata[s3results.MetaMAC])
	if msgs := k.Messages(); len(msgs) != 1 || !bytes.Equal(msgs[0], digest[:]) || !bytes.Equal(mac, k.MAC("HMAC_SHA_256", digest[:])) ||
		obj.Metadata[s3results.MetaKeyID] != k.KeyArn {
		t.Errorf("%d messages signed; results metadata %v", len(msgs), obj.Metadata)
	}
	if refused := k.Refused(); len(refused) != 0 {
		t.Errorf("KMS refused requests: %v", refused)
	}

	k.Fail("GenerateMac", "KMSInvalidStateException")
	r := scan("failed/")
	if r.code != 2 || !strings.Contains(r.stderr, "kms:GenerateMac") || !strings.Contains(r.stderr, "KMSInvalidStateException") {
		t.Errorf("KMS error: exit %d, stderr %q", r.code, r.stderr)
	}
	list, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("results"), Prefix: aws.String("failed/")})
	if err != nil || len(list.Contents) != 0 {
		t.Errorf("after a KMS error: %v, %d results objects, want none", err, len(list.Contents))
	}
	// A key that is missing fails before the scan. (A key named without
	// an ARN is looked for in the results bucket's region, where this
	// KMS is not: its signature check refuses the request.)
	r = trawlEnv(t, env, "scan", "s3://data", "--endpoint-url", srv.Endpoint, "--path-style", "--format", "jsonl",
		"--results", "s3://results/missing/", "--results-hmac-key", "arn:aws:kms:eu-west-1:123456789012:alias/missing")
	if r.code != 2 || !strings.Contains(r.stderr, "--results-hmac-key") || !strings.Contains(r.stderr, "NotFoundException") || r.stdout != "" {
		t.Errorf("missing key: exit %d, %d bytes out, stderr %q", r.code, len(r.stdout), r.stderr)
	}
}

// TestResultsKeyFlags: the results key flags need --results s3://...
func TestResultsKeyFlags(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--results-hmac-key", "alias/k"},
		{"--results-hmac-key", "alias/k", "--results", dir},
		{"--results-kms-key", "alias/k", "--results", dir},
		{"--results-kms-key", "alias/k"},
	} {
		r := trawl(t, nil, append([]string{"scan", dir}, args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, args[0]) || !strings.Contains(r.stderr, "s3://") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	for key, region := range map[string]string{
		"arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c": "eu-west-1",
		"arn:aws-cn:kms:cn-north-1:123456789012:alias/r":  "cn-north-1",
		"alias/r": "", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0": "",
	} {
		if got := keyRegion(key); got != region {
			t.Errorf("keyRegion(%q) = %q, want %q", key, got, region)
		}
	}
}
