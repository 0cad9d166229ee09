package web

import "github.com/go-chi/chi/v5"

// feature is a part of the application that brings its own tabs of the
// system page and its own routes: the assessment, the evidence and audits,
// the actions and deadlines, the environmental footprint. Each lives in its
// own files (feature_NAME.go, templates/tabs/NAME.html,
// locales/NAME.fr.json and NAME.en.json) and registers itself from an init
// function with addFeature, so that features are written side by side
// without touching server.go.
type feature struct {
	Name string
	// Tabs returns the tabs it adds to, or replaces in, the system page.
	Tabs func(s *Server) []Tab
	// OrgRoutes mounts its routes under /o/{org}: the user is logged in and
	// the organisation loaded (use s.need(role) for writes).
	OrgRoutes func(s *Server, r chi.Router)
	// PublicRoutes mounts routes outside any session (a secret-token feed).
	PublicRoutes func(s *Server, r chi.Router)
}

var features []feature

// addFeature registers a feature; call it from an init function.
func addFeature(f feature) {
	if f.Tabs == nil {
		f.Tabs = func(*Server) []Tab { return nil }
	}
	features = append(features, f)
}
