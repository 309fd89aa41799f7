package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/trawlsec/trawl/findings/s3results"
	"github.com/trawlsec/trawl/scanner/s3source"
)

// checkResultsKeys refuses the KMS key flags of --results s3://... with
// any other --results: a local results file is neither encrypted nor
// signed, and a flag that does nothing must not pass silently.
func checkResultsKeys(f s3Flags, results string) error {
	if isS3(results) {
		return nil
	}
	for _, k := range []struct{ flag, value string }{{"--results-kms-key", f.resultsKMSKey}, {"--results-hmac-key", f.resultsHMACKey}} {
		if k.value != "" {
			return usageError("%s applies to --results s3://BUCKET/PREFIX: results written elsewhere are neither encrypted nor signed", k.flag)
		}
	}
	return nil
}

// signer returns the signer of --results-hmac-key, checked against KMS
// before the scan. KMS is reached in the key's region (from its ARN), or
// else in --region or the results bucket's; --endpoint-url is S3's and
// does not apply (AWS_ENDPOINT_URL_KMS does).
func (t *s3Targets) signer(ctx context.Context, bucketRegion string) (*s3results.Signer, error) {
	region := keyRegion(t.f.resultsHMACKey)
	if region == "" {
		region = bucketRegion
	}
	cfg, err := s3source.LoadConfig(ctx, t.f.profile, region)
	if err != nil {
		return nil, err
	}
	s, err := s3results.NewSigner(ctx, kms.NewFromConfig(cfg), t.f.resultsHMACKey)
	if err != nil {
		return nil, fmt.Errorf("--results-hmac-key: %w", err)
	}
	return s, nil
}

// keyRegion is the region of a key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID
// or alias/NAME); "" for a key ID or alias name.
func keyRegion(key string) string {
	a, err := arn.Parse(key)
	if err != nil || a.Service != "kms" {
		return ""
	}
	return a.Region
}
