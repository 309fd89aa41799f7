package s3source

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/trawlsec/trawl/findings"

	"github.com/trawlsec/trawl/internal/corpus"
	"github.com/trawlsec/trawl/internal/miniotest"
	"github.com/trawlsec/trawl/scanner"
)

// The S3 benchmarks run against a local MinIO on the same two cores as
// the scanner. That objects are fetched once is asserted by
// TestMinIO/RandomAccessAndNoDoubleFetch through the counting proxy.

func BenchmarkSmallObjects(b *testing.B) {
	srv := miniotest.Start(b)
	bucket := srv.Bucket(b, "small")
	const n = 1000
	var body bytes.Buffer
	for i := range n {
		body.Reset()
		corpus.Write(&body, corpus.Prose, 4096, uint64(i), 50)
		srv.Put(b, bucket, fmt.Sprintf("obj/%05d.txt", i), body.Bytes()[:4096])
	}
	src := &Source{Client: clientForBench(b, srv, srv.Endpoint), Bucket: bucket}
	for _, workers := range []int{2, 16, 32} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			sc := benchScanner(b, workers)
			cpu, own := srv.CPUTime(), selfCPU()
			for b.Loop() {
				scanBench(b, sc, src, n)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "objects/s")
			b.ReportMetric((selfCPU()-own).Seconds()*1e6/float64(n*b.N), "cpu-µs/object")
			b.ReportMetric((srv.CPUTime()-cpu).Seconds()*1e6/float64(n*b.N), "minio-cpu-µs/object")
		})
	}
}

// BenchmarkLargeObject scans one 64 MiB prose object from S3 and the same
// bytes from a local file, and reports both throughputs.
func BenchmarkLargeObject(b *testing.B) {
	srv := miniotest.Start(b)
	bucket := srv.Bucket(b, "large")
	var body bytes.Buffer
	corpus.Write(&body, corpus.Prose, 64<<20, 1, 200)
	srv.Put(b, bucket, "big.txt", body.Bytes())
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "big.txt"), body.Bytes(), 0o644)
	local, err := scanner.NewLocal(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	src := &Source{Client: clientForBench(b, srv, srv.Endpoint), Bucket: bucket}
	sc := benchScanner(b, 2)
	size := float64(body.Len()) / 1e6
	b.Run("s3", func(b *testing.B) {
		cpu, own := srv.CPUTime(), selfCPU()
		for b.Loop() {
			scanBench(b, sc, src, 1)
		}
		reportCPU(b, selfCPU()-own, size)
		b.ReportMetric(size*float64(b.N)/b.Elapsed().Seconds(), "MB/s")
		// MinIO shares the machine's two cores with the scanner; real S3
		// would not take this from the scan.
		b.ReportMetric((srv.CPUTime()-cpu).Seconds()/float64(b.N), "minio-cpu-s/op")
	})
	b.Run("s3-read-only", func(b *testing.B) {
		cpu, own := srv.CPUTime(), selfCPU()
		for b.Loop() {
			err := src.List(context.Background(), func(o scanner.Object, listErr error) error {
				if listErr != nil {
					return listErr
				}
				rc, err := src.Open(context.Background(), o)
				if err != nil {
					return err
				}
				defer rc.Close()
				_, err = io.Copy(io.Discard, rc)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, selfCPU()-own, size)
		b.ReportMetric(size*float64(b.N)/b.Elapsed().Seconds(), "MB/s")
		b.ReportMetric((srv.CPUTime()-cpu).Seconds()/float64(b.N), "minio-cpu-s/op")
	})
	b.Run("local", func(b *testing.B) {
		own := selfCPU()
		for b.Loop() {
			scanBench(b, sc, local, 1)
		}
		reportCPU(b, selfCPU()-own, size)
		b.ReportMetric(size*float64(b.N)/b.Elapsed().Seconds(), "MB/s")
	})
}

func clientForBench(b *testing.B, srv *miniotest.Server, endpoint string) *s3.Client {
	b.Helper()
	b.Setenv("AWS_ACCESS_KEY_ID", srv.AccessKey)
	b.Setenv("AWS_SECRET_ACCESS_KEY", srv.SecretKey)
	b.Setenv("AWS_CONFIG_FILE", os.DevNull)
	b.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	c, err := NewClient(context.Background(), ClientOptions{Region: srv.Region, EndpointURL: endpoint, PathStyle: true})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func benchScanner(b *testing.B, workers int) *scanner.Scanner {
	b.Helper()
	sc := testScanner(b, workers)
	return sc
}

func scanBench(b *testing.B, sc *scanner.Scanner, src scanner.Source, want int) {
	n := 0
	err := sc.Run(context.Background(), src, func(r *findings.Result) error {
		if r.Status != findings.Complete {
			return fmt.Errorf("%s: %s %s", r.Object.Key, r.Status, r.Reason)
		}
		n++
		return nil
	})
	if err != nil || n != want {
		b.Fatalf("scan: %v, %d results", err, n)
	}
}

// reportCPU reports this process's CPU (user+sys: the scanner's, not
// MinIO's) per run and per GB scanned, the fair S3-versus-local measure
// when MinIO shares the cores.
func reportCPU(b *testing.B, cpu time.Duration, sizeMB float64) {
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(cpu.Seconds()/(sizeMB*float64(b.N)/1e3), "trawl-cpu-s/GB")
}

// selfCPU is the processor time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
