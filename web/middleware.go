package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
)

// contentSecurityPolicy allows nothing but the application's own files: no
// inline script, no inline style, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// streamedUploads recognise the requests whose handler streams a large
// upload to disk and bounds its body itself, beyond MaxUploadBytes (the
// audit file, feature_audit.go). Features append to it from init.
var streamedUploads []func(*http.Request) bool

// limitBody bounds every request body: an upload to MaxUploadBytes, any
// other form to MaxFormBytes. A body announced as larger is refused at once
// with 413.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		for _, streamed := range streamedUploads {
			if streamed(r) {
				next.ServeHTTP(w, r)
				return
			}
		}
		max := int64(MaxFormBytes)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			max = MaxUploadBytes
		}
		if r.ContentLength > max {
			s.tooLarge(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	s.render(w, r, http.StatusRequestEntityTooLarge, "error", errorPage{Status: http.StatusRequestEntityTooLarge, Message: s.loc(r).T("err.toolarge", "Max", MaxUploadBytes>>20)})
}

type ctxKey int

const (
	orgKey ctxKey = iota
	roleKey
)

const sessionUserID = "user_id"

// loadUser puts the logged-in user, with their memberships, in the
// request's context (vigie.NewContextWithUser): every store call made with
// that context is scoped to them.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := s.sessions.GetString(r.Context(), sessionUserID)
		if id == "" {
			next.ServeHTTP(w, r)
			return
		}
		// Finding oneself is authentication: no actor yet.
		u, err := s.cfg.Users.FindUserByID(r.Context(), id)
		if err != nil {
			if vigie.ErrorCode(err) != vigie.ENOTFOUND {
				s.fail(w, r, err)
				return
			}
			// The account was removed: forget the session.
			_ = s.sessions.Destroy(r.Context())
			next.ServeHTTP(w, r)
			return
		}
		if s.sessions.GetString(r.Context(), sessionPassword) != passwordStamp(u.PasswordHash) {
			// The password changed since this login began (on another
			// device, or from the command line): it ends here.
			_ = s.sessions.Destroy(r.Context())
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(vigie.NewContextWithUser(r.Context(), u)))
	})
}

func currentUser(r *http.Request) *vigie.User { return vigie.UserFromContext(r.Context()) }

// requireUser sends a visitor to the login page.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if currentUser(r) == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, vigie.Errorf(vigie.EUNAUTHORIZED, "connexion requise / login required"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// loadOrg checks that the user is a member of the organisation in the URL
// and puts it and the user's role in the context. A non-member gets 404,
// whether or not the organisation exists.
func (s *Server) loadOrg(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		orgID := chi.URLParam(r, "org")
		role, ok := u.RoleIn(orgID)
		if !ok {
			s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "organisation introuvable / organisation not found"))
			return
		}
		org, err := s.cfg.Orgs.FindOrganisationByID(r.Context(), orgID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ctx := context.WithValue(r.Context(), orgKey, org)
		ctx = context.WithValue(ctx, roleKey, role)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func currentOrg(r *http.Request) *vigie.Organisation {
	o, _ := r.Context().Value(orgKey).(*vigie.Organisation)
	return o
}

func currentRole(r *http.Request) vigie.Role {
	role, _ := r.Context().Value(roleKey).(vigie.Role)
	return role
}

// need refuses with 403 a member whose role is below role.
func (s *Server) need(role vigie.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !currentRole(r).Allows(role) {
				s.fail(w, r, vigie.Errorf(vigie.EFORBIDDEN, "droits insuffisants / not allowed"))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
