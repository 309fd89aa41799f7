package s3results

import (
	"context"
	"os"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trawlsec/trawl/findings"
)

func TestKey(t *testing.T) {
	for _, tc := range []struct{ prefix, account, want string }{
		{"", "123456789012", "AWSLogs/123456789012/Macie/eu-west-1/job1/123456789012/f.jsonl.gz"},
		{"trawl/", "123456789012", "trawl/AWSLogs/123456789012/Macie/eu-west-1/job1/123456789012/f.jsonl.gz"},
		{"a/b/", "", "a/b/AWSLogs/unknown/Macie/eu-west-1/job1/unknown/f.jsonl.gz"},
	} {
		if got := Key(tc.prefix, tc.account, "eu-west-1", "job1", "f"); got != tc.want {
			t.Errorf("Key(%q, %q) = %q, want %q", tc.prefix, tc.account, got, tc.want)
		}
	}
}

// TestNewNamesFilesApart: two writers of one run never overwrite each
// other's results, since each file has its own UUID.
func TestNewNamesFilesApart(t *testing.T) {
	run := findings.Run{JobID: "0123456789abcdef0123456789abcdef", AccountID: "123456789012", Region: "us-east-1"}
	layout := regexp.MustCompile(`^p/AWSLogs/123456789012/Macie/us-east-1/0123456789abcdef0123456789abcdef/123456789012/` +
		`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.jsonl\.gz$`)
	seen := map[string]bool{}
	for range 2 {
		w, err := New(context.Background(), s3.New(s3.Options{}), "b", "p/", "", run)
		if err != nil {
			t.Fatal(err)
		}
		if !layout.MatchString(w.key) || seen[w.key] {
			t.Errorf("key %q", w.key)
		}
		seen[w.key] = true
		w.gz.Close()
		w.tmp.Close()
		os.Remove(w.tmp.Name())
	}
}
