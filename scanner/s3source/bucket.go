package s3source

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/trawlsec/trawl/findings"
)

// BucketInfo gathers the bucket metadata Macie puts in findings. Each part
// is best effort: a call the caller may not make (or the server does not
// implement) leaves its field empty or UNKNOWN, and never fails the scan.
func BucketInfo(ctx context.Context, c *s3.Client, bucket string, log *slog.Logger) *findings.BucketInfo {
	region := c.Options().Region
	info := &findings.BucketInfo{Region: region, Partition: Partition(region)}
	b := aws.String(bucket)
	// Macie's permission settings, its all-false defaults where unread.
	perms := &findings.PermissionConfiguration{}
	bucketLevel := &perms.BucketLevelPermissions
	aclPublic, aclKnown := false, false
	if acl, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b}); err == nil {
		if acl.Owner != nil {
			info.OwnerID, info.OwnerName = aws.ToString(acl.Owner.ID), aws.ToString(acl.Owner.DisplayName)
		}
		aclKnown = true
		for _, g := range acl.Grants {
			if g.Grantee != nil && publicGroups[aws.ToString(g.Grantee.URI)] {
				aclPublic = true
				switch g.Permission {
				case types.PermissionRead, types.PermissionFullControl:
					bucketLevel.AccessControlList.AllowsPublicReadAccess = true
				}
				switch g.Permission {
				case types.PermissionWrite, types.PermissionFullControl:
					bucketLevel.AccessControlList.AllowsPublicWriteAccess = true
				}
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
		// S3 says only "public"; Macie splits read and write, which
		// would need the policy parsed: a public policy counts as read.
		bucketLevel.BucketPolicy.AllowsPublicReadAccess = policyPublic
	} else if code, _ := apiCode(err); code == "NoSuchBucketPolicy" {
		policyKnown = true
	} else {
		debug(log, "bucket policy status unknown", bucket, err)
	}
	if pab, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b}); err == nil && pab.PublicAccessBlockConfiguration != nil {
		cfg := pab.PublicAccessBlockConfiguration
		bucketLevel.BlockPublicAccess = findings.BlockPublicAccess{
			BlockPublicAcls: aws.ToBool(cfg.BlockPublicAcls), BlockPublicPolicy: aws.ToBool(cfg.BlockPublicPolicy),
			IgnorePublicAcls: aws.ToBool(cfg.IgnorePublicAcls), RestrictPublicBuckets: aws.ToBool(cfg.RestrictPublicBuckets),
		}
	} else {
		debug(log, "bucket public access block unknown", bucket, err)
	}
	info.Permissions = perms
	if tags, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b}); err == nil {
		info.Tags = map[string]string{}
		for _, t := range tags.TagSet {
			info.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	} else {
		debug(log, "bucket tags unknown", bucket, err)
	}
	info.CreatedAt = bucketCreated(ctx, c, bucket, log)
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

// bucketCreated is the bucket's creation time from ListBuckets (which
// needs s3:ListAllMyBuckets; zero when it cannot be read). The prefix
// asks for the bucket's page only; a server that ignores it is paged
// through, at most a few pages.
func bucketCreated(ctx context.Context, c *s3.Client, bucket string, log *slog.Logger) time.Time {
	in := &s3.ListBucketsInput{Prefix: aws.String(bucket), MaxBuckets: aws.Int32(1000)}
	for range 10 {
		out, err := c.ListBuckets(ctx, in)
		if err != nil {
			debug(log, "bucket creation time unknown", bucket, err)
			return time.Time{}
		}
		for _, b := range out.Buckets {
			if aws.ToString(b.Name) == bucket {
				return aws.ToTime(b.CreationDate)
			}
		}
		if out.ContinuationToken == nil {
			break
		}
		in.ContinuationToken = out.ContinuationToken
	}
	return time.Time{}
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
