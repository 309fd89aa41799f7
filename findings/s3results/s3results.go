// Package s3results writes sensitive data discovery results to S3, like
// Macie's discovery results repository: one gzipped JSON Lines object per
// scan, in Macie's key layout, encrypted with SSE-KMS when a key is given
// and signed with a KMS HMAC key when one is given.
package s3results

import (
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/trawlsec/trawl/findings"
)

// Writer is a findings.Sink. Records are compressed into a temporary file
// (memory stays flat however many objects a scan has) and uploaded on
// Close: an object appears whole or not at all.
type Writer struct {
	ctx    context.Context
	client *s3.Client
	bucket string
	key    string
	kmsKey string
	run    findings.Run
	tmp    *os.File
	gz     *gzip.Writer
	enc    *json.Encoder
	digest hash.Hash // SHA-256 of the object's bytes, for the signer
	signer *Signer
}

// UnknownAccount stands in the results layout for an account that could
// not be learnt (an S3-compatible server, or no sts:GetCallerIdentity).
const UnknownAccount = "unknown"

// Key is where a run's results go, Macie's discovery results layout
// (MACIE.md §4, §5): prefix AWSLogs/<account>/Macie/<region>/<jobId>/
// <account>/<file>.jsonl.gz. A prefix that names a folder should end with
// "/". An empty account is UnknownAccount.
func Key(prefix, account, region, jobID, file string) string {
	if account == "" {
		account = UnknownAccount
	}
	return prefix + "AWSLogs/" + account + "/Macie/" + region + "/" + jobID + "/" + account + "/" + file + ".jsonl.gz"
}

// New returns a writer of the run's results to bucket under prefix, in
// Macie's layout (Key) for run.AccountID and run.Region. kmsKey, if set,
// is the KMS key (ID, ARN or alias) of its SSE-KMS encryption.
func New(ctx context.Context, c *s3.Client, bucket, prefix, kmsKey string, run findings.Run) (*Writer, error) {
	file, err := newFileID()
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	tmp, err := os.CreateTemp("", "trawl-results-*.jsonl.gz")
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	digest := sha256.New()
	gz := gzip.NewWriter(io.MultiWriter(tmp, digest))
	return &Writer{ctx: ctx, client: c, bucket: bucket, key: Key(prefix, run.AccountID, run.Region, run.JobID, file), kmsKey: kmsKey,
		run: run, tmp: tmp, gz: gz, enc: json.NewEncoder(gz), digest: digest}, nil
}

// newFileID names a results file as Macie does, with a random UUID.
func newFileID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// SignWith makes Close sign the object with s (Macie signs its results
// with a KMS HMAC key); a signature that cannot be made fails the write.
func (w *Writer) SignWith(s *Signer) { w.signer = s }

// Location is where the results go, as an s3:// URL.
func (w *Writer) Location() string { return "s3://" + w.bucket + "/" + w.key }

func (w *Writer) Put(r *findings.Result, _ *findings.Finding) error {
	for _, rec := range findings.Records(r, w.run) {
		if err := w.enc.Encode(&rec); err != nil {
			return err
		}
	}
	return nil
}

// Close uploads the results.
func (w *Writer) Close() error {
	defer os.Remove(w.tmp.Name())
	defer w.tmp.Close()
	if err := w.gz.Close(); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	if _, err := w.tmp.Seek(0, 0); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	in := &s3.PutObjectInput{
		Bucket: aws.String(w.bucket), Key: aws.String(w.key), Body: w.tmp,
		ContentType: aws.String("application/gzip"),
	}
	// Not the scan's context: results of an interrupted scan are still
	// written, as they are for local files.
	ctx := context.WithoutCancel(w.ctx)
	if w.signer != nil {
		meta, err := w.signer.metadata(ctx, w.digest.Sum(nil))
		if err != nil {
			return fmt.Errorf("results not written to %s: %w", w.Location(), err)
		}
		in.Metadata = meta
	}
	if w.kmsKey != "" {
		in.ServerSideEncryption = types.ServerSideEncryptionAwsKms
		in.SSEKMSKeyId = aws.String(w.kmsKey)
	}
	if _, err := w.client.PutObject(ctx, in); err != nil {
		return fmt.Errorf("write results to %s: %w (the credentials need s3:PutObject, and kms:GenerateDataKey with --results-kms-key)", w.Location(), err)
	}
	return nil
}
