package scanner

import (
	"bytes"
	"fmt"
	"io"
	"os"
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
// access; a larger one is spooled to a temporary file.
const memberInMemory = 16 << 20

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
// PDF or office member, standard input): in memory up to memberInMemory
// bytes, past that in a temporary file that cleanup removes. A member's
// reads go through its budget, so a spool is bounded by the per-file
// limit; an object's by the limit its caller reads it with.
func spool(r io.Reader) (io.ReaderAt, int64, func(), error) {
	var buf bytes.Buffer
	n, err := io.CopyN(&buf, r, memberInMemory)
	if err == io.EOF {
		return bytes.NewReader(buf.Bytes()), n, func() {}, nil
	}
	if err != nil {
		return nil, 0, nil, err
	}
	tmp, err := os.CreateTemp("", "trawl-member-*")
	if err != nil {
		return nil, 0, nil, fmt.Errorf("spool archive member: %w", err)
	}
	cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
	m, err := io.Copy(tmp, io.MultiReader(&buf, r))
	if err != nil {
		cleanup()
		return nil, 0, nil, err
	}
	return tmp, m, cleanup, nil
}
