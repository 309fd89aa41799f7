package s3source

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/trawlsec/trawl/scanner"
)

// stubLister serves a bucket of n keys, a page at a time, as S3 does:
// the continuation token is the index of the next key.
type stubLister struct {
	n     int
	calls int
}

func (l *stubLister) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	l.calls++
	start := 0
	if in.ContinuationToken != nil {
		start, _ = strconv.Atoi(*in.ContinuationToken)
	}
	end := min(start+int(aws.ToInt32(in.MaxKeys)), l.n)
	out := &s3.ListObjectsV2Output{IsTruncated: aws.Bool(end < l.n)}
	mod := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := start; i < end; i++ {
		out.Contents = append(out.Contents, types.Object{
			Key: aws.String(fmt.Sprintf("data/%08d.json", i)), Size: aws.Int64(4096),
			ETag: aws.String(`"0123456789abcdef0123456789abcdef"`), LastModified: &mod,
			StorageClass: types.ObjectStorageClassStandard,
		})
	}
	if end < l.n {
		out.NextContinuationToken = aws.String(strconv.Itoa(end))
	}
	return out, nil
}

func TestListStreamsAMillionKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("a million keys: not in -short")
	}
	const n = 1_000_000
	l := &stubLister{n: n}
	s := &Source{Bucket: "big"}
	var peak uint64
	var ms runtime.MemStats
	count := 0
	prev := ""
	err := s.list(context.Background(), l, &s3.ListObjectsV2Input{Bucket: aws.String("big"), MaxKeys: aws.Int32(1000)},
		func(o scanner.Object, err error) error {
			if err != nil {
				return err
			}
			if o.Key <= prev {
				return fmt.Errorf("key %d out of order", count)
			}
			prev = o.Key
			count++
			if count%50_000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if count != n || l.calls != n/1000 {
		t.Fatalf("listed %d keys in %d pages, want %d in %d", count, l.calls, n, n/1000)
	}
	t.Logf("peak heap in use while listing %d keys: %d MB", n, peak>>20)
	// The listing is streamed: the heap holds a page, not the bucket.
	if peak > 64<<20 {
		t.Errorf("heap in use reached %d MB while listing", peak>>20)
	}
}

func TestListScopeAndMaxObjects(t *testing.T) {
	l := &stubLister{n: 5000}
	s := &Source{Bucket: "b", Scope: Scope{IncludePrefix: []string{"data/0000"}, MaxObjects: 25}}
	var keys []string
	err := s.list(context.Background(), l, &s3.ListObjectsV2Input{Bucket: aws.String("b"), MaxKeys: aws.Int32(10)},
		func(o scanner.Object, err error) error {
			keys = append(keys, o.Key)
			if o.Path != "b/"+o.Key || o.Bucket != "b" || o.ETag != "0123456789abcdef0123456789abcdef" || o.StorageClass != "STANDARD" {
				t.Errorf("object fields: %+v", o)
			}
			return err
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 25 || keys[0] != "data/00000000.json" || keys[24] != "data/00000024.json" {
		t.Errorf("got %d keys from %v to %v", len(keys), keys[0], keys[len(keys)-1])
	}
	if l.calls != 3 {
		t.Errorf("listing went on after --max-objects: %d pages", l.calls)
	}
}

func BenchmarkList(b *testing.B) {
	for b.Loop() {
		l := &stubLister{n: 100_000}
		s := &Source{Bucket: "big"}
		if err := s.list(context.Background(), l, &s3.ListObjectsV2Input{Bucket: aws.String("big"), MaxKeys: aws.Int32(1000)},
			func(scanner.Object, error) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
