// Package childmem runs a program as a child process and reports its peak
// resident memory (the kernel's rusage maximum RSS), for tests that bound
// what a scan takes: a test builds a hostile input, runs trawl (or its own
// binary again) on it, and asserts the result and the peak. A timeout only
// guards against a hang; nothing here measures time.
//
// On Linux a child's maximum RSS starts at its parent's: Go starts a
// child with vfork, and exec records the high-water mark of the memory it
// replaces, which is the parent's. A test that built a large input would
// see its own peak in the child's. So the child is started through a
// relay: this same test binary, started afresh, which starts the program
// and reports its peak; the relay's own small footprint is the floor.
// The relay takes over in this package's init, before the tests run.
//
// The peak is read when the child has exited: no ulimit or prlimit caps
// it, since some libraries reserve address space they never touch.
package childmem

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
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

// relayArg marks a run of the test binary as a relay.
const relayArg = "-childmem.relay"

func init() {
	if len(os.Args) > 2 && os.Args[1] == relayArg {
		os.Exit(relay(os.Args[2:]))
	}
}

// relay runs args with this process's standard streams, and writes
// "peak-bytes signal" to file descriptor 3 when it ends. It exits as the
// child did.
func relay(args []string) int {
	report := os.NewFile(3, "childmem-report")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// The child dies with the relay, so the hang guard's kill reaches it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		fmt.Fprintf(os.Stderr, "childmem relay: %v\n", err)
		return 125
	}
	st := cmd.ProcessState
	sig := "-"
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		sig = strings.ReplaceAll(ws.Signal().String(), " ", "_")
	}
	var peak int64
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		peak = maxRSSBytes(int64(ru.Maxrss))
	}
	fmt.Fprintf(report, "%d %s\n", peak, sig)
	report.Close()
	if st.ExitCode() < 0 {
		return 128
	}
	return st.ExitCode()
}

// Run runs cmd to its end through a relay, or kills it once timeout has
// passed (HungUp), and returns its output, exit and peak RSS. cmd's
// Stdout and Stderr must be unset; its Path, Args, Env, Dir and Stdin are
// used. The error is for a child that could not be started.
func Run(cmd *exec.Cmd, timeout time.Duration) (Result, error) {
	self, err := os.Executable()
	if err != nil {
		return Result{}, fmt.Errorf("childmem: %w", err)
	}
	rd, wr, err := os.Pipe()
	if err != nil {
		return Result{}, fmt.Errorf("childmem: %w", err)
	}
	defer rd.Close()
	rc := exec.Command(self, append([]string{relayArg, cmd.Path}, cmd.Args[1:]...)...)
	rc.Env, rc.Dir, rc.Stdin = cmd.Env, cmd.Dir, cmd.Stdin
	rc.ExtraFiles = []*os.File{wr}
	var out, errb bytes.Buffer
	rc.Stdout, rc.Stderr = &out, &errb
	if err := rc.Start(); err != nil {
		wr.Close()
		return Result{}, fmt.Errorf("childmem: start %s: %w", cmd.Path, err)
	}
	wr.Close()
	done := make(chan struct{})
	var hung atomic.Bool
	timer := time.AfterFunc(timeout, func() {
		select {
		case <-done:
		default:
			hung.Store(true)
			rc.Process.Kill()
		}
	})
	werr := rc.Wait()
	close(done)
	timer.Stop()
	r := Result{Stdout: out.Bytes(), Stderr: errb.Bytes(), HungUp: hung.Load(), ExitCode: rc.ProcessState.ExitCode()}
	var ee *exec.ExitError
	if werr != nil && !errors.As(werr, &ee) {
		return r, fmt.Errorf("childmem: wait %s: %w", cmd.Path, werr)
	}
	if ws, ok := rc.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		r.Signal = ws.Signal().String() // the relay itself was killed
	}
	var rep bytes.Buffer
	rep.ReadFrom(rd)
	if f := strings.Fields(rep.String()); len(f) == 2 {
		r.PeakRSS, _ = strconv.ParseInt(f[0], 10, 64)
		if f[1] != "-" {
			r.Signal, r.ExitCode = f[1], -1
		}
	} else if !r.HungUp {
		return r, fmt.Errorf("childmem: the relay for %s reported nothing: %s", cmd.Path, r.Stderr)
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
	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	cmd := exec.CommandContext(context.Background(), self, "-test.run=^"+run+"$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), childEnv+"=1"), env...)
	return cmd
}

// IsChild reports whether this process was started by Self.
func IsChild() bool { return os.Getenv(childEnv) == "1" }

// MiB formats a byte count for a test's message.
func MiB(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
