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

// slowReader hands out its text a chunk at a time, pausing before each.
type slowReader struct {
	text  string
	chunk int
	pause time.Duration
}

func (s *slowReader) Read(p []byte) (int, error) {
	if s.text == "" {
		return 0, io.EOF
	}
	time.Sleep(s.pause)
	n := copy(p[:min(len(p), s.chunk)], s.text)
	s.text = s.text[n:]
	return n, nil
}

func TestObjectTimeBudget(t *testing.T) {
	// 64 KiB of text, an SSN in the first line, read 1 KiB every 2 ms: the
	// whole object takes over 100 ms.
	text := "ssn 123-45-6789\n" + strings.Repeat("nothing to see here\n", 64<<10/20)
	src := &memSource{keys: []string{"slow.txt", "stuck.txt"}, data: map[string]string{"slow.txt": text, "stuck.txt": text}}
	src.open = func(ctx context.Context, key string) (io.ReadCloser, error) {
		if key == "stuck.txt" {
			// Nothing at all before the budget is gone.
			return io.NopCloser(&slowReader{text: text, chunk: 1 << 20, pause: 300 * time.Millisecond}), nil
		}
		return io.NopCloser(&slowReader{text: text, chunk: 1 << 10, pause: 2 * time.Millisecond}), nil
	}
	s := newScanner(t, 2)
	s.Text = formats.TextOptions{SegmentSize: 4096, Overlap: 256, Context: 64}

	s.Limits.MaxObjectTime = 40 * time.Millisecond
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
