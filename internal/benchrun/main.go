// Command benchrun measures the trawl binary end to end: it generates
// deterministic corpora (prose, logs, digit-heavy CSV, JSONL), scans each
// with one worker and with all, a 1 GiB text file, and a 2 GiB CSV and a
// 2 GiB JSONL file, and prints MB/s per core and peak memory (the child's maximum resident set size, the figure
// /usr/bin/time -v reports). `make bench` runs it.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/trawlsec/trawl/internal/corpus"
)

func main() {
	bin := flag.String("bin", "bin/trawl", "trawl binary")
	dir := flag.String("dir", ".bench", "where corpora are generated (kept between runs)")
	size := flag.Int64("size", 64<<20, "bytes per corpus")
	big := flag.Int64("big", 1<<30, "size of the single large text file (0 to skip)")
	huge := flag.Int64("huge", 2<<30, "size of the single large CSV and JSONL files scanned for peak memory (0 to skip)")
	ids := flag.String("identifiers", "all", "--managed-identifiers for the runs")
	withCustom := flag.Bool("custom", true, "also run the 20 benchmark custom identifiers")
	archives := flag.Bool("archives", true, "also run the archive cases (10,000-file zip, .gz of text, 10 GB gzip bomb)")
	customCost := flag.Bool("custom-cost", true, "also measure the typical custom identifiers' cost")
	docs := flag.String("docs", ".bench/doc-60m.txt", "real documentation for the custom identifiers' cost (internal/benchrun/doc-corpus.sh)")
	flag.Parse()
	if *archives {
		defer runArchives(*bin, *dir, *ids)
	}
	if *customCost {
		defer runCustomCost(*bin, *dir, *size, *docs)
	}

	var extra []string
	if *withCustom {
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			log.Fatal(err)
		}
		path := filepath.Join(*dir, "custom-identifiers.yaml")
		if err := os.WriteFile(path, []byte(corpus.BenchCustomIdentifiers), 0o644); err != nil {
			log.Fatal(err)
		}
		extra = []string{"--custom-identifiers", path}
	}

	const parts = 16
	fmt.Printf("trawl end-to-end throughput (%d-core machine, --managed-identifiers %s, %d custom identifiers)\n\n",
		runtime.NumCPU(), *ids, map[bool]int{true: 20}[*withCustom])
	fmt.Printf("%-8s %9s %8s %9s %9s %10s %10s\n", "corpus", "size", "workers", "seconds", "MB/s", "MB/s/core", "peak RSS")
	for _, kind := range corpus.Kinds {
		d := filepath.Join(*dir, fmt.Sprintf("%s-%d", kind, *size))
		if err := ensureCorpus(d, kind, *size, parts); err != nil {
			log.Fatal(err)
		}
		for _, w := range []int{1, runtime.NumCPU()} {
			secs, rss := scan(*bin, d, w, *ids, extra)
			mbs := float64(*size) / 1e6 / secs
			fmt.Printf("%-8s %9s %8d %9.2f %9.1f %10.1f %8d MB\n", kind, mib(*size), w, secs, mbs, mbs/float64(w), rss>>10)
		}
	}
	if *big > 0 {
		path := filepath.Join(*dir, fmt.Sprintf("big-%d.txt", *big))
		if _, err := os.Stat(path); err != nil {
			if err := writeCorpus(path, corpus.Prose, *big, 99); err != nil {
				log.Fatal(err)
			}
		}
		secs, rss := scan(*bin, path, 1, *ids, extra)
		fmt.Printf("%-8s %9s %8d %9.2f %9.1f %10.1f %8d MB\n", "1 file", mib(*big), 1, secs, float64(*big)/1e6/secs, float64(*big)/1e6/secs, rss>>10)
	}
	// The memory target: a 2 GB CSV and a 2 GB JSONL file, each
	// scanned by one worker, peak RSS under 150 MB.
	for _, kind := range []string{corpus.CSV, corpus.JSONL} {
		if *huge <= 0 {
			break
		}
		path := filepath.Join(*dir, fmt.Sprintf("huge-%d.%s", *huge, kind))
		if _, err := os.Stat(path); err != nil {
			if err := writeCorpus(path, kind, *huge, 77); err != nil {
				log.Fatal(err)
			}
		}
		secs, rss := scan(*bin, path, 1, *ids, extra)
		verdict := "under 150 MB"
		if rss>>10 >= 150 {
			verdict = "OVER the 150 MB target"
		}
		fmt.Printf("%-8s %9s %8d %9.2f %9.1f %10.1f %8d MB  %s\n", "1 "+kind, mib(*huge), 1, secs, float64(*huge)/1e6/secs, float64(*huge)/1e6/secs, rss>>10, verdict)
	}
}

func mib(n int64) string { return fmt.Sprintf("%d MiB", n>>20) }

func ensureCorpus(dir, kind string, size int64, parts int) error {
	if _, err := os.Stat(filepath.Join(dir, "done")); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := range parts {
		if err := writeCorpus(filepath.Join(dir, fmt.Sprintf("part-%02d.%s", i, kind)), kind, size/int64(parts), uint64(i+1)); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "done"), nil, 0o644)
}

func writeCorpus(path, kind string, size int64, seed uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	// One planted value per 200 lines: sparse, as in real data.
	return corpus.Write(f, kind, size, seed, 200)
}

// scan runs trawl over target and returns wall seconds and peak RSS in KiB.
func scan(bin, target string, workers int, ids string, extra []string) (float64, int64) {
	args := append([]string{"scan", target, "--workers", fmt.Sprint(workers), "--format", "jsonl",
		"--output", os.DevNull, "-q", "--managed-identifiers", ids}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	err := cmd.Run()
	secs := time.Since(start).Seconds()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		log.Fatalf("trawl scan %s: %v", target, err)
	}
	return secs, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
}
