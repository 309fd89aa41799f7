package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// slowStdin feeds a scan of standard input for at least d: a value, a
// pause, another value.
func slowStdin(t *testing.T, cmd *exec.Cmd, d time.Duration) {
	t.Helper()
	w, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		io.WriteString(w, "SSN: 123-45-6789\n")
		time.Sleep(d)
		io.WriteString(w, "card 5425991319879868\n")
		w.Close()
	}()
}

func TestProgressLineOnTerminal(t *testing.T) {
	cmd := exec.Command(trawlBin, "scan", "-", "--no-store", "--format", "jsonl")
	cmd.Env = storeEnv(t, nil)
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	cmd.Stderr = tty
	var out bytes.Buffer
	cmd.Stdout = &out
	slowStdin(t, cmd, 2200*time.Millisecond)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	got := make(chan string)
	go func() {
		b, _ := io.ReadAll(ptmx) // ends with EIO once the child is gone
		got <- string(b)
	}()
	cmd.Wait()
	stderr := <-got

	redraws := strings.Count(stderr, "\r\x1b[Ktrawl: ")
	if redraws < 2 {
		t.Errorf("%d progress redraws in a scan of 2.2 s, want at least 2: %q", redraws, stderr)
	}
	if !strings.Contains(stderr, "findings") || !strings.Contains(stderr, "/s, ") {
		t.Errorf("progress line lacks the counts or rate: %q", stderr)
	}
	// The line is cleared before the summary.
	if i := strings.LastIndex(stderr, "\r\x1b[K"); i < 0 || !strings.Contains(stderr[i:], "trawl: scanned 1 object,") {
		t.Errorf("summary not after a cleared line: %q", stderr)
	}
	if strings.Contains(stderr, "123-45-6789") || strings.Contains(stderr, "5425991319879868") {
		t.Error("progress shows a matched value")
	}
}

func TestProgressOffOnPipesAndForced(t *testing.T) {
	dir, _ := storeFiles(t)
	if r := trawl(t, nil, "scan", dir, "--no-store"); strings.Contains(r.stderr, "\r") {
		t.Errorf("progress drawn on a pipe: %q", r.stderr)
	}
	// --progress --log-format json: progress as JSON records.
	cmd := exec.Command(trawlBin, "scan", "-", "--no-store", "--progress", "--log-format", "json")
	cmd.Env = storeEnv(t, nil)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	slowStdin(t, cmd, 1200*time.Millisecond)
	cmd.Run()
	var records int
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var rec struct {
			Msg      string `json:"msg"`
			Objects  *int64 `json:"objects"`
			Findings *int   `json:"findings"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("not a JSON record: %q", line)
			continue
		}
		if rec.Msg == "progress" && rec.Objects != nil && rec.Findings != nil {
			records++
		}
	}
	if records < 2 {
		t.Errorf("%d JSON progress records in 1.2 s, want at least 2: %q", records, stderr.String())
	}

	for _, bad := range [][]string{
		{"scan", dir, "--log-format", "xml"},
		{"scan", dir, "--progress", "--no-progress"},
	} {
		if r := trawl(t, nil, bad...); r.code != 2 || r.stderr == "" {
			t.Errorf("%v: exit %d %q, want 2 with the problem", bad, r.code, r.stderr)
		}
	}
}

func TestProgressLine(t *testing.T) {
	p := &progress{bySev: map[string]int{"High": 2, "Low": 1}, listed: 1500, listedBytes: 3_000_000, done: 500, doneBytes: 1_000_000, findings: 3}
	got := p.line(10*time.Second, 100_000, true, 20*time.Second)
	want := "trawl: 500/1,500 objects, 1.0 MB/3.0 MB, 100.0 kB/s, 3 findings (2 High, 1 Low), 0:10, ETA 0:20"
	if got != want {
		t.Errorf("line:\n got %q\nwant %q", got, want)
	}
	if got := p.line(3725*time.Second, 0, false, 0); !strings.Contains(got, "500/1,500+ objects") || !strings.HasSuffix(got, "1:02:05") {
		t.Errorf("listing not done: %q", got)
	}
}

func TestVerboseLogsSkippedObjects(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "logo.png"), []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o644)
	os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("nothing\n"), 0o644)
	r := trawl(t, nil, "scan", dir, "--no-store", "-v")
	if !strings.Contains(r.stderr, "msg=skipped") || !strings.Contains(r.stderr, "logo.png") || !strings.Contains(r.stderr, "reason=UNSUPPORTED_FILE_TYPE_EXCEPTION") || strings.Contains(r.stderr, "ok.txt reason") {
		t.Errorf("-v: %q", r.stderr)
	}
	if r := trawl(t, nil, "scan", dir, "--no-store"); strings.Contains(r.stderr, "skipped object") || strings.Contains(r.stderr, "msg=skipped") {
		t.Errorf("skipped objects logged without -v: %q", r.stderr)
	}
}
