// Package web is the HTTP adapter of vigie: the server-rendered web
// application (html/template, htmx, Pico CSS, all embedded) over the
// domain's service interfaces.
//
// Routes, middleware and handlers live here; templates under templates/,
// static assets under static/ (htmx and Pico CSS vendored with their
// licences), messages under locales/ (French first, English complete).
// See README.md in this directory for how to add a tab to the system page.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"

	"github.com/vigie-app/vigie"
)

//go:embed static
var staticFS embed.FS

// Body size limits.
const (
	// MaxFormBytes bounds an ordinary form.
	MaxFormBytes = 1 << 20
	// MaxUploadBytes bounds an upload: system files to import, evidence
	// documents.
	MaxUploadBytes = 10 << 20
)

// Config is what the server needs: the services, a session store and its
// options.
type Config struct {
	Addr string // listening address, e.g. 127.0.0.1:8080

	Users      vigie.UserService
	Orgs       vigie.OrganisationService
	Workplaces vigie.WorkplaceService
	Systems    vigie.SystemService
	Documents  vigie.DocumentService
	Events     vigie.EventService
	// Reports, Actions and Calendar serve the assessment, evidence, actions
	// and environment features; a feature whose service is nil is off.
	Reports  vigie.ReportService
	Actions  vigie.ActionService
	Calendar vigie.CalendarService
	// SentLetters keeps the letters as sent (their exact files); when nil,
	// a sent letter is rebuilt from its record on download.
	SentLetters vigie.SentLetterService
	// Testimony serves the anonymous testimonies (feature_testimony.go).
	Testimony vigie.TestimonyService
	// Observatory serves the federation's observatory and the open data
	// (feature off when nil).
	Observatory ObservatoryService

	// Sessions keeps the sessions (in the database: store.DB.SessionStore).
	Sessions scs.Store
	// SecureCookies sets the Secure attribute of the cookies; turn it off
	// only for plain http on 127.0.0.1 during development.
	SecureCookies bool
	// Demo shows a banner saying the data are a demonstration.
	Demo bool
	// DemoOrgID is the demonstration organisation (package demo): the first
	// admin created by /setup becomes its admin too, and lands in it.
	DemoOrgID string
	// LoginLimit is the number of login or setup attempts allowed per
	// minute and per client address (default 10).
	LoginLimit int
	// TrustedProxies are the address prefixes (CIDR) of the reverse proxies
	// in front of the server: the client's address is then read from
	// X-Forwarded-For, walking back past these proxies only. Empty: the
	// client is the peer of the connection.
	TrustedProxies []string
	// PublicURL is the address users reach the server at (https://vigie.example.org),
	// when it is not Addr: its host is accepted in the Host header.
	PublicURL string
	// AllowedHosts are further host names accepted in the Host header;
	// IP addresses, localhost and the host of Addr always are (hostCheck).
	AllowedHosts []string
	// SetupCode, when not empty, is asked by /setup before it creates the
	// first account: a one-time code that vigie serve prints at start on a
	// fresh instance, so that only who sees the server's output sets it up.
	SetupCode string
	// Throttle counts failed logins per account and keeps the device
	// cookies (throttle.go); when nil, Users does if it can (store.DB),
	// else the server keeps them in memory.
	Throttle LoginThrottle
	// Logger receives the server's log (default slog.Default()).
	Logger *slog.Logger
	// Tabs adds or replaces tabs of the system page (see Tab).
	Tabs []Tab
	// MaxDownloads is the number of heavy downloads (the register's
	// exports) served at once; 0 means MaxDownloads.
	MaxDownloads int
}

// Server is the web application.
type Server struct {
	cfg      Config
	log      *slog.Logger
	sessions *scs.SessionManager
	bundle   *catalog
	pages    map[string]*pageTemplate
	tabs     []Tab
	handler  http.Handler
	srv      *http.Server
	// throttle counts failed logins per account (throttle.go).
	throttle LoginThrottle

	// heavy holds one token per heavy download running (see heavySlot).
	heavyOnce sync.Once
	heavy     chan struct{}
}

// NewServer builds the application over the services of cfg.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Users == nil || cfg.Orgs == nil || cfg.Workplaces == nil || cfg.Systems == nil || cfg.Documents == nil || cfg.Sessions == nil {
		return nil, errors.New("web: Config needs Users, Orgs, Workplaces, Systems, Documents and Sessions")
	}
	if cfg.LoginLimit <= 0 {
		cfg.LoginLimit = 10
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	for _, p := range cfg.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			return nil, vigie.Errorf(vigie.EINVALID, "--trusted-proxy : %q n'est pas un préfixe CIDR (10.0.0.0/8) / %q is not a CIDR prefix (10.0.0.0/8)", p, p)
		}
	}
	s := &Server{cfg: cfg, log: cfg.Logger, throttle: cfg.Throttle}
	if s.throttle == nil {
		if t, ok := cfg.Users.(LoginThrottle); ok {
			s.throttle = t
		} else {
			s.throttle = newMemThrottle()
		}
	}
	var err error
	if s.bundle, err = newBundle(); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	tabs := defaultTabs()
	for _, f := range features {
		tabs = mergeTabs(tabs, f.Tabs(s))
	}
	s.tabs = mergeTabs(tabs, cfg.Tabs)

	sm := scs.New()
	sm.Store = cfg.Sessions
	sm.Lifetime = 12 * time.Hour
	// No scs IdleTimeout: it writes the session on every request;
	// idleSessions does the same job with a write every sessionTouch.
	sm.Cookie.Name = "vigie_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.Cookie.Path = "/"
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { s.fail(w, r, err) }
	s.sessions = sm

	s.handler = s.routes()
	return s, nil
}

// Handler returns the application as an http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// ServeHTTP serves the application.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// ListenAndServe listens on cfg.Addr until Shutdown.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve serves on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	s.log.Info("vigie: listening", "addr", "http://"+ln.Addr().String())
	err := s.srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops the server gracefully, waiting for requests in flight.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.hostCheck, s.hsts, securityHeaders)

	static, _ := fs.Sub(staticFS, "static")
	fileServer := http.StripPrefix("/static/", http.FileServerFS(static))
	r.With(noDirectoryListing).Get("/static/*", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	})
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	// HEAD is answered where it has no effect and tells something: a
	// static file, the health check. Elsewhere it is 405.
	r.With(noDirectoryListing).Head("/static/*", func(w http.ResponseWriter, r *http.Request) { fileServer.ServeHTTP(w, r) })
	r.Head("/healthz", func(w http.ResponseWriter, r *http.Request) {})
	// Public routes of the features (a calendar feed behind a secret
	// token): no session, no user.
	for _, f := range features {
		if f.PublicRoutes != nil {
			f.PublicRoutes(s, r)
		}
	}

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, vigie.Errorf(vigie.EFORBIDDEN, "requête d'une autre origine refusée / cross-origin request refused"))
	}))

	clientIP := middleware.ClientIPFromRemoteAddr
	if len(s.cfg.TrustedProxies) > 0 {
		clientIP = middleware.ClientIPFromXFF(s.cfg.TrustedProxies...)
	}
	limit := httprate.LimitBy(s.cfg.LoginLimit, time.Minute, clientKey,
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			s.render(w, r, http.StatusTooManyRequests, "error", errorPage{Status: http.StatusTooManyRequests, Message: s.loc(r).T("err.ratelimit")})
		}))

	r.Group(func(r chi.Router) {
		r.Use(cop.Handler, clientIP, s.limitBody, s.sessions.LoadAndSave, s.idleSessions, s.loadUser)
		r.Get("/lang/{lang}", s.handleLang)
		r.Get("/setup", s.handleSetupForm)
		r.With(limit).Post("/setup", s.handleSetup)
		r.Get("/login", s.handleLoginForm)
		r.With(limit).Post("/login", s.handleLogin)
		r.Post("/logout", s.handleLogout)

		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requirePasswordChange)
			r.Get("/", s.handleHome)
			r.Get("/account", s.handleAccount)
			r.With(limit).Post("/account/password", s.handleAccountPassword)
			r.Post("/account/lang", s.handleAccountLang)
			r.Post("/invitations/{id}/accept", s.handleInvitationAccept)
			r.Post("/invitations/{id}/decline", s.handleInvitationDecline)
			r.Get("/orgs/new", s.handleOrgForm)
			r.Post("/orgs", s.handleOrgCreate)
			r.Route("/o/{org}", func(r chi.Router) {
				r.Use(s.loadOrg)
				r.Get("/", s.handleOrgHome)
				r.Get("/systems", s.handleSystems)
				r.With(s.need(vigie.RoleEditor)).Get("/systems/new", s.handleSystemNew)
				r.With(s.need(vigie.RoleEditor)).Post("/systems", s.handleSystemCreate)
				r.Get("/systems/{id}", s.handleSystem)
				r.Get("/systems/{id}/t/{tab}", s.handleSystem)
				r.Get("/systems/{id}/export.{format}", s.handleSystemExport)
				r.With(s.need(vigie.RoleEditor)).Get("/systems/{id}/edit", s.handleSystemEdit)
				r.With(s.need(vigie.RoleEditor)).Post("/systems/{id}", s.handleSystemUpdate)
				r.With(s.need(vigie.RoleEditor)).Get("/systems/{id}/delete", s.handleSystemDeleteForm)
				r.With(s.need(vigie.RoleEditor)).Post("/systems/{id}/delete", s.handleSystemDelete)
				r.With(s.need(vigie.RoleEditor)).Post("/systems/{id}/evidence", s.handleEvidenceAdd)
				r.With(s.need(vigie.RoleEditor)).Post("/systems/{id}/documents", s.handleDocumentUpload)
				r.Get("/documents/{doc}", s.handleDocument)
				r.With(s.need(vigie.RoleEditor)).Get("/import", s.handleImportForm)
				r.With(s.need(vigie.RoleEditor)).Post("/import", s.handleImport)
				r.Get("/export.{format}", s.handleRegisterExport)
				r.Get("/events", s.handleEvents)
				r.Get("/workplaces", s.handleWorkplaces)
				r.With(s.need(vigie.RoleEditor)).Post("/workplaces", s.handleWorkplaceSave)
				r.With(s.need(vigie.RoleAdmin)).Get("/members", s.handleMembers)
				r.With(s.need(vigie.RoleAdmin)).Post("/members", s.handleMemberSet)
				r.With(s.need(vigie.RoleAdmin)).Post("/members/remove", s.handleMemberRemove)
				r.With(s.need(vigie.RoleAdmin)).Post("/members/new", s.handleMemberCreate)
				r.With(s.need(vigie.RoleAdmin)).Post("/invitations", s.handleInvite)
				r.With(s.need(vigie.RoleAdmin)).Post("/invitations/{id}/revoke", s.handleInvitationRevoke)
				for _, f := range features {
					if f.OrgRoutes != nil {
						f.OrgRoutes(s, r)
					}
				}
			})
		})
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "page introuvable / page not found"))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusMethodNotAllowed, "error", errorPage{Status: http.StatusMethodNotAllowed, Message: s.loc(r).T("err.method")})
	})
	return r
}

// clientKey is the rate-limit key of a request: the client's address as
// resolved by the ClientIPFrom* middleware (an IPv6 client by its /64), or
// the connection's peer when none was resolved.
func clientKey(r *http.Request) (string, error) {
	if ip := middleware.GetClientIP(r.Context()); ip != "" {
		return httprate.CanonicalizeIP(ip), nil
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return httprate.CanonicalizeIP(host), nil
}
