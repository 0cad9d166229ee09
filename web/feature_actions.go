package web

// The actions of a system (issue 5, items 3 to 5): the letters the law
// allows, filled by package letters from the system's facts and its
// assessment (package assess), saved as actions, and followed through
// their states (brouillon, envoyé, réponse reçue, sans réponse, escalade,
// clos) with the due dates that package law/deadline computes from the
// date sent. The board "Échéances" and the calendar feed are in
// feature_actions_board.go.
//
// Routes under /o/{org}:
//
//	GET  /systems/{id}/actions/new[?rule=ID|letter=ID…]  choose, fill and preview a letter (editor)
//	GET  /systems/{id}/actions/new/letter.{odt,pdf,txt}   the same letter as a download (editor)
//	POST /systems/{id}/actions                            save it as a draft action (editor)
//	GET  /actions/{aid}                                   the action, its chain and its tracking
//	GET  /actions/{aid}/letter.{odt,pdf,txt}              the letter of the action
//	POST /actions/{aid}/{sent,answer,no-answer,close,options,escalate}  tracking (editor)

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/law/deadline"
	"github.com/vigie-app/vigie/letters"
)

func init() {
	addFeature(feature{
		Name: "actions",
		Tabs: func(s *Server) []Tab {
			if s.cfg.Actions == nil {
				return nil
			}
			return []Tab{{ID: "actions", Label: "tab.actions", Template: "tab-actions", Load: s.loadActionsTab}}
		},
		OrgRoutes: func(s *Server, r chi.Router) {
			if s.cfg.Actions == nil {
				return
			}
			ed := r.With(s.need(vigie.RoleEditor))
			ed.Get("/systems/{id}/actions/new", s.handleActionNew)
			ed.Get("/systems/{id}/actions/new/letter.{format}", s.handleActionNewDownload)
			ed.Post("/systems/{id}/actions", s.handleActionCreate)
			r.Get("/actions/{aid}", s.handleAction)
			r.Get("/actions/{aid}/letter.{format}", s.handleActionDownload)
			ed.Post("/actions/{aid}/sent", s.handleActionSent)
			ed.Post("/actions/{aid}/answer", s.handleActionAnswer)
			ed.Post("/actions/{aid}/no-answer", s.handleActionState(vigie.ActionNoAnswer))
			ed.Post("/actions/{aid}/close", s.handleActionState(vigie.ActionClosed))
			ed.Post("/actions/{aid}/options", s.handleActionOptions)
			ed.Post("/actions/{aid}/escalate", s.handleActionEscalate)
			boardRoutes(s, r)
		},
		PublicRoutes: func(s *Server, r chi.Router) {
			if s.cfg.Actions == nil || s.cfg.Calendar == nil {
				return
			}
			r.Get("/cal/{token}.ics", s.handleCalendarFeed)
		},
	})
	funcs["longDate"] = func(d vigie.Date, lang string) string { return letters.LongDate(d, lang) }
	funcs["isDue"] = func(kind string) bool { return kind == deadline.KindDeadline }
	funcs["actList"] = func(s ...string) []string { return s }
	funcs["actWaiting"] = waiting
}

// actionRow is an action of the system's tab with its next due date.
type actionRow struct {
	A       *vigie.Action
	Letter  letters.Letter
	Next    *deadline.Step // the next due date, or the last one once all are past
	Overdue bool
	Missing string
}

// suggestion is a letter the assessment proposes: it acts on unmet
// obligations of the system.
type suggestion struct {
	Letter letters.Letter
	Rules  []string
}

// actionsTab is the data of the tab.
type actionsTab struct {
	Rows        []actionRow
	Suggestions []suggestion
	NewPath     string
}

func (s *Server) loadActionsTab(r *http.Request, rec *vigie.SystemRecord) (any, error) {
	acts, err := s.cfg.Actions.FindActions(r.Context(), vigie.ActionFilter{OrgID: rec.OrgID, SystemID: rec.ID})
	if err != nil {
		return nil, err
	}
	today := actionsToday()
	d := &actionsTab{NewPath: systemPath(rec) + "/actions/new"}
	byID := map[string]*vigie.Action{}
	for _, a := range acts {
		byID[a.ID] = a
	}
	running := live(acts)
	for i := len(acts) - 1; i >= 0; i-- { // newest first
		a := acts[i]
		l, _ := letters.Lookup(a.Letter)
		row := actionRow{A: a, Letter: l}
		if a.State == vigie.ActionDraft || slices.Contains(running, a) {
			c, err := actionChain(a, byID[a.ParentID], &rec.System)
			if err != nil {
				return nil, err
			}
			row.Missing = c.Missing
			dues := c.Dues()
			for j := range dues {
				if !dues[j].Due.Before(today) {
					row.Next = &dues[j]
					break
				}
			}
			if row.Next == nil && len(dues) > 0 {
				row.Next = &dues[len(dues)-1]
				row.Overdue = waiting(a.State)
			}
		}
		d.Rows = append(d.Rows, row)
	}
	d.Suggestions = suggestions(&rec.System, assess.Evaluate(&rec.System, today), today)
	return d, nil
}

// unmetRules returns the ids of the unmet obligations of an assessment.
func unmetRules(a *assess.Assessment) []string {
	var out []string
	for _, o := range a.Obligations {
		if o.Status == assess.StatusUnmet {
			out = append(out, o.ID)
		}
	}
	return out
}

// suggestions are the letters that act on an unmet obligation of the
// assessment, fit the employer and rest on a rule that applies, in
// catalogue order.
func suggestions(sys *vigie.System, a *assess.Assessment, date vigie.Date) []suggestion {
	unmet := unmetRules(a)
	d := letters.WithAssessment(letters.Data{System: sys, Date: date}, a)
	var out []suggestion
	for _, l := range letters.Catalogue() {
		if !l.Fits(sys) || !l.Available(date) {
			continue
		}
		if ok, _, _ := letters.Applies(l, d); !ok {
			continue
		}
		var rules []string
		for _, id := range l.Rules {
			if slices.Contains(unmet, id) {
				rules = append(rules, id)
			}
		}
		if len(rules) > 0 {
			out = append(out, suggestion{Letter: l, Rules: rules})
		}
	}
	return out
}

// letterForm is the form that fills a letter: its raw values and the
// error of each field.
type letterForm struct {
	V      url.Values
	Errors map[string]string
}

func (f *letterForm) Val(name string) string { return f.V.Get(name) }
func (f *letterForm) Err(name string) string { return f.Errors[name] }
func (f *letterForm) Checked(name string) bool {
	v := f.V.Get(name)
	return v == "on" || v == "true" || v == "1"
}

// letterFields are the fields of the letter form, in its order.
var letterFields = []string{"letter", "date", "lang", "sender", "addressee", "place", "signatory", "requester",
	"request_sent_on", "refusal_on", "documents", "alsace_moselle", "parent"}

// actionNewData is the data of the page that fills a letter.
type actionNewData struct {
	Rec         *vigie.SystemRecord
	Form        *letterForm
	Letter      letters.Letter // the chosen letter (zero when none)
	Suggested   []suggestion
	Others      []letters.Letter
	Rule        string // the rule the page was opened for (?rule=)
	NoLetter    bool   // ?rule= names a rule no letter acts on for this employer
	Preview     template.HTML
	Deadlines   []deadline.Step
	Parent      *vigie.Action
	SystemPath  string
	FormAction  string
	CreatePath  string
	Unmet       []string
	UnknownsLen int
}

// fillLetter reads the letter form against the system: the letter and
// its data, or the errors of the fields. An empty form is not an error:
// it only chooses nothing yet.
func (s *Server) fillLetter(r *http.Request, rec *vigie.SystemRecord, vals url.Values) (*letterForm, letters.Letter, letters.Data, *vigie.Action, error) {
	l10n := s.loc(r)
	f := &letterForm{V: url.Values{}, Errors: map[string]string{}}
	for _, k := range letterFields {
		if v := strings.TrimSpace(vals.Get(k)); v != "" {
			f.V.Set(k, v)
		}
	}
	if f.V.Get("lang") == "" {
		f.V.Set("lang", "fr")
	}
	if f.V.Get("date") == "" {
		f.V.Set("date", actionsToday().String())
	}
	bad := func(field, msg string) { f.Errors[field] = l10n.T("action.field."+field) + " : " + l10n.T(msg) }
	var d letters.Data
	d.System = &rec.System
	date, err := vigie.ParseDate(f.V.Get("date"))
	if err != nil {
		bad("date", "err.date")
	}
	d.Date = date
	lang := f.V.Get("lang")
	if lang != "fr" && lang != "en" {
		bad("lang", "err.choice")
	}
	for _, x := range []struct {
		field string
		dst   *vigie.Date
	}{{"request_sent_on", &d.RequestSentOn}, {"refusal_on", &d.RefusalOn}} {
		if v := f.V.Get(x.field); v != "" {
			p, err := vigie.ParseDate(v)
			if err != nil {
				bad(x.field, "err.date")
				continue
			}
			*x.dst = p
		}
	}
	d.Sender, d.Addressee, d.Place = f.V.Get("sender"), f.V.Get("addressee"), f.V.Get("place")
	d.Signatory, d.Requester = f.V.Get("signatory"), f.V.Get("requester")
	for _, line := range strings.Split(f.V.Get("documents"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			d.Documents = append(d.Documents, line)
		}
	}
	d.AlsaceMoselle = f.Checked("alsace_moselle")
	for k, max := range map[string]int{"sender": 300, "addressee": 300, "place": 100, "signatory": 300, "requester": 200, "documents": 4000} {
		if len([]rune(f.V.Get(k))) > max {
			f.Errors[k] = l10n.T("action.field."+k) + " : " + l10n.T("action.err.toolong", "Max", max)
		}
	}
	for _, k := range []string{"sender", "addressee", "place", "signatory", "requester"} {
		if fault := vigie.CheckLine(f.V.Get(k)); fault != nil && fault.Kind != "length" && f.Errors[k] == "" {
			f.Errors[k] = l10n.T("action.field."+k) + " : " + l10n.T(faultID(fault))
		}
	}
	for _, line := range d.Documents {
		if fault := vigie.CheckLine(line); fault != nil && fault.Kind != "length" && f.Errors["documents"] == "" {
			f.Errors["documents"] = l10n.T("action.field.documents") + " : " + l10n.T(faultID(fault))
		}
	}
	var parent *vigie.Action
	if pid := f.V.Get("parent"); pid != "" {
		p, err := s.cfg.Actions.FindActionByID(r.Context(), pid)
		if err != nil && vigie.ErrorCode(err) != vigie.ENOTFOUND {
			return nil, letters.Letter{}, d, nil, err
		}
		if err != nil || p.OrgID != rec.OrgID {
			bad("parent", "action.err.parent")
		} else {
			parent = p
			if d.RequestSentOn.IsZero() {
				d.RequestSentOn = p.SentOn
			}
		}
	}
	var l letters.Letter
	if id := f.V.Get("letter"); id != "" {
		var ok bool
		if l, ok = letters.Lookup(id); !ok {
			bad("letter", "err.choice")
		} else if !date.IsZero() && !l.Available(date) {
			f.Errors["letter"] = l10n.T("action.field.letter") + " : " + l10n.T("action.err.notyet", "From", l.From)
		}
	}
	if !d.Date.IsZero() {
		d = letters.WithAssessment(d, assess.Evaluate(&rec.System, d.Date))
	}
	return f, l, d, parent, nil
}

func (s *Server) handleActionNew(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	rule := strings.TrimSpace(q.Get("rule"))
	noLetter := false
	if rule != "" && q.Get("letter") == "" {
		d := letters.WithAssessment(letters.Data{System: &rec.System, Date: actionsToday()}, assess.Evaluate(&rec.System, actionsToday()))
		noLetter = true
		for _, l := range letters.ForRule(rule, &rec.System) {
			if ok, _, _ := letters.Applies(l, d); ok {
				q.Set("letter", l.ID)
				noLetter = false
				break
			}
		}
	}
	f, l, d, parent, err := s.fillLetter(r, rec, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := s.actionNewData(r, rec, f, l, d, parent)
	data.Rule, data.NoLetter = rule, noLetter
	status := http.StatusOK
	if len(f.Errors) > 0 && r.Header.Get("HX-Request") != "true" { // htmx swaps only a 2xx answer
		status = http.StatusUnprocessableEntity
	}
	p := s.page(r, "action.new.title", data)
	s.render(w, r, status, "actions_new", p)
}

// actionNewData builds the page, with the preview when the form is
// complete.
func (s *Server) actionNewData(r *http.Request, rec *vigie.SystemRecord, f *letterForm, l letters.Letter, d letters.Data, parent *vigie.Action) *actionNewData {
	date := d.Date
	if date.IsZero() {
		date = actionsToday()
	}
	a := assess.Evaluate(&rec.System, date)
	data := &actionNewData{Rec: rec, Form: f, Letter: l, Parent: parent, SystemPath: systemPath(rec),
		FormAction: systemPath(rec) + "/actions/new", CreatePath: systemPath(rec) + "/actions",
		Unmet: unmetRules(a), UnknownsLen: len(a.Unknowns)}
	data.Suggested = suggestions(&rec.System, a, date)
	for _, c := range letters.Offered(letters.WithAssessment(letters.Data{System: &rec.System, Date: date}, a)) {
		if slices.ContainsFunc(data.Suggested, func(x suggestion) bool { return x.Letter.ID == c.ID }) {
			continue
		}
		data.Others = append(data.Others, c)
	}
	if l.ID != "" && len(f.Errors) == 0 {
		doc, err := letters.Build(l.ID, d, f.Val("lang"))
		if err != nil {
			f.Errors["letter"] = vigie.ErrorMessage(err)
			return data
		}
		var buf bytes.Buffer
		if err := doc.WriteHTMLFragment(&buf); err == nil {
			data.Preview = template.HTML(buf.String()) // escaped by package letters
		}
		data.Deadlines = doc.Deadlines
	}
	return data
}

// letterFormats are the downloads of a letter.
var letterFormats = map[string]struct{ format, mime, ext string }{
	"odt": {letters.FormatODT, letters.ODTMimeType, "odt"},
	"pdf": {letters.FormatPDF, "application/pdf", "pdf"},
	"txt": {letters.FormatText, "text/plain; charset=utf-8", "txt"},
}

func (s *Server) handleActionNewDownload(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lf, ok := letterFormats[chi.URLParam(r, "format")]
	if !ok {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "format inconnu / unknown format"))
		return
	}
	f, l, d, _, err := s.fillLetter(r, rec, r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if l.ID == "" && len(f.Errors) == 0 {
		f.Errors["letter"] = s.loc(r).T("action.field.letter") + " : " + s.loc(r).T("err.required")
	}
	if err := letterFormError(f); err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := letters.Render(l.ID, d, f.Val("lang"), lf.format, &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, lf.mime, l.ID+"-"+slug(rec.System.Name)+"."+lf.ext, buf.Bytes())
}

// letterFormError turns the errors of a form into one EINVALID error, in the
// order of the fields.
func letterFormError(f *letterForm) error {
	var msgs []string
	var field string
	for _, k := range letterFields {
		if e := f.Errors[k]; e != "" {
			if field == "" {
				field = k
			}
			msgs = append(msgs, e)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return &vigie.Error{Code: vigie.EINVALID, Field: field, Message: strings.Join(msgs, " ; ")}
}

// actionRules are the rules an action on letter l acts on: those of the
// letter that are unmet in the assessment, else all the letter's rules.
func actionRules(l letters.Letter, unmet []string) []string {
	var out []string
	for _, id := range l.Rules {
		if slices.Contains(unmet, id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		out = slices.Clone(l.Rules)
	}
	return out
}

// newAction is a draft action on letter l, with the letter's text.
func newAction(rec *vigie.SystemRecord, l letters.Letter, d letters.Data, lang string, doc *letters.Document) *vigie.Action {
	var unmet []string
	for _, o := range d.Obligations {
		if o.Status == assess.StatusUnmet {
			unmet = append(unmet, o.ID)
		}
	}
	return &vigie.Action{SystemID: rec.ID, Letter: l.ID, Rules: actionRules(l, unmet), Procedure: l.Procedure,
		Options: vigie.ActionOptions{Expert: slices.Contains(l.ProcedureOptions, deadline.OptExpert), AlsaceMoselle: d.AlsaceMoselle},
		State:   vigie.ActionDraft, Title: l.Title.In(lang), Addressee: d.Addressee, Lang: lang, Body: doc.Text()}
}

func (s *Server) handleActionCreate(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	f, l, d, parent, err := s.fillLetter(r, rec, r.PostForm)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if l.ID == "" && f.Errors["letter"] == "" {
		f.Errors["letter"] = s.loc(r).T("action.field.letter") + " : " + s.loc(r).T("err.required")
	}
	var doc *letters.Document
	if len(f.Errors) == 0 {
		if doc, err = letters.Build(l.ID, d, f.Val("lang")); err != nil {
			f.Errors["letter"] = vigie.ErrorMessage(err)
		}
	}
	if len(f.Errors) > 0 {
		data := s.actionNewData(r, rec, f, l, d, parent)
		s.render(w, r, http.StatusUnprocessableEntity, "actions_new", s.page(r, "action.new.title", data))
		return
	}
	a := newAction(rec, l, d, f.Val("lang"), doc)
	if parent != nil {
		a.ParentID = parent.ID
	}
	if err := s.cfg.Actions.CreateAction(r.Context(), a); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "action.flash.created")
	http.Redirect(w, r, "/o/"+rec.OrgID+"/actions/"+a.ID, http.StatusSeeOther)
}

// loadAction reads the action in the URL, of the organisation in the URL
// (another organisation's action is not found, whatever the user's
// memberships).
func (s *Server) loadAction(r *http.Request) (*vigie.Action, *vigie.SystemRecord, error) {
	a, err := s.cfg.Actions.FindActionByID(r.Context(), chi.URLParam(r, "aid"))
	if err != nil {
		return nil, nil, err
	}
	if a.OrgID != currentOrg(r).ID {
		return nil, nil, vigie.Errorf(vigie.ENOTFOUND, "action introuvable / action not found")
	}
	rec, err := s.cfg.Systems.FindSystemByID(r.Context(), a.SystemID)
	if err != nil {
		return nil, nil, err
	}
	return a, rec, nil
}

// proposal is the next step proposed once a step of the chain expired.
type proposal struct {
	Letter letters.Letter
	Step   deadline.Step
}

// actionPage is the data of an action's page.
type actionPage struct {
	A          *vigie.Action
	Rec        *vigie.SystemRecord
	Letter     letters.Letter
	Procedure  deadline.Procedure
	Chain      *chain
	Today      vigie.Date
	Parent     *vigie.Action
	Children   []*vigie.Action
	Proposal   *proposal
	Errors     map[string]string
	V          url.Values // the values of a form sent back with errors
	Path       string
	SystemPath string
	// Options the procedure takes, for the options form.
	Options []string
}

func (p *actionPage) Err(name string) string { return p.Errors[name] }

// Val is a value of the form sent back, else the action's own.
func (p *actionPage) Val(name string) string {
	if p.V != nil {
		return p.V.Get(name)
	}
	switch name {
	case "sent_on":
		if p.A.SentOn.IsZero() {
			return p.Today.String()
		}
		return p.A.SentOn.String()
	case "addressee":
		return p.A.Addressee
	case "attachments":
		return p.A.Attachments
	case "answered_on":
		if p.A.AnsweredOn.IsZero() {
			return p.Today.String()
		}
		return p.A.AnsweredOn.String()
	case "answer":
		return p.A.Answer
	}
	return ""
}

// Opt reports whether an option is on.
func (p *actionPage) Opt(name string) bool {
	if p.V != nil {
		return p.V.Get(name) != ""
	}
	o := p.A.Options
	switch name {
	case "expert":
		return o.Expert
	case "multi_level":
		return o.MultiLevel
	case "extended":
		return o.Extended
	case "alsace_moselle":
		return o.AlsaceMoselle
	}
	return false
}

// Can reports whether the action may go to state.
func (p *actionPage) Can(state string) bool { return canMove(p.A.State, state) }

// canMove is the tracking's state machine.
func canMove(from, to string) bool {
	switch to {
	case vigie.ActionSent:
		return from == vigie.ActionDraft || from == vigie.ActionSent
	case vigie.ActionAnswered:
		return from == vigie.ActionSent || from == vigie.ActionNoAnswer || from == vigie.ActionAnswered
	case vigie.ActionNoAnswer:
		return from == vigie.ActionSent
	case vigie.ActionEscalated:
		return from == vigie.ActionSent || from == vigie.ActionNoAnswer || from == vigie.ActionAnswered
	case vigie.ActionClosed:
		return from != vigie.ActionClosed
	}
	return false
}

func (s *Server) actionPage(r *http.Request, a *vigie.Action, rec *vigie.SystemRecord) (*actionPage, error) {
	p := &actionPage{A: a, Rec: rec, Today: actionsToday(), Errors: map[string]string{},
		Path: "/o/" + a.OrgID + "/actions/" + a.ID, SystemPath: systemPath(rec)}
	p.Letter, _ = letters.Lookup(a.Letter)
	p.Procedure, _ = deadline.Lookup(a.Procedure)
	for _, o := range p.Procedure.Options {
		switch o {
		case deadline.OptExpert, deadline.OptMultiLevel, deadline.OptExtended:
			p.Options = append(p.Options, strings.ReplaceAll(o, "-", "_"))
		}
	}
	p.Options = append(p.Options, "alsace_moselle")
	var err error
	if p.Parent, err = s.parentAction(r.Context(), a); err != nil {
		return nil, err
	}
	sibs, err := s.cfg.Actions.FindActions(r.Context(), vigie.ActionFilter{OrgID: a.OrgID, SystemID: a.SystemID})
	if err != nil {
		return nil, err
	}
	for _, x := range sibs {
		if x.ParentID == a.ID {
			p.Children = append(p.Children, x)
		}
	}
	if p.Chain, err = actionChain(a, p.Parent, &rec.System); err != nil {
		return nil, err
	}
	if a.State == vigie.ActionSent || a.State == vigie.ActionNoAnswer {
		if next, st, ok := letters.Proposal(p.Letter, p.Chain.Steps, p.Today); ok && next.Fits(&rec.System) {
			p.Proposal = &proposal{Letter: next, Step: st}
		}
	}
	return p, nil
}

func (s *Server) handleAction(w http.ResponseWriter, r *http.Request) {
	a, rec, err := s.loadAction(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.actionPage(r, a, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderAction(w, r, http.StatusOK, p)
}

func (s *Server) renderAction(w http.ResponseWriter, r *http.Request, status int, d *actionPage) {
	p := s.page(r, "", d)
	p.Title = d.A.Title
	s.render(w, r, status, "actions_show", p)
}

// handleActionDownload serves the letter of an action: the text kept when
// it was saved, or the letter rebuilt as ODT or PDF from the system's
// facts as they are now, dated the day it was sent (or created).
func (s *Server) handleActionDownload(w http.ResponseWriter, r *http.Request) {
	a, rec, err := s.loadAction(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lf, ok := letterFormats[chi.URLParam(r, "format")]
	if !ok {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "format inconnu / unknown format"))
		return
	}
	name := a.Letter + "-" + slug(rec.System.Name) + "." + lf.ext
	// A sent letter is the file kept when it was sent, whatever the
	// system's record says today.
	if a.State != vigie.ActionDraft && s.cfg.SentLetters != nil {
		f, err := s.cfg.SentLetters.FindSentLetter(r.Context(), a.ID, lf.ext)
		if err == nil {
			w.Header().Set("X-Content-SHA256", f.SHA256)
			download(w, lf.mime, name, f.Content)
			return
		}
		if vigie.ErrorCode(err) != vigie.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
	}
	if lf.ext == "txt" {
		download(w, lf.mime, name, []byte(a.Body))
		return
	}
	d, err := s.actionData(r, a, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := letters.Render(a.Letter, d, a.Lang, lf.format, &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, lf.mime, name, buf.Bytes())
}

// actionData is the letter data of a saved action.
func (s *Server) actionData(r *http.Request, a *vigie.Action, rec *vigie.SystemRecord) (letters.Data, error) {
	date := a.SentOn
	if date.IsZero() {
		date = vigie.DateOf(a.CreatedAt)
	}
	d := letters.Data{System: &rec.System, Date: date, Addressee: a.Addressee, AlsaceMoselle: a.Options.AlsaceMoselle}
	parent, err := s.parentAction(r.Context(), a)
	if err != nil {
		return d, err
	}
	if parent != nil {
		d.RequestSentOn = parent.SentOn
	}
	return letters.WithAssessment(d, assess.Evaluate(&rec.System, date)), nil
}

// trackingForm reads a tracking form; it answers the error itself and
// returns nil when the action cannot be read or the form is unreadable.
func (s *Server) trackingForm(w http.ResponseWriter, r *http.Request) (*actionPage, bool) {
	a, rec, err := s.loadAction(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return nil, false
	}
	p, err := s.actionPage(r, a, rec)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return p, true
}

// refuse answers a form with errors: the action's page with the values
// sent and the message of each field; nothing is stored.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, p *actionPage) {
	p.V = r.PostForm
	s.renderAction(w, r, http.StatusUnprocessableEntity, p)
}

// conflict answers a move the state machine does not allow.
func (s *Server) conflict(w http.ResponseWriter, r *http.Request, p *actionPage, to string) {
	l := s.loc(r)
	s.fail(w, r, vigie.Errorf(vigie.ECONFLICT, "%s", l.T("action.err.move", "From", l.T("action.state."+p.A.State), "To", l.T("action.state."+to))))
}

// saveAction stores the changed action and goes back to its page; a
// domain error on a field is shown on the form.
func (s *Server) saveAction(w http.ResponseWriter, r *http.Request, p *actionPage, a *vigie.Action, flash string) {
	if !s.updateAction(w, r, p, a) {
		return
	}
	s.setFlash(r, flash)
	http.Redirect(w, r, p.Path, http.StatusSeeOther)
}

// updateAction stores a; on failure it answers the error itself and
// returns false.
func (s *Server) updateAction(w http.ResponseWriter, r *http.Request, p *actionPage, a *vigie.Action) bool {
	if err := s.cfg.Actions.UpdateAction(r.Context(), a); err != nil {
		var e *vigie.Error
		if errors.As(err, &e) && e.Code == vigie.EINVALID && e.Field != "" {
			p.Errors[e.Field] = e.Message
			s.refuse(w, r, p)
			return false
		}
		s.fail(w, r, err)
		return false
	}
	return true
}

// formDate reads a required date field that may not be after today.
func (s *Server) formDate(r *http.Request, p *actionPage, field string) vigie.Date {
	l := s.loc(r)
	v := strings.TrimSpace(r.PostForm.Get(field))
	if v == "" {
		p.Errors[field] = l.T("action.field."+field) + " : " + l.T("err.required")
		return vigie.Date{}
	}
	d, err := vigie.ParseDate(v)
	if err != nil {
		p.Errors[field] = l.T("action.field."+field) + " : " + l.T("err.date")
		return vigie.Date{}
	}
	if d.After(p.Today) {
		p.Errors[field] = l.T("action.field."+field) + " : " + l.T("action.err.future")
		return vigie.Date{}
	}
	return d
}

// readOptions reads the procedure's options from the form.
func readOptions(p *actionPage, v url.Values) vigie.ActionOptions {
	on := func(name string) bool { return slices.Contains(p.Options, name) && v.Get(name) != "" }
	o := vigie.ActionOptions{Expert: on("expert"), MultiLevel: on("multi_level"), Extended: on("extended"), AlsaceMoselle: on("alsace_moselle")}
	if o.MultiLevel && slices.Contains(p.Options, "expert") {
		o.Expert = true // expertise at several levels is an expertise
	}
	if slices.Contains(p.Letter.ProcedureOptions, deadline.OptExpert) {
		o.Expert = true // the letter votes the expert
	}
	return o
}

func (s *Server) handleActionSent(w http.ResponseWriter, r *http.Request) {
	p, ok := s.trackingForm(w, r)
	if !ok {
		return
	}
	if !p.Can(vigie.ActionSent) {
		s.conflict(w, r, p, vigie.ActionSent)
		return
	}
	l := s.loc(r)
	sent := s.formDate(r, p, "sent_on")
	addressee := strings.TrimSpace(r.PostForm.Get("addressee"))
	attachments := strings.TrimSpace(r.PostForm.Get("attachments"))
	if len([]rune(addressee)) > 300 {
		p.Errors["addressee"] = l.T("action.field.addressee") + " : " + l.T("action.err.toolong", "Max", 300)
	} else if fault := vigie.CheckLine(addressee); fault != nil {
		p.Errors["addressee"] = l.T("action.field.addressee") + " : " + l.T(faultID(fault))
	}
	if len([]rune(attachments)) > 2000 {
		p.Errors["attachments"] = l.T("action.field.attachments") + " : " + l.T("action.err.toolong", "Max", 2000)
	}
	if p.Parent != nil && !sent.IsZero() && !p.Parent.SentOn.IsZero() && sent.Before(p.Parent.SentOn) {
		p.Errors["sent_on"] = l.T("action.field.sent_on") + " : " + l.T("action.err.beforeparent", "Date", p.Parent.SentOn.String())
	}
	if len(p.Errors) > 0 {
		s.refuse(w, r, p)
		return
	}
	a := *p.A
	a.State, a.SentOn, a.Addressee, a.Attachments = vigie.ActionSent, sent, addressee, attachments
	a.Options = readOptions(p, r.PostForm)
	if !a.AnsweredOn.IsZero() && a.AnsweredOn.Before(a.SentOn) {
		a.AnsweredOn, a.Answer = vigie.Date{}, ""
	}
	// The letter as sent: its files are built once, now, from the record
	// on the date of sending, and kept byte for byte (the first sending is
	// the record; a later correction of the date keeps them).
	var files []vigie.SentLetter
	if p.A.State == vigie.ActionDraft && s.cfg.SentLetters != nil {
		var err error
		if files, err = s.sentFiles(r, &a, p.Rec); err != nil {
			s.fail(w, r, err)
			return
		}
		for _, f := range files {
			if f.Format == "txt" {
				a.Body = string(f.Content)
			}
		}
	}
	if !s.updateAction(w, r, p, &a) {
		return
	}
	if len(files) > 0 {
		if err := s.cfg.SentLetters.ArchiveSentLetter(r.Context(), files); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.setFlash(r, "action.flash.sent")
	http.Redirect(w, r, p.Path, http.StatusSeeOther)
}

// sentFiles builds the files of a letter being sent: PDF, ODT and text.
func (s *Server) sentFiles(r *http.Request, a *vigie.Action, rec *vigie.SystemRecord) ([]vigie.SentLetter, error) {
	d, err := s.actionData(r, a, rec)
	if err != nil {
		return nil, err
	}
	var files []vigie.SentLetter
	for _, ext := range []string{"pdf", "odt", "txt"} {
		var buf bytes.Buffer
		if err := letters.Render(a.Letter, d, a.Lang, letterFormats[ext].format, &buf); err != nil {
			return nil, err
		}
		files = append(files, vigie.SentLetter{ActionID: a.ID, Format: ext, Content: buf.Bytes()})
	}
	return files, nil
}

func (s *Server) handleActionAnswer(w http.ResponseWriter, r *http.Request) {
	p, ok := s.trackingForm(w, r)
	if !ok {
		return
	}
	if !p.Can(vigie.ActionAnswered) {
		s.conflict(w, r, p, vigie.ActionAnswered)
		return
	}
	l := s.loc(r)
	on := s.formDate(r, p, "answered_on")
	answer := strings.TrimSpace(r.PostForm.Get("answer"))
	switch {
	case answer == "":
		p.Errors["answer"] = l.T("action.field.answer") + " : " + l.T("err.required")
	case len([]rune(answer)) > 5000:
		p.Errors["answer"] = l.T("action.field.answer") + " : " + l.T("action.err.toolong", "Max", 5000)
	}
	if !on.IsZero() && on.Before(p.A.SentOn) {
		p.Errors["answered_on"] = l.T("action.field.answered_on") + " : " + l.T("action.err.beforesent", "Date", p.A.SentOn.String())
	}
	if len(p.Errors) > 0 {
		s.refuse(w, r, p)
		return
	}
	a := *p.A
	a.State, a.AnsweredOn, a.Answer = vigie.ActionAnswered, on, answer
	s.saveAction(w, r, p, &a, "action.flash.answered")
}

// handleActionState moves an action to a state that needs no field: no
// answer (implicit refusal), closed.
func (s *Server) handleActionState(to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.trackingForm(w, r)
		if !ok {
			return
		}
		if !p.Can(to) {
			s.conflict(w, r, p, to)
			return
		}
		a := *p.A
		a.State = to
		s.saveAction(w, r, p, &a, "action.flash."+to)
	}
}

func (s *Server) handleActionOptions(w http.ResponseWriter, r *http.Request) {
	p, ok := s.trackingForm(w, r)
	if !ok {
		return
	}
	if p.A.State == vigie.ActionClosed {
		s.conflict(w, r, p, vigie.ActionClosed)
		return
	}
	a := *p.A
	a.Options = readOptions(p, r.PostForm)
	s.saveAction(w, r, p, &a, "action.flash.options")
}

// handleActionEscalate creates, in one click, the action that follows an
// expired step (letters.Proposal), as a draft whose parent is this action,
// and marks this one escalated.
func (s *Server) handleActionEscalate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.trackingForm(w, r)
	if !ok {
		return
	}
	if !p.Can(vigie.ActionEscalated) {
		s.conflict(w, r, p, vigie.ActionEscalated)
		return
	}
	if p.Proposal == nil || r.PostForm.Get("letter") != p.Proposal.Letter.ID {
		l := s.loc(r)
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "letter", Message: l.T("action.field.letter") + " : " + l.T("action.err.noproposal")})
		return
	}
	next := p.Proposal.Letter
	today := p.Today
	d := letters.Data{System: &p.Rec.System, Date: today, RequestSentOn: p.A.SentOn, AlsaceMoselle: p.A.Options.AlsaceMoselle}
	if d.RequestSentOn.After(today) {
		d.RequestSentOn = vigie.Date{}
	}
	d = letters.WithAssessment(d, assess.Evaluate(&p.Rec.System, today))
	doc, err := letters.Build(next.ID, d, p.A.Lang)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	child := newAction(p.Rec, next, d, p.A.Lang, doc)
	child.ParentID = p.A.ID
	child.Options.AlsaceMoselle = p.A.Options.AlsaceMoselle
	if next.Procedure == p.A.Procedure {
		child.Options.Extended = p.A.Options.Extended
		child.Options.MultiLevel = p.A.Options.MultiLevel
		child.Options.Expert = child.Options.Expert || p.A.Options.Expert
	}
	if err := s.cfg.Actions.CreateAction(r.Context(), child); err != nil {
		s.fail(w, r, err)
		return
	}
	a := *p.A
	a.State = vigie.ActionEscalated
	if err := s.cfg.Actions.UpdateAction(r.Context(), &a); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "action.flash.escalated")
	http.Redirect(w, r, "/o/"+a.OrgID+"/actions/"+child.ID, http.StatusSeeOther)
}
