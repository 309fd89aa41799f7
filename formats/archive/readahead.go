package archive

import (
	"io"
	"sync"

	"github.com/trawlsec/trawl/internal/membudget"
)

// Read-ahead sizes: 4 chunks of 256 KiB, 1 MiB in flight per stream.
const (
	aheadChunk = 256 << 10
	aheadDepth = 4
)

// ReadAhead decompresses on a goroutine of its own while the caller scans
// what came before, so that on a machine with a spare core a compressed
// file costs about what its slower half costs, not the sum. At most
// aheadDepth chunks are held. The goroutine starts only once the caller
// has read aheadMin bytes: most members are sniffed, found binary and
// dropped after a few kilobytes, and must not pay for a megabyte inflated
// ahead. Close stops the goroutine and waits for it, so r may be closed
// afterwards; Close does not close r.
func ReadAhead(r io.Reader) io.ReadCloser { return &lazyAhead{r: r} }

// ReadAhead is the package's ReadAhead with its buffers reserved from the
// budget's memory first; without room it reads in the caller's goroutine.
func (b *Budget) ReadAhead(r io.Reader) io.ReadCloser { return &lazyAhead{r: r, mem: b.Memory} }

// aheadMemory is what a started read-ahead holds.
const aheadMemory = (aheadDepth + 1) * aheadChunk

type lazyAhead struct {
	r        io.Reader
	n        int64
	ahead    *readAhead
	mem      *membudget.Lease
	tried    bool
	reserved bool
}

func (l *lazyAhead) Read(p []byte) (int, error) {
	if l.ahead != nil {
		return l.ahead.Read(p)
	}
	if l.n >= aheadMin && !l.tried {
		// Tried once, at the threshold: without room then, the member
		// is read without a read-ahead to its end.
		l.tried = true
		if l.mem.TryReserve(aheadMemory) {
			l.reserved = true
			l.ahead = startAhead(l.r)
			return l.ahead.Read(p)
		}
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

func (l *lazyAhead) Close() error {
	if l.ahead != nil {
		l.ahead.Close()
	}
	if l.reserved {
		l.mem.Release(aheadMemory)
		l.reserved = false
	}
	return nil
}

func startAhead(r io.Reader) *readAhead {
	a := &readAhead{chunks: make(chan chunk, aheadDepth), free: make(chan []byte, aheadDepth+1), done: make(chan struct{})}
	for range aheadDepth + 1 {
		a.free <- make([]byte, aheadChunk)
	}
	a.wg.Add(1)
	go a.fill(r)
	return a
}

type chunk struct {
	buf []byte
	err error
}

type readAhead struct {
	chunks chan chunk
	free   chan []byte
	done   chan struct{}
	wg     sync.WaitGroup
	cur    []byte // unread part of the chunk being read
	back   []byte // the whole chunk, to give back
	err    error
	once   sync.Once
}

func (a *readAhead) fill(r io.Reader) {
	defer a.wg.Done()
	defer close(a.chunks)
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.done:
			return
		}
		n, err := safeReadFull(r, buf)
		select {
		case a.chunks <- chunk{buf[:n], err}:
		case <-a.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// safeReadFull fills buf, or returns what it read with the error that
// stopped it: io.EOF at the end, else the decoder's own (a truncated
// stream's io.ErrUnexpectedEOF must stay an error, not read as the end).
// A decoder's panic on this goroutine, where no caller could recover it,
// becomes ErrMalformed.
func safeReadFull(r io.Reader, buf []byte) (n int, err error) {
	defer recoverMalformed(&err)
	for n < len(buf) && err == nil {
		var m int
		m, err = r.Read(buf[n:])
		n += m
	}
	return n, err
}

func (a *readAhead) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.err != nil {
			return 0, a.err
		}
		if a.back != nil {
			a.free <- a.back[:cap(a.back)]
			a.back = nil
		}
		c, ok := <-a.chunks
		if !ok {
			return 0, io.ErrClosedPipe
		}
		a.cur, a.back, a.err = c.buf, c.buf, c.err
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

func (a *readAhead) Close() error {
	a.once.Do(func() { close(a.done) })
	a.wg.Wait()
	return nil
}

// aheadMin is the smallest member worth a read-ahead goroutine.
const aheadMin = 1 << 20

// aheadIfLarge reads a large member ahead, when b's memory has room; Close
// stops the read-ahead, then closes rc.
func aheadIfLarge(rc io.ReadCloser, size int64, b *Budget) io.ReadCloser {
	if size < aheadMin {
		return rc
	}
	return aheadCloser{b.ReadAhead(rc), rc}
}

type aheadCloser struct {
	io.ReadCloser
	under io.Closer
}

func (a aheadCloser) Close() error {
	a.ReadCloser.Close()
	return a.under.Close()
}
