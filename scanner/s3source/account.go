package s3source

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// accountTimeout bounds the look-up of the caller's account: it only
// names a results folder, and must not hold up a scan.
const accountTimeout = 10 * time.Second

// AccountID returns the AWS account of the credentials (STS
// GetCallerIdentity), which Macie's results layout is keyed by. With an
// EndpointURL the request goes there: S3-compatible servers mostly answer
// it with an error, which the caller treats as "account unknown". A scan
// calls it once, for the results key and the findings' accountId.
func AccountID(ctx context.Context, o ClientOptions) (string, error) {
	cfg, err := LoadConfig(ctx, o.Profile, o.Region)
	if err != nil {
		return "", err
	}
	c := sts.NewFromConfig(cfg, func(so *sts.Options) {
		// An STS endpoint of its own (AWS_ENDPOINT_URL_STS) beats the
		// S3 server's.
		if o.EndpointURL != "" && os.Getenv("AWS_ENDPOINT_URL_STS") == "" {
			so.BaseEndpoint = aws.String(o.EndpointURL)
		}
		if o.HTTPClient != nil {
			so.HTTPClient = o.HTTPClient
		}
		so.RetryMaxAttempts = 2
	})
	ctx, cancel := context.WithTimeout(ctx, accountTimeout)
	defer cancel()
	out, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("get caller identity: %w", err)
	}
	return aws.ToString(out.Account), nil
}
