package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestLocalScope: the scope flags choose local files as they choose S3
// objects.
func TestLocalScope(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "tmp"), 0o755)
	for name, body := range map[string]string{"a.csv": "ssn 123-45-6789\n", "b.txt": "ssn 123-45-6789\n",
		"tmp/c.csv": "ssn 123-45-6789\n", "d.csv": strings.Repeat("x", 5000) + "\n"} {
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	os.Chtimes(filepath.Join(dir, "b.txt"), old, old)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "a.csv b.txt d.csv tmp/c.csv"},
		{[]string{"--include-ext", "csv"}, "a.csv d.csv tmp/c.csv"},
		{[]string{"--exclude-ext", "csv"}, "b.txt"},
		{[]string{"--include-prefix", "tmp/"}, "tmp/c.csv"},
		{[]string{"--exclude-prefix", "tmp/"}, "a.csv b.txt d.csv"},
		{[]string{"--max-size", "1KB"}, "a.csv b.txt tmp/c.csv"},
		{[]string{"--min-size", "1KB"}, "d.csv"},
		{[]string{"--modified-before", "2021-01-01"}, "b.txt"},
		{[]string{"--modified-after", "2021-01-01"}, "a.csv d.csv tmp/c.csv"},
		{[]string{"--max-objects", "2"}, "a.csv b.txt"},
	} {
		results := t.TempDir()
		r := trawl(t, nil, append([]string{"scan", dir, "--format", "jsonl", "--results", results}, c.args...)...)
		if r.code != 0 && r.code != 1 {
			t.Fatalf("%v: exit %d: %s", c.args, r.code, r.stderr)
		}
		var keys []string
		for _, rec := range readResults(t, results) {
			keys = append(keys, rec.ResourcesAffected.S3Object.Key)
		}
		slices.Sort(keys)
		if got := strings.Join(keys, " "); got != c.want {
			t.Errorf("%v: scanned %s, want %s", c.args, got, c.want)
		}
	}
	r := trawl(t, nil, "scan", dir, "--tag", "env=prod")
	if r.code != 2 || !strings.Contains(r.stderr, "--tag") {
		t.Errorf("--tag on a directory: exit %d, %q", r.code, r.stderr)
	}
}
