package jobs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// macieRequest is Macie's CreateClassificationJob request, as the AWS CLI
// takes it (--cli-input-json).
type macieRequest struct {
	ClientToken                   string            `json:"clientToken"`
	Name                          string            `json:"name"`
	Description                   string            `json:"description"`
	JobType                       string            `json:"jobType"`
	ScheduleFrequency             *macieSchedule    `json:"scheduleFrequency"`
	InitialRun                    *bool             `json:"initialRun"`
	SamplingPercentage            *float64          `json:"samplingPercentage"`
	ManagedDataIdentifierSelector string            `json:"managedDataIdentifierSelector"`
	ManagedDataIdentifierIDs      []string          `json:"managedDataIdentifierIds"`
	CustomDataIdentifierIDs       []string          `json:"customDataIdentifierIds"`
	AllowListIDs                  []string          `json:"allowListIds"`
	Tags                          map[string]string `json:"tags"`
	S3JobDefinition               *struct {
		BucketDefinitions []struct {
			AccountID string   `json:"accountId"`
			Buckets   []string `json:"buckets"`
		} `json:"bucketDefinitions"`
		BucketCriteria *struct {
			Includes *macieBucketAnd `json:"includes"`
			Excludes *macieBucketAnd `json:"excludes"`
		} `json:"bucketCriteria"`
		Scoping *struct {
			Includes *macieScopeAnd `json:"includes"`
			Excludes *macieScopeAnd `json:"excludes"`
		} `json:"scoping"`
	} `json:"s3JobDefinition"`
}

type macieSchedule struct {
	DailySchedule  *struct{} `json:"dailySchedule"`
	WeeklySchedule *struct {
		DayOfWeek string `json:"dayOfWeek"`
	} `json:"weeklySchedule"`
	MonthlySchedule *struct {
		DayOfMonth int `json:"dayOfMonth"`
	} `json:"monthlySchedule"`
}

type macieScopeAnd struct {
	And []struct {
		SimpleScopeTerm *struct {
			Comparator string   `json:"comparator"`
			Key        string   `json:"key"`
			Values     []string `json:"values"`
		} `json:"simpleScopeTerm"`
		TagScopeTerm *struct {
			Comparator string     `json:"comparator"`
			Key        string     `json:"key"`
			TagValues  []TagValue `json:"tagValues"`
			Target     string     `json:"target"`
		} `json:"tagScopeTerm"`
	} `json:"and"`
}

type macieBucketAnd struct {
	And []struct {
		SimpleCriterion *struct {
			Comparator string   `json:"comparator"`
			Key        string   `json:"key"`
			Values     []string `json:"values"`
		} `json:"simpleCriterion"`
		TagCriterion *struct {
			Comparator string     `json:"comparator"`
			TagValues  []TagValue `json:"tagValues"`
		} `json:"tagCriterion"`
	} `json:"and"`
}

// FromMacie reads Macie's CreateClassificationJob request JSON into a job.
// Fields trawl does not know are errors that name them. Macie's custom
// identifiers and allow lists are named by IDs in Macie's account, which
// trawl cannot read: give their definitions as files instead (the job's
// Custom and AllowLists).
func FromMacie(data []byte) (*Job, error) {
	if unknown := unknownFields(data); len(unknown) > 0 {
		return nil, fmt.Errorf("fields trawl does not support in a Macie job request: %s", strings.Join(unknown, ", "))
	}
	var r macieRequest
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("not a CreateClassificationJob request: %w", err)
	}
	if len(r.CustomDataIdentifierIDs) > 0 {
		return nil, errors.New("customDataIdentifierIds name identifiers in Macie's account, which trawl cannot read: drop the field and give their definitions with --custom-identifiers FILE")
	}
	if len(r.AllowListIDs) > 0 {
		return nil, errors.New("allowListIds name allow lists in Macie's account, which trawl cannot read: drop the field and give the lists with --allow-list FILE")
	}
	j := &Job{Name: r.Name, Description: r.Description, Managed: r.ManagedDataIdentifierSelector,
		ManagedIDs: r.ManagedDataIdentifierIDs, Sampling: 100, InitialRun: true, Tags: r.Tags, ClientToken: r.ClientToken}
	if j.Managed == "" {
		j.Managed = "ALL" // the API's default when the field is omitted
	}
	if r.SamplingPercentage != nil {
		j.Sampling = *r.SamplingPercentage
	}
	switch r.JobType {
	case "ONE_TIME":
		if r.ScheduleFrequency != nil {
			return nil, errors.New("scheduleFrequency goes with jobType SCHEDULED, not ONE_TIME")
		}
		j.Schedule = Schedule{Frequency: Once}
	case "SCHEDULED":
		sc, err := r.ScheduleFrequency.schedule()
		if err != nil {
			return nil, err
		}
		j.Schedule = sc
		if r.InitialRun != nil {
			j.InitialRun = *r.InitialRun
		}
	default:
		return nil, fmt.Errorf("jobType %q: use ONE_TIME or SCHEDULED", r.JobType)
	}
	if r.S3JobDefinition == nil {
		return nil, errors.New("s3JobDefinition is required: bucketDefinitions or bucketCriteria")
	}
	def := r.S3JobDefinition
	if (len(def.BucketDefinitions) > 0) == (def.BucketCriteria != nil) {
		return nil, errors.New("s3JobDefinition needs exactly one of bucketDefinitions and bucketCriteria")
	}
	for _, bd := range def.BucketDefinitions {
		if bd.AccountID != "" && !slices.Contains(j.AccountIDs, bd.AccountID) {
			j.AccountIDs = append(j.AccountIDs, bd.AccountID)
		}
		for _, b := range bd.Buckets {
			j.Targets = append(j.Targets, "s3://"+b)
		}
	}
	if c := def.BucketCriteria; c != nil {
		j.BucketCriteria = &BucketCriteria{}
		if c.Includes != nil {
			j.BucketCriteria.Includes = c.Includes.terms()
		}
		if c.Excludes != nil {
			j.BucketCriteria.Excludes = c.Excludes.terms()
		}
	}
	if s := def.Scoping; s != nil {
		var err error
		if s.Includes != nil {
			if j.Scoping.Includes, err = s.Includes.terms("includes"); err != nil {
				return nil, err
			}
		}
		if s.Excludes != nil {
			if j.Scoping.Excludes, err = s.Excludes.terms("excludes"); err != nil {
				return nil, err
			}
		}
	}
	if err := j.Validate(); err != nil {
		return nil, err
	}
	return j, nil
}

func (s *macieSchedule) schedule() (Schedule, error) {
	if s == nil {
		return Schedule{}, errors.New("jobType SCHEDULED needs scheduleFrequency: dailySchedule, weeklySchedule or monthlySchedule")
	}
	n := 0
	var sc Schedule
	if s.DailySchedule != nil {
		n++
		sc = Schedule{Frequency: Daily}
	}
	if s.WeeklySchedule != nil {
		n++
		d, ok := weekday(s.WeeklySchedule.DayOfWeek)
		if !ok {
			return sc, fmt.Errorf("weeklySchedule.dayOfWeek %q: use SUNDAY to SATURDAY", s.WeeklySchedule.DayOfWeek)
		}
		sc = Schedule{Frequency: Weekly, Weekday: d}
	}
	if s.MonthlySchedule != nil {
		n++
		if d := s.MonthlySchedule.DayOfMonth; d < 1 || d > 31 {
			return sc, fmt.Errorf("monthlySchedule.dayOfMonth %d: use 1 to 31", d)
		}
		sc = Schedule{Frequency: Monthly, DayOfMonth: s.MonthlySchedule.DayOfMonth}
	}
	if n != 1 {
		return sc, errors.New("scheduleFrequency needs exactly one of dailySchedule, weeklySchedule and monthlySchedule")
	}
	return sc, nil
}

func (a *macieScopeAnd) terms(side string) ([]Term, error) {
	var out []Term
	for i, c := range a.And {
		switch {
		case c.SimpleScopeTerm != nil && c.TagScopeTerm == nil:
			s := c.SimpleScopeTerm
			if s.Key == KeyTag {
				return nil, fmt.Errorf("scoping.%s.and[%d]: TAG goes in a tagScopeTerm, not a simpleScopeTerm", side, i)
			}
			out = append(out, Term{Key: s.Key, Comparator: s.Comparator, Values: s.Values})
		case c.TagScopeTerm != nil && c.SimpleScopeTerm == nil:
			t := c.TagScopeTerm
			if t.Key != KeyTag || (t.Target != "" && t.Target != "S3_OBJECT") {
				return nil, fmt.Errorf("scoping.%s.and[%d]: a tagScopeTerm has key TAG and target S3_OBJECT", side, i)
			}
			out = append(out, Term{Key: KeyTag, Comparator: t.Comparator, Tags: t.TagValues})
		default:
			return nil, fmt.Errorf("scoping.%s.and[%d]: give one simpleScopeTerm or one tagScopeTerm", side, i)
		}
	}
	return out, nil
}

func (a *macieBucketAnd) terms() []BucketTerm {
	var out []BucketTerm
	for _, c := range a.And {
		if s := c.SimpleCriterion; s != nil {
			out = append(out, BucketTerm{Key: s.Key, Comparator: s.Comparator, Values: s.Values})
		}
		if t := c.TagCriterion; t != nil {
			out = append(out, BucketTerm{Comparator: t.Comparator, Tags: t.TagValues})
		}
	}
	return out
}

// unknownFields lists the JSON paths in data that macieRequest does not
// have, all of them (json's DisallowUnknownFields stops at the first).
func unknownFields(data []byte) []string {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return nil // the decode that follows says what is wrong
	}
	var out []string
	walkUnknown(v, requestShape, "", &out)
	return out
}

// shape is the set of field names at each level of the request (nil: any
// value, such as tags).
type shape map[string]shape

var tagValuesShape = shape{"[]": shape{"key": nil, "value": nil}}

var requestShape = shape{
	"clientToken": nil, "name": nil, "description": nil, "jobType": nil, "initialRun": nil,
	"samplingPercentage": nil, "managedDataIdentifierSelector": nil, "managedDataIdentifierIds": nil,
	"customDataIdentifierIds": nil, "allowListIds": nil, "tags": nil,
	"scheduleFrequency": shape{"dailySchedule": shape{}, "weeklySchedule": shape{"dayOfWeek": nil},
		"monthlySchedule": shape{"dayOfMonth": nil}},
	"s3JobDefinition": shape{
		"bucketDefinitions": shape{"[]": shape{"accountId": nil, "buckets": nil}},
		"bucketCriteria": shape{
			"includes": shape{"and": shape{"[]": bucketTermShape}},
			"excludes": shape{"and": shape{"[]": bucketTermShape}},
		},
		"scoping": shape{
			"includes": shape{"and": shape{"[]": scopeTermShape}},
			"excludes": shape{"and": shape{"[]": scopeTermShape}},
		},
	},
}

var bucketTermShape = shape{
	"simpleCriterion": shape{"comparator": nil, "key": nil, "values": nil},
	"tagCriterion":    shape{"comparator": nil, "tagValues": tagValuesShape},
}

var scopeTermShape = shape{
	"simpleScopeTerm": shape{"comparator": nil, "key": nil, "values": nil},
	"tagScopeTerm":    shape{"comparator": nil, "key": nil, "tagValues": tagValuesShape, "target": nil},
}

func walkUnknown(v any, s shape, at string, out *[]string) {
	if s == nil {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			sub, ok := s[k]
			if !ok {
				*out = append(*out, strings.TrimPrefix(at+"."+k, "."))
				continue
			}
			walkUnknown(child, sub, at+"."+k, out)
		}
	case []any:
		if el, ok := s["[]"]; ok {
			for _, child := range v {
				walkUnknown(child, el, at+"[]", out)
			}
		}
	}
	slices.Sort(*out)
}
