package store

import (
	"context"

	"errors"
	"time"

	"github.com/trawlsec/trawl/findings"
)

// Store keeps findings, their sightings, triage and findings filters.
// SQLite and PostgreSQL implement it (Open picks by location).
type Store interface {
	Publications // what was published where

	// Record writes one batch of a run's findings in one transaction:
	// new findings are inserted and passed through the ARCHIVE filters in
	// position order; known ones only gain a sighting. It returns the IDs
	// a filter archived (name by ID).
	Record(ctx context.Context, run Run, fs []*findings.Finding) (archived map[string]string, err error)
	// List returns a page of findings matching q.
	List(ctx context.Context, q Query) (Page, error)
	// Each streams every finding q selects (no paging), for exports.
	Each(ctx context.Context, q Query, fn func(*Stored) error) error
	// Get returns one finding with its sightings; ErrNotFound if absent.
	Get(ctx context.Context, id string) (*Stored, error)
	// Stats counts matching findings by group.
	Stats(ctx context.Context, q StatsQuery) ([]GroupCount, error)

	CreateFilter(ctx context.Context, f Filter, applyToExisting bool) (Filter, int64, error)
	UpdateFilter(ctx context.Context, name string, u FilterUpdate, applyToExisting bool) (Filter, int64, error)
	GetFilter(ctx context.Context, name string) (Filter, error)
	ListFilters(ctx context.Context) ([]Filter, error)
	DeleteFilter(ctx context.Context, name string) error

	// SetArchived archives (by "manual") or unarchives findings by ID and
	// returns how many it changed; an unknown ID is ErrNotFound.
	SetArchived(ctx context.Context, ids []string, archived bool) (int64, error)
	// SetTriage records a finding's triage; detection data is untouched.
	SetTriage(ctx context.Context, id string, t Triage) error

	// Retention is how long a finding is kept after its last sighting.
	Retention(ctx context.Context) (time.Duration, error)
	SetRetention(ctx context.Context, d time.Duration) error
	// Purge deletes findings last seen before now-olderThan.
	Purge(ctx context.Context, olderThan time.Duration, now time.Time) (int64, error)

	// Jobs keeps discovery jobs, their runs and what they saw.
	Jobs() Jobs

	// Location names the store for messages (a PostgreSQL DSN without
	// its password).
	Location() string
	Close() error
}

// DefaultRetention is Macie's: findings are kept 90 days.
const DefaultRetention = 90 * 24 * time.Hour

// ErrNotFound is returned for an unknown finding or filter.
var ErrNotFound = errors.New("not found")

// Run is the scan that saw findings: a sighting's run ID and time.
type Run struct {
	ID string
	At time.Time
}

// Stored is a finding as the store returns it: Macie's finding with
// archived as the store holds it, plus trawl's extensions.
type Stored struct {
	findings.Finding
	ArchivedBy string     `json:"archivedBy,omitempty"`
	Triage     *Triage    `json:"triage,omitempty"`
	LastSeenAt string     `json:"lastSeenAt,omitempty"`
	Sightings  []Sighting `json:"sightings,omitempty"`

	seq int64 // the store's row
}

// Sighting is one run that saw a finding.
type Sighting struct {
	RunID  string `json:"runId"`
	SeenAt string `json:"seenAt"`
}

// Triage statuses; false-positive and resolved hide a finding like
// archiving does.
var TriageStatuses = []string{"new", "acknowledged", "false-positive", "risk-accepted", "resolved"}

// Triage is what people decided about a finding, kept apart from what
// the scans detected.
type Triage struct {
	Status string    `json:"status"`
	Note   string    `json:"note,omitempty"`
	By     string    `json:"by,omitempty"`
	At     time.Time `json:"at"`
}

// Archived selects findings by their archived state.
type Archived int

const (
	Current      Archived = iota // not archived, not hidden by triage (Macie's console default)
	ArchivedOnly                 // archived only
	All                          // both
)

// Query selects, sorts and pages findings.
type Query struct {
	Criteria  Criteria
	KeyPrefix string // resourcesAffected.s3Object.key prefix (a trawl extension)
	Archived  Archived
	Triage    string // only findings with this triage status (any archived state)
	SortBy    string // a field name; default severity then createdAt, descending
	Desc      bool
	Limit     int    // default 50
	NextToken string // from the previous page
}

// Page is one page of a list.
type Page struct {
	Findings  []*Stored `json:"findings"`
	NextToken string    `json:"nextToken,omitempty"`
}

// StatsQuery is Macie's GetFindingStatistics request.
type StatsQuery struct {
	Query
	GroupBy string
	Size    int // 0: all groups
}

// GroupCount is one group's count.
type GroupCount struct {
	GroupKey string `json:"groupKey"`
	Count    int64  `json:"count"`
}

// GroupBys are the stats groups: Macie's four plus identifier type and
// category.
var GroupBys = []string{
	"resourcesAffected.s3Bucket.name", "type", "classificationDetails.jobId", "severity.description",
	"sensitiveData.detections.type", "sensitiveData.category",
}

// Filter is Macie's findings filter: ARCHIVE (a suppression rule) or NOOP
// (a saved filter).
type Filter struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	Action          string    `json:"action"`
	Description     string    `json:"description,omitempty"`
	Position        int       `json:"position"`
	FindingCriteria Criteria  `json:"findingCriteria"`
	CreatedAt       time.Time `json:"createdAt"`
	UpdatedAt       time.Time `json:"updatedAt"`
}

// FilterUpdate changes a filter's given fields.
type FilterUpdate struct {
	Name, Action, Description *string
	Position                  *int
	FindingCriteria           *Criteria
}
