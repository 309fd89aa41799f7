package findings

import (
	"testing"

	"github.com/trawlsec/trawl/identifiers"
)

// TestFindingPlacedByBucket: an S3 object's finding and result record
// carry its bucket's account, region and partition (the ARNs too); a local
// file's keep the run's, and a bucket with an unknown owner has an empty
// accountId, not the run's.
func TestFindingPlacedByBucket(t *testing.T) {
	run := Run{JobID: "job", AccountID: "111111111111", Region: "eu-west-1", Partition: "aws"}
	cases := []struct {
		name                       string
		info                       *BucketInfo
		account, region, partition string
		arn                        string
	}{
		{"china", &BucketInfo{AccountID: "123456789012", Region: "cn-north-1", Partition: "aws-cn"},
			"123456789012", "cn-north-1", "aws-cn", "arn:aws-cn:s3:::b"},
		{"govcloud, owner unknown", &BucketInfo{Region: "us-gov-west-1", Partition: "aws-us-gov"},
			"", "us-gov-west-1", "aws-us-gov", "arn:aws-us-gov:s3:::b"},
		{"no bucket info", nil, "111111111111", "eu-west-1", "aws", "arn:aws:s3:::b"},
	}
	for _, c := range cases {
		r := resultWith(map[*identifiers.Identifier]int{card: 1})
		r.Object.Bucket, r.Object.BucketInfo = "b", c.info
		for _, f := range []Finding{*Build(r, run), Record(r, run)} {
			if f.AccountID != c.account || f.Region != c.region || f.Partition != c.partition ||
				f.ResourcesAffected.S3Bucket.Arn != c.arn || f.ResourcesAffected.S3Object.BucketArn != c.arn {
				t.Errorf("%s: account %q region %q partition %q arns %q %q", c.name, f.AccountID, f.Region, f.Partition,
					f.ResourcesAffected.S3Bucket.Arn, f.ResourcesAffected.S3Object.BucketArn)
			}
		}
	}
}
