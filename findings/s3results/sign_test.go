package s3results

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/internal/fakekms"
	"github.com/trawlsec/trawl/internal/miniotest"
)

func kmsClient(k *fakekms.Server, secret string) *kms.Client {
	return kms.New(kms.Options{Region: k.Region, BaseEndpoint: aws.String(k.URL), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(k.AccessKey, secret, "")})
}

// writeResults writes two records with a signer and returns the writer
// (its key) and what Close gave.
func writeResults(t *testing.T, c *s3.Client, s *Signer) (*Writer, error) {
	t.Helper()
	run := findings.Run{JobID: "job1", AccountID: "123456789012", Region: "us-east-1", CreatedAt: time.Unix(0, 0)}
	w, err := New(context.Background(), c, "results", "p/", "", run)
	if err != nil {
		t.Fatal(err)
	}
	w.SignWith(s)
	for _, key := range []string{"a.txt", "b.txt"} {
		r := &findings.Result{Object: findings.Object{Bucket: "data", Key: key}, Status: findings.Complete}
		if err := w.Put(r, nil); err != nil {
			t.Fatal(err)
		}
	}
	return w, w.Close()
}

// TestSignedResults writes results to MinIO signed through a fake KMS
// that checks each request's SigV4 signature: the object carries the MAC
// of the SHA-256 of its exact bytes, the algorithm and the key's ARN. A
// KMS error fails the write, and no unsigned object is left.
func TestSignedResults(t *testing.T) {
	srv := miniotest.Start(t)
	srv.Bucket(t, "results")
	k := fakekms.Start(t, "AKIDSIGNER", "signer-secret", "eu-west-1")
	ctx := context.Background()
	c := srv.Client()
	s, err := NewSigner(ctx, kmsClient(k, k.SecretKey), "alias/trawl-results")
	if err != nil {
		t.Fatal(err)
	}
	w, err := writeResults(t, c, s)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("results"), Key: aws.String(w.key)})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	digest := sha256.Sum256(body)
	msgs := k.Messages()
	if len(msgs) != 1 || !bytes.Equal(msgs[0], digest[:]) {
		t.Fatalf("KMS signed %d messages, want 1: the SHA-256 of the %d-byte object", len(msgs), len(body))
	}
	mac, _ := base64.StdEncoding.DecodeString(obj.Metadata[MetaMAC])
	if !bytes.Equal(mac, k.MAC("HMAC_SHA_256", digest[:])) || obj.Metadata[MetaAlgorithm] != "HMAC_SHA_256" ||
		obj.Metadata[MetaKeyID] != k.KeyArn || obj.Metadata[MetaMessage] != MessageDigest {
		t.Errorf("results metadata %v", obj.Metadata)
	}
	if refused := k.Refused(); len(refused) != 0 {
		t.Errorf("KMS refused requests: %v", refused)
	}

	// KMS refuses: Close fails, naming the key and the permission, and
	// the object is not written unsigned.
	k.Fail("GenerateMac", "AccessDeniedException")
	w, err = writeResults(t, c, s)
	if err == nil || !strings.Contains(err.Error(), "kms:GenerateMac") || !strings.Contains(err.Error(), "alias/trawl-results") {
		t.Errorf("KMS denied: err %v", err)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("results"), Key: aws.String(w.key)}); err == nil {
		t.Error("results written unsigned after a KMS error")
	}

	// Requests signed with the wrong secret are refused by the fake, as
	// by KMS: the check of the signature is real.
	k.Fail("GenerateMac", "")
	if _, err := NewSigner(ctx, kmsClient(k, "wrong-secret"), k.KeyID); err == nil || len(k.Refused()) != 1 {
		t.Errorf("wrong secret: err %v, refused %d", err, len(k.Refused()))
	}
}

// TestNewSigner: the algorithm follows the key's spec; a key that makes
// no MACs or does not exist fails before any scan; without
// kms:DescribeKey the signer falls back to HMAC_SHA_256.
func TestNewSigner(t *testing.T) {
	ctx := context.Background()
	k := fakekms.Start(t, "AKIDSIGNER", "signer-secret", "us-gov-west-1")
	c := kmsClient(k, k.SecretKey)
	k.SetKeySpec("HMAC_512")
	if s, err := NewSigner(ctx, c, k.KeyArn); err != nil || s.algorithm != "HMAC_SHA_512" {
		t.Errorf("HMAC_512 key: %v, %v", s, err)
	}
	k.SetKeySpec("SYMMETRIC_DEFAULT")
	if _, err := NewSigner(ctx, c, k.KeyArn); err == nil || !strings.Contains(err.Error(), "not an HMAC key") {
		t.Errorf("encryption key: %v", err)
	}
	if _, err := NewSigner(ctx, c, "alias/missing"); err == nil || !strings.Contains(err.Error(), "alias/missing") {
		t.Errorf("missing key: %v", err)
	}
	k.SetKeySpec("HMAC_256")
	k.Fail("DescribeKey", "AccessDeniedException")
	if s, err := NewSigner(ctx, c, k.KeyArn); err != nil || s.algorithm != "HMAC_SHA_256" {
		t.Errorf("no kms:DescribeKey: %v, %v", s, err)
	}
	if refused := k.Refused(); len(refused) != 0 {
		t.Errorf("KMS refused requests: %v", refused)
	}
}
