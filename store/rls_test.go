package store_test

import (
	"context"
	"database/sql"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/store"
)

// The two roles of a PostgreSQL set-up: the owner of the tables, which runs
// the migrations, and the application's, which owns nothing and cannot
// bypass row-level security. .ci/run creates them; the test creates them
// too when they are absent (it runs as a superuser).
const (
	ownerRole = "vigie_owner"
	appRole   = "vigie_app"
)

// rlsDB opens a fresh schema owned by the owner role, migrated through it,
// and returns the store connected as the application role, with a raw
// pool of the application role on the same schema.
func rlsDB(t *testing.T) (*store.DB, *sql.DB) {
	t.Helper()
	db, raw, _ := rlsDBWithDSN(t)
	return db, raw
}

// rlsDBWithDSN is rlsDB that also returns the application role's DSN.
func rlsDBWithDSN(t *testing.T) (*store.DB, *sql.DB, string) {
	t.Helper()
	dsn := testenv.PostgresDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	for _, r := range []string{ownerRole, appRole} {
		if _, err := admin.Exec(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '` + r + `') THEN
			CREATE ROLE ` + r + ` LOGIN PASSWORD '` + r + `' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; END $$`); err != nil {
			t.Fatalf("role %s: %v", r, err)
		}
	}
	schema := "vigie_rls_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema + " AUTHORIZATION " + ownerRole); err != nil {
		t.Fatal(err)
	}
	as := func(role string) string {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(role, role)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	db, err := store.OpenWith(context.Background(), as(appRole), store.Options{MigrateDSN: as(ownerRole)})
	if err != nil {
		t.Fatalf("open as %s, migrated by %s: %v", appRole, ownerRole, err)
	}
	raw, err := sql.Open("pgx", as(appRole))
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1) // one connection: the next transaction reuses it
	t.Cleanup(func() {
		raw.Close()
		db.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	return db, raw, as(appRole)
}

func TestRowLevelSecurity(t *testing.T) {
	db, raw := rlsDB(t)
	ctx := context.Background()
	fx := newFixture(t, db)
	sysA := &vigie.SystemRecord{OrgID: fx.org.ID, System: vigie.System{Name: "Système de A"}}
	must(t, db.CreateSystem(fx.as(fx.editor), sysA))
	sysB := &vigie.SystemRecord{OrgID: fx.other.ID, System: vigie.System{Name: "Système de B"}}
	must(t, db.CreateSystem(fx.as(fx.outside), sysB))
	if _, err := db.Invite(fx.as(fx.admin), fx.org.ID, "invitee@example.org", vigie.RoleReader); err != nil {
		t.Fatal(err)
	}

	// The store works through the application role, Go checks included.
	if got, err := db.FindSystemByID(fx.as(fx.reader), sysA.ID); err != nil || got.System.Name != "Système de A" {
		t.Fatalf("reader of A reads A's system: %v", err)
	}
	_, err := db.FindSystemByID(fx.as(fx.outside), sysA.ID)
	wantCode(t, err, vigie.ENOTFOUND)

	count := func(tx *sql.Tx, q string, args ...any) int {
		t.Helper()
		var n int
		if err := tx.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	begin := func(orgs string) *sql.Tx {
		t.Helper()
		tx, err := raw.Begin()
		must(t, err)
		if orgs != "" {
			if _, err := tx.Exec("SELECT set_config('vigie.orgs', $1, true)", orgs); err != nil {
				t.Fatal(err)
			}
		}
		return tx
	}
	tenant, err := db.TenantTables(ctx)
	must(t, err)
	for _, want := range []string{"organisations", "memberships", "systems", "system_facts", "system_changes", "documents", "events", "workplaces", "actions", "reports", "testimony_campaigns", "testimony_answers", "observatory_summaries", "invitations"} {
		if !slices.Contains(tenant, want) {
			t.Errorf("%s is not counted as a tenant table: %v", want, tenant)
		}
	}

	// Organisation set to B: nothing of A, and no row can be written for A.
	tx := begin(fx.other.ID)
	for _, table := range tenant {
		col := "org_id"
		if table == "organisations" {
			col = "id"
		}
		for _, c := range []string{"org_id", "system_id", "campaign_id"} {
			if count(tx, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2", table, c) > 0 {
				col = c
				break
			}
		}
		arg := map[string]string{"id": fx.org.ID, "org_id": fx.org.ID, "system_id": sysA.ID, "campaign_id": uuid.NewString()}[col]
		if n := count(tx, "SELECT COUNT(*) FROM "+table+" WHERE "+col+" = $1", arg); n != 0 {
			t.Errorf("as B, %d row(s) of A in %s", n, table)
		}
	}
	if n := count(tx, "SELECT COUNT(*) FROM systems"); n != 1 {
		t.Errorf("as B, %d systems seen (want B's one)", n)
	}
	if n := count(tx, "SELECT COUNT(*) FROM organisations"); n != 1 {
		t.Errorf("as B, %d organisations seen (want B alone)", n)
	}
	if n := count(tx, "SELECT COUNT(*) FROM memberships WHERE org_id <> $1", fx.other.ID); n != 0 {
		t.Errorf("as B, %d memberships of other organisations seen", n)
	}
	// Writes for A are refused or touch nothing: a system, a membership,
	// an organisation, and changes to A's organisation and memberships.
	for _, w := range []struct {
		what, sql string
		args      []any
	}{
		{"a system of A", `INSERT INTO systems (id, org_id, version, name, name_key, created_at, updated_at) VALUES ($1, $2, 1, 'intrus', 'intrus', now(), now())`, []any{uuid.NewString(), fx.org.ID}},
		{"a membership of A", `INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'admin')`, []any{fx.outside.ID, fx.org.ID}},
		{"an organisation", `INSERT INTO organisations (id, name, kind, created_at) VALUES ($1, 'Intruse', 'section', now())`, []any{uuid.NewString()}},
	} {
		if _, err := tx.Exec("SAVEPOINT w"); err != nil {
			t.Fatal(err)
		}
		_, err = tx.Exec(w.sql, w.args...)
		if err == nil || !strings.Contains(err.Error(), "row-level security") {
			t.Errorf("inserting %s as B: %v", w.what, err)
		}
		if _, err := tx.Exec("ROLLBACK TO SAVEPOINT w"); err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range []struct {
		what, sql string
		args      []any
	}{
		{"A's organisation", `UPDATE organisations SET name = 'Prise' WHERE id = $1`, []any{fx.org.ID}},
		{"A's memberships", `UPDATE memberships SET role = 'reader' WHERE org_id = $1`, []any{fx.org.ID}},
		{"A's memberships deleted", `DELETE FROM memberships WHERE org_id = $1`, []any{fx.org.ID}},
	} {
		res, err := tx.Exec(w.sql, w.args...)
		if err != nil {
			t.Fatalf("%s: %v", w.what, err)
		}
		if n, _ := res.RowsAffected(); n != 0 {
			t.Errorf("as B, %s: %d row(s) changed", w.what, n)
		}
	}
	// A membership of B moved to A is refused.
	if _, err := tx.Exec("UPDATE memberships SET org_id = $1 WHERE org_id = $2", fx.org.ID, fx.other.ID); err == nil || !strings.Contains(err.Error(), "row-level security") {
		t.Errorf("moving a membership of B to A as B: %v", err)
	}
	tx.Rollback()
	// The set itself is computed before it is known, by the function the
	// owner created: A's reader gets A.
	tx = begin("")
	var set string
	if err := tx.QueryRow("SELECT COALESCE(vigie_acting_orgs($1), '')", fx.reader.ID).Scan(&set); err != nil || set != fx.org.ID {
		t.Errorf("vigie_acting_orgs(reader of A) = %q, %v; want A", set, err)
	}
	if n := count(tx, "SELECT COUNT(*) FROM organisations"); n != 0 {
		t.Errorf("after the function, without a setting: %d organisations seen", n)
	}
	tx.Rollback()

	// No setting: no rows at all.
	tx = begin("")
	for _, table := range tenant {
		if n := count(tx, "SELECT COUNT(*) FROM "+table); n != 0 {
			t.Errorf("without a setting, %d row(s) in %s", n, table)
		}
	}
	tx.Rollback()

	// A committed transaction for A, then the next one on the same pooled
	// connection: the setting is gone with the transaction.
	tx = begin(fx.org.ID)
	if n := count(tx, "SELECT COUNT(*) FROM systems WHERE org_id = $1", fx.org.ID); n != 1 {
		t.Fatalf("as A, %d of A's systems", n)
	}
	must(t, tx.Commit())
	tx = begin("")
	if n := count(tx, "SELECT COUNT(*) FROM systems"); n != 0 {
		t.Errorf("the next transaction on the pooled connection sees %d system(s)", n)
	}
	tx.Rollback()

	// Every tenant table forces row-level security; the application role
	// cannot bypass it and owns nothing.
	tx = begin("")
	for _, table := range tenant {
		var enabled, forced bool
		if err := tx.QueryRow("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = to_regclass($1)", table).Scan(&enabled, &forced); err != nil {
			t.Fatal(err)
		}
		if !enabled || !forced {
			t.Errorf("%s: row security enabled %v, forced %v", table, enabled, forced)
		}
	}
	var bypass, super bool
	if err := tx.QueryRow("SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user").Scan(&bypass, &super); err != nil {
		t.Fatal(err)
	}
	if bypass || super {
		t.Errorf("the application role: bypassrls %v, superuser %v", bypass, super)
	}
	if n := count(tx, "SELECT COUNT(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"); n != 0 {
		t.Errorf("the application role owns %d relation(s)", n)
	}
	tx.Rollback()
}

// A second process of the application role alone (no owner DSN) opens the
// schema the owner migrated, and sees the same data.
func TestSecondProcessAsAppRole(t *testing.T) {
	db, _, dsn := rlsDBWithDSN(t)
	fx := newFixture(t, db)
	r := &vigie.SystemRecord{OrgID: fx.org.ID, System: vigie.System{Name: "Vu des deux processus"}}
	must(t, db.CreateSystem(fx.as(fx.editor), r))
	second, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("a second process as the application role: %v", err)
	}
	defer second.Close()
	got, err := second.FindSystemByID(fx.as(fx.reader), r.ID)
	if err != nil || got.System.Name != r.System.Name {
		t.Fatalf("second process: %v", err)
	}
}

// The background refresh of summaries runs as the application role with
// no user: it finds the organisations with summaries to recompute, and
// rewrites them, each organisation in its own transactions.
func TestRefreshSummariesAsAppRole(t *testing.T) {
	db, raw := rlsDB(t)
	fx := newFixture(t, db)
	for _, r := range []*vigie.SystemRecord{
		{OrgID: fx.org.ID, System: vigie.System{Name: "Système de A"}},
		{OrgID: fx.org.ID, System: vigie.System{Name: "Autre de A"}},
		{OrgID: fx.other.ID, System: vigie.System{Name: "Système de B"}},
	} {
		u := fx.editor
		if r.OrgID == fx.other.ID {
			u = fx.outside
		}
		must(t, db.CreateSystem(fx.as(u), r))
	}
	stale := func() int {
		t.Helper()
		tx, err := raw.Begin()
		must(t, err)
		defer tx.Rollback()
		if _, err := tx.Exec("SELECT set_config('vigie.orgs', '*', true)"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM systems WHERE summary_until = ''").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tx, err := raw.Begin()
	must(t, err)
	if _, err := tx.Exec("SELECT set_config('vigie.orgs', '*', true)"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("UPDATE systems SET summary_until = ''"); err != nil {
		t.Fatal(err)
	}
	must(t, tx.Commit())
	if n := stale(); n != 3 {
		t.Fatalf("%d summaries marked out of date, want 3", n)
	}
	n, err := db.RefreshSummaries(context.Background(), "")
	must(t, err)
	if n != 3 || stale() != 0 {
		t.Errorf("the background refresh rewrote %d summaries (want 3), %d still out of date", n, stale())
	}
}
