package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium for a test. Without one the test is
// skipped, unless TRAWL_E2E is set (make e2e), where it must run.
func browser(t testing.TB) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("TRAWL_E2E") != "" {
			t.Fatal("no chromium on PATH: apt-get install -y chromium")
		}
		t.Skip("no chromium on PATH (apt-get install -y chromium); make e2e requires it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1300, 1600),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// do runs browser steps, failing the test on an error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// get runs one browser action and returns its value.
func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// screenshot saves the page under the test's temporary directory, and
// under $TRAWL_SCREENSHOTS when set, to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := get(t, ctx, chromedp.FullScreenshot(100))
	dirs := []string{t.TempDir()}
	if d := os.Getenv("TRAWL_SCREENSHOTS"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// visibleRows returns the findings table's shown rows, in order: each
// row's severity and object.
const visibleRows = `Array.from(document.querySelectorAll("#findings tbody tr")).filter(r => !r.hidden).map(r => r.cells[0].textContent + "|" + r.cells[2].textContent)`

func TestBrowserReport(t *testing.T) {
	dir, values := hostileFiles(t)
	html, _ := reportFromScan(t, dir)
	file := filepath.Join(t.TempDir(), "report.html")
	os.WriteFile(file, []byte(html), 0o644)
	ctx := browser(t)

	do(t, ctx, chromedp.Navigate("file://"+file))
	total := get(t, ctx, chromedp.Text("#total"))
	title := get(t, ctx, chromedp.Title())
	rows := get(t, ctx, chromedp.Evaluate[[]string](visibleRows))
	if total != "6" || title != "trawl findings report" || len(rows) != 6 {
		t.Fatalf("page shows total %q, title %q, %d rows; want 6, the title, 6 rows", total, title, len(rows))
	}
	screenshot(t, ctx, "report")

	// Sort by object: a first click sorts ascending, a second descending.
	do(t, ctx, chromedp.Click(`#findings th:nth-child(3)`))
	asc := get(t, ctx, chromedp.Evaluate[[]string](visibleRows))
	do(t, ctx, chromedp.Click(`#findings th:nth-child(3)`))
	desc := get(t, ctx, chromedp.Evaluate[[]string](visibleRows))
	rev := slices.Clone(asc)
	slices.Reverse(rev)
	if !strings.Contains(asc[0], "|<script>") || !strings.HasSuffix(asc[5], "|real/statement.txt") || !slices.Equal(desc, rev) {
		t.Errorf("sorted by object: ascending %q, descending %q", asc, desc)
	}
	// Filter in place: the hr directory's one finding.
	do(t, ctx, chromedp.SendKeys(`#filter-text`, "hr/people"))
	shown := get(t, ctx, chromedp.Text("#shown"))
	rows = get(t, ctx, chromedp.Evaluate[[]string](visibleRows))
	if shown != "1" || len(rows) != 1 {
		t.Errorf("filtered to %q shown, rows %v; want 1", shown, rows)
	}
	// Open that finding: its detail shows, the others stay hidden.
	do(t, ctx, chromedp.Click(`#findings tbody tr:not([hidden]) a`))
	shownDetails := get(t, ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll(".detail")).filter(d => getComputedStyle(d).display != "none").length`))
	where := get(t, ctx, chromedp.Text(`.detail:target .where`))
	if shownDetails != 1 || where != "hr/people.txt" {
		t.Errorf("after opening the finding: %d details shown, object %q", shownDetails, where)
	}
	screenshot(t, ctx, "report-detail")

	// The hostile names are text on the page, and no script element came
	// from them.
	body := get(t, ctx, chromedp.Evaluate[string](`document.body.textContent`))
	scripts := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("script").length`))
	if !strings.Contains(body, `<script>alert(1)<\script>.txt`) || scripts != 1 {
		t.Errorf("hostile key not shown as text, or a script element came from it (%d scripts)", scripts)
	}
	for _, v := range values {
		if strings.Contains(body, v) {
			t.Error("the page shows a matched value")
		}
	}
}

func TestBrowserDashboard(t *testing.T) {
	srv, values := dashboard(t, "")
	ctx := browser(t)

	do(t, ctx, chromedp.Navigate(srv.URL+"/"))
	if total := get(t, ctx, chromedp.Text("#total")); total != "6" {
		t.Errorf("overview total %q, want 6", total)
	}
	screenshot(t, ctx, "dashboard-home")

	// The findings list, filtered through its form.
	do(t, ctx, chromedp.Navigate(srv.URL+"/findings"))
	if rows := get(t, ctx, chromedp.Evaluate[[]string](visibleRows)); len(rows) != 6 {
		t.Errorf("/findings shows %d rows, want 6", len(rows))
	}
	do(t, ctx, chromedp.SendKeys(`input[name=identifier]`, "CREDIT_CARD_NUMBER"), chromedp.Submit(`input[name=identifier]`),
		chromedp.WaitVisible(`form[action="/findings"] input[name=identifier][value=CREDIT_CARD_NUMBER]`))
	rows := get(t, ctx, chromedp.Evaluate[[]string](visibleRows))
	if len(rows) != 2 || !strings.HasSuffix(rows[0], ".txt") && !strings.HasSuffix(rows[0], ".csv") {
		t.Errorf("filtered by identifier: %q, want the two card files", rows)
	}
	// Sort in place, then open a finding.
	do(t, ctx, chromedp.Click(`#findings th:nth-child(3)`))
	rows = get(t, ctx, chromedp.Evaluate[[]string](visibleRows))
	if !strings.HasSuffix(rows[0], "|fixtures/cards.csv") {
		t.Errorf("sorted by object: %q", rows)
	}
	screenshot(t, ctx, "dashboard-findings")
	do(t, ctx, chromedp.Click(`#findings tbody tr:first-child a`), chromedp.WaitVisible(`.detail .where`))
	where := get(t, ctx, chromedp.Text(`.detail .where`))
	locs := get(t, ctx, chromedp.Text(`.detail ul.locs`))
	if where != "fixtures/cards.csv" || !strings.Contains(locs, "row 2, column 2 (card)") {
		t.Errorf("finding page: object %q, locations %q", where, locs)
	}
	screenshot(t, ctx, "dashboard-finding")

	// A suppression rule made from the page's filters archives the two
	// card findings: the current list drops them, the archived list has them.
	do(t, ctx, chromedp.Navigate(srv.URL+"/findings?identifier=CREDIT_CARD_NUMBER"),
		chromedp.SendKeys(`#rule-form input[name=name]`, "cards are test data"),
		chromedp.Submit(`#rule-form input[name=name]`),
		chromedp.WaitVisible(`form[action$="/delete"] button`)) // the rules page
	rules := get(t, ctx, chromedp.Text(`#findings tbody`))
	if !strings.Contains(rules, "cards are test data") || !strings.Contains(rules, "ARCHIVE") || !strings.Contains(rules, "CREDIT_CARD_NUMBER") {
		t.Errorf("/rules after creating one: %q", rules)
	}
	screenshot(t, ctx, "dashboard-rules")
	do(t, ctx, chromedp.Navigate(srv.URL+"/findings"))
	if rows := get(t, ctx, chromedp.Evaluate[[]string](visibleRows)); len(rows) != 4 {
		t.Errorf("current findings after the rule: %d, want 4", len(rows))
	}
	do(t, ctx, chromedp.Navigate(srv.URL+"/findings?show=archived"))
	if rows := get(t, ctx, chromedp.Evaluate[[]string](visibleRows)); len(rows) != 2 {
		t.Errorf("archived findings after the rule: %d, want 2", len(rows))
	}
	// Triage one as a false positive from its page: it leaves the list.
	do(t, ctx, chromedp.Navigate(srv.URL+"/findings?key-prefix=hr/"), chromedp.Click(`#findings tbody tr:first-child a`),
		chromedp.WaitVisible(`#triage`),
		chromedp.SetValue(`select[name=status]`, "false-positive"),
		chromedp.SendKeys(`input[name=note]`, "test fixture"),
		chromedp.Click(`#triage`),
		chromedp.WaitVisible(`.detail dd.triage`))
	if body := get(t, ctx, chromedp.Text(`.detail dd.triage`)); !strings.Contains(body, "false-positive: test fixture") {
		t.Errorf("triage not shown on the finding: %q", body)
	}
	do(t, ctx, chromedp.Navigate(srv.URL+"/findings"))
	if rows := get(t, ctx, chromedp.Evaluate[[]string](visibleRows)); len(rows) != 3 {
		t.Errorf("current findings after triage: %d, want 3", len(rows))
	}
	// Delete the rule.
	do(t, ctx, chromedp.Navigate(srv.URL+"/rules"), chromedp.Click(`#findings tbody form[action="/rules/delete"] button`), chromedp.WaitVisible(`.note a[href="/findings"]`))
	if body := get(t, ctx, chromedp.Evaluate[string](`document.body.textContent`)); !strings.Contains(body, "No findings filters") {
		t.Error("the rule is still listed after deleting it")
	}

	for _, path := range []string{"/jobs", "/rules"} {
		do(t, ctx, chromedp.Navigate(srv.URL+path))
		body := get(t, ctx, chromedp.Evaluate[string](`document.body.textContent`))
		for _, v := range values {
			if strings.Contains(body, v) {
				t.Errorf("%s shows a matched value", path)
			}
		}
	}
}

// TestBrowserReportPages: a report of many findings opens with the first
// 200 rows shown; more come on request, and a filter searches them all.
func TestBrowserReportPages(t *testing.T) {
	dir := t.TempDir()
	for i := range 450 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d.txt", i)), []byte(fmt.Sprintf("ssn 123-45-%04d\n", 1000+i)), 0o644)
	}
	html, _ := reportFromScan(t, dir)
	file := filepath.Join(t.TempDir(), "report.html")
	os.WriteFile(file, []byte(html), 0o644)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate("file://"+file))
	if rows := get(t, ctx, chromedp.Evaluate[[]string](visibleRows)); len(rows) != 200 {
		t.Fatalf("%d rows shown at first, want 200", len(rows))
	}
	if paged := get(t, ctx, chromedp.Text("#paged")); !strings.Contains(paged, "first 200") {
		t.Errorf("the page does not say it shows the first 200: %q", paged)
	}
	do(t, ctx, chromedp.Click("#more"))
	if rows := get(t, ctx, chromedp.Evaluate[[]string](visibleRows)); len(rows) != 450 {
		t.Errorf("%d rows after more, want 450", len(rows))
	}
	do(t, ctx, chromedp.SendKeys("#filter-text", "f449.txt"))
	if rows := get(t, ctx, chromedp.Evaluate[[]string](visibleRows)); len(rows) != 1 || !strings.HasSuffix(rows[0], "f449.txt") {
		t.Errorf("filter found %v", rows)
	}
}
