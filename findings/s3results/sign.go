package s3results

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
)

// Metadata names (x-amz-meta-...) of a signed results object. The MAC
// signs the SHA-256 digest of the object's bytes, not the bytes: KMS's
// GenerateMac takes at most 4,096 bytes. To verify, hash the object and
// pass the digest to kms:VerifyMac with the key and algorithm named here.
const (
	MetaMAC       = "trawl-hmac"           // the MAC, base64
	MetaAlgorithm = "trawl-hmac-algorithm" // HMAC_SHA_256...
	MetaKeyID     = "trawl-hmac-key-id"    // the key's ARN, as KMS gave it
	MetaMessage   = "trawl-hmac-message"   // what was signed: MessageDigest
	MessageDigest = "sha256-of-object"
)

// Signer signs results objects with a KMS HMAC key, as Macie signs its
// discovery results.
type Signer struct {
	client    *kms.Client
	keyID     string
	algorithm types.MacAlgorithmSpec
}

// NewSigner checks the key before a scan starts, so that a long scan does
// not end with results it cannot sign. DescribeKey picks the algorithm of
// the key's spec (HMAC_SHA_256 for an HMAC_256 key...) and refuses a key
// that makes no MACs; a caller without kms:DescribeKey gets HMAC_SHA_256,
// the algorithm of the commonest key spec.
func NewSigner(ctx context.Context, c *kms.Client, keyID string) (*Signer, error) {
	s := &Signer{client: c, keyID: keyID, algorithm: types.MacAlgorithmSpecHmacSha256}
	out, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyID)})
	var ae smithy.APIError
	switch {
	case errors.As(err, &ae) && ae.ErrorCode() == "AccessDeniedException":
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("results HMAC key %s: %w", keyID, err)
	}
	meta := out.KeyMetadata
	if meta == nil {
		return nil, fmt.Errorf("results HMAC key %s: KMS described no key", keyID)
	}
	if meta.KeyUsage != types.KeyUsageTypeGenerateVerifyMac || len(meta.MacAlgorithms) == 0 {
		return nil, fmt.Errorf("results HMAC key %s is not an HMAC key (its usage is %q): create one with key spec HMAC_256 and usage GENERATE_VERIFY_MAC", keyID, meta.KeyUsage)
	}
	if !slices.Contains(meta.MacAlgorithms, s.algorithm) {
		s.algorithm = meta.MacAlgorithms[0]
	}
	return s, nil
}

// metadata signs an object's SHA-256 digest and returns the object
// metadata that carries the signature.
func (s *Signer) metadata(ctx context.Context, digest []byte) (map[string]string, error) {
	out, err := s.client.GenerateMac(ctx, &kms.GenerateMacInput{KeyId: aws.String(s.keyID), MacAlgorithm: s.algorithm, Message: digest})
	if err != nil {
		return nil, fmt.Errorf("sign the results with KMS key %s: %w (the key must be enabled, and the credentials need kms:GenerateMac on it)", s.keyID, err)
	}
	keyID := aws.ToString(out.KeyId)
	if keyID == "" {
		keyID = s.keyID
	}
	return map[string]string{
		MetaMAC:       base64.StdEncoding.EncodeToString(out.Mac),
		MetaAlgorithm: string(s.algorithm),
		MetaKeyID:     keyID,
		MetaMessage:   MessageDigest,
	}, nil
}
