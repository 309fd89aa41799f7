package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/securityhub/types"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/asff"
)

// BatchImportFindings limits: 100 findings a call, 240 KB a finding.
const (
	maxImport       = 100
	maxFindingBytes = 240 * 1024
)

// SecurityHub publishes findings as ASFF under the account's default
// product.
type SecurityHub struct {
	ctx    context.Context
	client *securityhub.Client
	target asff.Target
	ledger Ledger
	retry  Retry

	batch []types.AwsSecurityFinding
	ids   map[string]string // ASFF Id -> finding ID, for the batch
	sent  int
	err   error
}

// NewSecurityHub publishes into the account and region of target.
func NewSecurityHub(ctx context.Context, c *securityhub.Client, target asff.Target, ledger Ledger, retry Retry) *SecurityHub {
	if ledger == nil {
		ledger = NewMemoryLedger()
	}
	return &SecurityHub{ctx: ctx, client: c, target: target, ledger: ledger, retry: retry, ids: map[string]string{}}
}

// Target names the publisher in the ledger.
func (p *SecurityHub) Target() string {
	return "securityhub:" + p.target.AccountID + "/" + p.target.Region
}

// Sent counts the findings imported.
func (p *SecurityHub) Sent() int { return p.sent }

func (p *SecurityHub) Put(_ *findings.Result, f *findings.Finding) error {
	if f == nil || f.Archived || p.err != nil || p.queued(f.ID) || p.ledger.Sent(p.Target(), f.ID) {
		return nil
	}
	_, fitted, err := fit(f, maxFindingBytes, func(f *findings.Finding) ([]byte, error) {
		return json.Marshal(asff.From(f, p.target))
	})
	if err != nil {
		p.err = fmt.Errorf("Security Hub: %w", err)
		return nil
	}
	doc := asff.From(fitted, p.target)
	p.ids[aws.ToString(doc.Id)] = f.ID
	p.batch = append(p.batch, doc)
	if len(p.batch) == maxImport {
		p.flush()
	}
	return nil
}

// queued says whether a finding is in the batch already.
func (p *SecurityHub) queued(id string) bool {
	for _, q := range p.ids {
		if q == id {
			return true
		}
	}
	return false
}

// Close sends what is left and reports the first failure.
func (p *SecurityHub) Close() error {
	p.flush()
	return p.err
}

func (p *SecurityHub) flush() {
	batch := p.batch
	p.batch = nil
	defer func() {
		for _, d := range batch {
			delete(p.ids, aws.ToString(d.Id))
		}
	}()
	if len(batch) == 0 || p.err != nil {
		return
	}
	var lastCode, lastMsg string
	for attempt := 1; len(batch) > 0; attempt++ {
		if attempt > p.retry.Attempts {
			p.err = fmt.Errorf("Security Hub: %d findings not imported into %s after %d attempts (last error %s: %s)", len(batch), p.Target(), p.retry.Attempts, lastCode, lastMsg)
			return
		}
		if attempt > 1 {
			if err := p.retry.wait(p.ctx, attempt-1); err != nil {
				p.err = fmt.Errorf("Security Hub: %w", err)
				return
			}
		}
		out, err := p.client.BatchImportFindings(p.ctx, &securityhub.BatchImportFindingsInput{Findings: batch})
		if err != nil {
			p.err = p.explain(err)
			return
		}
		failed := map[string]types.ImportFindingsError{}
		for _, e := range out.FailedFindings {
			failed[aws.ToString(e.Id)] = e
		}
		var again []types.AwsSecurityFinding
		var ok []string
		for _, d := range batch {
			id := aws.ToString(d.Id)
			e, bad := failed[id]
			code := aws.ToString(e.ErrorCode)
			switch {
			case !bad:
				ok = append(ok, p.ids[id])
			case retryableEntry(code):
				again = append(again, d)
				lastCode, lastMsg = code, aws.ToString(e.ErrorMessage)
			default:
				p.err = fmt.Errorf("Security Hub refused finding %s: %s: %s", p.ids[id], code, aws.ToString(e.ErrorMessage))
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

// explain turns a refused BatchImportFindings into what to do about it.
func (p *SecurityHub) explain(err error) error {
	product := p.target.ProductArn()
	switch code := apiCode(err); {
	case code == "AccessDeniedException" || strings.Contains(code, "NotAuthorized"):
		return fmt.Errorf("Security Hub refused BatchImportFindings in %s: the credentials need securityhub:BatchImportFindings on %s (%s)", p.target.Region, product, code)
	case code == "InvalidAccessException":
		return fmt.Errorf("Security Hub is not enabled for account %s in %s: enable it, or publish elsewhere (%s)", p.target.AccountID, p.target.Region, code)
	}
	return fmt.Errorf("Security Hub BatchImportFindings into %s: %w", product, err)
}
