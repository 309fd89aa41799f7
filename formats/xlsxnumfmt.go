package formats

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// numFormat is a worksheet number format, compiled once per style: the
// subset of Excel's format codes that decides what a number looks like in
// the common cases (General, fixed decimals, thousands separators,
// percent, scientific, dates and times, literal text around them). A code
// it does not understand (fractions, conditions) shows the number as
// General, which still holds every digit a detector needs.
type numFormat struct {
	sections []numSection // positive; negative; zero
	text     bool         // "@": the value as written
}

type numSection struct {
	general        bool
	date           []dateToken // a date/time section when non-nil
	prefix, suffix string      // literal text around the number
	percent        bool
	scientific     bool
	grouping       bool
	minInt         int // '0's before the decimal point
	minDec, maxDec int // '0's, and all placeholders, after it
	parens         bool
}

type dateToken struct {
	kind string // "y","yy","m","mm","mmm","mmmm","d","dd","ddd","dddd","h","hh","M","MM" (minutes),"s","ss","ampm","[h]","lit"
	lit  string
}

// builtinNumFormats are the format codes of Excel's built-in ids that a
// styles part may refer to without writing them out.
var builtinNumFormats = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
	11: "0.00E+00", 12: "General", 13: "General", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
	17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "hh:mm", 21: "hh:mm:ss",
	22: "m/d/yy hh:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;(#,##0)", 39: "#,##0.00;(#,##0.00)",
	40: "#,##0.00;(#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss", 48: "##0.0E+0", 49: "@",
}

// parseNumFormat compiles a format code.
func parseNumFormat(code string) *numFormat {
	if code == "@" {
		return &numFormat{text: true}
	}
	f := &numFormat{}
	for _, sec := range splitSections(code) {
		f.sections = append(f.sections, parseSection(sec))
		if len(f.sections) == 3 {
			break
		}
	}
	if len(f.sections) == 0 {
		f.sections = []numSection{{general: true}}
	}
	return f
}

// splitSections splits a code at the ';' outside quotes and escapes.
func splitSections(code string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '"':
			quoted = !quoted
		case c == '\\' && !quoted:
			i++
		case c == ';' && !quoted:
			out = append(out, code[start:i])
			start = i + 1
		}
	}
	return append(out, code[start:])
}

func parseSection(sec string) numSection {
	if strings.EqualFold(strings.TrimSpace(sec), "general") || strings.TrimSpace(sec) == "" {
		return numSection{general: true}
	}
	var s numSection
	var lits strings.Builder
	var toks []dateToken
	isDate, seenNum, afterPoint, inExp := false, false, false, false
	flushLit := func() {
		if lits.Len() == 0 {
			return
		}
		if seenNum {
			s.suffix += lits.String()
		} else {
			s.prefix += lits.String()
		}
		toks = append(toks, dateToken{kind: "lit", lit: lits.String()})
		lits.Reset()
	}
	lower := strings.ToLower(sec)
	for i := 0; i < len(sec); i++ {
		c := lower[i]
		switch {
		case c == '"':
			j := strings.IndexByte(sec[i+1:], '"')
			if j < 0 {
				j = len(sec) - i - 1
			}
			lits.WriteString(sec[i+1 : i+1+j])
			i += j + 1
		case c == '\\' && i+1 < len(sec):
			lits.WriteByte(sec[i+1])
			i++
		case c == '_' || c == '*':
			// A space the width of the next character, or a fill: neither
			// shows a character of its own.
			i++
		case c == '[':
			j := strings.IndexByte(sec[i:], ']')
			if j < 0 {
				return numSection{general: true}
			}
			if b := lower[i+1 : i+j]; b == "h" || b == "hh" {
				flushLit()
				toks = append(toks, dateToken{kind: "[h]"})
				isDate = true
			}
			i += j
		case c == 'y' || c == 'd' || c == 'h' || c == 's' || (c == 'm' && !inExp):
			n := 1
			for i+n < len(sec) && lower[i+n] == c {
				n++
			}
			flushLit()
			kind := strings.Repeat(string(c), min(n, 4))
			if c == 'y' {
				kind = "yy"
				if n > 2 {
					kind = "yyyy"
				}
			}
			toks = append(toks, dateToken{kind: kind})
			isDate = true
			i += n - 1
		case strings.HasPrefix(lower[i:], "am/pm"):
			flushLit()
			toks = append(toks, dateToken{kind: "ampm"})
			isDate = true
			i += 4
		case c == '0' || c == '#' || c == '?':
			if !seenNum {
				flushLit()
			}
			seenNum = true
			switch {
			case inExp:
			case afterPoint:
				s.maxDec++
				if c == '0' {
					s.minDec++
				}
			case c == '0':
				s.minInt++
			}
		case c == '.' && (seenNum || (i+1 < len(sec) && strings.ContainsRune("0#?", rune(sec[i+1])))):
			seenNum, afterPoint = true, true
			toks = append(toks, dateToken{kind: "lit", lit: "."})
		case c == ',' && seenNum && !afterPoint:
			s.grouping = true
		case c == 'e' && seenNum && i+1 < len(sec) && (sec[i+1] == '+' || sec[i+1] == '-'):
			s.scientific, inExp = true, true
			i++
		case c == '/' && seenNum && !isDate:
			return numSection{general: true} // a fraction
		default:
			if c == '%' {
				s.percent = true
			}
			if c == '(' && !seenNum {
				s.parens = true
			}
			lits.WriteByte(sec[i])
		}
	}
	flushLit()
	if isDate {
		return numSection{date: markMinutes(toks)}
	}
	if !seenNum {
		s.general = s.prefix == "" // text only: shows the literal
	}
	return s
}

// markMinutes turns the m tokens that mean minutes (after an hour, or
// before a second) into M.
func markMinutes(toks []dateToken) []dateToken {
	last := func(i int) string {
		for j := i - 1; j >= 0; j-- {
			if toks[j].kind != "lit" {
				return toks[j].kind
			}
		}
		return ""
	}
	nextKind := func(i int) string {
		for j := i + 1; j < len(toks); j++ {
			if toks[j].kind != "lit" {
				return toks[j].kind
			}
		}
		return ""
	}
	for i, t := range toks {
		if t.kind != "m" && t.kind != "mm" {
			continue
		}
		p, n := last(i), nextKind(i)
		if p == "h" || p == "hh" || p == "[h]" || n == "s" || n == "ss" {
			toks[i].kind = strings.ToUpper(t.kind)
		}
	}
	return toks
}

// appendGeneral appends v as Excel's General format shows it: the
// shortest form, rounded to 15 significant digits when it has more.
func appendGeneral(dst, v []byte) []byte {
	if plainInteger(v) {
		return append(dst, v...)
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return append(dst, v...)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if len(s)-strings.Count(s, ".")-strings.Count(s, "-") > 15 {
		return strconv.AppendFloat(dst, f, 'G', 15, 64)
	}
	return append(dst, s...)
}

// plainInteger: digits, an optional '-', no leading zero, at most 15
// digits: General shows it as written.
func plainInteger(v []byte) bool {
	d := v
	if len(d) > 0 && d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || len(d) > 15 || (d[0] == '0' && len(d) > 1) {
		return false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// appendValue appends the number v as the format shows it.
func (f *numFormat) appendValue(dst, v []byte, date1904 bool) []byte {
	if f == nil || f.text {
		return appendGeneral(dst, v)
	}
	x, err := strconv.ParseFloat(string(v), 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return append(dst, v...)
	}
	s := &f.sections[0]
	neg := false
	switch {
	case x < 0 && len(f.sections) > 1:
		s, x = &f.sections[1], -x
	case x < 0:
		neg = true
		x = -x
	case x == 0 && len(f.sections) > 2:
		s = &f.sections[2]
	}
	switch {
	case s.general:
		if neg {
			dst = append(dst, '-')
		}
		return appendGeneral(dst, strconv.AppendFloat(nil, x, 'f', -1, 64))
	case s.date != nil:
		return appendDate(dst, x, s.date, date1904, v)
	}
	dst = append(dst, s.prefix...)
	if neg && !s.parens {
		dst = append(dst, '-')
	}
	if s.percent {
		x *= 100
	}
	if s.scientific {
		dst = strconv.AppendFloat(dst, x, 'E', s.maxDec, 64)
	} else {
		dst = appendFixed(dst, x, s)
	}
	return append(dst, s.suffix...)
}

// appendFixed formats x (not negative) with the section's digits.
func appendFixed(dst []byte, x float64, s *numSection) []byte {
	num := strconv.FormatFloat(x, 'f', s.maxDec, 64)
	intPart, frac := num, ""
	if i := strings.IndexByte(num, '.'); i >= 0 {
		intPart, frac = num[:i], num[i+1:]
	}
	for len(frac) > s.minDec && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if intPart == "0" && s.minInt == 0 {
		intPart = ""
	}
	for len(intPart) < s.minInt {
		intPart = "0" + intPart
	}
	if s.grouping {
		for i, c := range []byte(intPart) {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, c)
		}
	} else {
		dst = append(dst, intPart...)
	}
	if frac != "" {
		dst = append(dst, '.')
		dst = append(dst, frac...)
	}
	return dst
}

var (
	monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	dayNames = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// excelTime converts a serial date (days since 1900, with Excel's
// phantom 29 February 1900, or since 1904) to a time, to the second.
func excelTime(x float64, date1904 bool) (time.Time, bool) {
	if x < 0 || x > 2958465 { // past 9999-12-31
		return time.Time{}, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if x < 61 {
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	days := math.Floor(x)
	secs := math.Round((x - days) * 86400)
	return base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second), true
}

func appendDate(dst []byte, x float64, toks []dateToken, date1904 bool, raw []byte) []byte {
	t, ok := excelTime(x, date1904)
	if !ok {
		return append(dst, raw...)
	}
	hasAMPM := false
	for _, k := range toks {
		hasAMPM = hasAMPM || k.kind == "ampm"
	}
	two := func(d []byte, n int) []byte {
		if n < 10 {
			d = append(d, '0')
		}
		return strconv.AppendInt(d, int64(n), 10)
	}
	for _, k := range toks {
		switch k.kind {
		case "lit":
			dst = append(dst, k.lit...)
		case "yy":
			dst = two(dst, t.Year()%100)
		case "yyyy":
			dst = strconv.AppendInt(dst, int64(t.Year()), 10)
		case "m":
			dst = strconv.AppendInt(dst, int64(t.Month()), 10)
		case "mm":
			dst = two(dst, int(t.Month()))
		case "mmm":
			dst = append(dst, monthNames[t.Month()-1][:3]...)
		case "mmmm":
			dst = append(dst, monthNames[t.Month()-1]...)
		case "d":
			dst = strconv.AppendInt(dst, int64(t.Day()), 10)
		case "dd":
			dst = two(dst, t.Day())
		case "ddd":
			dst = append(dst, dayNames[t.Weekday()][:3]...)
		case "dddd":
			dst = append(dst, dayNames[t.Weekday()]...)
		case "h", "hh":
			h := t.Hour()
			if hasAMPM {
				h %= 12
				if h == 0 {
					h = 12
				}
			}
			if k.kind == "hh" {
				dst = two(dst, h)
			} else {
				dst = strconv.AppendInt(dst, int64(h), 10)
			}
		case "[h]":
			dst = strconv.AppendInt(dst, int64(x*24), 10)
		case "M":
			dst = strconv.AppendInt(dst, int64(t.Minute()), 10)
		case "MM":
			dst = two(dst, t.Minute())
		case "s":
			dst = strconv.AppendInt(dst, int64(t.Second()), 10)
		case "ss":
			dst = two(dst, t.Second())
		case "ampm":
			if t.Hour() < 12 {
				dst = append(dst, "AM"...)
			} else {
				dst = append(dst, "PM"...)
			}
		}
	}
	return dst
}
