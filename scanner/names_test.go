package scanner

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/findings"
)

// File and member names that are not UTF-8 (Latin-1 "café" and "cafè")
// keep their invalid bytes as \xNN escapes in keys and member paths: two
// names stay two keys in the written results, where JSON alone would make
// both "caf\ufffd".
func TestInvalidUTF8NamesStayDistinct(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"caf\xe9.txt", "caf\xe8.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(plantedSSN()), 0o644); err != nil {
			t.Skipf("the file system takes no such name: %v", err)
		}
	}
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for _, name := range []string{"m\xe9.txt", "m\xe8.txt"} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(plantedSSN())), Typeflag: tar.TypeReg})
		tw.Write([]byte(plantedSSN()))
	}
	tw.Close()
	if err := os.WriteFile(filepath.Join(dir, "names.tar"), tb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := NewLocal(dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := collect(t, newScanner(t, 1), context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	written := map[string]bool{}
	for _, r := range got {
		keys = append(keys, r.Object.Key)
		if r.Status != findings.Complete || count(r, ssnID) == 0 {
			t.Errorf("%s: %s %s, %d values", r.Object.Key, r.Status, r.Reason, count(r, ssnID))
		}
		rec, _ := json.Marshal(findings.Record(r, findings.Run{JobID: "job"}))
		for _, want := range []string{`caf\\xe9.txt`, `caf\\xe8.txt`, `m\\xe9.txt`, `m\\xe8.txt`} {
			if bytes.Contains(rec, []byte(want)) {
				written[want] = true
			}
		}
		if bytes.Contains(rec, []byte(`\ufffd`)) {
			t.Errorf("%s: a name written with U+FFFD", r.Object.Key)
		}
	}
	if want := []string{`caf\xe8.txt`, `caf\xe9.txt`, "names.tar"}; !slices.Equal(keys, want) {
		t.Errorf("keys %q, want %q", keys, want)
	}
	if len(written) != 4 {
		t.Errorf("names written: %v, want the 2 files and the 2 members", written)
	}
	if r := got[len(got)-1]; len(r.Embedded) != 2 || r.Embedded[0].Path == r.Embedded[1].Path ||
		!strings.HasPrefix(r.Embedded[0].Path, `m\x`) {
		t.Errorf("members %+v", r.Embedded)
	}
}

func plantedSSN() string { return "ssn 123-45-6789\n" }
