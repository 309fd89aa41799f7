package view

import (
	"context"
	"encoding/json"
	"time"

	"github.com/trawlsec/trawl/findings/store"
)

// JobView is a discovery job as the dashboard shows it: its state and its
// latest runs, newest first.
type JobView struct {
	Name     string
	Status   string
	Schedule string
	Created  string
	Runs     []RunView
	More     int // runs older than those listed
}

// RunView is one run of a job.
type RunView struct {
	Scheduled, Started, Finished string
	Status, Error                string
	Listed, Scanned, Unchanged   int64
	Skipped, Deleted, Findings   int64
}

// runsShown is how many of a job's runs the page lists.
const runsShown = 10

// jobViews reads the store's jobs and their runs. The job definitions are
// scanner/jobs' JSON; only the schedule's words are read from it.
func jobViews(ctx context.Context, st store.Store) ([]JobView, error) {
	rows, err := st.Jobs().ListJobs(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	var out []JobView
	for _, row := range rows {
		var def struct {
			Schedule struct {
				Frequency  string `json:"frequency"`
				DayOfMonth int    `json:"dayOfMonth"`
				Weekday    int    `json:"weekday"`
			} `json:"schedule"`
		}
		json.Unmarshal(row.Definition, &def)
		sched := def.Schedule.Frequency
		switch sched {
		case "weekly":
			sched += " (" + time.Weekday(def.Schedule.Weekday).String() + ")"
		case "monthly":
			sched += " (day " + thousands(int64(def.Schedule.DayOfMonth)) + ")"
		}
		jv := JobView{Name: row.Name, Status: row.Status, Schedule: sched, Created: stamp(row.CreatedAt)}
		runs, err := st.Jobs().Runs(ctx, row.Name)
		if err != nil {
			return nil, err
		}
		for i := len(runs) - 1; i >= 0; i-- {
			run := runs[i]
			if run.Finished.IsZero() && run.LeaseUntil.After(now) {
				jv.Status = "RUNNING"
			}
			if len(jv.Runs) == runsShown {
				jv.More++
				continue
			}
			var stats struct {
				ObjectsListed, ObjectsScanned, ObjectsUnchanged, ObjectsSkipped, ObjectsDeleted int64
				FindingsBySeverity                                                              map[string]int64
			}
			json.Unmarshal(run.Stats, &stats)
			rv := RunView{Scheduled: stamp(run.Scheduled), Started: stamp(run.Started), Status: run.Status, Error: run.Message,
				Listed: stats.ObjectsListed, Scanned: stats.ObjectsScanned, Unchanged: stats.ObjectsUnchanged,
				Skipped: stats.ObjectsSkipped, Deleted: stats.ObjectsDeleted}
			if !run.Finished.IsZero() {
				rv.Finished = stamp(run.Finished)
			} else if !run.LeaseUntil.After(now) {
				rv.Status = "INTERRUPTED"
			}
			for _, n := range stats.FindingsBySeverity {
				rv.Findings += n
			}
			jv.Runs = append(jv.Runs, rv)
		}
		out = append(out, jv)
	}
	return out, nil
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}
