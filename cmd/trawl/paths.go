package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	ignore "github.com/sabhiram/go-gitignore"
	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/scanner"
)

// ignoreFile is read from a scanned directory's root: gitignore syntax.
const ignoreFile = ".trawlignore"

// pathFlags leave objects out of a scan by their key relative to the
// target: --exclude-path globs and a directory's .trawlignore. They
// match whole objects, never archive members.
type pathFlags struct {
	exclude []string
}

func (p *pathFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVar(&p.exclude, "exclude-path", nil, "leave out objects whose key relative to the target matches this glob (** crosses directories, e.g. 'vendor/**'; repeatable); a .trawlignore in a scanned directory adds gitignore patterns")
}

// wrap filters each source by the globs and, for a directory, its
// .trawlignore. Standard input is left as it is.
func (p *pathFlags) wrap(targets []string, sources []scanner.Source, log *slog.Logger) ([]scanner.Source, error) {
	for _, g := range p.exclude {
		if !doublestar.ValidatePattern(g) {
			return nil, usageError("--exclude-path %q is not a valid glob: use *, ?, [...], {a,b} and ** (e.g. 'vendor/**')", g)
		}
	}
	out := make([]scanner.Source, len(sources))
	for i, src := range sources {
		out[i] = src
		t := targets[i]
		if t == "-" {
			continue
		}
		var gi *ignore.GitIgnore
		if !isS3(t) {
			if info, err := os.Stat(t); err == nil && info.IsDir() {
				g, err := readIgnore(filepath.Join(t, ignoreFile))
				if err != nil {
					return nil, &exitErr{code: exitError, err: err}
				}
				gi = g
			}
		}
		if gi == nil && len(p.exclude) == 0 {
			continue
		}
		prefix := ""
		if isS3(t) {
			_, prefix, _ = strings.Cut(strings.TrimPrefix(t, "s3://"), "/")
		}
		out[i] = &excludingSource{src: src, prefix: prefix, globs: p.exclude, ignore: gi, log: log}
	}
	return out, nil
}

// readIgnore reads a .trawlignore; none is no patterns.
func readIgnore(name string) (*ignore.GitIgnore, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", name, err)
	}
	return ignore.CompileIgnoreLines(strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")...), nil
}

// excludingSource lists what its source lists but the excluded keys.
type excludingSource struct {
	src    scanner.Source
	prefix string // an S3 target's prefix: keys are matched without it
	globs  []string
	ignore *ignore.GitIgnore
	log    *slog.Logger
}

// excluded says whether a key is left out, and by what.
func (e *excludingSource) excluded(key string) (string, bool) {
	rel := strings.TrimPrefix(strings.TrimPrefix(key, e.prefix), "/")
	for _, g := range e.globs {
		if ok, _ := doublestar.Match(g, rel); ok {
			return "--exclude-path " + g, true
		}
	}
	if e.ignore != nil && e.ignore.MatchesPath(rel) {
		return ignoreFile, true
	}
	return "", false
}

func (e *excludingSource) List(ctx context.Context, fn func(scanner.Object, error) error) error {
	return e.src.List(ctx, func(o scanner.Object, err error) error {
		if by, ok := e.excluded(o.Key); ok {
			e.log.Debug("excluded", "key", o.Key, "by", by)
			return nil
		}
		return fn(o, err)
	})
}

func (e *excludingSource) Open(ctx context.Context, o scanner.Object) (io.ReadCloser, error) {
	return e.src.Open(ctx, o)
}

// Enrich passes on to the source's own enrichment, if it has one.
func (e *excludingSource) Enrich(ctx context.Context, r *findings.Result) {
	if en, ok := e.src.(scanner.Enricher); ok {
		en.Enrich(ctx, r)
	}
}
