package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/miniotest"
)

// runtimeAPI stands in for the Lambda Runtime API: it hands out one
// event, then holds the next poll, and records what the function posts.
type runtimeAPI struct {
	srv       *httptest.Server
	event     []byte
	firstPoll chan time.Time
	response  chan []byte
	initError chan []byte
	polls     int
}

func newRuntimeAPI(t testing.TB, event []byte) *runtimeAPI {
	api := &runtimeAPI{event: event, firstPoll: make(chan time.Time, 1),
		response: make(chan []byte, 1), initError: make(chan []byte, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		api.polls++
		if api.polls == 1 {
			api.firstPoll <- time.Now()
		}
		if api.polls > 1 || api.event == nil {
			<-r.Context().Done() // no more events: the process is killed
			return
		}
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(time.Minute).UnixMilli()))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:trawl")
		w.Write(api.event)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/req-1/response", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		api.response <- b
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/req-1/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		api.response <- append([]byte("error: "), b...)
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		api.initError <- b
		w.WriteHeader(http.StatusAccepted)
	})
	api.srv = httptest.NewServer(mux)
	t.Cleanup(api.srv.Close)
	return api
}

func buildBootstrap(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build bootstrap: %v\n%s", err, out)
	}
	return bin
}

func startBootstrap(t testing.TB, bin string, api *runtimeAPI, env []string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(append(os.Environ(), env...), "AWS_LAMBDA_RUNTIME_API="+strings.TrimPrefix(api.srv.URL, "http://"),
		"AWS_LAMBDA_FUNCTION_NAME=trawl", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1769")
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// TestBootstrapServesAnEvent runs the built function the way Lambda's
// provided.al2023 runtime does: the process polls the Runtime API, gets
// an S3 event, scans the object in MinIO and posts its response.
func TestBootstrapServesAnEvent(t *testing.T) {
	srv := miniotest.Start(t)
	srv.Bucket(t, "landing")
	srv.Put(t, "landing", "hr/staff.csv", []byte("name,ssn\nJane Roe,123-45-6789\n"))
	event := []byte(`{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventName":"ObjectCreated:Put",
"s3":{"s3SchemaVersion":"1.0","bucket":{"name":"landing"},"object":{"key":"hr/staff.csv","size":31}}}]}`)
	api := newRuntimeAPI(t, event)
	startBootstrap(t, buildBootstrap(t), api, append(srv.Env(), "TRAWL_ENDPOINT_URL="+srv.Endpoint, "TRAWL_PATH_STYLE=true"))
	select {
	case b := <-api.response:
		var resp struct {
			Objects []struct{ Key, Status, FindingType string }
		}
		if err := json.Unmarshal(b, &resp); err != nil || len(resp.Objects) != 1 {
			t.Fatalf("response %s (%v)", b, err)
		}
		if o := resp.Objects[0]; o.Key != "hr/staff.csv" || o.Status != "COMPLETE" || o.FindingType != "SensitiveData:S3Object/Personal" {
			t.Errorf("object %+v", o)
		}
		if strings.Contains(string(b), "6789") {
			t.Error("the response holds the matched value")
		}
	case b := <-api.initError:
		t.Fatalf("init error: %s", b)
	case <-time.After(2 * time.Minute):
		t.Fatal("no response from the function") // a hang guard, not a timing
	}
}

// TestBootstrapInitError: a malformed setting fails the init, naming it.
func TestBootstrapInitError(t *testing.T) {
	api := newRuntimeAPI(t, nil)
	cmd := startBootstrap(t, buildBootstrap(t), api, []string{"TRAWL_WORKERS=many"})
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Fatalf("exit %v, want 2", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the function did not stop on a bad setting")
	}
}

// BenchmarkColdStart times a cold start as Lambda sees it: from exec of
// the bootstrap to its first poll for an event (identifiers compiled,
// clients made), with all managed identifiers.
func BenchmarkColdStart(b *testing.B) {
	bin := buildBootstrap(b)
	for _, managed := range []string{"recommended", "all"} {
		b.Run(managed, func(b *testing.B) {
			var total time.Duration
			for range b.N {
				api := newRuntimeAPI(b, nil)
				start := time.Now()
				cmd := exec.Command(bin)
				cmd.Env = append(os.Environ(), "AWS_LAMBDA_RUNTIME_API="+strings.TrimPrefix(api.srv.URL, "http://"),
					"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=y", "TRAWL_MANAGED_IDENTIFIERS="+managed)
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				select {
				case at := <-api.firstPoll:
					total += at.Sub(start)
				case <-time.After(time.Minute):
					b.Fatal("no poll")
				}
				cmd.Process.Kill()
				cmd.Wait()
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/cold-start")
		})
	}
}
