package view

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/trawlsec/trawl/findings/store"
)

var (
	//go:embed pages.html
	pagesHTML string
	//go:embed style.css
	styleCSS string
	//go:embed table.js
	tableJS string
)

// Page is what one template renders; each page fills the fields it
// shows.
type Page struct {
	Title     string
	Source    string
	Generated time.Time
	Report    bool // the self-contained file: details are anchors in it

	Overview *Overview
	Rows     []Row
	Row      *Row
	Groups   []Group
	Filters  []store.Filter
	Jobs     []JobView
	Form     url.Values
	Next     string
	Error    string
	CSRF     string // the dashboard's forms carry it

	CSS template.CSS
	JS  template.JS
}

var pages = template.Must(template.New("pages").Funcs(template.FuncMap{
	"num": func(n any) string {
		switch v := n.(type) {
		case int64:
			return thousands(v)
		case int:
			return thousands(int64(v))
		}
		return fmt.Sprint(n)
	},
	"chart": func(title string, gs []Group) any {
		return struct {
			Title  string
			Groups []Group
		}{title, gs}
	},
	"short":          func(t string) string { return strings.TrimPrefix(t, "SensitiveData:S3Object/") },
	"severities":     func() []string { return []string{"High", "Medium", "Low"} },
	"triageStatuses": func() []string { return store.TriageStatuses },
	"ruleFields":     func() []string { return ruleFields },
	"hasRuleFields": func(f url.Values) bool {
		for _, k := range ruleFields {
			if f.Get(k) != "" {
				return true
			}
		}
		return false
	},
	"shows": func() map[string]string {
		return map[string]string{"": "current", "archived": "archived", "all": "all"}
	},
	"criteria": func(c store.Criteria) string {
		b, err := json.Marshal(c)
		if err != nil {
			return "?"
		}
		return string(b)
	},
}).Parse(pagesHTML))

// ruleFields are the findings page's filters a rule can hold.
var ruleFields = []string{"severity", "category", "identifier", "bucket", "job", "type", "since", "key-prefix"}

// thousands writes n with comma separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Render writes one named page.
func Render(w io.Writer, name string, p *Page) error {
	p.CSS, p.JS = template.CSS(styleCSS), template.JS(tableJS)
	if p.Generated.IsZero() {
		p.Generated = time.Now().UTC()
	}
	if err := pages.ExecuteTemplate(w, name, p); err != nil {
		return fmt.Errorf("rendering %s: %w", name, err)
	}
	return nil
}

// Report writes the self-contained HTML report of an overview: one file
// with its style, script and charts inline, that opens with no network.
func Report(w io.Writer, ov *Overview) error {
	title := ov.Title
	if title == "" {
		title = "trawl findings report"
	}
	return Render(w, "report", &Page{Title: title, Source: ov.Source, Generated: ov.Generated, Report: true, Overview: ov, Rows: ov.Findings})
}
