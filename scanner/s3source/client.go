// Package s3source is the scanner's source for S3 buckets (and
// S3-compatible servers such as MinIO, Ceph or R2): it lists a bucket page
// by page in key order and opens objects as streams that also give random
// access through ranged GETs.
package s3source

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// ClientOptions says how to reach S3.
type ClientOptions struct {
	Profile     string // shared config profile; empty: the default chain
	Region      string // empty: from the environment or profile, then the bucket's own
	EndpointURL string // S3-compatible server, e.g. http://127.0.0.1:9000
	PathStyle   bool   // bucket in the path rather than the host name
	// MaxAttempts per request (default 10): throttling, 5xx, timeouts and
	// connection resets are retried with exponential backoff and jitter.
	MaxAttempts int
	// MaxBackoff caps the wait between attempts (default 20 s).
	MaxBackoff time.Duration
	HTTPClient *http.Client // nil: the SDK's
}

// responseHeaderTimeout bounds the wait for an answer's headers: as long
// as a body may stay idle (defaultIdleTimeout), after which the attempt
// is retried.
const responseHeaderTimeout = defaultIdleTimeout

// defaultRegion is used to find a bucket's region when nothing else names
// one: S3 answers HeadBucket from any region with the bucket's own.
const defaultRegion = "us-east-1"

// NewClient builds an S3 client from the default credential chain (or a
// profile) with retries suited to long scans.
func NewClient(ctx context.Context, o ClientOptions) (*s3.Client, error) {
	var load []func(*config.LoadOptions) error
	// A server that accepts a request and never answers must not hang
	// the scan: the attempt fails and is retried. (Stalls inside a body
	// are caught by the object reader's idle timeout.)
	load = append(load, config.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.ResponseHeaderTimeout = responseHeaderTimeout
	})))
	attempts, backoff := o.MaxAttempts, o.MaxBackoff
	if attempts <= 0 {
		attempts = 10
	}
	if backoff <= 0 {
		backoff = 20 * time.Second
	}
	load = append(load, config.WithRetryer(func() aws.Retryer {
		return retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = attempts
			so.MaxBackoff = backoff
			// The default token bucket gives up after a burst of errors;
			// a scan would rather wait than lose objects.
			so.RateLimiter = ratelimit.None
		})
	}))
	cfg, err := LoadConfig(ctx, o.Profile, o.Region, load...)
	if err != nil {
		return nil, err
	}
	return s3.NewFromConfig(cfg, func(so *s3.Options) {
		if o.EndpointURL != "" {
			so.BaseEndpoint = aws.String(o.EndpointURL)
		}
		so.UsePathStyle = o.PathStyle
		if o.HTTPClient != nil {
			so.HTTPClient = o.HTTPClient
		}
		// S3-compatible servers do not all speak the SDK's default CRC
		// checksums (LIBRARIES.md §4).
		so.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		so.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	}), nil
}

// LoadConfig loads the AWS configuration of a shared config profile (""
// for the default chain) in region ("": the environment's or the
// profile's, else us-east-1), with more load options: the one way S3, STS
// and KMS clients find their credentials.
func LoadConfig(ctx context.Context, profile, region string, more ...func(*config.LoadOptions) error) (aws.Config, error) {
	var load []func(*config.LoadOptions) error
	if profile != "" {
		load = append(load, config.WithSharedConfigProfile(profile))
	}
	if region != "" {
		load = append(load, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, append(load, more...)...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = defaultRegion
	}
	return cfg, nil
}

// ForBucket returns a client in the bucket's own region: c itself when the
// region was given or is right, else a copy for the region HeadBucket
// reports. A bucket that cannot be reached is an error naming the cause.
func ForBucket(ctx context.Context, c *s3.Client, bucket string, regionGiven bool) (*s3.Client, error) {
	out, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}, retries(nil, "head bucket "+bucket, true))
	if isRefused(err) {
		return nil, bucketError(bucket, err) // nothing listens there: no region to look for
	}
	if err == nil {
		if !regionGiven && out.BucketRegion != nil && *out.BucketRegion != "" && *out.BucketRegion != c.Options().Region {
			return inRegion(c, *out.BucketRegion), nil
		}
		return c, nil
	}
	if !regionGiven {
		// A HeadBucket in the wrong region fails (301, or 400 for a request
		// signed for the wrong region) but names the bucket's region in a
		// header; failing that, GetBucketLocation answers from any region.
		if rc := reachedIn(ctx, c, bucket, regionHeader(err)); rc != nil {
			return rc, nil
		}
		if loc, lerr := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket)}); lerr == nil {
			region := string(loc.LocationConstraint)
			if region == "" {
				region = defaultRegion
			}
			if rc := reachedIn(ctx, c, bucket, region); rc != nil {
				return rc, nil
			}
		}
	}
	return nil, bucketError(bucket, err)
}

// inRegion returns a copy of c for region.
func inRegion(c *s3.Client, region string) *s3.Client {
	return s3.New(c.Options(), func(o *s3.Options) { o.Region = region })
}

// reachedIn returns a client in region if the bucket answers HeadBucket
// there; nil if it does not, or if region is empty or c's own (already
// tried).
func reachedIn(ctx context.Context, c *s3.Client, bucket, region string) *s3.Client {
	if region == "" || region == c.Options().Region {
		return nil
	}
	rc := inRegion(c, region)
	if _, err := rc.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return nil
	}
	return rc
}

// bucketError explains why a bucket cannot be scanned.
func bucketError(bucket string, err error) error {
	switch code, status := apiCode(err); {
	case status == http.StatusNotFound || code == "NoSuchBucket" || code == "NotFound":
		return fmt.Errorf("bucket %s does not exist (check the name, --region and --endpoint-url)", bucket)
	case status == http.StatusForbidden || code == "AccessDenied" || code == "Forbidden":
		return fmt.Errorf("access to bucket %s denied (the credentials need s3:ListBucket on it; check --profile or AWS_PROFILE)", bucket)
	case status == http.StatusMovedPermanently:
		return fmt.Errorf("bucket %s is in another region (give its region with --region)", bucket)
	}
	return fmt.Errorf("cannot reach bucket %s: %w (check --endpoint-url, the network and credentials)", bucket, err)
}

// regionHeader returns the x-amz-bucket-region header of a failed answer.
func regionHeader(err error) string {
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.Header.Get("X-Amz-Bucket-Region")
	}
	return ""
}
