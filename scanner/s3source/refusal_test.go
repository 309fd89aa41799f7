package s3source

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/internal/miniotest"
)

// syncBuffer is a log destination the scan's goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func debugLog(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// A listing whose server refuses connections (down, or a wrong endpoint)
// fails after maxRefusals attempts with the cause, instead of retrying
// as a throttled request is; each retry is logged at debug level.
func TestMinIOListingFailsFastOnRefusals(t *testing.T) {
	srv := miniotest.Start(t)
	b := srv.Bucket(t, "refused")
	srv.Put(t, b, "a.txt", []byte(ssnLine(1)))
	// Every connection attempt counted: one per request attempt.
	var dials atomic.Int32
	c := s3.New(clientFor(t, srv, srv.Endpoint).Options(), func(o *s3.Options) {
		o.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}}}
	})
	srv.Stop()

	var log syncBuffer
	src := &Source{Client: c, Bucket: b, Log: debugLog(&log)}
	err := testScanner(t, 1).Run(context.Background(), src, func(*findings.Result) error { return nil })
	if err == nil || !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("scan error %v, want the refused connection", err)
	}
	if n := strings.Count(log.String(), "retrying S3 request"); n != maxRefusals-1 {
		t.Errorf("%d retries logged, want %d (then the failure):\n%s", n, maxRefusals-1, log.String())
	}
	if n := dials.Swap(0); n != maxRefusals {
		t.Errorf("listing: %d connection attempts, want %d", n, maxRefusals)
	}

	// At start, a bucket whose server refuses is an error as soon: no
	// region lookup behind it.
	if _, err := ForBucket(context.Background(), c, b, false); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("ForBucket: %v, want the refused connection", err)
	}
	if n := dials.Load(); n != maxRefusals {
		t.Errorf("ForBucket: %d connection attempts, want %d", n, maxRefusals)
	}
}

// Throttling is not a refusal: a listing throttled more times than
// maxRefusals still completes, its retries logged.
func TestMinIOListingThrottledIsRetried(t *testing.T) {
	srv := miniotest.Start(t)
	b := srv.Bucket(t, "throttled")
	srv.Put(t, b, "a.txt", []byte(ssnLine(1)))
	proxy := miniotest.NewProxy(t, srv)
	var mu sync.Mutex
	lists := 0
	proxy.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Query().Get("list-type") != "2" {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		lists++
		if lists > maxRefusals+2 {
			return false
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>injected</Message></Error>`)
		return true
	}
	var log syncBuffer
	src := &Source{Client: clientFor(t, srv, proxy.URL), Bucket: b, Log: debugLog(&log)}
	got, _ := scanAll(t, testScanner(t, 1), src)
	if r := got["a.txt"]; status(r) != "COMPLETE " {
		t.Errorf("a.txt: %s", status(r))
	}
	if n := strings.Count(log.String(), "retrying S3 request"); n != maxRefusals+2 {
		t.Errorf("%d retries logged, want %d", n, maxRefusals+2)
	}
}

// A read that goes idle is dropped, resumed, and logged at debug level
// with the key and where it stopped.
func TestMinIOIdleReadIsLogged(t *testing.T) {
	srv := miniotest.Start(t)
	b := srv.Bucket(t, "idle")
	srv.Put(t, b, "small.txt", []byte(strings.Repeat(ssnLine(1), 200)))
	proxy := miniotest.NewProxy(t, srv)
	proxy.Fault = func(key string, attempt int) miniotest.Fault {
		if attempt == 1 {
			return miniotest.Fault{StallAfter: 1000}
		}
		return miniotest.Fault{}
	}
	var log syncBuffer
	src := &Source{Client: clientFor(t, srv, proxy.URL), Bucket: b, IdleTimeout: 200 * time.Millisecond, Log: debugLog(&log)}
	got, _ := scanAll(t, testScanner(t, 1), src)
	if r := got["small.txt"]; status(r) != "COMPLETE " || count(r, "USA_SOCIAL_SECURITY_NUMBER") != 200 {
		t.Errorf("small.txt: %s", status(r))
	}
	out := log.String()
	if !strings.Contains(out, "S3 read idle, resuming") || !strings.Contains(out, "key=small.txt") || !strings.Contains(out, "byte=1000") {
		t.Errorf("no idle read logged:\n%s", out)
	}
	if strings.Contains(out, "234-56-") {
		t.Error("a value in the log")
	}
}
