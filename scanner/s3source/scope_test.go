package s3source

import (
	"fmt"
	"testing"
	"time"
)

func TestScopeListed(t *testing.T) {
	jan := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		scope Scope
		key   string
		size  int64
		mod   time.Time
		want  bool
	}{
		{"empty scope takes all", Scope{}, "a/b.txt", 10, jan, true},
		{"include ext", Scope{IncludeExt: []string{"csv", ".JSON"}}, "x/data.json", 1, jan, true},
		{"include ext other", Scope{IncludeExt: []string{"csv"}}, "x/data.json", 1, jan, false},
		{"include ext none", Scope{IncludeExt: []string{"csv"}}, "x/README", 1, jan, false},
		{"exclude ext", Scope{ExcludeExt: []string{"log"}}, "app.LOG", 1, jan, false},
		{"exclude beats include ext", Scope{IncludeExt: []string{"log"}, ExcludeExt: []string{"log"}}, "a.log", 1, jan, false},
		{"include prefix", Scope{IncludePrefix: []string{"prod/"}}, "prod/x", 1, jan, true},
		{"include prefix miss", Scope{IncludePrefix: []string{"prod/"}}, "dev/prod/x", 1, jan, false},
		{"prefix is case-sensitive", Scope{IncludePrefix: []string{"Prod/"}}, "prod/x", 1, jan, false},
		{"exclude prefix beats include", Scope{IncludePrefix: []string{"prod/"}, ExcludePrefix: []string{"prod/tmp/"}}, "prod/tmp/x", 1, jan, false},
		{"min size", Scope{MinSize: 5}, "a", 4, jan, false},
		{"min size equal", Scope{MinSize: 5}, "a", 5, jan, true},
		{"max size", Scope{MaxSize: 5}, "a", 6, jan, false},
		{"max size equal", Scope{MaxSize: 5}, "a", 5, jan, true},
		{"modified after", Scope{ModifiedAfter: jan}, "a", 1, jan.Add(-time.Second), false},
		{"modified after equal", Scope{ModifiedAfter: jan}, "a", 1, jan, true},
		{"modified before", Scope{ModifiedBefore: jan}, "a", 1, jan, false},
		{"modified before earlier", Scope{ModifiedBefore: jan}, "a", 1, jan.Add(-time.Second), true},
	}
	for _, c := range cases {
		if got := c.scope.Listed(c.key, c.size, c.mod); got != c.want {
			t.Errorf("%s: Listed(%q) = %v, want %v", c.name, c.key, got, c.want)
		}
	}
}

func TestScopeTagged(t *testing.T) {
	prod := map[string]string{"env": "prod", "pii": ""}
	cases := []struct {
		name  string
		scope Scope
		tags  map[string]string
		want  bool
	}{
		{"no tag rules", Scope{}, nil, true},
		{"include key=value", Scope{IncludeTags: []Tag{{Key: "env", Value: "prod"}}}, prod, true},
		{"include other value", Scope{IncludeTags: []Tag{{Key: "env", Value: "dev"}}}, prod, false},
		{"include any value", Scope{IncludeTags: []Tag{{Key: "pii", AnyValue: true}}}, prod, true},
		{"include untagged", Scope{IncludeTags: []Tag{{Key: "env", Value: "prod"}}}, nil, false},
		{"include is OR", Scope{IncludeTags: []Tag{{Key: "env", Value: "dev"}, {Key: "pii", AnyValue: true}}}, prod, true},
		{"exclude", Scope{ExcludeTags: []Tag{{Key: "env", Value: "prod"}}}, prod, false},
		{"exclude beats include", Scope{IncludeTags: []Tag{{Key: "env", Value: "prod"}}, ExcludeTags: []Tag{{Key: "pii", AnyValue: true}}}, prod, false},
		{"exclude other", Scope{ExcludeTags: []Tag{{Key: "env", Value: "dev"}}}, prod, true},
	}
	for _, c := range cases {
		if got := c.scope.Tagged(c.tags); got != c.want {
			t.Errorf("%s: Tagged = %v, want %v", c.name, got, c.want)
		}
	}
	if !(&Scope{ExcludeTags: []Tag{{Key: "a"}}}).NeedsTags() || (&Scope{}).NeedsTags() {
		t.Error("NeedsTags wrong")
	}
}

func TestScopeSampling(t *testing.T) {
	pick := func(s Scope) map[string]bool {
		got := map[string]bool{}
		for i := range 10000 {
			k := fmt.Sprintf("logs/%06d.txt", i)
			if s.Listed(k, 1, time.Time{}) {
				got[k] = true
			}
		}
		return got
	}
	a := pick(Scope{SamplingPercent: 10, Seed: 7})
	if len(a) < 900 || len(a) > 1100 {
		t.Errorf("10%% sampling picked %d of 10000", len(a))
	}
	b := pick(Scope{SamplingPercent: 10, Seed: 7})
	if len(a) != len(b) {
		t.Fatalf("same seed picked %d then %d objects", len(a), len(b))
	}
	for k := range a {
		if !b[k] {
			t.Fatal("same seed picked different objects")
		}
	}
	c := pick(Scope{SamplingPercent: 10, Seed: 8})
	same := 0
	for k := range c {
		if a[k] {
			same++
		}
	}
	if same > len(a)/2 {
		t.Errorf("seeds 7 and 8 share %d of %d objects: the seed does not change the sample", same, len(a))
	}
	if n := len(pick(Scope{SamplingPercent: 100})); n != 10000 {
		t.Errorf("100%% sampling picked %d", n)
	}
	if n := len(pick(Scope{SamplingPercent: 0.01, Seed: 1})); n > 10 {
		t.Errorf("0.01%% sampling picked %d", n)
	}
}
