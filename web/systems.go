package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/goccy/go-yaml"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/law"
)

// PageSize is the number of systems on one page of the register.
const PageSize = 50

// listData is the data of the register page.
type listData struct {
	Systems    []*vigie.SystemRecord
	Rows       []registerRow // Systems in words
	Cols       registerCols
	Total      int
	Page       int
	Pages      int
	Workplace  string
	Status     string
	Domain     string
	Query      string
	Workplaces []*vigie.Workplace
	WPNames    map[string]string
	Statuses   []string
	Domains    []string
	Sort       string // one of vigie.SortOrders, "" for the default (name)
	Lang       string
}

// sortable are the sort orders the register's column headers offer.
var sortable = vigie.SortOrders

// TierLabel names a tier in the page's language.
func (d *listData) TierLabel(tier string) string {
	lang := law.FR
	if d.Lang == "en" {
		lang = law.EN
	}
	return assess.Label(lang, "tier."+tier)
}

// SortQuery returns the query string of the current filters sorted by
// order, on page 1.
func (d *listData) SortQuery(order string) string {
	c := *d
	c.Sort = order
	if order == vigie.SortName {
		c.Sort = ""
	}
	return c.QueryFor(1)
}

// SortedBy reports whether the list is in the order named.
func (d *listData) SortedBy(order string) bool {
	return d.Sort == order || (d.Sort == "" && order == vigie.SortName)
}

// QueryFor returns the query string of the current filters on page n.
func (d *listData) QueryFor(n int) string {
	v := url.Values{}
	for k, x := range map[string]string{"workplace": d.Workplace, "status": d.Status, "domain": d.Domain, "q": d.Query, "sort": d.Sort} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

func (s *Server) handleOrgHome(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/o/"+currentOrg(r).ID+"/systems", http.StatusSeeOther)
}

func (s *Server) handleSystems(w http.ResponseWriter, r *http.Request) {
	org := currentOrg(r)
	q := r.URL.Query()
	d := &listData{
		Workplace: q.Get("workplace"),
		Status:    q.Get("status"),
		Domain:    q.Get("domain"),
		Query:     strings.TrimSpace(q.Get("q")),
		Page:      max(1, atoiDefault(q.Get("page"), 1)),
		Statuses:  vigie.Enums["deployment.status"],
		Domains:   vigie.Enums["purpose.domains"],
		Sort:      q.Get("sort"),
		Lang:      s.loc(r).Lang,
	}
	if !slices.Contains(sortable, d.Sort) || d.Sort == vigie.SortName {
		d.Sort = ""
	}
	if d.Status != "" && !slices.Contains(d.Statuses, d.Status) {
		d.Status = ""
	}
	if d.Domain != "" && !slices.Contains(d.Domains, d.Domain) {
		d.Domain = ""
	}
	wps, err := s.cfg.Workplaces.FindWorkplaces(r.Context(), org.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Workplaces = wps
	d.WPNames = map[string]string{}
	for _, wp := range wps {
		d.WPNames[wp.ID] = wp.Name
	}
	if _, ok := d.WPNames[d.Workplace]; !ok {
		d.Workplace = ""
	}
	f := vigie.SystemFilter{OrgID: org.ID, WorkplaceID: d.Workplace, Status: d.Status, Domain: d.Domain, Query: d.Query,
		Limit: PageSize, Offset: (d.Page - 1) * PageSize, Sort: d.Sort, ListOnly: true}
	d.Systems, d.Total, err = s.cfg.Systems.FindSystems(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Pages = max(1, (d.Total+PageSize-1)/PageSize)
	l := s.loc(r)
	d.Cols, d.Rows = newRegisterCols(l), newRegisterRows(l, d, d.Systems)
	s.render(w, r, http.StatusOK, "systems", s.page(r, "register.title", d))
}

// formData is the data of the system form.
type formData struct {
	Rec         *vigie.SystemRecord
	St          *formState
	Sections    []section
	Workplaces  []*vigie.Workplace
	WorkplaceID string
	Sharing     string // the sharing level chosen
	Sharings    []string
	Version     int
	Invalid     []invalidField // the fields in error, in form order
	Conflict    bool
}

// invalidField is one line of the error summary above the form.
type invalidField struct {
	ID, Label, Message string
}

func (s *Server) systemForm(w http.ResponseWriter, r *http.Request, status int, d *formData) {
	if d.Workplaces == nil {
		wps, err := s.cfg.Workplaces.FindWorkplaces(r.Context(), currentOrg(r).ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Workplaces = wps
	}
	d.Sections = formSections
	d.Sharings = vigie.SharingLevels
	if d.Sharing == "" {
		d.Sharing = vigie.SharingSection
	}
	l := s.loc(r)
	seen := map[string]bool{}
	add := func(path, label string) {
		if msg := d.St.Errors[path]; msg != "" && !seen[path] {
			seen[path] = true
			d.Invalid = append(d.Invalid, invalidField{ID: fid(path), Label: label, Message: l.T(msg)})
		}
	}
	add("workplace_id", l.T("register.workplace"))
	add("sharing", l.T("sharing.label"))
	for _, sec := range formSections {
		for _, f := range sec.Fields {
			add(f.Path, l.T("fact."+f.Path))
		}
	}
	for path := range d.St.Errors { // an error of the store on another field
		add(path, path)
	}
	title := "system.new"
	if d.Rec != nil {
		title = "system.edit"
	}
	s.render(w, r, status, "system_form", s.page(r, title, d))
}

// handleSystemNew shows an empty form; with ?workplace=ID, the employer's
// facts known from that workplace (kind, headcount, staff body) are filled
// in.
func (s *Server) handleSystemNew(w http.ResponseWriter, r *http.Request) {
	var sys vigie.System
	wpID := r.URL.Query().Get("workplace")
	wps, err := s.cfg.Workplaces.FindWorkplaces(r.Context(), currentOrg(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(wps, func(wp *vigie.Workplace) bool { return wp.ID == wpID })
	if i < 0 {
		wpID = ""
	} else {
		wp := wps[i]
		sys.Organisation.Kind = wp.Kind
		sys.Organisation.Headcount = wp.Headcount
		if wp.StaffBody != "" {
			sys.Organisation.StaffBodies = vigie.SetOf(wp.StaffBody)
		}
	}
	s.systemForm(w, r, http.StatusOK, &formData{St: stateOf(&sys), Workplaces: wps, WorkplaceID: wpID})
}

// checkWorkplace validates a workplace id of the form against the
// organisation's workplaces.
func (s *Server) checkWorkplace(r *http.Request, id string) ([]*vigie.Workplace, bool, error) {
	wps, err := s.cfg.Workplaces.FindWorkplaces(r.Context(), currentOrg(r).ID)
	if err != nil {
		return nil, false, err
	}
	if id == "" {
		return wps, true, nil
	}
	for _, wp := range wps {
		if wp.ID == id {
			return wps, true, nil
		}
	}
	return wps, false, nil
}

func (s *Server) handleSystemCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	var sys vigie.System
	st, errs := parseSystemForm(r.PostForm, &sys)
	wpID := r.PostForm.Get("workplace_id")
	wps, ok, err := s.checkWorkplace(r, wpID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		st.Errors["workplace_id"] = "err.choice"
	}
	sharing, serr := vigie.CheckSharing("sharing", r.PostForm.Get("sharing"))
	if serr != nil {
		st.Errors["sharing"] = "err.choice"
	}
	d := &formData{St: st, Workplaces: wps, WorkplaceID: wpID, Sharing: sharing}
	if len(errs) > 0 || !ok || serr != nil {
		s.systemForm(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	rec := &vigie.SystemRecord{OrgID: currentOrg(r).ID, WorkplaceID: wpID, System: sys, Sharing: sharing}
	if err := s.cfg.Systems.CreateSystem(r.Context(), rec); err != nil {
		if s.formError(w, r, err, d) {
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.created")
	http.Redirect(w, r, systemPath(rec), http.StatusSeeOther)
}

// formError shows a domain error of the store on the form, naming the
// field, and reports whether it did.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error, d *formData) bool {
	switch vigie.ErrorCode(err) {
	case vigie.EINVALID:
		var e *vigie.Error
		field := "name"
		if asVigie(err, &e) && e.Field != "" {
			field = e.Field
		}
		d.St.Errors[field] = vigie.ErrorMessage(err)
		s.systemForm(w, r, http.StatusUnprocessableEntity, d)
		return true
	case vigie.ECONFLICT:
		d.Conflict = true
		s.systemForm(w, r, http.StatusConflict, d)
		return true
	}
	return false
}

func systemPath(rec *vigie.SystemRecord) string { return "/o/" + rec.OrgID + "/systems/" + rec.ID }

// loadSystem finds the system of the URL in the current organisation; a
// system of another organisation is not found.
func (s *Server) loadSystem(r *http.Request) (*vigie.SystemRecord, error) {
	rec, err := s.cfg.Systems.FindSystemByID(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		return nil, err
	}
	if rec.OrgID != currentOrg(r).ID {
		return nil, vigie.Errorf(vigie.ENOTFOUND, "système introuvable / system not found")
	}
	return rec, nil
}

func (s *Server) handleSystemEdit(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.systemForm(w, r, http.StatusOK, &formData{Rec: rec, St: stateOf(&rec.System), WorkplaceID: rec.WorkplaceID, Sharing: rec.Sharing, Version: rec.Version})
}

func (s *Server) handleSystemUpdate(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	sys := rec.System
	sys.Evidence = slices.Clone(rec.System.Evidence)
	st, errs := parseSystemForm(r.PostForm, &sys)
	wpID := r.PostForm.Get("workplace_id")
	wps, ok, err := s.checkWorkplace(r, wpID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		st.Errors["workplace_id"] = "err.choice"
	}
	version, verr := strconv.Atoi(r.PostForm.Get("version"))
	if verr != nil || version < 1 {
		st.Errors["version"] = "err.int"
	}
	// A form without the field (an older page) keeps the stored level.
	sharing, serr := rec.Sharing, error(nil)
	if _, sent := r.PostForm["sharing"]; sent {
		if sharing, serr = vigie.CheckSharing("sharing", r.PostForm.Get("sharing")); serr != nil {
			st.Errors["sharing"] = "err.choice"
		}
	}
	d := &formData{Rec: rec, St: st, Workplaces: wps, WorkplaceID: wpID, Sharing: sharing, Version: version}
	if len(errs) > 0 || !ok || verr != nil || serr != nil {
		s.systemForm(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	upd := *rec
	upd.System = sys
	upd.WorkplaceID = wpID
	upd.Sharing = sharing
	upd.Version = version
	if err := s.cfg.Systems.UpdateSystem(r.Context(), &upd); err != nil {
		if vigie.ErrorCode(err) == vigie.ECONFLICT {
			d.Version = rec.Version
		}
		if s.formError(w, r, err, d) {
			return
		}
		s.fail(w, r, err)
		return
	}
	if err := s.keepAfterChange(r, rec, &upd, version); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.updated")
	http.Redirect(w, r, systemPath(rec), http.StatusSeeOther)
}

// handleSystemDeleteForm asks for confirmation: deleting is one click
// further, never by accident.
func (s *Server) handleSystemDeleteForm(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "system_delete", s.page(r, "system.delete", rec))
}

func (s *Server) handleSystemDelete(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Systems.DeleteSystem(r.Context(), rec.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.deleted")
	http.Redirect(w, r, "/o/"+rec.OrgID+"/systems", http.StatusSeeOther)
}

// marshalSystem writes a system file in YAML or JSON.
func marshalSystem(sys *vigie.System, format string) ([]byte, error) {
	c := *sys
	c.Schema = vigie.SystemSchema
	switch format {
	case "yaml":
		return yaml.MarshalWithOptions(&c, yaml.UseLiteralStyleIfMultiline(true))
	case "json":
		b, err := json.MarshalIndent(&c, "", "  ")
		return append(b, '\n'), err
	}
	return nil, vigie.Errorf(vigie.ENOTFOUND, "format inconnu / unknown format")
}

func (s *Server) handleSystemExport(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format := chi.URLParam(r, "format")
	b, err := marshalSystem(&rec.System, format)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ct := map[string]string{"yaml": "application/yaml; charset=utf-8", "json": "application/json; charset=utf-8"}[format]
	download(w, ct, slug(rec.System.Name)+"."+format, b)
}

func download(w http.ResponseWriter, contentType, name string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// importData is the data of the import page.
type importData struct {
	Workplaces  []*vigie.Workplace
	WorkplaceID string
	Error       string
	Line, Col   int
	Windows1252 bool // the user said the file is in Windows-1252
}

func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request) {
	wps, err := s.cfg.Workplaces.FindWorkplaces(r.Context(), currentOrg(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "import", s.page(r, "import.title", &importData{Workplaces: wps}))
}

// handleImport reads one or more system files; any error refuses them all
// with the file, line and column, and stores nothing.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(MaxUploadBytes); err != nil {
		if asMaxBytes(err, new(*http.MaxBytesError)) {
			s.tooLarge(w, r)
			return
		}
		s.fail(w, r, badForm(err))
		return
	}
	defer r.MultipartForm.RemoveAll()
	wpID := r.FormValue("workplace_id")
	wps, ok, err := s.checkWorkplace(r, wpID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &importData{Workplaces: wps, WorkplaceID: wpID, Windows1252: r.FormValue("encoding") == vigie.EncodingWindows1252}
	refuse := func(msg string, line, col int) {
		d.Error, d.Line, d.Col = msg, line, col
		s.render(w, r, http.StatusUnprocessableEntity, "import", s.page(r, "import.title", d))
	}
	if !ok {
		refuse(s.loc(r).T("err.choice")+" ("+s.loc(r).T("import.workplace")+")", 0, 0)
		return
	}
	files := r.MultipartForm.File["file"]
	if len(files) == 0 {
		refuse(s.loc(r).T("import.nofile"), 0, 0)
		return
	}
	var recs []*vigie.SystemRecord
	for _, fh := range files {
		if fh.Size > vigie.MaxSystemFileSize {
			w.Header().Set("Connection", "close")
			s.render(w, r, http.StatusRequestEntityTooLarge, "error", errorPage{Status: http.StatusRequestEntityTooLarge,
				Message: s.loc(r).T("err.toolarge", "Max", vigie.MaxSystemFileSize>>20)})
			return
		}
		f, err := fh.Open()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		b, err := io.ReadAll(io.LimitReader(f, vigie.MaxSystemFileSize+1))
		f.Close()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if b, err = vigie.DecodeSystemFile(b, r.FormValue("encoding")); err != nil {
			refuse(vigie.ErrorMessage(err), 0, 0)
			return
		}
		sys, err := vigie.ParseSystem(uploadName(fh.Filename), b)
		if err != nil {
			var e *vigie.Error
			if asVigie(err, &e) {
				refuse(e.Message, e.Line, e.Column)
				return
			}
			refuse(err.Error(), 0, 0)
			return
		}
		recs = append(recs, &vigie.SystemRecord{OrgID: currentOrg(r).ID, WorkplaceID: wpID, System: *sys})
	}
	if err := s.cfg.Systems.ImportSystems(r.Context(), currentOrg(r).ID, recs); err != nil {
		if vigie.ErrorCode(err) == vigie.EINVALID {
			var e *vigie.Error
			asVigie(err, &e)
			refuse(e.Message, e.Line, e.Column)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.imported")
	if len(recs) == 1 && recs[0].ID != "" {
		http.Redirect(w, r, systemPath(recs[0]), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/o/"+currentOrg(r).ID+"/systems", http.StatusSeeOther)
}
