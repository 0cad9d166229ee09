package web_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

// countingStore counts the writes of sessions.
type countingStore struct {
	scs.Store
	commits atomic.Int64
}

func (c *countingStore) Commit(token string, b []byte, expiry time.Time) error {
	c.commits.Add(1)
	return c.Store.Commit(token, b, expiry)
}

// TestSessionWrites checks that browsing does not write the session back
// on every request, and that a session unused for two hours ends.
func TestSessionWrites(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	defer web.SetSessionClock(func() time.Time { return now })()
	var cs *countingStore
	e := newEnv(t, func(cfg *web.Config, db *store.DB) {
		cs = &countingStore{Store: db.SessionStore()}
		cfg.Sessions = cs
	})
	u := e.user("alice@example.org", "Alice")
	org := e.org(u, "Section")
	e.system(org, "Analyse vocale")
	c := e.login(u.Email)
	page := "/o/" + org.ID + "/systems"
	if r := e.get(page, c); r.status != http.StatusOK {
		t.Fatalf("register: %d", r.status)
	}
	base := cs.commits.Load()
	for range 20 {
		now = now.Add(time.Second)
		if r := e.get(page, c); r.status != http.StatusOK {
			t.Fatalf("register: %d", r.status)
		}
	}
	if n := cs.commits.Load() - base; n != 0 {
		t.Fatalf("20 pages wrote the session %d times, want 0", n)
	}
	// Ten minutes on, the last-seen time is written once.
	now = now.Add(10 * time.Minute)
	e.get(page, c)
	e.get(page, c)
	if n := cs.commits.Load() - base; n != 1 {
		t.Fatalf("after ten minutes, %d writes, want 1", n)
	}
	// Under two hours idle, the session lives; over, it ends.
	now = now.Add(2*time.Hour - time.Minute)
	if r := e.get(page, c); r.status != http.StatusOK {
		t.Fatalf("after 1 h 59 idle: %d", r.status)
	}
	now = now.Add(2*time.Hour + time.Minute)
	if r := e.get(page, c); r.status != http.StatusSeeOther {
		t.Fatalf("after 2 h 01 idle: %d, want a redirect to the login page", r.status)
	}
	if r := e.get(page, c); r.status != http.StatusSeeOther {
		t.Fatalf("the ended session came back: %d", r.status)
	}
}
