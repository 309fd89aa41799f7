package jobs

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Scope keys and comparators, Macie's names.
const (
	KeyExtension    = "OBJECT_EXTENSION"
	KeyPrefix       = "OBJECT_KEY"
	KeyLastModified = "OBJECT_LAST_MODIFIED_DATE"
	KeySize         = "OBJECT_SIZE"
	KeyTag          = "TAG"
)

// comparators allowed per key (Macie's ScopeFilterKey rules).
var comparators = map[string][]string{
	KeyExtension:    {"EQ", "NE"},
	KeyPrefix:       {"STARTS_WITH"},
	KeyLastModified: {"EQ", "NE", "GT", "GTE", "LT", "LTE", "STARTS_WITH"},
	KeySize:         {"EQ", "NE", "GT", "GTE", "LT", "LTE", "STARTS_WITH"},
	KeyTag:          {"EQ", "NE"},
}

// Scoping is Macie's object scope: an object is in scope when it meets
// every include term and no exclude term. Within a term, values are ORed.
type Scoping struct {
	Includes []Term `json:"includes,omitempty"`
	Excludes []Term `json:"excludes,omitempty"`
}

// Term is one condition: a simpleScopeTerm, or a tagScopeTerm (Key TAG).
type Term struct {
	Key        string     `json:"key"`
	Comparator string     `json:"comparator"`
	Values     []string   `json:"values,omitempty"`
	Tags       []TagValue `json:"tagValues,omitempty"`

	// Parsed forms of Values, for size and date terms.
	num  int64
	date time.Time
}

// TagValue is a tag condition; an empty Value matches the key alone.
type TagValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Validate checks every term against Macie's rules and readies it.
func (s *Scoping) Validate() error {
	for _, side := range []struct {
		name  string
		terms []Term
	}{{"includes", s.Includes}, {"excludes", s.Excludes}} {
		for i := range side.terms {
			if err := side.terms[i].ready(); err != nil {
				return fmt.Errorf("scoping.%s[%d]: %w", side.name, i, err)
			}
		}
	}
	return nil
}

func (t *Term) ready() error {
	allowed, ok := comparators[t.Key]
	if !ok {
		return fmt.Errorf("key %q: use OBJECT_EXTENSION, OBJECT_KEY, OBJECT_LAST_MODIFIED_DATE, OBJECT_SIZE or TAG", t.Key)
	}
	if !slices.Contains(allowed, t.Comparator) || t.Comparator == "STARTS_WITH" && t.Key != KeyPrefix {
		ok := allowed
		if t.Key != KeyPrefix {
			ok = slices.DeleteFunc(slices.Clone(allowed), func(c string) bool { return c == "STARTS_WITH" })
		}
		return fmt.Errorf("%s does not take comparator %q: use %s", t.Key, t.Comparator, strings.Join(ok, ", "))
	}
	switch t.Key {
	case KeyTag:
		if len(t.Tags) == 0 {
			return fmt.Errorf("a TAG term needs tagValues")
		}
		for _, tv := range t.Tags {
			if tv.Key == "" {
				return fmt.Errorf("a TAG term's tagValues need a key")
			}
		}
		return nil
	case KeyExtension, KeyPrefix:
		if len(t.Values) == 0 {
			return fmt.Errorf("%s needs at least one value", t.Key)
		}
		return nil
	}
	if len(t.Values) != 1 {
		return fmt.Errorf("%s takes exactly one value, got %d", t.Key, len(t.Values))
	}
	var err error
	if t.Key == KeySize {
		if t.num, err = strconv.ParseInt(t.Values[0], 10, 64); err != nil || t.num < 0 {
			return fmt.Errorf("OBJECT_SIZE value %q is not a number of bytes", t.Values[0])
		}
		return nil
	}
	if t.date, err = time.Parse(time.RFC3339, t.Values[0]); err != nil {
		return fmt.Errorf("OBJECT_LAST_MODIFIED_DATE value %q is not an ISO 8601 UTC time such as 2026-01-01T00:00:00Z", t.Values[0])
	}
	return nil
}

// NeedsTags reports whether deciding needs an object's tags.
func (s *Scoping) NeedsTags() bool {
	for _, t := range append(slices.Clone(s.Includes), s.Excludes...) {
		if t.Key == KeyTag {
			return true
		}
	}
	return false
}

// Listed decides what can be decided without tags: false when a key,
// size or date term rules the object out.
func (s *Scoping) Listed(key string, size int64, modified time.Time) bool {
	return s.decide(key, size, modified, nil, false)
}

// Match decides with the object's tags as well.
func (s *Scoping) Match(key string, size int64, modified time.Time, tags map[string]string) bool {
	return s.decide(key, size, modified, tags, true)
}

func (s *Scoping) decide(key string, size int64, modified time.Time, tags map[string]string, withTags bool) bool {
	for _, t := range s.Includes {
		if t.Key == KeyTag && !withTags {
			continue
		}
		if !t.holds(key, size, modified, tags) {
			return false
		}
	}
	for _, t := range s.Excludes {
		if t.Key == KeyTag && !withTags {
			continue
		}
		if t.holds(key, size, modified, tags) {
			return false
		}
	}
	return true
}

// holds evaluates the term on an object.
func (t *Term) holds(key string, size int64, modified time.Time, tags map[string]string) bool {
	switch t.Key {
	case KeyExtension:
		ext := strings.TrimPrefix(path.Ext(key), ".")
		in := slices.ContainsFunc(t.Values, func(v string) bool { return strings.TrimPrefix(v, ".") == ext })
		return in == (t.Comparator == "EQ")
	case KeyPrefix:
		return slices.ContainsFunc(t.Values, func(v string) bool { return strings.HasPrefix(key, v) })
	case KeySize:
		return compare(t.Comparator, cmpInt(size, t.num))
	case KeyLastModified:
		return compare(t.Comparator, modified.Truncate(time.Second).Compare(t.date))
	case KeyTag:
		in := slices.ContainsFunc(t.Tags, func(tv TagValue) bool {
			v, ok := tags[tv.Key]
			return ok && (tv.Value == "" || v == tv.Value)
		})
		return in == (t.Comparator == "EQ")
	}
	return false
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compare(op string, c int) bool {
	switch op {
	case "EQ":
		return c == 0
	case "NE":
		return c != 0
	case "GT":
		return c > 0
	case "GTE":
		return c >= 0
	case "LT":
		return c < 0
	case "LTE":
		return c <= 0
	}
	return false
}
