package main

import (
	"net"
	"strings"
	"testing"
)

// An endpoint where nothing listens fails the scan at once with exit 2
// and the cause, rather than after minutes of retries.
func TestS3EndpointRefusingConnectionsExits2(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	env := []string{"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test-secret", "AWS_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"}
	r := trawlEnv(t, env, "scan", "s3://bucket", "--endpoint-url", "http://"+addr, "--path-style")
	if r.code != 2 || !strings.Contains(r.stderr, "connection refused") || !strings.Contains(r.stderr, "--endpoint-url") {
		t.Errorf("exit %d, stderr %q: want 2 with the refused connection and the flag to check", r.code, r.stderr)
	}
}
