package scanner

import (
	"context"
	"errors"
	"io"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
)

// scanRecords scans a Parquet or Avro file, located by record and path.
func (s *Scanner) scanRecords(ctx context.Context, rc io.Reader, t formats.Type, r *findings.Result) {
	scan, segments := s.segmentScanner(ctx, r)
	var err error
	var size int64
	switch t.Name {
	case "parquet":
		ra, n, cleanup, rerr := randomAccess(rc, s.Limits.MaxRecordsSize)
		if rerr != nil {
			if errors.Is(rerr, errTooBig) {
				r.Skip(findings.FileExceedsSizeLimit)
			} else {
				r.Skip(findings.UnableToParseFile)
			}
			return
		}
		defer cleanup()
		if n > s.Limits.MaxRecordsSize {
			r.Skip(findings.FileExceedsSizeLimit)
			return
		}
		size = n
		err = formats.ParquetSegments(ra, n, formats.RecordsOptions{}, scan)
	case "avro":
		cr := &countingReader{r: rc}
		err = formats.AvroSegments(cr, formats.RecordsOptions{}, scan)
		size = cr.n
	}
	r.SizeClassified = size
	if err == nil || ctx.Err() != nil {
		return
	}
	reason := findings.UnableToParseFile
	if errors.Is(err, formats.ErrMalformed) {
		reason = findings.MalformedFile
	}
	stopped(r, *segments, reason)
}
