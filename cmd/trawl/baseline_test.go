package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBaseline(t *testing.T) {
	dir, _ := storeFiles(t)
	tmp := t.TempDir()
	base := filepath.Join(tmp, "base.jsonl")
	first := trawl(t, nil, "scan", dir, "--no-store", "--format", "jsonl", "--baseline-write", base)
	if first.code != 1 {
		t.Fatalf("first scan: exit %d: %s", first.code, first.stderr)
	}
	written, _ := os.ReadFile(base)
	if got, want := ids(parseJSONL(t, strings.NewReader(string(written)))), ids(parseJSONL(t, strings.NewReader(first.stdout))); strings.Join(got, ",") != strings.Join(want, ",") || len(got) != 3 {
		t.Fatalf("baseline written %v, findings printed %v", got, want)
	}

	// The same files against their baseline: nothing new, exit 0.
	again := trawl(t, nil, "scan", dir, "--no-store", "--format", "jsonl", "--baseline", base)
	if again.code != 0 || strings.TrimSpace(again.stdout) != "" || !strings.Contains(again.stderr, "0 findings") {
		t.Errorf("rescan against the baseline: exit %d, stdout %q, stderr %q", again.code, again.stdout, again.stderr)
	}
	// A new file and a changed one are new findings; the rest are known.
	os.WriteFile(filepath.Join(dir, "new.txt"), []byte("SSN: 123-45-6789\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "real", "statement.txt"), []byte("Card number: 4539987216136598\n"), 0o644)
	jsonBase := filepath.Join(tmp, "base.json")
	os.WriteFile(jsonBase, []byte(trawl(t, nil, "scan", dir, "--no-store", "--format", "json").stdout), 0o644)
	third := trawl(t, nil, "scan", dir, "--no-store", "--format", "jsonl", "--baseline", base)
	fs := parseJSONL(t, strings.NewReader(third.stdout))
	var keys []string
	for _, f := range fs {
		keys = append(keys, f.ResourcesAffected.S3Object.Key)
	}
	if third.code != 1 || len(fs) != 2 || !strings.Contains(strings.Join(keys, ","), "new.txt") || !strings.Contains(strings.Join(keys, ","), "real/statement.txt") {
		t.Errorf("after changes: exit %d, new findings in %v; want new.txt and real/statement.txt", third.code, keys)
	}
	// A json array baseline of the current files: nothing new.
	if r := trawl(t, nil, "scan", dir, "--no-store", "--baseline", jsonBase); r.code != 0 {
		t.Errorf("json baseline: exit %d", r.code)
	}

	notFindings := filepath.Join(tmp, "bad.jsonl")
	os.WriteFile(notFindings, []byte("{\"x\":1}\n"), 0o644)
	for _, bad := range [][]string{
		{"scan", dir, "--baseline", filepath.Join(tmp, "missing.json")},
		{"scan", dir, "--baseline", notFindings},
		{"scan", dir, "--baseline", filepath.Join(dir, "clean.txt")},
		{"scan", dir, "--baseline-write", filepath.Join(tmp, "no", "such", "dir.jsonl")},
	} {
		if r := trawl(t, nil, bad...); r.code != 2 || !strings.Contains(r.stderr, "--baseline") {
			t.Errorf("%v: exit %d %q, want 2 naming the flag", bad, r.code, r.stderr)
		}
	}
}
