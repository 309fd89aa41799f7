package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/fakeaws"
	"github.com/trawlsec/trawl/internal/pgtest"
)

// eachStore runs a test against a fresh SQLite file and a fresh PostgreSQL
// database.
func eachStore(t *testing.T, fn func(t *testing.T, store string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "trawl.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, pgtest.Get(t).NewDatabase(t)) })
}

// eventIDs are the finding IDs of the events the fake received, sorted.
func eventIDs(t *testing.T, s *fakeaws.Server) []string {
	t.Helper()
	var out []string
	for _, e := range s.Events() {
		var f finding
		if err := json.Unmarshal(e.Detail, &f); err != nil {
			t.Fatal(err)
		}
		out = append(out, f.ID)
	}
	slices.Sort(out)
	return out
}

func importedIDs(t *testing.T, s *fakeaws.Server) []string {
	t.Helper()
	var out []string
	for _, raw := range s.Imported() {
		var d struct{ Id string }
		json.Unmarshal(raw, &d)
		out = append(out, d.Id[strings.LastIndex(d.Id, "/")+1:])
	}
	slices.Sort(out)
	return out
}

func storedIDs(t *testing.T, store string, args ...string) []string {
	t.Helper()
	var out []string
	for _, f := range listJSON(t, append([]string{"--store", store}, args...)...).Findings {
		out = append(out, f.ID)
	}
	slices.Sort(out)
	return out
}

func mustRun(t *testing.T, code int, args ...string) runResult {
	t.Helper()
	r := trawl(t, nil, args...)
	if r.code != code {
		t.Fatalf("%v: exit %d, want %d: %s", args, r.code, code, r.stderr)
	}
	return r
}

// Across scans a finding goes to a target once: a re-scan sends only what
// is new; another target gets everything; archived findings never go.
func TestScanPublishesOnceAcrossRuns(t *testing.T) {
	eachStore(t, func(t *testing.T, store string) {
		s := fakeAWS(t)
		dir := twoFindings(t)
		mustRun(t, 1, "scan", dir, "--format", "jsonl", "--store", store, "--publish", "eventbridge")
		first := storedIDs(t, store)
		if len(first) != 2 || !slices.Equal(eventIDs(t, s), first) {
			t.Fatalf("first scan: events %v, stored %v", eventIDs(t, s), first)
		}
		r := mustRun(t, 1, "scan", dir, "--format", "jsonl", "--store", store, "--publish", "eventbridge")
		if len(s.Events()) != 2 || !strings.Contains(r.stderr, "published 0 events to eventbridge:default") {
			t.Fatalf("a re-scan sent %d events in all: %s", len(s.Events()), r.stderr)
		}
		mustRun(t, 1, "scan", dir, "--format", "jsonl", "--store", store, "--publish", "securityhub")
		if got := importedIDs(t, s); !slices.Equal(got, first) {
			t.Errorf("Security Hub got %v, want %v", got, first)
		}
		// Archive one; a new file's finding is the only new event.
		mustRun(t, 0, "findings", "archive", first[0], "--store", store)
		os.WriteFile(filepath.Join(dir, "c.txt"), []byte("ssn: 123-45-6789\n"), 0o644)
		mustRun(t, 1, "scan", dir, "--format", "jsonl", "--store", store, "--publish", "eventbridge", "--publish", "securityhub")
		all := storedIDs(t, store, "--all")
		third := slices.DeleteFunc(slices.Clone(all), func(id string) bool { return slices.Contains(first, id) })
		if len(third) != 1 || !slices.Equal(eventIDs(t, s), sorted(append(slices.Clone(first), third...))) ||
			len(s.Imported()) != 3 {
			t.Errorf("after a new file: events %v, %d imported; stored %v", eventIDs(t, s), len(s.Imported()), all)
		}
		show := mustRun(t, 0, "findings", "show", third[0], "--store", store)
		for _, want := range []string{"published: eventbridge:default at ", "published: securityhub:" + fakeaws.Account + "/eu-west-1 at "} {
			if !strings.Contains(show.stdout, want) {
				t.Errorf("show lacks %q:\n%s", want, show.stdout)
			}
		}
	})
}

func sorted(ids []string) []string {
	slices.Sort(ids)
	return ids
}

// A finding whose publishing failed stays unpublished in the store, and
// 'findings publish' sends it, only it; --force sends the current ones
// again, never archived or triaged-away ones.
func TestFindingsPublishResends(t *testing.T) {
	eachStore(t, func(t *testing.T, store string) {
		s := fakeAWS(t)
		dir := twoFindings(t)
		os.WriteFile(filepath.Join(dir, "c.txt"), []byte("ssn: 123-45-6789\n"), 0o644)
		// The first entry is refused, for good: the scan exits 2 with the
		// others sent.
		s.FailEntries(fakeaws.PutEvents, 1, 1, "MalformedDetail")
		r := mustRun(t, 2, "scan", dir, "--format", "jsonl", "--store", store, "--publish", "eventbridge:ops")
		if !strings.Contains(r.stderr, "EventBridge refused an event") {
			t.Errorf("stderr %q", r.stderr)
		}
		stored := storedIDs(t, store)
		if len(stored) != 3 || len(s.Events()) != 2 {
			t.Fatalf("%d stored, %d events", len(stored), len(s.Events()))
		}
		r = mustRun(t, 0, "findings", "publish", "--since", "1d", "--publish", "eventbridge:ops", "--store", store)
		if !slices.Equal(eventIDs(t, s), stored) || !strings.Contains(r.stderr, "published 1 events to eventbridge:ops") {
			t.Fatalf("after findings publish: events %v, stored %v: %s", eventIDs(t, s), stored, r.stderr)
		}
		r = mustRun(t, 0, "findings", "publish", "--publish", "eventbridge:ops", "--store", store)
		if len(s.Events()) != 3 || !strings.Contains(r.stderr, "nothing to send to eventbridge:ops") {
			t.Errorf("a second findings publish: %d events: %s", len(s.Events()), r.stderr)
		}
		// The filters select; --since excludes what is older.
		mustRun(t, 0, "findings", "publish", "--publish", "securityhub", "--store", store, "--until", "1d")
		if len(s.Imported()) != 0 {
			t.Errorf("--until 1d sent %d findings created just now", len(s.Imported()))
		}
		mustRun(t, 0, "findings", "archive", stored[0], "--store", store)
		mustRun(t, 0, "findings", "triage", stored[1], "--status", "false-positive", "--store", store)
		mustRun(t, 0, "findings", "publish", "--publish", "eventbridge:ops", "--publish", "securityhub", "--force", "--store", store)
		if got := importedIDs(t, s); !slices.Equal(got, stored[2:]) {
			t.Errorf("Security Hub got %v, want only %s (the others archived, triaged away)", got, stored[2])
		}
		n := map[string]int{}
		details := map[string][]string{}
		for _, e := range s.Events() {
			var f finding
			json.Unmarshal(e.Detail, &f)
			n[f.ID]++
			details[f.ID] = append(details[f.ID], string(e.Detail))
		}
		if n[stored[0]] != 1 || n[stored[1]] != 1 || n[stored[2]] != 2 {
			t.Errorf("events per finding %v", n)
		}
		// Sent from the store, a finding is the event the scan sent.
		if d := details[stored[2]]; len(d) == 2 && d[0] != d[1] {
			t.Errorf("the stored finding's event differs from the scan's:\n%s\n%s", d[0], d[1])
		}
	})
}

// A refused publish leaves everything unpublished; once allowed, 'findings
// publish' sends it all.
func TestFindingsPublishAfterRefusal(t *testing.T) {
	s := fakeAWS(t)
	store := filepath.Join(t.TempDir(), "trawl.db")
	s.FailRequests(fakeaws.BatchImportFindings, 1, 403, "AccessDeniedException")
	r := mustRun(t, 2, "scan", twoFindings(t), "--format", "jsonl", "--store", store, "--publish", "securityhub")
	if !strings.Contains(r.stderr, "securityhub:BatchImportFindings") {
		t.Errorf("stderr %q", r.stderr)
	}
	r = mustRun(t, 0, "findings", "publish", "--publish", "securityhub", "--store", store)
	if got := importedIDs(t, s); !slices.Equal(got, storedIDs(t, store)) || len(got) != 2 {
		t.Errorf("imported %v: %s", got, r.stderr)
	}
	// A refusal by 'findings publish' itself: exit 2, said how to retry.
	s.FailRequests(fakeaws.PutEvents, -1, 400, "ResourceNotFoundException")
	r = mustRun(t, 2, "findings", "publish", "--publish", "eventbridge:gone", "--store", store)
	if !strings.Contains(r.stderr, "event bus gone does not exist") || !strings.Contains(r.stderr, "run 'trawl findings publish' again") {
		t.Errorf("stderr %q", r.stderr)
	}
}

func TestFindingsPublishFlags(t *testing.T) {
	store := filepath.Join(t.TempDir(), "trawl.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "needs --publish"},
		{[]string{"--publish", "kafka"}, "use eventbridge"},
		{[]string{"--publish", "eventbridge", "--archived"}, "archived findings are never published"},
		{[]string{"--publish", "eventbridge", "--all"}, "archived findings are never published"},
		{[]string{"--publish", "eventbridge", "--triage", "resolved"}, "triaged resolved are never published"},
		{[]string{"--publish", "eventbridge", "--since", "yesterday"}, "--since"},
		{[]string{"--publish", "eventbridge", "--eventbridge-source", "aws.macie"}, "reserved for AWS"},
		{[]string{"--publish", "securityhub", "--severity", "Critical"}, "use Low, Medium or High"},
	} {
		r := trawl(t, nil, append([]string{"findings", "publish", "--store", store}, c.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, %q", c.args, r.code, r.stderr)
		}
	}
}

// A re-sighted finding that was archived, or triaged away, before it was
// ever published is not published by a later scan either.
func TestScanDoesNotPublishWithheld(t *testing.T) {
	s := fakeAWS(t)
	store := filepath.Join(t.TempDir(), "trawl.db")
	dir := twoFindings(t)
	mustRun(t, 1, "scan", dir, "--format", "jsonl", "--store", store)
	ids := storedIDs(t, store)
	mustRun(t, 0, "findings", "archive", ids[0], "--store", store)
	mustRun(t, 0, "findings", "triage", ids[1], "--status", "resolved", "--store", store)
	r := mustRun(t, 1, "scan", dir, "--format", "jsonl", "--store", store, "--publish", "eventbridge")
	if len(s.Events()) != 0 {
		t.Errorf("%d events for withheld findings: %s", len(s.Events()), r.stderr)
	}
}

// Without a store a finding is still published once within the run, even
// when the run sees it twice.
func TestScanPublishesOnceWithoutStore(t *testing.T) {
	s := fakeAWS(t)
	dir := twoFindings(t)
	r := mustRun(t, 1, "scan", dir, dir, "--format", "jsonl", "--no-store", "--publish", "eventbridge")
	if got := eventIDs(t, s); len(got) != 2 || got[0] == got[1] || strings.Count(r.stdout, "\n") != 4 {
		t.Errorf("events %v for 4 findings printed: %s", got, r.stderr)
	}
}
