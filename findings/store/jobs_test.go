package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestJobsDefinitions(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		j := s.Jobs()
		at := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		if err := j.CreateJob(ctx, JobRow{Name: "nightly", Definition: []byte(`{"a":1}`), Status: "IDLE", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		if err := j.CreateJob(ctx, JobRow{Name: "nightly", Definition: []byte(`{}`), Status: "IDLE", CreatedAt: at}); !errors.Is(err, ErrExists) {
			t.Errorf("second job of one name: %v, want ErrExists", err)
		}
		if err := j.UpdateJob(ctx, "nightly", []byte(`{"a":2}`), "USER_PAUSED", at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err := j.GetJob(ctx, "nightly")
		if err != nil || string(got.Definition) != `{"a":2}` || got.Status != "USER_PAUSED" || !got.CreatedAt.Equal(at) || !got.UpdatedAt.Equal(at.Add(time.Hour)) {
			t.Errorf("job %+v, %v", got, err)
		}
		if _, err := j.GetJob(ctx, "none"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown job: %v", err)
		}
		if err := j.UpdateJob(ctx, "none", nil, "IDLE", at); !errors.Is(err, ErrNotFound) {
			t.Errorf("update of an unknown job: %v", err)
		}
		all, err := j.ListJobs(ctx)
		if err != nil || len(all) != 1 {
			t.Errorf("list %v, %v", all, err)
		}
	})
}

// TestClaimRunOnce: of many claimants racing for one run, one wins; a
// live lease keeps others out, an expired one lets one take over; a
// finished run is claimed by nobody.
func TestClaimRunOnce(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		j := s.Jobs()
		sched := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		now := sched.Add(time.Minute)
		var wg sync.WaitGroup
		var mu sync.Mutex
		winners := 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, ok, err := j.ClaimRun(ctx, "nightly", sched, fmt.Sprintf("h%d", i), fmt.Sprintf("run%d", i), now, now.Add(time.Minute))
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					winners++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if winners != 1 {
			t.Fatalf("%d claimants won the run, want 1", winners)
		}
		runs, _ := j.Runs(ctx, "nightly")
		if len(runs) != 1 || runs[0].Status != "RUNNING" {
			t.Fatalf("runs %+v", runs)
		}
		holder, id := runs[0].Holder, runs[0].ID
		if _, ok, _ := j.ClaimRun(ctx, "nightly", sched, "late", "x", now.Add(30*time.Second), now.Add(2*time.Minute)); ok {
			t.Error("a live lease was taken over")
		}
		if err := j.RenewRun(ctx, id, "late", now.Add(time.Hour), []byte(`{}`)); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("renewal by another holder: %v", err)
		}
		// The holder dies: after its lease, another takes the same run.
		r, ok, err := j.ClaimRun(ctx, "nightly", sched, "heir", "y", now.Add(2*time.Minute), now.Add(3*time.Minute))
		if err != nil || !ok || r.ID != id || r.Holder != "heir" {
			t.Fatalf("takeover: %+v, %v, %v", r, ok, err)
		}
		if err := j.RenewRun(ctx, id, holder, now.Add(time.Hour), []byte(`{}`)); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("the dead holder renewed: %v", err)
		}
		if err := j.FinishRun(ctx, id, "heir", "COMPLETE", now.Add(4*time.Minute), []byte(`{"objectsScanned":3}`), ""); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := j.ClaimRun(ctx, "nightly", sched, "another", "z", now.Add(time.Hour), now.Add(2*time.Hour)); ok {
			t.Error("a finished run was claimed again")
		}
		runs, _ = j.Runs(ctx, "nightly")
		if len(runs) != 1 || runs[0].Status != "COMPLETE" || string(runs[0].Stats) != `{"objectsScanned":3}` || runs[0].Finished.IsZero() {
			t.Errorf("runs %+v", runs)
		}
	})
}

func TestSeenObjects(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		j := s.Jobs()
		var seen []Seen
		for i := range 2500 {
			seen = append(seen, Seen{Key: fmt.Sprintf("k%05d", 2500-i), Fingerprint: "v1"})
		}
		seen = append(seen, Seen{Key: "Z", Fingerprint: "v1"}, Seen{Key: "a", Fingerprint: "v1"}, Seen{Key: "é", Fingerprint: "v1"})
		if err := j.MarkSeen(ctx, "job", "s3://b", "r1", seen); err != nil {
			t.Fatal(err)
		}
		if err := j.MarkSeen(ctx, "job", "s3://b", "r2", []Seen{{"a", "v2"}}); err != nil {
			t.Fatal(err)
		}
		if err := j.MarkDeleted(ctx, "job", "s3://b", "r2", []string{"k00001", "k00002"}); err != nil {
			t.Fatal(err)
		}
		var keys []string
		fp := map[string]string{}
		if err := j.EachSeen(ctx, "job", "s3://b", func(k, f, _ string) error { keys = append(keys, k); fp[k] = f; return nil }); err != nil {
			t.Fatal(err)
		}
		if len(keys) != 2501 || fp["a"] != "v2" || fp["k00003"] != "v1" {
			t.Fatalf("%d keys, a=%s", len(keys), fp["a"])
		}
		// Byte order, as S3 lists keys: capitals first, then small
		// letters, then what is beyond ASCII.
		if keys[0] != "Z" || keys[1] != "a" || keys[2] != "k00003" || keys[len(keys)-1] != "é" {
			t.Errorf("order: %v ... %v", keys[:3], keys[len(keys)-1])
		}
		// A deleted object seen again is back.
		j.MarkSeen(ctx, "job", "s3://b", "r3", []Seen{{"k00001", "v9"}})
		n := 0
		j.EachSeen(ctx, "job", "s3://b", func(k, f, _ string) error { n++; return nil })
		if n != 2502 {
			t.Errorf("%d objects after one came back, want 2502", n)
		}
		// Another target or job sees nothing of these.
		j.EachSeen(ctx, "job", "s3://other", func(k, f, _ string) error { t.Error("another target saw", k); return nil })
	})
}
