package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
	// Never overwrite; --to is required; PostgreSQL is pointed to pg_dump
	// without connecting anywhere when the DSN is unreachable.
	code, _, errs := stRun(t, "", "backup", "--db", db, "--to", to)
	if code != 2 || !strings.Contains(errs, "--to") {
		t.Fatalf("overwrite: exit %d %s", code, errs)
	}
	code, _, errs = stRun(t, "", "backup", "--db", db)
	if code != 2 || !strings.Contains(errs, "--to") {
		t.Fatalf("no --to: exit %d %s", code, errs)
	}
	if dsn := os.Getenv("VIGIE_TEST_POSTGRES"); dsn != "" {
		code, _, errs = stRun(t, "", "backup", "--db", dsn, "--to", filepath.Join(t.TempDir(), "x.db"))
		if code != 2 || !strings.Contains(errs, "pg_dump") {
			t.Fatalf("postgres: exit %d %s", code, errs)
		}
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
