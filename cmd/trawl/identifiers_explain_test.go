package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIdentifiersExplain(t *testing.T) {
	r := trawl(t, nil, "identifiers", "explain", "usa_social_security_number")
	if r.code != 0 || !strings.Contains(r.stdout, "Trigger: digits: every match holds 9 or more digits") {
		t.Errorf("managed: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = trawl(t, nil, "identifiers", "explain", "FRANCE_BANK_ACCOUNT_NUMBER")
	if r.code != 0 || strings.Count(r.stdout, "Trigger: ") != 2 || !strings.Contains(r.stdout, "form 2:") {
		t.Errorf("two forms: exit %d, stdout %q", r.code, r.stdout)
	}

	custom := filepath.Join(t.TempDir(), "custom.yaml")
	if err := os.WriteFile(custom, []byte(`
- {name: Marker, regex: '(?i)(confidential|internal only)'}
- {name: Pair, regex: '(?i)[a-z]{3} [a-z]{4}'}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	r = trawl(t, nil, "identifiers", "explain", "Marker", "--custom-identifiers", custom)
	if r.code != 0 || !strings.Contains(r.stdout, `Trigger: anchor: every match contains one of "confidential", "internal only", in any case`) {
		t.Errorf("custom: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = trawl(t, nil, "identifiers", "explain", "Pair", "--custom-identifiers", custom)
	if r.code != 0 || !strings.Contains(r.stdout, "Trigger: class:") || !strings.Contains(r.stdout, "costs most") {
		t.Errorf("fallback: exit %d, stdout %q", r.code, r.stdout)
	}

	sample := filepath.Join(t.TempDir(), "sample.txt")
	if err := os.WriteFile(sample, []byte(strings.Repeat("This is confidential. Nothing else here.\n", 2000)), 0o644); err != nil {
		t.Fatal(err)
	}
	r = trawl(t, nil, "identifiers", "explain", "Marker", "--custom-identifiers", custom, "--measure", sample)
	if r.code != 0 || !strings.Contains(r.stdout, "  Cost: ") || !strings.Contains(r.stdout, "2000 detections") || strings.Contains(r.stdout, "This is") {
		t.Errorf("measure: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = trawl(t, nil, "identifiers", "explain", "Marker", "--custom-identifiers", custom, "--measure", filepath.Join(t.TempDir(), "missing.txt"))
	if r.code != 2 || !strings.Contains(r.stderr, "--measure") {
		t.Errorf("measure a missing file: exit %d, stderr %q", r.code, r.stderr)
	}

	r = trawl(t, nil, "identifiers", "explain", "NO_SUCH_ID")
	if r.code != 2 || !strings.Contains(r.stderr, "--custom-identifiers FILE") {
		t.Errorf("unknown: exit %d, stderr %q", r.code, r.stderr)
	}
}
