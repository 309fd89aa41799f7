package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/publish"
	"github.com/trawlsec/trawl/findings/store"
)

// scanLedger is a scan's record of what was published: the store's once
// it is attached (so a finding sent by an earlier run is not sent again,
// and one the store holds archived or triaged away is never sent), and
// the run's own (the store may be unwritable, or fail during the scan;
// then findings still go once within the run).
type scanLedger struct {
	sf  *storeFlags
	run *publish.MemoryLedger
}

// ledger is the scan's ledger for its publishers.
func (sf *storeFlags) ledger() publish.Ledger {
	return &scanLedger{sf: sf, run: publish.NewMemoryLedger()}
}

func (l *scanLedger) usable() bool { return l.sf.st != nil && l.sf.failure == nil }

func (l *scanLedger) Sent(target, id string) bool {
	return l.run.Sent(target, id) || l.usable() && l.sf.st.Sent(target, id)
}

func (l *scanLedger) MarkSent(target string, ids []string) error {
	l.run.MarkSent(target, ids)
	if !l.usable() {
		return nil
	}
	return l.sf.st.MarkSent(target, ids)
}

// resendLedger is the ledger of 'findings publish': the store chose what
// to send (with --force, findings already sent too), and it records what
// was.
type resendLedger struct{ st store.Store }

func (resendLedger) Sent(string, string) bool { return false }
func (l resendLedger) MarkSent(target string, ids []string) error {
	return l.st.MarkSent(target, ids)
}

// targetOf is a publisher's name in the ledger.
func targetOf(s findings.Sink) string {
	if r, ok := s.(reporting); ok {
		s = r.Sink
	}
	if t, ok := s.(interface{ Target() string }); ok {
		return t.Target()
	}
	return ""
}

func newFindingsPublishCmd() *cobra.Command {
	var (
		storeLoc string
		sel      selection
		pub      publishFlags
		aws      s3Flags
		force    bool
		quiet    bool
	)
	cmd := &cobra.Command{
		Use:   "publish",
		Short: "Send stored findings to EventBridge or Security Hub (those not sent there yet)",
		Long: `Publishes the current findings the flags select (never archived ones, nor those triaged
false-positive or resolved) that were not yet sent to each target: those found while publishing
was off or failing. --force sends them again.`,
		Example: `  trawl findings publish --since 1d --publish eventbridge
  trawl findings publish --publish eventbridge:security-bus --severity High --eventbridge-source acme.trawl
  trawl findings publish --publish securityhub --bucket payroll --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			stderr := cmd.ErrOrStderr()
			targets, err := pub.parse()
			if err != nil {
				return err
			}
			if len(targets) == 0 {
				return usageError("findings publish needs --publish eventbridge[:BUS_NAME_OR_ARN] or --publish securityhub")
			}
			switch {
			case sel.archived || sel.all:
				return usageError("archived findings are never published (as in Macie): unarchive them first with 'trawl findings unarchive ID'")
			case slices.Contains([]string{"false-positive", "resolved"}, sel.triage):
				return usageError("findings triaged %s are never published: change their triage first", sel.triage)
			}
			q, err := sel.query()
			if err != nil {
				return err
			}
			o := findingsOpts{store: storeLoc, format: "table"}
			st, err := o.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			pub.ledger = resendLedger{st}
			sinks, err := pub.open(ctx, aws, stderr, quiet)
			if err != nil {
				return err
			}
			return publishStored(ctx, st, q, sinks, force, stderr, quiet)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&storeLoc, "store", "", "findings store: an SQLite file PATH or postgres://... (default $"+store.EnvVar+", else $XDG_DATA_HOME/trawl/trawl.db)")
	sel.register(fl)
	pub.register(fl)
	fl.Lookup("publish").Usage = "send to eventbridge[:BUS_NAME_OR_ARN] (default bus) or securityhub (repeatable); endpoints follow AWS_ENDPOINT_URL_EVENTBRIDGE and AWS_ENDPOINT_URL_SECURITYHUB"
	fl.StringVar(&aws.profile, "profile", "", "AWS shared config profile (default: the standard credential chain)")
	fl.StringVar(&aws.region, "region", "", "region to publish in (default: from the environment or profile; an event bus ARN's own)")
	fl.BoolVar(&force, "force", false, "send findings already sent to the target again")
	fl.BoolVarP(&quiet, "quiet", "q", false, "say nothing on standard error but errors")
	// Archived and triaged-away findings are never published.
	fl.MarkHidden("archived")
	fl.MarkHidden("all")
	return cmd
}

// publishStored sends each target what the store holds for it; every
// target is tried even when one fails, and the first failure is returned.
func publishStored(ctx context.Context, st store.Store, q store.Query, sinks []findings.Sink, force bool, stderr io.Writer, quiet bool) error {
	var first error
	for _, s := range sinks {
		target := targetOf(s)
		n := 0
		err := st.EachToPublish(ctx, q, target, force, func(f *store.Stored) error {
			n++
			return s.Put(nil, &f.Finding)
		})
		if cerr := s.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			err = fmt.Errorf("%w; the findings not sent stay unpublished: run 'trawl findings publish' again", err)
		} else if n == 0 && !quiet && !force {
			fmt.Fprintf(stderr, "trawl: nothing to send to %s: no current finding selected, or all were sent before (--force sends them again)\n", target)
		}
		if err != nil && first == nil {
			first = storeErr(err)
		}
	}
	return first
}

// printPublished lists where a finding was published, for 'findings show'.
func printPublished(ctx context.Context, w io.Writer, st store.Store, id string) error {
	pub, err := st.Published(ctx, id)
	if err != nil {
		return storeErr(err)
	}
	for _, target := range slices.Sorted(maps.Keys(pub)) {
		fmt.Fprintf(w, "published: %s at %s\n", target, pub[target].Format(time.RFC3339))
	}
	return nil
}
