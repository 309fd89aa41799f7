package s3source

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestPartition(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1": "aws", "eu-west-3": "aws", "": "aws", "custom-minio": "aws",
		"cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn",
		"us-gov-west-1": "aws-us-gov", "us-gov-east-1": "aws-us-gov",
		"us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "eu-isoe-west-1": "aws-iso-e",
		"us-isof-south-1": "aws-iso-f", "eusc-de-east-1": "aws-eusc",
	} {
		if got := Partition(region); got != want {
			t.Errorf("Partition(%q) = %q, want %q", region, got, want)
		}
	}
}

// TestBucketAccount: S3 refuses a request whose expected owner is not the
// bucket's (403), which is how the caller's account is confirmed as the
// owner; without a caller account nothing is asked.
func TestBucketAccount(t *testing.T) {
	const owner = "123456789012"
	calls := 0
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.Method != http.MethodHead || r.URL.Path != "/b" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if r.Header.Get("X-Amz-Expected-Bucket-Owner") != owner {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Header().Set("X-Amz-Bucket-Region", "eu-west-1")
	}))
	defer fake.Close()
	c := s3.New(s3.Options{Region: "eu-west-1", BaseEndpoint: aws.String(fake.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), RetryMaxAttempts: 1})
	ctx := context.Background()
	if got := BucketAccount(ctx, c, "b", owner, nil); got != owner {
		t.Errorf("owner's own bucket: %q", got)
	}
	if got := BucketAccount(ctx, c, "b", "210987654321", nil); got != "" {
		t.Errorf("another account's bucket: %q, want unknown", got)
	}
	if got := BucketAccount(ctx, c, "b", "", nil); got != "" || calls != 2 {
		t.Errorf("caller unknown: %q after %d calls, want no call", got, calls)
	}
}
