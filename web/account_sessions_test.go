package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vigie-app/vigie/password"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

// TestPasswordChangeEndsOtherSessions: a password change on the web ends
// every other session of the account (the laptop left open, a stolen
// cookie); a change from outside the web (the command line's
// set-password, through the store) ends them all.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	e := newEnv(t)
	u := e.user("alice@example.org", "Alice")
	e.org(u, "Section")
	bob := e.user("bob@example.org", "Bob")
	e.org(bob, "Section Bob")
	laptop, phone, mine := e.login(u.Email), e.login(u.Email), e.login(u.Email)
	bobs := e.login(bob.Email)
	const newPW = "une toute nouvelle phrase"
	r := e.post("/account/password", mine, url.Values{"current": {testPassword}, "password": {newPW}, "password2": {newPW}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("change: %d", r.status)
	}
	mine = sessionHeader(r)
	for name, c := range map[string]string{"laptop": laptop, "phone": phone} {
		if r := e.get("/account", c); r.status != http.StatusSeeOther {
			t.Errorf("the %s session survives the password change: %d", name, r.status)
		}
	}
	if r := e.get("/account", mine); r.status != http.StatusOK {
		t.Errorf("the session that changed the password ended: %d", r.status)
	}
	if r := e.get("/account", bobs); r.status != http.StatusOK {
		t.Errorf("another account's session ended: %d", r.status)
	}
	// From the command line: the store changes the hash; every session ends.
	h, err := password.Hash("encore une autre phrase")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetPasswordHash(context.Background(), u.ID, h); err != nil {
		t.Fatal(err)
	}
	if r := e.get("/account", mine); r.status != http.StatusSeeOther {
		t.Errorf("a session survives set-password: %d", r.status)
	}
}

// TestTemporaryPasswordMustBeChanged: an account created by an admin (who
// saw its password) reaches no page but its account until its holder
// chooses a password of their own.
func TestTemporaryPasswordMustBeChanged(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	r := e.post("/o/"+org.ID+"/members/new", e.login(admin.Email), url.Values{"name": {"Nouvelle"}, "email": {"nouvelle@example.org"}, "role": {"editor"}, "password": {testPassword}})
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d", r.status)
	}
	u, err := e.db.FindUserByEmail(context.Background(), "nouvelle@example.org")
	if err != nil || !u.MustChangePassword {
		t.Fatalf("the new account's password is not temporary: %+v %v", u, err)
	}
	r = e.post("/login", "", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {"/o/" + org.ID + "/systems"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account" {
		t.Fatalf("first login: %d → %s", r.status, r.header.Get("Location"))
	}
	c := sessionHeader(r)
	for _, p := range []string{"/", "/o/" + org.ID + "/systems", "/o/" + org.ID + "/systems/new"} {
		if r := e.get(p, c); r.status != http.StatusSeeOther || r.header.Get("Location") != "/account" {
			t.Errorf("GET %s before the change: %d → %s", p, r.status, r.header.Get("Location"))
		}
	}
	if r := e.post("/o/"+org.ID+"/systems", c, url.Values{"name": {"Outil"}}); r.status != http.StatusForbidden {
		t.Errorf("POST before the change: %d", r.status)
	}
	if r := e.get("/account", c); r.status != http.StatusOK {
		t.Fatalf("account page: %d", r.status)
	}
	const mine = "ma propre phrase secrète"
	r = e.post("/account/password", c, url.Values{"current": {testPassword}, "password": {mine}, "password2": {mine}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("change: %d", r.status)
	}
	c = sessionHeader(r)
	if r := e.get("/o/"+org.ID+"/systems", c); r.status != http.StatusOK {
		t.Errorf("after the change: %d", r.status)
	}
	if u, _ := e.db.FindUserByEmail(context.Background(), u.Email); u.MustChangePassword {
		t.Error("still temporary after the change")
	}
}

// TestLoginThrottledPerAccount: failed logins against one address from many
// client addresses (behind a trusted proxy) stop after the per-account
// bound, with the same answer for an address that has no account; another
// account is not affected.
func TestLoginThrottledPerAccount(t *testing.T) {
	e := newEnv(t, func(c *web.Config, _ *store.DB) { c.TrustedProxies = []string{"127.0.0.0/8", "::1/128"} })
	u := e.user("alice@example.org", "Alice")
	e.org(u, "Section")
	bob := e.user("bob@example.org", "Bob")
	e.org(bob, "Section Bob")
	for _, email := range []string{u.Email, "personne@example.org"} {
		got429 := 0
		for i := 0; i < 15; i++ {
			form := url.Values{"email": {email}, "password": {"mauvais mot de passe"}}
			r := e.do(http.MethodPost, "/login", "", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded",
				"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
			if r.status == http.StatusTooManyRequests {
				got429++
			}
		}
		if got429 == 0 || got429 > 6 {
			t.Errorf("%s: %d refusals of 15 attempts from 15 addresses, want 5", email, got429)
		}
	}
	// Even the right password is refused while the address is throttled…
	form := url.Values{"email": {u.Email}, "password": {testPassword}}
	if r := e.do(http.MethodPost, "/login", "", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", "X-Forwarded-For", "198.51.100.7"); r.status != http.StatusTooManyRequests {
		t.Errorf("throttled account, right password: %d", r.status)
	}
	// …and another account logs in.
	if st, _ := e.loginStatus(bob.Email, testPassword); st != http.StatusSeeOther {
		t.Errorf("another account: %d", st)
	}
}
