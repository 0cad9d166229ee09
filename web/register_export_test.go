package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/ods"
	"github.com/vigie-app/vigie/register"
	"github.com/vigie-app/vigie/sheet"
	"github.com/vigie-app/vigie/web"
)

// hostileSystem stores a system whose texts start like spreadsheet
// formulas.
func hostileSystem(t *testing.T, e *env, org *vigie.Organisation) *vigie.SystemRecord {
	t.Helper()
	r := &vigie.SystemRecord{OrgID: org.ID, System: vigie.System{Schema: vigie.SystemSchema,
		Name:        `=HYPERLINK("http://exemple.org","clic")`,
		Vendor:      "+33 1 23 45 67 89",
		Description: "-2+3 et la suite",
		Deployment:  vigie.Deployment{Status: "deployed", StaffBodyConsulted: vigie.TriFalse, Units: vigie.SetOf("@SUM(A1)")},
		Purpose:     vigie.Purpose{Domains: vigie.SetOf("monitoring")}}}
	if err := e.db.CreateSystem(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r
}

// nextDue is the register's next due date of r, "" when none.
func nextDue(r *vigie.SystemRecord) string {
	if r.Summary.NextDue.IsZero() {
		return ""
	}
	return r.Summary.NextDue.String()
}

func messages(t *testing.T, lang string) register.Labels {
	t.Helper()
	l, err := web.Messages(lang)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// frenchCSV reads a CSV in the French dialect: byte-order mark, semicolons.
func frenchCSV(t *testing.T, body string) [][]string {
	t.Helper()
	if !strings.HasPrefix(body, sheet.BOM) {
		t.Fatalf("no byte-order mark: %.80q", body)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, sheet.BOM)))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not a semicolon CSV: %v", err)
	}
	return rows
}

func column(t *testing.T, rows [][]string, name string) int {
	t.Helper()
	i := slices.Index(rows[0], name)
	if i < 0 {
		t.Fatalf("no column %q in %q", name, rows[0])
	}
	return i
}

// TestRegisterCSVInFrench: the register's CSV opens in a French spreadsheet
// as it is (byte-order mark, semicolons), with French headers and values,
// and in English for a reader who chose English.
func TestRegisterCSVInFrench(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	wp := &vigie.Workplace{OrgID: org.ID, Name: "Plateau de Lyon"}
	if err := e.db.CreateWorkplace(context.Background(), wp); err != nil {
		t.Fatal(err)
	}
	rec := e.caseSystem(org, actionsCase)
	rec.System.Name = "Analyse vocale; plateau \"Lyon\""
	rec.WorkplaceID = wp.ID
	rec.System.Usage = &vigie.Usage{ParamsActiveB: vigie.FloatOf(1.5)}
	if err := e.db.UpdateSystem(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	stored, err := e.db.FindSystemByID(context.Background(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := assess.Evaluate(&rec.System, vigie.DateInFrance(time.Now()))
	unmet := 0
	for _, o := range a.Obligations {
		if o.Status == assess.StatusUnmet {
			unmet++
		}
	}
	c := e.login(admin.Email)
	res := e.get("/o/"+org.ID+"/export.csv", c)
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(res.header.Get("Content-Disposition"), `filename="registre-section-`) {
		t.Fatalf("CSV: %d %v", res.status, res.header)
	}
	rows := frenchCSV(t, res.body)
	if len(rows) != 2 {
		t.Fatalf("%d rows, want the header and one system", len(rows))
	}
	row := rows[1]
	fr, en := messages(t, "fr"), messages(t, "en")
	if rows[0][0] != fr.T("fact.name") || !strings.HasPrefix(rows[0][0], "Nom") {
		t.Errorf("first header %q, want the French label of the name", rows[0][0])
	}
	for _, c := range []struct{ col, want string }{
		{fr.T("fact.name"), rec.System.Name},
		{fr.T("export.col.workplace"), "Plateau de Lyon"},
		{fr.T("export.col.tier"), assess.Label(law.FR, "tier."+a.AIAct.Tier)},
		{fr.T("export.col.unmet"), strconv.Itoa(unmet)},
		{fr.T("fact.deployment.status"), fr.T("enum.deployment.status.deployed")},
		{fr.T("fact.deployment.staff_body_consulted"), "Non"},
		{fr.T("fact.capabilities.emotion_recognition"), "Oui"},
		{fr.T("fact.usage.params_active_b"), "1,5"},
		{fr.T("export.col.id"), rec.ID},
		{fr.T("export.col.next"), nextDue(stored)},
	} {
		if got := row[column(t, rows, c.col)]; got != c.want {
			t.Errorf("%s = %q, want %q", c.col, got, c.want)
		}
	}
	if unmet == 0 {
		t.Error("the system has no unmet obligation: the test proves little")
	}
	for _, h := range rows[0] {
		if strings.HasPrefix(h, "vigie_") || strings.Contains(h, "fact.") || strings.Contains(h, "export.") {
			t.Errorf("header %q is not in words", h)
		}
	}

	// English for a reader who chose English.
	res = e.do("GET", "/o/"+org.ID+"/export.csv", c, nil, "", "Cookie", c+"; vigie_lang=en")
	rows = frenchCSV(t, res.body)
	for _, c := range []struct{ col, want string }{
		{en.T("export.col.workplace"), "Plateau de Lyon"},
		{en.T("export.col.tier"), assess.Label(law.EN, "tier."+a.AIAct.Tier)},
		{en.T("export.col.unmet"), strconv.Itoa(unmet)},
		{en.T("fact.capabilities.emotion_recognition"), "Yes"},
		{en.T("fact.usage.params_active_b"), "1.5"},
	} {
		if got := rows[1][column(t, rows, c.col)]; got != c.want {
			t.Errorf("English: %s = %q, want %q", c.col, got, c.want)
		}
	}
	if !strings.Contains(res.header.Get("Content-Disposition"), `filename="register-section-`) {
		t.Errorf("English file name: %s", res.header.Get("Content-Disposition"))
	}

	// Python's csv module, as a spreadsheet's user scripting it would.
	py := testenv.Python3(t)
	path := filepath.Join(t.TempDir(), "registre.csv")
	res = e.get("/o/"+org.ID+"/export.csv", c)
	if err := os.WriteFile(path, []byte(res.body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", `import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f, delimiter=";"))
print(json.dumps({"header": rows[0], "name": rows[1][0], "n": len(rows)}))`, path).CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	var got struct {
		Header []string
		Name   string
		N      int
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.N != 2 || got.Name != rec.System.Name || got.Header[0] != fr.T("fact.name") || !slices.Contains(got.Header, fr.T("export.col.workplace")) {
		t.Errorf("python3 reads %+v", got)
	}
}

// TestRegisterExportsNeutraliseFormulas: a text that starts with =, +, -
// or @ is written with a leading apostrophe in every spreadsheet export of
// the register (CSV in words, CSV with the standard's names, ODS), and as
// it is in JSON, which no spreadsheet evaluates.
func TestRegisterExportsNeutraliseFormulas(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	rec := hostileSystem(t, e, org)
	c := e.login(admin.Email)
	texts := []string{rec.System.Name, rec.System.Vendor, rec.System.Description, "@SUM(A1)"}
	check := func(what string, cells []string) {
		t.Helper()
		for _, x := range texts {
			if slices.Contains(cells, x) {
				t.Errorf("%s: %q is written as it is", what, x)
			}
			if !slices.Contains(cells, "'"+x) {
				t.Errorf("%s: %q is not neutralised", what, x)
			}
		}
	}
	check("CSV", frenchCSV(t, e.get("/o/"+org.ID+"/export.csv", c).body)[1])

	res := e.get("/o/"+org.ID+"/export.csv?columns=ats", c)
	rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	check("ATS CSV", rows[1])

	res = e.get("/o/"+org.ID+"/export.ods", c)
	if res.header.Get("Content-Type") != ods.MediaType {
		t.Fatalf("ODS: %d %s", res.status, res.header.Get("Content-Type"))
	}
	tables, err := ods.Read([]byte(res.body))
	if err != nil {
		t.Fatal(err)
	}
	if tables[0].Rows[0][0] != messages(t, "fr").T("fact.name") {
		t.Errorf("ODS header %q", tables[0].Rows[0])
	}
	check("ODS", tables[0].Rows[1])

	var js []map[string]string
	if err := json.Unmarshal([]byte(e.get("/o/"+org.ID+"/export.json", c).body), &js); err != nil {
		t.Fatal(err)
	}
	if js[0]["name"] != rec.System.Name {
		t.Errorf("JSON name %q, want the value as it is", js[0]["name"])
	}

	if r := e.get("/o/"+org.ID+"/export.ods?columns=ats", c); r.status != http.StatusUnprocessableEntity {
		t.Errorf("ODS with the standard's names: %d", r.status)
	}
}

// TestRegisterExportLimit: beyond the heavy downloads in flight, a
// download gets 429 with a Retry-After, and goes through once one ends.
func TestRegisterExportLimit(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	e.system(org, "Outil")
	c := e.login(admin.Email)
	release := web.HoldDownloads(e.srv)
	res := e.get("/o/"+org.ID+"/export.csv", c)
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Errorf("with every slot taken: %d, Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	if !strings.Contains(res.body, "Réessayez") {
		t.Errorf("the refusal does not say what to do:\n%s", res.body)
	}
	release()
	if res := e.get("/o/"+org.ID+"/export.csv", c); res.status != http.StatusOK {
		t.Errorf("after release: %d", res.status)
	}
}
