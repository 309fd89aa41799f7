package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/trawlsec/trawl/internal/miniotest"
	"github.com/trawlsec/trawl/internal/pgtest"
)

// jobsRun is a job run as `jobs history --format json` prints it.
type jobsRun struct {
	RunID         string
	ScheduledTime time.Time
	Status        string
	Error         string
	Statistics    struct {
		ObjectsListed, ObjectsInScope, ObjectsScanned, ObjectsSkipped, ObjectsUnchanged, ObjectsDeleted, BytesScanned int64
		FindingsBySeverity                                                                                            map[string]int64
	}
}

// jobsStore is a store for one test, passed to every call.
func jobsStore(t *testing.T) []string {
	return []string{"--store", filepath.Join(t.TempDir(), "jobs.db")}
}

func history(t *testing.T, env []string, st []string, name string) []jobsRun {
	t.Helper()
	r := trawlEnv(t, env, append([]string{"jobs", "history", name, "--format", "json"}, st...)...)
	if r.code != 0 {
		t.Fatalf("jobs history: exit %d: %s", r.code, r.stderr)
	}
	var h struct{ Runs []jobsRun }
	if err := json.Unmarshal([]byte(r.stdout), &h); err != nil {
		t.Fatalf("history %q: %v", r.stdout, err)
	}
	return h.Runs
}

func countFindings(t *testing.T, env, st []string) int {
	t.Helper()
	r := trawlEnv(t, env, append([]string{"findings", "export", "--format", "jsonl"}, st...)...)
	if r.code != 0 {
		t.Fatalf("findings export: exit %d: %s", r.code, r.stderr)
	}
	return strings.Count(r.stdout, "\n")
}

func stats(r jobsRun) string {
	s := r.Statistics
	return fmt.Sprintf("listed %d, scanned %d, unchanged %d, deleted %d", s.ObjectsListed, s.ObjectsScanned, s.ObjectsUnchanged, s.ObjectsDeleted)
}

// TestJobsLocalIncremental: a daily job over a directory scans
// everything once, then only what was added or changed, and marks what
// was deleted; the store holds one finding per object version.
func TestJobsLocalIncremental(t *testing.T) {
	dir := t.TempDir()
	for i := range 5 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.txt", i)), []byte(fmt.Sprintf("ssn 123-45-678%d\n", i)), 0o644)
	}
	st := jobsStore(t)
	r := trawlEnv(t, nil, append([]string{"jobs", "create", "--name", "nightly", "--schedule", "daily", "--target", dir,
		"--include-ext", "txt"}, st...)...)
	if r.code != 0 {
		t.Fatalf("create: exit %d: %s", r.code, r.stderr)
	}
	os.WriteFile(filepath.Join(dir, "skip.log"), []byte("ssn 123-45-6780\n"), 0o644) // out of scope
	if r = trawlEnv(t, nil, append([]string{"jobs", "run-due"}, st...)...); r.code != 0 || !strings.Contains(r.stdout, "1 job runs") {
		t.Fatalf("run-due: exit %d, %q: %s", r.code, r.stdout, r.stderr)
	}
	// Nothing is due until tomorrow.
	if r = trawlEnv(t, nil, append([]string{"jobs", "run-due"}, st...)...); !strings.Contains(r.stdout, "0 job runs") {
		t.Fatalf("second run-due ran %q", r.stdout)
	}
	if r = trawlEnv(t, nil, append([]string{"jobs", "run", "nightly"}, st...)...); r.code != 0 {
		t.Fatalf("run: exit %d: %s", r.code, r.stderr)
	}
	// A change, an addition and a deletion.
	later := time.Now().Add(time.Minute)
	os.WriteFile(filepath.Join(dir, "f1.txt"), []byte("ssn 234-56-7890\n"), 0o644)
	os.Chtimes(filepath.Join(dir, "f1.txt"), later, later)
	os.WriteFile(filepath.Join(dir, "new.txt"), []byte("clean\n"), 0o644)
	os.Remove(filepath.Join(dir, "f4.txt"))
	if r = trawlEnv(t, nil, append([]string{"jobs", "run", "nightly"}, st...)...); r.code != 0 {
		t.Fatalf("run: exit %d: %s", r.code, r.stderr)
	}
	h := history(t, nil, st, "nightly")
	want := []string{
		"listed 6, scanned 5, unchanged 0, deleted 0",
		"listed 6, scanned 0, unchanged 5, deleted 0",
		"listed 6, scanned 2, unchanged 3, deleted 1",
	}
	if len(h) != len(want) {
		t.Fatalf("%d runs, want %d", len(h), len(want))
	}
	for i, run := range h {
		if run.Status != "COMPLETE" || stats(run) != want[i] {
			t.Errorf("run %d: %s, %s; want COMPLETE, %s", i, run.Status, stats(run), want[i])
		}
	}
	// Five first versions, and the changed file's second.
	if n := countFindings(t, nil, st); n != 6 {
		t.Errorf("%d findings in the store, want 6", n)
	}
}

// TestJobsInitialRunFalse: the first run records what is there and scans
// only what changed after the job was created.
func TestJobsInitialRunFalse(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for i := range 3 {
		p := filepath.Join(dir, fmt.Sprintf("old%d.txt", i))
		os.WriteFile(p, []byte("ssn 123-45-6789\n"), 0o644)
		os.Chtimes(p, old, old)
	}
	st := jobsStore(t)
	if r := trawlEnv(t, nil, append([]string{"jobs", "create", "--name", "j", "--schedule", "weekly:MONDAY", "--target", dir, "--initial-run=false"}, st...)...); r.code != 0 {
		t.Fatalf("create: %s", r.stderr)
	}
	future := time.Now().Add(time.Hour)
	p := filepath.Join(dir, "new.txt")
	os.WriteFile(p, []byte("ssn 123-45-6789\n"), 0o644)
	os.Chtimes(p, future, future)
	if r := trawlEnv(t, nil, append([]string{"jobs", "run", "j"}, st...)...); r.code != 0 {
		t.Fatalf("run: %s", r.stderr)
	}
	h := history(t, nil, st, "j")
	if len(h) != 1 || stats(h[0]) != "listed 4, scanned 1, unchanged 3, deleted 0" {
		t.Fatalf("runs %+v", h)
	}
}

// TestJobsS3 runs a job over MinIO buckets, versioned and not: only
// added and overwritten objects are scanned again, deleted ones marked.
func TestJobsS3(t *testing.T) {
	srv := miniotest.Start(t)
	env := srv.Env()
	c := srv.Client()
	srv.Bucket(t, "plain")
	srv.Bucket(t, "versioned")
	if _, err := c.PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{Bucket: aws.String("versioned"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"plain", "versioned"} {
		for i := range 4 {
			srv.Put(t, b, fmt.Sprintf("data/%d.csv", i), []byte(fmt.Sprintf("name,ssn\nx,123-45-678%d\n", i)))
		}
	}
	st := jobsStore(t)
	s3f := []string{"--endpoint-url", srv.Endpoint, "--path-style"}
	if r := trawlEnv(t, env, append([]string{"jobs", "create", "--name", "lake", "--schedule", "daily", "--target", "s3://plain/data/",
		"--target", "s3://versioned"}, st...)...); r.code != 0 {
		t.Fatalf("create: %s", r.stderr)
	}
	run := func() {
		t.Helper()
		if r := trawlEnv(t, env, append(append([]string{"jobs", "run", "lake"}, st...), s3f...)...); r.code != 0 {
			t.Fatalf("run: exit %d: %s", r.code, r.stderr)
		}
	}
	run()
	run()
	srv.Put(t, "plain", "data/1.csv", []byte("name,ssn\ny,234-56-7890\n"))     // overwritten
	srv.Put(t, "versioned", "data/2.csv", []byte("name,ssn\nz,345-67-8901\n")) // a new version
	srv.Put(t, "versioned", "data/9.csv", []byte("clean\n"))                   // added
	if _, err := c.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String("plain"), Key: aws.String("data/3.csv")}); err != nil {
		t.Fatal(err)
	}
	run()
	h := history(t, env, st, "lake")
	want := []string{
		"listed 8, scanned 8, unchanged 0, deleted 0",
		"listed 8, scanned 0, unchanged 8, deleted 0",
		"listed 8, scanned 3, unchanged 5, deleted 1",
	}
	for i, r := range h {
		if i >= len(want) || r.Status != "COMPLETE" || stats(r) != want[i] {
			t.Errorf("run %d: %s %s %s", i, r.Status, stats(r), r.Error)
		}
	}
}

// TestJobsBucketGone: a run whose bucket is gone fails with the cause in
// its history; the job stays scheduled.
func TestJobsBucketGone(t *testing.T) {
	srv := miniotest.Start(t)
	st := jobsStore(t)
	trawlEnv(t, srv.Env(), append([]string{"jobs", "create", "--name", "gone", "--schedule", "daily", "--target", "s3://no-such-bucket"}, st...)...)
	r := trawlEnv(t, srv.Env(), append(append([]string{"jobs", "run", "gone"}, st...), "--endpoint-url", srv.Endpoint, "--path-style")...)
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	h := history(t, srv.Env(), st, "gone")
	if len(h) != 1 || h[0].Status != "FAILED" || !strings.Contains(h[0].Error, "no-such-bucket") {
		t.Fatalf("runs %+v", h)
	}
	r = trawlEnv(t, srv.Env(), append([]string{"jobs", "list", "--format", "json"}, st...)...)
	if !strings.Contains(r.stdout, `"jobStatus": "IDLE"`) {
		t.Errorf("job after a failed run: %s", r.stdout)
	}
}

// TestJobsRunDueRace: two run-due processes started at once on one store
// (an SQLite file, or a PostgreSQL database as two machines share it)
// make one run between them.
func TestJobsRunDueRace(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testRunDueRace(t, jobsStore(t)) })
	t.Run("postgres", func(t *testing.T) { testRunDueRace(t, []string{"--store", pgtest.Get(t).NewDatabase(t)}) })
}

func testRunDueRace(t *testing.T, st []string) {
	dir := t.TempDir()
	for i := range 200 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d.txt", i)), []byte("ssn 123-45-6789\n"), 0o644)
	}
	trawlEnv(t, nil, append([]string{"jobs", "create", "--name", "race", "--schedule", "daily", "--target", dir}, st...)...)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := trawlEnv(t, nil, append([]string{"jobs", "run-due"}, st...)...); r.code != 0 {
				t.Errorf("run-due: exit %d: %s", r.code, r.stderr)
			}
		}()
	}
	wg.Wait()
	h := history(t, nil, st, "race")
	if len(h) != 1 || h[0].Statistics.ObjectsScanned != 200 {
		t.Fatalf("runs %+v", h)
	}
	if n := countFindings(t, nil, st); n != 200 {
		t.Errorf("%d findings, want 200", n)
	}
}

// TestJobsKilledRunResumes kills the process running a job with SIGKILL
// mid-run: after its lease the next run-due takes the run over and scans
// only what the dead one had not finished, with no duplicate finding.
func TestJobsKilledRunResumes(t *testing.T) {
	dir := t.TempDir()
	const files = 3000
	for i := range files {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d.txt", i)), []byte(strings.Repeat("lorem ipsum ", 2000)+fmt.Sprintf("ssn 123-45-%04d\n", 1000+i)), 0o644)
	}
	st := jobsStore(t)
	trawlEnv(t, nil, append([]string{"jobs", "create", "--name", "big", "--schedule", "daily", "--target", dir}, st...)...)
	cmd := exec.Command(trawlBin, append([]string{"jobs", "run-due", "--lease", "5s", "--workers", "1"}, st...)...)
	cmd.Env = append(os.Environ(), storeEnvVars(t)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once some objects are recorded.
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if countFindings(t, nil, st) >= 100 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	before := countFindings(t, nil, st)
	if before == 0 || before == files {
		t.Fatalf("%d of %d objects recorded when killed: cannot test a resume", before, files)
	}
	// While the dead holder's lease lasts, nobody takes the run.
	if r := trawlEnv(t, nil, append([]string{"jobs", "run-due", "--lease", "5s"}, st...)...); !strings.Contains(r.stdout, "0 job runs") {
		t.Logf("run-due during the lease: %q", r.stdout)
	}
	time.Sleep(6 * time.Second)
	if r := trawlEnv(t, nil, append([]string{"jobs", "run-due", "--lease", "5s"}, st...)...); r.code != 0 || !strings.Contains(r.stdout, "1 job runs") {
		t.Fatalf("resume: exit %d, %q: %s", r.code, r.stdout, r.stderr)
	}
	h := history(t, nil, st, "big")
	if len(h) != 1 || h[0].Status != "COMPLETE" {
		t.Fatalf("runs %+v", h)
	}
	if h[0].Statistics.ObjectsUnchanged < int64(before) {
		t.Errorf("the resumed run scanned again what was finished: %s, %d recorded before the kill", stats(h[0]), before)
	}
	if n := countFindings(t, nil, st); n != files {
		t.Errorf("%d findings, want %d (one per file, no duplicates)", n, files)
	}
}

// storeEnvVars keeps a child away from the user's own store.
func storeEnvVars(t *testing.T) []string {
	return []string{"XDG_DATA_HOME=" + t.TempDir()}
}

func TestJobsFromMacieAndBadInput(t *testing.T) {
	st := jobsStore(t)
	file := filepath.Join(t.TempDir(), "job.json")
	os.WriteFile(file, []byte(`{"name":"macie-job","jobType":"SCHEDULED","scheduleFrequency":{"monthlySchedule":{"dayOfMonth":31}},
	  "managedDataIdentifierSelector":"EXCLUDE","managedDataIdentifierIds":["NAME"],
	  "s3JobDefinition":{"bucketDefinitions":[{"accountId":"111122223333","buckets":["exports"]}],
	  "scoping":{"includes":{"and":[{"simpleScopeTerm":{"comparator":"EQ","key":"OBJECT_EXTENSION","values":["csv"]}}]}}}}`), 0o644)
	r := trawlEnv(t, nil, append([]string{"jobs", "create", "--from-file", file, "--format", "json"}, st...)...)
	if r.code != 0 || !strings.Contains(r.stdout, `"schedule": "monthly:31 at 00:00 UTC"`) || !strings.Contains(r.stdout, `"targets": [`) {
		t.Fatalf("create --from-file: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"jobs", "create", "--from-file", file}, "exists"},
		{[]string{"jobs", "create", "--name", "x", "--schedule", "hourly", "--target", "/tmp"}, "--schedule"},
		{[]string{"jobs", "create", "--name", "x", "--schedule", "daily", "--at", "25:00", "--target", "/tmp"}, "--at"},
		{[]string{"jobs", "create", "--name", "x"}, "no targets"},
		{[]string{"jobs", "create", "--name", "x", "--target", "/tmp", "--managed-identifiers", "some"}, "--managed-identifiers"},
		{[]string{"jobs", "create", "--name", "x", "--target", "/tmp", "--sampling", "0"}, "sampling"},
		{[]string{"jobs", "create", "--name", "x", "--target", "/tmp", "--modified-after", "yesterday"}, "--modified-after"},
		{[]string{"jobs", "show", "nope"}, "no job named"},
		{[]string{"jobs", "pause", "nope"}, "no job named"},
		{[]string{"jobs", "history", "nope"}, "no job named"},
		{[]string{"jobs", "run-due", "--workers", "0"}, "--workers"},
	} {
		r := trawlEnv(t, nil, append(c.args, st...)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 naming %q", c.args, r.code, r.stderr, c.want)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"name":"b","jobType":"ONE_TIME","s3JobDefinition":{"bucketDefinitions":[{"buckets":["x"]}]},"customDataIdentifierIds":["1"],"color":"red"}`), 0o644)
	if r := trawlEnv(t, nil, append([]string{"jobs", "create", "--from-file", bad}, st...)...); r.code != 2 || !strings.Contains(r.stderr, "color") {
		t.Errorf("unsupported fields: exit %d, %q", r.code, r.stderr)
	}
	// Pause, resume, cancel.
	for _, c := range []struct{ verb, want string }{{"pause", "USER_PAUSED"}, {"resume", "IDLE"}, {"cancel", "CANCELLED"}} {
		if r := trawlEnv(t, nil, append([]string{"jobs", c.verb, "macie-job"}, st...)...); r.code != 0 || !strings.Contains(r.stdout, c.want) {
			t.Errorf("%s: exit %d, %q %q", c.verb, r.code, r.stdout, r.stderr)
		}
	}
	if r := trawlEnv(t, nil, append([]string{"jobs", "resume", "macie-job"}, st...)...); r.code != 2 || !strings.Contains(r.stderr, "cancelled") {
		t.Errorf("resuming a cancelled job: exit %d, %q", r.code, r.stderr)
	}
}

// TestServeScheduler: trawl serve --scheduler runs a due job, and SIGTERM
// stops it cleanly.
func TestServeScheduler(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("ssn 123-45-6789\n"), 0o644)
	st := jobsStore(t)
	trawlEnv(t, nil, append([]string{"jobs", "create", "--name", "bg", "--schedule", "daily", "--target", dir}, st...)...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(trawlBin, append([]string{"serve", "--scheduler", "--tick", "1s", "--listen", addr}, st...)...)
	cmd.Env = append(os.Environ(), storeEnvVars(t)...)
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if h := history(t, nil, st, "bg"); len(h) == 1 && h[0].Status == "COMPLETE" {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The dashboard shows the job and its run.
	resp, err := http.Get("http://" + addr + "/jobs")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `data-job="bg"`) || !strings.Contains(string(page), `<td class="status">COMPLETE</td>`) {
		t.Errorf("/jobs does not show the job's run:\n%s", page)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	if h := history(t, nil, st, "bg"); len(h) != 1 || h[0].Status != "COMPLETE" || h[0].Statistics.ObjectsScanned != 1 {
		t.Fatalf("runs %+v; stderr %s", h, errb.String())
	}
	if err != nil {
		t.Errorf("serve after SIGTERM: %v; stderr %s", err, errb.String())
	}
	if !strings.Contains(errb.String(), `"msg":"job run finished"`) {
		t.Errorf("no structured log of the run: %s", errb.String())
	}
}
