package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/asff"
	"github.com/trawlsec/trawl/findings/publish"
	"github.com/trawlsec/trawl/scanner/s3source"
)

// publishFlags are --publish and --eventbridge-source.
type publishFlags struct {
	targets []string
	source  string
	// ledger records what was sent; nil: a MemoryLedger for the run (the
	// findings store sets itself here, so findings go once across runs).
	ledger publish.Ledger
}

func (p *publishFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVar(&p.targets, "publish", nil, "also publish findings to eventbridge[:BUS_NAME_OR_ARN] (default bus) or securityhub (repeatable); endpoints follow AWS_ENDPOINT_URL_EVENTBRIDGE and AWS_ENDPOINT_URL_SECURITYHUB")
	fl.StringVar(&p.source, "eventbridge-source", "", "source of the EventBridge events (default "+publish.DefaultSource+"; AWS reserves aws.*)")
}

// publishTarget is one --publish.
type publishTarget struct {
	service string // eventbridge or securityhub
	bus     string // eventbridge: the bus name or ARN, "" the default
}

// busName is EventBridge's rule for an event bus name.
var busName = regexp.MustCompile(`^[/.\-_A-Za-z0-9]{1,256}$`)

// parse checks the flags before a scan starts.
func (p publishFlags) parse() ([]publishTarget, error) {
	var out []publishTarget
	seen := map[publishTarget]bool{}
	eventbridgeUsed := false
	for _, t := range p.targets {
		service, rest, hasBus := strings.Cut(t, ":")
		var pt publishTarget
		switch strings.ToLower(service) {
		case "eventbridge":
			pt = publishTarget{service: "eventbridge", bus: rest}
			eventbridgeUsed = true
			if hasBus && !busName.MatchString(rest) && !isBusArn(rest) {
				return nil, usageError("--publish %s: %q is neither an event bus name (letters, digits, . - _ /) nor an event bus ARN (arn:aws:events:REGION:ACCOUNT:event-bus/NAME)", t, rest)
			}
		case "securityhub":
			if hasBus {
				return nil, usageError("--publish %s: securityhub takes no argument (findings go to the account's default product in the region)", t)
			}
			pt = publishTarget{service: "securityhub"}
		default:
			return nil, usageError("--publish %q: use eventbridge, eventbridge:BUS_NAME_OR_ARN or securityhub", t)
		}
		if seen[pt] {
			return nil, usageError("--publish %s given twice", t)
		}
		seen[pt] = true
		out = append(out, pt)
	}
	if p.source != "" {
		switch {
		case !eventbridgeUsed:
			return nil, usageError("--eventbridge-source applies to --publish eventbridge, which is not given")
		case strings.HasPrefix(p.source, "aws."):
			return nil, usageError("--eventbridge-source %q: sources starting with aws. are reserved for AWS services; use your own (a Macie rule then matches on it)", p.source)
		case len(p.source) > 256:
			return nil, usageError("--eventbridge-source has %d characters, at most 256", len(p.source))
		}
	}
	return out, nil
}

func isBusArn(s string) bool {
	a, err := arn.Parse(s)
	return err == nil && a.Service == "events" && strings.HasPrefix(a.Resource, "event-bus/")
}

// open makes the publishers, in the region of --region (or the
// environment's), an event bus ARN's own region for EventBridge. Each
// says on stderr what it sent when it closes, unless quiet.
func (p publishFlags) open(ctx context.Context, s3 s3Flags, stderr io.Writer, quiet bool) ([]findings.Sink, error) {
	targets, err := p.parse()
	if err != nil || len(targets) == 0 {
		return nil, err
	}
	ledger := p.ledger
	if ledger == nil {
		ledger = publish.NewMemoryLedger()
	}
	var sinks []findings.Sink
	for _, t := range targets {
		region := s3.region
		if a, err := arn.Parse(t.bus); err == nil {
			region = a.Region
		}
		cfg, err := s3source.LoadConfig(ctx, s3.profile, region)
		if err != nil {
			return nil, &exitErr{code: exitError, err: fmt.Errorf("--publish %s: %w", t.service, err)}
		}
		switch t.service {
		case "eventbridge":
			eb := publish.NewEventBridge(ctx, eventbridge.NewFromConfig(cfg), t.bus, p.source, ledger, publish.DefaultRetry)
			sinks = append(sinks, reporting{eb, eb.Sent, "events to " + eb.Target(), stderr, quiet})
		case "securityhub":
			account, err := s3source.AccountID(ctx, s3source.ClientOptions{Profile: s3.profile, Region: cfg.Region})
			if err != nil || account == "" {
				return nil, &exitErr{code: exitError, err: fmt.Errorf("--publish securityhub needs the caller's account (its default product receives the findings): %v (the credentials need sts:GetCallerIdentity)", err)}
			}
			target := asff.Target{AccountID: account, Region: cfg.Region, Partition: s3source.Partition(cfg.Region)}
			sh := publish.NewSecurityHub(ctx, securityhub.NewFromConfig(cfg), target, ledger, publish.DefaultRetry)
			sinks = append(sinks, reporting{sh, sh.Sent, "findings to " + sh.Target(), stderr, quiet})
		}
	}
	return sinks, nil
}

// reporting is a publisher that says what it sent when it closes.
type reporting struct {
	findings.Sink
	sent   func() int
	what   string
	stderr io.Writer
	quiet  bool
}

func (r reporting) Close() error {
	err := r.Sink.Close()
	if !r.quiet {
		fmt.Fprintf(r.stderr, "trawl: published %d %s\n", r.sent(), r.what)
	}
	return err
}
