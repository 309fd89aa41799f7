// Package jobs is trawl's discovery jobs: a definition in the shape of
// Macie's CreateClassificationJob (targets, object scope, identifiers,
// sampling, schedule), the schedule's arithmetic, and the runs that scan
// only what changed since the last one.
package jobs
