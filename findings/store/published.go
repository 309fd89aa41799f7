package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"
)

// Publications is what a store records of publishing, so that a finding
// goes to a target ("eventbridge:BUS", "securityhub:ACCOUNT/REGION") once
// across runs. It is the publishers' Ledger: a finding is marked only
// once the service accepted it, so one that failed stays unpublished and a
// later scan or 'findings publish' sends it.
type Publications interface {
	// Sent says whether a finding needs no sending to target: it was
	// published there, or the store holds it archived or hidden by its
	// triage (never published, as Macie publishes no archived finding).
	// A finding the store does not hold, or a failed read, is not sent:
	// a finding is better sent twice than never.
	Sent(target, findingID string) bool
	// MarkSent records findings published to target now.
	MarkSent(target string, findingIDs []string) error
	// EachToPublish streams the findings q selects that are neither
	// archived nor hidden by triage and were not published to target;
	// with again, also those that were.
	EachToPublish(ctx context.Context, q Query, target string, again bool, fn func(*Stored) error) error
	// Published lists the targets a finding was published to, and when.
	Published(ctx context.Context, findingID string) (map[string]time.Time, error)
}

func (s *sqlStore) Sent(target, id string) bool {
	a := newArgs(s.d)
	q := `SELECT f.archived + f.hidden, EXISTS (SELECT 1 FROM trawl_published p WHERE p.seq = f.seq AND p.target = ` + a.add(target) + `)
		FROM trawl_findings f WHERE f.id = ` + a.add(id)
	var withheld int
	var sent bool
	if err := s.db.QueryRowContext(context.Background(), q, a.vals...).Scan(&withheld, &sent); err != nil {
		return false
	}
	return withheld > 0 || sent
}

func (s *sqlStore) MarkSent(target string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	ctx := context.Background()
	now := time.Now().UnixMilli()
	err := s.retry(ctx, func() error {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for chunk := range slices.Chunk(ids, 500) {
			a := newArgs(s.d)
			t, at := a.add(target), a.add(now)
			in, _ := a.list(chunk, func(v string) (any, error) { return v, nil })
			// A finding sent again (--force) keeps its row with the new time.
			if _, err := tx.ExecContext(ctx, `INSERT INTO trawl_published (seq, target, published_at)
				SELECT seq, `+t+`, `+at+` FROM trawl_findings WHERE id IN (`+in+`)
				ON CONFLICT (seq, target) DO UPDATE SET published_at = excluded.published_at`, a.vals...); err != nil {
				return err
			}
		}
		return tx.Commit()
	})
	return s.wrap(err)
}

func (s *sqlStore) EachToPublish(ctx context.Context, q Query, target string, again bool, fn func(*Stored) error) error {
	q.Archived = All // archived and hidden are excluded below, whatever the criteria say
	a := newArgs(s.d)
	where, err := s.where(q, a)
	if err != nil {
		return err
	}
	cond := "f.archived = 0 AND f.hidden = 0"
	if !again {
		cond += " AND NOT EXISTS (SELECT 1 FROM trawl_published p WHERE p.seq = f.seq AND p.target = " + a.add(target) + ")"
	}
	if where == "" {
		where = " WHERE " + cond
	} else {
		where += " AND " + cond
	}
	return s.stream(ctx, q, where, a, fn)
}

func (s *sqlStore) Published(ctx context.Context, id string) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.target, p.published_at FROM trawl_published p
		JOIN trawl_findings f ON f.seq = p.seq WHERE f.id = `+s.d.param(1), id)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var target string
		var at int64
		if err := rows.Scan(&target, &at); err != nil {
			return nil, s.wrap(err)
		}
		out[target] = time.UnixMilli(at).UTC()
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, s.wrap(err)
	}
	return out, nil
}
