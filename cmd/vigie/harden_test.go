package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestAssessNestingBomb: `vigie assess` and `vigie import` refuse a file
// nested 20,000 or 60,000 deep with exit 2, naming the line, allocating
// under 50 MB (it took gigabytes and grew quadratically).
func TestAssessNestingBomb(t *testing.T) {
	dir := t.TempDir()
	db := stNewDB(t)
	for _, depth := range []int{20000, 60000} {
		for name, src := range map[string]string{
			"dashes": "schema: vigie/system/v1\nname: x\nevidence:\n" + strings.Repeat("- ", depth) + "x\n",
			"json":   `{"schema": "vigie/system/v1", "name": "x", "evidence": ` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "}",
		} {
			path := filepath.Join(dir, name+".yaml")
			if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"assess", path}, {"import", "--db", db, "--org", "Section A", path}} {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				code, _, errs := stRun(t, "", args...)
				runtime.ReadMemStats(&after)
				if code != 2 || !strings.Contains(errs, name+".yaml:") || !strings.Contains(errs, "nesting too deep") {
					t.Errorf("%s %s %d: exit %d\n%s", args[0], name, depth, code, Clip(errs))
				}
				if extra := after.TotalAlloc - before.TotalAlloc; extra > 50<<20 {
					t.Errorf("%s %s %d: %d MB allocated", args[0], name, depth, extra>>20)
				}
			}
		}
	}
	if n := len(stSystems(t, db, "Section A")); n != 0 {
		t.Errorf("%d systems stored", n)
	}
}

// Clip shortens a test's output.
func Clip(s string) string {
	if len(s) > 500 {
		return s[:500] + "…"
	}
	return s
}

// TestAssessLatin1: a Latin-1 file is refused with its line unless
// --encoding windows-1252 is given.
func TestAssessLatin1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "latin1.yaml")
	src := "schema: vigie/system/v1\nname: Planificateur\nvendor: Soci\xe9t\xe9\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := stRun(t, "", "assess", path)
	if code != 2 || !strings.Contains(errs, "latin1.yaml:3:") || !strings.Contains(errs, "UTF-8") {
		t.Errorf("exit %d: %s", code, errs)
	}
	code, out, errs := stRun(t, "", "assess", path, "--encoding", "windows-1252", "--format", "json")
	if code != 0 || !strings.Contains(out, `"Planificateur"`) {
		t.Errorf("exit %d: %s", code, errs)
	}
	code, _, errs = stRun(t, "", "assess", path, "--encoding", "klingon")
	if code != 2 || !strings.Contains(errs, "klingon") {
		t.Errorf("exit %d: %s", code, errs)
	}
	db := stNewDB(t)
	code, _, errs = stRun(t, "", "import", "--db", db, "--org", "Section A", path)
	if code != 2 || !strings.Contains(errs, "UTF-8") {
		t.Errorf("import: exit %d: %s", code, errs)
	}
	stMust(t, "", "import", "--db", db, "--org", "Section A", "--encoding", "windows-1252", path)
	if rs := stSystems(t, db, "Section A"); len(rs) != 1 || rs[0].System.Vendor != "Société" {
		t.Errorf("imported: %+v", rs)
	}
}

// TestNamesRefuseControlCharacters: names of organisations, users and
// workplaces refuse CR, LF, ESC and C1 from the command line (exit 2).
func TestNamesRefuseControlCharacters(t *testing.T) {
	db := stNewDB(t)
	for _, args := range [][]string{
		{"org", "create", "--name", "Section\x1b[2J"},
		{"org", "create", "--name", "Section\r\nD"},
		{"org", "create", "--name", strings.Repeat("s", 400)},
		{"org", "workplace", "--org", "Section A", "--name", "Plateau\u009b31m"},
		{"user", "create", "--email", "eve@example.org", "--name", "Eve\x1b]0;pwned\x07"},
		{"user", "create", "--email", "eve\x1b@example.org", "--name", "Eve"},
	} {
		code, _, errs := stRun(t, "un mot de passe\n", append(args, "--db", db)...)
		if code != 2 || !strings.Contains(errs, "contrôle") && !strings.Contains(errs, "trop long") && !strings.Contains(errs, "invalide") {
			t.Errorf("%q: exit %d: %s", args, code, errs)
		}
		if strings.Contains(errs, "\x1b") || strings.Contains(errs, "\u009b") {
			t.Errorf("%q: the error echoes the control character", args)
		}
	}
}

// TestListsPrintNoTerminalEscapes: names stored before the check (or by
// any other way into the database) are printed escaped by user list and
// org list, in text and in JSON.
func TestListsPrintNoTerminalEscapes(t *testing.T) {
	path := stNewDB(t)
	stMust(t, "un mot de passe\n", "user", "create", "--db", path, "--email", "eve@example.org", "--name", "Eve")
	c, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"UPDATE organisations SET name = 'Section' || char(27) || '[2J' || char(155) || '31m' WHERE name = 'Section A'",
		"UPDATE users SET name = 'Eve' || char(27) || ']0;pwned' || char(7) || char(13) WHERE email = 'eve@example.org'",
	} {
		if _, err := c.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	for _, args := range [][]string{{"org", "list"}, {"org", "list", "--format", "json"}, {"user", "list"}, {"user", "list", "--format", "json"}} {
		out := stMust(t, "", append(args, "--db", path)...)
		for _, bad := range []string{"\x1b", "\u009b", "\x07", "\r"} {
			if strings.Contains(out, bad) {
				t.Errorf("%q prints %q:\n%q", args, bad, out)
			}
		}
		if !strings.Contains(out, `\x1b`) && !strings.Contains(out, `\u001b`) {
			t.Errorf("%q: the escape is not shown:\n%s", args, out)
		}
		if args[len(args)-1] == "json" && !json.Valid([]byte(out)) {
			t.Errorf("%q: invalid JSON:\n%s", args, out)
		}
	}
}

// TestSetPasswordTemporary: set-password --temporary makes the holder
// choose a new password at the next login; without it, the password is
// theirs.
func TestSetPasswordTemporary(t *testing.T) {
	db := stNewDB(t)
	stMust(t, "un mot de passe\n", "user", "create", "--db", db, "--email", "ada@example.org", "--name", "Ada")
	stMust(t, "un autre mot de passe\n", "user", "set-password", "--db", db, "--email", "ada@example.org", "--temporary")
	if u := stUser(t, db, "ada@example.org"); !u.MustChangePassword {
		t.Error("--temporary: the password is not temporary")
	}
	stMust(t, "encore un mot de passe\n", "user", "set-password", "--db", db, "--email", "ada@example.org")
	if u := stUser(t, db, "ada@example.org"); u.MustChangePassword {
		t.Error("without --temporary: the password is still temporary")
	}
}

// TestAuditCorruptParquet: the mutated Parquet files that made the library
// panic (kept as fuzz seeds of the audit package) end with exit 2 and a
// message, not a Go stack trace.
func TestAuditCorruptParquet(t *testing.T) {
	seeds, err := filepath.Glob("../../audit/testdata/fuzz/FuzzParquet/*")
	if err != nil || len(seeds) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	dir := t.TempDir()
	for _, s := range seeds {
		raw, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(raw), "\n", 3)
		b, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		path := filepath.Join(dir, filepath.Base(s)+".parquet")
		if err := os.WriteFile(path, []byte(b), 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, errs := stRun(t, "", "audit", "--input", path, "--group", "sexe", "--group", "origine", "--score", "score", "--threshold", "0.5", "--label", "label", "--no-hash")
		if code != 2 || strings.Contains(errs, "goroutine ") || strings.Contains(errs, "panic") {
			t.Errorf("%s: exit %d\n%s", filepath.Base(s), code, Clip(errs))
		}
	}
}
