package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	ignore "github.com/sabhiram/go-gitignore"
)

func TestExcludePathAndTrawlignore(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"vendor/lib/x.txt", "src/a.txt", "src/vendor.txt", "logs/app.log", "b.bak", "keep/b.txt"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("SSN: 123-45-6789\n"), 0o644)
	}
	keys := func(r runResult) []string {
		var out []string
		for _, f := range parseJSONL(t, strings.NewReader(r.stdout)) {
			out = append(out, f.ResourcesAffected.S3Object.Key)
		}
		slices.Sort(out)
		return out
	}
	all := keys(trawl(t, nil, "scan", dir, "--no-store", "--format", "jsonl"))
	if len(all) != 6 {
		t.Fatalf("without exclusions: %v", all)
	}
	got := keys(trawl(t, nil, "scan", dir, "--no-store", "--format", "jsonl", "--exclude-path", "vendor/**", "--exclude-path", "**/*.bak"))
	if want := []string{"keep/b.txt", "logs/app.log", "src/a.txt", "src/vendor.txt"}; !slices.Equal(got, want) {
		t.Errorf("--exclude-path: %v, want %v", got, want)
	}
	os.WriteFile(filepath.Join(dir, ".trawlignore"), []byte("# logs are rotated away\nlogs/\n*.bak\n!keep/\n"), 0o644)
	got = keys(trawl(t, nil, "scan", dir, "--no-store", "--format", "jsonl", "--exclude-path", "vendor/**"))
	if want := []string{"keep/b.txt", "src/a.txt", "src/vendor.txt"}; !slices.Equal(got, want) {
		t.Errorf("with .trawlignore: %v, want %v", got, want)
	}
	r := trawl(t, nil, "scan", dir, "--no-store", "--exclude-path", "[")
	if r.code != 2 || !strings.Contains(r.stderr, "--exclude-path") {
		t.Errorf("bad glob: exit %d %q", r.code, r.stderr)
	}
}

func TestExcludedKeysAreRelativeToTheTarget(t *testing.T) {
	e := &excludingSource{prefix: "data/2024/", globs: []string{"tmp/**"}, ignore: ignore.CompileIgnoreLines("*.log")}
	for key, want := range map[string]bool{
		"data/2024/tmp/x.csv": true, "data/2024/a/b.log": true, "data/2024/keep.csv": false, "tmp/x.csv": true, "data/2024/a/tmp/x": false,
	} {
		if _, got := e.excluded(key); got != want {
			t.Errorf("excluded(%q) = %v, want %v", key, got, want)
		}
	}
}
