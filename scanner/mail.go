package scanner

import (
	"bufio"
	"context"
	"errors"
	"io"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/formats/archive"
)

// scanMail scans an e-mail message into r: headers and text bodies
// located by the message's lines, and attachments as embedded files, each
// by its own format (a CSV by cell, a zip member by member), under the
// archive limits, located by filePath "message.eml!name". An attachment
// trawl cannot read leaves the result PARTIAL with
// ARCHIVE_CONTAINS_UNPROCESSED_FILES; a part that cannot be decoded, with
// MALFORMED_FILE. It returns the bytes read, as readText does.
func (s *Scanner) scanMail(ctx context.Context, br *bufio.Reader, t formats.Type, r *findings.Result) (int64, error) {
	br.Discard(t.BOM)
	cr := &countingReader{r: br, n: int64(t.BOM)}
	scan, segments := s.segmentScanner(ctx, r)
	w := &archiveWalk{s: s, ctx: ctx, budget: archive.NewBudget(ctx, s.Limits.Archive), top: r}
	attach := func(name string, a io.Reader) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.budget.AddFile(); err != nil {
			return err
		}
		e := &archive.Entry{Name: name, Size: -1, Open: func() (*archive.MemberReader, error) {
			return w.budget.Member(a, false), nil
		}}
		return w.entry(e, "", 1)
	}
	err := formats.MailSegments(formats.Decode(cr, t.Encoding), formats.MailOptions{Text: s.Text}, scan, attach)
	r.SizeClassified = cr.n
	if errors.Is(err, formats.ErrMailTooDeep) {
		// Parts past the depth limit were passed over, the rest read: as
		// an archive's members past its nesting limit.
		w.note(findings.ArchiveNestingLevelOverLimit)
		if !errors.Is(err, formats.ErrMalformed) {
			err = nil
		}
	}
	switch {
	case errors.Is(err, archive.ErrTooManyBytes), errors.Is(err, archive.ErrTooManyFiles):
		w.note(limitReason(err)) // what was found stays
		err = nil
	case errors.Is(err, formats.ErrMalformed):
		// A part that cannot be decoded, or a header block too large: what
		// was read stays (reading the whole message again as plain text
		// would lose the decoded parts).
		reason := findings.MalformedFile
		if rank[w.reason] > rank[reason] {
			reason = w.reason
		}
		stopped(r, *segments+len(r.Embedded), reason)
		return cr.n, nil
	}
	if err == nil && w.reason != "" {
		r.Status, r.Reason = findings.Partial, w.reason
	}
	return cr.n, err
}
