package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trawlsec/trawl/findings"
)

// sqlStore is the Store on SQLite or PostgreSQL through database/sql; the
// SQL is common to both but for parameter markers and collation.
type sqlStore struct {
	db     *sql.DB
	d      dialect
	loc    string // for messages: a path, or a DSN without its password
	dsn    string
	bodies bodyCodec
}

func (s *sqlStore) Location() string { return s.loc }
func (s *sqlStore) Close() error {
	s.bodies.close()
	return s.db.Close()
}

// wrap names the store in an error, without a DSN's password.
func (s *sqlStore) wrap(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if s.dsn != "" {
		msg = scrub(err, s.dsn)
	}
	return fmt.Errorf("store %s: %s", s.loc, msg)
}

// retry runs a write, again with backoff when PostgreSQL went away (a
// restart mid-scan); a transaction either committed or left nothing.
func (s *sqlStore) retry(ctx context.Context, fn func() error) error {
	err := fn()
	if s.d.name != "postgres" {
		return err
	}
	wait := 200 * time.Millisecond
	for attempt := 0; err != nil && attempt < 6 && ctx.Err() == nil && transient(err); attempt++ {
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return err
		}
		wait *= 2
		err = fn()
	}
	return err
}

// transient tells a connection failure from a statement's own error.
func transient(err error) bool {
	msg := err.Error()
	for _, s := range []string{"connection", "connect", "EOF", "broken pipe", "shutting down", "terminating", "bad connection", "57P"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func millis(text string, fallback time.Time) int64 {
	if t, err := time.Parse(time.RFC3339Nano, text); err == nil {
		return t.UnixMilli()
	}
	return fallback.UnixMilli()
}

func fromMillis(ms int64) string {
	return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano)
}

func (s *sqlStore) Record(ctx context.Context, run Run, fs []*findings.Finding) (map[string]string, error) {
	var archived map[string]string
	err := s.retry(ctx, func() error {
		var err error
		archived, err = s.record(ctx, run, fs)
		return err
	})
	return archived, s.wrap(err)
}

func (s *sqlStore) record(ctx context.Context, run Run, fs []*findings.Finding) (map[string]string, error) {
	if len(fs) == 0 {
		return nil, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := run.At.UnixMilli()

	// A batch takes a handful of multi-row statements, not several per
	// finding: a statement's own cost dominated the write.
	byID := map[string]*findings.Finding{}
	var ids []string
	for _, f := range fs {
		if _, dup := byID[f.ID]; !dup {
			byID[f.ID] = f
			ids = append(ids, f.ID)
		}
	}
	seqs, err := s.seqsOf(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	var fresh []*findings.Finding
	var known []int64
	for _, id := range ids {
		if seq, ok := seqs[id]; ok {
			known = append(known, seq)
		} else {
			fresh = append(fresh, byID[id])
		}
	}
	var freshSeqs []int64
	for chunk := range slices.Chunk(fresh, 200) {
		inserted, err := s.insertFindings(ctx, tx, run, chunk)
		if err != nil {
			return nil, err
		}
		var lost []string // taken meanwhile by another writer: known after all
		for _, f := range chunk {
			if seq, ok := inserted[f.ID]; ok {
				seqs[f.ID] = seq
				freshSeqs = append(freshSeqs, seq)
			} else {
				lost = append(lost, f.ID)
			}
		}
		if len(lost) > 0 {
			again, err := s.seqsOf(ctx, tx, lost)
			if err != nil {
				return nil, err
			}
			for id, seq := range again {
				seqs[id] = seq
				known = append(known, seq)
			}
		}
		if err := s.insertDetails(ctx, tx, chunk, inserted); err != nil {
			return nil, err
		}
	}
	for chunk := range slices.Chunk(known, 500) {
		a := newArgs(s.d)
		set := a.add(now)
		in := s.intList(a, chunk)
		if _, err := tx.ExecContext(ctx, `UPDATE trawl_findings SET last_seen = `+set+` WHERE seq IN (`+in+`) AND last_seen < `+a.add(now), a.vals...); err != nil {
			return nil, err
		}
	}
	var all []int64
	for _, id := range ids {
		all = append(all, seqs[id])
	}
	for chunk := range slices.Chunk(all, 300) {
		a := newArgs(s.d)
		rows := make([]string, len(chunk))
		for i, seq := range chunk {
			rows[i] = "(" + a.add(seq) + ", " + a.add(run.ID) + ", " + a.add(now) + ")"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO trawl_sightings (seq, run_id, seen_at) VALUES `+strings.Join(rows, ", ")+
			` ON CONFLICT (seq, run_id) DO NOTHING`, a.vals...); err != nil {
			return nil, err
		}
	}
	archived, err := s.suppress(ctx, tx, freshSeqs)
	if err != nil {
		return nil, err
	}
	return archived, tx.Commit()
}

// intList adds integers as parameters and returns their markers.
func (s *sqlStore) intList(a *args, ns []int64) string {
	ps := make([]string, len(ns))
	for i, n := range ns {
		ps[i] = a.add(n)
	}
	return strings.Join(ps, ", ")
}

// seqsOf returns the insertion numbers of the findings among ids that the
// store holds.
func (s *sqlStore) seqsOf(ctx context.Context, tx *sql.Tx, ids []string) (map[string]int64, error) {
	out := map[string]int64{}
	for chunk := range slices.Chunk(ids, 500) {
		a := newArgs(s.d)
		in, _ := a.list(chunk, func(v string) (any, error) { return v, nil })
		rows, err := tx.QueryContext(ctx, `SELECT id, seq FROM trawl_findings WHERE id IN (`+in+`)`, a.vals...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var seq int64
			if err := rows.Scan(&id, &seq); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = seq
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// insertFindings inserts new findings' rows and returns their insertion
// numbers by ID (a finding another writer inserted meanwhile is absent).
func (s *sqlStore) insertFindings(ctx context.Context, tx *sql.Tx, run Run, fs []*findings.Finding) (map[string]int64, error) {
	a := newArgs(s.d)
	rows := make([]string, len(fs))
	now := run.At.UnixMilli()
	for i, f := range fs {
		sev, score := "", 0
		if f.Severity != nil {
			sev, score = f.Severity.Description, f.Severity.Score
		}
		res := f.ClassificationDetails.Result
		total := res.CustomDataIdentifiers.TotalCount
		for _, item := range res.SensitiveData {
			total += item.TotalCount
		}
		obj := f.ResourcesAffected.S3Object
		vals := []any{f.ID, f.AccountID, f.Region, f.Partition, f.Category, f.Type,
			sev, score, total, f.ResourcesAffected.S3Bucket.Name, obj.Key, obj.Extension, obj.Size, res.SizeClassified,
			res.MimeType, f.ClassificationDetails.JobID, millis(f.CreatedAt, run.At), now}
		ps := make([]string, len(vals))
		for k, v := range vals {
			ps[k] = a.add(v)
		}
		rows[i] = "(" + strings.Join(ps, ", ") + ")"
	}
	q := `INSERT INTO trawl_findings (id, account_id, region, partition_name, category, type,
		severity, severity_score, occurrences, bucket, object_key, extension, size, size_classified, mime_type, job_id,
		created_at, last_seen) VALUES ` + strings.Join(rows, ", ") + ` ON CONFLICT (id) DO NOTHING RETURNING id, seq`
	r, err := tx.QueryContext(ctx, q, a.vals...)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out := map[string]int64{}
	for r.Next() {
		var id string
		var seq int64
		if err := r.Scan(&id, &seq); err != nil {
			return nil, err
		}
		out[id] = seq
	}
	return out, r.Err()
}

// insertDetails writes new findings' JSON and detections.
func (s *sqlStore) insertDetails(ctx context.Context, tx *sql.Tx, fs []*findings.Finding, seqs map[string]int64) error {
	bodies, dets := newArgs(s.d), newArgs(s.d)
	var bodyRows, detRows []string
	for _, f := range fs {
		seq, ok := seqs[f.ID]
		if !ok {
			continue
		}
		body, err := json.Marshal(f)
		if err != nil {
			return err
		}
		bodyRows = append(bodyRows, "("+bodies.add(seq)+", "+bodies.add(s.bodies.pack(body))+")")
		res := f.ClassificationDetails.Result
		for _, item := range res.SensitiveData {
			for _, d := range item.Detections {
				detRows = append(detRows, "("+dets.add(seq)+", "+dets.add(string(item.Category))+", "+dets.add(d.Type)+", "+dets.add(d.Count)+")")
			}
		}
		for _, d := range res.CustomDataIdentifiers.Detections {
			detRows = append(detRows, "("+dets.add(seq)+", "+dets.add("CUSTOM_IDENTIFIER")+", "+dets.add(d.Name)+", "+dets.add(d.Count)+")")
		}
		// Statements stay far below the parameter limits (SQLite 32,766,
		// PostgreSQL 65,535) whatever a finding's number of types.
		if len(detRows) >= 2000 {
			if err := flushDetections(ctx, tx, detRows, dets); err != nil {
				return err
			}
			detRows, dets = detRows[:0], newArgs(s.d)
		}
	}
	if len(bodyRows) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO trawl_bodies (seq, body) VALUES `+strings.Join(bodyRows, ", "), bodies.vals...); err != nil {
			return err
		}
	}
	return flushDetections(ctx, tx, detRows, dets)
}

// flushDetections inserts detection rows (four parameters each).
func flushDetections(ctx context.Context, tx *sql.Tx, rows []string, a *args) error {
	if len(rows) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO trawl_detections (seq, category, type, count) VALUES `+strings.Join(rows, ", ")+
		` ON CONFLICT DO NOTHING`, a.vals...)
	return err
}

// suppress applies the ARCHIVE filters, in position order, to new
// findings: the first that matches archives a finding and is named as
// the reason.
func (s *sqlStore) suppress(ctx context.Context, tx *sql.Tx, seqs []int64) (map[string]string, error) {
	ids := make([]string, len(seqs))
	for i, n := range seqs {
		ids[i] = strconv.FormatInt(n, 10)
	}
	asInt := func(v string) (any, error) { return strconv.ParseInt(v, 10, 64) }
	if len(ids) == 0 {
		return nil, nil
	}
	filters, err := s.listFilters(ctx, tx)
	if err != nil {
		return nil, err
	}
	archived := map[string]string{}
	for _, f := range filters {
		if f.Action != "ARCHIVE" {
			continue
		}
		a := newArgs(s.d)
		name := a.add(f.Name)
		cond, err := compile(f.FindingCriteria, a)
		if err != nil {
			return nil, fmt.Errorf("filter %s: %w", f.Name, err)
		}
		// SQLite numbers "?" by position in the text: parameters are
		// added in the order they appear.
		q := `UPDATE trawl_findings AS f SET archived = 1, archived_by = ` + name + ` WHERE f.archived = 0`
		if cond != "" {
			q += " AND " + cond
		}
		in, _ := a.list(ids, asInt)
		q += ` AND f.seq IN (` + in + `)`
		if _, err := tx.ExecContext(ctx, q, a.vals...); err != nil {
			return nil, fmt.Errorf("filter %s: %w", f.Name, err)
		}
	}
	a := newArgs(s.d)
	in, _ := a.list(ids, asInt)
	if _, err := tx.ExecContext(ctx, `UPDATE trawl_detections SET archived = 1 WHERE archived = 0 AND seq IN (SELECT seq FROM trawl_findings WHERE archived = 1 AND seq IN (`+in+`))`, a.vals...); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, archived_by FROM trawl_findings WHERE archived = 1 AND seq IN (`+in+`)`, a.vals...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, by string
		if err := rows.Scan(&id, &by); err != nil {
			return nil, err
		}
		archived[id] = by
	}
	return archived, rows.Err()
}

// hiddenStatuses are triage statuses that take a finding out of the
// current list, as archiving does.
var hiddenStatuses = []string{"false-positive", "resolved"}

// where compiles a query's selection into a condition on findings f.
func (s *sqlStore) where(q Query, a *args) (string, error) {
	cond, err := compile(q.Criteria, a)
	if err != nil {
		return "", err
	}
	parts := []string{}
	if cond != "" {
		parts = append(parts, cond)
	}
	if q.KeyPrefix != "" {
		parts = append(parts, "f.object_key >= "+a.add(q.KeyPrefix)+" AND f.object_key < "+a.add(q.KeyPrefix+"\U0010FFFF"))
	}
	if q.Triage != "" {
		if !slices.Contains(TriageStatuses, q.Triage) {
			return "", fmt.Errorf("unknown triage status %q: use %s", q.Triage, strings.Join(TriageStatuses, ", "))
		}
		parts = append(parts, "EXISTS (SELECT 1 FROM trawl_triage t2 WHERE t2.seq = f.seq AND t2.status = "+a.add(q.Triage)+")")
	}
	if _, explicit := q.Criteria.Criterion["archived"]; !explicit {
		// Sorted by a field other than the default, the current index
		// would only filter and leave a sort of every current finding;
		// SQLite's unary + keeps it from choosing that index, so an
		// index on the sort field can give the first page at once.
		mark := ""
		if q.SortBy != "" && s.d.name == "sqlite" {
			mark = "+"
		}
		switch q.Archived {
		case Current:
			parts = append(parts, mark+"f.archived = 0")
			if q.Triage == "" {
				parts = append(parts, mark+"f.hidden = 0")
			}
		case ArchivedOnly:
			parts = append(parts, mark+"f.archived = 1")
		}
	}
	if len(parts) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(parts, " AND "), nil
}

// orderBy is the query's sort: a field's column, or severity then newest.
func orderBy(q Query) (string, error) {
	if q.SortBy == "" {
		return " ORDER BY f.severity_score DESC, f.created_at DESC, f.seq DESC", nil
	}
	fd, ok := fields[q.SortBy]
	if !ok || fd.kind == detection {
		var names []string
		for _, n := range FieldNames() {
			if fields[n].kind != detection {
				names = append(names, n)
			}
		}
		return "", fmt.Errorf("cannot sort by %q: use one of %s", q.SortBy, strings.Join(names, ", "))
	}
	col := fd.column
	if q.SortBy == "severity.description" {
		col = "f.severity_score" // by rank, not by name
	}
	dir := " ASC"
	if q.Desc {
		dir = " DESC"
	}
	return " ORDER BY " + col + dir + ", f.seq" + dir, nil
}

const selectStored = `SELECT f.seq, f.id, f.archived, f.archived_by, f.last_seen, b.body,
	t.status, t.note, t.actor, t.at FROM trawl_findings f JOIN trawl_bodies b ON b.seq = f.seq
	LEFT JOIN trawl_triage t ON t.seq = f.seq`

func (s *sqlStore) scanStored(rows interface{ Scan(...any) error }) (*Stored, error) {
	var (
		st                Stored
		seq               int64
		id, by            string
		packed            []byte
		archived          int
		lastSeen          int64
		status, note, who sql.NullString
		at                sql.NullInt64
	)
	if err := rows.Scan(&seq, &id, &archived, &by, &lastSeen, &packed, &status, &note, &who, &at); err != nil {
		return nil, err
	}
	body, err := s.bodies.unpack(packed)
	if err != nil {
		return nil, fmt.Errorf("finding %s: %w", id, err)
	}
	if err := json.Unmarshal(body, &st.Finding); err != nil {
		return nil, fmt.Errorf("finding %s: %w", id, err)
	}
	st.seq = seq
	st.Archived, st.ArchivedBy, st.LastSeenAt = archived == 1, by, fromMillis(lastSeen)
	if status.Valid {
		st.Triage = &Triage{Status: status.String, Note: note.String, By: who.String, At: time.UnixMilli(at.Int64).UTC()}
	}
	return &st, nil
}

// detectionsOnly is the condition on detections d for a query that
// selects by archived state alone (no criteria, prefix or triage).
func (s *sqlStore) detectionsOnly(q Query) (string, bool) {
	if len(q.Criteria.Criterion) > 0 || q.KeyPrefix != "" || q.Triage != "" {
		return "", false
	}
	switch q.Archived {
	case Current:
		return " WHERE d.archived = 0 AND d.hidden = 0", true
	case ArchivedOnly:
		return " WHERE d.archived = 1", true
	}
	return "", true
}

// pageToken encodes a page's offset.
func pageToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(offset)))
}

func parseToken(tok string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err == nil && len(b) > 1 && b[0] == 'o' {
		if n, err := strconv.Atoi(string(b[1:])); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, fmt.Errorf("invalid --next-token %q: pass the nextToken of the previous page", tok)
}

func (s *sqlStore) List(ctx context.Context, q Query) (Page, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	offset := 0
	if q.NextToken != "" {
		var err error
		if offset, err = parseToken(q.NextToken); err != nil {
			return Page{}, err
		}
	}
	query, vals, err := s.listSQL(q, offset)
	if err != nil {
		return Page{}, err
	}
	rows, err := s.db.QueryContext(ctx, query, vals...)
	if err != nil {
		return Page{}, s.wrap(err)
	}
	defer rows.Close()
	page := Page{Findings: []*Stored{}}
	for rows.Next() {
		st, err := s.scanStored(rows)
		if err != nil {
			return Page{}, s.wrap(err)
		}
		page.Findings = append(page.Findings, st)
	}
	if err := rows.Err(); err != nil {
		return Page{}, s.wrap(err)
	}
	if len(page.Findings) > q.Limit {
		page.Findings = page.Findings[:q.Limit]
		page.NextToken = pageToken(offset + q.Limit)
	}
	return page, nil
}

// listSQL is the statement for a page of a list.
func (s *sqlStore) listSQL(q Query, offset int) (string, []any, error) {
	a := newArgs(s.d)
	where, err := s.where(q, a)
	if err != nil {
		return "", nil, err
	}
	order, err := orderBy(q)
	if err != nil {
		return "", nil, err
	}
	return selectStored + where + order + " LIMIT " + a.add(q.Limit+1) + " OFFSET " + a.add(offset), a.vals, nil
}

// Each streams every finding q selects, in its order, in one query (an
// export pages through nothing).
func (s *sqlStore) Each(ctx context.Context, q Query, fn func(*Stored) error) error {
	a := newArgs(s.d)
	where, err := s.where(q, a)
	if err != nil {
		return err
	}
	return s.stream(ctx, q, where, a, fn)
}

// stream runs selectStored with where, in q's order, and calls fn with
// each finding.
func (s *sqlStore) stream(ctx context.Context, q Query, where string, a *args, fn func(*Stored) error) error {
	order, err := orderBy(q)
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, selectStored+where+order, a.vals...)
	if err != nil {
		return s.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		st, err := s.scanStored(rows)
		if err != nil {
			return s.wrap(err)
		}
		if err := fn(st); err != nil {
			return err
		}
	}
	return s.wrap(rows.Err())
}

func (s *sqlStore) Get(ctx context.Context, id string) (*Stored, error) {
	a := newArgs(s.d)
	st, err := s.scanStored(s.db.QueryRowContext(ctx, selectStored+" WHERE f.id = "+a.add(id), a.vals...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("finding %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT run_id, seen_at FROM trawl_sightings WHERE seq = `+s.d.param(1)+` ORDER BY seen_at, run_id`, st.seq)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var run string
		var at int64
		if err := rows.Scan(&run, &at); err != nil {
			return nil, s.wrap(err)
		}
		st.Sightings = append(st.Sightings, Sighting{RunID: run, SeenAt: fromMillis(at)})
	}
	return st, s.wrap(rows.Err())
}

func (s *sqlStore) Stats(ctx context.Context, q StatsQuery) ([]GroupCount, error) {
	a := newArgs(s.d)
	where, err := s.where(q.Query, a)
	if err != nil {
		return nil, err
	}
	var query string
	switch q.GroupBy {
	case "sensitiveData.detections.type", "sensitiveData.category":
		col := "d.type"
		if q.GroupBy == "sensitiveData.category" {
			col = "d.category"
		}
		if dw, ok := s.detectionsOnly(q.Query); ok {
			// Selected by archived state alone: the detections' own
			// copy of it answers from one index.
			a = newArgs(s.d)
			query = `SELECT ` + col + `, COUNT(DISTINCT d.seq) FROM trawl_detections d` + dw + ` GROUP BY ` + col
			break
		}
		query = `SELECT ` + col + `, COUNT(DISTINCT f.seq) FROM trawl_findings f JOIN trawl_detections d ON d.seq = f.seq` + where + ` GROUP BY ` + col
	case "resourcesAffected.s3Bucket.name", "type", "classificationDetails.jobId", "severity.description":
		col := fields[q.GroupBy].column
		// Severity groups by score (the current index holds it) and is
		// named after.
		query = `SELECT ` + col + `, COUNT(*) FROM trawl_findings f` + where + ` GROUP BY ` + col
	default:
		return nil, fmt.Errorf("cannot group by %q: use one of %s", q.GroupBy, strings.Join(GroupBys, ", "))
	}
	switch {
	case q.SortBy == "" || q.SortBy == "count":
		dir := " DESC"
		if q.SortBy == "count" && !q.Desc {
			dir = " ASC"
		}
		tie := ", 1"
		if q.GroupBy == "severity.description" {
			tie = ", 1 DESC" // the higher severity first
		}
		query += " ORDER BY 2" + dir + tie
	case q.SortBy == "groupKey":
		dir := " ASC"
		if q.Desc {
			dir = " DESC"
		}
		query += " ORDER BY 1" + dir
	default:
		return nil, fmt.Errorf("cannot sort statistics by %q: use groupKey or count", q.SortBy)
	}
	if q.Size > 0 {
		query += " LIMIT " + a.add(q.Size)
	}
	rows, err := s.db.QueryContext(ctx, query, a.vals...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	out := []GroupCount{}
	for rows.Next() {
		var g GroupCount
		if err := rows.Scan(&g.GroupKey, &g.Count); err != nil {
			return nil, s.wrap(err)
		}
		if q.GroupBy == "severity.description" {
			for name, score := range severityScores {
				if g.GroupKey == strconv.Itoa(score) {
					g.GroupKey = name
				}
			}
		}
		out = append(out, g)
	}
	return out, s.wrap(rows.Err())
}

func (s *sqlStore) SetArchived(ctx context.Context, ids []string, archived bool) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.wrap(err)
	}
	defer tx.Rollback()
	var changed int64
	for _, id := range ids {
		var cur int
		err := tx.QueryRowContext(ctx, `SELECT archived FROM trawl_findings WHERE id = `+s.d.param(1), id).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("finding %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return 0, s.wrap(err)
		}
		want, by := 0, ""
		if archived {
			want, by = 1, "manual"
		}
		if cur == want {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE trawl_findings SET archived = `+s.d.param(1)+`, archived_by = `+s.d.param(2)+` WHERE id = `+s.d.param(3), want, by, id); err != nil {
			return 0, s.wrap(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE trawl_detections SET archived = `+s.d.param(1)+` WHERE seq IN (SELECT seq FROM trawl_findings WHERE id = `+s.d.param(2)+`)`, want, id); err != nil {
			return 0, s.wrap(err)
		}
		changed++
	}
	return changed, s.wrap(tx.Commit())
}

func (s *sqlStore) SetTriage(ctx context.Context, id string, t Triage) error {
	if !slices.Contains(TriageStatuses, t.Status) {
		return fmt.Errorf("unknown triage status %q: use %s", t.Status, strings.Join(TriageStatuses, ", "))
	}
	a := newArgs(s.d)
	q := `INSERT INTO trawl_triage (seq, status, note, actor, at)
		SELECT seq, ` + a.add(t.Status) + `, ` + a.add(t.Note) + `, ` + a.add(t.By) + `, ` + a.add(t.At.UnixMilli()) + `
		FROM trawl_findings WHERE id = ` + a.add(id) + `
		ON CONFLICT (seq) DO UPDATE SET status = excluded.status, note = excluded.note, actor = excluded.actor, at = excluded.at`
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, q, a.vals...)
	if err != nil {
		return s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("finding %s: %w", id, ErrNotFound)
	}
	hidden := 0
	if slices.Contains(hiddenStatuses, t.Status) {
		hidden = 1
	}
	if _, err := tx.ExecContext(ctx, `UPDATE trawl_findings SET hidden = `+s.d.param(1)+` WHERE id = `+s.d.param(2), hidden, id); err != nil {
		return s.wrap(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE trawl_detections SET hidden = `+s.d.param(1)+` WHERE seq IN (SELECT seq FROM trawl_findings WHERE id = `+s.d.param(2)+`)`, hidden, id); err != nil {
		return s.wrap(err)
	}
	return s.wrap(tx.Commit())
}

func (s *sqlStore) Retention(ctx context.Context) (time.Duration, error) {
	var v string
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM trawl_meta WHERE key = 'retention_seconds'`).Scan(&v); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return DefaultRetention, nil
		}
		return 0, s.wrap(err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return DefaultRetention, nil
	}
	return time.Duration(n) * time.Second, nil
}

func (s *sqlStore) SetRetention(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("retention must be positive, got %s", d)
	}
	return s.setMeta(ctx, s.db, "retention_seconds", strconv.FormatInt(int64(d/time.Second), 10))
}

func (s *sqlStore) Purge(ctx context.Context, olderThan time.Duration, now time.Time) (int64, error) {
	cutoff := now.Add(-olderThan).UnixMilli()
	// Most scans find nothing to purge: a read through the last_seen
	// index spares them a write transaction.
	var any int
	switch err := s.db.QueryRowContext(ctx, `SELECT 1 FROM trawl_findings WHERE last_seen < `+s.d.param(1)+` LIMIT 1`, cutoff).Scan(&any); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case err != nil:
		return 0, s.wrap(err)
	}
	var n int64
	err := s.retry(ctx, func() error {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		p := s.d.param(1)
		old := `SELECT seq FROM trawl_findings WHERE last_seen < ` + p
		for _, table := range []string{"trawl_bodies", "trawl_detections", "trawl_sightings", "trawl_triage", "trawl_published"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE seq IN (`+old+`)`, cutoff); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM trawl_findings WHERE last_seen < `+p, cutoff)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return tx.Commit()
	})
	return n, s.wrap(err)
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
