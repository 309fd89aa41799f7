package scanner

import (
	"context"
	"errors"
	"io"

	"github.com/trawlsec/trawl/findings"
)

// Filtered is src listing only the objects keep accepts, and at most max
// of them (0: no limit). Entries that could not be listed (passed with an
// error) go through as they are, to become SKIPPED results.
func Filtered(src Source, keep func(Object) bool, max int) Source {
	return &filtered{src: src, keep: keep, max: max}
}

type filtered struct {
	src  Source
	keep func(Object) bool
	max  int
	// keepErrors applies keep to entries that could not be listed too.
	keepErrors bool
}

// errEnough ends a listing that reached its limit.
var errEnough = errors.New("listing limit reached")

func (f *filtered) List(ctx context.Context, fn func(Object, error) error) error {
	n := 0
	err := f.src.List(ctx, func(o Object, err error) error {
		if (err == nil || f.keepErrors) && !f.keep(o) {
			return nil
		}
		if f.max > 0 && n >= f.max {
			return errEnough
		}
		n++
		return fn(o, err)
	})
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}

func (f *filtered) Open(ctx context.Context, o Object) (io.ReadCloser, error) {
	return f.src.Open(ctx, o)
}

// Enrich passes on to the source's own enrichment, if it has one.
func (f *filtered) Enrich(ctx context.Context, r *findings.Result) {
	if e, ok := f.src.(Enricher); ok {
		e.Enrich(ctx, r)
	}
}
