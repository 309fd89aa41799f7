package findings

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/identifiers"
)

// A run that writes discovery results names them in its findings, as
// Macie's classificationDetails.detailedResultsLocation; one that does not
// leaves the field out.
func TestDetailedResultsLocation(t *testing.T) {
	withResults := run
	withResults.ResultsLocation = "s3://results/AWSLogs/unknown/Macie/us-east-1/job/unknown/f.jsonl.gz"
	f := Build(resultWith(map[*identifiers.Identifier]int{card: 1}), withResults)
	if f.ClassificationDetails.DetailedResultsLocation != withResults.ResultsLocation {
		t.Errorf("detailedResultsLocation %q", f.ClassificationDetails.DetailedResultsLocation)
	}
	raw, err := json.Marshal(Build(resultWith(map[*identifiers.Identifier]int{card: 1}), run))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "detailedResultsLocation") {
		t.Error("detailedResultsLocation present without results")
	}
}
