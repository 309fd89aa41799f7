package archive

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// TestQuineZipIsAQuine checks the fixture made by
// testdata/archives/make-quine.go: its one member inflates to the zip
// itself, and the CRC-32 recorded for the member (the CRC of the whole
// file) checks.
func TestQuineZipIsAQuine(t *testing.T) {
	data := fixture(t, "quine.zip")
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 {
		t.Fatalf("%d members, want 1", len(zr.File))
	}
	f := zr.File[0]
	if f.Name != "quine.zip" || f.Method != zip.Deflate {
		t.Errorf("member %q, method %d", f.Name, f.Method)
	}
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc) // archive/zip checks the CRC at the end
	if err != nil {
		t.Fatalf("reading the member: %v", err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("the member (%d bytes) is not the zip (%d bytes)", len(got), len(data))
	}
}
