// Package archive walks containers (zip, tar, 7z) and decodes compressed
// streams (gzip, bzip2, xz, zstd, snappy), under limits counted on the bytes
// actually extracted, never on what headers claim. Member names are data:
// they are reported, never used as file-system paths.
package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/trawlsec/trawl/internal/membudget"
)

// Limits bound what one top-level object may extract, all levels together.
// Zero fields take Macie's defaults.
type Limits struct {
	MaxDepth      int   // nesting levels; direct members are level 1 (Macie: 10)
	MaxFiles      int64 // files extracted (Macie: 1,000,000)
	MaxBytes      int64 // bytes extracted in total (Macie: 10 GB)
	MaxMemberSize int64 // bytes of one extracted file (Macie: 3 GB)
}

// DefaultLimits are Macie's archive quotas.
var DefaultLimits = Limits{MaxDepth: 10, MaxFiles: 1_000_000, MaxBytes: 10 << 30, MaxMemberSize: 3 << 30}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultLimits.MaxFiles
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxMemberSize <= 0 {
		l.MaxMemberSize = DefaultLimits.MaxMemberSize
	}
	return l
}

// Why a walk or a member stopped. The scanner maps each to Macie's reason.
var (
	// ErrDeclared wraps a limit that a container's directory shows it
	// would pass: nothing of it is extracted.
	ErrDeclared     = errors.New("archive: directory declares more than the limits allow")
	ErrTooManyFiles = errors.New("archive: too many files extracted")
	ErrTooManyBytes = errors.New("archive: too many bytes extracted")
	ErrMemberTooBig = errors.New("archive: member over the size limit")
	ErrEncrypted    = errors.New("archive: encrypted")
	ErrMalformed    = errors.New("archive: malformed")
	ErrUnsupported  = errors.New("archive: unsupported compression method")
)

// LimitOr returns err when it carries a budget limit, or the end of the
// budget's context, that surfaced through a MemberReader under some other
// reader (a tar header, a spool); else fallback, which says what that
// reader made of the failure.
func LimitOr(err, fallback error) error {
	for _, l := range []error{ErrTooManyBytes, ErrMemberTooBig, ErrTooManyFiles, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, l) {
			return err
		}
	}
	return fallback
}

// Budget counts what one top-level object has extracted. It is used by one
// goroutine at a time (one object is scanned by one worker).
type Budget struct {
	ctx    context.Context
	limits Limits
	files  int64
	bytes  int64
	// Memory is the object's share of the scan's memory budget, from
	// which a read-ahead and a zip directory reserve what they hold
	// (nil: no memory budget).
	Memory *membudget.Lease
}

// NewBudget starts counting for one object; ctx ends reads when cancelled.
func NewBudget(ctx context.Context, l Limits) *Budget {
	return &Budget{ctx: ctx, limits: l.withDefaults()}
}

// Limits returns the limits in force, defaults filled in.
func (b *Budget) Limits() Limits { return b.limits }

// Files and Bytes report what was extracted so far.
func (b *Budget) Files() int64 { return b.files }
func (b *Budget) Bytes() int64 { return b.bytes }

// AddFile counts one extracted file.
func (b *Budget) AddFile() error {
	if b.files >= b.limits.MaxFiles {
		return ErrTooManyFiles
	}
	b.files++
	return nil
}

// Exhausted reports whether the byte budget is spent.
func (b *Budget) Exhausted() bool { return b.bytes > b.limits.MaxBytes }

// Member wraps an extracted file's content: it counts its bytes against the
// budget's total when count is true (false: the bytes were counted
// upstream, as a tar's inside a gzip) and fails with ErrMemberTooBig past
// the member limit and ErrTooManyBytes past the total.
func (b *Budget) Member(r io.Reader, count bool) *MemberReader {
	return &MemberReader{r: r, b: b, count: count}
}

// Stream wraps a decoder's output, counted against the total only (a
// compressed stream holding a tar is not one file; its members are).
func (b *Budget) Stream(r io.Reader) *MemberReader {
	return &MemberReader{r: r, b: b, count: true, noMemberLimit: true}
}

// MemberReader is a counted, limited read of extracted bytes. It remembers
// the first limit it hit, so the scanner can report it even when a parser
// swallowed the error.
type MemberReader struct {
	r             io.Reader
	b             *Budget
	count         bool
	noMemberLimit bool
	n             int64
	err           error // a limit
	failed        error // the first other read error
}

func (m *MemberReader) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	if err := m.b.ctx.Err(); err != nil {
		return 0, err
	}
	if m.count && m.b.Exhausted() {
		m.err = ErrTooManyBytes // spent by another member
		return 0, m.err
	}
	// Read at most one byte past a limit, to tell "exactly at" from "over".
	if !m.noMemberLimit {
		if room := m.b.limits.MaxMemberSize - m.n + 1; int64(len(p)) > room {
			p = p[:room]
		}
	}
	if m.count {
		if room := m.b.limits.MaxBytes - m.b.bytes + 1; int64(len(p)) > room {
			p = p[:room]
		}
	}
	n, err := m.r.Read(p)
	m.n += int64(n)
	if m.count {
		m.b.bytes += int64(n)
	}
	switch {
	case m.count && m.b.bytes > m.b.limits.MaxBytes:
		m.err = ErrTooManyBytes
	case !m.noMemberLimit && m.n > m.b.limits.MaxMemberSize:
		m.err = ErrMemberTooBig
	}
	if m.err == nil && errors.Is(err, ErrMemberTooBig) {
		m.err = err // a decoder that would need more memory than it may take
	}
	if m.err != nil {
		return n, m.err
	}
	if err != nil && err != io.EOF && m.failed == nil {
		m.failed = err
	}
	return n, err
}

// Drain reads what is left of the content and discards it, so that the
// check at the end of a stream (gzip's CRC and length, bzip2's, xz's and
// zstd's checksums, a zip or 7z member's CRC-32) is verified even when the
// reader of the content stopped early, as a tar reader stops at its end
// marker. The bytes count against the budget as any others; Failed and
// LimitErr say how it ended.
func (m *MemberReader) Drain() {
	buf := make([]byte, 32<<10)
	for {
		if _, err := m.Read(buf); err != nil {
			return
		}
	}
}

// Failed is the first read error that was not a limit or the end (a bad
// checksum, a truncated member), or nil.
func (m *MemberReader) Failed() error { return m.failed }

// AsFile makes a decoded stream's reader also apply the per-file limit:
// the stream turned out to be one file, not a container.
func (m *MemberReader) AsFile() { m.noMemberLimit = false }

// N is how many bytes were read.
func (m *MemberReader) N() int64 { return m.n }

// LimitErr is the limit this reader hit (ErrMemberTooBig, ErrTooManyBytes),
// or nil.
func (m *MemberReader) LimitErr() error { return m.err }

// Entry is one member of a container.
type Entry struct {
	Name      string // as stored in the archive; never a file-system path
	Size      int64  // as the header says; -1 when unknown
	Modified  time.Time
	Encrypted bool
	// Open returns the member's content, counted and limited by the
	// budget. For a streaming container (tar) it is valid only during the
	// walk's callback.
	Open func() (*MemberReader, error)
}

// Input is a container's bytes: a stream, and random access when there is
// any (zip and 7z need it; the scanner spools otherwise).
type Input struct {
	R    io.Reader
	RA   io.ReaderAt
	Size int64
	// Counted: R's bytes were already counted against the budget (a tar
	// inside a decoded stream), so members are not counted again.
	Counted bool
}

// Walk calls fn for each regular file of the container kind ("zip", "tar",
// "7z"), counting it against the budget first. It stops at the first
// error fn returns, or at a budget limit, and returns it.
func Walk(kind string, in Input, b *Budget, fn func(*Entry) error) error {
	switch kind {
	case "zip":
		return walkZip(in, b, fn)
	case "tar":
		return walkTar(in, b, fn)
	case "7z":
		return walk7z(in, b, fn)
	}
	return fmt.Errorf("archive: %q is not a container", kind)
}

// IsContainer reports whether a detected format name is a container Walk
// reads; IsCodec whether it is a compressed stream NewDecoder reads.
func IsContainer(name string) bool { return name == "zip" || name == "tar" || name == "7z" }
func IsCodec(name string) bool {
	switch name {
	case "gzip", "bzip2", "xz", "zstd", "snappy":
		return true
	}
	return false
}

// NeedsRandomAccess reports whether the container must be read through
// io.ReaderAt.
func NeedsRandomAccess(kind string) bool { return kind == "zip" || kind == "7z" }

// visitEntry calls fn with a random-access container's entry, closes what
// the entry's Open opened (*rc, which Open sets; nil if fn did not open
// it), and says whether the walk must stop: fn's error, or the byte budget
// spent.
func visitEntry(fn func(*Entry) error, e *Entry, rc *io.ReadCloser, b *Budget) error {
	err := fn(e)
	if *rc != nil {
		(*rc).Close()
	}
	if err != nil {
		return err
	}
	if b.Exhausted() {
		return ErrTooManyBytes
	}
	return nil
}
