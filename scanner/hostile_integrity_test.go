//go:build hostile

package scanner

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings"
)

// Full-size variants of the integrity, depth and growth rules (make
// hostile). Timeouts are hang guards only.

// A live log of 43.7 MB appended to for the whole of its scan: read up to
// its listed size, PARTIAL OBJECT_VERSION_MISMATCH.
func TestHostileLiveLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "live.log")
	line := "2026-01-01T00:00:00Z GET /index.html 200 plain log line\n"
	body := "ssn 123-45-6789\n" + strings.Repeat(line, 43_700_000/len(line))
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	local, err := NewLocal(path, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	done, writing := make(chan struct{}), make(chan struct{})
	src := appendingSource{local, func(path string) {
		go func() {
			defer close(writing)
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				return
			}
			defer f.Close()
			chunk := []byte(strings.Repeat("ssn 234-56-7891 appended\n", 40_000))
			for written := 0; written < 2<<30; written += len(chunk) { // at most 2 GiB of disk
				select {
				case <-done:
					return
				default:
				}
				if _, err := f.Write(chunk); err != nil {
					return
				}
			}
		}()
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	got, err := collect(t, newScanner(t, 1), ctx, src)
	close(done)
	<-writing
	if ctx.Err() != nil || err != nil || len(got) != 1 {
		t.Fatalf("scan: %v, %d results, %v", ctx.Err(), len(got), err)
	}
	r := got[0]
	if r.Status != findings.Partial || r.Reason != findings.ObjectVersionMismatch || r.SizeClassified != int64(len(body)) || count(r, ssnID) != 1 {
		t.Errorf("%s %s, sizeClassified %d of %d listed, %d SSNs", r.Status, r.Reason, r.SizeClassified, len(body), count(r, ssnID))
	}
}

// 100,000 nested multiparts: the scan ends, PARTIAL with the nesting
// reason, the top part's value found.
func TestHostileDeepMail(t *testing.T) {
	r := scanBytes(t, "deep.eml", []byte(nestedMail(100_000, false)), nil)
	if r.Status != findings.Partial || r.Reason != findings.ArchiveNestingLevelOverLimit || count(r, ssnID) != 1 {
		t.Errorf("%s %s, %d values", r.Status, r.Reason, count(r, ssnID))
	}
}

// A 256 MiB tar in a gzip stream whose trailer is cut: PARTIAL
// MALFORMED_FILE with the values read before the end, through a file
// (random access) and through a stream.
func TestHostileLargeTarGzWithoutTrailer(t *testing.T) {
	var text strings.Builder
	for i := 0; text.Len() < 256<<20; i++ {
		fmt.Fprintf(&text, "record %d: ssn 123-45-6789 and filler text to make it long\n", i)
	}
	tgz := gzipOf(t, tarOf(t, "big.txt", []byte(text.String())))
	cut := tgz[:len(tgz)-8]
	for name, r := range map[string]*findings.Result{
		"file":   scanFile(t, writeTemp(t, "big.tar.gz", cut), nil),
		"stream": scanBytes(t, "big.tar.gz", cut, nil),
	} {
		if r.Status != findings.Partial || r.Reason != findings.MalformedFile || count(r, ssnID) == 0 {
			t.Errorf("%s: %s %s, %d values", name, r.Status, r.Reason, count(r, ssnID))
		}
	}
}
