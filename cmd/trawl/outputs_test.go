package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputFormats: scan writes CSV, SARIF and ASFF, none with a value.
func TestOutputFormats(t *testing.T) {
	dir := t.TempDir()
	const ssn = "123-45-6789"
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("name\nssn: "+ssn+"\n"), 0o644)
	for _, format := range []string{"csv", "sarif", "asff"} {
		out := filepath.Join(t.TempDir(), "out."+format)
		r := trawl(t, nil, "scan", dir, "--format", format, "--output", out)
		if r.code != 1 {
			t.Fatalf("%s: exit %d: %s", format, r.code, r.stderr)
		}
		raw, _ := os.ReadFile(out)
		if strings.Contains(string(raw), ssn) {
			t.Errorf("%s: a value in the output", format)
		}
		switch format {
		case "csv":
			rows, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
			if err != nil || len(rows) != 2 || rows[1][2] != filepath.Join(dir, "a.txt") || rows[1][4] != "USA_SOCIAL_SECURITY_NUMBER" || rows[1][7] != "2" {
				t.Errorf("csv %v: %q", err, rows)
			}
		case "sarif":
			var v struct {
				Version string
				Runs    []struct{ Results []struct{ RuleID string } }
			}
			if err := json.Unmarshal(raw, &v); err != nil || v.Version != "2.1.0" || len(v.Runs[0].Results) != 1 || v.Runs[0].Results[0].RuleID != "USA_SOCIAL_SECURITY_NUMBER" {
				t.Errorf("sarif %v: %s", err, raw)
			}
		case "asff":
			var v struct {
				Findings []struct{ SchemaVersion string }
			}
			if err := json.Unmarshal(raw, &v); err != nil || len(v.Findings) != 1 || v.Findings[0].SchemaVersion != "2018-10-08" {
				t.Errorf("asff %v: %s", err, raw)
			}
		}
	}
	r := trawl(t, nil, "scan", dir, "--format", "xml")
	if r.code != 2 || !strings.Contains(r.stderr, "sarif") {
		t.Errorf("unknown format: exit %d, %q", r.code, r.stderr)
	}
}

// A local --results directory is named in findings by an absolute
// file:// URI that leads to the results file.
func TestLocalResultsLocation(t *testing.T) {
	dir := twoFindings(t)
	res := filepath.Join(t.TempDir(), "results")
	r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--results", res)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var f struct {
		ClassificationDetails struct {
			DetailedResultsLocation string `json:"detailedResultsLocation"`
			JobID                   string `json:"jobId"`
			JobArn                  string `json:"jobArn"`
		} `json:"classificationDetails"`
	}
	json.Unmarshal([]byte(strings.SplitN(r.stdout, "\n", 2)[0]), &f)
	cd := f.ClassificationDetails
	want := "file://" + filepath.ToSlash(filepath.Join(res, cd.JobID+".jsonl.gz"))
	if cd.DetailedResultsLocation != want || cd.JobArn != "arn:aws:macie2:::classification-job/"+cd.JobID {
		t.Errorf("location %q want %q, jobArn %q", cd.DetailedResultsLocation, want, cd.JobArn)
	}
	if _, err := os.Stat(strings.TrimPrefix(cd.DetailedResultsLocation, "file://")); err != nil {
		t.Error(err)
	}
}
