package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// validate checks a filter as Macie's CreateFindingsFilter does.
func (f *Filter) validate() error {
	if n := len(f.Name); n < 3 || n > 64 {
		return fmt.Errorf("filter name %q: 3 to 64 characters", f.Name)
	}
	if f.Action != "ARCHIVE" && f.Action != "NOOP" {
		return fmt.Errorf("filter action %q: use ARCHIVE (suppress) or NOOP (saved filter)", f.Action)
	}
	if len(f.Description) > 512 {
		return fmt.Errorf("filter description: at most 512 characters, got %d", len(f.Description))
	}
	if f.Position < 0 {
		return fmt.Errorf("filter position must be positive, got %d", f.Position)
	}
	if len(f.FindingCriteria.Criterion) == 0 {
		return errors.New("a filter needs criteria: --criteria '{\"criterion\":{...}}'")
	}
	_, err := compile(f.FindingCriteria, newArgs(sqliteDialect))
	return err
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *sqlStore) listFilters(ctx context.Context, q querier) ([]Filter, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, action, description, position, criteria, created_at, updated_at
		FROM trawl_filters ORDER BY position, name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Filter{}
	for rows.Next() {
		var f Filter
		var crit string
		var created, updated int64
		if err := rows.Scan(&f.ID, &f.Name, &f.Action, &f.Description, &f.Position, &crit, &created, &updated); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(crit), &f.FindingCriteria); err != nil {
			return nil, fmt.Errorf("filter %s: %w", f.Name, err)
		}
		f.CreatedAt, f.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}

func (s *sqlStore) ListFilters(ctx context.Context) ([]Filter, error) {
	fs, err := s.listFilters(ctx, s.db)
	return fs, s.wrap(err)
}

func (s *sqlStore) GetFilter(ctx context.Context, name string) (Filter, error) {
	fs, err := s.ListFilters(ctx)
	if err != nil {
		return Filter{}, err
	}
	for _, f := range fs {
		if f.Name == name {
			return f, nil
		}
	}
	return Filter{}, fmt.Errorf("filter %q: %w", name, ErrNotFound)
}

func (s *sqlStore) CreateFilter(ctx context.Context, f Filter, applyToExisting bool) (Filter, int64, error) {
	if err := f.validate(); err != nil {
		return Filter{}, 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Filter{}, 0, s.wrap(err)
	}
	defer tx.Rollback()
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM trawl_filters WHERE name = `+s.d.param(1), f.Name).Scan(&exists); err != nil {
		return Filter{}, 0, s.wrap(err)
	}
	if exists > 0 {
		return Filter{}, 0, fmt.Errorf("a filter named %q exists: names are unique per store (use filters update)", f.Name)
	}
	if f.Position == 0 {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM trawl_filters`).Scan(&f.Position); err != nil {
			return Filter{}, 0, s.wrap(err)
		}
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	f.ID, f.CreatedAt, f.UpdatedAt = newID(), now, now
	crit, _ := json.Marshal(f.FindingCriteria)
	a := newArgs(s.d)
	_, err = tx.ExecContext(ctx, `INSERT INTO trawl_filters (id, name, action, description, position, criteria, created_at, updated_at) VALUES (`+
		a.add(f.ID)+`, `+a.add(f.Name)+`, `+a.add(f.Action)+`, `+a.add(f.Description)+`, `+a.add(f.Position)+`, `+
		a.add(string(crit))+`, `+a.add(now.UnixMilli())+`, `+a.add(now.UnixMilli())+`)`, a.vals...)
	if err != nil {
		return Filter{}, 0, s.wrap(err)
	}
	n, err := s.applyExisting(ctx, tx, f, applyToExisting)
	if err != nil {
		return Filter{}, 0, err
	}
	return f, n, s.wrap(tx.Commit())
}

// applyExisting archives the current findings an ARCHIVE filter matches,
// when asked: filters act forward only otherwise, as Macie's do.
func (s *sqlStore) applyExisting(ctx context.Context, tx *sql.Tx, f Filter, apply bool) (int64, error) {
	if !apply || f.Action != "ARCHIVE" {
		return 0, nil
	}
	a := newArgs(s.d)
	by := a.add(f.Name)
	cond, err := compile(f.FindingCriteria, a)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE trawl_findings AS f SET archived = 1, archived_by = `+by+` WHERE f.archived = 0 AND `+cond, a.vals...)
	if err != nil {
		return 0, s.wrap(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE trawl_detections SET archived = 1 WHERE archived = 0 AND seq IN (SELECT seq FROM trawl_findings WHERE archived = 1)`); err != nil {
		return 0, s.wrap(err)
	}
	return res.RowsAffected()
}

func (s *sqlStore) UpdateFilter(ctx context.Context, name string, u FilterUpdate, applyToExisting bool) (Filter, int64, error) {
	f, err := s.GetFilter(ctx, name)
	if err != nil {
		return Filter{}, 0, err
	}
	if u.Name != nil {
		f.Name = *u.Name
	}
	if u.Action != nil {
		f.Action = *u.Action
	}
	if u.Description != nil {
		f.Description = *u.Description
	}
	if u.Position != nil {
		f.Position = *u.Position
	}
	if u.FindingCriteria != nil {
		f.FindingCriteria = *u.FindingCriteria
	}
	if err := f.validate(); err != nil {
		return Filter{}, 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Filter{}, 0, s.wrap(err)
	}
	defer tx.Rollback()
	if f.Name != name {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM trawl_filters WHERE name = `+s.d.param(1), f.Name).Scan(&exists); err != nil {
			return Filter{}, 0, s.wrap(err)
		}
		if exists > 0 {
			return Filter{}, 0, fmt.Errorf("a filter named %q exists: names are unique per store", f.Name)
		}
	}
	f.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
	crit, _ := json.Marshal(f.FindingCriteria)
	a := newArgs(s.d)
	_, err = tx.ExecContext(ctx, `UPDATE trawl_filters SET name = `+a.add(f.Name)+`, action = `+a.add(f.Action)+`, description = `+
		a.add(f.Description)+`, position = `+a.add(f.Position)+`, criteria = `+a.add(string(crit))+`, updated_at = `+
		a.add(f.UpdatedAt.UnixMilli())+` WHERE id = `+a.add(f.ID), a.vals...)
	if err != nil {
		return Filter{}, 0, s.wrap(err)
	}
	n, err := s.applyExisting(ctx, tx, f, applyToExisting)
	if err != nil {
		return Filter{}, 0, err
	}
	return f, n, s.wrap(tx.Commit())
}

// DeleteFilter removes a filter; findings it archived stay archived.
func (s *sqlStore) DeleteFilter(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM trawl_filters WHERE name = `+s.d.param(1), name)
	if err != nil {
		return s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("filter %q: %w", name, ErrNotFound)
	}
	return nil
}
