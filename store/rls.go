package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/vigie-app/vigie"
)

// Row-level security on PostgreSQL.
//
// Every table that holds an organisation's data (a column org_id, or a
// system_id or campaign_id that leads to one) has row-level security enabled
// and forced, with policies that read the setting vigie.orgs: the
// comma-separated ids of the organisations the acting user may read (their
// memberships and the organisations below them), "*" for the operator (the
// command line, and the public routes that need no account), and no rows at
// all when it is missing or empty. Each transaction sets it with
// set_config('vigie.orgs', …, true), so that it ends with the transaction;
// a statement outside a transaction sets it just before running, and a
// connection taken back from the pool has it emptied first, so that a
// pooled connection never carries another user's organisations.
//
// The organisations and memberships tables are not under row-level
// security: they are what the setting is computed from, and the Go side
// checks every access to them (see access). SQLite keeps the Go-side checks
// alone.

// setOrgsSQL sets vigie.orgs for actor $1 (a user id, or "*"); $2 is true
// for the rest of the transaction, false for the session.
const setOrgsSQL = `SELECT set_config('vigie.orgs', CASE WHEN $1::text = '*' THEN '*' ELSE COALESCE((
	WITH RECURSIVE t(id) AS (SELECT org_id FROM memberships WHERE user_id = $1::text
		UNION SELECT o.id FROM organisations o JOIN t ON o.parent_id = t.id)
	SELECT string_agg(id, ',') FROM t), '') END, $2::boolean)`

// allOrgsKey marks a context whose statements see the rows of every
// organisation while keeping their actor (the journal still names them):
// the Go side then restricts what they read, as for an invitation, read
// by the holder of its address before they are a member (invitations.go).
type allOrgsKey struct{}

func withAllOrgs(ctx context.Context) context.Context {
	return context.WithValue(ctx, allOrgsKey{}, true)
}

// actingOrgs returns what setOrgsSQL takes for the actor of ctx.
func actingOrgs(ctx context.Context) string {
	if ctx.Value(allOrgsKey{}) != nil {
		return "*"
	}
	if u := vigie.UserFromContext(ctx); u != nil {
		return u.ID
	}
	return "*"
}

// orgsSetter is passed as the first argument of a statement outside a
// transaction: pgx lets it run setOrgsSQL on the same connection first.
type orgsSetter struct{ actor string }

func (o orgsSetter) RewriteQuery(ctx context.Context, c *pgx.Conn, sql string, args []any) (string, []any, error) {
	if _, err := c.Exec(ctx, setOrgsSQL, o.actor, false); err != nil {
		return "", nil, fmt.Errorf("vigie.orgs: %w", err)
	}
	return sql, args, nil
}

func (c conn) args(ctx context.Context, args []any) []any {
	if !c.pool {
		return args
	}
	return append([]any{orgsSetter{actingOrgs(ctx)}}, args...)
}

// openPostgres opens a pool on dsn whose connections have vigie.orgs
// emptied when they are taken back from the pool; params, when given, are
// run-time parameters of every connection instead (for migrations).
func openPostgres(dsn string, params map[string]string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if params != nil {
		for k, v := range params {
			cfg.RuntimeParams[k] = v
		}
		return stdlib.OpenDB(*cfg), nil
	}
	return stdlib.OpenDB(*cfg, stdlib.OptionResetSession(func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, "SELECT set_config('vigie.orgs', '', false)")
		return err
	})), nil
}

// notUnderRowSecurity are the tables the setting is computed from.
var notUnderRowSecurity = []string{"organisations", "memberships"}

// TenantTables returns the tables of the current schema that hold an
// organisation's data, and so are under row-level security.
func (db *DB) TenantTables(ctx context.Context) ([]string, error) {
	m, err := tenantTables(ctx, db.w)
	if err != nil {
		return nil, err
	}
	var out []string
	for t := range m {
		out = append(out, t)
	}
	slices.Sort(out)
	return out, nil
}

// tenantTables maps each tenant table to the condition that reads the
// setting for it.
func tenantTables(ctx context.Context, q *sql.DB) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.relname,
			bool_or(a.attname = 'org_id'), bool_or(a.attname = 'system_id'), bool_or(a.attname = 'campaign_id')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') GROUP BY c.relname`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	const orgs = "string_to_array(current_setting('vigie.orgs', true), ',')"
	const all = "current_setting('vigie.orgs', true) = '*'"
	out := map[string]string{}
	for rows.Next() {
		var name string
		var org, sys, camp bool
		if err := rows.Scan(&name, &org, &sys, &camp); err != nil {
			return nil, err
		}
		if slices.Contains(notUnderRowSecurity, name) {
			continue
		}
		switch {
		case org:
			out[name] = fmt.Sprintf("(%s OR org_id = ANY (%s))", all, orgs)
		case sys:
			out[name] = fmt.Sprintf("(%s OR system_id IN (SELECT id FROM systems))", all)
		case camp:
			out[name] = fmt.Sprintf("(%s OR campaign_id IN (SELECT id FROM testimony_campaigns))", all)
		}
	}
	return out, rows.Err()
}

// applyRowSecurity enables and forces row-level security on every tenant
// table, with its policies, and grants appRole (when not empty) what the
// application uses. It runs as the owner of the tables, after migrations.
func applyRowSecurity(ctx context.Context, m *sql.DB, appRole string) error {
	// Only the owner may change the tables: a process of the application
	// role that found the schema current has nothing to do.
	var owner bool
	if err := m.QueryRowContext(ctx, "SELECT COALESCE((SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class WHERE oid = to_regclass('systems')), false)").Scan(&owner); err != nil {
		return err
	}
	if !owner {
		return nil
	}
	tables, err := tenantTables(ctx, m)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(tables))
	for t := range tables {
		names = append(names, t)
	}
	slices.Sort(names)
	for _, t := range names {
		cond := tables[t]
		check := cond
		if t == "events" {
			// The log is appended to in the transaction that creates an
			// organisation, before the setting can name it.
			check = "true"
		}
		stmts := []string{
			fmt.Sprintf("ALTER TABLE %s ENABLE ROW LEVEL SECURITY", pgx.Identifier{t}.Sanitize()),
			fmt.Sprintf("ALTER TABLE %s FORCE ROW LEVEL SECURITY", pgx.Identifier{t}.Sanitize()),
			fmt.Sprintf("DROP POLICY IF EXISTS vigie_tenant ON %s", pgx.Identifier{t}.Sanitize()),
			fmt.Sprintf("CREATE POLICY vigie_tenant ON %s USING %s WITH CHECK (%s)", pgx.Identifier{t}.Sanitize(), cond, check),
		}
		for _, s := range stmts {
			if _, err := m.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("sécurité des lignes / row security: %s: %w", t, err)
			}
		}
	}
	if appRole == "" {
		return nil
	}
	role := pgx.Identifier{appRole}.Sanitize()
	for _, s := range []string{
		"GRANT USAGE ON SCHEMA %s TO " + role,
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO " + role,
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO " + role,
	} {
		var schema string
		if err := m.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return err
		}
		if _, err := m.ExecContext(ctx, fmt.Sprintf(s, pgx.Identifier{schema}.Sanitize())); err != nil {
			return fmt.Errorf("droits du rôle de l'application / application role grants: %w", err)
		}
	}
	return nil
}

// migrateAsOwner applies the migrations through ownerDSN, then grants the
// role of the application's connection what it uses.
func (db *DB) migrateAsOwner(ctx context.Context, ownerDSN string) error {
	var app string
	if err := db.w.QueryRowContext(ctx, "SELECT current_user").Scan(&app); err != nil {
		return err
	}
	db.ownerDSN, db.appRole = ownerDSN, app
	return db.Migrate(ctx)
}
