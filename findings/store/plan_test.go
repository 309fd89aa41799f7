package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// shortFlagQueries are the selections the CLI's short flags build.
func shortFlagQueries(t *testing.T) map[string]Query {
	c := func(text string) Query { return Query{Criteria: crit(t, text), Limit: 50} }
	return map[string]Query{
		"--severity":   c(`{"criterion":{"severity.description":{"eq":["High"]}}}`),
		"--type":       c(`{"criterion":{"type":{"eq":["SensitiveData:S3Object/Financial"]}}}`),
		"--bucket":     c(`{"criterion":{"resourcesAffected.s3Bucket.name":{"eq":["prod"]}}}`),
		"--key-prefix": {KeyPrefix: "data/", Limit: 50},
		"--job":        c(`{"criterion":{"classificationDetails.jobId":{"eq":["j1"]}}}`),
		"--since":      c(fmt.Sprintf(`{"criterion":{"createdAt":{"gte":%d}}}`, time.Now().Add(-7*24*time.Hour).UnixMilli())),
		"--identifier": c(`{"criterion":{"sensitiveData.detections.type":{"eq":["CREDIT_CARD_NUMBER"]}}}`),
		"--category":   c(`{"criterion":{"sensitiveData.category":{"eq":["FINANCIAL_INFORMATION"]}}}`),
		"(default)":    {Limit: 50},
	}
}

// The short flags' queries are answered through an index, not by reading
// every finding: EXPLAIN QUERY PLAN (SQLite) and EXPLAIN (PostgreSQL, with
// sequential scans priced out, as a small test table would otherwise win).
func TestShortFlagsUseAnIndex(t *testing.T) {
	each(t, func(t *testing.T, st Store) {
		s := st.(*sqlStore)
		corpus(t, s)
		ctx := context.Background()
		conn, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if s.d.name == "postgres" {
			if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
				t.Fatal(err)
			}
		}
		for flag, q := range shortFlagQueries(t) {
			query, vals, err := s.listSQL(q, 0)
			if err != nil {
				t.Fatal(err)
			}
			explain := "EXPLAIN "
			if s.d.name == "sqlite" {
				explain = "EXPLAIN QUERY PLAN "
			}
			rows, err := conn.QueryContext(ctx, explain+query, vals...)
			if err != nil {
				t.Fatalf("%s: %v", flag, err)
			}
			var plan []string
			cols, _ := rows.Columns()
			for rows.Next() {
				vs := make([]any, len(cols))
				ps := make([]any, len(cols))
				for i := range vs {
					ps[i] = &vs[i]
				}
				rows.Scan(ps...)
				plan = append(plan, fmt.Sprint(vs[len(vs)-1]))
			}
			rows.Close()
			text := strings.Join(plan, "\n")
			// The plan's first access to the findings table must go
			// through an index.
			var first string
			for _, line := range plan {
				if strings.Contains(line, "trawl_findings") || strings.Contains(line, " f") && strings.Contains(line, "SCAN") {
					first = line
					break
				}
			}
			t.Logf("%s:\n%s", flag, text)
			switch s.d.name {
			case "sqlite":
				if !strings.Contains(first, "USING INDEX") && !strings.Contains(first, "USING COVERING INDEX") && !strings.Contains(first, "PRIMARY KEY") {
					t.Errorf("%s: findings not read through an index:\n%s", flag, text)
				}
			case "postgres":
				if strings.Contains(text, "Seq Scan on trawl_findings") || !strings.Contains(text, "Index") {
					t.Errorf("%s: findings not read through an index:\n%s", flag, text)
				}
			}
		}
	})
}
