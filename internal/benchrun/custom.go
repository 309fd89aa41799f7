package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/trawlsec/trawl/internal/corpus"
)

// runCustomCost measures what the typical custom identifiers
// (corpus.TypicalCustomIdentifiers) cost: CPU seconds of one worker with
// the default managed selection, with and without them, on each corpus
// and on real documentation (docs, made by doc-corpus.sh). The bound is
// 2x.
func runCustomCost(bin, dir string, size int64, docs string) {
	path := filepath.Join(dir, "typical-custom-identifiers.yaml")
	must(os.WriteFile(path, []byte(corpus.TypicalCustomIdentifiers), 0o644))
	fmt.Printf("\ncustom identifiers' cost (1 worker, --managed-identifiers recommended, CPU seconds)\n\n")
	fmt.Printf("%-10s %12s %14s %7s\n", "corpus", "without", "with the 18", "ratio")
	targets := []struct{ name, path string }{}
	for _, kind := range corpus.Kinds {
		targets = append(targets, struct{ name, path string }{kind, filepath.Join(dir, fmt.Sprintf("%s-%d", kind, size))})
	}
	if _, err := os.Stat(docs); err == nil {
		targets = append(targets, struct{ name, path string }{"docs", docs})
	}
	for _, t := range targets {
		without := cpuSeconds(bin, t.path)
		with := cpuSeconds(bin, t.path, "--custom-identifiers", path)
		fmt.Printf("%-10s %12.2f %14.2f %6.1fx\n", t.name, without, with, with/without)
	}
}

// cpuSeconds scans target with one worker and the default selection and
// returns the child's user and system CPU seconds.
func cpuSeconds(bin, target string, extra ...string) float64 {
	args := append([]string{"scan", target, "--workers", "1", "--format", "jsonl", "--output", os.DevNull, "-q"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		must(fmt.Errorf("trawl scan %s: %w", target, err))
	}
	return (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
}
