package scanner

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/findings"
)

// written is everything trawl writes of a result: its discovery record,
// its finding and its table row, by name.
func written(t *testing.T, r *findings.Result) map[string]string {
	t.Helper()
	run := findings.Run{JobID: "job"}
	rec, err := json.Marshal(findings.Record(r, run))
	if err != nil {
		t.Fatal(err)
	}
	f := findings.Build(r, run)
	fj, _ := json.Marshal(f)
	var table bytes.Buffer
	tw := findings.NewTable(&table)
	tw.Put(r, f)
	tw.Close()
	return map[string]string{"record": string(rec), "finding": string(fj), "table": table.String()}
}

// leaks names the outputs that hold value (never printed: it is one).
func leaks(out map[string]string, value string) []string {
	var in []string
	for name, s := range out {
		if strings.Contains(s, value) {
			in = append(in, name)
		}
	}
	return in
}

// A detected value that is also structure (a CSV header cell, a JSON
// key) is masked in every location that names it: it is not written in
// columnName or jsonPath, in the record, the finding or the table.
func TestValuesInStructureAreMasked(t *testing.T) {
	const ssn = "123-45-6789"
	csvData := "name,ssn " + ssn + "\nJane,x\nJoe," + ssn + "\n"
	for _, tc := range []struct {
		key, data string
		masked    []string // as locations must show it
		values    int
	}{
		{"header.csv", csvData, []string{`"columnName":"ssn ***********"`}, 2},
		{"key.json", `{"ssn": {"` + ssn + `": "x", "other": "123-45-6780"}}`,
			[]string{`"jsonPath":"$.ssn['***********']"`}, 2},
		{"key.jsonl", `{"ssn": {"` + ssn + `": {"name": "Jane"}}}` + "\n" + `{"ssn": "` + ssn + `"}` + "\n",
			[]string{`"jsonPath":"$.ssn['***********']"`}, 2},
		// A key with a quote is escaped in the path: masked there too.
		{"quoted.json", `{"ssn": {"` + ssn + `'": "x"}}`, []string{`"jsonPath":"$.ssn['***********\\'']"`}, 1},
		// In an archive the member's locations are masked in the object's.
		{"in.zip", string(zipOf(t, map[string][]byte{"dir/header.csv": []byte(csvData)}, zip.Deflate)),
			[]string{`"columnName":"ssn ***********"`}, 2},
	} {
		t.Run(tc.key, func(t *testing.T) {
			r := scanBytes(t, tc.key, []byte(tc.data), nil)
			r.Finish()
			if n := count(r, ssnID); n != tc.values {
				t.Errorf("%d values found, want %d", n, tc.values)
			}
			out := written(t, r)
			if in := leaks(out, "6789"); len(in) > 0 {
				t.Errorf("the value is written in the %v", in)
			}
			for _, m := range tc.masked {
				if !strings.Contains(out["record"], m) {
					t.Errorf("no %s in the record", m)
				}
			}
		})
	}
}

// Past the number of values held for masking, every name in the object's
// locations is masked whole: none of the values is written.
func TestManyValuesInStructureMaskEveryName(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"ssn": {`)
	const n = 4200
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"123-45-%04d": "x"`, i)
	}
	b.WriteString("}}")
	r := scanBytes(t, "many.json", []byte(b.String()), nil)
	r.Finish()
	if c := count(r, ssnID); c != n {
		t.Fatalf("%d values found, want %d", c, n)
	}
	out := written(t, r)
	if in := leaks(out, "123-45-"); len(in) > 0 {
		t.Errorf("values written in the %v", in)
	}
	if !strings.Contains(out["record"], `"jsonPath":"$.***['***********']"`) {
		t.Error("paths not masked whole")
	}
}
