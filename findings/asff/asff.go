// Package asff turns trawl's findings into AWS Security Finding Format
// (ASFF 2018-10-08) documents, as Macie sends its sensitive data findings
// to Security Hub: the sensitive data under Resources[].DataClassification,
// Severity.Label, Types in Macie's namespace. The documents are the
// Security Hub SDK's AwsSecurityFinding, so what `--format asff` writes
// and what BatchImportFindings sends are one value.
package asff

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/securityhub/types"

	"github.com/trawlsec/trawl/findings"
)

// SchemaVersion is the ASFF version Security Hub takes.
const SchemaVersion = "2018-10-08"

// Macie's Types namespace: "Sensitive Data Identifications/PII/" then the
// finding type with its slash as a hyphen.
const typesPrefix = "Sensitive Data Identifications/PII/"

// Target says where the documents go: the account and region whose
// default product receives them. Empty fields take the finding's.
type Target struct {
	AccountID, Region, Partition string
}

// ProductArn is the account's default product, the one a customer may
// import its own findings under (Macie's own product ARN is AWS's).
func (t Target) ProductArn() string {
	return "arn:" + t.Partition + ":securityhub:" + t.Region + ":" + t.AccountID + ":product/" + t.AccountID + "/default"
}

// From converts a finding. Titles and descriptions are cut to ASFF's 256
// and 1,024 characters.
func From(f *findings.Finding, t Target) types.AwsSecurityFinding {
	if t.AccountID == "" {
		t.AccountID = f.AccountID
	}
	if t.Region == "" {
		t.Region = f.Region
	}
	if t.Partition == "" {
		t.Partition = f.Partition
	}
	if t.Partition == "" {
		t.Partition = "aws"
	}
	cd := f.ClassificationDetails
	sev := "LOW"
	original := "Low"
	if f.Severity != nil {
		sev, original = strings.ToUpper(f.Severity.Description), f.Severity.Description
	}
	out := types.AwsSecurityFinding{
		SchemaVersion:   aws.String(SchemaVersion),
		Id:              aws.String("arn:" + t.Partition + ":macie2:" + f.Region + ":" + f.AccountID + ":finding/" + f.ID),
		ProductArn:      aws.String(t.ProductArn()),
		ProductName:     aws.String("trawl"),
		CompanyName:     aws.String("trawl"),
		GeneratorId:     aws.String(cd.JobArn),
		AwsAccountId:    aws.String(t.AccountID),
		Region:          aws.String(t.Region),
		Types:           []string{typesPrefix + strings.Replace(f.Type, "/", "-", 1)},
		CreatedAt:       aws.String(f.CreatedAt),
		UpdatedAt:       aws.String(f.UpdatedAt),
		FirstObservedAt: aws.String(f.CreatedAt),
		LastObservedAt:  aws.String(f.UpdatedAt),
		Severity:        &types.Severity{Label: types.SeverityLabel(sev), Original: aws.String(original)},
		Title:           aws.String(cut(f.Title, 256)),
		Description:     aws.String(cut(f.Description, 1024)),
		RecordState:     types.RecordStateActive,
		Workflow:        &types.Workflow{Status: types.WorkflowStatusNew},
		ProductFields: map[string]string{
			"JobArn":                      cd.JobArn,
			"JobId":                       cd.JobID,
			"OriginType":                  cd.OriginType,
			"S3Object.Path":               f.ResourcesAffected.S3Object.Path,
			"aws/securityhub/ProductName": "trawl",
		},
	}
	if f.Archived {
		out.RecordState = types.RecordStateArchived
	}
	out.Resources = resources(f, t.Partition)
	return out
}

func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// resources are the bucket and the object, as Macie reports them; a local
// file (no bucket) is one resource of type Other named by its path.
func resources(f *findings.Finding, partition string) []types.Resource {
	b, o := f.ResourcesAffected.S3Bucket, f.ResourcesAffected.S3Object
	data := classification(f)
	if b.Name == "" {
		return []types.Resource{{Type: aws.String("Other"), Id: aws.String(o.Path), Partition: types.Partition(partition), DataClassification: data}}
	}
	bd := &types.AwsS3BucketDetails{Name: aws.String(b.Name)}
	if b.CreatedAt != "" {
		bd.CreatedAt = aws.String(b.CreatedAt)
	}
	if b.Owner != nil {
		bd.OwnerId, bd.OwnerName = aws.String(b.Owner.ID), aws.String(b.Owner.DisplayName)
	}
	if sse := b.DefaultServerSideEncryption; sse != nil && sse.EncryptionType != "NONE" && sse.EncryptionType != "UNKNOWN" {
		bd.ServerSideEncryptionConfiguration = &types.AwsS3BucketServerSideEncryptionConfiguration{
			Rules: []types.AwsS3BucketServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.AwsS3BucketServerSideEncryptionByDefault{
				SSEAlgorithm: aws.String(sse.EncryptionType), KMSMasterKeyID: sse.KMSMasterKeyID}}},
		}
	}
	od := &types.AwsS3ObjectDetails{ETag: aws.String(o.ETag), ServerSideEncryption: aws.String(o.ServerSideEncryption.EncryptionType),
		SSEKMSKeyId: o.ServerSideEncryption.KMSMasterKeyID}
	if o.LastModified != "" {
		od.LastModified = aws.String(o.LastModified)
	}
	if o.VersionID != "" {
		od.VersionId = aws.String(o.VersionID)
	}
	region := aws.String(f.Region)
	return []types.Resource{
		{Type: aws.String("AwsS3Bucket"), Id: aws.String(b.Arn), Partition: types.Partition(partition), Region: region,
			Details: &types.ResourceDetails{AwsS3Bucket: bd}},
		{Type: aws.String("AwsS3Object"), Id: aws.String(b.Arn + "/" + o.Key), Partition: types.Partition(partition), Region: region,
			Details: &types.ResourceDetails{AwsS3Object: od}, DataClassification: data},
	}
}

func classification(f *findings.Finding) *types.DataClassificationDetails {
	cd := f.ClassificationDetails
	r := cd.Result
	res := &types.ClassificationResult{
		AdditionalOccurrences: aws.Bool(r.AdditionalOccurrences),
		MimeType:              aws.String(r.MimeType),
		SizeClassified:        aws.Int64(r.SizeClassified),
		Status:                &types.ClassificationStatus{Code: aws.String(string(r.Status.Code))},
		CustomDataIdentifiers: &types.CustomDataIdentifiersResult{TotalCount: aws.Int64(int64(r.CustomDataIdentifiers.TotalCount)), Detections: []types.CustomDataIdentifiersDetections{}},
		SensitiveData:         []types.SensitiveDataResult{},
	}
	if r.Status.Reason != nil {
		res.Status.Reason = aws.String(string(*r.Status.Reason))
	}
	for _, sd := range r.SensitiveData {
		item := types.SensitiveDataResult{Category: aws.String(string(sd.Category)), TotalCount: aws.Int64(int64(sd.TotalCount))}
		for _, d := range sd.Detections {
			item.Detections = append(item.Detections, types.SensitiveDataDetections{Type: aws.String(d.Type), Count: aws.Int64(int64(d.Count)), Occurrences: occurrences(d.Occurrences)})
		}
		res.SensitiveData = append(res.SensitiveData, item)
	}
	for _, d := range r.CustomDataIdentifiers.Detections {
		res.CustomDataIdentifiers.Detections = append(res.CustomDataIdentifiers.Detections, types.CustomDataIdentifiersDetections{
			Arn: aws.String(d.ARN), Name: aws.String(d.Name), Count: aws.Int64(int64(d.Count)), Occurrences: occurrences(d.Occurrences)})
	}
	out := &types.DataClassificationDetails{Result: res}
	if cd.DetailedResultsLocation != "" {
		out.DetailedResultsLocation = aws.String(cd.DetailedResultsLocation)
	}
	return out
}

func rangeOf(start, end, col int) *types.Range {
	return &types.Range{Start: aws.Int64(int64(start)), End: aws.Int64(int64(end)), StartColumn: aws.Int64(int64(col))}
}

func occurrences(o findings.Occurrences) *types.Occurrences {
	out := &types.Occurrences{}
	for _, l := range o.LineRanges {
		out.LineRanges = append(out.LineRanges, *rangeOf(l.Start, l.End, l.StartColumn))
	}
	for _, c := range o.Cells {
		out.Cells = append(out.Cells, types.Cell{Row: aws.Int64(int64(c.Row)), Column: aws.Int64(int64(c.Column)), ColumnName: aws.String(c.ColumnName), CellReference: c.CellReference})
	}
	for _, r := range o.Records {
		out.Records = append(out.Records, types.Record{RecordIndex: aws.Int64(int64(r.RecordIndex)), JsonPath: aws.String(r.JSONPath)})
	}
	for _, p := range o.Pages {
		page := types.Page{PageNumber: aws.Int64(int64(p.PageNumber))}
		if p.LineRange != nil {
			page.LineRange = rangeOf(p.LineRange.Start, p.LineRange.End, p.LineRange.StartColumn)
		}
		out.Pages = append(out.Pages, page)
	}
	return out
}

// Marshal writes a document as ASFF JSON: the SDK type's field names are
// ASFF's, and unset fields are left out rather than written as null.
func Marshal(d types.AwsSecurityFinding) ([]byte, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return json.Marshal(prune(v))
}

// prune drops null fields and empty strings (enums left unset).
func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if c == nil || c == "" {
				delete(x, k)
				continue
			}
			x[k] = prune(c)
		}
	case []any:
		for i, c := range x {
			x[i] = prune(c)
		}
	}
	return v
}

// writer writes findings as a JSON document {"Findings": [...]}, the
// shape BatchImportFindings takes, streamed.
type writer struct {
	w      io.Writer
	target Target
	n      int
	err    error
}

// NewWriter is the --format asff output.
func NewWriter(w io.Writer, t Target) findings.Sink { return &writer{w: w, target: t} }

func (a *writer) Put(_ *findings.Result, f *findings.Finding) error {
	if f == nil || a.err != nil {
		return a.err
	}
	b, err := Marshal(From(f, a.target))
	if err != nil {
		return err
	}
	sep := ",\n  "
	if a.n == 0 {
		sep = "{\"Findings\": [\n  "
	}
	a.n++
	if _, a.err = io.WriteString(a.w, sep); a.err == nil {
		_, a.err = a.w.Write(b)
	}
	return a.err
}

func (a *writer) Close() error {
	if a.err != nil {
		return a.err
	}
	end := "\n]}\n"
	if a.n == 0 {
		end = "{\"Findings\": []}\n"
	}
	_, err := io.WriteString(a.w, end)
	return err
}
