package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/report"
	"github.com/vigie-app/vigie/report/gather"
)

// The dossier of a system: one document for the meeting, the inspector, a
// judge or the press (package report). The tab previews it for an
// audience and a date, reading only; downloading it (a POST) keeps the
// numbers of new exhibits and journals the file made with its sha256.

func init() {
	addFeature(feature{
		Name: "dossier",
		Tabs: func(s *Server) []Tab {
			if s.dossierServices() == nil {
				return nil
			}
			return []Tab{{ID: "dossier", Label: "tab.dossier", Template: "tab-dossier", Load: s.loadDossier}}
		},
		OrgRoutes: func(s *Server, r chi.Router) {
			if s.dossierServices() == nil {
				return
			}
			// Making a dossier changes no fact: every member may.
			r.Post("/systems/{id}/dossier", s.handleDossierDownload)
		},
	})
}

// dossierServices are the services a dossier reads, or nil when the
// server lacks one of them (the feature is then off).
func (s *Server) dossierServices() *gather.Services {
	ds, ok := s.cfg.Systems.(vigie.DossierService)
	if !ok || s.cfg.Reports == nil || s.cfg.Actions == nil || s.cfg.Documents == nil {
		return nil
	}
	sv := &gather.Services{Workplaces: s.cfg.Workplaces, Documents: s.cfg.Documents, Actions: s.cfg.Actions, Reports: s.cfg.Reports, Dossiers: ds}
	if ts, ok := s.cfg.Systems.(vigie.TestimonyService); ok {
		sv.Testimony = ts
	}
	return sv
}

// dossierData is the tab's data.
type dossierData struct {
	Audience, Date, Lang string
	Audiences, Formats   []string
	Action, TabPath      string
	Preview              template.HTML
	Exhibits, Figures    int
	Error                string
}

// dossierRequest reads the audience, date and language of a request
// (query or form), naming the field at fault.
func (s *Server) dossierRequest(r *http.Request, get func(string) string) (audience string, date vigie.Date, lang string, err error) {
	l := s.loc(r)
	audience = get("audience")
	if audience == "" {
		audience = report.AudienceCSE
	}
	if !slices.Contains(report.Audiences, audience) {
		return "", date, "", &vigie.Error{Code: vigie.EINVALID, Field: "audience", Message: l.T("dossier.audience") + " : " + l.T("dossier.err.audience")}
	}
	date, ok := parseAsOf(get("date"))
	if !ok {
		return "", date, "", &vigie.Error{Code: vigie.EINVALID, Field: "date", Message: l.T("dossier.date") + " : " + l.T("err.date")}
	}
	lang = get("lang")
	if lang == "" {
		lang = l.Lang
	}
	if lang != "fr" && lang != "en" {
		return "", date, "", &vigie.Error{Code: vigie.EINVALID, Field: "lang", Message: l.T("dossier.lang") + " : " + l.T("dossier.err.lang")}
	}
	return audience, date, lang, nil
}

// loadDossier previews the dossier; it reads only (the exhibit numbers
// shown are those a download would keep).
func (s *Server) loadDossier(r *http.Request, rec *vigie.SystemRecord) (any, error) {
	q := r.URL.Query()
	d := &dossierData{Audiences: report.Audiences, Formats: []string{report.FormatPDF, report.FormatODT, report.FormatHTML},
		Action: systemPath(rec) + "/dossier", TabPath: systemPath(rec) + "/t/dossier"}
	audience, date, lang, err := s.dossierRequest(r, q.Get)
	if err != nil {
		d.Audience, d.Date, d.Lang, d.Error = report.AudienceCSE, q.Get("date"), s.loc(r).Lang, vigie.ErrorMessage(err)
		return d, nil
	}
	d.Audience, d.Date, d.Lang = audience, date.String(), lang
	in, err := gather.Stored(r.Context(), *s.dossierServices(), s.orgName(r), rec, date, today())
	if err != nil {
		return nil, err
	}
	in.Audience, in.Lang = audience, lang
	doc, err := report.Build(in)
	if err != nil {
		return nil, err
	}
	d.Preview = template.HTML(doc.HTMLBody()) // report escapes every value
	d.Exhibits, d.Figures = len(doc.Manifest.Exhibits), len(doc.Manifest.Figures)
	return d, nil
}

func (s *Server) orgName(r *http.Request) string {
	if o := currentOrg(r); o != nil {
		return o.Name
	}
	return ""
}

// handleDossierDownload writes the dossier as PDF, ODT or HTML, after
// keeping the numbers of its new exhibits, and journals it with its
// sha256.
func (s *Server) handleDossierDownload(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, vigie.Errorf(vigie.EINVALID, "formulaire illisible / unreadable form"))
		return
	}
	l := s.loc(r)
	audience, date, lang, err := s.dossierRequest(r, r.PostForm.Get)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format := r.PostForm.Get("format")
	if format != report.FormatPDF && format != report.FormatODT && format != report.FormatHTML {
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "format", Message: l.T("dossier.format") + " : " + l.T("dossier.err.format")})
		return
	}
	sv := *s.dossierServices()
	ctx := r.Context()
	in, err := gather.Stored(ctx, sv, s.orgName(r), rec, date, today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in.Audience, in.Lang = audience, lang
	if err := gather.Keep(ctx, sv, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	doc, err := report.Build(in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := doc.Write(&buf, format); err != nil {
		s.fail(w, r, err)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	if err := sv.Dossiers.RecordDossier(ctx, rec.ID, fmt.Sprintf("%s %s %s sha256 %s", format, audience, date, hex.EncodeToString(sum[:]))); err != nil {
		s.fail(w, r, err)
		return
	}
	if format == report.FormatHTML {
		// The stand-alone page has its own <style> and no script; it is a
		// download, opened sandboxed.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
	}
	download(w, report.MediaTypes[format], "dossier-"+slug(rec.System.Name)+"-"+audience+"-"+date.String()+"."+format, buf.Bytes())
}
