package main

import (
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/trawlsec/trawl/scanner"
)

// checkOutputs refuses an --output or --results that is one of the scan's
// local targets, the same file or directory whatever the path says (a
// link, another spelling): opening the output would truncate the input
// before it is read, and the scan would then call it clean. It runs before
// anything is opened for writing.
func checkOutputs(targets []string, output, results string) error {
	var inputs scanner.FileSet
	for _, t := range targets {
		switch {
		case t == "-":
			// Standard input redirected from a file (< data.txt) is that
			// file; /dev/stdin names it on Linux.
			inputs.Add("/dev/stdin")
		case !isS3(t):
			inputs.Add(t) // a target that cannot be read failed before this
		}
	}
	for _, o := range []struct{ flag, path string }{{"--output", output}, {"--results", results}} {
		if o.path == "" || isS3(o.path) {
			continue
		}
		info, err := os.Stat(o.path)
		if err != nil || !(info.Mode().IsRegular() || info.IsDir()) {
			continue // not there yet, or a device (/dev/null) that writing does not destroy
		}
		if in, ok := inputs.Holds(info); ok {
			return usageError("%s %s is the scan's target %s: writing there would destroy what is to be read; give another path", o.flag, o.path, in)
		}
	}
	return nil
}

// addOwn puts a file the scan writes in the set its local sources pass
// over: a local path or file:// URI (a local results location). An S3
// results location is no local input.
func addOwn(own *scanner.FileSet, path string) error {
	if path == "" || isS3(path) {
		return nil
	}
	if strings.HasPrefix(path, "file://") {
		u, err := url.Parse(path)
		if err != nil {
			return fmt.Errorf("results location %s: %w", path, err)
		}
		path = u.Path
	}
	return own.Add(path)
}
