package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/identifiers"
	"github.com/trawlsec/trawl/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// each runs a test against a fresh SQLite file and a fresh PostgreSQL
// database.
func each(t *testing.T, fn func(t *testing.T, s Store)) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "trawl.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		fn(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.Get(t).NewDatabase(t)
		s, err := Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		fn(t, s)
	})
}

var t0 = time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)

// finding makes a finding as findings.Build would; dets maps a detection
// type (or "custom:NAME") to its count.
func finding(bucket, key, typ, sev string, dets map[string]int, created time.Time) *findings.Finding {
	f := &findings.Finding{
		AccountID: "111122223333", Category: "CLASSIFICATION", Count: 1, Region: "us-east-1", Partition: "aws",
		CreatedAt: created.Format(time.RFC3339Nano), UpdatedAt: created.Format(time.RFC3339Nano),
		SchemaVersion: "1.0", Type: typ, Title: "t",
		Severity: &findings.SeverityJSON{Description: sev, Score: map[string]int{"Low": 1, "Medium": 2, "High": 3}[sev]},
	}
	f.ResourcesAffected.S3Bucket.Name = bucket
	f.ResourcesAffected.S3Object.Key = key
	f.ResourcesAffected.S3Object.Extension = strings.TrimPrefix(filepath.Ext(key), ".")
	f.ClassificationDetails.JobID = "job-" + created.Format("0102")
	res := &f.ClassificationDetails.Result
	res.CustomDataIdentifiers.Detections = []findings.CustomDetection{}
	cats := map[string]string{"CREDIT_CARD_NUMBER": "FINANCIAL_INFORMATION", "AWS_CREDENTIALS": "CREDENTIALS", "NAME": "PERSONAL_INFORMATION"}
	for _, typ := range slices.Sorted(maps.Keys(dets)) {
		n := dets[typ]
		if name, ok := strings.CutPrefix(typ, "custom:"); ok {
			res.CustomDataIdentifiers.Detections = append(res.CustomDataIdentifiers.Detections, findings.CustomDetection{Name: name, Count: n})
			res.CustomDataIdentifiers.TotalCount += n
			continue
		}
		res.SensitiveData = append(res.SensitiveData, findings.SensitiveDataItem{Category: identifiers.Category(cats[typ]),
			Detections: []findings.DefaultDetection{{Type: typ, Count: n}}, TotalCount: n})
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%s/%s/%s/%v", bucket, key, typ, dets))
	f.ID = hex.EncodeToString(h[:16])
	return f
}

func ids(ss []*Stored) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

func mustRecord(t *testing.T, s Store, run string, at time.Time, fs ...*findings.Finding) map[string]string {
	t.Helper()
	archived, err := s.Record(context.Background(), Run{ID: run, At: at}, fs)
	if err != nil {
		t.Fatal(err)
	}
	return archived
}

func list(t *testing.T, s Store, q Query) []string {
	t.Helper()
	p, err := s.List(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return ids(p.Findings)
}

func crit(t *testing.T, text string) Criteria {
	t.Helper()
	c, err := ParseCriteria(text)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRescanAddsSightingNotDuplicate(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		a := finding("b", "cards.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 3}, t0)
		mustRecord(t, s, "run1", t0, a)
		again := *a
		again.CreatedAt = t0.Add(time.Hour).Format(time.RFC3339Nano) // a later scan's times
		again.ClassificationDetails.JobID = "other-job"
		mustRecord(t, s, "run2", t0.Add(time.Hour), &again)
		mustRecord(t, s, "run2", t0.Add(time.Hour), &again) // a retried batch
		got := list(t, s, Query{Archived: All})
		if len(got) != 1 || got[0] != a.ID {
			t.Fatalf("findings %v, want one", got)
		}
		st, err := s.Get(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Sightings) != 2 || st.Sightings[0].RunID != "run1" || st.Sightings[1].RunID != "run2" {
			t.Fatalf("sightings %+v", st.Sightings)
		}
		if st.CreatedAt != a.CreatedAt || st.ClassificationDetails.JobID != a.ClassificationDetails.JobID || st.Count != 1 {
			t.Fatalf("the finding changed: %+v", st.Finding)
		}
		if st.LastSeenAt != fromMillis(t0.Add(time.Hour).UnixMilli()) {
			t.Fatalf("last seen %s", st.LastSeenAt)
		}
		if _, err := s.Get(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown id: %v", err)
		}
	})
}

// corpus records findings over a few buckets, types and days.
func corpus(t *testing.T, s Store) map[string]*findings.Finding {
	fs := map[string]*findings.Finding{
		"card":   finding("prod", "data/cards.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 3}, t0),
		"key":    finding("prod", "conf/keys.env", findings.TypeCredentials, "High", map[string]int{"AWS_CREDENTIALS": 1}, t0.Add(24*time.Hour)),
		"names":  finding("dev", "data/people.txt", findings.TypePersonal, "Low", map[string]int{"NAME": 2}, t0.Add(48*time.Hour)),
		"mixed":  finding("dev", "dump/all.json", findings.TypeMultiple, "Medium", map[string]int{"NAME": 5, "CREDIT_CARD_NUMBER": 1}, t0.Add(72*time.Hour)),
		"custom": finding("dev", "data/emp.csv", findings.TypeCustom, "Medium", map[string]int{"custom:Employee ID": 4}, t0.Add(96*time.Hour)),
	}
	for _, name := range slices.Sorted(maps.Keys(fs)) {
		mustRecord(t, s, "run-"+name, t0.Add(100*time.Hour), fs[name])
	}
	return fs
}

func TestQueries(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		fs := corpus(t, s)
		names := map[string]string{}
		for n, f := range fs {
			names[f.ID] = n
		}
		named := func(got []string) string {
			var out []string
			for _, id := range got {
				out = append(out, names[id])
			}
			return strings.Join(out, ",")
		}
		cases := []struct {
			q    Query
			want string
		}{
			// Default order: severity, then newest first.
			{Query{}, "key,card,custom,mixed,names"},
			{Query{Criteria: crit(t, `{"criterion":{"severity.description":{"eq":["High"]}}}`)}, "key,card"},
			{Query{Criteria: crit(t, `{"criterion":{"severity.description":{"neq":["High","Low"]}}}`)}, "custom,mixed"},
			{Query{Criteria: crit(t, `{"criterion":{"resourcesAffected.s3Bucket.name":{"eq":["dev"]},"type":{"eq":["SensitiveData:S3Object/Personal"]}}}`)}, "names"},
			{Query{Criteria: crit(t, `{"criterion":{"sensitiveData.detections.type":{"eq":["CREDIT_CARD_NUMBER"]}}}`)}, "card,mixed"},
			{Query{Criteria: crit(t, `{"criterion":{"sensitiveData.detections.type":{"eqExactMatch":["CREDIT_CARD_NUMBER","NAME"]}}}`)}, "mixed"},
			{Query{Criteria: crit(t, `{"criterion":{"sensitiveData.detections.type":{"neq":["NAME"]}}}`)}, "key,card,custom"},
			{Query{Criteria: crit(t, `{"criterion":{"sensitiveData.category":{"eq":["CREDENTIALS"]}}}`)}, "key"},
			{Query{Criteria: crit(t, `{"criterion":{"customDataIdentifiers.detections.name":{"eq":["Employee ID"]}}}`)}, "custom"},
			{Query{Criteria: crit(t, fmt.Sprintf(`{"criterion":{"createdAt":{"gte":%d}}}`, t0.Add(48*time.Hour).UnixMilli()))}, "custom,mixed,names"},
			{Query{Criteria: crit(t, `{"criterion":{"createdAt":{"lt":"2026-11-02T10:00:00Z"}}}`)}, "card"},
			{Query{Criteria: crit(t, `{"criterion":{"createdAt":{"gt":"2026-11-01T10:00:00Z","lte":"2026-11-03T10:00:00Z"}}}`)}, "key,names"},
			{Query{Criteria: crit(t, `{"criterion":{"severity.score":{"gte":2}}}`)}, "key,card,custom,mixed"},
			{Query{KeyPrefix: "data/"}, "card,custom,names"},
			{Query{KeyPrefix: "data/c"}, "card"},
			{Query{SortBy: "resourcesAffected.s3Object.key"}, "key,card,custom,names,mixed"},
			{Query{SortBy: "createdAt", Desc: true}, "custom,mixed,names,key,card"},
			{Query{SortBy: "severity.description", Criteria: crit(t, `{"criterion":{"id":{"eq":["`+fs["card"].ID+`","`+fs["names"].ID+`","`+fs["mixed"].ID+`"]}}}`)}, "names,mixed,card"},
		}
		for _, c := range cases {
			if got := named(list(t, s, c.q)); got != c.want {
				t.Errorf("%+v: got %s, want %s", c.q, got, c.want)
			}
		}

		// Pages of two follow each other to the end.
		var all []string
		q := Query{Limit: 2}
		for i := 0; ; i++ {
			p, err := s.List(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, ids(p.Findings)...)
			if p.NextToken == "" {
				break
			}
			if i > 5 {
				t.Fatal("pages do not end")
			}
			q.NextToken = p.NextToken
		}
		if named(all) != "key,card,custom,mixed,names" {
			t.Fatalf("paged: %s", named(all))
		}
		if _, err := s.List(context.Background(), Query{NextToken: "garbage"}); err == nil {
			t.Fatal("bad token accepted")
		}

		// Each streams the same as the list.
		var streamed []string
		if err := s.Each(context.Background(), Query{}, func(st *Stored) error { streamed = append(streamed, st.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		if named(streamed) != "key,card,custom,mixed,names" {
			t.Fatalf("each: %s", named(streamed))
		}
	})
}

func TestStats(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		corpus(t, s)
		cases := map[string]string{
			"severity.description":            "High=2,Medium=2,Low=1",
			"resourcesAffected.s3Bucket.name": "dev=3,prod=2",
			"sensitiveData.detections.type":   "CREDIT_CARD_NUMBER=2,NAME=2,AWS_CREDENTIALS=1,Employee ID=1",
			"sensitiveData.category":          "FINANCIAL_INFORMATION=2,PERSONAL_INFORMATION=2,CREDENTIALS=1,CUSTOM_IDENTIFIER=1",
			"type":                            "SensitiveData:S3Object/Credentials=1,SensitiveData:S3Object/CustomIdentifier=1,SensitiveData:S3Object/Financial=1,SensitiveData:S3Object/Multiple=1,SensitiveData:S3Object/Personal=1",
		}
		for group, want := range cases {
			gs, err := s.Stats(context.Background(), StatsQuery{GroupBy: group})
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, g := range gs {
				parts = append(parts, fmt.Sprintf("%s=%d", g.GroupKey, g.Count))
			}
			if got := strings.Join(parts, ","); got != want {
				t.Errorf("%s: %s, want %s", group, got, want)
			}
		}
		gs, err := s.Stats(context.Background(), StatsQuery{GroupBy: "severity.description", Size: 1, Query: Query{Criteria: crit(t, `{"criterion":{"resourcesAffected.s3Bucket.name":{"eq":["dev"]}}}`)}})
		if err != nil || len(gs) != 1 || gs[0] != (GroupCount{"Medium", 2}) {
			t.Fatalf("filtered stats %v %v", gs, err)
		}
		if _, err := s.Stats(context.Background(), StatsQuery{GroupBy: "nope"}); err == nil || !strings.Contains(err.Error(), "severity.description") {
			t.Fatalf("unknown group: %v", err)
		}
	})
}

func TestSuppressionRules(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		old := finding("b", "fixtures/cards.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
		mustRecord(t, s, "r1", t0, old)
		rule := Filter{Name: "test-data", Action: "ARCHIVE", FindingCriteria: crit(t, `{"criterion":{"resourcesAffected.s3Object.key":{"eq":["fixtures/cards.csv","fixtures/b.csv"]}}}`)}
		if _, n, err := s.CreateFilter(ctx, rule, false); err != nil || n != 0 {
			t.Fatalf("create: %d %v", n, err)
		}
		// A later-positioned rule matching the same finding is not the reason.
		wide := Filter{Name: "all-high", Action: "ARCHIVE", Position: 5, FindingCriteria: crit(t, `{"criterion":{"severity.description":{"eq":["High"]}}}`)}
		if _, _, err := s.CreateFilter(ctx, wide, false); err != nil {
			t.Fatal(err)
		}
		saved := Filter{Name: "saved", Action: "NOOP", FindingCriteria: crit(t, `{"criterion":{"type":{"eq":["SensitiveData:S3Object/Personal"]}}}`)}
		if f, _, err := s.CreateFilter(ctx, saved, false); err != nil || f.Position != 6 {
			t.Fatalf("noop filter: %+v %v", f, err)
		}
		// Forward only: the old finding stays current.
		if got := list(t, s, Query{}); len(got) != 1 {
			t.Fatalf("existing finding archived by a new rule: %v", got)
		}
		b := finding("b", "fixtures/b.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
		c := finding("b", "real/c.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
		p := finding("b", "real/p.txt", findings.TypePersonal, "Low", map[string]int{"NAME": 1}, t0)
		archived := mustRecord(t, s, "r2", t0, b, c, p)
		if archived[b.ID] != "test-data" || archived[c.ID] != "all-high" || len(archived) != 2 {
			t.Fatalf("archived %v", archived)
		}
		if got := list(t, s, Query{}); !slices.Equal(got, []string{old.ID, p.ID}) {
			t.Fatalf("current %v", got)
		}
		got, err := s.List(ctx, Query{Archived: ArchivedOnly})
		if err != nil || len(got.Findings) != 2 || !got.Findings[0].Archived || got.Findings[0].ArchivedBy == "" {
			t.Fatalf("archived list %+v %v", got, err)
		}
		if got := list(t, s, Query{Criteria: crit(t, `{"criterion":{"archived":{"eq":["true"]}}}`)}); len(got) != 2 {
			t.Fatalf("archived criterion: %v", got)
		}
		// Apply to existing.
		f, n, err := s.UpdateFilter(ctx, "test-data", FilterUpdate{FindingCriteria: ptr(crit(t, `{"criterion":{"resourcesAffected.s3Object.key":{"eq":["fixtures/cards.csv"]}}}`))}, true)
		if err != nil || n != 1 || f.Name != "test-data" {
			t.Fatalf("update: %+v %d %v", f, n, err)
		}
		if got := list(t, s, Query{}); !slices.Equal(got, []string{p.ID}) {
			t.Fatalf("after apply-to-existing %v", got)
		}
		// Deleting a rule does not unarchive; manual unarchive does.
		if err := s.DeleteFilter(ctx, "test-data"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteFilter(ctx, "test-data"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("delete twice: %v", err)
		}
		if got := list(t, s, Query{}); len(got) != 1 {
			t.Fatalf("delete unarchived: %v", got)
		}
		if n, err := s.SetArchived(ctx, []string{old.ID}, false); err != nil || n != 1 {
			t.Fatalf("unarchive %d %v", n, err)
		}
		if n, err := s.SetArchived(ctx, []string{p.ID}, true); err != nil || n != 1 {
			t.Fatalf("archive %d %v", n, err)
		}
		st, _ := s.Get(ctx, p.ID)
		if !st.Archived || st.ArchivedBy != "manual" {
			t.Fatalf("manual archive: %+v", st)
		}
		if _, err := s.SetArchived(ctx, []string{"missing"}, true); !errors.Is(err, ErrNotFound) {
			t.Fatalf("archive unknown: %v", err)
		}
		// Names are unique; bad filters are refused with the reason.
		if _, _, err := s.CreateFilter(ctx, Filter{Name: "all-high", Action: "NOOP", FindingCriteria: wide.FindingCriteria}, false); err == nil {
			t.Fatal("duplicate name accepted")
		}
		for _, bad := range []Filter{
			{Name: "ab", Action: "NOOP", FindingCriteria: wide.FindingCriteria},
			{Name: "abc", Action: "DELETE", FindingCriteria: wide.FindingCriteria},
			{Name: "abc", Action: "NOOP"},
		} {
			if _, _, err := s.CreateFilter(ctx, bad, false); err == nil {
				t.Errorf("filter %+v accepted", bad)
			}
		}
		fl, err := s.ListFilters(ctx)
		if err != nil || len(fl) != 2 || fl[0].Name != "all-high" || fl[1].Name != "saved" {
			t.Fatalf("filters %+v %v", fl, err)
		}
		if _, err := s.GetFilter(ctx, "saved"); err != nil {
			t.Fatal(err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestTriageIsKeptApart(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		a := finding("b", "a.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
		b := finding("b", "b.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
		mustRecord(t, s, "r1", t0, a, b)
		if err := s.SetTriage(ctx, a.ID, Triage{Status: "false-positive", Note: "test cards", By: "alice", At: t0}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetTriage(ctx, b.ID, Triage{Status: "acknowledged", By: "bob", At: t0}); err != nil {
			t.Fatal(err)
		}
		mustRecord(t, s, "r2", t0.Add(time.Hour), a, b) // a re-scan
		if got := list(t, s, Query{}); !slices.Equal(got, []string{b.ID}) {
			t.Fatalf("current %v", got)
		}
		got, err := s.List(ctx, Query{Triage: "false-positive"})
		if err != nil || len(got.Findings) != 1 || got.Findings[0].Triage.Note != "test cards" || got.Findings[0].Triage.By != "alice" {
			t.Fatalf("triaged %+v %v", got, err)
		}
		if err := s.SetTriage(ctx, a.ID, Triage{Status: "maybe"}); err == nil {
			t.Fatal("unknown status accepted")
		}
		if err := s.SetTriage(ctx, "missing", Triage{Status: "new"}); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown finding: %v", err)
		}
	})
}

func TestRetention(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		if d, err := s.Retention(ctx); err != nil || d != DefaultRetention {
			t.Fatalf("default retention %s %v", d, err)
		}
		old := finding("b", "old.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
		seenAgain := finding("b", "again.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
		mustRecord(t, s, "r1", t0, old, seenAgain)
		s.SetTriage(ctx, old.ID, Triage{Status: "acknowledged", At: t0})
		mustRecord(t, s, "r2", t0.Add(80*24*time.Hour), seenAgain)
		n, err := s.Purge(ctx, DefaultRetention, t0.Add(91*24*time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("purged %d %v", n, err)
		}
		if got := list(t, s, Query{Archived: All}); !slices.Equal(got, []string{seenAgain.ID}) {
			t.Fatalf("left %v", got)
		}
		if err := s.SetRetention(ctx, 30*24*time.Hour); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.Retention(ctx); d != 30*24*time.Hour {
			t.Fatalf("retention %s", d)
		}
		if n, _ := s.Purge(ctx, 0, t0.Add(81*24*time.Hour)); n != 1 {
			t.Fatalf("purge everything: %d", n)
		}
	})
}

func TestCriteriaErrors(t *testing.T) {
	for text, want := range map[string]string{
		`{"criterion":{"severity":{"eq":["High"]}}}`:               "severity.description",
		`{"criterion":{"severity.description":{"like":["High"]}}}`: "eqExactMatch",
		`{"criterion":{"type":{"eqExactMatch":["x"]}}}`:            "valid only on",
		`{"criterion":{"type":{"gt":3}}}`:                          "eq or neq",
		`{"criterion":{"createdAt":{"gt":"yesterday"}}}`:           "RFC 3339",
		`{"criterion":{"archived":{"eq":["maybe"]}}}`:              "true or false",
		`{"criteria":{}}`: "FindingCriteria",
		`not json`:        "FindingCriteria",
	} {
		_, err := ParseCriteria(text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming %q", text, err, want)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ss := s.(*sqlStore)
		if err := ss.setMeta(context.Background(), ss.db, "schema_version", fmt.Sprint(SchemaVersion+1)); err != nil {
			t.Fatal(err)
		}
		loc := ss.loc
		if ss.dsn != "" {
			loc = ss.dsn
		}
		_, err := Open(context.Background(), loc)
		if err == nil || !strings.Contains(err.Error(), "upgrade trawl") {
			t.Fatalf("newer schema: %v", err)
		}
	})
}

func TestNotAStoreFileIsLeftUntouched(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"text.db":    "these are not the bytes of a database\n",
		"short.db":   "SQL",
		"corrupt.db": "SQLite format 3\x00" + strings.Repeat("\xff", 200),
	} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(content), 0o644)
		_, err := Open(context.Background(), path)
		if err == nil {
			t.Errorf("%s opened", name)
			continue
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
		after, _ := os.ReadFile(path)
		if string(after) != content {
			t.Errorf("%s changed", name)
		}
		if _, err := os.Stat(path + "-wal"); err == nil {
			t.Errorf("%s: a WAL file was made", name)
		}
	}
}

func TestPostgresUnreachableNamesDSNWithoutPassword(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://trawl:s3cretpw@127.0.0.1:1/trawl?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("opened")
	}
	if strings.Contains(err.Error(), "s3cretpw") || !strings.Contains(err.Error(), "127.0.0.1:1/trawl") {
		t.Fatalf("error %v", err)
	}
}

func TestConcurrentWritersOneSQLiteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trawl.db")
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), path)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			for i := range 25 {
				f := finding("b", fmt.Sprintf("w%d/%d.csv", w, i), findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
				if _, err := s.Record(context.Background(), Run{ID: fmt.Sprint("w", w), At: t0}, []*findings.Finding{f}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := list(t, s, Query{Limit: 1000}); len(got) != 100 {
		t.Fatalf("%d findings, want 100", len(got))
	}
}

// A PostgreSQL restart between batches costs a retry, not the scan.
func TestPostgresRestartMidScan(t *testing.T) {
	c := pgtest.Get(t)
	s, err := Open(context.Background(), c.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := finding("b", "a.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
	b := finding("b", "b.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 1}, t0)
	mustRecord(t, s, "r1", t0, a)
	c.Restart(t)
	mustRecord(t, s, "r1", t0, b)
	if got := list(t, s, Query{}); len(got) != 2 {
		t.Fatalf("%d findings after the restart", len(got))
	}
}

// checkDetectionStats compares statistics by identifier type and category
// read from the detections' copy of the archived state with the same
// statistics through a join on the findings (a criterion that holds for
// every finding forces the join).
func checkDetectionStats(t *testing.T, s Store) {
	t.Helper()
	all := crit(t, `{"criterion":{"severity.score":{"gte":0}}}`)
	for _, mode := range []Archived{Current, ArchivedOnly, All} {
		for _, g := range []string{"sensitiveData.detections.type", "sensitiveData.category"} {
			fast, err := s.Stats(context.Background(), StatsQuery{GroupBy: g, Query: Query{Archived: mode}})
			if err != nil {
				t.Fatal(err)
			}
			joined, err := s.Stats(context.Background(), StatsQuery{GroupBy: g, Query: Query{Archived: mode, Criteria: all}})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(fast, joined) {
				t.Errorf("%s, archived mode %d: %v, through the findings %v", g, mode, fast, joined)
			}
		}
	}
}

func TestDetectionStatsFollowArchiveAndTriage(t *testing.T) {
	each(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		fs := corpus(t, s)
		checkDetectionStats(t, s)
		rule := Filter{Name: "cards", Action: "ARCHIVE", FindingCriteria: crit(t, `{"criterion":{"sensitiveData.detections.type":{"eq":["CREDIT_CARD_NUMBER"]}}}`)}
		if _, n, err := s.CreateFilter(ctx, rule, true); err != nil || n != 2 {
			t.Fatalf("apply to existing: %d %v", n, err)
		}
		checkDetectionStats(t, s)
		newCard := finding("prod", "data/new.csv", findings.TypeFinancial, "High", map[string]int{"CREDIT_CARD_NUMBER": 9}, t0)
		mustRecord(t, s, "r9", t0, newCard)
		checkDetectionStats(t, s)
		if _, err := s.SetArchived(ctx, []string{fs["card"].ID}, false); err != nil {
			t.Fatal(err)
		}
		if err := s.SetTriage(ctx, fs["names"].ID, Triage{Status: "resolved", At: t0}); err != nil {
			t.Fatal(err)
		}
		checkDetectionStats(t, s)
		gs, _ := s.Stats(ctx, StatsQuery{GroupBy: "sensitiveData.detections.type"})
		if fmt.Sprint(gs) != "[{AWS_CREDENTIALS 1} {CREDIT_CARD_NUMBER 1} {Employee ID 1}]" {
			t.Fatalf("current by type: %v", gs)
		}
		if err := s.SetTriage(ctx, fs["names"].ID, Triage{Status: "acknowledged", At: t0}); err != nil {
			t.Fatal(err)
		}
		checkDetectionStats(t, s)
	})
}
