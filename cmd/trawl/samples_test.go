package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// samplesOf collects every detection's samples of jsonl findings.
func samplesOf(t *testing.T, jsonl string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		if line == "" {
			continue
		}
		var f struct {
			ClassificationDetails struct {
				Result struct {
					SensitiveData []struct {
						Detections []struct {
							Samples []string `json:"samples"`
						} `json:"detections"`
					} `json:"sensitiveData"`
				} `json:"result"`
			} `json:"classificationDetails"`
		}
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		for _, sd := range f.ClassificationDetails.Result.SensitiveData {
			for _, d := range sd.Detections {
				out = append(out, d.Samples...)
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestShowSamples(t *testing.T) {
	dir, values := storeFiles(t)
	tmp := t.TempDir()
	db := filepath.Join(tmp, "s.db")
	plain := trawl(t, nil, "scan", dir, "--format", "jsonl", "--no-store")
	if strings.Contains(plain.stdout, `"samples"`) {
		t.Error("samples without --show-samples")
	}

	results := filepath.Join(tmp, "results")
	os.Mkdir(results, 0o755)
	r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--show-samples", "--store", db, "--results", results)
	if r.code != 1 {
		t.Fatalf("scan: exit %d: %s", r.code, r.stderr)
	}
	got := samplesOf(t, r.stdout)
	want := []string{"**** **** **** 6598", "************9868", "***-**-6789"}
	if !slices.Equal(got, want) {
		t.Errorf("samples %q, want %q", got, want)
	}
	assertNoLeak(t, dir, r.stdout+r.stderr)

	// Not in the store, nor in discovery results.
	show := trawl(t, nil, "findings", "list", "--store", db, "--format", "json")
	if show.code != 0 || strings.Contains(show.stdout, "samples") || !strings.Contains(show.stdout, `"id"`) {
		t.Errorf("the store keeps samples without --store-samples (exit %d)", show.code)
	}
	raw, _ := os.ReadFile(db)
	for _, s := range want {
		if strings.Contains(string(raw), s) {
			t.Error("a sample is in the store's file")
		}
	}
	for _, rec := range readResultsRaw(t, results) {
		b, _ := json.Marshal(rec)
		if strings.Contains(string(b), "samples") {
			t.Error("a discovery result holds samples")
		}
	}

	// --store-samples keeps them, masked.
	db2 := filepath.Join(tmp, "s2.db")
	trawl(t, nil, "scan", dir, "--show-samples", "--store-samples", "--store", db2, "--format", "jsonl")
	kept := trawl(t, nil, "findings", "export", "--store", db2)
	if !slices.Equal(samplesOf(t, kept.stdout), want) {
		t.Errorf("--store-samples: %q", samplesOf(t, kept.stdout))
	}
	for _, v := range values {
		if strings.Contains(kept.stdout, v) {
			t.Error("the store holds a matched value")
		}
	}
	if r := trawl(t, nil, "scan", dir, "--store-samples", "--no-store"); r.code != 2 || !strings.Contains(r.stderr, "--show-samples") {
		t.Errorf("--store-samples alone: exit %d %q", r.code, r.stderr)
	}
}
