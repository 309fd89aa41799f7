package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/trawlsec/trawl/findings/store"
)

// Job statuses, Macie's. A job's stored status is IDLE (waiting for its
// next run), USER_PAUSED, CANCELLED or COMPLETE (a one-time job that
// ran); RUNNING is shown while one of its runs holds a live lease.
const (
	StatusRunning    = "RUNNING"
	StatusIdle       = "IDLE"
	StatusUserPaused = "USER_PAUSED"
	StatusCancelled  = "CANCELLED"
	StatusComplete   = "COMPLETE"
)

// Run statuses.
const (
	RunRunning   = "RUNNING"
	RunComplete  = "COMPLETE"
	RunFailed    = "FAILED"
	RunCancelled = "CANCELLED"
)

// Record is a stored job with its state.
type Record struct {
	Job       *Job
	ID        string // stable: the findings' classificationDetails.jobId
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
	// NextRun is when the next run is due; zero when none is.
	NextRun time.Time

	runs []store.RunRow // as read with the record, oldest first
}

// RunInfo is one run, as `jobs history` shows it.
type RunInfo struct {
	RunID         string    `json:"runId"`
	ScheduledTime time.Time `json:"scheduledTime"`
	StartedAt     time.Time `json:"startedAt"`
	FinishedAt    time.Time `json:"finishedAt,omitzero"`
	Status        string    `json:"status"`
	Error         string    `json:"error,omitempty"`
	Statistics    Stats     `json:"statistics"`
}

// Stats are a run's counts.
type Stats struct {
	ObjectsListed      int64            `json:"objectsListed"`
	ObjectsInScope     int64            `json:"objectsInScope"`
	ObjectsScanned     int64            `json:"objectsScanned"`
	ObjectsSkipped     int64            `json:"objectsSkipped"`
	SkippedByReason    map[string]int64 `json:"skippedByReason,omitempty"`
	ObjectsUnchanged   int64            `json:"objectsUnchanged"`
	ObjectsDeleted     int64            `json:"objectsDeleted"`
	BytesScanned       int64            `json:"bytesScanned"`
	FindingsBySeverity map[string]int64 `json:"findingsBySeverity"`
	DurationMs         int64            `json:"durationMs"`
}

// Manager keeps jobs in a findings store.
type Manager struct {
	Store store.Store
	Now   func() time.Time
}

func (m *Manager) now() time.Time {
	if m.Now != nil {
		return m.Now().UTC()
	}
	return time.Now().UTC()
}

// JobID is a job's stable ID, from its name.
func JobID(name string) string {
	h := sha256.Sum256([]byte("trawl-job\x00" + name))
	return hex.EncodeToString(h[:16])
}

// Create validates and stores a new job. It contacts no bucket.
func (m *Manager) Create(ctx context.Context, j *Job) (*Record, error) {
	if err := j.Validate(); err != nil {
		return nil, err
	}
	def, err := json.Marshal(j)
	if err != nil {
		return nil, err
	}
	now := m.now()
	if err := m.Store.Jobs().CreateJob(ctx, store.JobRow{Name: j.Name, Definition: def, Status: StatusIdle, CreatedAt: now}); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, fmt.Errorf("a job named %q exists: choose another name, or change it with jobs update", j.Name)
		}
		return nil, err
	}
	return m.Get(ctx, j.Name)
}

// Update replaces a job's definition, keeping its runs and state.
func (m *Manager) Update(ctx context.Context, j *Job) (*Record, error) {
	if err := j.Validate(); err != nil {
		return nil, err
	}
	cur, err := m.Get(ctx, j.Name)
	if err != nil {
		return nil, err
	}
	def, err := json.Marshal(j)
	if err != nil {
		return nil, err
	}
	status := cur.Status
	if status == StatusRunning {
		status = StatusIdle
	}
	if err := m.Store.Jobs().UpdateJob(ctx, j.Name, def, status, m.now()); err != nil {
		return nil, err
	}
	return m.Get(ctx, j.Name)
}

// Get returns a job.
func (m *Manager) Get(ctx context.Context, name string) (*Record, error) {
	row, err := m.Store.Jobs().GetJob(ctx, name)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("no job named %q (see jobs list)", name)
		}
		return nil, err
	}
	return m.record(ctx, row)
}

// List returns every job, by name.
func (m *Manager) List(ctx context.Context) ([]*Record, error) {
	rows, err := m.Store.Jobs().ListJobs(ctx)
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, row := range rows {
		r, err := m.record(ctx, row)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (m *Manager) record(ctx context.Context, row store.JobRow) (*Record, error) {
	var j Job
	if err := json.Unmarshal(row.Definition, &j); err != nil {
		return nil, fmt.Errorf("job %q: stored definition unreadable: %w", row.Name, err)
	}
	if err := j.Scoping.Validate(); err != nil {
		return nil, fmt.Errorf("job %q: %w", row.Name, err)
	}
	runs, err := m.Store.Jobs().Runs(ctx, row.Name)
	if err != nil {
		return nil, err
	}
	r := &Record{Job: &j, ID: JobID(row.Name), Status: row.Status, CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt, runs: runs}
	now := m.now()
	for _, run := range runs {
		if run.Finished.IsZero() && run.LeaseUntil.After(now) {
			r.Status = StatusRunning
		}
	}
	if r.Status == StatusIdle {
		r.NextRun = nextRun(r, runs, now)
	}
	return r, nil
}

// nextRun is the first scheduled time a job has no run for, or zero.
func nextRun(r *Record, runs []store.RunRow, now time.Time) time.Time {
	if len(runs) == 0 {
		return r.Job.FirstDue(r.CreatedAt)
	}
	if r.Job.Schedule.Frequency == Once {
		return time.Time{}
	}
	last := runs[len(runs)-1].Scheduled
	if latest, ok := r.Job.Schedule.Latest(now, r.CreatedAt); ok && latest.After(last) {
		return latest // due and not yet run
	}
	next, _ := r.Job.Schedule.Next(maxTime(last, now))
	return next
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// SetStatus pauses (USER_PAUSED), resumes (IDLE) or cancels a job.
func (m *Manager) SetStatus(ctx context.Context, name, status string) error {
	row, err := m.Store.Jobs().GetJob(ctx, name)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no job named %q (see jobs list)", name)
		}
		return err
	}
	switch {
	case row.Status == StatusCancelled:
		return fmt.Errorf("job %q is cancelled: a cancelled job stays cancelled (create another)", name)
	case row.Status == StatusComplete && status != StatusCancelled:
		return fmt.Errorf("job %q is a one-time job that has run", name)
	}
	return m.Store.Jobs().UpdateJob(ctx, name, row.Definition, status, m.now())
}

// History lists a job's runs, oldest first.
func (m *Manager) History(ctx context.Context, name string) ([]RunInfo, error) {
	if _, err := m.Get(ctx, name); err != nil {
		return nil, err
	}
	runs, err := m.Store.Jobs().Runs(ctx, name)
	if err != nil {
		return nil, err
	}
	out := []RunInfo{}
	now := m.now()
	for _, r := range runs {
		info := RunInfo{RunID: r.ID, ScheduledTime: r.Scheduled, StartedAt: r.Started, FinishedAt: r.Finished, Status: r.Status, Error: r.Message}
		json.Unmarshal(r.Stats, &info.Statistics)
		if r.Finished.IsZero() && !r.LeaseUntil.After(now) {
			info.Status = "INTERRUPTED" // its holder died; the next run-due resumes it
		}
		out = append(out, info)
	}
	return out, nil
}
