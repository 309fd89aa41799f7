package scanner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

// A local file's result carries the SHA-256 of its bytes, whether the
// format read it as a stream (text) or at random (an office document).
func TestLocalFindingsCarryContentHash(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.txt": "Card number: 4539 9872 1613 6598\n",
	}
	writeTree(t, dir, files)
	docx, err := os.ReadFile("../testdata/formats/office/doc-text.docx")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.docx"), docx, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := NewLocal(dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := collect(t, newScanner(t, 2), context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"a.txt": []byte(files["a.txt"]), "b.docx": docx}
	for _, r := range rs {
		if r.Detections() == 0 {
			t.Fatalf("%s: no detections, the test needs some", r.Object.Key)
		}
		sum := sha256.Sum256(want[r.Object.Key])
		if r.Object.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: hash %q, want the file's", r.Object.Key, r.Object.SHA256)
		}
	}
	if len(rs) != 2 {
		t.Fatalf("%d results", len(rs))
	}
}

// Objects with an ETag (S3) are not hashed.
func TestObjectsWithETagAreNotHashed(t *testing.T) {
	src := &etagSource{memSource{keys: []string{"k"}, data: map[string]string{"k": "Card number: 4539 9872 1613 6598\n"}}}
	rs, err := collect(t, newScanner(t, 1), context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].Detections() == 0 || rs[0].Object.SHA256 != "" {
		t.Fatalf("results %+v", rs)
	}
}

type etagSource struct{ memSource }

func (e *etagSource) List(ctx context.Context, fn func(Object, error) error) error {
	return e.memSource.List(ctx, func(o Object, err error) error {
		o.Bucket, o.ETag = "b", `"etag"`
		return fn(o, err)
	})
}
