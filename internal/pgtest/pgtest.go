// Package pgtest starts a real PostgreSQL cluster for tests: initdb in a
// temporary directory, the server on 127.0.0.1 at a free port (as the
// postgres user when the tests run as root), stopped when the tests end.
// With CI=true a cluster that cannot start fails the tests instead of
// skipping them.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Bin is where the PostgreSQL programs are looked for first.
var Bin = "/usr/local/bin"

// Cluster is a running PostgreSQL server.
type Cluster struct {
	dir  string
	port int
	as   string // user the server runs as ("" for the current one)
	n    atomic.Int64
}

var (
	once    sync.Once
	shared  *Cluster
	initErr error
)

// Get returns the package's cluster, starting it on first use; a test
// that cannot have one is skipped, or failed when CI=true.
func Get(t testing.TB) *Cluster {
	t.Helper()
	once.Do(func() { shared, initErr = start() })
	if initErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL cannot start (CI=true: failing, not skipping): %v", initErr)
		}
		t.Skipf("PostgreSQL cannot start: %v", initErr)
	}
	return shared
}

// Stop stops the cluster if one was started; call it from TestMain.
func Stop() {
	if shared != nil {
		shared.stop()
	}
}

func program(name string) string {
	p := filepath.Join(Bin, name)
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return filepath.Join("/usr/lib/postgresql/15/bin", name)
}

func start() (*Cluster, error) {
	dir, err := os.MkdirTemp("", "trawl-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root and no postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		c.as = "postgres"
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	data := filepath.Join(dir, "data")
	if out, err := c.run(program("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", c.port, dir)
	if out, err := c.run(program("pg_ctl"), "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
	}
	return c, nil
}

func (c *Cluster) run(name string, args ...string) *exec.Cmd {
	if c.as != "" {
		return exec.Command("runuser", append([]string{"-u", c.as, "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func (c *Cluster) stop() {
	c.run(program("pg_ctl"), "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop").Run()
	os.RemoveAll(c.dir)
}

// DSN returns the DSN of a database for the user postgres.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Port is the server's port.
func (c *Cluster) Port() int { return c.port }

// NewDatabase creates an empty database for one test and returns its DSN.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), c.n.Add(1))
	admin, err := sql.Open("pgx", c.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	return c.DSN(name)
}

// Restart stops the server (dropping every connection) and starts it
// again, as an operator's restart would. The server logs to a file: with
// a pipe it would hold pg_ctl's output open.
func (c *Cluster) Restart(t testing.TB) {
	t.Helper()
	data := filepath.Join(c.dir, "data")
	if out, err := c.run(program("pg_ctl"), "-D", data, "-l", filepath.Join(c.dir, "log"), "-m", "fast", "-w", "-t", "60", "restart").CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl restart: %v: %s", err, out)
	}
}
