package findings

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

// TestCSV: one row per location with the location's own columns, the
// archive member named, and no value anywhere.
func TestCSV(t *testing.T) {
	secret := "4111111111111111"
	seg := &formats.Segment{Text: []byte("x " + secret + "\n"), Line: 7, Column: 1}
	r := &Result{Object: Object{Key: "a.zip", Path: "/d/a.zip"}, Status: Complete}
	member := &Result{Status: Complete}
	member.Add(identifiers.DetectionAt(card, seg, 2, 18))
	ref := "S!C5"
	member.typeFor(emp).Occurrences = []formats.Occurrence{{Cell: &formats.Cell{Row: 5, Column: 3, CellReference: &ref}}, {Record: &formats.Record{RecordIndex: 2, JSONPath: "$.k"}}}
	member.typeFor(emp).Count = 2
	r.Merge(member, "a.zip!in/b.txt")
	r.Finish()
	var buf bytes.Buffer
	w := NewCSV(&buf)
	w.Put(r, Build(r, run))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), secret) {
		t.Fatal("a value in the CSV")
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		csvHeader,
		{"", "", "/d/a.zip", "in/b.txt", "CREDIT_CARD_NUMBER", "FINANCIAL_INFORMATION", "High", "7", "3", "", "", ""},
		{"", "", "/d/a.zip", "in/b.txt", "Employee ID", "CUSTOM_IDENTIFIER", "High", "", "", "", "2 $.k", ""},
		{"", "", "/d/a.zip", "in/b.txt", "Employee ID", "CUSTOM_IDENTIFIER", "High", "", "", "", "", "S!C5"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows: %q", len(rows), rows)
	}
	for i := 1; i < len(rows); i++ {
		rows[i][0], rows[i][1] = "", "" // the run's IDs
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d\n got %q\nwant %q", i, rows[i], want[i])
		}
	}
	// No findings: the header alone.
	buf.Reset()
	NewCSV(&buf).Close()
	if strings.TrimSpace(buf.String()) != strings.Join(csvHeader, ",") {
		t.Errorf("empty CSV %q", buf.String())
	}
}
