package scanner

import (
	"context"
	"errors"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/internal/membudget"
)

// errTimeCutOff is the cause of an object's context when its time budget
// (Limits.MaxObjectTime) runs out, told apart from a cancelled scan.
var errTimeCutOff = errors.New("object time budget spent")

// budgetKey finds an object's budget in its context.
type budgetKey struct{}

// budget follows one object's scan against its time budget (how many
// segments were scanned before it ran out) and holds its share of the
// scan's memory budget.
type budget struct {
	segments int
	mem      *membudget.Lease // nil: no memory budget
}

// objectContext gives an object its own context, ended when the time
// budget is spent, and the budget that segmentScanner counts into.
func (s *Scanner) objectContext(ctx context.Context, mem *membudget.Lease) (context.Context, *budget, context.CancelFunc) {
	b := &budget{mem: mem}
	ctx = context.WithValue(ctx, budgetKey{}, b)
	if s.Limits.MaxObjectTime <= 0 {
		ctx, cancel := context.WithCancel(ctx)
		return ctx, b, cancel
	}
	ctx, cancel := context.WithTimeoutCause(ctx, s.Limits.MaxObjectTime, errTimeCutOff)
	return ctx, b, cancel
}

// budgetOf is the budget in ctx; a context without one (an extractor run
// outside scanObject) gets a budget of its own that nothing reads.
func budgetOf(ctx context.Context) *budget {
	if b, ok := ctx.Value(budgetKey{}).(*budget); ok {
		return b
	}
	return &budget{}
}

// cutOff marks a result whose object ran out of time, as Macie does:
// PARTIAL with TIME_CUT_OFF_REACHED, keeping what was found, or SKIPPED
// if nothing was scanned.
func cutOff(octx context.Context, b *budget, r *findings.Result) {
	if !errors.Is(context.Cause(octx), errTimeCutOff) {
		return
	}
	if b.segments == 0 {
		r.Skip(findings.TimeCutOffReached)
		return
	}
	r.Status, r.Reason = findings.Partial, findings.TimeCutOffReached
}
