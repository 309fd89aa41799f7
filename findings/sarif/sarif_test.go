package sarif

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

const secret = "4111111111111111"

var (
	card  = &identifiers.Identifier{ID: "CREDIT_CARD_NUMBER", Category: identifiers.Financial, Severity: identifiers.AlwaysHigh, Description: "Credit card numbers"}
	phone = &identifiers.Identifier{ID: "PHONE_NUMBER", Category: identifiers.Personal, Severity: identifiers.ByCount}
)

// result is a scan of a.zip: a card on line 2 column 3 of in/b.txt, and
// a phone number on page 4 of c.pdf.
func result() *findings.Result {
	r := &findings.Result{Object: findings.Object{Key: "src/a.zip", Path: "/repo/src/a.zip", LastModified: time.Now()}, Status: findings.Complete}
	m := &findings.Result{Status: findings.Complete}
	seg := &formats.Segment{Text: []byte("x\nab" + secret + "\n"), Line: 1, Column: 1}
	m.Add(identifiers.DetectionAt(card, seg, 4, 20))
	r.Merge(m, "src/a.zip!in/b.txt")
	m = &findings.Result{Status: findings.Complete}
	page := &formats.Segment{Text: []byte("+1 555 0100"), Line: 1, Column: 1, Page: 4}
	m.Add(identifiers.DetectionAt(phone, page, 0, 11))
	r.Merge(m, "src/a.zip!c.pdf")
	r.Finish()
	return r
}

func TestSARIF(t *testing.T) {
	r := result()
	f := findings.Build(r, findings.Run{JobID: "j", CreatedAt: time.Now()})
	var out, warn bytes.Buffer
	w := NewWriter(&out, &warn, "test")
	if err := w.Put(r, f); err != nil {
		t.Fatal(err)
	}
	if err := w.Validate(); err != nil {
		t.Fatalf("not SARIF 2.1.0: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), secret) || warn.Len() > 0 {
		t.Fatalf("a value in the SARIF, or a warning %q", warn.String())
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID               string
						HelpURI          string
						ShortDescription struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID              string
				Level               string
				PartialFingerprints map[string]string
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine, StartColumn, EndLine int }
					}
					LogicalLocations []struct{ FullyQualifiedName, Kind string }
				}
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("%v: %s", err, out.String())
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != 2 || len(run.Results) != 2 {
		t.Fatalf("%d rules, %d results: %s", len(run.Tool.Driver.Rules), len(run.Results), out.String())
	}
	for _, rule := range run.Tool.Driver.Rules {
		want := map[string]string{"CREDIT_CARD_NUMBER": "Credit card numbers", "PHONE_NUMBER": "Sensitive data of type PHONE_NUMBER (personal information)"}[rule.ID]
		if !strings.HasPrefix(rule.ShortDescription.Text, want) || !strings.HasPrefix(rule.HelpURI, "https://docs.aws.amazon.com/macie/") {
			t.Errorf("rule %+v", rule)
		}
	}
	byRule := map[string]int{}
	for i, res := range run.Results {
		byRule[res.RuleID] = i
		if res.Level != map[string]string{"CREDIT_CARD_NUMBER": "error", "PHONE_NUMBER": "error"}[res.RuleID] || res.PartialFingerprints["trawlFinding/v1"] == "" {
			t.Errorf("result %d: level %s fingerprints %v", i, res.Level, res.PartialFingerprints)
		}
		if res.Locations[0].PhysicalLocation.ArtifactLocation.URI != "src/a.zip" {
			t.Errorf("uri %s", res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
		}
	}
	c := run.Results[byRule["CREDIT_CARD_NUMBER"]].Locations[0]
	if c.PhysicalLocation.Region == nil || c.PhysicalLocation.Region.StartLine != 2 || c.PhysicalLocation.Region.StartColumn != 3 ||
		len(c.LogicalLocations) != 1 || c.LogicalLocations[0].FullyQualifiedName != "in/b.txt" {
		t.Errorf("card location %+v", c)
	}
	if p := run.Results[byRule["PHONE_NUMBER"]].Locations[0]; p.PhysicalLocation.Region == nil || p.PhysicalLocation.Region.StartLine != 1 || p.LogicalLocations[0].FullyQualifiedName != "c.pdf" {
		t.Errorf("cell location %+v", p)
	}
	if run.Results[0].PartialFingerprints["trawlFinding/v1"] == run.Results[1].PartialFingerprints["trawlFinding/v1"] {
		t.Error("two results share a fingerprint")
	}
}

// Past the cap, results are dropped and the writer says so.
func TestSARIFCap(t *testing.T) {
	r := result()
	f := findings.Build(r, findings.Run{JobID: "j", CreatedAt: time.Now()})
	var out, warn bytes.Buffer
	w := NewWriter(&out, &warn, "")
	w.Max = 1
	w.Put(r, f)
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if n := strings.Count(out.String(), `"ruleId"`); n != 1 || !strings.Contains(warn.String(), "cut at 1 results") {
		t.Errorf("%d results, warning %q", n, warn.String())
	}
}

// Past the gzipped size limit, results are dropped from the end until the
// log fits, and the writer says so.
func TestSARIFSizeCap(t *testing.T) {
	var out, warn bytes.Buffer
	w := NewWriter(&out, &warn, "")
	w.MaxGzip = 4000
	for i := range 40 {
		r := result()
		r.Object.Key = fmt.Sprintf("src/%d-%x.zip", i, sha256.Sum256([]byte{byte(i)}))
		w.Put(r, findings.Build(r, findings.Run{JobID: "j", CreatedAt: time.Now()}))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	z := gzip.NewWriter(&gz)
	z.Write(out.Bytes())
	z.Close()
	n := strings.Count(out.String(), `"ruleId"`)
	if gz.Len() > 4000 || n == 0 || n >= 80 || !strings.Contains(warn.String(), "upload limit") {
		t.Errorf("%d bytes gzipped, %d results, warning %q", gz.Len(), n, warn.String())
	}
	if err := w.Validate(); err != nil {
		t.Error(err)
	}
}
