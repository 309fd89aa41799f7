// Package childmem runs a program as a child process and reports its peak
// resident memory (the kernel's rusage maximum RSS), for tests that bound
// what a scan takes: a test builds a hostile input, runs trawl (or its own
// binary again) on it, and asserts the result and the peak. A timeout only
// guards against a hang; nothing here measures time.
//
// The peak is the child's own, read when it has exited: no ulimit or
// prlimit caps the child, since some libraries reserve address space they
// never touch.
package childmem

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
)

// Result is how a child ended.
type Result struct {
	Stdout, Stderr []byte
	ExitCode       int    // -1 when killed by a signal
	Signal         string // the signal that ended it, if any
	PeakRSS        int64  // bytes
	HungUp         bool   // killed by the timeout
}

// Run runs cmd to its end, or kills it once timeout has passed (HungUp),
// and returns its output, exit and peak RSS. cmd's Stdout and Stderr must
// be unset. The error is for a child that could not be started.
func Run(cmd *exec.Cmd, timeout time.Duration) (Result, error) {
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		return Result{}, fmt.Errorf("childmem: start %s: %w", cmd.Path, err)
	}
	done := make(chan struct{})
	var hung atomic.Bool
	timer := time.AfterFunc(timeout, func() {
		select {
		case <-done:
		default:
			hung.Store(true)
			cmd.Process.Kill()
		}
	})
	err := cmd.Wait()
	close(done)
	timer.Stop()
	r := Result{Stdout: out.Bytes(), Stderr: errb.Bytes(), HungUp: hung.Load()}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return r, fmt.Errorf("childmem: wait %s: %w", cmd.Path, err)
	}
	st := cmd.ProcessState
	r.ExitCode = st.ExitCode()
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		r.Signal = ws.Signal().String()
	}
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		r.PeakRSS = maxRSSBytes(int64(ru.Maxrss))
	}
	return r, nil
}

// maxRSSBytes converts rusage's ru_maxrss: kilobytes on Linux and the
// BSDs, bytes on macOS.
func maxRSSBytes(v int64) int64 {
	if runtime.GOOS == "darwin" {
		return v
	}
	return v << 10
}

// childEnv marks a test binary run again as a child by Self.
const childEnv = "CHILDMEM_CHILD"

// Self is a command that runs the current test binary again with only
// the test named run (a -test.run pattern), marked so that IsChild is
// true in it; env is added to the child's environment.
func Self(run string, env ...string) *exec.Cmd {
	cmd := exec.CommandContext(context.Background(), os.Args[0], "-test.run=^"+run+"$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), childEnv+"=1"), env...)
	return cmd
}

// IsChild reports whether this process was started by Self.
func IsChild() bool { return os.Getenv(childEnv) == "1" }

// MiB formats a byte count for a test's message.
func MiB(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
