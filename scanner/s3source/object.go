package s3source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/scanner"
)

const (
	// wholeBelow: objects up to this size are fetched with one GET.
	wholeBelow = 8 << 20
	// headWindow is the first GET of a larger object: enough to tell its
	// format. A format that reads at random (zip, Parquet) then uses
	// ranged GETs, and a stream continues with one GET to the end, so a
	// large object is never transferred twice.
	headWindow = 64 << 10
	// maxResumes is how often a body that drops mid-stream is resumed
	// from where it stopped (the SDK retries each request on its own).
	maxResumes = 10
	// blockSize and cacheBlocks shape random access: reads are served from
	// cached blocks fetched by ranged GETs, several at once when the reads
	// run forward (read-ahead).
	blockSize   = 1 << 20
	cacheBlocks = 16
	maxSpan     = 8
	// headKeep is how much of the stream's start is kept for adopt: more
	// than the scanner's sniffing buffer.
	headKeep = 64 << 10
)

// object is an open S3 object: a stream (io.Reader) that resumes a dropped
// body, and random access (io.ReaderAt) through cached ranged GETs. Every
// GET carries If-Match with the listed ETag, so an object that changed
// since it was listed ends with OBJECT_VERSION_MISMATCH, never with half of
// one version and half of another.
type object struct {
	ctx  context.Context
	src  *Source
	key  string
	etag string
	size int64

	useSSEC    bool
	encryption string
	versionID  string
	// version is the version asked for (an event names one); empty for
	// the current version.
	version string

	// The stream.
	body    io.ReadCloser
	pos     int64 // next byte the stream returns
	bodyEnd int64 // end (exclusive) of the range body was asked for
	opened  bool  // the first GET was made
	resumes int
	// head keeps the first bytes the stream returned, so that random
	// access can take over a small object's body instead of fetching it
	// again (see adopt).
	head []byte
	pf   *prefetcher // reading a large object's rest ahead

	// Random access.
	mu       sync.Mutex
	blocks   map[int64][]byte
	lru      []int64 // block indexes, least recently used first
	lastSpan int64   // index after the last block fetched, for read-ahead
	span     int64
}

var (
	_ scanner.RandomAccess  = (*object)(nil)
	_ scanner.ObjectUpdater = (*object)(nil)
)

// open makes the first GET and learns the object's encryption from it.
func (r *object) open() error {
	end := r.size
	if r.size > wholeBelow {
		end = headWindow
	}
	out, err := r.get(0, end)
	if err != nil {
		return err
	}
	if reason := clientSideEncrypted(out.Metadata); reason != "" {
		out.Body.Close()
		return &scanner.ReasonError{Reason: findings.InvalidEncryption,
			Err: fmt.Errorf("s3://%s/%s is encrypted on the client (%s metadata)", r.src.Bucket, r.key, reason)}
	}
	r.encryption = string(out.ServerSideEncryption)
	if out.SSECustomerAlgorithm != nil {
		// Macie's encryptionType has no value for customer keys.
		r.encryption = "UNKNOWN"
	}
	r.versionID = aws.ToString(out.VersionId)
	r.body, r.bodyEnd, r.opened = r.watch(out.Body), end, true
	return nil
}

// clientSideEncrypted names the metadata of the S3 Encryption Client
// (v1 and v2) that marks an object encrypted before upload.
func clientSideEncrypted(meta map[string]string) string {
	for k := range meta {
		switch strings.ToLower(k) {
		case "x-amz-key", "x-amz-key-v2", "x-amz-cek-alg":
			return strings.ToLower(k)
		}
	}
	return ""
}

// get fetches bytes [start, end) of the object. An SSE-C object read
// without its key fails; with a key given, the GET is made again with it.
func (r *object) get(start, end int64) (*s3.GetObjectOutput, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(r.src.Bucket), Key: aws.String(r.key)}
	if r.etag != "" {
		in.IfMatch = aws.String(`"` + r.etag + `"`)
	}
	if r.version != "" {
		in.VersionId = aws.String(r.version)
	}
	if r.size > 0 && (start > 0 || end < r.size) {
		in.Range = aws.String(fmt.Sprintf("bytes=%d-%d", start, end-1))
	}
	if r.useSSEC {
		in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = r.src.ssec()
	}
	out, err := r.src.Client.GetObject(r.ctx, in, retries(r.src.Log, "get s3://"+r.src.Bucket+"/"+r.key, false))
	if err != nil && !r.useSSEC && len(r.src.SSECKey) > 0 && objectReason(err) == findings.InvalidEncryption {
		r.useSSEC = true
		return r.get(start, end)
	}
	if err != nil {
		err = fmt.Errorf("get s3://%s/%s: %w", r.src.Bucket, r.key, err)
		if reason := objectReason(err); r.useSSEC && (reason == findings.PermissionDenied || reason == findings.InvalidEncryption) {
			// The customer key given is not the object's.
			return nil, &scanner.ReasonError{Reason: findings.InvalidEncryption, Err: err}
		}
		return nil, skip(err)
	}
	return out, nil
}

// Read streams the object, resuming a body that fails mid-way with a
// ranged GET from the byte it stopped at.
func (r *object) Read(p []byte) (int, error) {
	if r.pf != nil {
		return r.readPrefetched(p)
	}
	for {
		if r.pos >= r.size {
			return 0, io.EOF
		}
		if r.body == nil && r.size-r.pos > prefetchChunk {
			r.startPrefetch()
			return r.readPrefetched(p)
		}
		if r.body == nil {
			out, err := r.get(r.pos, r.size)
			if err != nil {
				return 0, err
			}
			r.body, r.bodyEnd = r.watch(out.Body), r.size
		}
		n, err := r.body.Read(p)
		if int64(len(r.head)) == r.pos && r.pos+int64(n) <= headKeep {
			r.head = append(r.head, p[:n]...)
		}
		r.pos += int64(n)
		if err == nil || n > 0 && err == io.EOF && r.pos == r.bodyEnd {
			if err == io.EOF {
				r.closeBody()
			}
			return n, nil
		}
		r.closeBody()
		if err == io.EOF && r.pos == r.bodyEnd {
			continue // the head window is done; the rest follows
		}
		r.logStall(err, r.pos)
		if cerr := r.ctx.Err(); cerr != nil {
			return n, cerr
		}
		// Dropped connection, reset, or a body shorter than asked for.
		if r.resumes >= maxResumes {
			return n, fmt.Errorf("read s3://%s/%s at byte %d: %w", r.src.Bucket, r.key, r.pos, err)
		}
		r.resumes++
		if n > 0 {
			return n, nil
		}
	}
}

func (r *object) closeBody() {
	if r.body != nil {
		r.body.Close()
		r.body = nil
	}
}

func (r *object) Close() error {
	r.stopPrefetch()
	r.closeBody()
	return nil
}

func (r *object) Size() int64 { return r.size }

// UpdateObject adds what the GET told about the object to its result.
func (r *object) UpdateObject(o *scanner.Object) {
	if r.encryption != "" {
		o.Encryption = r.encryption
	}
	if r.versionID != "" && r.versionID != "null" {
		o.VersionID = r.versionID
	}
}

// ReadAt reads from cached blocks, fetching missing ones with ranged GETs.
func (r *object) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if at >= r.size {
			return n, io.EOF
		}
		b, err := r.block(at / blockSize)
		if err != nil {
			return n, err
		}
		n += copy(p[n:], b[at%blockSize:])
	}
	return n, nil
}

// block returns block i, fetching it (and, when reads run forward, the
// next ones in the same GET).
func (r *object) block(i int64) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b, ok := r.blocks[i]; ok {
		r.touch(i)
		return b, nil
	}
	if r.adopt() {
		r.touch(i)
		return r.blocks[i], nil
	}
	// Forward reads double the span fetched at once, up to maxSpan blocks.
	if i == r.lastSpan && r.span > 0 {
		r.span = min(r.span*2, maxSpan)
	} else {
		r.span = 1
	}
	last := (r.size - 1) / blockSize
	count := min(r.span, last-i+1)
	start, end := i*blockSize, min((i+count)*blockSize, r.size)
	data, err := r.fetch(start, end)
	if err != nil {
		return nil, err
	}
	if r.blocks == nil {
		r.blocks = map[int64][]byte{}
	}
	for k := range count {
		lo := k * blockSize
		r.blocks[i+k] = data[lo:min(lo+blockSize, int64(len(data)))]
		r.touch(i + k)
	}
	for len(r.lru) > cacheBlocks {
		delete(r.blocks, r.lru[0])
		r.lru = r.lru[1:]
	}
	r.lastSpan = i + count
	return r.blocks[i], nil
}

func (r *object) touch(i int64) {
	for k, j := range r.lru {
		if j == i {
			r.lru = append(r.lru[:k], r.lru[k+1:]...)
			break
		}
	}
	r.lru = append(r.lru, i)
}

// fetch reads bytes [start, end) whole, resuming a body that drops.
func (r *object) fetch(start, end int64) ([]byte, error) {
	buf := make([]byte, end-start)
	got := int64(0)
	for tries := 0; ; tries++ {
		out, err := r.get(start+got, end)
		if err != nil {
			return nil, err
		}
		body := r.watch(out.Body)
		n, err := io.ReadFull(body, buf[got:])
		body.Close()
		got += int64(n)
		if err == nil {
			return buf, nil
		}
		r.logStall(err, start+got)
		if cerr := r.ctx.Err(); cerr != nil {
			return nil, cerr
		}
		if tries >= maxResumes {
			return nil, fmt.Errorf("read s3://%s/%s bytes %d-%d: %w", r.src.Bucket, r.key, start, end-1, err)
		}
	}
}

// adopt turns the stream of a small object, fetched whole by the first GET
// and read no further than its kept head, into cached blocks: a format
// that switches to random access after sniffing (zip, Parquet) then costs
// no second transfer. It reports whether it did.
func (r *object) adopt() bool {
	whole := r.body != nil && r.bodyEnd == r.size || r.pos == r.size
	if !whole || r.size > wholeBelow || r.pos != int64(len(r.head)) {
		return false
	}
	data := make([]byte, r.size)
	copy(data, r.head)
	if _, err := io.ReadFull(r, data[r.pos:]); err != nil {
		return false // the ranged GETs will try again
	}
	r.head = nil
	if r.blocks == nil {
		r.blocks = map[int64][]byte{}
	}
	for i := int64(0); i*blockSize < r.size; i++ {
		r.blocks[i] = data[i*blockSize : min((i+1)*blockSize, r.size)]
		r.touch(i)
	}
	return true
}
