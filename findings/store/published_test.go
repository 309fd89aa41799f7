package store

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/publish"
)

// The store is the publishers' ledger across runs.
var _ publish.Ledger = Store(nil)

const (
	busTarget = "eventbridge:default"
	hubTarget = "securityhub:111122223333/us-east-1"
)

func toPublish(t *testing.T, s Store, q Query, target string, again bool) []string {
	t.Helper()
	var out []string
	if err := s.EachToPublish(context.Background(), q, target, again, func(f *Stored) error {
		out = append(out, f.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func sorted(ids ...string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// A finding published to a target is not to be sent there again, but is
// to another target; archived and triaged-away findings are never sent.
func TestPublicationsPerTarget(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		a := finding("b", "a.txt", "SensitiveData:S3Object/Financial", "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
		b := finding("b", "b.txt", "SensitiveData:S3Object/Financial", "High", map[string]int{"CREDIT_CARD_NUMBER": 2}, t0)
		c := finding("b", "c.txt", "SensitiveData:S3Object/Personal", "Medium", map[string]int{"NAME": 1}, t0)
		d := finding("b", "d.txt", "SensitiveData:S3Object/Personal", "Medium", map[string]int{"NAME": 2}, t0)
		e := finding("b", "e.txt", "SensitiveData:S3Object/Personal", "Low", map[string]int{"NAME": 3}, t0)
		mustRecord(t, s, "run1", t0, a, b, c, d, e)
		if got := toPublish(t, s, Query{}, busTarget, false); !slices.Equal(got, sorted(a.ID, b.ID, c.ID, d.ID, e.ID)) {
			t.Fatalf("to publish at first: %v", got)
		}
		if err := s.MarkSent(busTarget, []string{a.ID, b.ID, "unknown"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetArchived(ctx, []string{c.ID}, true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetTriage(ctx, d.ID, Triage{Status: "false-positive", At: t0}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			target, id string
			want       bool
		}{
			{busTarget, a.ID, true}, {busTarget, b.ID, true}, {hubTarget, a.ID, false},
			{busTarget, c.ID, true}, {hubTarget, d.ID, true}, // archived, hidden: never to be sent
			{busTarget, e.ID, false}, {busTarget, "unknown", false},
		} {
			if got := s.Sent(c.target, c.id); got != c.want {
				t.Errorf("Sent(%s, %s) = %v", c.target, c.id, got)
			}
		}
		if got := toPublish(t, s, Query{}, busTarget, false); !slices.Equal(got, []string{e.ID}) {
			t.Errorf("to publish after a and b were sent: %v, want only e", got)
		}
		if got := toPublish(t, s, Query{}, hubTarget, false); !slices.Equal(got, sorted(a.ID, b.ID, e.ID)) {
			t.Errorf("to publish to another target: %v", got)
		}
		if got := toPublish(t, s, Query{}, busTarget, true); !slices.Equal(got, sorted(a.ID, b.ID, e.ID)) {
			t.Errorf("sent again (--force): %v", got)
		}
		// Criteria naming archived, or a triage status that hides, do not
		// bring withheld findings back.
		q := Query{Criteria: crit(t, `{"criterion":{"archived":{"eq":["true"]}}}`), Archived: All, Triage: "false-positive"}
		if got := toPublish(t, s, q, hubTarget, true); len(got) != 0 {
			t.Errorf("withheld findings selected: %v", got)
		}
		if err := s.SetTriage(ctx, e.ID, Triage{Status: "acknowledged", At: t0}); err != nil {
			t.Fatal(err)
		}
		if got := toPublish(t, s, Query{Triage: "acknowledged"}, hubTarget, false); !slices.Equal(got, []string{e.ID}) {
			t.Errorf("by triage status: %v", got)
		}
		q = Query{Criteria: crit(t, `{"criterion":{"severity.description":{"eq":["High"]}}}`)}
		if got := toPublish(t, s, q, hubTarget, false); !slices.Equal(got, sorted(a.ID, b.ID)) {
			t.Errorf("by severity: %v", got)
		}
		pub, err := s.Published(ctx, a.ID)
		if err != nil || len(pub) != 1 || pub[busTarget].IsZero() {
			t.Errorf("published %v, %v", pub, err)
		}
		before := pub[busTarget]
		time.Sleep(2 * time.Millisecond)
		if err := s.MarkSent(busTarget, []string{a.ID}); err != nil {
			t.Fatal(err)
		}
		if pub, _ = s.Published(ctx, a.ID); !pub[busTarget].After(before) {
			t.Errorf("sent again, the time stayed %v", pub[busTarget])
		}
		if pub, err = s.Published(ctx, e.ID); err != nil || len(pub) != 0 {
			t.Errorf("unpublished finding: %v, %v", pub, err)
		}
	})
}

// A purged finding's publications go with it: when the same finding is
// seen again (SQLite may even give it the purged row's number), it is new
// and published again.
func TestPurgeForgetsPublications(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		a := finding("b", "a.txt", "SensitiveData:S3Object/Financial", "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
		mustRecord(t, s, "run1", t0, a)
		if err := s.MarkSent(busTarget, []string{a.ID}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Purge(ctx, time.Hour, t0.Add(2*time.Hour)); err != nil || n != 1 {
			t.Fatalf("purged %d, %v", n, err)
		}
		later := t0.Add(3 * time.Hour)
		b := finding("b", "b.txt", "SensitiveData:S3Object/Financial", "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, later)
		mustRecord(t, s, "run2", later, b, a)
		if s.Sent(busTarget, a.ID) || s.Sent(busTarget, b.ID) {
			t.Error("a purged finding's publication outlived it")
		}
		var rows int
		if err := s.(*sqlStore).db.QueryRowContext(ctx, `SELECT COUNT(*) FROM trawl_published`).Scan(&rows); err != nil || rows != 0 {
			t.Errorf("%d publication rows left, %v", rows, err)
		}
	})
}

// A store made before publications were recorded gains the table on open
// and keeps its findings, none of them marked published.
func TestMigrationAddsPublications(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		a := finding("b", "a.txt", "SensitiveData:S3Object/Financial", "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
		mustRecord(t, s, "run1", t0, a)
		ss := s.(*sqlStore)
		// Take the store back to the version before publications: drop
		// what that step and any later one made.
		step := slices.IndexFunc(migrations, func(m string) bool { return strings.Contains(m, "CREATE TABLE trawl_published") })
		stmts := []string{}
		for _, m := range migrations[step:] {
			for _, name := range regexp.MustCompile(`CREATE TABLE (\w+)`).FindAllStringSubmatch(m, -1) {
				stmts = append(stmts, "DROP TABLE "+name[1])
			}
		}
		stmts = append(stmts, `UPDATE trawl_meta SET value = '`+strconv.Itoa(step)+`' WHERE key = 'schema_version'`)
		for _, stmt := range stmts {
			if _, err := ss.db.ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		if err := ss.migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var v string
		if err := ss.db.QueryRowContext(ctx, `SELECT value FROM trawl_meta WHERE key = 'schema_version'`).Scan(&v); err != nil || v != strconv.Itoa(SchemaVersion) {
			t.Fatalf("schema version %q, %v", v, err)
		}
		if s.Sent(busTarget, a.ID) {
			t.Error("a finding from before the migration counted as published")
		}
		if err := s.MarkSent(busTarget, []string{a.ID}); err != nil || !s.Sent(busTarget, a.ID) {
			t.Errorf("after the migration: %v", err)
		}
		if got, err := s.Get(ctx, a.ID); err != nil || got.ID != a.ID {
			t.Errorf("the finding after the migration: %v", err)
		}
	})
}

// BenchmarkSentAndMark is the ledger's cost per finding in a scan that
// publishes: one Sent, and one MarkSent per batch of ten (EventBridge's).
func BenchmarkSentAndMark(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "trawl.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 10_000
	var all []string
	for chunk := range 10 {
		var fs []*findings.Finding
		for i := range n / 10 {
			f := finding("b", fmt.Sprintf("k-%d-%d.txt", chunk, i), "SensitiveData:S3Object/Financial", "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
			fs = append(fs, f)
			all = append(all, f.ID)
		}
		if _, err := s.Record(context.Background(), Run{ID: "r", At: t0}, fs); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		id := all[i%n]
		s.Sent(busTarget, id)
		if i%10 == 9 {
			if err := s.MarkSent(busTarget, all[i%n-9:i%n+1]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
