package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/password"
	"github.com/vigie-app/vigie/web"
)

// loginStatus tries to log in with pw and returns the status and the
// session cookie (empty unless the login succeeded).
func (e *env) loginStatus(email, pw string) (int, string) {
	e.t.Helper()
	r := e.post("/login", "", url.Values{"email": {email}, "password": {pw}})
	if r.status != http.StatusSeeOther {
		return r.status, ""
	}
	return r.status, sessionHeader(r)
}

// sessionHeader returns the session cookie set by r, as a Cookie header.
func sessionHeader(r resp) string {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "vigie_session" {
			return c.Name + "=" + c.Value
		}
	}
	return ""
}

var tempPasswordRE = regexp.MustCompile(`<code id="temp-password" class="mono">([^<]+)</code>`)

// TestAccountCreateRoleMatrix: only an admin of the organisation creates an
// account in it (editor and reader 403, an admin of another organisation
// 404); the account and its membership exist together, and the password
// shown once opens the account. On SQLite, and on PostgreSQL when
// VIGIE_TEST_POSTGRES is set.
func TestAccountCreateRoleMatrix(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { accountRoleMatrix(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { accountRoleMatrix(t, newPostgresEnv(t)) })
}

func accountRoleMatrix(t *testing.T, e *env) {
	ctx := context.Background()
	adminA := e.user("admin-a@example.org", "Admin A")
	editorA := e.user("editor-a@example.org", "Editor A")
	readerA := e.user("reader-a@example.org", "Reader A")
	adminB := e.user("admin-b@example.org", "Admin B")
	orgA := e.org(adminA, "Section Alpha Confidentielle")
	e.org(adminB, "Section Beta")
	e.member(orgA, editorA, vigie.RoleEditor)
	e.member(orgA, readerA, vigie.RoleReader)
	path := "/o/" + orgA.ID + "/members/new"
	cookies := map[string]string{
		"admin": e.login(adminA.Email), "editor": e.login(editorA.Email),
		"reader": e.login(readerA.Email), "outsider": e.login(adminB.Email),
	}
	want := map[string]int{"admin": http.StatusCreated, "editor": http.StatusForbidden, "reader": http.StatusForbidden, "outsider": http.StatusNotFound}
	for _, who := range []string{"outsider", "reader", "editor", "admin"} {
		email := "new-by-" + who + "@example.org"
		r := e.post(path, cookies[who], url.Values{"name": {"Nouveau " + who}, "email": {email}, "role": {"editor"}})
		if r.status != want[who] {
			t.Errorf("%s POST %s: status %d, want %d\n%.400s", who, path, r.status, want[who], r.body)
		}
		u, err := e.db.FindUserByEmail(ctx, email)
		if who != "admin" {
			if vigie.ErrorCode(err) != vigie.ENOTFOUND {
				t.Errorf("%s created an account: %+v %v", who, u, err)
			}
			if strings.Contains(r.body, "temp-password") {
				t.Errorf("%s: a password is shown", who)
			}
			continue
		}
		if err != nil {
			t.Fatalf("the admin's account is not stored: %v", err)
		}
		if role, ok := u.RoleIn(orgA.ID); !ok || role != vigie.RoleEditor || len(u.Memberships) != 1 {
			t.Errorf("new account's memberships: %+v", u.Memberships)
		}
		m := tempPasswordRE.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no temporary password on the page:\n%s", r.body)
		}
		pw := html.UnescapeString(m[1])
		if password.Check(pw) != nil || !password.Verify(u.PasswordHash, pw) {
			t.Errorf("the password shown (%q) does not open the account", pw)
		}
		if r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("the page with the password may be cached: %q", r.header.Get("Cache-Control"))
		}
		if st, c := e.loginStatus(email, pw); st != http.StatusSeeOther || c == "" {
			t.Errorf("login with the temporary password: %d", st)
		}
		// Shown once: the members page does not show it again.
		if page := e.get("/o/"+orgA.ID+"/members", cookies["admin"]); strings.Contains(page.body, pw) || !strings.Contains(page.body, "Nouveau admin") {
			t.Errorf("members page after creation: password shown again, or the new member missing")
		}
	}
	// The outsider cannot probe addresses of A: an existing one is 404 too,
	// with nothing of A in the page.
	r := e.post(path, cookies["outsider"], url.Values{"name": {"X"}, "email": {"reader-a@example.org"}, "role": {"reader"}})
	if r.status != http.StatusNotFound || strings.Contains(r.body, "Alpha") || strings.Contains(r.body, "existe déjà") {
		t.Errorf("outsider with an existing address: %d\n%.300s", r.status, r.body)
	}
	// Every logged-in user has an account page; a visitor is sent to log in.
	for who, c := range cookies {
		if r := e.get("/account", c); r.status != http.StatusOK || !strings.Contains(r.body, `id="password-form"`) {
			t.Errorf("%s GET /account: %d", who, r.status)
		}
	}
	if r := e.get("/account", ""); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Errorf("anonymous GET /account: %d %s", r.status, r.header.Get("Location"))
	}
	for _, p := range []string{"/account/password", "/account/lang", path} {
		if r := e.post(p, "", url.Values{"lang": {"en"}}); r.status != http.StatusUnauthorized {
			t.Errorf("anonymous POST %s: %d", p, r.status)
		}
	}
}

// TestAccountCreateInput: bad input names the field and stores nothing; an
// address that has an account gets a message that reveals no more than the
// members form; a password typed by the admin is used as given.
func TestAccountCreateInput(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.user("admin@example.org", "Alice Admin")
	other := e.user("bob@example.org", "Bob Secret-Name")
	org := e.org(admin, "Section Alpha")
	e.org(other, "Section Cachée")
	c := e.login(admin.Email)
	path := "/o/" + org.ID + "/members/new"
	cases := []struct {
		form  url.Values
		field string
	}{
		{url.Values{"name": {""}, "email": {"n1@example.org"}, "role": {"reader"}}, "a-name"},
		{url.Values{"name": {"N"}, "email": {"pas-une-adresse"}, "role": {"reader"}}, "a-email"},
		{url.Values{"name": {"N"}, "email": {"n3@example.org"}, "role": {"boss"}}, "a-role"},
		{url.Values{"name": {"N"}, "email": {"n4@example.org"}, "role": {"reader"}, "password": {"zq7k"}}, "a-password"},
	}
	for _, tc := range cases {
		r := e.post(path, c, tc.form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="`+tc.field+`-err"`) {
			t.Errorf("%v: status %d, want 422 with %s-err\n%.500s", tc.form, r.status, tc.field, r.body)
		}
		if strings.Contains(r.body, "zq7k") {
			t.Errorf("the typed password is echoed back")
		}
		if _, err := e.db.FindUserByEmail(ctx, tc.form.Get("email")); vigie.ErrorCode(err) != vigie.ENOTFOUND {
			t.Errorf("%v: an account was stored (%v)", tc.form, err)
		}
	}
	// An existing address: 409, the form again, and nothing of the account.
	r := e.post(path, c, url.Values{"name": {"Imposteur"}, "email": {"BOB@example.org"}, "role": {"admin"}, "password": {"un autre mot de passe"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, `id="a-email-err"`) || !strings.Contains(r.body, "un compte existe déjà avec cette adresse") {
		t.Errorf("existing address: %d\n%.500s", r.status, r.body)
	}
	for _, leak := range []string{"Bob Secret-Name", "Section Cachée", "un autre mot de passe"} {
		if strings.Contains(r.body, leak) {
			t.Errorf("the conflict page shows %q", leak)
		}
	}
	bob, err := e.db.FindUserByEmail(ctx, "bob@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if bob.Name != "Bob Secret-Name" || !password.Verify(bob.PasswordHash, testPassword) {
		t.Error("the existing account was changed")
	}
	if _, ok := bob.RoleIn(org.ID); ok {
		t.Error("the existing account was added to the organisation")
	}
	// The invitation form answers the same for an unknown address.
	if r := e.post("/o/"+org.ID+"/invitations", c, url.Values{"email": {"nobody@example.org"}, "role": {"reader"}}); r.status != http.StatusSeeOther {
		t.Errorf("invitation of an unknown address: %d", r.status)
	}
	// A password typed by the admin.
	r = e.post(path, c, url.Values{"name": {"Chloé Lectrice"}, "email": {"chloe@example.org"}, "role": {"reader"}, "password": {"phrase de passe choisie"}})
	if r.status != http.StatusCreated || !strings.Contains(r.body, "phrase de passe choisie") || !strings.Contains(r.body, "Chloé Lectrice") {
		t.Fatalf("typed password: %d\n%.500s", r.status, r.body)
	}
	if st, _ := e.loginStatus("chloe@example.org", "phrase de passe choisie"); st != http.StatusSeeOther {
		t.Errorf("login with the typed password: %d", st)
	}
	// The journal of the organisation names who created the account.
	ev := e.get("/o/"+org.ID+"/events", c)
	if !strings.Contains(ev.body, "Compte créé") || !strings.Contains(ev.body, "Alice Admin") {
		t.Errorf("journal after account creation:\n%s", ev.body)
	}
}

// TestTempPassword checks the shape and the randomness of generated
// passwords.
func TestTempPassword(t *testing.T) {
	re := regexp.MustCompile(`^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){3}$`)
	seen := map[string]bool{}
	for range 200 {
		p := web.TempPassword()
		if !re.MatchString(p) || password.Check(p) != nil {
			t.Fatalf("TempPassword() = %q", p)
		}
		if seen[p] {
			t.Fatalf("TempPassword() repeated %q", p)
		}
		seen[p] = true
	}
}

// TestAccountPassword: the current password is required; a wrong one, a
// short new one or two different ones change nothing (422); a good change
// renews the session token, the new password opens the account and the old
// one no longer does.
func TestAccountPassword(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user("alice@example.org", "Alice")
	e.org(u, "Section")
	c := e.login(u.Email)
	const newPW = "une toute nouvelle phrase"
	bad := []struct {
		form  url.Values
		field string
	}{
		{url.Values{"current": {"pas le bon"}, "password": {newPW}, "password2": {newPW}}, "current"},
		{url.Values{"current": {""}, "password": {newPW}, "password2": {newPW}}, "current"},
		{url.Values{"current": {testPassword}, "password": {"court"}, "password2": {"court"}}, "password"},
		{url.Values{"current": {testPassword}, "password": {newPW}, "password2": {newPW + "!"}}, "password2"},
	}
	for _, tc := range bad {
		r := e.post("/account/password", c, tc.form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="`+tc.field+`-err"`) {
			t.Errorf("%v: %d, want 422 naming %s\n%.500s", tc.form, r.status, tc.field, r.body)
		}
		got, err := e.db.FindUserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PasswordHash != u.PasswordHash {
			t.Fatalf("%v changed the password", tc.form)
		}
	}
	if r := e.post("/account/password", c, bad[0].form); !strings.Contains(r.body, "le mot de passe actuel n&#39;est pas le bon") {
		t.Errorf("wrong current password: no message\n%.500s", r.body)
	}
	// A forged cross-origin POST changes nothing.
	r := e.do(http.MethodPost, "/account/password", c, strings.NewReader(url.Values{"current": {testPassword}, "password": {newPW}, "password2": {newPW}}.Encode()),
		"application/x-www-form-urlencoded", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if r.status != http.StatusForbidden {
		t.Errorf("cross-origin password change: %d", r.status)
	}
	if st, _ := e.loginStatus(u.Email, newPW); st != http.StatusUnauthorized {
		t.Fatalf("the forged change went through: %d", st)
	}

	r = e.post("/account/password", c, url.Values{"current": {testPassword}, "password": {newPW}, "password2": {newPW}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account" {
		t.Fatalf("change: %d %s\n%.500s", r.status, r.header.Get("Location"), r.body)
	}
	renewed := sessionHeader(r)
	if renewed == "" || renewed == c {
		t.Fatalf("the session token was not renewed: %q", renewed)
	}
	// The old token is gone; the new one works and carries the message.
	if r := e.get("/account", c); r.status != http.StatusSeeOther {
		t.Errorf("the old session token still works: %d", r.status)
	}
	if r := e.get("/account", renewed); r.status != http.StatusOK || !strings.Contains(r.body, "Mot de passe changé") {
		t.Errorf("renewed session: %d\n%.500s", r.status, r.body)
	}
	if st, _ := e.loginStatus(u.Email, testPassword); st != http.StatusUnauthorized {
		t.Errorf("the old password still opens the account: %d", st)
	}
	if st, c2 := e.loginStatus(u.Email, newPW); st != http.StatusSeeOther || c2 == "" {
		t.Errorf("the new password does not open the account: %d", st)
	}
}

// TestAccountLang: the language chosen in the account is stored and is the
// default of every later session without a language cookie; the cookie of
// the switch still wins.
func TestAccountLang(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user("alice@example.org", "Alice")
	e.org(u, "Section")
	c := e.login(u.Email)
	if r := e.get("/account", c); !strings.Contains(r.body, `<html lang="fr">`) || !strings.Contains(r.body, `value="fr" checked`) {
		t.Fatalf("account page before: not French\n%.300s", r.body)
	}
	r := e.post("/account/lang", c, url.Values{"lang": {"de"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="lang-err"`) {
		t.Errorf("unknown language: %d", r.status)
	}
	if got, _ := e.db.FindUserByID(ctx, u.ID); got.Lang != "fr" {
		t.Fatalf("Lang = %q after a refused change", got.Lang)
	}
	r = e.post("/account/lang", c, url.Values{"lang": {"en"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("set language: %d\n%.300s", r.status, r.body)
	}
	if !strings.Contains(r.header.Get("Set-Cookie"), "vigie_lang=en") && !strings.Contains(strings.Join(r.header.Values("Set-Cookie"), ";"), "vigie_lang=en") {
		t.Errorf("no language cookie set: %v", r.header.Values("Set-Cookie"))
	}
	if got, _ := e.db.FindUserByID(ctx, u.ID); got.Lang != "en" {
		t.Fatalf("Lang = %q, want en", got.Lang)
	}
	// A new session on another device (no language cookie) is in English.
	c2 := e.login(u.Email)
	page := e.get("/account", c2)
	if !strings.Contains(page.body, `<html lang="en">`) || !strings.Contains(page.body, "My account") || !strings.Contains(page.body, `value="en" checked`) {
		t.Errorf("stored language not used:\n%.500s", page.body)
	}
	// The switch's cookie wins over the account's language.
	if page := e.get("/account", c2+"; vigie_lang=fr"); !strings.Contains(page.body, `<html lang="fr">`) {
		t.Error("the language cookie does not win")
	}
	// Logged out, the account's language no longer applies.
	if page := e.get("/login", ""); !strings.Contains(page.body, `<html lang="fr">`) {
		t.Error("the login page without cookie is not French")
	}
}

// TestJournalNamesActors: the journal page shows who did each action, to
// every member, in both languages; the command line is named as such.
func TestJournalNamesActors(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Alice Admin")
	editor := e.user("editor@example.org", "Édouard Éditeur")
	reader := e.user("reader@example.org", "Rita Lectrice")
	outsider := e.user("out@example.org", "Oscar Dehors")
	org := e.org(admin, "Section Alpha")
	other := e.org(outsider, "Section Beta")
	e.member(org, editor, vigie.RoleEditor)
	e.member(org, reader, vigie.RoleReader)
	e.system(org, "Créé en ligne de commande")
	e.system(other, "Système de Beta")
	ce := e.login(editor.Email)
	if r := e.post("/o/"+org.ID+"/workplaces", ce, url.Values{"name": {"Plateau"}, "kind": {"private"}}); r.status != http.StatusSeeOther {
		t.Fatalf("workplace: %d", r.status)
	}
	if r := e.post("/o/"+other.ID+"/workplaces", e.login(outsider.Email), url.Values{"name": {"Ailleurs"}}); r.status != http.StatusSeeOther {
		t.Fatalf("workplace of B: %d", r.status)
	}
	cr := e.login(reader.Email)
	rows := func(body string) []string {
		_, tbody, _ := strings.Cut(body, "<tbody>")
		tbody, _, _ = strings.Cut(tbody, "</tbody>")
		return strings.Split(tbody, "</tr>")
	}
	fr := e.get("/o/"+org.ID+"/events", cr)
	if fr.status != http.StatusOK {
		t.Fatalf("events: %d", fr.status)
	}
	var byEditor, byAdmin, byOperator bool
	// cell reports whether a cell (labelled for the phone's cards or not)
	// holds exactly text.
	cell := func(row, text string) bool {
		return regexp.MustCompile(`<td[^>]*>` + regexp.QuoteMeta(text) + `</td>`).MatchString(row)
	}
	for _, row := range rows(fr.body) {
		switch {
		case strings.Contains(row, "Lieu de travail créé"):
			byEditor = cell(row, "Édouard Éditeur")
		case strings.Contains(row, "Organisation créée"):
			byAdmin = cell(row, "Alice Admin")
		case strings.Contains(row, "Système créé"):
			byOperator = cell(row, "ligne de commande")
		}
	}
	if !byEditor || !byAdmin || !byOperator {
		t.Errorf("journal rows do not name the actors (editor %v, admin %v, operator %v):\n%s", byEditor, byAdmin, byOperator, fr.body)
	}
	if strings.Contains(fr.body, "Oscar Dehors") || strings.Contains(fr.body, "Ailleurs") {
		t.Error("A's journal shows an action of B")
	}
	en := e.get("/o/"+org.ID+"/events", cr+"; vigie_lang=en")
	if !strings.Contains(en.body, `<th scope="col">Who</th>`) || !cell(en.body, "command line") || !strings.Contains(en.body, "Édouard Éditeur") {
		t.Errorf("English journal:\n%s", en.body)
	}
}

// TestAccountPagesBothLanguages renders the new pages in French and
// English with no message missing.
func TestAccountPagesBothLanguages(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Alice Admin")
	org := e.org(admin, "Section Alpha")
	c := e.login(admin.Email)
	for _, lang := range []string{"fr", "en"} {
		lc := c + "; vigie_lang=" + lang
		pages := map[string]resp{
			"account":  e.get("/account", lc),
			"account!": e.post("/account/password", lc, url.Values{"current": {"x"}}),
			"lang!":    e.post("/account/lang", lc, url.Values{"lang": {"xx"}}),
			"members":  e.get("/o/"+org.ID+"/members", lc),
			"members!": e.post("/o/"+org.ID+"/members/new", lc, url.Values{"role": {"x"}, "password": {"x"}}),
			"created":  e.post("/o/"+org.ID+"/members/new", lc, url.Values{"name": {"N " + lang}, "email": {"n-" + lang + "@example.org"}, "role": {"reader"}}),
			"conflict": e.post("/o/"+org.ID+"/members/new", lc, url.Values{"name": {"N"}, "email": {"n-" + lang + "@example.org"}, "role": {"reader"}}),
			"events":   e.get("/o/"+org.ID+"/events", lc),
		}
		for name, r := range pages {
			if r.status >= 500 || !strings.Contains(r.body, `<html lang="`+lang+`">`) {
				t.Errorf("%s (%s): %d", name, lang, r.status)
			}
			if strings.Contains(r.body, "account.") || strings.Contains(r.body, "nav.account") {
				t.Errorf("%s (%s): a message id shows instead of its text", name, lang)
			}
			if !strings.Contains(r.body, `id="nav-account"`) {
				t.Errorf("%s (%s): no link to the account page", name, lang)
			}
			if bad := unlabelled(r.body); len(bad) > 0 {
				t.Errorf("%s (%s): unlabelled %v", name, lang, bad)
			}
			if strings.Contains(r.body, "<script>") || strings.Contains(r.body, " style=") {
				t.Errorf("%s (%s): inline script or style", name, lang)
			}
		}
	}
	for _, m := range web.MissingMessages() {
		if _, id, _ := strings.Cut(m, ":"); strings.HasPrefix(id, "account.") || id == "nav.account" || id == "event.user.created" {
			t.Errorf("missing message %s", m)
		}
	}
}

// The account-creation form cannot sweep a list of addresses: after
// web.AccountExistsAnswers "already exists" answers, it refuses every address, taken
// or not, before looking, and says to use the invitation form, which stays
// open; another admin is not held back.
func TestAccountCreateBoundsExistenceAnswers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.user("admin@example.org", "Alice Admin")
	admin2 := e.user("admin2@example.org", "Ada Admin")
	org := e.org(admin, "Section Alpha")
	org2 := e.org(admin2, "Section Beta")
	c := e.login(admin.Email)
	path := "/o/" + org.ID + "/members/new"
	taken := make([]string, web.AccountExistsAnswers+1)
	for i := range taken {
		taken[i] = fmt.Sprintf("pris-%d@example.org", i)
		e.user(taken[i], fmt.Sprintf("Pris %d", i))
	}
	for i := 0; i < web.AccountExistsAnswers; i++ {
		if r := e.post(path, c, url.Values{"name": {"N"}, "email": {taken[i]}, "role": {"reader"}}); r.status != http.StatusConflict {
			t.Fatalf("answer %d for a taken address: %d", i+1, r.status)
		}
	}
	for _, addr := range []string{taken[web.AccountExistsAnswers], "libre@example.org"} {
		r := e.post(path, c, url.Values{"name": {"N"}, "email": {addr}, "role": {"reader"}})
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "formulaire « Inviter »") {
			t.Errorf("%s after %d answers: %d (Retry-After %q)\n%.400s", addr, web.AccountExistsAnswers, r.status, r.header.Get("Retry-After"), r.body)
		}
		if strings.Contains(r.body, "un compte existe déjà avec cette adresse") {
			t.Errorf("%s: the refusal still tells whether the address is taken", addr)
		}
	}
	if _, err := e.db.FindUserByEmail(ctx, "libre@example.org"); vigie.ErrorCode(err) != vigie.ENOTFOUND {
		t.Errorf("an account was created while refused (%v)", err)
	}
	if r := e.post("/o/"+org.ID+"/invitations", c, url.Values{"email": {"libre@example.org"}, "role": {"reader"}}); r.status != http.StatusSeeOther {
		t.Errorf("the invitation form after the bound: %d", r.status)
	}
	if r := e.post("/o/"+org2.ID+"/members/new", e.login(admin2.Email), url.Values{"name": {"Nouvelle"}, "email": {"nouvelle@example.org"}, "role": {"reader"}}); r.status != http.StatusCreated {
		t.Errorf("another admin is held back: %d", r.status)
	}
}
