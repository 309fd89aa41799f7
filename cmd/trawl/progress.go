package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/scanner"
)

// viewFlags are how scan talks to people while it runs: the progress
// line and the log's format.
type viewFlags struct {
	progress   bool
	noProgress bool
	logFormat  string
}

func (v *viewFlags) register(fl *pflag.FlagSet) {
	fl.BoolVar(&v.progress, "progress", false, "show the progress line on standard error even when it is not a terminal")
	fl.BoolVar(&v.noProgress, "no-progress", false, "no progress line, even on a terminal")
	fl.StringVar(&v.logFormat, "log-format", "text", "log format on standard error: text, or json for machines (the progress line becomes JSON records)")
}

// logger makes the scan's log in the chosen format.
func (v *viewFlags) logger(stderr io.Writer, level slog.Level) (*slog.Logger, error) {
	if v.progress && v.noProgress {
		return nil, usageError("--progress and --no-progress together: choose one")
	}
	opts := &slog.HandlerOptions{Level: level}
	switch v.logFormat {
	case "text", "":
		return slog.New(slog.NewTextHandler(stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	}
	return nil, usageError("unknown --log-format %q: use text or json", v.logFormat)
}

// logSkipped logs an object that was not classified, and why (with
// --verbose: the log shows debug records then).
func logSkipped(log *slog.Logger, r *findings.Result) {
	if r.Status == findings.Skipped {
		log.Debug("skipped", "object", r.Object.Path, "reason", string(r.Reason))
	}
}

// progressEvery is how often the line is redrawn.
const progressEvery = 500 * time.Millisecond

// startProgress starts the progress line if it is wanted: on a terminal
// unless --quiet or --no-progress, anywhere with --progress. It returns
// nil (whose methods do nothing) otherwise.
func (v *viewFlags) startProgress(stderr io.Writer, quiet bool) *progress {
	on := v.progress
	if !on && !v.noProgress && !quiet {
		f, ok := stderr.(*os.File)
		on = ok && term.IsTerminal(int(f.Fd()))
	}
	if !on {
		return nil
	}
	p := &progress{w: stderr, start: time.Now(), stop: make(chan struct{}), bySev: map[string]int{}}
	if v.logFormat == "json" {
		// Its own handler: the scan's log shows warnings only unless
		// --verbose, and progress records are what was asked for.
		p.log = slog.New(slog.NewJSONHandler(stderr, nil))
	}
	p.wg.Go(p.loop)
	return p
}

// progress counts a scan's objects as they are listed and scanned, and
// redraws one line on standard error (or logs a record) with the counts.
type progress struct {
	w     io.Writer
	log   *slog.Logger // JSON records instead of a line
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup

	mu                  sync.Mutex
	listed, listedBytes int64
	done, doneBytes     int64
	findings            int
	bySev               map[string]int
	listing             int  // wrapped sources still listing
	unknownListing      bool // a source (standard input) whose size is not listed
	drawn               bool
}

// wrap counts what each source lists; standard input lists nothing
// ahead and is left as it is (the scanner recognises it by its type).
func (p *progress) wrap(targets []string, sources []scanner.Source) []scanner.Source {
	if p == nil {
		return sources
	}
	out := make([]scanner.Source, len(sources))
	for i, src := range sources {
		if targets[i] == "-" {
			p.unknownListing = true
			out[i] = src
			continue
		}
		p.listing++
		out[i] = &countingSource{src: src, p: p}
	}
	return out
}

// add counts one object's result.
func (p *progress) add(r *findings.Result, f *findings.Finding) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.doneBytes += r.Object.Size
	if f != nil {
		p.findings++
		p.bySev[f.Severity.Description]++
	}
}

// finish stops redrawing and clears the line, before the summary.
func (p *progress) finish() {
	if p == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn && p.log == nil {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func (p *progress) loop() {
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.draw(time.Now())
		}
	}
}

func (p *progress) draw(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := now.Sub(p.start)
	rate := float64(p.doneBytes) / max(elapsed.Seconds(), 0.001)
	listingDone := p.listing == 0 && !p.unknownListing
	var eta time.Duration
	if listingDone && rate > 0 {
		eta = time.Duration(float64(max(0, p.listedBytes-p.doneBytes)) / rate * float64(time.Second))
	}
	p.drawn = true
	if p.log != nil {
		attrs := []any{"objects", p.done, "bytes", p.doneBytes, "listedObjects", p.listed, "listedBytes", p.listedBytes,
			"listingDone", listingDone, "bytesPerSecond", int64(rate), "findings", p.findings,
			"high", p.bySev["High"], "medium", p.bySev["Medium"], "low", p.bySev["Low"], "elapsed", elapsed.Round(time.Millisecond).String()}
		if listingDone {
			attrs = append(attrs, "eta", eta.Round(time.Second).String())
		}
		p.log.Info("progress", attrs...)
		return
	}
	fmt.Fprintf(p.w, "\r\033[K%s\r", p.line(elapsed, rate, listingDone, eta))
}

// line is the progress line's text.
func (p *progress) line(elapsed time.Duration, rate float64, listingDone bool, eta time.Duration) string {
	of := "+"
	if listingDone {
		of = ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "trawl: %s/%s%s objects, %s/%s%s, %s/s, %d findings", thousands(p.done), thousands(p.listed), of,
		humanBytes(p.doneBytes), humanBytes(p.listedBytes), of, humanBytes(int64(rate)), p.findings)
	var sev []string
	for _, name := range []string{"High", "Medium", "Low"} {
		if n := p.bySev[name]; n > 0 {
			sev = append(sev, fmt.Sprintf("%d %s", n, name))
		}
	}
	if len(sev) > 0 {
		b.WriteString(" (" + strings.Join(sev, ", ") + ")")
	}
	fmt.Fprintf(&b, ", %s", clock(elapsed))
	if listingDone {
		fmt.Fprintf(&b, ", ETA %s", clock(eta))
	}
	return b.String()
}

// clock writes a duration as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// thousands writes n with comma separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && c != '-' && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// countingSource counts the objects a source lists for the progress line.
type countingSource struct {
	src scanner.Source
	p   *progress
}

func (c *countingSource) List(ctx context.Context, fn func(scanner.Object, error) error) error {
	defer func() {
		c.p.mu.Lock()
		c.p.listing--
		c.p.mu.Unlock()
	}()
	return c.src.List(ctx, func(o scanner.Object, err error) error {
		if err == nil {
			c.p.mu.Lock()
			c.p.listed++
			c.p.listedBytes += o.Size
			c.p.mu.Unlock()
		}
		return fn(o, err)
	})
}

func (c *countingSource) Open(ctx context.Context, o scanner.Object) (io.ReadCloser, error) {
	return c.src.Open(ctx, o)
}

// Enrich passes on to the source's own enrichment, if it has one.
func (c *countingSource) Enrich(ctx context.Context, r *findings.Result) {
	if e, ok := c.src.(scanner.Enricher); ok {
		e.Enrich(ctx, r)
	}
}
