package s3source

import (
	"context"
	"sync"

	"github.com/trawlsec/trawl/scanner"
)

// tagLookups is how many GetObjectTagging requests a tag filter makes at
// once: one at a time, a round trip each, listing a large bucket would
// take hours.
const tagLookups = 16

// emitPage passes a page's listed objects that are in scope to fn, in
// order, and counts them; done when Scope.MaxObjects is reached. Under a
// tag filter the tags of a batch of objects are read at once, the batch no
// larger than what MaxObjects may still take, so that no tags are read
// past the limit.
func (s *Source) emitPage(ctx context.Context, listed []scanner.Object, count *int, fn func(scanner.Object, error) error) (done bool, err error) {
	for len(listed) > 0 {
		n := len(listed)
		if s.Scope.MaxObjects > 0 {
			if n = min(n, s.Scope.MaxObjects-*count); n <= 0 {
				return true, nil
			}
		}
		var tags []tagAnswer
		if s.Scope.NeedsTags() {
			n = min(n, tagLookups)
			if tags = s.tagsOf(ctx, listed[:n]); ctx.Err() != nil {
				return true, ctx.Err()
			}
		}
		for i, o := range listed[:n] {
			var objErr error
			if tags != nil {
				switch t := tags[i]; {
				case t.err != nil:
					objErr = skip(t.err) // cannot tell whether it is in scope: say so
				case !s.Scope.Tagged(t.tags):
					continue
				default:
					o.Tags = t.tags
				}
			}
			*count++
			if err := fn(o, objErr); err != nil {
				return true, err
			}
		}
		listed = listed[n:]
	}
	return false, nil
}

type tagAnswer struct {
	tags map[string]string
	err  error
}

// tagsOf reads the tags of objs concurrently; the answers are in objs'
// order.
func (s *Source) tagsOf(ctx context.Context, objs []scanner.Object) []tagAnswer {
	answers := make([]tagAnswer, len(objs))
	var wg sync.WaitGroup
	for i, o := range objs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i].tags, answers[i].err = s.tags(ctx, o.Key)
		}()
	}
	wg.Wait()
	return answers
}
