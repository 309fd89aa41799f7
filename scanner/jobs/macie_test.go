package jobs

import (
	"strings"
	"testing"
	"time"
)

const macieJob = `{
  "clientToken": "3f2b7b1e-4b1c-4f0e-9f37-000000000001",
  "name": "nightly-exports",
  "description": "PII in the exports",
  "jobType": "SCHEDULED",
  "scheduleFrequency": {"weeklySchedule": {"dayOfWeek": "MONDAY"}},
  "initialRun": false,
  "samplingPercentage": 50,
  "managedDataIdentifierSelector": "EXCLUDE",
  "managedDataIdentifierIds": ["NAME", "ADDRESS"],
  "tags": {"team": "data"},
  "s3JobDefinition": {
    "bucketDefinitions": [{"accountId": "111122223333", "buckets": ["exports", "archive"]}],
    "scoping": {
      "includes": {"and": [
        {"simpleScopeTerm": {"comparator": "EQ", "key": "OBJECT_EXTENSION", "values": ["csv", "json"]}},
        {"simpleScopeTerm": {"comparator": "LT", "key": "OBJECT_SIZE", "values": ["10485760"]}}
      ]},
      "excludes": {"and": [
        {"tagScopeTerm": {"comparator": "EQ", "key": "TAG", "target": "S3_OBJECT", "tagValues": [{"key": "macie", "value": "skip"}]}}
      ]}
    }
  }
}`

func TestFromMacie(t *testing.T) {
	j, err := FromMacie([]byte(macieJob))
	if err != nil {
		t.Fatal(err)
	}
	if j.Name != "nightly-exports" || j.Description != "PII in the exports" || j.Managed != "EXCLUDE" ||
		strings.Join(j.ManagedIDs, ",") != "NAME,ADDRESS" || j.Sampling != 50 || j.InitialRun ||
		j.Schedule != (Schedule{Frequency: Weekly, Weekday: time.Monday}) || j.Tags["team"] != "data" ||
		strings.Join(j.Targets, ",") != "s3://exports,s3://archive" || strings.Join(j.AccountIDs, ",") != "111122223333" {
		t.Errorf("job %+v", j)
	}
	if len(j.Scoping.Includes) != 2 || len(j.Scoping.Excludes) != 1 || !j.Scoping.NeedsTags() {
		t.Errorf("scoping %+v", j.Scoping)
	}
	if !j.Scoping.Match("a.csv", 100, time.Time{}, nil) || j.Scoping.Match("a.csv", 100, time.Time{}, map[string]string{"macie": "skip"}) ||
		j.Scoping.Match("a.txt", 100, time.Time{}, nil) || j.Scoping.Match("a.csv", 10485760, time.Time{}, nil) {
		t.Error("the scoping does not decide as Macie's would")
	}
}

func TestFromMacieDefaults(t *testing.T) {
	j, err := FromMacie([]byte(`{"name":"once","jobType":"ONE_TIME","s3JobDefinition":{"bucketDefinitions":[{"accountId":"1","buckets":["b"]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	// The API's default selector is ALL; a one-time job runs at once.
	if j.Managed != "ALL" || j.Sampling != 100 || j.Schedule.Frequency != Once || !j.InitialRun {
		t.Errorf("job %+v", j)
	}
	created := ts("2026-03-10T10:00:00Z")
	if !j.FirstDue(created).Equal(created) {
		t.Error("a one-time job is not due at once")
	}
	j.Schedule, j.InitialRun = Schedule{Frequency: Daily, Hour: 2}, false
	if got := j.FirstDue(created); !got.Equal(ts("2026-03-11T02:00:00Z")) {
		t.Errorf("a daily job without an initial run is first due %v", got)
	}
}

func TestFromMacieBucketCriteria(t *testing.T) {
	j, err := FromMacie([]byte(`{"name":"crit","jobType":"ONE_TIME","s3JobDefinition":{"bucketCriteria":{
	  "includes":{"and":[{"simpleCriterion":{"comparator":"EQ","key":"ACCOUNT_ID","values":["111122223333"]}},
	                     {"tagCriterion":{"comparator":"EQ","tagValues":[{"key":"data","value":"pii"}]}}]},
	  "excludes":{"and":[{"simpleCriterion":{"comparator":"EQ","key":"S3_BUCKET_NAME","values":["scratch"]}}]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	c := j.BucketCriteria
	if c == nil || !c.Picks("exports", "111122223333", map[string]string{"data": "pii"}) ||
		c.Picks("scratch", "111122223333", map[string]string{"data": "pii"}) ||
		c.Picks("exports", "999", map[string]string{"data": "pii"}) || c.Picks("exports", "111122223333", nil) {
		t.Errorf("bucket criteria %+v decide wrongly", c)
	}
}

func TestFromMacieRejected(t *testing.T) {
	base := `"name":"j","jobType":"ONE_TIME","s3JobDefinition":{"bucketDefinitions":[{"accountId":"1","buckets":["b"]}]}`
	for _, c := range []struct{ json, want string }{
		{`{` + base + `,"color":"red","s3JobDefinition2":1}`, "color, s3JobDefinition2"},
		{`{"name":"j","jobType":"ONE_TIME","s3JobDefinition":{"bucketDefinitions":[{"accountId":"1","buckets":["b"],"region":"x"}]}}`, "s3JobDefinition.bucketDefinitions[].region"},
		{`{` + base + `,"customDataIdentifierIds":["abc"]}`, "--custom-identifiers"},
		{`{` + base + `,"allowListIds":["abc"]}`, "--allow-list"},
		{`{"name":"j","jobType":"SOMETIMES","s3JobDefinition":{"bucketDefinitions":[{"buckets":["b"]}]}}`, "ONE_TIME or SCHEDULED"},
		{`{"name":"j","jobType":"SCHEDULED","s3JobDefinition":{"bucketDefinitions":[{"buckets":["b"]}]}}`, "needs scheduleFrequency"},
		{`{"name":"j","jobType":"SCHEDULED","scheduleFrequency":{"dailySchedule":{},"monthlySchedule":{"dayOfMonth":1}},"s3JobDefinition":{"bucketDefinitions":[{"buckets":["b"]}]}}`, "exactly one of dailySchedule"},
		{`{"name":"j","jobType":"SCHEDULED","scheduleFrequency":{"monthlySchedule":{"dayOfMonth":32}},"s3JobDefinition":{"bucketDefinitions":[{"buckets":["b"]}]}}`, "1 to 31"},
		{`{"name":"j","jobType":"SCHEDULED","scheduleFrequency":{"weeklySchedule":{"dayOfWeek":"FUNDAY"}},"s3JobDefinition":{"bucketDefinitions":[{"buckets":["b"]}]}}`, "SUNDAY to SATURDAY"},
		{`{"name":"j","jobType":"ONE_TIME","scheduleFrequency":{"dailySchedule":{}},"s3JobDefinition":{"bucketDefinitions":[{"buckets":["b"]}]}}`, "not ONE_TIME"},
		{`{"name":"j","jobType":"ONE_TIME"}`, "s3JobDefinition is required"},
		{`{"name":"j","jobType":"ONE_TIME","s3JobDefinition":{}}`, "exactly one of bucketDefinitions"},
		{`{"name":"j","jobType":"ONE_TIME","s3JobDefinition":{"bucketCriteria":{"includes":{"and":[{"simpleCriterion":{"comparator":"EQ","key":"S3_BUCKET_EFFECTIVE_PERMISSION","values":["PUBLIC"]}}]}}}}`, "bucket inventory"},
		{`{"name":"j","jobType":"ONE_TIME","s3JobDefinition":{"bucketCriteria":{"includes":{"and":[{"simpleCriterion":{"comparator":"EQ","key":"S3_BUCKET_SHARED_ACCESS","values":["EXTERNAL"]}}]}}}}`, "bucket inventory"},
		{`{"name":"j","jobType":"ONE_TIME","s3JobDefinition":{"bucketCriteria":{"includes":{"and":[{"simpleCriterion":{"comparator":"CONTAINS","key":"S3_BUCKET_NAME","values":["x"]}}]}}}}`, "EQ or NE"},
		{`{` + base[:len(base)-1] + `,"scoping":{"includes":{"and":[{"simpleScopeTerm":{"comparator":"EQ","key":"TAG","values":["x"]}}]}}}}`, "tagScopeTerm"},
		{`{` + base[:len(base)-1] + `,"scoping":{"includes":{"and":[{"simpleScopeTerm":{"comparator":"GT","key":"OBJECT_EXTENSION","values":["x"]}}]}}}}`, "use EQ, NE"},
		{`{` + base + `,"managedDataIdentifierSelector":"SOME"}`, "use ALL, EXCLUDE"},
		{`{` + base + `,"managedDataIdentifierSelector":"ALL","managedDataIdentifierIds":["NAME"]}`, "INCLUDE or EXCLUDE"},
		{`{` + base + `,"managedDataIdentifierSelector":"NONE"}`, "needs custom identifiers"},
		{`{` + base + `,"samplingPercentage":0}`, "sampling"},
		{`{"jobType":"ONE_TIME","s3JobDefinition":{"bucketDefinitions":[{"buckets":["b"]}]}}`, "needs a name"},
		{`[1]`, "not a CreateClassificationJob request"},
	} {
		if _, err := FromMacie([]byte(c.json)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.json, err, c.want)
		}
	}
}
