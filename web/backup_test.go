package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/store"
)

// appRoles creates the owner and application roles (as .ci/run does) when
// they are absent; admin is a superuser's pool.
func appRoles(t *testing.T, admin *sql.DB) {
	t.Helper()
	for _, r := range []string{"vigie_owner", "vigie_app"} {
		if _, err := admin.Exec(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '` + r + `') THEN
			CREATE ROLE ` + r + ` LOGIN PASSWORD '` + r + `' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; END $$`); err != nil {
			t.Fatalf("role %s: %v", r, err)
		}
	}
}

// TestBackupRestore runs the README's backup and restore of a whole
// federation: pg_dump through the owner role, createdb, pg_restore, then
// vigie opened on the restored database as the application role (migrated
// through the owner, which grants it again): the same systems per section,
// and the same login.
func TestBackupRestore(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	pgDump := testenv.Tool(t, "pg_dump", "postgresql-client")
	pgRestore := testenv.Tool(t, "pg_restore", "postgresql-client")
	createdb := testenv.Tool(t, "createdb", "postgresql-client")
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	appRoles(t, admin)
	suffix := strings.ReplaceAll(uuid.NewString(), "-", "")[:12]
	src, dst := "vigie_backup_"+suffix, "vigie_restored_"+suffix
	if _, err := admin.Exec("CREATE DATABASE " + src + " OWNER vigie_owner"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, d := range []string{src, dst} {
			admin.Exec("DROP DATABASE IF EXISTS " + d + " WITH (FORCE)")
		}
	})
	as := func(role, db string) string {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		if role != "" {
			u.User = url.UserPassword(role, role)
		}
		u.Path = "/" + db
		return u.String()
	}
	open := func(db string) *env {
		t.Helper()
		s, err := store.OpenWith(context.Background(), as("vigie_app", db), store.Options{MigrateDSN: as("vigie_owner", db)})
		if err != nil {
			t.Fatalf("open %s as the application role: %v", db, err)
		}
		t.Cleanup(func() { s.Close() })
		return newEnvDB(t, s)
	}

	// A federation with two sections, each with its systems.
	e := open(src)
	ctx := context.Background()
	fedAdmin := e.user("fed@example.org", "Fédération")
	fed := &vigie.Organisation{Name: "Fédération", Kind: vigie.OrgFederation}
	if err := e.db.CreateOrganisation(vigie.NewContextWithUser(ctx, fedAdmin), fed); err != nil {
		t.Fatal(err)
	}
	type section struct {
		org   *vigie.Organisation
		admin *vigie.User
		n     int
	}
	var secs []section
	for i, n := range []int{3, 2} {
		u := e.user([]string{"a@example.org", "b@example.org"}[i], "Admin")
		o := &vigie.Organisation{Name: []string{"Section A", "Section B"}[i], Kind: vigie.OrgSection, ParentID: fed.ID}
		if err := e.db.CreateOrganisation(vigie.NewContextWithUser(ctx, fedAdmin), o); err != nil {
			t.Fatal(err)
		}
		e.member(o, u, vigie.RoleAdmin)
		for j := range n {
			r := &vigie.SystemRecord{OrgID: o.ID, Sharing: vigie.SharingFederation, System: vigie.System{Name: o.Name + " outil " + string(rune('1'+j))}}
			if err := e.db.CreateSystem(vigie.NewContextWithUser(ctx, u), r); err != nil {
				t.Fatal(err)
			}
		}
		secs = append(secs, section{o, u, n})
	}

	// The README's commands.
	dump := filepath.Join(t.TempDir(), "vigie.dump")
	run := func(env, name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		if env != "" {
			cmd.Env = append(cmd.Environ(), env)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
		}
	}
	// The tables force row-level security on their owner too: the dump
	// reads through the policies, with the operator's setting.
	run("PGOPTIONS=-c vigie.orgs=*", pgDump, "--enable-row-security", "-Fc", "-f", dump, as("vigie_owner", src))
	run("", createdb, "-O", "vigie_owner", "--maintenance-db", dsn, dst)
	run("", pgRestore, "--no-owner", "--role=vigie_owner", "-d", as("vigie_owner", dst), dump)

	r := open(dst)
	for _, s := range secs {
		for _, db := range []*store.DB{e.db, r.db} {
			l, n, err := db.FindSystems(vigie.NewContextWithUser(ctx, s.admin), vigie.SystemFilter{OrgID: s.org.ID})
			if err != nil || n != s.n || len(l) != s.n {
				t.Errorf("%s: %d systems (%v), want %d", s.org.Name, n, err, s.n)
			}
		}
	}
	for _, env := range []*env{e, r} {
		res, err := env.db.Observatory(vigie.NewContextWithUser(ctx, fedAdmin), fed.ID, vigie.DateInFrance(env.db.Now()))
		if err != nil || res.Systems != 5 || res.Sections != 2 {
			t.Errorf("observatory: %v", err)
		}
	}
	// The same login, and the register behind it, on the restored copy.
	c := r.login(secs[0].admin.Email)
	if p := r.get("/o/"+secs[0].org.ID+"/systems", c); p.status != http.StatusOK || !strings.Contains(p.body, "Section A outil 3") {
		t.Errorf("the register on the restored copy: %d", p.status)
	}
}
