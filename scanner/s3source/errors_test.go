package s3source

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/scanner"
)

// apiErr builds the error shape the SDK returns for an S3 error answer.
func apiErr(status int, code, msg string) error {
	return &smithy.OperationError{ServiceID: "S3", OperationName: "GetObject", Err: &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
			Err: &smithy.GenericAPIError{Code: code, Message: msg}},
	}}
}

func TestObjectReason(t *testing.T) {
	cases := []struct {
		err  error
		want findings.Reason
	}{
		{apiErr(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold"), findings.ObjectVersionMismatch},
		{apiErr(404, "NoSuchKey", "The specified key does not exist."), findings.SourceObjectNoLongerAvailable},
		{apiErr(404, "NoSuchBucket", "The specified bucket does not exist"), findings.NoSuchBucketAvailable},
		{apiErr(403, "InvalidObjectState", "The operation is not valid for the object's storage class"), findings.InvalidObjectState},
		{apiErr(403, "AccessDenied", "Access Denied"), findings.PermissionDenied},
		{apiErr(403, "AccessDenied", "User is not authorized to perform: kms:Decrypt"), findings.InvalidKMSKey},
		{apiErr(400, "KMS.DisabledException", "key disabled"), findings.InvalidKMSKey},
		{apiErr(400, "KMS.NotFoundException", "Invalid keyId"), findings.InvalidKMSKey},
		// MinIO's answers, as TestMinIOKMSKeyUnavailable meets them.
		{apiErr(404, "kms:KeyNotFound", "key with given key ID does not exist"), findings.InvalidKMSKey},
		{apiErr(400, "kms:InvalidCiphertextException", "failed to decrypt ciphertext"), findings.InvalidKMSKey},
		{apiErr(400, "InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object."), findings.InvalidEncryption},
		{apiErr(403, "Forbidden", ""), findings.PermissionDenied},
		{apiErr(400, "InvalidArgument", "Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key."), findings.InvalidEncryption},
		{apiErr(500, "InternalError", "We encountered an internal error"), ""},
		{errors.New("connection reset by peer"), ""},
	}
	for _, c := range cases {
		if got := objectReason(c.err); got != c.want {
			t.Errorf("objectReason(%v) = %q, want %q", c.err, got, c.want)
		}
	}
	var re *scanner.ReasonError
	if err := skip(fmt.Errorf("get: %w", apiErr(412, "PreconditionFailed", ""))); !errors.As(err, &re) || re.Reason != findings.ObjectVersionMismatch {
		t.Errorf("skip did not carry the reason: %v", err)
	}
	if err := skip(errors.New("other")); errors.As(err, &re) {
		t.Error("skip gave a reason to an unknown error")
	}
}

func TestClientSideEncrypted(t *testing.T) {
	for _, k := range []string{"x-amz-key", "X-Amz-Key-V2", "x-amz-cek-alg"} {
		if clientSideEncrypted(map[string]string{k: "v"}) == "" {
			t.Errorf("%s not seen as client-side encryption", k)
		}
	}
	if clientSideEncrypted(map[string]string{"owner": "x"}) != "" || clientSideEncrypted(nil) != "" {
		t.Error("plain metadata seen as client-side encryption")
	}
}
