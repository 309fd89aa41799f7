package identifiers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"go.yaml.in/yaml/v3"
)

// Macie's limits on custom data identifiers.
const (
	MaxCustomNameLen        = 128
	MaxCustomDescriptionLen = 512
	MaxCustomRegexLen       = 512
	MaxCustomKeywords       = 50
	MaxCustomIgnoreWords    = 10
	MaxCustomTags           = 50
	DefaultMatchDistance    = 50
	// MaxProgramSize bounds what one expression may compile to, so that a
	// pattern cannot make every window expensive.
	MaxProgramSize = 10_000
)

// CustomDefinition is a custom data identifier as Macie's
// CreateCustomDataIdentifier takes it (and as GetCustomDataIdentifier
// returns it: the extra read-only fields are accepted and ignored, so an
// export from Macie loads as is).
type CustomDefinition struct {
	Name                 string            `json:"name" yaml:"name"`
	Description          string            `json:"description" yaml:"description"`
	Regex                string            `json:"regex" yaml:"regex"`
	Keywords             []string          `json:"keywords" yaml:"keywords"`
	IgnoreWords          []string          `json:"ignoreWords" yaml:"ignoreWords"`
	MaximumMatchDistance *int              `json:"maximumMatchDistance" yaml:"maximumMatchDistance"`
	SeverityLevels       []SeverityLevel   `json:"severityLevels" yaml:"severityLevels"`
	Tags                 map[string]string `json:"tags" yaml:"tags"`

	// Read-only fields of Macie's export.
	ARN         string `json:"arn" yaml:"arn"`
	ID          string `json:"id" yaml:"id"`
	CreatedAt   string `json:"createdAt" yaml:"createdAt"`
	Deleted     bool   `json:"deleted" yaml:"deleted"`
	ClientToken string `json:"clientToken" yaml:"clientToken"`
}

// SeverityLevel is one of a custom identifier's severity thresholds.
type SeverityLevel struct {
	OccurrencesThreshold int    `json:"occurrencesThreshold" yaml:"occurrencesThreshold"`
	Severity             string `json:"severity" yaml:"severity"`
}

// LoadCustom reads custom identifier definitions from a JSON or YAML file:
// a list of definitions, or one.
func LoadCustom(path string) ([]*Identifier, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("custom identifiers: %w", err)
	}
	return ParseCustom(raw, path)
}

// ParseCustom reads definitions from raw, JSON or YAML; name (a file name)
// picks the format by its extension and labels errors.
func ParseCustom(raw []byte, name string) ([]*Identifier, error) {
	path := name
	defs, err := decodeDefinitions(raw, strings.ToLower(filepath.Ext(path)))
	if err != nil {
		return nil, fmt.Errorf("custom identifiers %s: %w", path, err)
	}
	if len(defs) == 0 {
		return nil, fmt.Errorf("custom identifiers %s: no definitions in the file", path)
	}
	var out []*Identifier
	names := map[string]bool{}
	for i, d := range defs {
		id, err := d.Compile()
		if err != nil {
			return nil, fmt.Errorf("custom identifiers %s: %w", path, labelled(i, d.Name, err))
		}
		if names[d.Name] {
			return nil, fmt.Errorf("custom identifiers %s: %w", path, labelled(i, d.Name, errors.New("name: used twice; names must be unique")))
		}
		names[d.Name] = true
		out = append(out, id)
	}
	return out, nil
}

func labelled(i int, name string, err error) error {
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("identifier #%d: %w", i+1, err)
	}
	return fmt.Errorf("identifier %q: %w", name, err)
}

// definitionFields are the field names a definition may have.
var definitionFields = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeFor[CustomDefinition]()
	for i := range t.NumField() {
		m[t.Field(i).Tag.Get("yaml")] = true
	}
	return m
}()

// decodeDefinitions accepts a list or a single object, and rejects unknown
// fields so that a typo ("keyword" for "keywords") is not silently ignored.
// Each definition is decoded on its own, so that an error names it. An
// empty file holds no definitions.
func decodeDefinitions(raw []byte, ext string) ([]CustomDefinition, error) {
	raw = bytes.TrimPrefix(raw, []byte("\uFEFF"))
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return nil, nil
	}
	isYAML := ext == ".yaml" || ext == ".yml"
	if ext == ".json" || !isYAML && (trimmed[0] == '[' || trimmed[0] == '{') {
		return decodeJSONDefinitions(trimmed)
	}
	return decodeYAMLDefinitions(raw)
}

func decodeJSONDefinitions(raw []byte) ([]CustomDefinition, error) {
	var items []json.RawMessage
	if raw[0] == '[' {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, cleanJSONError(err)
		}
	} else {
		var one json.RawMessage
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, cleanJSONError(err)
		}
		items = append(items, one)
	}
	defs := make([]CustomDefinition, len(items))
	for i, item := range items {
		d := json.NewDecoder(bytes.NewReader(item))
		d.DisallowUnknownFields()
		if err := d.Decode(&defs[i]); err != nil {
			var named struct{ Name string }
			_ = json.Unmarshal(item, &named)
			return nil, labelled(i, named.Name, cleanJSONError(err))
		}
	}
	return defs, nil
}

func decodeYAMLDefinitions(raw []byte) ([]CustomDefinition, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil // comments only
	}
	root := doc.Content[0]
	items := []*yaml.Node{root}
	if root.Kind == yaml.SequenceNode {
		items = root.Content
	}
	defs := make([]CustomDefinition, len(items))
	for i, n := range items {
		err := n.Decode(&defs[i])
		if err == nil && n.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(n.Content); j += 2 {
				if k := n.Content[j]; !definitionFields[k.Value] && k.Value != "<<" {
					err = fmt.Errorf("line %d: unknown field %q", k.Line, k.Value)
					break
				}
			}
		}
		if err != nil {
			return nil, labelled(i, defs[i].Name, fmt.Errorf("%v (fields are Macie's: name, description, regex, keywords, ignoreWords, maximumMatchDistance, severityLevels, tags)", err))
		}
	}
	return defs, nil
}

func cleanJSONError(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%v (fields are Macie's: name, description, regex, keywords, ignoreWords, maximumMatchDistance, severityLevels, tags)", err)
}

// Compile checks a definition against Macie's rules and makes it an
// Identifier. Errors name the field and the rule.
func (d *CustomDefinition) Compile() (*Identifier, error) {
	chars := utf8.RuneCountInString
	switch {
	case strings.TrimSpace(d.Name) == "":
		return nil, errors.New("name: required")
	case chars(d.Name) > MaxCustomNameLen:
		return nil, fmt.Errorf("name: %d characters, at most %d", chars(d.Name), MaxCustomNameLen)
	case chars(d.Description) > MaxCustomDescriptionLen:
		return nil, fmt.Errorf("description: %d characters, at most %d", chars(d.Description), MaxCustomDescriptionLen)
	case d.Regex == "":
		return nil, errors.New("regex: required")
	case chars(d.Regex) > MaxCustomRegexLen:
		return nil, fmt.Errorf("regex: %d characters, at most %d", chars(d.Regex), MaxCustomRegexLen)
	case len(d.Keywords) > MaxCustomKeywords:
		return nil, fmt.Errorf("keywords: %d given, at most %d", len(d.Keywords), MaxCustomKeywords)
	case len(d.IgnoreWords) > MaxCustomIgnoreWords:
		return nil, fmt.Errorf("ignoreWords: %d given, at most %d", len(d.IgnoreWords), MaxCustomIgnoreWords)
	case len(d.Tags) > MaxCustomTags:
		return nil, fmt.Errorf("tags: %d given, at most %d", len(d.Tags), MaxCustomTags)
	}
	if err := checkDialect(d.Regex); err != nil {
		return nil, fmt.Errorf("regex: %w", err)
	}
	for _, k := range d.Keywords {
		if strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("keywords: %q is blank", k)
		}
		if n := chars(k); n < 3 || n > 90 {
			return nil, fmt.Errorf("keywords: %q has %d characters, each must have 3 to 90", k, n)
		}
	}
	for _, w := range d.IgnoreWords {
		if n := chars(w); n < 4 || n > 90 {
			return nil, fmt.Errorf("ignoreWords: %q has %d characters, each must have 4 to 90", w, n)
		}
	}
	distance := DefaultMatchDistance
	if d.MaximumMatchDistance != nil {
		distance = *d.MaximumMatchDistance
		if distance < 1 || distance > 300 {
			return nil, fmt.Errorf("maximumMatchDistance: %d, must be 1 to 300", distance)
		}
	}
	levels, err := severityLevels(d.SeverityLevels)
	if err != nil {
		return nil, fmt.Errorf("severityLevels: %w", err)
	}
	id := &Identifier{
		ID: "custom:" + d.Name, Name: d.Name, Description: d.Description,
		Category: Custom, Pattern: d.Regex,
		Keywords: d.Keywords, Distance: distance, DistanceRule: BeforeToEnd,
		IgnoreWords: d.IgnoreWords, Levels: levels,
		ARN: d.ARN, CustomID: d.ID,
	}
	if len(d.Keywords) > 0 {
		id.Keyword = KeywordRequired
	}
	if id.CustomID == "" {
		id.CustomID = CustomIDFor(d.Name, d.Regex)
	}
	return id, nil
}

// customNamespace is the UUIDv5 namespace of custom identifier IDs.
var customNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/trawlsec/trawl/custom-data-identifier"))

// CustomIDFor is the ID of a custom identifier whose definition has none:
// a UUIDv5 of its name and regex. The same definition gets the same ID on
// every machine and run, so findings filters and EventBridge rules on the
// identifier's ARN keep matching; a changed regex is a new identifier,
// as in Macie, where a custom identifier cannot be changed.
func CustomIDFor(name, regex string) string {
	return uuid.NewSHA1(customNamespace, []byte(name+"\x00"+regex)).String()
}

var severityRank = map[string]Severity{"LOW": Low, "MEDIUM": Medium, "HIGH": High}

// severityLevels checks Macie's rules: at most 3, thresholds at least 1
// and strictly ascending as severity rises; none given means MEDIUM for any
// count.
func severityLevels(in []SeverityLevel) ([]Level, error) {
	if len(in) == 0 {
		return []Level{{Threshold: 1, Severity: Medium}}, nil
	}
	if len(in) > 3 {
		return nil, fmt.Errorf("%d given, at most 3", len(in))
	}
	var out []Level
	for i, l := range in {
		sev, ok := severityRank[strings.ToUpper(l.Severity)]
		if !ok {
			return nil, fmt.Errorf("severity %q: use LOW, MEDIUM or HIGH", l.Severity)
		}
		if l.OccurrencesThreshold < 1 {
			return nil, fmt.Errorf("occurrencesThreshold %d: must be at least 1", l.OccurrencesThreshold)
		}
		if i > 0 {
			prev := out[i-1]
			if sev <= prev.Severity || l.OccurrencesThreshold <= prev.Threshold {
				return nil, errors.New("thresholds must rise with severity (LOW, then MEDIUM, then HIGH, each with a higher occurrencesThreshold)")
			}
		}
		out = append(out, Level{Threshold: l.OccurrencesThreshold, Severity: sev})
	}
	return out, nil
}

// unsupported lists the PCRE features Macie's dialect leaves out, with the
// message that says so. Go's parser rejects most of them too, but with
// less helpful words.
var unsupported = []struct {
	re  *regexp.Regexp
	why string
}{
	{regexp.MustCompile(`\(\?<?[=!]`), "lookahead and lookbehind are not supported"},
	{regexp.MustCompile(`\\[1-9]|\\k[<{']|\(\?P=`), "backreferences are not supported"},
	{regexp.MustCompile(`\(\?\(`), "conditionals are not supported"},
	{regexp.MustCompile(`\(\?\??\{`), "embedded code is not supported"},
	{regexp.MustCompile(`\(\?(R|[0-9]+|&\w+)\)`), "recursion is not supported"},
	{regexp.MustCompile(`\(\?>|[*+?}]\+`), "atomic groups and possessive quantifiers are not supported"},
	{regexp.MustCompile(`^/.+/[gimsxuUADJ]+$`), "global flags such as /i are not supported: write (?i) at the start"},
}

// checkDialect accepts what Macie's regex dialect accepts and the RE2
// compiler can run in linear time, and rejects the rest with a reason.
func checkDialect(expr string) error {
	if expr == "" {
		return errors.New("empty expression")
	}
	plain := neutralise(expr)
	for _, u := range unsupported {
		if u.re.MatchString(plain) {
			return errors.New(u.why)
		}
	}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return fmt.Errorf("invalid regular expression: %v", err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return fmt.Errorf("invalid regular expression: %v", err)
	}
	if n := len(prog.Inst); n > MaxProgramSize {
		return fmt.Errorf("too complex: compiles to %d instructions, at most %d (narrow the bounded repeats)", n, MaxProgramSize)
	}
	if _, err := regexp.Compile(expr); err != nil {
		return fmt.Errorf("invalid regular expression: %v", err)
	}
	return nil
}

// neutralise blanks out, with '_', what cannot start an unsupported
// construct: escaped characters (but not the digit or k of a
// backreference), the insides of character classes and \Q...\E quotes. So
// "\\1" (a backslash, then 1) is not taken for a backreference, nor "\++"
// or "[*+]+" for a possessive quantifier, nor "\(?=" for a lookahead.
func neutralise(expr string) string {
	b := []byte(expr)
	inClass, classStart := false, 0
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\\' && i+1 < len(b) && b[i+1] == 'Q':
			end := strings.Index(expr[i+2:], `\E`)
			if end < 0 {
				end = len(b)
			} else {
				end += i + 2 + 2
			}
			for j := i; j < end; j++ {
				b[j] = '_'
			}
			i = end - 1
		case c == '\\' && i+1 < len(b):
			if n := b[i+1]; !inClass && ('1' <= n && n <= '9' || n == 'k') {
				i++
				continue
			}
			b[i], b[i+1] = '_', '_'
			i++
		case inClass:
			// A ']' first in the class (after any '^') is a literal.
			if c == ']' && i > classStart {
				inClass = false
			} else {
				b[i] = '_'
			}
		case c == '[':
			inClass, classStart = true, i+1
			if classStart < len(b) && b[classStart] == '^' {
				classStart++
			}
		}
	}
	return string(b)
}

// Level is a custom identifier's severity threshold.
type Level struct {
	Threshold int
	Severity  Severity
}

// SeverityFor returns the severity of count occurrences of the identifier,
// or 0 when the count is below a custom identifier's lowest threshold (no
// finding then, as in Macie).
func (id *Identifier) SeverityFor(count int) Severity {
	if len(id.Levels) == 0 {
		return id.Severity.For(count)
	}
	var s Severity
	for _, l := range id.Levels {
		if count >= l.Threshold {
			s = l.Severity
		}
	}
	return s
}
