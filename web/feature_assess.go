package web

// The "Évaluation" tab of a system: the guided questionnaire of package
// assess (each question says why it matters and which rules it feeds),
// the live result of assess.Evaluate on a chosen date (today by default),
// the history of the assessments kept at each version of the facts, and
// the DUERP lines as CSV and ODS. Every figure and every legal statement on
// the tab comes from the engine; the handlers only read forms, call it and
// store its result.
//
//	GET  /systems/{id}/t/evaluation[?date=YYYY-MM-DD]   the tab (a bad date: 422 naming the field)
//	POST /systems/{id}/assessment/preview              the result for the posted answers; stores nothing
//	POST /systems/{id}/assessment                      store the answers as a new version (editor)
//	GET  /systems/{id}/assessment/duerp.{csv,ods}      the DUERP lines on ?date=
//	GET  /systems/{id}/assessment/{report}.json        a kept assessment, as the engine wrote it

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/letters"
)

func init() {
	addFeature(feature{
		Name: "assess",
		Tabs: func(s *Server) []Tab {
			return []Tab{{ID: "evaluation", Label: "tab.evaluation", Template: "tab-evaluation", Load: s.loadAssessment}}
		},
		OrgRoutes: func(s *Server, r chi.Router) {
			r.Get("/systems/{id}/t/evaluation", s.handleAssessTab)
			// A preview stores nothing: every member may ask for one.
			r.Post("/systems/{id}/assessment/preview", s.handleAssessPreview)
			r.With(s.need(vigie.RoleEditor)).Post("/systems/{id}/assessment", s.handleAssessSave)
			r.With(s.need(vigie.RoleEditor)).Post("/systems/{id}/assessment/keep", s.handleAssessKeep)
			r.Get("/systems/{id}/assessment/duerp.{format}", s.handleDUERP)
			r.Get("/systems/{id}/assessment/{report}.json", s.handleAssessJSON)
		},
	})
}

// today is the server's civil date: the default "as of" of the tab. The
// engine never reads the clock; the handlers give it the date.
func today() vigie.Date { return vigie.DateInFrance(time.Now()) }

// lawLang is the language of the engine's texts for the request.
func lawLang(l *loc) law.Lang {
	if l.Lang == "en" {
		return law.EN
	}
	return law.FR
}

// asQuestion is one question of the questionnaire with the form field of
// its fact.
type asQuestion struct {
	Q     assess.Question
	F     field
	Text  string
	Why   string
	Feeds []string
	Dims  []string // risk dimensions, in words

	// The answer as the form shows it, put in words once by
	// asData.prepare (the template only places it).
	ID      string     // the HTML id of the question ("q-…")
	Choices []asChoice // the radios, boxes or options offered
	Val     string     // the answer of a one-value question
	Lines   string     // the lines of a free list
	Unknown bool       // a list answered "unknown"
	Err     string     // the translated error, if any
}

// asChoice is one answer a question offers.
type asChoice struct {
	Value, Label string
	Checked      bool
}

// prepare puts the answers of every question in words: a questionnaire
// page has some hundred questions, and asking the template to look each
// label and value up made most of the page's CPU time.
func (d *asData) prepare() {
	st := d.St
	if st == nil {
		st = &formState{}
	}
	unknown := d.T("as.tri.unknown")
	one := func(q *asQuestion) {
		f := q.F
		q.ID, q.Err = "q-"+f.ID(), d.Err(f.Path)
		q.Val, q.Lines, q.Unknown = st.Val(f.Path), st.Lines(f.Path), st.Unknown(f.Path)
		q.Choices = nil
		switch f.Kind {
		case kindTri:
			for _, v := range []string{"true", "false", "unknown"} {
				q.Choices = append(q.Choices, asChoice{Value: v, Label: d.T("as.tri." + v), Checked: q.Val == v})
			}
		case kindScale:
			for _, v := range []string{"0", "1", "2", "3"} {
				q.Choices = append(q.Choices, asChoice{Value: v, Label: v + " – " + d.T("scale."+v), Checked: q.Val == v})
			}
			q.Choices = append(q.Choices, asChoice{Value: "", Label: unknown, Checked: q.Val == ""})
		case kindEnumSet:
			for _, v := range f.Options {
				q.Choices = append(q.Choices, asChoice{Value: v, Label: d.T("enum." + f.Path + "." + v), Checked: st.Checked(f.Path, v)})
			}
		case kindEnum:
			for _, v := range f.Options {
				q.Choices = append(q.Choices, asChoice{Value: v, Label: d.Opt(f.Path, v), Checked: q.Val == v})
			}
		}
	}
	for i := range d.Sections {
		for j := range d.Sections[i].Questions {
			one(&d.Sections[i].Questions[j])
		}
	}
	for i := range d.Consult {
		for j := range d.Consult[i].Questions {
			one(&d.Consult[i].Questions[j])
		}
	}
}

type asSection struct {
	Name      string
	Questions []asQuestion
}

// asConsult is the block of questions on one staff body's consultation
// (deployment.consultations[body]).
type asConsult struct {
	Body      string
	Questions []asQuestion
}

// asQuestionOf is the question q of the questionnaire in the language l,
// with the risk dimensions in words (dims).
func asQuestionOf(l *loc, q assess.Question, dims map[string]string) asQuestion {
	f := field{Path: q.Fact, Section: q.Section, Kind: kindOf(q.Fact)}
	if _, name, ok := vigie.SplitConsultationPath(q.Fact); ok {
		f.Kind = consultKinds[name]
		f.Options = q.Options
	} else if f.Kind == kindEnum || f.Kind == kindEnumSet {
		f.Options = enumValues(q.Fact)
	}
	aq := asQuestion{Q: q, F: f, Text: q.Question.In(lawLang(l)), Why: q.Why.In(lawLang(l)), Feeds: q.Feeds}
	for _, d := range q.Dimensions {
		if s, ok := dims[d]; ok {
			aq.Dims = append(aq.Dims, s)
		} else {
			aq.Dims = append(aq.Dims, d)
		}
	}
	return aq
}

// consultQuestionnaire returns one block per staff body: the bodies of the
// organisation as the answers give them (st), those with an entry, and any
// body an open question of the assessment a is about, so that each
// question's link lands on its field.
func consultQuestionnaire(l *loc, st *formState, a *assess.Assessment, dims map[string]string) []asConsult {
	show := map[string]bool{}
	if st != nil {
		for _, b := range consultBlocks(st) {
			show[b.Body] = true
		}
	}
	if a != nil {
		for _, u := range a.Unknowns {
			if b, _, ok := vigie.SplitConsultationPath(u.Fact); ok {
				show[b] = true
			}
		}
	}
	var out []asConsult
	for _, b := range vigie.StaffBodies {
		if !show[b] {
			continue
		}
		c := asConsult{Body: b}
		for _, q := range assess.ConsultationQuestions(b) {
			c.Questions = append(c.Questions, asQuestionOf(l, q, dims))
		}
		out = append(out, c)
	}
	return out
}

// riskDims names the risk dimensions of a in the language l.
func riskDims(l *loc, a *assess.Assessment) map[string]string {
	dims := map[string]string{}
	if a != nil {
		for _, r := range a.Risks {
			dims[r.Dimension] = r.LabelIn(lawLang(l))
		}
	}
	return dims
}

// questionnaire lists the questions of package assess by section, in the
// language l.
func questionnaire(l *loc, a *assess.Assessment) []asSection {
	dims := riskDims(l, a)
	var out []asSection
	for _, q := range assess.Questionnaire() {
		if len(out) == 0 || out[len(out)-1].Name != q.Section {
			out = append(out, asSection{Name: q.Section})
		}
		out[len(out)-1].Questions = append(out[len(out)-1].Questions, asQuestionOf(l, q, dims))
	}
	return out
}

// questionFacts are the facts the questionnaire sets.
func questionFacts() []string {
	var out []string
	for _, q := range assess.Questionnaire() {
		out = append(out, q.Fact)
	}
	return out
}

// systemValues writes the facts of sys as the system form would post them.
func systemValues(sys *vigie.System) url.Values {
	st := stateOf(sys)
	v := url.Values{}
	for _, sec := range formSections {
		for _, f := range sec.Fields {
			switch f.Kind {
			case kindEnumSet:
				v[f.Path] = slices.Clone(st.Sets[f.Path])
			case kindTextSet:
				v.Set(f.Path, strings.Join(st.Sets[f.Path], "\n"))
			default:
				v.Set(f.Path, st.Values[f.Path])
			}
			if st.SetUnk[f.Path] {
				v.Set(f.Path+".unknown", "1")
			}
		}
	}
	for _, p := range vigie.ConsultationPaths() {
		if x := st.Values[p]; x != "" {
			v.Set(p, x)
		}
	}
	return v
}

// answered applies the posted answers of the questionnaire to a copy of
// base: the facts the questionnaire does not ask keep their value. It
// returns the new system, the form state and the errors by fact.
func answered(base *vigie.System, posted url.Values) (*vigie.System, *formState, map[string]fieldError) {
	v := systemValues(base)
	// The consultation blocks post each field of a body under its fact
	// path; a field left out keeps its value. Any other name under
	// deployment.consultations goes through, for the form to refuse it.
	for k, x := range posted {
		if strings.HasPrefix(k, "deployment.consultations") {
			v[k] = x
		}
	}
	for _, p := range questionFacts() {
		// A browser always sends a radio group or a select; a list of
		// check boxes it leaves out when none is checked ("none"). A
		// missing answer of the first kind keeps the fact as it is.
		if k := kindOf(p); k != kindEnumSet && k != kindTextSet {
			if _, ok := posted[p]; !ok {
				continue
			}
		}
		delete(v, p)
		delete(v, p+".unknown")
		if x, ok := posted[p]; ok {
			v[p] = x
		}
		if x, ok := posted[p+".unknown"]; ok {
			v[p+".unknown"] = x
		}
	}
	sys := *base
	sys.Evidence = slices.Clone(base.Evidence)
	if base.Usage != nil {
		u := *base.Usage
		sys.Usage = &u
	}
	st, errs := parseSystemForm(v, &sys)
	if len(errs) == 0 {
		// A list with the same items keeps its order: a form lists them
		// in the order of its options, which is no change of fact.
		for _, p := range questionFacts() {
			nv, ok1 := factValue(&sys, p, false)
			ov, ok2 := factValue(base, p, false)
			if !ok1 || !ok2 || nv.Type() != setT {
				continue
			}
			n, o := nv.Interface().(vigie.Set), ov.Interface().(vigie.Set)
			if n.Known == o.Known && len(n.Items) == len(o.Items) && !slices.ContainsFunc(n.Items, func(x string) bool { return !slices.Contains(o.Items, x) }) {
				nv.Set(ov)
			}
		}
	}
	return &sys, st, errs
}

// asHistory is one kept assessment in the history.
type asHistory struct {
	Report  *vigie.Report
	Who     string
	Tier    string
	Summary string // in the interface language
	Changes []assess.Change
	Facts   []string // the facts changed since the previous kept version
	First   bool
	Pending bool // computed now, not kept yet (the current version, for a reader)
}

// asData is the data of the evaluation tab.
type asData struct {
	l    *loc
	Lang law.Lang
	// The "as of" date: today (the server's), or the date asked for.
	Today, Date vigie.Date
	IsToday     bool
	DateRaw     string
	DateErr     string
	// The questionnaire and its answers.
	Sections []asSection
	Consult  []asConsult // one block per staff body (deployment.consultations)
	St       *formState
	Invalid  []invalidField
	Posted   bool
	Version  int
	CanSave  bool
	Conflict bool
	Changed  []string // facts changed by someone else since the version the user had
	// The result, nil when the answers are invalid.
	A *assess.Assessment
	// letterData is A as letters read it, made once per page (HasLetter
	// is asked for every obligation).
	letterData *letters.Data
	Footprint  *vigie.Report // the latest kept footprint, evidence for the environment risk
	History    []asHistory
	OOB        bool
	// Testimony is what closed testimony campaigns say of the work.* facts
	// (feature_testimony.go); nil when there is none.
	Testimony *tmEvaluation
	// Paths.
	SystemPath, TabPath, PreviewAction, SaveAction, ActionsPath string
}

// T translates a message id.
func (d *asData) T(id string, kv ...any) string { return d.l.T(id, kv...) }

// HasLetter reports whether a letter acts on rule id and rests on a rule
// that applies in the assessment shown.
func (d *asData) HasLetter(id string) bool {
	if d.A == nil {
		return false
	}
	if d.letterData == nil {
		ld := letters.WithAssessment(letters.Data{}, d.A)
		d.letterData = &ld
	}
	for _, l := range letters.ForRule(id, nil) {
		if ok, _, _ := letters.Applies(l, *d.letterData); ok {
			return true
		}
	}
	return false
}

// Label is the engine's word for a tier, status, priority or confidence.
func (d *asData) Label(key string) string { return assess.Label(d.Lang, key) }

// LongDate writes a date of the engine in words.
func (d *asData) LongDate(s string) string { return assess.LongDate(d.Lang, s) }

// Pick returns the French or the English text, in plain words: a rule id
// the rule base writes inside a text becomes the rule's title.
func (d *asData) Pick(fr, en string) string {
	s := fr
	if d.Lang == law.EN && en != "" {
		s = en
	}
	if b, err := law.Load(); err == nil {
		s = b.Plain(d.Lang, s)
	}
	return s
}

// Rules names rules by their titles, for a sentence.
func (d *asData) Rules(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = ruleTitle(id, string(d.Lang))
	}
	return strings.Join(out, ", ")
}

// Fact names a fact path in words.
func (d *asData) Fact(path string) string {
	if d.l.Has("fact." + path) {
		return d.l.T("fact." + path)
	}
	if body, field, ok := vigie.SplitConsultationPath(path); ok && d.l.Has("consult.field."+field) {
		b := body
		if d.l.Has("consult.body." + body) {
			b = d.l.T("consult.body." + body)
		}
		return d.l.T("consult.field."+field) + " (" + b + ")"
	}
	return path
}

// Facts names fact paths in words.
func (d *asData) Facts(paths []string) string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = d.Fact(p)
	}
	return strings.Join(out, ", ")
}

// Started reports whether a date of the engine (YYYY-MM-DD, in_force or
// unknown) is on or before the as-of date: it only chooses between
// "depuis le" and "à partir du".
func (d *asData) Started(from string) bool {
	if from == law.InForce {
		return true
	}
	x, err := vigie.ParseDate(from)
	return err == nil && !d.Date.Before(x)
}

// Err is the translated error of a fact of the questionnaire.
func (d *asData) Err(path string) string {
	if d.St == nil || d.St.Errors[path] == "" {
		return ""
	}
	msg := d.St.Errors[path]
	if d.l.Has(msg) {
		msg = d.l.T(msg)
	}
	return msg
}

// FootprintDate is the date of the kept footprint, in words.
func (d *asData) FootprintDate() string {
	if d.Footprint == nil {
		return ""
	}
	if d.Footprint.AsOf.IsZero() {
		return d.LongDate(d.Footprint.CreatedAt.UTC().Format("2006-01-02"))
	}
	return d.LongDate(d.Footprint.AsOf.String())
}

// parseAsOf reads the as-of date of a request (?date= or the posted
// field); empty means today.
func parseAsOf(raw string) (vigie.Date, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return today(), true
	}
	d, err := vigie.ParseDate(raw)
	return d, err == nil
}

// handleAssessTab is the tab, answering 422 when the date is bad.
func (s *Server) handleAssessTab(w http.ResponseWriter, r *http.Request) {
	chi.RouteContext(r.Context()).URLParams.Add("tab", "evaluation")
	if _, ok := parseAsOf(r.URL.Query().Get("date")); !ok {
		w = &statusWriter{ResponseWriter: w, status: http.StatusUnprocessableEntity}
	}
	s.handleSystem(w, r)
}

// loadAssessment is the tab's data: on a GET, the stored facts (and, for
// an editor, the assessment of a new version of the facts is kept); on a
// POST, the posted answers.
func (s *Server) loadAssessment(r *http.Request, rec *vigie.SystemRecord) (any, error) {
	l := s.loc(r)
	d := &asData{l: l, Lang: lawLang(l), Today: today(), Version: rec.Version,
		SystemPath: systemPath(rec), TabPath: systemPath(rec) + "/t/evaluation",
		PreviewAction: systemPath(rec) + "/assessment/preview", SaveAction: systemPath(rec) + "/assessment",
		ActionsPath: systemPath(rec) + "/actions/new",
		CanSave:     currentRole(r).Allows(vigie.RoleEditor)}
	raw := r.URL.Query().Get("date")
	if r.Method == http.MethodPost {
		raw = r.PostForm.Get("date")
	}
	d.DateRaw = strings.TrimSpace(raw)
	date, ok := parseAsOf(raw)
	if !ok {
		d.DateErr = l.T("as.date") + " : " + l.T("err.date")
		date = d.Today
	}
	d.Date, d.IsToday = date, date == d.Today
	sys := &rec.System
	if r.Method == http.MethodPost {
		d.Posted = true
		var errs map[string]fieldError
		sys, d.St, errs = answered(&rec.System, r.PostForm)
		if v, err := strconv.Atoi(r.PostForm.Get("version")); err == nil {
			d.Version = v
		}
		if len(errs) > 0 {
			sys = nil
		}
	} else {
		d.St = stateOf(sys)
	}
	if sys != nil {
		// Closed testimony campaigns are evidence for the work.* facts
		// (feature_testimony.go): the engine gets them with the facts.
		d.Testimony = s.testimonyEvidence(r, rec)
		d.A = assess.Evaluate(d.Testimony.withTestimony(sys), d.Date)
	}
	d.Sections = questionnaire(l, d.A)
	d.Consult = consultQuestionnaire(l, d.St, d.A, riskDims(l, d.A))
	d.invalid()
	d.prepare()
	if s.cfg.Reports == nil {
		return d, nil
	}
	if err := s.assessHistory(r, rec, d); err != nil {
		return nil, err
	}
	fps, err := s.cfg.Reports.FindReports(r.Context(), rec.ID, vigie.ReportFootprint)
	if err != nil {
		return nil, err
	}
	if len(fps) > 0 {
		d.Footprint = fps[0]
	}
	return d, nil
}

// invalid lists the questions in error, in the order of the questionnaire.
func (d *asData) invalid() {
	d.Invalid = nil
	seen := map[string]bool{}
	add := func(q asQuestion) {
		seen[q.F.Path] = true
		if msg := d.Err(q.F.Path); msg != "" {
			d.Invalid = append(d.Invalid, invalidField{ID: "q-" + q.F.ID(), Label: q.Text, Message: msg})
		}
	}
	for _, sec := range d.Sections {
		for _, q := range sec.Questions {
			add(q)
		}
	}
	for _, c := range d.Consult {
		for _, q := range c.Questions {
			add(q)
		}
	}
	if d.St == nil {
		return
	}
	// A field that is no question of the page (a forged name) is named as
	// it was posted.
	var other []string
	for p := range d.St.Errors {
		if !seen[p] {
			other = append(other, p)
		}
	}
	slices.Sort(other)
	for _, p := range other {
		d.Invalid = append(d.Invalid, invalidField{ID: "as-form", Label: p, Message: d.Err(p)})
	}
}

// PickList returns the French or the English list.
func (d *asData) PickList(fr, en []string) []string {
	if d.Lang == law.EN && len(en) > 0 {
		return en
	}
	return fr
}

// Cite is the HTML of a citation in the page's language (see citeText).
func (d *asData) Cite(s string) template.HTML { return template.HTML(citeText(s, string(d.Lang))) }

// Others are the sources that are not among the case law shown apart.
func (d *asData) Others(sources, caseLaw []string) []string {
	return slices.DeleteFunc(slices.Clone(sources), func(s string) bool { return slices.Contains(caseLaw, s) })
}

// Opt is the words of the option x of the question on path.
func (d *asData) Opt(path, x string) string {
	if _, _, ok := vigie.SplitConsultationPath(path); ok {
		return d.T("consult.levels." + x)
	}
	return d.T("enum." + path + "." + x)
}

// keptAssessment reads a kept assessment: the engine's result and the
// system file it was computed from.
func keptAssessment(rp *vigie.Report) (*assess.Assessment, *vigie.System, bool) {
	var a assess.Assessment
	if json.Unmarshal(rp.Result, &a) != nil || a.Schema != assess.Schema {
		return nil, nil, false
	}
	sys, err := vigie.ParseSystem("report.json", rp.Config)
	if err != nil {
		return &a, nil, true
	}
	return &a, sys, true
}

// assessHistory fills the history of kept assessments, keeping the
// assessment of the current version first when an editor opens the tab
// and the facts changed since the last kept one.
func (s *Server) assessHistory(r *http.Request, rec *vigie.SystemRecord, d *asData) error {
	reps, err := s.cfg.Reports.FindReports(r.Context(), rec.ID, vigie.ReportAssessment)
	if err != nil {
		return err
	}
	// One entry per version: the newest kept for it.
	seen := map[int]bool{}
	reps = slices.DeleteFunc(reps, func(rp *vigie.Report) bool {
		if seen[rp.SystemVersion] {
			return true
		}
		seen[rp.SystemVersion] = true
		return false
	})
	slices.SortStableFunc(reps, func(a, b *vigie.Report) int { return b.SystemVersion - a.SystemVersion })
	var pending *vigie.Report
	if len(reps) == 0 || reps[0].SystemVersion < rec.Version {
		var prev *vigie.System
		if len(reps) > 0 {
			_, prev, _ = keptAssessment(reps[0])
		}
		if prev == nil || len(assess.ChangedFacts(prev, &rec.System)) > 0 {
			// Computed, not kept: opening a page stores nothing. An
			// editor keeps it with the history's button (a POST).
			rp, err := assessmentReport(rec, d.Today)
			if err != nil {
				return err
			}
			pending = rp
			reps = append([]*vigie.Report{rp}, reps...)
		}
	}
	names := map[string]string{}
	if ms, err := s.cfg.Orgs.Members(r.Context(), rec.OrgID); err == nil {
		for _, m := range ms {
			names[m.UserID] = m.UserName
		}
	}
	for i, rp := range reps {
		h := asHistory{Report: rp, Who: names[rp.CreatedBy], Pending: rp == pending}
		a, sys, ok := keptAssessment(rp)
		if !ok {
			continue
		}
		h.Tier, h.Summary = a.AIAct.Tier, summaryIn(a, d.Lang)
		if i+1 < len(reps) {
			oldA, oldSys, ok := keptAssessment(reps[i+1])
			if ok {
				if oldSys != nil && sys != nil {
					// What the change of facts did, on the same date.
					oldA = assess.Evaluate(oldSys, vigie.MustDate(a.Date))
					h.Facts = assess.ChangedFacts(oldSys, sys)
				}
				h.Changes = assess.Diff(oldA, a)
			}
		} else {
			h.First = true
		}
		d.History = append(d.History, h)
	}
	return nil
}

// assessmentReport builds the report of the assessment of rec on date: the
// system file as its configuration, the engine's JSON as its result.
func assessmentReport(rec *vigie.SystemRecord, date vigie.Date) (*vigie.Report, error) {
	a := assess.Evaluate(&rec.System, date)
	res, err := a.JSON()
	if err != nil {
		return nil, err
	}
	sys := rec.System
	sys.Schema = vigie.SystemSchema
	cfg, err := json.Marshal(&sys)
	if err != nil {
		return nil, err
	}
	return &vigie.Report{OrgID: rec.OrgID, SystemID: rec.ID, Kind: vigie.ReportAssessment, SystemVersion: rec.Version,
		AsOf: date, Title: "Évaluation — " + rec.System.Name, Summary: assessSummary(a), Config: cfg, Result: res}, nil
}

// keepAssessment stores the assessment of the current version of rec.
func (s *Server) keepAssessment(r *http.Request, rec *vigie.SystemRecord, date vigie.Date) (*vigie.Report, error) {
	rp, err := assessmentReport(rec, date)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Reports.CreateReport(r.Context(), rp, nil); err != nil {
		return nil, err
	}
	return rp, nil
}

// handleAssessKeep keeps the assessment of the current version of the
// facts, as of today, unless one is kept for that version already.
func (s *Server) handleAssessKeep(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	if v, err := strconv.Atoi(r.PostForm.Get("version")); err != nil || v != rec.Version {
		// The facts changed since the page was shown: show it again.
		http.Redirect(w, r, systemPath(rec)+"/t/evaluation", http.StatusSeeOther)
		return
	}
	reps, err := s.cfg.Reports.FindReports(r.Context(), rec.ID, vigie.ReportAssessment)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(reps, func(rp *vigie.Report) bool { return rp.SystemVersion == rec.Version }) {
		if _, err := s.keepAssessment(r, rec, today()); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.setFlash(r, "as.flash.kept")
	http.Redirect(w, r, systemPath(rec)+"/t/evaluation", http.StatusSeeOther)
}

// keepAfterChange stores the assessment of a new version of the facts, so
// that the history holds one per version whichever page changed them (the
// questionnaire or the system form). Nothing is stored when the facts did
// not change (the version stayed at prev) or the feature is off. When no
// assessment was kept for the version before (old, as it was shown), it is
// kept first, so that the history says what the change did.
func (s *Server) keepAfterChange(r *http.Request, old, upd *vigie.SystemRecord, prev int) error {
	if upd.Version <= prev || s.cfg.Reports == nil {
		return nil
	}
	if old != nil && old.Version == prev {
		reps, err := s.cfg.Reports.FindReports(r.Context(), old.ID, vigie.ReportAssessment)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(reps, func(rp *vigie.Report) bool { return rp.SystemVersion == prev }) {
			if _, err := s.keepAssessment(r, old, today()); err != nil {
				return err
			}
		}
	}
	_, err := s.keepAssessment(r, upd, today())
	return err
}

// assessSummary is the one line of a kept assessment, in French (the
// language of the organisation's records): the tier and the counts.
func assessSummary(a *assess.Assessment) string { return summaryIn(a, law.FR) }

// summaryIn is the one line of an assessment in l: the tier, the number of
// obligations of each status, of questions and of high risks.
func summaryIn(a *assess.Assessment, l law.Lang) string {
	parts := []string{assess.Label(l, "tier."+a.AIAct.Tier)}
	for _, st := range assess.Statuses {
		if n := len(a.ObligationsWith(st)); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, assess.Label(l, "status."+st)))
		}
	}
	q, h := "%d question(s)", "%d risque(s) élevé(s)"
	if l == law.EN {
		q, h = "%d question(s)", "%d high risk(s)"
	}
	parts = append(parts, fmt.Sprintf(q, len(a.Unknowns)))
	if n := len(a.RisksWith(assess.High)); n > 0 {
		parts = append(parts, fmt.Sprintf(h, n))
	}
	return strings.Join(parts, " · ")
}

// handleAssessPreview evaluates the posted answers without storing them:
// the result fragment for htmx, the whole tab otherwise.
func (s *Server) handleAssessPreview(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	if r.Header.Get("HX-Request") != "true" {
		s.assessPage(w, r, http.StatusOK)
		return
	}
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data, err := s.loadAssessment(r, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := data.(*asData)
	d.OOB = true
	var buf bytes.Buffer
	if err := s.pages["system"].t.ExecuteTemplate(&buf, "as-live", &TabData{P: s.page(r, "", nil), Rec: rec, Data: d}); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Add("Vary", "HX-Request")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}

// assessPage renders the system page on the evaluation tab for the posted
// answers, with status.
func (s *Server) assessPage(w http.ResponseWriter, r *http.Request, status int) {
	chi.RouteContext(r.Context()).URLParams.Add("tab", "evaluation")
	u := *r.URL
	u.Path, u.RawQuery = "/o/"+chi.URLParam(r, "org")+"/systems/"+chi.URLParam(r, "id")+"/t/evaluation", ""
	r.URL = &u
	if status != http.StatusOK {
		w = &statusWriter{ResponseWriter: w, status: status}
	}
	s.handleSystem(w, r)
}

// handleAssessSave stores the answers as a new version of the facts
// (editor) and keeps its assessment. Bad answers store nothing and show
// the form again; a version conflict keeps the answers on the form and
// names the facts changed meanwhile.
func (s *Server) handleAssessSave(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	l := s.loc(r)
	date, ok := parseAsOf(r.PostForm.Get("date"))
	version, verr := strconv.Atoi(r.PostForm.Get("version"))
	sys, _, errs := answered(&rec.System, r.PostForm)
	if len(errs) > 0 || !ok || verr != nil || version < 1 {
		if verr != nil || version < 1 {
			s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "version", Message: "version : " + l.T("err.int")})
			return
		}
		s.assessPage(w, r, http.StatusUnprocessableEntity)
		return
	}
	upd := *rec
	upd.System = *sys
	upd.Version = version
	if err := s.cfg.Systems.UpdateSystem(r.Context(), &upd); err != nil {
		if vigie.ErrorCode(err) == vigie.ECONFLICT {
			s.assessConflict(w, r, rec, version)
			return
		}
		s.fail(w, r, err)
		return
	}
	if err := s.keepAfterChange(r, rec, &upd, version); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "as.flash.saved")
	q := ""
	if date != today() {
		q = "?date=" + date.String()
	}
	http.Redirect(w, r, systemPath(rec)+"/t/evaluation"+q, http.StatusSeeOther)
}

// assessConflict shows the tab again with the user's answers, the current
// version in the form (saving again overwrites knowingly) and the facts
// changed since the version the user had.
func (s *Server) assessConflict(w http.ResponseWriter, r *http.Request, rec *vigie.SystemRecord, had int) {
	var changed []string
	if hist, err := s.cfg.Systems.SystemHistory(r.Context(), rec.ID); err == nil {
		for _, c := range hist {
			if c.Version > had && !slices.Contains(changed, c.Fact) {
				changed = append(changed, c.Fact)
			}
		}
	}
	chi.RouteContext(r.Context()).URLParams.Add("tab", "evaluation")
	u := *r.URL
	u.Path, u.RawQuery = systemPath(rec)+"/t/evaluation", ""
	r.URL = &u
	r.PostForm.Set("version", strconv.Itoa(rec.Version))
	tab := Tab{ID: "evaluation", Label: "tab.evaluation", Template: "tab-evaluation", Load: func(r *http.Request, rec *vigie.SystemRecord) (any, error) {
		data, err := s.loadAssessment(r, rec)
		if err != nil {
			return nil, err
		}
		d := data.(*asData)
		d.Conflict, d.Changed = true, changed
		return d, nil
	}}
	s.renderTab(&statusWriter{ResponseWriter: w, status: http.StatusConflict}, r, rec, tab)
}

// renderTab renders the system page with one tab and its own Load.
func (s *Server) renderTab(w http.ResponseWriter, r *http.Request, rec *vigie.SystemRecord, tab Tab) {
	data, err := tab.Load(r, rec)
	if err != nil {
		s.fail(w, r, err)
		return
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

// handleAssessJSON serves a kept assessment as the engine wrote it.
func (s *Server) handleAssessJSON(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rp, err := s.cfg.Reports.FindReportByID(r.Context(), chi.URLParam(r, "report"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rp.SystemID != rec.ID || rp.Kind != vigie.ReportAssessment {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "rapport introuvable / report not found"))
		return
	}
	download(w, "application/json; charset=utf-8", "evaluation-"+slug(rec.System.Name)+"-v"+strconv.Itoa(rp.SystemVersion)+"-"+rp.AsOf.String()+".json", rp.Result)
}
