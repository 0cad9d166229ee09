package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// TestLanguageSwitch sets the language cookie and never redirects off site.
func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	u := e.user("alice@example.org", "Alice")
	e.org(u, "Section")
	r := e.get("/lang/en?next=/login", "")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("switch: %d %s", r.status, r.header.Get("Location"))
	}
	var lang *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "vigie_lang" {
			lang = c
		}
	}
	if lang == nil || lang.Value != "en" {
		t.Fatal("no language cookie")
	}
	page := e.get("/login", "vigie_lang=en")
	if !strings.Contains(page.body, `<html lang="en">`) || !strings.Contains(page.body, "Log in") || !strings.Contains(page.body, `href="/lang/fr?next=%2Flogin"`) {
		t.Errorf("English login page:\n%s", page.body)
	}
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		r := e.get("/lang/fr?next="+url.QueryEscape(next), "")
		if r.header.Get("Location") != "/" {
			t.Errorf("next=%q redirects to %q", next, r.header.Get("Location"))
		}
	}
	if r := e.get("/lang/de", ""); r.status != http.StatusNotFound {
		t.Errorf("unknown language: %d", r.status)
	}
}

// TestLiveFilterFragment answers htmx with the results block only, and a
// plain request with the whole page.
func TestLiveFilterFragment(t *testing.T) {
	e := newEnv(t)
	u := e.user("alice@example.org", "Alice")
	org := e.org(u, "Section")
	e.system(org, "Analyse vocale")
	e.system(org, "Planning des tournées")
	c := e.login(u.Email)
	r := e.do("GET", "/o/"+org.ID+"/systems?q=vocale", c, nil, "", "HX-Request", "true", "HX-Target", "results")
	if r.status != 200 || strings.Contains(r.body, "<html") || !strings.Contains(r.body, "Analyse vocale") || strings.Contains(r.body, "Planning") {
		t.Errorf("fragment:\n%s", r.body)
	}
	// Restoring the history asks for the whole page.
	if r := e.do("GET", "/o/"+org.ID+"/systems?q=vocale", c, nil, "", "HX-Request", "true", "HX-Target", "results", "HX-History-Restore-Request", "true"); !strings.Contains(r.body, "<html") {
		t.Error("a history restore got a fragment")
	}
	full := e.get("/o/"+org.ID+"/systems?q=tourn%C3%A9es", c)
	if !strings.Contains(full.body, "<html") || !strings.Contains(full.body, "Planning des tournées") || strings.Contains(full.body, "Analyse vocale") {
		t.Errorf("full page search does not filter")
	}
	// Filters by status and domain.
	r = e.get("/o/"+org.ID+"/systems?status=planned", c)
	if !strings.Contains(r.body, "0 système(s)") {
		t.Errorf("status filter")
	}
	r = e.get("/o/"+org.ID+"/systems?domain=monitoring&status=deployed", c)
	if !strings.Contains(r.body, "2 système(s)") {
		t.Errorf("domain filter: %s", between(r.body, `id="count">`, "<"))
	}
}

// TestEvidence adds a provenance line and uploads a document; both show on
// the system page, the document with its sha256, and download as sent.
func TestEvidence(t *testing.T) {
	e := newEnv(t)
	u := e.user("alice@example.org", "Alice")
	org := e.org(u, "Section")
	rec := e.system(org, "Analyse vocale")
	c := e.login(u.Email)
	base := "/o/" + org.ID + "/systems/" + rec.ID
	r := e.post(base+"/evidence", c, url.Values{"fact": {"capabilities.emotion_recognition"}, "source": {"employer"},
		"document": {"note d'information du 12/02/2026, p. 3"}, "date": {"2026-02-12"}, "version": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("evidence: %d\n%s", r.status, r.body)
	}
	// Bad input names the field and changes nothing.
	for field, form := range map[string]url.Values{
		"fact":   {"fact": {"capabilities.mind_reading"}, "source": {"employer"}, "document": {"x"}, "version": {"2"}},
		"source": {"fact": {"capabilities.profiling"}, "source": {"rumour"}, "document": {"x"}, "version": {"2"}},
		"date":   {"fact": {"capabilities.profiling"}, "source": {"workers"}, "document": {"x"}, "date": {"2026-13-01"}, "version": {"2"}},
	} {
		r := e.post(base+"/evidence", c, form)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("bad %s: %d", field, r.status)
		}
	}
	content := []byte("Procès-verbal de la réunion du CSE du 3 mars 2026")
	sum := sha256.Sum256(content)
	body, ct := multipartBody(t, map[string][]byte{"pv-cse.txt": content}, url.Values{"source": {"workers"}, "date": {"2026-03-03"},
		"facts": {"deployment.staff_body_consulted", "deployment.staff_body_informed"}})
	if r := e.do("POST", base+"/documents", c, body, ct); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", r.status, r.body)
	}
	page := e.get(base+"/t/evidence", c)
	if !strings.Contains(page.body, hex.EncodeToString(sum[:])) || !strings.Contains(page.body, "pv-cse.txt") ||
		!strings.Contains(page.body, "note d&#39;information du 12/02/2026, p. 3") || !strings.Contains(page.body, "3 mars 2026") {
		t.Errorf("evidence tab:\n%s", between(page.body, `<section id="tab-body"`, "</section>"))
	}
	facts := e.get(base, c)
	row := between(facts.body, `id="fact-capabilities.emotion_recognition"`, "</tr>")
	if !strings.Contains(row, "Employeur") || !strings.Contains(row, "12 février 2026") || strings.Contains(row, "2026-02-12") {
		t.Errorf("the fact's row does not show its provenance: %s", row)
	}
	row = between(facts.body, `id="fact-deployment.staff_body_consulted"`, "</tr>")
	if !strings.Contains(row, "pv-cse.txt") {
		t.Errorf("the fact's row does not link its document: %s", row)
	}
	docs, err := e.db.FindDocuments(context.Background(), rec.ID)
	if err != nil || len(docs) != 1 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	dl := e.get("/o/"+org.ID+"/documents/"+docs[0].ID, c)
	if dl.body != string(content) || !strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment") || dl.header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("download: %q %v", dl.body, dl.header)
	}
	cur, _ := e.db.FindSystemByID(context.Background(), rec.ID)
	if cur.Version != 2 || len(cur.System.Evidence) != 1 {
		t.Errorf("version %d, %d evidence lines; want 2 and 1", cur.Version, len(cur.System.Evidence))
	}
}

// TestMembersAndWorkplaces manages members and workplaces, and names the
// field of bad input.
func TestMembersAndWorkplaces(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	bob := e.user("bob@example.org", "Bob")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)
	o := "/o/" + org.ID
	if r := e.post(o+"/invitations", c, url.Values{"email": {"nobody@example.org"}, "role": {"editor"}}); r.status != 303 {
		t.Errorf("invitation of an unknown address: %d", r.status)
	}
	if r := e.post(o+"/invitations", c, url.Values{"email": {"bob@example.org"}, "role": {"boss"}}); r.status != 422 || !strings.Contains(r.body, "Rôle") {
		t.Errorf("bad role: %d", r.status)
	}
	if r := e.post(o+"/invitations", c, url.Values{"email": {"pas une adresse"}, "role": {"editor"}}); r.status != 422 || !strings.Contains(r.body, "Adresse électronique") {
		t.Errorf("bad address: %d", r.status)
	}
	if r := e.post(o+"/invitations", c, url.Values{"email": {"Bob@example.org"}, "role": {"editor"}}); r.status != 303 {
		t.Fatalf("invite bob: %d", r.status)
	}
	invs, err := e.db.MyInvitations(vigie.NewContextWithUser(context.Background(), bob))
	if err != nil || len(invs) != 1 {
		t.Fatalf("bob's invitations: %v %v", invs, err)
	}
	if r := e.post("/invitations/"+invs[0].ID+"/accept", e.login(bob.Email), nil); r.status != 303 || r.header.Get("Location") != o+"/systems" {
		t.Fatalf("bob accepts: %d %s", r.status, r.header.Get("Location"))
	}
	ms, _ := e.db.Members(context.Background(), org.ID)
	role := vigie.Role("")
	for _, m := range ms {
		if m.UserID == bob.ID {
			role = m.Role
		}
	}
	if role != vigie.RoleEditor {
		t.Errorf("bob's role: %q", role)
	}
	// Bob, an editor with no admin role anywhere, may not create an organisation.
	cb := e.login(bob.Email)
	if r := e.get("/orgs/new", cb); r.status != 403 {
		t.Errorf("editor /orgs/new: %d", r.status)
	}
	if r := e.post("/orgs", cb, url.Values{"name": {"Dissidence"}, "kind": {"section"}}); r.status != 403 {
		t.Errorf("editor POST /orgs: %d", r.status)
	}
	// Workplaces.
	if r := e.post(o+"/workplaces", c, url.Values{"name": {""}, "headcount": {"beaucoup"}}); r.status != 422 || !strings.Contains(r.body, `id="wp-name-err"`) || !strings.Contains(r.body, `id="wp-headcount-err"`) {
		t.Errorf("bad workplace: %d", r.status)
	}
	if r := e.post(o+"/workplaces", c, url.Values{"name": {"Plateau de Lyon"}, "kind": {"private"}, "headcount": {"400"}, "staff_body": {"cse"}}); r.status != 303 {
		t.Fatalf("workplace: %d", r.status)
	}
	wps, _ := e.db.FindWorkplaces(context.Background(), org.ID)
	if len(wps) != 1 || wps[0].Headcount != vigie.IntOf(400) || wps[0].StaffBody != "cse" {
		t.Fatalf("workplaces: %+v", wps)
	}
	// A system in that workplace, filtered by it.
	if r := e.post(o+"/systems", c, url.Values{"name": {"Outil"}, "workplace_id": {wps[0].ID}}); r.status != 303 {
		t.Fatalf("system in workplace: %d", r.status)
	}
	if r := e.post(o+"/systems", c, url.Values{"name": {"Outil"}, "workplace_id": {"0190c0de-0000-7000-8000-000000000000"}}); r.status != 422 {
		t.Errorf("system in a foreign workplace: %d", r.status)
	}
	if r := e.get(o+"/systems?workplace="+wps[0].ID, c); !strings.Contains(r.body, "1 système(s)") {
		t.Errorf("workplace filter")
	}
}

// TestNewSystemInWorkplace fills the employer's facts from the workplace,
// and the interface follows the user's language when no switch was used.
func TestNewSystemInWorkplace(t *testing.T) {
	e := newEnv(t)
	u := &vigie.User{Email: "bob@example.org", Name: "Bob", PasswordHash: hash(t, testPassword), Lang: "en"}
	if err := e.db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	org := e.org(u, "Section")
	wp := &vigie.Workplace{OrgID: org.ID, Name: "Hôpital Nord", Kind: "public_hospital", Headcount: vigie.IntOf(2300), StaffBody: "f3sct"}
	if err := e.db.CreateWorkplace(context.Background(), wp); err != nil {
		t.Fatal(err)
	}
	c := e.login(u.Email)
	r := e.get("/o/"+org.ID+"/systems/new?workplace="+wp.ID, c)
	for _, want := range []string{
		`<option value="public_hospital" selected>`, `value="2300"`,
		`name="organisation.staff_bodies" value="f3sct" checked`, `<option value="` + wp.ID + `" selected>`,
		`<html lang="en">`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("new form lacks %s", want)
		}
	}
	// A workplace of no one's: the form is empty.
	r = e.get("/o/"+org.ID+"/systems/new?workplace=nope", c)
	if strings.Contains(r.body, `value="2300"`) {
		t.Error("an unknown workplace filled the form")
	}
}
