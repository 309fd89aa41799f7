package scanner

import (
	"context"
	"errors"
	"io"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
)

// scanLegacyOffice scans an Excel 97–2003 workbook (cells) or a Word
// 97–2003 document (lines) held in an OLE2 file that is not an encrypted
// OOXML package. It reports whether it handled the object (false: some
// other OLE2 file, for the caller to skip as unsupported).
func (s *Scanner) scanLegacyOffice(ctx context.Context, ra io.ReaderAt, size int64, r *findings.Result) bool {
	kind, err := formats.LegacyKind(ra)
	if err != nil {
		r.Skip(findings.MalformedOrFileSizeExceedsLimit)
		return true
	}
	if kind == "" {
		return false
	}
	r.MimeType = formats.LegacyMIME(kind)
	if size > s.Limits.MaxOfficeSize {
		r.Skip(findings.FileExceedsSizeLimit)
		return true
	}
	scan, segments := s.segmentScanner(ctx, r)
	opt := formats.OfficeOptions{MaxUncompressed: s.Limits.MaxOfficeSize}
	if kind == formats.KindXLS {
		err = formats.XLSSegments(ra, size, opt, scan)
	} else {
		err = formats.DOCSegments(ra, size, opt, scan)
	}
	r.SizeClassified = size
	switch {
	case err == nil || ctx.Err() != nil:
	case errors.Is(err, formats.ErrEncrypted):
		// Saved with a password to open: the nearest of Macie's reasons,
		// as for encrypted OOXML.
		r.Skip(findings.InvalidEncryption)
	default:
		stopped(r, *segments, extractReason(err, findings.MalformedOrFileSizeExceedsLimit))
	}
	return true
}
