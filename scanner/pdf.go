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
	ra, size, cleanup, ok := randomAccess(ctx, rc, limit, r)
	if !ok {
		return
	}
	defer cleanup()
	if size > limit {
		r.Skip(findings.FileExceedsSizeLimit)
		return
	}
	scan, segments := s.segmentScanner(ctx, r)
	err := formats.PDFSegments(ctx, ra, size, formats.PDFOptions{}, scan)
	r.SizeClassified = size
	switch {
	case err == nil:
	case errors.Is(err, context.DeadlineExceeded): // returned as it is, never wrapped
		stopped(r, *segments, findings.TimeCutOffReached)
	default:
		stopped(r, *segments, extractReason(err, findings.MalformedFile))
	}
}
