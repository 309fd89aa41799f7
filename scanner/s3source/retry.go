package s3source

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// maxRefusals is how many refused connections one listing request takes
// before the scan fails. A refusal is no slow server: nothing listens at
// the endpoint (a wrong --endpoint-url, a server that is down), and
// retrying it for minutes, as a throttled or failing request is, only
// hides the cause. Three attempts still ride out a server's restart of a
// second or two.
const maxRefusals = 3

// requestRetryer is the client's retryer for one request: it logs each
// retry with its cause (at debug level: trawl's -v), and, for a listing,
// gives up after maxRefusals refused connections.
type requestRetryer struct {
	aws.RetryerV2
	log      *slog.Logger
	what     string
	failFast bool
	refused  *int
}

// retries is the per-request option that sets a requestRetryer.
func retries(log *slog.Logger, what string, failFast bool) func(*s3.Options) {
	return func(o *s3.Options) {
		base, ok := o.Retryer.(aws.RetryerV2)
		if !ok {
			base = retryerV2{o.Retryer}
		}
		o.Retryer = requestRetryer{RetryerV2: base, log: log, what: what, failFast: failFast, refused: new(int)}
	}
}

func (r requestRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	if isRefused(err) {
		*r.refused++
		if r.failFast && *r.refused >= maxRefusals {
			return 0, fmt.Errorf("connection refused %d times: %w", *r.refused, err)
		}
	}
	d, derr := r.RetryerV2.RetryDelay(attempt, err)
	if derr == nil && r.log != nil {
		r.log.Debug("retrying S3 request", "request", r.what, "in", d.Round(time.Millisecond), "cause", err)
	}
	return d, derr
}

// retryerV2 gives a retryer without attempt tokens the method the SDK
// asks of a RetryerV2, as the SDK's own wrapper does.
type retryerV2 struct{ aws.Retryer }

func (r retryerV2) GetAttemptToken(context.Context) (func(error) error, error) {
	return r.GetInitialToken(), nil
}

// isRefused reports a connection refused: nothing listens at the address.
func isRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }
