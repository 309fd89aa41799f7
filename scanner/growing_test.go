package scanner

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings"
)

// appendingSource is a directory whose files grow once opened: fn writes
// to each file after the scanner opened it, before it reads.
type appendingSource struct {
	Source
	fn func(path string)
}

func (a appendingSource) Open(ctx context.Context, o Object) (io.ReadCloser, error) {
	rc, err := a.Source.Open(ctx, o)
	if err == nil {
		a.fn(o.Path)
	}
	return rc, err
}

func appendTo(t *testing.T, path, text string) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Error(err)
		return
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Error(err)
	}
}

// A file that grows during its scan is read up to the size it was listed
// with, and its result says it changed: PARTIAL OBJECT_VERSION_MISMATCH,
// sizeClassified the listed size, nothing of what was added reported.
func TestScanGrowingFileReadsItsListedSize(t *testing.T) {
	dir := t.TempDir()
	listed := "log start\nssn 123-45-6789 listed\n" + strings.Repeat("plain log line\n", 1000)
	for _, name := range []string{"app.log", "data.csv", "keep.log"} {
		body := listed
		if name == "data.csv" {
			body = "name,ssn\nJane,123-45-6789\n" + strings.Repeat("Joe,none\n", 1000)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	local, err := NewLocal(dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	src := appendingSource{local, func(path string) {
		switch filepath.Base(path) {
		case "app.log":
			appendTo(t, path, "ssn 234-56-7891 appended\n")
		case "data.csv":
			appendTo(t, path, "Ann,234-56-7891\n")
		}
	}}
	got, err := collect(t, newScanner(t, 2), context.Background(), src)
	if err != nil || len(got) != 3 {
		t.Fatalf("%d results, %v", len(got), err)
	}
	for _, r := range got {
		size := int64(len(listed))
		if r.Object.Key == "data.csv" {
			size = r.Object.Size
		}
		want := findings.Partial
		if r.Object.Key == "keep.log" {
			want = findings.Complete // unchanged
		}
		if r.Status != want || (want == findings.Partial && r.Reason != findings.ObjectVersionMismatch) {
			t.Errorf("%s: %s %s, want %s", r.Object.Key, r.Status, r.Reason, want)
		}
		if r.SizeClassified != size {
			t.Errorf("%s: sizeClassified %d, want the listed %d", r.Object.Key, r.SizeClassified, size)
		}
		if n := count(r, ssnID); n != 1 {
			t.Errorf("%s: %d SSNs, want the listed one only", r.Object.Key, n)
		}
	}
}

// A writer that never stops (a live log) does not hold the scan: the file
// is read to its listed size and the scan ends. The timeout is a hang
// guard only.
func TestScanEndlesslyGrowingFileEnds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "live.log")
	if err := os.WriteFile(path, []byte("ssn 123-45-6789\n"+strings.Repeat("line of a live log\n", 10000)), 0o644); err != nil {
		t.Fatal(err)
	}
	local, err := NewLocal(path, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	writing := make(chan struct{})
	src := appendingSource{local, func(path string) {
		go func() {
			defer close(writing)
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				return
			}
			defer f.Close()
			line := []byte(strings.Repeat("ssn 234-56-7891 appended line\n", 2000))
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := f.Write(line); err != nil {
					return
				}
			}
		}()
		// Some bytes written past the listed size before the read starts.
		for {
			if info, err := os.Stat(path); err == nil && info.Size() > 1<<20 {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	got, err := collect(t, newScanner(t, 1), ctx, src)
	close(done)
	<-writing
	if ctx.Err() != nil {
		t.Fatal("the scan of a growing file did not end")
	}
	if err != nil || len(got) != 1 {
		t.Fatalf("%d results, %v", len(got), err)
	}
	r := got[0]
	if r.Status != findings.Partial || r.Reason != findings.ObjectVersionMismatch || r.SizeClassified != r.Object.Size || count(r, ssnID) != 1 {
		t.Errorf("%s %s, sizeClassified %d of %d listed, %d SSNs", r.Status, r.Reason, r.SizeClassified, r.Object.Size, count(r, ssnID))
	}
}
