package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

func sessionCookie(t *testing.T, r resp) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "vigie_session" {
			return c
		}
	}
	return nil
}

// TestSetupOnlyOnce creates the first admin and organisation, then refuses
// the setup for good.
func TestSetupOnlyOnce(t *testing.T) {
	e := newEnv(t, func(c *web.Config, _ *store.DB) { c.SecureCookies = true })
	if r := e.get("/login", ""); r.status != http.StatusSeeOther || r.header.Get("Location") != "/setup" {
		t.Fatalf("first run: /login → %d %s, want the setup", r.status, r.header.Get("Location"))
	}
	if r := e.get("/setup", ""); r.status != http.StatusOK {
		t.Fatalf("GET /setup: %d", r.status)
	}
	bad := url.Values{"name": {"Alice"}, "email": {"pas-une-adresse"}, "password": {"court"}, "password2": {"court"}, "org_name": {""}, "org_kind": {"section"}}
	r := e.post("/setup", "", bad)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="email-err"`) || !strings.Contains(r.body, `id="password-err"`) || !strings.Contains(r.body, `id="org_name-err"`) {
		t.Errorf("bad setup: %d, fields not named", r.status)
	}
	if n, _ := e.db.CountUsers(context.Background()); n != 0 {
		t.Fatalf("a bad setup created %d users", n)
	}
	good := url.Values{"name": {"Alice"}, "email": {"alice@example.org"}, "password": {testPassword}, "password2": {testPassword}, "org_name": {"Section CGT Lyon"}, "org_kind": {"section"}}
	r = e.post("/setup", "", good)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("setup: %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	pre := sessionCookie(t, r)
	if pre == nil {
		t.Fatal("no session cookie after setup (the flash message lives in it)")
	}
	if !pre.HttpOnly || !pre.Secure || pre.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie attributes: HttpOnly %v Secure %v SameSite %v", pre.HttpOnly, pre.Secure, pre.SameSite)
	}
	// Setup is over: the page and the action are gone.
	if r := e.get("/setup", ""); r.status != http.StatusNotFound {
		t.Errorf("GET /setup after setup: %d", r.status)
	}
	good.Set("email", "mallory@example.org")
	if r := e.post("/setup", "", good); r.status != http.StatusNotFound {
		t.Errorf("POST /setup after setup: %d", r.status)
	}
	if n, _ := e.db.CountUsers(context.Background()); n != 1 {
		t.Errorf("%d users, want 1", n)
	}
	// Log in with the session that holds the flash: the token changes.
	r = e.post("/login", "vigie_session="+pre.Value, url.Values{"email": {"Alice@Example.org "}, "password": {testPassword}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("login: %d", r.status)
	}
	post := sessionCookie(t, r)
	if post == nil || post.Value == pre.Value {
		t.Fatal("the session token was not renewed at login")
	}
	// The admin lands in the register of the new organisation.
	home := e.get("/", "vigie_session="+post.Value)
	if home.status != http.StatusSeeOther || !strings.HasSuffix(home.header.Get("Location"), "/systems") {
		t.Fatalf("home: %d %s", home.status, home.header.Get("Location"))
	}
	reg := e.get(home.header.Get("Location"), "vigie_session="+post.Value)
	if reg.status != 200 || !strings.Contains(reg.body, "Section CGT Lyon") {
		t.Errorf("register: %d", reg.status)
	}
	// Logging out destroys the session: the old cookie no longer works.
	if r := e.post("/logout", "vigie_session="+post.Value, nil); r.status != http.StatusSeeOther {
		t.Errorf("logout: %d", r.status)
	}
	if r := e.get(home.header.Get("Location"), "vigie_session="+post.Value); r.status != http.StatusSeeOther {
		t.Errorf("after logout: %d, want a redirect to the login", r.status)
	}
	// A wrong password is refused without saying whether the account exists.
	r1 := e.post("/login", "", url.Values{"email": {"alice@example.org"}, "password": {"wrong password"}})
	r2 := e.post("/login", "", url.Values{"email": {"nobody@example.org"}, "password": {"wrong password"}})
	if r1.status != http.StatusUnauthorized || r2.status != http.StatusUnauthorized ||
		between(r1.body, `id="login-error">`, "<") != between(r2.body, `id="login-error">`, "<") {
		t.Errorf("failed logins: %d, %d", r1.status, r2.status)
	}
}

// TestLoginRateLimit refuses the attempts over the limit with 429.
func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t, func(c *web.Config, _ *store.DB) { c.LoginLimit = 3 })
	u := e.user("alice@example.org", "Alice")
	e.org(u, "Section")
	var statuses []int
	for i := 0; i < 5; i++ {
		r := e.post("/login", "", url.Values{"email": {"alice@example.org"}, "password": {"guess " + string(rune('a'+i))}})
		statuses = append(statuses, r.status)
	}
	want := []int{401, 401, 401, 429, 429}
	for i := range want {
		if statuses[i] != want[i] {
			t.Fatalf("statuses %v, want %v", statuses, want)
		}
	}
	// Even the right password is refused while limited.
	if r := e.post("/login", "", url.Values{"email": {"alice@example.org"}, "password": {testPassword}}); r.status != http.StatusTooManyRequests {
		t.Errorf("right password while limited: %d", r.status)
	}
	// The setup form is limited by the same rule.
	if r := e.post("/setup", "", url.Values{}); r.status != http.StatusTooManyRequests {
		t.Errorf("setup while limited: %d", r.status)
	}
}

// TestSecurityHeaders checks the headers of pages and static files, and
// that the pages carry no inline script or style.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	u := e.user("alice@example.org", "Alice")
	org := e.org(u, "Section")
	rec := e.system(org, "Outil")
	c := e.login(u.Email)
	for _, p := range []string{"/login", "/o/" + org.ID + "/systems", "/o/" + org.ID + "/systems/" + rec.ID, "/o/" + org.ID + "/systems/new", "/static/vendor/htmx.min.js", "/static/vendor/pico.min.css"} {
		r := e.get(p, c)
		if r.status != 200 && r.status != 303 {
			t.Errorf("%s: %d", p, r.status)
		}
		csp := r.header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", p, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows unsafe code: %q", p, csp)
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: missing nosniff or Referrer-Policy", p)
		}
		if strings.HasPrefix(p, "/o/") {
			for _, bad := range []string{"<script>", "style=\"", " onclick=", " onload=", "<style"} {
				if strings.Contains(r.body, bad) {
					t.Errorf("%s: inline code %q", p, bad)
				}
			}
			for _, cdn := range []string{"https://", "http://"} {
				if strings.Contains(between(r.body, "<head>", "</head>"), cdn) {
					t.Errorf("%s: external resource in <head>", p)
				}
			}
		}
	}
}

// TestRateLimitBehindProxy keys the limit on X-Forwarded-For only when the
// peer is a trusted proxy: otherwise a forged header changes nothing.
func TestRateLimitBehindProxy(t *testing.T) {
	attempt := func(e *env, xff string) int {
		return e.do("POST", "/login", "", strings.NewReader(url.Values{"email": {"x@example.org"}, "password": {"guess"}}.Encode()),
			"application/x-www-form-urlencoded", "X-Forwarded-For", xff).status
	}
	direct := newEnv(t, func(c *web.Config, _ *store.DB) { c.LoginLimit = 2 })
	direct.user("alice@example.org", "Alice")
	got := []int{attempt(direct, "203.0.113.1"), attempt(direct, "203.0.113.2"), attempt(direct, "203.0.113.3")}
	if got[2] != http.StatusTooManyRequests {
		t.Errorf("untrusted X-Forwarded-For escaped the limit: %v", got)
	}
	proxied := newEnv(t, func(c *web.Config, _ *store.DB) {
		c.LoginLimit = 2
		c.TrustedProxies = []string{"127.0.0.0/8", "::1/128"}
	})
	proxied.user("alice@example.org", "Alice")
	got = []int{attempt(proxied, "203.0.113.1"), attempt(proxied, "203.0.113.1"), attempt(proxied, "203.0.113.1"), attempt(proxied, "203.0.113.2")}
	if want := []int{401, 401, 429, 401}; !slices.Equal(got, want) {
		t.Errorf("behind a trusted proxy: %v, want %v", got, want)
	}
	if _, err := web.NewServer(web.Config{Users: proxied.db, Orgs: proxied.db, Workplaces: proxied.db, Systems: proxied.db, Documents: proxied.db,
		Sessions: proxied.db.SessionStore(), TrustedProxies: []string{"10.0.0.0"}}); err == nil || !strings.Contains(err.Error(), "--trusted-proxy") {
		t.Errorf("a bad prefix: %v", err)
	}
}
