package store_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/store"
)

// eachDB runs f against a fresh SQLite database, and against a fresh
// PostgreSQL schema when VIGIE_TEST_POSTGRES is set (the subtest is skipped,
// saying so, when it is not).
func eachDB(t *testing.T, f func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		f(t, openSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		f(t, openPostgres(t))
	})
}

func openSQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openPostgres opens a fresh schema of the VIGIE_TEST_POSTGRES database,
// dropped at the end of the test.
func openPostgres(t testing.TB) *store.DB {
	t.Helper()
	// Skips, saying why, when VIGIE_TEST_POSTGRES is unset; fails instead
	// when VIGIE_REQUIRE_SERVICES=1 (as in CI).
	dsn := testenv.PostgresDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "vigie_test_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("VIGIE_TEST_POSTGRES: %v", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	return db
}

// fixture is an organisation with one user per role, and an outsider who
// is admin of another organisation.
type fixture struct {
	org, other                     *vigie.Organisation
	admin, editor, reader, outside *vigie.User
}

func (fx *fixture) as(u *vigie.User) context.Context {
	return vigie.NewContextWithUser(context.Background(), u)
}

func newFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	fx := &fixture{
		org:   &vigie.Organisation{Name: "Section A", Kind: vigie.OrgSection},
		other: &vigie.Organisation{Name: "Section B", Kind: vigie.OrgSection},
	}
	for _, o := range []*vigie.Organisation{fx.org, fx.other} {
		if err := db.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(name string, org *vigie.Organisation, role vigie.Role) *vigie.User {
		u := &vigie.User{Email: name + "@example.org", Name: name, PasswordHash: "x"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := db.SetMember(ctx, org.ID, u.ID, role); err != nil {
			t.Fatal(err)
		}
		u, err := db.FindUserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	fx.admin = mk("admin", fx.org, vigie.RoleAdmin)
	fx.editor = mk("editor", fx.org, vigie.RoleEditor)
	fx.reader = mk("reader", fx.org, vigie.RoleReader)
	fx.outside = mk("outside", fx.other, vigie.RoleAdmin)
	return fx
}

// loadCase reads a reference case of testdata/cases.
func loadCase(t testing.TB, name string) vigie.System {
	t.Helper()
	path := filepath.Join("..", "testdata", "cases", name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := vigie.ParseSystem(path, b)
	if err != nil {
		t.Fatal(err)
	}
	return *s
}

// caseFiles lists the reference system files.
func caseFiles(t testing.TB) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join("..", "testdata", "cases", "0*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range m {
		if !strings.HasSuffix(p, ".expected.yaml") {
			out = append(out, filepath.Base(p))
		}
	}
	if len(out) != 8 {
		t.Fatalf("expected 8 reference cases, found %d", len(out))
	}
	return out
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := vigie.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
