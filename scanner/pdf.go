package scanner

import (
	"context"
	"errors"
	"io"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
)

// scanPDF scans a PDF page by page, located by Macie's pages.
func (s *Scanner) scanPDF(ctx context.Context, rc io.Reader, r *findings.Result) {
	limit := s.Limits.MaxPDFSize
	if limit <= 0 {
		limit = DefaultLimits.MaxPDFSize
	}
	ra, size, cleanup, err := randomAccess(rc, limit)
	if err != nil {
		if errors.Is(err, errTooBig) {
			r.Skip(findings.FileExceedsSizeLimit)
		} else {
			r.Skip(findings.UnableToParseFile)
		}
		return
	}
	defer cleanup()
	if size > limit {
		r.Skip(findings.FileExceedsSizeLimit)
		return
	}
	scan, segments := s.segmentScanner(ctx, r)
	err = formats.PDFSegments(ctx, ra, size, formats.PDFOptions{}, scan)
	r.SizeClassified = size
	var reason findings.Reason
	switch {
	case err == nil:
		return
	case errors.Is(err, formats.ErrEncrypted):
		reason = findings.InvalidEncryption
	case errors.Is(err, formats.ErrMalformed):
		reason = findings.MalformedFile
	case errors.Is(err, context.DeadlineExceeded):
		reason = findings.TimeCutOffReached
	default:
		reason = findings.UnableToParseFile
	}
	stopped(r, *segments, reason)
}
