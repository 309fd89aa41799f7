package scanner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/trawlsec/trawl/findings"
)

func TestParseShard(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"0/1", Shard{0, 1}, true},
		{"3/16", Shard{3, 16}, true},
		{"15/16", Shard{15, 16}, true},
		{"16/16", Shard{}, false},
		{"-1/4", Shard{}, false},
		{"1/0", Shard{}, false},
		{"1", Shard{}, false},
		{"a/b", Shard{}, false},
		{"1/2/3", Shard{}, false},
	} {
		got, err := ParseShard(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}

// TestShardsPartition lists one directory through every shard of 1, 2, 7
// and 16: each object is in exactly one shard, and every shard gets some.
func TestShardsPartition(t *testing.T) {
	dir := t.TempDir()
	const files = 400
	for i := range files {
		sub := filepath.Join(dir, fmt.Sprintf("d%d", i%5))
		os.MkdirAll(sub, 0o755)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%03d.txt", i)), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := NewLocal(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 7, 16} {
		seen := map[string]int{}
		for i := range n {
			count := 0
			err := Sharded(src, Shard{i, n}).List(context.Background(), func(o Object, err error) error {
				seen[o.Key]++
				count++
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if count == 0 {
				t.Errorf("shard %d/%d listed nothing of %d objects", i, n, files)
			}
		}
		if len(seen) != files {
			t.Errorf("%d shards listed %d distinct objects, want %d", n, len(seen), files)
		}
		for k, c := range seen {
			if c != 1 {
				t.Errorf("%d shards: %s listed %d times", n, k, c)
			}
		}
	}
}

// TestShardStable pins the hash: a shard's objects must not move between
// releases, or a fleet running mixed versions would scan some twice.
func TestShardStable(t *testing.T) {
	got := ""
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		for i := range 4 {
			if (Shard{i, 4}).Holds("bucket", k) {
				got += fmt.Sprint(i)
			}
		}
	}
	if len(got) != 8 {
		t.Fatalf("keys held by %d shards in total, want 8", len(got))
	}
	if want := "01230123"; got != want {
		t.Errorf("shards of keys a to h: %s, want %s", got, want)
	}
}

// TestRunAdmit stops taking objects when Admit says no: the objects before
// are written, none after, the long listing does not block the pool, and
// Run reports no error.
func TestRunAdmit(t *testing.T) {
	src := &memSource{data: map[string]string{}}
	for i := range 500 {
		k := fmt.Sprintf("k%03d", i)
		src.keys = append(src.keys, k)
		src.data[k] = "ssn 123-45-6789\n"
	}
	for _, w := range []int{1, 4} {
		s := newScanner(t, w)
		var mu sync.Mutex
		asked := 0
		s.Admit = func() bool {
			mu.Lock()
			defer mu.Unlock()
			asked++
			return asked <= 7
		}
		got, err := collect(t, s, context.Background(), src)
		if err != nil {
			t.Fatalf("workers=%d: Run returned %v", w, err)
		}
		if len(got) == 0 || len(got) > 7 {
			t.Fatalf("workers=%d: %d results, want 1 to 7", w, len(got))
		}
		for i, r := range got {
			if r.Object.Key != src.keys[i] || r.Status != findings.Complete {
				t.Errorf("workers=%d: result %d is %s %s, want %s COMPLETE", w, i, r.Object.Key, r.Status, src.keys[i])
			}
		}
	}
}

func TestFiltered(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.csv", "b.txt", "c.csv", "d.csv", "e.json"} {
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644)
	}
	src, err := NewLocal(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	csv := func(o Object) bool { return filepath.Ext(o.Key) == ".csv" }
	for _, c := range []struct {
		max  int
		want string
	}{{0, "a.csv c.csv d.csv"}, {2, "a.csv c.csv"}} {
		var got []string
		if err := Filtered(src, csv, c.max).List(context.Background(), func(o Object, err error) error {
			got = append(got, o.Key)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != "["+c.want+"]" {
			t.Errorf("max %d: %v, want %s", c.max, got, c.want)
		}
	}
}
