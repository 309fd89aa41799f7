package s3source

import (
	"context"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// BucketAccount returns the AWS account that owns the bucket, Macie's
// accountId, when it can be learnt: S3 tells no bucket's owner account
// (ListBuckets and GetBucketAcl give only canonical user IDs), but it
// checks one, x-amz-expected-bucket-owner, refusing a request whose bucket
// another account owns. So one more HeadBucket per bucket (ForBucket's
// cannot carry the header: a refusal there would read as an unreachable
// bucket) confirms or refutes that the caller's own account (STS) owns it.
// It returns "" when caller is "" (STS failed, as on S3-compatible
// servers) or when the bucket is another account's: unknown.
func BucketAccount(ctx context.Context, c *s3.Client, bucket, caller string, log *slog.Logger) string {
	if caller == "" {
		return ""
	}
	_, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket), ExpectedBucketOwner: aws.String(caller)})
	if err != nil {
		debug(log, "bucket owner account unknown (not the caller's)", bucket, err)
		return ""
	}
	return caller
}
