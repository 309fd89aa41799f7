package jobs

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Frequency is how often a job runs.
type Frequency string

const (
	Once    Frequency = "once"
	Daily   Frequency = "daily"
	Weekly  Frequency = "weekly"
	Monthly Frequency = "monthly"
)

// Schedule is when a job runs: Macie's ONE_TIME, or its daily, weekly and
// monthly schedules, at a time of day in UTC (00:00 unless given).
type Schedule struct {
	Frequency  Frequency    `json:"frequency"`
	Weekday    time.Weekday `json:"weekday,omitempty"`    // Weekly
	DayOfMonth int          `json:"dayOfMonth,omitempty"` // Monthly, 1 to 31
	Hour       int          `json:"hour,omitempty"`
	Minute     int          `json:"minute,omitempty"`
}

// ParseSchedule reads --schedule (once, daily, weekly:MONDAY, monthly:15)
// and --at (HH:MM, UTC).
func ParseSchedule(s, at string) (Schedule, error) {
	var sc Schedule
	kind, arg, hasArg := strings.Cut(strings.TrimSpace(s), ":")
	switch Frequency(strings.ToLower(kind)) {
	case Once, Daily:
		if hasArg {
			return sc, fmt.Errorf("--schedule %q: %s takes no day", s, kind)
		}
		sc.Frequency = Frequency(strings.ToLower(kind))
	case Weekly:
		d, ok := weekday(arg)
		if !ok {
			return sc, fmt.Errorf("--schedule %q: give weekly:DAY, DAY one of MONDAY to SUNDAY", s)
		}
		sc.Frequency, sc.Weekday = Weekly, d
	case Monthly:
		n, err := strconv.Atoi(arg)
		if err != nil || n < 1 || n > 31 {
			return sc, fmt.Errorf("--schedule %q: give monthly:DAY, DAY from 1 to 31 (29 to 31 skip the months without them)", s)
		}
		sc.Frequency, sc.DayOfMonth = Monthly, n
	default:
		return sc, fmt.Errorf("--schedule %q: use once, daily, weekly:DAY (e.g. weekly:MONDAY) or monthly:DAY (e.g. monthly:15)", s)
	}
	if at != "" {
		t, err := time.Parse("15:04", at)
		if err != nil {
			return sc, fmt.Errorf("--at %q: give a UTC time of day as HH:MM, e.g. 02:30", at)
		}
		sc.Hour, sc.Minute = t.Hour(), t.Minute()
	}
	return sc, nil
}

var weekdays = map[string]time.Weekday{"SUNDAY": time.Sunday, "MONDAY": time.Monday, "TUESDAY": time.Tuesday,
	"WEDNESDAY": time.Wednesday, "THURSDAY": time.Thursday, "FRIDAY": time.Friday, "SATURDAY": time.Saturday}

func weekday(s string) (time.Weekday, bool) {
	d, ok := weekdays[strings.ToUpper(s)]
	return d, ok
}

// String is the schedule as --schedule and --at write it.
func (s Schedule) String() string {
	var out string
	switch s.Frequency {
	case Weekly:
		out = "weekly:" + strings.ToUpper(s.Weekday.String())
	case Monthly:
		out = fmt.Sprintf("monthly:%d", s.DayOfMonth)
	default:
		out = string(s.Frequency)
	}
	if s.Frequency != Once {
		out += fmt.Sprintf(" at %02d:%02d UTC", s.Hour, s.Minute)
	}
	return out
}

// Latest is the latest scheduled time not after now, and false if there
// is none (a one-time job, or a monthly day no month has had yet). Only
// times at or after from count: a job is not due for times before it
// was created.
func (s Schedule) Latest(now, from time.Time) (time.Time, bool) {
	now = now.UTC()
	at := func(y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, s.Hour, s.Minute, 0, 0, time.UTC)
	}
	var t time.Time
	switch s.Frequency {
	case Daily:
		t = at(now.Year(), now.Month(), now.Day())
		if t.After(now) {
			t = t.AddDate(0, 0, -1)
		}
	case Weekly:
		t = at(now.Year(), now.Month(), now.Day())
		back := (int(now.Weekday()) - int(s.Weekday) + 7) % 7
		t = t.AddDate(0, 0, -back)
		if t.After(now) {
			t = t.AddDate(0, 0, -7)
		}
	case Monthly:
		// Walk back month by month to one that has the day (a day 31
		// skips the months of 30 days and February, as Macie does).
		y, m := now.Year(), now.Month()
		for range 13 {
			if s.DayOfMonth <= daysIn(y, m) {
				if c := at(y, m, s.DayOfMonth); !c.After(now) {
					t = c
					break
				}
			}
			m--
			if m < time.January {
				m, y = time.December, y-1
			}
		}
	default:
		return time.Time{}, false
	}
	if t.IsZero() || t.Before(from) {
		return time.Time{}, false
	}
	return t, true
}

// Next is the first scheduled time after t.
func (s Schedule) Next(t time.Time) (time.Time, bool) {
	t = t.UTC()
	switch s.Frequency {
	case Daily, Weekly:
		step := 1
		if s.Frequency == Weekly {
			step = 7
		}
		// The latest time not after t, then one step on.
		last, _ := s.Latest(t, time.Time{})
		return last.AddDate(0, 0, step), true
	case Monthly:
		y, m := t.Year(), t.Month()
		for range 14 {
			if s.DayOfMonth <= daysIn(y, m) {
				if c := time.Date(y, m, s.DayOfMonth, s.Hour, s.Minute, 0, 0, time.UTC); c.After(t) {
					return c, true
				}
			}
			m++
			if m > time.December {
				m, y = time.January, y+1
			}
		}
	}
	return time.Time{}, false
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
