package jobs

import (
	"strings"
	"testing"
	"time"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseSchedule(t *testing.T) {
	for _, c := range []struct {
		s, at string
		want  Schedule
	}{
		{"once", "", Schedule{Frequency: Once}},
		{"daily", "", Schedule{Frequency: Daily}},
		{"DAILY", "02:30", Schedule{Frequency: Daily, Hour: 2, Minute: 30}},
		{"weekly:MONDAY", "", Schedule{Frequency: Weekly, Weekday: time.Monday}},
		{"weekly:sunday", "23:59", Schedule{Frequency: Weekly, Weekday: time.Sunday, Hour: 23, Minute: 59}},
		{"monthly:15", "", Schedule{Frequency: Monthly, DayOfMonth: 15}},
		{"monthly:31", "", Schedule{Frequency: Monthly, DayOfMonth: 31}},
	} {
		got, err := ParseSchedule(c.s, c.at)
		if err != nil || got != c.want {
			t.Errorf("ParseSchedule(%q, %q) = %+v, %v; want %+v", c.s, c.at, got, err, c.want)
		}
	}
	for _, c := range []struct{ s, at, want string }{
		{"hourly", "", "once, daily, weekly:DAY"},
		{"weekly", "", "MONDAY to SUNDAY"},
		{"weekly:MONDAYS", "", "MONDAY to SUNDAY"},
		{"monthly:0", "", "1 to 31"},
		{"monthly:32", "", "1 to 31"},
		{"monthly:x", "", "1 to 31"},
		{"daily:3", "", "takes no day"},
		{"daily", "25:00", "HH:MM"},
		{"daily", "7pm", "HH:MM"},
	} {
		if _, err := ParseSchedule(c.s, c.at); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseSchedule(%q, %q): error %v, want one saying %q", c.s, c.at, err, c.want)
		}
	}
}

func TestLatestAndNext(t *testing.T) {
	created := ts("2026-01-01T00:00:00Z")
	for _, c := range []struct {
		name   string
		s      Schedule
		now    string
		latest string // "" for none
		next   string
	}{
		{"daily before its time", Schedule{Frequency: Daily, Hour: 2}, "2026-03-10T01:59:00Z", "2026-03-09T02:00:00Z", "2026-03-10T02:00:00Z"},
		{"daily at its time", Schedule{Frequency: Daily, Hour: 2}, "2026-03-10T02:00:00Z", "2026-03-10T02:00:00Z", "2026-03-11T02:00:00Z"},
		{"weekly on its day", Schedule{Frequency: Weekly, Weekday: time.Tuesday}, "2026-03-10T12:00:00Z", "2026-03-10T00:00:00Z", "2026-03-17T00:00:00Z"},
		{"weekly the day before", Schedule{Frequency: Weekly, Weekday: time.Wednesday}, "2026-03-10T12:00:00Z", "2026-03-04T00:00:00Z", "2026-03-11T00:00:00Z"},
		{"monthly", Schedule{Frequency: Monthly, DayOfMonth: 15}, "2026-03-10T00:00:00Z", "2026-02-15T00:00:00Z", "2026-03-15T00:00:00Z"},
		{"monthly 31 skips short months", Schedule{Frequency: Monthly, DayOfMonth: 31}, "2026-04-30T00:00:00Z", "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z"},
		{"monthly 30 skips February", Schedule{Frequency: Monthly, DayOfMonth: 30}, "2026-03-01T00:00:00Z", "2026-01-30T00:00:00Z", "2026-03-30T00:00:00Z"},
		{"monthly 29 in a leap year", Schedule{Frequency: Monthly, DayOfMonth: 29}, "2028-03-01T00:00:00Z", "2028-02-29T00:00:00Z", "2028-03-29T00:00:00Z"},
		{"not before creation", Schedule{Frequency: Monthly, DayOfMonth: 31}, "2026-01-20T00:00:00Z", "", "2026-01-31T00:00:00Z"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := c.s.Latest(ts(c.now), created)
			if c.latest == "" {
				if ok {
					t.Errorf("Latest = %v, want none", got)
				}
			} else if !ok || !got.Equal(ts(c.latest)) {
				t.Errorf("Latest = %v, %v; want %s", got, ok, c.latest)
			}
			next, ok := c.s.Next(ts(c.now))
			if !ok || !next.Equal(ts(c.next)) {
				t.Errorf("Next = %v, %v; want %s", next, ok, c.next)
			}
		})
	}
	if _, ok := (Schedule{Frequency: Once}).Latest(ts("2026-03-10T00:00:00Z"), created); ok {
		t.Error("a one-time job has a scheduled time")
	}
}
