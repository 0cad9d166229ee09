package web

import (
	"crypto/subtle"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/password"
)

// setupMu serialises the first-run setup so that two people racing cannot
// both become the first admin.
var setupMu sync.Mutex

func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) {
	lang := chi.URLParam(r, "lang")
	ok := false
	for _, l := range Langs {
		ok = ok || l == lang
	}
	if !ok {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "langue inconnue / unknown language"))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// safeNext keeps a redirect target on this site: a path, never a URL.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

func (s *Server) firstRun(r *http.Request) (bool, error) {
	n, err := s.cfg.Users.CountUsers(r.Context())
	return n == 0, err
}

// setupForm is the data of the setup page.
type setupForm struct {
	Name, Email, OrgName, OrgKind string
	// NeedCode asks for the setup code (Config.SetupCode), Code is the one
	// typed or given in the link vigie serve prints.
	NeedCode bool
	Code     string
	Errors   map[string]string
}

// setupCodeOK reports whether code is the server's setup code (or none is
// needed), in constant time.
func (s *Server) setupCodeOK(code string) bool {
	if s.cfg.SetupCode == "" {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(strings.TrimSpace(code))), []byte(strings.ToLower(s.cfg.SetupCode))) == 1
}

func (s *Server) handleSetupForm(w http.ResponseWriter, r *http.Request) {
	first, err := s.firstRun(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !first {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "déjà configuré / already set up"))
		return
	}
	f := &setupForm{OrgKind: vigie.OrgSection, NeedCode: s.cfg.SetupCode != "", Errors: map[string]string{}}
	if f.NeedCode {
		f.Code = vigie.Clip(strings.TrimSpace(r.URL.Query().Get("code")), 40)
	}
	s.render(w, r, http.StatusOK, "setup", s.page(r, "setup.title", f))
}

func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) {
	setupMu.Lock()
	defer setupMu.Unlock()
	first, err := s.firstRun(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !first {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "déjà configuré / already set up"))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	f := &setupForm{
		Name:     strings.TrimSpace(r.PostForm.Get("name")),
		Email:    strings.TrimSpace(strings.ToLower(r.PostForm.Get("email"))),
		OrgName:  strings.TrimSpace(r.PostForm.Get("org_name")),
		OrgKind:  r.PostForm.Get("org_kind"),
		NeedCode: s.cfg.SetupCode != "",
		Errors:   map[string]string{},
	}
	if !s.setupCodeOK(r.PostForm.Get("setup_code")) {
		f.Errors["setup_code"] = "setup.err.code"
	} else if f.NeedCode {
		f.Code = strings.TrimSpace(r.PostForm.Get("setup_code"))
	}
	pw, pw2 := r.PostForm.Get("password"), r.PostForm.Get("password2")
	if f.Name == "" {
		f.Errors["name"] = "err.required"
	}
	if _, err := mail.ParseAddress(f.Email); err != nil || !strings.Contains(f.Email, "@") {
		f.Errors["email"] = "err.email"
	}
	if password.Check(pw) != nil {
		f.Errors["password"] = "err.password"
	} else if pw != pw2 {
		f.Errors["password2"] = "err.password2"
	}
	if f.OrgName == "" {
		f.Errors["org_name"] = "err.required"
	}
	for k, v := range map[string]string{"name": f.Name, "org_name": f.OrgName, "email": f.Email} {
		if fault := vigie.CheckLine(v); fault != nil && f.Errors[k] == "" {
			f.Errors[k] = faultID(fault)
		}
	}
	switch f.OrgKind {
	case vigie.OrgSection, vigie.OrgUnion, vigie.OrgFederation:
	default:
		f.Errors["org_kind"] = "err.choice"
	}
	if len(f.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "setup", s.page(r, "setup.title", f))
		return
	}
	hash, err := password.Hash(pw)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := &vigie.User{Email: f.Email, Name: f.Name, PasswordHash: hash, Lang: requestLang(r)}
	if err := s.cfg.Users.CreateUser(r.Context(), u); err != nil {
		s.fail(w, r, err)
		return
	}
	org := &vigie.Organisation{Name: f.OrgName, Kind: f.OrgKind}
	if err := s.cfg.Orgs.CreateOrganisation(vigie.NewContextWithUser(r.Context(), u), org); err != nil {
		s.fail(w, r, err)
		return
	}
	if s.cfg.DemoOrgID != "" {
		// The operator asked for the demonstration: its register is the
		// first thing the new admin sees.
		if err := s.cfg.Orgs.SetMember(r.Context(), s.cfg.DemoOrgID, u.ID, vigie.RoleAdmin); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.setFlash(r, "setup.done")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// loginForm is the data of the login page.
type loginForm struct {
	Email, Next string
	Error       string
	FirstRun    bool
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	first, err := s.firstRun(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if first {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	if currentUser(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", s.page(r, "login.title", &loginForm{Next: safeNext(r.URL.Query().Get("next"))}))
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	f := &loginForm{Email: strings.TrimSpace(strings.ToLower(r.PostForm.Get("email"))), Next: safeNext(r.PostForm.Get("next"))}
	pw := r.PostForm.Get("password")
	key, tok, err := s.throttleKey(r, f.Email)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if n, err := s.throttle.LoginFailures(r.Context(), key, accountWindow); err != nil {
		s.fail(w, r, err)
		return
	} else if n >= accountFailures {
		// Too many failures for this address (or this browser's device
		// cookie), from wherever they come: the same answer whether or
		// not it has an account.
		s.render(w, r, http.StatusTooManyRequests, "error", errorPage{Status: http.StatusTooManyRequests, Message: s.loc(r).T("err.ratelimit")})
		return
	}
	u, err := s.cfg.Users.FindUserByEmail(r.Context(), f.Email)
	if err != nil && vigie.ErrorCode(err) != vigie.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	ok := false
	if u != nil {
		ok = password.Verify(u.PasswordHash, pw)
	} else {
		// Spend the same time as a real check, so that timing does not
		// tell which addresses have an account.
		_ = password.Verify(dummyHash(), pw)
	}
	if !ok {
		if err := s.throttle.AddLoginFailure(r.Context(), key, failureKeep); err != nil {
			s.fail(w, r, err)
			return
		}
		f.Error = "login.failed"
		s.render(w, r, http.StatusUnauthorized, "login", s.page(r, "login.title", f))
		return
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.throttle.ClearLoginFailures(r.Context(), key); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.setDeviceCookie(w, r, f.Email, tok); err != nil {
		s.fail(w, r, err)
		return
	}
	s.startSession(r, u)
	if u.MustChangePassword {
		s.setFlash(r, "account.must_change")
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return
	}
	if invs, err := s.cfg.Orgs.MyInvitations(vigie.NewContextWithUser(r.Context(), u)); err == nil && len(invs) > 0 {
		// Invitations wait for an answer: the account page shows them.
		s.setFlash(r, "invitations.waiting")
		http.Redirect(w, r, "/account#invitations", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, f.Next, http.StatusSeeOther)
}

var (
	dummyOnce sync.Once
	dummy     string
)

func dummyHash() string {
	dummyOnce.Do(func() { dummy, _ = password.Hash("vigie-dummy-password") })
	return dummy
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// handleHome sends the user to the register of their first organisation.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	if len(u.Memberships) == 0 {
		s.render(w, r, http.StatusOK, "home", s.page(r, "home.title", nil))
		return
	}
	org := u.Memberships[0].OrgID
	if _, ok := u.RoleIn(s.cfg.DemoOrgID); ok && s.cfg.DemoOrgID != "" {
		org = s.cfg.DemoOrgID
	}
	http.Redirect(w, r, "/o/"+org+"/systems", http.StatusSeeOther)
}

// badForm turns a form parsing error into the right domain error: too large
// stays too large (413), anything else is bad input.
func badForm(err error) error {
	var mbe *http.MaxBytesError
	if asMaxBytes(err, &mbe) {
		return err
	}
	return &vigie.Error{Code: vigie.EINVALID, Message: "formulaire illisible / unreadable form", Err: err}
}
