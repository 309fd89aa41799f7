package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/trawlsec/trawl/findings/store"
	fview "github.com/trawlsec/trawl/findings/view"
)

// BenchmarkView1M times the report and the dashboard's pages over the
// 1,000,000-finding store that findings/store's BenchmarkStore1M fills
// (make bench), and opening the report in Chromium. TRAWL_BENCH_STORE
// names another store.
func BenchmarkView1M(b *testing.B) {
	db := os.Getenv("TRAWL_BENCH_STORE")
	if db == "" {
		m, _ := filepath.Glob(filepath.Join(os.TempDir(), "trawl-store-bench-v*-1000000.db"))
		if len(m) == 0 {
			b.Skip("no 1,000,000-finding store: run make bench (findings/store BenchmarkStore1M) first, or set TRAWL_BENCH_STORE")
		}
		db = m[len(m)-1]
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	report := filepath.Join(b.TempDir(), "report.html")

	b.Run("report", func(b *testing.B) {
		for b.Loop() {
			ov, err := fview.FromStore(ctx, st, store.Query{}, fview.DefaultLimit)
			if err != nil {
				b.Fatal(err)
			}
			f, _ := os.Create(report)
			if err := fview.Report(f, ov); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
		if info, err := os.Stat(report); err == nil {
			b.ReportMetric(float64(info.Size())/1e6, "MB")
		}
	})
	srv := httptest.NewServer(fview.NewHandler(st, fview.ServerOptions{}))
	defer srv.Close()
	for _, page := range []string{"/", "/findings", "/findings?severity=High&bucket=bucket-42", "/findings?identifier=AWS_CREDENTIALS", "/findings?key-prefix=data/123/", "/jobs", "/rules"} {
		b.Run("page="+page, func(b *testing.B) {
			for b.Loop() {
				resp, err := http.Get(srv.URL + page)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("%s: %d", page, resp.StatusCode)
				}
			}
		})
	}
	b.Run("chromium-open-report", func(b *testing.B) {
		if _, err := os.Stat(report); err != nil {
			b.Skip("no report written")
		}
		bctx := browser(b)
		for b.Loop() {
			if err := chromedp.Do(bctx, chromedp.Navigate("file://"+report), chromedp.WaitVisible("#total")); err != nil {
				b.Fatal(err)
			}
		}
	})
}
