package identifiers

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// loadAllow writes each file (name → content) into one temporary
// directory and loads them all, in the order given.
func loadAllow(t *testing.T, files ...[2]string) (*AllowList, error) {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, f[0])
		if err := os.WriteFile(p, []byte(f[1]), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return LoadAllowLists(paths)
}

func mustAllow(t *testing.T, files ...[2]string) *AllowList {
	t.Helper()
	a, err := loadAllow(t, files...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// allowCase is a value and whether the list must allow it.
type allowCase struct {
	value string
	want  bool
}

func checkAllows(t *testing.T, label string, a *AllowList, cases []allowCase) {
	t.Helper()
	for i, c := range cases {
		if got := a.Allows([]byte(c.value)); got != c.want {
			// The values are made up, but print only their position and length.
			t.Errorf("%s: case %d (%d bytes): Allows = %v, want %v", label, i, len(c.value), got, c.want)
		}
	}
}

// TestAllowListText: a plain text list holds one entry per line; an entry
// matches a whole value, case-insensitively, and nothing partial.
func TestAllowListText(t *testing.T) {
	t.Parallel()
	a := mustAllow(t, [2]string{"allow.txt", "EMP-0000\r\n\r\n  \nAcme Corp\r\nzürich-1\nregex:TEST-\\d{4}\r\n\n"})
	if a.Len() != 4 {
		t.Errorf("Len = %d, want 4 (3 entries and 1 regex; blank lines ignored)", a.Len())
	}
	checkAllows(t, "text list", a, []allowCase{
		{"EMP-0000", true},
		{"emp-0000", true},
		{"Emp-0000", true},
		{"acme corp", true},
		{"ACME CORP", true},
		{"ZÜRICH-1", true}, // case folding is not only ASCII
		{"EMP-00000", false},
		{"EMP-000", false},
		{"xEMP-0000", false},
		{" EMP-0000", false},
		{"EMP-0000\r", false},
		{"Acme", false},
		{"Acme Corp Ltd", false},
		{"", false}, // blank lines are not entries
		{"  ", false},
		{"TEST-1234", true},
		{"TEST-12345", false},
		{"test-1234", false}, // a regex is as case-sensitive as written
		{"regex:TEST-\\d{4}", false},
	})
}

// TestAllowListByteOrderMark: a list saved by an editor that writes a UTF-8
// byte order mark still matches its first entry.
func TestAllowListByteOrderMark(t *testing.T) {
	t.Parallel()
	a := mustAllow(t, [2]string{"bom.txt", "\uFEFFfirst\r\nsecond\r\n"})
	checkAllows(t, "text list with BOM", a, []allowCase{{"first", true}, {"second", true}, {"\uFEFFfirst", false}})
	a = mustAllow(t, [2]string{"bom.json", "\uFEFF{\"words\": [\"first\"]}"})
	checkAllows(t, "JSON with BOM", a, []allowCase{{"first", true}})
}

// TestAllowListInvalidUTF8: bytes that are not UTF-8 are compared as they
// are; folding must not make two different values one.
func TestAllowListInvalidUTF8(t *testing.T) {
	t.Parallel()
	a := mustAllow(t, [2]string{"latin1.txt", "caf\xe9\nCAF\xc9-2\n"})
	checkAllows(t, "Latin-1 list", a, []allowCase{
		{"caf\xe9", true},
		{"CAF\xe9", true},
		{"caf\xe8", false},
		{"caf\xff", false},
		{"caf\uFFFD", false},
		{"café", false},
		{"CAF\xc9-2", true},
		{"caf\xc9-2", true},
		{"CAF\xe9-2", false},
	})
}

// TestAllowListRegex: an expression allows a value it matches completely,
// never one it only finds inside.
func TestAllowListRegex(t *testing.T) {
	t.Parallel()
	a := mustAllow(t, [2]string{"re.txt", "regex:\\d{4}\nregex:ab|cd\n"})
	checkAllows(t, "regex lines", a, []allowCase{
		{"1234", true},
		{"12345", false},
		{"x1234", false},
		{"1234\n", false},
		{"ab", true},
		{"cd", true},
		{"abcd", false},
		{"acd", false},
		{"abd", false},
	})
}

// TestAllowListRegexesStayApart: expressions from different lines or files
// do not change each other: flags of one do not reach the next.
func TestAllowListRegexesStayApart(t *testing.T) {
	t.Parallel()
	a := mustAllow(t,
		[2]string{"a.txt", "regex:(?i)abc\nregex:def\n"},
		[2]string{"b.json", `{"regex": "(?s)x.y"}`},
		[2]string{"c.yaml", "regex: 'x.z'\n"},
		[2]string{"d.txt", "regex:\\Qa.b|\nregex:k\\Q+\\E\\d\n"}, // a quote that runs to the end
	)
	checkAllows(t, "separate expressions", a, []allowCase{
		{"a.b|", true},
		{"axb", false},
		{"k+1", true},
		{"ABC", true},
		{"abc", true},
		{"def", true},
		{"DEF", false},
		{"x\ny", true},
		{"x\nz", false},
		{"xaz", true},
	})
}

// TestAllowListStructured: Macie's CreateAllowList criteria and the short
// forms, in JSON and YAML.
func TestAllowListStructured(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, file, content string
		cases               []allowCase
	}{
		{"JSON criteria.regex", "list.json", `{"name": "test ids", "criteria": {"regex": "TEST-\\d{4}"}}`,
			[]allowCase{{"TEST-1234", true}, {"TEST-12345", false}, {"xTEST-1234", false}}},
		{"JSON regex", "list.json", `{"regex": "[a-z]+@example\\.com"}`,
			[]allowCase{{"jo@example.com", true}, {"jo@example.com.au", false}}},
		{"JSON words", "list.json", `{"words": ["Acme Corp", "EMP-0000"]}`,
			[]allowCase{{"acme corp", true}, {"emp-0000", true}, {"Acme", false}}},
		{"JSON all three", "list.json", `{"criteria": {"regex": "A\\d"}, "regex": "B\\d", "words": ["c"]}`,
			[]allowCase{{"A1", true}, {"B2", true}, {"C", true}, {"D4", false}}},
		{"YAML criteria.regex", "list.yaml", "name: test ids\ncriteria:\n  regex: 'TEST-\\d{4}'\n",
			[]allowCase{{"TEST-1234", true}, {"TEST-12345", false}}},
		{"YAML regex", "list.yml", "regex: '[a-z]+@example\\.com'\n",
			[]allowCase{{"jo@example.com", true}, {"jo@example.org", false}}},
		{"YAML words", "list.yaml", "words:\n  - Acme Corp\n  - EMP-0000\n",
			[]allowCase{{"ACME CORP", true}, {"EMP-0000", true}, {"EMP-00000", false}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkAllows(t, tc.name, mustAllow(t, [2]string{tc.file, tc.content}), tc.cases)
		})
	}
}

// TestAllowListErrors: every broken rule fails the load with an error that
// names the file and says what is wrong.
func TestAllowListErrors(t *testing.T) {
	t.Parallel()
	var entries strings.Builder
	for i := range MaxAllowEntries + 1 {
		fmt.Fprintf(&entries, "w%d\n", i)
	}
	for _, tc := range []struct {
		name, file, content string
		want                []string
	}{
		{"empty text file", "empty.txt", "", []string{"empty"}},
		{"only blank lines", "blank.txt", "\n \r\n\t\n", []string{"empty"}},
		{"empty JSON object", "empty.json", `{}`, []string{"empty"}},
		{"JSON criteria without regex", "empty.json", `{"criteria": {}}`, []string{"empty"}},
		{"empty JSON file", "empty.json", ``, []string{"EOF"}},
		{"empty YAML file", "empty.yaml", ``, []string{"empty"}},
		{"unknown JSON field", "list.json", `{"regexp": "A\\d"}`, []string{`"regexp"`}},
		{"S3 words list not yet readable", "list.json", `{"criteria": {"s3WordsList": {"bucketName": "b", "objectKey": "k"}}}`, []string{"s3WordsList", "s3://b/k", "download the object"}},
		{"unknown JSON criteria field", "list.json", `{"criteria": {"regexp": "x"}}`, []string{`"regexp"`}},
		{"unknown YAML field", "list.yaml", "word:\n  - a\n", []string{"word", "not found"}},
		{"invalid JSON", "list.json", `{"words": [}`, []string{"invalid character"}},
		{"too many entries", "big.txt", entries.String(), []string{"100001 entries", "100000"}},
		{"regex of 513 characters", "re.txt", "regex:" + strings.Repeat("a", 513) + "\n", []string{"513 characters", "512"}},
		{"JSON regex of 513 characters", "re.json", `{"regex": "` + strings.Repeat("a", 513) + `"}`, []string{"513 characters", "512"}},
		{"empty regex", "re.txt", "regex:\n", []string{"empty expression"}},
		{"lookahead", "re.txt", "regex:TEST(?=-\\d)\n", []string{"lookahead"}},
		{"lookbehind", "re.json", `{"regex": "(?<=TEST-)\\d{4}"}`, []string{"lookbehind"}},
		{"backreference", "re.txt", "regex:(a)\\1\n", []string{"backreferences"}},
		{"invalid regex", "re.yaml", "regex: '[a-'\n", []string{"invalid regular expression"}},
		{"complex regex", "re.txt", "regex:" + strings.Repeat(`(?:\w{1,20}@\w{1,20}\.){1,40}`, 4) + "\n", []string{"too complex"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, err := loadAllow(t, [2]string{tc.file, tc.content})
			if err == nil {
				t.Fatalf("loaded a list of %d entries, want an error", a.Len())
			}
			for _, w := range append(tc.want, tc.file) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %.300q does not say %q", err, w)
				}
			}
		})
	}
}

// TestAllowListLimits: the limits themselves are allowed.
func TestAllowListLimits(t *testing.T) {
	t.Parallel()
	var entries strings.Builder
	for i := range MaxAllowEntries {
		fmt.Fprintf(&entries, "w%d\n", i)
	}
	a, err := loadAllow(t,
		[2]string{"big.txt", entries.String()},
		[2]string{"re.txt", "regex:" + strings.Repeat("a", MaxAllowRegexLen) + "\nregex:" + strings.Repeat("é", MaxAllowRegexLen) + "\n"},
	)
	if err != nil {
		t.Fatal(err)
	}
	if a.Len() != MaxAllowEntries+2 {
		t.Errorf("Len = %d, want %d", a.Len(), MaxAllowEntries+2)
	}
	checkAllows(t, "at the limits", a, []allowCase{{"W99999", true}, {"w100000", false}, {strings.Repeat("é", MaxAllowRegexLen), true}})
}

// TestAllowListFileTooLarge: a file over 35 MB is refused before it is read
// (the test file is sparse).
func TestAllowListFileTooLarge(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "huge.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxAllowBytes + 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = LoadAllowLists([]string{path})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "35 MB") {
		t.Errorf("got %v, want an error naming the file and the 35 MB limit", err)
	}
}

// TestAllowListFiles: missing files, no files, and merging.
func TestAllowListFiles(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "nope.txt")
	_, err := LoadAllowLists([]string{missing})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: got %v, want a not-exist error naming the file", err)
	}
	a, err := LoadAllowLists(nil)
	if err != nil || a != nil {
		t.Errorf("no files: got %v, %v, want a nil list and no error", a, err)
	}

	a = mustAllow(t,
		[2]string{"one.txt", "alpha\nregex:A\\d{2}\n"},
		[2]string{"two.json", `{"words": ["beta"], "criteria": {"regex": "B\\d{2}"}}`},
		[2]string{"three.yaml", "words: [gamma, alpha]\nregex: 'C\\d{2}'\n"},
	)
	if a.Len() != 6 {
		t.Errorf("merged Len = %d, want 6 (alpha, beta, gamma and three expressions)", a.Len())
	}
	checkAllows(t, "merged", a, []allowCase{
		{"ALPHA", true}, {"beta", true}, {"Gamma", true}, {"delta", false},
		{"A12", true}, {"B12", true}, {"C12", true}, {"D12", false}, {"A123", false},
	})
}

// TestNilAllowList: a nil list allows nothing.
func TestNilAllowList(t *testing.T) {
	t.Parallel()
	var a *AllowList
	for _, v := range []string{"", "x", "EMP-0000"} {
		if a.Allows([]byte(v)) {
			t.Errorf("a nil list allows a value of %d bytes", len(v))
		}
	}
	if a.Len() != 0 {
		t.Errorf("nil list Len = %d", a.Len())
	}
}

// TestEngineAllowList: allow-listed values are not reported, by custom or
// managed identifiers, while other values of the same identifier still are.
func TestEngineAllowList(t *testing.T) {
	t.Parallel()
	allow := mustAllow(t,
		[2]string{"words.txt", "EMP-0000\n536-22-8142\n"},
		[2]string{"re.json", `{"criteria": {"regex": "EMP-99\\d{2}"}}`},
	)
	e, ref := customEngineOf(t, []obj{{"name": "emp", "regex": `(?i)EMP-\d{4}`}}, Options{Allow: allow})
	for _, tc := range []struct{ name, text string }{
		{"word", "EMP-0000 " + mark("EMP-1234")},
		{"word, case-insensitive", "emp-0000 Emp-0000 " + mark("emp-0001")},
		{"regex", "EMP-9901 " + mark("EMP-9801") + " EMP-9999"},
		{"regex is case-sensitive", "EMP-9901 " + mark("emp-9901")},
		{"the matched text is what counts", "xEMP-0000 EMP-00001 " + mark("EMP-0001") + "0"},
		{"nothing but allowed values", "EMP-0000\nEMP-9900\n"},
	} {
		checkMarked(t, e, ref, "custom:emp", tc.name, tc.text)
	}

	// Without the list, everything is reported.
	plain, _ := customEngineOf(t, []obj{{"name": "emp", "regex": `(?i)EMP-\d{4}`}})
	if n := len(engineHits(plain, wholeSegment([]byte("EMP-0000 EMP-1234 EMP-9901")))); n != 3 {
		t.Errorf("without an allow list: %d detections, want 3", n)
	}

	// A managed identifier.
	ids := Managed()
	me, err := NewEngine(ids, Options{Allow: allow})
	if err != nil {
		t.Fatal(err)
	}
	mref := newReferenceAllow(ids, allow)
	const ssn = "USA_SOCIAL_SECURITY_NUMBER"
	r := NewCorpusRand(5)
	other := GenSSN(r)
	for other == "536-22-8142" {
		other = GenSSN(r)
	}
	text, want := unmark("ssn 536-22-8142, ssn " + mark(other))
	want[0].ID = ssn
	seg := wholeSegment(text)
	var got []hit
	for _, h := range engineHits(me, seg) {
		if h.ID == ssn {
			got = append(got, h)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("managed: got %v, want %v", got, want)
	}
	compareWithReference(t, me, mref, seg, "managed with allow list")
	if plain, _ := managed(t); len(engineHits(plain, seg)) != 2 {
		t.Errorf("without the allow list the managed engine should find both values")
	}
}

// TestAllowListMacieExport: a GetAllowList export loads as it is.
func TestAllowListMacieExport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.json")
	export := `{"arn":"arn:aws:macie2:eu-west-1:111122223333:allow-list/abc","createdAt":"2026-01-01T00:00:00Z",
		"criteria":{"regex":"TEST-\\d{4}"},"description":"test ids","id":"abc","name":"Test IDs",
		"status":{"code":"OK"},"tags":{"team":"sec"},"updatedAt":"2026-01-02T00:00:00Z"}`
	if err := os.WriteFile(path, []byte(export), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := LoadAllowLists([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Allows([]byte("TEST-1234")) || a.Allows([]byte("TEST-12345")) {
		t.Fatal("the export's regex is not applied as a full match")
	}
}
