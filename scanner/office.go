package scanner

import (
	"context"
	"errors"
	"io"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/internal/membudget"
)

// randomAccess gives the formats that need it (office files, Parquet, PDF)
// random access to an object: the stream itself when the source provides
// it (a local file, ranged GETs on S3), otherwise a spooled copy (see
// spool), removed by cleanup, of at most limit bytes. When there is no
// copy (too large, or it could not be made) r is skipped with the reason
// and ok is false. The caller checks a source stream's size against its
// limit itself.
func randomAccess(ctx context.Context, rc io.Reader, limit int64, r *findings.Result) (ra io.ReaderAt, size int64, cleanup func(), ok bool) {
	if ra, size, ok := sourceRandomAccess(rc); ok {
		return ra, size, func() {}, true
	}
	return spoolUpTo(budgetOf(ctx).mem, rc, r.Object.Size, limit, findings.FileExceedsSizeLimit, r)
}

// spoolUpTo spools at most limit bytes of rc for random access. When it
// cannot (a larger stream, or a failed copy) r is skipped, with over or
// UNABLE_TO_PARSE_FILE, and ok is false.
func spoolUpTo(mem *membudget.Lease, rc io.Reader, hint, limit int64, over findings.Reason, r *findings.Result) (ra io.ReaderAt, size int64, cleanup func(), ok bool) {
	ra, n, cleanup, err := spool(mem, io.LimitReader(rc, limit+1), hint)
	switch {
	case err != nil:
		r.Skip(findings.UnableToParseFile)
	case n > limit:
		cleanup()
		r.Skip(over)
	default:
		return ra, n, cleanup, true
	}
	return nil, 0, nil, false
}

// scanOffice scans a zip-based office document or an OLE2 file. It fills
// r and reports whether it handled the object (false: not an office
// document, let the caller skip it as unsupported).
func (s *Scanner) scanOffice(ctx context.Context, rc io.Reader, t formats.Type, r *findings.Result) bool {
	ra, size, cleanup, ok := randomAccess(ctx, rc, s.Limits.MaxOfficeSize, r)
	if !ok {
		return true
	}
	defer cleanup()
	if t.Name == "ole2" {
		if formats.IsEncryptedOffice(ra, size) {
			// A password-protected document: its content is encrypted with a
			// key trawl does not have, the nearest of Macie's reasons.
			r.Skip(findings.InvalidEncryption)
			return true
		}
		return s.scanLegacyOffice(ctx, ra, size, r)
	}
	kind := formats.OfficeKind(ra, size)
	if kind == "" {
		return false
	}
	if size > s.Limits.MaxOfficeSize {
		r.Skip(findings.FileExceedsSizeLimit)
		return true
	}
	r.MimeType = formats.OfficeMIME(kind)
	scan, segments := s.segmentScanner(ctx, r)
	opt := formats.OfficeOptions{MaxUncompressed: s.Limits.MaxOfficeSize}
	var err error
	switch kind {
	case formats.KindXLSX, formats.KindODS:
		err = formats.SpreadsheetSegments(ra, size, kind, opt, scan)
	default:
		err = formats.DocumentSegments(ra, size, kind, opt, scan)
	}
	r.SizeClassified = size
	if err != nil {
		stopped(r, *segments, extractReason(err, findings.MalformedOrFileSizeExceedsLimit))
	}
	return true
}

// extractReason maps an extractor's error to Macie's reason; malformed is
// the reason the format gives a damaged file.
func extractReason(err error, malformed findings.Reason) findings.Reason {
	switch {
	case errors.Is(err, formats.ErrEncrypted):
		return findings.InvalidEncryption
	case errors.Is(err, formats.ErrUncompressedSize):
		return findings.OOXMLUncompressedSizeExceedsLimit
	case errors.Is(err, formats.ErrUncompressedRatio):
		return findings.OOXMLUncompressedRatioExceedsLimit
	case errors.Is(err, formats.ErrTooLarge):
		return findings.FileExceedsSizeLimit // a value past what is held in memory
	case errors.Is(err, formats.ErrMalformed):
		return malformed
	}
	return findings.UnableToParseFile
}

// segmentScanner returns the callback that scans an extractor's segments
// into r, and the count of segments it scanned. Each segment also counts
// into the object's time budget, looked up once here rather than per
// segment (a CSV cell is a segment).
func (s *Scanner) segmentScanner(ctx context.Context, r *findings.Result) (func(*formats.Segment) error, *int) {
	n := new(int)
	b := budgetOf(ctx)
	return func(seg *formats.Segment) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		*n++
		b.segments++
		s.Engine.Scan(seg, r.Add)
		return nil
	}, n
}

// stopped records an extractor that stopped for a reason: PARTIAL if it
// had scanned something, SKIPPED if not.
func stopped(r *findings.Result, segments int, reason findings.Reason) {
	if segments == 0 {
		r.Skip(reason)
	} else {
		r.Status, r.Reason = findings.Partial, reason
	}
}
