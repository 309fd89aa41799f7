package s3source

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/trawlsec/trawl/internal/fakests"
)

// TestAccountID asks a fake STS (the query protocol's POST /) for the
// caller's account, and gets an error, not a hang, from one that fails.
func TestAccountID(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	sts, calls := fakests.Start(t, "123456789012", "aws")
	got, err := AccountID(context.Background(), ClientOptions{Region: "eu-west-1", EndpointURL: sts.URL})
	if err != nil || got != "123456789012" {
		t.Errorf("account %q, err %v", got, err)
	}

	// A denial is not retried; a server error is, once (it only names a
	// folder, and must not hold up the scan).
	failed := 0
	denied := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		failed++
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>2</RequestId></ErrorResponse>`))
	}))
	defer denied.Close()
	if got, err := AccountID(context.Background(), ClientOptions{Region: "eu-west-1", EndpointURL: denied.URL}); err == nil || got != "" {
		t.Errorf("denied: account %q, err %v", got, err)
	}
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		failed++
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer broken.Close()
	if got, err := AccountID(context.Background(), ClientOptions{Region: "eu-west-1", EndpointURL: broken.URL}); err == nil || got != "" {
		t.Errorf("broken: account %q, err %v", got, err)
	}
	if calls.Load() != 1 || failed != 1+2 {
		t.Errorf("%d calls to STS, %d failed, want 1 and 3 (one denied, two attempts on a 500)", calls.Load(), failed)
	}
}
