package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

// memSource serves objects from memory; its hooks let a test slow down,
// block or break individual objects to exercise the pool.
type memSource struct {
	keys []string
	data map[string]string
	open func(ctx context.Context, key string) (io.ReadCloser, error)
}

func (m *memSource) List(ctx context.Context, fn func(Object, error) error) error {
	for _, k := range m.keys {
		if err := fn(Object{Key: k, Size: int64(len(m.data[k]))}, nil); err != nil {
			return err
		}
	}
	return nil
}

func (m *memSource) Open(ctx context.Context, o Object) (io.ReadCloser, error) {
	if m.open != nil {
		return m.open(ctx, o.Key)
	}
	return io.NopCloser(strings.NewReader(m.data[o.Key])), nil
}

func newScanner(t testing.TB, workers int) *Scanner {
	t.Helper()
	ids, err := identifiers.Select(identifiers.SelectAll, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := identifiers.NewEngine(ids)
	if err != nil {
		t.Fatal(err)
	}
	return &Scanner{Engine: e, Workers: workers, Text: formats.DefaultTextOptions, Limits: DefaultLimits,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func collect(t testing.TB, s *Scanner, ctx context.Context, src Source) ([]*findings.Result, error) {
	t.Helper()
	var got []*findings.Result
	err := s.Run(ctx, src, func(r *findings.Result) error {
		got = append(got, r)
		return nil
	})
	return got, err
}

func keysOf(rs []*findings.Result) []string {
	var ks []string
	for _, r := range rs {
		ks = append(ks, r.Object.Key)
	}
	return ks
}

func TestRunKeepsListingOrderWhateverTheWorkers(t *testing.T) {
	src := &memSource{data: map[string]string{}}
	for i := range 300 {
		k := fmt.Sprintf("obj-%04d.txt", i)
		src.keys = append(src.keys, k)
		src.data[k] = strings.Repeat("plain text ", i%7) + "ssn 123-45-6789\n"
	}
	// Random delays make workers finish out of order.
	rng := rand.New(rand.NewPCG(1, 2))
	var mu sync.Mutex
	src.open = func(_ context.Context, key string) (io.ReadCloser, error) {
		mu.Lock()
		d := time.Duration(rng.IntN(300)) * time.Microsecond
		mu.Unlock()
		time.Sleep(d)
		return io.NopCloser(strings.NewReader(src.data[key])), nil
	}
	for _, w := range []int{1, 3, 8} {
		got, err := collect(t, newScanner(t, w), context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(keysOf(got), src.keys) {
			t.Fatalf("workers=%d: results out of listing order", w)
		}
		for _, r := range got {
			if r.Status != findings.Complete || r.Detections() != 1 {
				t.Fatalf("workers=%d: %s: status %s, %d detections", w, r.Object.Key, r.Status, r.Detections())
			}
		}
	}
}

func TestRunCancelWritesTheFinishedPrefix(t *testing.T) {
	src := &memSource{data: map[string]string{}}
	for i := range 20 {
		k := fmt.Sprintf("k%02d", i)
		src.keys = append(src.keys, k)
		src.data[k] = "text\n"
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src.open = func(ctx context.Context, key string) (io.ReadCloser, error) {
		if key == "k05" {
			cancel() // the interrupt arrives while this object is being read
			<-ctx.Done()
			return nil, ctx.Err()
		}
		return io.NopCloser(strings.NewReader(src.data[key])), nil
	}
	// One worker: everything before k05 is finished when the interrupt comes.
	got, err := collect(t, newScanner(t, 1), ctx, src)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	if want := []string{"k00", "k01", "k02", "k03", "k04"}; !slices.Equal(keysOf(got), want) {
		t.Fatalf("emitted %v, want exactly the objects finished before the interrupt %v", keysOf(got), want)
	}
}

// panicReader stands for a format reader that hits a bug on hostile input.
type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("boom") }
func (panicReader) Close() error             { return nil }

func TestRunContainsAPanicToItsObject(t *testing.T) {
	src := &memSource{keys: []string{"a", "b", "c"}, data: map[string]string{"a": "ssn 123-45-6789", "c": "ssn 123-45-6789"}}
	src.open = func(_ context.Context, key string) (io.ReadCloser, error) {
		if key == "b" {
			return panicReader{}, nil
		}
		return io.NopCloser(strings.NewReader(src.data[key])), nil
	}
	got, err := collect(t, newScanner(t, 2), context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[1].Status != findings.Skipped || got[1].Reason != findings.UnableToParseFile {
		t.Fatalf("want b SKIPPED/UNABLE_TO_PARSE_FILE among 3 results, got %d results", len(got))
	}
	if got[0].Detections() != 1 || got[2].Detections() != 1 {
		t.Fatal("the objects around the broken one were not scanned")
	}
}

func TestRunStopsOnSinkError(t *testing.T) {
	src := &memSource{data: map[string]string{}}
	for i := range 50 {
		k := fmt.Sprintf("k%02d", i)
		src.keys = append(src.keys, k)
		src.data[k] = "x"
	}
	boom := errors.New("disk full")
	n := 0
	err := newScanner(t, 4).Run(context.Background(), src, func(*findings.Result) error {
		if n++; n == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Run returned %v, want the sink's error", err)
	}
	if n != 3 {
		t.Fatalf("emit called %d times after it failed", n-3)
	}
}

func TestObjectStatuses(t *testing.T) {
	src := &memSource{
		keys: []string{"binary.bin", "empty.txt", "huge.txt", "text.txt"},
		data: map[string]string{"binary.bin": "\x00\x01\x02\x03binary", "empty.txt": "", "huge.txt": "small really", "text.txt": "hello"},
	}
	s := newScanner(t, 2)
	s.Limits.MaxTextSize = 10 // "huge.txt" (12 bytes) is over it
	got, err := collect(t, s, context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"binary.bin": {"SKIPPED", "UNSUPPORTED_FILE_TYPE_EXCEPTION"},
		"empty.txt":  {"COMPLETE", ""},
		"huge.txt":   {"SKIPPED", "FILE_EXCEEDS_SIZE_LIMIT"},
		"text.txt":   {"COMPLETE", ""},
	}
	for _, r := range got {
		if w := want[r.Object.Key]; string(r.Status) != w[0] || string(r.Reason) != w[1] {
			t.Errorf("%s: %s/%s, want %s/%s", r.Object.Key, r.Status, r.Reason, w[0], w[1])
		}
	}
}

// The directory source, on a real tree.

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func listKeys(t *testing.T, src Source) (keys []string, errs map[string]error) {
	t.Helper()
	errs = map[string]error{}
	err := src.List(context.Background(), func(o Object, err error) error {
		keys = append(keys, o.Key)
		if err != nil {
			errs[o.Key] = err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys, errs
}

func TestDirListsInKeyOrder(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"a/c": "", "a-b": "", "a/b/z": "", "B": "", "a.txt": ""})
	src, err := NewLocal(root, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := listKeys(t, src)
	want := []string{"B", "a-b", "a.txt", "a/b/z", "a/c"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %v, want byte order %v", keys, want)
	}
	if !slices.IsSorted(keys) {
		t.Fatal("keys not sorted")
	}
}

func TestDirSymlinks(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	writeTree(t, root, map[string]string{"a.txt": "x", "sub/b.txt": "y"})
	writeTree(t, outside, map[string]string{"secret.txt": "z"})
	links := map[string]string{
		"loop":       ".",                                  // a directory loop
		"sub/up":     "..",                                 // another
		"inside":     "a.txt",                              // a file inside: followed
		"escape":     filepath.Join(outside, "secret.txt"), // a file outside: not followed
		"escape-dir": outside,                              // a directory outside: not followed
		"broken":     "does-not-exist",                     // dangling
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	src, err := NewLocal(root, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	keys, errs := listKeys(t, src)
	want := []string{"a.txt", "inside", "sub/b.txt"}
	if !slices.Equal(keys, want) || len(errs) != 0 {
		t.Fatalf("keys %v (errors %v), want %v", keys, errs, want)
	}
}

func TestDirUnreadableEntries(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads everything; the end-to-end test covers this by running trawl as an unprivileged user")
	}
	root := t.TempDir()
	writeTree(t, root, map[string]string{"ok.txt": "x", "locked/inner.txt": "y", "secret.txt": "z"})
	os.Chmod(filepath.Join(root, "locked"), 0)
	os.Chmod(filepath.Join(root, "secret.txt"), 0)
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "locked"), 0o755) })
	src, _ := NewLocal(root, slog.Default())
	got, err := collect(t, newScanner(t, 2), context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, r := range got {
		status[r.Object.Key] = string(r.Status) + "/" + string(r.Reason)
	}
	want := map[string]string{"locked/": "SKIPPED/PERMISSION_DENIED", "ok.txt": "COMPLETE/", "secret.txt": "SKIPPED/PERMISSION_DENIED"}
	for k, v := range want {
		if status[k] != v {
			t.Errorf("%s: %s, want %s", k, status[k], v)
		}
	}
}

func TestNewLocalErrors(t *testing.T) {
	if _, err := NewLocal(filepath.Join(t.TempDir(), "missing"), slog.Default()); !errors.Is(err, fs.ErrNotExist) && err == nil {
		t.Fatal("a missing path must be an error")
	}
	file := filepath.Join(t.TempDir(), "one.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	src, err := NewLocal(file, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := listKeys(t, src)
	if !slices.Equal(keys, []string{"one.txt"}) {
		t.Fatalf("single file key %v, want its name", keys)
	}
}

func TestCancelableReaderReturnsOnCancel(t *testing.T) {
	pr, pw := io.Pipe() // nothing is ever written: a read would block forever
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	r := newCancelableReader(ctx, pr)
	done := make(chan error)
	go func() {
		_, err := r.Read(make([]byte, 10))
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Read returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Read did not return after cancel")
	}
}

func TestCancelableReaderPassesDataThrough(t *testing.T) {
	want := strings.Repeat("0123456789", 100000)
	got, err := io.ReadAll(newCancelableReader(context.Background(), strings.NewReader(want)))
	if err != nil || string(got) != want {
		t.Fatalf("read %d bytes, err %v", len(got), err)
	}
}
