package handler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/scanner"
	"github.com/trawlsec/trawl/scanner/events"
	"github.com/trawlsec/trawl/scanner/jobs"
	"github.com/trawlsec/trawl/scanner/s3source"
)

// Config is what the handler needs; FromEnv builds it from the function's
// environment.
type Config struct {
	// Scanner scans the objects (engine, workers, limits).
	Scanner *scanner.Scanner
	// Client returns the S3 client for a bucket (its region's).
	Client func(ctx context.Context, bucket string) (*s3.Client, error)
	// Margin is the time kept in hand: no object is started when less
	// than this remains before the deadline (default DefaultMargin).
	Margin time.Duration
	// Outputs, when set, gives the sinks of one invocation's results and
	// findings (closed at its end); nil: the response is the only output.
	Outputs func(ctx context.Context, run findings.Run) (findings.Sinks, error)
	// Run is the run's identity (account, region, job); each invocation
	// gets its own job ID unless the batch names one.
	Run findings.Run
	// Jobs runs stored discovery jobs for Scheduler's run-job input; nil
	// without a store.
	Jobs *jobs.Runner
	Log  *slog.Logger
}

// DefaultMargin is enough for a few large objects to finish; set it to
// about twice the slowest object's time where objects are larger.
const DefaultMargin = 10 * time.Second

// closeMargin is kept past Margin for closing outputs and answering.
const closeMargin = 2 * time.Second

// Handler is the function's handler.
type Handler struct {
	cfg Config
	now func() time.Time // the clock the soft deadline is read by
}

// New returns a handler for cfg.
func New(cfg Config) (*Handler, error) {
	if cfg.Scanner == nil || cfg.Client == nil {
		return nil, errors.New("handler: a scanner and an S3 client are required")
	}
	if cfg.Margin <= 0 {
		cfg.Margin = DefaultMargin
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Handler{cfg: cfg, now: time.Now}, nil
}

// Response is the handler's answer.
type Response struct {
	Shape   events.Shape   `json:"shape"`
	Objects []ObjectResult `json:"objects"`
	// Unfinished are the objects not scanned before the deadline.
	Unfinished []ObjectRef `json:"unfinished,omitempty"`
	// Ignored counts records that named no new object (deletions...).
	Ignored int `json:"ignored,omitempty"`
	// TestEvents counts S3's s3:TestEvent messages, acknowledged.
	TestEvents int `json:"testEvents,omitempty"`
	// BatchItemFailures are the SQS messages to deliver again (Lambda's
	// partial batch response).
	BatchItemFailures []BatchItemFailure `json:"batchItemFailures,omitempty"`
	// JobID is the run the results and findings carry.
	JobID string `json:"jobId"`
	// JobRun is the outcome of a Scheduler run-job input.
	JobRun *JobRun `json:"jobRun,omitempty"`
	// Retry, for a Distributed Map batch with unfinished objects, is the
	// batch to invoke again: the same BatchInput, the unfinished items.
	// The state machine in deploy/ loops on it.
	Retry json.RawMessage `json:"retry,omitempty"`
}

// JobRun is a scheduled job run's outcome: COMPLETE or FAILED; RUNNING
// when the invocation's time ran out first (the next invocation for the
// same time resumes it); ALREADY_RAN when that time's run had finished;
// HELD when another invocation has it; the job's status when it is
// paused, cancelled or done.
type JobRun struct {
	Job           string    `json:"job"`
	ScheduledTime time.Time `json:"scheduledTime"`
	Status        string    `json:"status"`
}

// ObjectRef names an object version.
type ObjectRef struct {
	Bucket    string `json:"bucket"`
	Key       string `json:"key"`
	VersionID string `json:"versionId,omitempty"`
}

// ObjectResult is one scanned object's outcome.
type ObjectResult struct {
	ObjectRef
	Status      findings.Status `json:"status"`
	Reason      findings.Reason `json:"reason,omitempty"`
	FindingType string          `json:"findingType,omitempty"`
	Detections  []TypeCount     `json:"detections,omitempty"`
}

// TypeCount is how often one identifier matched.
type TypeCount struct {
	Type  string `json:"type"`
	Count int    `json:"count"`
}

// BatchItemFailure is an SQS message to deliver again.
type BatchItemFailure struct {
	ItemIdentifier string `json:"itemIdentifier"`
}

// Invoke handles one payload.
func (h *Handler) Invoke(ctx context.Context, payload json.RawMessage) (*Response, error) {
	req, err := events.Parse(payload)
	if err != nil {
		return nil, err
	}
	if req.Shape == events.SchedulerRunJob {
		return h.runJob(ctx, req)
	}
	run := h.cfg.Run
	run.JobID, run.CreatedAt = newJobID(), time.Now()
	var in struct {
		JobID string `json:"jobId"`
		RunID string `json:"runId"`
	}
	if len(req.BatchInput) > 0 && json.Unmarshal(req.BatchInput, &in) == nil && in.JobID != "" {
		run.JobID = in.JobID // a map's batches share their job's results folder
	}
	resp := &Response{Shape: req.Shape, Ignored: req.Ignored, TestEvents: req.TestEvents, JobID: run.JobID, Objects: []ObjectResult{}}
	if len(req.Objects) == 0 {
		return resp, nil
	}

	// The deadline: no object starts past soft; the scan is cut at hard.
	soft, hard := time.Time{}, time.Time{}
	if dl, ok := ctx.Deadline(); ok {
		hard = dl.Add(-closeMargin)
		soft = hard.Add(-h.cfg.Margin)
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, hard)
		defer cancel()
	}
	var sinks findings.Sinks
	if h.cfg.Outputs != nil {
		if sinks, err = h.cfg.Outputs(ctx, run); err != nil {
			return nil, fmt.Errorf("outputs: %w", err)
		}
	}
	sc := *h.cfg.Scanner
	if !soft.IsZero() {
		sc.Admit = func() bool { return h.now().Before(soft) }
	}
	done := map[int]bool{} // index into req.Objects
	var scanErr error
	for _, group := range byBucket(req.Objects) {
		if scanErr = h.scanBucket(ctx, &sc, run, group, sinks, resp, done); scanErr != nil {
			break
		}
	}
	if sinks != nil {
		if err := sinks.Close(); err != nil && scanErr == nil {
			scanErr = fmt.Errorf("write outputs: %w", err)
		}
	}
	if scanErr != nil && !errors.Is(scanErr, context.DeadlineExceeded) {
		return nil, scanErr
	}
	failed := map[string]bool{}
	for i, ref := range req.Objects {
		if done[i] {
			continue
		}
		resp.Unfinished = append(resp.Unfinished, ObjectRef{ref.Bucket, ref.Key, ref.VersionID})
		if ref.MessageID != "" && !failed[ref.MessageID] {
			failed[ref.MessageID] = true
			resp.BatchItemFailures = append(resp.BatchItemFailures, BatchItemFailure{ref.MessageID})
		}
	}
	if len(resp.Unfinished) > 0 && req.Shape == events.DistributedMapBatch {
		resp.Retry = retryBatch(req, done)
	}
	if len(resp.Unfinished) > 0 {
		h.cfg.Log.Warn("deadline near: objects left for a retry", "scanned", len(resp.Objects), "unfinished", len(resp.Unfinished))
	}
	return resp, nil
}

// group is the objects of one bucket, with their places in the request.
type group struct {
	bucket string
	refs   []events.Ref
	index  []int
}

// byBucket groups refs by bucket, in the order buckets first appear.
func byBucket(refs []events.Ref) []*group {
	var out []*group
	at := map[string]*group{}
	for i, r := range refs {
		g := at[r.Bucket]
		if g == nil {
			g = &group{bucket: r.Bucket}
			at[r.Bucket] = g
			out = append(out, g)
		}
		g.refs = append(g.refs, r)
		g.index = append(g.index, i)
	}
	return out
}

func (h *Handler) scanBucket(ctx context.Context, sc *scanner.Scanner, run findings.Run, g *group,
	sinks findings.Sinks, resp *Response, done map[int]bool) error {
	client, err := h.cfg.Client(ctx, g.bucket)
	if err != nil {
		return fmt.Errorf("s3://%s: %w", g.bucket, err)
	}
	src := &s3source.Given{Source: &s3source.Source{Client: client, Bucket: g.bucket, Log: h.cfg.Log},
		AltKeys: map[string]string{}}
	for _, r := range g.refs {
		src.Objects = append(src.Objects, scanner.Object{Key: r.Key, VersionID: r.VersionID, ETag: r.ETag,
			Size: r.Size, LastModified: r.LastModified, StorageClass: r.StorageClass})
		if r.AltKey != "" {
			src.AltKeys[r.Key] = r.AltKey
		}
	}
	n := 0
	return sc.Run(ctx, src, func(r *findings.Result) error {
		// Results come in the order given, one per object.
		done[g.index[n]] = true
		n++
		fd := findings.Build(r, run)
		if sinks != nil {
			if err := sinks.Put(r, fd); err != nil {
				return err
			}
		}
		resp.Objects = append(resp.Objects, outcome(r, fd))
		return nil
	})
}

func outcome(r *findings.Result, fd *findings.Finding) ObjectResult {
	o := ObjectResult{ObjectRef: ObjectRef{r.Object.Bucket, r.Object.Key, r.Object.VersionID},
		Status: r.Status, Reason: r.Reason}
	if fd != nil {
		o.FindingType = fd.Type
	}
	for _, t := range r.Types {
		name := t.Identifier.ID
		if name == "" {
			name = t.Identifier.Name
		}
		o.Detections = append(o.Detections, TypeCount{name, t.Count})
	}
	return o
}

// mapItem is a ListObjectsV2 item as Distributed Map hands it out.
type mapItem struct {
	Key          string `json:"Key"`
	Etag         string `json:"Etag,omitempty"`
	Size         *int64 `json:"Size,omitempty"`
	LastModified *int64 `json:"LastModified,omitempty"`
	StorageClass string `json:"StorageClass,omitempty"`
	VersionID    string `json:"VersionId,omitempty"`
	Bucket       string `json:"Bucket,omitempty"`
}

// retryBatch is the batch of a map's unfinished items.
func retryBatch(req *events.Request, done map[int]bool) json.RawMessage {
	batch := struct {
		BatchInput json.RawMessage `json:"BatchInput,omitempty"`
		Items      []mapItem       `json:"Items"`
	}{BatchInput: req.BatchInput}
	for i, ref := range req.Objects {
		if done[i] {
			continue
		}
		it := mapItem{Key: ref.Key, StorageClass: ref.StorageClass, VersionID: ref.VersionID, Bucket: ref.Bucket}
		if ref.ETag != "" {
			it.Etag = `"` + ref.ETag + `"`
		}
		if ref.Size >= 0 {
			it.Size = &ref.Size
		}
		if !ref.LastModified.IsZero() {
			sec := ref.LastModified.Unix()
			it.LastModified = &sec
		}
		batch.Items = append(batch.Items, it)
	}
	b, _ := json.Marshal(batch)
	return b
}

// runJob runs a stored job's run for the scheduled time the input names,
// stopping short of the deadline: what is left is resumed by the next
// invocation for that time (Scheduler's retry) or by run-due.
func (h *Handler) runJob(ctx context.Context, req *events.Request) (*Response, error) {
	if h.cfg.Jobs == nil {
		return nil, fmt.Errorf("run-job %q: jobs are kept in the findings store: set %s to a postgres:// store", req.Job, EnvStore)
	}
	scheduled := req.ScheduledTime
	if scheduled.IsZero() {
		scheduled = h.now()
	}
	if dl, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-closeMargin-h.cfg.Margin))
		defer cancel()
	}
	status, err := h.cfg.Jobs.RunAt(ctx, req.Job, scheduled)
	if err != nil && status == "" {
		return nil, err
	}
	return &Response{Shape: req.Shape, Objects: []ObjectResult{}, JobID: jobs.JobID(req.Job),
		JobRun: &JobRun{Job: req.Job, ScheduledTime: scheduled.UTC(), Status: status}}, nil
}
