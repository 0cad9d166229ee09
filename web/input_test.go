package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/web"
)

func (e *env) count(o *vigie.Organisation) int {
	e.t.Helper()
	_, n, err := e.db.FindSystems(context.Background(), vigie.SystemFilter{OrgID: o.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestImportMalformed refuses a malformed system file with its line and
// column, and stores nothing, not even the good files sent with it.
func TestImportMalformed(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)
	cases := []struct {
		name, file, want string
		line, col        int
	}{
		{"wrong type", "schema: vigie/system/v1\nname: x\ndeployment:\n  workers_affected: beaucoup\n", "deployment.workers_affected", 4, 21},
		{"unknown key", "schema: vigie/system/v1\nname: x\ncapabilities:\n  mind_reading: true\n", "capabilities.mind_reading", 4, 3},
		{"broken yaml", "schema: vigie/system/v1\nname: [x\n", "", 2, 0},
		{"bad enum", "schema: vigie/system/v1\nname: x\ndeployment:\n  status: everywhere\n", "deployment.status", 4, 11},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, ct := multipartBody(t, map[string][]byte{"good.yaml": []byte(minimalSystemFile), "bad.yaml": []byte(tc.file)}, nil)
			r := e.do("POST", "/o/"+org.ID+"/import", c, body, ct)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", r.status, r.body)
			}
			if !strings.Contains(r.body, "bad.yaml:") || !strings.Contains(r.body, tc.want) {
				t.Errorf("the message does not name the file and the fact %q:\n%s", tc.want, r.body)
			}
			if !strings.Contains(r.body, "Ligne ") {
				t.Errorf("no line shown")
			}
			if tc.col > 0 && !strings.Contains(r.body, "Ligne "+strconv.Itoa(tc.line)+", colonne "+strconv.Itoa(tc.col)) {
				t.Errorf("want line %d column %d in:\n%s", tc.line, tc.col, between(r.body, `id="import-error"`, "</div>"))
			}
			if n := e.count(org); n != 0 {
				t.Errorf("%d systems stored, want none", n)
			}
		})
	}
}

func between(s, from, to string) string {
	_, a, _ := strings.Cut(s, from)
	b, _, _ := strings.Cut(a, to)
	return b
}

// TestOversizedUpload refuses with 413 an upload over the limit, whether
// announced by Content-Length or not, and a system file over 1 MiB.
func TestOversizedUpload(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	rec := e.system(org, "Outil")
	c := e.login(admin.Email)
	big := bytes.Repeat([]byte("a"), web.MaxUploadBytes+1)
	body, ct := multipartBody(t, map[string][]byte{"big.pdf": big}, url.Values{"source": {"employer"}})
	if r := e.do("POST", "/o/"+org.ID+"/systems/"+rec.ID+"/documents", c, body, ct); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("document over the limit: %d, want 413", r.status)
	}
	// Without Content-Length (chunked): the limit is enforced while reading.
	body, ct = multipartBody(t, map[string][]byte{"big.yaml": big}, nil)
	if r := e.do("POST", "/o/"+org.ID+"/import", c, struct{ *bytes.Buffer }{body}, ct); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked import over the limit: %d, want 413", r.status)
	}
	// A system file above vigie.MaxSystemFileSize.
	file := []byte(minimalSystemFile + "description: \"" + strings.Repeat("x", vigie.MaxSystemFileSize) + "\"\n")
	body, ct = multipartBody(t, map[string][]byte{"long.yaml": file}, nil)
	if r := e.do("POST", "/o/"+org.ID+"/import", c, body, ct); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("system file over 1 MiB: %d, want 413", r.status)
	}
	// An ordinary form over 1 MiB.
	form := url.Values{"name": {strings.Repeat("x", web.MaxFormBytes+1)}}
	if r := e.post("/o/"+org.ID+"/systems", c, form); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("form over the limit: %d, want 413", r.status)
	}
	if n := e.count(org); n != 1 {
		t.Errorf("%d systems, want 1", n)
	}
	docs, err := e.db.FindDocuments(context.Background(), rec.ID)
	if err != nil || len(docs) != 0 {
		t.Errorf("documents stored: %d, %v", len(docs), err)
	}
}

// TestCrossOriginRefused refuses a state change sent from another site,
// whether the browser says so with Sec-Fetch-Site or only with Origin.
func TestCrossOriginRefused(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)
	for _, hdr := range [][]string{
		{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
		{"Sec-Fetch-Site", "", "Origin", "https://evil.example"},
		{"Sec-Fetch-Site", "same-site", "Origin", "https://sub.evil.example"},
	} {
		r := e.do("POST", "/o/"+org.ID+"/systems", c, strings.NewReader(url.Values{"name": {"Forgé"}}.Encode()), "application/x-www-form-urlencoded", hdr...)
		if r.status != http.StatusForbidden {
			t.Errorf("%v: status %d, want 403", hdr, r.status)
		}
	}
	// Logging in from another site is refused too.
	r := e.do("POST", "/login", "", strings.NewReader(url.Values{"email": {admin.Email}, "password": {testPassword}}.Encode()),
		"application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if r.status != http.StatusForbidden {
		t.Errorf("cross-site login: %d", r.status)
	}
	if n := e.count(org); n != 0 {
		t.Errorf("%d systems stored by forged requests", n)
	}
	// The same request from the site itself goes through.
	if r := e.post("/o/"+org.ID+"/systems", c, url.Values{"name": {"Légitime"}}); r.status != http.StatusSeeOther {
		t.Errorf("same-origin POST: %d", r.status)
	}
}

// TestFormInvalid re-shows the form with 422, names the field, and stores
// nothing.
func TestFormInvalid(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)
	r := e.post("/o/"+org.ID+"/systems", c, url.Values{"name": {"Outil"}, "work.surveillance_felt": {"7"}, "deployment.since": {"2026-02-30"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.status)
	}
	errs := between(r.body, `id="form-errors"`, "</div>")
	for _, want := range []string{"Sentiment d&#39;être surveillé", "Utilisé depuis le", "#f-work-surveillance_felt"} {
		if !strings.Contains(errs, want) && !strings.Contains(errs, strings.ReplaceAll(want, "&#39;", "'")) {
			t.Errorf("the error summary does not name %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(r.body, `value="Outil"`) {
		t.Error("the form lost what was typed")
	}
	if e.count(org) != 0 {
		t.Error("an invalid form stored a system")
	}
	if r := e.post("/o/"+org.ID+"/systems", c, url.Values{"name": {"  "}}); r.status != 422 {
		t.Errorf("empty name: %d", r.status)
	}
}

// TestFormRoundTrip creates a system through the form, keeps unknown apart
// from no, and refuses a stale version with 409.
func TestFormRoundTrip(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)
	form := url.Values{
		"name":                              {"Analyse vocale"},
		"deployment.status":                 {"deployed"},
		"deployment.staff_body_consulted":   {"false"},
		"deployment.dpia_done":              {"unknown"},
		"capabilities.emotion_recognition":  {"true"},
		"purpose.domains":                   {"monitoring", "performance_evaluation"},
		"data.special_categories":           {},
		"decisions.subjects.unknown":        {"1"},
		"deployment.units":                  {"Plateau A\nPlateau B\n"},
		"work.surveillance_felt":            {"3"},
		"work.jobs_cut":                     {""},
		"deployment.since":                  {"2026-03-02"},
		"deployment.workers_affected":       {"320"},
		"organisation.staff_bodies.unknown": {"1"},
	}
	r := e.post("/o/"+org.ID+"/systems", c, form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.status, r.body)
	}
	recs, _, err := e.db.FindSystems(context.Background(), vigie.SystemFilter{OrgID: org.ID})
	if err != nil || len(recs) != 1 {
		t.Fatalf("%d systems, %v", len(recs), err)
	}
	f := recs[0].System.Facts()
	want := map[string]string{
		"deployment.status": "deployed", "deployment.staff_body_consulted": "false", "deployment.dpia_done": "unknown",
		"capabilities.emotion_recognition": "true", "capabilities.profiling": "unknown", "purpose.domains": "monitoring, performance_evaluation",
		"data.special_categories": "[]", "decisions.subjects": "unknown", "deployment.units": "Plateau A, Plateau B",
		"work.surveillance_felt": "3", "work.jobs_cut": "unknown", "deployment.since": "2026-03-02", "deployment.workers_affected": "320",
		"organisation.staff_bodies": "unknown",
	}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("%s = %q, want %q", k, f[k], v)
		}
	}
	// The edit form shows the same values back.
	id := recs[0].ID
	page := e.get("/o/"+org.ID+"/systems/"+id+"/edit", c)
	for _, want := range []string{
		`name="deployment.staff_body_consulted" value="false" checked`,
		`name="deployment.dpia_done" value="unknown" checked`,
		`name="purpose.domains" value="monitoring" checked`,
		`name="decisions.subjects.unknown" value="1" checked`,
		`name="work.surveillance_felt" value="3" checked`,
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("edit form lacks %s", want)
		}
	}
	// Save with the current version, then again with the stale one.
	form.Set("version", "1")
	form.Set("vendor", "VoxMétrie")
	if r := e.post("/o/"+org.ID+"/systems/"+id, c, form); r.status != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", r.status, r.body)
	}
	form.Set("vendor", "Autre")
	r = e.post("/o/"+org.ID+"/systems/"+id, c, form)
	if r.status != http.StatusConflict || !strings.Contains(r.body, `id="conflict"`) {
		t.Errorf("stale version: %d", r.status)
	}
	cur, _ := e.db.FindSystemByID(context.Background(), id)
	if cur.System.Vendor != "VoxMétrie" || cur.Version != 2 {
		t.Errorf("after the conflict: vendor %q version %d", cur.System.Vendor, cur.Version)
	}
	// The system page shows unknown as unknown, not as no.
	page = e.get("/o/"+org.ID+"/systems/"+id, c)
	if !strings.Contains(page.body, `data-fact="deployment.dpia_done" data-value="unknown" class="unknown">Inconnu`) ||
		!strings.Contains(page.body, `data-fact="deployment.staff_body_consulted" data-value="false">Non`) {
		t.Errorf("the page does not tell unknown from no:\n%s", between(page.body, `id="fact-deployment.dpia_done"`, "</tr>"))
	}
}

// TestRegisterExport exports the register as CSV (?columns=ats) and JSON
// with the standard's attribute names, and one system as YAML that reads back
// through vigie.ParseSystem into the same facts.
func TestRegisterExport(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	rec := e.system(org, "Analyse vocale, plateau \"Lyon\"")
	c := e.login(admin.Email)
	csv := e.get("/o/"+org.ID+"/export.csv?columns=ats", c)
	if csv.status != 200 || !strings.HasPrefix(csv.body, "name,description_short,organization") || !strings.Contains(csv.body, `"Analyse vocale, plateau ""Lyon"""`) {
		t.Errorf("CSV export: %d\n%.300s", csv.status, csv.body)
	}
	if !strings.Contains(csv.header.Get("Content-Disposition"), "attachment") {
		t.Error("CSV export is not a download")
	}
	js := e.get("/o/"+org.ID+"/export.json", c)
	if js.status != 200 || !strings.Contains(js.body, `"name": "Analyse vocale, plateau \"Lyon\""`) || !strings.Contains(js.body, `"vigie_deployment_status": "deployed"`) {
		t.Errorf("JSON export: %d\n%.600s", js.status, js.body)
	}
	for _, format := range []string{"yaml", "json"} {
		r := e.get("/o/"+org.ID+"/systems/"+rec.ID+"/export."+format, c)
		if r.status != 200 {
			t.Fatalf("export %s: %d", format, r.status)
		}
		back, err := vigie.ParseSystem("export."+format, []byte(r.body))
		if err != nil {
			t.Fatalf("the %s export does not read back: %v\n%s", format, err, r.body)
		}
		got, want := back.Facts(), rec.System.Facts()
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s round trip: %s = %q, want %q", format, k, got[k], v)
			}
		}
		// Uploaded into another organisation, it gives the same facts.
		other := e.org(admin, "Autre section "+format)
		body, ct := multipartBody(t, map[string][]byte{"systeme." + format: []byte(r.body)}, nil)
		up := e.do("POST", "/o/"+other.ID+"/import", c, body, ct)
		if up.status != http.StatusSeeOther || !strings.HasPrefix(up.header.Get("Location"), "/o/"+other.ID+"/systems/") {
			t.Fatalf("import of the %s export: %d %s\n%s", format, up.status, up.header.Get("Location"), up.body)
		}
		imported, err := e.db.FindSystemByID(context.Background(), strings.TrimPrefix(up.header.Get("Location"), "/o/"+other.ID+"/systems/"))
		if err != nil {
			t.Fatal(err)
		}
		got = imported.System.Facts()
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s import: %s = %q, want %q", format, k, got[k], v)
			}
		}
	}
}
