package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/asff"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
	"github.com/trawlsec/trawl/internal/fakeaws"
)

const (
	accessKey = "AKIDPUBLISHTEST"
	secretKey = "publish-test-secret"
	region    = "eu-west-1"
	secret    = "4111111111111111"
)

var fast = Retry{Attempts: 4, Backoff: time.Millisecond}

func awsConfig(url string) aws.Config {
	return aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = 5 * time.Millisecond })
		},
		BaseEndpoint: aws.String(url),
	}
}

func start(t *testing.T) (*fakeaws.Server, *eventbridge.Client, *securityhub.Client) {
	s := fakeaws.Start(t, accessKey, secretKey, region)
	t.Cleanup(func() {
		if r := s.Refused(); len(r) > 0 {
			t.Errorf("the fake refused requests: %q", r)
		}
	})
	cfg := awsConfig(s.URL)
	return s, eventbridge.NewFromConfig(cfg), securityhub.NewFromConfig(cfg)
}

var card = &identifiers.Identifier{ID: "CREDIT_CARD_NUMBER", Category: identifiers.Financial, Severity: identifiers.AlwaysHigh}

// finding i is about key-i in bucket b (or a local file without bucket),
// with n card numbers, each in an archive member named by a long path
// (so that n sets the finding's size).
func finding(i int, bucket string, n int, types ...*identifiers.Identifier) *findings.Finding {
	r := &findings.Result{Object: findings.Object{Bucket: bucket, Key: fmt.Sprintf("key-%d.zip", i), Path: fmt.Sprintf("%s/key-%d.zip", bucket, i)}, Status: findings.Complete}
	if bucket != "" {
		r.Object.BucketInfo = &findings.BucketInfo{Region: region, Partition: "aws", AccountID: fakeaws.Account}
	}
	if len(types) == 0 {
		types = []*identifiers.Identifier{card}
	}
	for _, id := range types {
		m := &findings.Result{Status: findings.Complete}
		seg := &formats.Segment{Text: []byte(strings.Repeat(secret+"\n", n)), Line: 1, Column: 1}
		for j := range n {
			m.Add(identifiers.DetectionAt(id, seg, 17*j, 17*j+16))
		}
		r.Merge(m, r.Object.Key+"!"+strings.Repeat("long/member/path/", 50)+id.ID)
	}
	r.Finish()
	return findings.Build(r, findings.Run{JobID: "job", CreatedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), AccountID: fakeaws.Account, Region: region, Partition: "aws"})
}

func TestEventBridgePublishesOncePerFinding(t *testing.T) {
	s, eb, _ := start(t)
	p := NewEventBridge(context.Background(), eb, "findings-bus", "", nil, fast)
	var want []string
	for i := range 23 {
		f := finding(i, "bkt", 1)
		want = append(want, f.ID)
		p.Put(nil, f)
		if i == 5 {
			p.Put(nil, f) // the same finding again: not sent twice
		}
	}
	archived := finding(99, "bkt", 1)
	archived.Archived = true
	p.Put(nil, archived)
	p.Put(nil, nil)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	ev := s.Events()
	if len(ev) != 23 || s.Requests(fakeaws.PutEvents) != 3 || p.Sent() != 23 {
		t.Fatalf("%d events in %d requests, %d counted", len(ev), s.Requests(fakeaws.PutEvents), p.Sent())
	}
	for i, e := range ev {
		var f findings.Finding
		if err := json.Unmarshal(e.Detail, &f); err != nil || f.ID != want[i] {
			t.Errorf("event %d: %v, finding %s want %s", i, err, f.ID, want[i])
		}
		if e.Source != "trawl" || e.DetailType != "Macie Finding" || e.EventBusName != "findings-bus" || !e.Time.Equal(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("event %d envelope %+v", i, e)
		}
		if strings.Contains(string(e.Detail), secret) {
			t.Fatal("a value in an event")
		}
	}
}

// Batches stay under 256 KB, and a finding too large for one event is sent
// with fewer locations and additionalOccurrences set.
func TestEventBridgeSizeLimits(t *testing.T) {
	s, eb, _ := start(t)
	p := NewEventBridge(context.Background(), eb, "", "custom.source", nil, fast)
	many := []*identifiers.Identifier{}
	for k := range 25 {
		many = append(many, &identifiers.Identifier{ID: fmt.Sprintf("T%02d", k), Category: identifiers.Personal, Severity: identifiers.AlwaysHigh})
	}
	total := 0
	for i := range 12 {
		f := finding(i, "bkt", 15, many[:5]...)
		raw, _ := json.Marshal(f)
		total += len(raw)
		p.Put(nil, f)
	}
	big := finding(100, "bkt", 15, many...)
	raw, _ := json.Marshal(big)
	if len(raw) < maxRequestBytes {
		t.Fatalf("the big finding is only %d bytes", len(raw))
	}
	p.Put(nil, big)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	ev := s.Events()
	if len(ev) != 13 || s.Requests(fakeaws.PutEvents) < (total+maxRequestBytes-1)/maxRequestBytes {
		t.Fatalf("%d events in %d requests", len(ev), s.Requests(fakeaws.PutEvents))
	}
	t.Logf("12 findings of %d bytes in all and one of %d bytes: %d PutEvents requests; the large one sent as %d bytes",
		total, len(raw), s.Requests(fakeaws.PutEvents), len(ev[12].Detail))
	var f findings.Finding
	json.Unmarshal(ev[12].Detail, &f)
	d := f.ClassificationDetails.Result.SensitiveData[0].Detections[0]
	if f.ID != big.ID || !f.ClassificationDetails.Result.AdditionalOccurrences || d.Count != 15 || len(d.Occurrences.LineRanges) >= 15 || ev[12].Source != "custom.source" {
		t.Errorf("trimmed finding: additional %v, count %d, %d locations", f.ClassificationDetails.Result.AdditionalOccurrences, d.Count, len(d.Occurrences.LineRanges))
	}
	if big.ClassificationDetails.Result.AdditionalOccurrences {
		t.Error("trimming changed the caller's finding")
	}
}

// Throttled and failed requests (retried by the SDK) and partly failed
// ones (their failed entries retried) end with every event sent once.
func TestEventBridgeRetries(t *testing.T) {
	for _, c := range []struct {
		name   string
		inject func(*fakeaws.Server)
	}{
		{"throttled", func(s *fakeaws.Server) { s.FailRequests(fakeaws.PutEvents, 2, 400, "ThrottlingException") }},
		{"5xx", func(s *fakeaws.Server) { s.FailRequests(fakeaws.PutEvents, 1, 500, "InternalException") }},
		{"partial", func(s *fakeaws.Server) { s.FailEntries(fakeaws.PutEvents, 2, 3, "ThrottlingException") }},
		{"partial internal", func(s *fakeaws.Server) { s.FailEntries(fakeaws.PutEvents, 1, 10, "InternalFailure") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, eb, _ := start(t)
			c.inject(s)
			p := NewEventBridge(context.Background(), eb, "", "", nil, fast)
			for i := range 10 {
				p.Put(nil, finding(i, "bkt", 1))
			}
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			for _, e := range s.Events() {
				var f findings.Finding
				json.Unmarshal(e.Detail, &f)
				seen[f.ID]++
			}
			if len(seen) != 10 || len(s.Events()) != 10 {
				t.Errorf("%d events, %d findings", len(s.Events()), len(seen))
			}
		})
	}
}

// A refusal ends publishing with an error that names the service, the
// resource and what to do; nothing is marked sent.
func TestEventBridgeFailures(t *testing.T) {
	for _, c := range []struct {
		name   string
		inject func(*fakeaws.Server)
		want   []string
	}{
		{"access denied", func(s *fakeaws.Server) { s.FailRequests(fakeaws.PutEvents, -1, 400, "AccessDeniedException") },
			[]string{"EventBridge", "events:PutEvents", "event bus ops"}},
		{"no bus", func(s *fakeaws.Server) { s.FailRequests(fakeaws.PutEvents, -1, 400, "ResourceNotFoundException") },
			[]string{"event bus ops does not exist", "--publish eventbridge:"}},
		{"throttled for good", func(s *fakeaws.Server) { s.FailEntries(fakeaws.PutEvents, -1, 1, "ThrottlingException") },
			[]string{"1 findings not published", "after 4 attempts", "ThrottlingException"}},
		{"entry refused", func(s *fakeaws.Server) { s.FailEntries(fakeaws.PutEvents, -1, 1, "MalformedDetail") },
			[]string{"EventBridge refused an event", "MalformedDetail"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, eb, _ := start(t)
			c.inject(s)
			ledger := NewMemoryLedger()
			p := NewEventBridge(context.Background(), eb, "ops", "", ledger, fast)
			first := finding(0, "bkt", 1)
			p.Put(nil, first)
			p.Put(nil, finding(1, "bkt", 1))
			err := p.Close()
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if ledger.Sent(p.Target(), first.ID) {
				t.Error("a failed finding marked sent")
			}
		})
	}
}

// A ledger that has a finding (the store, a run before) keeps it from
// being sent again.
func TestLedgerKeepsFindingsFromGoingTwice(t *testing.T) {
	s, eb, _ := start(t)
	ledger := NewMemoryLedger()
	for range 2 {
		p := NewEventBridge(context.Background(), eb, "", "", ledger, fast)
		p.Put(nil, finding(1, "bkt", 1))
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.Events()) != 1 {
		t.Errorf("%d events, want 1", len(s.Events()))
	}
}

func TestSecurityHub(t *testing.T) {
	s, _, sh := start(t)
	target := asff.Target{AccountID: fakeaws.Account, Region: region, Partition: "aws"}
	s.FailEntries(fakeaws.BatchImportFindings, 1, 5, "ThrottlingException")
	s.FailRequests(fakeaws.BatchImportFindings, 1, 429, "TooManyRequestsException")
	s.FailRequests(fakeaws.BatchImportFindings, 1, 503, "ServiceUnavailableException")
	p := NewSecurityHub(context.Background(), sh, target, nil, fast)
	for i := range 149 {
		p.Put(nil, finding(i, "bkt", 1))
	}
	p.Put(nil, finding(500, "", 1)) // a local file
	archived := finding(501, "bkt", 1)
	archived.Archived = true
	p.Put(nil, archived)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	got := s.Imported()
	if len(got) != 150 || p.Sent() != 150 {
		t.Fatalf("%d imported, %d counted", len(got), p.Sent())
	}
	ids := map[string]bool{}
	other := 0
	for _, raw := range got {
		var d struct {
			Id        string
			Resources []struct{ Type, Id string }
		}
		json.Unmarshal(raw, &d)
		ids[d.Id] = true
		if d.Resources[0].Type == "Other" {
			other++
		}
		if strings.Contains(string(raw), secret) {
			t.Fatal("a value in a Security Hub finding")
		}
	}
	if len(ids) != 150 || other != 1 {
		t.Errorf("%d distinct findings, %d of type Other", len(ids), other)
	}
}

func TestSecurityHubFailures(t *testing.T) {
	for _, c := range []struct {
		code string
		want []string
	}{
		{"AccessDeniedException", []string{"Security Hub", "securityhub:BatchImportFindings", "product/" + fakeaws.Account + "/default"}},
		{"InvalidAccessException", []string{"Security Hub is not enabled for account " + fakeaws.Account}},
	} {
		s, _, sh := start(t)
		s.FailRequests(fakeaws.BatchImportFindings, -1, 403, c.code)
		p := NewSecurityHub(context.Background(), sh, asff.Target{AccountID: fakeaws.Account, Region: region, Partition: "aws"}, nil, fast)
		p.Put(nil, finding(1, "bkt", 1))
		err := p.Close()
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %v lacks %q", c.code, err, w)
			}
		}
	}
}
