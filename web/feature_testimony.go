package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/chart"
	"github.com/vigie-app/vigie/testimony"
)

// The anonymous testimonies: campaigns (created and closed by an editor,
// read by every member), their poster and paper codes, the public form at
// /t/{token}, the results with a chart per question, and the free texts,
// decrypted for one request with the key a member pastes.
//
// The public routes keep nothing of the request: they run outside the
// session (no cookie), the rate limiter sees only a keyed hash of the
// address under a key that changes every day and lives in memory, and the
// request they hand on has no address, forwarded header, user agent or
// referrer left (tmScrub). Nothing in this file logs a request.

// testimonyNow is the clock of the testimony feature; tests replace it.
var testimonyNow = time.Now

func testimonyToday() vigie.Date { return vigie.DateInFrance(testimonyNow()) }

func init() {
	addFeature(feature{
		Name: "testimony",
		Tabs: func(s *Server) []Tab {
			if s.cfg.Testimony == nil {
				return nil
			}
			return []Tab{{ID: "testimony", Label: "tab.testimony", Template: "tab-testimony", Load: s.loadTestimonyTab}}
		},
		OrgRoutes: func(s *Server, r chi.Router) {
			if s.cfg.Testimony == nil {
				return
			}
			editor := s.need(vigie.RoleEditor)
			r.Get("/testimony", s.handleTmList)
			r.With(editor).Get("/testimony/new", s.handleTmNew)
			r.With(editor).Post("/testimony", s.handleTmCreate)
			r.Get("/testimony/{cid}", s.handleTmShow)
			r.Get("/testimony/{cid}/results.json", s.handleTmJSON)
			r.Get("/testimony/{cid}/poster", s.handleTmPoster)
			r.Get("/testimony/{cid}/poster.pdf", s.handleTmPosterPDF)
			r.Get("/testimony/{cid}/qr.png", s.handleTmQRPNG)
			r.Get("/testimony/{cid}/qr.svg", s.handleTmQRSVG)
			r.Post("/testimony/{cid}/read", s.handleTmRead)
			r.With(editor).Post("/testimony/{cid}/close", s.handleTmClose)
			r.With(editor).Post("/testimony/{cid}/codes", s.handleTmCodes)
		},
		PublicRoutes: func(s *Server, r chi.Router) {
			if s.cfg.Testimony == nil {
				return
			}
			lim := newTmLimiter(tmSubmitsPerHour, time.Hour)
			cop := http.NewCrossOriginProtection()
			r.Group(func(r chi.Router) {
				r.Use(tmScrub(lim, s.cfg.TrustedProxies), s.limitBody)
				r.Get("/t/{token}", s.handleTmForm)
				r.With(cop.Handler).Post("/t/{token}", s.handleTmSubmit)
			})
		},
	})
}

// tmSubmitsPerHour is how many submissions one address may send in an hour.
const tmSubmitsPerHour = 20

// tmCampaign loads the campaign of the URL in the current organisation.
func (s *Server) tmCampaign(r *http.Request) (*vigie.TestimonyCampaign, error) {
	tc, err := s.cfg.Testimony.FindCampaignByID(r.Context(), chi.URLParam(r, "cid"))
	if err != nil {
		return nil, err
	}
	if tc.OrgID != currentOrg(r).ID {
		return nil, vigie.Errorf(vigie.ENOTFOUND, "campagne introuvable / campaign not found")
	}
	return tc, nil
}

func tmPath(tc *vigie.TestimonyCampaign) string { return "/o/" + tc.OrgID + "/testimony/" + tc.ID }

// tmPublicURL is the absolute address of the public form, for the poster
// and its QR code.
func tmPublicURL(r *http.Request, tc *vigie.TestimonyCampaign) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/t/" + tc.Token
}

// tmState is the state of a campaign on a day.
func tmState(tc *vigie.TestimonyCampaign, day vigie.Date) string {
	switch {
	case tc.ClosedBy(day):
		return "closed"
	case day.Before(tc.OpensOn):
		return "planned"
	}
	return "open"
}

// ---- the list, the form, the creation ----

type tmListData struct {
	Campaigns []tmListItem
	NewPath   string
}

type tmListItem struct {
	C     *vigie.TestimonyCampaign
	Path  string
	State string
}

func (s *Server) handleTmList(w http.ResponseWriter, r *http.Request) {
	org := currentOrg(r)
	cs, err := s.cfg.Testimony.FindCampaigns(r.Context(), org.ID, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := tmListData{NewPath: "/o/" + org.ID + "/testimony/new"}
	for _, c := range cs {
		d.Campaigns = append(d.Campaigns, tmListItem{C: c, Path: tmPath(c), State: tmState(c, testimonyToday())})
	}
	s.render(w, r, http.StatusOK, "testimony_list", s.page(r, "tm.title", d))
}

// tmForm is the campaign form: the values and the errors by field.
type tmForm struct {
	V         map[string]string
	Questions map[string]bool
	Systems   map[string]bool
	Errs      map[string]string
	AllQ      []testimony.Question
	AllSys    []*vigie.SystemRecord
	Action    string
	Lang      string
}

// QText is a question's text in the form's language.
func (f *tmForm) QText(q testimony.Question) string { return q.Text.In(f.Lang) }

func (s *Server) tmNewForm(r *http.Request) (*tmForm, error) {
	org := currentOrg(r)
	systems, _, err := s.cfg.Systems.FindSystems(r.Context(), vigie.SystemFilter{OrgID: org.ID})
	if err != nil {
		return nil, err
	}
	today := testimonyToday()
	f := &tmForm{V: map[string]string{"min_group": strconv.Itoa(testimony.DefaultMinGroup), "opens_on": today.String(),
		"closes_on": today.AddDays(27).String(), "retention_days": strconv.Itoa(vigie.DefaultRetentionDays), "codes": "0"},
		Questions: map[string]bool{}, Systems: map[string]bool{}, Errs: map[string]string{},
		AllQ: testimony.Questions().Questions, AllSys: systems, Action: "/o/" + org.ID + "/testimony", Lang: requestLang(r)}
	for _, q := range f.AllQ {
		f.Questions[q.ID] = true
	}
	if id := r.URL.Query().Get("system"); id != "" {
		f.Systems[id] = true
	}
	return f, nil
}

func (s *Server) handleTmNew(w http.ResponseWriter, r *http.Request) {
	f, err := s.tmNewForm(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "testimony_new", s.page(r, "tm.new", f))
}

// tmCreated is the page shown once after creation: the secret key (when the
// server made it), the link and the paper codes. Nothing of it is kept.
type tmCreated struct {
	C        *vigie.TestimonyCampaign
	Path     string
	URL      string
	Identity string
	Codes    []string
}

func (s *Server) handleTmCreate(w http.ResponseWriter, r *http.Request) {
	f, err := s.tmNewForm(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, vigie.Errorf(vigie.EINVALID, "formulaire illisible / unreadable form"))
		return
	}
	l := s.loc(r)
	for _, k := range []string{"title", "opens_on", "closes_on", "min_group", "retention_days", "codes", "units", "recipients"} {
		f.V[k] = r.PostForm.Get(k)
	}
	f.Questions = map[string]bool{}
	for _, q := range r.PostForm["question"] {
		f.Questions[q] = true
	}
	for _, id := range r.PostForm["system"] {
		f.Systems[id] = true
	}
	tc := &vigie.TestimonyCampaign{OrgID: currentOrg(r).ID, Title: f.V["title"], Questions: r.PostForm["question"], SystemIDs: r.PostForm["system"]}
	if len(tc.Questions) == 0 {
		f.Errs["question"] = l.T("tm.err.questions")
	}
	num := func(key string, dst *int) {
		v, err := strconv.Atoi(strings.TrimSpace(f.V[key]))
		if err != nil {
			f.Errs[key] = l.T("tm.err.number")
			return
		}
		*dst = v
	}
	var codes int
	num("min_group", &tc.MinGroup)
	num("retention_days", &tc.RetentionDays)
	num("codes", &codes)
	if f.Errs["retention_days"] == "" && tc.RetentionDays <= 0 {
		f.Errs["retention_days"] = l.T("tm.err.retention")
	}
	if f.Errs["min_group"] == "" && tc.MinGroup <= 0 {
		f.Errs["min_group"] = l.T("tm.err.mingroup")
	}
	for key, dst := range map[string]*vigie.Date{"opens_on": &tc.OpensOn, "closes_on": &tc.ClosesOn} {
		d, err := vigie.ParseDate(strings.TrimSpace(f.V[key]))
		if err != nil {
			f.Errs[key] = l.T("err.date")
			continue
		}
		*dst = d
	}
	for _, u := range strings.Split(f.V["units"], "\n") {
		if u = strings.TrimSpace(u); u != "" {
			tc.Units = append(tc.Units, u)
		}
	}
	var identity string
	if rs := strings.TrimSpace(f.V["recipients"]); rs != "" {
		parsed, err := testimony.ParseRecipients(rs)
		if err != nil {
			f.Errs["recipients"] = l.T("tm.err.recipients")
		}
		tc.Recipients = parsed
	} else {
		id, rcpt, err := testimony.NewIdentity()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		identity, tc.Recipients = id, []string{rcpt}
	}
	if len(f.Errs) == 0 {
		made, err := s.cfg.Testimony.CreateCampaign(r.Context(), tc, codes)
		if err == nil {
			d := &tmCreated{C: tc, Path: tmPath(tc), URL: tmPublicURL(r, tc), Identity: identity, Codes: made}
			s.render(w, r, http.StatusOK, "testimony_created", s.page(r, "tm.created", d))
			return
		}
		var e *vigie.Error
		if vigie.ErrorCode(err) != vigie.EINVALID || !asVigieError(err, &e) {
			s.fail(w, r, err)
			return
		}
		field := e.Field
		if field == "system" || field == "" {
			field = "general"
		}
		f.Errs[field] = vigie.ErrorMessage(err)
	}
	s.render(w, r, http.StatusUnprocessableEntity, "testimony_new", s.page(r, "tm.new", f))
}

func asVigieError(err error, e **vigie.Error) bool {
	v, ok := err.(*vigie.Error)
	*e = v
	return ok
}

// ---- the campaign page and its results ----

// tmShowData is the campaign's page.
type tmShowData struct {
	C        *vigie.TestimonyCampaign
	Path     string
	URL      string
	State    string
	Systems  []*vigie.SystemRecord
	Res      *testimony.Results
	Tables   []tmTable
	Units    *tmTable
	Lang     string
	Texts    []string // decrypted for this request only
	TextsErr string
	Read     bool // the texts were asked for
	Today    vigie.Date
	l        *loc
}

// Day writes a date in words.
func (d *tmShowData) Day(x vigie.Date) string { return tmDay(d.l, x) }

// tmTable is one question's results: its chart and its table.
type tmTable struct {
	Q       testimony.QuestionResult
	Text    string
	Chart   template.HTML
	Rows    []tmCell
	ByUnit  *testimony.Breakdown
	Columns []string // answer labels, for the breakdown
}

type tmCell struct {
	Label string
	Count string // "" when hidden
}

// TextsOpen reports whether the free texts may be read: k answered, and
// they are still kept.
func (d *tmShowData) TextsOpen() bool { return d.Res.Shown() && d.C.TextsPurgedOn.IsZero() }

// PurgeOn is the day the free texts will be deleted.
func (d *tmShowData) PurgeOn() vigie.Date { return d.C.EndsOn().AddDays(d.C.RetentionDays) }

func (s *Server) tmResults(r *http.Request, tc *vigie.TestimonyCampaign) (*testimony.Results, error) {
	answers, first, last, err := s.cfg.Testimony.CampaignAnswers(r.Context(), tc.ID)
	if err != nil {
		return nil, err
	}
	return testimony.ResultsOf(tc, answers, first, last, testimonyToday()), nil
}

func (s *Server) tmShow(r *http.Request) (*tmShowData, error) {
	tc, err := s.tmCampaign(r)
	if err != nil {
		return nil, err
	}
	res, err := s.tmResults(r, tc)
	if err != nil {
		return nil, err
	}
	l := s.loc(r)
	d := &tmShowData{C: tc, Path: tmPath(tc), URL: tmPublicURL(r, tc), State: tmState(tc, testimonyToday()), Res: res,
		Lang: l.Lang, Today: testimonyToday(), l: l}
	for _, id := range tc.SystemIDs {
		if rec, err := s.cfg.Systems.FindSystemByID(r.Context(), id); err == nil {
			d.Systems = append(d.Systems, rec)
		}
	}
	set := testimony.Questions()
	for i, q := range res.Questions {
		t := tmTableOf(l, q, res.MinGroup, "tm-chart-"+q.ID)
		if i < len(res.ByUnit) && res.ByUnit[i].Shown {
			b := res.ByUnit[i]
			t.ByUnit = &b
			if qq := set.Question(q.ID); qq != nil {
				for _, a := range qq.Answers() {
					t.Columns = append(t.Columns, qq.Label(a, l.Lang))
				}
			}
		}
		d.Tables = append(d.Tables, t)
	}
	if res.Units != nil {
		t := tmTableOf(l, *res.Units, res.MinGroup, "tm-chart-unit")
		d.Units = &t
	}
	return d, nil
}

// tmTableOf draws a question's chart (a bar per answer; a hidden count has
// no bar and says so) and its table.
func tmTableOf(l *loc, q testimony.QuestionResult, k int, id string) tmTable {
	pick := func(fr, en string) string {
		if l.Lang == "en" && en != "" {
			return en
		}
		return fr
	}
	t := tmTable{Q: q, Text: pick(q.Text, q.TextEN)}
	c := chart.Chart{ID: id, Title: t.Text, Mark: chart.Bar, Lang: l.Lang, Caption: l.T("tm.chart.caption")}
	shown := false
	for _, cell := range q.Cells {
		label := pick(cell.Label, cell.LabelEN)
		row := chart.Row{Label: label}
		tc := tmCell{Label: label}
		if cell.Count != nil {
			row.Value = chart.V(float64(*cell.Count))
			row.Note = strconv.Itoa(*cell.Count)
			tc.Count = strconv.Itoa(*cell.Count)
			shown = true
		} else {
			row.Note = l.T("tm.hidden.short", "K", k)
			row.Colour = "#6b7280"
		}
		c.Rows = append(c.Rows, row)
		t.Rows = append(t.Rows, tc)
	}
	if shown {
		t.Chart = template.HTML(c.SVG()) // the chart package escapes every text
	}
	return t
}

func (s *Server) handleTmShow(w http.ResponseWriter, r *http.Request) {
	d, err := s.tmShow(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "", d)
	p.Title = d.C.Title
	s.render(w, r, http.StatusOK, "testimony_show", p)
}

func (s *Server) handleTmJSON(w http.ResponseWriter, r *http.Request) {
	tc, err := s.tmCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.tmResults(r, tc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "application/json", "temoignages-"+tc.ID+".json", append(b, '\n'))
}

// handleTmRead decrypts the free texts with the key pasted in the form, for
// this response only: the key is neither stored nor logged, the page is not
// cached, and the texts come shuffled.
func (s *Server) handleTmRead(w http.ResponseWriter, r *http.Request) {
	d, err := s.tmShow(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, vigie.Errorf(vigie.EINVALID, "formulaire illisible / unreadable form"))
		return
	}
	l := s.loc(r)
	d.Read = true
	status := http.StatusOK
	switch ids, err := testimony.ParseIdentity(r.PostForm.Get("identity")); {
	case !d.TextsOpen():
		d.TextsErr, status = l.T("tm.texts.closed", "K", d.C.MinGroup), http.StatusForbidden
	case err != nil:
		d.TextsErr, status = l.T("tm.texts.badkey"), http.StatusUnprocessableEntity
	default:
		blobs, err := s.cfg.Testimony.CampaignTexts(r.Context(), d.C.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		texts, err := testimony.Open(blobs, ids)
		if err != nil {
			d.TextsErr, status = l.T("tm.texts.wrongkey"), http.StatusUnprocessableEntity
			break
		}
		testimony.Shuffle(texts, rand.IntN)
		d.Texts = texts
	}
	p := s.page(r, "", d)
	p.Title = d.C.Title
	s.render(w, r, status, "testimony_show", p)
}

func (s *Server) handleTmClose(w http.ResponseWriter, r *http.Request) {
	tc, err := s.tmCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Testimony.CloseCampaign(r.Context(), tc.ID, testimonyToday()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "tm.closed")
	http.Redirect(w, r, tmPath(tc), http.StatusSeeOther)
}

// tmCodesData is a printable batch of paper codes, shown once.
type tmCodesData struct {
	C     *vigie.TestimonyCampaign
	Path  string
	URL   string
	Codes []string
	QR    template.HTML
}

func (s *Server) handleTmCodes(w http.ResponseWriter, r *http.Request) {
	tc, err := s.tmCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, vigie.Errorf(vigie.EINVALID, "formulaire illisible / unreadable form"))
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("n")))
	if err != nil {
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "n", Message: s.loc(r).T("tm.err.number")})
		return
	}
	codes, err := s.cfg.Testimony.AddCodes(r.Context(), tc.ID, n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	url := tmPublicURL(r, tc)
	qr, err := tmQRSVG(url, 96)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &tmCodesData{C: tc, Path: tmPath(tc), URL: url, Codes: codes, QR: qr}
	p := s.page(r, "tm.codes.title", d)
	s.render(w, r, http.StatusOK, "testimony_codes", p)
}

// ---- the system's tab ----

type tmTabData struct {
	Campaigns []tmListItem
	NewPath   string
}

func (s *Server) loadTestimonyTab(r *http.Request, rec *vigie.SystemRecord) (any, error) {
	cs, err := s.cfg.Testimony.FindCampaigns(r.Context(), rec.OrgID, rec.ID)
	if err != nil {
		return nil, err
	}
	d := &tmTabData{NewPath: "/o/" + rec.OrgID + "/testimony/new?system=" + rec.ID}
	for _, c := range cs {
		d.Campaigns = append(d.Campaigns, tmListItem{C: c, Path: tmPath(c), State: tmState(c, testimonyToday())})
	}
	return d, nil
}

// ---- the evaluation tab: the workers' answers beside the rating ----

// tmEvaluation is what the evaluation tab shows of the closed campaigns of
// a system: for each work.* fact, the representatives' rating and the
// workers' level with its source.
type tmEvaluation struct {
	Rows         []tmEvalRow
	Observations []testimony.Observation
}

type tmEvalRow struct {
	Fact     string
	Question string // the question, in the interface language
	Rating   vigie.OptInt
	Workers  vigie.OptInt
	Document string
	Path     string // the campaign's page
	Filled   bool   // the rating was unknown: the workers' level is used
}

// testimonyEvidence returns the observations of the closed campaigns of rec
// (nil when there is none, or the feature is off). The newest closed
// campaign with shown results speaks for each fact.
func (s *Server) testimonyEvidence(r *http.Request, rec *vigie.SystemRecord) *tmEvaluation {
	if s.cfg.Testimony == nil {
		return nil
	}
	cs, err := s.cfg.Testimony.FindCampaigns(r.Context(), rec.OrgID, rec.ID)
	if err != nil || len(cs) == 0 {
		return nil
	}
	l := s.loc(r)
	ev := &tmEvaluation{}
	seen := map[string]bool{}
	today := testimonyToday()
	for _, tc := range cs { // newest first
		if !tc.ClosedBy(today) {
			continue
		}
		res, err := s.tmResults(r, tc)
		if err != nil {
			continue
		}
		closed, ok := testimony.ClosedOf(res)
		if !ok {
			continue
		}
		for _, o := range testimony.Observations(res, closed) {
			if seen[o.Fact] || !o.Value.Known {
				continue
			}
			seen[o.Fact] = true
			ev.Observations = append(ev.Observations, o)
			q := testimony.Questions().Question(o.Question)
			doc := o.Document
			if l.Lang == "en" {
				doc = o.DocumentEN
			}
			rating := testimony.Rating(&rec.System, o.Fact)
			ev.Rows = append(ev.Rows, tmEvalRow{Fact: o.Fact, Question: q.Text.In(l.Lang), Rating: rating, Workers: o.Value,
				Document: doc, Path: tmPath(tc), Filled: !rating.Known})
		}
	}
	if len(ev.Rows) == 0 {
		return nil
	}
	order := testimony.Questions().IDs()
	slices.SortFunc(ev.Rows, func(a, b tmEvalRow) int {
		return slices.Index(order, strings.TrimPrefix(a.Fact, "work.")) - slices.Index(order, strings.TrimPrefix(b.Fact, "work."))
	})
	return ev
}

// withTestimony is the system the evaluation tab assesses: the facts as
// recorded, with the closed campaigns' answers as evidence.
func (ev *tmEvaluation) withTestimony(sys *vigie.System) *vigie.System {
	if ev == nil || sys == nil {
		return sys
	}
	return testimony.Apply(sys, ev.Observations)
}

// ---- the public form ----

// tmPublicData is the public form and its answers.
type tmPublicData struct {
	L         *loc
	C         *vigie.TestimonyCampaign
	Systems   []string
	Questions []testimony.Question
	Set       *testimony.Set
	Values    map[string]string
	Unit      string
	Text      string
	Errs      map[string]string
	Action    string
	Other     string // the same form in the other language
	Done      bool
	Open      bool
	NeedsCode bool
}

// QText, Label and such are the texts in the page's language.
func (d *tmPublicData) QText(q testimony.Question) string { return q.Text.In(d.L.Lang) }
func (d *tmPublicData) Label(q testimony.Question, a string) string {
	return q.Label(a, d.L.Lang)
}
func (d *tmPublicData) Choices(q testimony.Question) []string { return q.Answers() }
func (d *tmPublicData) Checked(q testimony.Question, a string) bool {
	v := d.Values[q.ID]
	if v == "" {
		v = testimony.NotKnown
	}
	return v == a
}
func (d *tmPublicData) Pick(t testimony.Text) string { return t.In(d.L.Lang) }

func tmLang(r *http.Request) string {
	if r.URL.Query().Get("lang") == "en" {
		return "en"
	}
	return "fr"
}

func (s *Server) tmPublic(r *http.Request) (*tmPublicData, error) {
	token := chi.URLParam(r, "token")
	tc, err := s.cfg.Testimony.CampaignForToken(r.Context(), token)
	if err != nil {
		return nil, err
	}
	lang := tmLang(r)
	d := &tmPublicData{L: newLoc(s.bundle, lang), C: tc, Set: testimony.Questions(), Values: map[string]string{}, Errs: map[string]string{},
		Action: "/t/" + token, Other: "/t/" + token + "?lang=en", Open: tc.OpenOn(testimonyToday()), NeedsCode: tc.CodesIssued > 0}
	if lang == "en" {
		d.Action += "?lang=en"
		d.Other = "/t/" + token
	}
	d.Questions, _ = d.Set.Select(tc.Questions)
	// The public page names the systems: the operator reads them, as the
	// visitor has no account.
	for _, id := range tc.SystemIDs {
		if rec, err := s.cfg.Systems.FindSystemByID(context.WithoutCancel(r.Context()), id); err == nil {
			d.Systems = append(d.Systems, rec.System.Name)
		}
	}
	return d, nil
}

// tmRenderPublic writes the public page: its own layout, no script, no
// session, no referrer sent on.
func (s *Server) tmRenderPublic(w http.ResponseWriter, status int, d *tmPublicData) {
	var buf bytes.Buffer
	if err := s.pages["testimony_public"].t.ExecuteTemplate(&buf, "tm-public", d); err != nil {
		s.log.Error("web: testimony form", "err", err)
		http.Error(w, "erreur interne / internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// tmPublicFail answers a public request that failed, without logging the
// request: a missing questionnaire is 404, an internal error is logged
// with its cause only.
func (s *Server) tmPublicFail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	l := newLoc(s.bundle, tmLang(r))
	msg := l.T("tm.public.notfound")
	if status == http.StatusInternalServerError {
		s.log.Error("web: testimony", "err", err)
		msg = l.T("err.internal")
	} else if status != http.StatusNotFound {
		msg = vigie.ErrorMessage(err)
	}
	s.tmPublicMessage(w, l, status, msg)
}

// tmPublicMessage answers a public request with a message alone.
func (s *Server) tmPublicMessage(w http.ResponseWriter, l *loc, status int, msg string) {
	var buf bytes.Buffer
	if e := s.pages["testimony_public"].t.ExecuteTemplate(&buf, "tm-public-error", map[string]any{"L": l, "Message": msg, "Status": status}); e != nil {
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

func (s *Server) handleTmForm(w http.ResponseWriter, r *http.Request) {
	d, err := s.tmPublic(r)
	if err != nil {
		s.tmPublicFail(w, r, err)
		return
	}
	s.tmRenderPublic(w, http.StatusOK, d)
}

func (s *Server) handleTmSubmit(w http.ResponseWriter, r *http.Request) {
	d, err := s.tmPublic(r)
	if err != nil {
		s.tmPublicFail(w, r, err)
		return
	}
	if !tmAllowed(r) {
		s.tmPublicMessage(w, d.L, http.StatusTooManyRequests, d.L.T("tm.public.ratelimit"))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.tmPublicMessage(w, d.L, statusOf(err), d.L.T("tm.public.badform"))
		return
	}
	a := vigie.TestimonyAnswer{Unit: r.PostForm.Get("unit"), Values: map[string]string{}}
	for _, q := range d.Questions {
		if v := r.PostForm.Get("q_" + q.ID); v != "" {
			a.Values[q.ID] = v
		}
	}
	d.Values, d.Unit, d.Text = a.Values, a.Unit, r.PostForm.Get("text")
	sub := &vigie.TestimonySubmission{Answer: a, Text: d.Text, Code: r.PostForm.Get("code"), Week: testimony.Week(testimonyNow().In(vigie.France))}
	err = s.cfg.Testimony.Submit(r.Context(), chi.URLParam(r, "token"), sub, testimonyToday())
	if err != nil {
		var e *vigie.Error
		if vigie.ErrorCode(err) != vigie.EINVALID || !asVigieError(err, &e) {
			s.tmPublicFail(w, r, err)
			return
		}
		field := e.Field
		if field == "" {
			field = "general"
		}
		msg := vigie.ErrorMessage(err)
		if testimony.Questions().Question(field) != nil {
			msg = d.L.T("tm.public.err.scale")
		} else if d.L.Has("tm.public.err." + field) {
			msg = d.L.T("tm.public.err." + field)
		}
		d.Errs[field] = msg
		s.tmRenderPublic(w, http.StatusUnprocessableEntity, d)
		return
	}
	s.tmRenderPublic(w, http.StatusOK, &tmPublicData{L: d.L, C: d.C, Done: true, Other: d.Other, Set: d.Set})
}

// ---- what a result looks like in a sentence ----

// tmCount writes a cell's count, or says it is hidden.
func tmCount(l *loc, c *int, k int) string {
	if c == nil {
		return l.T("tm.hidden", "K", k)
	}
	return fmt.Sprint(*c)
}

// tmDay writes a civil date in words, in the language of l.
func tmDay(l *loc, d vigie.Date) string {
	if d.IsZero() {
		return ""
	}
	return assess.LongDate(lawLang(l), d.String())
}

// Day writes a date in words.
func (d *tmPublicData) Day(x vigie.Date) string { return tmDay(d.L, x) }
