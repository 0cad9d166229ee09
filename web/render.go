package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/vigie-app/vigie"
)

//go:embed templates
var templateFS embed.FS

// pageTemplate is one page: the layout, the partials and the page's own
// blocks.
type pageTemplate struct{ t *template.Template }

var funcs = template.FuncMap{
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m, nil
	},
	"add":           func(a, b int) int { return a + b },
	"fid":           fid,
	"sub":           func(a, b int) int { return a - b },
	"join":          strings.Join,
	"upper":         strings.ToUpper,
	"scale":         func() []string { return []string{"0", "1", "2", "3"} },
	"tris":          func() []string { return []string{"true", "false", "unknown"} },
	"sources":       func() []string { return vigie.EvidenceSources },
	"roles":         func() []vigie.Role { return vigie.Roles },
	"kinds":         func() []string { return vigie.Enums["organisation.kind"] },
	"staffBodies":   func() []string { return vigie.Enums["organisation.staff_bodies"] },
	"consultBlocks": consultBlocks,
	"orgKinds": func() []string {
		return []string{vigie.OrgSection, vigie.OrgUnion, vigie.OrgFederation}
	},
	"short": shortText,
}

// shortText cuts s to n characters, with an ellipsis when it was longer.
func shortText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// fid is the HTML id of the input of a fact or form field.
func fid(path string) string {
	if b, f, ok := vigie.SplitConsultationPath(path); ok {
		return "f-consult-" + b + "-" + f
	}
	return "f-" + strings.ReplaceAll(path, ".", "-")
}

func parsePages() (map[string]*pageTemplate, error) {
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*pageTemplate, len(names))
	for _, n := range names {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", "templates/tabs/*.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		pages[strings.TrimSuffix(path.Base(n), ".html")] = &pageTemplate{t: t}
	}
	return pages, nil
}

// pageData is what every template receives.
type pageData struct {
	L     *loc
	User  *vigie.User
	Org   *vigie.Organisation
	Role  vigie.Role
	Path  string // the current URL, for the language switch
	Demo  bool
	Flash string
	Title string
	Data  any
}

// Can reports whether the user's role in the current organisation allows role.
func (p *pageData) Can(role string) bool { return p.Role.Allows(vigie.Role(role)) }

// OrgPath returns the path of a page of the current organisation.
func (p *pageData) OrgPath(rest string) string {
	if p.Org == nil {
		return "/"
	}
	return "/o/" + p.Org.ID + rest
}

func (s *Server) loc(r *http.Request) *loc { return newLoc(s.bundle, requestLang(r)) }

func (s *Server) page(r *http.Request, title string, data any) *pageData {
	p := &pageData{L: s.loc(r), User: currentUser(r), Org: currentOrg(r), Role: currentRole(r), Path: r.URL.RequestURI(), Demo: s.cfg.Demo, Data: data}
	if title != "" {
		p.Title = p.L.T(title)
	}
	if s.sessions != nil {
		if f := s.flash(r); f != "" {
			p.Flash = p.L.T(f)
		}
	}
	return p
}

func (s *Server) flash(r *http.Request) (id string) {
	defer func() {
		if recover() != nil { // no session in this request
			id = ""
		}
	}()
	return s.sessions.PopString(r.Context(), "flash")
}

func (s *Server) setFlash(r *http.Request, id string) { s.sessions.Put(r.Context(), "flash", id) }

// render executes the page name with data, wrapping it in the layout
// unless data is already a *pageData. A request from htmx that names a
// fragment (HX-Target) gets only the block of that name when the page
// defines it.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	p, ok := data.(*pageData)
	if !ok {
		p = s.page(r, "", data)
	}
	pt := s.pages[name]
	if pt == nil {
		http.Error(w, "template "+name+" missing", http.StatusInternalServerError)
		return
	}
	exec := "layout.html"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true" && r.Header.Get("HX-History-Restore-Request") != "true" {
		if t := r.Header.Get("HX-Target"); t != "" && pt.t.Lookup("fragment-"+t) != nil {
			exec = "fragment-" + t
		}
	}
	var buf bytes.Buffer
	if err := pt.t.ExecuteTemplate(&buf, exec, p); err != nil {
		s.log.Error("web: render", "page", name, "err", err)
		http.Error(w, "erreur interne / internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Add("Vary", "HX-Request")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// errorPage is the data of the error page.
type errorPage struct {
	Status  int
	Message string
}

// statusOf maps a domain error code to an HTTP status.
func statusOf(err error) int {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	switch vigie.ErrorCode(err) {
	case vigie.EINVALID:
		return http.StatusUnprocessableEntity
	case vigie.ENOTFOUND:
		return http.StatusNotFound
	case vigie.EFORBIDDEN:
		return http.StatusForbidden
	case vigie.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case vigie.ECONFLICT:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// fail answers with the error page for err. A missing object and another
// organisation's object answer the same 404 with the same generic text, so
// that nothing leaks; internal errors are logged, not shown.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	l := s.loc(r)
	var msg string
	switch status {
	case http.StatusNotFound:
		msg = l.T("err.notfound")
	case http.StatusForbidden:
		msg = l.T("err.forbidden")
		if strings.Contains(vigie.ErrorMessage(err), "origine") {
			msg = l.T("err.crossorigin")
		}
	case http.StatusUnauthorized:
		msg = l.T("err.unauthorized")
	case http.StatusRequestEntityTooLarge:
		s.tooLarge(w, r)
		return
	case http.StatusInternalServerError:
		s.log.Error("web: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = l.T("err.internal")
	default:
		msg = vigie.ErrorMessage(err)
	}
	s.render(w, r, status, "error", errorPage{Status: status, Message: msg})
}
