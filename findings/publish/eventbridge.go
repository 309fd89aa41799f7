package publish

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/trawlsec/trawl/findings"
)

// Macie's event envelope; the source is trawl's own (AWS reserves aws.*
// for its services), so a Macie rule needs only its source changed.
const (
	DetailType    = "Macie Finding"
	DefaultSource = "trawl"
)

// PutEvents limits: 10 entries, and entries under 256 KB in total, each
// counted as Time (14 bytes) plus its Source, DetailType and Detail.
const (
	maxEntries      = 10
	maxRequestBytes = 256 * 1024
	timeBytes       = 14
)

// EventBridge publishes findings as events, batched.
type EventBridge struct {
	ctx    context.Context
	client *eventbridge.Client
	bus    string // name or ARN; "" the default bus
	source string
	ledger Ledger
	retry  Retry

	batch  []pending
	queued map[string]bool // IDs in batch
	size   int
	sent   int
	err    error
}

type pending struct {
	id    string
	entry types.PutEventsRequestEntry
}

// NewEventBridge publishes to bus (a name or ARN; "" for the account's
// default bus) with source ("" for DefaultSource).
func NewEventBridge(ctx context.Context, c *eventbridge.Client, bus, source string, ledger Ledger, retry Retry) *EventBridge {
	if source == "" {
		source = DefaultSource
	}
	if ledger == nil {
		ledger = NewMemoryLedger()
	}
	return &EventBridge{ctx: ctx, client: c, bus: bus, source: source, ledger: ledger, retry: retry, queued: map[string]bool{}}
}

// Target names the publisher in the ledger.
func (p *EventBridge) Target() string {
	bus := p.bus
	if bus == "" {
		bus = "default"
	}
	return "eventbridge:" + bus
}

// Sent counts the events published.
func (p *EventBridge) Sent() int { return p.sent }

func (p *EventBridge) Put(_ *findings.Result, f *findings.Finding) error {
	if f == nil || f.Archived || p.err != nil || p.queued[f.ID] || p.ledger.Sent(p.Target(), f.ID) {
		return nil
	}
	fixed := timeBytes + len(p.source) + len(DetailType)
	detail, _, err := fit(f, maxRequestBytes-1-fixed, marshalFinding)
	if err != nil {
		p.err = fmt.Errorf("EventBridge: %w", err)
		return nil
	}
	size := fixed + len(detail)
	if len(p.batch) == maxEntries || p.size+size >= maxRequestBytes {
		p.flush()
	}
	created, _ := time.Parse(findings.TimestampLayout, f.CreatedAt)
	e := types.PutEventsRequestEntry{Source: aws.String(p.source), DetailType: aws.String(DetailType), Detail: aws.String(string(detail))}
	if !created.IsZero() {
		e.Time = aws.Time(created)
	}
	if p.bus != "" {
		e.EventBusName = aws.String(p.bus)
	}
	p.batch = append(p.batch, pending{id: f.ID, entry: e})
	p.queued[f.ID] = true
	p.size += size
	return nil
}

// Close sends what is left and reports the first failure.
func (p *EventBridge) Close() error {
	p.flush()
	return p.err
}

// flush sends the batch, retrying the entries that fail for a reason
// worth a retry; the others, and a refused request, end publishing.
func (p *EventBridge) flush() {
	batch := p.batch
	p.batch, p.size = nil, 0
	clear(p.queued)
	if len(batch) == 0 || p.err != nil {
		return
	}
	var lastCode, lastMsg string
	for attempt := 1; len(batch) > 0; attempt++ {
		if attempt > p.retry.Attempts {
			p.err = fmt.Errorf("EventBridge: %d findings not published to %s after %d attempts (last error %s: %s)", len(batch), p.Target(), p.retry.Attempts, lastCode, lastMsg)
			return
		}
		if attempt > 1 {
			if err := p.retry.wait(p.ctx, attempt-1); err != nil {
				p.err = fmt.Errorf("EventBridge: %w", err)
				return
			}
		}
		entries := make([]types.PutEventsRequestEntry, len(batch))
		for i, b := range batch {
			entries[i] = b.entry
		}
		out, err := p.client.PutEvents(p.ctx, &eventbridge.PutEventsInput{Entries: entries})
		if err != nil {
			p.err = p.explain(err)
			return
		}
		var again []pending
		var ok []string
		for i, r := range out.Entries {
			if i >= len(batch) {
				break
			}
			code := aws.ToString(r.ErrorCode)
			switch {
			case code == "":
				ok = append(ok, batch[i].id)
			case retryableEntry(code):
				again = append(again, batch[i])
				lastCode, lastMsg = code, aws.ToString(r.ErrorMessage)
			default:
				p.err = fmt.Errorf("EventBridge refused an event for finding %s on %s: %s: %s", batch[i].id, p.Target(), code, aws.ToString(r.ErrorMessage))
			}
		}
		p.sent += len(ok)
		if err := p.ledger.MarkSent(p.Target(), ok); err != nil && p.err == nil {
			p.err = fmt.Errorf("record published findings: %w", err)
		}
		if p.err != nil {
			return
		}
		batch = again
	}
}

// explain turns a refused PutEvents into what to do about it.
func (p *EventBridge) explain(err error) error {
	bus := p.bus
	if bus == "" {
		bus = "default"
	}
	switch code := apiCode(err); {
	case code == "AccessDeniedException" || strings.Contains(code, "NotAuthorized"):
		return fmt.Errorf("EventBridge refused PutEvents on event bus %s: the credentials need events:PutEvents on it (%s)", bus, code)
	case code == "ResourceNotFoundException":
		return fmt.Errorf("EventBridge event bus %s does not exist: create it, or give --publish eventbridge:NAME_OR_ARN of an existing bus", bus)
	}
	return fmt.Errorf("EventBridge PutEvents on event bus %s: %w", bus, err)
}
