package main

import (
	"context"
	"io"
	"strings"

	"github.com/trawlsec/trawl/findings/store"
)

// exportFormat writes an export in one of scan's file formats (csv, sarif,
// asff) with scan's own writers, so both write the same documents; it
// reports false for the store's own formats (table, json, jsonl).
func exportFormat(ctx context.Context, o findingsOpts, q store.Query, stdout, stderr io.Writer) (bool, error) {
	format := strings.ToLower(o.format)
	sink := formatSink(format, stdout, stderr)
	if sink == nil {
		if format != "table" && format != "json" && format != "jsonl" {
			return true, usageError("unknown --format %q: use %s", o.format, formatNames)
		}
		return false, nil
	}
	o.format = "jsonl" // for the store's own format check
	st, err := o.open(ctx)
	if err != nil {
		return true, err
	}
	defer st.Close()
	err = st.Each(ctx, q, func(f *store.Stored) error { return sink.Put(nil, &f.Finding) })
	if cerr := sink.Close(); err == nil {
		err = cerr
	}
	return true, storeErr(err)
}
