package s3source

import (
	"errors"
	"io"
	"sync/atomic"
	"time"
)

// defaultIdleTimeout is how long a GET body may send nothing before the
// connection is dropped and the read resumed elsewhere: a stalled
// connection must not hang the scan.
const defaultIdleTimeout = 60 * time.Second

var errStalled = errors.New("no data received within the idle timeout")

// watchedBody closes its body when one Read waits longer than idle, which
// makes that Read fail (and the caller resume with a new GET).
type watchedBody struct {
	body    io.ReadCloser
	idle    time.Duration
	stalled atomic.Bool
}

func (r *object) watch(body io.ReadCloser) io.ReadCloser {
	idle := r.src.IdleTimeout
	if idle <= 0 {
		idle = defaultIdleTimeout
	}
	return &watchedBody{body: body, idle: idle}
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

func (w *watchedBody) Close() error { return w.body.Close() }
