package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/store"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
	"github.com/trawlsec/trawl/internal/membudget"
	"github.com/trawlsec/trawl/scanner"
	"github.com/trawlsec/trawl/scanner/s3source"
)

// Runner runs jobs' runs: the due ones, or one now.
type Runner struct {
	Manager
	// Holder names this process in leases (host, process, random).
	Holder string
	// Lease is how long a run is held without renewal (default 2 min);
	// a holder that dies leaves its run to the next claimant after it.
	Lease   time.Duration
	S3      s3source.ClientOptions
	Workers int
	Limits  scanner.Limits
	Memory  *membudget.Pool
	Log     *slog.Logger
	// Own are files the runs must never read (the store's own file).
	Own *scanner.FileSet
}

// NewHolder names a process for leases.
func NewHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

func (r *Runner) lease() time.Duration {
	if r.Lease <= 0 {
		return 2 * time.Minute
	}
	return r.Lease
}

func (r *Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

// due is a run to make: a job and its scheduled time.
type due struct {
	rec       *Record
	scheduled time.Time
}

// Due lists the runs due now, oldest first: interrupted runs whose lease
// has expired (resumed where they stopped), then each active job's latest
// scheduled time that has no run yet.
func (r *Runner) Due(ctx context.Context) ([]due, error) {
	recs, err := r.List(ctx)
	if err != nil {
		return nil, err
	}
	now := r.now()
	var out []due
	for _, rec := range recs {
		runs := rec.runs
		if rec.Status != StatusIdle {
			continue
		}
		for _, run := range runs {
			if run.Finished.IsZero() && !run.LeaseUntil.After(now) {
				out = append(out, due{rec, run.Scheduled})
			}
		}
		if !rec.NextRun.IsZero() && !rec.NextRun.After(now) && !slices.ContainsFunc(runs, func(x store.RunRow) bool { return x.Scheduled.Equal(rec.NextRun) }) {
			out = append(out, due{rec, rec.NextRun})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].scheduled.Before(out[j].scheduled) })
	return out, nil
}

// RunDue runs every due run it can claim, one after another, and says
// how many it ran. A run another process holds is left to it.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	list, err := r.Due(ctx)
	if err != nil {
		return 0, err
	}
	ran := 0
	var errs []error
	for _, d := range list {
		ok, err := r.run(ctx, d.rec, d.scheduled)
		if ok {
			ran++
		}
		if err != nil {
			if ctx.Err() != nil {
				return ran, ctx.Err()
			}
			errs = append(errs, fmt.Errorf("job %s: %w", d.rec.Job.Name, err))
		}
	}
	return ran, errors.Join(errs...)
}

// RunNow runs a job now, whatever its schedule (`jobs run NAME`).
func (r *Runner) RunNow(ctx context.Context, name string) error {
	rec, err := r.Get(ctx, name)
	if err != nil {
		return err
	}
	if rec.Status == StatusCancelled {
		return fmt.Errorf("job %q is cancelled", name)
	}
	ok, err := r.run(ctx, rec, r.now().Truncate(time.Millisecond))
	if err == nil && !ok {
		err = fmt.Errorf("job %q: another process holds this run", name)
	}
	return err
}

// RunAt runs a job's run for a scheduled time, as a scheduler that names
// the time asks (EventBridge Scheduler's <aws.scheduler.scheduled-time>):
// once per time however often it is asked. It reports the run's status:
// COMPLETE or FAILED when it ended, RUNNING when ctx ended first (the run
// stays resumable), or ALREADY_RAN / HELD when it had finished before or
// another holder has it.
func (r *Runner) RunAt(ctx context.Context, name string, scheduled time.Time) (string, error) {
	rec, err := r.Get(ctx, name)
	if err != nil {
		return "", err
	}
	if rec.Status == StatusCancelled || rec.Status == StatusUserPaused || rec.Status == StatusComplete {
		return rec.Status, nil
	}
	scheduled = scheduled.UTC().Truncate(time.Millisecond)
	ran, err := r.run(ctx, rec, scheduled)
	if !ran {
		runs, _ := r.Store.Jobs().Runs(ctx, name)
		for _, run := range runs {
			if run.Scheduled.Equal(scheduled) && !run.Finished.IsZero() {
				return "ALREADY_RAN", err
			}
		}
		return "HELD", err
	}
	if ctx.Err() != nil {
		return RunRunning, nil
	}
	runs, _ := r.Store.Jobs().Runs(ctx, name)
	for _, run := range runs {
		if run.Scheduled.Equal(scheduled) {
			return run.Status, err
		}
	}
	return "", err
}

// run claims and runs one run; false when another holder has it.
func (r *Runner) run(ctx context.Context, rec *Record, scheduled time.Time) (bool, error) {
	jobs := r.Store.Jobs()
	now := r.now()
	row, ok, err := jobs.ClaimRun(ctx, rec.Job.Name, scheduled, r.Holder, newRunID(), now, now.Add(r.lease()))
	if err != nil || !ok {
		return false, err
	}
	var stats Stats
	if len(row.Stats) > 0 {
		json.Unmarshal(row.Stats, &stats) // a resumed run goes on counting
	}
	r.log().Info("job run started", "job", rec.Job.Name, "run", row.ID, "scheduled", scheduled)

	// The lease is renewed while the run goes on; losing it (another
	// process took the run over) stops this one.
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var mu sync.Mutex
	snapshot := func() []byte {
		mu.Lock()
		defer mu.Unlock()
		b, _ := json.Marshal(stats)
		return b
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(r.lease() / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := jobs.RenewRun(ctx, row.ID, r.Holder, r.now().Add(r.lease()), snapshot()); err != nil {
					cancel(err)
					return
				}
			}
		}
	}()
	start := time.Now()
	runs := mustRuns(ctx, jobs, rec.Job.Name)
	firstRun := len(runs) > 0 && runs[0].ID == row.ID
	runErr := r.execute(rctx, rec, row, firstRun, &stats, &mu)
	close(done)
	mu.Lock()
	stats.DurationMs += time.Since(start).Milliseconds()
	mu.Unlock()

	status, msg := RunComplete, ""
	switch {
	case errors.Is(context.Cause(rctx), store.ErrLeaseLost):
		return true, fmt.Errorf("run %s taken over by another process: %w", row.ID, context.Cause(rctx))
	case ctx.Err() != nil:
		// Stopped (SIGTERM): the run stays unfinished and resumable; its
		// lease runs out and the next run-due takes it on.
		jobs.RenewRun(context.WithoutCancel(ctx), row.ID, r.Holder, r.now(), snapshot())
		r.log().Info("job run stopped, resumable", "job", rec.Job.Name, "run", row.ID)
		return true, ctx.Err()
	case runErr != nil:
		status, msg = RunFailed, runErr.Error()
	}
	if err := jobs.FinishRun(context.WithoutCancel(ctx), row.ID, r.Holder, status, r.now(), snapshot(), msg); err != nil {
		return true, err
	}
	if rec.Job.Schedule.Frequency == Once && status == RunComplete {
		r.Store.Jobs().UpdateJob(ctx, rec.Job.Name, mustDef(rec.Job), StatusComplete, r.now())
	}
	r.log().Info("job run finished", "job", rec.Job.Name, "run", row.ID, "status", status,
		"scanned", stats.ObjectsScanned, "unchanged", stats.ObjectsUnchanged, "error", msg)
	return true, nil // a failed run is recorded in its history; the schedule goes on
}

func mustRuns(ctx context.Context, j store.Jobs, name string) []store.RunRow {
	runs, _ := j.Runs(ctx, name)
	return runs
}

func mustDef(j *Job) []byte {
	b, _ := json.Marshal(j)
	return b
}

func newRunID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// execute scans the job's targets for one run.
func (r *Runner) execute(ctx context.Context, rec *Record, row store.RunRow, firstRun bool, stats *Stats, mu *sync.Mutex) error {
	engine, err := r.engine(rec.Job)
	if err != nil {
		return err
	}
	sc := &scanner.Scanner{Engine: engine, Workers: r.Workers, Text: formats.DefaultTextOptions, Limits: r.Limits,
		Log: r.log(), Memory: r.Memory}
	run := findings.Run{JobID: rec.ID, CreatedAt: row.Started}
	targets, err := r.targets(ctx, rec.Job)
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range targets {
		if err := r.scanTarget(ctx, sc, rec, row, run, t, firstRun, stats, mu); err != nil {
			if ctx.Err() != nil {
				return err
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// engine builds the job's identifiers.
func (r *Runner) engine(j *Job) (*identifiers.Engine, error) {
	base, include, exclude := identifiers.SelectAll, []string(nil), []string(nil)
	switch j.Managed {
	case "RECOMMENDED":
		base = identifiers.SelectRecommended
	case "NONE":
		base = identifiers.SelectNone
	case "INCLUDE":
		base, include = identifiers.SelectNone, j.ManagedIDs
	case "EXCLUDE":
		exclude = j.ManagedIDs
	}
	ids, err := identifiers.Select(base, include, exclude)
	if err != nil {
		return nil, err
	}
	for _, f := range j.Custom {
		custom, err := identifiers.ParseCustom(f.Content, f.Name)
		if err != nil {
			return nil, err
		}
		ids = append(ids, custom...)
	}
	var allow *identifiers.AllowList
	if len(j.AllowLists) > 0 {
		// The lists' reader takes files: the job's copies go to a
		// temporary folder for it.
		dir, err := os.MkdirTemp("", "trawl-allow-*")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		var paths []string
		for i, f := range j.AllowLists {
			p := filepath.Join(dir, fmt.Sprintf("%d-%s", i, filepath.Base(f.Name)))
			if err := os.WriteFile(p, f.Content, 0o600); err != nil {
				return nil, err
			}
			paths = append(paths, p)
		}
		if allow, err = identifiers.LoadAllowLists(paths); err != nil {
			return nil, err
		}
	}
	return identifiers.NewEngine(ids, identifiers.Options{Allow: allow})
}

// target is one place a run scans.
type target struct {
	name string // as the job names it: s3://bucket/prefix or a directory
	src  scanner.Source
	s3   bool
}

// targets opens the job's targets (the buckets its criteria pick, when it
// has criteria). A bucket that cannot be reached fails the run.
func (r *Runner) targets(ctx context.Context, j *Job) ([]target, error) {
	names := j.Targets
	var client *s3.Client
	s3Client := func() (*s3.Client, error) {
		if client == nil {
			c, err := s3source.NewClient(ctx, r.S3)
			if err != nil {
				return nil, err
			}
			client = c
		}
		return client, nil
	}
	if j.BucketCriteria != nil {
		c, err := s3Client()
		if err != nil {
			return nil, err
		}
		if names, err = r.pickBuckets(ctx, c, j.BucketCriteria); err != nil {
			return nil, err
		}
	}
	var out []target
	for _, name := range names {
		if !strings.HasPrefix(name, "s3://") {
			src, err := scanner.NewLocalExcept(name, r.log(), r.Own)
			if err != nil {
				return nil, fmt.Errorf("target %s: %w", name, err)
			}
			out = append(out, target{name: name, src: src})
			continue
		}
		bucket, prefix, _ := strings.Cut(strings.TrimPrefix(name, "s3://"), "/")
		c, err := s3Client()
		if err != nil {
			return nil, err
		}
		bc, err := s3source.ForBucket(ctx, c, bucket, r.S3.Region != "" || r.S3.EndpointURL != "")
		if err != nil {
			return nil, fmt.Errorf("target %s: %w", name, err)
		}
		src := &s3source.Source{Client: bc, Bucket: bucket, Prefix: prefix, Log: r.log(),
			Info: s3source.BucketInfo(ctx, bc, bucket, r.log())}
		src.Scope = s3source.Scope{SamplingPercent: j.Sampling, Seed: seedOf(j.Name)}
		if err := tagScope(&src.Scope, j.Scoping); err != nil {
			return nil, err
		}
		out = append(out, target{name: name, src: src, s3: true})
	}
	return out, nil
}

// pickBuckets lists the buckets the criteria pick.
func (r *Runner) pickBuckets(ctx context.Context, c *s3.Client, crit *BucketCriteria) ([]string, error) {
	out, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		return nil, fmt.Errorf("list buckets for the job's bucket criteria: %w", err)
	}
	account, _ := s3source.AccountID(ctx, r.S3)
	var names []string
	for _, b := range out.Buckets {
		name := aws.ToString(b.Name)
		tags := map[string]string{}
		if t, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b.Name}); err == nil {
			for _, tag := range t.TagSet {
				tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
			}
		}
		if crit.Picks(name, account, tags) {
			names = append(names, "s3://"+name)
		}
	}
	return names, nil
}

// seedOf gives a job's sampling a seed of its own, the same every run.
func seedOf(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return int64(h.Sum64() >> 1)
}

// tagScope puts the scoping's tag terms in an S3 scope, whose tag
// filter reads the tags once per object: an include EQ or exclude NE
// term becomes the tags an object must have, the others the tags it must
// not.
func tagScope(sc *s3source.Scope, s Scoping) error {
	musts := 0
	add := func(t Term, must bool) {
		for _, tv := range t.Tags {
			tag := s3source.Tag{Key: tv.Key, Value: tv.Value, AnyValue: tv.Value == ""}
			if must {
				sc.IncludeTags = append(sc.IncludeTags, tag)
			} else {
				sc.ExcludeTags = append(sc.ExcludeTags, tag)
			}
		}
	}
	for _, t := range s.Includes {
		if t.Key == KeyTag {
			if t.Comparator == "EQ" {
				musts++
			}
			add(t, t.Comparator == "EQ")
		}
	}
	for _, t := range s.Excludes {
		if t.Key == KeyTag {
			if t.Comparator == "NE" {
				musts++
			}
			add(t, t.Comparator == "NE")
		}
	}
	if musts > 1 {
		return errors.New("more than one tag condition an object must meet is not supported: put the tags in one term (its values are ORed)")
	}
	return nil
}

// seenSet is what a previous run saw under a target: key hashes with
// fingerprint hashes, sorted, and which of them this run met again.
type seenSet struct {
	keys    []uint64
	fps     []uint64
	visited []bool
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func (r *Runner) loadSeen(ctx context.Context, job, tgt string) (*seenSet, error) {
	type pair struct{ k, f uint64 }
	var pairs []pair
	err := r.Store.Jobs().EachSeen(ctx, job, tgt, func(key, fp, _ string) error {
		pairs = append(pairs, pair{hash64(key), hash64(fp)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		switch {
		case a.k < b.k:
			return -1
		case a.k > b.k:
			return 1
		}
		return 0
	})
	s := &seenSet{keys: make([]uint64, len(pairs)), fps: make([]uint64, len(pairs)), visited: make([]bool, len(pairs))}
	for i, p := range pairs {
		s.keys[i], s.fps[i] = p.k, p.f
	}
	return s, nil
}

// check says whether key was seen with fingerprint fp, marking it met.
func (s *seenSet) check(key, fp string) (known, unchanged bool) {
	k := hash64(key)
	i, ok := slices.BinarySearch(s.keys, k)
	if !ok {
		return false, false
	}
	s.visited[i] = true
	return true, s.fps[i] == hash64(fp)
}

func (s *seenSet) met(key string) bool {
	i, ok := slices.BinarySearch(s.keys, hash64(key))
	return ok && s.visited[i]
}

// fingerprint tells an object's version: its ETag in S3 (a listing gives
// no version ID; a new version of other bytes has another ETag, and one of
// the same bytes needs no scan), size and modification time for a file.
func fingerprint(o scanner.Object, isS3 bool) string {
	if isS3 {
		return "etag:" + o.ETag
	}
	return fmt.Sprintf("size:%d:mtime:%d", o.Size, o.LastModified.UnixNano())
}

// recordBatch is how many results are recorded in one store write.
const recordBatch = 64

// scanTarget scans what changed under one target since the job's last
// run, records findings and what it saw, and marks what is gone.
func (r *Runner) scanTarget(ctx context.Context, sc *scanner.Scanner, rec *Record, row store.RunRow, run findings.Run,
	t target, firstRun bool, stats *Stats, mu *sync.Mutex) error {
	jobs := r.Store.Jobs()
	prev, err := r.loadSeen(ctx, rec.Job.Name, t.name)
	if err != nil {
		return err
	}
	// Baseline only: a first run without an initial run records what is
	// there, and scans only what changed after the job was created.
	baseline := firstRun && !rec.Job.InitialRun && rec.Job.Schedule.Frequency != Once
	var pendingSeen []store.Seen
	var smu sync.Mutex
	flushSeen := func(force bool) error {
		smu.Lock()
		defer smu.Unlock()
		if len(pendingSeen) == 0 || !force && len(pendingSeen) < 1000 {
			return nil
		}
		err := jobs.MarkSeen(ctx, rec.Job.Name, t.name, row.ID, pendingSeen)
		pendingSeen = pendingSeen[:0]
		return err
	}
	filtered := scanner.Filtered(t.src, func(o scanner.Object) bool {
		mu.Lock()
		stats.ObjectsListed++
		mu.Unlock()
		if !rec.Job.Scoping.Listed(o.Key, o.Size, o.LastModified) {
			return false
		}
		if !t.s3 && !sampled(rec.Job, o.Key) {
			return false
		}
		fp := fingerprint(o, t.s3)
		_, unchanged := prev.check(o.Key, fp)
		mu.Lock()
		stats.ObjectsInScope++
		mu.Unlock()
		if unchanged || baseline && !o.LastModified.After(rec.CreatedAt) {
			mu.Lock()
			stats.ObjectsUnchanged++
			mu.Unlock()
			if !unchanged {
				smu.Lock()
				pendingSeen = append(pendingSeen, store.Seen{Key: o.Key, Fingerprint: fp})
				smu.Unlock()
			}
			return false
		}
		return true
	}, rec.Job.MaxObjects)

	var batch []*findings.Finding
	var seenBatch []store.Seen
	record := func() error {
		if len(batch) > 0 {
			if _, err := r.Store.Record(ctx, store.Run{ID: row.ID, At: r.now()}, batch); err != nil {
				return err
			}
		}
		// What was seen is recorded after its findings: a crash between
		// the two scans the object again, and the store keeps one finding.
		if len(seenBatch) > 0 {
			if err := jobs.MarkSeen(ctx, rec.Job.Name, t.name, row.ID, seenBatch); err != nil {
				return err
			}
		}
		batch, seenBatch = batch[:0], seenBatch[:0]
		return flushSeen(false)
	}
	scanErr := sc.Run(ctx, filtered, func(res *findings.Result) error {
		fd := findings.Build(res, run)
		mu.Lock()
		stats.ObjectsScanned++
		stats.BytesScanned += res.SizeClassified
		if res.Status == findings.Skipped {
			stats.ObjectsSkipped++
			if stats.SkippedByReason == nil {
				stats.SkippedByReason = map[string]int64{}
			}
			stats.SkippedByReason[string(res.Reason)]++
		}
		if fd != nil {
			if stats.FindingsBySeverity == nil {
				stats.FindingsBySeverity = map[string]int64{}
			}
			stats.FindingsBySeverity[fd.Severity.Description]++
			batch = append(batch, fd)
		}
		mu.Unlock()
		seenBatch = append(seenBatch, store.Seen{Key: res.Object.Key, Fingerprint: fingerprint(res.Object, t.s3)})
		if len(seenBatch) >= recordBatch {
			return record()
		}
		return nil
	})
	if err := record(); err != nil && scanErr == nil {
		scanErr = err
	}
	if err := flushSeen(true); err != nil && scanErr == nil {
		scanErr = err
	}
	if scanErr != nil {
		return fmt.Errorf("target %s: %w", t.name, scanErr)
	}
	if rec.Job.MaxObjects > 0 {
		return nil // a listing cut short cannot tell what is gone
	}
	// What the previous runs saw and this listing did not is gone (what
	// this run recorded, it met).
	var gone []string
	if err := jobs.EachSeen(ctx, rec.Job.Name, t.name, func(key, _, runID string) error {
		if runID != row.ID && !prev.met(key) {
			gone = append(gone, key)
		}
		return nil
	}); err != nil {
		return err
	}
	mu.Lock()
	stats.ObjectsDeleted += int64(len(gone))
	mu.Unlock()
	return jobs.MarkDeleted(ctx, rec.Job.Name, t.name, row.ID, gone)
}

// sampled picks a job's sample of local files, as the S3 scope does for
// objects.
func sampled(j *Job, key string) bool {
	sc := s3source.Scope{SamplingPercent: j.Sampling, Seed: seedOf(j.Name)}
	return sc.Listed(key, 0, time.Time{})
}
