package childmem

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// TestChildTouches is run as a child by TestRunMeasuresChild: it touches
// 64 MiB, page by page.
func TestChildTouches(t *testing.T) {
	if !IsChild() {
		t.Skip("run as a child by TestRunMeasuresChild")
	}
	b := make([]byte, 64<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	os.Stdout.WriteString("touched\n")
}

func TestRunMeasuresChild(t *testing.T) {
	r, err := Run(Self("TestChildTouches"), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode != 0 || r.HungUp {
		t.Fatalf("child: exit %d, hung %v: %s", r.ExitCode, r.HungUp, r.Stderr)
	}
	if r.PeakRSS < 64<<20 || r.PeakRSS > 1<<30 {
		t.Errorf("peak RSS %s; the child touched 64 MiB", MiB(r.PeakRSS))
	}
}

// TestChildSleeps never ends on its own.
func TestChildSleeps(t *testing.T) {
	if !IsChild() {
		t.Skip("run as a child by TestRunKillsHungChild")
	}
	time.Sleep(time.Hour)
}

func TestRunKillsHungChild(t *testing.T) {
	r, err := Run(Self("TestChildSleeps"), 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if !r.HungUp || r.Signal == "" {
		t.Fatalf("a child that sleeps: hung %v, signal %q", r.HungUp, r.Signal)
	}
}

// TestPeakIsNotTheParents: the child's peak is its own, not the test
// process's: the parent holds 256 MiB while a small child runs.
func TestPeakIsNotTheParents(t *testing.T) {
	big := make([]byte, 256<<20)
	for i := 0; i < len(big); i += 4096 {
		big[i] = 1
	}
	r, err := Run(Self("TestChildTouches"), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if r.PeakRSS > 200<<20 {
		t.Errorf("a child that touched 64 MiB peaked at %s: the parent's 256 MiB leaked in", MiB(r.PeakRSS))
	}
	runtime.KeepAlive(big)
}
