package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const plantedSSN = "ssn 123-45-6789\n"

// An --output or --results that is an input, however it is spelled, stops
// the scan with exit 2 before anything is written: the input is intact.
func TestOutputThatIsAnInputIsRefused(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "data.txt")
	if err := os.WriteFile(input, []byte(plantedSSN), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(input, filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(input, filepath.Join(dir, "hard.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(t.TempDir(), "alias")); err != nil {
		t.Fatal(err)
	}
	stdin := func() *os.File {
		f, err := os.Open(input)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	for _, tc := range []struct {
		name  string
		args  []string
		flag  string
		stdin bool
	}{
		{"standard input from the file", []string{"-", "--output", input}, "--output", true},
		{"same path", []string{input, "--output", input}, "--output", false},
		{"another spelling", []string{input, "--output", filepath.Join(dir, ".", "sub", "..", "data.txt")}, "--output", false},
		{"symbolic link", []string{input, "-o", filepath.Join(dir, "link.txt")}, "--output", false},
		{"hard link", []string{filepath.Join(dir, "hard.txt"), "--output", input}, "--output", false},
		{"second target", []string{t.TempDir(), input, "--output", input}, "--output", false},
		{"results in place of the target", []string{dir, "--results", dir}, "--results", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
			var in io.Reader
			if tc.stdin {
				in = stdin()
			}
			r := trawl(t, in, append([]string{"scan", "--format", "jsonl"}, tc.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.flag) || !strings.Contains(r.stderr, "target") {
				t.Errorf("exit %d, stderr %q: want 2 naming %s", r.code, r.stderr, tc.flag)
			}
			if got, _ := os.ReadFile(input); string(got) != plantedSSN {
				t.Errorf("the input was changed: %d bytes", len(got))
			}
			if files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl.gz")); len(files) != 0 {
				t.Errorf("results written: %v", files)
			}
		})
	}
}

// Writing to a device is no threat to an input read from it.
func TestOutputToADeviceIsAllowed(t *testing.T) {
	r := trawl(t, strings.NewReader(plantedSSN), "scan", "-", "--format", "jsonl", "--output", os.DevNull)
	if r.code != 1 {
		t.Errorf("exit %d, stderr %q: want 1 (findings)", r.code, r.stderr)
	}
}

// Output and results files inside a scanned tree are not scanned by the
// run that writes them, whatever path reaches them (here a link to the
// tree): they are known by device and inode.
func TestOwnOutputsInsideTheTreeAreNotScanned(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "data.txt"), []byte(plantedSSN), 0o644); err != nil {
		t.Fatal(err)
	}
	// A findings file from an earlier run, with a value a scan would find.
	if err := os.WriteFile(filepath.Join(dir, "findings.jsonl"), []byte(plantedSSN+plantedSSN), 0o644); err != nil {
		t.Fatal(err)
	}
	alias := filepath.Join(t.TempDir(), "alias")
	if err := os.Symlink(dir, alias); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, output, results string }{
		{"same spelling", filepath.Join(dir, "findings.jsonl"), filepath.Join(dir, "results")},
		{"through a link", filepath.Join(alias, "findings.jsonl"), filepath.Join(alias, "results")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.RemoveAll(filepath.Join(dir, "results"))
			r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--output", tc.output, "--results", tc.results, "--workers", "1")
			if r.code != 1 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			var keys []string
			for _, rec := range readResults(t, filepath.Join(dir, "results")) {
				keys = append(keys, rec.ResourcesAffected.S3Object.Key)
			}
			if len(keys) != 1 || keys[0] != "data.txt" {
				t.Errorf("objects scanned %v, want [data.txt] only", keys)
			}
		})
	}
}
