package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
)

// benchFindings is the size of the benchmark store; TRAWL_BENCH_FINDINGS
// makes it smaller for a quick look.
func benchFindings() int {
	if n, err := strconv.Atoi(os.Getenv("TRAWL_BENCH_FINDINGS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

var benchTypes = []struct {
	typ, sev string
	dets     []string
}{
	{findings.TypeFinancial, "High", []string{"CREDIT_CARD_NUMBER"}},
	{findings.TypeCredentials, "High", []string{"AWS_CREDENTIALS"}},
	{findings.TypePersonal, "Medium", []string{"USA_SOCIAL_SECURITY_NUMBER"}},
	{findings.TypePersonal, "Low", []string{"NAME"}},
	{findings.TypeMultiple, "Medium", []string{"NAME", "CREDIT_CARD_NUMBER"}},
	{findings.TypePersonal, "Low", []string{"PHONE_NUMBER", "ADDRESS"}},
}

// benchFinding is the i-th finding of the benchmark store: 100 buckets,
// 1,000 jobs over 90 days, one to two detection types with up to 15 line
// locations each, as findings.Build writes them.
func benchFinding(r *rand.Rand, i int, now time.Time) *findings.Finding {
	bt := benchTypes[r.IntN(len(benchTypes))]
	dets := map[string]int{}
	for _, d := range bt.dets {
		dets[d] = 1 + r.IntN(40)
	}
	job := r.IntN(1000)
	created := now.Add(-time.Duration(job) * 90 * 24 * time.Hour / 1000)
	f := finding(fmt.Sprintf("bucket-%02d", r.IntN(100)), fmt.Sprintf("data/%d/part-%07d.csv", i%500, i), bt.typ, bt.sev, dets, created)
	f.ClassificationDetails.JobID = fmt.Sprintf("%032x", job)
	f.ResourcesAffected.S3Object.ETag = fmt.Sprintf("%032x", r.Uint64())
	f.ResourcesAffected.S3Object.Size = int64(r.IntN(1 << 24))
	for k := range f.ClassificationDetails.Result.SensitiveData {
		item := &f.ClassificationDetails.Result.SensitiveData[k]
		for j := range item.Detections {
			d := &item.Detections[j]
			for line := range min(d.Count, findings.MaxFindingOccurrences) {
				d.Occurrences.LineRanges = append(d.Occurrences.LineRanges, findings.LineRangeAt{LineRange: formats.LineRange{Start: 10 + line*7, End: 10 + line*7, StartColumn: 5}})
			}
		}
	}
	return f
}

// benchStore opens the SQLite benchmark store, filling it once: the file
// is kept in the temporary directory between runs.
func benchStore(b *testing.B) (Store, string, int) {
	b.Helper()
	n := benchFindings()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("trawl-store-bench-v%d-%d.db", SchemaVersion, n))
	ctx := context.Background()
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".partial"
		os.Remove(tmp)
		os.Remove(tmp + "-wal")
		os.Remove(tmp + "-shm")
		s, err := Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		now := time.Now()
		start := time.Now()
		const batch = 1000
		fs := make([]*findings.Finding, 0, batch)
		for i := range n {
			fs = append(fs, benchFinding(r, i, now))
			if len(fs) == batch || i == n-1 {
				if _, err := s.Record(ctx, Run{ID: fs[0].ClassificationDetails.JobID, At: now}, fs); err != nil {
					b.Fatal(err)
				}
				fs = fs[:0]
			}
		}
		b.Logf("filled %d findings in %s", n, time.Since(start).Round(time.Second))
		if _, err := s.(*sqlStore).db.ExecContext(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
		s.Close()
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
	}
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	return s, path, n
}

// BenchmarkStore1M times the reads of a store of 1,000,000 findings (the
// CLI's list first page, stats and show) and reports its size per finding.
func BenchmarkStore1M(b *testing.B) {
	s, path, n := benchStore(b)
	defer s.Close()
	ctx := context.Background()
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	perFinding := float64(info.Size()) / float64(n)
	page, err := s.List(ctx, Query{Limit: 1})
	if err != nil || len(page.Findings) == 0 {
		b.Fatalf("empty store: %v", err)
	}
	id := page.Findings[0].ID
	crit := func(text string) Criteria {
		c, err := ParseCriteria(text)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	since := time.Now().Add(-7 * 24 * time.Hour).UnixMilli()
	lists := map[string]Query{
		"ListDefault":          {Limit: 50},
		"ListSeverityBucket":   {Limit: 50, Criteria: crit(`{"criterion":{"severity.description":{"eq":["High"]},"resourcesAffected.s3Bucket.name":{"eq":["bucket-42"]}}}`)},
		"ListTypeSince":        {Limit: 50, Criteria: crit(fmt.Sprintf(`{"criterion":{"type":{"eq":["SensitiveData:S3Object/Financial"]},"createdAt":{"gte":%d}}}`, since))},
		"ListIdentifier":       {Limit: 50, Criteria: crit(`{"criterion":{"sensitiveData.detections.type":{"eq":["AWS_CREDENTIALS"]}}}`)},
		"ListKeyPrefix":        {Limit: 50, KeyPrefix: "data/123/"},
		"ListRareJob":          {Limit: 50, Criteria: crit(`{"criterion":{"classificationDetails.jobId":{"eq":["000000000000000000000000000003e7"]}}}`)},
		"ListSortedByKeyPage5": {Limit: 50, SortBy: "resourcesAffected.s3Object.key", NextToken: pageToken(200)},
	}
	for name, q := range lists {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				p, err := s.List(ctx, q)
				if err != nil || len(p.Findings) == 0 {
					b.Fatalf("%v, %d findings", err, len(p.Findings))
				}
			}
		})
	}
	for _, g := range []string{"severity.description", "resourcesAffected.s3Bucket.name", "sensitiveData.detections.type"} {
		b.Run("Stats/"+g, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Stats(ctx, StatsQuery{GroupBy: g}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("Show", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Get(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Size", func(b *testing.B) {
		for b.Loop() {
		}
		b.ReportMetric(perFinding, "bytes/finding")
		b.ReportMetric(float64(info.Size())/1e6, "MB")
	})
}

// BenchmarkRecord times recording findings into the 1,000,000-finding
// store as a scan does: batches of 256 findings of one job and time, one
// bucket and keys in listing order; new findings, then the same again (sightings
// only). It reports the cost per finding.
func BenchmarkRecord(b *testing.B) {
	s, _, _ := benchStore(b)
	defer s.Close()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	prefix := fmt.Sprintf("scan-%d/", time.Now().UnixNano())
	next := 0
	batch := func(job string) []*findings.Finding {
		fs := make([]*findings.Finding, 256)
		now := time.Now()
		for i := range fs {
			f := benchFinding(r, 0, now)
			f.ResourcesAffected.S3Bucket.Name = "bucket-scan"
			f.ResourcesAffected.S3Object.Key = fmt.Sprintf("%s%09d.csv", prefix, next)
			f.ClassificationDetails.JobID = job
			f.CreatedAt = now.Format(time.RFC3339Nano) // a scan's findings share its time
			f.UpdatedAt = f.CreatedAt
			f.ID = fmt.Sprintf("%032x", r.Uint64()) // a hash, as findings.Build makes
			fs[i] = f
			next++
		}
		return fs
	}
	b.Run("New", func(b *testing.B) {
		k := 0
		for b.Loop() {
			k++
			fs := batch("job-new")
			if _, err := s.Record(ctx, Run{ID: strconv.Itoa(k), At: time.Now()}, fs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*256), "µs/finding")
	})
	b.Run("Sighting", func(b *testing.B) {
		fs := batch("job-known")
		if _, err := s.Record(ctx, Run{ID: "first", At: time.Now()}, fs); err != nil {
			b.Fatal(err)
		}
		k := 0
		for b.Loop() {
			k++
			if _, err := s.Record(ctx, Run{ID: strconv.Itoa(k), At: time.Now()}, fs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*256), "µs/finding")
	})
}
