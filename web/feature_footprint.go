package web

// The "Environnement" tab of a system: the environmental footprint of its
// generative-AI usage, estimated by package footprint (the EcoLogits
// method) from the system's usage facts, which the user may adjust. The
// result is shown live (htmx) or after a plain form POST; an editor may
// keep it as a report of kind footprint, the evidence for the environment
// risk of the assessment.

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/footprint"
)

func init() {
	addFeature(feature{
		Name: "footprint",
		Tabs: func(s *Server) []Tab {
			return []Tab{{ID: "environment", Label: "tab.environment", Template: "tab-environment", Load: s.loadFootprint}}
		},
		OrgRoutes: func(s *Server, r chi.Router) {
			// Computing stores nothing: every member may do it.
			r.Post("/systems/{id}/footprint", s.handleFootprint)
			r.With(s.need(vigie.RoleEditor)).Post("/systems/{id}/footprint/keep", s.handleFootprintKeep)
		},
	})
}

// fpFields are the fields of the form, named as the snake_case fields of
// footprint.Input (so that an *footprint.InputError lands on its field),
// in the order of the form.
var fpFields = []string{"method", "model", "params_active", "params_total", "output_tokens", "zone",
	"requests_per_day", "days", "pue", "wue", "input_tokens", "images", "classifications"}

// fpForm is the state of the form: the raw values and the error of each
// field.
type fpForm struct {
	V           map[string]string
	Errs        map[string]string
	General     string   // an error that belongs to no field of the form
	Suggestions []string // closest model names, for an unknown model
}

func (f *fpForm) Val(name string) string { return f.V[name] }
func (f *fpForm) Err(name string) string { return f.Errs[name] }

// fpData is the data of the environment tab.
type fpData struct {
	Form    *fpForm
	Posted  bool     // the form was sent (else pre-filled from the facts)
	NoUsage bool     // the system has no usage facts at all
	Missing []string // message ids of the usage facts left unknown
	View    *fpView  // the result, nil when there is none
	Kept    []fpKept
	From    *vigie.Report // the kept figure whose inputs fill the form
	// Form choices.
	Models      []string
	Zones       []fpChoice
	Methods     []fpChoice
	ZoneUnknown string // a zone of the form that is not in the list
	UsageFacts  []string
	FieldNames  []string
	// Where the form posts, and the paths of the system and of the tab.
	Action, KeepAction, SystemPath, TabPath string
	CanKeep                                 bool
	OOB                                     bool // render the live fragment with out-of-band error slots
}

type fpChoice struct{ Value, Label string }

// fpKept is a kept figure in the list.
type fpKept struct {
	ID, Date, Who, Summary, Method string
}

// fpUsageFacts are the usage facts, in the order of the explanation.
var fpUsageFacts = []string{"usage.model", "usage.output_tokens_per_request", "usage.requests_per_day",
	"usage.working_days_per_year", "usage.zone"}

// formFromUsage pre-fills the form from the system's usage facts and
// tells which of them are unknown.
func formFromUsage(u *vigie.Usage) (*fpForm, []string) {
	f := &fpForm{V: map[string]string{"method": defaultMethod()}, Errs: map[string]string{}}
	if u == nil {
		u = &vigie.Usage{}
	}
	var missing []string
	switch {
	case u.Model != "":
		f.V["model"] = u.Model
	case u.ParamsActiveB.Known || u.ParamsTotalB.Known:
		if u.ParamsActiveB.Known {
			f.V["params_active"] = u.ParamsActiveB.String()
		}
		if u.ParamsTotalB.Known {
			f.V["params_total"] = u.ParamsTotalB.String()
		}
	default:
		missing = append(missing, "fact.usage.model")
	}
	for _, x := range []struct {
		field, fact string
		v           vigie.OptInt
	}{
		{"output_tokens", "fact.usage.output_tokens_per_request", u.OutputTokensPerRequest},
		{"requests_per_day", "fact.usage.requests_per_day", u.RequestsPerDay},
		{"days", "fact.usage.working_days_per_year", u.WorkingDaysPerYear},
	} {
		if x.v.Known {
			f.V[x.field] = x.v.String()
		} else {
			missing = append(missing, x.fact)
		}
	}
	if u.Zone != "" {
		f.V["zone"] = strings.ToUpper(u.Zone)
	} else {
		missing = append(missing, "fact.usage.zone")
	}
	return f, missing
}

// formFromInput fills the form with the inputs of a kept figure.
func formFromInput(in footprint.Input) *fpForm {
	f := &fpForm{V: map[string]string{"method": in.Method, "model": in.Model, "zone": in.Zone,
		"output_tokens": in.OutputTokens.String()}, Errs: map[string]string{}}
	if f.V["method"] == "" {
		f.V["method"] = defaultMethod()
	}
	for name, r := range map[string]*footprint.Range{"params_active": in.ParamsActive, "params_total": in.ParamsTotal,
		"requests_per_day": in.RequestsPerDay, "days": in.Days, "pue": in.PUE, "wue": in.WUE,
		"input_tokens": in.InputTokens, "images": in.Images, "classifications": in.Classifications} {
		if r != nil {
			f.V[name] = r.String()
		}
	}
	return f
}

func defaultMethod() string { return footprint.Methods()[0].Name }

// formFromPost reads the posted form.
func formFromPost(v url.Values) *fpForm {
	f := &fpForm{V: map[string]string{}, Errs: map[string]string{}}
	for _, name := range fpFields {
		f.V[name] = strings.TrimSpace(v.Get(name))
	}
	return f
}

// input turns the form into a footprint.Input, recording in f.Errs what
// cannot be read. It does not judge the values: Estimate does.
func (f *fpForm) input(l *loc) (footprint.Input, bool) {
	in := footprint.Input{Method: f.V["method"], Model: f.V["model"], Zone: strings.ToUpper(f.V["zone"])}
	if in.Method == "" {
		in.Method = defaultMethod()
	}
	if _, ok := footprint.LookupMethod(in.Method); !ok {
		f.Errs["method"] = l.T("fp.f.method") + l.T("fp.colon") + " " + l.T("err.choice")
	}
	opt := func(name string, dst **footprint.Range) {
		raw := f.V[name]
		if raw == "" {
			return
		}
		r, err := footprint.ParseRange(raw)
		if err != nil {
			f.Errs[name] = l.T("fp.f."+name) + l.T("fp.colon") + " " + l.T("fp.err.range", "Value", raw)
			return
		}
		*dst = &r
	}
	for _, o := range []struct {
		name string
		dst  **footprint.Range
	}{
		{"params_active", &in.ParamsActive}, {"params_total", &in.ParamsTotal},
		{"requests_per_day", &in.RequestsPerDay}, {"days", &in.Days},
		{"pue", &in.PUE}, {"wue", &in.WUE}, {"input_tokens", &in.InputTokens},
		{"images", &in.Images}, {"classifications", &in.Classifications},
	} {
		opt(o.name, o.dst)
	}
	var tok *footprint.Range
	if f.V["output_tokens"] == "" {
		f.Errs["output_tokens"] = l.T("fp.f.output_tokens") + l.T("fp.colon") + " " + l.T("err.required")
	} else if opt("output_tokens", &tok); tok != nil {
		in.OutputTokens = *tok
	}
	return in, len(f.Errs) == 0
}

// estimate computes the footprint of the form, or records why it cannot.
func (f *fpForm) estimate(l *loc) (footprint.Input, *footprint.Result) {
	in, ok := f.input(l)
	if !ok {
		return in, nil
	}
	res, err := footprint.Estimate(in)
	if err == nil {
		return in, res
	}
	var ie *footprint.InputError
	if !errors.As(err, &ie) {
		f.General = vigie.ErrorMessage(err)
		return in, nil
	}
	msg := ie.FR
	if l.Lang == "en" {
		msg = ie.EN
	}
	switch ie.Code {
	case "model-not-registered":
		msg = l.T("fp.err.model", "Value", in.Model)
		f.Suggestions = ie.Suggestions
	case "zone-not-registered":
		msg = l.T("fp.err.zone", "Value", in.Zone)
	}
	if slices.Contains(fpFields, ie.Field) {
		f.Errs[ie.Field] = l.T("fp.f."+ie.Field) + l.T("fp.colon") + " " + msg
	} else {
		f.General = msg
	}
	return in, nil
}

// loadFootprint is the tab's data: on a GET, the form pre-filled from the
// usage facts (or from a kept figure, ?report=ID); on a POST, the form as
// sent. The result is computed whenever the inputs allow it.
func (s *Server) loadFootprint(r *http.Request, rec *vigie.SystemRecord) (any, error) {
	d, err := s.footprintData(r, rec)
	if err != nil {
		return nil, err
	}
	if s.cfg.Reports != nil {
		reps, err := s.cfg.Reports.FindReports(r.Context(), rec.ID, vigie.ReportFootprint)
		if err != nil {
			return nil, err
		}
		names := map[string]string{}
		if len(reps) > 0 {
			if ms, err := s.cfg.Orgs.Members(r.Context(), rec.OrgID); err == nil {
				for _, m := range ms {
					names[m.UserID] = m.UserName
				}
			}
		}
		for _, rp := range reps {
			who := names[rp.CreatedBy]
			if who == "" {
				who = rp.CreatedBy
			}
			date := rp.AsOf.String()
			if rp.AsOf.IsZero() {
				date = rp.CreatedAt.UTC().Format("2006-01-02")
			}
			k := fpKept{ID: rp.ID, Date: date, Who: who, Summary: rp.Summary}
			var in footprint.Input
			if json.Unmarshal(rp.Config, &in) == nil {
				k.Method = in.Method
			}
			d.Kept = append(d.Kept, k)
		}
		if id := r.URL.Query().Get("report"); id != "" && r.Method == http.MethodGet {
			rp, err := s.cfg.Reports.FindReportByID(r.Context(), id)
			if err != nil {
				return nil, err
			}
			var in footprint.Input
			if rp.SystemID != rec.ID || rp.Kind != vigie.ReportFootprint || json.Unmarshal(rp.Config, &in) != nil {
				return nil, vigie.Errorf(vigie.ENOTFOUND, "rapport introuvable / report not found")
			}
			d.From = rp
			d.Form = formFromInput(in)
			d.fill(s.loc(r))
		}
	}
	return d, nil
}

// footprintData builds the form and its result, without the kept list.
func (s *Server) footprintData(r *http.Request, rec *vigie.SystemRecord) (*fpData, error) {
	d := &fpData{Action: systemPath(rec) + "/footprint", KeepAction: systemPath(rec) + "/footprint/keep",
		SystemPath: systemPath(rec), TabPath: systemPath(rec) + "/t/environment",
		UsageFacts: fpUsageFacts, FieldNames: fpFields,
		CanKeep: s.cfg.Reports != nil && currentRole(r).Allows(vigie.RoleEditor)}
	u := rec.System.Usage
	var missing []string
	d.Form, missing = formFromUsage(u)
	d.NoUsage = len(missing) == len(fpUsageFacts)
	if r.Method == http.MethodPost {
		d.Posted = true
		d.Form = formFromPost(r.PostForm)
	} else {
		d.Missing = missing
	}
	d.fill(s.loc(r))
	return d, nil
}

// fill computes the result of the form and the choices of the form.
func (d *fpData) fill(l *loc) {
	d.Models, d.Methods, d.Zones, d.View, d.ZoneUnknown = footprint.ModelNames(), nil, nil, nil, ""
	for _, m := range footprint.Methods() {
		d.Methods = append(d.Methods, fpChoice{m.Name, m.Label.In(l.Lang)})
	}
	method := d.Form.V["method"]
	if _, ok := footprint.LookupMethod(method); !ok {
		method = ""
	}
	for _, z := range footprint.Zones(method) {
		d.Zones = append(d.Zones, fpChoice{z.Code, z.Code + " — " + footprint.ZoneName(z.Code, l.Lang)})
	}
	if z := strings.ToUpper(d.Form.V["zone"]); z != "" && !slices.ContainsFunc(d.Zones, func(c fpChoice) bool { return c.Value == z }) {
		d.ZoneUnknown = d.Form.V["zone"]
	}
	// Nothing to compute from an empty form: explain what to fill instead.
	if !d.Posted && d.NoUsage && d.From == nil {
		return
	}
	in, res := d.Form.estimate(l)
	if res != nil {
		d.View = newFPView(res, in, l)
	}
}

// handleFootprint computes the footprint of the posted form: the live
// fragment for htmx, the whole system page otherwise. It stores nothing.
func (s *Server) handleFootprint(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		s.footprintFragment(w, r)
		return
	}
	s.footprintPage(w, r, http.StatusOK)
}

// footprintFragment answers htmx with the result and the error of each
// field (out of band, next to the fields), always 200 so that htmx swaps
// it.
func (s *Server) footprintFragment(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.footprintData(r, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.OOB = true
	p := s.page(r, "", nil)
	var buf bytes.Buffer
	if err := s.pages["system"].t.ExecuteTemplate(&buf, "fp-live", &TabData{P: p, Rec: rec, Data: d}); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Add("Vary", "HX-Request")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}

// footprintPage renders the system page on the environment tab for the
// posted form, with status (422 when a keep was refused).
func (s *Server) footprintPage(w http.ResponseWriter, r *http.Request, status int) {
	chi.RouteContext(r.Context()).URLParams.Add("tab", "environment")
	// The page's own address (for the language switch) is the tab's, which
	// answers a GET; the POST's address does not.
	u := *r.URL
	u.Path, u.RawQuery = "/o/"+chi.URLParam(r, "org")+"/systems/"+chi.URLParam(r, "id")+"/t/environment", ""
	r.URL = &u
	if status != http.StatusOK {
		w = &statusWriter{ResponseWriter: w, status: status}
	}
	s.handleSystem(w, r)
}

// statusWriter turns the 200 of a page into another status.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if code == http.StatusOK {
		code = w.status
	}
	w.ResponseWriter.WriteHeader(code)
}

// handleFootprintKeep keeps the figure of the posted form as a report of
// kind footprint (editor). Bad input stores nothing and shows the form
// again with its errors.
func (s *Server) handleFootprintKeep(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Reports == nil {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "page introuvable / page not found"))
		return
	}
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
	f := formFromPost(r.PostForm)
	in, res := f.estimate(l)
	if res == nil {
		s.footprintPage(w, r, http.StatusUnprocessableEntity)
		return
	}
	// The inputs as Estimate read them, with the method named.
	in.Method = res.Method
	cfg, err := json.Marshal(in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := json.Marshal(res)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Empreinte environnementale"
	if res.Inputs.Model != nil {
		title += " — " + res.Inputs.Model.Name
	}
	rep := &vigie.Report{OrgID: rec.OrgID, SystemID: rec.ID, Kind: vigie.ReportFootprint, SystemVersion: rec.Version,
		AsOf: vigie.DateInFrance(time.Now()), Title: title, Summary: fpSummary(res), Config: cfg, Result: out}
	if err := s.cfg.Reports.CreateReport(r.Context(), rep, nil); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "fp.flash.kept")
	http.Redirect(w, r, systemPath(rec)+"/t/environment?report="+url.QueryEscape(rep.ID), http.StatusSeeOther)
}

// fpSummary is the one line of a kept figure, in French (the language of
// the organisation's records): energy and greenhouse gases per year, or in
// total.
func fpSummary(res *footprint.Result) string {
	im, per := res.Total, " au total"
	if res.PerYear != nil {
		im, per = *res.PerYear, "/an"
	}
	return "≈ " + footprint.FormatRange(im.EnergyKWh, "energy_kwh", "fr") + per + " · " +
		footprint.FormatRange(im.GWP.Range, "gwp_kgco2e", "fr") + per + " (" + res.Method + ")"
}

// fpCommand is the command line that reproduces the figure.
func fpCommand(in footprint.Input, res *footprint.Result, lang string) string {
	args := []string{"vigie", "footprint"}
	add := func(flag, v string) { args = append(args, flag, shellQuote(v)) }
	if in.Model != "" {
		add("--model", in.Model)
	}
	rng := func(flag string, r *footprint.Range) {
		if r != nil {
			add(flag, r.String())
		}
	}
	rng("--params-active", in.ParamsActive)
	rng("--params-total", in.ParamsTotal)
	add("--output-tokens", in.OutputTokens.String())
	rng("--input-tokens", in.InputTokens)
	add("--zone", res.Inputs.Zone.Code)
	rng("--pue", in.PUE)
	rng("--wue", in.WUE)
	rng("--requests-per-day", in.RequestsPerDay)
	rng("--days", in.Days)
	rng("--images", in.Images)
	rng("--classifications", in.Classifications)
	add("--method", res.Method)
	if lang == "en" {
		add("--lang", "en")
	}
	return strings.Join(args, " ")
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9._:/@+=,-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
