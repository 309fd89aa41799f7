package s3source

import (
	"errors"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/scanner"
)

// apiCode returns the S3 error code and HTTP status of err, where known.
func apiCode(err error) (code string, status int) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return code, status
}

// objectReason maps an error reading an object to Macie's reason, or ""
// when it is not a known per-object condition.
func objectReason(err error) findings.Reason {
	code, status := apiCode(err)
	msg := ""
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg = strings.ToLower(ae.ErrorMessage())
	}
	switch {
	case isKMSCode(code):
		// Before the statuses: a key KMS does not know comes as a 404
		// (MinIO's kms:KeyNotFound), which is no missing object.
		return findings.InvalidKMSKey
	case code == "PreconditionFailed" || status == http.StatusPreconditionFailed:
		return findings.ObjectVersionMismatch
	case code == "NoSuchBucket":
		return findings.NoSuchBucketAvailable
	case code == "NoSuchKey" || code == "NotFound" || status == http.StatusNotFound:
		return findings.SourceObjectNoLongerAvailable
	case code == "InvalidObjectState":
		return findings.InvalidObjectState
	case (status == http.StatusForbidden || status == http.StatusBadRequest) && strings.Contains(msg, "kms"):
		// S3 reports a key the caller may not use as AccessDenied naming
		// KMS.
		return findings.InvalidKMSKey
	case code == "AccessDenied" || status == http.StatusForbidden:
		return findings.PermissionDenied
	case isSSECError(code, status, msg):
		return findings.InvalidEncryption
	}
	return ""
}

// isKMSCode reports an error code that KMS passed through S3: AWS's
// "KMS.NotFoundException", "KMS.DisabledException"..., MinIO's
// "kms:KeyNotFound", "kms:InvalidCiphertextException"...
func isKMSCode(code string) bool {
	c := strings.ToLower(code)
	return strings.HasPrefix(c, "kms.") || strings.HasPrefix(c, "kms:") || c == "kmsaccessdenied"
}

// isSSECError reports the error S3 gives for an object encrypted with a
// customer key (SSE-C) read without that key, or with the wrong one.
func isSSECError(code string, status int, msg string) bool {
	if status != http.StatusBadRequest && status != http.StatusForbidden {
		return false
	}
	return code == "InvalidRequest" && (strings.Contains(msg, "encrypt") || strings.Contains(msg, "customer")) ||
		code == "InvalidArgument" && strings.Contains(msg, "encrypt") ||
		strings.Contains(code, "SSECustomerKey") || strings.Contains(code, "SSEEncryption") ||
		strings.Contains(msg, "customer key") || strings.Contains(msg, "ssecustomer")
}

// skip wraps err with its Macie reason for the scanner, if it has one.
func skip(err error) error {
	if reason := objectReason(err); reason != "" {
		return &scanner.ReasonError{Reason: reason, Err: err}
	}
	return err
}
