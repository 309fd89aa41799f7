package scanner

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
)

// contentHash hashes a local object's bytes: a local file has no ETag,
// and its findings are identified by what it holds, so that a changed
// file makes a new finding. A file that can be read again is hashed after
// its scan, and only when it has findings (most files have none, and
// hashing every byte cost a fast text scan about half again its CPU); a
// stream that cannot (standard input) is hashed as the scan reads it.
type contentHash struct {
	r io.Reader
	h hash.Hash
	n int64 // bytes hashed, all from the start of the object
}

// hashContent returns the reader to scan o through and its hash; the hash
// is nil for objects that have an ETag or a version (S3), which identify
// them already.
func hashContent(o Object, rc io.Reader) (io.Reader, *contentHash) {
	if o.Bucket != "" || o.ETag != "" || o.VersionID != "" {
		return rc, nil
	}
	if _, _, ok := sourceRandomAccess(rc); ok {
		return rc, &contentHash{h: sha256.New()} // read again by sum
	}
	c := &contentHash{r: rc, h: sha256.New()}
	return c, c
}

func (c *contentHash) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}

// sum is the hex SHA-256 of the object. Formats that read a file at random
// (office, PDF, archives) bypass the stream, so the part the stream did
// not reach is read from the file; a stream without random access
// (standard input) is hashed as far as it was scanned.
func (c *contentHash) sum(rc io.Reader) string {
	if c == nil {
		return ""
	}
	if ra, size, ok := sourceRandomAccess(rc); ok && c.n < size {
		if _, err := io.Copy(c.h, io.NewSectionReader(ra, c.n, size-c.n)); err != nil {
			return "" // unreadable now: the finding falls back to its key
		}
	}
	return hex.EncodeToString(c.h.Sum(nil))
}
