// Package fakests is a stand-in for AWS STS in tests: GetCallerIdentity
// over the query protocol (a signed POST), for the code that learns the
// caller's account. Nothing real can run STS here.
package fakests

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// Start serves GetCallerIdentity answering with account (its ARN in the
// given partition), and counts the calls; anything else, or a request not
// signed for sts, is a 400. The server stops with the test.
func Start(tb testing.TB, account, partition string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		r.ParseForm()
		if r.Method != http.MethodPost || r.Form.Get("Action") != "GetCallerIdentity" || !strings.Contains(r.Header.Get("Authorization"), "/sts/aws4_request") {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
			`<Arn>arn:` + partition + `:iam::` + account + `:user/scanner</Arn><UserId>AIDAEXAMPLE</UserId><Account>` + account + `</Account>` +
			`</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`))
	}))
	tb.Cleanup(srv.Close)
	return srv, &calls
}
