package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trawlsec/trawl/internal/fakests"
	"github.com/trawlsec/trawl/internal/miniotest"
)

// placement is what places a finding in AWS.
type placement struct {
	AccountID         string `json:"accountId"`
	Partition         string `json:"partition"`
	Region            string `json:"region"`
	ResourcesAffected struct {
		S3Bucket struct {
			Arn string `json:"arn"`
		} `json:"s3Bucket"`
		S3Object struct {
			BucketArn string `json:"bucketArn"`
		} `json:"s3Object"`
	} `json:"resourcesAffected"`
}

// TestS3FindingsAccount scans a MinIO in a China region: findings name
// the bucket's region, its partition (aws-cn, in both ARNs) and the
// account STS gives (MinIO accepts the caller as the expected bucket
// owner), from one STS call shared with the results key. Without STS (as
// on MinIO alone) the accountId is empty and the results folder "unknown".
func TestS3FindingsAccount(t *testing.T) {
	const account = "123456789012"
	srv := miniotest.StartWith(t, miniotest.Options{Region: "cn-north-1"})
	for _, b := range []string{"data", "other", "results"} {
		srv.Bucket(t, b)
	}
	srv.Put(t, "data", "a.txt", []byte("ssn 234-56-7890\n"))
	srv.Put(t, "other", "b.txt", []byte("ssn 234-56-7891\n"))
	sts, calls := fakests.Start(t, account, "aws-cn")
	args := []string{"scan", "s3://data", "s3://other", "--endpoint-url", srv.Endpoint, "--path-style", "--format", "jsonl",
		"--results", "s3://results/r/"}

	for _, c := range []struct {
		name, sts, account, folder string
		calls                      int32
	}{
		{"with STS", sts.URL, account, account, 1},
		{"without STS", "", "", "unknown", 0},
	} {
		env := srv.Env()
		if c.sts != "" {
			env = append(env, "AWS_ENDPOINT_URL_STS="+c.sts)
		}
		calls.Store(0)
		r := trawlEnv(t, env, args...)
		if r.code != 1 {
			t.Fatalf("%s: exit %d: %s", c.name, r.code, r.stderr)
		}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if len(lines) != 2 {
			t.Fatalf("%s: %d findings, want 2", c.name, len(lines))
		}
		for _, line := range lines {
			var p placement
			if err := json.Unmarshal([]byte(line), &p); err != nil {
				t.Fatal(err)
			}
			arn := p.ResourcesAffected.S3Bucket.Arn
			if p.AccountID != c.account || p.Region != "cn-north-1" || p.Partition != "aws-cn" ||
				!regexp.MustCompile(`^arn:aws-cn:s3:::(data|other)$`).MatchString(arn) || p.ResourcesAffected.S3Object.BucketArn != arn {
				t.Errorf("%s: finding placed at %+v", c.name, p)
			}
		}
		if got := calls.Load(); got != c.calls {
			t.Errorf("%s: %d STS calls, want %d (one per scan)", c.name, got, c.calls)
		}
		list, err := srv.Client().ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("results"),
			Prefix: aws.String("r/AWSLogs/" + c.folder + "/Macie/cn-north-1/")})
		if err != nil || len(list.Contents) != 1 {
			t.Errorf("%s: results under AWSLogs/%s: %v, %d objects", c.name, c.folder, err, len(list.Contents))
		}
	}
}
