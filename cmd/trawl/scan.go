package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
	"github.com/trawlsec/trawl/internal/membudget"
	"github.com/trawlsec/trawl/scanner"
)

type scanFlags struct {
	format   string
	output   string
	results  string
	workers  int
	managed  string
	include  []string
	exclude  []string
	exitCode int
	quiet    bool
	verbose  bool
	custom   []string
	allow    []string
	archive  archiveFlags
	s3       s3Flags
	publish  publishFlags
	store    storeFlags
	view     viewFlags
	baseline baselineFlags
	paths    pathFlags
	samples  sampleFlags
	maxTime  time.Duration
	shard    string
	memory   string

	workersSet bool // --workers given: not raised for S3
}

// Macie's per-job limits.
const (
	maxCustomPerJob = 30
	maxAllowPerJob  = 10
)

func newScanCmd(stdout, stderr io.Writer) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan TARGET...",
		Short: "Scan S3 buckets, directories, files or standard input (-) for sensitive data",
		Long: `Scan S3 buckets or prefixes (s3://BUCKET[/PREFIX]), directories (recursively),
single files, or standard input ("-") for sensitive data. Findings are printed in Amazon Macie's finding format.

Exit codes: 0 no findings, 1 findings (see --exit-code), 2 error, 130 interrupted.`,
		Example: `  trawl scan s3://my-bucket s3://other/prefix/ --include-ext csv,json
  trawl scan s3://bucket --endpoint-url http://127.0.0.1:9000 --path-style
  trawl scan ./exports
  trawl scan ./exports --format jsonl --output findings.jsonl --results ./results
  cat dump.txt | trawl scan -`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("scan needs at least one target: a directory, a file, or - for standard input")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f.workersSet = cmd.Flags().Changed("workers")
			return runScan(cmd.Context(), f, args, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "", "output format: "+formatNames+" (default: table on a terminal, jsonl otherwise)")
	fl.StringVarP(&f.output, "output", "o", "", "write findings to this file instead of standard output")
	fl.StringVar(&f.results, "results", "", "also write every object's result (with or without findings) to DIR as gzipped JSON Lines")
	fl.IntVar(&f.workers, "workers", runtime.NumCPU(), "objects scanned at once, 1 to 1024 (at least 16 when a target is in S3, unless given)")
	fl.StringVar(&f.managed, "managed-identifiers", "recommended", "managed identifiers to run: recommended (Macie's), all (with trawl's TRAWL_ secrets), secrets (those alone) or none")
	fl.StringSliceVar(&f.include, "include-identifiers", nil, "managed identifier IDs to add (comma-separated)")
	fl.StringSliceVar(&f.exclude, "exclude-identifiers", nil, "managed identifier IDs to leave out (comma-separated)")
	fl.StringArrayVar(&f.custom, "custom-identifiers", nil, "JSON or YAML file of custom data identifiers, Macie's CreateCustomDataIdentifier fields (repeatable)")
	fl.StringArrayVar(&f.allow, "allow-list", nil, "allow list: text (one entry per line, regex:EXPR for expressions) or JSON/YAML with a regex (repeatable)")
	fl.DurationVar(&f.maxTime, "max-object-time", scanner.DefaultLimits.MaxObjectTime, "time budget per object, at most 168h; past it the object's result is TIME_CUT_OFF_REACHED (0: none)")
	fl.StringVar(&f.memory, "max-memory", "512MiB", "memory the whole scan may use, all workers together, 128MiB to 1TiB; past it members are spilled to temporary files")
	fl.StringVar(&f.shard, "shard", "", "scan one slice of the targets' objects, INDEX/COUNT from 0 (e.g. 3/16): COUNT processes, one per INDEX, scan each object once")
	fl.IntVar(&f.exitCode, "exit-code", exitFindings, "exit code when there are findings")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no summary on standard error")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "log skipped entries and other details to standard error")
	f.archive.register(fl)
	addS3Flags(fl, &f.s3)
	f.publish.register(fl)
	f.store.register(fl)
	f.view.register(fl)
	f.baseline.register(fl)
	f.paths.register(fl)
	f.samples.register(fl)
	return cmd
}

func runScan(ctx context.Context, f scanFlags, targets []string, stdout, stderr io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := checkWorkers(f.workers); err != nil {
		return usageError("%v", err)
	}
	if err := checkObjectTime(f.maxTime); err != nil {
		return usageError("%v", err)
	}
	maxMemory, err := parseMemory(f.memory)
	if err != nil {
		return usageError("%v", err)
	}
	if f.exitCode < 0 || f.exitCode > 125 {
		return usageError("--exit-code must be between 0 and 125, got %d", f.exitCode)
	}
	shard := scanner.Shard{Count: 1}
	if f.shard != "" {
		var err error
		if shard, err = scanner.ParseShard(f.shard); err != nil {
			return usageError("--shard: %v", err)
		}
		if slices.Contains(targets, "-") {
			return usageError("--shard cannot split standard input: give directories, files or s3:// targets")
		}
	}
	limits := scanner.DefaultLimits
	if err := f.archive.apply(&limits); err != nil {
		return usageError("%v", err)
	}
	sel, err := identifiers.ParseSelector(f.managed)
	if err != nil {
		return usageError("%v (in --managed-identifiers)", err)
	}
	ids, err := identifiers.Select(sel, f.include, f.exclude)
	if err != nil {
		return usageError("%v", err)
	}
	s3t, err := newS3Targets(f.s3, f.results)
	if err != nil {
		return err
	}
	defer s3t.close()
	if f.custom, f.allow, err = s3t.fetchLists(ctx, f.custom, f.allow); err != nil {
		return err
	}
	custom, err := loadCustom(f.custom)
	if err != nil {
		return usageError("%v", s3t.explain(err))
	}
	ids = append(ids, custom...)
	if len(ids) == 0 {
		return usageError("no identifiers selected: --managed-identifiers none needs --include-identifiers or --custom-identifiers")
	}
	if len(f.allow) > maxAllowPerJob {
		return usageError("%d --allow-list files, at most %d per scan (Macie's limit): merge them", len(f.allow), maxAllowPerJob)
	}
	allow, err := identifiers.LoadAllowLists(f.allow)
	if err != nil {
		return usageError("%v", s3t.explain(err))
	}
	engine, err := identifiers.NewEngine(ids, identifiers.Options{Allow: allow})
	if err != nil {
		return &exitErr{code: exitError, err: err}
	}

	level := slog.LevelWarn
	if f.verbose {
		level = slog.LevelDebug
	}
	log, err := f.view.logger(stderr, level)
	if err != nil {
		return err
	}

	// Open every target before writing anything, so that a typo fails fast.
	// The scan's own files join own as they are opened.
	var sources []scanner.Source
	own := &scanner.FileSet{}
	for _, t := range targets {
		if isS3(t) {
			src, err := s3t.source(ctx, t, log)
			if err != nil {
				return err
			}
			sources = append(sources, scanner.Sharded(src, shard))
			continue
		}
		src, err := scanner.NewLocalExcept(t, log, own)
		if err != nil {
			return &exitErr{code: exitError, err: fmt.Errorf("%v (check the path)", err)}
		}
		if t != "-" {
			if src, err = s3t.local(src, t); err != nil {
				return err
			}
		}
		sources = append(sources, scanner.Sharded(src, shard))
	}

	if sources, err = f.paths.wrap(targets, sources, log); err != nil {
		return err
	}
	if err := checkOutputs(targets, f.output, f.results); err != nil {
		return err
	}
	f.publish.ledger = f.store.ledger() // the store's, once attached below
	publishers, err := f.publish.open(ctx, f.s3, stderr, f.quiet)
	if err != nil {
		return err
	}
	out := stdout
	if f.output != "" {
		file, err := os.Create(f.output)
		if err != nil {
			return &exitErr{code: exitError, err: fmt.Errorf("cannot write --output: %w", err)}
		}
		defer file.Close()
		if err := addOwn(own, f.output); err != nil {
			return &exitErr{code: exitError, err: fmt.Errorf("cannot write --output: %w", err)}
		}
		out = file
	}
	format := f.format
	if format == "" {
		format = "jsonl"
		if file, ok := out.(*os.File); ok && term.IsTerminal(int(file.Fd())) {
			format = "table"
		}
	}
	var sink findings.Sinks
	switch strings.ToLower(format) {
	case "table":
		sink = append(sink, findings.NewTable(out))
	case "json":
		sink = append(sink, findings.NewJSON(out))
	case "jsonl":
		sink = append(sink, findings.NewJSONL(out))
	default:
		extra := formatSink(strings.ToLower(format), out, stderr)
		if extra == nil {
			return usageError("unknown --format %q: use %s", f.format, formatNames)
		}
		sink = append(sink, extra)
	}
	sink = append(sink, f.samples.publishers(publishers)...) // after the outputs: their failure leaves the output written
	run := findings.Run{JobID: newJobID(), CreatedAt: time.Now()}
	if f.results != "" {
		rs, name, err := s3t.openResults(ctx, f.results, run)
		if err == nil {
			if err = addOwn(own, name); err != nil {
				rs.Close()
			}
		}
		if err != nil {
			return &exitErr{code: exitError, err: fmt.Errorf("%v (check --results)", err)}
		}
		log.Debug("writing results", "file", name)
		sink = append(sink, rs)
		run.ResultsLocation = name // for the findings, as Macie's detailedResultsLocation
	}

	if err := f.baseline.open(); err != nil {
		return err
	}
	if err := f.samples.check(&f.store); err != nil {
		return err
	}
	recorded, err := f.store.attach(ctx, run, sink, stderr)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	workers := f.workers
	if !f.workersSet && slices.ContainsFunc(targets, isS3) {
		workers = max(workers, s3Workers) // objects wait on the network more than on the CPU
	}
	sc := &scanner.Scanner{
		Engine: engine, Workers: workers, Text: formats.DefaultTextOptions,
		Limits: limits, Log: log,
	}
	sc.Limits.MaxObjectTime = f.maxTime
	sc.Memory = memoryBudget(maxMemory)
	sc.Samples = f.samples.show
	prog := f.view.startProgress(stderr, f.quiet)
	sources = prog.wrap(targets, sources)
	var sum summary
	start := time.Now()
	var scanErr error
	for _, src := range sources {
		scanErr = sc.Run(ctx, src, func(r *findings.Result) error {
			fd, err := f.baseline.keep(findings.Build(r, run))
			if err != nil {
				return err
			}
			sum.add(r, fd)
			prog.add(r, fd)
			logSkipped(log, r)
			return recorded.Put(r, fd)
		})
		if scanErr != nil {
			break
		}
	}
	if err := recorded.Close(); err != nil && scanErr == nil {
		scanErr = fmt.Errorf("write output: %w", err)
	}
	if err := f.baseline.close(); err != nil && scanErr == nil {
		scanErr = err
	}
	if scanErr == nil {
		scanErr = f.store.failed()
	}
	prog.finish()
	if !f.quiet {
		sum.print(stderr, time.Since(start))
	}
	switch {
	case errors.Is(scanErr, context.Canceled):
		return &exitErr{code: exitInterrupted, err: errors.New("interrupted: results for the objects finished before the interrupt were written")}
	case scanErr != nil:
		return &exitErr{code: exitError, err: scanErr}
	case sum.findings > 0:
		return &exitErr{code: f.exitCode}
	}
	return nil
}

// processMemory is what the scan uses whatever it reads: the Go runtime,
// the compiled identifiers, the output. The rest of the runtime's limit is
// the budget the workers reserve from.
const processMemory = 48 << 20

// memoryBudget makes the workers' budget out of --max-memory, and sets the
// Go runtime's soft memory limit below it (unless GOMEMLIMIT says
// otherwise). The reservations bound what is live and, since the pool
// counts released bytes as taken until a collection, the garbage of what
// was reserved; the limit bounds the rest. A quarter of --max-memory, and
// at least 32 MiB, is left above the limit for what the collector and the
// scavenger let through: 16 workers taking and releasing 128 MiB zstd
// windows peaked at 372 MiB under a limit of 384 MiB, at 475 MiB with an
// eighth left.
func memoryBudget(maxMemory int64) *membudget.Pool {
	limit := maxMemory - max(maxMemory/4, 32<<20)
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
	return membudget.New(limit - processMemory)
}

// loadCustom reads every --custom-identifiers file; names must be unique
// across files, and a scan runs at most 30 (Macie's limit per job).
func loadCustom(paths []string) ([]*identifiers.Identifier, error) {
	var all []*identifiers.Identifier
	seen := map[string]string{}
	for _, p := range paths {
		ids, err := identifiers.LoadCustom(p)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if prev, ok := seen[id.Name]; ok {
				return nil, fmt.Errorf("custom identifier %q is defined in both %s and %s: names must be unique", id.Name, prev, p)
			}
			seen[id.Name] = p
		}
		all = append(all, ids...)
	}
	if len(all) > maxCustomPerJob {
		return nil, fmt.Errorf("%d custom identifiers, at most %d per scan (Macie's limit per job)", len(all), maxCustomPerJob)
	}
	return all, nil
}

// summary counts what a scan did, for the line printed at the end.
type summary struct {
	objects, skipped, findings int
	bytes                      int64
	bySeverity                 map[string]int
}

func (s *summary) add(r *findings.Result, f *findings.Finding) {
	s.objects++
	s.bytes += r.SizeClassified
	if r.Status == findings.Skipped {
		s.skipped++
	}
	if f != nil {
		s.findings++
		if s.bySeverity == nil {
			s.bySeverity = map[string]int{}
		}
		s.bySeverity[f.Severity.Description]++
	}
}

func (s *summary) print(w io.Writer, took time.Duration) {
	var sev []string
	for _, name := range []string{"High", "Medium", "Low"} {
		if n := s.bySeverity[name]; n > 0 {
			sev = append(sev, fmt.Sprintf("%d %s", n, name))
		}
	}
	detail := ""
	if len(sev) > 0 {
		detail = " (" + strings.Join(sev, ", ") + ")"
	}
	fmt.Fprintf(w, "trawl: scanned %s, %s in %s: %s%s, %d skipped\n",
		plural(s.objects, "object"), humanBytes(s.bytes), took.Round(time.Millisecond), plural(s.findings, "finding"), detail, s.skipped)
}

func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

func newJobID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
