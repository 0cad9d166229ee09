package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
)

// Tab is one tab of the system page, at /o/{org}/systems/{id}/t/{ID}.
//
// To add a tab (an assessment, actions, a footprint…): write its template
// in templates/tabs/NAME.html as {{define "tab-NAME"}}…{{end}}; it receives a
// *TabData (.P is the page: .P.L.T translates, .P.Can "editor" checks the
// role; .Rec is the system; .Data is what Load returned). Then add the Tab to
// defaultTabs below, or pass it in Config.Tabs, which replaces a tab of the
// same ID. Add its label to locales/ui.fr.json and locales/ui.en.json.
type Tab struct {
	ID       string // in the URL
	Label    string // message id of the tab's title
	Template string // name of the template that renders its body
	// Load returns the tab's data; nil means no data. It runs with the
	// request's context, so every store call is scoped to the user.
	Load func(r *http.Request, rec *vigie.SystemRecord) (any, error)
}

// TabData is what a tab's template receives.
type TabData struct {
	Tab  Tab
	P    *pageData
	Rec  *vigie.SystemRecord
	Data any
}

// defaultTabs are the tabs of the system page, in order. Évaluation,
// Actions and Environnement are places kept for the assessment, the
// actions and the footprint: they show a notice until their issue fills
// them in.
func defaultTabs() []Tab {
	return []Tab{
		{ID: "facts", Label: "tab.facts", Template: "tab-facts"},
		{ID: "evaluation", Label: "tab.evaluation", Template: "tab-placeholder"},
		{ID: "actions", Label: "tab.actions", Template: "tab-placeholder"},
		{ID: "evidence", Label: "tab.evidence", Template: "tab-evidence"},
		{ID: "environment", Label: "tab.environment", Template: "tab-placeholder"},
		{ID: "history", Label: "tab.history", Template: "tab-history"},
	}
}

func mergeTabs(base, extra []Tab) []Tab {
	out := slices.Clone(base)
	for _, t := range extra {
		i := slices.IndexFunc(out, func(x Tab) bool { return x.ID == t.ID })
		if i >= 0 {
			out[i] = t
		} else {
			out = append(out, t)
		}
	}
	return out
}

// systemPage is the data of the system page.
type systemPage struct {
	Rec       *vigie.SystemRecord
	Workplace *vigie.Workplace
	Tabs      []Tab
	Active    string
	Body      template.HTML
}

func (s *Server) handleSystem(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := chi.URLParam(r, "tab")
	if id == "" {
		id = "facts"
	}
	i := slices.IndexFunc(s.tabs, func(t Tab) bool { return t.ID == id })
	if i < 0 {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "onglet inconnu / unknown tab"))
		return
	}
	tab := s.tabs[i]
	load := tab.Load
	if load == nil {
		load = s.builtinLoad(tab.ID)
	}
	var data any
	if load != nil {
		if data, err = load(r, rec); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	sp := &systemPage{Rec: rec, Tabs: s.tabs, Active: tab.ID}
	if rec.WorkplaceID != "" {
		if wp, err := s.cfg.Workplaces.FindWorkplaceByID(r.Context(), rec.WorkplaceID); err == nil {
			sp.Workplace = wp
		}
	}
	p := s.page(r, "", sp)
	p.Title = rec.System.Name
	var buf bytes.Buffer
	if err := s.pages["system"].t.ExecuteTemplate(&buf, tab.Template, &TabData{Tab: tab, P: p, Rec: rec, Data: data}); err != nil {
		s.fail(w, r, err)
		return
	}
	sp.Body = template.HTML(buf.String())
	s.render(w, r, http.StatusOK, "system", p)
}

func (s *Server) builtinLoad(id string) func(*http.Request, *vigie.SystemRecord) (any, error) {
	switch id {
	case "facts":
		return s.loadFacts
	case "evidence":
		return s.loadEvidence
	case "history":
		return s.loadHistory
	}
	return nil
}

// factRow is one fact on the system page with its provenance.
type factRow struct {
	Field    field
	Value    string // raw value as Facts() gives it
	Evidence []vigie.Evidence
	Docs     []*vigie.Document
}

type factSection struct {
	Name string
	Rows []factRow
}

func (s *Server) loadFacts(r *http.Request, rec *vigie.SystemRecord) (any, error) {
	docs, err := s.cfg.Documents.FindDocuments(r.Context(), rec.ID)
	if err != nil {
		return nil, err
	}
	facts := rec.System.Facts()
	var out []factSection
	for _, sec := range formSections {
		fs := factSection{Name: sec.Name}
		for _, f := range sec.Fields {
			row := factRow{Field: f, Value: facts[f.Path]}
			for _, e := range rec.System.Evidence {
				if e.Fact == f.Path {
					row.Evidence = append(row.Evidence, e)
				}
			}
			for _, d := range docs {
				if slices.Contains(d.Facts, f.Path) {
					row.Docs = append(row.Docs, d)
				}
			}
			fs.Rows = append(fs.Rows, row)
		}
		out = append(out, fs)
	}
	return out, nil
}

// evidenceData is the data of the evidence tab.
type evidenceData struct {
	Evidence []vigie.Evidence
	Docs     []*vigie.Document
	Paths    []string
	Sources  []string
	Error    string
}

func (s *Server) loadEvidence(r *http.Request, rec *vigie.SystemRecord) (any, error) {
	docs, err := s.cfg.Documents.FindDocuments(r.Context(), rec.ID)
	if err != nil {
		return nil, err
	}
	return &evidenceData{Evidence: rec.System.Evidence, Docs: docs, Paths: vigie.FactPaths(), Sources: vigie.EvidenceSources}, nil
}

func (s *Server) loadHistory(r *http.Request, rec *vigie.SystemRecord) (any, error) {
	return s.cfg.Systems.SystemHistory(r.Context(), rec.ID)
}

// handleEvidenceAdd adds a provenance line to the system's evidence list
// (a new version of the system).
func (s *Server) handleEvidenceAdd(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	e := vigie.Evidence{
		Fact:     r.PostForm.Get("fact"),
		Source:   r.PostForm.Get("source"),
		Document: strings.TrimSpace(r.PostForm.Get("document")),
	}
	l := s.loc(r)
	switch {
	case !vigie.IsFactPath(e.Fact):
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "fact", Message: l.T("evidence.fact") + " : " + l.T("err.choice")})
		return
	case !slices.Contains(vigie.EvidenceSources, e.Source):
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "source", Message: l.T("evidence.source") + " : " + l.T("err.choice")})
		return
	case e.Document == "":
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "document", Message: l.T("evidence.document") + " : " + l.T("err.required")})
		return
	}
	if ds := strings.TrimSpace(r.PostForm.Get("date")); ds != "" {
		d, err := vigie.ParseDate(ds)
		if err != nil {
			s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "date", Message: l.T("evidence.date") + " : " + l.T("err.date")})
			return
		}
		e.Date = d
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "version", Message: "version : " + l.T("err.int")})
		return
	}
	upd := *rec
	upd.System.Evidence = append(slices.Clone(rec.System.Evidence), e)
	upd.Version = version
	if err := s.cfg.Systems.UpdateSystem(r.Context(), &upd); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.evidence")
	http.Redirect(w, r, systemPath(rec)+"/t/evidence", http.StatusSeeOther)
}

// handleDocumentUpload keeps an evidence file with its sha256.
func (s *Server) handleDocumentUpload(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseMultipartForm(MaxUploadBytes); err != nil {
		if asMaxBytes(err, new(*http.MaxBytesError)) {
			s.tooLarge(w, r)
			return
		}
		s.fail(w, r, badForm(err))
		return
	}
	defer r.MultipartForm.RemoveAll()
	l := s.loc(r)
	fhs := r.MultipartForm.File["file"]
	if len(fhs) != 1 {
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "file", Message: l.T("document.file") + " : " + l.T("err.required")})
		return
	}
	source := r.FormValue("source")
	if !slices.Contains(vigie.EvidenceSources, source) {
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "source", Message: l.T("evidence.source") + " : " + l.T("err.choice")})
		return
	}
	var date vigie.Date
	if ds := strings.TrimSpace(r.FormValue("date")); ds != "" {
		if date, err = vigie.ParseDate(ds); err != nil {
			s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "date", Message: l.T("evidence.date") + " : " + l.T("err.date")})
			return
		}
	}
	var facts []string
	for _, p := range r.MultipartForm.Value["facts"] {
		if !vigie.IsFactPath(p) {
			s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "facts", Message: l.T("document.facts") + " : " + l.T("err.choice")})
			return
		}
		facts = append(facts, p)
	}
	f, err := fhs[0].Open()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	content, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sum := sha256.Sum256(content)
	mt := fhs[0].Header.Get("Content-Type")
	if mt == "" {
		mt = http.DetectContentType(content)
	}
	d := &vigie.Document{OrgID: rec.OrgID, SystemID: rec.ID, Name: fhs[0].Filename, MediaType: mt, Size: int64(len(content)),
		SHA256: hex.EncodeToString(sum[:]), Date: date, Source: source, Facts: facts}
	if err := s.cfg.Documents.CreateDocument(r.Context(), d, content); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.document")
	http.Redirect(w, r, systemPath(rec)+"/t/evidence", http.StatusSeeOther)
}

// handleDocument serves an evidence file as a download, never inline.
func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request) {
	d, content, err := s.cfg.Documents.DocumentContent(r.Context(), chi.URLParam(r, "doc"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.OrgID != currentOrg(r).ID {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "document introuvable / document not found"))
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	download(w, "application/octet-stream", d.Name, content)
}
