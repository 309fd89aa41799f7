package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/findings/store"
)

// findingsOpts are the options every findings subcommand takes.
type findingsOpts struct {
	store  string
	format string
}

func (o *findingsOpts) register(fl *pflag.FlagSet, def string) {
	fl.StringVar(&o.store, "store", "", "findings store: an SQLite file PATH or postgres://... (default $"+store.EnvVar+", else $XDG_DATA_HOME/trawl/trawl.db)")
	fl.StringVar(&o.format, "format", def, "output: table, json or jsonl")
}

func (o *findingsOpts) check() error {
	switch o.format {
	case "table", "json", "jsonl":
		return nil
	}
	return usageError("unknown --format %q: use table, json or jsonl", o.format)
}

// open opens the store for a findings subcommand; any failure is exit 2.
func (o *findingsOpts) open(ctx context.Context) (store.Store, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	loc, _, err := store.Locate(o.store)
	if err != nil {
		return nil, usageError("%v", err)
	}
	st, err := store.Open(ctx, loc)
	if err != nil {
		return nil, &exitErr{code: exitError, err: err}
	}
	return st, nil
}

// storeErr maps a store error to an exit: unknown IDs and bad criteria are
// the user's to fix (exit 2 as well, with the message).
func storeErr(err error) error {
	if err == nil {
		return nil
	}
	var ee *exitErr
	if errors.As(err, &ee) {
		return err
	}
	return &exitErr{code: exitError, err: err}
}

func newFindingsCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "findings",
		Short: "List, count, export, suppress and triage the findings kept in the store",
		Long: `The findings store keeps every finding that 'trawl scan' recorded for its retention period
(90 days by default after it was last seen). Queries take Amazon Macie's FindingCriteria JSON
and field names; suppression rules are Macie's findings filters.`,
	}
	cmd.AddCommand(newFindingsListCmd(stdout), newFindingsShowCmd(stdout), newFindingsStatsCmd(stdout),
		newFindingsExportCmd(stdout), newFiltersCmd(stdout), newArchiveCmd(stdout, true), newArchiveCmd(stdout, false),
		newTriageCmd(stdout), newPurgeCmd(stdout), newFindingsPublishCmd())
	return cmd
}

// selection is the filter flags list, stats and export share.
type selection struct {
	criteria   string
	severity   []string
	types      []string
	categories []string
	idents     []string
	buckets    []string
	keyPrefix  string
	jobs       []string
	since      string
	until      string
	archived   bool
	all        bool
	triage     string
}

func (s *selection) register(fl *pflag.FlagSet) {
	fl.StringVar(&s.criteria, "criteria", "", `Macie FindingCriteria JSON, e.g. '{"criterion":{"severity.description":{"eq":["High"]}}}'`)
	fl.StringSliceVar(&s.severity, "severity", nil, "severity: Low, Medium or High (comma-separated: any of them)")
	fl.StringSliceVar(&s.types, "type", nil, "finding type, e.g. SensitiveData:S3Object/Financial (or just Financial)")
	fl.StringSliceVar(&s.categories, "category", nil, "sensitive data category: CREDENTIALS, FINANCIAL_INFORMATION, PERSONAL_INFORMATION, CUSTOM_IDENTIFIER")
	fl.StringSliceVar(&s.idents, "identifier", nil, "managed identifier type detected, e.g. CREDIT_CARD_NUMBER")
	fl.StringSliceVar(&s.buckets, "bucket", nil, "bucket name (local files: an empty name, \"\")")
	fl.StringVar(&s.keyPrefix, "key-prefix", "", "object key (local: path under the scanned root) prefix")
	fl.StringSliceVar(&s.jobs, "job", nil, "job (run) ID that created the finding")
	fl.StringVar(&s.since, "since", "", "created at or after: an age (7d, 12h) or an RFC 3339 time")
	fl.StringVar(&s.until, "until", "", "created before: an age (7d, 12h) or an RFC 3339 time")
	fl.BoolVar(&s.archived, "archived", false, "archived (suppressed) findings only")
	fl.BoolVar(&s.all, "all", false, "current and archived findings, also those triaged false-positive or resolved")
	fl.StringVar(&s.triage, "triage", "", "findings with this triage status: "+strings.Join(store.TriageStatuses, ", "))
}

// when reads an age before now or an RFC 3339 time, as epoch ms.
func when(flag, v string, now time.Time) (int64, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UnixMilli(), nil
	}
	d, err := parseAge(v)
	if err != nil {
		return 0, usageError("--%s: %v, or an RFC 3339 time", flag, err)
	}
	return now.Add(-d).UnixMilli(), nil
}

// query compiles the flags into a store query; the short flags become
// criteria beside --criteria's, and naming one field twice is an error.
func (s *selection) query() (store.Query, error) {
	var q store.Query
	if s.criteria != "" {
		c, err := store.ParseCriteria(s.criteria)
		if err != nil {
			return q, usageError("--criteria: %v", err)
		}
		q.Criteria = c
	}
	if q.Criteria.Criterion == nil {
		q.Criteria.Criterion = map[string]store.Condition{}
	}
	add := func(flag, field string, cond store.Condition) error {
		if _, dup := q.Criteria.Criterion[field]; dup {
			return usageError("--%s and --criteria both set %s: give it once", flag, field)
		}
		q.Criteria.Criterion[field] = cond
		return nil
	}
	titled := func(vs []string) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = strings.ToUpper(v[:min(1, len(v))]) + strings.ToLower(v[min(1, len(v)):])
		}
		return out
	}
	for _, v := range s.severity {
		if t := titled([]string{v})[0]; t != "Low" && t != "Medium" && t != "High" {
			return q, usageError("--severity %q: use Low, Medium or High", v)
		}
	}
	var types []string
	for _, v := range s.types {
		if !strings.Contains(v, ":") {
			v = "SensitiveData:S3Object/" + v
		}
		types = append(types, v)
	}
	upper := func(vs []string) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = strings.ToUpper(v)
		}
		return out
	}
	for _, f := range []struct {
		flag, field string
		vals        []string
	}{
		{"severity", "severity.description", titled(s.severity)},
		{"type", "type", types},
		{"category", "sensitiveData.category", upper(s.categories)},
		{"identifier", "sensitiveData.detections.type", upper(s.idents)},
		{"bucket", "resourcesAffected.s3Bucket.name", s.buckets},
		{"job", "classificationDetails.jobId", s.jobs},
	} {
		if len(f.vals) == 0 {
			continue
		}
		if err := add(f.flag, f.field, store.Condition{Eq: f.vals}); err != nil {
			return q, err
		}
	}
	if s.since != "" || s.until != "" {
		var cond store.Condition
		now := time.Now()
		if s.since != "" {
			ms, err := when("since", s.since, now)
			if err != nil {
				return q, err
			}
			cond.Gte = store.Millis(time.UnixMilli(ms))
		}
		if s.until != "" {
			ms, err := when("until", s.until, now)
			if err != nil {
				return q, err
			}
			cond.Lt = store.Millis(time.UnixMilli(ms))
		}
		if err := add("since", "createdAt", cond); err != nil {
			return q, err
		}
	}
	q.KeyPrefix = s.keyPrefix
	q.Triage = s.triage
	switch {
	case s.archived && s.all:
		return q, usageError("--archived and --all together: --archived lists archived findings only, --all both")
	case s.archived:
		q.Archived = store.ArchivedOnly
	case s.all:
		q.Archived = store.All
	}
	return q, nil
}

// sortFlag reads FIELD[:asc|desc].
func sortFlag(v string) (string, bool, error) {
	field, dir, _ := strings.Cut(v, ":")
	switch strings.ToLower(dir) {
	case "", "asc":
		return field, false, nil
	case "desc":
		return field, true, nil
	}
	return "", false, usageError("--sort %q: use FIELD, FIELD:asc or FIELD:desc", v)
}

func newFindingsListCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	var sel selection
	var sortBy, next string
	var limit int
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List findings (current ones by default: not archived, not triaged away)",
		Example: `  trawl findings list --severity High --type Financial --bucket b --since 7d
  trawl findings list --criteria '{"criterion":{"severity.description":{"eq":["High"]}}}' --sort createdAt:desc
  trawl findings list --format json --limit 100 --next-token TOKEN`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := sel.query()
			if err != nil {
				return err
			}
			if q.SortBy, q.Desc, err = sortFlag(sortBy); err != nil {
				return err
			}
			if limit < 1 || limit > 1000 {
				return usageError("--limit must be between 1 and 1000, got %d", limit)
			}
			q.Limit, q.NextToken = limit, next
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			page, err := st.List(cmd.Context(), q)
			if err != nil {
				return storeErr(err)
			}
			switch o.format {
			case "json":
				return writeJSON(stdout, page)
			case "jsonl":
				enc := json.NewEncoder(stdout)
				for _, f := range page.Findings {
					if err := enc.Encode(f); err != nil {
						return err
					}
				}
				return nil
			}
			findingsTable(stdout, page.Findings)
			if page.NextToken != "" {
				fmt.Fprintf(stdout, "\nMore: --next-token %s\n", page.NextToken)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	o.register(fl, "table")
	sel.register(fl)
	fl.StringVar(&sortBy, "sort", "", "sort by a finding field, FIELD[:asc|desc] (default: severity, then newest first)")
	fl.IntVar(&limit, "limit", 50, "findings per page (1 to 1000)")
	fl.StringVar(&next, "next-token", "", "the nextToken of the previous page")
	return cmd
}

func findingsTable(w io.Writer, fs []*store.Stored) {
	if len(fs) == 0 {
		fmt.Fprintln(w, "No findings.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tTYPE\tOBJECT\tCREATED\tSTATE")
	for _, f := range fs {
		sev := ""
		if f.Severity != nil {
			sev = f.Severity.Description
		}
		obj := f.ResourcesAffected.S3Object.Path
		if b := f.ResourcesAffected.S3Bucket.Name; b != "" {
			obj = "s3://" + b + "/" + f.ResourcesAffected.S3Object.Key
		} else if obj == "" {
			obj = f.ResourcesAffected.S3Object.Key
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", f.ID, sev, strings.TrimPrefix(f.Type, "SensitiveData:S3Object/"),
			obj, f.CreatedAt, state(f))
	}
	tw.Flush()
}

func state(f *store.Stored) string {
	var parts []string
	if f.Archived {
		parts = append(parts, "archived by "+f.ArchivedBy)
	}
	if f.Triage != nil {
		parts = append(parts, f.Triage.Status)
	}
	if len(parts) == 0 {
		return "current"
	}
	return strings.Join(parts, ", ")
}

func newFindingsShowCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one finding with its sightings and triage",
		Args:  exactArgs(1, "show needs one finding ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			f, err := st.Get(cmd.Context(), args[0])
			if err != nil {
				return storeErr(err)
			}
			if o.format != "table" {
				if o.format == "jsonl" {
					return json.NewEncoder(stdout).Encode(f)
				}
				return writeJSON(stdout, f)
			}
			findingsTable(stdout, []*store.Stored{f})
			fmt.Fprintln(stdout)
			res := f.ClassificationDetails.Result
			for _, item := range res.SensitiveData {
				for _, d := range item.Detections {
					fmt.Fprintf(stdout, "detected: %s %s ×%d\n", item.Category, d.Type, d.Count)
				}
			}
			for _, d := range res.CustomDataIdentifiers.Detections {
				fmt.Fprintf(stdout, "detected: custom %s ×%d\n", d.Name, d.Count)
			}
			for _, s := range f.Sightings {
				fmt.Fprintf(stdout, "seen: %s by run %s\n", s.SeenAt, s.RunID)
			}
			if t := f.Triage; t != nil {
				fmt.Fprintf(stdout, "triage: %s by %s at %s: %s\n", t.Status, t.By, t.At.Format(time.RFC3339), t.Note)
			}
			return printPublished(cmd.Context(), stdout, st, f.ID)
		},
	}
	o.register(cmd.Flags(), "table")
	return cmd
}

func exactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError("%s (run '%s --help')", msg, cmd.CommandPath())
		}
		return nil
	}
}

func newFindingsStatsCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	var sel selection
	var group, sortBy string
	var size int
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count findings by group (Macie's GetFindingStatistics)",
		Example: `  trawl findings stats --group-by severity.description
  trawl findings stats --group-by sensitiveData.detections.type --since 30d --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := sel.query()
			if err != nil {
				return err
			}
			sq := store.StatsQuery{Query: q, GroupBy: group, Size: size}
			if sq.SortBy, sq.Desc, err = sortFlag(sortBy); err != nil {
				return err
			}
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			groups, err := st.Stats(cmd.Context(), sq)
			if err != nil {
				return storeErr(err)
			}
			switch o.format {
			case "json":
				return writeJSON(stdout, map[string]any{"countsByGroup": groups})
			case "jsonl":
				enc := json.NewEncoder(stdout)
				for _, g := range groups {
					enc.Encode(g)
				}
				return nil
			}
			tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "%s\tCOUNT\n", strings.ToUpper(group))
			for _, g := range groups {
				key := g.GroupKey
				if key == "" {
					key = "(none)"
				}
				fmt.Fprintf(tw, "%s\t%d\n", key, g.Count)
			}
			return tw.Flush()
		},
	}
	fl := cmd.Flags()
	o.register(fl, "table")
	sel.register(fl)
	fl.StringVar(&group, "group-by", "severity.description", "group: "+strings.Join(store.GroupBys, ", "))
	fl.IntVar(&size, "size", 0, "at most this many groups (0: all)")
	fl.StringVar(&sortBy, "sort", "", "groupKey or count, with :asc or :desc (default count, largest first)")
	return cmd
}

func newFindingsExportCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	var sel selection
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write every finding the flags select (all of them by default, archived too)",
		Example: `  trawl findings export --format jsonl > all.jsonl
  trawl findings export --format asff --since 7d > findings.asff.json
  trawl findings export --format sarif --bucket "" > trawl.sarif
  trawl findings export --format csv --severity High > high.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("archived") && !cmd.Flags().Changed("all") && sel.triage == "" {
				sel.all = true
			}
			q, err := sel.query()
			if err != nil {
				return err
			}
			if done, err := exportFormat(cmd.Context(), o, q, stdout, cmd.ErrOrStderr()); done {
				return err
			}
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			switch o.format {
			case "table":
				var all []*store.Stored
				err = st.Each(cmd.Context(), q, func(f *store.Stored) error { all = append(all, f); return nil })
				if err == nil {
					findingsTable(stdout, all)
				}
			case "jsonl":
				enc := json.NewEncoder(stdout)
				err = st.Each(cmd.Context(), q, func(f *store.Stored) error { return enc.Encode(f) })
			case "json":
				n := 0
				io.WriteString(stdout, `{"findings":[`)
				err = st.Each(cmd.Context(), q, func(f *store.Stored) error {
					b, err := json.Marshal(f)
					if err != nil {
						return err
					}
					if n > 0 {
						io.WriteString(stdout, ",")
					}
					n++
					io.WriteString(stdout, "\n")
					_, err = stdout.Write(b)
					return err
				})
				io.WriteString(stdout, "\n]}\n")
			}
			return storeErr(err)
		},
	}
	o.register(cmd.Flags(), "jsonl")
	cmd.Flags().Lookup("format").Usage = "output: " + formatNames
	sel.register(cmd.Flags())
	return cmd
}

func newArchiveCmd(stdout io.Writer, archive bool) *cobra.Command {
	var o findingsOpts
	name, verb := "archive", "Archive (suppress) findings by hand; archivedBy is \"manual\" (a trawl extension: Macie has no such call)"
	if !archive {
		name, verb = "unarchive", "Unarchive findings, whatever archived them"
	}
	cmd := &cobra.Command{
		Use:   name + " ID...",
		Short: verb,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("%s needs at least one finding ID", name)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := st.SetArchived(cmd.Context(), args, archive)
			if err != nil {
				return storeErr(err)
			}
			fmt.Fprintf(stdout, "%sd %d of %d findings\n", name, n, len(args))
			return nil
		},
	}
	o.register(cmd.Flags(), "table")
	return cmd
}

func newTriageCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	var t store.Triage
	cmd := &cobra.Command{
		Use:     "triage ID",
		Short:   "Record what was decided about a finding (kept apart from detection data)",
		Example: `  trawl findings triage ID --status false-positive --note "test card numbers"`,
		Args:    exactArgs(1, "triage needs one finding ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if t.Status == "" {
				return usageError("--status is required: %s", strings.Join(store.TriageStatuses, ", "))
			}
			if t.By == "" {
				if u, err := user.Current(); err == nil {
					t.By = u.Username
				}
			}
			t.At = time.Now().UTC()
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.SetTriage(cmd.Context(), args[0], t); err != nil {
				return storeErr(err)
			}
			fmt.Fprintf(stdout, "finding %s: %s\n", args[0], t.Status)
			return nil
		},
	}
	fl := cmd.Flags()
	o.register(fl, "table")
	fl.StringVar(&t.Status, "status", "", "triage status: "+strings.Join(store.TriageStatuses, ", "))
	fl.StringVar(&t.Note, "note", "", "why")
	fl.StringVar(&t.By, "by", "", "who decided (default: the current user)")
	return cmd
}

func newPurgeCmd(stdout io.Writer) *cobra.Command {
	var o findingsOpts
	var older, retention string
	cmd := &cobra.Command{
		Use:   "purge",
		Short: "Delete findings past retention now (every scan that records also does)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var once, keep time.Duration
			var err error
			if older != "" {
				if once, err = parseAge(older); err != nil {
					return usageError("--older-than: %v", err)
				}
			}
			if retention != "" {
				if keep, err = parseAge(retention); err != nil || keep == 0 {
					return usageError("--retention: %v", cmp(err, errors.New("must be more than 0")))
				}
			}
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			if keep > 0 {
				if err := st.SetRetention(cmd.Context(), keep); err != nil {
					return storeErr(err)
				}
			}
			if older == "" {
				if once, err = st.Retention(cmd.Context()); err != nil {
					return storeErr(err)
				}
			}
			n, err := st.Purge(cmd.Context(), once, time.Now())
			if err != nil {
				return storeErr(err)
			}
			fmt.Fprintf(stdout, "purged %d findings last seen more than %s ago\n", n, once)
			return nil
		},
	}
	fl := cmd.Flags()
	o.register(fl, "table")
	fl.StringVar(&older, "older-than", "", "purge findings last seen longer ago than this, this once (e.g. 30d; default: the store's retention)")
	fl.StringVar(&retention, "retention", "", "set the store's retention (e.g. 30d) before purging")
	return cmd
}
