package publish

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/smithy-go"
)

// Retry says how failed entries of a partly failed request are sent
// again: Attempts in all, waiting Backoff, doubled each time. (Whole
// requests that are throttled or fail with 5xx are retried by the SDK.)
type Retry struct {
	Attempts int
	Backoff  time.Duration
}

// DefaultRetry: five attempts over about three seconds.
var DefaultRetry = Retry{Attempts: 5, Backoff: 200 * time.Millisecond}

// wait sleeps before attempt n (1-based past the first), or returns the
// context's error.
func (r Retry) wait(ctx context.Context, n int) error {
	d := r.Backoff << (n - 1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryableEntry says whether an entry's error code is worth a retry:
// throttling and the service's own failures are, bad input and refusals
// are not.
func retryableEntry(code string) bool {
	for _, s := range []string{"Throttl", "Internal", "ServiceUnavailable", "LimitExceeded", "TooManyRequests"} {
		if strings.Contains(code, s) {
			return true
		}
	}
	return false
}

// apiCode is an AWS error's code, "" for other errors.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
