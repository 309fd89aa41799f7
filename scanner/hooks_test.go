package scanner

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/trawlsec/trawl/findings"
)

// hookSource is a memSource whose streams report object details, and which
// enriches results with detections.
type hookSource struct {
	*memSource
	mu       sync.Mutex // workers enrich at once
	enriched []string
}

func (h *hookSource) Enrich(_ context.Context, r *findings.Result) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.enriched = append(h.enriched, r.Object.Key)
	r.Object.Tags = map[string]string{"enriched": "yes"}
}

type updatingReader struct {
	io.Reader
}

func (updatingReader) Close() error { return nil }
func (updatingReader) UpdateObject(o *Object) {
	o.Encryption, o.VersionID = "aws:kms", "v1"
}

// failingReader returns some text, then an error with a reason.
type failingReader struct {
	text string
	err  error
	done bool
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.done {
		return 0, f.err
	}
	f.done = true
	return copy(p, f.text), nil
}

func (f *failingReader) Close() error { return nil }

func TestSourceHooks(t *testing.T) {
	ssn := "ssn: 234-56-7891\n"
	m := &memSource{
		keys: []string{"changed.txt", "clean.txt", "gone.txt", "half.txt", "hit.txt"},
		data: map[string]string{"clean.txt": "nothing\n", "hit.txt": ssn},
	}
	m.open = func(_ context.Context, key string) (io.ReadCloser, error) {
		switch key {
		case "changed.txt":
			return nil, &ReasonError{Reason: findings.ObjectVersionMismatch, Err: errors.New("etag changed")}
		case "gone.txt":
			return &failingReader{err: &ReasonError{Reason: findings.SourceObjectNoLongerAvailable}}, nil
		case "half.txt":
			return &failingReader{text: strings.Repeat("text ", 2000), err: &ReasonError{Reason: findings.ObjectVersionMismatch}}, nil
		}
		return updatingReader{strings.NewReader(m.data[key])}, nil
	}
	src := &hookSource{memSource: m}
	got := map[string]*findings.Result{}
	if err := newScanner(t, 2).Run(context.Background(), src, func(r *findings.Result) error {
		got[r.Object.Key] = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"changed.txt": "SKIPPED OBJECT_VERSION_MISMATCH",
		"gone.txt":    "SKIPPED SOURCE_OBJECT_NO_LONGER_AVAILABLE",
		"half.txt":    "PARTIAL OBJECT_VERSION_MISMATCH",
		"clean.txt":   "COMPLETE ",
		"hit.txt":     "COMPLETE ",
	}
	for k, w := range want {
		if r := got[k]; r == nil || string(r.Status)+" "+string(r.Reason) != w {
			t.Errorf("%s: %v, want %s", k, r, w)
		}
	}
	if r := got["hit.txt"]; r.Object.Encryption != "aws:kms" || r.Object.VersionID != "v1" || r.Object.Tags["enriched"] != "yes" {
		t.Errorf("hit.txt object not updated: %+v", r.Object)
	}
	if len(src.enriched) != 1 || src.enriched[0] != "hit.txt" {
		t.Errorf("enriched %v, want only the object with detections", src.enriched)
	}
}
