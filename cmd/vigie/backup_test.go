package main

import (
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/vigie-app/vigie/internal/testenv"
)

func TestBackupCommand(t *testing.T) {
	db := stNewDB(t)
	stMust(t, "", append([]string{"import", "--db", db, "--org", "Section A"}, stCases(t)...)...)
	to := filepath.Join(t.TempDir(), "sauvegarde.db")
	out := stMust(t, "", "backup", "--db", db, "--to", to)
	if !strings.Contains(out, "sauvegarde écrite") {
		t.Fatalf("output: %s", out)
	}
	if n := len(stSystems(t, to, "Section A")); n != 8 {
		t.Fatalf("the backup holds %d systems, want 8", n)
	}
	// Never overwrite; --to is required.
	code, _, errs := stRun(t, "", "backup", "--db", db, "--to", to)
	if code != 2 || !strings.Contains(errs, "--to") {
		t.Fatalf("overwrite: exit %d %s", code, errs)
	}
	code, _, errs = stRun(t, "", "backup", "--db", db)
	if code != 2 || !strings.Contains(errs, "--to") {
		t.Fatalf("no --to: exit %d %s", code, errs)
	}
}

// TestBackupCommandPostgres: with PostgreSQL, backup points to pg_dump and
// exits 2.
func TestBackupCommandPostgres(t *testing.T) {
	dsn := stPostgresSchema(t)
	to := filepath.Join(t.TempDir(), "x.db")
	code, _, errs := stRun(t, "", "backup", "--db", dsn, "--to", to)
	if code != 2 || !strings.Contains(errs, "pg_dump") {
		t.Fatalf("postgres: exit %d %s", code, errs)
	}
	if _, err := os.Stat(to); err == nil {
		t.Fatal("a file was written")
	}
}

func TestMigrateCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	out := stMust(t, "", "migrate", "--db", db)
	m := regexp.MustCompile(`schéma en version (\d+) \((\d+) migration\(s\) appliquée\(s\)\)`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" || m[2] == "0" {
		t.Fatalf("first run: %s", out)
	}
	out = stMust(t, "", "migrate", "--db", db, "--lang", "en")
	if !strings.Contains(out, "schema version "+m[1]+" (0 migration(s) applied)") {
		t.Fatalf("second run: %s", out)
	}
	code, _, errs := stRun(t, "", "migrate", "--db", filepath.Join(t.TempDir(), "absent", "vigie.db"))
	if code != 1 || !strings.Contains(errs, "vigie: ") {
		t.Fatalf("missing folder: exit %d %s", code, errs)
	}
	code, _, errs = stRun(t, "", "migrate", "--db", "file:x.db?mode=ro")
	if code != 2 || !strings.Contains(errs, "--db") {
		t.Fatalf("DSN with options: exit %d %s", code, errs)
	}
}

// stPostgresSchema returns a DSN of the VIGIE_TEST_POSTGRES database whose
// search_path is a fresh schema, dropped at the end of the test.
func stPostgresSchema(t *testing.T) string {
	t.Helper()
	dsn := testenv.PostgresDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "vigie_cmd_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("VIGIE_TEST_POSTGRES: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
