package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigFileAndEnvironment(t *testing.T) {
	dir, _ := storeFiles(t)
	tmp := t.TempDir()
	conf := filepath.Join(tmp, "trawl.yaml")
	// The file: an exit code for findings, jsonl, and scan's own section
	// leaving out the fixtures directory.
	os.WriteFile(conf, []byte("exit-code: 7\nno-store: true\nscan:\n  format: jsonl\n  exclude-path: ['fixtures/**', '*.none']\n"), 0o644)

	r := trawl(t, nil, "scan", dir, "--config", conf)
	fs := parseJSONL(t, strings.NewReader(r.stdout))
	if r.code != 7 || len(fs) != 2 {
		t.Fatalf("with the config file: exit %d, %d findings; want 7 and 2 (fixtures left out): %s", r.code, len(fs), r.stderr)
	}
	// A variable wins over the file, a flag over both.
	if r := trawlEnv(t, []string{"TRAWL_EXIT_CODE=5"}, "scan", dir, "--config", conf); r.code != 5 {
		t.Errorf("TRAWL_EXIT_CODE over the file: exit %d, want 5", r.code)
	}
	if r := trawlEnv(t, []string{"TRAWL_EXIT_CODE=5"}, "scan", dir, "--config", conf, "--exit-code", "3"); r.code != 3 {
		t.Errorf("--exit-code over TRAWL_EXIT_CODE: exit %d, want 3", r.code)
	}
	// TRAWL_CONFIG names the file; list flags take commas from variables.
	r = trawlEnv(t, []string{"TRAWL_CONFIG=" + conf, "TRAWL_EXCLUDE_PATH=real/**"}, "scan", dir)
	if fs := parseJSONL(t, strings.NewReader(r.stdout)); r.code != 7 || len(fs) != 2 {
		t.Errorf("TRAWL_CONFIG with TRAWL_EXCLUDE_PATH: exit %d, %d findings; want 7 and 2", r.code, len(fs))
	}
	if r := trawlEnv(t, []string{"TRAWL_NO_STORE=true", "TRAWL_FORMAT=json"}, "scan", dir); !strings.HasPrefix(strings.TrimSpace(r.stdout), "[") {
		t.Errorf("TRAWL_FORMAT=json: %q", r.stdout)
	}

	for name, body := range map[string]string{
		"unknown flag": "colour: blue\n",
		"bad value":    "workers: many\n",
		"not yaml":     "scan: [unclosed\n",
		"map value":    "scan:\n  workers: {a: 1}\n",
		"bad section":  "nonsense:\n  workers: 2\n",
	} {
		bad := filepath.Join(tmp, "bad.yaml")
		os.WriteFile(bad, []byte(body), 0o644)
		if r := trawl(t, nil, "scan", dir, "--config", bad); r.code != 2 || !strings.Contains(r.stderr, "bad.yaml") {
			t.Errorf("%s: exit %d %q, want 2 naming the file", name, r.code, r.stderr)
		}
	}
	if r := trawlEnv(t, []string{"TRAWL_WORKERS=many"}, "scan", dir, "--no-store"); r.code != 2 || !strings.Contains(r.stderr, "TRAWL_WORKERS") {
		t.Errorf("TRAWL_WORKERS=many: exit %d %q, want 2 naming the variable", r.code, r.stderr)
	}
	if r := trawl(t, nil, "scan", dir, "--config", filepath.Join(tmp, "missing.yaml")); r.code != 2 {
		t.Errorf("missing config: exit %d", r.code)
	}
}

func TestVersionAndShortFlags(t *testing.T) {
	r := trawl(t, nil, "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "trawl version ") || len(strings.TrimSpace(r.stdout)) <= len("trawl version") {
		t.Errorf("--version: exit %d %q", r.code, r.stdout)
	}
	// -v is --verbose, never --version.
	if r := trawl(t, nil, "-v"); r.code != 2 || strings.Contains(r.stdout, "version") {
		t.Errorf("trawl -v: exit %d %q, want 2 (no such flag)", r.code, r.stdout)
	}
	dir, _ := storeFiles(t)
	if r := trawl(t, nil, "scan", filepath.Join(dir, "clean.txt"), "-v", "--no-store"); r.code != 0 || !strings.Contains(r.stderr, "scanned 1 object,") || !strings.Contains(r.stderr, "0 findings") {
		t.Errorf("scan -v of one clean file: exit %d %q", r.code, r.stderr)
	}
}
