package handler

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/findings/store"
	"github.com/trawlsec/trawl/internal/fakeaws"
	"github.com/trawlsec/trawl/internal/pgtest"
	"github.com/trawlsec/trawl/scanner/jobs"
	"github.com/trawlsec/trawl/scanner/s3source"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// TestHandlerOutputs: with a PostgreSQL store and EventBridge configured,
// an object's finding is kept in the store and then published, once
// however often its event is delivered.
func TestHandlerOutputs(t *testing.T) {
	dsn := pgtest.Get(t).NewDatabase(t)
	f := newFixture(t, Settings{})
	eb := fakeaws.Start(t, f.srv.AccessKey, f.srv.SecretKey, f.srv.Region)
	t.Setenv("AWS_ENDPOINT_URL_EVENTBRIDGE", eb.URL)
	cfg, err := Settings{Store: dsn, Publish: "eventbridge", S3: s3source.ClientOptions{EndpointURL: f.srv.Endpoint, PathStyle: true,
		Region: f.srv.Region}}.Build(context.Background(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if f.h, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	f.put(t, "hr/staff.txt", ssnText)
	f.put(t, "hr/clean.txt", "nothing\n")
	payload := `{"Records":[` + s3Record(f.bucket, "hr/staff.txt", f.etags["hr/staff.txt"], len(ssnText)) + `,` +
		s3Record(f.bucket, "hr/clean.txt", f.etags["hr/clean.txt"], 8) + `]}`
	for range 2 { // an event delivered twice keeps one finding
		if _, err := f.invoke(t, context.Background(), payload); err != nil {
			t.Fatal(err)
		}
	}
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.List(context.Background(), store.Query{})
	if err != nil || len(page.Findings) != 1 || page.Findings[0].ResourcesAffected.S3Object.Key != "hr/staff.txt" {
		t.Fatalf("store holds %+v, %v", page, err)
	}
	events := eb.Events()
	if len(events) != 1 { // the store remembers what was published
		t.Fatalf("%d events, want 1", len(events))
	}
	var detail struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	json.Unmarshal(events[0].Detail, &detail)
	if events[0].DetailType != "Macie Finding" || detail.ID != page.Findings[0].ID || detail.Type != "SensitiveData:S3Object/Personal" {
		t.Errorf("event %s %s", events[0].DetailType, events[0].Detail)
	}
	if strings.Contains(string(events[0].Detail), "6789") {
		t.Error("the event holds the matched value")
	}
}

func TestSettingsOutputsErrors(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct{ k, v, want string }{
		{EnvPublish, "securityhub", "eventbridge"},
		{EnvStore, "/tmp/trawl.db", "postgres://"},
		{EnvMaxMemory, "64", "128 to 10240"},
		{EnvFunctionMB, "lots", EnvFunctionMB},
	} {
		if _, err := SettingsFromEnv(env(map[string]string{c.k: c.v})); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s=%s: error %v, want one naming %q", c.k, c.v, err, c.want)
		}
	}
	s, err := SettingsFromEnv(env(map[string]string{EnvFunctionMB: "1769"}))
	if err != nil || s.MaxMemoryMB != 1769*3/4 {
		t.Errorf("from the function's memory: %d MiB, %v", s.MaxMemoryMB, err)
	}
}

// TestHandlerRunJob: Scheduler's run-job input runs the stored job's run
// for its scheduled time once, however often it is delivered.
func TestHandlerRunJob(t *testing.T) {
	dsn := pgtest.Get(t).NewDatabase(t)
	f := newFixture(t, Settings{})
	cfg, err := Settings{Store: dsn, S3: s3source.ClientOptions{EndpointURL: f.srv.Endpoint, PathStyle: true,
		Region: f.srv.Region}}.Build(context.Background(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if f.h, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	f.put(t, "a.txt", ssnText)
	f.put(t, "b.txt", "clean\n")
	if _, err := cfg.Jobs.Create(context.Background(), &jobs.Job{Name: "nightly", Targets: []string{"s3://" + f.bucket},
		Managed: "RECOMMENDED", Sampling: 100, Schedule: jobs.Schedule{Frequency: jobs.Daily}, InitialRun: true}); err != nil {
		t.Fatal(err)
	}
	input := `{"trawl":"run-job","job":"nightly","scheduledTime":"2026-12-07T00:00:00Z","executionId":"e1"}`
	for i, want := range []string{"COMPLETE", "ALREADY_RAN"} {
		r, err := f.invoke(t, context.Background(), input)
		if err != nil {
			t.Fatal(err)
		}
		if r.JobRun == nil || r.JobRun.Status != want || r.JobRun.Job != "nightly" {
			t.Fatalf("delivery %d: %+v, want %s", i, r.JobRun, want)
		}
	}
	h, err := cfg.Jobs.History(context.Background(), "nightly")
	if err != nil || len(h) != 1 || h[0].Statistics.ObjectsScanned != 2 || h[0].Statistics.FindingsBySeverity["High"] != 1 {
		t.Fatalf("history %+v, %v", h, err)
	}
	if _, err := f.invoke(t, context.Background(), `{"trawl":"run-job","job":"nope"}`); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown job: %v", err)
	}
}
