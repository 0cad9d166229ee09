package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

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
