package jobs

import (
	"fmt"
	"slices"
)

// BucketCriteria is Macie's bucketCriteria: which buckets a run scans,
// decided when it starts.
type BucketCriteria struct {
	Includes []BucketTerm `json:"includes,omitempty"`
	Excludes []BucketTerm `json:"excludes,omitempty"`
}

// BucketTerm is a simpleCriterion, or a tagCriterion (Tags set).
type BucketTerm struct {
	Key        string     `json:"key,omitempty"`
	Comparator string     `json:"comparator"`
	Values     []string   `json:"values,omitempty"`
	Tags       []TagValue `json:"tagValues,omitempty"`
}

// bucketKeys are the criteria keys a run can decide from what ListBuckets
// and GetBucketTagging say; the others need a bucket inventory.
var bucketKeys = []string{"ACCOUNT_ID", "S3_BUCKET_NAME"}

func (c *BucketCriteria) validate() error {
	for _, side := range [][]BucketTerm{c.Includes, c.Excludes} {
		for _, t := range side {
			if t.Comparator != "EQ" && t.Comparator != "NE" {
				return fmt.Errorf("bucketCriteria comparator %q: use EQ or NE", t.Comparator)
			}
			if len(t.Tags) > 0 {
				continue
			}
			switch {
			case t.Key == "S3_BUCKET_EFFECTIVE_PERMISSION" || t.Key == "S3_BUCKET_SHARED_ACCESS":
				return fmt.Errorf("bucketCriteria key %s needs a bucket inventory, which trawl does not keep yet: name the buckets (bucketDefinitions or --target)", t.Key)
			case !slices.Contains(bucketKeys, t.Key):
				return fmt.Errorf("bucketCriteria key %q: use ACCOUNT_ID or S3_BUCKET_NAME, or a tagCriterion", t.Key)
			case len(t.Values) == 0:
				return fmt.Errorf("bucketCriteria %s needs values", t.Key)
			}
		}
	}
	return nil
}

// Picks reports whether a bucket with this name, owner account and tags
// is in the criteria: every include holds and no exclude does.
func (c *BucketCriteria) Picks(name, account string, tags map[string]string) bool {
	for _, t := range c.Includes {
		if !t.holds(name, account, tags) {
			return false
		}
	}
	for _, t := range c.Excludes {
		if t.holds(name, account, tags) {
			return false
		}
	}
	return true
}

func (t BucketTerm) holds(name, account string, tags map[string]string) bool {
	var in bool
	switch {
	case len(t.Tags) > 0:
		in = slices.ContainsFunc(t.Tags, func(tv TagValue) bool {
			v, ok := tags[tv.Key]
			return ok && (tv.Value == "" || v == tv.Value)
		})
	case t.Key == "S3_BUCKET_NAME":
		in = slices.Contains(t.Values, name)
	case t.Key == "ACCOUNT_ID":
		in = slices.Contains(t.Values, account)
	}
	return in == (t.Comparator == "EQ")
}
