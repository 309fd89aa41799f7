package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trawlsec/trawl/identifiers"
)

func newIdentifiersShowCmd(stdout io.Writer) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a managed data identifier: keywords, validator, severity and examples",
		Example: `  trawl identifiers show CREDIT_CARD_NUMBER
  trawl identifiers show UK_BANK_ACCOUNT_NUMBER --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			info, ok := describeIdentifier(args[0])
			if !ok {
				return usageError("unknown managed identifier %q: `trawl identifiers list` lists them", args[0])
			}
			return showIdentifier(stdout, info, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

// shapeInfo is one entry (shape) of an ID: an ID may have several, such as
// an IBAN that needs no keyword and a domestic BBAN that does.
type shapeInfo struct {
	Keyword   string   `json:"keyword"` // no, required or absent
	Keywords  []string `json:"keywords,omitempty"`
	Validator string   `json:"validator,omitempty"` // what it checks
}

// identifierDetail is what `identifiers show` prints.
type identifierDetail struct {
	ID          string      `json:"id"`
	Category    string      `json:"category"`
	Countries   []string    `json:"countries"`
	Recommended bool        `json:"recommended"`
	Severity    [3]string   `json:"severity"` // for 1, 2–99 and 100+ occurrences
	Shapes      []shapeInfo `json:"shapes"`
	Matches     []string    `json:"exampleMatches"`
	NonMatches  []string    `json:"exampleNonMatches"`
}

func describeIdentifier(id string) (identifierDetail, bool) {
	id = strings.ToUpper(strings.TrimSpace(id))
	d := identifierDetail{ID: id}
	rules := map[identifiers.KeywordRule]string{
		identifiers.NoKeyword: "no", identifiers.KeywordRequired: "required", identifiers.KeywordAbsent: "absent",
	}
	for _, ident := range identifiers.Managed() {
		if ident.ID != id {
			continue
		}
		d.Category, d.Recommended = string(ident.Category), ident.Recommended
		for i, n := range []int{1, 2, 100} {
			d.Severity[i] = ident.Severity.For(n).String()
		}
		d.Countries = appendNew(d.Countries, ident.Countries...)
		s := shapeInfo{Keyword: rules[ident.Keyword], Validator: ident.Check}
		if ident.Keyword != identifiers.NoKeyword {
			s.Keywords = ident.Keywords
		}
		// Shapes that read the same (one pattern in several forms) print once.
		if !slices.ContainsFunc(d.Shapes, func(o shapeInfo) bool {
			return o.Keyword == s.Keyword && o.Validator == s.Validator && slices.Equal(o.Keywords, s.Keywords)
		}) {
			d.Shapes = append(d.Shapes, s)
		}
	}
	if d.Category == "" {
		return d, false
	}
	ex := identifiers.ExamplesOf(id)
	d.Matches, d.NonMatches = ex.Match, ex.NoMatch
	return d, true
}

func showIdentifier(w io.Writer, d identifierDetail, format string) error {
	switch format {
	case "json":
		return writeJSON(w, d)
	case "text":
	default:
		return usageError("unknown --format %q: use text or json", format)
	}
	fmt.Fprintf(w, "%s\n", d.ID)
	fmt.Fprintf(w, "  category:     %s\n", d.Category)
	fmt.Fprintf(w, "  countries:    %s\n", orDefault(strings.Join(d.Countries, ", "), "any"))
	fmt.Fprintf(w, "  recommended:  %v\n", d.Recommended)
	fmt.Fprintf(w, "  severity:     %s (1 occurrence), %s (2-99), %s (100 or more)\n", d.Severity[0], d.Severity[1], d.Severity[2])
	for i, s := range d.Shapes {
		label := "  form:"
		if len(d.Shapes) > 1 {
			label = fmt.Sprintf("  form %d:", i+1)
		}
		// The check has commas and semicolons of its own: it gets a line.
		fmt.Fprintf(w, "%s keyword %s\n", label, s.Keyword)
		fmt.Fprintf(w, "    validator: %s\n", orDefault(s.Validator, "none"))
		if len(s.Keywords) > 0 {
			fmt.Fprintf(w, "    keywords: %s\n", strings.Join(s.Keywords, ", "))
		}
	}
	printExamples := func(title string, texts []string) {
		fmt.Fprintf(w, "  %s:\n", title)
		if len(texts) == 0 {
			fmt.Fprintln(w, "    (none)")
		}
		for _, t := range texts {
			// Multi-line examples (key files) print indented.
			fmt.Fprintf(w, "    %s\n", strings.ReplaceAll(t, "\n", "\n      "))
		}
	}
	printExamples("reported", d.Matches)
	printExamples("not reported", d.NonMatches)
	return nil
}
