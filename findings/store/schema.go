package store

// The findings table holds what queries select and sort on, one narrow
// row per finding (hidden mirrors a triage status that takes a finding out
// of the current list); the finding's JSON lives in trawl_bodies, so that
// scans for statistics read small rows. The indexes that statistics group
// by carry archived and hidden, so that counting current findings reads
// the index alone. Detections repeat their finding's archived and hidden,
// so that statistics by identifier type or category over current
// findings read one index instead of joining every finding. Side tables are keyed by seq, a
// finding's insertion number: a scan's new findings append to them, where
// keys by the (hashed) finding ID would scatter every batch's writes over
// the whole file.
//
// migrations build the schema step by step; a store records how many it
// has applied (trawl_meta.schema_version). Append only: a released step
// never changes. {{SEQ}} is the insertion number's column, {{CLUSTERED}}
// stores a table in key order (SQLite's WITHOUT ROWID), {{BLOB}} is the
// bytes type (bodies are zstd-compressed JSON), and {{C}} is the byte-order collation, so that key prefix
// ranges hold on PostgreSQL whatever the database's locale.
var migrations = []string{
	`CREATE TABLE trawl_findings (
		seq             {{SEQ}},
		id              TEXT NOT NULL UNIQUE,
		account_id      TEXT NOT NULL,
		region          TEXT NOT NULL,
		partition_name  TEXT NOT NULL,
		category        TEXT NOT NULL,
		type            TEXT NOT NULL,
		severity        TEXT NOT NULL,
		severity_score  INTEGER NOT NULL,
		occurrences     INTEGER NOT NULL,
		bucket          TEXT {{C}} NOT NULL,
		object_key      TEXT {{C}} NOT NULL,
		extension       TEXT NOT NULL,
		size            BIGINT NOT NULL,
		size_classified BIGINT NOT NULL,
		mime_type       TEXT NOT NULL,
		job_id          TEXT NOT NULL,
		created_at      BIGINT NOT NULL,
		last_seen       BIGINT NOT NULL,
		archived        INTEGER NOT NULL DEFAULT 0,
		archived_by     TEXT NOT NULL DEFAULT '',
		hidden          INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX trawl_findings_current ON trawl_findings (archived, hidden, severity_score, created_at, seq);
	CREATE INDEX trawl_findings_type ON trawl_findings (type, archived, hidden, severity_score, created_at);
	CREATE INDEX trawl_findings_object ON trawl_findings (bucket, archived, hidden, object_key);
	CREATE INDEX trawl_findings_key ON trawl_findings (object_key);
	CREATE INDEX trawl_findings_created ON trawl_findings (created_at);
	CREATE INDEX trawl_findings_job ON trawl_findings (job_id, archived, hidden);
	CREATE INDEX trawl_findings_last_seen ON trawl_findings (last_seen);
	CREATE TABLE trawl_bodies (
		seq  BIGINT PRIMARY KEY,
		body {{BLOB}} NOT NULL
	);
	CREATE TABLE trawl_detections (
		seq      BIGINT NOT NULL,
		category TEXT NOT NULL,
		type     TEXT NOT NULL,
		count    INTEGER NOT NULL,
		archived INTEGER NOT NULL DEFAULT 0,
		hidden   INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (seq, category, type)
	){{CLUSTERED}};
	CREATE INDEX trawl_detections_type ON trawl_detections (archived, hidden, type, seq);
	CREATE INDEX trawl_detections_category ON trawl_detections (archived, hidden, category, seq);
	CREATE TABLE trawl_sightings (
		seq     BIGINT NOT NULL,
		run_id  TEXT NOT NULL,
		seen_at BIGINT NOT NULL,
		PRIMARY KEY (seq, run_id)
	){{CLUSTERED}};
	CREATE TABLE trawl_filters (
		id          TEXT PRIMARY KEY,
		name        TEXT NOT NULL UNIQUE,
		action      TEXT NOT NULL,
		description TEXT NOT NULL,
		position    INTEGER NOT NULL,
		criteria    TEXT NOT NULL,
		created_at  BIGINT NOT NULL,
		updated_at  BIGINT NOT NULL
	);
	CREATE TABLE trawl_triage (
		seq        BIGINT PRIMARY KEY,
		status     TEXT NOT NULL,
		note       TEXT NOT NULL,
		actor      TEXT NOT NULL,
		at         BIGINT NOT NULL
	);`,
	// Discovery jobs: definitions (JSON that scanner/jobs owns), their
	// runs (one per job and scheduled time, held by a lease), and the
	// objects each job saw, for runs that scan only what changed.
	`CREATE TABLE trawl_jobs (
		name        TEXT PRIMARY KEY,
		definition  TEXT NOT NULL,
		status      TEXT NOT NULL,
		created_at  BIGINT NOT NULL,
		updated_at  BIGINT NOT NULL
	);
	CREATE TABLE trawl_runs (
		id           TEXT PRIMARY KEY,
		job          TEXT NOT NULL,
		scheduled_at BIGINT NOT NULL,
		started_at   BIGINT NOT NULL,
		finished_at  BIGINT NOT NULL DEFAULT 0,
		status       TEXT NOT NULL,
		stats        TEXT NOT NULL DEFAULT '{}',
		error        TEXT NOT NULL DEFAULT '',
		holder       TEXT NOT NULL DEFAULT '',
		lease_until  BIGINT NOT NULL DEFAULT 0,
		UNIQUE (job, scheduled_at)
	);
	CREATE TABLE trawl_job_objects (
		job         TEXT NOT NULL,
		target      TEXT {{C}} NOT NULL,
		object_key  TEXT {{C}} NOT NULL,
		fingerprint TEXT NOT NULL,
		run_id      TEXT NOT NULL,
		deleted_run TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (job, target, object_key)
	){{CLUSTERED}};`,
	// What was published where (a target such as "eventbridge:BUS"), so
	// that a finding goes to a target once across runs; no row is "not
	// yet sent".
	`CREATE TABLE trawl_published (
		seq          BIGINT NOT NULL,
		target       TEXT NOT NULL,
		published_at BIGINT NOT NULL,
		PRIMARY KEY (seq, target)
	){{CLUSTERED}};`,
}

// SchemaVersion is the schema this build reads and writes.
var SchemaVersion = len(migrations)
