package main

import (
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	good := map[string]int64{
		"": 0, "0": 0, "1": 1, "1234": 1234, "10KB": 10e3, "5GB": 5e9, "5gb": 5e9, "10MiB": 10 << 20,
		"1.5 MB": 1.5e6, "2KiB": 2048, "3B": 3, "1T": 1e12, "1TiB": 1 << 40,
	}
	for in, want := range good {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"5XB", "-1", "abc", "KB", "1e30GB", "10 MB B"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}

func TestParseDateAndTags(t *testing.T) {
	if d, err := parseDate("2026-01-02"); err != nil || !d.Equal(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date: %v %v", d, err)
	}
	if d, err := parseDate("2026-01-02T03:04:05+01:00"); err != nil || d.UTC().Hour() != 2 {
		t.Errorf("RFC 3339: %v %v", d, err)
	}
	for _, in := range []string{"02/01/2026", "yesterday", "2026-13-01"} {
		if _, err := parseDate(in); err == nil {
			t.Errorf("parseDate(%q) accepted", in)
		}
	}
	tags, err := parseTags([]string{"env=prod", "pii", "empty="})
	if err != nil || len(tags) != 3 || tags[0].Value != "prod" || tags[0].AnyValue || !tags[1].AnyValue || tags[2].AnyValue || tags[2].Value != "" {
		t.Errorf("tags: %+v %v", tags, err)
	}
	if _, err := parseTags([]string{"=v"}); err == nil {
		t.Error("tag without key accepted")
	}
}

func TestParseS3URL(t *testing.T) {
	for in, want := range map[string][2]string{
		"s3://b": {"b", ""}, "s3://b/": {"b", ""}, "s3://b/p/q/": {"b", "p/q/"}, "s3://b/key.txt": {"b", "key.txt"},
	} {
		b, p, err := parseS3URL(in)
		if err != nil || b != want[0] || p != want[1] {
			t.Errorf("parseS3URL(%q) = %q, %q, %v", in, b, p, err)
		}
	}
	if _, _, err := parseS3URL("s3:///x"); err == nil {
		t.Error("empty bucket accepted")
	}
}
