// Package membudget is the scan's memory budget: a pool of bytes shared by
// every worker, from which a scan reserves what it is about to buffer or
// decode (an archive member held in memory, a zip directory, a read-ahead,
// a decoded block) before allocating it, and gives back when done. A
// reservation that does not fit is refused at once, so the caller can
// spill to a temporary file or skip with a reason; only a holder that has
// nothing reserved beyond its base (see ReserveBase) may wait for room, so
// holders never wait on each other.
//
// A released buffer stays in the heap until the collector runs, so the
// pool counts released bytes as taken until a collection: a reservation
// that only such garbage stands in the way of runs the collector first.
// The Go runtime's soft memory limit, set near the same figure, bounds the
// rest (buffers no reservation covers).
package membudget

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// ErrOverBudget: a reservation larger than the room there is.
var ErrOverBudget = errors.New("over the memory budget")

// Pool is the budget of a whole scan. Safe for concurrent use.
type Pool struct {
	mu      sync.Mutex
	size    int64
	used    int64
	base    int64 // of used, what leases hold as their base
	garbage int64 // released since the last collection, still in the heap
	peak    int64
	gcMu    sync.Mutex // one collection at a time
	gcs     int
	freed   chan struct{} // closed and replaced whenever bytes are released
}

// New returns a pool of size bytes.
func New(size int64) *Pool {
	return &Pool{size: size, freed: make(chan struct{})}
}

// Size is the pool's capacity; Used what is reserved now; Peak the most
// ever reserved at once.
func (p *Pool) Size() int64 { return p.size }

func (p *Pool) Used() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.used
}

func (p *Pool) Peak() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}

// Collections is how many times the pool ran the collector.
func (p *Pool) Collections() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gcs
}

// try reserves n bytes if there is room. collect says there would be once
// the garbage is collected.
func (p *Pool) try(n int64, base bool) (ok bool, freed chan struct{}, collect bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.used+n > p.size || base && p.base+n > p.size/2 {
		return false, p.freed, false
	}
	if p.used+p.garbage+n > p.size {
		return false, nil, true
	}
	if base {
		p.base += n
	}
	p.used += n
	p.peak = max(p.peak, p.used)
	return true, nil, false
}

// collect runs the collector, then counts what was garbage before it
// started as free.
func (p *Pool) collect() {
	p.gcMu.Lock()
	defer p.gcMu.Unlock()
	p.mu.Lock()
	g := p.garbage
	p.mu.Unlock()
	if g == 0 {
		return // another caller collected meanwhile
	}
	runtime.GC()
	p.mu.Lock()
	p.garbage -= g
	p.gcs++
	close(p.freed)
	p.freed = make(chan struct{})
	p.mu.Unlock()
}

func (p *Pool) release(n, base int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.used -= n
	p.base -= base
	p.garbage += n - base // a base is notional: many small buffers
	close(p.freed)
	p.freed = make(chan struct{})
}

// Lease is what one object holds of a pool. A nil *Lease is no budget:
// every reservation succeeds. Safe for concurrent use (a read-ahead
// goroutine releases what the worker reserved).
type Lease struct {
	p    *Pool
	mu   sync.Mutex
	held int64 // base included
	base int64
}

// Lease starts a holder with nothing reserved.
func (p *Pool) Lease() *Lease {
	if p == nil {
		return nil
	}
	return &Lease{p: p}
}

// TryReserve reserves n bytes if they are free now.
func (l *Lease) TryReserve(n int64) bool {
	if l == nil || n <= 0 {
		return true
	}
	ok, _, collect := l.p.try(n, false)
	if collect {
		l.p.collect()
		ok, _, _ = l.p.try(n, false)
	}
	if ok {
		l.mu.Lock()
		l.held += n
		l.mu.Unlock()
	}
	return ok
}

// ReserveBase reserves a holder's base, what it needs before it starts,
// waiting for room until ctx ends. Bases together take at most half the
// pool, so the other half is there for holders that wait in Reserve.
func (l *Lease) ReserveBase(ctx context.Context, n int64) error {
	if l == nil || n <= 0 {
		return nil
	}
	if n > l.p.size/2 {
		return fmt.Errorf("%w: a base of %d bytes, the budget is %d", ErrOverBudget, n, l.p.size)
	}
	if err := l.reserve(ctx, n, true); err != nil {
		return err
	}
	l.mu.Lock()
	l.base += n
	l.mu.Unlock()
	return nil
}

// Reserve reserves n bytes. A lease that holds no more than its base, and
// wants at most half the pool, waits for room until ctx ends: since bases
// take at most the other half, room comes even if every holder waits.
// Any other fails at once when there is no room now (it could be what
// another holder waits on). The error wraps ErrOverBudget, or is ctx's.
func (l *Lease) Reserve(ctx context.Context, n int64) error {
	if l == nil || n <= 0 {
		return nil
	}
	if n > l.p.size {
		return fmt.Errorf("%w: %d bytes wanted, the budget is %d", ErrOverBudget, n, l.p.size)
	}
	return l.reserve(ctx, n, false)
}

func (l *Lease) reserve(ctx context.Context, n int64, base bool) error {
	for {
		ok, freed, collect := l.p.try(n, base)
		if collect {
			l.p.collect()
			continue
		}
		if ok {
			l.mu.Lock()
			l.held += n
			l.mu.Unlock()
			return nil
		}
		l.mu.Lock()
		extra := l.held - l.base
		l.mu.Unlock()
		if !base && (extra > 0 || n > l.p.size/2) {
			return fmt.Errorf("%w: %d bytes wanted, %d free", ErrOverBudget, n, l.p.size-l.p.Used())
		}
		select {
		case <-freed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Release gives back n bytes reserved before.
func (l *Lease) Release(n int64) {
	if l == nil || n <= 0 {
		return
	}
	l.mu.Lock()
	n = min(n, l.held-l.base)
	l.held -= n
	l.mu.Unlock()
	l.p.release(n, 0)
}

// Held is what the lease holds now.
func (l *Lease) Held() int64 {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held
}

// Close gives back everything the lease still holds, base included.
func (l *Lease) Close() {
	if l == nil {
		return
	}
	l.mu.Lock()
	n, base := l.held, l.base
	l.held, l.base = 0, 0
	l.mu.Unlock()
	if n > 0 {
		l.p.release(n, base)
	}
}
