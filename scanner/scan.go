package scanner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/formats/archive"
	"github.com/trawlsec/trawl/identifiers"
	"github.com/trawlsec/trawl/internal/membudget"
)

// Limits are the per-object limits, Macie's by default.
type Limits struct {
	// MaxTextSize is the largest non-binary text file analysed (Macie: 20 GB).
	MaxTextSize int64
	// MaxOfficeSize is the largest office document analysed, and the most
	// its parts may inflate to (Macie: 512 MB).
	MaxOfficeSize int64
	// MaxRecordsSize is the largest Parquet or Avro file analysed (Macie: 8 GB).
	MaxRecordsSize int64
	// MaxPDFSize is the largest PDF analysed (Macie: 1,024 MB).
	MaxPDFSize int64
	// MaxObjectTime bounds the time spent on one object (Macie: 10 hours);
	// past it the object ends TIME_CUT_OFF_REACHED. Zero: no bound.
	MaxObjectTime time.Duration
	// Archive bounds what one object's archives extract, all levels
	// together; ArchiveSize the archive objects themselves (see archive.go).
	Archive     archive.Limits
	ArchiveSize ArchiveSizeLimits
}

// DefaultLimits are Macie's quotas.
var DefaultLimits = Limits{MaxTextSize: 20 << 30, MaxOfficeSize: 512 << 20, MaxRecordsSize: 8 << 30, MaxPDFSize: 1 << 30,
	MaxObjectTime: 10 * time.Hour, Archive: archive.DefaultLimits, ArchiveSize: DefaultArchiveSizeLimits}

// Scanner scans the objects of a source with a pool of workers.
type Scanner struct {
	Engine  *identifiers.Engine
	Workers int // default: the number of CPUs
	Text    formats.TextOptions
	Limits  Limits
	Log     *slog.Logger
	// Admit, when set, is asked before each object is started: false
	// leaves that object and every later one unscanned and unwritten, as
	// a cancelled scan leaves them, while the objects already started
	// finish. A Lambda function uses it to stop short of its deadline.
	Admit func() bool
	// Memory is the scan's memory budget, shared by all workers: each
	// object in flight reserves objectMemory from it, and more before it
	// holds a member in memory, a zip directory or a read-ahead (see
	// docs/memory.md). Nil: no budget.
	Memory *membudget.Pool
}

// objectMemory is what one object in flight is counted to use before it
// reserves anything more: its sniffing and read buffers, the text of the
// segment being scanned, the engine's scratch, a record or page decoded.
// A worker waits for it, so that more workers than the budget can carry
// only queue.
const objectMemory = 4 << 20

type job struct {
	seq int
	obj Object
	err error
}

type done struct {
	seq int
	res *findings.Result // nil when the scan was cancelled part-way
}

// Run scans every object the source lists and calls emit with each result
// in listing order, whatever the number of workers. When ctx is cancelled it
// stops taking objects, emits the results that are finished and in order,
// and returns ctx's error. An error from emit stops the scan and is returned.
func (s *Scanner) Run(ctx context.Context, src Source, emit func(*findings.Result) error) error {
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan job, workers)
	results := make(chan done, workers)
	// inFlight bounds the objects listed but not yet emitted, so a slow
	// object holds back at most this many finished results in memory.
	inFlight := make(chan struct{}, workers*4)

	// The listing stops early when an object is not admitted; refused
	// tells that stop from a failure.
	listCtx, stopList := context.WithCancel(ctx)
	defer stopList()
	var refused atomic.Bool
	var listErr error
	go func() {
		defer close(jobs)
		seq := 0
		listErr = src.List(listCtx, func(o Object, err error) error {
			select {
			case inFlight <- struct{}{}:
			case <-listCtx.Done():
				return listCtx.Err()
			}
			select {
			case jobs <- job{seq, o, err}:
			case <-listCtx.Done():
				return listCtx.Err()
			}
			seq++
			return nil
		})
	}()

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if refused.Load() || s.Admit != nil && !s.Admit() {
					refused.Store(true)
					stopList()
					results <- done{j.seq, nil}
					continue
				}
				res := s.scanObject(ctx, src, j)
				if e, ok := src.(Enricher); ok && res != nil && res.Detections() > 0 {
					e.Enrich(ctx, res)
				}
				results <- done{j.seq, res}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	pending := map[int]*findings.Result{}
	next := 0
	var emitErr error
	for d := range results {
		if d.res == nil {
			continue // cancelled: everything from here on stays unwritten
		}
		pending[d.seq] = d.res
		for emitErr == nil {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-inFlight
			if err := emit(r); err != nil {
				emitErr = err
				cancel()
			}
		}
	}
	if emitErr != nil {
		return emitErr
	}
	if err := parent.Err(); err != nil {
		return err
	}
	if refused.Load() && errors.Is(listErr, context.Canceled) {
		return nil
	}
	return listErr
}

// scanObject produces one object's result; nil if ctx was cancelled before
// it finished.
func (s *Scanner) scanObject(ctx context.Context, src Source, j job) (res *findings.Result) {
	r := &findings.Result{Object: j.obj, Status: findings.Complete}
	if ctx.Err() != nil {
		return nil
	}
	if j.err != nil {
		r.Skip(reasonFor(j.err))
		return r
	}
	// The extractors run under the object's own context, which its time
	// budget ends; ctx still tells a cancelled scan.
	lease := s.Memory.Lease()
	defer lease.Close()
	if err := lease.ReserveBase(ctx, objectMemory); err != nil && ctx.Err() != nil {
		return nil
	}
	octx, b, cancel := s.objectContext(ctx, lease)
	defer cancel()
	defer func() {
		if res != nil {
			cutOff(octx, b, res)
		}
	}()
	defer func() {
		// A bug or a hostile input must not take the scan down: the object
		// gets a result and the rest goes on. The panic value is logged by
		// type only, since it could quote the data.
		if p := recover(); p != nil {
			s.Log.Error("internal error while scanning object", "key", j.obj.Key, "panic", fmt.Sprintf("%T", p))
			r.Skip(findings.UnableToParseFile)
			res = r
		}
	}()
	rc, err := src.Open(ctx, j.obj)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		r.Skip(reasonFor(err))
		return r
	}
	defer rc.Close()
	if u, ok := rc.(ObjectUpdater); ok {
		u.UpdateObject(&r.Object)
	}
	stream, content := hashContent(r.Object, rc)
	br := bufio.NewReaderSize(stream, formats.SniffLen)
	head, err := br.Peek(formats.SniffLen)
	if ctx.Err() != nil {
		return nil
	}
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		r.Skip(reasonFor(err))
		return r
	}
	t := formats.Detect(head, j.obj.Key)
	r.MimeType = t.MIME
	if isArchive(t.Name) {
		s.scanArchive(octx, rc, br, t, r)
	} else if s.scanDocument(octx, rc, br, t, j.obj.Key, j.obj.Size, r) {
		// Macie reads a malformed table or record file as text, located by
		// lines. Standard input cannot be read twice: what was found stays.
		if text := s.rescanAsText(octx, src, j, t); text != nil {
			text.Object.SHA256 = content.sum(rc)
			return text
		}
		r.Status, r.Reason = findings.Partial, findings.MalformedFile
	}
	if ctx.Err() != nil {
		return nil
	}
	if c, ok := rc.(changeReporter); ok && r.Status == findings.Complete && c.Changed() {
		// Read up to the size it was listed with: what was written since
		// is not in this result.
		r.Status, r.Reason = findings.Partial, findings.ObjectVersionMismatch
	}
	if r.Detections() > 0 {
		r.Object.SHA256 = content.sum(rc)
	}
	r.Finish()
	return r
}

// scanDocument scans one stream that is not an archive into r (an object,
// or an archive member): binary formats with their own limits, text with
// the extractor its name calls for. It reports whether a table or record
// file turned out malformed, to be read again as text.
func (s *Scanner) scanDocument(ctx context.Context, rc io.Reader, br *bufio.Reader, t formats.Type, name string, size int64, r *findings.Result) (malformed bool) {
	if !t.Text {
		// Binary formats apply their own size limits.
		switch t.Name {
		case "zip", "ole2":
			if !s.scanOffice(ctx, rcOrBuffered(rc, br), t, r) {
				r.Skip(findings.UnsupportedFileType)
			}
		case "parquet", "avro":
			s.scanRecords(ctx, rcOrBuffered(rc, br), t, r)
		case "pdf":
			s.scanPDF(ctx, rcOrBuffered(rc, br), r)
		default:
			r.Skip(findings.UnsupportedFileType)
		}
		return false
	}
	if s.Limits.MaxTextSize > 0 && size > s.Limits.MaxTextSize {
		r.Skip(findings.FileExceedsSizeLimit)
		return false
	}
	extract, mime := s.structured(name, t)
	r.MimeType = mime
	var n int64
	var err error
	if t.MIME == formats.MailMIME {
		n, err = s.scanMail(ctx, br, t, r)
	} else {
		n, err = s.readText(ctx, br, t, extract, r)
	}
	if r.Object.Size == 0 {
		r.Object.Size = n // standard input: known only now
	}
	switch {
	case err == nil || ctx.Err() != nil:
	case errors.Is(err, formats.ErrNestingTooDeep):
		r.Status, r.Reason = findings.Partial, findings.JSONNestingLevelOverLimit
	case errors.Is(err, formats.ErrMalformed):
		return true
	default:
		s.Log.Warn("read error", "key", name, "err", err)
		reason := reasonFor(err) // an object changed or deleted mid-read, say
		if n > int64(t.BOM) {
			r.Status, r.Reason = findings.Partial, reason
		} else {
			r.Skip(reason)
		}
	}
	return false
}

// readText scans a text stream into r: as plain text located by lines, or
// with extract (a table or record format). It returns how many bytes it
// read, byte-order mark included.
func (s *Scanner) readText(ctx context.Context, br *bufio.Reader, t formats.Type, extract extractor, r *findings.Result) (int64, error) {
	br.Discard(t.BOM)
	cr := &countingReader{r: br, n: int64(t.BOM)}
	scan, _ := s.segmentScanner(ctx, r)
	var err error
	if extract != nil {
		err = extract(formats.Decode(cr, t.Encoding), scan)
	} else {
		err = formats.TextSegments(cr, t.Encoding, s.Text, scan)
	}
	r.SizeClassified = cr.n
	return cr.n, err
}

// rcOrBuffered is the object's stream for a reader that needs all of it: the
// file itself (which gives random access) when nothing was consumed yet
// beyond the sniffing buffer, else the buffered stream (with the source's
// random access beside it when it has some).
func rcOrBuffered(rc io.Reader, br *bufio.Reader) io.Reader {
	if ra, ok := rc.(RandomAccess); ok {
		return bufferedRandomAccess{br, ra}
	}
	if f, ok := rc.(*os.File); ok {
		if _, err := f.Seek(0, io.SeekStart); err == nil {
			return f
		}
	}
	return br
}

// rescanAsText scans an object again as plain text; nil when it cannot be
// read again (standard input) or ctx ended.
func (s *Scanner) rescanAsText(ctx context.Context, src Source, j job, t formats.Type) *findings.Result {
	if _, ok := src.(stdinSource); ok {
		return nil
	}
	rc, err := src.Open(ctx, j.obj)
	if err != nil {
		return nil
	}
	defer rc.Close()
	r := &findings.Result{Object: j.obj, Status: findings.Complete, MimeType: t.MIME}
	if _, err := s.readText(ctx, bufio.NewReader(rc), t, nil, r); err != nil || ctx.Err() != nil {
		return nil
	}
	r.Finish()
	return r
}

// reasonFor maps an error opening or reading an object to Macie's reason.
func reasonFor(err error) findings.Reason {
	if reason, ok := reasonOf(err); ok {
		return reason
	}
	switch {
	case errors.Is(err, fs.ErrPermission):
		return findings.PermissionDenied
	case errors.Is(err, fs.ErrNotExist):
		return findings.SourceObjectNoLongerAvailable
	}
	return findings.UnableToParseFile
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
