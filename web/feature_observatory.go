package web

// The observatory of an organisation: for a federation, the systems its
// member sections shared with it (counts, charts, a table per vendor, jobs
// per section, testimony totals); for a section, its own picture. A member
// of the federation may open a shared system read-only.

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/observatory"
	"github.com/vigie-app/vigie/opendata"
)

// ObservatoryService is what the observatory pages and the open data read
// (store.DB implements it).
type ObservatoryService interface {
	Observatory(ctx context.Context, orgID string, date vigie.Date) (*observatory.Result, error)
	FindSharedSystem(ctx context.Context, orgID, id string) (*vigie.SystemRecord, error)
	OpenData(ctx context.Context, orgID string) (*vigie.Organisation, []*vigie.SystemRecord, []*vigie.Workplace, time.Time, error)
}

func init() {
	addFeature(feature{
		Name: "observatory",
		OrgRoutes: func(s *Server, r chi.Router) {
			if s.cfg.Observatory == nil {
				return
			}
			r.Get("/observatory", s.handleObservatory)
			r.Get("/observatory.json", s.handleObservatoryJSON)
			r.Get("/observatory/systems/{id}", s.handleSharedSystem)
		},
		PublicRoutes: func(s *Server, r chi.Router) {
			if s.cfg.Observatory == nil {
				return
			}
			r.Get("/open/{org}", s.handleOpenData)
			r.Get("/open/{org}/systems.{format}", s.handleOpenDataFile)
		},
	})
}

type observatoryPage struct {
	R    *observatory.Result
	Day  string // the date of the answer in words
	Body template.HTML
}

func (s *Server) observatoryResult(r *http.Request) (*observatory.Result, error) {
	return s.cfg.Observatory.Observatory(r.Context(), currentOrg(r).ID, vigie.DateInFrance(time.Now()))
}

func (s *Server) handleObservatory(w http.ResponseWriter, r *http.Request) {
	res, err := s.observatoryResult(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := s.loc(r)
	v := observatory.NewView(res, l.Lang, l.Value)
	body, err := v.Body()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "observatory", s.page(r, "observatory.title", &observatoryPage{R: res, Day: v.Day, Body: body}))
}

func (s *Server) handleObservatoryJSON(w http.ResponseWriter, r *http.Request) {
	res, err := s.observatoryResult(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, res)
}

// sharedSystemPage is a system of a member section, read-only.
type sharedSystemPage struct {
	Rec     *vigie.SystemRecord
	Section string
	Sum     observatory.Summary
	Unmet   []assess.Obligation
	High    []assess.Risk
}

func (s *Server) handleSharedSystem(w http.ResponseWriter, r *http.Request) {
	rec, err := s.cfg.Observatory.FindSharedSystem(r.Context(), currentOrg(r).ID, chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := vigie.DateInFrance(time.Now())
	a := assess.Evaluate(&rec.System, today)
	d := &sharedSystemPage{Rec: rec, Sum: observatory.SummaryOf(&rec.System, today),
		Unmet: a.ObligationsWith(assess.StatusUnmet), High: a.RisksWith(assess.High)}
	if res, err := s.observatoryResult(r); err == nil {
		for _, sec := range res.PerSection {
			if sec.ID == rec.OrgID {
				d.Section = sec.Name
			}
		}
	}
	s.render(w, r, http.StatusOK, "observatory_system", s.page(r, "", d))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// openPage is the public page of an organisation's open data.
type openPage struct {
	Org     *vigie.Organisation
	Rows    []map[string]string
	Licence string
	Last    string
}

func (s *Server) openDataset(r *http.Request) (*vigie.Organisation, *opendata.Dataset, error) {
	o, systems, wps, last, err := s.cfg.Observatory.OpenData(r.Context(), chi.URLParam(r, "org"))
	if err != nil {
		return nil, nil, err
	}
	return o, opendata.New(o.Name, systems, wps, last, vigie.DateInFrance(time.Now())), nil
}

// handleOpenData shows, without login, the systems an organisation marked
// public, with the open-data files.
func (s *Server) handleOpenData(w http.ResponseWriter, r *http.Request) {
	o, ds, err := s.openDataset(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &openPage{Org: o, Rows: ds.Rows(), Licence: opendata.Licence}
	if !ds.LastUpdate.IsZero() {
		d.Last = vigie.DateInFrance(ds.LastUpdate).String()
	}
	s.render(w, r, http.StatusOK, "open", s.page(r, "open.title", d))
}

// handleOpenDataFile serves the open data as CSV (?headers=fr for French
// headers) or JSON, as a heavy download (see heavySlot).
func (s *Server) handleOpenDataFile(w http.ResponseWriter, r *http.Request) {
	format := chi.URLParam(r, "format")
	if format != "csv" && format != "json" {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "format inconnu / unknown format"))
		return
	}
	headers := r.URL.Query().Get("headers")
	if headers != "" && headers != "fr" && headers != "ats" {
		s.fail(w, r, vigie.Errorf(vigie.EINVALID, "headers : fr ou ats / headers: fr or ats"))
		return
	}
	release, ok := s.heavySlot(w, r)
	if !ok {
		return
	}
	defer release()
	o, ds, err := s.openDataset(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if format == "csv" {
		err = ds.WriteCSV(&b, headers == "fr")
	} else {
		err = ds.WriteJSON(&b)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ct := map[string]string{"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}[format]
	w.Header().Set("Access-Control-Allow-Origin", "*")
	download(w, ct, "donnees-ouvertes-"+slug(o.Name)+"."+format, b.Bytes())
}
