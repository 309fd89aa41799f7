package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/store"
)

// storeFlags are scan's store options and, once attached, the store the
// scan records into.
type storeFlags struct {
	location  string
	none      bool
	retention string

	st        store.Store
	loc       string
	isDefault bool
	failure   error // the store could not be written: reported after the output
}

func (sf *storeFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&sf.location, "store", "", "findings store: an SQLite file PATH or postgres://... (default $"+store.EnvVar+", else $XDG_DATA_HOME/trawl/trawl.db)")
	fl.BoolVar(&sf.none, "no-store", false, "record nothing: print findings only")
	fl.StringVar(&sf.retention, "retention", "", "keep findings this long after they were last seen (e.g. 30d), kept by the store (default 90d)")
}

// parseAge reads a duration in s, m, h or d ("0s" allowed).
func parseAge(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.ParseFloat(n, 64)
		if err != nil || days < 0 {
			return 0, fmt.Errorf("invalid duration %q: use a number with s, m, h or d (e.g. 30d)", s)
		}
		return time.Duration(days * 24 * float64(time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("invalid duration %q: use a number with s, m, h or d (e.g. 30d)", s)
	}
	return d, nil
}

// attach opens the store (unless --no-store) and returns the sink the
// scan writes to: the store's batches go first, and a batch reaches next
// (the printed output) only once committed. A store that cannot be
// written (read-only, full) does not stop the scan: its output is still
// written and the failure reported by failed.
func (sf *storeFlags) attach(ctx context.Context, run findings.Run, next findings.Sink, stderr io.Writer) (findings.Sink, error) {
	var retention time.Duration
	if sf.retention != "" {
		d, err := parseAge(sf.retention)
		if err != nil || d == 0 {
			return nil, usageError("--retention: %v", cmp(err, errors.New("must be more than 0")))
		}
		retention = d
	}
	if sf.none {
		if sf.location != "" {
			return nil, usageError("--store and --no-store together: choose one")
		}
		return next, nil
	}
	loc, isDefault, err := store.Locate(sf.location)
	if err != nil {
		return nil, usageError("%v", err)
	}
	sf.loc, sf.isDefault = loc, isDefault
	st, err := store.Open(ctx, loc)
	if errors.Is(err, store.ErrUnwritable) {
		sf.failure = err
		fmt.Fprintf(stderr, "trawl: warning: %v; scanning without recording findings\n", err)
		return next, nil
	}
	if err != nil {
		return nil, &exitErr{code: exitError, err: fmt.Errorf("%v (or scan with --no-store)", err)}
	}
	sf.st = st
	if retention > 0 {
		if err := st.SetRetention(ctx, retention); err != nil {
			st.Close()
			return nil, &exitErr{code: exitError, err: err}
		}
	}
	keep, err := st.Retention(ctx)
	if err == nil {
		_, err = st.Purge(ctx, keep, time.Now())
	}
	if err != nil {
		st.Close()
		return nil, &exitErr{code: exitError, err: err}
	}
	sink := &storeSink{st: st, run: store.Run{ID: run.JobID, At: run.CreatedAt}, next: next, sf: sf, stderr: stderr,
		stop: make(chan struct{}), stopped: make(chan struct{})}
	go sink.tick()
	return sink, nil
}

func cmp(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// failed is the error to exit with when the store could not be written.
func (sf *storeFlags) failed() error {
	if sf.failure == nil {
		return nil
	}
	msg := sf.failure.Error()
	if !strings.Contains(msg, sf.loc) {
		msg = sf.loc + ": " + msg
	}
	return fmt.Errorf("findings were not recorded: %s; the scan's output was written (give --store another location, or --no-store to record nothing)", msg)
}

// storeSink records findings a batch at a time, in one transaction each,
// and passes a batch on to the output only once it is committed: a
// finding that was printed is in the store, and a re-run finds it there.
type storeSink struct {
	mu      sync.Mutex // Put and the ticker's flushes
	st      store.Store
	run     store.Run
	next    findings.Sink
	sf      *storeFlags
	stderr  io.Writer
	pending []pendingResult
	nfind   int
	started time.Time
	stop    chan struct{}
	stopped chan struct{}
}

// tick flushes a batch that has waited batchWait, so that a scan that
// slows down (a large object, an idle pipe) still prints what it found.
func (s *storeSink) tick() {
	defer close(s.stopped)
	t := time.NewTicker(batchWait / 2)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			if len(s.pending) > 0 && time.Since(s.started) >= batchWait {
				s.flush() // an output error shows again at the next Put or Close
			}
			s.mu.Unlock()
		}
	}
}

type pendingResult struct {
	r *findings.Result
	f *findings.Finding
}

// A batch is committed at this many findings or results, or when its
// first result has waited this long.
const (
	batchFindings = 256
	batchResults  = 1024
	batchWait     = 500 * time.Millisecond
)

func (s *storeSink) Put(r *findings.Result, f *findings.Finding) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		s.started = time.Now()
	}
	s.pending = append(s.pending, pendingResult{r, f})
	if f != nil {
		s.nfind++
	}
	if s.nfind >= batchFindings || len(s.pending) >= batchResults || time.Since(s.started) >= batchWait {
		return s.flush()
	}
	return nil
}

func (s *storeSink) flush() error {
	var fs []*findings.Finding
	for _, p := range s.pending {
		if p.f != nil {
			fs = append(fs, p.f)
		}
	}
	if len(fs) > 0 && s.sf.failure == nil {
		// The batch is written even when the scan is being interrupted:
		// it is about to be printed.
		archived, err := s.st.Record(context.WithoutCancel(context.Background()), s.run, fs)
		if err != nil {
			s.sf.failure = err
			fmt.Fprintf(s.stderr, "trawl: warning: %v; the rest of the scan is not recorded\n", err)
		}
		for _, f := range fs {
			if _, ok := archived[f.ID]; ok {
				f.Archived = true // suppressed by a findings filter
			}
		}
	}
	for _, p := range s.pending {
		if err := s.next.Put(p.r, p.f); err != nil {
			return err
		}
	}
	s.pending, s.nfind = s.pending[:0], 0
	return nil
}

func (s *storeSink) Close() error {
	close(s.stop)
	<-s.stopped
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.flush()
	if cerr := s.next.Close(); err == nil {
		err = cerr
	}
	s.st.Close()
	return err
}
