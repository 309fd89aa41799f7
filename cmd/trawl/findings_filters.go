package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/trawlsec/trawl/findings/store"
)

// newFiltersCmd manages findings filters, Macie's: ARCHIVE filters are
// suppression rules applied to new findings as they are recorded; NOOP
// filters are saved queries.
func newFiltersCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "filters",
		Short: "Manage findings filters: suppression rules (ARCHIVE) and saved filters (NOOP)",
	}
	cmd.AddCommand(newFilterCreateCmd(stdout), newFilterListCmd(stdout), newFilterShowCmd(stdout),
		newFilterUpdateCmd(stdout), newFilterDeleteCmd(stdout))
	return cmd
}

type filterFlags struct {
	name, action, description, criteria string
	position                            int
	apply                               bool
}

func (f *filterFlags) register(cmd *cobra.Command, create bool) {
	fl := cmd.Flags()
	if create {
		fl.StringVar(&f.name, "name", "", "the filter's name, unique in the store (3 to 64 characters)")
	} else {
		fl.StringVar(&f.name, "new-name", "", "rename the filter")
	}
	fl.StringVar(&f.action, "action", "", "ARCHIVE (suppress matching new findings) or NOOP (a saved filter)")
	fl.StringVar(&f.description, "description", "", "what the filter is for (at most 512 characters)")
	fl.StringVar(&f.criteria, "criteria", "", `Macie FindingCriteria JSON, e.g. '{"criterion":{"resourcesAffected.s3Object.key":{"eq":["fixtures/cards.csv"]}}}'`)
	fl.IntVar(&f.position, "position", 0, "order in which filters apply (default: after the others)")
	fl.BoolVar(&f.apply, "apply-to-existing", false, "also archive the current findings an ARCHIVE filter matches (filters act on new findings only otherwise, as Macie's)")
}

func printFilter(w io.Writer, format string, f store.Filter, applied int64) error {
	if format != "table" {
		return writeJSON(w, f)
	}
	crit, _ := json.Marshal(f.FindingCriteria)
	fmt.Fprintf(w, "name: %s\nid: %s\naction: %s\nposition: %d\ncriteria: %s\n", f.Name, f.ID, f.Action, f.Position, crit)
	if f.Description != "" {
		fmt.Fprintf(w, "description: %s\n", f.Description)
	}
	if applied > 0 {
		fmt.Fprintf(w, "archived %d existing findings\n", applied)
	}
	return nil
}

func newFilterCreateCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	var ff filterFlags
	cmd := &cobra.Command{
		Use:     "create",
		Short:   "Create a findings filter",
		Example: `  trawl findings filters create --name test-data --action ARCHIVE --criteria '{"criterion":{"resourcesAffected.s3Object.key":{"eq":["fixtures/cards.csv"]}}}'`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if ff.name == "" || ff.action == "" || ff.criteria == "" {
				return usageError("filters create needs --name, --action (ARCHIVE or NOOP) and --criteria")
			}
			c, err := store.ParseCriteria(ff.criteria)
			if err != nil {
				return usageError("--criteria: %v", err)
			}
			f := store.Filter{Name: ff.name, Action: strings.ToUpper(ff.action), Description: ff.description, Position: ff.position, FindingCriteria: c}
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			f, n, err := st.CreateFilter(cmd.Context(), f, ff.apply)
			if err != nil {
				return storeErr(err)
			}
			return printFilter(stdout, o.format, f, n)
		},
	}
	o.register(cmd.Flags(), "table")
	ff.register(cmd, true)
	return cmd
}

func newFilterListCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List findings filters in the order they apply",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			fs, err := st.ListFilters(cmd.Context())
			if err != nil {
				return storeErr(err)
			}
			switch o.format {
			case "json":
				return writeJSON(stdout, map[string]any{"findingsFilterListItems": fs})
			case "jsonl":
				enc := json.NewEncoder(stdout)
				for _, f := range fs {
					enc.Encode(f)
				}
				return nil
			}
			if len(fs) == 0 {
				fmt.Fprintln(stdout, "No findings filters.")
				return nil
			}
			tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "POSITION\tNAME\tACTION\tCRITERIA")
			for _, f := range fs {
				crit, _ := json.Marshal(f.FindingCriteria)
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", f.Position, f.Name, f.Action, crit)
			}
			return tw.Flush()
		},
	}
	o.register(cmd.Flags(), "table")
	return cmd
}

func newFilterShowCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a findings filter",
		Args:  exactArgs(1, "filters show needs the filter's name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			f, err := st.GetFilter(cmd.Context(), args[0])
			if err != nil {
				return storeErr(err)
			}
			return printFilter(stdout, o.format, f, 0)
		},
	}
	o.register(cmd.Flags(), "table")
	return cmd
}

func newFilterUpdateCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	var ff filterFlags
	cmd := &cobra.Command{
		Use:   "update NAME",
		Short: "Change a findings filter's name, action, criteria, description or position",
		Args:  exactArgs(1, "filters update needs the filter's name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var u store.FilterUpdate
			fl := cmd.Flags()
			if fl.Changed("new-name") {
				u.Name = &ff.name
			}
			if fl.Changed("action") {
				a := strings.ToUpper(ff.action)
				u.Action = &a
			}
			if fl.Changed("description") {
				u.Description = &ff.description
			}
			if fl.Changed("position") {
				u.Position = &ff.position
			}
			if fl.Changed("criteria") {
				c, err := store.ParseCriteria(ff.criteria)
				if err != nil {
					return usageError("--criteria: %v", err)
				}
				u.FindingCriteria = &c
			}
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			f, n, err := st.UpdateFilter(cmd.Context(), args[0], u, ff.apply)
			if err != nil {
				return storeErr(err)
			}
			return printFilter(stdout, o.format, f, n)
		},
	}
	o.register(cmd.Flags(), "table")
	ff.register(cmd, false)
	return cmd
}

func newFilterDeleteCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	cmd := &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a findings filter (findings it archived stay archived)",
		Args:  exactArgs(1, "filters delete needs the filter's name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.DeleteFilter(cmd.Context(), args[0]); err != nil {
				return storeErr(err)
			}
			fmt.Fprintf(stdout, "deleted filter %s\n", args[0])
			return nil
		},
	}
	o.register(cmd.Flags(), "table")
	return cmd
}
