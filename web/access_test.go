package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// multipartBody builds a multipart form with files (name → content) under
// the field "file" and the given values.
func multipartBody(t testing.TB, files map[string][]byte, values url.Values) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, content := range files {
		w, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(content)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

const minimalSystemFile = "schema: vigie/system/v1\nname: \"Planificateur importé\"\ndeployment:\n  status: pilot\n"

// TestRoleMatrix checks, for each role in organisation A and for the admin
// of another organisation B, that every route answers the right status and
// that B's admin learns nothing of A; on SQLite, and on PostgreSQL when
// VIGIE_TEST_POSTGRES is set.
func TestRoleMatrix(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { roleMatrix(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { roleMatrix(t, newPostgresEnv(t)) })
}

func roleMatrix(t *testing.T, e *env) {
	ctx := context.Background()
	adminA := e.user("admin-a@example.org", "Admin A")
	editorA := e.user("editor-a@example.org", "Editor A")
	readerA := e.user("reader-a@example.org", "Reader A")
	adminB := e.user("admin-b@example.org", "Admin B")
	newcomer := e.user("newcomer@example.org", "Newcomer")
	orgA := e.org(adminA, "Section Alpha Confidentielle")
	orgB := e.org(adminB, "Section Beta")
	e.member(orgA, editorA, vigie.RoleEditor)
	e.member(orgA, readerA, vigie.RoleReader)
	e.member(orgA, newcomer, vigie.RoleReader)
	// Invitations of A: one to withdraw, one for an address nobody here
	// holds (no one may answer it), one of B.
	invite := func(o *vigie.Organisation, email string) *vigie.Invitation {
		inv, err := e.db.Invite(ctx, o.ID, email, vigie.RoleReader)
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	invRevoke, invOther, invB := invite(orgA, "invitee@example.org"), invite(orgA, "someone-else@example.org"), invite(orgB, "admin-a@example.org")
	secret := e.system(orgA, "Système secret Zorglub")
	sysB := e.system(orgB, "Système de Beta")
	doc := &vigie.Document{OrgID: orgA.ID, SystemID: secret.ID, Name: "note-zorglub.txt", MediaType: "text/plain", Source: "employer"}
	if err := e.db.CreateDocument(ctx, doc, []byte("note confidentielle")); err != nil {
		t.Fatal(err)
	}
	toDelete := map[string]*vigie.SystemRecord{}
	for _, who := range []string{"admin", "editor", "reader", "outsider"} {
		toDelete[who] = e.system(orgA, "À supprimer par "+who)
	}

	a := "/o/" + orgA.ID
	version := func() string {
		r, err := e.db.FindSystemByID(ctx, secret.ID)
		if err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(r.Version)
	}
	type route struct {
		method, path string
		body         func(who string) (string, string) // body, content type
		want         map[string]int                    // by role; the outsider always gets 404
	}
	all := func(s int) map[string]int { return map[string]int{"admin": s, "editor": s, "reader": s} }
	edit := func(ok int) map[string]int { return map[string]int{"admin": ok, "editor": ok, "reader": 403} }
	adm := func(ok int) map[string]int { return map[string]int{"admin": ok, "editor": 403, "reader": 403} }
	form := func(v url.Values) func(string) (string, string) {
		return func(string) (string, string) { return v.Encode(), "application/x-www-form-urlencoded" }
	}
	routes := []route{
		{"GET", a + "/", nil, all(303)},
		{"GET", a + "/systems", nil, all(200)},
		{"GET", a + "/systems?q=secret&status=deployed", nil, all(200)},
		{"GET", a + "/systems/new", nil, edit(200)},
		{"POST", a + "/systems", form(url.Values{"name": {"Nouveau système"}}), edit(303)},
		{"GET", a + "/systems/" + secret.ID, nil, all(200)},
		{"GET", a + "/systems/" + secret.ID + "/t/history", nil, all(200)},
		{"GET", a + "/systems/" + secret.ID + "/t/evidence", nil, all(200)},
		{"GET", a + "/systems/" + secret.ID + "/export.yaml", nil, all(200)},
		{"GET", a + "/systems/" + secret.ID + "/export.json", nil, all(200)},
		{"GET", a + "/documents/" + doc.ID, nil, all(200)},
		{"GET", a + "/systems/" + secret.ID + "/edit", nil, edit(200)},
		{"POST", a + "/systems/" + secret.ID, func(who string) (string, string) {
			return url.Values{"name": {"Système secret Zorglub"}, "vendor": {"par " + who}, "version": {version()}}.Encode(), "application/x-www-form-urlencoded"
		}, edit(303)},
		{"POST", a + "/systems/" + secret.ID + "/evidence", func(who string) (string, string) {
			return url.Values{"fact": {"deployment.status"}, "source": {"workers"}, "document": {"vu par " + who}, "version": {version()}}.Encode(), "application/x-www-form-urlencoded"
		}, edit(303)},
		{"POST", a + "/systems/" + secret.ID + "/documents", func(who string) (string, string) {
			b, ct := multipartBody(t, map[string][]byte{"pv.txt": []byte("procès-verbal")}, url.Values{"source": {"employer"}, "facts": {"deployment.status"}})
			return b.String(), ct
		}, edit(303)},
		{"GET", a + "/import", nil, edit(200)},
		{"POST", a + "/import", func(string) (string, string) {
			b, ct := multipartBody(t, map[string][]byte{"s.yaml": []byte(minimalSystemFile)}, nil)
			return b.String(), ct
		}, edit(303)},
		{"GET", a + "/export.csv", nil, all(200)},
		{"GET", a + "/export.json", nil, all(200)},
		{"GET", a + "/events", nil, all(200)},
		{"GET", a + "/systems/" + secret.ID + "/delete", nil, edit(200)},
		{"GET", a + "/workplaces", nil, all(200)},
		{"POST", a + "/workplaces", func(who string) (string, string) {
			return url.Values{"name": {"Établissement de " + who}, "kind": {"private"}}.Encode(), "application/x-www-form-urlencoded"
		}, edit(303)},
		{"GET", a + "/members", nil, adm(200)},
		{"POST", a + "/members", form(url.Values{"user_id": {newcomer.ID}, "role": {"editor"}}), adm(303)},
		{"POST", a + "/members", form(url.Values{"user_id": {adminB.ID}, "role": {"editor"}}), adm(404)},
		{"POST", a + "/invitations", form(url.Values{"email": {"new-invitee@example.org"}, "role": {"reader"}}), adm(303)},
		{"POST", a + "/invitations/" + invRevoke.ID + "/revoke", form(url.Values{}), adm(303)},
		{"POST", a + "/invitations/" + invB.ID + "/revoke", form(url.Values{}), adm(404)},
		{"POST", "/invitations/" + invOther.ID + "/accept", form(url.Values{}), nil},
		{"POST", "/invitations/" + invOther.ID + "/decline", form(url.Values{}), nil},
		{"POST", a + "/members/remove", form(url.Values{"user_id": {newcomer.ID}}), adm(303)},
		{"GET", a + "/systems/" + sysB.ID, nil, all(404)},
		{"GET", a + "/systems/" + sysB.ID + "/export.yaml", nil, all(404)},
		{"GET", "/o/" + orgB.ID + "/systems", nil, all(404)},
	}
	cookies := map[string]string{
		"admin": e.login(adminA.Email), "editor": e.login(editorA.Email),
		"reader": e.login(readerA.Email), "outsider": e.login(adminB.Email),
	}
	countA := func() int {
		_, n, err := e.db.FindSystems(ctx, vigie.SystemFilter{OrgID: orgA.ID})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, who := range []string{"outsider", "reader", "editor", "admin"} {
		before := countA()
		for _, rt := range routes {
			want, ok := rt.want[who]
			if !ok {
				want = http.StatusNotFound
			}
			if who == "outsider" && strings.HasPrefix(rt.path, "/o/"+orgB.ID) {
				want = http.StatusOK
			}
			var r resp
			if rt.method == "GET" {
				r = e.get(rt.path, cookies[who])
			} else {
				body, ct := rt.body(who)
				r = e.do("POST", rt.path, cookies[who], strings.NewReader(body), ct)
			}
			if r.status != want {
				t.Errorf("%s %s %s: status %d, want %d\n%.400s", who, rt.method, rt.path, r.status, want, r.body)
			}
			if who == "outsider" {
				for _, secretText := range []string{"Zorglub", "Alpha Confidentielle", "confidentielle"} {
					if strings.Contains(r.body, secretText) {
						t.Errorf("outsider %s %s: the body leaks %q", rt.method, rt.path, secretText)
					}
				}
			}
		}
		// Deleting, last.
		del := e.post(a+"/systems/"+toDelete[who].ID+"/delete", cookies[who], nil)
		wantDel := map[string]int{"admin": 303, "editor": 303, "reader": 403, "outsider": 404}[who]
		if del.status != wantDel {
			t.Errorf("%s delete: status %d, want %d", who, del.status, wantDel)
		}
		after := countA()
		switch who {
		case "outsider", "reader":
			if after != before {
				t.Errorf("%s changed the register of A: %d systems, then %d", who, before, after)
			}
		default: // one created by the form, one imported, one deleted
			if after != before+1 {
				t.Errorf("%s: %d systems, then %d; want +1", who, before, after)
			}
		}
	}
	// B's admin cannot withdraw A's invitation through B's URL, nor accept
	// B's invitation of A's admin; that admin could, and did not.
	if r := e.post("/o/"+orgB.ID+"/invitations/"+invOther.ID+"/revoke", cookies["outsider"], nil); r.status != 404 {
		t.Errorf("A's invitation withdrawn through B's URL: %d", r.status)
	}
	if r := e.post("/invitations/"+invB.ID+"/accept", cookies["outsider"], nil); r.status != 404 {
		t.Errorf("B's admin accepts an invitation of another address: %d", r.status)
	}
	if invs, err := e.db.Invitations(ctx, orgA.ID); err != nil || len(invs) != 2 {
		t.Errorf("A's pending invitations: %v %v (want the one to someone-else and the admin's new one)", invs, err)
	}
	if _, ok := func() (vigie.Role, bool) { u, _ := e.db.FindUserByID(ctx, adminB.ID); return u.RoleIn(orgA.ID) }(); ok {
		t.Errorf("B's admin became a member of A")
	}
	// The outsider's own system is invisible from A's URLs and the reverse.
	if r := e.get("/o/"+orgB.ID+"/systems/"+secret.ID, cookies["outsider"]); r.status != 404 || strings.Contains(r.body, "Zorglub") {
		t.Errorf("A's system through B's URL: %d", r.status)
	}
	// The same answer for an id that exists elsewhere and one that does not.
	r1 := e.get(a+"/systems/"+sysB.ID, cookies["admin"])
	r2 := e.get(a+"/systems/0190c0de-0000-7000-8000-000000000000", cookies["admin"])
	msg := func(body string) string {
		_, after, _ := strings.Cut(body, `<p id="error-message">`)
		m, _, _ := strings.Cut(after, "</p>")
		return m
	}
	if r1.status != r2.status || msg(r1.body) != msg(r2.body) || msg(r1.body) == "" {
		t.Errorf("another organisation's system and a missing one answer differently: %d vs %d", r1.status, r2.status)
	}
	// Without a session: pages redirect to the login, actions are refused.
	if r := e.get(a+"/systems", ""); r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Errorf("anonymous GET: %d %s", r.status, r.header.Get("Location"))
	}
	if r := e.post(a+"/systems", "", url.Values{"name": {"x"}}); r.status != 401 {
		t.Errorf("anonymous POST: %d", r.status)
	}
	// History records who changed what, with the previous value.
	h, err := e.db.SystemHistory(ctx, secret.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range h {
		if c.Fact == "vendor" && c.New == "par admin" && c.Old == "par editor" && c.UserID == adminA.ID {
			found = true
		}
	}
	if !found {
		t.Errorf("history has no change of vendor from %q to %q by the admin: %+v", "par editor", "par admin", h)
	}
	page := e.get(a+"/systems/"+secret.ID+"/t/history", cookies["reader"])
	if !strings.Contains(page.body, "par editor") || !strings.Contains(page.body, "Admin A") {
		t.Errorf("the history page does not show the previous value and who changed it")
	}
	_ = fmt.Sprint
}
