package main

import (
	"fmt"
	"strconv"
	"strings"

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
	b, err := parseSize(a.bytes)
	if err != nil {
		return fmt.Errorf("--max-archive-bytes: %v", err)
	}
	m, err := parseSize(a.member)
	if err != nil {
		return fmt.Errorf("--max-archive-member: %v", err)
	}
	l.Archive.MaxDepth, l.Archive.MaxFiles, l.Archive.MaxBytes, l.Archive.MaxMemberSize = a.depth, a.files, b, m
	return nil
}

// parseSize reads "10GiB", "3GB", "512MiB", "1000": a positive byte count.
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range units {
		if strings.HasSuffix(strings.ToUpper(num), strings.ToUpper(u.suffix)) {
			num, mult = strings.TrimSpace(num[:len(num)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 1 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size such as 10GiB or 500MB", s)
	}
	return n * mult, nil
}
