package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

func newIdentifiersExplainCmd(stdout io.Writer) *cobra.Command {
	var customFiles []string
	var measure string
	cmd := &cobra.Command{
		Use:   "explain ID",
		Short: "Say how the engine finds an identifier: which trigger serves it, and why",
		Long: `Explain prints, for each form of a managed identifier or for a custom one
(named as in its file, with --custom-identifiers), a Trigger: line naming the cheap
scan that points the engine at its candidates (anchor, digits, long run, keyword,
class, whole, finder) and why. "class" and "whole" look at the most text; a custom
pattern that lands there costs the most.`,
		Example: `  trawl identifiers explain USA_SOCIAL_SECURITY_NUMBER
  trawl identifiers explain 'Employee ID' --custom-identifiers custom.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			ids, err := explainTargets(args[0], customFiles)
			if err != nil {
				return err
			}
			e, err := identifiers.NewEngine(ids)
			if err != nil {
				return fmt.Errorf("explain %s: %w", args[0], err)
			}
			for i, id := range e.Identifiers() {
				name, why := e.Trigger(i)
				if len(ids) > 1 {
					fmt.Fprintf(stdout, "%s, form %d:\n", id.ID, i+1)
				} else {
					fmt.Fprintf(stdout, "%s:\n", id.ID)
				}
				fmt.Fprintf(stdout, "  Trigger: %s: %s\n", name, why)
			}
			if measure != "" {
				return measureEngine(stdout, e, measure)
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&customFiles, "custom-identifiers", nil, "custom data identifiers file (JSON or YAML; repeatable)")
	cmd.Flags().StringVar(&measure, "measure", "", "also scan this text file with the identifier alone and print its cost (CPU time per MB, one core)")
	return cmd
}

// explainTargets returns the entries of the managed identifier id, or
// the custom identifier of that name in the files.
func explainTargets(id string, customFiles []string) ([]*identifiers.Identifier, error) {
	for _, f := range customFiles {
		custom, err := identifiers.LoadCustom(f)
		if err != nil {
			return nil, usageError("%v", err)
		}
		for _, c := range custom {
			if c.Name == id || c.ID == id {
				return []*identifiers.Identifier{c}, nil
			}
		}
	}
	want := strings.ToUpper(strings.TrimSpace(id))
	var out []*identifiers.Identifier
	for _, m := range identifiers.Managed() {
		if m.ID == want {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil, usageError("unknown identifier %q: `trawl identifiers list` lists the managed ones; a custom one needs --custom-identifiers FILE", id)
	}
	return out, nil
}

// measureEngine scans the text file with e, as a scan of it would (UTF-8
// text in segments), and prints the time per MB. It reports how many
// detections, never what they are.
func measureEngine(w io.Writer, e *identifiers.Engine, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return usageError("--measure: %v", err)
	}
	defer f.Close()
	var size, detections int
	var spent time.Duration
	err = formats.TextSegments(f, formats.UTF8, formats.DefaultTextOptions, func(seg *formats.Segment) error {
		size += seg.OwnedEnd - seg.Owned
		start := time.Now()
		e.Scan(seg, func(identifiers.Detection) { detections++ })
		spent += time.Since(start)
		return nil
	})
	if err != nil {
		return fmt.Errorf("--measure %s: %w", path, err)
	}
	mb := float64(size) / 1e6
	if mb == 0 {
		return usageError("--measure %s: the file is empty", path)
	}
	fmt.Fprintf(w, "  Cost: %.2f ms per MB on %s (%.1f MB, %d detections; one core, this machine, now)\n",
		spent.Seconds()*1e3/mb, path, mb, detections)
	return nil
}
