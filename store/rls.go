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
// The organisations and memberships tables are under row-level security
// too (an organisation is seen when its id is in the setting, a
// membership when its organisation is), although the setting is computed
// from them: the one lookup that must happen before the set is known is
// the function vigie_acting_orgs(user id), created by the owner of the
// tables (applyRowSecurity), SECURITY DEFINER with its search_path fixed,
// which reads them with vigie.orgs set to "*" for its own duration alone
// (it puts the setting back before returning) and returns the set. The
// transaction that creates an organisation adds its id to its set
// (addActingOrg) before writing it. The Go side checks every access as
// well (see access). SQLite keeps the Go-side checks alone.
//
// What the operator ("*") sees: every row. It acts for the command line
// (vigie import, observatory, opendata, backup and the like, which need
// the database's DSN), for the migrations, and for the store methods that
// run before anyone is known or for no one: looking up an account, a
// login or a session (to learn who the user is), the first set-up, the
// public pages (open data: OpenData reads the systems marked public of
// one organisation; a testimony: the campaign of one token and its
// answers), the invitations read and answered by the holder of their
// address (withAllOrgs), and the listing of the organisations whose
// summaries are out of date (the refresh itself then acts for each
// organisation in turn, see RefreshSummaries). Each of these methods
// reads only what it needs; row-level security does not narrow them.

// setOrgsSQL sets vigie.orgs for actor $1 (a user id, or "*"); $2 is true
// for the rest of the transaction, false for the session.
// An actor "org:ID" (see forOrg) is the organisation ID alone.
const setOrgsSQL = `SELECT set_config('vigie.orgs', CASE WHEN $1::text = '*' THEN '*' WHEN left($1::text, 4) = 'org:' THEN substr($1::text, 5)
	ELSE COALESCE(vigie_acting_orgs($1::text), '') END, $2::boolean)`

// actingOrgsFunction creates vigie_acting_orgs in schema %[1]s: the
// organisations a user is a member of, and those below them,
// comma-separated. It reads them with vigie.orgs set to "*", then puts
// the setting back as it found it.
const actingOrgsFunction = `CREATE OR REPLACE FUNCTION %[1]s.vigie_acting_orgs(actor text) RETURNS text
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %[1]s AS $$
DECLARE
	prev text := current_setting('vigie.orgs', true);
	res text;
BEGIN
	PERFORM set_config('vigie.orgs', '*', true);
	WITH RECURSIVE t(id) AS (SELECT m.org_id FROM memberships m WHERE m.user_id = actor
		UNION SELECT o.id FROM organisations o JOIN t ON o.parent_id = t.id)
	SELECT string_agg(t.id, ',') INTO res FROM t;
	PERFORM set_config('vigie.orgs', COALESCE(prev, ''), true);
	RETURN res;
END $$`

// addActingOrg adds the organisation id to the set of the transaction c
// (PostgreSQL), so that the transaction creating it may write it.
func (db *DB) addActingOrg(ctx context.Context, c conn, id string) error {
	if db.dialect != Postgres {
		return nil
	}
	_, err := c.exec(ctx, `SELECT set_config('vigie.orgs', CASE WHEN current_setting('vigie.orgs', true) = '*' THEN '*'
		ELSE concat_ws(',', NULLIF(current_setting('vigie.orgs', true), ''), ?::text) END, true)`, id)
	return err
}

type orgScopeKey struct{}

// forOrg returns ctx acting for the organisation orgID alone (not a user:
// work the database does for each organisation in turn).
func forOrg(ctx context.Context, orgID string) context.Context {
	return context.WithValue(ctx, orgScopeKey{}, orgID)
}

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
	if id, ok := ctx.Value(orgScopeKey{}).(string); ok {
		return "org:" + id
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
		switch {
		case name == "organisations":
			out[name] = fmt.Sprintf("(%s OR id = ANY (%s))", all, orgs)
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
	var schema string
	if err := m.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return err
	}
	if _, err := m.ExecContext(ctx, fmt.Sprintf(actingOrgsFunction, pgx.Identifier{schema}.Sanitize())); err != nil {
		return fmt.Errorf("vigie_acting_orgs: %w", err)
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
		"GRANT EXECUTE ON FUNCTION %s.vigie_acting_orgs(text) TO " + role,
	} {
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
