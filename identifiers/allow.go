package identifiers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Macie's allow list limits.
const (
	MaxAllowEntries  = 100_000
	MaxAllowBytes    = 35_000_000
	MaxAllowRegexLen = 512
)

// AllowList is text that is never reported, Macie's allow lists merged: a
// value that exactly matches a whole entry of a text list (case-insensitive)
// or completely matches one of the regular expressions is left out of
// findings, counts and results.
type AllowList struct {
	words map[string]struct{}
	res   []string
	re    *regexp.Regexp // the expressions as one anchored alternation
}

// Allows reports whether value is allow-listed. A nil list allows nothing.
func (a *AllowList) Allows(value []byte) bool {
	if a == nil {
		return false
	}
	if len(a.words) > 0 {
		if _, ok := a.words[strings.ToLower(string(value))]; ok {
			return true
		}
	}
	return a.re != nil && a.re.Match(value)
}

// Len is the number of entries and expressions.
func (a *AllowList) Len() int {
	if a == nil {
		return 0
	}
	return len(a.words) + len(a.res)
}

// allowFile is the JSON or YAML form: Macie's CreateAllowList criteria, or
// a bare regex or list of words.
type allowFile struct {
	Name     string `json:"name" yaml:"name"`
	Criteria *struct {
		Regex string `json:"regex" yaml:"regex"`
	} `json:"criteria" yaml:"criteria"`
	Regex string   `json:"regex" yaml:"regex"`
	Words []string `json:"words" yaml:"words"`
}

// LoadAllowLists reads allow list files and merges them. A file is either
// plain text, one entry per line (a line "regex:EXPR" is a regular
// expression), or JSON/YAML ({"criteria": {"regex": ...}} as in Macie's
// CreateAllowList, or {"regex": ...}, or {"words": [...]}).
func LoadAllowLists(paths []string) (*AllowList, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	a := &AllowList{words: map[string]struct{}{}}
	for _, p := range paths {
		if err := a.load(p); err != nil {
			return nil, err
		}
	}
	if len(a.res) > 0 {
		re, err := regexp.Compile(`^(?:` + strings.Join(a.res, `|`) + `)$`)
		if err != nil {
			return nil, fmt.Errorf("allow lists: %w", err)
		}
		a.re = re
	}
	return a, nil
}

func (a *AllowList) load(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("allow list %s: %w", path, err)
	}
	if info.Size() > MaxAllowBytes {
		return fmt.Errorf("allow list %s: %d bytes, over Macie's limit of %d (35 MB): split it or use a regex", path, info.Size(), MaxAllowBytes)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("allow list %s: %w", path, err)
	}
	var words, res []string
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json", ".yaml", ".yml":
		var f allowFile
		if strings.HasSuffix(strings.ToLower(path), ".json") {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			err = dec.Decode(&f)
		} else {
			dec := yaml.NewDecoder(bytes.NewReader(raw))
			dec.KnownFields(true)
			err = dec.Decode(&f)
		}
		if err != nil {
			return fmt.Errorf("allow list %s: %v (expected {\"criteria\": {\"regex\": ...}}, {\"regex\": ...} or {\"words\": [...]})", path, err)
		}
		if f.Criteria != nil && f.Criteria.Regex != "" {
			res = append(res, f.Criteria.Regex)
		}
		if f.Regex != "" {
			res = append(res, f.Regex)
		}
		words = f.Words
	default:
		sc := bufio.NewScanner(bytes.NewReader(raw))
		sc.Buffer(nil, MaxAllowBytes)
		for sc.Scan() {
			line := strings.TrimRight(sc.Text(), "\r")
			if expr, ok := strings.CutPrefix(line, "regex:"); ok {
				res = append(res, expr)
			} else if strings.TrimSpace(line) != "" {
				words = append(words, line)
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("allow list %s: %w", path, err)
		}
	}
	if len(words)+len(res) == 0 {
		return fmt.Errorf("allow list %s is empty: give one entry per line, or a regex", path)
	}
	if len(words) > MaxAllowEntries {
		return fmt.Errorf("allow list %s: %d entries, over Macie's limit of %d: split it or use a regex", path, len(words), MaxAllowEntries)
	}
	for _, w := range words {
		a.words[strings.ToLower(w)] = struct{}{}
	}
	for _, expr := range res {
		if len(expr) > MaxAllowRegexLen {
			return fmt.Errorf("allow list %s: regex of %d characters, over Macie's limit of %d", path, len(expr), MaxAllowRegexLen)
		}
		if err := checkDialect(expr); err != nil {
			return fmt.Errorf("allow list %s: regex %q: %v", path, expr, err)
		}
		a.res = append(a.res, expr)
	}
	return nil
}
