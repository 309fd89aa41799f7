package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Jobs keeps discovery jobs: their definitions, their runs, and the
// objects each has seen. The definition is JSON that package
// scanner/jobs reads and writes; the store only keeps it.
type Jobs interface {
	// CreateJob adds a job; ErrExists if the name is taken.
	CreateJob(ctx context.Context, j JobRow) error
	// UpdateJob replaces a job's definition and status.
	UpdateJob(ctx context.Context, name string, definition []byte, status string, at time.Time) error
	GetJob(ctx context.Context, name string) (JobRow, error)
	ListJobs(ctx context.Context) ([]JobRow, error)

	// ClaimRun takes the run of job at scheduled for holder until the
	// lease expires: it creates the run, or takes over one whose lease
	// has expired (its holder died) or that holder already holds. false:
	// another holder has it, or it is finished.
	ClaimRun(ctx context.Context, job string, scheduled time.Time, holder, id string, now, until time.Time) (RunRow, bool, error)
	// RenewRun extends the lease and saves the statistics so far;
	// ErrLeaseLost if another holder took the run.
	RenewRun(ctx context.Context, id, holder string, until time.Time, stats []byte) error
	// FinishRun ends the run with its status and statistics.
	FinishRun(ctx context.Context, id, holder, status string, at time.Time, stats []byte, message string) error
	// Runs lists a job's runs, oldest first.
	Runs(ctx context.Context, job string) ([]RunRow, error)

	// EachSeen calls fn with the objects the job saw under target (not
	// deleted), in byte order of keys, with the run that last saw each
	// changed.
	EachSeen(ctx context.Context, job, target string, fn func(key, fingerprint, runID string) error) error
	// MarkSeen records objects as seen by a run.
	MarkSeen(ctx context.Context, job, target, runID string, seen []Seen) error
	// MarkDeleted records objects as gone at a run.
	MarkDeleted(ctx context.Context, job, target, runID string, keys []string) error
}

// JobRow is a stored job.
type JobRow struct {
	Name       string
	Definition []byte
	Status     string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// RunRow is one run of a job.
type RunRow struct {
	ID         string
	Job        string
	Scheduled  time.Time
	Started    time.Time
	Finished   time.Time // zero while running
	Status     string
	Stats      []byte // JSON
	Message    string
	Holder     string
	LeaseUntil time.Time
}

// Seen is an object as a job saw it: its key and what tells a change
// (ETag or version; size and modification time for a file).
type Seen struct{ Key, Fingerprint string }

var (
	// ErrExists is returned for a job name already taken.
	ErrExists = errors.New("already exists")
	// ErrLeaseLost is returned when another holder took a run over.
	ErrLeaseLost = errors.New("the run's lease was taken over")
)

func (s *sqlStore) Jobs() Jobs { return s }

func (s *sqlStore) p(n int) string { return s.d.param(n) }

func (s *sqlStore) CreateJob(ctx context.Context, j JobRow) error {
	res, err := s.db.ExecContext(ctx, `INSERT INTO trawl_jobs (name, definition, status, created_at, updated_at)
		VALUES (`+s.p(1)+`, `+s.p(2)+`, `+s.p(3)+`, `+s.p(4)+`, `+s.p(5)+`) ON CONFLICT (name) DO NOTHING`,
		j.Name, string(j.Definition), j.Status, j.CreatedAt.UnixMilli(), j.CreatedAt.UnixMilli())
	if err != nil {
		return s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("job %q: %w", j.Name, ErrExists)
	}
	return nil
}

func (s *sqlStore) UpdateJob(ctx context.Context, name string, definition []byte, status string, at time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE trawl_jobs SET definition = `+s.p(1)+`, status = `+s.p(2)+`, updated_at = `+s.p(3)+
		` WHERE name = `+s.p(4), string(definition), status, at.UnixMilli(), name)
	if err != nil {
		return s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("job %q: %w", name, ErrNotFound)
	}
	return nil
}

const jobColumns = `name, definition, status, created_at, updated_at`

func scanJob(sc interface{ Scan(...any) error }) (JobRow, error) {
	var j JobRow
	var def string
	var created, updated int64
	if err := sc.Scan(&j.Name, &def, &j.Status, &created, &updated); err != nil {
		return j, err
	}
	j.Definition, j.CreatedAt, j.UpdatedAt = []byte(def), time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	return j, nil
}

func (s *sqlStore) GetJob(ctx context.Context, name string) (JobRow, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM trawl_jobs WHERE name = `+s.p(1), name))
	if errors.Is(err, sql.ErrNoRows) {
		return j, fmt.Errorf("job %q: %w", name, ErrNotFound)
	}
	return j, s.wrap(err)
}

func (s *sqlStore) ListJobs(ctx context.Context) ([]JobRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+jobColumns+` FROM trawl_jobs ORDER BY name`)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []JobRow
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, j)
	}
	return out, s.wrap(rows.Err())
}

const runColumns = `id, job, scheduled_at, started_at, finished_at, status, stats, error, holder, lease_until`

func scanRun(sc interface{ Scan(...any) error }) (RunRow, error) {
	var r RunRow
	var sched, started, finished, lease int64
	var stats string
	if err := sc.Scan(&r.ID, &r.Job, &sched, &started, &finished, &r.Status, &stats, &r.Message, &r.Holder, &lease); err != nil {
		return r, err
	}
	r.Scheduled, r.Started, r.LeaseUntil = time.UnixMilli(sched).UTC(), time.UnixMilli(started).UTC(), time.UnixMilli(lease).UTC()
	if finished > 0 {
		r.Finished = time.UnixMilli(finished).UTC()
	}
	r.Stats = []byte(stats)
	return r, nil
}

func (s *sqlStore) ClaimRun(ctx context.Context, job string, scheduled time.Time, holder, id string, now, until time.Time) (RunRow, bool, error) {
	var run RunRow
	claimed := false
	err := s.retry(ctx, func() error {
		// A new run: the unique (job, scheduled_at) lets one claimant in.
		res, err := s.db.ExecContext(ctx, `INSERT INTO trawl_runs (id, job, scheduled_at, started_at, status, holder, lease_until)
			VALUES (`+s.p(1)+`, `+s.p(2)+`, `+s.p(3)+`, `+s.p(4)+`, 'RUNNING', `+s.p(5)+`, `+s.p(6)+`)
			ON CONFLICT (job, scheduled_at) DO NOTHING`,
			id, job, scheduled.UnixMilli(), now.UnixMilli(), holder, until.UnixMilli())
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			// An existing run: taken over only when unfinished and its
			// lease has expired or is this holder's.
			res, err = s.db.ExecContext(ctx, `UPDATE trawl_runs SET holder = `+s.p(1)+`, lease_until = `+s.p(2)+
				` WHERE job = `+s.p(3)+` AND scheduled_at = `+s.p(4)+` AND finished_at = 0 AND (lease_until < `+s.p(5)+` OR holder = `+s.p(6)+`)`,
				holder, until.UnixMilli(), job, scheduled.UnixMilli(), now.UnixMilli(), holder)
			if err != nil {
				return err
			}
			n, _ = res.RowsAffected()
		}
		claimed = n == 1
		run, err = scanRun(s.db.QueryRowContext(ctx, `SELECT `+runColumns+` FROM trawl_runs WHERE job = `+s.p(1)+
			` AND scheduled_at = `+s.p(2), job, scheduled.UnixMilli()))
		return err
	})
	return run, claimed, s.wrap(err)
}

func (s *sqlStore) RenewRun(ctx context.Context, id, holder string, until time.Time, stats []byte) error {
	return s.leaseErr(id, s.retry(ctx, func() error {
		res, err := s.db.ExecContext(ctx, `UPDATE trawl_runs SET lease_until = `+s.p(1)+`, stats = `+s.p(2)+
			` WHERE id = `+s.p(3)+` AND holder = `+s.p(4)+` AND finished_at = 0`, until.UnixMilli(), string(stats), id, holder)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrLeaseLost
		}
		return nil
	}))
}

func (s *sqlStore) FinishRun(ctx context.Context, id, holder, status string, at time.Time, stats []byte, message string) error {
	return s.leaseErr(id, s.retry(ctx, func() error {
		res, err := s.db.ExecContext(ctx, `UPDATE trawl_runs SET finished_at = `+s.p(1)+`, status = `+s.p(2)+`, stats = `+s.p(3)+
			`, error = `+s.p(4)+`, lease_until = 0 WHERE id = `+s.p(5)+` AND holder = `+s.p(6)+` AND finished_at = 0`,
			at.UnixMilli(), status, string(stats), message, id, holder)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrLeaseLost
		}
		return nil
	}))
}

// leaseErr keeps ErrLeaseLost testable through the store's wrapping.
func (s *sqlStore) leaseErr(id string, err error) error {
	if errors.Is(err, ErrLeaseLost) {
		return fmt.Errorf("run %s: %w", id, ErrLeaseLost)
	}
	return s.wrap(err)
}

func (s *sqlStore) Runs(ctx context.Context, job string) ([]RunRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+runColumns+` FROM trawl_runs WHERE job = `+s.p(1)+` ORDER BY scheduled_at, started_at`, job)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []RunRow
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, r)
	}
	return out, s.wrap(rows.Err())
}

func (s *sqlStore) EachSeen(ctx context.Context, job, target string, fn func(key, fingerprint, runID string) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT object_key, fingerprint, run_id FROM trawl_job_objects WHERE job = `+s.p(1)+
		` AND target = `+s.p(2)+` AND deleted_run = '' ORDER BY object_key`, job, target)
	if err != nil {
		return s.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, f, r string
		if err := rows.Scan(&k, &f, &r); err != nil {
			return s.wrap(err)
		}
		if err := fn(k, f, r); err != nil {
			return err
		}
	}
	return s.wrap(rows.Err())
}

// seenBatch is how many objects one statement writes (SQLite allows
// 32,766 parameters; five a row).
const seenBatch = 1000

func (s *sqlStore) MarkSeen(ctx context.Context, job, target, runID string, seen []Seen) error {
	for len(seen) > 0 {
		n := min(len(seen), seenBatch)
		part := seen[:n]
		seen = seen[n:]
		var b strings.Builder
		args := make([]any, 0, 4*n)
		b.WriteString(`INSERT INTO trawl_job_objects (job, target, object_key, fingerprint, run_id) VALUES `)
		for i, o := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			k := len(args)
			fmt.Fprintf(&b, "(%s, %s, %s, %s, %s)", s.p(k+1), s.p(k+2), s.p(k+3), s.p(k+4), s.p(k+5))
			args = append(args, job, target, o.Key, o.Fingerprint, runID)
		}
		b.WriteString(` ON CONFLICT (job, target, object_key) DO UPDATE SET fingerprint = excluded.fingerprint, run_id = excluded.run_id, deleted_run = ''`)
		if err := s.retry(ctx, func() error { _, err := s.db.ExecContext(ctx, b.String(), args...); return err }); err != nil {
			return s.wrap(err)
		}
	}
	return nil
}

func (s *sqlStore) MarkDeleted(ctx context.Context, job, target, runID string, keys []string) error {
	for len(keys) > 0 {
		n := min(len(keys), seenBatch)
		part := keys[:n]
		keys = keys[n:]
		args := []any{runID, job, target}
		marks := make([]string, len(part))
		for i, k := range part {
			args = append(args, k)
			marks[i] = s.p(len(args))
		}
		q := `UPDATE trawl_job_objects SET deleted_run = ` + s.p(1) + ` WHERE job = ` + s.p(2) + ` AND target = ` + s.p(3) +
			` AND object_key IN (` + strings.Join(marks, ", ") + `)`
		if err := s.retry(ctx, func() error { _, err := s.db.ExecContext(ctx, q, args...); return err }); err != nil {
			return s.wrap(err)
		}
	}
	return nil
}
