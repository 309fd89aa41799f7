package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/findings/store"
	"github.com/trawlsec/trawl/identifiers"
	"github.com/trawlsec/trawl/scanner"
	"github.com/trawlsec/trawl/scanner/jobs"
	"github.com/trawlsec/trawl/scanner/s3source"
)

func newJobsCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "jobs",
		Short: "Discovery jobs: one-time or scheduled scans that look only at what changed",
		Long: `Discovery jobs, in the shape of Amazon Macie's classification jobs. A job is kept in
the findings store; each run scans only the objects created or changed since the
job's previous run, records the findings, and keeps its statistics.

Run the due jobs from cron, a systemd timer or a Kubernetes CronJob with
'trawl jobs run-due', or keep 'trawl jobs serve' running.`,
	}
	cmd.AddCommand(newJobsCreateCmd(stdout, false), newJobsCreateCmd(stdout, true), newJobsListCmd(stdout), newJobsShowCmd(stdout),
		newJobsStatusCmd(stdout, "pause", jobs.StatusUserPaused), newJobsStatusCmd(stdout, "resume", jobs.StatusIdle),
		newJobsStatusCmd(stdout, "cancel", jobs.StatusCancelled), newJobsHistoryCmd(stdout),
		newJobsRunCmd(stdout, stderr, false), newJobsRunCmd(stdout, stderr, true), newJobsServeCmd(stderr))
	return cmd
}

// jobFlags are a job's definition as flags.
type jobFlags struct {
	name, description, schedule, at string
	targets                         []string
	managed                         string
	include, exclude                []string
	custom, allow                   []string
	includeExt, excludeExt          []string
	includePrefix, excludePrefix    []string
	minSize, maxSize                string
	modifiedAfter, modifiedBefore   string
	tags, excludeTags               []string
	sampling                        float64
	maxObjects                      int
	initialRun                      bool
	fromFile                        string
}

func (f *jobFlags) register(fl *pflag.FlagSet, update bool) {
	fl.StringVar(&f.name, "name", "", "the job's name, unique in the store")
	fl.StringVar(&f.description, "description", "", "what the job is for")
	fl.StringVar(&f.schedule, "schedule", "once", "once, daily, weekly:DAY (e.g. weekly:MONDAY) or monthly:DAY (1-31; 29-31 skip shorter months)")
	fl.StringVar(&f.at, "at", "", "time of day of scheduled runs, HH:MM UTC (default 00:00)")
	fl.StringArrayVar(&f.targets, "target", nil, "s3://BUCKET[/PREFIX] or a directory (repeatable)")
	fl.StringVar(&f.managed, "managed-identifiers", "recommended", "recommended, all or none (Macie's selector; --include-identifiers or --exclude-identifiers make it INCLUDE or EXCLUDE)")
	fl.StringSliceVar(&f.include, "include-identifiers", nil, "managed identifier IDs to run (with --managed-identifiers none: only these)")
	fl.StringSliceVar(&f.exclude, "exclude-identifiers", nil, "managed identifier IDs to leave out of all")
	fl.StringArrayVar(&f.custom, "custom-identifiers", nil, "file of custom identifiers, copied into the job (repeatable)")
	fl.StringArrayVar(&f.allow, "allow-list", nil, "allow list file, copied into the job (repeatable)")
	fl.StringSliceVar(&f.includeExt, "include-ext", nil, "scope: only these extensions")
	fl.StringSliceVar(&f.excludeExt, "exclude-ext", nil, "scope: not these extensions")
	fl.StringArrayVar(&f.includePrefix, "include-prefix", nil, "scope: only keys starting with this (repeatable)")
	fl.StringArrayVar(&f.excludePrefix, "exclude-prefix", nil, "scope: not keys starting with this (repeatable)")
	fl.StringVar(&f.minSize, "min-size", "", "scope: at least this size (e.g. 1KB)")
	fl.StringVar(&f.maxSize, "max-size", "", "scope: at most this size (e.g. 5GB)")
	fl.StringVar(&f.modifiedAfter, "modified-after", "", "scope: modified at or after this date (2026-01-01 or RFC 3339)")
	fl.StringVar(&f.modifiedBefore, "modified-before", "", "scope: modified before this date")
	fl.StringArrayVar(&f.tags, "tag", nil, "scope (S3): only objects with this tag, KEY or KEY=VALUE")
	fl.StringArrayVar(&f.excludeTags, "exclude-tag", nil, "scope (S3): not objects with this tag")
	fl.Float64Var(&f.sampling, "sampling", 100, "percentage of the objects in scope to scan")
	fl.IntVar(&f.maxObjects, "max-objects", 0, "scan at most this many objects per target and run (0: no limit)")
	fl.BoolVar(&f.initialRun, "initial-run", true, "scheduled jobs: the first run scans everything in scope (false: only what changes after creation)")
	if !update {
		fl.StringVar(&f.fromFile, "from-file", "", "Macie's CreateClassificationJob request JSON, as the AWS CLI takes it")
	}
}

// job builds the definition from the flags (or the Macie file, which the
// --custom-identifiers and --allow-list files complete).
func (f *jobFlags) job(fl *pflag.FlagSet) (*jobs.Job, error) {
	var j *jobs.Job
	if f.fromFile != "" {
		raw, err := os.ReadFile(f.fromFile)
		if err != nil {
			return nil, usageError("--from-file: %v", err)
		}
		if j, err = jobs.FromMacie(raw); err != nil {
			return nil, usageError("--from-file %s: %v", f.fromFile, err)
		}
		if fl.Changed("name") {
			j.Name = f.name
		}
	} else {
		sched, err := jobs.ParseSchedule(f.schedule, f.at)
		if err != nil {
			return nil, usageError("%v", err)
		}
		j = &jobs.Job{Name: f.name, Description: f.description, Schedule: sched, Sampling: f.sampling,
			MaxObjects: f.maxObjects, InitialRun: f.initialRun}
		for _, t := range f.targets {
			if !isS3(t) {
				abs, err := filepath.Abs(t)
				if err != nil {
					return nil, usageError("--target %s: %v", t, err)
				}
				t = abs
			}
			j.Targets = append(j.Targets, t)
		}
		sel, err := identifiers.ParseSelector(f.managed)
		if err != nil {
			return nil, usageError("--managed-identifiers: %v", err)
		}
		j.Managed = string(sel)
		switch {
		case len(f.include) > 0 && len(f.exclude) > 0:
			return nil, usageError("--include-identifiers and --exclude-identifiers cannot go together in a job (Macie's INCLUDE or EXCLUDE)")
		case len(f.include) > 0:
			if sel != identifiers.SelectNone {
				return nil, usageError("--include-identifiers in a job goes with --managed-identifiers none (Macie's INCLUDE: only those)")
			}
			j.Managed, j.ManagedIDs = "INCLUDE", f.include
		case len(f.exclude) > 0:
			if sel != identifiers.SelectAll {
				return nil, usageError("--exclude-identifiers in a job goes with --managed-identifiers all (Macie's EXCLUDE)")
			}
			j.Managed, j.ManagedIDs = "EXCLUDE", f.exclude
		}
		if err := f.scoping(&j.Scoping); err != nil {
			return nil, err
		}
	}
	for _, p := range f.custom {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, usageError("--custom-identifiers: %v", err)
		}
		if _, err := identifiers.ParseCustom(raw, p); err != nil {
			return nil, usageError("--custom-identifiers: %v", err)
		}
		j.Custom = append(j.Custom, jobs.File{Name: filepath.Base(p), Content: raw})
	}
	for _, p := range f.allow {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, usageError("--allow-list: %v", err)
		}
		j.AllowLists = append(j.AllowLists, jobs.File{Name: filepath.Base(p), Content: raw})
	}
	if len(j.Custom) > maxCustomPerJob || len(j.AllowLists) > maxAllowPerJob {
		return nil, usageError("a job takes at most %d custom identifier files and %d allow lists", maxCustomPerJob, maxAllowPerJob)
	}
	if err := j.Validate(); err != nil {
		return nil, usageError("%v", err)
	}
	return j, nil
}

// scoping turns the scope flags into Macie's scoping terms.
func (f *jobFlags) scoping(s *jobs.Scoping) error {
	inc := func(t jobs.Term) { s.Includes = append(s.Includes, t) }
	exc := func(t jobs.Term) { s.Excludes = append(s.Excludes, t) }
	if len(f.includeExt) > 0 {
		inc(jobs.Term{Key: jobs.KeyExtension, Comparator: "EQ", Values: f.includeExt})
	}
	if len(f.excludeExt) > 0 {
		exc(jobs.Term{Key: jobs.KeyExtension, Comparator: "EQ", Values: f.excludeExt})
	}
	if len(f.includePrefix) > 0 {
		inc(jobs.Term{Key: jobs.KeyPrefix, Comparator: "STARTS_WITH", Values: f.includePrefix})
	}
	if len(f.excludePrefix) > 0 {
		exc(jobs.Term{Key: jobs.KeyPrefix, Comparator: "STARTS_WITH", Values: f.excludePrefix})
	}
	for _, c := range []struct{ flag, v, op string }{{"--min-size", f.minSize, "GTE"}, {"--max-size", f.maxSize, "LTE"}} {
		if c.v == "" {
			continue
		}
		n, err := parseSize(c.v)
		if err != nil {
			return usageError("%s: %v", c.flag, err)
		}
		inc(jobs.Term{Key: jobs.KeySize, Comparator: c.op, Values: []string{strconv.FormatInt(n, 10)}})
	}
	for _, c := range []struct{ flag, v, op string }{{"--modified-after", f.modifiedAfter, "GTE"}, {"--modified-before", f.modifiedBefore, "LT"}} {
		if c.v == "" {
			continue
		}
		d, err := parseDate(c.v)
		if err != nil {
			return usageError("%s: %v", c.flag, err)
		}
		inc(jobs.Term{Key: jobs.KeyLastModified, Comparator: c.op, Values: []string{d.UTC().Format(time.RFC3339)}})
	}
	for _, c := range []struct {
		flag string
		list []string
		add  func(jobs.Term)
	}{{"--tag", f.tags, inc}, {"--exclude-tag", f.excludeTags, exc}} {
		if len(c.list) == 0 {
			continue
		}
		tags, err := parseTags(c.list)
		if err != nil {
			return usageError("%s: %v", c.flag, err)
		}
		var tv []jobs.TagValue
		for _, t := range tags {
			tv = append(tv, jobs.TagValue{Key: t.Key, Value: t.Value})
		}
		c.add(jobs.Term{Key: jobs.KeyTag, Comparator: "EQ", Tags: tv})
	}
	if err := s.Validate(); err != nil {
		return usageError("%v", err)
	}
	return nil
}

func newJobsCreateCmd(stdout io.Writer, update bool) *cobra.Command {
	var f jobFlags
	var o findingsOpts
	use, short := "create", "Create a job (it never scans: its first run is due at once, or at its first scheduled time)"
	if update {
		use, short = "update", "Change a job's definition explicitly (its files are copied again)"
	}
	cmd := &cobra.Command{
		Use:   use + " --name NAME --target TARGET... [flags] | --from-file job.json",
		Short: short,
		Example: `  trawl jobs create --name nightly --schedule daily --target s3://bucket --target ./exports \
      --include-ext csv,json --exclude-prefix tmp/ --managed-identifiers recommended
  trawl jobs create --from-file job.json --custom-identifiers cdi.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			j, err := f.job(cmd.Flags())
			if err != nil {
				return err
			}
			return withJobs(cmd, &o, func(ctx context.Context, m *jobs.Manager) error {
				var rec *jobs.Record
				if update {
					rec, err = m.Update(ctx, j)
				} else {
					rec, err = m.Create(ctx, j)
				}
				if err != nil {
					return usageError("%v", err)
				}
				return printJobs(stdout, o.format, []*jobs.Record{rec})
			})
		},
	}
	f.register(cmd.Flags(), update)
	o.register(cmd.Flags(), "table")
	return cmd
}

func cmdContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// jobView is a job as list and show print it.
type jobView struct {
	Name        string     `json:"name"`
	JobID       string     `json:"jobId"`
	Status      string     `json:"jobStatus"`
	Schedule    string     `json:"schedule"`
	Targets     []string   `json:"targets,omitempty"`
	NextRun     *time.Time `json:"nextRunTime,omitempty"`
	CreatedAt   time.Time  `json:"createdAt"`
	Description string     `json:"description,omitempty"`
	Definition  *jobs.Job  `json:"definition,omitempty"`
}

func view(r *jobs.Record, full bool) jobView {
	v := jobView{Name: r.Job.Name, JobID: r.ID, Status: r.Status, Schedule: r.Job.Schedule.String(), Targets: r.Job.Targets,
		CreatedAt: r.CreatedAt, Description: r.Job.Description}
	if !r.NextRun.IsZero() {
		v.NextRun = &r.NextRun
	}
	if full {
		v.Definition = r.Job
	}
	return v
}

func printJobs(w io.Writer, format string, recs []*jobs.Record) error {
	switch format {
	case "json", "jsonl":
		views := []jobView{}
		for _, r := range recs {
			views = append(views, view(r, len(recs) == 1))
		}
		if format == "jsonl" {
			enc := json.NewEncoder(w)
			for _, v := range views {
				if err := enc.Encode(v); err != nil {
					return err
				}
			}
			return nil
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"jobs": views})
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATUS\tSCHEDULE\tNEXT RUN\tTARGETS")
	for _, r := range recs {
		next := "-"
		if !r.NextRun.IsZero() {
			next = r.NextRun.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", quoteName(r.Job.Name), r.Status, r.Job.Schedule, next, quoteName(strings.Join(r.Job.Targets, " ")))
	}
	return tw.Flush()
}

// quoteName shows a name with its control characters escaped.
func quoteName(s string) string {
	q := strconv.Quote(s)
	if q[1:len(q)-1] == s {
		return s
	}
	return q
}

func newJobsListCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the jobs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withJobs(cmd, &o, func(ctx context.Context, m *jobs.Manager) error {
				recs, err := m.List(ctx)
				if err != nil {
					return storeErr(err)
				}
				return printJobs(stdout, o.format, recs)
			})
		},
	}
	o.register(cmd.Flags(), "table")
	return cmd
}

func newJobsShowCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a job's definition and state",
		Args:  exactArgs(1, "jobs show needs a job's name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withJobs(cmd, &o, func(ctx context.Context, m *jobs.Manager) error {
				rec, err := m.Get(ctx, args[0])
				if err != nil {
					return usageError("%v", err)
				}
				if o.format == "table" {
					o.format = "json" // a definition reads best whole
				}
				return printJobs(stdout, o.format, []*jobs.Record{rec})
			})
		},
	}
	o.register(cmd.Flags(), "table")
	return cmd
}

func newJobsStatusCmd(stdout io.Writer, verb, status string) *cobra.Command {
	var o findingsOpts
	cmd := &cobra.Command{
		Use: verb + " NAME",
		Short: map[string]string{"pause": "Pause a job (USER_PAUSED): no runs until resumed", "resume": "Resume a paused job",
			"cancel": "Cancel a job for good"}[verb],
		Args: exactArgs(1, "jobs "+verb+" needs a job's name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withJobs(cmd, &o, func(ctx context.Context, m *jobs.Manager) error {
				if err := m.SetStatus(ctx, args[0], status); err != nil {
					return usageError("%v", err)
				}
				fmt.Fprintf(stdout, "job %s: %s\n", args[0], status)
				return nil
			})
		},
	}
	o.register(cmd.Flags(), "table")
	return cmd
}

func newJobsHistoryCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	cmd := &cobra.Command{
		Use:   "history NAME",
		Short: "List a job's runs with their statistics, oldest first",
		Args:  exactArgs(1, "jobs history needs a job's name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withJobs(cmd, &o, func(ctx context.Context, m *jobs.Manager) error {
				runs, err := m.History(ctx, args[0])
				if err != nil {
					return usageError("%v", err)
				}
				switch o.format {
				case "json":
					enc := json.NewEncoder(stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(map[string]any{"runs": runs})
				case "jsonl":
					enc := json.NewEncoder(stdout)
					for _, r := range runs {
						enc.Encode(r)
					}
					return nil
				}
				tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "SCHEDULED\tSTATUS\tLISTED\tSCANNED\tUNCHANGED\tSKIPPED\tFINDINGS\tDURATION\tERROR")
				for _, r := range runs {
					n := int64(0)
					for _, c := range r.Statistics.FindingsBySeverity {
						n += c
					}
					fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", r.ScheduledTime.Format(time.RFC3339), r.Status,
						r.Statistics.ObjectsListed, r.Statistics.ObjectsScanned, r.Statistics.ObjectsUnchanged, r.Statistics.ObjectsSkipped,
						n, (time.Duration(r.Statistics.DurationMs) * time.Millisecond).String(), r.Error)
				}
				return tw.Flush()
			})
		},
	}
	o.register(cmd.Flags(), "table")
	return cmd
}

// runFlags are how runs reach S3 and how hard they work.
type runFlags struct {
	o       findingsOpts
	s3      s3Flags
	workers int
	memory  string
	lease   time.Duration
	verbose bool
}

func (f *runFlags) register(fl *pflag.FlagSet) {
	f.o.register(fl, "table")
	fl.StringVar(&f.s3.profile, "profile", "", "S3: AWS shared config profile")
	fl.StringVar(&f.s3.region, "region", "", "S3: region")
	fl.StringVar(&f.s3.endpoint, "endpoint-url", "", "S3: endpoint of an S3-compatible server")
	fl.BoolVar(&f.s3.pathStyle, "path-style", false, "S3: path-style addressing")
	fl.IntVar(&f.workers, "workers", 8, "objects scanned at once, 1 to 1024")
	fl.StringVar(&f.memory, "max-memory", "512MiB", "memory a run may use, 128MiB to 1TiB")
	fl.DurationVar(&f.lease, "lease", 2*time.Minute, "how long a run is held without renewal; a run whose holder died is taken over after it")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "log details")
}

func (f *runFlags) runner(ctx context.Context, stderr io.Writer, jsonLog bool) (*jobs.Runner, store.Store, error) {
	if f.workers < 1 || f.workers > 1024 {
		return nil, nil, usageError("--workers must be 1 to 1024, got %d", f.workers)
	}
	if f.lease < 5*time.Second {
		return nil, nil, usageError("--lease must be at least 5s, got %s", f.lease)
	}
	mem, err := parseSize(f.memory)
	if err != nil || mem < 128<<20 || mem > 1<<40 {
		return nil, nil, usageError("--max-memory %q: give 128MiB to 1TiB", f.memory)
	}
	st, err := f.o.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	level := slog.LevelInfo
	if f.verbose {
		level = slog.LevelDebug
	}
	var h slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})
	if jsonLog {
		h = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level})
	}
	own := &scanner.FileSet{}
	if loc := st.Location(); !store.IsPostgres(loc) {
		own.Add(loc) // never scan the store itself
	}
	r := &jobs.Runner{Manager: jobs.Manager{Store: st}, Holder: jobs.NewHolder(), Lease: f.lease,
		S3:      s3source.ClientOptions{Profile: f.s3.profile, Region: f.s3.region, EndpointURL: f.s3.endpoint, PathStyle: f.s3.pathStyle},
		Workers: f.workers, Limits: scanner.DefaultLimits, Memory: memoryBudget(mem), Log: slog.New(h), Own: own}
	return r, st, nil
}

func newJobsRunCmd(stdout, stderr io.Writer, dueOnly bool) *cobra.Command {
	var f runFlags
	use, short := "run NAME", "Run a job now, whatever its schedule"
	if dueOnly {
		use, short = "run-due", "Run every job whose time has come (from cron, a systemd timer or a Kubernetes CronJob)"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args: func(cmd *cobra.Command, args []string) error {
			if dueOnly {
				return cobra.NoArgs(cmd, args)
			}
			return exactArgs(1, "jobs run needs a job's name")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmdContext(cmd), os.Interrupt, syscall.SIGTERM)
			defer stop()
			r, st, err := f.runner(ctx, stderr, false)
			if err != nil {
				return err
			}
			defer st.Close()
			if dueOnly {
				n, err := r.RunDue(ctx)
				fmt.Fprintf(stdout, "trawl: %d job runs\n", n)
				if err != nil {
					return &exitErr{code: exitError, err: err}
				}
				return nil
			}
			if err := r.RunNow(ctx, args[0]); err != nil {
				return &exitErr{code: exitError, err: err}
			}
			runs, _ := r.History(ctx, args[0])
			if len(runs) > 0 {
				last := runs[len(runs)-1]
				b, _ := json.Marshal(last)
				fmt.Fprintln(stdout, string(b))
				if last.Status == jobs.RunFailed {
					return &exitErr{code: exitError, err: fmt.Errorf("job %s: run failed: %s", args[0], last.Error)}
				}
			}
			return nil
		},
	}
	f.register(cmd.Flags())
	return cmd
}

// newJobsServeCmd keeps running the due jobs until SIGTERM.
func newJobsServeCmd(stderr io.Writer) *cobra.Command {
	var f runFlags
	var every time.Duration
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Keep running: run each job when it is due; SIGTERM leaves the current run resumable",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmdContext(cmd), os.Interrupt, syscall.SIGTERM)
			defer stop()
			r, st, err := f.runner(ctx, stderr, true)
			if err != nil {
				return err
			}
			defer st.Close()
			return runScheduler(ctx, r, every)
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().DurationVar(&every, "tick", 30*time.Second, "how often due jobs are looked for")
	return cmd
}

// runScheduler runs due jobs every tick until ctx ends (SIGTERM): the
// run in progress stops after its current objects and stays resumable.
func runScheduler(ctx context.Context, r *jobs.Runner, tick time.Duration) error {
	if tick < time.Second {
		tick = time.Second
	}
	r.Log.Info("scheduler started", "holder", r.Holder, "tick", tick.String())
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if _, err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			r.Log.Error("job runs", "err", err.Error())
		}
		select {
		case <-ctx.Done():
			r.Log.Info("scheduler stopped")
			return nil
		case <-t.C:
		}
	}
}

// withJobs opens the store for a jobs subcommand and runs fn with a
// Manager over it.
func withJobs(cmd *cobra.Command, o *findingsOpts, fn func(context.Context, *jobs.Manager) error) error {
	ctx := cmdContext(cmd)
	st, err := o.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(ctx, &jobs.Manager{Store: st})
}
