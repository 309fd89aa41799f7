package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

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
	cmd.AddCommand(list)
	return cmd
}

// identifierInfo is one row of the listing; entries that share an ID merge.
type identifierInfo struct {
	ID              string   `json:"id"`
	Category        string   `json:"category"`
	Countries       []string `json:"countries"`
	KeywordRequired string   `json:"keywordRequired"`
	Recommended     bool     `json:"recommended"`
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
		for _, c := range id.Countries {
			if !slices.Contains(row.Countries, c) {
				row.Countries = append(row.Countries, c)
			}
		}
	}
	slices.SortFunc(rows, func(a, b *identifierInfo) int { return strings.Compare(a.ID, b.ID) })
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "table":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tCATEGORY\tCOUNTRIES\tKEYWORD\tRECOMMENDED")
		for _, r := range rows {
			countries := strings.Join(r.Countries, ",")
			if countries == "" {
				countries = "any"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\n", r.ID, r.Category, countries, r.KeywordRequired, r.Recommended)
		}
		return tw.Flush()
	}
	return usageError("unknown --format %q: use table or json", format)
}
