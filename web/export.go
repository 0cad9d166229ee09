package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
)

// handleRegisterExport writes the whole register of the organisation as CSV
// or JSON with the attribute names of the Algorithmic Transparency Standard
// (package ats).
func (s *Server) handleRegisterExport(w http.ResponseWriter, r *http.Request) {
	format := chi.URLParam(r, "format")
	if format != "csv" && format != "json" {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "format inconnu / unknown format"))
		return
	}
	recs, _, err := s.cfg.Systems.FindSystems(r.Context(), vigie.SystemFilter{OrgID: currentOrg(r).ID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = recs
	s.fail(w, r, vigie.Errorf(vigie.EINTERNAL, "export pending the ats package"))
}
