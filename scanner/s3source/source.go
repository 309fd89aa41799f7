package s3source

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/scanner"
)

// Source lists and opens the objects of one bucket under a prefix. It
// implements scanner.Source.
type Source struct {
	Client *s3.Client
	Bucket string
	Prefix string
	Scope  Scope
	// SSECKey is the customer key (32 bytes) for SSE-C objects; without it
	// they are SKIPPED with INVALID_ENCRYPTION.
	SSECKey []byte
	// PageSize is how many keys a listing page asks for (S3's maximum,
	// 1,000, by default).
	PageSize int32
	// IdleTimeout drops a GET whose body sends nothing for this long and
	// resumes the read with a new one, logged at debug level (default
	// 30 s).
	IdleTimeout time.Duration
	// Info is the bucket's metadata (BucketInfo), copied into every
	// object's findings; nil leaves it out.
	Info *findings.BucketInfo
	Log  *slog.Logger
}

var (
	_ scanner.Source   = (*Source)(nil)
	_ scanner.Enricher = (*Source)(nil)
)

// Enrich adds the object's tags to a result with detections (Macie's
// s3Object.tags), unless the listing already read them. Best effort: a
// caller without s3:GetObjectTagging gets findings without tags.
func (s *Source) Enrich(ctx context.Context, r *findings.Result) {
	if r.Object.Tags != nil || r.Object.Bucket != s.Bucket {
		return
	}
	tags, err := s.tags(ctx, r.Object.Key)
	if err != nil {
		if s.Log != nil {
			s.Log.Debug("object tags not read", "key", r.Object.Key, "err", err)
		}
		return
	}
	r.Object.Tags = tags
}

// List streams the bucket's objects page by page in key order (S3's), so
// memory does not grow with the bucket. Objects outside the scope are left
// out; the listing stops after Scope.MaxObjects.
func (s *Source) List(ctx context.Context, fn func(scanner.Object, error) error) error {
	pageSize := s.PageSize
	if pageSize <= 0 {
		pageSize = 1000
	}
	in := &s3.ListObjectsV2Input{Bucket: aws.String(s.Bucket), MaxKeys: aws.Int32(pageSize)}
	if s.Prefix != "" {
		in.Prefix = aws.String(s.Prefix)
	}
	return s.list(ctx, listerFunc(s.Client.ListObjectsV2), in, fn)
}

// pageTimeout bounds one listing page, retries included.
const pageTimeout = 5 * time.Minute

// lister is the one call List needs, so that a stub can stand in for S3 in
// tests of a very large listing.
type lister interface {
	ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
}

type listerFunc func(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)

func (f listerFunc) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, o ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	return f(ctx, in, o...)
}

func (s *Source) list(ctx context.Context, l lister, in *s3.ListObjectsV2Input, fn func(scanner.Object, error) error) error {
	pages := s3.NewListObjectsV2Paginator(l, in)
	count := 0
	for pages.HasMorePages() {
		// A page is small (1,000 keys): one that takes minutes is a hung
		// connection, and a new attempt is better than waiting forever.
		pctx, cancel := context.WithTimeout(ctx, pageTimeout)
		page, err := pages.NextPage(pctx, retries(s.Log, "list s3://"+s.Bucket+"/"+s.Prefix, true))
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("list s3://%s/%s: %w", s.Bucket, s.Prefix, bucketError(s.Bucket, err))
		}
		var listed []scanner.Object
		for _, item := range page.Contents {
			key := aws.ToString(item.Key)
			size := aws.ToInt64(item.Size)
			modified := aws.ToTime(item.LastModified)
			if strings.HasSuffix(key, "/") && size == 0 {
				continue // a "folder" placeholder made by consoles
			}
			if !s.Scope.Listed(key, size, modified) {
				continue
			}
			o := scanner.Object{
				Bucket: s.Bucket, Key: key, Path: s.Bucket + "/" + key, Size: size,
				ETag: strings.Trim(aws.ToString(item.ETag), `"`), LastModified: modified,
				StorageClass: string(item.StorageClass), BucketInfo: s.Info,
			}
			if o.StorageClass == "" {
				o.StorageClass = string(types.ObjectStorageClassStandard)
			}
			listed = append(listed, o)
		}
		if done, err := s.emitPage(ctx, listed, &count, fn); err != nil || done {
			return err
		}
	}
	return nil
}

func (s *Source) tags(ctx context.Context, key string) (map[string]string, error) {
	out, err := s.Client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(s.Bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("get tags of s3://%s/%s: %w", s.Bucket, key, err)
	}
	tags := make(map[string]string, len(out.TagSet))
	for _, t := range out.TagSet {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return tags, nil
}

// archiveClasses are the storage classes Macie cannot read until an object
// is restored (MACIE.md §6); Glacier Instant Retrieval is read normally.
var archiveClasses = map[string]bool{
	string(types.ObjectStorageClassGlacier):        true,
	string(types.ObjectStorageClassDeepArchive):    true,
	string(types.ObjectStorageClassExpressOnezone): true,
}

// Open starts reading an object. An object in an archive storage class is
// checked with HeadObject (never fetched) and SKIPPED with
// INVALID_OBJECT_STATE unless a restored copy is available.
func (s *Source) Open(ctx context.Context, o scanner.Object) (io.ReadCloser, error) {
	if archiveClasses[o.StorageClass] {
		if err := s.checkRestored(ctx, o); err != nil {
			return nil, err
		}
	}
	r := &object{ctx: ctx, src: s, key: o.Key, etag: o.ETag, size: o.Size, version: o.VersionID}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

func (s *Source) checkRestored(ctx context.Context, o scanner.Object) error {
	in := &s3.HeadObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(o.Key)}
	if o.VersionID != "" {
		in.VersionId = aws.String(o.VersionID)
	}
	out, err := s.Client.HeadObject(ctx, in)
	if err != nil {
		return skip(fmt.Errorf("head s3://%s/%s: %w", s.Bucket, o.Key, err))
	}
	// A finished restore reads `ongoing-request="false", expiry-date=...`.
	if r := aws.ToString(out.Restore); strings.Contains(r, `ongoing-request="false"`) {
		return nil
	}
	return &scanner.ReasonError{Reason: findings.InvalidObjectState,
		Err: fmt.Errorf("s3://%s/%s is in storage class %s and not restored", s.Bucket, o.Key, o.StorageClass)}
}

// ssec fills the SSE-C fields of a request.
func (s *Source) ssec() (alg, key, keyMD5 *string) {
	sum := md5.Sum(s.SSECKey)
	return aws.String("AES256"), aws.String(base64.StdEncoding.EncodeToString(s.SSECKey)),
		aws.String(base64.StdEncoding.EncodeToString(sum[:]))
}
