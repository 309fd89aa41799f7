// Package findings is what trawl reports: per-object results (Macie's
// sensitive data discovery results), findings in Macie's JSON, severity,
// and the sinks that write them. It never holds a matched value.
package findings

import (
	"slices"
	"time"

	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

// Status is Macie's classification status code.
type Status string

const (
	Complete Status = "COMPLETE"
	Partial  Status = "PARTIAL"
	Skipped  Status = "SKIPPED"
)

// Reason is Macie's status reason code.
type Reason string

// Macie's reason codes (MACIE.md §4).
const (
	ArchiveContainsUnprocessedFiles         Reason = "ARCHIVE_CONTAINS_UNPROCESSED_FILES"
	ArchiveExceedsSizeLimit                 Reason = "ARCHIVE_EXCEEDS_SIZE_LIMIT"
	ArchiveNestingLevelOverLimit            Reason = "ARCHIVE_NESTING_LEVEL_OVER_LIMIT"
	ArchiveTotalBytesExtractedOverLimit     Reason = "ARCHIVE_TOTAL_BYTES_EXTRACTED_OVER_LIMIT"
	ArchiveTotalDocumentsProcessedOverLimit Reason = "ARCHIVE_TOTAL_DOCUMENTS_PROCESSED_OVER_LIMIT"
	FileExceedsSizeLimit                    Reason = "FILE_EXCEEDS_SIZE_LIMIT"
	InvalidEncryption                       Reason = "INVALID_ENCRYPTION"
	InvalidKMSKey                           Reason = "INVALID_KMS_KEY"
	InvalidObjectState                      Reason = "INVALID_OBJECT_STATE"
	JSONNestingLevelOverLimit               Reason = "JSON_NESTING_LEVEL_OVER_LIMIT"
	MalformedFile                           Reason = "MALFORMED_FILE"
	MalformedOrFileSizeExceedsLimit         Reason = "MALFORMED_OR_FILE_SIZE_EXCEEDS_LIMIT"
	NoSuchBucketAvailable                   Reason = "NO_SUCH_BUCKET_AVAILABLE"
	ObjectVersionMismatch                   Reason = "OBJECT_VERSION_MISMATCH"
	OOXMLUncompressedRatioExceedsLimit      Reason = "OOXML_UNCOMPRESSED_RATIO_EXCEEDS_LIMIT"
	OOXMLUncompressedSizeExceedsLimit       Reason = "OOXML_UNCOMPRESSED_SIZE_EXCEEDS_LIMIT"
	PermissionDenied                        Reason = "PERMISSION_DENIED"
	SourceObjectNoLongerAvailable           Reason = "SOURCE_OBJECT_NO_LONGER_AVAILABLE"
	TimeCutOffReached                       Reason = "TIME_CUT_OFF_REACHED"
	UnableToParseFile                       Reason = "UNABLE_TO_PARSE_FILE"
	UnsupportedFileType                     Reason = "UNSUPPORTED_FILE_TYPE_EXCEPTION"
)

// Limits on reported locations (Macie: 15 per finding, 1,000 per result).
const (
	MaxFindingOccurrences = 15
	MaxResultOccurrences  = 1000
)

// Object is what was scanned: an S3 object, or a local file (empty Bucket,
// Key relative to the scanned root).
type Object struct {
	Bucket       string
	Key          string
	Path         string // how the user names it: bucket/key, or the local path
	Size         int64
	ETag         string
	LastModified time.Time
	VersionID    string
	StorageClass string
	Encryption   string
	KMSKeyID     string // the object's KMS key, for aws:kms encryption
	Tags         map[string]string
	// SHA256 is the hex SHA-256 of a local file's bytes, computed while
	// scanning: its identity where there is no ETag or version.
	SHA256 string
	// BucketInfo is what the source could learn about the bucket (shared
	// by its objects); nil for local files.
	BucketInfo *BucketInfo
}

// BucketInfo is an S3 bucket's metadata for findings, best effort: a
// field the caller may not read stays empty.
type BucketInfo struct {
	OwnerID, OwnerName  string
	EncryptionType      string // NONE, AES256, aws:kms, aws:kms:dsse or UNKNOWN
	KMSMasterKeyID      string
	EffectivePermission string // PUBLIC, NOT_PUBLIC or UNKNOWN
	// Permissions are the settings behind EffectivePermission, as far as
	// the source could read them (nil: Macie's all-false defaults).
	Permissions *PermissionConfiguration
	CreatedAt   time.Time // zero when unknown
	Tags        map[string]string
	// AccountID, Region and Partition place the bucket in AWS: findings
	// of its objects carry them instead of the run's. AccountID is empty
	// when the owner account is unknown.
	AccountID, Region, Partition string
}

// Result is one object's sensitive data discovery result.
type Result struct {
	Object         Object
	Status         Status
	Reason         Reason // empty when Complete
	MimeType       string
	SizeClassified int64
	Types          []*TypeResult  // sorted by ID once Finish has run
	Embedded       []EmbeddedFile // archive members, the first MaxEmbeddedFiles

	byID    map[string]*TypeResult
	members map[string]*memberSummary // by the member's file, for its own record
	// masks are detected values that also appear in names written in
	// locations (a header cell, a JSON key); Finish masks them there.
	// Held only during the object's scan, never written.
	masks     map[string]struct{}
	maskNames bool // more such values than maxMasks: every name is masked
}

// maxMasks bounds the distinct values held for masking in one object
// (a JSON document whose every key is a value could hold millions);
// past it every name in the object's locations is masked whole.
const maxMasks = 4096

// TypeResult counts one identifier's occurrences in an object.
type TypeResult struct {
	Identifier  *identifiers.Identifier
	Count       int
	Occurrences []formats.Occurrence // the first MaxResultOccurrences
}

// Add records a detection.
func (r *Result) Add(d identifiers.Detection) {
	t := r.typeFor(d.Identifier)
	if m := d.Identifier.MaxCount; m > 0 && t.Count >= m {
		return // Macie stops counting names and addresses at 1,000 a file
	}
	t.Count++
	if len(t.Occurrences) < MaxResultOccurrences {
		t.Occurrences = append(t.Occurrences, d.Where())
	}
	if v, ok := d.NamedValue(); ok {
		r.addMask(v)
	}
}

func (r *Result) addMask(v string) {
	if r.maskNames {
		return
	}
	if r.masks == nil {
		r.masks = map[string]struct{}{}
	}
	if len(r.masks) >= maxMasks {
		r.masks, r.maskNames = nil, true
		return
	}
	r.masks[v] = struct{}{}
}

// typeFor returns the identifier's entry, adding it on first use.
func (r *Result) typeFor(id *identifiers.Identifier) *TypeResult {
	if r.byID == nil {
		r.byID = map[string]*TypeResult{}
	}
	t := r.byID[id.ID]
	if t == nil {
		t = &TypeResult{Identifier: id}
		r.byID[id.ID] = t
		r.Types = append(r.Types, t)
	}
	return t
}

// Finish masks detected values in the names of locations (a header cell
// that is an SSN gives its column's name as "***********") and orders the
// types by ID so that output is deterministic.
func (r *Result) Finish() {
	r.maskLocations()
	slices.SortFunc(r.Types, func(a, b *TypeResult) int {
		switch {
		case a.Identifier.ID < b.Identifier.ID:
			return -1
		case a.Identifier.ID > b.Identifier.ID:
			return 1
		}
		return 0
	})
}

// Skip marks the result skipped for a reason.
func (r *Result) Skip(reason Reason) {
	r.Status, r.Reason, r.Types, r.byID = Skipped, reason, nil, nil
}

// Detections counts every occurrence in the result.
func (r *Result) Detections() int {
	n := 0
	for _, t := range r.Types {
		n += t.Count
	}
	return n
}
