package s3source

import (
	"context"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/trawlsec/trawl/internal/miniotest"
	"github.com/trawlsec/trawl/scanner"
)

// FuzzReadAt holds random access over ranged GETs (block cache, read-ahead
// spans, eviction, the tail block) to the object's bytes, for any sequence
// of reads, mixed with streaming reads.
func FuzzReadAt(f *testing.F) {
	srv := miniotest.Start(f)
	bucket := srv.Bucket(f, "fuzz")
	data := make([]byte, 3*blockSize+12345)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	srv.Put(f, bucket, "obj", data)
	ctx := context.Background()
	src := &Source{Client: clientFor(f, srv, srv.Endpoint), Bucket: bucket}
	var obj scanner.Object
	src.List(ctx, func(o scanner.Object, err error) error { obj = o; return err })

	op := func(off, n uint32) []byte {
		var b [8]byte
		binary.LittleEndian.PutUint32(b[:4], off)
		binary.LittleEndian.PutUint32(b[4:], n)
		return b[:]
	}
	f.Add(op(0, 10))
	f.Add(append(op(uint32(len(data))-5, 100), op(0, 1<<20)...))
	f.Add(append(append(op(blockSize-1, 2), op(2*blockSize, blockSize+7)...), op(3*blockSize, 1)...))
	f.Add(append(op(0, blockSize), append(op(blockSize, blockSize), op(2*blockSize, blockSize)...)...))
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 8*16 {
			ops = ops[:8*16]
		}
		rc, err := src.Open(ctx, obj)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		ra := rc.(scanner.RandomAccess)
		for i := 0; i+8 <= len(ops); i += 8 {
			off := int64(binary.LittleEndian.Uint32(ops[i:])) % (int64(len(data)) + 10)
			n := int64(binary.LittleEndian.Uint32(ops[i+4:])) % (2*blockSize + 100)
			if off%7 == 3 {
				// A streaming read now and then: the stream and random
				// access must not disturb each other.
				buf := make([]byte, n%4096)
				io.ReadFull(rc, buf)
			}
			p := make([]byte, n)
			got, err := ra.ReadAt(p, off)
			want := max(0, min(n, int64(len(data))-off))
			if int64(got) != want || (int64(got) < n && err != io.EOF) || (int64(got) == n && err != nil && err != io.EOF) {
				t.Fatalf("ReadAt(off %d, len %d) = %d, %v; want %d", off, n, got, err, want)
			}
			for k := range got {
				if p[k] != data[off+int64(k)] {
					t.Fatalf("ReadAt(off %d, len %d): byte %d differs", off, n, k)
				}
			}
		}
	})
}
