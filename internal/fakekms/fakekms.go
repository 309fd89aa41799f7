// Package fakekms is a local stand-in for AWS KMS in tests: the two calls
// trawl makes for signing results (DescribeKey, GenerateMac), over the
// real wire protocol (JSON 1.1, SigV4), each request's signature checked
// against the test's credentials as KMS would.
package fakekms

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Server is a fake KMS holding one HMAC key.
type Server struct {
	URL       string
	AccessKey string // the credentials requests must be signed with
	SecretKey string
	Region    string
	KeyID     string // the key's ID; its ARN and alias/trawl-results name it too
	KeyArn    string
	// Secret is the key material the MACs are made with.
	Secret []byte

	mu       sync.Mutex
	keySpec  string            // HMAC_256 unless SetKeySpec
	fail     map[string]string // operation -> error type to answer
	messages [][]byte          // GenerateMac messages, in order
	errs     []string          // what was wrong with refused requests
}

// Start runs a fake KMS in region with an HMAC_256 key, for requests
// signed with the given credentials.
func Start(t testing.TB, accessKey, secretKey, region string) *Server {
	s := &Server{AccessKey: accessKey, SecretKey: secretKey, Region: region,
		KeyID: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", keySpec: "HMAC_256",
		Secret: []byte("fake kms hmac key material, tests only"), fail: map[string]string{}}
	s.KeyArn = "arn:aws:kms:" + region + ":123456789012:key/" + s.KeyID
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Fail makes an operation (DescribeKey, GenerateMac) answer with the KMS
// error errType (AccessDeniedException, NotFoundException...); "" undoes it.
func (s *Server) Fail(op, errType string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[op] = errType
}

// SetKeySpec changes the key's spec: HMAC_224, HMAC_256, HMAC_384,
// HMAC_512, or SYMMETRIC_DEFAULT (an encryption key, which makes no MACs).
func (s *Server) SetKeySpec(spec string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keySpec = spec
}

// Messages returns the messages GenerateMac was asked to sign.
func (s *Server) Messages() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.messages...)
}

// Refused returns why requests were refused (bad signature, bad payload).
func (s *Server) Refused() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.errs...)
}

// MAC is the MAC the key gives message with algorithm alg.
func (s *Server) MAC(alg string, message []byte) []byte {
	var h func() hash.Hash
	switch alg {
	case "HMAC_SHA_224":
		h = sha256.New224
	case "HMAC_SHA_256":
		h = sha256.New
	case "HMAC_SHA_384":
		h = sha512.New384
	case "HMAC_SHA_512":
		h = sha512.New
	default:
		return nil
	}
	m := hmac.New(h, s.Secret)
	m.Write(message)
	return m.Sum(nil)
}

// algorithms are the MAC algorithms of each HMAC key spec.
var algorithms = map[string]string{"HMAC_224": "HMAC_SHA_224", "HMAC_256": "HMAC_SHA_256", "HMAC_384": "HMAC_SHA_384", "HMAC_512": "HMAC_SHA_512"}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		s.refuse(w, "SerializationException", "read body: %v", err)
		return
	}
	if err := s.checkSignature(r, body); err != nil {
		s.refuse(w, "InvalidSignatureException", "%v", err)
		return
	}
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "TrentService.")
	if !ok || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
		s.refuse(w, "UnknownOperationException", "target %q, content type %q", r.Header.Get("X-Amz-Target"), r.Header.Get("Content-Type"))
		return
	}
	var in struct {
		KeyID        string `json:"KeyId"`
		MacAlgorithm string
		Message      []byte // base64 in JSON, as KMS's blobs
	}
	if err := json.Unmarshal(body, &in); err != nil {
		s.refuse(w, "SerializationException", "payload: %v", err)
		return
	}
	if in.KeyID != s.KeyID && in.KeyID != s.KeyArn && in.KeyID != "alias/trawl-results" {
		s.answerError(w, "NotFoundException", "key not found")
		return
	}
	s.mu.Lock()
	failWith, spec := s.fail[op], s.keySpec
	s.mu.Unlock()
	if failWith != "" {
		s.answerError(w, failWith, "refused by the test")
		return
	}
	alg, isHMAC := algorithms[spec]
	switch op {
	case "DescribeKey":
		meta := map[string]any{"KeyId": s.KeyID, "Arn": s.KeyArn, "KeySpec": spec, "KeyState": "Enabled", "Enabled": true}
		if isHMAC {
			meta["KeyUsage"], meta["MacAlgorithms"] = "GENERATE_VERIFY_MAC", []string{alg}
		} else {
			meta["KeyUsage"] = "ENCRYPT_DECRYPT"
		}
		answer(w, map[string]any{"KeyMetadata": meta})
	case "GenerateMac":
		switch {
		case !isHMAC:
			s.answerError(w, "InvalidKeyUsageException", "not an HMAC key")
		case in.MacAlgorithm != alg:
			s.answerError(w, "InvalidKeyUsageException", "algorithm not supported by the key")
		case len(in.Message) == 0 || len(in.Message) > 4096:
			s.refuse(w, "ValidationException", "message of %d bytes, KMS takes 1 to 4096", len(in.Message))
		default:
			s.mu.Lock()
			s.messages = append(s.messages, in.Message)
			s.mu.Unlock()
			answer(w, map[string]any{"KeyId": s.KeyArn, "MacAlgorithm": alg, "Mac": s.MAC(alg, in.Message)})
		}
	default:
		s.refuse(w, "UnknownOperationException", "operation %q", op)
	}
}

// checkSignature signs the request again with the expected credentials,
// region and service, and compares the signatures.
func (s *Server) checkSignature(r *http.Request, body []byte) error {
	auth := r.Header.Get("Authorization")
	scope := "/" + s.Region + "/kms/aws4_request"
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+s.AccessKey+"/") || !strings.Contains(auth, scope) {
		return fmt.Errorf("authorization %q lacks the credential scope %s", auth, scope)
	}
	_, signed, _ := strings.Cut(auth, "SignedHeaders=")
	signed, _, _ = strings.Cut(signed, ",")
	date, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("x-amz-date: %v", err)
	}
	again, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	for _, h := range strings.Split(signed, ";") {
		if h != "host" && h != "content-length" && h != "x-amz-date" {
			again.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: s.AccessKey, SecretAccessKey: s.SecretKey}
	if err := v4.NewSigner().SignHTTP(r.Context(), creds, again, hex.EncodeToString(sum[:]), "kms", s.Region, date); err != nil {
		return err
	}
	if again.Header.Get("Authorization") != auth {
		return fmt.Errorf("signature mismatch: got %q, want %q", auth, again.Header.Get("Authorization"))
	}
	return nil
}

func (s *Server) refuse(w http.ResponseWriter, errType, format string, args ...any) {
	s.mu.Lock()
	s.errs = append(s.errs, errType+": "+fmt.Sprintf(format, args...))
	s.mu.Unlock()
	s.answerError(w, errType, errType)
}

func (s *Server) answerError(w http.ResponseWriter, errType, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"__type": errType, "message": msg})
}

func answer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(v)
}
