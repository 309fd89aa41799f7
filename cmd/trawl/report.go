package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/findings/store"
	fview "github.com/trawlsec/trawl/findings/view"
)

// reportOpts are trawl report's flags.
type reportOpts struct {
	output   string
	findings string
	store    string
	limit    int
	title    string
	sel      selection
}

func newReportCmd(stdout io.Writer) *cobra.Command {
	var o reportOpts
	cmd := &cobra.Command{
		Use:   "report --output FILE",
		Short: "Write a self-contained HTML report of the stored findings (or a findings file)",
		Long: `Writes one HTML file that opens with no network: totals by severity, category and type,
where the data sits by bucket and prefix, a sortable and filterable findings table, and each
finding's detail with its locations. It never holds a matched value: findings hold none.

The report lists the first --limit findings by severity (newest first among equals); the totals
count every finding selected. The filter flags are those of 'trawl findings list'.`,
		Example: `  trawl report --output report.html
  trawl report --output report.html --since 30d --severity High
  trawl scan ./dir --format jsonl --no-store > f.jsonl && trawl report --findings f.jsonl --output report.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd, stdout)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.output, "output", "o", "", "the HTML file to write ('-': standard output)")
	fl.StringVar(&o.findings, "findings", "", "report the findings in this file (trawl's json or jsonl output) instead of the store")
	fl.StringVar(&o.store, "store", "", "findings store: an SQLite file PATH or postgres://... (default $"+store.EnvVar+", else $XDG_DATA_HOME/trawl/trawl.db)")
	fl.IntVar(&o.limit, "limit", fview.DefaultLimit, "list at most this many findings (1 to 100000); the totals count all")
	fl.StringVar(&o.title, "title", "", "the report's title (default \"trawl findings report\")")
	o.sel.register(fl)
	return cmd
}

func (o *reportOpts) run(cmd *cobra.Command, stdout io.Writer) error {
	if o.output == "" {
		return usageError("trawl report needs --output FILE (or --output - for standard output)")
	}
	if o.limit < 1 || o.limit > 100000 {
		return usageError("--limit %d: use 1 to 100000", o.limit)
	}
	var ov *fview.Overview
	if o.findings != "" {
		changed := false
		cmd.Flags().Visit(func(f *pflag.Flag) {
			if f.Name == "store" || selectionFlag(f.Name) {
				changed = true
			}
		})
		if changed {
			return usageError("--findings reports the file whole: drop --store and the filter flags, or report from the store")
		}
		fs, err := readFindingsFile(o.findings)
		if err != nil {
			return usageError("--findings: %v", err)
		}
		ov = fview.FromFindings(o.findings, fs, o.limit)
	} else {
		q, err := o.sel.query()
		if err != nil {
			return err
		}
		fo := findingsOpts{store: o.store, format: "table"}
		st, err := fo.open(cmd.Context())
		if err != nil {
			return err
		}
		defer st.Close()
		ov, err = fview.FromStore(cmd.Context(), st, q, o.limit)
		if err != nil {
			return storeErr(err)
		}
		ov.Filters = o.sel.describe()
	}
	ov.Title = o.title
	return writeReport(o.output, ov, stdout)
}

// writeReport writes the file whole or not at all: a temporary file in
// the same directory, renamed over the target.
func writeReport(output string, ov *fview.Overview, stdout io.Writer) error {
	if output == "-" {
		return fview.Report(stdout, ov)
	}
	tmp, err := os.CreateTemp(filepath.Dir(output), ".trawl-report-*.html")
	if err != nil {
		return &exitErr{code: exitError, err: fmt.Errorf("writing the report: %w", err)}
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	err = fview.Report(bw, ov)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), output)
	}
	if err != nil {
		return &exitErr{code: exitError, err: fmt.Errorf("writing the report %s: %w", output, err)}
	}
	return nil
}

// readFindingsFile reads trawl's json (an array) or jsonl output, or a
// store export.
func readFindingsFile(name string) ([]*store.Stored, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(data)
	var out []*store.Stored
	if bytes.HasPrefix(trimmed, []byte("[")) {
		if err := json.Unmarshal(trimmed, &out); err != nil {
			return nil, fmt.Errorf("%s is not a JSON array of findings: %w", name, err)
		}
		return out, nil
	}
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var s store.Stored
		if err := json.Unmarshal(line, &s); err != nil {
			return nil, fmt.Errorf("%s line %d is not a finding (give trawl's json or jsonl output): %w", name, i+1, err)
		}
		if s.ID == "" {
			return nil, fmt.Errorf("%s line %d is not a finding: it has no id", name, i+1)
		}
		out = append(out, &s)
	}
	return out, nil
}

// selectionFlag says whether a flag is one of selection's.
func selectionFlag(name string) bool {
	switch name {
	case "criteria", "severity", "type", "category", "identifier", "bucket", "key-prefix", "job", "since", "until", "archived", "all", "triage":
		return true
	}
	return false
}

// describe says what the flags selected, for the report's header.
func (s *selection) describe() string {
	var parts []string
	add := func(name string, vs ...string) {
		var kept []string
		for _, v := range vs {
			if v != "" {
				kept = append(kept, v)
			}
		}
		if len(kept) > 0 {
			parts = append(parts, name+" "+strings.Join(kept, ","))
		}
	}
	add("--criteria", s.criteria)
	add("--severity", s.severity...)
	add("--type", s.types...)
	add("--category", s.categories...)
	add("--identifier", s.idents...)
	add("--bucket", s.buckets...)
	add("--key-prefix", s.keyPrefix)
	add("--job", s.jobs...)
	add("--since", s.since)
	add("--until", s.until)
	add("--triage", s.triage)
	if s.archived {
		parts = append(parts, "--archived")
	}
	if s.all {
		parts = append(parts, "--all")
	}
	return strings.Join(parts, " ")
}
