package web_test

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

// withHost sends a request with the given Host header.
func (e *env) withHost(method, path, host string, form url.Values) (int, http.Header) {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Host = host
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://"+host)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, res.Header
}

// TestHostCheckStopsDNSRebinding: on a fresh instance, a POST to /setup
// whose Host is a foreign name (an attacker's domain made to resolve to
// 127.0.0.1) creates nothing; IP addresses, localhost and the configured
// public host are answered.
func TestHostCheckStopsDNSRebinding(t *testing.T) {
	e := newEnv(t, func(c *web.Config, _ *store.DB) { c.PublicURL = "https://vigie.example.org" })
	setup := url.Values{"name": {"Mallory"}, "email": {"mallory@example.org"}, "password": {"un mot de passe long"},
		"password2": {"un mot de passe long"}, "org_name": {"Prise"}, "org_kind": {"section"}}
	for _, host := range []string{"rebind.attacker.example", "rebind.attacker.example:8080", "127.0.0.1.attacker.example", "localhost.attacker.example"} {
		if st, _ := e.withHost(http.MethodPost, "/setup", host, setup); st != http.StatusMisdirectedRequest {
			t.Errorf("POST /setup with Host %s: %d, want 421", host, st)
		}
		if st, _ := e.withHost(http.MethodGet, "/login", host, nil); st != http.StatusMisdirectedRequest {
			t.Errorf("GET /login with Host %s: %d, want 421", host, st)
		}
	}
	if users, err := e.db.ListUsers(context.Background()); err != nil || len(users) != 0 {
		t.Fatalf("accounts created through a foreign host: %d %v", len(users), err)
	}
	for _, host := range []string{"127.0.0.1", "localhost:8080", "[::1]:8080", "192.168.1.20", "vigie.example.org", "VIGIE.example.org."} {
		if st, _ := e.withHost(http.MethodGet, "/setup", host, nil); st != http.StatusOK {
			t.Errorf("GET /setup with Host %s: %d, want 200", host, st)
		}
	}
}

// TestHSTS: Strict-Transport-Security over TLS, or behind a trusted proxy
// that says https; never on plain http, nor on a header from anyone else.
func TestHSTS(t *testing.T) {
	plain := newEnv(t)
	if r := plain.do(http.MethodGet, "/login", "", nil, "", "X-Forwarded-Proto", "https"); r.header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS on plain http from an untrusted peer saying https")
	}
	proxied := newEnv(t, func(c *web.Config, _ *store.DB) { c.TrustedProxies = []string{"127.0.0.0/8", "::1/128"} })
	if r := proxied.do(http.MethodGet, "/login", "", nil, "", "X-Forwarded-Proto", "https"); !strings.Contains(r.header.Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS behind a trusted proxy saying https")
	}
	if r := proxied.do(http.MethodGet, "/login", "", nil, ""); r.header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS behind a trusted proxy saying nothing")
	}
	db, err := store.Open(context.Background(), t.TempDir()+"/vigie.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := web.NewServer(web.Config{Users: db, Orgs: db, Workplaces: db, Systems: db, Documents: db, Events: db,
		Sessions: db.SessionStore(), SecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv.Handler())
	defer ts.Close()
	c := ts.Client()
	c.Transport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	res, err := c.Get(ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if !strings.Contains(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS over TLS")
	}
}

// TestStaticNoListing: a directory under /static/ is not listed; files are
// served, to HEAD too.
func TestStaticNoListing(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/static/", "/static/vendor", "/static/vendor/", "/static//", "/static/vendor/../"} {
		if r := e.get(p, ""); r.status == http.StatusOK || strings.Contains(r.body, "<a href") {
			t.Errorf("GET %s: %d, a listing:\n%s", p, r.status, Clip(r.body))
		}
	}
	if r := e.get("/static/vigie.css", ""); r.status != http.StatusOK {
		t.Errorf("GET /static/vigie.css: %d", r.status)
	}
	if r := e.do(http.MethodHead, "/static/vigie.css", "", nil, ""); r.status != http.StatusOK || r.body != "" {
		t.Errorf("HEAD /static/vigie.css: %d %q", r.status, Clip(r.body))
	}
}

// TestHeadOnlyWhereHarmless: HEAD on any page of the application is 405
// (the handler does not run), except static files and the health check.
func TestHeadOnlyWhereHarmless(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	rec := e.system(org, "Outil")
	c := e.login(admin.Email)
	before := e.eventCount(org)
	n := 0
	for _, rt := range e.srv.Routes() {
		if rt.Method != http.MethodGet || strings.HasPrefix(rt.Pattern, "/static/") || rt.Pattern == "/healthz" {
			continue
		}
		p := fillRoute(rt.Pattern, org, rec)
		if r := e.do(http.MethodHead, p, c, nil, ""); r.status != http.StatusMethodNotAllowed {
			t.Errorf("HEAD %s: %d, want 405", p, r.status)
		}
		n++
	}
	if n < 20 {
		t.Fatalf("only %d GET routes found", n)
	}
	if r := e.do(http.MethodHead, "/healthz", "", nil, ""); r.status != http.StatusOK {
		t.Errorf("HEAD /healthz: %d", r.status)
	}
	if after := e.eventCount(org); after != before {
		t.Errorf("HEAD requests wrote %d journal events", after-before)
	}
}

// fillRoute puts real values into a chi pattern.
func fillRoute(p string, org *vigie.Organisation, rec *vigie.SystemRecord) string {
	p = strings.TrimSuffix(p, "/*")
	r := strings.NewReplacer("{org}", org.ID, "{id}", rec.ID, "{tab}", "facts", "{format}", "json", "{lang}", "fr",
		"{report}", "x", "{doc}", "x", "{action}", "x", "{token}", "x")
	p = r.Replace(p)
	for strings.Contains(p, "{") { // a parameter of a page added later
		i, j := strings.Index(p, "{"), strings.Index(p, "}")
		if j < i {
			break
		}
		p = p[:i] + "x" + p[j+1:]
	}
	return p
}

// eventCount is the number of journal events of the organisation.
func (e *env) eventCount(o *vigie.Organisation) int {
	e.t.Helper()
	ev, err := e.db.FindEvents(context.Background(), o.ID, 100000)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(ev)
}

// TestGetNeverWrites: every GET page of the application, opened by an
// admin (who may write everything), adds no journal event and keeps no
// report; the Évaluation tab computes the assessment and stores nothing
// until the editor keeps it with a POST.
func TestGetNeverWrites(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	rec := e.system(org, "Outil")
	c := e.login(admin.Email)
	ctx := vigie.NewContextWithUser(context.Background(), admin)
	before := e.eventCount(org)
	for _, rt := range e.srv.Routes() {
		if rt.Method != http.MethodGet || strings.HasPrefix(rt.Pattern, "/static/") {
			continue
		}
		e.get(fillRoute(rt.Pattern, org, rec), c)
	}
	for _, tab := range []string{"evaluation", "facts", "evidence", "history", "actions", "environment", "audit"} {
		e.get("/o/"+org.ID+"/systems/"+rec.ID+"/t/"+tab, c)
		// A cross-site top-level navigation, as a link on another site.
		e.do(http.MethodGet, "/o/"+org.ID+"/systems/"+rec.ID+"/t/"+tab, c, nil, "", "Sec-Fetch-Site", "cross-site")
	}
	if after := e.eventCount(org); after != before {
		evs, _ := e.db.FindEvents(context.Background(), org.ID, 10)
		t.Errorf("GET requests wrote %d journal events: %+v", after-before, evs[0])
	}
	reps, err := e.db.FindReports(ctx, rec.ID, vigie.ReportAssessment)
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 0 {
		t.Errorf("GET requests kept %d assessments", len(reps))
	}
}
