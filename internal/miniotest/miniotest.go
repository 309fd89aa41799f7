// Package miniotest starts a real MinIO server for tests: the project's
// pinned release, installed by `make test` into .tools/minio, on 127.0.0.1
// with a random port, a temporary data directory and random credentials.
package miniotest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Server is a running MinIO.
type Server struct {
	Endpoint  string // http://127.0.0.1:PORT
	AccessKey string
	SecretKey string
	Region    string
	// HTTPClient trusts the server's certificate (StartTLS); nil for
	// plain HTTP.
	HTTPClient *http.Client
	// CertFile is the server's certificate (StartTLS), for a client
	// process to trust through AWS_CA_BUNDLE.
	CertFile string

	// DataDir is the server's data directory, and KMSKey its
	// MINIO_KMS_SECRET_KEY ("name:base64 key"), for StartWith to start a
	// server again on the same data.
	DataDir string
	KMSKey  string

	pid  int
	stop func()
}

// Options change how StartWith starts a server.
type Options struct {
	DataDir string // "": a new temporary directory
	// KMSKey is MINIO_KMS_SECRET_KEY; "": a random key named trawl-key.
	KMSKey    string
	AccessKey string // "": random root credentials
	SecretKey string
	Region    string // "": us-east-1
	useTLS    bool
}

// CPUTime is the processor time the server has used so far (Linux), for
// benchmarks to tell the server's share of a run from the scanner's.
func (s *Server) CPUTime() time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces, in parens):
	// utime and stime are the 14th and 15th, in clock ticks (100 Hz).
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	var ut, st int64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// Binary returns the path of the MinIO binary: $TRAWL_MINIO, or
// .tools/minio at the module root.
func Binary() (string, error) {
	if p := os.Getenv("TRAWL_MINIO"); p != "" {
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".tools", "minio"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("module root (go.mod) not found")
		}
		dir = parent
	}
}

// Start runs a MinIO server for the test and stops it when the test ends.
// Without the binary the test fails, telling how to install it, except
// with -short, where it is skipped.
func Start(t testing.TB) *Server {
	t.Helper()
	return startServer(t, Options{})
}

// StartWith is Start with options, for instance to start a server again
// on another's data (after its Stop) with another KMS key.
func StartWith(t testing.TB, o Options) *Server {
	t.Helper()
	return startServer(t, o)
}

// Stop stops the server before the test ends.
func (s *Server) Stop() { s.stop() }

// StartTLS is Start with HTTPS and a self-signed certificate for
// 127.0.0.1: MinIO accepts customer keys (SSE-C) only over TLS.
func StartTLS(t testing.TB) *Server {
	t.Helper()
	return startServer(t, Options{useTLS: true})
}

func startServer(t testing.TB, o Options) *Server {
	t.Helper()
	bin, err := Binary()
	if err == nil {
		_, err = os.Stat(bin)
	}
	if err != nil {
		if testing.Short() {
			t.Skipf("MinIO not installed (%v); run make test to install it", err)
		}
		t.Fatalf("MinIO not installed (%v): run `make test`, which installs the pinned MinIO into .tools/minio", err)
	}
	var lastErr error
	for range 3 { // a port picked free may be taken before MinIO binds it
		s, err := start(t, bin, o)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("start MinIO: %v", lastErr)
	return nil
}

func start(t testing.TB, bin string, o Options) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	console, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{
		Endpoint:  fmt.Sprintf("http://127.0.0.1:%d", port),
		AccessKey: o.AccessKey,
		SecretKey: o.SecretKey,
		Region:    "us-east-1",
		DataDir:   o.DataDir,
		KMSKey:    o.KMSKey,
	}
	if o.Region != "" {
		s.Region = o.Region
	}
	if s.AccessKey == "" {
		s.AccessKey, s.SecretKey = "trawl"+randomHex(6), randomHex(20)
	}
	if s.DataDir == "" {
		s.DataDir = t.TempDir()
	}
	if s.KMSKey == "" {
		kmsKey := make([]byte, 32)
		rand.Read(kmsKey)
		s.KMSKey = "trawl-key:" + base64.StdEncoding.EncodeToString(kmsKey)
	}
	args := []string{"server", "--quiet",
		"--address", fmt.Sprintf("127.0.0.1:%d", port),
		"--console-address", fmt.Sprintf("127.0.0.1:%d", console)}
	health := http.DefaultClient
	if o.useTLS {
		certs := t.TempDir()
		pool, err := selfSigned(certs)
		if err != nil {
			return nil, err
		}
		s.Endpoint = strings.Replace(s.Endpoint, "http://", "https://", 1)
		s.HTTPClient = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		health = s.HTTPClient
		args = append(args, "--certs-dir", certs)
		s.CertFile = filepath.Join(certs, "public.crt")
	}
	args = append(args, s.DataDir)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+s.AccessKey,
		"MINIO_ROOT_PASSWORD="+s.SecretKey,
		"MINIO_KMS_SECRET_KEY="+s.KMSKey,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
		"MINIO_REGION="+s.Region,
	)
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, err
	}
	s.pid = cmd.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); <-exited }) }
	s.stop = stop
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := health.Get(s.Endpoint + "/minio/health/live")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-exited:
			cancel()
			return nil, fmt.Errorf("minio exited: %v: %s", err, tail(logs.String()))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("minio not ready after 30 s: %s", tail(logs.String()))
		}
	}
	t.Cleanup(stop)
	return s, nil
}

// Client returns an S3 client for the server with root credentials.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		HTTPClient:                 s.httpClient(),
		Region:                     s.Region,
		BaseEndpoint:               aws.String(s.Endpoint),
		UsePathStyle:               true,
		Credentials:                credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
}

// httpClient is nil (the SDK's own) for plain HTTP.
func (s *Server) httpClient() s3.HTTPClient {
	if s.HTTPClient == nil {
		return nil
	}
	return s.HTTPClient
}

// Env returns the environment a trawl process needs to reach the server
// with the default credential chain.
func (s *Server) Env() []string {
	env := []string{
		"AWS_ACCESS_KEY_ID=" + s.AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + s.SecretKey,
		"AWS_REGION=" + s.Region,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	}
	if s.CertFile != "" {
		env = append(env, "AWS_CA_BUNDLE="+s.CertFile)
	}
	return env
}

// Bucket creates a bucket and returns its name.
func (s *Server) Bucket(t testing.TB, name string) string {
	t.Helper()
	_, err := s.Client().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)})
	if err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	return name
}

// Put writes an object.
func (s *Server) Put(t testing.TB, bucket, key string, body []byte, opts ...func(*s3.PutObjectInput)) {
	t.Helper()
	in := &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)}
	for _, o := range opts {
		o(in)
	}
	if _, err := s.Client().PutObject(context.Background(), in); err != nil {
		t.Fatalf("put %s/%s: %v", bucket, key, err)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}
