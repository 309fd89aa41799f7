package scanner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/formats/archive"
)

// isArchive says whether a detected format is read as an archive. A zip is
// one unless it holds an office document, which scanArchive checks.
func isArchive(name string) bool { return archive.IsContainer(name) || archive.IsCodec(name) }

// errNesting: a container sits at the deepest level allowed, so its
// members would be deeper.
var errNesting = errors.New("archive nested past the depth limit")

// archiveWalk scans one object's archive, members of every level into the
// object's single result (Macie's result is per S3 object).
type archiveWalk struct {
	s      *Scanner
	ctx    context.Context
	budget *archive.Budget
	top    *findings.Result
	reason findings.Reason // the gravest thing that happened, by rank
}

// rank orders the reasons an archive is PARTIAL: a limit that stopped the
// walk outranks one member's, which outranks a damaged container, which
// outranks a member that could not be read.
var rank = map[findings.Reason]int{
	findings.ArchiveTotalBytesExtractedOverLimit:     6,
	findings.ArchiveTotalDocumentsProcessedOverLimit: 6,
	findings.ArchiveNestingLevelOverLimit:            5,
	findings.FileExceedsSizeLimit:                    4,
	findings.MalformedFile:                           3,
	findings.ArchiveContainsUnprocessedFiles:         1,
}

func (w *archiveWalk) note(reason findings.Reason) {
	if rank[reason] > rank[w.reason] {
		w.reason = reason
	}
}

// scanArchive scans an archive object: a container or a compressed stream.
func (s *Scanner) scanArchive(ctx context.Context, rc io.Reader, br *bufio.Reader, t formats.Type, r *findings.Result) {
	limit := s.Limits.ArchiveSize.of(t.Name)
	if limit <= 0 {
		limit = 1 << 62
	}
	if r.Object.Size > limit {
		r.Skip(findings.ArchiveExceedsSizeLimit)
		return
	}
	var ra io.ReaderAt
	size := r.Object.Size
	if a, n, ok := sourceRandomAccess(rc); ok {
		ra, size = a, n
	} else if archive.NeedsRandomAccess(t.Name) {
		// Standard input: a temporary copy, at most the archive limit.
		a, n, cleanup, ok := spoolUpTo(budgetOf(ctx).mem, br, 0, limit, findings.ArchiveExceedsSizeLimit, r)
		if !ok {
			return
		}
		defer cleanup()
		ra, size = a, n
	}
	if isOfficeZip(t, ra, size) {
		sec := io.NewSectionReader(ra, 0, size)
		s.scanDocument(ctx, sec, bufio.NewReader(sec), t, r.Object.Key, size, r)
		return
	}
	w := &archiveWalk{s: s, ctx: ctx, budget: archive.NewBudget(ctx, s.Limits.Archive), top: r}
	w.budget.Memory = budgetOf(ctx).mem
	err := w.container(t, r.Object.Key, "", br, ra, size, 0, false)
	if ctx.Err() != nil {
		return
	}
	switch {
	case err == nil:
	case errors.Is(err, archive.ErrDeclared):
		r.Skip(limitReason(err)) // Macie extracts nothing
		return
	case errors.Is(err, archive.ErrTooManyBytes), errors.Is(err, archive.ErrTooManyFiles):
		w.note(limitReason(err))
	case errors.Is(err, errNesting):
		w.note(findings.ArchiveNestingLevelOverLimit)
	case errors.Is(err, archive.ErrMemberTooBig):
		w.note(findings.FileExceedsSizeLimit) // a zip inside a gzip, spooled whole
	case errors.Is(err, archive.ErrEncrypted) && w.budget.Files() == 0:
		r.Skip(findings.InvalidEncryption) // 7z with encrypted headers
		return
	default:
		s.Log.Debug("archive ended early", "key", r.Object.Key, "err", err)
		w.note(findings.MalformedFile)
	}
	if w.reason == "" {
		return
	}
	if w.budget.Files() == 0 {
		r.Skip(w.reason)
		return
	}
	r.Status, r.Reason = findings.Partial, w.reason
}

// container walks a container or decodes a stream whose first bytes br
// holds. depth is its own level (0: the object); its members are one
// deeper. ra, when not nil, is random access to the same bytes. counted
// says br's bytes were already counted against the budget.
func (w *archiveWalk) container(t formats.Type, name, prefix string, br *bufio.Reader, ra io.ReaderAt, size int64, depth int, counted bool) error {
	if depth >= w.budget.Limits().MaxDepth {
		return errNesting
	}
	if archive.IsCodec(t.Name) {
		return w.decoded(t, name, prefix, br, depth)
	}
	in := archive.Input{R: br, RA: ra, Size: size, Counted: counted}
	if t.Name == "tar" && ra != nil {
		// A seekable tar skips the members it does not read without
		// reading them.
		in.R = io.NewSectionReader(ra, 0, size)
	}
	return archive.Walk(t.Name, in, w.budget, func(e *archive.Entry) error {
		return w.entry(e, prefix, depth+1)
	})
}

// decoded reads a compressed stream: what it holds is the same archive one
// level deeper when it is a container (a .tar.gz lists the tar's members),
// else one file named after the stream ("data.csv.gz" holds "data.csv").
func (w *archiveWalk) decoded(t formats.Type, name, prefix string, br *bufio.Reader, depth int) error {
	// The decoder's window or dictionary, as the header declares it, is
	// reserved first: a 30 KB zstd file with a 128 MiB window takes 128
	// MiB, per worker.
	header, _ := br.Peek(formats.SniffLen)
	window := archive.DecoderMemory(t.Name, header)
	if err := w.budget.Memory.Reserve(w.ctx, window); err != nil {
		if w.ctx.Err() != nil {
			return w.ctx.Err()
		}
		return fmt.Errorf("%w: the %s decoder needs %d bytes: %v", archive.ErrMemberTooBig, t.Name, window, err)
	}
	defer w.budget.Memory.Release(window)
	dec, err := archive.NewBoundedDecoder(t.Name, br, header)
	if err != nil {
		return err
	}
	defer dec.Close()
	ahead := w.budget.ReadAhead(dec) // inflate on a spare core while the engine scans
	defer ahead.Close()
	stream := w.budget.Stream(ahead)
	inner := archive.DecodedName(name)
	ibr := bufio.NewReaderSize(stream, formats.SniffLen)
	// A damaged stream (a bad CRC) still yields what it decoded: the
	// error comes again after it, and the member is reported PARTIAL.
	head, _ := ibr.Peek(formats.SniffLen)
	if err := stream.LimitErr(); err != nil {
		return err
	}
	it := formats.Detect(head, inner)
	var rc io.Reader = ibr
	if isArchive(it.Name) {
		if archive.NeedsRandomAccess(it.Name) {
			stream.AsFile() // a zip or 7z spooled whole is one extracted file
		}
		ra, size, cleanup, err := w.randomAccess(it, ibr, -1)
		if err != nil {
			return archive.LimitOr(err, fmt.Errorf("%w: %v", archive.ErrMalformed, err))
		}
		defer cleanup()
		if !isOfficeZip(it, ra, size) {
			if err := w.container(it, inner, prefix, ibr, ra, size, depth+1, true); err != nil {
				return err
			}
			// A tar's reader stops at its end marker, before the stream's
			// own check (gzip's CRC, xz's footer): read on to it.
			return w.verifyEnd(stream)
		}
		rc = io.NewSectionReader(ra, 0, size)
	}
	if err := w.budget.AddFile(); err != nil {
		return err
	}
	stream.AsFile()
	at := prefix + findings.EscapeInvalidUTF8(inner)
	w.document(at, inner, rc, ibr, stream, it, findings.EmbeddedFile{Path: at, Size: -1})
	if stream.LimitErr() == nil && stream.Failed() != nil {
		w.note(findings.MalformedFile) // the stream itself is damaged (a bad CRC)
	}
	return w.stopErr(stream)
}

// entry scans one member of a container, at level depth.
func (w *archiveWalk) entry(e *archive.Entry, prefix string, depth int) error {
	emb := findings.EmbeddedFile{Path: prefix + findings.EscapeInvalidUTF8(e.Name), Size: e.Size, LastModified: e.Modified}
	switch {
	case e.Encrypted:
		// Password-protected: encrypted with a key trawl does not have,
		// the nearest of Macie's reasons.
		w.skipped(emb, findings.InvalidEncryption)
		return nil
	case e.Size > w.budget.Limits().MaxMemberSize:
		w.skipped(emb, findings.FileExceedsSizeLimit)
		return nil
	}
	mr, err := e.Open()
	if err != nil {
		reason := findings.MalformedFile
		switch {
		case errors.Is(err, archive.ErrEncrypted):
			reason = findings.InvalidEncryption
		case errors.Is(err, archive.ErrUnsupported):
			reason = findings.UnsupportedFileType
		case errors.Is(err, archive.ErrMemberTooBig):
			// Its decoder would need more memory than the budget has
			// room for (a zstd window) or than a coder may take (a 7z
			// dictionary).
			reason = findings.FileExceedsSizeLimit
		}
		if w.ctx.Err() != nil {
			return w.ctx.Err()
		}
		w.skipped(emb, reason)
		return nil
	}
	br := bufio.NewReaderSize(mr, formats.SniffLen)
	head, _ := br.Peek(formats.SniffLen) // a read error comes again after the data
	if mr.LimitErr() != nil || (len(head) == 0 && mr.Failed() != nil) {
		w.skipped(emb, memberReason(mr))
		return w.stopErr(mr)
	}
	t := formats.Detect(head, e.Name)
	var rc io.Reader = br
	if isArchive(t.Name) {
		ra, size, cleanup, err := w.randomAccess(t, br, e.Size)
		if err != nil {
			w.skipped(emb, memberReason(mr))
			return w.stopErr(mr)
		}
		defer cleanup()
		if !isOfficeZip(t, ra, size) {
			return w.nested(t, e, mr, emb, br, ra, size, depth)
		}
		rc = io.NewSectionReader(ra, 0, size)
	}
	w.document(emb.Path, e.Name, rc, br, mr, t, emb)
	return w.stopErr(mr)
}

// verifyEnd reads a stream or member on to its end after what it holds
// was walked, and says how its check there ended: nil, a limit or the
// scan's end, or ErrMalformed (the check failed, or the bytes stopped
// short of it).
func (w *archiveWalk) verifyEnd(mr *archive.MemberReader) error {
	mr.Drain()
	if err := w.stopErr(mr); err != nil {
		return err
	}
	if err := mr.LimitErr(); err != nil {
		return err
	}
	if err := mr.Failed(); err != nil {
		return fmt.Errorf("%w: %v", archive.ErrMalformed, err)
	}
	return nil
}

// randomAccess spools a zip or 7z member of the size its header gives (-1:
// unknown) for random access; other kinds stream and get none.
func (w *archiveWalk) randomAccess(t formats.Type, br *bufio.Reader, size int64) (io.ReaderAt, int64, func(), error) {
	if !archive.NeedsRandomAccess(t.Name) {
		return nil, -1, func() {}, nil
	}
	return spool(w.budget.Memory, br, size)
}

// officeDirectoryMemory is the most a zip's directory may take for the
// zip to be looked at as an office document: a document has a few dozen
// parts, a few thousand at most. A larger directory is an archive's, read
// under the archive's checks and memory reservation.
const officeDirectoryMemory = 16 << 20

// isOfficeZip: a zip that holds an office document is a document.
func isOfficeZip(t formats.Type, ra io.ReaderAt, size int64) bool {
	return t.Name == "zip" && archive.ZipDirectoryMemory(ra, size, officeDirectoryMemory) <= officeDirectoryMemory &&
		formats.OfficeKind(ra, size) != ""
}

// nested walks a member that is itself an archive; its own members are
// listed, and it is too, with how its walk ended.
func (w *archiveWalk) nested(t formats.Type, e *archive.Entry, mr *archive.MemberReader, emb findings.EmbeddedFile, br *bufio.Reader, ra io.ReaderAt, size int64, depth int) error {
	// Listed before its members, its status filled in after them.
	at := len(w.top.Embedded)
	w.top.AddEmbedded(emb)
	err := w.container(t, e.Name, emb.Path+"!", br, ra, size, depth, true)
	if err == nil {
		err = w.verifyEnd(mr) // a tar member stops at its end marker, before the member's CRC
	}
	emb.Status = findings.Complete
	defer func() {
		if at < len(w.top.Embedded) {
			w.top.Embedded[at] = emb
		}
	}()
	switch {
	case err == nil:
	case errors.Is(err, errNesting):
		emb.Status, emb.Reason = findings.Skipped, findings.ArchiveNestingLevelOverLimit
		w.note(emb.Reason)
	case errors.Is(err, archive.ErrDeclared):
		emb.Status, emb.Reason = findings.Skipped, limitReason(err)
		w.note(emb.Reason)
	case errors.Is(err, archive.ErrTooManyBytes), errors.Is(err, archive.ErrTooManyFiles), w.ctx.Err() != nil:
		emb.Status, emb.Reason = findings.Partial, limitReason(err)
		return err
	case errors.Is(err, archive.ErrMemberTooBig):
		emb.Status, emb.Reason = findings.Partial, findings.FileExceedsSizeLimit
		w.note(emb.Reason)
	case errors.Is(err, archive.ErrEncrypted):
		emb.Status, emb.Reason = findings.Skipped, findings.InvalidEncryption
		w.note(findings.ArchiveContainsUnprocessedFiles)
	default:
		emb.Status, emb.Reason = findings.Partial, findings.MalformedFile
		w.note(findings.MalformedFile)
	}
	return nil
}

// document scans one extracted file with the scanner's own extractors
// into a result of its own, then adds its detections to the object's,
// located in the member.
func (w *archiveWalk) document(path, name string, rc io.Reader, br *bufio.Reader, mr *archive.MemberReader, t formats.Type, emb findings.EmbeddedFile) {
	sub := &findings.Result{Object: findings.Object{Key: name, Size: max(emb.Size, 0)}, Status: findings.Complete, Samples: w.top.Samples}
	if w.scanMember(rc, br, t, name, emb.Size, sub) {
		sub.Status, sub.Reason = findings.Partial, findings.MalformedFile
	}
	if sub.Status == findings.Complete {
		// Its reader may have stopped before the end (a format that ends
		// before its bytes do): the check that ends a compressed stream
		// or a member must pass before the member is called COMPLETE.
		mr.Drain()
	}
	if mr.LimitErr() != nil || (mr.Failed() != nil && (sub.Status == findings.Complete || sub.Reason == findings.UnableToParseFile)) {
		// The member was cut short by a limit or by damage, not by its
		// format: say which.
		stopped(sub, sub.Detections()+int(min(mr.N(), 1)), memberReason(mr))
	}
	if emb.Size < 0 {
		emb.Size = mr.N()
	}
	emb.Status, emb.Reason = sub.Status, sub.Reason
	w.top.Merge(sub, w.top.Object.Key+"!"+path)
	w.top.AddEmbedded(emb)
	w.noteMember(sub.Status, sub.Reason)
}

// scanMember runs the document extractors on one member. A panic in one
// (a third-party parser on hostile input) costs that member, not the
// archive: it is SKIPPED with UNABLE_TO_PARSE_FILE and the walk goes on.
// The panic value is logged by type only, since it could quote the data.
func (w *archiveWalk) scanMember(rc io.Reader, br *bufio.Reader, t formats.Type, name string, size int64, sub *findings.Result) (malformed bool) {
	defer func() {
		if p := recover(); p != nil {
			w.s.Log.Error("internal error while scanning an archive member", "key", w.top.Object.Key, "panic", fmt.Sprintf("%T", p))
			sub.Skip(findings.UnableToParseFile)
			malformed = false
		}
	}()
	return w.s.scanDocument(w.ctx, rc, br, t, name, size, sub)
}

func (w *archiveWalk) skipped(emb findings.EmbeddedFile, reason findings.Reason) {
	emb.Status, emb.Reason = findings.Skipped, reason
	w.top.AddEmbedded(emb)
	w.noteMember(emb.Status, reason)
}

// noteMember raises the object's reason for a member that was not fully
// scanned: a limit keeps its own name, anything else is an unprocessed file.
func (w *archiveWalk) noteMember(status findings.Status, reason findings.Reason) {
	if status == findings.Complete {
		return
	}
	switch reason {
	case findings.FileExceedsSizeLimit, findings.ArchiveNestingLevelOverLimit,
		findings.ArchiveTotalBytesExtractedOverLimit, findings.ArchiveTotalDocumentsProcessedOverLimit:
		w.note(reason)
	default:
		w.note(findings.ArchiveContainsUnprocessedFiles)
	}
}
