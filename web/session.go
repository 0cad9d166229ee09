package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vigie-app/vigie"
)

// sessionPassword is the session key of the stamp of the password the
// session was opened with.
const sessionPassword = "password_stamp"

// passwordStamp is a short digest of a password hash: a session opened with
// another password than the account's current one is over.
func passwordStamp(hash string) string {
	sum := sha256.Sum256([]byte("vigie session\x00" + hash))
	return hex.EncodeToString(sum[:12])
}

// startSession puts the user and the stamp of their password in the
// session (after RenewToken).
func (s *Server) startSession(r *http.Request, u *vigie.User) {
	s.sessions.Put(r.Context(), sessionUserID, u.ID)
	s.sessions.Put(r.Context(), sessionPassword, passwordStamp(u.PasswordHash))
}

// requirePasswordChange keeps a user whose password was chosen by someone
// else on the account page until they choose their own: any other page
// sends them there (a form is refused).
func (s *Server) requirePasswordChange(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		if u == nil || !u.MustChangePassword || r.URL.Path == "/account" || r.URL.Path == "/account/password" ||
			r.URL.Path == "/logout" || strings.HasPrefix(r.URL.Path, "/lang/") {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet {
			s.setFlash(r, "account.must_change")
			http.Redirect(w, r, "/account", http.StatusSeeOther)
			return
		}
		s.fail(w, r, vigie.Errorf(vigie.EFORBIDDEN, "choisissez d'abord votre propre mot de passe (Mon compte) / choose your own password first (My account)"))
	})
}

// Per-account login throttling: after accountFailures failed logins for one
// address within accountWindow, that address is refused until the window
// passes, from whatever client address the attempts come (the per-client
// limit stops one machine; this stops many machines against one account).
const (
	accountFailures = 10
	accountWindow   = 15 * time.Minute
)

type accountLimiter struct {
	mu    sync.Mutex
	fails map[string][]time.Time
	now   func() time.Time
}

func newAccountLimiter() *accountLimiter {
	return &accountLimiter{fails: map[string][]time.Time{}, now: time.Now}
}

// recent drops the failures of email older than the window; mu is held.
func (l *accountLimiter) recent(email string) []time.Time {
	cut := l.now().Add(-accountWindow)
	ts := l.fails[email]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, email)
	} else {
		l.fails[email] = ts
	}
	return ts
}

func (l *accountLimiter) allow(email string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(email)) < accountFailures
}

func (l *accountLimiter) fail(email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.recent(email)
	l.fails[email] = append(ts, l.now())
	if len(l.fails) > 100000 {
		// Bounded memory under a spray of addresses: forget the oldest half.
		for k := range l.fails {
			delete(l.fails, k)
			if len(l.fails) < 50000 {
				break
			}
		}
	}
}

func (l *accountLimiter) reset(email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, email)
}
