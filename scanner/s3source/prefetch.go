package s3source

import (
	"fmt"
	"io"
)

const (
	// A large object's stream is read ahead in chunks by a goroutine, so
	// the network transfer runs on one core while the scan runs on
	// another; prefetchChunks bounds the memory this takes per object.
	prefetchChunk  = 1 << 20
	prefetchChunks = 3
)

type chunk struct {
	b   []byte
	err error
}

// prefetcher reads [pos, size) of an object ahead of the scan, resuming a
// body that drops with a ranged GET from the byte it stopped at.
type prefetcher struct {
	chunks chan chunk
	free   chan []byte // chunks the reader has finished with, for reuse
	done   chan struct{}
	cur    []byte
	last   []byte // the chunk cur points into
}

func (r *object) startPrefetch() {
	p := &prefetcher{chunks: make(chan chunk, prefetchChunks), free: make(chan []byte, prefetchChunks+2), done: make(chan struct{})}
	r.pf = p
	go r.prefetch(p, r.pos)
}

func (r *object) prefetch(p *prefetcher, pos int64) {
	defer close(p.chunks)
	send := func(c chunk) bool {
		select {
		case p.chunks <- c:
			return true
		case <-p.done:
		case <-r.ctx.Done():
		}
		return false
	}
	var body io.ReadCloser
	defer func() {
		if body != nil {
			body.Close()
		}
	}()
	resumes := 0
	for pos < r.size {
		if body == nil {
			out, err := r.get(pos, r.size)
			if err != nil {
				send(chunk{err: err})
				return
			}
			body = r.watch(out.Body)
		}
		var buf []byte
		select {
		case buf = <-p.free:
		default:
			buf = make([]byte, prefetchChunk)
		}
		buf = buf[:min(prefetchChunk, r.size-pos)]
		n, err := io.ReadFull(body, buf)
		pos += int64(n)
		if n > 0 && !send(chunk{b: buf[:n]}) {
			return
		}
		if err == nil || pos == r.size {
			continue
		}
		// Dropped connection, reset, or a body shorter than asked for.
		body.Close()
		body = nil
		if cerr := r.ctx.Err(); cerr != nil {
			send(chunk{err: cerr})
			return
		}
		if resumes >= maxResumes {
			send(chunk{err: fmt.Errorf("read s3://%s/%s at byte %d: %w", r.src.Bucket, r.key, pos, err)})
			return
		}
		resumes++
	}
}

// readPrefetched serves Read from the prefetched chunks.
func (r *object) readPrefetched(p []byte) (int, error) {
	pf := r.pf
	for len(pf.cur) == 0 {
		if pf.last != nil {
			select {
			case pf.free <- pf.last[:cap(pf.last)]:
			default:
			}
			pf.last = nil
		}
		c, ok := <-pf.chunks
		if !ok {
			if r.pos < r.size {
				return 0, r.ctx.Err() // stopped by cancellation
			}
			return 0, io.EOF
		}
		if c.err != nil {
			return 0, c.err
		}
		pf.cur, pf.last = c.b, c.b
	}
	n := copy(p, pf.cur)
	pf.cur = pf.cur[n:]
	r.pos += int64(n)
	return n, nil
}

func (r *object) stopPrefetch() {
	if r.pf != nil {
		close(r.pf.done)
		r.pf = nil
	}
}
