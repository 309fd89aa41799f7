package findings

import (
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

// Run describes the scan that produced results: Macie's job.
type Run struct {
	JobID     string
	CreatedAt time.Time
	AccountID string
	Region    string
	Partition string
	// ResultsLocation is where the run's discovery results go, for
	// classificationDetails.detailedResultsLocation; empty: nowhere.
	ResultsLocation string
}

// partition is the run's partition, aws when unknown.
func (run Run) partition() string {
	if run.Partition == "" {
		return "aws"
	}
	return run.Partition
}

// JobArn is the run's classificationDetails.jobArn, Macie's
// arn:PARTITION:macie2:REGION:ACCOUNT:classification-job/JOB_ID. A local
// scan knows no region or account: those parts stay empty, as ARNs of
// global resources have them.
func (run Run) JobArn() string {
	return "arn:" + run.partition() + ":macie2:" + run.Region + ":" + run.AccountID + ":classification-job/" + run.JobID
}

// customArn is a custom identifier's ARN: its definition's when it has
// one, else Macie's form around its ID, placed in the run's account.
func customArn(id *identifiers.Identifier, run Run) string {
	if id.ARN != "" {
		return id.ARN
	}
	ref := id.CustomID
	if ref == "" {
		ref = identifiers.CustomIDFor(id.Name, id.Pattern)
	}
	return "arn:" + run.partition() + ":macie2:" + run.Region + ":" + run.AccountID + ":custom-data-identifier/" + ref
}

// Finding is Macie's sensitive data finding, field for field.
type Finding struct {
	AccountID             string                `json:"accountId"`
	Archived              bool                  `json:"archived"`
	Category              string                `json:"category"`
	ClassificationDetails ClassificationDetails `json:"classificationDetails"`
	Count                 int                   `json:"count"`
	CreatedAt             string                `json:"createdAt"`
	Description           string                `json:"description,omitempty"`
	ID                    string                `json:"id"`
	Partition             string                `json:"partition"`
	PolicyDetails         *struct{}             `json:"policyDetails"`
	Region                string                `json:"region"`
	ResourcesAffected     ResourcesAffected     `json:"resourcesAffected"`
	Sample                bool                  `json:"sample"`
	SchemaVersion         string                `json:"schemaVersion"`
	Severity              *SeverityJSON         `json:"severity,omitempty"`
	Title                 string                `json:"title,omitempty"`
	Type                  string                `json:"type,omitempty"`
	UpdatedAt             string                `json:"updatedAt"`
}

// SeverityJSON is Macie's severity object.
type SeverityJSON struct {
	Description string `json:"description"`
	Score       int    `json:"score"`
}

type ClassificationDetails struct {
	DetailedResultsLocation string               `json:"detailedResultsLocation,omitempty"`
	JobArn                  string               `json:"jobArn"`
	JobID                   string               `json:"jobId"`
	OriginType              string               `json:"originType"`
	Result                  ClassificationResult `json:"result"`
}

type ClassificationResult struct {
	AdditionalOccurrences bool                  `json:"additionalOccurrences"`
	CustomDataIdentifiers CustomDataIdentifiers `json:"customDataIdentifiers"`
	MimeType              string                `json:"mimeType"`
	SensitiveData         []SensitiveDataItem   `json:"sensitiveData"`
	SizeClassified        int64                 `json:"sizeClassified"`
	Status                ClassificationStatus  `json:"status"`
}

type ClassificationStatus struct {
	Code   Status  `json:"code"`
	Reason *Reason `json:"reason"`
}

type CustomDataIdentifiers struct {
	Detections []CustomDetection `json:"detections"`
	TotalCount int               `json:"totalCount"`
}

type CustomDetection struct {
	ARN         string      `json:"arn"`
	Count       int         `json:"count"`
	Name        string      `json:"name"`
	Occurrences Occurrences `json:"occurrences"`
}

type SensitiveDataItem struct {
	Category   identifiers.Category `json:"category"`
	Detections []DefaultDetection   `json:"detections"`
	TotalCount int                  `json:"totalCount"`
}

type DefaultDetection struct {
	Count       int         `json:"count"`
	Occurrences Occurrences `json:"occurrences"`
	Type        string      `json:"type"`
}

// Occurrences holds Macie's five kinds of location; the unused ones are
// left out, as in Macie's findings (a CSV's detection has only cells).
type Occurrences struct {
	Cells        []CellAt      `json:"cells,omitempty"`
	LineRanges   []LineRangeAt `json:"lineRanges,omitempty"`
	OffsetRanges []struct{}    `json:"offsetRanges,omitempty"`
	Pages        []PageAt      `json:"pages,omitempty"`
	Records      []RecordAt    `json:"records,omitempty"`
}

// LineRangeAt, CellAt, PageAt and RecordAt are Macie's locations plus
// filePath, the archive member holding the value (a trawl extension,
// omitted outside archives).
type LineRangeAt struct {
	formats.LineRange
	FilePath string `json:"filePath,omitempty"`
}

type CellAt struct {
	formats.Cell
	FilePath string `json:"filePath,omitempty"`
}

type PageAt struct {
	formats.Page
	FilePath string `json:"filePath,omitempty"`
}

type RecordAt struct {
	formats.Record
	FilePath string `json:"filePath,omitempty"`
}

// occurrences sorts locations into Macie's arrays.
func occurrences(occ []formats.Occurrence) Occurrences {
	var o Occurrences
	for _, x := range occ {
		switch {
		case x.Line != nil:
			o.LineRanges = append(o.LineRanges, LineRangeAt{*x.Line, x.File})
		case x.Cell != nil:
			o.Cells = append(o.Cells, CellAt{*x.Cell, x.File})
		case x.Record != nil:
			o.Records = append(o.Records, RecordAt{*x.Record, x.File})
		case x.Page != nil:
			o.Pages = append(o.Pages, PageAt{*x.Page, x.File})
		}
	}
	return o
}

type ResourcesAffected struct {
	S3Bucket S3Bucket `json:"s3Bucket"`
	S3Object S3Object `json:"s3Object"`
}

// S3Bucket is Macie's s3Bucket. A local file's finding has no bucket
// fields but the (empty) name, tags and allowsUnencryptedObjectUploads.
type S3Bucket struct {
	// AllowsUnencryptedObjectUploads is TRUE, FALSE or UNKNOWN. Macie
	// reads it from the bucket policy; trawl does not parse policies, so
	// it is FALSE when the bucket encrypts by default (S3 encrypts every
	// upload then) and UNKNOWN otherwise (a local file's too).
	AllowsUnencryptedObjectUploads string        `json:"allowsUnencryptedObjectUploads"`
	Arn                            string        `json:"arn,omitempty"`
	CreatedAt                      string        `json:"createdAt,omitempty"`
	DefaultServerSideEncryption    *BucketSSE    `json:"defaultServerSideEncryption,omitempty"`
	Name                           string        `json:"name"`
	Owner                          *Owner        `json:"owner,omitempty"`
	PublicAccess                   *PublicAccess `json:"publicAccess,omitempty"`
	Tags                           []KeyValue    `json:"tags"`
}

// BucketSSE is Macie's defaultServerSideEncryption; kmsMasterKeyId is
// null without a KMS key, as Macie writes it.
type BucketSSE struct {
	EncryptionType string  `json:"encryptionType"`
	KMSMasterKeyID *string `json:"kmsMasterKeyId"`
}

type Owner struct {
	DisplayName string `json:"displayName,omitempty"`
	ID          string `json:"id"`
}

// PublicAccess is Macie's bucket publicAccess: the effective permission
// and the settings it comes from.
type PublicAccess struct {
	EffectivePermission     string                  `json:"effectivePermission"`
	PermissionConfiguration PermissionConfiguration `json:"permissionConfiguration"`
}

// PermissionConfiguration is Macie's BucketPermissionConfiguration.
type PermissionConfiguration struct {
	AccountLevelPermissions AccountLevelPermissions `json:"accountLevelPermissions"`
	BucketLevelPermissions  BucketLevelPermissions  `json:"bucketLevelPermissions"`
}

type AccountLevelPermissions struct {
	BlockPublicAccess BlockPublicAccess `json:"blockPublicAccess"`
}

type BucketLevelPermissions struct {
	AccessControlList AccessControlList `json:"accessControlList"`
	BlockPublicAccess BlockPublicAccess `json:"blockPublicAccess"`
	BucketPolicy      BucketPolicy      `json:"bucketPolicy"`
}

type AccessControlList struct {
	AllowsPublicReadAccess  bool `json:"allowsPublicReadAccess"`
	AllowsPublicWriteAccess bool `json:"allowsPublicWriteAccess"`
}

type BucketPolicy = AccessControlList

type BlockPublicAccess struct {
	BlockPublicAcls       bool `json:"blockPublicAcls"`
	BlockPublicPolicy     bool `json:"blockPublicPolicy"`
	IgnorePublicAcls      bool `json:"ignorePublicAcls"`
	RestrictPublicBuckets bool `json:"restrictPublicBuckets"`
}

// bucketArn is the bucket's ARN in its partition (aws when unknown).
func bucketArn(o Object) string {
	partition := "aws"
	if o.BucketInfo != nil && o.BucketInfo.Partition != "" {
		partition = o.BucketInfo.Partition
	}
	return "arn:" + partition + ":s3:::" + o.Bucket
}

// s3Bucket renders what is known of an object's bucket.
func s3Bucket(o Object) S3Bucket {
	b := S3Bucket{Name: o.Bucket, Tags: []KeyValue{}, AllowsUnencryptedObjectUploads: "UNKNOWN"}
	info := o.BucketInfo
	if o.Bucket == "" {
		return b // a local file
	}
	b.Arn = bucketArn(o)
	if info == nil {
		return b
	}
	if !info.CreatedAt.IsZero() {
		b.CreatedAt = Timestamp(info.CreatedAt)
	}
	b.Tags = sortedTags(info.Tags)
	if info.EncryptionType != "" {
		b.DefaultServerSideEncryption = &BucketSSE{EncryptionType: info.EncryptionType, KMSMasterKeyID: nonEmpty(info.KMSMasterKeyID)}
		if info.EncryptionType != "NONE" && info.EncryptionType != "UNKNOWN" {
			b.AllowsUnencryptedObjectUploads = "FALSE"
		}
	}
	if info.OwnerID != "" {
		b.Owner = &Owner{DisplayName: info.OwnerName, ID: info.OwnerID}
	}
	if info.EffectivePermission != "" {
		b.PublicAccess = &PublicAccess{EffectivePermission: info.EffectivePermission}
		if p := info.Permissions; p != nil {
			b.PublicAccess.PermissionConfiguration = *p
		}
	}
	return b
}

// nonEmpty is s as a pointer, nil when empty (null in JSON).
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func sortedTags(tags map[string]string) []KeyValue {
	out := []KeyValue{}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, KeyValue{k, tags[k]})
	}
	return out
}

// TimestampLayout is how Macie writes times: UTC, milliseconds.
const TimestampLayout = "2006-01-02T15:04:05.000Z"

// Timestamp formats t as Macie does.
func Timestamp(t time.Time) string { return t.UTC().Format(TimestampLayout) }

type S3Object struct {
	BucketArn            string     `json:"bucketArn,omitempty"`
	ETag                 string     `json:"eTag"`
	Extension            string     `json:"extension"`
	Key                  string     `json:"key"`
	LastModified         string     `json:"lastModified,omitempty"`
	Path                 string     `json:"path"`
	PublicAccess         bool       `json:"publicAccess"`
	ServerSideEncryption SSE        `json:"serverSideEncryption"`
	Size                 int64      `json:"size"`
	StorageClass         string     `json:"storageClass,omitempty"`
	Tags                 []KeyValue `json:"tags"`
	VersionID            string     `json:"versionId"`
	// EmbeddedFileDetails names the archive member a discovery result
	// record is about (one record per member, as Macie writes them).
	EmbeddedFileDetails *EmbeddedFileDetails `json:"embeddedFileDetails,omitempty"`
}

// SSE is Macie's serverSideEncryption of an object: NONE when the object
// is not encrypted (every local file).
type SSE struct {
	EncryptionType string  `json:"encryptionType"`
	KMSMasterKeyID *string `json:"kmsMasterKeyId"`
}

type KeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Finding types, Macie's names.
const (
	TypeCredentials = "SensitiveData:S3Object/Credentials"
	TypeFinancial   = "SensitiveData:S3Object/Financial"
	TypePersonal    = "SensitiveData:S3Object/Personal"
	TypeCustom      = "SensitiveData:S3Object/CustomIdentifier"
	TypeMultiple    = "SensitiveData:S3Object/Multiple"
)

var typeByCategory = map[identifiers.Category]string{
	identifiers.Credentials: TypeCredentials,
	identifiers.Financial:   TypeFinancial,
	identifiers.Personal:    TypePersonal,
	identifiers.Custom:      TypeCustom,
}

// texts are Macie's titles and descriptions per finding type, after the
// subject: "The S3 object" for S3, "The object" for local files (Macie's
// own descriptions say "The object" but for custom identifiers).
var texts = map[string][2]string{
	TypeCredentials: {"contains credentials data", "The object contains credentials data such as AWS secret access keys or private keys."},
	TypeFinancial:   {"contains financial information", "The object contains financial information such as bank account numbers or credit card numbers."},
	TypePersonal:    {"contains personal information", "The object contains personal information such as first or last names, addresses, or identification numbers."},
	TypeCustom:      {"contains text that matches custom data identifier criteria", "* contains text that matches the criteria of one or more custom data identifiers. The object might contain multiple types of sensitive data."},
	TypeMultiple:    {"contains multiple types of sensitive information", "The object contains more than one type of sensitive information."},
}

// Build turns a result with detections into a finding (nil if it has
// none). A custom identifier whose count is below its lowest severity
// threshold makes no finding, as in Macie; the result still records it.
func Build(r *Result, run Run) *Finding {
	reportable := false
	for _, t := range r.Types {
		reportable = reportable || t.Identifier.SeverityFor(t.Count) > 0
	}
	if !reportable {
		return nil
	}
	f := record(r, run, true)
	return &f
}

// Record renders a result as a discovery result record: the finding's
// schema with up to MaxResultOccurrences locations per type, written for
// every object, also those without detections or skipped.
func Record(r *Result, run Run) Finding { return record(r, run, false) }

// record renders a finding (asFinding) or a discovery result record; the
// two differ in how many locations they keep, in whether below-threshold
// custom identifiers show, and in the archive members listed.
func record(r *Result, run Run, asFinding bool) Finding {
	maxOcc := MaxResultOccurrences
	if asFinding {
		maxOcc = MaxFindingOccurrences
	}
	created := Timestamp(run.CreatedAt)
	f := Finding{
		AccountID:     run.AccountID,
		Category:      "CLASSIFICATION",
		Count:         1,
		CreatedAt:     created,
		UpdatedAt:     created,
		Partition:     run.Partition,
		Region:        run.Region,
		SchemaVersion: "1.0",
		ResourcesAffected: ResourcesAffected{
			S3Bucket: s3Bucket(r.Object),
			S3Object: s3Object(r.Object),
		},
		ClassificationDetails: ClassificationDetails{
			JobID:                   run.JobID,
			JobArn:                  run.JobArn(),
			DetailedResultsLocation: run.ResultsLocation,
			OriginType:              "SENSITIVE_DATA_DISCOVERY_JOB",
			Result: ClassificationResult{
				MimeType:              r.MimeType,
				SizeClassified:        r.SizeClassified,
				Status:                ClassificationStatus{Code: r.Status},
				SensitiveData:         []SensitiveDataItem{},
				CustomDataIdentifiers: CustomDataIdentifiers{Detections: []CustomDetection{}},
			},
		},
	}
	f.ResourcesAffected.S3Object.BucketArn = f.ResourcesAffected.S3Bucket.Arn
	if info := r.Object.BucketInfo; info != nil && info.Region != "" {
		// An S3 object's finding is placed by its bucket, as Macie's:
		// the owner account ("" when unknown), region and partition.
		f.AccountID, f.Region, f.Partition = info.AccountID, info.Region, info.Partition
	}
	if r.Reason != "" {
		reason := r.Reason
		f.ClassificationDetails.Result.Status.Reason = &reason
	}
	res := &f.ClassificationDetails.Result
	categories := map[identifiers.Category]bool{}
	severity := identifiers.Severity(0)
	for _, t := range r.Types {
		id := t.Identifier
		if asFinding && id.SeverityFor(t.Count) == 0 {
			continue // below a custom identifier's threshold: not in findings
		}
		occ := t.Occurrences
		if len(occ) > maxOcc {
			occ = occ[:maxOcc]
		}
		if t.Count > len(occ) {
			res.AdditionalOccurrences = true
		}
		categories[id.Category] = true
		severity = max(severity, id.SeverityFor(t.Count))
		o := occurrences(occ)
		if id.Category == identifiers.Custom {
			cd := &res.CustomDataIdentifiers
			cd.Detections = append(cd.Detections, CustomDetection{ARN: customArn(id, run), Name: id.Name, Count: t.Count, Occurrences: o})
			cd.TotalCount += t.Count
			continue
		}
		item := sensitiveItem(res, id.Category)
		item.Detections = append(item.Detections, DefaultDetection{Type: id.ID, Count: t.Count, Occurrences: o})
		item.TotalCount += t.Count
	}
	if len(categories) > 0 {
		f.Type = TypeMultiple
		if len(categories) == 1 {
			for c := range categories {
				f.Type = typeByCategory[c]
			}
		}
		subject := "The object "
		if r.Object.Bucket != "" {
			subject = "The S3 object "
		}
		f.Title = subject + texts[f.Type][0]
		f.Description = texts[f.Type][1]
		if rest, ok := strings.CutPrefix(f.Description, "* "); ok {
			f.Description = subject + rest
		}
		f.Severity = &SeverityJSON{Description: severity.String(), Score: int(severity)}
	}
	f.ID = findingID(&f, r.Object)
	return f
}

// sensitiveItem returns the category's entry, adding it in Macie's order.
func sensitiveItem(res *ClassificationResult, c identifiers.Category) *SensitiveDataItem {
	for i := range res.SensitiveData {
		if res.SensitiveData[i].Category == c {
			return &res.SensitiveData[i]
		}
	}
	res.SensitiveData = append(res.SensitiveData, SensitiveDataItem{Category: c})
	return &res.SensitiveData[len(res.SensitiveData)-1]
}

func s3Object(o Object) S3Object {
	s := S3Object{
		ETag:         o.ETag,
		Extension:    strings.TrimPrefix(path.Ext(o.Key), "."),
		Key:          o.Key,
		Path:         EscapeInvalidUTF8(o.Path),
		Size:         o.Size,
		StorageClass: o.StorageClass,
		VersionID:    o.VersionID,
		Tags:         sortedTags(o.Tags),
		// Public when its bucket is: trawl reads no object ACLs.
		PublicAccess:         o.BucketInfo != nil && o.BucketInfo.EffectivePermission == "PUBLIC",
		ServerSideEncryption: SSE{EncryptionType: "NONE"},
	}
	if !o.LastModified.IsZero() {
		s.LastModified = Timestamp(o.LastModified)
	}
	if o.Encryption != "" {
		s.ServerSideEncryption = SSE{EncryptionType: o.Encryption, KMSMasterKeyID: nonEmpty(o.KMSKeyID)}
	}
	return s
}
