package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// hostileFiles is storeFiles plus files whose names a page must escape.
func hostileFiles(t *testing.T) (dir string, values []string) {
	dir, values = storeFiles(t)
	for _, name := range []string{`<script>alert(1)<\script>.txt`, `q"uo'te&.txt`, "new\nline.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("SSN: 123-45-6789\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, values
}

// reportFromScan scans dir into a new store and writes its report.
func reportFromScan(t *testing.T, dir string, args ...string) (html, db string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "s.db")
	if r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--store", db); r.code != 1 {
		t.Fatalf("scan: exit %d: %s", r.code, r.stderr)
	}
	out := filepath.Join(t.TempDir(), "report.html")
	r := trawl(t, nil, append([]string{"report", "--store", db, "--output", out}, args...)...)
	if r.code != 0 {
		t.Fatalf("report: exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), db
}

func TestReportFromStore(t *testing.T) {
	dir, values := hostileFiles(t)
	html, _ := reportFromScan(t, dir)

	// 6 findings: two card files, people.txt and the three hostile names.
	if m := regexp.MustCompile(`id="total">([0-9,]+)<`).FindStringSubmatch(html); m == nil || m[1] != "6" {
		t.Errorf("total shown: %v, want 6", m)
	}
	for _, want := range []string{"FINANCIAL_INFORMATION", "PERSONAL_INFORMATION", "USA_SOCIAL_SECURITY_NUMBER", "CREDIT_CARD_NUMBER",
		"hr/", "real/", "fixtures/", "row 2, column 2 (card)", "line 1, column 6", "Skipped objects", "discovery results"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if n := strings.Count(html, `<tr data-severity=`); n != 6 {
		t.Errorf("%d table rows, want 6", n)
	}
	if n := strings.Count(html, `class="detail" id="f-`); n != 6 {
		t.Errorf("%d details, want 6", n)
	}
	// No network: nothing is fetched from anywhere.
	for _, ref := range []string{"http://", "https://", "src=", "@import", "url("} {
		if strings.Contains(html, ref) {
			t.Errorf("report refers to %q: it must open with no network", ref)
		}
	}
	// Hostile names are escaped text, never markup.
	if strings.Contains(html, "<script>alert") || strings.Contains(html, `q"uo'te`) {
		t.Error("a hostile object key reached the page unescaped")
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)") || !strings.Contains(html, "q&#34;uo&#39;te&amp;.txt") {
		t.Error("the hostile keys are not shown escaped")
	}
	for _, v := range values {
		if strings.Contains(html, v) {
			t.Errorf("report holds a matched value")
		}
	}
	assertNoLeak(t, dir, html)
}

func TestReportFiltersAndLimit(t *testing.T) {
	dir, _ := storeFiles(t)
	html, db := reportFromScan(t, dir, "--identifier", "CREDIT_CARD_NUMBER", "--limit", "1")
	if m := regexp.MustCompile(`id="total">([0-9,]+)<`).FindStringSubmatch(html); m == nil || m[1] != "2" {
		t.Errorf("total with --identifier: %v, want 2", m)
	}
	if n := strings.Count(html, `<tr data-severity=`); n != 1 {
		t.Errorf("%d rows with --limit 1, want 1", n)
	}
	if !strings.Contains(html, "1 more findings left out") || !strings.Contains(html, "Selected: --identifier CREDIT_CARD_NUMBER") {
		t.Error("the report does not say what it selected and left out")
	}
	for _, bad := range [][]string{
		{"report"},
		{"report", "-o", "x.html", "--limit", "0"},
		{"report", "-o", "x.html", "--severity", "Huge", "--store", db},
		{"report", "-o", "x.html", "--findings", "f.jsonl", "--severity", "High"},
		{"report", "-o", "x.html", "--findings", filepath.Join(dir, "clean.txt")},
	} {
		r := trawl(t, nil, bad...)
		if r.code != 2 || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with the problem", bad, r.code, r.stderr)
		}
	}
}

func TestReportFromFindingsFile(t *testing.T) {
	dir, values := storeFiles(t)
	r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--no-store")
	f := filepath.Join(t.TempDir(), "f.jsonl")
	os.WriteFile(f, []byte(r.stdout), 0o644)
	out := filepath.Join(t.TempDir(), "r.html")
	if r := trawl(t, nil, "report", "--findings", f, "-o", out); r.code != 0 {
		t.Fatalf("report: exit %d: %s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(out)
	html := string(b)
	if m := regexp.MustCompile(`id="total">([0-9,]+)<`).FindStringSubmatch(html); m == nil || m[1] != "3" {
		t.Errorf("total: %v, want 3", m)
	}
	if !strings.Contains(html, `data-severity="High">3<`) && !strings.Contains(html, `data-severity="Medium">`) {
		t.Error("no severity totals")
	}
	for _, v := range values {
		if strings.Contains(html, v) {
			t.Error("report holds a matched value")
		}
	}
	// json arrays too.
	rj := trawl(t, nil, "scan", dir, "--format", "json", "--no-store")
	os.WriteFile(f, []byte(rj.stdout), 0o644)
	if r := trawl(t, nil, "report", "--findings", f, "-o", "-"); r.code != 0 || !strings.Contains(r.stdout, `id="total">3<`) {
		t.Errorf("report of a json array: exit %d: %s", r.code, r.stderr)
	}
}
