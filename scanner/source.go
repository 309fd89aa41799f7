// Package scanner is the engine room: sources list and open objects, a
// worker pool scans them, and results come out in the order the source
// listed them.
package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/findings"
)

// Object is one thing to scan. A local file is an Object with an empty
// Bucket and a Key relative to the scanned root.
type Object = findings.Object

// Source lists objects and opens them.
//
// List calls fn for each object in key order (byte order of keys, as S3
// lists them) and streams: it never holds the whole listing. An entry that
// cannot be listed properly (an unreadable directory) is passed with a
// non-nil error and becomes a SKIPPED result; List itself fails only when
// the source as a whole cannot be read.
//
// Open returns a stream. Where the source can give random access, the
// stream also implements RandomAccess (a local file and an S3 object do),
// and formats that need it use that instead of buffering. A stream reads
// at most the size the object was listed with.
type Source interface {
	List(ctx context.Context, fn func(Object, error) error) error
	Open(ctx context.Context, o Object) (io.ReadCloser, error)
}

// NewLocal returns the source for a path given on the command line: "-"
// for standard input, a directory (walked recursively), or a single file.
// A path that does not exist is an error.
func NewLocal(path string, log *slog.Logger) (Source, error) {
	return NewLocalExcept(path, log, nil)
}

// NewLocalExcept is NewLocal for a scan that writes files of its own: a
// directory's walk passes over the files of except (which may be filled
// in until the scan starts, as the outputs are opened after the targets).
func NewLocalExcept(path string, log *slog.Logger, except *FileSet) (Source, error) {
	if path == "-" {
		return stdinSource{}, nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	if info.IsDir() {
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			return nil, fmt.Errorf("cannot resolve %s: %w", path, err)
		}
		abs, err := filepath.Abs(real)
		if err != nil {
			return nil, err
		}
		return &dirSource{root: path, realRoot: abs, log: log, except: except}, nil
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("cannot scan %s: not a regular file or directory", path)
	}
	return fileSource{path: path, info: info}, nil
}

// dirSource walks a directory tree. Symbolic links are followed only to
// files inside the root, never to directories (which the walk reaches by
// their real path if they are inside the root), so a link loop cannot trap
// it and nothing outside the root is read.
type dirSource struct {
	root     string // as the user gave it
	realRoot string // absolute, links resolved
	log      *slog.Logger
	except   *FileSet // the scan's own files, never listed
}

func (d *dirSource) Open(_ context.Context, o Object) (io.ReadCloser, error) {
	return openLocal(o)
}

func (d *dirSource) List(ctx context.Context, fn func(Object, error) error) error {
	return d.walk(ctx, "", fn)
}

// walk lists dir (a key prefix, "" or ending in "/") in key order. Sorting
// names with "/" appended to directories makes a depth-first walk produce
// keys in plain byte order: "a-b" comes before "a/c", as in S3.
func (d *dirSource) walk(ctx context.Context, dir string, fn func(Object, error) error) error {
	entries, err := os.ReadDir(filepath.Join(d.root, filepath.FromSlash(dir)))
	if err != nil {
		if dir == "" {
			return fmt.Errorf("cannot read %s: %w", d.root, err)
		}
		return fn(Object{Key: findings.EscapeInvalidUTF8(dir), Path: filepath.Join(d.root, filepath.FromSlash(dir))}, err)
	}
	sortKey := func(e fs.DirEntry) string {
		if e.IsDir() {
			return e.Name() + "/"
		}
		return e.Name()
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(sortKey(a), sortKey(b)) })
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		key := dir + e.Name()
		full := filepath.Join(d.root, filepath.FromSlash(key))
		switch mode := e.Type(); {
		case mode.IsDir():
			if err := d.walk(ctx, key+"/", fn); err != nil {
				return err
			}
			continue
		case mode&fs.ModeSymlink != 0:
			if !d.linkInsideRoot(full) {
				continue
			}
		case !mode.IsRegular():
			continue // sockets, devices, pipes: not data, and a pipe would block
		}
		info, err := os.Stat(full)
		if err != nil {
			if err := fn(Object{Key: findings.EscapeInvalidUTF8(key), Path: full}, err); err != nil {
				return err
			}
			continue
		}
		if !info.Mode().IsRegular() {
			continue
		}
		if own, ok := d.except.Holds(info); ok {
			d.log.Debug("not scanning a file this scan writes", "path", full, "as", own)
			continue
		}
		// The key is the name as text (invalid UTF-8 escaped, so that
		// distinct names stay distinct keys); Path opens the file.
		o := Object{Key: findings.EscapeInvalidUTF8(key), Path: full, Size: info.Size(), LastModified: info.ModTime()}
		if err := fn(o, nil); err != nil {
			return err
		}
	}
	return nil
}

// linkInsideRoot reports whether a symbolic link leads to a file inside the
// root. Links to directories are not followed.
func (d *dirSource) linkInsideRoot(full string) bool {
	target, err := filepath.EvalSymlinks(full)
	if err != nil {
		d.log.Debug("skipping broken symbolic link", "path", full)
		return false
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		return false
	}
	if abs != d.realRoot && !strings.HasPrefix(abs, d.realRoot+string(filepath.Separator)) {
		d.log.Debug("not following symbolic link out of the root", "path", full)
		return false
	}
	info, err := os.Stat(abs)
	if err != nil || info.IsDir() {
		return false
	}
	return true
}

// fileSource is one file; its key is the file's name.
type fileSource struct {
	path string
	info fs.FileInfo
}

func (f fileSource) List(_ context.Context, fn func(Object, error) error) error {
	return fn(Object{Key: findings.EscapeInvalidUTF8(filepath.Base(f.path)), Path: f.path, Size: f.info.Size(), LastModified: f.info.ModTime()}, nil)
}

func (f fileSource) Open(_ context.Context, o Object) (io.ReadCloser, error) { return openLocal(o) }

// localFile is a file opened for its scan, read at most up to the size it
// was listed with, as S3's ranged reads are: a file written to during its
// scan (a live log) would otherwise be read for as long as its writer
// goes on. Changed tells the scanner when the file is not what was listed.
type localFile struct {
	*io.SectionReader
	f      *os.File
	listed Object
}

func openLocal(o Object) (io.ReadCloser, error) {
	f, err := os.Open(o.Path)
	if err != nil {
		return nil, err // a nil interface, not a nil *localFile in one
	}
	return &localFile{SectionReader: io.NewSectionReader(f, 0, o.Size), f: f, listed: o}, nil
}

func (l *localFile) Close() error { return l.f.Close() }

// Changed reports whether the file's size or modification time is no
// longer what it was listed with: what was read is not all of it, or not
// one version of it.
func (l *localFile) Changed() bool {
	info, err := l.f.Stat()
	return err == nil && (info.Size() != l.listed.Size || !info.ModTime().Equal(l.listed.LastModified))
}

// changeReporter is a stream that can tell, after its scan, that the
// object changed while it was read.
type changeReporter interface{ Changed() bool }

// stdinSource is standard input, as one object with the key "stdin".
type stdinSource struct{}

func (stdinSource) List(_ context.Context, fn func(Object, error) error) error {
	return fn(Object{Key: "stdin", Path: "-"}, nil)
}

func (stdinSource) Open(ctx context.Context, _ Object) (io.ReadCloser, error) {
	return newCancelableReader(ctx, os.Stdin), nil
}

// cancelableReader lets an interrupt end a read that is waiting on an idle
// pipe: a blocked Read cannot be cancelled, so the reads happen in a
// goroutine and Read also returns when ctx is done.
type cancelableReader struct {
	ctx    context.Context
	chunks chan []byte
	errc   chan error
	rest   []byte
	err    error
}

func newCancelableReader(ctx context.Context, r io.Reader) *cancelableReader {
	c := &cancelableReader{ctx: ctx, chunks: make(chan []byte), errc: make(chan error, 1)}
	go func() {
		for {
			buf := make([]byte, 256<<10)
			n, err := r.Read(buf)
			if n > 0 {
				select {
				case c.chunks <- buf[:n]:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				c.errc <- err
				return
			}
		}
	}()
	return c
}

func (c *cancelableReader) Read(p []byte) (int, error) {
	for len(c.rest) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		select {
		case c.rest = <-c.chunks:
		case c.err = <-c.errc:
		case <-c.ctx.Done():
			return 0, c.ctx.Err()
		}
	}
	n := copy(p, c.rest)
	c.rest = c.rest[n:]
	return n, nil
}

func (c *cancelableReader) Close() error { return nil }
