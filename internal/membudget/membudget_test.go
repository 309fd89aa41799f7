package membudget

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestReserveRelease(t *testing.T) {
	p := New(100)
	a, b := p.Lease(), p.Lease()
	if !a.TryReserve(60) || b.TryReserve(50) {
		t.Fatal("60 then 50 of 100: want the second refused")
	}
	if err := b.Reserve(context.Background(), 101); !errors.Is(err, ErrOverBudget) {
		t.Fatalf("more than the pool: %v", err)
	}
	if !b.TryReserve(40) || p.Used() != 100 {
		t.Fatalf("used %d", p.Used())
	}
	// b holds something: it must not wait.
	if err := b.Reserve(context.Background(), 1); !errors.Is(err, ErrOverBudget) {
		t.Fatalf("holder waited or got room: %v", err)
	}
	a.Close()
	b.Release(40)
	if p.Used() != 0 || p.Peak() != 100 {
		t.Fatalf("used %d peak %d", p.Used(), p.Peak())
	}
}

func TestReserveWaitsWhenHoldingNothing(t *testing.T) {
	p := New(100)
	a, b := p.Lease(), p.Lease()
	a.TryReserve(100)
	if err := b.Reserve(context.Background(), 51); !errors.Is(err, ErrOverBudget) {
		t.Fatalf("more than half the pool must not wait: %v", err)
	}
	got := make(chan error, 1)
	go func() { got <- b.Reserve(context.Background(), 30) }()
	select {
	case err := <-got:
		t.Fatalf("reserved with no room: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	a.Release(50)
	if err := <-got; err != nil || b.Held() != 30 {
		t.Fatalf("after release: %v, held %d", err, b.Held())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := p.Lease()
	if err := c.Reserve(ctx, 45); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
}

func TestNilLease(t *testing.T) {
	var l *Lease
	if !l.TryReserve(1<<40) || l.Reserve(context.Background(), 1<<40) != nil || l.Held() != 0 {
		t.Fatal("a nil lease is no budget")
	}
	l.Release(5)
	l.Close()
}

func TestBasesTakeHalf(t *testing.T) {
	p := New(100)
	a, b, c := p.Lease(), p.Lease(), p.Lease()
	ctx := context.Background()
	if err := a.ReserveBase(ctx, 30); err != nil {
		t.Fatal(err)
	}
	if err := b.ReserveBase(ctx, 51); !errors.Is(err, ErrOverBudget) {
		t.Fatalf("a base over half the pool: %v", err)
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := b.ReserveBase(cctx, 30); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("bases past half the pool must wait: %v", err)
	}
	// a, holding only its base, waits for room in the other half.
	c.TryReserve(70)
	got := make(chan error, 1)
	go func() { got <- a.Reserve(ctx, 50) }()
	c.Release(70)
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	a.Release(1000) // never more than it holds above its base
	if a.Held() != 30 || p.Used() != 30 {
		t.Fatalf("held %d used %d", a.Held(), p.Used())
	}
	a.Close()
	if p.Used() != 0 {
		t.Fatalf("used %d after close", p.Used())
	}
}

func TestReleasedIsGarbageUntilCollected(t *testing.T) {
	p := New(100)
	a := p.Lease()
	a.TryReserve(80)
	a.Release(80)
	if p.Used() != 0 || p.Collections() != 0 {
		t.Fatalf("used %d, %d collections", p.Used(), p.Collections())
	}
	// 20 bytes are free without a collection; 50 need one.
	if !a.TryReserve(20) || p.Collections() != 0 {
		t.Fatalf("20 of the free 20: %d collections", p.Collections())
	}
	if !a.TryReserve(50) || p.Collections() != 1 {
		t.Fatalf("50 behind garbage: %d collections", p.Collections())
	}
}
