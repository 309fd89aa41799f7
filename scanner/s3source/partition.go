package s3source

import "strings"

// partitionPrefixes name the AWS partitions other than "aws" by the
// prefix of their region names (cn-north-1, us-gov-west-1, ...). The
// longer prefixes come first: us-isob- before us-iso-.
var partitionPrefixes = []struct{ prefix, partition string }{
	{"cn-", "aws-cn"},
	{"us-gov-", "aws-us-gov"},
	{"us-isob-", "aws-iso-b"},
	{"us-isof-", "aws-iso-f"},
	{"us-iso-", "aws-iso"},
	{"eu-isoe-", "aws-iso-e"},
	{"eusc-", "aws-eusc"},
}

// Partition is the AWS partition of a region, as in ARNs and in Macie's
// findings: aws-cn for China, aws-us-gov for GovCloud, aws elsewhere
// (also for an empty or unknown region, such as an S3-compatible server's).
func Partition(region string) string {
	for _, p := range partitionPrefixes {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return "aws"
}
