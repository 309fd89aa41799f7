package jobs

import (
	"strings"
	"testing"
	"time"
)

// obj is an object as the scope sees it.
type obj struct {
	key      string
	size     int64
	modified time.Time
	tags     map[string]string
}

func TestScopeTerms(t *testing.T) {
	day := ts("2026-03-10T12:00:00Z")
	objs := map[string]obj{
		"csv":   {"exports/a.csv", 100, day, nil},
		"json":  {"exports/b.json", 1000, day.Add(time.Hour), map[string]string{"env": "prod"}},
		"CSV":   {"tmp/c.CSV", 10, day.Add(-time.Hour), map[string]string{"env": "dev", "skip": "yes"}},
		"noext": {"logs/noext", 0, day.Add(500 * time.Millisecond), map[string]string{"skip": ""}},
	}
	for _, c := range []struct {
		term Term
		want string // the objects the term holds for, in order
	}{
		{Term{Key: KeyExtension, Comparator: "EQ", Values: []string{"csv", "json"}}, "csv json"},
		{Term{Key: KeyExtension, Comparator: "NE", Values: []string{"csv"}}, "json CSV noext"}, // case-sensitive
		{Term{Key: KeyPrefix, Comparator: "STARTS_WITH", Values: []string{"exports/", "logs/"}}, "csv json noext"},
		{Term{Key: KeySize, Comparator: "EQ", Values: []string{"100"}}, "csv"},
		{Term{Key: KeySize, Comparator: "NE", Values: []string{"100"}}, "json CSV noext"},
		{Term{Key: KeySize, Comparator: "GT", Values: []string{"100"}}, "json"},
		{Term{Key: KeySize, Comparator: "GTE", Values: []string{"100"}}, "csv json"},
		{Term{Key: KeySize, Comparator: "LT", Values: []string{"100"}}, "CSV noext"},
		{Term{Key: KeySize, Comparator: "LTE", Values: []string{"100"}}, "csv CSV noext"},
		// Dates compare to the second, as S3 lists them.
		{Term{Key: KeyLastModified, Comparator: "EQ", Values: []string{"2026-03-10T12:00:00Z"}}, "csv noext"},
		{Term{Key: KeyLastModified, Comparator: "NE", Values: []string{"2026-03-10T12:00:00Z"}}, "json CSV"},
		{Term{Key: KeyLastModified, Comparator: "GT", Values: []string{"2026-03-10T12:00:00Z"}}, "json"},
		{Term{Key: KeyLastModified, Comparator: "GTE", Values: []string{"2026-03-10T12:00:00Z"}}, "csv json noext"},
		{Term{Key: KeyLastModified, Comparator: "LT", Values: []string{"2026-03-10T12:00:00Z"}}, "CSV"},
		{Term{Key: KeyLastModified, Comparator: "LTE", Values: []string{"2026-03-10T12:00:00Z"}}, "csv CSV noext"},
		{Term{Key: KeyTag, Comparator: "EQ", Tags: []TagValue{{"env", "prod"}, {"skip", ""}}}, "json CSV noext"},
		{Term{Key: KeyTag, Comparator: "NE", Tags: []TagValue{{"env", "prod"}}}, "csv CSV noext"},
	} {
		name := c.term.Key + " " + c.term.Comparator
		s := Scoping{Includes: []Term{c.term}}
		if err := s.Validate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []string
		for _, k := range []string{"csv", "json", "CSV", "noext"} {
			o := objs[k]
			if s.Match(o.key, o.size, o.modified, o.tags) {
				got = append(got, k)
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("include %s %v: %v, want %s", name, c.term.Values, got, c.want)
		}
		// The same term as an exclusion takes the others.
		ex := Scoping{Excludes: []Term{c.term}}
		ex.Validate()
		n := 0
		for _, k := range []string{"csv", "json", "CSV", "noext"} {
			o := objs[k]
			if ex.Match(o.key, o.size, o.modified, o.tags) {
				n++
			}
		}
		if n != 4-len(got) {
			t.Errorf("exclude %s: %d objects in scope, want %d", name, n, 4-len(got))
		}
	}
}

// TestScopeWithoutTags: a listing decides every term but the tag terms.
func TestScopeWithoutTags(t *testing.T) {
	s := Scoping{Includes: []Term{{Key: KeyTag, Comparator: "EQ", Tags: []TagValue{{"env", "prod"}}},
		{Key: KeyExtension, Comparator: "EQ", Values: []string{"csv"}}}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if !s.NeedsTags() || !s.Listed("a.csv", 1, time.Time{}) || s.Listed("a.txt", 1, time.Time{}) {
		t.Error("Listed must decide on the extension and leave the tag for later")
	}
	if s.Match("a.csv", 1, time.Time{}, map[string]string{"env": "dev"}) {
		t.Error("Match ignored the tag")
	}
}

func TestScopeRejected(t *testing.T) {
	for _, c := range []struct {
		term Term
		want string
	}{
		{Term{Key: "OBJECT_NAME", Comparator: "EQ", Values: []string{"x"}}, "use OBJECT_EXTENSION"},
		{Term{Key: KeyExtension, Comparator: "GT", Values: []string{"x"}}, "use EQ, NE"},
		{Term{Key: KeyExtension, Comparator: "STARTS_WITH", Values: []string{"x"}}, "use EQ, NE"},
		{Term{Key: KeyExtension, Comparator: "CONTAINS", Values: []string{"x"}}, "use EQ, NE"},
		{Term{Key: KeyPrefix, Comparator: "EQ", Values: []string{"x"}}, "use STARTS_WITH"},
		{Term{Key: KeySize, Comparator: "CONTAINS", Values: []string{"1"}}, "use EQ, NE, GT, GTE, LT, LTE"},
		{Term{Key: KeySize, Comparator: "STARTS_WITH", Values: []string{"1"}}, "use EQ, NE, GT"},
		{Term{Key: KeyLastModified, Comparator: "CONTAINS", Values: []string{"2026-01-01T00:00:00Z"}}, "use EQ"},
		{Term{Key: KeyTag, Comparator: "GT", Tags: []TagValue{{"a", "b"}}}, "use EQ, NE"},
		{Term{Key: KeyTag, Comparator: "EQ"}, "needs tagValues"},
		{Term{Key: KeyTag, Comparator: "EQ", Tags: []TagValue{{"", "b"}}}, "need a key"},
		{Term{Key: KeyExtension, Comparator: "EQ"}, "at least one value"},
		{Term{Key: KeySize, Comparator: "GT", Values: []string{"1", "2"}}, "exactly one value"},
		{Term{Key: KeySize, Comparator: "GT", Values: []string{"10MB"}}, "number of bytes"},
		{Term{Key: KeySize, Comparator: "GT", Values: []string{"-1"}}, "number of bytes"},
		{Term{Key: KeyLastModified, Comparator: "GT", Values: []string{"2026-01-01"}}, "ISO 8601"},
	} {
		s := Scoping{Excludes: []Term{c.term}}
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "scoping.excludes[0]") {
			t.Errorf("%+v: error %v, want one naming scoping.excludes[0] and saying %q", c.term, err, c.want)
		}
	}
}
