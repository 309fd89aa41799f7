// Package publish sends findings where Macie's go: EventBridge (one event
// per finding, detail-type "Macie Finding", the finding as detail) and
// Security Hub (ASFF through BatchImportFindings). Publishers are
// findings.Sinks placed after the outputs: a publishing failure never
// stops a scan or its output; it is reported when the sink closes.
//
// What was sent is kept in a Ledger, by target and finding ID, so that a
// finding goes to a target once: the findings store is a Ledger across
// runs; without it, MemoryLedger keeps that promise within a run.
// Archived (suppressed) findings are never sent, as in Macie.
package publish
