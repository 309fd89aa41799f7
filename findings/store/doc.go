// Package store keeps findings for their retention period (90 days by
// default, as Macie does) so that they can be listed, counted, suppressed
// and triaged after the scan that found them.
//
// One Store interface has two backends with the same schema and SQL: an
// SQLite file (modernc.org/sqlite, no cgo) by default, and PostgreSQL
// (jackc/pgx) when several scanners and services share one store.
//
// A finding's ID is derived from stable identity fields (see
// findings.Build), so a re-scan of an unchanged object adds a sighting
// (run ID and time) instead of a duplicate. Findings are immutable, as
// Macie's sensitive data findings are; archiving, archivedBy and triage
// live beside them and re-scans never overwrite them. Queries take
// Macie's FindingCriteria, compiled to SQL: rows are never filtered in Go.
// Nothing stored holds a matched value: a finding carries types, counts
// and locations only.
package store
