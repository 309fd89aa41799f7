package s3source

import (
	"crypto/sha256"
	"encoding/binary"
	"path"
	"strings"
	"time"
)

// Scope is Macie's object scope for a scan: which listed objects are
// scanned. Exclusions beat inclusions; an empty inclusion list includes
// everything.
type Scope struct {
	IncludeExt, ExcludeExt        []string // without the dot, case-insensitive
	IncludePrefix, ExcludePrefix  []string // case-sensitive, against the whole key
	MinSize, MaxSize              int64    // MaxSize 0: no limit
	ModifiedAfter, ModifiedBefore time.Time
	IncludeTags, ExcludeTags      []Tag
	SamplingPercent               float64 // 0 or 100: every object
	Seed                          int64
	MaxObjects                    int // 0: no limit
}

// Tag is a tag condition: the key, and the value unless AnyValue.
type Tag struct {
	Key, Value string
	AnyValue   bool
}

// NeedsTags reports whether the scope filters on tags, which costs a
// GetObjectTagging request per object.
func (s *Scope) NeedsTags() bool { return len(s.IncludeTags)+len(s.ExcludeTags) > 0 }

// Listed decides on what the listing alone says: key, size and time.
func (s *Scope) Listed(key string, size int64, modified time.Time) bool {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(key), "."))
	if matchExt(s.ExcludeExt, ext) || hasPrefix(s.ExcludePrefix, key) {
		return false
	}
	if len(s.IncludeExt) > 0 && !matchExt(s.IncludeExt, ext) {
		return false
	}
	if len(s.IncludePrefix) > 0 && !hasPrefix(s.IncludePrefix, key) {
		return false
	}
	if size < s.MinSize || s.MaxSize > 0 && size > s.MaxSize {
		return false
	}
	if !s.ModifiedAfter.IsZero() && modified.Before(s.ModifiedAfter) {
		return false
	}
	if !s.ModifiedBefore.IsZero() && !modified.Before(s.ModifiedBefore) {
		return false
	}
	return s.sampled(key)
}

// Tagged decides on an object's tags.
func (s *Scope) Tagged(tags map[string]string) bool {
	for _, t := range s.ExcludeTags {
		if t.matches(tags) {
			return false
		}
	}
	if len(s.IncludeTags) == 0 {
		return true
	}
	for _, t := range s.IncludeTags {
		if t.matches(tags) {
			return true
		}
	}
	return false
}

func (t Tag) matches(tags map[string]string) bool {
	v, ok := tags[t.Key]
	return ok && (t.AnyValue || v == t.Value)
}

// sampled picks a deterministic share of keys: the same seed picks the
// same objects on every run, and a different seed a different sample.
func (s *Scope) sampled(key string) bool {
	if s.SamplingPercent <= 0 || s.SamplingPercent >= 100 {
		return true
	}
	var seed [8]byte
	binary.BigEndian.PutUint64(seed[:], uint64(s.Seed))
	h := sha256.New()
	h.Write(seed[:])
	h.Write([]byte(key))
	sum := h.Sum(nil)
	x := binary.BigEndian.Uint64(sum[:8])
	return float64(x)/float64(^uint64(0)) < s.SamplingPercent/100
}

func matchExt(list []string, ext string) bool {
	for _, e := range list {
		if strings.EqualFold(strings.TrimPrefix(e, "."), ext) {
			return true
		}
	}
	return false
}

func hasPrefix(list []string, key string) bool {
	for _, p := range list {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}
