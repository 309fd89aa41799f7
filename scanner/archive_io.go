package scanner

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/trawlsec/trawl/internal/membudget"
)

// ArchiveSizeLimits are the largest archive objects analysed, by kind
// (Macie: gzip and zip 8 GB, tar 20 GB). Kinds Macie does not read (7z,
// bzip2, xz, zstd, snappy) take Other. A larger object is SKIPPED with
// ARCHIVE_EXCEEDS_SIZE_LIMIT.
type ArchiveSizeLimits struct {
	Gzip, Zip, Tar, Other int64
}

// DefaultArchiveSizeLimits are Macie's.
var DefaultArchiveSizeLimits = ArchiveSizeLimits{Gzip: 8 << 30, Zip: 8 << 30, Tar: 20 << 30, Other: 8 << 30}

func (l ArchiveSizeLimits) of(kind string) int64 {
	switch kind {
	case "gzip":
		return l.Gzip
	case "zip":
		return l.Zip
	case "tar":
		return l.Tar
	}
	return l.Other
}

// memberInMemory is the most of a stream that is held in memory for random
// access, when the memory budget has room for it; a larger one, or one the
// budget cannot hold now, is spooled to a temporary file.
const memberInMemory = 16 << 20

// unknownInMemory is how much of a stream of unknown size (a decoded
// stream, standard input) is tried in memory before it is spooled.
const unknownInMemory = 1 << 20

// sourceRandomAccess is the random access a source's stream gives: a local
// file, or a stream with ReadAt and Size (ranged reads on S3).
func sourceRandomAccess(rc io.Reader) (io.ReaderAt, int64, bool) {
	switch f := rc.(type) {
	case *os.File:
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
			return f, info.Size(), true
		}
	case RandomAccess:
		return f, f.Size(), true
	}
	return nil, 0, false
}

// spool gives random access to a stream (a zip or 7z inside an archive, a
// PDF or office member, standard input). size is what the stream says it
// holds (a member's header), or 0 or less when unknown. It is held in
// memory when it is small and mem, the object's share of the scan's
// memory budget, has room for it now; else it goes to a temporary file.
// cleanup removes the file or gives the memory back. A member's reads go
// through its budget, so a spool is bounded by the per-file limit; an
// object's by the limit its caller reads it with.
func spool(mem *membudget.Lease, r io.Reader, size int64) (io.ReaderAt, int64, func(), error) {
	want := int64(unknownInMemory)
	if size > 0 {
		want = size
	}
	var head []byte
	if want <= memberInMemory && mem.TryReserve(want+1) {
		// One byte past what is expected tells a stream that lied about
		// its size, which then goes to a file.
		buf := make([]byte, want+1)
		n, err := io.ReadFull(r, buf)
		switch err {
		case io.EOF, io.ErrUnexpectedEOF:
			return bytes.NewReader(buf[:n]), int64(n), func() { mem.Release(want + 1) }, nil
		case nil:
			head = buf
		default:
			mem.Release(want + 1)
			return nil, 0, nil, err
		}
		defer mem.Release(want + 1)
	}
	tmp, err := os.CreateTemp("", "trawl-member-*")
	if err != nil {
		return nil, 0, nil, fmt.Errorf("spool archive member: %w", err)
	}
	cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
	m, err := io.Copy(tmp, io.MultiReader(bytes.NewReader(head), r))
	if err != nil {
		cleanup()
		return nil, 0, nil, err
	}
	return tmp, m, cleanup, nil
}
