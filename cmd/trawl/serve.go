package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/findings/store"
	fview "github.com/trawlsec/trawl/findings/view"
)

// serveOpts are trawl serve's flags; other parts of trawl that run in the
// dashboard's process (a job scheduler) add theirs here.
type serveOpts struct {
	listen string
	store  string
	token  string
	// With --scheduler the process also runs discovery jobs when due.
	scheduler bool
	tick      time.Duration
	jobs      runFlags
}

func (o *serveOpts) register(fl *pflag.FlagSet) {
	fl.StringVar(&o.listen, "listen", "127.0.0.1:8080", "address to serve on; beyond the loopback interface a token is required")
	fl.StringVar(&o.store, "store", "", "findings store: an SQLite file PATH or postgres://... (default $"+store.EnvVar+", else $XDG_DATA_HOME/trawl/trawl.db)")
	fl.StringVar(&o.token, "token", "", "require this token of every request (default: none on 127.0.0.1, a generated one, printed once, elsewhere)")
	fl.BoolVar(&o.scheduler, "scheduler", false, "also run discovery jobs when they are due (see trawl jobs); SIGTERM leaves a run resumable")
	fl.DurationVar(&o.tick, "tick", 30*time.Second, "with --scheduler: how often due jobs are looked for")
	o.jobs.registerRun(fl)
}

func newServeCmd(stderr io.Writer) *cobra.Command {
	var o serveOpts
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the findings dashboard over the store (http://127.0.0.1:8080 by default)",
		Long: `Serves the dashboard over the findings store: an overview of where sensitive data sits, the
findings list with filters, each finding's detail, jobs and findings filters. Pages are rendered
by the server; their script only sorts and filters a table in place. From its own pages it creates
and deletes suppression rules (from the findings list's filters), archives and triages findings;
every such request carries the page's CSRF token and must come from the same origin.

It binds 127.0.0.1 by default. Bound to any other address it requires a token: --token, or one
it generates and prints once; open the printed address, which sets a cookie.`,
		Example: `  trawl serve
  trawl serve --listen 127.0.0.1:9000 --store findings.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return o.run(ctx, stderr)
		},
	}
	o.register(cmd.Flags())
	return cmd
}

// loopback says whether a listen address serves this machine only.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (o *serveOpts) run(ctx context.Context, stderr io.Writer) error {
	host, _, err := net.SplitHostPort(o.listen)
	if err != nil {
		return usageError("--listen %q: give HOST:PORT, e.g. 127.0.0.1:8080", o.listen)
	}
	token, printToken := o.token, false
	if token == "" && !loopback(host) {
		b := make([]byte, 16)
		rand.Read(b)
		token, printToken = hex.EncodeToString(b), true
	}
	if o.scheduler {
		if err := o.jobs.check(); err != nil {
			return err
		}
	}
	fo := findingsOpts{store: o.store, format: "table"}
	st, err := fo.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	scheduled := make(chan error, 1)
	if o.scheduler {
		r, err := o.jobs.build(st, stderr, true)
		if err != nil {
			return err
		}
		go func() { scheduled <- runScheduler(ctx, r, o.tick) }()
	} else {
		close(scheduled)
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return usageError("--listen %s: %v (choose another address or port)", o.listen, err)
	}
	srv := &http.Server{
		Handler:           fview.NewHandler(st, fview.ServerOptions{Token: token}),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	addr := "http://" + ln.Addr().String() + "/"
	if printToken {
		addr += "?token=" + token
	}
	fmt.Fprintf(stderr, "trawl: dashboard over %s at %s (Ctrl-C stops it)\n", st.Location(), addr)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return &exitErr{code: exitError, err: fmt.Errorf("serving the dashboard: %w", err)}
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return &exitErr{code: exitError, err: fmt.Errorf("stopping the dashboard: %w", err)}
	}
	<-scheduled // the job run in progress stops after its current objects
	return nil
}
