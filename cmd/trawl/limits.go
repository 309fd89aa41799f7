package main

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/scanner"
)

// archiveFlags set the archive limits; their defaults are Macie's.
type archiveFlags struct {
	depth  int
	files  int64
	bytes  string
	member string
}

func (a *archiveFlags) register(fl *pflag.FlagSet) {
	d := scanner.DefaultLimits.Archive
	fl.IntVar(&a.depth, "max-archive-depth", d.MaxDepth, "archive nesting levels read (an archive's own members are level 1)")
	fl.Int64Var(&a.files, "max-archive-files", d.MaxFiles, "files extracted from one object's archives, all levels")
	fl.StringVar(&a.bytes, "max-archive-bytes", "10GiB", "bytes extracted from one object's archives, all levels (units: KB, MB, GB, KiB, MiB, GiB)")
	fl.StringVar(&a.member, "max-archive-member", "3GiB", "bytes of one extracted file")
}

// apply puts the flags into limits, or says which flag is wrong.
func (a *archiveFlags) apply(l *scanner.Limits) error {
	if a.depth < 1 || a.files < 1 {
		return fmt.Errorf("--max-archive-depth and --max-archive-files must be at least 1")
	}
	b, err := parseLimit(a.bytes)
	if err != nil {
		return fmt.Errorf("--max-archive-bytes: %v", err)
	}
	m, err := parseLimit(a.member)
	if err != nil {
		return fmt.Errorf("--max-archive-member: %v", err)
	}
	l.Archive.MaxDepth, l.Archive.MaxFiles, l.Archive.MaxBytes, l.Archive.MaxMemberSize = a.depth, a.files, b, m
	return nil
}

// parseLimit reads a size limit such as "10GiB" or "3GB" (see parseSize):
// a limit must be positive.
func parseLimit(s string) (int64, error) {
	n, err := parseSize(s)
	if err == nil && n < 1 {
		err = fmt.Errorf("%q is not a positive size such as 10GiB or 500MB", s)
	}
	return n, err
}
