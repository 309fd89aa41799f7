package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
)

func newIdentifiersCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "identifiers",
		Short: "List the managed data identifiers",
	}
	var format string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the managed data identifiers (Macie's IDs)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return listIdentifiers(stdout, format)
		},
	}
	list.Flags().StringVar(&format, "format", "table", "table or json")
	cmd.AddCommand(list, newIdentifiersShowCmd(stdout), newIdentifiersTestCmd(stdout), newIdentifiersExplainCmd(stdout))
	return cmd
}

// maxSampleChars is Macie's limit on TestCustomDataIdentifier's sample text.
const maxSampleChars = 1000

func newIdentifiersTestCmd(stdout io.Writer) *cobra.Command {
	var (
		def  identifiers.CustomDefinition
		file string
		dist int
	)
	cmd := &cobra.Command{
		Use:   "test [SAMPLE]",
		Short: "Test a custom data identifier against sample text (argument or standard input, at most 1,000 characters)",
		Long: `Runs one custom data identifier over a sample text, like Macie's
TestCustomDataIdentifier, and prints how many matches it finds and where.
Define it with flags, or pick it from a definitions file with --file (and
--name when the file has several).`,
		Example: `  trawl identifiers test --regex 'EMP-\d{6}' --keywords employee 'employee EMP-123456'
  echo 'employee EMP-123456' | trawl identifiers test --file custom.yaml --name "Employee ID"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := testDefinition(cmd, def, file, dist)
			if err != nil {
				return usageError("%v", err)
			}
			sample, err := readSample(cmd, args)
			if err != nil {
				return usageError("%v", err)
			}
			engine, err := identifiers.NewEngine([]*identifiers.Identifier{id})
			if err != nil {
				return usageError("%v", err)
			}
			text := []byte(sample)
			var spans [][2]int
			engine.Scan(&formats.Segment{Text: text, Line: 1, Column: 1}, func(d identifiers.Detection) {
				spans = append(spans, [2]int{d.Start, d.End})
			})
			fmt.Fprintf(stdout, "%d match", len(spans))
			if len(spans) != 1 {
				fmt.Fprint(stdout, "es")
			}
			fmt.Fprintln(stdout)
			// The user gave the text, so showing what matched leaks nothing.
			for _, sp := range spans {
				from := utf8.RuneCount(text[:sp[0]]) + 1
				to := from + utf8.RuneCount(text[sp[0]:sp[1]]) - 1
				fmt.Fprintf(stdout, "  characters %d-%d: %q\n", from, to, text[sp[0]:sp[1]])
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&file, "file", "", "custom identifiers file (JSON or YAML) to take the definition from")
	fl.StringVar(&def.Name, "name", "", "the identifier's name (picks it from --file)")
	fl.StringVar(&def.Regex, "regex", "", "regular expression (Macie's dialect, at most 512 characters)")
	fl.StringSliceVar(&def.Keywords, "keywords", nil, "keywords, one of which must come before a match (comma-separated)")
	fl.StringSliceVar(&def.IgnoreWords, "ignore-words", nil, "case-sensitive words that drop a match containing them (comma-separated)")
	fl.IntVar(&dist, "maximum-match-distance", identifiers.DefaultMatchDistance, "characters from a keyword's end to the match's end")
	return cmd
}

// testDefinition builds the identifier under test from --file or the flags.
func testDefinition(cmd *cobra.Command, def identifiers.CustomDefinition, file string, dist int) (*identifiers.Identifier, error) {
	if file != "" {
		if cmd.Flags().Changed("regex") {
			return nil, errors.New("give either --file or --regex, not both")
		}
		ids, err := identifiers.LoadCustom(file)
		if err != nil {
			return nil, err
		}
		if def.Name == "" && len(ids) == 1 {
			return ids[0], nil
		}
		var names []string
		for _, id := range ids {
			if id.Name == def.Name {
				return id, nil
			}
			names = append(names, strconv.Quote(id.Name))
		}
		return nil, fmt.Errorf("--name %q is not in %s; it defines %s", def.Name, file, strings.Join(names, ", "))
	}
	if def.Regex == "" {
		return nil, errors.New("give the identifier with --regex (and --keywords, --ignore-words, --maximum-match-distance), or --file")
	}
	if def.Name == "" {
		def.Name = "test"
	}
	if cmd.Flags().Changed("maximum-match-distance") {
		def.MaximumMatchDistance = &dist
	}
	return def.Compile()
}

// readSample takes the sample from the argument, or standard input.
func readSample(cmd *cobra.Command, args []string) (string, error) {
	var sample string
	if len(args) == 1 && args[0] != "-" {
		sample = args[0]
	} else {
		raw, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), 4*maxSampleChars+4))
		if err != nil {
			return "", fmt.Errorf("read the sample from standard input: %w", err)
		}
		sample = string(raw)
	}
	if n := utf8.RuneCountInString(sample); n > maxSampleChars {
		return "", fmt.Errorf("the sample has %d characters or more, at most %d (Macie's limit for testing an identifier)", n, maxSampleChars)
	}
	if sample == "" {
		return "", errors.New("no sample text: give it as an argument or on standard input")
	}
	return sample, nil
}

// identifierInfo is one row of the listing; entries that share an ID merge.
type identifierInfo struct {
	ID              string   `json:"id"`
	Category        string   `json:"category"`
	Countries       []string `json:"countries"`
	KeywordRequired string   `json:"keywordRequired"`
	// Validator says what the validators of the ID's entries check, distinct
	// checks joined with "; " ("" when none has one).
	Validator   string `json:"validator"`
	Recommended bool   `json:"recommended"`
	checks      []string
}

func listIdentifiers(w io.Writer, format string) error {
	var rows []*identifierInfo
	byID := map[string]*identifierInfo{}
	for _, id := range identifiers.Managed() {
		kw := map[identifiers.KeywordRule]string{
			identifiers.NoKeyword: "no", identifiers.KeywordRequired: "yes", identifiers.KeywordAbsent: "absent",
		}[id.Keyword]
		row := byID[id.ID]
		if row == nil {
			row = &identifierInfo{ID: id.ID, Category: string(id.Category), KeywordRequired: kw, Recommended: id.Recommended}
			byID[id.ID] = row
			rows = append(rows, row)
		} else if row.KeywordRequired != kw {
			row.KeywordRequired = "optional"
		}
		row.Countries = appendNew(row.Countries, id.Countries...)
		if id.Check != "" {
			row.checks = appendNew(row.checks, id.Check)
		}
	}
	for _, r := range rows {
		r.Validator = strings.Join(r.checks, "; ")
	}
	slices.SortFunc(rows, func(a, b *identifierInfo) int { return strings.Compare(a.ID, b.ID) })
	switch format {
	case "json":
		return writeJSON(w, rows)
	case "table":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		// VALIDATOR comes last: it is the long, ragged column.
		fmt.Fprintln(tw, "ID\tCATEGORY\tCOUNTRIES\tKEYWORD\tRECOMMENDED\tVALIDATOR")
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%s\n", r.ID, r.Category, orDefault(strings.Join(r.Countries, ","), "any"),
				r.KeywordRequired, r.Recommended, orDefault(r.Validator, "none"))
		}
		return tw.Flush()
	}
	return usageError("unknown --format %q: use table or json", format)
}

// appendNew appends to list the items it does not hold yet: an ID's
// entries merge into one row (list) or one description (show).
func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

// orDefault returns s, or def when s is empty: "any" country, "none" for
// no validator.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// writeJSON prints v as indented JSON, the --format json of the
// identifiers commands.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
