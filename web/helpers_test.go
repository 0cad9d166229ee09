package web_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/password"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

// env is a running application over a real SQLite store in a temporary
// directory.
type env struct {
	t   testing.TB
	db  *store.DB
	srv *web.Server
	ts  *httptest.Server
}

func newEnv(t testing.TB, opts ...func(*web.Config, *store.DB)) *env {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newEnvDB(t, db, opts...)
}

// newPostgresEnv is newEnv over a fresh schema of the PostgreSQL database
// named by VIGIE_TEST_POSTGRES (skipped, saying so, when it is unset; a
// failure when VIGIE_REQUIRE_SERVICES=1).
func newPostgresEnv(t testing.TB, opts ...func(*web.Config, *store.DB)) *env {
	t.Helper()
	dsn := testenv.PostgresDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "vigie_web_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("VIGIE_TEST_POSTGRES: %v", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	return newEnvDB(t, db, opts...)
}

func newEnvDB(t testing.TB, db *store.DB, opts ...func(*web.Config, *store.DB)) *env {
	t.Helper()
	cfg := web.Config{Users: db, Orgs: db, Workplaces: db, Systems: db, Documents: db, Events: db,
		Reports: db, Actions: db, Calendar: db, Observatory: db, SentLetters: db,
		Sessions: db.SessionStore(), SecureCookies: false, LoginLimit: 1000}
	for _, o := range opts {
		o(&cfg, db)
	}
	srv, err := web.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, db: db, srv: srv, ts: ts}
}

// hashes caches password hashes: argon2id is slow on purpose.
var hashes sync.Map

func hash(t testing.TB, pw string) string {
	if h, ok := hashes.Load(pw); ok {
		return h.(string)
	}
	h, err := password.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	hashes.Store(pw, h)
	return h
}

const testPassword = "correct horse battery"

// user creates an account (as the operator).
func (e *env) user(email, name string) *vigie.User {
	e.t.Helper()
	u := &vigie.User{Email: email, Name: name, PasswordHash: hash(e.t, testPassword), Lang: "fr"}
	if err := e.db.CreateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// org creates an organisation administered by admin.
func (e *env) org(admin *vigie.User, name string) *vigie.Organisation {
	e.t.Helper()
	o := &vigie.Organisation{Name: name, Kind: vigie.OrgSection}
	if err := e.db.CreateOrganisation(vigie.NewContextWithUser(context.Background(), admin), o); err != nil {
		e.t.Fatal(err)
	}
	return o
}

func (e *env) member(o *vigie.Organisation, u *vigie.User, role vigie.Role) {
	e.t.Helper()
	if err := e.db.SetMember(context.Background(), o.ID, u.ID, role); err != nil {
		e.t.Fatal(err)
	}
}

// system records a system in o as the operator.
func (e *env) system(o *vigie.Organisation, name string) *vigie.SystemRecord {
	e.t.Helper()
	r := &vigie.SystemRecord{OrgID: o.ID, System: vigie.System{Schema: vigie.SystemSchema, Name: name,
		Deployment: vigie.Deployment{Status: "deployed", StaffBodyConsulted: vigie.TriFalse},
		Purpose:    vigie.Purpose{Domains: vigie.SetOf("monitoring")}}}
	if err := e.db.CreateSystem(context.Background(), r); err != nil {
		e.t.Fatal(err)
	}
	return r
}

// resp is a response with its body read.
type resp struct {
	status int
	header http.Header
	body   string
}

// do sends a request as a same-origin browser would, with the session
// cookie when given, and does not follow redirects.
func (e *env) do(method, path, cookie string, body io.Reader, contentType string, hdr ...string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method != http.MethodGet {
		req.Header.Set("Origin", e.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp{res.StatusCode, res.Header, string(b)}
}

func (e *env) get(path, cookie string) resp { return e.do(http.MethodGet, path, cookie, nil, "") }

func (e *env) post(path, cookie string, form url.Values) resp {
	return e.do(http.MethodPost, path, cookie, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// login logs in and returns the session cookie to send back.
func (e *env) login(email string) string {
	e.t.Helper()
	r := e.post("/login", "", url.Values{"email": {email}, "password": {testPassword}})
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d: %s", email, r.status, r.body)
	}
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "vigie_session" {
			return c.Name + "=" + c.Value
		}
	}
	e.t.Fatalf("login %s: no session cookie", email)
	return ""
}
