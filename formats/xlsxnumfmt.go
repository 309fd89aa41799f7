package formats

import (
	"bytes"
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
	literal        bool        // text only ("zero"): shows the text
	date           []dateToken // a date/time section when non-nil
	prefix, suffix string      // literal text around the number
	percent        bool
	scientific     bool
	grouping       bool
	minInt         int // '0's before the decimal point
	minDec, maxDec int // '0's, and all placeholders, after it
	parens         bool
	// cond is a condition such as [<=9999999] ("<=", 9999999): the
	// sections then apply by condition, not by sign.
	cond    string
	condVal float64
	// intToks is the integer part's template when literals sit between
	// its digit placeholders (000-00-0000): digits fill it from the right.
	intToks []numTok
}

type numTok struct {
	ph  byte // '0', '#' or '?'; 0 for a literal
	lit string
}

type dateToken struct {
	kind string // "y","yy","m","mm","mmm","mmmm","d","dd","ddd","dddd","h","hh","M","MM" (minutes),"s","ss","ampm","[h]","frac","lit"
	lit  string
	n    int // digits of a "frac" (fractions of a second)
}

// builtinNumFormats are the format codes of Excel's built-in ids that a
// styles part may refer to without writing them out.
var builtinNumFormats = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
	11: "0.00E+00", 12: "General", 13: "General", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
	17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "hh:mm", 21: "hh:mm:ss",
	22: "m/d/yy hh:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;(#,##0)", 39: "#,##0.00 ;(#,##0.00)",
	40: "#,##0.00 ;(#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "General", 49: "@",
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
	isDate, seenNum, afterPoint, inExp, between := false, false, false, false, false
	flushLit := func() {
		if lits.Len() == 0 {
			return
		}
		if !seenNum {
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
			} else if op, v, ok := parseNumCond(b); ok {
				s.cond, s.condVal = op, v
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
			switch {
			case inExp:
			case afterPoint:
				s.maxDec++
				if c == '0' {
					s.minDec++
				}
			default:
				if seenNum && lits.Len() > 0 {
					s.intToks = append(s.intToks, numTok{lit: lits.String()})
					between = true
				}
				lits.Reset()
				s.intToks = append(s.intToks, numTok{ph: c})
				if c == '0' {
					s.minInt++
				}
			}
			seenNum = true
		case c == '.' && len(toks) > 0 && (toks[len(toks)-1].kind == "s" || toks[len(toks)-1].kind == "ss") &&
			i+1 < len(sec) && sec[i+1] == '0':
			n := 1
			for i+n < len(sec) && sec[i+n] == '0' {
				n++
			}
			toks = append(toks, dateToken{kind: "frac", n: n - 1})
			i += n - 1
		case c == '.' && (seenNum || (i+1 < len(sec) && strings.ContainsRune("0#?", rune(sec[i+1])))):
			if seenNum && !afterPoint {
				s.suffix += lits.String() // literals before the point
				lits.Reset()
			}
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
	if seenNum {
		s.suffix += lits.String()
		lits.Reset()
	}
	flushLit()
	if isDate {
		return numSection{date: markMinutes(toks)}
	}
	if !seenNum {
		s.general = s.prefix == ""
		s.literal = !s.general
	}
	if !between || s.grouping {
		s.intToks = nil
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
	case s.cond != "":
		// Conditional sections ([<=9999999]###-####;(###) ###-####, Excel's
		// phone number format): the first whose condition holds; one
		// without a condition takes what the others leave.
		s = nil
		for i := range f.sections {
			if c := &f.sections[i]; c.cond == "" || c.holds(x) {
				s = c
				break
			}
		}
		if s == nil {
			return appendGeneral(dst, v)
		}
		if x < 0 {
			neg, x = true, -x
		}
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
	case s.literal:
		return append(dst, s.prefix...)
	case s.date != nil:
		if neg {
			return append(dst, v...) // no date before 1900: shown as written
		}
		return appendDate(dst, x, s.date, date1904, v)
	}
	if neg && !s.parens {
		dst = append(dst, '-')
	}
	dst = append(dst, s.prefix...)
	var num []byte
	var buf [32]byte
	if !s.percent && !s.scientific && plainDecimal(v) {
		// As written, it is already what the cell holds to 15 digits.
		num = v
		if num[0] == '-' {
			num = num[1:]
		}
	} else {
		if s.percent {
			x *= 100
		}
		// What a cell shows has 15 significant digits at most.
		x, _ = strconv.ParseFloat(string(strconv.AppendFloat(buf[:0], x, 'g', 15, 64)), 64)
		if s.scientific {
			return append(strconv.AppendFloat(dst, x, 'E', s.maxDec, 64), s.suffix...)
		}
		num = strconv.AppendFloat(buf[:0], x, 'f', -1, 64)
	}
	dst = appendFixed(dst, num, s)
	return append(dst, s.suffix...)
}

// parseNumCond parses a section's condition, the inside of [<=9999999].
func parseNumCond(b string) (op string, v float64, ok bool) {
	for _, o := range []string{"<=", ">=", "<>", "<", ">", "="} {
		if strings.HasPrefix(b, o) {
			v, err := strconv.ParseFloat(strings.TrimSpace(b[len(o):]), 64)
			return o, v, err == nil
		}
	}
	return "", 0, false
}

// holds reports whether x meets the section's condition.
func (s *numSection) holds(x float64) bool {
	switch s.cond {
	case "<=":
		return x <= s.condVal
	case ">=":
		return x >= s.condVal
	case "<>":
		return x != s.condVal
	case "<":
		return x < s.condVal
	case ">":
		return x > s.condVal
	case "=":
		return x == s.condVal
	}
	return true
}

// plainDecimal: an optional '-', digits and at most one '.', 15
// significant digits at most.
func plainDecimal(v []byte) bool {
	if len(v) > 0 && v[0] == '-' {
		v = v[1:]
	}
	digits, point, lead := 0, false, true
	for _, c := range v {
		switch {
		case c == '.' && !point:
			point = true
		case c >= '0' && c <= '9':
			if c != '0' || !lead {
				lead = false
				digits++
			}
		default:
			return false
		}
	}
	return len(v) > 0 && v[0] != '.' && v[len(v)-1] != '.' && digits <= 15
}

// appendFixed formats num, a plain decimal without sign, with the
// section's digits, rounding half away from zero as Excel does.
func appendFixed(dst, num []byte, s *numSection) []byte {
	intPart, frac := num, []byte(nil)
	if i := bytes.IndexByte(num, '.'); i >= 0 {
		intPart, frac = num[:i], num[i+1:]
	}
	for len(intPart) > 1 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	var buf [64]byte
	digits := append(buf[:0], intPart...)
	carry := false
	if len(frac) > s.maxDec {
		digits = append(digits, frac[:s.maxDec]...)
		carry = frac[s.maxDec] >= '5'
		for i := len(digits) - 1; carry && i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			carry = false
		}
	} else {
		digits = append(digits, frac...)
		for range s.maxDec - len(frac) {
			digits = append(digits, '0')
		}
	}
	if carry {
		digits = append([]byte{'1'}, digits...)
	}
	n := len(digits) - s.maxDec
	ip, fp := digits[:n], digits[n:]
	for len(fp) > s.minDec && fp[len(fp)-1] == '0' {
		fp = fp[:len(fp)-1]
	}
	switch {
	case s.intToks != nil:
		dst = appendTemplate(dst, string(ip), s.intToks)
	case s.grouping:
		for range s.minInt - len(ip) {
			dst = append(dst, '0')
		}
		for i, c := range ip {
			if i > 0 && (len(ip)-i)%3 == 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, c)
		}
	default:
		for range s.minInt - len(ip) {
			dst = append(dst, '0')
		}
		dst = append(dst, ip...)
	}
	if len(fp) > 0 {
		dst = append(dst, '.')
		dst = append(dst, fp...)
	}
	return dst
}

// appendTemplate places the integer digits d into the placeholders of
// toks from the right; digits left over go before the first one.
func appendTemplate(dst []byte, d string, toks []numTok) []byte {
	if d == "0" {
		d = ""
	}
	out := make([]byte, 0, len(d)+len(toks)*2)
	j := len(d)
	first := -1
	for i := range toks {
		if toks[i].ph != 0 {
			first = i
			break
		}
	}
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
		if t.ph == 0 {
			out = append(out, reverse(t.lit)...)
			continue
		}
		switch {
		case j > 0 && i == first:
			for j > 0 {
				j--
				out = append(out, d[j])
			}
		case j > 0:
			j--
			out = append(out, d[j])
		case t.ph == '0':
			out = append(out, '0')
		case t.ph == '?':
			out = append(out, ' ')
		}
	}
	for i := len(out) - 1; i >= 0; i-- {
		dst = append(dst, out[i])
	}
	return dst
}

func reverse(s string) []byte {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return b
}

var (
	monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	dayNames = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// excelTime converts a serial date (days since 1900, with Excel's
// phantom 29 February 1900, or since 1904) to a time, to the second.
func excelTime(x float64, date1904 bool, ms bool) (time.Time, bool) {
	if x < 0 || x >= 2958466 { // past 9999-12-31
		return time.Time{}, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if x < 61 {
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	days := math.Floor(x)
	unit := time.Second
	if ms {
		unit = time.Millisecond
	}
	n := math.Round((x - days) * float64(24*time.Hour/unit))
	return base.AddDate(0, 0, int(days)).Add(time.Duration(n) * unit), true
}

func appendDate(dst []byte, x float64, toks []dateToken, date1904 bool, raw []byte) []byte {
	hasAMPM, hasFrac := false, false
	for _, k := range toks {
		hasAMPM = hasAMPM || k.kind == "ampm"
		hasFrac = hasFrac || k.kind == "frac"
	}
	t, ok := excelTime(x, date1904, hasFrac)
	if !ok {
		return append(dst, raw...)
	}
	// Day 0 of the 1900 system is shown as 0 January 1900.
	day0 := !date1904 && x < 1
	year, month, mday, wday := t.Year(), int(t.Month()), t.Day(), int(t.Weekday())
	if !date1904 {
		wday = (int(x) + 6) % 7 // Excel's calendar, with its 29 February 1900
	}
	switch {
	case day0:
		year, month, mday = 1900, 1, 0
	case !date1904 && int(x) == 60:
		year, month, mday = 1900, 2, 29 // the day Lotus 1-2-3 (and so Excel) invented
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
			dst = two(dst, year%100)
		case "yyyy":
			dst = strconv.AppendInt(dst, int64(year), 10)
		case "m":
			dst = strconv.AppendInt(dst, int64(month), 10)
		case "mm":
			dst = two(dst, month)
		case "mmm":
			dst = append(dst, monthNames[month-1][:3]...)
		case "mmmm":
			dst = append(dst, monthNames[month-1]...)
		case "d":
			dst = strconv.AppendInt(dst, int64(mday), 10)
		case "dd":
			dst = two(dst, mday)
		case "ddd":
			dst = append(dst, dayNames[wday][:3]...)
		case "dddd":
			dst = append(dst, dayNames[wday]...)
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
		case "frac":
			f := strconv.Itoa(1000 + t.Nanosecond()/int(time.Millisecond))[1:]
			dst = append(append(dst, '.'), f[:min(k.n, 3)]...)
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
