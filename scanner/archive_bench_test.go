package scanner

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/trawlsec/trawl/internal/corpus"
)

// BenchmarkGzipText compares scanning a .gz of prose with inflating it
// alone (same library) and with scanning the same text uncompressed, on
// one worker. The archive path's own overhead is
// scan-gz / (scan-plain + inflate).
func BenchmarkGzipText(b *testing.B) {
	var text bytes.Buffer
	if err := corpus.Write(&text, corpus.Prose, 16<<20, 7, 200); err != nil {
		b.Fatal(err)
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(text.Bytes())
	w.Close()
	s := newScanner(b, 1)
	b.Run("inflate", func(b *testing.B) {
		b.SetBytes(int64(text.Len()))
		for b.Loop() {
			zr, _ := gzip.NewReader(bytes.NewReader(gz.Bytes()))
			io.Copy(io.Discard, zr)
		}
	})
	for _, tc := range []struct {
		name, key string
		data      []byte
	}{
		{"scan-plain", "prose.txt", text.Bytes()},
		{"scan-gz", "prose.txt.gz", gz.Bytes()},
	} {
		b.Run(tc.name, func(b *testing.B) {
			src := &memSource{keys: []string{tc.key}, data: map[string]string{tc.key: string(tc.data)}}
			b.SetBytes(int64(text.Len()))
			for b.Loop() {
				if _, err := collect(b, s, context.Background(), src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
