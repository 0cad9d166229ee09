// Package store keeps vigie's data in SQLite (the default, through
// modernc.org/sqlite, no cgo) or PostgreSQL (through pgx). One set of
// portable SQL serves both; placeholders are written "?" and rebound for
// PostgreSQL. Migrations are embedded per dialect at the same version numbers
// and applied when the database is opened.
//
// *DB implements every service interface of package vigie. Access control is
// done here, not in the adapters: every call reads the acting user from its
// context (vigie.UserFromContext). A nil user is the command line, acting as
// the machine's operator; a user sees only the organisations where they have
// a membership, and anything of another organisation is ENOTFOUND.
//
// The rules, for a user in ctx:
//
//   - read an organisation, its members, workplaces, systems, history,
//     documents and events: any role in it (reader, editor, admin);
//   - create or change workplaces, systems and documents: editor or admin;
//   - add, change or remove members: admin; the last admin stays;
//   - create an account: admin of some organisation (the first account
//     needs no one); read an account: oneself, or an admin of some
//     organisation (without the password hash); change a password: oneself;
//   - create an organisation: anyone, who becomes its admin; a section of a
//     parent organisation: an admin of the parent.
//
// A member with too low a role gets EFORBIDDEN; a non-member gets
// ENOTFOUND, with the message an id that does not exist would get.
//
// Systems are kept as the JSON of their facts (checked as strictly as a
// system file) with the columns the register filters on; every change of a
// fact is a row of the history, and every change appends an event in the
// same transaction.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"

	"github.com/vigie-app/vigie"
)

// DefaultPath is the SQLite file used when no DSN is given.
const DefaultPath = "vigie.db"

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// DB is an open vigie database.
type DB struct {
	dialect string
	path    string  // the SQLite file, "" for PostgreSQL
	r       *sql.DB // reads
	w       *sql.DB // writes: a pool of one connection for SQLite

	// Now returns the current time; tests may replace it.
	Now func() time.Time

	// ImportProgress, when set, is called inside the transaction of
	// ImportSystems after each record is written (done of total). The
	// command line uses it to report progress; the durability test uses
	// it to kill an import half-way.
	ImportProgress func(done, total int)

	dsn      string // the PostgreSQL URL
	ownerDSN string // the PostgreSQL URL of the tables' owner, when another role
	appRole  string // the role granted access when ownerDSN is set

	// obs caches the observatory's answers (see Observatory).
	obs     *obsCache
	obsOnce sync.Once

	closeOnce    sync.Once
	sessionsOnce sync.Once
	stop         chan struct{}
	wg           sync.WaitGroup
}

// Dialect returns SQLite or Postgres.
func (db *DB) Dialect() string { return db.dialect }

// Path returns the SQLite file, or "" for PostgreSQL.
func (db *DB) Path() string { return db.path }

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Options tune OpenWith.
type Options struct {
	// SkipMigrate leaves the schema as it is (for `vigie migrate`, which
	// reports what it applies).
	SkipMigrate bool
	// MigrateDSN, for PostgreSQL, names the role that owns the tables:
	// migrations and the row-level security they need run through it,
	// and the role of dsn (the application's, which owns nothing) is
	// granted what it uses. Empty: dsn's role migrates (a role owning
	// the tables, as in a single-role set-up).
	MigrateDSN string
}

// Open opens (creating if needed) the database named by dsn and applies the
// pending migrations. dsn is "" (DefaultPath), a SQLite file path, or a
// postgres:// URL.
func Open(ctx context.Context, dsn string) (*DB, error) { return OpenWith(ctx, dsn, Options{}) }

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, opt Options) (*DB, error) {
	db := &DB{Now: time.Now, stop: make(chan struct{})}
	if IsPostgres(dsn) {
		db.dialect = Postgres
		db.dsn = dsn
		c, err := openPostgres(dsn, nil)
		if err != nil {
			return nil, fmt.Errorf("ouverture de PostgreSQL / opening PostgreSQL: %w", err)
		}
		// As many idle connections as open ones, so that the pool does
		// not open and close connections under load (database/sql keeps
		// 2 idle by default); an idle one closes after 5 minutes.
		c.SetMaxOpenConns(16)
		c.SetMaxIdleConns(16)
		c.SetConnMaxIdleTime(5 * time.Minute)
		db.r, db.w = c, c
		if err := c.PingContext(ctx); err != nil {
			c.Close()
			return nil, fmt.Errorf("connexion à PostgreSQL impossible / cannot connect to PostgreSQL: %w", err)
		}
	} else {
		if dsn == "" {
			dsn = DefaultPath
		}
		if strings.Contains(dsn, "?") || strings.HasPrefix(dsn, "file:") {
			return nil, vigie.Errorf(vigie.EINVALID, "--db : donner un chemin de fichier SQLite ou une URL postgres:// (%q) / --db: give a SQLite file path or a postgres:// URL (%q)", dsn, dsn)
		}
		db.dialect = SQLite
		db.path = dsn
		if dir := filepath.Dir(dsn); dir != "" {
			if _, err := os.Stat(dir); err != nil {
				return nil, fmt.Errorf("dossier de la base introuvable / database folder not found: %w", err)
			}
		}
		// A new database is readable by its owner only: it holds password
		// hashes and evidence. SQLite gives its -wal and -shm files the
		// same permissions.
		if f, err := os.OpenFile(dsn, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
			f.Close()
		}
		var err error
		if db.w, err = openSQLite(dsn, false); err != nil {
			return nil, err
		}
		db.w.SetMaxOpenConns(1)
		db.w.SetMaxIdleConns(1)
		db.w.SetConnMaxLifetime(0)
		db.w.SetConnMaxIdleTime(0)
		if err := db.w.PingContext(ctx); err != nil {
			db.w.Close()
			return nil, fmt.Errorf("ouverture de %s / opening %s: %w", dsn, dsn, err)
		}
		if db.r, err = openSQLite(dsn, true); err != nil {
			db.w.Close()
			return nil, err
		}
		// Readers kept open as many as may run: a connection closed and
		// reopened loses its page cache and maps the file again.
		db.r.SetMaxOpenConns(8)
		db.r.SetMaxIdleConns(8)
		db.r.SetConnMaxLifetime(0)
		db.r.SetConnMaxIdleTime(0)
	}
	if !opt.SkipMigrate {
		var err error
		if opt.MigrateDSN != "" && db.dialect == Postgres {
			err = db.migrateAsOwner(ctx, opt.MigrateDSN)
		} else {
			err = db.Migrate(ctx)
		}
		if err != nil {
			db.Close()
			return nil, err
		}
		if err := db.expireOtherRevisions(ctx); err != nil {
			db.Close()
			return nil, err
		}
		if err := db.reindexSearch(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

func openSQLite(path string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	// No memory map: each connection would map the file on its own, and
	// every mapping counts the pages it touched in the process's resident
	// memory again (8 readers exporting a register of 90 MB reached 325
	// MB of mapped file). Pages are read into each connection's cache
	// instead, whose size bounds the memory: 8 MB per reader, 16 MB for
	// the writer, at most 80 MB in all whatever the size of the database
	// and the number of downloads.
	q.Add("_pragma", "mmap_size(0)")
	q.Set("_time_format", "sqlite")
	if readOnly {
		q.Add("_pragma", "cache_size(-8000)") // KiB
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "cache_size(-16000)") // KiB
		q.Set("_txlock", "immediate")
	}
	c, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("ouverture de %s / opening %s: %w", path, path, err)
	}
	return c, nil
}

// Migrate applies the pending migrations. Open calls it.
func (db *DB) Migrate(ctx context.Context) error {
	_, err := db.migrate(ctx)
	return err
}

// MigrateVersion applies the pending migrations and returns the schema
// version and the number of migrations applied.
func (db *DB) MigrateVersion(ctx context.Context) (version int64, applied int, err error) {
	res, err := db.migrate(ctx)
	if err != nil {
		return 0, 0, err
	}
	p, err := db.provider()
	if err != nil {
		return 0, 0, err
	}
	v, err := p.GetDBVersion(ctx)
	return v, len(res), err
}

func (db *DB) provider() (*goose.Provider, error) { return db.providerOn(db.w) }

func (db *DB) providerOn(m *sql.DB) (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+db.dialect)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	dialect := goose.DialectSQLite3
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
		// Instances sharing a schema migrate one at a time; the lock is
		// per schema, so that databases in other schemas (the tests use
		// one each) do not wait for each other.
		var schema string
		if err := m.QueryRow("SELECT current_schema()").Scan(&schema); err != nil {
			return nil, err
		}
		h := fnv.New64a()
		h.Write([]byte("vigie migrations " + schema))
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64()>>1)), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, m, sub, opts...)
}

func (db *DB) migrate(ctx context.Context) ([]*goose.MigrationResult, error) {
	m := db.w
	if db.dialect == Postgres {
		// Migrations run on connections of their own, through the owner
		// of the tables when it is another role, seeing every row.
		dsn := db.dsn
		if db.ownerDSN != "" {
			dsn = db.ownerDSN
		}
		var err error
		if m, err = openPostgres(dsn, map[string]string{"vigie.orgs": "*"}); err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		defer m.Close()
	}
	p, err := db.providerOn(m)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration de la base impossible / database migration failed: %w", err)
	}
	if db.dialect == Postgres {
		if err := applyRowSecurity(ctx, m, db.appRole); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// Close stops the background work and closes the database.
func (db *DB) Close() error {
	var err error
	db.closeOnce.Do(func() {
		close(db.stop)
		db.wg.Wait()
		if db.r != nil && db.r != db.w {
			err = db.r.Close()
		}
		if db.w != nil {
			if e := db.w.Close(); e != nil {
				err = e
			}
		}
	})
	return err
}

// Backup writes a consistent copy of the database to path, which must not
// exist. SQLite only (VACUUM INTO); for PostgreSQL use pg_dump.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return vigie.Errorf(vigie.EINVALID, "sauvegarde : avec PostgreSQL, utilisez pg_dump (par exemple : pg_dump -Fc -f vigie.dump \"$DSN\") / backup: with PostgreSQL, use pg_dump (for example: pg_dump -Fc -f vigie.dump \"$DSN\")")
	}
	if path == "" {
		return vigie.Errorf(vigie.EINVALID, "--to : fichier de sauvegarde manquant / --to: backup file missing")
	}
	if _, err := os.Stat(path); err == nil {
		return vigie.Errorf(vigie.EINVALID, "--to : %s existe déjà ; choisir un nouveau fichier / --to: %s already exists; choose a new file", path, path)
	}
	if _, err := db.w.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("sauvegarde vers %s / backup to %s: %w", path, path, err)
	}
	return os.Chmod(path, 0o600)
}

// rebind turns the "?" placeholders of q into "$1", "$2"… for PostgreSQL.
// Queries must not hold a literal "?" in a string.
func rebind(dialect, q string) string {
	if dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// queryer is what *sql.DB and *sql.Tx share.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn runs rebound queries on a pool or a transaction.
type conn struct {
	dialect string
	q       queryer
	// pool is true outside a transaction on PostgreSQL: each statement
	// then first sets the acting organisations (see rowSecurity).
	pool bool
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.q.ExecContext(ctx, rebind(c.dialect, query), c.args(ctx, args)...)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.q.QueryContext(ctx, rebind(c.dialect, query), c.args(ctx, args)...)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return c.q.QueryRowContext(ctx, rebind(c.dialect, query), c.args(ctx, args)...)
}

// read returns a connection for reads outside a transaction.
func (db *DB) read() conn { return conn{db.dialect, db.r, db.dialect == Postgres} }

// inTx runs f in a write transaction, committed when f returns nil.
func (db *DB) inTx(ctx context.Context, f func(c conn) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("transaction: %w", err)
	}
	if db.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, setOrgsSQL, actingOrgs(ctx), true); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("transaction: %w", err)
		}
	}
	if err := f(conn{db.dialect, tx, false}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("transaction: %w", err)
	}
	return nil
}

// now returns the current time in UTC, to the microsecond (what PostgreSQL
// keeps), so that a value reads back equal on both dialects.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// validID reports whether s looks like an id, so that a malformed id is
// simply not found.
func validID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

func notFound(fr, en, id string) error {
	return &vigie.Error{Code: vigie.ENOTFOUND, Message: fmt.Sprintf("%s introuvable : %s / %s not found: %s", fr, id, en, id)}
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// isUniqueViolation reports whether err is a unique-constraint failure, on
// either dialect.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505") || strings.Contains(s, "duplicate key value")
}

// Optimize refreshes the statistics the query planner uses (ANALYZE on
// both dialects; on SQLite each index is sampled, analysis_limit), for
// example after a large import: without them SQLite may scan the whole
// register for a search that its indexes answer. ImportSystems calls it
// after a bulk load.
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect == Postgres {
		_, err := db.w.ExecContext(ctx, "ANALYZE")
		return err
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, q := range []string{"PRAGMA analysis_limit = 2000", "ANALYZE", "PRAGMA analysis_limit = 0"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// bulkLoad is the number of systems from which ImportSystems refreshes
// the planner's statistics.
const bulkLoad = 100
