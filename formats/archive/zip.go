package archive

import (
	"archive/zip"
	"compress/bzip2"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zstd"
)

// Zip compression methods beyond stored and deflate that trawl reads.
const (
	methodBzip2 = 12
	methodZstd  = 93
)

// OpenZip reads a zip's central directory, with the decompressors trawl
// adds to the standard library's (a faster deflate, bzip2, zstd). Names
// that are not local paths ("../x", "/etc/x") are not an error here: they
// are only ever reported, never written.
func OpenZip(ra io.ReaderAt, size int64) (*zip.Reader, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%w: zip directory: %v", ErrMalformed, err)
	}
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return flate.NewReader(r) })
	zr.RegisterDecompressor(methodBzip2, func(r io.Reader) io.ReadCloser { return io.NopCloser(bzip2.NewReader(r)) })
	zr.RegisterDecompressor(methodZstd, func(r io.Reader) io.ReadCloser {
		d, err := newZstd(r, zstdMaxWindow)
		if err != nil {
			return io.NopCloser(errReader{err})
		}
		return zstdCloser{d}
	})
	return zr, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// ZipTotals sums what a zip's directory declares: files and uncompressed
// bytes. Macie extracts nothing from an archive whose metadata is already
// over a limit.
func ZipTotals(zr *zip.Reader) (files int64, bytes uint64) {
	for _, f := range zr.File {
		if f.Mode().IsRegular() {
			files++
			bytes += f.UncompressedSize64
		}
	}
	return files, bytes
}

func walkZip(in Input, b *Budget, fn func(*Entry) error) error {
	release, err := checkZipDirectory(in.RA, in.Size, b)
	if err != nil {
		return err
	}
	defer release()
	zr, err := OpenZip(in.RA, in.Size)
	if err != nil {
		return err
	}
	// A zstd member's window is read from its first frame and reserved
	// before the decoder is made; the decoder refuses a larger one later.
	var window uint64
	zr.RegisterDecompressor(methodZstd, func(r io.Reader) io.ReadCloser {
		d, err := newZstd(r, window)
		if err != nil {
			return io.NopCloser(errReader{err})
		}
		return zstdCloser{d}
	})
	files, bytes := ZipTotals(zr)
	lim := b.Limits()
	switch {
	case files > lim.MaxFiles-b.Files():
		return fmt.Errorf("%w: %w", ErrDeclared, ErrTooManyFiles)
	case bytes > uint64(max(lim.MaxBytes-b.Bytes(), 0)):
		// An overlapping-entry bomb declares its true sizes; this is where
		// it stops, before inflating anything.
		return fmt.Errorf("%w: %w", ErrDeclared, ErrTooManyBytes)
	}
	for _, f := range zr.File {
		if !f.Mode().IsRegular() {
			continue // directories, links
		}
		if err := b.AddFile(); err != nil {
			return err
		}
		e := &Entry{Name: f.Name, Size: int64(min(f.UncompressedSize64, 1<<62)), Modified: f.Modified,
			Encrypted: f.Flags&0x1 != 0}
		var rc io.ReadCloser
		e.Open = func() (*MemberReader, error) {
			if e.Encrypted {
				return nil, ErrEncrypted
			}
			if rc != nil {
				rc.Close()
			}
			var err error
			if f.Method == methodZstd {
				var mem int64
				if window, mem, err = reserveZstdMember(f, b); err != nil {
					return nil, err
				}
				defer func() { rc = releaseOnClose(rc, b, mem) }()
			}
			rc, err = f.Open()
			switch {
			case errors.Is(err, zip.ErrAlgorithm):
				return nil, ErrUnsupported
			case err != nil:
				return nil, fmt.Errorf("%w: zip entry: %v", ErrMalformed, err)
			}
			rc = aheadIfLarge(rc, e.Size, b)
			return b.Member(rc, true), nil
		}
		if err := visitEntry(fn, e, &rc, b); err != nil {
			return err
		}
	}
	return nil
}

// reserveZstdMember reads the window a zstd member's first frame declares
// and reserves it (with the decoder's buffers) from the memory budget: a
// 1 KB member may declare a 128 MiB window.
func reserveZstdMember(f *zip.File, b *Budget) (window uint64, mem int64, err error) {
	raw, err := f.OpenRaw()
	if err != nil {
		return 0, 0, fmt.Errorf("%w: zip entry: %v", ErrMalformed, err)
	}
	head := make([]byte, zstd.HeaderMaxSize)
	n, _ := io.ReadFull(raw, head)
	window = zstdWindow(head[:n])
	mem = DecoderMemory("zstd", head[:n])
	if err := b.Memory.Reserve(b.ctx, mem); err != nil {
		if b.ctx.Err() != nil {
			return 0, 0, b.ctx.Err()
		}
		return 0, 0, fmt.Errorf("%w: the zstd decoder needs %d bytes: %v", ErrMemberTooBig, mem, err)
	}
	return window, mem, nil
}

// releaseOnClose gives mem back to the budget when rc is closed (at once
// when there is no rc: the member did not open).
func releaseOnClose(rc io.ReadCloser, b *Budget, mem int64) io.ReadCloser {
	if rc == nil {
		b.Memory.Release(mem)
		return nil
	}
	return &releasingCloser{ReadCloser: rc, release: func() { b.Memory.Release(mem) }}
}

type releasingCloser struct {
	io.ReadCloser
	release func()
}

func (r *releasingCloser) Close() error {
	err := r.ReadCloser.Close()
	if r.release != nil {
		r.release()
		r.release = nil
	}
	return err
}
