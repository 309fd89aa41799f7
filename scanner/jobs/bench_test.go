package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings/store"
	"github.com/trawlsec/trawl/scanner"
)

func benchStore(b *testing.B) (store.Store, string) {
	path := filepath.Join(b.TempDir(), "jobs.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st, path
}

// BenchmarkSecondRun times a job's first run over 100,000 small files
// and its second, which finds them unchanged and scans none.
func BenchmarkSecondRun(b *testing.B) {
	dir := b.TempDir()
	const files = 100_000
	for i := range files {
		sub := filepath.Join(dir, fmt.Sprintf("d%03d", i%500))
		os.MkdirAll(sub, 0o755)
		body := "plain text\n"
		if i%100 == 0 {
			body = "ssn 123-45-6789\n"
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%06d.txt", i)), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for range b.N {
		st, _ := benchStore(b)
		r := &Runner{Manager: Manager{Store: st}, Holder: "bench", Workers: 2, Limits: scanner.DefaultLimits}
		if _, err := r.Create(context.Background(), &Job{Name: "j", Targets: []string{dir}, Managed: "RECOMMENDED", Sampling: 100,
			Schedule: Schedule{Frequency: Daily}, InitialRun: true}); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := r.RunNow(context.Background(), "j"); err != nil {
			b.Fatal(err)
		}
		first := time.Since(t0)
		time.Sleep(2 * time.Millisecond) // a run's scheduled time is to the millisecond
		t1 := time.Now()
		if err := r.RunNow(context.Background(), "j"); err != nil {
			b.Fatal(err)
		}
		second := time.Since(t1)
		h, _ := r.History(context.Background(), "j")
		if len(h) != 2 || h[1].Statistics.ObjectsScanned != 0 || h[1].Statistics.ObjectsUnchanged != files {
			b.Fatalf("second run: %+v", h[len(h)-1].Statistics)
		}
		b.ReportMetric(first.Seconds(), "s/first-run")
		b.ReportMetric(second.Seconds(), "s/second-run")
		b.ReportMetric(100*second.Seconds()/first.Seconds(), "%-of-first")
	}
}

// BenchmarkDiff1M loads what a job saw of 1,000,000 objects and checks a
// listing of them against it: the cost of telling what changed, apart
// from listing and scanning. It also reports the store's bytes per
// object tracked.
func BenchmarkDiff1M(b *testing.B) {
	st, path := benchStore(b)
	const n = 1_000_000
	ctx := context.Background()
	batch := make([]store.Seen, 0, 10_000)
	for i := range n {
		batch = append(batch, store.Seen{Key: fmt.Sprintf("data/2026/%02d/part-%07d.parquet", i%12, i), Fingerprint: fmt.Sprintf("etag:%032x", i)})
		if len(batch) == cap(batch) {
			if err := st.Jobs().MarkSeen(ctx, "j", "s3://lake", "r1", batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	st.Close()
	info, _ := os.Stat(path)
	wal, _ := os.Stat(path + "-wal")
	size := info.Size()
	if wal != nil {
		size += wal.Size()
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := &Runner{Manager: Manager{Store: st}}
	b.ResetTimer()
	for range b.N {
		prev, err := r.loadSeen(ctx, "j", "s3://lake")
		if err != nil {
			b.Fatal(err)
		}
		changed := 0
		for i := range n {
			fp := fmt.Sprintf("etag:%032x", i)
			if i%1000 == 0 {
				fp = "etag:changed"
			}
			if _, same := prev.check(fmt.Sprintf("data/2026/%02d/part-%07d.parquet", i%12, i), fp); !same {
				changed++
			}
		}
		if changed != n/1000 {
			b.Fatalf("%d changed, want %d", changed, n/1000)
		}
	}
	b.ReportMetric(float64(size)/n, "store-bytes/object")
}
