package handler

import (
	"encoding/json"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/scanner/events"
)

const templatePath = "../../../deploy/template.yaml"

// m walks a decoded YAML document; a missing step fails the test.
func m(t *testing.T, v any, path ...string) any {
	t.Helper()
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("template: %s is not a mapping", strings.Join(path, "."))
		}
		if v, ok = mm[p]; !ok {
			t.Fatalf("template: no %s", strings.Join(path, "."))
		}
	}
	return v
}

// TestTemplateMatchesCode checks that what deploy/template.yaml names is
// what the code reads and does: the handler, its environment, the event
// pattern, the permissions its calls need and the map's batch shape.
func TestTemplateMatchesCode(t *testing.T) {
	b, err := os.ReadFile(templatePath)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	fn := m(t, doc, "Resources", "ScanFunction", "Properties")
	if m(t, fn, "Handler") != "bootstrap" || m(t, fn, "Runtime") != "provided.al2023" ||
		!reflect.DeepEqual(m(t, fn, "Architectures"), []any{"arm64"}) || m(t, fn, "CodeUri") != "../dist/trawl-lambda-arm64.zip" {
		t.Errorf("function: handler %v, runtime %v, architectures %v, code %v",
			m(t, fn, "Handler"), m(t, fn, "Runtime"), m(t, fn, "Architectures"), m(t, fn, "CodeUri"))
	}
	for name := range m(t, fn, "Environment", "Variables").(map[string]any) {
		if !slices.Contains(EnvVars, name) {
			t.Errorf("the template sets %s, which the function does not read", name)
		}
	}
	// The rule's pattern lets through what the handler takes.
	pattern := m(t, fn, "Events", "ObjectCreated", "Properties", "Pattern")
	source := m(t, pattern, "source").([]any)[0].(string)
	detailType := m(t, pattern, "detail-type").([]any)[0].(string)
	ev, _ := json.Marshal(map[string]any{"detail-type": detailType, "source": source,
		"detail": map[string]any{"bucket": map[string]any{"name": "b"}, "object": map[string]any{"key": "k", "size": 1}}})
	if req, err := events.Parse(ev); err != nil || req.Shape != events.EventBridgeObjectCreated {
		t.Errorf("an event the rule lets through (%s from %s) is not scanned: %v", detailType, source, err)
	}
	// Every call the function makes has its permission.
	var actions []string
	for _, st := range m(t, fn, "Policies").([]any)[0].(map[string]any)["Statement"].([]any) {
		if stm, ok := st.(map[string]any); ok {
			for _, a := range stm["Action"].([]any) {
				actions = append(actions, a.(string))
			}
		}
		// The conditional statement (!If) decodes as a list.
		if l, ok := st.([]any); ok && len(l) > 1 {
			for _, a := range l[1].(map[string]any)["Action"].([]any) {
				actions = append(actions, a.(string))
			}
		}
	}
	for _, need := range []string{
		"s3:GetObject", "s3:GetObjectVersion", // reading an object, or the version an event names (HeadObject too)
		"s3:GetObjectTagging", // tags in findings
		"s3:ListBucket",       // HeadBucket: the bucket's region, a missing bucket told from a missing object
		"s3:PutObject",        // the discovery results
		"kms:GenerateDataKey", // the results' SSE-KMS
		"kms:Decrypt",         // SSE-KMS objects
		"events:PutEvents",    // findings published
	} {
		if !slices.Contains(actions, need) {
			t.Errorf("the function's role lacks %s", need)
		}
	}
	// The map hands the function batches it reads.
	sm := m(t, doc, "Resources", "BucketScan", "Properties", "Definition", "States", "ScanBucket")
	batchInput := m(t, sm, "ItemBatcher", "BatchInput").(map[string]any)
	if _, ok := batchInput["bucket.$"]; !ok {
		t.Error("the map's BatchInput has no bucket, which the function needs for ListObjectsV2 items")
	}
	if m(t, sm, "ItemReader", "Resource") != "arn:aws:states:::s3:listObjectsV2" {
		t.Error("the map's items are not ListObjectsV2's")
	}
	states := m(t, sm, "ItemProcessor", "States")
	if v := m(t, states, "Unfinished", "Choices").([]any)[0].(map[string]any)["Variable"]; v != "$.response.retry" {
		t.Errorf("the map loops on %v, not the response's retry", v)
	}
	// The schedule's input is the run-job input the function takes.
	input := strings.NewReplacer("${JobName}", "nightly", "<aws.scheduler.scheduled-time>", "2026-12-07T02:00:00Z").
		Replace(m(t, doc, "Resources", "JobSchedule", "Properties", "Target", "Input").(string))
	if req, err := events.Parse([]byte(input)); err != nil || req.Shape != events.SchedulerRunJob || req.Job != "nightly" || req.ScheduledTime.IsZero() {
		t.Errorf("the schedule's input %s is not a run-job the function takes: %v", input, err)
	}
	if f, ok := reflect.TypeFor[Response]().FieldByName("Retry"); !ok || f.Tag.Get("json") != "retry,omitempty" {
		t.Error("Response.Retry is not the template's retry")
	}
}

// TestTemplateLint runs cfn-lint (with the SAM translator) where it is
// installed.
func TestTemplateLint(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint not installed")
	}
	if out, err := exec.Command(lint, templatePath).CombinedOutput(); err != nil {
		t.Fatalf("cfn-lint: %v\n%s", err, out)
	}
}
