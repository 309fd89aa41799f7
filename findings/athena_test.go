package findings

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/identifiers"
)

// athenaColumns is the column list of AWS's Athena table for Macie's
// discovery results (aws-samples/amazon-macie-results-analytics,
// athena-table-scripts/create-macie-job-table-all-jobs.sql), as data.
var athenaColumns = []string{
	"accountid string",
	"category string",
	"classificationdetails struct<jobArn:string,result:struct<status:struct<code:string,reason:string>,sizeClassified:string,mimeType:string,sensitiveData:array<struct<category:string,totalCount:string,detections:array<struct<type:string,count:string,occurrences:struct<lineRanges:array<struct<start:string,`end`:string,`startColumn`:string>>,pages:array<struct<pageNumber:string>>,records:array<struct<recordIndex:string,jsonPath:string>>,cells:array<struct<row:string,`column`:string,`columnName`:string,cellReference:string>>>>>>>,customDataIdentifiers:struct<totalCount:string,detections:array<struct<arn:string,name:string,count:string,occurrences:struct<lineRanges:array<struct<start:string,`end`:string,`startColumn`:string>>,pages:array<string>,records:array<string>,cells:array<string>>>>>>,detailedResultsLocation:string,jobId:string,originType:string>",
	"createdat string",
	"description string",
	"id string",
	"partition string",
	"region string",
	"resourcesaffected struct<s3Bucket:struct<arn:string,name:string,createdAt:string,owner:struct<displayName:string,id:string>,tags:array<string>,defaultServerSideEncryption:struct<encryptionType:string,kmsMasterKeyId:string>,publicAccess:struct<permissionConfiguration:struct<bucketLevelPermissions:struct<accessControlList:struct<allowsPublicReadAccess:boolean,allowsPublicWriteAccess:boolean>,bucketPolicy:struct<allowsPublicReadAccess:boolean,allowsPublicWriteAccess:boolean>,blockPublicAccess:struct<ignorePublicAcls:boolean,restrictPublicBuckets:boolean,blockPublicAcls:boolean,blockPublicPolicy:boolean>>,accountLevelPermissions:struct<blockPublicAccess:struct<ignorePublicAcls:boolean,restrictPublicBuckets:boolean,blockPublicAcls:boolean,blockPublicPolicy:boolean>>>,effectivePermission:string>>,s3Object:struct<bucketArn:string,key:string,path:string,extension:string,lastModified:string,eTag:string,serverSideEncryption:struct<encryptionType:string,kmsMasterKeyId:string>,size:string,storageClass:string,tags:array<string>,embeddedFileDetails:struct<filePath:string,fileExtension:string,fileSize:string,fileLastModified:string>,publicAccess:boolean>>",
	"schemaversion string",
	"severity struct<description:string,score:int>",
	"title string",
	"type string",
	"updatedat string",
}

// hiveType is a parsed Hive column type.
type hiveType struct {
	kind   string // string, int, boolean, struct, array
	fields map[string]*hiveType
	elem   *hiveType
}

func parseHive(s string) (*hiveType, string) {
	switch {
	case strings.HasPrefix(s, "struct<"):
		t := &hiveType{kind: "struct", fields: map[string]*hiveType{}}
		s = s[len("struct<"):]
		for {
			name, rest, _ := strings.Cut(s, ":")
			var ft *hiveType
			ft, s = parseHive(rest)
			t.fields[strings.ToLower(strings.Trim(name, "`"))] = ft
			if s[0] == '>' {
				return t, s[1:]
			}
			s = s[1:] // ,
		}
	case strings.HasPrefix(s, "array<"):
		elem, rest := parseHive(s[len("array<"):])
		return &hiveType{kind: "array", elem: elem}, rest[1:]
	}
	i := strings.IndexAny(s, ",>")
	if i < 0 {
		i = len(s)
	}
	return &hiveType{kind: s[:i]}, s[i:]
}

// checkHive reports where a JSON value does not fit a column type as the
// OpenX JSON SerDe reads it (names case-insensitive, unknown fields
// ignored, null fits anything).
func checkHive(v any, t *hiveType, at string, errs *[]string) {
	if v == nil {
		return
	}
	bad := func() { *errs = append(*errs, fmt.Sprintf("%s: %T for %s", at, v, t.kind)) }
	switch t.kind {
	case "struct":
		m, ok := v.(map[string]any)
		if !ok {
			bad()
			return
		}
		for k, c := range m {
			if ft := t.fields[strings.ToLower(k)]; ft != nil {
				checkHive(c, ft, at+"."+k, errs)
			}
		}
	case "array":
		l, ok := v.([]any)
		if !ok {
			bad()
			return
		}
		for i, c := range l {
			checkHive(c, t.elem, fmt.Sprintf("%s[%d]", at, i), errs)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad()
		}
	case "int":
		if _, ok := v.(float64); !ok {
			bad()
		}
	case "string":
		// The SerDe reads numbers and booleans into strings; an object or
		// array in a string column (tags, the DDL's custom identifier
		// pages, records and cells) is kept as its JSON text.
	}
}

func athenaTable(t *testing.T) map[string]*hiveType {
	cols := map[string]*hiveType{}
	for _, c := range athenaColumns {
		name, typ, _ := strings.Cut(c, " ")
		ht, rest := parseHive(typ)
		if rest != "" {
			t.Fatalf("column %s: %q left unparsed", name, rest)
		}
		cols[name] = ht
	}
	return cols
}

// TestResultsFitAthenaTable: every results record, an archive's members
// included, fits AWS's Athena table for Macie results; archive members
// are records of their own with embeddedFileDetails a struct, so that the
// table's queries return them as rows.
func TestResultsFitAthenaTable(t *testing.T) {
	cols := athenaTable(t)
	if cols["resourcesaffected"].fields["s3object"].fields["embeddedfiledetails"].kind != "struct" {
		t.Fatal("DDL parse: embeddedFileDetails is not a struct")
	}
	// The check catches a list where the table reads a struct.
	var errs []string
	checkHive(map[string]any{"resourcesAffected": map[string]any{"s3Object": map[string]any{"embeddedFileDetails": []any{}}}},
		&hiveType{kind: "struct", fields: map[string]*hiveType{"resourcesaffected": cols["resourcesaffected"]}}, "", &errs)
	if len(errs) != 1 {
		t.Errorf("a list of members passed: %v", errs)
	}
	cdi, _ := identifiers.ParseCustom([]byte(`{"name":"badge","regex":"B-\\d{4}"}`), "ids.json")
	top := &Result{Object: Object{Bucket: "b", Key: "a.zip", Path: "b/a.zip", BucketInfo: &BucketInfo{EncryptionType: "AES256", EffectivePermission: "NOT_PUBLIC", Region: "us-east-1", Partition: "aws"}},
		Status: Complete}
	top.Merge(resultWith(map[*identifiers.Identifier]int{card: 2, cdi[0]: 1}), "a.zip!in/x.txt")
	top.Merge(resultWith(map[*identifiers.Identifier]int{phone: 1}), "a.zip!y.csv")
	top.AddEmbedded(EmbeddedFile{Path: "in/x.txt", Size: 10, LastModified: time.Now(), Status: Complete})
	top.AddEmbedded(EmbeddedFile{Path: "y.csv", Size: 4, Status: Complete})
	top.AddEmbedded(EmbeddedFile{Path: "z.bin", Status: Skipped, Reason: UnsupportedFileType})
	top.Finish()
	recs := Records(top, Run{JobID: "j", CreatedAt: time.Now()})
	if len(recs) != 4 {
		t.Fatalf("%d records, want the archive's and 3 members'", len(recs))
	}
	paths := []string{}
	counts := map[string]int{}
	for _, rec := range recs {
		var v map[string]any
		json.Unmarshal(mustJSON(t, rec), &v)
		var errs []string
		for k, c := range v {
			if ct := cols[strings.ToLower(k)]; ct != nil {
				checkHive(c, ct, k, &errs)
			}
		}
		if len(errs) > 0 {
			t.Errorf("record does not fit the Athena table:\n%s", strings.Join(errs, "\n"))
		}
		// What the sample query macie-object-detail-listing.sql selects:
		// embeddedfiledetails.filepath and each detection's count.
		path := ""
		if d := rec.ResourcesAffected.S3Object.EmbeddedFileDetails; d != nil {
			path = d.FilePath
		}
		paths = append(paths, path)
		for _, sd := range rec.ClassificationDetails.Result.SensitiveData {
			for _, d := range sd.Detections {
				counts[path+" "+d.Type] += d.Count
			}
		}
		for _, d := range rec.ClassificationDetails.Result.CustomDataIdentifiers.Detections {
			counts[path+" "+d.Name] += d.Count
		}
	}
	if fmt.Sprint(paths) != "[ in/x.txt y.csv z.bin]" {
		t.Errorf("embedded file paths %q", paths)
	}
	want := map[string]int{" CREDIT_CARD_NUMBER": 2, " badge": 1, " PHONE_NUMBER": 1,
		"in/x.txt CREDIT_CARD_NUMBER": 2, "in/x.txt badge": 1, "y.csv PHONE_NUMBER": 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("rows %v, want %v", counts, want)
	}
	// The member's locations are its own.
	if l := recs[1].ClassificationDetails.Result.SensitiveData[0].Detections[0].Occurrences.LineRanges; len(l) != 2 || l[0].FilePath != "a.zip!in/x.txt" {
		t.Errorf("member locations %+v", l)
	}
}
