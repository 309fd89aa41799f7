package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gosarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// asffDocs are an ASFF file's findings by Id, as raw JSON.
func asffDocs(t *testing.T, raw string) map[string]json.RawMessage {
	t.Helper()
	var v struct{ Findings []json.RawMessage }
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("ASFF: %v\n%s", err, raw)
	}
	out := map[string]json.RawMessage{}
	for _, d := range v.Findings {
		var id struct{ Id string }
		json.Unmarshal(d, &id)
		out[id.Id] = d
	}
	return out
}

// sarifResults are a SARIF log's results as rule, level and fingerprint.
func sarifResults(t *testing.T, raw string) []string {
	t.Helper()
	var v struct {
		Version string
		Runs    []struct {
			Results []struct {
				RuleID              string
				Level               string
				PartialFingerprints map[string]string
			}
		}
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil || v.Version != "2.1.0" || len(v.Runs) != 1 {
		t.Fatalf("SARIF %v: %s", err, raw)
	}
	var out []string
	for _, r := range v.Runs[0].Results {
		out = append(out, r.RuleID+" "+r.Level+" "+r.PartialFingerprints["trawlFinding/v1"])
	}
	slices.Sort(out)
	return out
}

// csvRows are a CSV file's rows without the job ID column (a re-scan is
// another job), sorted, header first.
func csvRows(t *testing.T, raw string) []string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("CSV %v: %s", err, raw)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, strings.Join(slices.Delete(r, 1, 2), ","))
	}
	slices.Sort(out)
	return append([]string{strings.Join(rows[0], ",")}, out...)
}

// findings export writes ASFF, SARIF and CSV with scan's own writers: the
// same documents as the scan that recorded the findings.
func TestFindingsExportFormats(t *testing.T) {
	eachStore(t, func(t *testing.T, store string) {
		dir, values := storeFiles(t)
		scanned := map[string]string{}
		for i, format := range []string{"asff", "sarif", "csv"} {
			args := []string{"scan", dir, "--format", format}
			if i == 0 {
				args = append(args, "--store", store) // the others are other jobs: not recorded
			} else {
				args = append(args, "--no-store")
			}
			scanned[format] = mustRun(t, 1, args...).stdout
		}
		exported := map[string]string{}
		for _, format := range []string{"asff", "sarif", "csv"} {
			r := mustRun(t, 0, "findings", "export", "--format", format, "--store", store)
			exported[format] = r.stdout
			for _, v := range values {
				if strings.Contains(r.stdout, v) {
					t.Errorf("%s export holds a value", format)
				}
			}
		}
		want, got := asffDocs(t, scanned["asff"]), asffDocs(t, exported["asff"])
		if len(got) != 3 || len(got) != len(want) {
			t.Fatalf("%d ASFF findings exported, %d scanned", len(got), len(want))
		}
		for id, doc := range want {
			if string(got[id]) != string(doc) {
				t.Errorf("ASFF %s exported\n%s\nscanned\n%s", id, got[id], doc)
			}
		}
		if rep, err := gosarif.FromBytes([]byte(exported["sarif"])); err != nil {
			t.Errorf("exported SARIF: %v", err)
		} else if err := rep.Validate(); err != nil {
			t.Errorf("exported SARIF against the SARIF 2.1.0 schema: %v", err)
		}
		if a, b := sarifResults(t, scanned["sarif"]), sarifResults(t, exported["sarif"]); len(a) < 3 || !slices.Equal(a, b) {
			t.Errorf("SARIF results exported %q, scanned %q", b, a)
		}
		if a, b := csvRows(t, scanned["csv"]), csvRows(t, exported["csv"]); len(a) < 4 || !slices.Equal(a, b) {
			t.Errorf("CSV rows exported %q, scanned %q", b, a)
		}

		// The usual filters select; an archived finding is exported (as
		// export does by default) and says so in ASFF.
		ids := storedIDs(t, store)
		mustRun(t, 0, "findings", "archive", ids[0], "--store", store)
		docs := asffDocs(t, mustRun(t, 0, "findings", "export", "--format", "asff", "--store", store).stdout)
		archived := 0
		for _, d := range docs {
			var v struct{ RecordState string }
			json.Unmarshal(d, &v)
			if v.RecordState == "ARCHIVED" {
				archived++
			}
		}
		if len(docs) != 3 || archived != 1 {
			t.Errorf("%d exported, %d archived", len(docs), archived)
		}
		rows := csvRows(t, mustRun(t, 0, "findings", "export", "--format", "csv", "--store", store, "--archived").stdout)
		for _, r := range rows[1:] {
			if !strings.HasPrefix(r, ids[0]+",") {
				t.Errorf("--archived exported a row of another finding: %q", r)
			}
		}
		if len(rows) < 2 {
			t.Errorf("--archived exported no rows")
		}
		if r := trawl(t, nil, "findings", "export", "--format", "xml", "--store", store); r.code != 2 || !strings.Contains(r.stderr, "sarif") {
			t.Errorf("unknown format: exit %d, %q", r.code, r.stderr)
		}
		empty := filepath.Join(t.TempDir(), "empty.db")
		if r := mustRun(t, 0, "findings", "export", "--format", "csv", "--store", empty); !strings.HasPrefix(r.stdout, "finding_id,") || strings.Count(r.stdout, "\n") != 1 {
			t.Errorf("an empty store's CSV: %q", r.stdout)
		}
		os.Remove(empty)
	})
}
