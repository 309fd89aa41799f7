package store

// migrations build the schema step by step; a store records how many it
// has applied (trawl_meta.schema_version). Append only: a released step
// never changes. {{C}} is the byte-order collation, so that key prefix
// ranges hold on PostgreSQL whatever the database's locale.
var migrations = []string{
	`CREATE TABLE trawl_findings (
		id              TEXT PRIMARY KEY,
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
		body            TEXT NOT NULL
	);
	CREATE INDEX trawl_findings_current ON trawl_findings (archived, severity_score, created_at, id);
	CREATE INDEX trawl_findings_type ON trawl_findings (type, created_at);
	CREATE INDEX trawl_findings_severity ON trawl_findings (severity, created_at);
	CREATE INDEX trawl_findings_object ON trawl_findings (bucket, object_key);
	CREATE INDEX trawl_findings_key ON trawl_findings (object_key);
	CREATE INDEX trawl_findings_created ON trawl_findings (created_at);
	CREATE INDEX trawl_findings_job ON trawl_findings (job_id);
	CREATE INDEX trawl_findings_last_seen ON trawl_findings (last_seen);
	CREATE TABLE trawl_detections (
		finding_id TEXT NOT NULL,
		category   TEXT NOT NULL,
		type       TEXT NOT NULL,
		count      INTEGER NOT NULL,
		PRIMARY KEY (finding_id, category, type)
	);
	CREATE INDEX trawl_detections_type ON trawl_detections (type, finding_id);
	CREATE INDEX trawl_detections_category ON trawl_detections (category, finding_id);
	CREATE TABLE trawl_sightings (
		finding_id TEXT NOT NULL,
		run_id     TEXT NOT NULL,
		seen_at    BIGINT NOT NULL,
		PRIMARY KEY (finding_id, run_id)
	);
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
		finding_id TEXT PRIMARY KEY,
		status     TEXT NOT NULL,
		note       TEXT NOT NULL,
		actor      TEXT NOT NULL,
		at         BIGINT NOT NULL
	);`,
}

// SchemaVersion is the schema this build reads and writes.
var SchemaVersion = len(migrations)
