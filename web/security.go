package web

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"
)

// allowedHosts returns the host names the server answers to besides IP
// addresses and localhost: the host of cfg.Addr when it is a name, the host
// of cfg.PublicURL, and cfg.AllowedHosts.
func (s *Server) allowedHosts() map[string]bool {
	m := map[string]bool{"localhost": true}
	add := func(h string) {
		if h = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(h), ".")); h != "" {
			m[h] = true
		}
	}
	if h, _, err := net.SplitHostPort(s.cfg.Addr); err == nil {
		add(h)
	}
	if u, err := url.Parse(s.cfg.PublicURL); err == nil && u.Host != "" {
		add(u.Hostname())
	}
	for _, h := range s.cfg.AllowedHosts {
		if hh, _, err := net.SplitHostPort(h); err == nil {
			h = hh
		}
		add(h)
	}
	return m
}

// hostCheck answers only requests whose Host is an IP address, localhost or
// a configured name (--addr, --public-url, --allowed-host). A page of an
// attacker's site whose name is made to resolve to 127.0.0.1 (DNS
// rebinding) sends its own name as Host: it is refused with 421 before any
// handler runs, so it can neither read a page nor create the first admin
// at /setup.
func (s *Server) hostCheck(next http.Handler) http.Handler {
	allowed := s.allowedHosts()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
		if _, err := netip.ParseAddr(host); err != nil && !allowed[host] {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusMisdirectedRequest)
			_, _ = w.Write([]byte("Nom d'hôte non reconnu par ce serveur (voir --public-url ou --allowed-host). / Host name not known to this server (see --public-url or --allowed-host).\n"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// fromTrustedProxy reports whether the connection's peer is one of the
// configured reverse proxies.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if pr, err := netip.ParsePrefix(p); err == nil && pr.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// hsts sets Strict-Transport-Security on a response served over TLS, or
// through a trusted reverse proxy that says the client used https
// (X-Forwarded-Proto); never on plain http, where a browser ignores it.
func (s *Server) hsts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil || (s.fromTrustedProxy(r) && strings.EqualFold(strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0]), "https")) {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// noDirectoryListing answers 404 for a directory under /static/ (the file
// server would list it).
func noDirectoryListing(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := chi.URLParam(r, "*"); p == "" || strings.HasSuffix(p, "/") || isStaticDir(p) {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func isStaticDir(p string) bool {
	f, err := staticFS.Open("static/" + strings.TrimPrefix(p, "/"))
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	return err == nil && st.IsDir()
}

// Route is one route of the application: its method and chi pattern.
type Route struct{ Method, Pattern string }

// Routes lists the routes of the application, for the tests that go over
// every page.
func (s *Server) Routes() []Route {
	var out []Route
	if rs, ok := s.handler.(chi.Routes); ok {
		_ = chi.Walk(rs, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
			out = append(out, Route{method, route})
			return nil
		})
	}
	return out
}
