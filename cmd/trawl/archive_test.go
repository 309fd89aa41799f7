package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestArchivesEndToEnd scans archives made by zip, tar and 7z the way a
// user does, and reads where each value is from the output alone.
func TestArchivesEndToEnd(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"outer.zip", "tar.tar.gz", "7z-lzma2.7z", "chain-12.zip", "password.zip"} {
		copyFixture(t, filepath.Join("archives", name), filepath.Join(dir, name))
	}
	res := t.TempDir()
	r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--results", res)
	if r.code != 1 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	// The planted value never leaves trawl.
	if strings.Contains(r.stdout, "123-45-6789") || strings.Contains(r.stderr, "123-45-6789") {
		t.Fatal("output contains a planted value")
	}

	// Findings: one per archive with values, each location naming its member.
	paths := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var f struct {
			ResourcesAffected     struct{ S3Object struct{ Key string } } `json:"resourcesAffected"`
			ClassificationDetails struct {
				Result struct {
					SensitiveData []struct {
						Detections []struct {
							Occurrences struct {
								Cells      []struct{ FilePath string } `json:"cells"`
								LineRanges []struct{ FilePath string } `json:"lineRanges"`
								Records    []struct{ FilePath string } `json:"records"`
							} `json:"occurrences"`
						} `json:"detections"`
					} `json:"sensitiveData"`
				} `json:"result"`
			} `json:"classificationDetails"`
		}
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatal(err)
		}
		key := f.ResourcesAffected.S3Object.Key
		for _, s := range f.ClassificationDetails.Result.SensitiveData {
			for _, d := range s.Detections {
				for _, c := range d.Occurrences.Cells {
					paths[key] = append(paths[key], c.FilePath)
				}
				for _, l := range d.Occurrences.LineRanges {
					paths[key] = append(paths[key], l.FilePath)
				}
				for _, rec := range d.Occurrences.Records {
					paths[key] = append(paths[key], rec.FilePath)
				}
			}
		}
	}
	if got := paths["outer.zip"]; len(got) != 1 || got[0] != "outer.zip!dir/inner.tar!data.csv" {
		t.Errorf("outer.zip locations %q", got)
	}
	for _, key := range []string{"tar.tar.gz", "7z-lzma2.7z"} {
		got := strings.Join(paths[key], " ")
		for _, m := range []string{"!dir/data.csv", "!notes.txt", "!record.json"} {
			if !strings.Contains(got, key+m) {
				t.Errorf("%s: no location in %s", key, m)
			}
		}
	}
	if n := len(paths["chain-12.zip"]); n != 10 {
		t.Errorf("chain-12.zip: %d locations, want levels 1 to 10", n)
	}

	// Discovery results: the archive's record, then one record per member
	// with embeddedFileDetails (one struct, as AWS's Athena table reads it)
	// and the member's own status and counts.
	type status struct {
		Code   string  `json:"code"`
		Reason *string `json:"reason"`
	}
	type member struct {
		FilePath         string `json:"filePath"`
		FileExtension    string `json:"fileExtension"`
		FileSize         int64  `json:"fileSize"`
		FileLastModified string `json:"fileLastModified"`
		Status           status `json:"status"`
	}
	type record struct {
		st    status
		count int
		m     *member
	}
	byKey := map[string][]record{}
	for _, rec := range readResultsRaw(t, res) {
		b, _ := json.Marshal(rec)
		var v struct {
			ResourcesAffected struct {
				S3Object struct {
					Key      string
					Embedded *member `json:"embeddedFileDetails"`
				} `json:"s3Object"`
			} `json:"resourcesAffected"`
			ClassificationDetails struct {
				Result struct {
					Status        status
					SensitiveData []struct{ TotalCount int } `json:"sensitiveData"`
				} `json:"result"`
			} `json:"classificationDetails"`
		}
		if err := json.NewDecoder(bytes.NewReader(b)).Decode(&v); err != nil {
			t.Fatalf("result %s: %v", b, err)
		}
		r := record{st: v.ClassificationDetails.Result.Status, m: v.ResourcesAffected.S3Object.Embedded}
		for _, sd := range v.ClassificationDetails.Result.SensitiveData {
			r.count += sd.TotalCount
		}
		byKey[v.ResourcesAffected.S3Object.Key] = append(byKey[v.ResourcesAffected.S3Object.Key], r)
	}
	outer := byKey["outer.zip"]
	if len(outer) != 3 || outer[0].m != nil || outer[0].st.Code != "COMPLETE" || outer[0].count != 1 {
		t.Fatalf("outer.zip: %d records, first %+v", len(outer), outer[0])
	}
	if m := outer[1].m; m == nil || m.FilePath != "dir/inner.tar" || outer[1].count != 0 {
		t.Errorf("outer.zip's nested tar: %+v", outer[1])
	}
	if m := outer[2].m; m == nil || m.FilePath != "dir/inner.tar!data.csv" || m.FileExtension != "csv" || m.FileSize != 461 ||
		!strings.HasPrefix(m.FileLastModified, "2024-01-02T") || outer[2].st.Code != "COMPLETE" || outer[2].count != 1 {
		t.Errorf("outer.zip's csv: %+v", outer[2])
	}
	pw := byKey["password.zip"]
	if st := pw[0].st; st.Code != "PARTIAL" || st.Reason == nil || *st.Reason != "ARCHIVE_CONTAINS_UNPROCESSED_FILES" {
		t.Errorf("password.zip status %+v", st)
	}
	if len(pw) < 2 || pw[1].m == nil || pw[1].m.FilePath != "secret.txt" || pw[1].st.Code != "SKIPPED" || *pw[1].st.Reason != "INVALID_ENCRYPTION" {
		t.Errorf("password.zip's encrypted member: %+v", pw)
	}
	if st := byKey["chain-12.zip"][0].st; st.Reason == nil || *st.Reason != "ARCHIVE_NESTING_LEVEL_OVER_LIMIT" {
		t.Errorf("chain-12.zip status %+v", st)
	}
}

func TestArchiveLimitFlags(t *testing.T) {
	chain := filepath.Join("..", "..", "testdata", "archives", "chain-12.zip")
	r := trawl(t, nil, "scan", chain, "--format", "jsonl", "--max-archive-depth", "3")
	fs := parseJSONL(t, strings.NewReader(r.stdout))
	if r.code != 1 || len(fs) != 1 || fs[0].counts()["USA_SOCIAL_SECURITY_NUMBER"] != 3 {
		t.Fatalf("--max-archive-depth 3: exit %d, %d findings", r.code, len(fs))
	}
	if reason := fs[0].ClassificationDetails.Result.Status.Reason; reason == nil || *reason != "ARCHIVE_NESTING_LEVEL_OVER_LIMIT" {
		t.Errorf("reason %v", reason)
	}
	r = trawl(t, nil, "scan", filepath.Join("..", "..", "testdata", "archives", "tar-ustar.tar"), "--format", "jsonl", "--max-archive-member", "500B")
	fs = parseJSONL(t, strings.NewReader(r.stdout))
	if len(fs) != 1 || fs[0].counts()["USA_SOCIAL_SECURITY_NUMBER"] != 2 || *fs[0].ClassificationDetails.Result.Status.Reason != "FILE_EXCEEDS_SIZE_LIMIT" {
		t.Errorf("--max-archive-member 500B: %d findings", len(fs))
	}
	for _, bad := range [][]string{{"--max-archive-depth", "0"}, {"--max-archive-bytes", "lots"}, {"--max-archive-member", "-1GB"}} {
		r := trawl(t, nil, append([]string{"scan", chain}, bad...)...)
		if r.code != 2 || !strings.Contains(r.stderr, bad[0]) {
			t.Errorf("%v: exit %d, stderr %q", bad, r.code, r.stderr)
		}
	}
}

func TestParseLimit(t *testing.T) {
	for in, want := range map[string]int64{"10GiB": 10 << 30, "3GB": 3e9, "512mib": 512 << 20, "1000": 1000, "2 KB": 2000, "7B": 7, "1.5GB": 1.5e9} {
		if got, err := parseLimit(in); err != nil || got != want {
			t.Errorf("parseLimit(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "GB", "0", "-5MB", "99999999999TB"} {
		if _, err := parseLimit(bad); err == nil {
			t.Errorf("parseLimit(%q) accepted", bad)
		}
	}
}

// TestHelpNamesFlagBounds: every bounded numeric flag says its bounds in
// --help, as its error does.
func TestHelpNamesFlagBounds(t *testing.T) {
	r := trawl(t, nil, "scan", "--help")
	for _, want := range []string{"1 to 1024", "1 to 64", "1 to 10000000", "at most 1TiB", "at most 100GiB", "at most 168h", "128MiB to 1TiB"} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("scan --help does not say %q", want)
		}
	}
}
