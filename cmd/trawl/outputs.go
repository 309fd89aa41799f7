package main

import (
	"io"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/asff"
	"github.com/trawlsec/trawl/findings/sarif"
)

// formatNames lists every --format, for help and errors.
const formatNames = "table, json, jsonl, csv, sarif or asff"

// formatSink returns the sink of the formats beyond table, json and jsonl;
// nil for an unknown name.
func formatSink(format string, out, stderr io.Writer) findings.Sink {
	switch format {
	case "csv":
		return findings.NewCSV(out)
	case "sarif":
		return sarif.NewWriter(out, stderr, version)
	case "asff":
		// The documents name the findings' own account and region; the
		// Security Hub publisher places them in the caller's.
		return asff.NewWriter(out, asff.Target{})
	}
	return nil
}
