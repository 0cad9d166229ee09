package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/store"
)

// deviceCookie returns the device cookie set by r, as a Cookie header.
func deviceCookie(r resp) string {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "vigie_device" {
			return c.Name + "=" + c.Value
		}
	}
	return ""
}

func (e *env) try(email, pw, cookie string) resp {
	e.t.Helper()
	return e.post("/login", cookie, url.Values{"email": {email}, "password": {pw}})
}

// TestLoginDeviceCookie: an attacker hammering an address locks out the
// attempts without a device cookie of it (the right password included),
// while its holder, on a browser where they logged in before, still logs
// in; a browser's device cookie is itself limited; a forged cookie, or
// one of another address, counts as none. On both databases.
func TestLoginDeviceCookie(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { loginDeviceCookie(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { loginDeviceCookie(t, newPostgresEnv(t)) })
}

func loginDeviceCookie(t *testing.T, e *env) {
	alice := e.user("alice@example.org", "Alice")
	e.org(alice, "Section")
	bob := e.user("bob@example.org", "Bob")
	e.org(bob, "Section Bob")
	first := e.try(alice.Email, testPassword, "")
	dev := deviceCookie(first)
	if first.status != http.StatusSeeOther || dev == "" {
		t.Fatalf("first login: %d, device cookie %q", first.status, dev)
	}
	// The attacker, without the cookie.
	refused := 0
	for range 15 {
		if r := e.try(alice.Email, "mauvais mot de passe", ""); r.status == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused != 5 {
		t.Errorf("%d of 15 attempts refused, want 5 (after 10 failures)", refused)
	}
	if r := e.try(alice.Email, testPassword, ""); r.status != http.StatusTooManyRequests {
		t.Errorf("the right password without a device cookie while hammered: %d", r.status)
	}
	if r := e.try(alice.Email, testPassword, "vigie_device=forged-token-value"); r.status != http.StatusTooManyRequests {
		t.Errorf("a forged device cookie: %d", r.status)
	}
	// Alice, with her cookie, logs in, and gets a new cookie.
	r := e.try(alice.Email, testPassword, dev)
	if r.status != http.StatusSeeOther {
		t.Fatalf("the holder with a device cookie while hammered: %d", r.status)
	}
	dev2 := deviceCookie(r)
	if dev2 == "" || dev2 == dev {
		t.Errorf("no new device cookie after login: %q", dev2)
	}
	if r := e.try(alice.Email, testPassword, dev); r.status != http.StatusTooManyRequests {
		t.Errorf("the replaced device cookie still counts: %d", r.status)
	}
	// Alice's cookie says nothing for Bob's address.
	for range 10 {
		e.try(bob.Email, "mauvais", dev2)
	}
	if r := e.try(bob.Email, testPassword, ""); r.status != http.StatusTooManyRequests {
		t.Errorf("failures with another address's cookie did not count for Bob: %d", r.status)
	}
	// The cookie is limited too: a thief of the browser gets 10 tries.
	for range 10 {
		if r := e.try(alice.Email, "mauvais", dev2); r.status != http.StatusUnauthorized {
			t.Errorf("a wrong password with the cookie: %d", r.status)
		}
	}
	if r := e.try(alice.Email, testPassword, dev2); r.status != http.StatusTooManyRequests {
		t.Errorf("the device cookie after 10 failures: %d", r.status)
	}
}

// TestLoginThrottleSharedByServers: two servers on one database count the
// same failures (SQLite file, PostgreSQL schema).
func TestLoginThrottleSharedByServers(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "vigie.db")
		loginThrottleShared(t, func() *store.DB {
			db, err := store.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := testenv.PostgresDSN(t)
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		schema := "vigie_thr_" + strings.ReplaceAll(uuid.NewString(), "-", "")
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
		u, _ := url.Parse(dsn)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		loginThrottleShared(t, func() *store.DB {
			db, err := store.Open(context.Background(), u.String())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		})
	})
}

func loginThrottleShared(t *testing.T, open func() *store.DB) {
	one := newEnvDB(t, open())
	two := newEnvDB(t, open())
	alice := one.user("alice@example.org", "Alice")
	one.org(alice, "Section")
	dev := deviceCookie(two.try(alice.Email, testPassword, ""))
	if dev == "" {
		t.Fatal("no device cookie from server two")
	}
	for i := range 10 {
		e := one
		if i%2 == 1 {
			e = two
		}
		if r := e.try(alice.Email, "mauvais", ""); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, r.status)
		}
	}
	for _, e := range []*env{one, two} {
		if r := e.try(alice.Email, testPassword, ""); r.status != http.StatusTooManyRequests {
			t.Errorf("after 5 failures on each server: %d", r.status)
		}
	}
	// The device cookie issued by server two works on server one.
	if r := one.try(alice.Email, testPassword, dev); r.status != http.StatusSeeOther {
		t.Errorf("server two's device cookie on server one: %d", r.status)
	}
}
