package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPDFLegacyMarkupMail scans the PDF, XLS, DOC, HTML, XML and e-mail
// fixtures end to end and checks each result's status and the shape of
// its first occurrence in the results file (Macie's JSON).
func TestPDFLegacyMarkupMail(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"pdf/pages.pdf":           "report.pdf",
		"pdf/pages-encrypted.pdf": "locked.pdf",
		"office/sheet.xls":        "sheet.xls",
		"office/doc-text.doc":     "letter.doc",
		"markup/libreoffice.html": "page.html",
		"markup/minidom.xml":      "customers.dat", // XML by its content
		"mail/message.eml":        "message.eml",
	}
	for from, to := range files {
		copyFixture(t, filepath.Join("formats", from), filepath.Join(dir, to))
	}
	res := t.TempDir()
	r := trawl(t, nil, "scan", dir, "--format", "jsonl", "--results", res)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got := map[string]string{}
	for _, rec := range readResultsRaw(t, res) {
		obj := rec["resourcesAffected"].(map[string]any)["s3Object"].(map[string]any)
		key := obj["key"].(string)
		if obj["embeddedFileDetails"] != nil {
			continue // a member's own record: the object's sums it up
		}
		result := rec["classificationDetails"].(map[string]any)["result"].(map[string]any)
		st := result["status"].(map[string]any)
		desc := fmt.Sprint(result["mimeType"], " ", st["code"], "/", st["reason"])
		for _, sd := range result["sensitiveData"].([]any) {
			for _, d := range sd.(map[string]any)["detections"].([]any) {
				if d.(map[string]any)["type"] != "USA_SOCIAL_SECURITY_NUMBER" {
					continue
				}
				occ := d.(map[string]any)["occurrences"].(map[string]any)
				for _, kind := range []string{"pages", "cells", "lineRanges"} {
					if l, _ := occ[kind].([]any); len(l) > 0 {
						b, _ := json.Marshal(l[0])
						desc += " " + kind + string(b)
					}
				}
			}
		}
		got[key] = desc
	}
	want := map[string]string{
		"report.pdf":    `application/pdf COMPLETE/<nil> pages{"lineRange":{"end":1,"start":1,"startColumn":24},"offsetRange":null,"pageNumber":1}`,
		"locked.pdf":    "application/pdf SKIPPED/INVALID_ENCRYPTION",
		"sheet.xls":     `application/vnd.ms-excel COMPLETE/<nil> cells{"cellReference":"People!B2","column":2,"columnName":"SSN","row":2}`,
		"letter.doc":    `application/msword COMPLETE/<nil> lineRanges{"end":9,"start":9,"startColumn":1}`,
		"page.html":     `text/html COMPLETE/<nil> lineRanges{"end":43,"start":43,"startColumn":13}`,
		"customers.dat": `application/xml COMPLETE/<nil> lineRanges{"end":6,"start":6,"startColumn":9}`,
		"message.eml":   `message/rfc822 PARTIAL/ARCHIVE_CONTAINS_UNPROCESSED_FILES cells{"cellReference":null,"column":2,"columnName":"ssn","filePath":"message.eml!people.csv","row":2} lineRanges{"end":3,"start":3,"startColumn":22}`,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s:\n got %s\nwant %s", k, got[k], w)
		}
	}
}

func TestMaxObjectTimeFlag(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("ssn 123-45-6789\n"), 0o644)
	if r := trawl(t, nil, "scan", dir, "--max-object-time", "-1s"); r.code != 2 || !strings.Contains(r.stderr, "--max-object-time must not be negative") {
		t.Errorf("negative budget: exit %d, stderr %q", r.code, r.stderr)
	}
	// A budget that cannot be met: the object is cut off before its only
	// segment, so it is SKIPPED and nothing is found.
	res := t.TempDir()
	r := trawl(t, nil, "scan", dir, "--max-object-time", "1ns", "--format", "jsonl", "--results", res)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	recs := readResultsRaw(t, res)
	st := recs[0]["classificationDetails"].(map[string]any)["result"].(map[string]any)["status"].(map[string]any)
	if st["code"] != "SKIPPED" || st["reason"] != "TIME_CUT_OFF_REACHED" {
		t.Errorf("status %v, want SKIPPED TIME_CUT_OFF_REACHED", st)
	}
}
