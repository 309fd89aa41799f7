package handler

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/corpus"
)

// Lambda's price per GB-second (US East, first tier) and the memory of
// one full vCPU.
const (
	pricePerGBSecondARM = 0.0000133334
	pricePerGBSecondX86 = 0.0000166667
	oneVCPUGB           = 1769.0 / 1024
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkHandlerThroughput scans a mixed 64 MiB batch (prose, logs,
// CSV and JSON Lines in 1 MiB objects, the logs gzipped) through the
// handler from MinIO, GET, decompression and scan included. It reports
// the function's megabytes per CPU-second (MinIO runs in its own
// process, outside the count) and what a terabyte costs at that rate in
// a one-vCPU function: the figures of docs/lambda.md.
func BenchmarkHandlerThroughput(b *testing.B) {
	for _, managed := range []string{"recommended", "all"} {
		b.Run(managed, func(b *testing.B) {
			f := newFixture(b, Settings{Managed: managed})
			var items []string
			var total int64
			for i := range 64 {
				kind := corpus.Kinds[i%len(corpus.Kinds)]
				var buf bytes.Buffer
				if err := corpus.Write(&buf, kind, 1<<20, uint64(i), 50); err != nil {
					b.Fatal(err)
				}
				total += int64(buf.Len())
				key, body := fmt.Sprintf("lake/%s-%02d.txt", kind, i), buf.Bytes()
				if kind == corpus.Logs {
					var z bytes.Buffer
					zw := gzip.NewWriter(&z)
					zw.Write(body)
					zw.Close()
					key, body = key+".gz", z.Bytes()
				}
				f.put(b, key, string(body))
				items = append(items, fmt.Sprintf(`{"Key":%q,"Etag":"\"%s\"","Size":%d}`, key, f.etags[key], len(body)))
			}
			payload := fmt.Sprintf(`{"BatchInput":{"bucket":%q},"Items":[%s]}`, f.bucket, strings.Join(items, ","))
			b.SetBytes(total)
			b.ResetTimer()
			var cpu time.Duration
			for range b.N {
				before := cpuTime()
				r, err := f.invoke(b, context.Background(), payload)
				cpu += cpuTime() - before
				if err != nil || len(r.Objects) != 64 {
					b.Fatalf("%v, %d objects", err, len(r.Objects))
				}
			}
			mbPerCPUSecond := float64(total) * float64(b.N) / 1e6 / cpu.Seconds()
			secondsPerTB := 1e12 / (mbPerCPUSecond * 1e6)
			b.ReportMetric(mbPerCPUSecond, "MB/cpu-s")
			// At this build's rate: x86_64 with SIMD is this build under
			// GOEXPERIMENT=simd; arm64 runs the portable paths, so its
			// figure is an estimate from a GOEXPERIMENT= run.
			b.ReportMetric(secondsPerTB*oneVCPUGB*pricePerGBSecondX86, "$/TB-x86")
			b.ReportMetric(secondsPerTB*oneVCPUGB*pricePerGBSecondARM, "$/TB-arm64")
		})
	}
}
