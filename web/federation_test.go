package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/ats"
	"github.com/vigie-app/vigie/web"
)

// TestFederationMatrix: every route that reads a system, for the admin and
// a member of its section A, the admin of section B of the same
// federation, a member of the federation and an anonymous visitor, on a
// section-only, a federation-shared and a public system; then the
// observatory, the open data, and a level lowered back to the section.
func TestFederationMatrix(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { federationMatrix(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { federationMatrix(t, newPostgresEnv(t)) })
}

const canary = "CANARI-PRIVE"

func federationMatrix(t *testing.T, e *env) {
	ctx := context.Background()
	fedAdmin := e.user("fed-admin@example.org", "Admin fédération")
	fedMember := e.user("fed@example.org", "Membre fédération")
	adminA := e.user("admin-a@example.org", "Admin A "+canary)
	memberA := e.user("member-a@example.org", "Membre A")
	adminB := e.user("admin-b@example.org", "Admin B")
	fed := &vigie.Organisation{Name: "Fédération", Kind: vigie.OrgFederation}
	if err := e.db.CreateOrganisation(vigie.NewContextWithUser(ctx, fedAdmin), fed); err != nil {
		t.Fatal(err)
	}
	e.member(fed, fedMember, vigie.RoleReader)
	mkSection := func(name string, admin *vigie.User) *vigie.Organisation {
		o := &vigie.Organisation{Name: name, Kind: vigie.OrgSection, ParentID: fed.ID}
		if err := e.db.CreateOrganisation(vigie.NewContextWithUser(ctx, fedAdmin), o); err != nil {
			t.Fatal(err)
		}
		e.member(o, admin, vigie.RoleAdmin)
		return o
	}
	orgA, orgB := mkSection("Section A", adminA), mkSection("Section B", adminB)
	e.member(orgA, memberA, vigie.RoleReader)
	wp := &vigie.Workplace{OrgID: orgA.ID, Name: "Employeur public", Kind: "private"}
	if err := e.db.CreateWorkplace(ctx, wp); err != nil {
		t.Fatal(err)
	}
	sys := map[string]*vigie.SystemRecord{}
	for _, level := range vigie.SharingLevels {
		r := &vigie.SystemRecord{OrgID: orgA.ID, WorkplaceID: wp.ID, Sharing: level, System: vigie.System{Schema: vigie.SystemSchema,
			Name: "Système " + level, Vendor: "Éditeur " + level,
			// The section's own description may name people: only the
			// one written for publication leaves.
			Description:       "Signalé par Mme Dupont, note " + canary,
			PublicDescription: "Planification des tournées " + level,
			Deployment:        vigie.Deployment{Status: "deployed", Units: vigie.SetOf("Plateau " + canary), StaffBodyConsulted: vigie.TriFalse},
			Purpose:           vigie.Purpose{Domains: vigie.SetOf("monitoring")},
			Work:              vigie.Work{SurveillanceFelt: vigie.IntOf(3)},
			Jobs:              &vigie.Jobs{PostsCut: vigie.IntOf(12)},
			Evidence:          []vigie.Evidence{{Fact: "deployment.status", Source: "workers", Document: "témoignage " + canary, Date: vigie.MustDate("2026-03-01")}}}}
		if err := e.db.CreateSystem(vigie.NewContextWithUser(ctx, adminA), r); err != nil {
			t.Fatal(err)
		}
		doc := &vigie.Document{OrgID: orgA.ID, SystemID: r.ID, Name: "note-" + canary + ".txt", MediaType: "text/plain", Source: "employer"}
		if err := e.db.CreateDocument(ctx, doc, []byte("note "+canary)); err != nil {
			t.Fatal(err)
		}
		sys[level] = r
	}
	cookies := map[string]string{"adminA": e.login(adminA.Email), "memberA": e.login(memberA.Email),
		"adminB": e.login(adminB.Email), "fed": e.login(fedMember.Email), "anonymous": ""}
	check := func(method, path, who string, want int) {
		t.Helper()
		r := e.do(method, path, cookies[who], nil, "")
		if r.status != want {
			t.Errorf("%s %s as %s: %d, want %d", method, path, who, r.status, want)
		}
	}
	a, f := "/o/"+orgA.ID, "/o/"+fed.ID
	section := map[string]int{"adminA": 200, "memberA": 200, "adminB": 404, "fed": 404, "anonymous": 303}
	for level, r := range sys {
		for _, p := range []string{"/systems/" + r.ID, "/systems/" + r.ID + "/t/evaluation", "/systems/" + r.ID + "/t/history",
			"/systems/" + r.ID + "/t/evidence", "/systems/" + r.ID + "/export.yaml", "/systems/" + r.ID + "/export.json"} {
			for who, want := range section {
				check("GET", a+p, who, want)
			}
			// Through another organisation's URL: not found.
			check("GET", "/o/"+orgB.ID+p, "adminB", 404)
			check("GET", f+p, "fed", 404)
		}
		shared := 404
		if level != vigie.SharingSection {
			shared = 200
		}
		for who, want := range map[string]int{"adminA": 404, "memberA": 404, "adminB": 404, "fed": shared, "anonymous": 303} {
			check("GET", f+"/observatory/systems/"+r.ID, who, want)
		}
		// Read-only: no route writes through the federation.
		for _, p := range []string{f + "/systems/" + r.ID, f + "/observatory/systems/" + r.ID, f + "/systems/" + r.ID + "/delete"} {
			if got := e.do("POST", p, cookies["fed"], strings.NewReader("name=x"), "application/x-www-form-urlencoded").status; got != 404 && got != 405 && got != 403 {
				t.Errorf("POST %s as the federation: %d", p, got)
			}
		}
		if cur, _ := e.db.FindSystemByID(ctx, r.ID); cur.Version != 1 {
			t.Errorf("%s changed through the federation: version %d", level, cur.Version)
		}
	}
	for who, want := range map[string]int{"adminA": 404, "memberA": 404, "adminB": 404, "fed": 200, "anonymous": 303} {
		check("GET", f+"/observatory", who, want)
		check("GET", f+"/observatory.json", who, want)
	}
	obs := func() map[string]any {
		t.Helper()
		r := e.get(f+"/observatory.json", cookies["fed"])
		var m map[string]any
		if err := json.Unmarshal([]byte(r.body), &m); err != nil {
			t.Fatalf("observatory.json: %v\n%s", err, r.body)
		}
		return m
	}
	if m := obs(); m["schema"] != "vigie/observatory/v1" || m["systems"] != 2.0 || m["sections"] != 2.0 || m["jobs"].(map[string]any)["posts_cut"] != 24.0 {
		t.Errorf("observatory: systems %v sections %v jobs %v", m["systems"], m["sections"], m["jobs"])
	}
	page := e.get(f+"/observatory", cookies["fed"])
	if !strings.Contains(page.body, "<svg") || !strings.Contains(page.body, `id="obs-vendors"`) || strings.Contains(page.body, "Système section") || strings.Contains(page.body, canary) {
		t.Errorf("observatory page: charts, vendor table, and nothing of the section-only system nor private fields")
	}
	if today := vigie.DateInFrance(time.Now()); !strings.Contains(page.body, today.Words("fr")) || strings.Contains(page.body, today.String()) {
		t.Errorf("observatory page: the date is not written in words (%s)", today.Words("fr"))
	}

	// Open data, without login.
	for who := range cookies {
		check("GET", "/open/"+orgA.ID, who, 200)
	}
	check("GET", "/open/"+vigie.SharingSection, "anonymous", 404)
	open := e.get("/open/"+orgA.ID, "")
	if !strings.Contains(open.body, "Système public") || strings.Contains(open.body, "Système federation") || strings.Contains(open.body, "Système section") {
		t.Errorf("open data page lists other than the public system")
	}
	files := map[string]string{}
	for _, p := range []string{"systems.csv", "systems.csv?headers=fr", "systems.json"} {
		r := e.get("/open/"+orgA.ID+"/"+p, "")
		if r.status != 200 {
			t.Fatalf("%s: %d", p, r.status)
		}
		files[p] = r.body
	}
	allowed := func(k string) bool { return slices.Contains(ats.Attributes, k) || strings.HasPrefix(k, ats.Prefix) }
	for p, body := range files {
		if strings.Contains(body, canary) || strings.Contains(body, "Dupont") || strings.Contains(body, "Système federation") || strings.Contains(body, "Admin A") {
			t.Errorf("%s leaks a private field or a non-public system", p)
		}
		if !strings.Contains(body, "Planification des tournées public") || strings.Contains(body, "tournées federation") {
			t.Errorf("%s lacks the description written for publication", p)
		}
	}
	if strings.Contains(open.body, canary) || strings.Contains(open.body, "Dupont") {
		t.Error("the open data page shows the section's own description")
	}
	// Without a description written for publication, none is published.
	pub, err := e.db.FindSystemByID(vigie.NewContextWithUser(ctx, adminA), sys[vigie.SharingPublic].ID)
	if err != nil {
		t.Fatal(err)
	}
	pub.System.PublicDescription = ""
	if err := e.db.UpdateSystem(vigie.NewContextWithUser(ctx, adminA), pub); err != nil {
		t.Fatal(err)
	}
	var unwritten struct {
		Systems []map[string]string `json:"systems"`
	}
	if err := json.Unmarshal([]byte(e.get("/open/"+orgA.ID+"/systems.json", "").body), &unwritten); err != nil || len(unwritten.Systems) != 1 {
		t.Fatalf("open data JSON: %v", err)
	}
	if d := unwritten.Systems[0]; d["description"] != "" || d["description_short"] != "" {
		t.Errorf("description published without one written for it: %q / %q", d["description"], d["description_short"])
	}
	// The downloads are heavy ones: beyond the limit, 429 with a
	// Retry-After, and served again once a slot is free.
	release := web.HoldDownloads(e.srv)
	for _, p := range []string{"systems.csv", "systems.json"} {
		if r := e.get("/open/"+orgA.ID+"/"+p, ""); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Errorf("%s with every slot taken: %d, Retry-After %q", p, r.status, r.header.Get("Retry-After"))
		}
	}
	release()
	if r := e.get("/open/"+orgA.ID+"/systems.csv", ""); r.status != http.StatusOK {
		t.Errorf("open data after release: %d", r.status)
	}
	csvBody := files["systems.csv"]
	if !strings.HasPrefix(csvBody, "\ufeff") {
		t.Error("CSV without a byte-order mark")
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("CSV: %d records, %v", len(recs), err)
	}
	for _, k := range recs[0] {
		if !allowed(k) {
			t.Errorf("CSV column %q is neither an ATS attribute nor vigie_", k)
		}
	}
	if !strings.Contains(files["systems.csv?headers=fr"], "Nom;") {
		t.Error("French headers missing")
	}
	var doc struct {
		StandardVersion string              `json:"standard_version"`
		Licence         string              `json:"licence"`
		Producer        string              `json:"producer"`
		LastUpdate      string              `json:"last_update"`
		Systems         []map[string]string `json:"systems"`
	}
	if err := json.Unmarshal([]byte(files["systems.json"]), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.StandardVersion != "0.3.1" || doc.Licence != "etalab-2.0" || doc.Producer != "Section A" || doc.LastUpdate == "" || len(doc.Systems) != 1 {
		t.Errorf("open data JSON: %+v", doc)
	}
	for _, s := range doc.Systems {
		for k := range s {
			if !allowed(k) {
				t.Errorf("JSON key %q is neither an ATS attribute nor vigie_", k)
			}
		}
	}

	// Lowered back to the section: gone at once from the open data, the
	// observatory and the federation's reading.
	cur, _ := e.db.FindSystemByID(ctx, sys[vigie.SharingPublic].ID)
	cur.Sharing = vigie.SharingSection
	if err := e.db.UpdateSystem(vigie.NewContextWithUser(ctx, adminA), cur); err != nil {
		t.Fatal(err)
	}
	if r := e.get("/open/"+orgA.ID+"/systems.json", ""); strings.Contains(r.body, "Système public") {
		t.Error("a system lowered to the section is still in the open data")
	}
	if m := obs(); m["systems"] != 1.0 {
		t.Errorf("after lowering: observatory counts %v systems", m["systems"])
	}
	check("GET", f+"/observatory/systems/"+cur.ID, "fed", 404)
	_ = http.StatusOK
}
