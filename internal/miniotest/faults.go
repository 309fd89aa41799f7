package miniotest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Fault is what the proxy does to one GET of an object.
type Fault struct {
	Status   int    // answer with this S3 error status instead (503 for SlowDown)
	Code     string // its S3 error code, e.g. SlowDown
	Message  string // its message (default "injected")
	CutAfter int64  // > 0: drop the connection after this many body bytes
	// StallAfter > 0: after this many body bytes, send nothing more until
	// the client gives up (a hung connection).
	StallAfter int64
	Delay      time.Duration // wait before forwarding
}

// Proxy is a fault-injecting reverse proxy in front of a Server. It keeps
// the client's Host header, so SigV4 signatures stay valid.
type Proxy struct {
	URL string
	// Fault decides the fate of the attempt-th GET (from 1) of key.
	Fault func(key string, attempt int) Fault
	// ModifyList rewrites ListObjectsV2 response bodies; ModifyHead the
	// headers of HeadObject answers (to pose as archive storage classes).
	ModifyList func([]byte) []byte
	ModifyHead func(key string, h http.Header)
	// Intercept may answer a request itself (returning true) instead of
	// passing it to MinIO.
	Intercept func(w http.ResponseWriter, r *http.Request) bool

	mu      sync.Mutex
	gets    map[string]int   // GET requests per key, faults included
	tagging map[string]int   // GetObjectTagging requests per key
	served  map[string]int64 // object body bytes sent per key
	dropped int
	stalled int
}

// NewProxy starts a proxy in front of s for the test.
func NewProxy(t testing.TB, s *Server) *Proxy {
	target, err := url.Parse(s.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{gets: map[string]int{}, tagging: map[string]int{}, served: map[string]int64{}}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host
		},
		ModifyResponse: p.modify,
		// Flush every write, so the bytes before a cut reach the client
		// and the drop happens mid-body, not before the answer.
		FlushInterval: -1,
		ErrorLog:      log.New(io.Discard, "", 0), // injected drops are expected
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.Intercept != nil && p.Intercept(w, r) {
			return
		}
		if key, ok := taggingKey(r); ok && r.Method == http.MethodGet {
			p.mu.Lock()
			p.tagging[key]++
			p.mu.Unlock()
		}
		if key, ok := objectKey(r); ok && r.Method == http.MethodGet {
			p.mu.Lock()
			p.gets[key]++
			n := p.gets[key]
			p.mu.Unlock()
			var f Fault
			if p.Fault != nil {
				f = p.Fault(key, n)
			}
			if f.Delay > 0 {
				time.Sleep(f.Delay)
			}
			if f.Status != 0 {
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(f.Status)
				if f.Message == "" {
					f.Message = "injected"
				}
				fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", f.Code, f.Message)
				return
			}
			r = r.WithContext(withCut(r.Context(), f.CutAfter, f.StallAfter))
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// objectKey returns the key of a path-style object request (not a bucket
// request such as ListObjectsV2, nor a tagging one).
func objectKey(r *http.Request) (string, bool) {
	key := pathKey(r)
	q := r.URL.Query()
	if key == "" || q.Has("tagging") || q.Has("uploads") || q.Has("uploadId") {
		return "", false
	}
	return key, true
}

// taggingKey returns the key of a path-style object tagging request.
func taggingKey(r *http.Request) (string, bool) {
	key := pathKey(r)
	if key == "" || !r.URL.Query().Has("tagging") {
		return "", false
	}
	return key, true
}

// pathKey is the object key in a path-style request's path: "" for a
// bucket request.
func pathKey(r *http.Request) string {
	_, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	return key
}

type cutKey struct{}

type cuts struct{ cut, stall int64 }

func withCut(ctx context.Context, cut, stall int64) context.Context {
	if cut <= 0 && stall <= 0 {
		return ctx
	}
	return context.WithValue(ctx, cutKey{}, cuts{cut, stall})
}

func (p *Proxy) modify(resp *http.Response) error {
	r := resp.Request
	key, isObject := objectKey(r)
	switch {
	case isObject && r.Method == http.MethodHead && p.ModifyHead != nil:
		p.ModifyHead(key, resp.Header)
	case !isObject && r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2" && p.ModifyList != nil:
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		body = p.ModifyList(body)
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", fmt.Sprint(len(body)))
	case isObject && r.Method == http.MethodGet && resp.StatusCode/100 == 2:
		c, _ := r.Context().Value(cutKey{}).(cuts)
		resp.Body = &countingBody{ReadCloser: resp.Body, p: p, key: key, cut: c.cut, stall: c.stall, ctx: r.Context()}
	}
	return nil
}

// countingBody counts the body bytes sent for a key and, when cut > 0,
// fails after that many, which makes the proxy drop the connection.
type countingBody struct {
	io.ReadCloser
	p     *Proxy
	key   string
	cut   int64
	stall int64
	ctx   context.Context // the request's: done when the client hangs up
	n     int64
}

func (b *countingBody) Read(q []byte) (int, error) {
	if b.stall > 0 && b.n >= b.stall {
		b.p.mu.Lock()
		b.p.stalled++
		b.p.mu.Unlock()
		<-b.ctx.Done()
		return 0, b.ctx.Err()
	}
	if b.stall > 0 && int64(len(q)) > b.stall-b.n {
		q = q[:b.stall-b.n]
	}
	if b.cut > 0 && b.n >= b.cut {
		b.p.mu.Lock()
		b.p.dropped++
		b.p.mu.Unlock()
		return 0, fmt.Errorf("injected connection drop")
	}
	if b.cut > 0 && int64(len(q)) > b.cut-b.n {
		q = q[:b.cut-b.n]
	}
	n, err := b.ReadCloser.Read(q)
	b.n += int64(n)
	b.p.mu.Lock()
	b.p.served[b.key] += int64(n)
	b.p.mu.Unlock()
	return n, err
}

// Gets returns how many GETs of key the proxy saw.
func (p *Proxy) Gets(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gets[key]
}

// Taggings returns how many GetObjectTagging requests of key the proxy saw.
func (p *Proxy) Taggings(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tagging[key]
}

// Served returns how many body bytes of key the proxy sent.
func (p *Proxy) Served(key string) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.served[key]
}

// Dropped returns how many connections the proxy dropped mid-body.
func (p *Proxy) Dropped() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dropped
}

// Stalled returns how many answers the proxy hung until the client left.
func (p *Proxy) Stalled() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stalled
}
