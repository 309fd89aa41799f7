package s3source

import (
	"context"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trawlsec/trawl/findings"
)

// BucketInfo gathers the bucket metadata Macie puts in findings. Each part
// is best effort: a call the caller may not make (or the server does not
// implement) leaves its field empty or UNKNOWN, and never fails the scan.
func BucketInfo(ctx context.Context, c *s3.Client, bucket string, log *slog.Logger) *findings.BucketInfo {
	region := c.Options().Region
	info := &findings.BucketInfo{Region: region, Partition: Partition(region)}
	b := aws.String(bucket)
	aclPublic, aclKnown := false, false
	if acl, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b}); err == nil {
		if acl.Owner != nil {
			info.OwnerID, info.OwnerName = aws.ToString(acl.Owner.ID), aws.ToString(acl.Owner.DisplayName)
		}
		aclKnown = true
		for _, g := range acl.Grants {
			if g.Grantee != nil && publicGroups[aws.ToString(g.Grantee.URI)] {
				aclPublic = true
			}
		}
	} else {
		debug(log, "bucket owner unknown", bucket, err)
	}
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	switch code, _ := apiCode(err); {
	case err == nil && enc.ServerSideEncryptionConfiguration != nil && len(enc.ServerSideEncryptionConfiguration.Rules) > 0:
		if d := enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault; d != nil {
			info.EncryptionType, info.KMSMasterKeyID = string(d.SSEAlgorithm), aws.ToString(d.KMSMasterKeyID)
		}
	case code == "ServerSideEncryptionConfigurationNotFoundError":
		info.EncryptionType = "NONE"
	default:
		info.EncryptionType = "UNKNOWN"
		debug(log, "bucket default encryption unknown", bucket, err)
	}
	// Public if the policy or the ACL makes it so; not public only when
	// both could be read and neither does.
	policyPublic, policyKnown := false, false
	if st, err := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b}); err == nil && st.PolicyStatus != nil {
		policyPublic, policyKnown = aws.ToBool(st.PolicyStatus.IsPublic), true
	} else if code, _ := apiCode(err); code == "NoSuchBucketPolicy" {
		policyKnown = true
	} else {
		debug(log, "bucket policy status unknown", bucket, err)
	}
	switch {
	case policyPublic || aclPublic:
		info.EffectivePermission = "PUBLIC"
	case policyKnown && aclKnown:
		info.EffectivePermission = "NOT_PUBLIC"
	default:
		info.EffectivePermission = "UNKNOWN"
	}
	return info
}

func debug(log *slog.Logger, msg, bucket string, err error) {
	if log != nil {
		log.Debug(msg, "bucket", bucket, "err", err)
	}
}

// publicGroups are the ACL grantees that open a bucket to everyone.
var publicGroups = map[string]bool{
	"http://acs.amazonaws.com/groups/global/AllUsers":           true,
	"http://acs.amazonaws.com/groups/global/AuthenticatedUsers": true,
}
