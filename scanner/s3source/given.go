package s3source

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/scanner"
)

// Given is a source of objects named ahead, by events or a batch, in one
// bucket: it scans them as named, without listing the bucket.
//
// Each object is looked up with HeadObject before it is read (by the
// worker that reads it, so the look-ups run in parallel): its size and
// metadata fill what the event left out, an object that is gone is
// SKIPPED with SOURCE_OBJECT_NO_LONGER_AVAILABLE, and one whose ETag is no
// longer the event's with OBJECT_VERSION_MISMATCH. A named version is read
// as that version.
type Given struct {
	*Source
	Objects []scanner.Object
	// AltKeys gives, by key, another reading of the key to try when the
	// object is not found under it (an EventBridge key URL-decoded).
	AltKeys map[string]string

	bucketOnce sync.Once
	noBucket   bool
}

// bucketGone tells a missing bucket from a missing object: HeadObject's
// answer has no body, so both are a bare 404.
func (g *Given) bucketGone(ctx context.Context) bool {
	g.bucketOnce.Do(func() {
		_, err := g.Client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(g.Bucket)})
		code, status := apiCode(err)
		g.noBucket = err != nil && (code == "NoSuchBucket" || code == "NotFound" || status == http.StatusNotFound)
	})
	return g.noBucket
}

var (
	_ scanner.Source   = (*Given)(nil)
	_ scanner.Enricher = (*Given)(nil)
)

// List hands out the objects in the order given. Objects outside the
// source's scope are left out, as a listing leaves them out (an object
// whose size the event did not give is judged by its key alone).
func (g *Given) List(ctx context.Context, fn func(scanner.Object, error) error) error {
	for _, o := range g.Objects {
		if err := ctx.Err(); err != nil {
			return err
		}
		size := o.Size
		if size < 0 {
			size = max(g.Scope.MinSize, 0)
		}
		if !g.Scope.Listed(o.Key, size, o.LastModified) {
			continue
		}
		o.Bucket, o.Path, o.BucketInfo = g.Bucket, g.Bucket+"/"+o.Key, g.Info
		if err := fn(o, nil); err != nil {
			return err
		}
	}
	return nil
}

// Open looks the object up, then reads it.
func (g *Given) Open(ctx context.Context, o scanner.Object) (io.ReadCloser, error) {
	full, err := g.head(ctx, o, o.Key)
	if alt := g.AltKeys[o.Key]; err != nil && alt != "" && objectReason(err) == findings.SourceObjectNoLongerAvailable {
		full, err = g.head(ctx, o, alt)
	}
	if err != nil {
		if objectReason(err) == findings.SourceObjectNoLongerAvailable && g.bucketGone(ctx) {
			return nil, &scanner.ReasonError{Reason: findings.NoSuchBucketAvailable, Err: err}
		}
		return nil, err
	}
	rc, err := g.Source.Open(ctx, full)
	if err != nil {
		return nil, err
	}
	return &givenObject{object: rc.(*object), full: full}, nil
}

// head fills o from HeadObject under key.
func (g *Given) head(ctx context.Context, o scanner.Object, key string) (scanner.Object, error) {
	in := &s3.HeadObjectInput{Bucket: aws.String(g.Bucket), Key: aws.String(key)}
	if o.VersionID != "" {
		in.VersionId = aws.String(o.VersionID)
	}
	if o.ETag != "" {
		in.IfMatch = aws.String(`"` + o.ETag + `"`)
	}
	if len(g.SSECKey) > 0 {
		in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = g.ssec()
	}
	out, err := g.Client.HeadObject(ctx, in)
	if err != nil {
		return o, skip(fmt.Errorf("head s3://%s/%s: %w", g.Bucket, key, err))
	}
	o.Key, o.Path = key, g.Bucket+"/"+key
	o.Size = aws.ToInt64(out.ContentLength)
	o.ETag = strings.Trim(aws.ToString(out.ETag), `"`)
	o.LastModified = aws.ToTime(out.LastModified)
	o.StorageClass = string(out.StorageClass)
	if o.StorageClass == "" {
		o.StorageClass = string(types.ObjectStorageClassStandard)
	}
	return o, nil
}

// Enrich adds tags, as for a listed object.
func (g *Given) Enrich(ctx context.Context, r *findings.Result) { g.Source.Enrich(ctx, r) }

// givenObject is an object read after its look-up: its result gets what
// the look-up learned (size, ETag, the key it was found under).
type givenObject struct {
	*object
	full scanner.Object
}

func (o *givenObject) UpdateObject(r *scanner.Object) {
	r.Key, r.Path, r.Size, r.ETag = o.full.Key, o.full.Path, o.full.Size, o.full.ETag
	r.LastModified, r.StorageClass = o.full.LastModified, o.full.StorageClass
	o.object.UpdateObject(r)
}
