package web

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/mail"
	"slices"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/password"
)

// accountData is the data of the "Mon compte" page.
type accountData struct {
	// Invitations are the pending invitations of the user's address.
	Invitations []*vigie.Invitation
	Lang        string            // the language stored in the account
	Errors      map[string]string // field → message id
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, status int, d *accountData) {
	if d.Lang == "" {
		d.Lang = currentUser(r).Lang
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	invs, err := s.cfg.Orgs.MyInvitations(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Invitations = invs
	s.render(w, r, status, "account", s.page(r, "account.title", d))
}

// handleAccount shows the "Mon compte" page of the logged-in user.
func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	s.accountPage(w, r, http.StatusOK, &accountData{})
}

// handleAccountPassword changes the user's own password: the current one is
// required, the new one twice. The session token is renewed afterwards.
func (s *Server) handleAccountPassword(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	u := currentUser(r)
	cur, pw, pw2 := r.PostForm.Get("current"), r.PostForm.Get("password"), r.PostForm.Get("password2")
	d := &accountData{Errors: map[string]string{}}
	if cur == "" {
		d.Errors["current"] = "err.required"
	} else if !password.Verify(u.PasswordHash, cur) {
		d.Errors["current"] = "account.err.current"
	}
	if password.Check(pw) != nil {
		d.Errors["password"] = "err.password"
	} else if pw != pw2 {
		d.Errors["password2"] = "err.password2"
	}
	if len(d.Errors) > 0 {
		s.accountPage(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	hash, err := password.Hash(pw)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Users.SetPasswordHash(r.Context(), u.ID, hash); err != nil {
		s.fail(w, r, err)
		return
	}
	// A new token: whoever held the old one (a shared computer, a stolen
	// cookie) is logged out.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	// This session goes on with the new password; every other session of
	// the account ends at its next request (loadUser).
	u.PasswordHash = hash
	s.startSession(r, u)
	s.setFlash(r, "account.flash.password")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

// handleAccountLang stores the user's interface language, and sets the
// language cookie so that it applies at once.
func (s *Server) handleAccountLang(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	lang := r.PostForm.Get("lang")
	if !slices.Contains(Langs, lang) {
		s.accountPage(w, r, http.StatusUnprocessableEntity, &accountData{Errors: map[string]string{"lang": "err.choice"}})
		return
	}
	u := currentUser(r)
	if err := s.cfg.Users.SetUserLang(r.Context(), u.ID, lang); err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
	s.setFlash(r, "account.flash.lang")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

// accountForm is the form of the members page that creates an account.
type accountForm struct {
	Name, Email, Role string
	Errors            map[string]string // field → message id
}

// accountCreated is the data of the page shown once after an account is
// created: the only place where the temporary password appears.
type accountCreated struct {
	User      *vigie.User
	Role      vigie.Role
	Password  string
	Generated bool
}

// tempAlphabet has 32 characters that cannot be confused when read aloud
// or copied by hand (no l, o, 0, 1), so that a random byte masked to 5 bits
// picks one uniformly.
const tempAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// TempPassword returns a temporary password of 16 random characters (80
// bits from crypto/rand), in four groups of four: xxxx-xxxx-xxxx-xxxx.
func TempPassword() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(tempAlphabet[c&31])
	}
	return sb.String()
}

// handleMemberCreate creates an account for a new member of the
// organisation (admin only) with a password typed by the admin or
// generated, and shows that password once.
func (s *Server) handleMemberCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	f := &accountForm{
		Name:   strings.TrimSpace(r.PostForm.Get("name")),
		Email:  strings.TrimSpace(strings.ToLower(r.PostForm.Get("email"))),
		Role:   r.PostForm.Get("role"),
		Errors: map[string]string{},
	}
	pw := r.PostForm.Get("password")
	if f.Name == "" {
		f.Errors["name"] = "err.required"
	}
	if _, err := mail.ParseAddress(f.Email); err != nil || !strings.Contains(f.Email, "@") || strings.ContainsAny(f.Email, " <>") {
		f.Errors["email"] = "err.email"
	}
	if !vigie.Role(f.Role).Valid() {
		f.Errors["role"] = "err.choice"
	}
	generated := pw == ""
	if generated {
		pw = TempPassword()
	} else if password.Check(pw) != nil {
		f.Errors["password"] = "err.password"
	}
	if len(f.Errors) > 0 {
		s.membersPage(w, r, http.StatusUnprocessableEntity, &membersData{Role: string(vigie.RoleReader), Account: f})
		return
	}
	probe := "account-exists\x00" + currentUser(r).ID
	if n, err := s.throttle.LoginFailures(r.Context(), probe, existsWindow); err != nil {
		s.fail(w, r, err)
		return
	} else if n >= AccountExistsAnswers {
		// Refused before looking: the answer says nothing of this address.
		w.Header().Set("Retry-After", fmt.Sprint(int(existsWindow.Seconds())))
		s.render(w, r, http.StatusTooManyRequests, "error", errorPage{Status: http.StatusTooManyRequests, Message: s.loc(r).T("account.err.probes", "Max", AccountExistsAnswers)})
		return
	}
	hash, err := password.Hash(pw)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The admin chose or saw the password: its holder changes it first.
	u := &vigie.User{Name: f.Name, Email: f.Email, PasswordHash: hash, MustChangePassword: true}
	if err := s.cfg.Users.CreateAccount(r.Context(), currentOrg(r).ID, u, vigie.Role(f.Role)); err != nil {
		if vigie.ErrorCode(err) == vigie.ECONFLICT {
			// Says what the members form already says: this address has
			// an account. Not whose, nor where.
			if err := s.throttle.AddLoginFailure(r.Context(), probe, failureKeep); err != nil {
				s.fail(w, r, err)
				return
			}
			f.Errors["email"] = "account.err.exists"
			s.membersPage(w, r, http.StatusConflict, &membersData{Role: string(vigie.RoleReader), Email: f.Email, Account: f})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusCreated, "account_created", s.page(r, "account.created.title",
		&accountCreated{User: u, Role: vigie.Role(f.Role), Password: pw, Generated: generated}))
}
