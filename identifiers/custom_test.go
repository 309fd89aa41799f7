package identifiers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTemp writes content to a file of the given name in a fresh
// temporary directory and returns its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// jsonOf marshals v for a definition file; tables stay readable as Go values.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// obj is a definition as a JSON object, for tables of definitions.
type obj = map[string]any

func names(ids []*Identifier) []string {
	var out []string
	for _, id := range ids {
		out = append(out, id.Name)
	}
	return out
}

func TestLoadCustomFormats(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, file, content string
		want                []string
	}{
		{"JSON list", "ids.json", `[{"name": "a", "regex": "A-\\d{4}"}, {"name": "b", "regex": "B-\\d{4}"}]`, []string{"a", "b"}},
		{"JSON single object", "id.json", `{"name": "a", "regex": "A-\\d{4}"}`, []string{"a"}},
		{"JSON without .json extension", "ids.txt", "\n  [{\"name\": \"a\", \"regex\": \"A\"}]\n", []string{"a"}},
		{"YAML list", "ids.yaml", "- name: a\n  regex: 'A-\\d{4}'\n- name: b\n  regex: 'B-\\d{4}'\n  keywords: [badge]\n", []string{"a", "b"}},
		{"YAML single", "id.yml", "name: a\nregex: 'A-\\d{4}'\nkeywords:\n  - badge\n", []string{"a"}},
		{"YAML flow list in .yaml", "ids.yaml", "[{name: a, regex: 'A'}, {name: b, regex: 'B'}]\n", []string{"a", "b"}},
		{"YAML flow single in .yml", "id.yml", "{name: a, regex: 'A'}\n", []string{"a"}},
		{"JSON in .yaml", "ids.yaml", `[{"name": "a", "regex": "A"}]`, []string{"a"}},
		{"YAML with comments", "ids.yaml", "# ours\n- name: a # the first\n  regex: A\n", []string{"a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ids, err := LoadCustom(writeTemp(t, tc.file, tc.content))
			if err != nil {
				t.Fatal(err)
			}
			if got := names(ids); !slices.Equal(got, tc.want) {
				t.Errorf("names %q, want %q", got, tc.want)
			}
		})
	}
}

// TestLoadCustomMacieExport: the output of GetCustomDataIdentifier (as the
// AWS CLI prints it) loads as is and keeps its ARN.
func TestLoadCustomMacieExport(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:macie2:us-west-2:123456789012:custom-data-identifier/3f2a1b4c-5d6e-7f80-9a1b-2c3d4e5f6a7b"
	export := `{
    "arn": "` + arn + `",
    "createdAt": "2024-05-12T20:35:43.113000+00:00",
    "deleted": false,
    "description": "Employee badge numbers",
    "id": "3f2a1b4c-5d6e-7f80-9a1b-2c3d4e5f6a7b",
    "ignoreWords": ["B-0000"],
    "keywords": ["badge", "employee id"],
    "maximumMatchDistance": 20,
    "name": "badge",
    "regex": "B-\\d{4}",
    "severityLevels": [
        {"occurrencesThreshold": 1, "severity": "LOW"},
        {"occurrencesThreshold": 10, "severity": "MEDIUM"},
        {"occurrencesThreshold": 100, "severity": "HIGH"}
    ],
    "tags": {"team": "hr"}
}`
	ids, err := LoadCustom(writeTemp(t, "export.json", export))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 {
		t.Fatalf("%d identifiers, want 1", len(ids))
	}
	id := ids[0]
	want := &Identifier{
		ID: "custom:badge", Name: "badge", Description: "Employee badge numbers",
		Category: Custom, Pattern: `B-\d{4}`,
		Keywords: []string{"badge", "employee id"}, Keyword: KeywordRequired,
		Distance: 20, DistanceRule: BeforeToEnd,
		IgnoreWords: []string{"B-0000"},
		Levels:      []Level{{1, Low}, {10, Medium}, {100, High}},
		ARN:         arn,
		CustomID:    "3f2a1b4c-5d6e-7f80-9a1b-2c3d4e5f6a7b",
	}
	if got, w := fmt.Sprintf("%+v", *id), fmt.Sprintf("%+v", *want); got != w {
		t.Errorf("loaded\n %s\nwant\n %s", got, w)
	}
}

// TestLoadCustomDefaults: what a definition with only a name and a regex
// gets, and what keywords change.
func TestLoadCustomDefaults(t *testing.T) {
	t.Parallel()
	ids, err := LoadCustom(writeTemp(t, "ids.json", `[
		{"name": "plain", "regex": "P-\\d{4}"},
		{"name": "with keywords", "regex": "K-\\d{4}", "keywords": ["kay"]},
		{"name": "exported", "id": "abc-123", "regex": "E-\\d{4}"}
	]`))
	if err != nil {
		t.Fatal(err)
	}
	plain, kw, exported := ids[0], ids[1], ids[2]
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"ID", plain.ID, "custom:plain"},
		{"Category", plain.Category, Custom},
		{"Distance", plain.Distance, DefaultMatchDistance},
		{"DefaultMatchDistance", DefaultMatchDistance, 50},
		{"DistanceRule", plain.DistanceRule, BeforeToEnd},
		{"Keyword without keywords", plain.Keyword, NoKeyword},
		{"Keyword with keywords", kw.Keyword, KeywordRequired},
		{"Distance with keywords", kw.Distance, 50},
		{"Levels", fmt.Sprint(plain.Levels), fmt.Sprint([]Level{{1, Medium}})},
		{"no ARN in a definition", plain.ARN, ""},
		{"ID of a definition", plain.CustomID, CustomIDFor(plain.Name, plain.Pattern)},
		{"ID of an export", exported.CustomID, "abc-123"},
		{"IDs differ by regex", CustomIDFor("plain", "Q-\\d{4}") == plain.CustomID, false},
		{"IDs differ by name", CustomIDFor("plain2", plain.Pattern) == plain.CustomID, false},
		{"ID is a UUIDv5", plain.CustomID[14:15], "5"},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
	}
	// No severityLevels: MEDIUM for one or more, whatever the count.
	for _, n := range []int{1, 2, 49, 50, 99, 100, 1000, 1 << 30} {
		if s := plain.SeverityFor(n); s != Medium {
			t.Errorf("default severity for %d occurrences: %v, want Medium", n, s)
		}
	}
}

// TestLoadCustomErrors: each broken rule fails the load with an error that
// names the identifier (by name, or by position when it has none), the
// field and the rule. The broken definition is the second of the file.
func TestLoadCustomErrors(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("x", n) }
	many := func(n int, f func(i int) string) []string {
		var out []string
		for i := range n {
			out = append(out, f(i))
		}
		return out
	}
	levels := func(l ...any) []obj {
		var out []obj
		for i := 0; i < len(l); i += 2 {
			out = append(out, obj{"occurrencesThreshold": l[i], "severity": l[i+1]})
		}
		return out
	}
	const complex = `(?:\w{1,20}@\w{1,20}\.){1,40}(?:\w{1,20}@\w{1,20}\.){1,40}(?:\w{1,20}@\w{1,20}\.){1,40}(?:\w{1,20}@\w{1,20}\.){1,40}`
	for _, tc := range []struct {
		name string
		def  obj
		want []string // fragments of the error, in any order
	}{
		{"missing name", obj{"regex": "A"}, []string{"identifier #2", "name", "required"}},
		{"blank name", obj{"name": "  ", "regex": "A"}, []string{"identifier #2", "name", "required"}},
		{"name of 129 characters", obj{"name": long(129), "regex": "A"}, []string{long(129), "name", "129 characters", "at most 128"}},
		{"description of 513 characters", obj{"name": "d", "description": long(513), "regex": "A"}, []string{`"d"`, "description", "513 characters", "at most 512"}},
		{"missing regex", obj{"name": "r"}, []string{`"r"`, "regex", "required"}},
		{"regex of 513 characters", obj{"name": "r", "regex": long(513)}, []string{`"r"`, "regex", "513 characters", "at most 512"}},
		{"lookahead", obj{"name": "r", "regex": `\d{4}(?=x)`}, []string{`"r"`, "regex", "lookahead"}},
		{"negative lookahead", obj{"name": "r", "regex": `\d{4}(?!x)`}, []string{`"r"`, "regex", "lookahead"}},
		{"lookbehind", obj{"name": "r", "regex": `(?<=x)\d{4}`}, []string{`"r"`, "regex", "lookbehind"}},
		{"negative lookbehind", obj{"name": "r", "regex": `(?<!x)\d{4}`}, []string{`"r"`, "regex", "lookbehind"}},
		{`backreference \1`, obj{"name": "r", "regex": `(a)\1`}, []string{`"r"`, "regex", "backreferences"}},
		{`backreference \k<n>`, obj{"name": "r", "regex": `(?P<n>a)\k<n>`}, []string{`"r"`, "regex", "backreferences"}},
		{`backreference \k{n}`, obj{"name": "r", "regex": `(?P<n>a)\k{n}`}, []string{`"r"`, "regex", "backreferences"}},
		{`backreference (?P=n)`, obj{"name": "r", "regex": `(?P<n>a)(?P=n)`}, []string{`"r"`, "regex", "backreferences"}},
		{`escaped backslash then backreference`, obj{"name": "r", "regex": `(a)\\\1`}, []string{`"r"`, "regex", "backreferences"}},
		{"conditional", obj{"name": "r", "regex": `(a)?(?(1)b|c)`}, []string{`"r"`, "regex", "conditionals"}},
		{"embedded code", obj{"name": "r", "regex": `a(?{print})`}, []string{`"r"`, "regex", "embedded code"}},
		{"recursion (?R)", obj{"name": "r", "regex": `a(?R)?b`}, []string{`"r"`, "regex", "recursion"}},
		{"recursion (?1)", obj{"name": "r", "regex": `(a(?1)?b)`}, []string{`"r"`, "regex", "recursion"}},
		{"recursion (?&n)", obj{"name": "r", "regex": `(?P<n>a(?&n)?b)`}, []string{`"r"`, "regex", "recursion"}},
		{"atomic group", obj{"name": "r", "regex": `(?>a+)b`}, []string{`"r"`, "regex", "atomic"}},
		{"possessive +", obj{"name": "r", "regex": `a++b`}, []string{`"r"`, "regex", "possessive"}},
		{"possessive *", obj{"name": "r", "regex": `a*+b`}, []string{`"r"`, "regex", "possessive"}},
		{"possessive ?", obj{"name": "r", "regex": `a?+b`}, []string{`"r"`, "regex", "possessive"}},
		{"possessive {n}", obj{"name": "r", "regex": `\d{4}+`}, []string{`"r"`, "regex", "possessive"}},
		{"global flag /i", obj{"name": "r", "regex": `/emp-\d{4}/i`}, []string{`"r"`, "regex", "global flags", "(?i)"}},
		{"global flags /mx", obj{"name": "r", "regex": `/^emp/mx`}, []string{`"r"`, "regex", "global flags"}},
		{"invalid syntax", obj{"name": "r", "regex": `[a-`}, []string{`"r"`, "regex", "invalid regular expression"}},
		{"unbalanced parenthesis", obj{"name": "r", "regex": `(a`}, []string{`"r"`, "regex", "invalid regular expression"}},
		{"repeat count over 1000", obj{"name": "r", "regex": `\d{100,1001}`}, []string{`"r"`, "regex", "invalid regular expression"}},
		{"huge program", obj{"name": "r", "regex": complex}, []string{`"r"`, "regex", "too complex", fmt.Sprint(MaxProgramSize)}},
		{"51 keywords", obj{"name": "k", "regex": "A", "keywords": many(51, func(i int) string { return fmt.Sprintf("kw%02d", i) })}, []string{`"k"`, "keywords", "51 given", "at most 50"}},
		{"keyword of 2 characters", obj{"name": "k", "regex": "A", "keywords": []string{"abc", "ab"}}, []string{`"k"`, "keywords", `"ab"`, "2 characters", "3 to 90"}},
		{"keyword of 91 characters", obj{"name": "k", "regex": "A", "keywords": []string{long(91)}}, []string{`"k"`, "keywords", "91 characters", "3 to 90"}},
		{"11 ignore words", obj{"name": "i", "regex": "A", "ignoreWords": many(11, func(i int) string { return fmt.Sprintf("word%02d", i) })}, []string{`"i"`, "ignoreWords", "11 given", "at most 10"}},
		{"ignore word of 3 characters", obj{"name": "i", "regex": "A", "ignoreWords": []string{"abc"}}, []string{`"i"`, "ignoreWords", `"abc"`, "3 characters", "4 to 90"}},
		{"ignore word of 91 characters", obj{"name": "i", "regex": "A", "ignoreWords": []string{long(91)}}, []string{`"i"`, "ignoreWords", "91 characters", "4 to 90"}},
		{"51 tags", obj{"name": "t", "regex": "A", "tags": func() obj {
			m := obj{}
			for i := range 51 {
				m[fmt.Sprint("k", i)] = "v"
			}
			return m
		}()}, []string{`"t"`, "tags", "51 given", "at most 50"}},
		{"maximumMatchDistance 0", obj{"name": "m", "regex": "A", "maximumMatchDistance": 0}, []string{`"m"`, "maximumMatchDistance", "0", "1 to 300"}},
		{"maximumMatchDistance 301", obj{"name": "m", "regex": "A", "maximumMatchDistance": 301}, []string{`"m"`, "maximumMatchDistance", "301", "1 to 300"}},
		{"maximumMatchDistance negative", obj{"name": "m", "regex": "A", "maximumMatchDistance": -1}, []string{`"m"`, "maximumMatchDistance", "1 to 300"}},
		{"4 severity levels", obj{"name": "s", "regex": "A", "severityLevels": levels(1, "LOW", 2, "MEDIUM", 3, "HIGH", 4, "HIGH")}, []string{`"s"`, "severityLevels", "4 given", "at most 3"}},
		{"thresholds out of order", obj{"name": "s", "regex": "A", "severityLevels": levels(10, "LOW", 5, "MEDIUM")}, []string{`"s"`, "severityLevels", "must rise"}},
		{"equal thresholds", obj{"name": "s", "regex": "A", "severityLevels": levels(10, "LOW", 10, "HIGH")}, []string{`"s"`, "severityLevels", "must rise"}},
		{"duplicate severity", obj{"name": "s", "regex": "A", "severityLevels": levels(1, "LOW", 5, "LOW")}, []string{`"s"`, "severityLevels", "must rise"}},
		{"descending severities", obj{"name": "s", "regex": "A", "severityLevels": levels(1, "HIGH", 5, "LOW")}, []string{`"s"`, "severityLevels", "must rise"}},
		{"threshold 0", obj{"name": "s", "regex": "A", "severityLevels": levels(0, "LOW")}, []string{`"s"`, "severityLevels", "occurrencesThreshold 0", "at least 1"}},
		{"unknown severity", obj{"name": "s", "regex": "A", "severityLevels": levels(1, "CRITICAL")}, []string{`"s"`, "severityLevels", `"CRITICAL"`, "LOW, MEDIUM or HIGH"}},
		{"unknown field", obj{"name": "u", "regex": "A", "keyword": []string{"abc"}}, []string{`"u"`, `"keyword"`, "unknown field"}},
		{"unknown field, unnamed", obj{"regex": "A", "Keywords ": []string{"abc"}}, []string{"identifier #2", `"Keywords "`, "unknown field"}},
		{"wrong type", obj{"name": "w", "regex": "A", "keywords": "abc"}, []string{`"w"`, "keywords"}},
		{"duplicate name", obj{"name": "first", "regex": "B"}, []string{`"first"`, "name", "used twice"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			content := jsonOf(t, []obj{{"name": "first", "regex": "A"}, tc.def})
			path := writeTemp(t, "ids.json", content)
			ids, err := LoadCustom(path)
			if err == nil {
				t.Fatalf("loaded %d identifiers, want an error", len(ids))
			}
			msg := err.Error()
			for _, w := range append(tc.want, path) {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
		})
	}
}

// TestLoadCustomYAMLErrors: the YAML loader names the identifier, the field
// and the rule too, notably for a typo in a field name of a list item.
func TestLoadCustomYAMLErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, content string
		want          []string
	}{
		{"typo in a list item", "- name: a\n  regex: A\n- name: b\n  regex: B\n  keyword: [abc]\n", []string{`"b"`, `"keyword"`, "unknown field", "line 5"}},
		{"typo in a single definition", "name: a\nregex: A\nignorewords: [abcd]\n", []string{`"a"`, `"ignorewords"`, "unknown field"}},
		{"typo in an unnamed item", "- regex: A\n  nmae: a\n", []string{"identifier #1", `"nmae"`, "unknown field"}},
		{"wrong type", "- name: a\n  regex: A\n  maximumMatchDistance: far\n", []string{`"a"`, "far"}},
		{"rule broken", "- name: a\n  regex: A\n  maximumMatchDistance: 301\n", []string{`"a"`, "maximumMatchDistance", "1 to 300"}},
		{"a scalar", "just words\n", []string{"identifier #1"}},
		{"invalid YAML", "- name: a\n  regex: [\n", []string{"ids.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ids, err := LoadCustom(writeTemp(t, "ids.yaml", tc.content))
			if err == nil {
				t.Fatalf("loaded %d identifiers, want an error", len(ids))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestLoadCustomFiles: empty and missing files fail with a clear error.
func TestLoadCustomFiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, file, content string }{
		{"empty JSON file", "ids.json", ""},
		{"blank JSON file", "ids.json", " \n\t\n"},
		{"empty YAML file", "ids.yaml", ""},
		{"YAML comments only", "ids.yaml", "# nothing yet\n"},
		{"empty JSON list", "ids.json", "[]"},
		{"empty YAML list", "ids.yaml", "[]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeTemp(t, tc.file, tc.content)
			_, err := LoadCustom(path)
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "no definitions") {
				t.Errorf("got %v, want an error naming the file and saying it has no definitions", err)
			}
		})
	}
	missing := filepath.Join(t.TempDir(), "nope.json")
	_, err := LoadCustom(missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: got %v, want a not-exist error naming the file", err)
	}
}

// TestCustomRegexDialectAccepts: patterns that look like unsupported
// constructs but are not.
func TestCustomRegexDialectAccepts(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{
		`\\1`,                 // a backslash, then 1
		`C:\\1\d{3}`,          // the same inside a path
		`\\\\2`,               // two backslashes, then 2
		`[a-z]+\\k<x>`,        // a backslash, then "k<x>"
		`\++\d{4}`,            // one or more plus signs
		`[0-9*+]+`,            // a class holding * and +
		`\d{3}\*+`,            // one or more asterisks
		`\(?=\d{4}`,           // an optional "(" then "=1234"
		`(\\?=\d{4})`,         // an optional backslash, then "="
		`[(?=]\d{4}`,          // a class holding "(", "?" and "="
		`\Q(?=\E\d{4}`,        // quoted text
		`/home/[a-z]+/secret`, // a path, not /.../flags
		`/api/v1/users`,       // the same
		`(?i)emp-\d{6}`,       // flags the supported way
		`\d{100,}`,            // Macie: unbounded repeats are fine
		`(?P<year>\d{4})-\d{2}`,
		`^[A-Z]{3}\d{4}$`,
		`a*b*a*`,
	} {
		if err := checkDialect(expr); err != nil {
			t.Errorf("%q rejected: %v", expr, err)
		}
	}
}

// TestCustomLengthsInCharacters: Macie's limits count characters, not bytes.
func TestCustomLengthsInCharacters(t *testing.T) {
	t.Parallel()
	def := CustomDefinition{
		Name:        strings.Repeat("é", MaxCustomNameLen),
		Description: strings.Repeat("é", MaxCustomDescriptionLen),
		Regex:       strings.Repeat("é", MaxCustomRegexLen),
		Keywords:    []string{strings.Repeat("é", 90), "ééé"},
		IgnoreWords: []string{strings.Repeat("é", 90), "éééé"},
	}
	if _, err := def.Compile(); err != nil {
		t.Errorf("limits in characters: %v", err)
	}
	d := 300
	def = CustomDefinition{Name: "edge", Regex: "A", MaximumMatchDistance: &d,
		SeverityLevels: []SeverityLevel{{1, "low"}, {2, "Medium"}, {3, "HIGH"}}}
	if _, err := def.Compile(); err != nil {
		t.Errorf("distance 300 and three levels: %v", err)
	}
}

func TestSeverityFor(t *testing.T) {
	t.Parallel()
	compile := func(levels ...SeverityLevel) *Identifier {
		t.Helper()
		id, err := (&CustomDefinition{Name: "s", Regex: "A", SeverityLevels: levels}).Compile()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	three := compile(SeverityLevel{1, "LOW"}, SeverityLevel{50, "MEDIUM"}, SeverityLevel{100, "HIGH"})
	fromFive := compile(SeverityLevel{5, "MEDIUM"}, SeverityLevel{20, "HIGH"})
	for _, tc := range []struct {
		id    *Identifier
		count int
		want  Severity
	}{
		{three, 0, 0},
		{three, 1, Low},
		{three, 49, Low},
		{three, 50, Medium},
		{three, 99, Medium},
		{three, 100, High},
		{three, 100000, High},
		{fromFive, 1, 0},
		{fromFive, 4, 0}, // below the lowest threshold: no finding
		{fromFive, 5, Medium},
		{fromFive, 19, Medium},
		{fromFive, 20, High},
	} {
		if got := tc.id.SeverityFor(tc.count); got != tc.want {
			t.Errorf("levels %v, %d occurrences: %v, want %v", tc.id.Levels, tc.count, got, tc.want)
		}
	}
}

// customEngine loads definitions (as JSON) and compiles an Engine over them,
// with its reference.
func customEngineOf(t *testing.T, defs []obj, opts ...Options) (*Engine, *reference) {
	t.Helper()
	ids, err := LoadCustom(writeTemp(t, "ids.json", jsonOf(t, defs)))
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(ids, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var allow *AllowList
	for _, o := range opts {
		allow = o.Allow
	}
	return e, newReferenceAllow(ids, allow)
}

// checkMarked scans a «marked» text and checks that exactly the marked
// spans are reported, under id, and that the reference agrees. Failures
// name offsets, never values.
func checkMarked(t *testing.T, e *Engine, ref *reference, id, name, marked string) {
	t.Helper()
	text, want := unmark(marked)
	for i := range want {
		want[i].ID = id
	}
	seg := wholeSegment(text)
	if got := engineHits(e, seg); !slices.Equal(got, want) {
		t.Errorf("%s (%d bytes): got %v, want %v", name, len(text), got, want)
	}
	compareWithReference(t, e, ref, seg, name)
}

// TestCustomKeywordDistance: a keyword must end before the match, with at
// most maximumMatchDistance characters from its end to the match's end.
func TestCustomKeywordDistance(t *testing.T) {
	t.Parallel()
	e, ref := customEngineOf(t, []obj{{"name": "badge", "regex": `\bB\d{4}\b`, "keywords": []string{"badge no", "staff"}, "maximumMatchDistance": 12}})
	const id = "custom:badge"
	// "badge no" then n characters, then the 5-character value: 12 is n=7.
	for _, tc := range []struct{ name, text string }{
		{"adjacent", "badge no:" + mark("B1234")},
		{"at the limit", "badge no" + gap(7, "x") + mark("B1234")},
		{"one past the limit", "badge no" + gap(8, "x") + "B1234"},
		{"at the limit, two-byte characters", "badge no" + gap(7, "é") + mark("B1234")},
		{"one past, two-byte characters", "badge no" + gap(8, "é") + "B1234"},
		{"at the limit, four-byte characters", "badge no" + gap(7, "𝄞") + mark("B1234")},
		{"one past, four-byte characters", "badge no" + gap(8, "𝄞") + "B1234"},
		{"keyword variant with underscore", "BADGE_NO: " + mark("B1234")},
		{"keyword variant without space", "badgeno " + mark("B1234")},
		{"keyword after the match", "B1234 badge no"},
		{"keyword after, close", "B1234 staff"},
		{"keyword inside a word", "overstaffed B1234"},
		{"no keyword", "B1234"},
		{"second value past the limit", "staff: " + mark("B1234") + " B5678"},
		{"each value with its keyword", "staff: " + mark("B1234") + " staff: " + mark("B5678")},
		{"distance counts to the match's end", "staff" + gap(7, " ") + mark("B1234") + " staff" + gap(8, " ") + "B5678"},
	} {
		checkMarked(t, e, ref, id, tc.name, tc.text)
	}
	// A match longer than the distance can never be near a keyword.
	e, ref = customEngineOf(t, []obj{{"name": "long", "regex": `L\d{9}`, "keywords": []string{"key"}, "maximumMatchDistance": 9}})
	checkMarked(t, e, ref, "custom:long", "value longer than the distance", "key L123456789")
	e, ref = customEngineOf(t, []obj{{"name": "long", "regex": `L\d{8}`, "keywords": []string{"key"}, "maximumMatchDistance": 9}})
	checkMarked(t, e, ref, "custom:long", "value as long as the distance", "key"+mark("L12345678"))
}

// TestCustomIgnoreWordsAndNoKeywords: ignore words are case-sensitive and
// drop a match that contains one; without keywords a CDI matches anywhere.
func TestCustomIgnoreWordsAndNoKeywords(t *testing.T) {
	t.Parallel()
	e, ref := customEngineOf(t, []obj{{"name": "code", "regex": `\b[A-Za-z]+-\d{4}\b`, "ignoreWords": []string{"TEST", "0000"}}})
	const id = "custom:code"
	for _, tc := range []struct{ name, text string }{
		{"no keyword needed, start of text", mark("ABC-1234")},
		{"no keyword needed, anywhere", "blah blah\n\tx " + mark("zz-9876") + "."},
		{"ignore word is the word", "TEST-1234"},
		{"ignore word inside", "xTESTx-1234"},
		{"ignore word in digits", "ABC-0000 " + mark("ABC-1000")},
		{"ignore words are case-sensitive", mark("test-1234") + " " + mark("Test-1234") + " TEST-1234"},
		{"ignore word outside the match", "TEST " + mark("ABC-1234")},
	} {
		checkMarked(t, e, ref, id, tc.name, tc.text)
	}
}

// TestCustomEngineSeverityCounts ties the loaded severity levels to counts
// of detections, as the scanner uses them.
func TestCustomEngineSeverityCounts(t *testing.T) {
	t.Parallel()
	e, _ := customEngineOf(t, []obj{{"name": "n", "regex": `N\d{3}`, "severityLevels": []obj{
		{"occurrencesThreshold": 5, "severity": "LOW"}, {"occurrencesThreshold": 10, "severity": "HIGH"}}}})
	for _, tc := range []struct {
		count int
		want  Severity
	}{{4, 0}, {5, Low}, {9, Low}, {10, High}} {
		text := strings.Repeat("N123 ", tc.count)
		got := engineHits(e, wholeSegment([]byte(text)))
		if len(got) != tc.count {
			t.Fatalf("%d values: %d detections", tc.count, len(got))
		}
		if s := e.Identifiers()[0].SeverityFor(len(got)); s != tc.want {
			t.Errorf("%d detections: severity %v, want %v", len(got), s, tc.want)
		}
	}
}
