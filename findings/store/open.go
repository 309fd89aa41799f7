package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver
)

// EnvVar names the store when --store is not given.
const EnvVar = "TRAWL_STORE"

// Locate returns the store's location: flag if given, else $TRAWL_STORE,
// else the default file, $XDG_DATA_HOME/trawl/trawl.db (falling back to
// ~/.local/share). isDefault says it is the default file.
func Locate(flag string) (loc string, isDefault bool, err error) {
	if flag != "" {
		return flag, false, nil
	}
	if env := os.Getenv(EnvVar); env != "" {
		return env, false, nil
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", true, fmt.Errorf("no home directory for the default store: give --store or set %s", EnvVar)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "trawl", "trawl.db"), true, nil
}

// IsPostgres reports whether a location is a PostgreSQL DSN.
func IsPostgres(loc string) bool {
	return strings.HasPrefix(loc, "postgres://") || strings.HasPrefix(loc, "postgresql://")
}

// ErrUnwritable wraps a failure to create or write the store's file (a
// read-only directory, a full disk): a scan still writes its output.
var ErrUnwritable = errors.New("store cannot be written")

// Open opens (creating and migrating as needed) the store at loc: a
// PostgreSQL DSN or an SQLite file path.
func Open(ctx context.Context, loc string) (Store, error) {
	if IsPostgres(loc) {
		return openPostgres(ctx, loc)
	}
	return openSQLite(ctx, loc)
}

// sqliteMagic begins every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

func openSQLite(ctx context.Context, path string) (Store, error) {
	// A file that is not SQLite is refused before the driver sees it, so
	// that nothing (not even a journal mode change) touches it.
	if f, err := os.Open(path); err == nil {
		head := make([]byte, len(sqliteMagic))
		n, _ := io.ReadFull(f, head)
		f.Close()
		if n > 0 && !bytes.Equal(head[:n], sqliteMagic) || n > 0 && n < len(head) {
			return nil, fmt.Errorf("store %s is not an SQLite database (corrupt, or another file): move it away or give --store another path; it was left untouched", path)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnwritable, path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnwritable, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Finding IDs are hashes: inserts touch index pages all over, so a
	// larger page cache than SQLite's 2 MB default saves most reads.
	q.Add("_pragma", "cache_size(-65536)")
	q.Add("_pragma", "mmap_size(268435456)")
	q.Set("_txlock", "immediate") // writers queue on the busy timeout instead of failing to upgrade a read lock
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &sqlStore{db: db, d: sqliteDialect, loc: path}
	if s.bodies, err = newBodyCodec(); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		if isReadOnly(err) {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnwritable, path, err)
		}
		return nil, err
	}
	return s, nil
}

// isReadOnly tells SQLite's errors for a location it cannot write.
func isReadOnly(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "readonly") || strings.Contains(msg, "unable to open database") ||
		strings.Contains(msg, "disk is full") || strings.Contains(msg, "SQLITE_CANTOPEN") ||
		errors.Is(err, fs.ErrPermission)
}

// Redact returns a DSN without its password, for messages.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable DSN)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// scrub removes a DSN's password from an error's text.
func scrub(err error, dsn string) string {
	msg := err.Error()
	if u, perr := url.Parse(dsn); perr == nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
		if p := u.Query().Get("password"); p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	return msg
}

func openPostgres(ctx context.Context, dsn string) (Store, error) {
	loc := Redact(dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store %s: %s", loc, scrub(err, dsn))
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL store %s: %s", loc, scrub(err, dsn))
	}
	s := &sqlStore{db: db, d: postgresDialect, loc: loc, dsn: dsn}
	if s.bodies, err = newBodyCodec(); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// dialect is what differs between SQLite and PostgreSQL here.
type dialect struct {
	name     string
	collateC string
	seq      string
	cluster  string
	blob     string
}

var (
	sqliteDialect   = dialect{name: "sqlite", seq: "INTEGER PRIMARY KEY", cluster: " WITHOUT ROWID", blob: "BLOB"}
	postgresDialect = dialect{name: "postgres", collateC: `COLLATE "C"`, seq: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", blob: "BYTEA"}
)

// ddl fills a migration's dialect placeholders.
func (d dialect) ddl(m string) string {
	return strings.NewReplacer("{{C}}", d.collateC, "{{SEQ}}", d.seq, "{{CLUSTERED}}", d.cluster, "{{BLOB}}", d.blob).Replace(m)
}

func (d dialect) param(n int) string {
	if d.name == "postgres" {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// migrate brings the schema up to this build's version in one
// transaction, and refuses a schema newer than it knows.
func (s *sqlStore) migrate(ctx context.Context) error {
	if s.d.name == "sqlite" {
		// An SQLite database with tables but none of trawl's is someone
		// else's: do not add to it.
		var others, ours int
		err := s.db.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'),
			(SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'trawl_meta')`).Scan(&others, &ours)
		if err != nil {
			if isReadOnly(err) {
				return err
			}
			return fmt.Errorf("store %s cannot be read as an SQLite database: %v (move it away or give --store another path)", s.loc, err)
		}
		if others > 0 && ours == 0 {
			return fmt.Errorf("store %s is an SQLite database but not a trawl store: give --store another path", s.loc)
		}
	}
	// The common case, a store at this version, needs no write.
	var current string
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM trawl_meta WHERE key = 'schema_version'`).Scan(&current); err == nil {
		if v, _ := strconv.Atoi(current); v == SchemaVersion {
			return nil
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store %s: %w", s.loc, err)
	}
	defer tx.Rollback()
	if s.d.name == "postgres" {
		// Serialises scanners starting together on a new database.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7461827)`); err != nil {
			return fmt.Errorf("store %s: %w", s.loc, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS trawl_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store %s: %w", s.loc, err)
	}
	version := 0
	var v string
	switch err := tx.QueryRowContext(ctx, `SELECT value FROM trawl_meta WHERE key = 'schema_version'`).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("store %s: %w", s.loc, err)
	default:
		version, _ = strconv.Atoi(v)
	}
	if version > SchemaVersion {
		return fmt.Errorf("store %s has schema version %d, newer than this trawl's %d: upgrade trawl to use it (nothing was written)", s.loc, version, SchemaVersion)
	}
	if version == SchemaVersion {
		return nil
	}
	for _, m := range migrations[version:] {
		for _, stmt := range strings.Split(s.d.ddl(m), ";") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("store %s: migrate: %w", s.loc, err)
			}
		}
	}
	if err := s.setMeta(ctx, tx, "schema_version", strconv.Itoa(SchemaVersion)); err != nil {
		return err
	}
	if version == 0 {
		if err := s.setMeta(ctx, tx, "retention_seconds", strconv.Itoa(int(DefaultRetention.Seconds()))); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store %s: %w", s.loc, err)
	}
	return nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (s *sqlStore) setMeta(ctx context.Context, x execer, key, value string) error {
	a := newArgs(s.d)
	_, err := x.ExecContext(ctx, `INSERT INTO trawl_meta (key, value) VALUES (`+a.add(key)+`, `+a.add(value)+`)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, a.vals...)
	if err != nil {
		return fmt.Errorf("store %s: %w", s.loc, err)
	}
	return nil
}
