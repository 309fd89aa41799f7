package archive

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/bodgit/sevenzip"
)

// walk7z reads a 7z archive (LZMA, LZMA2, PPMd, BCJ, deflate, bzip2...)
// through random access. An archive whose headers are encrypted cannot be
// listed: ErrEncrypted. Members of a solid block are read in order, so the
// block is decompressed once.
func walk7z(in Input, b *Budget, fn func(*Entry) error) error {
	zr, err := open7z(in.RA, in.Size)
	if err != nil {
		switch {
		case encrypted7z(err):
			return ErrEncrypted
		case errors.Is(err, ErrDecoderMemory):
			return fmt.Errorf("7z header: %w", err)
		}
		return fmt.Errorf("%w: 7z header: %v", ErrMalformed, err)
	}
	// The coders' memory is reserved once for the archive: the library
	// keeps a solid block's decoder between its members.
	var declared uint64
	for _, f := range zr.File {
		declared += min(f.UncompressedSize, 1<<62)
	}
	mem := SevenZipMemory(declared)
	if err := b.Memory.Reserve(b.ctx, mem); err != nil {
		if b.ctx.Err() != nil {
			return b.ctx.Err()
		}
		return fmt.Errorf("%w: the 7z decoders need %d bytes: %v", ErrMemberTooBig, mem, err)
	}
	defer b.Memory.Release(mem)
	for _, f := range zr.File {
		if !f.FileInfo().Mode().IsRegular() {
			continue
		}
		if err := b.AddFile(); err != nil {
			return err
		}
		e := &Entry{Name: f.Name, Size: int64(min(f.UncompressedSize, 1<<62)), Modified: f.Modified}
		var rc io.ReadCloser
		e.Open = func() (*MemberReader, error) {
			if rc != nil {
				rc.Close()
			}
			var err error
			rc, err = openFile7z(f)
			if err != nil {
				switch {
				case encrypted7z(err):
					e.Encrypted = true
					return nil, ErrEncrypted
				case errors.Is(err, ErrDecoderMemory):
					return nil, fmt.Errorf("7z entry: %w", err)
				}
				return nil, fmt.Errorf("%w: 7z entry: %v", ErrMalformed, err)
			}
			rc = aheadIfLarge(readCloser{checkCRC(encryptedRead{rc}, f.CRC32, e.Size), rc}, e.Size, b)
			return b.Member(rc, true), nil
		}
		if err := visitEntry(fn, e, &rc, b); err != nil {
			return err
		}
	}
	return nil
}

// sevenzip panics on some malformed headers and blocks (found by Fuzz7z);
// a panic there means a malformed archive, not a bug of the scan.

type readCloser struct {
	io.Reader
	io.Closer
}

func open7z(ra io.ReaderAt, size int64) (zr *sevenzip.Reader, err error) {
	defer recoverMalformed(&err)
	return sevenzip.NewReader(ra, size)
}

func openFile7z(f *sevenzip.File) (rc io.ReadCloser, err error) {
	defer recoverMalformed(&err)
	return f.Open()
}

func recoverMalformed(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("%w: decoder failed (%T)", ErrMalformed, p)
	}
}

// checkCRC fails the read that reaches a member's end with ErrMalformed
// when its bytes do not match the CRC-32 the header records: sevenzip
// checks the headers' CRCs but not the members'. A header that records
// none says 0.
func checkCRC(r io.Reader, want uint32, size int64) io.Reader {
	if want == 0 {
		return r
	}
	return &crcReader{r: r, want: want, size: size}
}

type crcReader struct {
	r    io.Reader
	want uint32
	sum  uint32
	size int64
	n    int64
	err  error // the mismatch, given on the read after the last bytes
}

func (c *crcReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	c.sum = crc32.Update(c.sum, crc32.IEEETable, p[:n])
	c.n += int64(n)
	if err == io.EOF && c.n == c.size && c.sum != c.want {
		// The bytes come first, as gzip gives them, so that what a
		// reader found before the check is kept in a PARTIAL result.
		c.err = fmt.Errorf("%w: 7z member CRC-32 mismatch", ErrMalformed)
		if n > 0 {
			return n, nil
		}
		return 0, c.err
	}
	return n, err
}

// encryptedRead turns sevenzip's read error on an encrypted block into
// ErrEncrypted, so the scanner can say why the member was not read.
type encryptedRead struct{ r io.Reader }

func (e encryptedRead) Read(p []byte) (n int, err error) {
	defer recoverMalformed(&err)
	n, err = e.r.Read(p)
	if err != nil && encrypted7z(err) {
		return n, ErrEncrypted
	}
	return n, err
}

// encrypted7z reports whether sevenzip failed for want of a password.
func encrypted7z(err error) bool {
	var re *sevenzip.ReadError
	return errors.As(err, &re) && re.Encrypted
}
