package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/childmem"
	"github.com/trawlsec/trawl/internal/corpus"
	"github.com/trawlsec/trawl/internal/pgtest"
)

// The tests build the real binary once and run it the way a user does.
var trawlBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "trawl-e2e-")
	if err != nil {
		panic(err)
	}
	os.Chmod(dir, 0o755) // an unprivileged user runs it in one test
	trawlBin = filepath.Join(dir, "trawl")
	os.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data")) // never the user's findings store
	if out, err := exec.Command("go", "build", "-o", trawlBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build trawl: %v\n%s", err, out)
		os.Exit(2)
	}
	code := m.Run()
	pgtest.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

type runResult struct {
	stdout, stderr string
	code           int
}

func trawl(t *testing.T, stdin io.Reader, args ...string) runResult {
	t.Helper()
	return trawlAs(t, stdin, nil, args...)
}

func trawlAs(t *testing.T, stdin io.Reader, cred *syscall.Credential, args ...string) runResult {
	t.Helper()
	cmd := exec.Command(trawlBin, args...)
	cmd.Env = storeEnv(t, cred)
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &out, &errb
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run trawl: %v", err)
	}
	return runResult{out.String(), errb.String(), code}
}

// finding is the part of Macie's finding JSON the tests read.
type finding struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	Title         string `json:"title"`
	SchemaVersion string `json:"schemaVersion"`
	Category      string `json:"category"`
	Severity      *struct {
		Description string `json:"description"`
		Score       int    `json:"score"`
	} `json:"severity"`
	ClassificationDetails struct {
		JobID  string `json:"jobId"`
		Result struct {
			AdditionalOccurrences bool   `json:"additionalOccurrences"`
			MimeType              string `json:"mimeType"`
			SizeClassified        int64  `json:"sizeClassified"`
			Status                struct {
				Code   string  `json:"code"`
				Reason *string `json:"reason"`
			} `json:"status"`
			SensitiveData []struct {
				Category   string `json:"category"`
				TotalCount int    `json:"totalCount"`
				Detections []struct {
					Type        string `json:"type"`
					Count       int    `json:"count"`
					Occurrences struct {
						LineRanges []struct{ Start, End, StartColumn int } `json:"lineRanges"`
					} `json:"occurrences"`
				} `json:"detections"`
			} `json:"sensitiveData"`
		} `json:"result"`
	} `json:"classificationDetails"`
	ResourcesAffected struct {
		S3Bucket struct{ Name string } `json:"s3Bucket"`
		S3Object struct {
			Key, Path, Extension string
			Size                 int64
			// Set on an archive member's own results record.
			EmbeddedFileDetails *struct{ FilePath string } `json:"embeddedFileDetails"`
		} `json:"s3Object"`
	} `json:"resourcesAffected"`
}

// objectRecords leaves out archive members' own results records: one
// record per object listed.
func objectRecords(fs []finding) []finding {
	var out []finding
	for _, f := range fs {
		if f.ResourcesAffected.S3Object.EmbeddedFileDetails == nil {
			out = append(out, f)
		}
	}
	return out
}

// status is the record's status code and reason, as CODE/REASON.
func (f *finding) status() string {
	st := f.ClassificationDetails.Result.Status
	if st.Reason == nil {
		return st.Code + "/"
	}
	return st.Code + "/" + *st.Reason
}

func (f *finding) counts() map[string]int {
	m := map[string]int{}
	for _, s := range f.ClassificationDetails.Result.SensitiveData {
		for _, d := range s.Detections {
			m[d.Type] += d.Count
		}
	}
	return m
}

func parseJSONL(t *testing.T, r io.Reader) []finding {
	t.Helper()
	var out []finding
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var f finding
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			t.Fatalf("bad JSON line: %v", err)
		}
		out = append(out, f)
	}
	return out
}

// openResults opens the one results file a scan wrote to dir.
func openResults(t *testing.T, dir string) io.Reader {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl.gz"))
	if len(files) != 1 {
		t.Fatalf("want one results file in %s, found %d", dir, len(files))
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	return gz
}

func readResults(t *testing.T, dir string) []finding {
	t.Helper()
	return parseJSONL(t, openResults(t, dir))
}

type expected struct {
	Status string         `json:"status"`
	Reason string         `json:"reason"`
	Types  map[string]int `json:"types"`
}

// TestSampleData scans the bundled sample data and checks every object's
// status and counts per type against testdata/sample.expected.json, which
// the fixtures generator wrote from Macie's rules (negatives included: the
// Luhn-invalid and test card numbers, SSNs without a keyword or in
// never-issued areas, AWS's example key).
func TestSampleData(t *testing.T) {
	want := sampleExpected(t)
	results := t.TempDir()
	r := trawl(t, nil, "scan", "../../testdata/sample", "--managed-identifiers", "all",
		"--format", "jsonl", "--results", results)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (findings); stderr: %s", r.code, r.stderr)
	}
	recs := readResults(t, results)
	seen := map[string]bool{}
	for _, rec := range recs {
		key := rec.ResourcesAffected.S3Object.Key
		seen[key] = true
		w, ok := want[key]
		if !ok {
			t.Errorf("unexpected object %s in results", key)
			continue
		}
		if got := rec.status(); got != w.Status+"/"+w.Reason {
			t.Errorf("%s: status %s, want %s/%s", key, got, w.Status, w.Reason)
		}
		if got := rec.counts(); !equalCounts(got, w.Types) {
			t.Errorf("%s: counts %v, want %v", key, got, w.Types)
		}
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("no result for %s", key)
		}
	}

	// Findings: one per object with detections, in Macie's shape.
	fs := parseJSONL(t, strings.NewReader(r.stdout))
	withData := 0
	for _, w := range want {
		if len(w.Types) > 0 {
			withData++
		}
	}
	if len(fs) != withData {
		t.Fatalf("%d findings, want %d", len(fs), withData)
	}
	for _, f := range fs {
		key := f.ResourcesAffected.S3Object.Key
		if f.SchemaVersion != "1.0" || f.Category != "CLASSIFICATION" || f.Severity == nil || f.ID == "" || f.Title == "" {
			t.Errorf("%s: finding lacks Macie's fields", key)
		}
		if !equalCounts(f.counts(), want[key].Types) {
			t.Errorf("%s: finding counts %v, want %v", key, f.counts(), want[key].Types)
		}
	}
	assertNoLeak(t, "../../testdata/sample", r.stdout+r.stderr+dump(recs))
}

func TestSampleLocations(t *testing.T) {
	r := trawl(t, nil, "scan", "../../testdata/sample/encodings", "--format", "jsonl")
	fs := parseJSONL(t, strings.NewReader(r.stdout))
	loc := map[string][3]int{}
	for _, f := range fs {
		for _, s := range f.ClassificationDetails.Result.SensitiveData {
			for _, d := range s.Detections {
				l := d.Occurrences.LineRanges[0]
				loc[f.ResourcesAffected.S3Object.Key] = [3]int{l.Start, l.End, l.StartColumn}
			}
		}
	}
	want := map[string][3]int{
		"windows.txt": {3, 3, 13}, // CRLF lines; after "credit card "
		"utf16le.txt": {2, 2, 5},  // decoded from UTF-16; after "ssn "
		"latin1.txt":  {1, 1, 26}, // columns count characters, not bytes
	}
	for k, w := range want {
		if loc[k] != w {
			t.Errorf("%s: location %v, want %v", k, loc[k], w)
		}
	}
}

func TestDefaultSelectionIsRecommended(t *testing.T) {
	r := trawl(t, nil, "scan", "../../testdata/sample/finance/statement.txt", "--format", "jsonl")
	fs := parseJSONL(t, strings.NewReader(r.stdout))
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1", len(fs))
	}
	// IBANs and the no-keyword card number are not in Macie's RECOMMENDED set.
	if got := fs[0].counts(); !equalCounts(got, map[string]int{"CREDIT_CARD_NUMBER": 3}) {
		t.Fatalf("counts %v", got)
	}
	if key := fs[0].ResourcesAffected.S3Object.Key; key != "statement.txt" {
		t.Fatalf("single-file key %q, want the file's name", key)
	}
	r = trawl(t, nil, "scan", "../../testdata/sample/finance/statement.txt", "--format", "jsonl",
		"--managed-identifiers", "none", "--include-identifiers", "germany_bank_account_number")
	fs = parseJSONL(t, strings.NewReader(r.stdout))
	if len(fs) != 1 || !equalCounts(fs[0].counts(), map[string]int{"GERMANY_BANK_ACCOUNT_NUMBER": 1}) {
		t.Fatalf("include list not honoured: %d findings", len(fs))
	}
	r = trawl(t, nil, "scan", "../../testdata/sample/finance/statement.txt", "--format", "jsonl",
		"--exclude-identifiers", "CREDIT_CARD_NUMBER")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "" {
		t.Fatalf("exclude list not honoured: exit %d", r.code)
	}
}

func TestStdin(t *testing.T) {
	r := trawl(t, strings.NewReader("name: Jane\nSSN 123-45-6789\n"), "scan", "-", "--format", "jsonl")
	fs := parseJSONL(t, strings.NewReader(r.stdout))
	if r.code != 1 || len(fs) != 1 || fs[0].ResourcesAffected.S3Object.Key != "stdin" {
		t.Fatalf("exit %d, %d findings", r.code, len(fs))
	}
	if fs[0].ResourcesAffected.S3Object.Size != 27 {
		t.Fatalf("stdin size %d, want 27", fs[0].ResourcesAffected.S3Object.Size)
	}
}

func TestExitCodesAndOutputs(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.txt")
	os.WriteFile(clean, []byte("nothing to see\n"), 0o644)
	if r := trawl(t, nil, "scan", clean); r.code != 0 {
		t.Errorf("clean scan: exit %d", r.code)
	}
	sample := "../../testdata/sample/people"
	if r := trawl(t, nil, "scan", sample, "--exit-code", "7"); r.code != 7 {
		t.Errorf("--exit-code 7: exit %d", r.code)
	}
	out := filepath.Join(dir, "f.json")
	r := trawl(t, nil, "scan", sample, "--format", "json", "--output", out)
	var arr []finding
	raw, _ := os.ReadFile(out)
	if err := json.Unmarshal(raw, &arr); err != nil || len(arr) != 1 || r.stdout != "" {
		t.Errorf("--format json --output: %v, %d findings, stdout %q", err, len(arr), r.stdout)
	}
	r = trawl(t, nil, "scan", sample, "--format", "table")
	if !strings.Contains(r.stdout, "SEVERITY") || !strings.Contains(r.stdout, "hr-notes.md") || !strings.Contains(r.stdout, "USA_SOCIAL_SECURITY_NUMBER×3") {
		t.Errorf("table output:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "scanned 1 object,") {
		t.Errorf("summary missing: %q", r.stderr)
	}
	// Piped output defaults to JSON Lines.
	r = trawl(t, nil, "scan", sample, "-q")
	if len(parseJSONL(t, strings.NewReader(r.stdout))) != 1 || r.stderr != "" {
		t.Errorf("default piped format is not jsonl, or -q printed: %q", r.stderr)
	}
}

func TestBadArguments(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string // in the error message
	}{
		{[]string{"scan", filepath.Join(dir, "missing")}, "no such file or directory"},
		{[]string{"scan", dir, "--bogus"}, "unknown flag: --bogus"},
		{[]string{"scan"}, "at least one target"},
		{[]string{"scan", dir, "--workers", "0"}, "--workers must be between 1 and 1024, got 0"},
		{[]string{"scan", dir, "--format", "xml"}, `unknown --format "xml"`},
		{[]string{"scan", dir, "--managed-identifiers", "most"}, "use recommended, all or none"},
		{[]string{"scan", dir, "--include-identifiers", "NOPE"}, `unknown managed identifier "NOPE"`},
		{[]string{"scan", dir, "--exit-code", "300"}, "--exit-code must be between"},
		{[]string{"scan", dir, "--workers", "many"}, "invalid argument"},
		{[]string{"scan", dir, "--workers", "100000000"}, "--workers must be between 1 and 1024"},
		{[]string{"scan", dir, "--max-archive-depth", "100000"}, "--max-archive-depth must be between 1 and 64"},
		{[]string{"scan", dir, "--max-archive-files", "10000001"}, "--max-archive-files must be between 1 and 10000000"},
		{[]string{"scan", dir, "--max-archive-bytes", "2TiB"}, "--max-archive-bytes: \"2TiB\" is more than the most allowed, 1TiB"},
		{[]string{"scan", dir, "--max-archive-member", "101GiB"}, "--max-archive-member: \"101GiB\" is more than the most allowed, 100GiB"},
		{[]string{"scan", dir, "--max-object-time", "169h"}, "--max-object-time must not be negative nor more than 168h"},
		{[]string{"scan", dir, "--max-memory", "2TiB"}, "--max-memory: \"2TiB\" is more than the most allowed, 1TiB"},
		{[]string{"scan", dir, "--max-memory", "10MiB"}, "--max-memory: \"10MiB\" is below 128MiB"},
		{[]string{"scan", dir, "--max-memory", "lots"}, "--max-memory: \"lots\" is not a size"},
		{[]string{"scna", dir}, "unknown command"},
	}
	for _, c := range cases {
		r := trawl(t, nil, c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// TestWorkersGiveIdenticalOutput scans 10,000 small files with one worker
// and with eight: the output is the same, but for the run's own identity
// (job ID, finding IDs derived from it, timestamps).
func TestWorkersGiveIdenticalOutput(t *testing.T) {
	dir := t.TempDir()
	g := corpus.New(7)
	for i := range 10000 {
		sub := filepath.Join(dir, fmt.Sprintf("d%02d", i%37))
		os.MkdirAll(sub, 0o755)
		body := fmt.Sprintf("record %d\n", i)
		if i%13 == 0 {
			body += g.Planted() + "\n"
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%05d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(workers string) (string, string) {
		res := t.TempDir()
		r := trawl(t, nil, "scan", dir, "--workers", workers, "--format", "jsonl", "--results", res, "--managed-identifiers", "all")
		if r.code != 1 {
			t.Fatalf("workers %s: exit %d: %s", workers, r.code, r.stderr)
		}
		files, _ := filepath.Glob(filepath.Join(res, "*.jsonl.gz"))
		f, _ := os.Open(files[0])
		defer f.Close()
		gz, _ := gzip.NewReader(f)
		raw, _ := io.ReadAll(gz)
		return normalize(r.stdout), normalize(string(raw))
	}
	out1, res1 := run("1")
	out8, res8 := run("8")
	if out1 != out8 {
		t.Fatal("findings differ between --workers 1 and --workers 8")
	}
	if res1 != res8 {
		t.Fatal("results differ between --workers 1 and --workers 8")
	}
	if n := strings.Count(res1, "\n"); n != 10000 {
		t.Fatalf("%d results, want one per file (10000)", n)
	}
}

var runIdentity = regexp.MustCompile(`"(id|jobId|jobArn|createdAt|updatedAt|detailedResultsLocation)":"[^"]*"`)

func normalize(s string) string { return runIdentity.ReplaceAllString(s, `"$1":"-"`) }

func TestUnreadableEntriesAreSkippedNotFatal(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(filepath.Dir(dir), 0o755)
	os.Chmod(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "open.txt"), []byte("ssn 123-45-6789\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "closed.txt"), []byte("ssn 123-45-6789\n"), 0o000)
	os.MkdirAll(filepath.Join(dir, "locked", "deep"), 0o755)
	os.WriteFile(filepath.Join(dir, "locked", "deep", "x.txt"), []byte("x"), 0o644)
	os.Chmod(filepath.Join(dir, "locked"), 0o000)
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	res := t.TempDir()
	os.Chmod(res, 0o777)
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65534, Gid: 65534} // root reads everything: run as nobody
	}
	r := trawlAs(t, nil, cred, "scan", dir, "--format", "jsonl", "--results", res)
	if r.code != 1 {
		t.Fatalf("exit %d (want 1: findings in open.txt); stderr %s", r.code, r.stderr)
	}
	got := map[string]string{}
	for _, rec := range readResults(t, res) {
		got[rec.ResourcesAffected.S3Object.Key] = rec.status()
	}
	want := map[string]string{
		"closed.txt": "SKIPPED/PERMISSION_DENIED",
		"locked/":    "SKIPPED/PERMISSION_DENIED",
		"open.txt":   "COMPLETE/",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("results %v, want %v", got, want)
	}
}

func TestSymlinkLoopEnds(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("ssn 123-45-6789\n"), 0o644)
	os.Symlink(".", filepath.Join(dir, "self"))
	os.Symlink("/etc/passwd", filepath.Join(dir, "outside"))
	done := make(chan runResult)
	go func() { done <- trawl(t, nil, "scan", dir, "--format", "jsonl") }()
	select {
	case r := <-done:
		fs := parseJSONL(t, strings.NewReader(r.stdout))
		if r.code != 1 || len(fs) != 1 || fs[0].ResourcesAffected.S3Object.Key != "a.txt" {
			t.Fatalf("exit %d, %d findings", r.code, len(fs))
		}
	case <-time.After(30 * time.Second):
		t.Fatal("scan did not finish: symlink loop")
	}
}

// TestLongSingleLine scans a 200 MB file that is one line: memory stays
// bounded and the value at its end is located at the right column.
func TestLongSingleLine(t *testing.T) {
	if testing.Short() {
		t.Skip("200 MB file")
	}
	path := filepath.Join(t.TempDir(), "one-line.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	chunk := strings.Repeat("lorem ipsum dolor sit amet ", 1000) // 27,000 bytes
	const n = 7500                                               // 202.5 MB
	for range n {
		bw.WriteString(chunk)
	}
	bw.WriteString("ssn 123-45-6789")
	bw.Flush()
	f.Close()
	// Through childmem: the test process's own peak must not count.
	r, err := childmem.Run(exec.Command(trawlBin, "scan", path, "--format", "jsonl", "--workers", "2"), hangGuard)
	if err != nil {
		t.Fatal(err)
	}
	fs := parseJSONL(t, bytes.NewReader(r.Stdout))
	if r.ExitCode != 1 || len(fs) != 1 {
		t.Fatalf("exit %d, %d findings; stderr %s", r.ExitCode, len(fs), r.Stderr)
	}
	l := fs[0].ClassificationDetails.Result.SensitiveData[0].Detections[0].Occurrences.LineRanges[0]
	if wantCol := len(chunk)*n + len("ssn ") + 1; l.Start != 1 || l.End != 1 || l.StartColumn != wantCol {
		t.Fatalf("location %+v, want line 1 column %d", l, wantCol)
	}
	if r.PeakRSS > 100<<20 {
		t.Fatalf("peak RSS %s, want under 100 MiB", childmem.MiB(r.PeakRSS))
	}
	t.Logf("200 MB single line: peak RSS %s", childmem.MiB(r.PeakRSS))
}

func TestInvalidUTF8AfterTheSniffWindow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mixed.txt")
	body := strings.Repeat("clean ascii text\n", 1000) + "bad bytes \xff\xfe\xc3 here\nssn 123-45-6789\n"
	os.WriteFile(path, []byte(body), 0o644)
	r := trawl(t, nil, "scan", path, "--format", "jsonl")
	fs := parseJSONL(t, strings.NewReader(r.stdout))
	if len(fs) != 1 {
		t.Fatalf("%d findings", len(fs))
	}
	if l := fs[0].ClassificationDetails.Result.SensitiveData[0].Detections[0].Occurrences.LineRanges[0]; l.Start != 1002 || l.StartColumn != 5 {
		t.Fatalf("location %+v, want line 1002 column 5", l)
	}
}

func TestInterruptWritesFinishedResults(t *testing.T) {
	dir := t.TempDir()
	for i := range 3 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.txt", i)), []byte("ssn 123-45-6789\n"), 0o644)
	}
	res := t.TempDir()
	// Standard input stays open and idle, so the scan cannot end by itself.
	// (An os.Pipe, not io.Pipe: Wait would wait for io.Pipe's copier.)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	defer pr.Close()
	cmd := exec.Command(trawlBin, "scan", dir, "-", "--format", "jsonl", "--results", res, "--workers", "1")
	cmd.Env = storeEnv(t, nil)
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pr, &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("trawl did not stop after the interrupt")
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("exit %d, want 130; stderr %s", code, errb.String())
	}
	if n := len(parseJSONL(t, &out)); n != 3 {
		t.Fatalf("%d findings written, want the 3 finished before the interrupt", n)
	}
	if n := len(readResults(t, res)); n != 3 {
		t.Fatalf("%d results written, want 3", n)
	}
	if !strings.Contains(errb.String(), "interrupted") {
		t.Fatalf("stderr %q does not say it was interrupted", errb.String())
	}
}

func TestIdentifiersList(t *testing.T) {
	r := trawl(t, nil, "identifiers", "list", "--format", "json")
	var rows []struct {
		ID              string `json:"id"`
		KeywordRequired string `json:"keywordRequired"`
		Validator       string `json:"validator"`
		Recommended     bool   `json:"recommended"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || r.code != 0 {
		t.Fatalf("exit %d: %v", r.code, err)
	}
	byID := map[string]string{}
	validator := map[string]string{}
	for _, row := range rows {
		byID[row.ID] = fmt.Sprint(row.KeywordRequired, row.Recommended)
		validator[row.ID] = row.Validator
	}
	if byID["PHONE_NUMBER"] != "optionalfalse" || byID["USA_SOCIAL_SECURITY_NUMBER"] != "yestrue" {
		t.Fatalf("listing: %v", byID)
	}
	// An ID's distinct checks, joined: France's IBAN and its domestic RIB.
	if !strings.HasPrefix(validator["CREDIT_CARD_NUMBER"], "Luhn") ||
		validator["FRANCE_BANK_ACCOUNT_NUMBER"] != "mod-97 (ISO 13616), national check digits, standalone, one kind of separator; RIB key (mod-97)" ||
		!strings.Contains(validator["INDIA_AADHAAR_NUMBER"], "Verhoeff") || validator["PHONE_NUMBER"] != "" {
		t.Errorf("validators: CREDIT_CARD_NUMBER %q, FRANCE_BANK_ACCOUNT_NUMBER %q, INDIA_AADHAAR_NUMBER %q, PHONE_NUMBER %q",
			validator["CREDIT_CARD_NUMBER"], validator["FRANCE_BANK_ACCOUNT_NUMBER"], validator["INDIA_AADHAAR_NUMBER"], validator["PHONE_NUMBER"])
	}

	// The table has the same column; an ID without a validator says none.
	r = trawl(t, nil, "identifiers", "list")
	lines := strings.Split(r.stdout, "\n")
	if r.code != 0 || !strings.HasSuffix(lines[0], "RECOMMENDED  VALIDATOR") {
		t.Fatalf("table: exit %d, header %q", r.code, lines[0])
	}
	seen := 0
	for _, l := range lines {
		switch f := strings.Fields(l); {
		case len(f) == 0:
		case f[0] == "UK_NHS_NUMBER":
			seen++
			if !strings.HasSuffix(l, "  mod-11 check digit") {
				t.Errorf("table row %q", l)
			}
		case f[0] == "PHONE_NUMBER":
			seen++
			if f[len(f)-1] != "none" {
				t.Errorf("table row %q", l)
			}
		}
	}
	if seen != 2 {
		t.Errorf("table: %d of the rows of UK_NHS_NUMBER and PHONE_NUMBER", seen)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func dump(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// assertNoLeak fails if any digit-bearing token of the scanned files (every
// planted value has several digits) shows up in what trawl wrote. It names
// the file, never the value.
func assertNoLeak(t *testing.T, root, output string) {
	t.Helper()
	token := regexp.MustCompile(`[A-Za-z0-9/+_.=-]{9,}`)
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		raw, _ := os.ReadFile(path)
		for _, tok := range token.FindAllString(string(raw), -1) {
			if strings.Count(tok, "")-1 >= 9 && countDigits(tok) >= 6 && strings.Contains(output, tok) {
				t.Errorf("output contains a value from %s", path)
				return nil
			}
		}
		return nil
	})
}

func countDigits(s string) int {
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

func TestCustomIdentifiersAndAllowLists(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o755)
	os.WriteFile(filepath.Join(data, "staff.txt"), []byte(
		"employee EMP-123456\nemployee EMP-000000\nnobody said EMP-222222 here without the word\n"+
			"PRJ-ABC-1234 PRJ-DEM-0001 PRJ-TST-9999\n"), 0o644)
	examples := "../../testdata/examples/"
	r := trawl(t, nil, "scan", data, "--format", "jsonl", "--managed-identifiers", "none",
		"--custom-identifiers", examples+"custom-identifiers.yaml", "--allow-list", examples+"allow-list.txt")
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var fs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		fs = append(fs, m)
	}
	if len(fs) != 1 || fs[0]["type"] != "SensitiveData:S3Object/CustomIdentifier" {
		t.Fatalf("%d findings, type %v", len(fs), fs[0]["type"])
	}
	cdi := fs[0]["classificationDetails"].(map[string]any)["result"].(map[string]any)["customDataIdentifiers"].(map[string]any)
	got := map[string]float64{}
	for _, d := range cdi["detections"].([]any) {
		m := d.(map[string]any)
		got[m["name"].(string)] = m["count"].(float64)
		if !strings.HasPrefix(m["arn"].(string), "arn:") {
			t.Errorf("detection arn %v", m["arn"])
		}
	}
	// EMP-000000 is allow-listed, EMP-222222 has no keyword before it;
	// PRJ-DEM-0001 is allow-listed by regex, PRJ-TST-9999 holds an ignore word.
	if got["Employee ID"] != 1 || got["Project code"] != 1 || cdi["totalCount"] != 2.0 {
		t.Fatalf("custom detections %v, total %v", got, cdi["totalCount"])
	}
	// Severity: the highest across custom identifiers; Employee ID is LOW
	// at 1, Project code has no levels, so MEDIUM.
	if sev := fs[0]["severity"].(map[string]any)["description"]; sev != "Medium" {
		t.Fatalf("severity %v, want Medium", sev)
	}
}

func TestCustomIdentifierErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ file, body, want string }{
		{"look.yaml", "- name: Bad\n  regex: 'a(?=b)'\n", `identifier "Bad": regex: lookahead and lookbehind are not supported`},
		{"long.json", `[{"name":"Long","regex":"` + strings.Repeat("a", 513) + `"}]`, `identifier "Long": regex: 513 characters, at most 512`},
		{"kw.yaml", "- name: Kw\n  regex: 'x'\n  keywords: [" + strings.Repeat("abc,", 51) + "abc]\n", `identifier "Kw": keywords: 52 given, at most 50`},
		{"order.yaml", "- name: Sev\n  regex: 'x'\n  severityLevels:\n    - {occurrencesThreshold: 10, severity: HIGH}\n    - {occurrencesThreshold: 1, severity: LOW}\n", `identifier "Sev": severityLevels: thresholds must rise`},
		{"typo.json", `[{"name":"T","regex":"x","keyword":["abc"]}]`, `unknown field "keyword"`},
		{"bad.yaml", "- name: Re\n  regex: 'a['\n", `identifier "Re": regex: invalid regular expression`},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.file)
		os.WriteFile(path, []byte(c.body), 0o644)
		r := trawl(t, nil, "scan", dir, "--custom-identifiers", path)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", c.file, r.code, r.stderr, c.want)
		}
	}
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, nil, 0o644)
	for _, args := range [][]string{
		{"--allow-list", empty},
		{"--allow-list", filepath.Join(dir, "missing.txt")},
		{"--custom-identifiers", filepath.Join(dir, "missing.yaml")},
	} {
		r := trawl(t, nil, append([]string{"scan", dir}, args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, strings.TrimPrefix(filepath.Base(args[1]), "")) {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

func TestIdentifiersTestCommand(t *testing.T) {
	r := trawl(t, nil, "identifiers", "test", "--regex", `EMP-\d{6}`, "--keywords", "employee",
		"--maximum-match-distance", "15", "employee EMP-123456, EMP-654321")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "1 match\n") || !strings.Contains(r.stdout, "characters 10-19") {
		t.Fatalf("exit %d, output %q", r.code, r.stdout)
	}
	r = trawl(t, strings.NewReader("PRJ-ABC-1234 PRJ-TST-0001"), "identifiers", "test",
		"--file", "../../testdata/examples/custom-identifiers.yaml", "--name", "Project code")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "1 match\n") {
		t.Fatalf("from file: exit %d, output %q", r.code, r.stdout)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"identifiers", "test", "--regex", "x", strings.Repeat("y", 1001)}, "at most 1000"},
		{[]string{"identifiers", "test", "--regex", `(\w)\1`, "aa"}, "backreferences are not supported"},
		{[]string{"identifiers", "test", "sample"}, "give the identifier with --regex"},
		{[]string{"identifiers", "test", "--file", "../../testdata/examples/custom-identifiers.yaml", "--name", "Nope", "x"}, `--name "Nope" is not in`},
	} {
		if r := trawl(t, nil, c.args...); r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// TestStructuredFormats: CSV values are located by cell and a column named
// after a keyword counts as near each of its values; JSON Lines values by
// record and path, with path names as keywords; a malformed JSON file is
// read as text (Macie's lineRanges for malformed files); nesting over 256
// levels is PARTIAL with Macie's reason.
func TestStructuredFormats(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) { os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644) }
	write("people.csv", "name,SSN,notes\nJane,123-45-6789,ok\nJohn,234-56-7890,\"two\nlines, ssn 345-67-8901\"\nJim,456-78-9012,\n")
	write("people.tsv", "name\tnotes\nJane\tno keyword 123-45-6789\n")
	write("events.jsonl", `{"user":{"ssn":"123-45-6789","cards":[{"number":"4539148803436467"}]}}`+"\n\n"+`{"note":"ssn 234-56-7890"}`+"\n")
	write("broken.json", "{\"a\": [1, 2,\n \"ssn 123-45-6789\"")
	write("deep.json", strings.Repeat("[", 300)+`"ssn 123-45-6789"`+strings.Repeat("]", 300))
	res := t.TempDir()
	r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--results", res)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	type loc struct {
		Cells   []map[string]any `json:"cells"`
		Records []map[string]any `json:"records"`
		Lines   []map[string]any `json:"lineRanges"`
	}
	got := map[string][]string{}
	status := map[string]string{}
	for _, rec := range readResultsRaw(t, res) {
		key := rec["resourcesAffected"].(map[string]any)["s3Object"].(map[string]any)["key"].(string)
		result := rec["classificationDetails"].(map[string]any)["result"].(map[string]any)
		st := result["status"].(map[string]any)
		status[key] = fmt.Sprint(st["code"], "/", st["reason"])
		for _, sd := range result["sensitiveData"].([]any) {
			for _, d := range sd.(map[string]any)["detections"].([]any) {
				raw, _ := json.Marshal(d.(map[string]any)["occurrences"])
				var l loc
				json.Unmarshal(raw, &l)
				for _, c := range l.Cells {
					got[key] = append(got[key], fmt.Sprintf("cell %v,%v %v", c["row"], c["column"], c["columnName"]))
				}
				for _, rc := range l.Records {
					got[key] = append(got[key], fmt.Sprintf("record %v %v", rc["recordIndex"], rc["jsonPath"]))
				}
				for _, lr := range l.Lines {
					got[key] = append(got[key], fmt.Sprintf("line %v", lr["start"]))
				}
			}
		}
	}
	want := map[string][]string{
		// Jim's SSN and Jane's and John's: the SSN column; the notes cell has its own keyword.
		"people.csv":   {"cell 2,2 SSN", "cell 3,2 SSN", "cell 3,3 notes", "cell 4,2 SSN"},
		"events.jsonl": {"record 0 $.user.cards[0].number", "record 0 $.user.ssn", "record 2 $.note"},
		"broken.json":  {"line 2"},
	}
	for k, w := range want {
		if fmt.Sprint(sortedCopy(got[k])) != fmt.Sprint(sortedCopy(w)) {
			t.Errorf("%s: %v, want %v", k, got[k], w)
		}
	}
	if len(got["people.tsv"]) != 0 {
		t.Errorf("people.tsv: a value with no keyword in its cell or column was reported: %v", got["people.tsv"])
	}
	if status["deep.json"] != "PARTIAL/JSON_NESTING_LEVEL_OVER_LIMIT" || status["people.csv"] != "COMPLETE/<nil>" {
		t.Errorf("statuses %v", status)
	}
}

func readResultsRaw(t *testing.T, dir string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(openResults(t, dir))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	slices.Sort(c)
	return c
}

// TestOfficeDocuments scans the LibreOffice-made fixtures: spreadsheets by
// cell with Macie's cell references, documents and slides by line; a
// password-protected package is SKIPPED; a plain zip is not an office file.
func TestOfficeDocuments(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"sheet.xlsx", "sheet.ods", "doc-text.docx", "doc-text.odt", "doc-slides.pptx", "doc-slides.odp"} {
		// Renamed: detection is by content, not by name.
		copyFixture(t, filepath.Join("formats/office", name), filepath.Join(dir, name+".bin"))
	}
	// A password-protected package (testdata/formats/make-zencrypted-office.sh).
	copyFixture(t, "formats/office/sheet-encrypted.xlsx", filepath.Join(dir, "locked.docx"))
	os.WriteFile(filepath.Join(dir, "plain.zip"), []byte("PK\x05\x06"+strings.Repeat("\x00", 18)), 0o644)

	res := t.TempDir()
	r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--results", res)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got := map[string]string{}
	for _, rec := range readResultsRaw(t, res) {
		key := rec["resourcesAffected"].(map[string]any)["s3Object"].(map[string]any)["key"].(string)
		result := rec["classificationDetails"].(map[string]any)["result"].(map[string]any)
		st := result["status"].(map[string]any)
		desc := fmt.Sprint(st["code"], "/", st["reason"])
		for _, sd := range result["sensitiveData"].([]any) {
			for _, d := range sd.(map[string]any)["detections"].([]any) {
				occ := d.(map[string]any)["occurrences"].(map[string]any)
				if cells, _ := occ["cells"].([]any); len(cells) > 0 {
					c := cells[0].(map[string]any)
					desc += fmt.Sprint(" cell ", c["cellReference"], " ", c["columnName"])
				}
				if lines, _ := occ["lineRanges"].([]any); len(lines) > 0 {
					desc += " lines"
				}
			}
		}
		got[key] = desc
	}
	want := map[string]string{
		"sheet.xlsx.bin":      "COMPLETE/<nil> cell People!B2 SSN",
		"sheet.ods.bin":       "COMPLETE/<nil> cell People!B2 SSN",
		"doc-text.docx.bin":   "COMPLETE/<nil> lines",
		"doc-text.odt.bin":    "COMPLETE/<nil> lines",
		"doc-slides.pptx.bin": "COMPLETE/<nil> lines",
		"doc-slides.odp.bin":  "COMPLETE/<nil> lines",
		"locked.docx":         "SKIPPED/INVALID_ENCRYPTION",
		"plain.zip":           "COMPLETE/<nil>", // an empty zip archive: read, nothing in it
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
}

// TestParquetAndAvro scans files made by other writers (Apache Arrow,
// goavro with every codec) and locates values by record and path.
func TestParquetAndAvro(t *testing.T) {
	res := t.TempDir()
	r := trawl(t, nil, "scan", "../../testdata/formats/records", "--format", "jsonl", "--results", res)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	recs := readResultsRaw(t, res)
	if len(recs) != 5 {
		t.Fatalf("%d results, want 5", len(recs))
	}
	for _, rec := range recs {
		key := rec["resourcesAffected"].(map[string]any)["s3Object"].(map[string]any)["key"].(string)
		result := rec["classificationDetails"].(map[string]any)["result"].(map[string]any)
		if st := result["status"].(map[string]any); st["code"] != "COMPLETE" {
			t.Errorf("%s: status %v", key, st)
			continue
		}
		sd := result["sensitiveData"].([]any)
		if len(sd) == 0 {
			t.Errorf("%s: nothing found", key)
			continue
		}
		occ := sd[0].(map[string]any)["detections"].([]any)[0].(map[string]any)["occurrences"].(map[string]any)
		records, _ := occ["records"].([]any)
		if len(records) == 0 || records[0].(map[string]any)["jsonPath"] != "$.ssn" {
			t.Errorf("%s: occurrences %v", key, occ)
		}
	}
}

// sampleExpected reads testdata/sample.expected.json: each sample object's
// status and counts per type.
func sampleExpected(t *testing.T) map[string]expected {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/sample.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]expected
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	return want
}

// copyFixture copies the fixture at from (under testdata/) to the file to.
func copyFixture(t *testing.T, from, to string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("../../testdata", from))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}
