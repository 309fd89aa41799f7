package main

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/scanner"
)

// Upper bounds of the numeric flags. Each is far above any real need and
// low enough that a typo cannot take the machine: memory grows with the
// nesting depth and the worker count before any input is read.
const (
	maxWorkers       = 1024
	maxArchiveDepth  = 64
	maxArchiveFiles  = 10_000_000
	maxArchiveBytes  = 1 << 40   // 1TiB
	maxArchiveMember = 100 << 30 // 100GiB
	maxObjectTime    = 7 * 24 * time.Hour
	minMemory        = 128 << 20 // 128MiB: the scan's fixed cost, the soft limit's headroom and a pool to work in
	maxMemory        = 1 << 40   // 1TiB
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
	fl.IntVar(&a.depth, "max-archive-depth", d.MaxDepth, fmt.Sprintf("archive nesting levels read (an archive's own members are level 1), 1 to %d", maxArchiveDepth))
	fl.Int64Var(&a.files, "max-archive-files", d.MaxFiles, "files extracted from one object's archives, all levels, 1 to 10000000")
	fl.StringVar(&a.bytes, "max-archive-bytes", "10GiB", "bytes extracted from one object's archives, all levels, at most 1TiB (units: KB, MB, GB, KiB, MiB, GiB)")
	fl.StringVar(&a.member, "max-archive-member", "3GiB", "bytes of one extracted file, at most 100GiB")
}

// apply puts the flags into limits, or says which flag is wrong.
func (a *archiveFlags) apply(l *scanner.Limits) error {
	if a.depth < 1 || a.depth > maxArchiveDepth {
		return fmt.Errorf("--max-archive-depth must be between 1 and %d, got %d", maxArchiveDepth, a.depth)
	}
	if a.files < 1 || a.files > maxArchiveFiles {
		return fmt.Errorf("--max-archive-files must be between 1 and %d, got %d", maxArchiveFiles, a.files)
	}
	b, err := parseLimitUpTo(a.bytes, maxArchiveBytes, "1TiB")
	if err != nil {
		return fmt.Errorf("--max-archive-bytes: %v", err)
	}
	m, err := parseLimitUpTo(a.member, maxArchiveMember, "100GiB")
	if err != nil {
		return fmt.Errorf("--max-archive-member: %v", err)
	}
	l.Archive.MaxDepth, l.Archive.MaxFiles, l.Archive.MaxBytes, l.Archive.MaxMemberSize = a.depth, a.files, b, m
	return nil
}

// checkWorkers and checkObjectTime bound the two scan flags that are not
// archive limits.
func checkWorkers(n int) error {
	if n < 1 || n > maxWorkers {
		return fmt.Errorf("--workers must be between 1 and %d, got %d", maxWorkers, n)
	}
	return nil
}

func checkObjectTime(d time.Duration) error {
	if d < 0 || d > maxObjectTime {
		return fmt.Errorf("--max-object-time must not be negative nor more than 168h (7 days), got %s", d)
	}
	return nil
}

// parseMemory reads --max-memory: a size from 128MiB to 1TiB.
func parseMemory(s string) (int64, error) {
	n, err := parseLimitUpTo(s, maxMemory, "1TiB")
	if err == nil && n < minMemory {
		err = fmt.Errorf("%q is below 128MiB, the least a scan needs: give 128MiB or more", s)
	}
	if err != nil {
		return 0, fmt.Errorf("--max-memory: %v", err)
	}
	return n, nil
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

// parseLimitUpTo is parseLimit with an upper bound, named as most.
func parseLimitUpTo(s string, limit int64, most string) (int64, error) {
	n, err := parseLimit(s)
	if err == nil && n > limit {
		err = fmt.Errorf("%q is more than the most allowed, %s: give a smaller size", s, most)
	}
	return n, err
}
