package jobs

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Job is a discovery job's definition. It holds copies of its custom
// identifiers and allow lists, so that editing those files later does not
// change the job silently (Update does, explicitly).
type Job struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Targets are s3://BUCKET[/PREFIX] locations and local directories
	// (absolute paths).
	Targets []string `json:"targets,omitempty"`
	// BucketCriteria, from a Macie request, picks buckets when a run
	// starts instead of Targets.
	BucketCriteria *BucketCriteria `json:"bucketCriteria,omitempty"`
	// AccountIDs are the accounts of a Macie request's
	// bucketDefinitions, kept as given (not checked).
	AccountIDs []string `json:"accountIds,omitempty"`
	Scoping    Scoping  `json:"scoping"`
	// Managed is Macie's managedDataIdentifierSelector (ALL, EXCLUDE,
	// INCLUDE, NONE, RECOMMENDED) and its IDs.
	Managed    string   `json:"managedDataIdentifierSelector"`
	ManagedIDs []string `json:"managedDataIdentifierIds,omitempty"`
	// Custom and AllowLists are the files' contents as they were when
	// the job was created or updated.
	Custom     []File `json:"customIdentifiers,omitempty"`
	AllowLists []File `json:"allowLists,omitempty"`
	// Sampling is the percentage of objects in scope scanned (100: all).
	Sampling   float64  `json:"samplingPercentage"`
	MaxObjects int      `json:"maxObjects,omitempty"`
	Schedule   Schedule `json:"schedule"`
	// InitialRun: the first run of a scheduled job scans everything in
	// scope; without it, only what changes after the job is created.
	InitialRun  bool              `json:"initialRun"`
	Tags        map[string]string `json:"tags,omitempty"`
	ClientToken string            `json:"clientToken,omitempty"`
}

// File is a copied input file: its name (for messages) and content.
type File struct {
	Name    string `json:"name"`
	Content []byte `json:"content"`
}

// Selectors are Macie's managedDataIdentifierSelector values.
var Selectors = []string{"ALL", "EXCLUDE", "INCLUDE", "NONE", "RECOMMENDED"}

// maxNameLen is Macie's limit on a job's name.
const maxNameLen = 500

// Validate checks the definition offline: it contacts no bucket.
func (j *Job) Validate() error {
	if strings.TrimSpace(j.Name) == "" {
		return fmt.Errorf("a job needs a name (--name)")
	}
	if len(j.Name) > maxNameLen {
		return fmt.Errorf("name: at most %d characters", maxNameLen)
	}
	if len(j.Targets) == 0 && j.BucketCriteria == nil {
		return fmt.Errorf("job %q has no targets: give --target s3://BUCKET[/PREFIX] or --target DIR", j.Name)
	}
	for _, t := range j.Targets {
		if !strings.HasPrefix(t, "s3://") && !filepath.IsAbs(t) {
			return fmt.Errorf("target %q: give s3://BUCKET[/PREFIX] or an absolute directory", t)
		}
		if t == "s3://" || strings.HasPrefix(t, "s3:///") {
			return fmt.Errorf("target %q names no bucket", t)
		}
	}
	if !slices.Contains(Selectors, j.Managed) {
		return fmt.Errorf("managed identifier selector %q: use %s", j.Managed, strings.Join(Selectors, ", "))
	}
	if len(j.ManagedIDs) > 0 && j.Managed != "INCLUDE" && j.Managed != "EXCLUDE" {
		return fmt.Errorf("managedDataIdentifierIds go with INCLUDE or EXCLUDE, not %s", j.Managed)
	}
	if j.Managed == "NONE" && len(j.Custom) == 0 {
		return fmt.Errorf("managed identifiers NONE needs custom identifiers")
	}
	if j.Sampling <= 0 || j.Sampling > 100 {
		return fmt.Errorf("sampling %v: give a percentage above 0 and at most 100", j.Sampling)
	}
	if j.MaxObjects < 0 {
		return fmt.Errorf("max objects %d: give 0 (no limit) or more", j.MaxObjects)
	}
	if j.Schedule.Frequency == "" {
		return fmt.Errorf("job %q has no schedule: give --schedule once, daily, weekly:DAY or monthly:DAY", j.Name)
	}
	if j.BucketCriteria != nil {
		if err := j.BucketCriteria.validate(); err != nil {
			return err
		}
	}
	return j.Scoping.Validate()
}

// FirstDue is when a new job's first run is due: at once when it has an
// initial run (a one-time job always has), else its first scheduled time
// after creation.
func (j *Job) FirstDue(created time.Time) time.Time {
	if j.Schedule.Frequency == Once || j.InitialRun {
		return created
	}
	next, _ := j.Schedule.Next(created)
	return next
}
