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
	"unicode"
	"unicode/utf8"

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
		if _, ok := a.words[foldKey(value)]; ok {
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
		Regex       string `json:"regex" yaml:"regex"`
		S3WordsList *struct {
			BucketName string `json:"bucketName" yaml:"bucketName"`
			ObjectKey  string `json:"objectKey" yaml:"objectKey"`
		} `json:"s3WordsList" yaml:"s3WordsList"`
	} `json:"criteria" yaml:"criteria"`
	Regex string   `json:"regex" yaml:"regex"`
	Words []string `json:"words" yaml:"words"`

	// The other fields of a CreateAllowList request and of a GetAllowList
	// export, accepted so that Macie's JSON loads as it is.
	Description string            `json:"description" yaml:"description"`
	Tags        map[string]string `json:"tags" yaml:"tags"`
	ClientToken string            `json:"clientToken" yaml:"clientToken"`
	ARN         string            `json:"arn" yaml:"arn"`
	ID          string            `json:"id" yaml:"id"`
	CreatedAt   string            `json:"createdAt" yaml:"createdAt"`
	UpdatedAt   string            `json:"updatedAt" yaml:"updatedAt"`
	Status      any               `json:"status" yaml:"status"`
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
		// Each expression in its own group, so that flags such as (?i)
		// stay with the expression that sets them, and any \Q quote closed.
		groups := make([]string, len(a.res))
		for i, expr := range a.res {
			groups[i] = `(?:` + quoteClosed(expr) + `)`
		}
		re, err := regexp.Compile(`^(?:` + strings.Join(groups, `|`) + `)$`)
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
	raw = bytes.TrimPrefix(raw, []byte("\uFEFF"))
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
		if f.Criteria != nil && f.Criteria.S3WordsList != nil {
			return fmt.Errorf("allow list %s: criteria.s3WordsList (s3://%s/%s) is read from S3, which trawl cannot do yet: download the object and pass it as a text list", path, f.Criteria.S3WordsList.BucketName, f.Criteria.S3WordsList.ObjectKey)
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
		a.words[foldKey([]byte(w))] = struct{}{}
	}
	for _, expr := range res {
		if n := utf8.RuneCountInString(expr); n > MaxAllowRegexLen {
			return fmt.Errorf("allow list %s: regex of %d characters, over Macie's limit of %d", path, n, MaxAllowRegexLen)
		}
		if err := checkDialect(expr); err != nil {
			return fmt.Errorf("allow list %s: regex %q: %v", path, expr, err)
		}
		a.res = append(a.res, expr)
	}
	return nil
}

// foldKey is the case-insensitive form of a value: its characters in lower
// case. Bytes that are not UTF-8 stay as they are, so that two different
// values never share a key (strings.ToLower would make every such byte
// U+FFFD).
func foldKey(b []byte) string {
	if utf8.Valid(b) {
		return strings.ToLower(string(b))
	}
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = append(out, b[0])
		} else {
			out = utf8.AppendRune(out, unicode.ToLower(r))
		}
		b = b[size:]
	}
	return string(out)
}

// quoteClosed ends an expression's unterminated \Q quote, which would
// otherwise run on into what follows the expression in the combined one.
func quoteClosed(expr string) string {
	for i := 0; i+1 < len(expr); i++ {
		if expr[i] != '\\' {
			continue
		}
		if expr[i+1] == 'Q' {
			j := strings.Index(expr[i+2:], `\E`)
			if j < 0 {
				return expr + `\E`
			}
			i += 2 + j + 1 // to the E of \E
			continue
		}
		i++ // an escaped character
	}
	return expr
}
