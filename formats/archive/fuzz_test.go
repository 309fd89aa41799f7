package archive

import (
	"bytes"
	"context"
	"io"
	"testing"
)

// fuzzLimits keep a fuzzed input's work small; the invariant checked is
// that no walk extracts more than they allow, whatever the input says.
var fuzzLimits = Limits{MaxDepth: 10, MaxFiles: 64, MaxBytes: 1 << 20, MaxMemberSize: 256 << 10}

func fuzzWalk(t *testing.T, kind string, data []byte) {
	b := NewBudget(context.Background(), fuzzLimits)
	in := Input{R: bytes.NewReader(data), RA: bytes.NewReader(data), Size: int64(len(data))}
	_ = Walk(kind, in, b, func(e *Entry) error {
		r, err := e.Open()
		if err != nil {
			return nil
		}
		n, err := io.Copy(io.Discard, r)
		if n > fuzzLimits.MaxMemberSize+1 {
			t.Fatalf("member read %d bytes past the limit", n)
		}
		return err
	})
	if b.Bytes() > fuzzLimits.MaxBytes+1 || b.Files() > fuzzLimits.MaxFiles {
		t.Fatalf("extracted %d bytes, %d files: past the limits", b.Bytes(), b.Files())
	}
}

func FuzzZip(f *testing.F) {
	for _, name := range []string{"zip-deflate.zip", "zip-stored.zip", "zip-bzip2.zip", "zip64.zip", "zip-stream.zip", "password.zip", "traversal.zip", "corrupt-central-directory.zip"} {
		f.Add(fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, "zip", data) })
}

func FuzzTar(f *testing.F) {
	for _, name := range []string{"tar-ustar.tar", "tar-pax.tar", "tar-gnu.tar", "tar-v7.tar", "tar-sparse-gnu.tar", "tar-sparse-pax.tar", "truncated.tar", "traversal.tar"} {
		f.Add(fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, "tar", data) })
}

func Fuzz7z(f *testing.F) {
	for _, name := range []string{"7z-lzma2.7z", "7z-encrypted-entries.7z", "7z-encrypted-headers.7z"} {
		f.Add(fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, "7z", data) })
}

// FuzzDecode decodes each codec's stream through a budget: the first
// byte picks the codec.
func FuzzDecode(f *testing.F) {
	codecs := []string{"gzip", "bzip2", "xz", "zstd", "snappy"}
	for i, name := range []string{"notes.txt.gz", "data.csv.bz2", "data.csv.xz", "record.json.zst"} {
		f.Add(append([]byte{byte(i)}, fixture(f, name)...))
	}
	f.Add(append([]byte{0}, fixture(f, "bad-crc.txt.gz")...))
	f.Add(append([]byte{2}, fixture(f, "multi-stream.txt.xz")...))
	f.Add(append([]byte{4}, "\xff\x06\x00\x00sNaPpY\x01\x09\x00\x00"...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		dec, err := NewDecoder(codecs[int(data[0])%len(codecs)], bytes.NewReader(data[1:]))
		if err != nil {
			return
		}
		defer dec.Close()
		b := NewBudget(context.Background(), fuzzLimits)
		m := b.Member(dec, true)
		io.Copy(io.Discard, m)
		if m.N() > fuzzLimits.MaxMemberSize+1 || b.Bytes() > fuzzLimits.MaxBytes+1 {
			t.Fatalf("decoded %d bytes past the limits", m.N())
		}
	})
}
