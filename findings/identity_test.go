package findings

import (
	"testing"
	"time"

	"github.com/trawlsec/trawl/identifiers"
)

func TestFindingIDIsStableAcrossRuns(t *testing.T) {
	base := func() *Result {
		r := resultWith(map[*identifiers.Identifier]int{card: 2, phone: 1})
		r.Object.SHA256 = "aa"
		return r
	}
	a := Build(base(), run)
	other := run
	other.JobID = "ffffffffffffffffffffffffffffffff"
	other.CreatedAt = run.CreatedAt.Add(48 * time.Hour)
	b := Build(base(), other)
	if a.ID != b.ID || len(a.ID) != 32 {
		t.Fatalf("same object in two runs: ids %s and %s", a.ID, b.ID)
	}

	changes := map[string]func(r *Result){
		"content":   func(r *Result) { r.Object.SHA256 = "bb" },
		"etag":      func(r *Result) { r.Object.ETag = `"e1"` },
		"version":   func(r *Result) { r.Object.VersionID = "v2" },
		"key":       func(r *Result) { r.Object.Key = "dir/other.txt" },
		"bucket":    func(r *Result) { r.Object.Bucket = "b" },
		"count":     func(r *Result) { r.Types[0].Count++ },
		"type list": func(r *Result) { r.Types = r.Types[:1] },
	}
	seen := map[string]string{a.ID: "base"}
	for name, change := range changes {
		r := base()
		change(r)
		id := Build(r, run).ID
		if prev, ok := seen[id]; ok {
			t.Errorf("%s: same ID as %s", name, prev)
		}
		seen[id] = name
	}
	acct := run
	acct.AccountID = "111122223333"
	if Build(base(), acct).ID == a.ID {
		t.Error("another account: same ID")
	}
}

// An ETag or version wins over the content hash: S3 objects are never
// hashed, and a local hash must not split one S3 object's identity.
func TestFindingIDPrefersVersionThenETag(t *testing.T) {
	mk := func(etag, version, sum string) string {
		r := resultWith(map[*identifiers.Identifier]int{card: 1})
		r.Object.Bucket, r.Object.ETag, r.Object.VersionID, r.Object.SHA256 = "b", etag, version, sum
		return Build(r, run).ID
	}
	if mk("e", "v", "") != mk("x", "v", "s") {
		t.Error("version ID given: ETag and hash should not count")
	}
	if mk("e", "", "") != mk("e", "", "s") {
		t.Error("ETag given: hash should not count")
	}
}
