package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/findings"
)

// baselineFlags let CI report only new findings: those whose stable ID
// (see findings/identity.go) is not in an earlier run's output.
type baselineFlags struct {
	read  string
	write string

	known map[string]bool
	out   *os.File
	enc   *json.Encoder
	bw    *bufio.Writer
}

func (b *baselineFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&b.read, "baseline", "", "report only findings not in this file (an earlier run's json or jsonl output, or trawl findings list --format json); the exit code counts only those")
	fl.StringVar(&b.write, "baseline-write", "", "write every finding of this run to FILE as JSON Lines, a baseline for later runs")
}

// open reads the baseline and creates the file to write, before the scan.
func (b *baselineFlags) open() error {
	if b.read != "" {
		ids, err := baselineIDs(b.read)
		if err != nil {
			return usageError("--baseline: %v", err)
		}
		b.known = ids
	}
	if b.write != "" {
		f, err := os.Create(b.write)
		if err != nil {
			return usageError("--baseline-write: %v", err)
		}
		b.out, b.bw = f, bufio.NewWriter(f)
		b.enc = json.NewEncoder(b.bw)
	}
	return nil
}

// keep writes the finding to the new baseline and returns it unless the
// old baseline has it (then nil: not reported, not counted).
func (b *baselineFlags) keep(f *findings.Finding) (*findings.Finding, error) {
	if f == nil {
		return nil, nil
	}
	if b.enc != nil {
		if err := b.enc.Encode(f); err != nil {
			return nil, fmt.Errorf("--baseline-write: %w", err)
		}
	}
	if b.known[f.ID] {
		return nil, nil
	}
	return f, nil
}

// close finishes the baseline being written.
func (b *baselineFlags) close() error {
	if b.out == nil {
		return nil
	}
	err := b.bw.Flush()
	if cerr := b.out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--baseline-write: %w", err)
	}
	return nil
}

// baselineIDs reads the finding IDs of a findings file: a JSON array,
// JSON Lines, or a findings list page ({"findings": [...]}).
func baselineIDs(name string) (map[string]bool, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	type idOnly struct {
		ID string `json:"id"`
	}
	var items []idOnly
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
	case trimmed[0] == '[':
		if err := json.Unmarshal(trimmed, &items); err != nil {
			return nil, fmt.Errorf("%s is not a JSON array of findings: %w", name, err)
		}
	case bytes.HasPrefix(trimmed, []byte(`{"findings"`)):
		var page struct{ Findings []idOnly }
		if err := json.Unmarshal(trimmed, &page); err != nil {
			return nil, fmt.Errorf("%s is not a findings list: %w", name, err)
		}
		items = page.Findings
	default:
		for i, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			var it idOnly
			if err := json.Unmarshal(line, &it); err != nil {
				return nil, fmt.Errorf("%s line %d is not a finding (give trawl's json or jsonl output): %v", name, i+1, err)
			}
			items = append(items, it)
		}
	}
	ids := map[string]bool{}
	for i, it := range items {
		if len(it.ID) != 32 {
			return nil, fmt.Errorf("%s: finding %d has no finding ID (32 hex digits): is it trawl's output?", name, i+1)
		}
		ids[it.ID] = true
	}
	return ids, nil
}
