package scanner

import (
	"context"
	"errors"
	"io"

	"github.com/trawlsec/trawl/findings"
)

// ReasonError is an error from a source that already knows Macie's reason
// for it (an S3 object in an archive storage class, encrypted with a key
// trawl lacks, changed since it was listed...). The object becomes a
// SKIPPED result with that reason.
type ReasonError struct {
	Reason findings.Reason
	Err    error
}

func (e *ReasonError) Error() string {
	if e.Err == nil {
		return string(e.Reason)
	}
	return string(e.Reason) + ": " + e.Err.Error()
}

func (e *ReasonError) Unwrap() error { return e.Err }

// reasonOf returns the reason carried by err, if any.
func reasonOf(err error) (findings.Reason, bool) {
	var re *ReasonError
	if errors.As(err, &re) {
		return re.Reason, true
	}
	return "", false
}

// RandomAccess is a stream that can also be read at any offset, such as an
// S3 object read with ranged GETs. Formats that need random access (zip,
// Parquet) use it directly instead of spooling the object to disk.
type RandomAccess interface {
	io.ReaderAt
	Size() int64
}

// ObjectUpdater is a stream that learns more about its object when opened
// (an S3 GET returns the encryption and version); the scanner copies that
// into the object's result.
type ObjectUpdater interface {
	UpdateObject(o *Object)
}

// bufferedRandomAccess reads sequentially through the buffer that sniffed
// the object's head, and at random through the source's own stream, so a
// format may use either without reading the object twice.
type bufferedRandomAccess struct {
	io.Reader
	RandomAccess
}

// Enricher is a source that adds metadata to the result of an object with
// detections only (S3 object tags cost a request per object, so they are
// fetched for findings, not for every object listed).
type Enricher interface {
	Enrich(ctx context.Context, r *findings.Result)
}
