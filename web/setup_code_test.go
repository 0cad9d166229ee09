package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

// TestSetupCode: with a setup code (what vigie serve gives a fresh
// instance), /setup creates nothing without it or with a wrong one, even
// from an accepted host, and the link printed at start fills it in.
func TestSetupCode(t *testing.T) {
	code := web.TempPassword()
	e := newEnv(t, func(c *web.Config, _ *store.DB) { c.SetupCode = code })
	form := url.Values{"name": {"Alice"}, "email": {"alice@example.org"}, "password": {testPassword}, "password2": {testPassword},
		"org_name": {"Section"}, "org_kind": {"section"}}
	for _, c := range []string{"", "abcd-efgh-ijkm-npqr", code + "x"} {
		form.Set("setup_code", c)
		if r := e.post("/setup", "", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="setup_code-err"`) {
			t.Errorf("code %q: %d", c, r.status)
		}
	}
	if n, _ := e.db.CountUsers(context.Background()); n != 0 {
		t.Fatalf("%d accounts created without the code", n)
	}
	if r := e.get("/setup?code="+code, ""); !strings.Contains(r.body, `value="`+code+`"`) {
		t.Errorf("the link does not fill the code in")
	}
	form.Set("setup_code", " "+strings.ToUpper(code)+" ")
	if r := e.post("/setup", "", form); r.status != http.StatusSeeOther {
		t.Fatalf("the right code: %d\n%.500s", r.status, r.body)
	}
	// Without a code configured (a server built in a program), none is asked.
	e2 := newEnv(t)
	if r := e2.get("/setup", ""); strings.Contains(r.body, "setup_code") {
		t.Error("a code is asked for with none configured")
	}
}
