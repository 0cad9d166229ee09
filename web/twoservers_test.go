package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/store"
)

// TestTwoServersOnePostgres: two servers (two processes' worth of stores
// and pools) on one PostgreSQL database serve the same users: a session
// opened on one is used on the other, a change made through one is seen
// at once by the other's observatory, and a logout on one ends the session
// on both.
func TestTwoServersOnePostgres(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	// Both servers connect as the application role (no table of its own,
	// no BYPASSRLS: every row goes through row-level security, the
	// organisations and memberships included); the first migrates the
	// schema through the owner role.
	for _, r := range []string{"vigie_owner", "vigie_app"} {
		if _, err := admin.Exec(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '` + r + `') THEN
			CREATE ROLE ` + r + ` LOGIN PASSWORD '` + r + `' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; END $$`); err != nil {
			t.Fatalf("role %s: %v", r, err)
		}
	}
	schema := "vigie_two_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema + " AUTHORIZATION vigie_owner"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	as := func(role string) string {
		u, _ := url.Parse(dsn)
		u.User = url.UserPassword(role, role)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	opened := 0
	open := func() *env {
		opts := store.Options{}
		if opened == 0 {
			opts.MigrateDSN = as("vigie_owner")
		}
		opened++
		db, err := store.OpenWith(context.Background(), as("vigie_app"), opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return newEnvDB(t, db)
	}
	one, two := open(), open()
	user := one.user("admin@example.org", "Admin")
	fed := &vigie.Organisation{Name: "Fédération", Kind: vigie.OrgFederation}
	if err := one.db.CreateOrganisation(vigie.NewContextWithUser(context.Background(), user), fed); err != nil {
		t.Fatal(err)
	}
	sec := &vigie.Organisation{Name: "Section", Kind: vigie.OrgSection, ParentID: fed.ID}
	if err := one.db.CreateOrganisation(vigie.NewContextWithUser(context.Background(), user), sec); err != nil {
		t.Fatal(err)
	}
	cookie := one.login(user.Email)
	if r := two.get("/o/"+sec.ID+"/systems", cookie); r.status != http.StatusOK {
		t.Fatalf("the session of server one on server two: %d", r.status)
	}
	// Server two's observatory is cached; a system shared through server
	// one is counted at its next answer.
	if r := two.get("/o/"+fed.ID+"/observatory.json", cookie); !strings.Contains(r.body, `"systems": 0`) {
		t.Fatalf("observatory before: %s", r.body)
	}
	form := url.Values{"name": {"Partagé"}, "sharing": {"federation"}}
	if r := one.post("/o/"+sec.ID+"/systems", cookie, form); r.status != http.StatusSeeOther {
		t.Fatalf("create on server one: %d", r.status)
	}
	if r := two.get("/o/"+fed.ID+"/observatory.json", cookie); !strings.Contains(r.body, `"systems": 1`) {
		t.Errorf("server two's observatory missed the change made on server one: %s", r.body)
	}
	if r := two.post("/logout", cookie, url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("logout on server two: %d", r.status)
	}
	if r := one.get("/o/"+sec.ID+"/systems", cookie); r.status != http.StatusSeeOther {
		t.Errorf("after logout on server two, server one still serves the session: %d", r.status)
	}
}
