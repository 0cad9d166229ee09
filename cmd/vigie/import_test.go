package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

// stRun runs the command line with stdin and returns the exit status,
// stdout and stderr.
func stRun(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// stMust runs the command line and fails the test unless it exits 0.
func stMust(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	code, out, errs := stRun(t, stdin, args...)
	if code != 0 {
		t.Fatalf("vigie %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

// stCases returns the paths of the eight reference system files.
func stCases(t *testing.T) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join("..", "..", "testdata", "cases", "0*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range m {
		if !strings.HasSuffix(p, ".expected.yaml") {
			out = append(out, p)
		}
	}
	if len(out) != 8 {
		t.Fatalf("%d reference cases, want 8", len(out))
	}
	return out
}

// stNewDB returns the path of a new database holding the organisations
// "Section A" and "Section B".
func stNewDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vigie.db")
	stMust(t, "", "org", "create", "--db", path, "--name", "Section A")
	stMust(t, "", "org", "create", "--db", path, "--name", "Section B", "--kind", "union")
	return path
}

// stSystems returns the systems of the organisation named org.
func stSystems(t *testing.T, path, org string) []*vigie.SystemRecord {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o, err := db.FindOrganisationByRef(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	rs, _, err := db.FindSystems(ctx, vigie.SystemFilter{OrgID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestImportStoresEveryCase(t *testing.T) {
	db := stNewDB(t)
	files := stCases(t)
	out := stMust(t, "", append([]string{"import", "--db", db, "--org", "Section A"}, files...)...)
	if !strings.Contains(out, "8 système(s) importé(s) dans « Section A »") {
		t.Fatalf("output: %s", out)
	}
	rs := stSystems(t, db, "Section A")
	if len(rs) != 8 {
		t.Fatalf("%d systems stored", len(rs))
	}
	for _, r := range rs {
		if !strings.Contains(out, r.ID+"\t"+r.System.Name) {
			t.Fatalf("output does not list %s", r.ID)
		}
	}
	if len(stSystems(t, db, "Section B")) != 0 {
		t.Fatal("systems stored in the wrong organisation")
	}
	out = stMust(t, "", "import", "--db", db, "--org", "Section B", "--lang", "en", files[0])
	if !strings.Contains(out, "1 system(s) imported into “Section B”") {
		t.Fatalf("English output: %s", out)
	}
}

// TestImportRefusesBadFiles: a malformed file among good ones stores
// nothing and exits 2 with the file, line and column.
func TestImportRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := stCases(t)
	base, err := os.ReadFile(good[0])
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]struct {
		content string
		want    string // regexp of the message
	}{
		"unknown-key.yaml": {strings.Replace(string(base), "  emotion_recognition: true", "  emotion_recognition: true\n  mind_reading: true", 1),
			`unknown-key\.yaml:\d+:\d+: capabilities\.mind_reading`},
		"wrong-type.yaml": {strings.Replace(string(base), "headcount: 400", "headcount: beaucoup", 1),
			`wrong-type\.yaml:\d+:\d+: organisation\.headcount`},
		"broken.yaml":   {"schema: vigie/system/v1\nname: [unclosed\n", `broken\.yaml:\d+:\d+: YAML invalide`},
		"bad-enum.json": {`{"schema": "vigie/system/v1", "name": "x", "deployment": {"status": "abandoned"}}`, `bad-enum\.json:1:\d+: deployment\.status`},
	}
	db := stNewDB(t)
	for name, c := range bad {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errs := stRun(t, "", append([]string{"import", "--db", db, "--org", "Section A", p}, good...)...)
		if code != 2 {
			t.Fatalf("%s: exit %d, want 2\n%s", name, code, errs)
		}
		if !regexp.MustCompile(c.want).MatchString(errs) || !strings.Contains(errs, "rien n'a été importé") {
			t.Fatalf("%s: message does not match %s:\n%s", name, c.want, errs)
		}
		if n := len(stSystems(t, db, "Section A")); n != 0 {
			t.Fatalf("%s: %d systems stored", name, n)
		}
	}
	// A file over the size limit is refused without being read whole.
	huge := filepath.Join(dir, "huge.yaml")
	if err := os.WriteFile(huge, append([]byte("schema: vigie/system/v1\nname: x\ndescription: "), bytes.Repeat([]byte("x"), vigie.MaxSystemFileSize)...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := stRun(t, "", "import", "--db", db, "--org", "Section A", huge); code != 2 || !strings.Contains(errs, "huge.yaml : fichier trop gros") {
		t.Fatalf("huge file: exit %d\n%s", code, errs)
	}
	// A missing file, an unknown organisation, a missing --org: exit 2.
	for _, args := range [][]string{
		{"import", "--db", db, "--org", "Section A", filepath.Join(dir, "absent.yaml")},
		{"import", "--db", db, "--org", "Section Z", good[0]},
		{"import", "--db", db, good[0]},
		{"import", "--db", db, "--org", "Section A", "--workplace", "0193a000-0000-7000-8000-000000000000", good[0]},
		{"import", "--db", db, "--org", "Section A"},
	} {
		code, _, errs := stRun(t, "", args...)
		if code != 2 || !strings.Contains(errs, "vigie: ") {
			t.Fatalf("%v: exit %d\n%s", args, code, errs)
		}
	}
	if n := len(stSystems(t, db, "Section A")); n != 0 {
		t.Fatalf("%d systems stored", n)
	}
}

func TestImportIntoWorkplace(t *testing.T) {
	db := stNewDB(t)
	out := stMust(t, "", "org", "workplace", "--db", db, "--org", "Section A", "--name", "Plateau de Lyon", "--kind", "private", "--headcount", "400", "--staff-body", "cse")
	wp := strings.SplitN(out, "\n", 2)[0]
	stMust(t, "", "import", "--db", db, "--org", "Section A", "--workplace", wp, stCases(t)[0])
	rs := stSystems(t, db, "Section A")
	if len(rs) != 1 || rs[0].WorkplaceID != wp {
		t.Fatalf("workplace of the imported system: %+v", rs)
	}
	// A workplace of another organisation is refused.
	out = stMust(t, "", "org", "workplace", "--db", db, "--org", "Section B", "--name", "Ailleurs")
	other := strings.SplitN(out, "\n", 2)[0]
	code, _, errs := stRun(t, "", "import", "--db", db, "--org", "Section A", "--workplace", other, stCases(t)[1])
	if code != 2 || !strings.Contains(errs, "workplace_id") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	code, _, errs = stRun(t, "", "org", "workplace", "--db", db, "--org", "Section A", "--name", "X", "--headcount", "-3")
	if code != 2 || !strings.Contains(errs, "--headcount") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}
