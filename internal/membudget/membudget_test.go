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
	if err := c.Reserve(ctx, 90); !errors.Is(err, context.Canceled) {
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
