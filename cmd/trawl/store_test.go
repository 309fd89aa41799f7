package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/pgtest"
)

// storeFiles is a directory of files with findings, and the values in
// them that must never reach the store.
func storeFiles(t *testing.T) (dir string, values []string) {
	dir = t.TempDir()
	files := map[string]string{
		"fixtures/cards.csv": "name,card\nA,4539 9872 1613 6598\n",
		"real/statement.txt": "Card number: 5425991319879868\n",
		"hr/people.txt":      "SSN: 123-45-6789\nSSN: 987-65-4320\n",
		"clean.txt":          "nothing here\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, []string{"4539 9872 1613 6598", "4539987216136598", "5425991319879868", "123-45-6789", "987-65-4320"}
}

func ids(fs []finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID)
	}
	slices.Sort(out)
	return out
}

type listed struct {
	Findings []struct {
		finding
		Archived   bool   `json:"archived"`
		ArchivedBy string `json:"archivedBy"`
		Sightings  []struct {
			RunID string `json:"runId"`
		} `json:"sightings"`
	} `json:"findings"`
	NextToken string `json:"nextToken"`
}

func listJSON(t *testing.T, args ...string) listed {
	t.Helper()
	r := trawl(t, nil, append([]string{"findings", "list", "--format", "json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("list %v: exit %d: %s", args, r.code, r.stderr)
	}
	var l listed
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil {
		t.Fatalf("list %v: %v\n%s", args, err, r.stdout)
	}
	return l
}

func TestScanRecordsFindingsOnce(t *testing.T) {
	dir, values := storeFiles(t)
	db := filepath.Join(t.TempDir(), "s.db")
	first := trawl(t, nil, "scan", dir, "--format", "jsonl", "--store", db)
	second := trawl(t, nil, "scan", dir, "--format", "jsonl", "--store", db)
	if first.code != 1 || second.code != 1 {
		t.Fatalf("exits %d %d: %s %s", first.code, second.code, first.stderr, second.stderr)
	}
	a, b := parseJSONL(t, strings.NewReader(first.stdout)), parseJSONL(t, strings.NewReader(second.stdout))
	if len(a) != 3 || !slices.Equal(ids(a), ids(b)) {
		t.Fatalf("ids differ between runs: %v %v", ids(a), ids(b))
	}
	var stored []string
	for _, f := range listJSON(t, "--store", db).Findings {
		stored = append(stored, f.ID)
	}
	slices.Sort(stored)
	if !slices.Equal(stored, ids(a)) {
		t.Fatalf("stored %v, printed %v", stored, ids(a))
	}
	show := trawl(t, nil, "findings", "show", a[0].ID, "--store", db, "--format", "json")
	var one struct {
		ID        string `json:"id"`
		Sightings []any  `json:"sightings"`
	}
	if err := json.Unmarshal([]byte(show.stdout), &one); err != nil || one.ID != a[0].ID || len(one.Sightings) != 2 {
		t.Fatalf("show: %s %s (%v)", show.stdout, show.stderr, err)
	}

	// A changed file is a new finding.
	os.WriteFile(filepath.Join(dir, "real", "statement.txt"), []byte("Card number: 5425991319879868\nnew line\n"), 0o644)
	trawl(t, nil, "scan", dir, "--format", "jsonl", "--store", db)
	if n := len(listJSON(t, "--store", db).Findings); n != 4 {
		t.Fatalf("%d findings after a file changed, want 4", n)
	}

	// Nothing in the store holds a matched value.
	for _, name := range []string{db, db + "-wal"} {
		raw, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		for _, v := range values {
			if bytes.Contains(raw, []byte(v)) {
				t.Errorf("%s holds a matched value", filepath.Base(name))
			}
		}
	}
}

func TestScanNoStoreAndEnv(t *testing.T) {
	dir, _ := storeFiles(t)
	xdg := t.TempDir()
	cmd := exec.Command(trawlBin, "scan", dir, "--no-store", "--format", "jsonl")
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+xdg)
	if out, _ := cmd.Output(); len(parseJSONL(t, bytes.NewReader(out))) != 3 {
		t.Fatalf("--no-store output: %s", out)
	}
	if _, err := os.Stat(filepath.Join(xdg, "trawl")); err == nil {
		t.Fatal("--no-store made a store")
	}
	// TRAWL_STORE names the store; the default under XDG_DATA_HOME is untouched.
	db := filepath.Join(t.TempDir(), "env.db")
	cmd = exec.Command(trawlBin, "scan", dir, "--format", "jsonl")
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+xdg, "TRAWL_STORE="+db)
	cmd.Run()
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("TRAWL_STORE not used: %v", err)
	}
	if _, err := os.Stat(filepath.Join(xdg, "trawl")); err == nil {
		t.Fatal("the default store was made though TRAWL_STORE was set")
	}
	if r := trawl(t, nil, "scan", dir, "--no-store", "--store", db); r.code != 2 || !strings.Contains(r.stderr, "--no-store") {
		t.Fatalf("--store with --no-store: %d %s", r.code, r.stderr)
	}
}

func TestUnwritableDefaultStoreStillPrints(t *testing.T) {
	dir, _ := storeFiles(t)
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, []byte("x"), 0o644) // the data directory is a file: nothing can be made under it
	cmd := exec.Command(trawlBin, "scan", dir, "--format", "jsonl")
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+blocker)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, errb.String())
	}
	if n := len(parseJSONL(t, &out)); n != 3 {
		t.Fatalf("%d findings printed, want 3", n)
	}
	msg := errb.String()
	if !strings.Contains(msg, filepath.Join(blocker, "trawl", "trawl.db")) || !strings.Contains(msg, "--no-store") {
		t.Fatalf("message does not name the store and --no-store: %s", msg)
	}
}

func TestCorruptStoreIsRefusedUntouched(t *testing.T) {
	dir, _ := storeFiles(t)
	db := filepath.Join(t.TempDir(), "not.db")
	junk := []byte("this is a spreadsheet, not a database\n")
	os.WriteFile(db, junk, 0o644)
	for _, args := range [][]string{
		{"scan", dir, "--store", db},
		{"findings", "list", "--store", db},
		{"findings", "stats", "--store", db},
	} {
		r := trawl(t, nil, args...)
		if r.code != 2 || !strings.Contains(r.stderr, db) || !strings.Contains(r.stderr, "not an SQLite database") {
			t.Errorf("%v: exit %d: %s", args[:2], r.code, r.stderr)
		}
		if r.stdout != "" && args[0] == "scan" {
			t.Errorf("scan printed findings it could not record: %s", r.stdout)
		}
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, junk) {
		t.Fatal("the file was changed")
	}
}

func TestFindingsCommands(t *testing.T) {
	dir, _ := storeFiles(t)
	db := filepath.Join(t.TempDir(), "s.db")
	trawl(t, nil, "findings", "filters", "create", "--store", db, "--name", "test-data", "--action", "ARCHIVE",
		"--criteria", `{"criterion":{"resourcesAffected.s3Object.key":{"eq":["fixtures/cards.csv"]}}}`)
	r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--store", db)
	printed := parseJSONL(t, strings.NewReader(r.stdout))
	var raw []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var m map[string]any
		json.Unmarshal([]byte(line), &m)
		raw = append(raw, m)
	}
	for _, m := range raw {
		obj := m["resourcesAffected"].(map[string]any)["s3Object"].(map[string]any)
		if want := obj["key"] == "fixtures/cards.csv"; m["archived"] != want {
			t.Errorf("%s printed archived=%v", obj["key"], m["archived"])
		}
	}
	if len(printed) != 3 {
		t.Fatalf("%d printed", len(printed))
	}
	cur := listJSON(t, "--store", db)
	arch := listJSON(t, "--store", db, "--archived")
	all := listJSON(t, "--store", db, "--all")
	if len(cur.Findings) != 2 || len(arch.Findings) != 1 || len(all.Findings) != 3 || arch.Findings[0].ArchivedBy != "test-data" {
		t.Fatalf("current %d, archived %d, all %d", len(cur.Findings), len(arch.Findings), len(all.Findings))
	}
	// Short flags and criteria select the same.
	byFlag := listJSON(t, "--store", db, "--identifier", "USA_SOCIAL_SECURITY_NUMBER", "--severity", "high")
	byCrit := listJSON(t, "--store", db, "--criteria", `{"criterion":{"sensitiveData.detections.type":{"eq":["USA_SOCIAL_SECURITY_NUMBER"]}}}`)
	if len(byFlag.Findings) != 1 || len(byCrit.Findings) != 1 || byFlag.Findings[0].ID != byCrit.Findings[0].ID {
		t.Fatalf("short flags %+v, criteria %+v", byFlag, byCrit)
	}
	if l := listJSON(t, "--store", db, "--key-prefix", "real/", "--since", "1h", "--type", "Financial"); len(l.Findings) != 1 {
		t.Fatalf("key prefix: %+v", l)
	}
	if l := listJSON(t, "--store", db, "--until", "1h"); len(l.Findings) != 0 {
		t.Fatalf("--until 1h ago: %+v", l)
	}
	// Pages.
	p1 := listJSON(t, "--store", db, "--limit", "1", "--all")
	p2 := listJSON(t, "--store", db, "--limit", "1", "--all", "--next-token", p1.NextToken)
	if p1.NextToken == "" || len(p2.Findings) != 1 || p2.Findings[0].ID == p1.Findings[0].ID {
		t.Fatalf("pages %+v %+v", p1, p2)
	}
	// Stats.
	st := trawl(t, nil, "findings", "stats", "--store", db, "--group-by", "type", "--format", "json", "--all")
	var stats struct {
		CountsByGroup []struct {
			GroupKey string `json:"groupKey"`
			Count    int    `json:"count"`
		} `json:"countsByGroup"`
	}
	if err := json.Unmarshal([]byte(st.stdout), &stats); err != nil || len(stats.CountsByGroup) != 2 ||
		stats.CountsByGroup[0] != (struct {
			GroupKey string `json:"groupKey"`
			Count    int    `json:"count"`
		}{"SensitiveData:S3Object/Financial", 2}) {
		t.Fatalf("stats %s %s", st.stdout, st.stderr)
	}
	// Triage hides a false positive; --triage shows it.
	id := byFlag.Findings[0].ID
	if r := trawl(t, nil, "findings", "triage", id, "--store", db, "--status", "false-positive", "--note", "test data"); r.code != 0 {
		t.Fatalf("triage: %s", r.stderr)
	}
	if l := listJSON(t, "--store", db); len(l.Findings) != 1 {
		t.Fatalf("after triage %d current", len(l.Findings))
	}
	if l := listJSON(t, "--store", db, "--triage", "false-positive"); len(l.Findings) != 1 || l.Findings[0].ID != id {
		t.Fatalf("--triage: %+v", l)
	}
	// Archive and unarchive by hand.
	if r := trawl(t, nil, "findings", "unarchive", arch.Findings[0].ID, "--store", db); r.code != 0 {
		t.Fatalf("unarchive: %s", r.stderr)
	}
	if r := trawl(t, nil, "findings", "archive", "nope", "--store", db); r.code != 2 || !strings.Contains(r.stderr, "nope") {
		t.Fatalf("archive unknown: %d %s", r.code, r.stderr)
	}
	// Export streams everything.
	ex := trawl(t, nil, "findings", "export", "--store", db)
	if n := len(parseJSONL(t, strings.NewReader(ex.stdout))); n != 3 {
		t.Fatalf("export %d", n)
	}
	// Filters by name.
	for _, args := range [][]string{
		{"filters", "list"}, {"filters", "show", "test-data"},
		{"filters", "update", "test-data", "--new-name", "fixtures", "--position", "3"},
		{"filters", "show", "fixtures", "--format", "json"}, {"filters", "delete", "fixtures"},
	} {
		r := trawl(t, nil, append(append([]string{"findings"}, args...), "--store", db)...)
		if r.code != 0 {
			t.Fatalf("%v: %s", args, r.stderr)
		}
	}
	if r := trawl(t, nil, "findings", "filters", "show", "fixtures", "--store", db); r.code != 2 {
		t.Fatalf("deleted filter shown: %d", r.code)
	}
	// Purge.
	if r := trawl(t, nil, "findings", "purge", "--store", db, "--older-than", "0s"); r.code != 0 || !strings.Contains(r.stdout, "purged 3") {
		t.Fatalf("purge: %s %s", r.stdout, r.stderr)
	}
}

func TestFindingsBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "--criteria", `{"criterion":{"sev":{"eq":["High"]}}}`}, "severity.description"},
		{[]string{"list", "--criteria", `{"criterion":{"type":{"like":["x"]}}}`}, "eqExactMatch"},
		{[]string{"list", "--criteria", `{"criterion":{"type":{"eq":["x"]}}}`, "--type", "Financial"}, "give it once"},
		{[]string{"list", "--severity", "urgent"}, "Low, Medium or High"},
		{[]string{"list", "--since", "yesterday"}, "RFC 3339"},
		{[]string{"list", "--sort", "sensitiveData.detections.type"}, "cannot sort"},
		{[]string{"list", "--next-token", "???"}, "next-token"},
		{[]string{"list", "--format", "xml"}, "table, json or jsonl"},
		{[]string{"list", "--archived", "--all"}, "--archived"},
		{[]string{"stats", "--group-by", "color"}, "severity.description"},
		{[]string{"triage", "x", "--status", "maybe"}, "false-positive"},
		{[]string{"filters", "create", "--name", "ab", "--action", "ARCHIVE", "--criteria", `{"criterion":{"type":{"eq":["x"]}}}`}, "3 to 64"},
		{[]string{"filters", "create", "--name", "abc", "--action", "DROP", "--criteria", `{"criterion":{"type":{"eq":["x"]}}}`}, "ARCHIVE"},
		{[]string{"purge", "--older-than", "3w"}, "s, m, h or d"},
		{[]string{"show", "0000"}, "not found"},
	} {
		r := trawl(t, nil, append(append([]string{"findings"}, c.args...), "--store", db)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want one naming %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

func TestScanInterruptedKeepsPrintedFindings(t *testing.T) {
	dir, _ := storeFiles(t)
	db := filepath.Join(t.TempDir(), "s.db")
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	defer pr.Close()
	cmd := exec.Command(trawlBin, "scan", dir, "-", "--format", "jsonl", "--workers", "1", "--store", db)
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pr, &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The directory's findings are scanned while standard input stays
	// idle; the interrupt then ends the scan.
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	printed := parseJSONL(t, &out)
	if len(printed) != 3 {
		t.Fatalf("%d printed: %s", len(printed), errb.String())
	}
	for _, f := range printed {
		if r := trawl(t, nil, "findings", "show", f.ID, "--store", db); r.code != 0 {
			t.Errorf("printed finding %s is not in the store: %s", f.ID, r.stderr)
		}
	}
}

func TestScanIntoPostgres(t *testing.T) {
	dir, _ := storeFiles(t)
	dsn := pgtest.Get(t).NewDatabase(t)
	r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--store", dsn)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if n := len(listJSON(t, "--store", dsn).Findings); n != 3 {
		t.Fatalf("%d findings in PostgreSQL", n)
	}
	bad := fmt.Sprintf("postgres://trawl:hunter2pw@127.0.0.1:%d/nodb?sslmode=disable&connect_timeout=3", 1)
	for _, args := range [][]string{{"scan", dir, "--store", bad}, {"findings", "list", "--store", bad}} {
		r := trawl(t, nil, args...)
		if r.code != 2 || strings.Contains(r.stderr, "hunter2pw") || !strings.Contains(r.stderr, "127.0.0.1:1/nodb") {
			t.Errorf("%v: exit %d: %s", args[0], r.code, r.stderr)
		}
	}
}

// Several scans write one SQLite file at once (WAL, busy timeout).
func TestConcurrentScansShareOneStore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shared.db")
	var dirs []string
	for i := range 3 {
		dir := t.TempDir()
		for j := range 20 {
			body := fmt.Sprintf("scanner %d file %d\nSSN: 123-45-%04d\n", i, j, 1000+i*100+j)
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d.txt", j)), []byte(body), 0o644)
		}
		dirs = append(dirs, dir)
	}
	var cmds []*exec.Cmd
	for _, dir := range dirs {
		cmd := exec.Command(trawlBin, "scan", dir, "--format", "jsonl", "--store", db, "-q")
		cmd.Env = storeEnv(t, nil)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		cmd.Wait()
		if code := cmd.ProcessState.ExitCode(); code != 1 {
			t.Fatalf("a scan exited %d", code)
		}
	}
	if n := len(listJSON(t, "--store", db, "--limit", "1000").Findings); n != 60 {
		t.Fatalf("%d findings, want 60", n)
	}
}

// A store that turns read-only between scans (here: an immutable file)
// fails at the first batch: every finding is still printed, then exit 2
// naming the store.
func TestStoreFailingMidScanStillPrints(t *testing.T) {
	dir, _ := storeFiles(t)
	db := filepath.Join(t.TempDir(), "s.db")
	if r := trawl(t, nil, "findings", "list", "--store", db); r.code != 0 {
		t.Fatalf("create: %s", r.stderr)
	}
	if out, err := exec.Command("chattr", "+i", db).CombinedOutput(); err != nil {
		t.Skipf("cannot make a file immutable here (chattr: %v %s)", err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", db).Run() })
	r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--store", db)
	if r.code != 2 || !strings.Contains(r.stderr, db) || !strings.Contains(r.stderr, "--no-store") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if n := len(parseJSONL(t, strings.NewReader(r.stdout))); n != 3 {
		t.Fatalf("%d findings printed, want 3", n)
	}
}
