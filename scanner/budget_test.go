package scanner

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
)

// slowReader hands out its text a chunk at a time: the first free bytes
// at once, then each chunk after a pause.
type slowReader struct {
	text  string
	free  int
	chunk int
	pause time.Duration
}

func (s *slowReader) Read(p []byte) (int, error) {
	if s.text == "" {
		return 0, io.EOF
	}
	size := s.chunk
	if s.free > 0 {
		size = s.free
	} else {
		time.Sleep(s.pause)
	}
	n := copy(p[:min(len(p), size)], s.text)
	s.text, s.free = s.text[n:], max(s.free-n, 0)
	return n, nil
}

// sleeper is an empty reader that takes its time to say so.
type sleeper time.Duration

func (s sleeper) Read([]byte) (int, error) {
	time.Sleep(time.Duration(s))
	return 0, io.EOF
}

func TestObjectTimeBudget(t *testing.T) {
	// 32 KiB of text, an SSN in the first line. slow.txt gives its first
	// 8 KiB (two segments) at once, then 1 KiB every 30 ms: about a second
	// in all. stuck.txt gives nothing for a second. The budget, 300 ms,
	// leaves wide margins both ways, so a loaded machine does not change
	// the outcome.
	text := "ssn 123-45-6789\n" + strings.Repeat("nothing to see here\n", 32<<10/20)
	src := &memSource{keys: []string{"slow.txt", "stuck.txt"}, data: map[string]string{"slow.txt": text, "stuck.txt": text}}
	src.open = func(ctx context.Context, key string) (io.ReadCloser, error) {
		if key == "stuck.txt" {
			return io.NopCloser(io.MultiReader(sleeper(time.Second), strings.NewReader(text))), nil
		}
		return io.NopCloser(&slowReader{text: text, free: 8 << 10, chunk: 1 << 10, pause: 30 * time.Millisecond}), nil
	}
	s := newScanner(t, 2)
	s.Text = formats.TextOptions{SegmentSize: 4096, Overlap: 256, Context: 64}

	s.Limits.MaxObjectTime = 300 * time.Millisecond
	res := resultsByKey(t, s, src)
	r := res["slow.txt"]
	if r.Status != findings.Partial || r.Reason != findings.TimeCutOffReached {
		t.Errorf("slow.txt: %s %s, want PARTIAL TIME_CUT_OFF_REACHED", r.Status, r.Reason)
	}
	if r.Detections() != 1 {
		t.Errorf("slow.txt: %d detections kept, want the 1 found before the cut", r.Detections())
	}
	if r := res["stuck.txt"]; r.Status != findings.Skipped || r.Reason != findings.TimeCutOffReached {
		t.Errorf("stuck.txt: %s %s, want SKIPPED TIME_CUT_OFF_REACHED", r.Status, r.Reason)
	}

	// No budget: the same objects finish.
	s.Limits.MaxObjectTime = 0
	for key, r := range resultsByKey(t, s, src) {
		if r.Status != findings.Complete {
			t.Errorf("%s without a budget: %s %s", key, r.Status, r.Reason)
		}
	}
}
