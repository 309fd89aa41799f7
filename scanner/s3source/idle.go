package s3source

import (
	"errors"
	"io"
	"sync/atomic"
	"time"
)

// defaultIdleTimeout is how long a GET body may send nothing before the
// connection is dropped and the read resumed elsewhere: a stalled
// connection must not hang the scan. S3 sends a body as fast as the
// network takes it, so 30 s of nothing is a frozen server or a dead
// connection, not a slow one; the same bound applies to an answer's
// headers (responseHeaderTimeout).
const defaultIdleTimeout = 30 * time.Second

var errStalled = errors.New("no data received within the idle timeout")

// watchedBody closes its body when one Read waits longer than idle, which
// makes that Read fail (and the caller resume with a new GET).
type watchedBody struct {
	body    io.ReadCloser
	idle    time.Duration
	stalled atomic.Bool
}

func (r *object) watch(body io.ReadCloser) io.ReadCloser {
	return &watchedBody{body: body, idle: r.idle()}
}

func (w *watchedBody) Read(p []byte) (int, error) {
	t := time.AfterFunc(w.idle, func() {
		w.stalled.Store(true)
		w.body.Close()
	})
	n, err := w.body.Read(p)
	t.Stop()
	if err != nil && w.stalled.Load() {
		err = errStalled
	}
	return n, err
}

// logStall says, at debug level (trawl's -v), that a read of the object
// went idle at byte at and is resumed: a frozen server shows in the log
// instead of as silence.
func (r *object) logStall(err error, at int64) {
	if errors.Is(err, errStalled) && r.src.Log != nil {
		r.src.Log.Debug("S3 read idle, resuming", "key", r.key, "byte", at, "idle", r.idle())
	}
}

func (r *object) idle() time.Duration {
	if r.src.IdleTimeout > 0 {
		return r.src.IdleTimeout
	}
	return defaultIdleTimeout
}

func (w *watchedBody) Close() error { return w.body.Close() }
