package scanner

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/internal/hostile"
	"github.com/trawlsec/trawl/internal/membudget"
)

// TestRunSharesOneMemoryBudget: workers on nested zips reserve from one
// pool, never past it; members the pool cannot hold are spooled to files,
// so every object completes; everything is given back at the end.
func TestRunSharesOneMemoryBudget(t *testing.T) {
	root := t.TempDir()
	for i := range 6 {
		var b bytes.Buffer
		if err := hostile.NestedZips(&b, 4, 3<<20); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, fmt.Sprintf("n%d.zip", i)), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := NewLocal(root, newScanner(t, 1).Log)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{48 << 20, 1 << 30} {
		s := newScanner(t, 6)
		s.Memory = membudget.New(size)
		got, err := collect(t, s, context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range got {
			if r.Status != findings.Complete || r.Detections() == 0 {
				t.Errorf("budget %d MiB: %s %s/%s with %d detections", size>>20, r.Object.Key, r.Status, r.Reason, r.Detections())
			}
		}
		if peak := s.Memory.Peak(); peak > size || peak < 6*objectMemory {
			t.Errorf("budget %d MiB: peak reserved %d", size>>20, peak)
		}
		if used := s.Memory.Used(); used != 0 {
			t.Errorf("budget %d MiB: %d bytes still reserved after the scan", size>>20, used)
		}
	}
}
