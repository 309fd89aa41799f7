package scanner

import (
	"context"
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
		ra, n, cleanup, ok := randomAccess(ctx, rc, s.Limits.MaxRecordsSize, r)
		if !ok {
			return
		}
		defer cleanup()
		if n > s.Limits.MaxRecordsSize {
			r.Skip(findings.FileExceedsSizeLimit)
			return
		}
		size = n
		err = formats.ParquetSegments(ra, n, formats.RecordsOptions{Reserve: reserver(ctx)}, scan)
	case "avro":
		cr := &countingReader{r: rc}
		err = formats.AvroSegments(cr, formats.RecordsOptions{Reserve: reserver(ctx)}, scan)
		size = cr.n
	}
	r.SizeClassified = size
	if err == nil || ctx.Err() != nil {
		return
	}
	stopped(r, *segments, extractReason(err, findings.MalformedFile))
}

// reserver reserves from the object's share of the memory budget for an
// extractor that holds more than an object's base.
func reserver(ctx context.Context) func(int64) (func(), error) {
	mem := budgetOf(ctx).mem
	return func(n int64) (func(), error) {
		if err := mem.Reserve(ctx, n); err != nil {
			return nil, err
		}
		return func() { mem.Release(n) }, nil
	}
}
