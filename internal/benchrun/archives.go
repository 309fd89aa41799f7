package main

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/trawlsec/trawl/internal/corpus"
)

// runArchives measures the archive targets of issue 6: a zip of 10,000
// small files against the same files on disk; a .gz of text against
// inflating it alone and against the plain text; a tar.gz holding 11 GB of
// zeros, which must stop at the 10 GB extraction limit in bounded memory.
func runArchives(bin, dir, ids string) {
	fmt.Printf("\narchives (%d-core machine, --managed-identifiers %s)\n\n", runtime.NumCPU(), ids)
	fmt.Printf("%-34s %8s %9s %9s %10s  %s\n", "case", "workers", "seconds", "MB/s", "peak RSS", "status")

	// 10,000 files of 4 KiB of prose, unpacked and zipped.
	small := filepath.Join(dir, "small-10000")
	zipPath := filepath.Join(dir, "small-10000.zip")
	const files, each = 10000, 4 << 10
	if _, err := os.Stat(zipPath); err != nil {
		must(writeSmallFiles(small, zipPath, files, each))
	}
	total := float64(files*each) / 1e6
	for _, w := range []int{1, runtime.NumCPU()} {
		secs, rss := scan(bin, small, w, ids, nil)
		fmt.Printf("%-34s %8d %9.2f %9.1f %8d MB\n", "10,000 files on disk", w, secs, total/secs, rss>>10)
	}
	secs, rss, st := scanStatus(bin, zipPath, ids)
	fmt.Printf("%-34s %8d %9.2f %9.1f %8d MB  %s\n", "the same 10,000 files in one .zip", 1, secs, total/secs, rss>>10, st)

	// 256 MiB of prose, gzipped.
	plain := filepath.Join(dir, "prose-256m.txt")
	gzPath := plain + ".gz"
	if _, err := os.Stat(gzPath); err != nil {
		must(writeCorpus(plain, corpus.Prose, 256<<20, 5))
		must(gzipFile(plain, gzPath))
	}
	size := float64(256<<20) / 1e6
	secs, rss = scan(bin, plain, 1, ids, nil)
	fmt.Printf("%-34s %8d %9.2f %9.1f %8d MB\n", "256 MiB of prose, plain", 1, secs, size/secs, rss>>10)
	secs, rss, st = scanStatus(bin, gzPath, ids)
	fmt.Printf("%-34s %8d %9.2f %9.1f %8d MB  %s\n", "the same, .gz", 1, secs, size/secs, rss>>10, st)
	inflate := inflateSeconds(gzPath)
	fmt.Printf("%-34s %8s %9.2f %9.1f %10s  (klauspost/compress, in-process)\n", "inflating the .gz alone", "-", inflate, size/inflate, "")

	// The bomb: 11 GB of zeros in a tar member, gzipped (about 11 MB).
	bomb := filepath.Join(dir, "zeros-11g.tar.gz")
	if _, err := os.Stat(bomb); err != nil {
		must(writeZeroBomb(bomb, 11e9))
	}
	secs, rss, st = scanStatus(bin, bomb, ids)
	fmt.Printf("%-34s %8d %9.2f %9s %8d MB  %s\n", "tar.gz of 11 GB of zeros", 1, secs, "-", rss>>10, st)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// scanStatus scans one file with one worker and returns its time, peak
// RSS and the result's status and reason, read from --results.
func scanStatus(bin, target, ids string) (float64, int64, string) {
	res, err := os.MkdirTemp("", "trawl-bench-results-")
	must(err)
	defer os.RemoveAll(res)
	secs, rss := scan(bin, target, 1, ids, []string{"--results", res})
	files, _ := filepath.Glob(filepath.Join(res, "*.jsonl.gz"))
	status := "?"
	if len(files) == 1 {
		f, _ := os.Open(files[0])
		defer f.Close()
		zr, _ := gzip.NewReader(f)
		var rec struct {
			ClassificationDetails struct {
				Result struct {
					Status struct {
						Code   string
						Reason *string
					}
				}
			}
		}
		if json.NewDecoder(zr).Decode(&rec) == nil {
			st := rec.ClassificationDetails.Result.Status
			status = st.Code
			if st.Reason != nil {
				status += " " + *st.Reason
			}
		}
	}
	return secs, rss, status
}

func writeSmallFiles(dir, zipPath string, n, size int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	zf, err := os.Create(zipPath)
	if err != nil {
		return err
	}
	defer zf.Close()
	zw := zip.NewWriter(bufio.NewWriter(zf))
	for i := range n {
		var buf bytes.Buffer
		if err := corpus.Write(&buf, corpus.Prose, int64(size), uint64(i+1), 200); err != nil {
			return err
		}
		name := fmt.Sprintf("d%02d/f%05d.txt", i%100, i)
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		w.Write(buf.Bytes())
	}
	return zw.Close()
}

func gzipFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	return zw.Close()
}

func inflateSeconds(path string) float64 {
	f, err := os.Open(path)
	must(err)
	defer f.Close()
	start := time.Now()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	must(err)
	_, err = io.Copy(io.Discard, zr)
	must(err)
	return time.Since(start).Seconds()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func writeZeroBomb(path string, n int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Name: "zeros.txt", Mode: 0o644, Size: n}); err != nil {
		return err
	}
	if _, err := io.CopyN(tw, zeros{}, n); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}
