package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/ats"
	"github.com/vigie-app/vigie/ods"
	"github.com/vigie-app/vigie/sheet"
	"github.com/vigie-app/vigie/web"
)

// TestExportImportRoundTrip: every case exported from one organisation, in
// YAML and in JSON, imports into another with the same facts and evidence.
func TestExportImportRoundTrip(t *testing.T) {
	db := stNewDB(t)
	stMust(t, "", append([]string{"import", "--db", db, "--org", "Section A"}, stCases(t)...)...)
	dir := t.TempDir()
	src := stSystems(t, db, "Section A")
	var files []string
	for i, r := range src {
		for _, format := range []string{"yaml", "json"} {
			out := stMust(t, "", "export", "--db", db, "--org", "Section A", "--system", r.ID, "--format", format)
			p := filepath.Join(dir, r.ID+"."+format)
			if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := vigie.ParseSystem(p, []byte(out))
			if err != nil {
				t.Fatalf("case %d, %s export does not parse: %v", i, format, err)
			}
			if !reflect.DeepEqual(s.Facts(), r.System.Facts()) || !reflect.DeepEqual(s.Evidence, r.System.Evidence) {
				t.Fatalf("case %d: %s export differs from the stored system", i, format)
			}
			files = append(files, p)
		}
	}
	stMust(t, "", append([]string{"import", "--db", db, "--org", "Section B"}, files...)...)
	dst := stSystems(t, db, "Section B")
	if len(dst) != 16 {
		t.Fatalf("%d systems imported back", len(dst))
	}
	byName := map[string][]*vigie.SystemRecord{}
	for _, r := range dst {
		byName[r.System.Name] = append(byName[r.System.Name], r)
	}
	for _, r := range src {
		copies := byName[r.System.Name]
		if len(copies) != 2 {
			t.Fatalf("%s: %d copies", r.System.Name, len(copies))
		}
		for _, c := range copies {
			if !reflect.DeepEqual(c.System.Facts(), r.System.Facts()) || c.ID == r.ID {
				t.Fatalf("%s: the copy differs", r.System.Name)
			}
		}
	}
	// The default format of a system is YAML.
	out := stMust(t, "", "export", "--db", db, "--org", "Section A", "--system", src[0].ID)
	if !strings.HasPrefix(out, "schema: vigie/system/v1\n") {
		t.Fatalf("default export: %.60s", out)
	}
}

func TestExportRegister(t *testing.T) {
	db := stNewDB(t)
	stMust(t, "", append([]string{"import", "--db", db, "--org", "Section A"}, stCases(t)...)...)
	out := stMust(t, "", "export", "--db", db, "--org", "Section A", "--columns", "ats")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 9 || !reflect.DeepEqual(rows[0], ats.Header()) {
		t.Fatalf("%d rows; header %v", len(rows), rows[0][:5])
	}
	// risk_category comes from the AI Act tier of each case (see
	// testdata/cases/README.md).
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	tiers := map[string]string{"01": "prohibited", "02": "transparency", "03": "high", "04": "high", "05": "high", "06": "minimal", "07": "transparency", "08": "transparency"}
	risk := map[string]string{"prohibited": "unacceptable", "high": "high", "transparency": "limited", "minimal": "minimal"}
	for _, f := range stCases(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := vigie.ParseSystem(f, b)
		if err != nil {
			t.Fatal(err)
		}
		tier := tiers[filepath.Base(f)[:2]]
		found := false
		for _, row := range rows[1:] {
			if row[col["name"]] == s.Name {
				found = true
				if row[col["vigie_ai_act_tier"]] != tier || row[col["risk_category"]] != risk[tier] {
					t.Fatalf("%s: tier %q, risk_category %q; want %s, %s", filepath.Base(f), row[col["vigie_ai_act_tier"]], row[col["risk_category"]], tier, risk[tier])
				}
			}
		}
		if !found {
			t.Fatalf("%s not exported", f)
		}
	}
	out = stMust(t, "", "export", "--db", db, "--org", "Section A", "--format", "json")
	var objs []map[string]string
	if err := json.Unmarshal([]byte(out), &objs); err != nil {
		t.Fatal(err)
	}
	if len(objs) != 8 || objs[0]["standard_version"] != "0.3.1" || objs[0]["uuid"] == "" {
		t.Fatalf("%d objects: %v", len(objs), objs[0]["uuid"])
	}
	// An empty register is a header alone.
	for _, cols := range []string{"", "ats"} {
		out = stMust(t, "", "export", "--db", db, "--org", "Section B", "--columns", cols)
		if strings.Count(out, "\n") != 1 {
			t.Fatalf("empty register: %q", out)
		}
	}
}

// TestExportRegisterInWords: by default the register's CSV is in words, in
// French, in the dialect French spreadsheets open (BOM, semicolons); in
// English with --lang en; as ODS with --format ods.
func TestExportRegisterInWords(t *testing.T) {
	db := stNewDB(t)
	stMust(t, "", append([]string{"import", "--db", db, "--org", "Section A"}, stCases(t)...)...)
	read := func(out string) [][]string {
		t.Helper()
		if !strings.HasPrefix(out, sheet.BOM) {
			t.Fatalf("no byte-order mark: %.40q", out)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, sheet.BOM)))
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 9 {
			t.Fatalf("%d rows", len(rows))
		}
		return rows
	}
	fr := read(stMust(t, "", "export", "--db", db, "--org", "Section A"))
	en := read(stMust(t, "", "export", "--db", db, "--org", "Section A", "--format", "csv", "--lang", "en"))
	msg := func(lang, id string) string {
		l, err := web.Messages(lang)
		if err != nil {
			t.Fatal(err)
		}
		return l.T(id)
	}
	if msg("fr", "fact.name") == msg("en", "fact.name") {
		t.Fatal("the same header in French and English")
	}
	for _, c := range []struct {
		rows       [][]string
		name, tier string
		prohibited string
		yes        string
	}{
		{fr, msg("fr", "fact.name"), msg("fr", "export.col.tier"), "interdit", msg("fr", "value.true")},
		{en, msg("en", "fact.name"), msg("en", "export.col.tier"), "prohibited", msg("en", "value.true")},
	} {
		if c.rows[0][0] != c.name {
			t.Errorf("first header %q, want %q", c.rows[0][0], c.name)
		}
		tier := slices.Index(c.rows[0], c.tier)
		if tier < 0 {
			t.Fatalf("no column %q", c.tier)
		}
		joined := strings.Join(c.rows[1], "|") + strings.Join(c.rows[2], "|")
		var tiers []string
		for _, r := range c.rows[1:] {
			tiers = append(tiers, r[tier])
		}
		if !slices.Contains(tiers, c.prohibited) {
			t.Errorf("tiers %q lack %q", tiers, c.prohibited)
		}
		if !strings.Contains(joined, c.yes) {
			t.Errorf("no %q in the rows", c.yes)
		}
	}
	b := stMust(t, "", "export", "--db", db, "--org", "Section A", "--format", "ods", "--lang", "en")
	tables, err := ods.Read([]byte(b))
	if err != nil {
		t.Fatal(err)
	}
	if tables[0].Name != msg("en", "export.sheet") || len(tables[0].Rows) != 9 || tables[0].Rows[0][0] != msg("en", "fact.name") {
		t.Fatalf("ODS: %s, %d rows, %q", tables[0].Name, len(tables[0].Rows), tables[0].Rows[0][:2])
	}
	for _, c := range [][]string{
		{"--lang", "de"}, {"--columns", "eurocities"}, {"--columns", "ats", "--format", "json"}, {"--format", "xlsx"},
	} {
		code, _, errs := stRun(t, "", append([]string{"export", "--db", db, "--org", "Section A"}, c...)...)
		if code != 2 || !strings.Contains(errs, c[0]) {
			t.Errorf("%v: exit %d\n%s", c, code, errs)
		}
	}
}

func TestExportBadInput(t *testing.T) {
	db := stNewDB(t)
	stMust(t, "", "import", "--db", db, "--org", "Section A", stCases(t)[0])
	id := stSystems(t, db, "Section A")[0].ID
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"--org", "Section A", "--format", "csv", "--system", id}, "--format"},
		{[]string{"--org", "Section A", "--format", "yaml"}, "--format"},
		{[]string{"--org", "Section B", "--system", id}, "--system"}, // another organisation's system
		{[]string{"--org", "Section A", "--system", "nope"}, "--system"},
		{[]string{"--system", id}, "--org"},
	} {
		code, _, errs := stRun(t, "", append([]string{"export", "--db", db}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.flag) {
			t.Fatalf("%v: exit %d\n%s", c.args, code, errs)
		}
	}
}

// TestImportExportPostgres: the same commands on PostgreSQL.
func TestImportExportPostgres(t *testing.T) {
	dsn := stPostgresSchema(t)
	stMust(t, "", "org", "create", "--db", dsn, "--name", "Section A")
	out := stMust(t, "", append([]string{"import", "--db", dsn, "--org", "Section A"}, stCases(t)...)...)
	if !strings.Contains(out, "8 système(s) importé(s)") {
		t.Fatalf("import: %s", out)
	}
	id := strings.SplitN(out, "\t", 2)[0]
	y := stMust(t, "", "export", "--db", dsn, "--org", "Section A", "--system", id)
	if _, err := vigie.ParseSystem("export.yaml", []byte(y)); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(stMust(t, "", "export", "--db", dsn, "--org", "Section A", "--columns", "ats"))).ReadAll()
	if err != nil || len(rows) != 9 {
		t.Fatalf("register: %d rows, %v", len(rows), err)
	}
	code, _, errs := stRun(t, "", "import", "--db", dsn, "--org", "Section A", filepath.Join("..", "..", "testdata", "cases", "absent.yaml"))
	if code != 2 || !strings.Contains(errs, "absent.yaml") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}
