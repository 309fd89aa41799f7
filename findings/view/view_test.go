package view

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/store"
	"github.com/trawlsec/trawl/formats"
)

func TestPrefix(t *testing.T) {
	for _, c := range []struct{ bucket, key, want string }{
		{"", "a/b/c.txt", "a/"},
		{"", "top.txt", "./"},
		{"b", "logs/2024/x.log", "b/logs/"},
		{"b", "x.log", "b/"},
		{"b", "../up/x", "b/../"},
	} {
		if got := Prefix(c.bucket, c.key); got != c.want {
			t.Errorf("Prefix(%q, %q) = %q, want %q", c.bucket, c.key, got, c.want)
		}
	}
}

func TestLocations(t *testing.T) {
	ref := "B2"
	got := Locations(findings.Occurrences{
		LineRanges: []findings.LineRangeAt{{LineRange: formats.LineRange{Start: 3, End: 3, StartColumn: 7}}, {LineRange: formats.LineRange{Start: 4, End: 6, StartColumn: 1}, FilePath: "a.zip!b.txt"}},
		Cells:      []findings.CellAt{{Cell: formats.Cell{Row: 2, Column: 2, ColumnName: "card", CellReference: &ref}}},
		Records:    []findings.RecordAt{{Record: formats.Record{RecordIndex: 5, JSONPath: "$.ssn"}}},
		Pages:      []findings.PageAt{{Page: formats.Page{PageNumber: 9, LineRange: &formats.LineRange{Start: 12}}}},
	})
	want := []string{"line 3, column 7", "a.zip!b.txt: lines 4-6, column 1", "cell B2, row 2, column 2 (card)", "record 5, $.ssn", "page 9, line 12"}
	if !slices.Equal(got, want) {
		t.Errorf("Locations = %q, want %q", got, want)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -12345: "-12,345"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestQueryOf(t *testing.T) {
	now := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	q, err := QueryOf(url.Values{"severity": {"High"}, "identifier": {"credit_card_number"}, "bucket": {"b"}, "key-prefix": {"hr/"}, "since": {"30d"}, "show": {"all"}, "type": {"Financial"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	c := q.Criteria.Criterion
	if !slices.Equal(c["severity.description"].Eq, []string{"High"}) || !slices.Equal(c["sensitiveData.detections.type"].Eq, []string{"CREDIT_CARD_NUMBER"}) ||
		!slices.Equal(c["type"].Eq, []string{"SensitiveData:S3Object/Financial"}) || q.KeyPrefix != "hr/" || q.Archived != store.All {
		t.Errorf("query %+v", q)
	}
	if ms, _ := c["createdAt"].Gte.Int(); ms != now.Add(-30*24*time.Hour).UnixMilli() {
		t.Errorf("since 30d: %d", ms)
	}
	for _, bad := range []url.Values{{"severity": {"Huge"}}, {"since": {"-1d"}}, {"since": {"soon"}}, {"show": {"x"}}} {
		if _, err := QueryOf(bad, now); err == nil {
			t.Errorf("QueryOf(%v): no error", bad)
		}
	}
}
