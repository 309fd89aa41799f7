package formats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// jp is one part as the tests see it: where it is and its text.
type jp struct {
	Record int
	Path   string
	Text   string
}

func (p jp) String() string { return fmt.Sprintf("{%d %s %q}", p.Record, p.Path, p.Text) }

// jsonRun is what JSONSegments gave: the parts in order, with the names of
// their context, and the error.
type jsonRun struct {
	parts []jp
	names [][]string
	segs  int
	err   error
}

// runJSON collects the parts of r, checking every segment with
// checkJSONSegment, and joins the pieces of values cut across segments so
// that each value is one jp whatever the segment size.
func runJSON(r io.Reader, opt JSONOptions) jsonRun {
	var run jsonRun
	size := opt.SegmentSize
	if size == 0 {
		size = defaultJSONSegmentSize
	}
	open := false // the last part continues in the next segment
	run.err = JSONSegments(r, opt, func(s *Segment) error {
		if err := checkJSONSegment(s, size); err != nil {
			return fmt.Errorf("segment %d: %w", run.segs, err)
		}
		if open && s.Owned == 0 {
			return fmt.Errorf("segment %d: a cut value does not continue (Owned 0)", run.segs)
		}
		run.segs++
		for i, p := range s.Parts {
			start, end := p.Start, p.End
			if i == 0 && s.Owned > 0 {
				start = s.Owned
			}
			last := i == len(s.Parts)-1 && s.OwnedEnd != 0
			if last {
				end = s.OwnedEnd
			}
			var names []string
			if p.Ctx >= 0 {
				names = slices.Clone(s.Contexts[p.Ctx])
			}
			text := string(s.Text[start:end])
			if i == 0 && open {
				// A continuation takes the path of its last piece (a cut
				// key's first pieces only know their object).
				k := len(run.parts) - 1
				run.parts[k].Text += text
				run.parts[k].Path, run.names[k] = p.Path, names
			} else {
				run.parts = append(run.parts, jp{p.Record, p.Path, text})
				run.names = append(run.names, names)
			}
			open = last
		}
		return nil
	})
	if open {
		if run.err == nil {
			run.err = errors.New("the last segment cuts a value")
		}
		// A fault ended the value: drop its first pieces, as JSONSegments
		// drops a value it had not cut yet.
		run.parts, run.names = run.parts[:len(run.parts)-1], run.names[:len(run.names)-1]
	}
	return run
}

// checkJSONSegment checks what any segment must hold: Records layout, Text
// within size, parts in bounds, ordered, separated by '\n', with valid
// contexts, the owned range sane, and Where giving a part's location.
func checkJSONSegment(s *Segment, size int) error {
	if s.Layout != Records {
		return fmt.Errorf("layout %v", s.Layout)
	}
	if len(s.Text) > size {
		return fmt.Errorf("%d bytes of text, SegmentSize %d", len(s.Text), size)
	}
	if len(s.Parts) == 0 || len(s.Parts) > jsonMaxParts {
		return fmt.Errorf("%d parts", len(s.Parts))
	}
	if s.Owned < 0 || s.OwnedEnd < 0 || s.OwnedEnd > len(s.Text) ||
		(s.OwnedEnd != 0 && s.Owned >= s.OwnedEnd) || (s.OwnedEnd == 0 && s.Owned >= len(s.Text)) {
		return fmt.Errorf("owned [%d, %d) of %d bytes", s.Owned, s.OwnedEnd, len(s.Text))
	}
	if s.Owned > 0 && s.Parts[0].Start != 0 {
		return fmt.Errorf("owned prefix of %d bytes but the first part starts at %d", s.Owned, s.Parts[0].Start)
	}
	for i, p := range s.Parts {
		if p.Start < 0 || p.Start >= p.End || p.End > len(s.Text) {
			return fmt.Errorf("part %d: [%d, %d) of %d bytes", i, p.Start, p.End, len(s.Text))
		}
		if i == 0 && p.Start != 0 {
			return fmt.Errorf("part 0 starts at %d", p.Start)
		}
		if i > 0 && (p.Start != s.Parts[i-1].End+1 || s.Text[p.Start-1] != '\n') {
			return fmt.Errorf("part %d at %d does not follow part %d (end %d) after a newline", i, p.Start, i-1, s.Parts[i-1].End)
		}
		if p.Ctx < -1 || p.Ctx >= len(s.Contexts) {
			return fmt.Errorf("part %d: Ctx %d of %d", i, p.Ctx, len(s.Contexts))
		}
		if !strings.HasPrefix(p.Path, "$") || utf8.RuneCountInString(p.Path) > maxPathRunes {
			return fmt.Errorf("part %d: path %q", i, p.Path)
		}
		if p.Record < 0 {
			return fmt.Errorf("part %d: record %d", i, p.Record)
		}
		o := s.Where(p.Start, p.End)
		if o.Record == nil || o.Record.RecordIndex != p.Record || o.Record.JSONPath != p.Path {
			return fmt.Errorf("part %d: Where gives %+v", i, o)
		}
	}
	if n := len(s.Parts); s.Parts[n-1].End != len(s.Text) {
		return fmt.Errorf("text goes on after the last part: %d of %d", s.Parts[n-1].End, len(s.Text))
	}
	return nil
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "formats", "json", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Parts of basic.json and its compact and jq-printed copies.
var basicParts = []jp{
	{0, "$.name", "name"}, {0, "$.name", "Jane Doe"},
	{0, "$.age", "age"}, {0, "$.age", "42"},
	{0, "$.active", "active"},
	{0, "$.spouse", "spouse"},
	{0, "$.ssn", "ssn"}, {0, "$.ssn", "123-45-6789"},
	{0, "$.scores", "scores"}, {0, "$.scores[0]", "1.5"}, {0, "$.scores[1]", "-2e-10"}, {0, "$.scores[2]", "0"},
	{0, "$.address", "address"},
	{0, "$.address.street", "street"}, {0, "$.address.street", "1 Main St"},
	{0, "$.address.zip", "zip"}, {0, "$.address.zip", "98101"},
	{0, "$.matrix", "matrix"}, {0, "$.matrix[0][0]", "a"}, {0, "$.matrix[0][1]", "b"}, {0, "$.matrix[2][0][0]", "c"},
	{0, "$.empty", "empty"},
	{0, "$.none", "none"},
	{0, "$.list", "list"},
}

// recordsParts are the parts of records.jsonl, by line.
var recordsParts = []jp{
	{0, "$.id", "id"}, {0, "$.id", "1"},
	{0, "$.user", "user"},
	{0, "$.user.email", "email"}, {0, "$.user.email", "jane@example.com"},
	{0, "$.user.phones", "phones"}, {0, "$.user.phones[0]", "+1 206 555 0100"},
	{1, "$.id", "id"}, {1, "$.id", "2"},
	{1, "$.user", "user"},
	{1, "$.user.email", "email"}, {1, "$.user.email", "john@example.com"},
	{1, "$.user.phones", "phones"},
	{1, "$.note", "note"}, {1, "$.note", "two\nlines"},
	// line 2 is blank
	{3, "$", "a bare string"},
	{4, "$.id", "id"}, {4, "$.id", "4"},
	{4, "$.ok", "ok"},
}

func longPathParts() []jp {
	var parts []jp
	var elems []string
	for i := range 30 {
		name := fmt.Sprintf("level%05d", i)
		elems = append(elems, "."+name)
		path := "$" + strings.Join(elems, "")
		if len(path) > 250 {
			// 22 elements fit after "$..": 3 + 10 + 21*11 = 244.
			path = "$.." + strings.Join(elems[len(elems)-22:], "")[1:]
		}
		parts = append(parts, jp{0, path, name})
	}
	return append(parts, jp{0, parts[29].Path, "v2"})
}

func TestJSONFixtures(t *testing.T) {
	longName := strings.Repeat("a", 60) + strings.Repeat("b", 240)
	deepX := "$.." + strings.Repeat("[0]", 82) // 3 + 82*3 = 249 runes
	tests := []struct {
		file    string
		lines   bool
		want    []jp
		wantErr error
		errHas  string // in the message
	}{
		{file: "basic.json", want: basicParts},
		{file: "basic-compact.json", want: basicParts},
		{file: "basic-jq-tab.json", want: basicParts},
		{file: "bom.json", want: []jp{{0, "$.card", "card"}, {0, "$.card", "4111111111111111"}}},
		{file: "unicode.json", want: []jp{
			{0, "$['naïve']", "naïve"}, {0, "$['naïve']", "café"},
			{0, "$.emoji", "emoji"}, {0, "$.emoji", "\U0001F600 smile"},
			{0, "$.quote", "quote"}, {0, "$.quote", "say \"hi\"\n\tbye\\/"},
			{0, "$.ctrl", "ctrl"}, {0, "$.ctrl", "\x01\x1f"},
			{0, "$.lone", "lone"}, {0, "$.lone", "x\uFFFDy"},
			{0, "$['a b']", "a b"},
			{0, `$['a b']['it\'s']`, "it's"}, {0, `$['a b']['it\'s']`, "1"},
			{0, `$['a b']['back\\slash']`, `back\slash`}, {0, `$['a b']['back\\slash']`, "2"},
			{0, `$['a b']['']`, "3"}, // the empty key gives no part
			{0, `$['a b']['1st']`, "1st"}, {0, `$['a b']['1st']`, "4"},
			{0, `$['a b']['dot.key']`, "dot.key"}, {0, `$['a b']['dot.key']`, "5"},
			{0, `$['a b']['new\nline']`, "new\nline"}, {0, `$['a b']['new\nline']`, "6"},
		}},
		{file: "utf8.json", want: []jp{
			{0, "$['naïve']", "naïve"}, {0, "$['naïve']", "café"},
			{0, "$['日本']", "日本"}, {0, "$['日本'][0]", "東京"}, {0, "$['日本'][1]", "\U0001F600"},
		}},
		{file: "records.jsonl", lines: true, want: recordsParts},
		{file: "scalar-string.json", want: []jp{{0, "$", "078-05-1120"}}},
		{file: "scalar-number.json", want: []jp{{0, "$", "6011000990139424"}}},
		{file: "scalar-null.json"},
		{file: "empty.json"},
		{file: "empty.json", lines: true},
		{file: "long-name.json", want: []jp{
			{0, "$." + longName[60:], longName}, {0, "$." + longName[60:], "v1"},
		}},
		{file: "long-path.json", want: longPathParts()},
		{file: "depth-256.json", want: []jp{{0, deepX, "x"}}},
		{file: "depth-257.json", wantErr: ErrNestingTooDeep, errHas: "JSON line 1"},
		{file: "truncated.json", want: basicParts[:10], wantErr: ErrMalformed, errHas: "JSON line 9"},
		{file: "bad-token.json", want: basicParts[:5], wantErr: ErrMalformed, errHas: "JSON line 4"},
		{file: "trailing.json", want: basicParts, wantErr: ErrMalformed, errHas: "JSON line 1"},
		{file: "bad-line.jsonl", lines: true, want: append(slices.Clone(recordsParts[:15]),
			jp{2, "$.id", "id"}, jp{2, "$.id", "3"}, jp{2, "$.ssn", "ssn"}),
			wantErr: ErrMalformed, errHas: "JSON Lines line 3"},
	}
	for _, tc := range tests {
		name := tc.file
		if tc.lines {
			name += "/lines"
		}
		t.Run(name, func(t *testing.T) {
			data := fixture(t, tc.file)
			// Whole reads, and a byte at a time (every buffer boundary).
			for _, r := range []io.Reader{bytes.NewReader(data), iotest.OneByteReader(bytes.NewReader(data))} {
				run := runJSON(r, JSONOptions{Lines: tc.lines})
				if !slices.Equal(run.parts, tc.want) {
					t.Errorf("parts:\n got %v\nwant %v", run.parts, tc.want)
				}
				if !errors.Is(run.err, tc.wantErr) || (tc.wantErr == nil) != (run.err == nil) {
					t.Fatalf("error %v, want %v", run.err, tc.wantErr)
				}
				if run.err != nil && !strings.Contains(run.err.Error(), tc.errHas) {
					t.Errorf("error %q does not say %q", run.err, tc.errHas)
				}
				if run.err != nil && strings.Contains(run.err.Error(), "123-45") {
					t.Errorf("error %q holds the input", run.err)
				}
				for i, p := range run.parts {
					want := pathNames(p.Path)
					switch tc.file {
					case "long-name.json":
						want = []string{longName}
					case "long-path.json":
						want = nil
						for k := 0; k <= min(i, 29); k++ {
							want = append(want, fmt.Sprintf("level%05d", k))
						}
					}
					if !slices.Equal(run.names[i], want) {
						t.Errorf("%v: names %q, want %q", p, run.names[i], want)
					}
				}
			}
		})
	}
}

// pathNames lists the names in a path written by the rules of JSONSegments
// (for the uncut paths of the fixtures).
func pathNames(path string) []string {
	var names []string
	for _, m := range regexp.MustCompile(`\.([A-Za-z0-9_]+)|\['((?:[^'\\]|\\.)*)'\]`).FindAllStringSubmatch(path, -1) {
		if m[1] != "" {
			names = append(names, m[1])
		} else {
			n, err := strconv.Unquote(`"` + strings.ReplaceAll(m[2], `\'`, `'`) + `"`)
			if err != nil {
				panic(err)
			}
			names = append(names, n)
		}
	}
	return names
}

func TestJSONSmall(t *testing.T) {
	p0 := func(path, text string) jp { return jp{0, path, text} }
	tests := []struct {
		name    string
		in      string
		lines   bool
		want    []jp
		wantErr error
	}{
		{"escapes", `"\"\\\/\b\f\n\r\t\u0000\u00e9\u20AC"`, false, []jp{p0("$", "\"\\/\b\f\n\r\t\x00é€")}, nil},
		{"surrogate pair", `"\ud83d\ude00"`, false, []jp{p0("$", "😀")}, nil},
		{"high surrogate at the end", `"a\ud83d"`, false, []jp{p0("$", "a\uFFFD")}, nil},
		{"low then high", `"\ude00\ud83d"`, false, []jp{p0("$", "\uFFFD\uFFFD")}, nil},
		{"high then a letter", `"\ud83d\u0041"`, false, []jp{p0("$", "\uFFFDA")}, nil},
		{"high then a plain escape", `"\ud83d\n"`, false, []jp{p0("$", "\uFFFD\n")}, nil},
		{"numbers", `[-0, 1E+2, 0.5e-3, 10, -1.25E7]`, false, []jp{
			p0("$[0]", "-0"), p0("$[1]", "1E+2"), p0("$[2]", "0.5e-3"), p0("$[3]", "10"), p0("$[4]", "-1.25E7"),
		}, nil},
		{"booleans and null give nothing", `[true, false, null]`, false, nil, nil},
		{"whitespace only", " \t\r\n ", false, nil, nil},
		{"blank lines only", "\n \n\r\n", true, nil, nil},
		{"bracket names", `{"a-b": {"_ok9": {"9a": 1}}}`, false, []jp{
			p0("$['a-b']", "a-b"), p0("$['a-b']._ok9", "_ok9"), p0("$['a-b']._ok9['9a']", "9a"), p0("$['a-b']._ok9['9a']", "1"),
		}, nil},
		{"control name", "{\"\\u0001\":1}", false, []jp{p0(`$['\u0001']`, "\x01"), p0(`$['\u0001']`, "1")}, nil},
		{"arrays of objects", `[{"a":1},{"a":2}]`, false, []jp{
			p0("$[0].a", "a"), p0("$[0].a", "1"), p0("$[1].a", "a"), p0("$[1].a", "2"),
		}, nil},
		{"JSONL last line without newline, CRLF", "{\"a\":1}\r\n\r\n[2]", true, []jp{
			{0, "$.a", "a"}, {0, "$.a", "1"}, {2, "$[0]", "2"},
		}, nil},
		{"JSONL value across lines", "{\"a\":\n1}", true, []jp{p0("$.a", "a")}, ErrMalformed},
		{"JSONL two values on a line", "1 2\n", true, []jp{{0, "$", "1"}}, ErrMalformed},
		{"JSON two documents", "{}\n{}", false, nil, ErrMalformed},
		{"leading zero", `01`, false, []jp{p0("$", "0")}, ErrMalformed},
		{"lone minus", `-`, false, nil, ErrMalformed},
		{"no fraction digits", `1.`, false, nil, ErrMalformed},
		{"no exponent digits", `[1e]`, false, nil, ErrMalformed},
		{"plus sign", `+1`, false, nil, ErrMalformed},
		{"trailing comma", `[1,]`, false, []jp{p0("$[0]", "1")}, ErrMalformed},
		{"trailing comma in object", `{"a":1,}`, false, []jp{p0("$.a", "a"), p0("$.a", "1")}, ErrMalformed},
		{"key without value", `{"a"}`, false, []jp{p0("$.a", "a")}, ErrMalformed},
		{"missing value", `{"a":}`, false, []jp{p0("$.a", "a")}, ErrMalformed},
		{"missing comma", `[1 2]`, false, []jp{p0("$[0]", "1")}, ErrMalformed},
		{"bare comma", `{,}`, false, nil, ErrMalformed},
		{"unquoted key", `{a:1}`, false, nil, ErrMalformed},
		{"bad escape", `"\x"`, false, nil, ErrMalformed},
		{"short unicode escape", `"\u12"`, false, nil, ErrMalformed},
		{"raw control", "\"a\x01\"", false, nil, ErrMalformed},
		{"bad literal", `nul`, false, nil, ErrMalformed},
		{"truncated literal", `[tr`, false, nil, ErrMalformed},
		{"open array", `[`, false, nil, ErrMalformed},
		{"open string", `["abc`, false, nil, ErrMalformed},
		{"mismatched close", `[1}`, false, []jp{p0("$[0]", "1")}, ErrMalformed},
		{"form feed is not whitespace", "\f1", false, nil, ErrMalformed},
		{"lone BOM", "\xef\xbb\xbf", false, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := runJSON(strings.NewReader(tc.in), JSONOptions{Lines: tc.lines})
			if !slices.Equal(run.parts, tc.want) {
				t.Errorf("parts:\n got %v\nwant %v", run.parts, tc.want)
			}
			if !errors.Is(run.err, tc.wantErr) || (tc.wantErr == nil) != (run.err == nil) {
				t.Errorf("error %v, want %v", run.err, tc.wantErr)
			}
		})
	}
}

func TestJSONNesting(t *testing.T) {
	arrays := func(n int) string { return strings.Repeat("[", n) + `"x"` + strings.Repeat("]", n) }
	objects := func(n int) string { return strings.Repeat(`{"k":`, n) + "1" + strings.Repeat("}", n) }
	tests := []struct {
		name     string
		in       string
		maxDepth int
		parts    int
		wantErr  error
	}{
		{"256 arrays", arrays(256), 0, 1, nil},
		{"257 arrays", arrays(257), 0, 0, ErrNestingTooDeep},
		{"256 objects", objects(256), 0, 257, nil},
		{"257 objects", objects(257), 0, 256, ErrNestingTooDeep},
		{"limit 3", `[["before"], [[["x"]]]]`, 3, 1, ErrNestingTooDeep},
		{"limit 3 reached", `[[["x"]]]`, 3, 1, nil},
		{"deep then shallow", arrays(256) + "\n" + arrays(1), 0, 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines := strings.Contains(tc.in, "\n")
			run := runJSON(strings.NewReader(tc.in), JSONOptions{MaxDepth: tc.maxDepth, Lines: lines})
			if len(run.parts) != tc.parts {
				t.Errorf("%d parts, want %d", len(run.parts), tc.parts)
			}
			if !errors.Is(run.err, tc.wantErr) || (tc.wantErr == nil) != (run.err == nil) {
				t.Errorf("error %v, want %v", run.err, tc.wantErr)
			}
			if errors.Is(run.err, ErrMalformed) {
				t.Errorf("nesting error %v is also malformed", run.err)
			}
		})
	}
}

func TestJSONPathCutting(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // path of the last part
	}{
		{"240 runes kept", `{"` + strings.Repeat("é", 240) + `":1}`, "$['" + strings.Repeat("é", 240) + "']"},
		{"241 runes lose the first", `{"x` + strings.Repeat("é", 240) + `":1}`, "$['" + strings.Repeat("é", 240) + "']"},
		{"long ident name", `{"` + strings.Repeat("a", 10) + strings.Repeat("b", 240) + `":1}`, "$." + strings.Repeat("b", 240)},
		{"escapes make one name too long", `{"` + strings.Repeat(`\\`, 240) + `":1}`,
			"$..['" + strings.Repeat(`\\`, 121) + "']"}, // 3 + 2 + 242 + 2 = 249
		{"escaped name after long path", `{"` + strings.Repeat("a", 240) + `":{"` + strings.Repeat("'", 200) + `":1}}`,
			"$..['" + strings.Repeat(`\'`, 121) + "']"},
		{"exactly 250", `{"` + strings.Repeat("a", 200) + `":{"` + strings.Repeat("b", 47) + `":1}}`,
			"$." + strings.Repeat("a", 200) + "." + strings.Repeat("b", 47)},
		{"251", `{"` + strings.Repeat("a", 200) + `":{"` + strings.Repeat("b", 48) + `":1}}`,
			"$.." + strings.Repeat("b", 48)},
		{"indexes fit", `{"` + strings.Repeat("a", 240) + `":{"b":[[1]]}}`, "$." + strings.Repeat("a", 240) + ".b[0][0]"},
		{"indexes", `{"` + strings.Repeat("a", 240) + `":{"b":[[[1]]]}}`, "$..b[0][0][0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := runJSON(strings.NewReader(tc.in), JSONOptions{})
			if run.err != nil || len(run.parts) == 0 {
				t.Fatalf("%d parts, error %v", len(run.parts), run.err)
			}
			got := run.parts[len(run.parts)-1].Path
			if got != tc.want {
				t.Errorf("path\n got %s\nwant %s", got, tc.want)
			}
			if n := utf8.RuneCountInString(got); n > maxPathRunes {
				t.Errorf("path of %d runes", n)
			}
		})
	}
}

func TestJSONContextsInterned(t *testing.T) {
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, `{"a":%d,"b":{"c":[1,{"d":"x"}]},"e":[{"a":1},{"a":2}]}`+"\n", i)
	}
	segs := 0
	err := JSONSegments(strings.NewReader(b.String()), JSONOptions{Lines: true}, func(s *Segment) error {
		segs++
		var lists []string
		for _, c := range s.Contexts {
			lists = append(lists, strings.Join(c, "/"))
		}
		slices.Sort(lists)
		// [a] [b] [b c] [b c d] [e] [e a]
		if want := []string{"a", "b", "b/c", "b/c/d", "e", "e/a"}; !slices.Equal(lists, want) {
			t.Errorf("contexts %q, want %q", lists, want)
		}
		return nil
	})
	if err != nil || segs != 1 {
		t.Fatalf("%d segments, error %v", segs, err)
	}
}

func TestJSONSegmentsFnError(t *testing.T) {
	stop := errors.New("stop")
	for _, size := range []int{16, 64, 0} {
		calls := 0
		err := JSONSegments(bytes.NewReader(fixture(t, "trailing.json")), JSONOptions{SegmentSize: size}, func(*Segment) error {
			calls++
			return stop
		})
		if err != stop || calls != 1 {
			t.Errorf("size %d: error %v after %d calls, want stop after 1", size, err, calls)
		}
	}
}

func TestJSONReadError(t *testing.T) {
	boom := errors.New("boom")
	data := fixture(t, "basic.json")
	r := io.MultiReader(bytes.NewReader(data[:100]), iotest.ErrReader(boom))
	run := runJSON(r, JSONOptions{})
	if !errors.Is(run.err, boom) || errors.Is(run.err, ErrMalformed) {
		t.Errorf("error %v, want boom and not malformed", run.err)
	}
	if len(run.parts) == 0 {
		t.Error("nothing delivered before the read error")
	}
	// A read error at the very end of a whole document still counts.
	run = runJSON(io.MultiReader(bytes.NewReader(data), iotest.ErrReader(boom)), JSONOptions{})
	if !errors.Is(run.err, boom) || !slices.Equal(run.parts, basicParts) {
		t.Errorf("error %v, %d parts", run.err, len(run.parts))
	}
	if err := JSONSegments(strings.NewReader("1"), JSONOptions{SegmentSize: 15}, nil); err == nil {
		t.Error("SegmentSize 15 accepted")
	}
}

// genJSON writes a random JSON value: nested objects and arrays, escapes
// of every kind, non-ASCII, numbers, literals, random whitespace, now and
// then a long name. Within an object keys may repeat. budget bounds the
// number of values.
func genJSON(r *rand.Rand, b *bytes.Buffer, depth int, ws string, budget *int) {
	*budget--
	space := func() {
		for r.IntN(4) == 0 {
			b.WriteByte(ws[r.IntN(len(ws))])
		}
	}
	space()
	k := r.IntN(10)
	if (depth <= 0 || *budget <= 0) && k < 4 {
		k += 4
	}
	switch k {
	case 0, 1:
		b.WriteByte('{')
		for i, n := 0, r.IntN(5); i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			space()
			if r.IntN(8) == 0 {
				genString(r, b, 150)
			} else {
				genString(r, b, 6)
			}
			space()
			b.WriteByte(':')
			genJSON(r, b, depth-1, ws, budget)
		}
		space()
		b.WriteByte('}')
	case 2, 3:
		b.WriteByte('[')
		for i, n := 0, r.IntN(5); i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			genJSON(r, b, depth-1, ws, budget)
		}
		space()
		b.WriteByte(']')
	case 4, 5, 6:
		genString(r, b, 40)
	case 7, 8:
		nums := []string{"0", "-0", "12", "-3.25", "6.02e23", "1E-7", "4111111111111111", "0.5E+3"}
		b.WriteString(nums[r.IntN(len(nums))])
	default:
		b.WriteString([]string{"true", "false", "null"}[r.IntN(3)])
	}
	space()
}

func genString(r *rand.Rand, b *bytes.Buffer, max int) {
	pieces := []string{"a", "Z", "_", "9", " ", "-", ".", "'", "é", "日本", "😀", `\"`, `\\`, `\/`, `\b`, `\f`, `\n`,
		`\r`, `\t`, `\u0000`, `\u00e9`, `\ud83d\ude00`, `\ud800`, `\udfff`, `\uD83D`, "ssn", "card"}
	b.WriteByte('"')
	for i, n := 0, r.IntN(max+1); i < n; i++ {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	b.WriteByte('"')
}

// refParts is the oracle: the parts by encoding/json's Decoder.Token, with
// paths rendered independently of json.go, the simple way: render every
// element, then drop elements from the front until the path fits.
func refParts(data []byte) ([]jp, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		array  bool
		idx    int
		name   string
		hasKey bool
	}
	var stack []frame
	ident := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	esc := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\b", `\b`, "\f", `\f`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	render := func(name string) string {
		if ident.MatchString(name) {
			return "." + name
		}
		name = esc.Replace(name)
		for c := rune(0); c < 0x20; c++ {
			name = strings.ReplaceAll(name, string(c), fmt.Sprintf(`\u%04x`, c))
		}
		return "['" + name + "']"
	}
	runes := utf8.RuneCountInString
	path := func() string {
		var elems []string
		for _, f := range stack {
			if f.array {
				elems = append(elems, fmt.Sprintf("[%d]", f.idx))
				continue
			}
			name := []rune(f.name)
			elems = append(elems, render(string(name[max(0, len(name)-240):])))
		}
		if p := "$" + strings.Join(elems, ""); runes(p) <= 250 {
			return p
		}
		for k := 1; k < len(elems); k++ {
			if p := "$.." + strings.TrimPrefix(strings.Join(elems[k:], ""), "."); runes(p) <= 250 {
				return p
			}
		}
		name := []rune(stack[len(stack)-1].name)
		name = name[max(0, len(name)-240):]
		for {
			name = name[1:]
			if p := "$.." + strings.TrimPrefix(render(string(name)), "."); runes(p) <= 250 {
				return p
			}
		}
	}
	var parts []jp
	// value marks that a value has been read in the innermost container.
	value := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].idx++
			} else {
				stack[n-1].hasKey = false
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if len(stack) > 0 {
				return parts, io.ErrUnexpectedEOF
			}
			return parts, nil
		}
		if err != nil {
			return parts, err
		}
		if n := len(stack); n > 0 && !stack[n-1].array && !stack[n-1].hasKey && tok != json.Delim('}') {
			stack[n-1].name, stack[n-1].hasKey = tok.(string), true
			if tok.(string) != "" {
				parts = append(parts, jp{0, path(), tok.(string)})
			}
			continue
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				stack = append(stack, frame{array: v == '['})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if v != "" {
				parts = append(parts, jp{0, path(), v})
			}
		case json.Number:
			parts = append(parts, jp{0, path(), string(v)})
		}
		value()
		if len(stack) == 0 {
			// One value only: anything after it is malformed.
			if _, err := dec.Token(); err != io.EOF {
				return parts, errors.New("data after the value")
			}
			return parts, nil
		}
	}
}

// TestJSONAgainstEncodingJSON compares random documents, and damaged
// copies of them, with the oracle; then checks that any segment size gives
// the same values.
func TestJSONAgainstEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 2000
	if testing.Short() {
		n = 300
	}
	for i := range n {
		var b bytes.Buffer
		budget := 40
		genJSON(r, &b, 1+r.IntN(30), " \t\r\n", &budget)
		data := b.Bytes()
		if i%3 == 0 && len(data) > 0 { // damage it
			data = slices.Clone(data)
			const junk = "{}[]\",:\\ x0-eE.\x01\n"
			switch j := r.IntN(len(data)); r.IntN(3) {
			case 0:
				data = data[:j]
			case 1:
				data[j] = junk[r.IntN(len(junk))]
			default:
				data = slices.Insert(data, j, junk[r.IntN(len(junk))])
			}
		}
		compareWithOracle(t, data)
		if t.Failed() {
			t.Fatalf("input %q", data)
		}
		whole := runJSON(bytes.NewReader(data), JSONOptions{})
		size := 16 + r.IntN(100)
		cut := runJSON(iotest.HalfReader(bytes.NewReader(data)), JSONOptions{SegmentSize: size})
		if !slices.Equal(whole.parts, cut.parts) || !slices.EqualFunc(whole.names, cut.names, slices.Equal) ||
			(whole.err == nil) != (cut.err == nil) {
			t.Fatalf("SegmentSize %d of %q:\n got %v (%v)\nwant %v (%v)", size, data, cut.parts, cut.err, whole.parts, whole.err)
		}
	}
}

// compareWithOracle checks JSONSegments against refParts on data: both
// accept it with the same parts, or both reject it. Inputs the two treat
// differently on purpose are left out: invalid UTF-8 (passed through, not
// replaced), a byte-order mark (skipped), nesting over 256.
func compareWithOracle(t *testing.T, data []byte) {
	t.Helper()
	if !utf8.Valid(data) || bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return
	}
	run := runJSON(bytes.NewReader(data), JSONOptions{})
	if errors.Is(run.err, ErrNestingTooDeep) {
		return
	}
	if run.err != nil && !errors.Is(run.err, ErrMalformed) {
		t.Fatalf("error %v is not ErrMalformed", run.err)
	}
	want, werr := refParts(data)
	if (werr == nil) != (run.err == nil) {
		t.Errorf("error %v, encoding/json: %v", run.err, werr)
		return
	}
	if werr == nil && !slices.Equal(run.parts, want) {
		t.Errorf("parts:\n got %v\nwant %v", run.parts, want)
	}
}

// hugeJSON streams a JSON array of n records with, in the middle, one
// string value of big bytes: a document of any size in constant memory.
type hugeJSON struct {
	n, big, i int
	blob      int // bytes of the big string still to write
	buf       []byte
	done      bool
}

func (h *hugeJSON) Read(p []byte) (int, error) {
	for len(h.buf) == 0 {
		switch {
		case h.done:
			return 0, io.EOF
		case h.i == 0:
			h.buf = append(h.buf, '[')
		case h.i == h.n/2 && h.big > 0:
			h.buf = append(h.buf, `{"blob":"`...)
			h.blob, h.big = h.big, 0
			continue
		case h.blob > 0:
			k := min(h.blob, 4<<10)
			h.buf = append(h.buf, bytes.Repeat([]byte("0123456789abcdef"), k/16)...)
			if h.blob -= k; h.blob == 0 {
				h.buf = append(h.buf, `"},`...)
			}
			continue
		case h.i > h.n:
			h.buf = append(h.buf[:0], `0]`...)
			h.done = true
		default:
			h.buf = fmt.Appendf(h.buf, `{"id":%d,"ssn":"123-45-6789","tags":["a","b"],"ok":true},`, h.i)
		}
		h.i++
	}
	k := copy(p, h.buf)
	h.buf = h.buf[:copy(h.buf, h.buf[k:])]
	return k, nil
}

func TestJSONHugeArrayBoundedMemory(t *testing.T) {
	n, big := 800_000, 8<<20 // about 50 MB
	if testing.Short() {
		n, big = 50_000, 2<<20
	}
	const size = 1 << 20
	// Live heap, sampled after a collection every few segments.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	parts, segs, blob := 0, 0, 0
	err := JSONSegments(&hugeJSON{n: n, big: big}, JSONOptions{}, func(s *Segment) error {
		if err := checkJSONSegment(s, size); err != nil {
			return err
		}
		if segs%16 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		segs++
		for i, p := range s.Parts {
			if i > 0 || s.Owned == 0 { // not the rest of a cut value
				parts++
			}
			if text := string(s.Text[p.Start:p.End]); strings.HasSuffix(p.Path, ".ssn") && text != "ssn" && text != "123-45-6789" {
				return fmt.Errorf("%s holds %q", p.Path, text)
			}
			if strings.HasSuffix(p.Path, ".blob") && p.Record == 0 && len(s.Contexts[p.Ctx]) == 1 {
				start := p.Start
				if i == 0 {
					start = s.Owned
				}
				end := p.End
				if i == len(s.Parts)-1 && s.OwnedEnd != 0 {
					end = s.OwnedEnd
				}
				blob += end - start
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Per record: 4 keys, 2 values, 2 tags; the blob record a key and its
	// value; the last 0.
	if want := n*8 + 2 + 1; parts != want {
		t.Errorf("%d parts, want %d", parts, want)
	}
	if blob != big+len("blob") {
		t.Errorf("blob: %d bytes delivered, want %d", blob, big+len("blob"))
	}
	if grown := int64(peak) - int64(base); grown > 32<<20 {
		t.Errorf("heap grew by %d MiB", grown>>20)
	}
	t.Logf("%d segments, %d parts, heap peak %d MiB over a base of %d MiB", segs, parts, (peak-base)>>20, base>>20)
}

// TestJSONDeepArraysBoundedMemory: an array of deep arrays, each with one
// value, gives each value a path of its own 250 nodes long; memory must
// not grow with the number of values a segment holds.
func TestJSONDeepArraysBoundedMemory(t *testing.T) {
	const depth = 250
	n := 5_000
	if testing.Short() {
		n = 1_000
	}
	one := strings.Repeat("[", depth-1) + "1" + strings.Repeat("]", depth-1) + ","
	r := io.MultiReader(strings.NewReader("["), strings.NewReader(strings.Repeat(one, n)), strings.NewReader("1]"))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	parts, segs := 0, 0
	want := "$.." + strings.Repeat("[0]", 82)
	err := JSONSegments(r, JSONOptions{}, func(s *Segment) error {
		if segs%4 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		segs++
		for _, p := range s.Parts {
			if parts < n && p.Path != want {
				return fmt.Errorf("part %d: path %s", parts, p.Path)
			}
			parts++
		}
		return nil
	})
	if err != nil || parts != n+1 {
		t.Fatalf("%d parts, error %v", parts, err)
	}
	if grown := int64(peak) - int64(base); grown > 24<<20 {
		t.Errorf("heap grew by %d MiB", grown>>20)
	}
	t.Logf("%d segments, heap peak %d MiB over the base", segs, (peak-base)>>20)
}

// genJSONL makes n bytes or so of JSON Lines shaped like an export of user
// records.
func genJSONL(n int) []byte {
	r := rand.New(rand.NewPCG(3, 4))
	var b []byte
	for i := 0; len(b) < n; i++ {
		b = fmt.Appendf(b, `{"id":%d,"name":"User %d","email":"user%d@example.com","ssn":"%03d-%02d-%04d",`+
			`"address":{"street":"%d Main St","city":"Seattle","zip":"%05d"},"tags":["a","b","c"],"active":%v,`+
			`"balance":%d.%02d,"note":"Lorem ipsum dolor sit amet, consectetur adipiscing elit \u00e9\n"}`+"\n",
			i, i, i, r.IntN(1000), r.IntN(100), r.IntN(10000), r.IntN(9999), r.IntN(100000), i%2 == 0, r.IntN(100000), r.IntN(100))
	}
	return b
}

func BenchmarkJSONSegments(b *testing.B) {
	data := genJSONL(16 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := JSONSegments(bytes.NewReader(data), JSONOptions{Lines: true}, func(*Segment) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJSONSegmentsArray: the same records as one JSON array, where
// every element's values have paths of their own ($[i].name).
func BenchmarkJSONSegmentsArray(b *testing.B) {
	data := bytes.TrimSuffix(genJSONL(16<<20), []byte("\n"))
	data = append(append([]byte("["), bytes.ReplaceAll(data, []byte("\n"), []byte(","))...), ']')
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := JSONSegments(bytes.NewReader(data), JSONOptions{}, func(*Segment) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzJSONSegments(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("..", "testdata", "formats", "json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data := fixture(f, e.Name())
		f.Add(data, strings.HasSuffix(e.Name(), ".jsonl"), uint16(0))
		f.Add(data, !strings.HasSuffix(e.Name(), ".jsonl"), uint16(5))
	}
	f.Add([]byte(`{"a":"\ud83d\ude00","b":[1,-2.5e3,null]}`), false, uint16(20))
	f.Fuzz(func(t *testing.T, data []byte, lines bool, size uint16) {
		opt := JSONOptions{Lines: lines, SegmentSize: minJSONSegmentSize + int(size%512)}
		if size%7 == 0 {
			opt.SegmentSize = 0
		}
		run := runJSON(bytes.NewReader(data), opt)
		if run.err != nil && !errors.Is(run.err, ErrMalformed) && !errors.Is(run.err, ErrNestingTooDeep) {
			t.Fatalf("error %v", run.err)
		}
		if !lines && opt.SegmentSize == 0 {
			compareWithOracle(t, data)
		}
	})
}

func TestDetectJSONWithoutName(t *testing.T) {
	long := `{"user": {"notes": "` + strings.Repeat("x", SniffLen) + `"}}`
	longLines := strings.Repeat(`{"id": 1, "ssn": "123-45-6789"}`+"\n", SniffLen/30+1)
	cases := []struct{ head, name, mime string }{
		{`{"a": 1}`, "export", "application/json"},
		{"\xef\xbb\xbf\n [1, 2, {\"b\": null}]\n", "dump.out", "application/json"},
		{"{\"a\":1}\n{\"a\":2}\n", "events", "application/jsonl"},
		{long[:SniffLen], "big", "application/json"},             // cut by the window
		{longLines[:SniffLen], "big-lines", "application/jsonl"}, // last line cut
		{`[1, 2`, "short", "text/plain"},                         // the whole stream, unfinished
		{"[2024-01-01 10:00] INFO started\n", "app.log.1", "text/plain"},
		{`{not json}`, "x", "text/plain"},
		{`{"a": 1} trailing words`, "x", "text/plain"},
		{`{"a": 1}`, "notes.txt", "text/plain"}, // a text format's name wins
	}
	for _, c := range cases {
		if got := Detect([]byte(c.head), c.name); got.MIME != c.mime {
			t.Errorf("Detect(%.30q…, %q) = %s, want %s", c.head, c.name, got.MIME, c.mime)
		}
	}
}
