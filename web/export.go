package web

import (
	"bytes"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/ats"
)

// handleRegisterExport writes the whole register of the organisation as CSV
// or JSON with the attribute names of the Eurocities Algorithmic
// Transparency Standard, then vigie's own fields (package ats).
func (s *Server) handleRegisterExport(w http.ResponseWriter, r *http.Request) {
	org := currentOrg(r)
	format := chi.URLParam(r, "format")
	if format != "csv" && format != "json" {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "format inconnu / unknown format"))
		return
	}
	recs, _, err := s.cfg.Systems.FindSystems(r.Context(), vigie.SystemFilter{OrgID: org.ID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	wps, err := s.cfg.Workplaces.FindWorkplaces(r.Context(), org.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := ats.Records(org.Name, recs, wps, today())
	var buf bytes.Buffer
	ct := "text/csv; charset=utf-8"
	if format == "csv" {
		err = ats.WriteCSV(&buf, rows)
	} else {
		ct = "application/json; charset=utf-8"
		err = ats.WriteJSON(&buf, rows)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, ct, "registre-"+slug(org.Name)+"-"+time.Now().UTC().Format("2006-01-02")+"."+format, buf.Bytes())
}
