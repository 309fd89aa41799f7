package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Criteria is Macie's FindingCriteria: conditions on finding fields, by
// Macie's field names, all of which must hold.
type Criteria struct {
	Criterion map[string]Condition `json:"criterion"`
}

// Condition is Macie's CriterionAdditionalProperties. Eq and Neq are
// joined with OR, EqExactMatch with AND; the comparisons take numbers, or
// for dates epoch milliseconds or RFC 3339 text.
type Condition struct {
	Eq           []string `json:"eq,omitempty"`
	Neq          []string `json:"neq,omitempty"`
	EqExactMatch []string `json:"eqExactMatch,omitempty"`
	Gt           *Bound   `json:"gt,omitempty"`
	Gte          *Bound   `json:"gte,omitempty"`
	Lt           *Bound   `json:"lt,omitempty"`
	Lte          *Bound   `json:"lte,omitempty"`
}

// Bound is a comparison's operand: a number (epoch milliseconds for dates)
// or RFC 3339 text for a date.
type Bound struct{ raw string }

// Int returns a bound as an integer: a date's text becomes epoch ms.
func (b *Bound) Int() (int64, error) {
	s := strings.Trim(b.raw, `"`)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UnixMilli(), nil
	}
	return 0, fmt.Errorf("%s is neither a number (epoch milliseconds for a date) nor an RFC 3339 time", b.raw)
}

// Millis is a bound for a time.
func Millis(t time.Time) *Bound { return &Bound{raw: strconv.FormatInt(t.UnixMilli(), 10)} }

func (b *Bound) UnmarshalJSON(p []byte) error {
	b.raw = string(bytes.TrimSpace(p))
	_, err := b.Int()
	return err
}

func (b Bound) MarshalJSON() ([]byte, error) { return []byte(b.raw), nil }

// operators are Macie's condition names, in the order errors list them.
var operators = []string{"eq", "neq", "gt", "gte", "lt", "lte", "eqExactMatch"}

// ParseCriteria reads FindingCriteria JSON strictly: an unknown field or
// operator is an error that lists the valid ones.
func ParseCriteria(text string) (Criteria, error) {
	var raw struct {
		Criterion map[string]map[string]json.RawMessage `json:"criterion"`
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return Criteria{}, fmt.Errorf("criteria are not FindingCriteria JSON ({\"criterion\":{\"FIELD\":{\"eq\":[...]}}}): %w", err)
	}
	c := Criteria{Criterion: map[string]Condition{}}
	for name, ops := range raw.Criterion {
		if _, ok := fields[name]; !ok {
			return Criteria{}, unknownField(name)
		}
		for op := range ops {
			if !slices.Contains(operators, op) {
				return Criteria{}, fmt.Errorf("unknown operator %q on %s: use %s", op, name, strings.Join(operators, ", "))
			}
		}
		b, _ := json.Marshal(ops)
		var cond Condition
		if err := json.Unmarshal(b, &cond); err != nil {
			return Criteria{}, fmt.Errorf("criterion %s: %w", name, err)
		}
		c.Criterion[name] = cond
	}
	if _, err := compile(c, newArgs(sqliteDialect)); err != nil {
		return Criteria{}, err
	}
	return c, nil
}

func unknownField(name string) error {
	return fmt.Errorf("unknown finding field %q: use one of %s", name, strings.Join(FieldNames(), ", "))
}

// kind is how a field compares.
type kind int

const (
	text kind = iota
	number
	date
	boolean
	detection    // a value among the finding's detections (any of them)
	severityName // Low, Medium or High, compared as their scores
)

var severityScores = map[string]int{"Low": 1, "Medium": 2, "High": 3}

type field struct {
	column string // findings column, or for detection: the detections category test
	kind   kind
}

// fields maps Macie's finding field names to the store's columns. The
// detection fields are answered from the detections table.
var fields = map[string]field{
	"id":                                    {"f.id", text},
	"accountId":                             {"f.account_id", text},
	"region":                                {"f.region", text},
	"partition":                             {"f.partition_name", text},
	"category":                              {"f.category", text},
	"type":                                  {"f.type", text},
	"severity.description":                  {"f.severity_score", severityName}, // by rank: the current index serves it
	"severity.score":                        {"f.severity_score", number},
	"archived":                              {"f.archived", boolean},
	"createdAt":                             {"f.created_at", date},
	"updatedAt":                             {"f.created_at", date}, // sensitive data findings never change
	"resourcesAffected.s3Bucket.name":       {"f.bucket", text},
	"resourcesAffected.s3Object.key":        {"f.object_key", text},
	"resourcesAffected.s3Object.extension":  {"f.extension", text},
	"resourcesAffected.s3Object.size":       {"f.size", number},
	"classificationDetails.jobId":           {"f.job_id", text},
	"classificationDetails.result.mimeType": {"f.mime_type", text},
	"sensitiveData.category":                {"d.category <> 'CUSTOM_IDENTIFIER' AND d.category", detection},
	"sensitiveData.detections.type":         {"d.category <> 'CUSTOM_IDENTIFIER' AND d.type", detection},
	"customDataIdentifiers.detections.name": {"d.category = 'CUSTOM_IDENTIFIER' AND d.type", detection},
	"classificationDetails.result.sizeClassified": {"f.size_classified", number},
}

// FieldNames lists the fields criteria and sorting may name.
func FieldNames() []string {
	var names []string
	for n := range fields {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// args collects a statement's parameters, numbered for the dialect.
type args struct {
	d    dialect
	vals []any
}

func newArgs(d dialect) *args { return &args{d: d} }

func (a *args) add(v any) string {
	a.vals = append(a.vals, v)
	return a.d.param(len(a.vals))
}

func (a *args) list(vs []string, conv func(string) (any, error)) (string, error) {
	ps := make([]string, len(vs))
	for i, v := range vs {
		x, err := conv(v)
		if err != nil {
			return "", err
		}
		ps[i] = a.add(x)
	}
	return strings.Join(ps, ", "), nil
}

// compile turns criteria into a SQL condition on findings f (no rows are
// ever filtered in Go). The result is "" for no criteria.
func compile(c Criteria, a *args) (string, error) {
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(c.Criterion)) {
		cond := c.Criterion[name]
		fd, ok := fields[name]
		if !ok {
			return "", unknownField(name)
		}
		conv := func(s string) (any, error) { return s, nil }
		switch fd.kind {
		case number, date:
			conv = func(s string) (any, error) {
				return (&Bound{raw: s}).Int()
			}
		case severityName:
			conv = func(s string) (any, error) {
				if n, ok := severityScores[s]; ok {
					return n, nil
				}
				return nil, fmt.Errorf("%s takes Low, Medium or High, not %q", name, s)
			}
		case boolean:
			conv = func(s string) (any, error) {
				switch strings.ToLower(s) {
				case "true":
					return 1, nil
				case "false":
					return 0, nil
				}
				return nil, fmt.Errorf("%s takes true or false, not %q", name, s)
			}
		}
		if len(cond.EqExactMatch) > 0 {
			if fd.kind != detection {
				return "", fmt.Errorf("eqExactMatch is valid only on sensitiveData.category, sensitiveData.detections.type and customDataIdentifiers.detections.name, not %s", name)
			}
			for _, v := range cond.EqExactMatch {
				parts = append(parts, "EXISTS (SELECT 1 FROM trawl_detections d WHERE d.seq = f.seq AND "+fd.column+" = "+a.add(v)+")")
			}
		}
		if len(cond.Eq) > 0 {
			in, err := a.list(cond.Eq, conv)
			if err != nil {
				return "", fmt.Errorf("criterion %s: %w", name, err)
			}
			if fd.kind == detection {
				parts = append(parts, "EXISTS (SELECT 1 FROM trawl_detections d WHERE d.seq = f.seq AND "+fd.column+" IN ("+in+"))")
			} else {
				parts = append(parts, fd.column+" IN ("+in+")")
			}
		}
		if len(cond.Neq) > 0 {
			in, err := a.list(cond.Neq, conv)
			if err != nil {
				return "", fmt.Errorf("criterion %s: %w", name, err)
			}
			if fd.kind == detection {
				parts = append(parts, "NOT EXISTS (SELECT 1 FROM trawl_detections d WHERE d.seq = f.seq AND "+fd.column+" IN ("+in+"))")
			} else {
				parts = append(parts, fd.column+" NOT IN ("+in+")")
			}
		}
		for _, cmp := range []struct {
			b  *Bound
			op string
		}{{cond.Gt, ">"}, {cond.Gte, ">="}, {cond.Lt, "<"}, {cond.Lte, "<="}} {
			if cmp.b == nil {
				continue
			}
			if fd.kind != number && fd.kind != date {
				return "", fmt.Errorf("gt, gte, lt and lte compare numbers and dates; %s takes eq or neq", name)
			}
			n, err := cmp.b.Int()
			if err != nil {
				return "", fmt.Errorf("criterion %s: %w", name, err)
			}
			parts = append(parts, fd.column+" "+cmp.op+" "+a.add(n))
		}
	}
	return strings.Join(parts, " AND "), nil
}
