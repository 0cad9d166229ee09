package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/ods"
	"github.com/vigie-app/vigie/web"
)

const (
	asCallCentre = "../testdata/cases/01-centre-appels-analyse-vocale.yaml"
	asPlanning   = "../testdata/cases/03-poste-planification-bureaux.yaml"
)

// asEnv is an organisation with an admin, an editor, a reader and a user
// of another organisation, and one system read from a reference case.
type asEnv struct {
	*env
	rec                                 *vigie.SystemRecord
	cAdmin, cEditor, cReader, cOutsider string
}

func readCase(t testing.TB, path string) *vigie.System {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := vigie.ParseSystem(path, b)
	if err != nil {
		t.Fatal(err)
	}
	return sys
}

func newASEnv(t *testing.T, path string, edit func(*vigie.System)) *asEnv {
	t.Helper()
	e := newEnv(t)
	a := &asEnv{env: e}
	admin := e.user("admin@as.test", "Alice Admin")
	editor := e.user("editor@as.test", "Eddie Éditeur")
	reader := e.user("reader@as.test", "Rita Lectrice")
	outsider := e.user("out@as.test", "Oscar Ailleurs")
	o := e.org(admin, "Section AS")
	e.org(outsider, "Autre section")
	e.member(o, editor, vigie.RoleEditor)
	e.member(o, reader, vigie.RoleReader)
	sys := readCase(t, path)
	if edit != nil {
		edit(sys)
	}
	a.rec = &vigie.SystemRecord{OrgID: o.ID, System: *sys}
	if err := e.db.CreateSystem(context.Background(), a.rec); err != nil {
		t.Fatal(err)
	}
	a.cAdmin, a.cEditor, a.cReader, a.cOutsider = e.login(admin.Email), e.login(editor.Email), e.login(reader.Email), e.login(outsider.Email)
	return a
}

func (a *asEnv) path(rest string) string { return "/o/" + a.rec.OrgID + "/systems/" + a.rec.ID + rest }

func (a *asEnv) reports(t *testing.T, kind string) []*vigie.Report {
	t.Helper()
	reps, err := a.db.FindReports(context.Background(), a.rec.ID, kind)
	if err != nil {
		t.Fatal(err)
	}
	return reps
}

func (a *asEnv) current(t *testing.T) *vigie.SystemRecord {
	t.Helper()
	rec, err := a.db.FindSystemByID(context.Background(), a.rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// unknownEmotion is case 01 with emotion recognition left unknown.
func unknownEmotion(s *vigie.System) { s.Capabilities.EmotionRecognition = vigie.TriUnknown }

// answers is the questionnaire as the tab fills it from sys, the way a
// browser posts it.
func answers(t *testing.T, body string) url.Values {
	t.Helper()
	form := between(body, `id="as-form"`, "</form>")
	if form == "" {
		t.Fatal("no questionnaire on the tab")
	}
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="(hidden|radio|checkbox|text|date)"[^>]*>`).FindAllString(form, -1) {
		name := attr(m, "name")
		switch attr(m, "type") {
		case "radio", "checkbox":
			if strings.Contains(m, " checked") {
				v.Add(name, attr(m, "value"))
			}
		default:
			v.Set(name, attr(m, "value"))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<select id="[^"]*" name="([^"]+)".*?</select>`).FindAllStringSubmatch(form, -1) {
		sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[0])
		if sel != nil {
			v.Set(m[1], html.UnescapeString(sel[1]))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(form, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

func attr(tag, name string) string {
	m := regexp.MustCompile(`\b` + name + `="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func asHTMX(e *env, path, cookie string, form url.Values) resp {
	return e.do(http.MethodPost, path, cookie, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded",
		"HX-Request", "true", "HX-Target", "as-result")
}

// status of an obligation on the tab.
func oblStatus(body, id string) string {
	m := regexp.MustCompile(`<li id="as-obl-` + regexp.QuoteMeta(id) + `" data-status="([a-z_]+)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestAssessTabByRole(t *testing.T) {
	a := newASEnv(t, asCallCentre, nil)
	date := vigie.DateInFrance(time.Now())
	want := assess.Evaluate(&a.rec.System, date)
	// The reader opens the tab first: nothing is kept for a reader.
	r := a.get(a.path("/t/evaluation"), a.cReader)
	if r.status != http.StatusOK {
		t.Fatalf("reader: %d", r.status)
	}
	if n := len(a.reports(t, vigie.ReportAssessment)); n != 0 {
		t.Errorf("a reader's visit kept %d assessments", n)
	}
	if !strings.Contains(r.body, "as-history") || !strings.Contains(html.UnescapeString(r.body), "pas encore conservée") {
		t.Errorf("reader: the current version is not shown as pending")
	}
	for _, c := range []struct {
		who, cookie string
		save        bool
	}{{"admin", a.cAdmin, true}, {"editor", a.cEditor, true}, {"reader", a.cReader, false}} {
		for _, lang := range []string{"fr", "en"} {
			l := law.Lang(lang)
			r := a.get(a.path("/t/evaluation"), c.cookie+"; vigie_lang="+lang)
			if r.status != http.StatusOK {
				t.Fatalf("%s %s: status %d", c.who, lang, r.status)
			}
			body := html.UnescapeString(r.body)
			tier := between(body, `id="as-tier"`, "</p>")
			if !strings.Contains(tier, assess.Label(l, "tier."+want.AIAct.Tier)) {
				t.Errorf("%s %s: tier %q, want %q", c.who, lang, tier, assess.Label(l, "tier."+want.AIAct.Tier))
			}
			for _, g := range want.AIAct.Grounds {
				row := between(body, `id="as-ground-`+g.Rule+`"`, "</li>")
				if !strings.Contains(row, g.Article) || !strings.Contains(row, g.TextIn(l)) || !strings.Contains(row, assess.Label(l, "confidence."+g.Confidence)) ||
					!strings.Contains(row, assess.LongDate(l, g.AppliesFrom)) {
					t.Errorf("%s %s: ground %s row %q", c.who, lang, g.Rule, row)
				}
			}
			for _, o := range want.Obligations {
				if got := oblStatus(r.body, o.ID); got != o.Status {
					t.Errorf("%s %s: obligation %s status %q, want %q", c.who, lang, o.ID, got, o.Status)
				}
				item := between(body, `id="as-obl-`+o.ID+`"`, "</li>\n")
				if !strings.Contains(item, o.BasisIn(l)) || !strings.Contains(item, assess.Label(l, "confidence."+o.Confidence)) {
					t.Errorf("%s %s: obligation %s lacks its basis or confidence: %q", c.who, lang, o.ID, item)
				}
				act := `href="` + a.path("/actions/new?rule="+o.ID) + `"`
				if got := strings.Contains(item, act); got != (o.Status == assess.StatusUnmet) {
					t.Errorf("%s %s: obligation %s (%s) act link shown = %v", c.who, lang, o.ID, o.Status, got)
				}
			}
			for _, w := range want.Warnings {
				if !strings.Contains(body, `id="as-warning-`+w.Rule+`"`) {
					t.Errorf("%s %s: no warning for the unverified rule %s", c.who, lang, w.Rule)
				}
			}
			for _, x := range want.Risks {
				row := between(body, `id="as-risk-`+x.Dimension+`"`, "</tr>")
				if !strings.Contains(row, `data-priority="`+x.Priority+`"`) || !strings.Contains(row, strconv.Itoa(x.Severity)+"/4") {
					t.Errorf("%s %s: risk %s row %q", c.who, lang, x.Dimension, row)
				}
			}
			if got := strings.Count(between(r.body, `id="as-duerp"`, "</table>"), "<tr data-dimension="); got != len(want.DUERP) {
				t.Errorf("%s %s: %d DUERP lines, want %d", c.who, lang, got, len(want.DUERP))
			}
			if got := strings.Contains(r.body, `id="as-save"`); got != c.save {
				t.Errorf("%s %s: save button shown = %v", c.who, lang, got)
			}
			if lang == "fr" && !strings.Contains(between(body, `id="as-asof"`, "</p>"), "aujourd'hui") {
				t.Errorf("%s: the page does not say aujourd'hui: %q", c.who, between(body, `id="as-asof"`, "</p>"))
			}
			// Each question says why it matters.
			for _, q := range assess.Questionnaire() {
				if !strings.Contains(body, q.Question.In(l)) || !strings.Contains(body, q.Why.In(l)) {
					t.Errorf("%s %s: question %s missing or without its reason", c.who, lang, q.Fact)
					break
				}
			}
		}
	}
	page := a.get(a.path("/t/evaluation"), a.cEditor).body
	if bad := unlabelled(page); len(bad) > 0 {
		t.Errorf("unlabelled controls: %v", bad)
	}
	if strings.Count(page, "<fieldset") != strings.Count(page, "<legend>") {
		t.Error("a fieldset without a legend")
	}
	for _, m := range web.MissingMessages() {
		if strings.Contains(m, ":as.") || strings.Contains(m, ":enum.") || strings.Contains(m, ":scale.") || strings.Contains(m, ":set.") {
			t.Errorf("missing message %s", m)
		}
	}
	// Opening the tab stores nothing (a GET never writes, even a
	// cross-site one); the editor keeps the assessment with a POST.
	if reps := a.reports(t, vigie.ReportAssessment); len(reps) != 0 {
		t.Fatalf("kept assessments after an editor's visit: %+v", reps)
	}
	if !strings.Contains(page, `action="`+a.path("/assessment/keep")+`"`) {
		t.Error("no button to keep the assessment")
	}
	if r := a.post(a.path("/assessment/keep"), a.cReader, url.Values{"version": {"1"}}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("a reader keeps: %d", r.status)
	}
	if r := a.post(a.path("/assessment/keep"), a.cEditor, url.Values{"version": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("keep: %d", r.status)
	}
	reps := a.reports(t, vigie.ReportAssessment)
	if len(reps) != 1 || reps[0].SystemVersion != 1 || reps[0].AsOf != date {
		t.Fatalf("kept assessments after keeping: %+v", reps)
	}
	var kept assess.Assessment
	if err := json.Unmarshal(reps[0].Result, &kept); err != nil || kept.AIAct.Tier != want.AIAct.Tier {
		t.Errorf("kept result: %v, tier %q", err, kept.AIAct.Tier)
	}
	// A visit, or keeping again, keeps nothing more.
	a.get(a.path("/t/evaluation"), a.cAdmin)
	a.post(a.path("/assessment/keep"), a.cAdmin, url.Values{"version": {"1"}})
	if n := len(a.reports(t, vigie.ReportAssessment)); n != 1 {
		t.Errorf("%d kept assessments after a second visit", n)
	}
	j := a.get(a.path("/assessment/"+reps[0].ID+".json"), a.cReader)
	if j.status != http.StatusOK || !bytes.Equal([]byte(j.body), reps[0].Result) {
		t.Errorf("kept JSON: %d", j.status)
	}

	// Another organisation's user sees nothing of it.
	form := answers(t, page)
	for _, r := range []resp{
		a.get(a.path("/t/evaluation"), a.cOutsider),
		a.post(a.path("/assessment/preview"), a.cOutsider, form),
		asHTMX(a.env, a.path("/assessment/preview"), a.cOutsider, form),
		a.post(a.path("/assessment"), a.cOutsider, form),
		a.get(a.path("/assessment/duerp.csv"), a.cOutsider),
		a.get(a.path("/assessment/duerp.ods"), a.cOutsider),
		a.get(a.path("/assessment/"+reps[0].ID+".json"), a.cOutsider),
	} {
		if r.status != http.StatusNotFound || strings.Contains(r.body, "Villeurbanne") || strings.Contains(r.body, "Plateau") {
			t.Errorf("outsider: status %d (want 404)", r.status)
		}
	}
	// A reader may preview, not save.
	if r := a.post(a.path("/assessment"), a.cReader, form); r.status != http.StatusForbidden {
		t.Errorf("reader save: %d", r.status)
	}
	if a.current(t).Version != 1 {
		t.Error("a refused save changed the system")
	}
}

func TestAssessPreviewStoresNothing(t *testing.T) {
	a := newASEnv(t, asCallCentre, unknownEmotion)
	body := a.get(a.path("/t/evaluation"), a.cEditor).body
	if !strings.Contains(body, `data-tier="high"`) {
		t.Fatalf("with emotion recognition unknown the tier should be high: %q", between(body, `id="as-tier"`, "</p>"))
	}
	nRep := len(a.reports(t, ""))
	form := answers(t, body)
	if got := form.Get("capabilities.emotion_recognition"); got != "unknown" {
		t.Fatalf("the questionnaire shows emotion_recognition = %q", got)
	}
	form.Set("capabilities.emotion_recognition", "true")
	answered := readCase(t, asCallCentre)
	wantDUERP := assess.Evaluate(answered, vigie.DateInFrance(time.Now())).DUERP
	for _, c := range []string{a.cAdmin, a.cEditor, a.cReader} {
		r := asHTMX(a.env, a.path("/assessment/preview"), c, form)
		if r.status != http.StatusOK || strings.Contains(r.body, "<html") || !strings.Contains(r.body, `id="as-result"`) {
			t.Fatalf("live preview: %d %.300s", r.status, r.body)
		}
		if !strings.Contains(r.body, `data-tier="prohibited"`) || !strings.Contains(r.body, `id="as-ground-AIA-5f"`) || oblStatus(r.body, "CT-NT") != "unmet" {
			t.Errorf("live preview: %q", between(html.UnescapeString(r.body), `id="as-tier"`, "</p>"))
		}
		// The DUERP lines below the questionnaire follow too (out of band).
		if !strings.Contains(r.body, `id="as-duerp-box" hx-swap-oob="true"`) ||
			strings.Count(between(r.body, `id="as-duerp"`, "</table>"), "<tr data-dimension=") != len(wantDUERP) {
			t.Errorf("live preview: the DUERP lines are not swapped")
		}
		p := a.post(a.path("/assessment/preview"), c, form)
		if p.status != http.StatusOK || !strings.Contains(p.body, `id="as-form"`) || !strings.Contains(p.body, `data-tier="prohibited"`) {
			t.Errorf("plain preview: %d", p.status)
		}
		// The answer stays on the form.
		if got := answers(t, p.body).Get("capabilities.emotion_recognition"); got != "true" {
			t.Errorf("plain preview: the answer is now %q", got)
		}
	}
	if rec := a.current(t); rec.Version != 1 || rec.System.Capabilities.EmotionRecognition != vigie.TriUnknown {
		t.Errorf("the preview changed the system: v%d", rec.Version)
	}
	if n := len(a.reports(t, "")); n != nRep {
		t.Errorf("the preview kept %d reports", n-nRep)
	}
	// A bad answer: named next to the field, no result.
	form.Set("organisation.headcount", "beaucoup")
	r := asHTMX(a.env, a.path("/assessment/preview"), a.cEditor, form)
	if !strings.Contains(r.body, `id="as-noresult"`) || !strings.Contains(r.body, `id="q-f-organisation-headcount-err" class="as-err" hx-swap-oob="true"><small class="field-error">`) {
		t.Errorf("bad answer in the live preview: %.500s", r.body)
	}
}

func TestAssessSave(t *testing.T) {
	a := newASEnv(t, asCallCentre, unknownEmotion)
	body := a.get(a.path("/t/evaluation"), a.cEditor).body
	form := answers(t, body)
	before := a.current(t)

	// Bad input: named, nothing stored.
	bad := cloneValues(form)
	bad.Set("capabilities.emotion_recognition", "true")
	bad.Set("organisation.headcount", "beaucoup")
	r := a.post(a.path("/assessment"), a.cEditor, bad)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(between(r.body, `id="as-invalid"`, "</ul>")), "Combien de salariés") {
		t.Errorf("bad answer: %d %q", r.status, between(r.body, `id="as-invalid"`, "</ul>"))
	}
	if a.current(t).Version != 1 {
		t.Fatal("a bad answer changed the system")
	}

	// An answer left out of the form keeps its fact.
	partial := cloneValues(form)
	partial.Del("organisation.headcount")
	partial.Set("capabilities.emotion_recognition", "false")
	if r := a.post(a.path("/assessment/preview"), a.cEditor, partial); r.status != http.StatusOK || answers(t, r.body).Get("organisation.headcount") != "400" {
		t.Errorf("a missing answer: %d, headcount %q", r.status, answers(t, r.body).Get("organisation.headcount"))
	}

	// Saving the answer makes version 2, with its history and its assessment.
	form.Set("capabilities.emotion_recognition", "true")
	r = a.post(a.path("/assessment"), a.cEditor, form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.status, between(r.body, "<main", "</main>"))
	}
	rec := a.current(t)
	if rec.Version != 2 || rec.System.Capabilities.EmotionRecognition != vigie.TriTrue {
		t.Fatalf("after save: v%d emotion %v", rec.Version, rec.System.Capabilities.EmotionRecognition)
	}
	if ch := assess.ChangedFacts(&before.System, &rec.System); !slices.Equal(ch, []string{"capabilities.emotion_recognition"}) {
		t.Errorf("the questionnaire changed other facts: %v", ch)
	}
	if len(rec.System.Evidence) != len(before.System.Evidence) {
		t.Error("the evidence was lost")
	}
	hist, err := a.db.SystemHistory(context.Background(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(hist, func(c vigie.SystemChange) bool {
		return c.Version == 2 && c.Fact == "capabilities.emotion_recognition" && c.Old == "unknown" && c.New == "true"
	}) {
		t.Errorf("fact history: %+v", hist)
	}
	reps := a.reports(t, vigie.ReportAssessment)
	if len(reps) != 2 || reps[0].SystemVersion != 2 || !strings.HasPrefix(reps[0].Summary, "interdit") {
		t.Fatalf("kept assessments: %d, %+v", len(reps), reps[0])
	}
	// The history says what changed and why.
	page := html.UnescapeString(a.get(a.path("/t/evaluation"), a.cReader+"; vigie_lang=fr").body)
	v2 := between(page, `id="as-hist-v2"`, "</li>\n</ol>")
	oldA := assess.Evaluate(&before.System, reps[0].AsOf)
	newA := assess.Evaluate(&rec.System, reps[0].AsOf)
	changes := assess.Diff(oldA, newA)
	if len(changes) == 0 || changes[0].Kind != assess.ChangeTier {
		t.Fatalf("engine diff: %+v", changes)
	}
	for _, c := range changes {
		if !strings.Contains(v2, c.TextIn(law.FR)) {
			t.Errorf("history lacks %q:\n%s", c.TextIn(law.FR), v2)
		}
	}
	if !strings.Contains(v2, "Faits modifiés") || !strings.Contains(v2, "émotions") {
		t.Errorf("history does not name the changed fact:\n%.600s", v2)
	}
	if n := len(a.reports(t, vigie.ReportAssessment)); n != 2 {
		t.Errorf("%d kept assessments after visiting", n)
	}

	// A conflict: someone else saved meanwhile; the answers are kept.
	other := a.current(t)
	other.System.Deployment.DPIADone = vigie.TriTrue
	if err := a.db.UpdateSystem(vigie.NewContextWithUser(context.Background(), nil), other); err != nil {
		t.Fatal(err)
	}
	form.Set("version", "2")
	form.Set("deployment.expert_appointed", "true")
	r = a.post(a.path("/assessment"), a.cEditor, form)
	if r.status != http.StatusConflict || !strings.Contains(r.body, `id="as-conflict"`) {
		t.Fatalf("conflict: %d", r.status)
	}
	if got := html.UnescapeString(between(r.body, `id="as-conflict"`, "</div>")); !strings.Contains(got, "AIPD") && !strings.Contains(got, "analyse d'impact") {
		t.Errorf("the conflict does not name the changed fact: %q", got)
	}
	kept := answers(t, r.body)
	if kept.Get("deployment.expert_appointed") != "true" || kept.Get("version") != "3" {
		t.Errorf("after the conflict: expert %q, version %q", kept.Get("deployment.expert_appointed"), kept.Get("version"))
	}
	if rec := a.current(t); rec.Version != 3 || rec.System.Deployment.ExpertAppointed != vigie.TriFalse {
		t.Errorf("the conflicting save changed the system: v%d", rec.Version)
	}
	// Saving again applies the answers to the current version.
	if r := a.post(a.path("/assessment"), a.cEditor, kept); r.status != http.StatusSeeOther {
		t.Fatalf("save after conflict: %d", r.status)
	}
	if rec := a.current(t); rec.Version != 4 || rec.System.Deployment.ExpertAppointed != vigie.TriTrue {
		t.Errorf("after saving again: v%d", rec.Version)
	}
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, x := range v {
		c[k] = slices.Clone(x)
	}
	return c
}

// TestAssessDate moves the as-of date across the application of Annex III:
// the ground comes into force on 2027-12-02, while the deployer's duty to
// inform (AIA-26-7) stays not applicable on both dates, with its note: the
// system is in service since 2026 and never significantly changed (AI Act
// Art. 111(2)).
func TestAssessDate(t *testing.T) {
	a := newASEnv(t, asPlanning, nil)
	sys := readCase(t, asPlanning)
	for _, c := range []struct{ date, status string }{{"2027-12-01", assess.StatusNotApplicable}, {"2027-12-02", assess.StatusNotApplicable}} {
		want, ok := assess.Evaluate(sys, vigie.MustDate(c.date)).Obligation("AIA-26-7")
		if !ok || want.Status != c.status {
			t.Fatalf("engine on %s: %+v", c.date, want)
		}
		r := a.get(a.path("/t/evaluation?date="+c.date), a.cReader)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", c.date, r.status)
		}
		if got := oblStatus(r.body, "AIA-26-7"); got != c.status {
			t.Errorf("%s: AIA-26-7 %q, want %q", c.date, got, c.status)
		}
		if !strings.Contains(html.UnescapeString(between(r.body, `id="as-obl-AIA-26-7"`, "</li>")), want.Note) {
			t.Errorf("%s: the note of AIA-26-7 is not shown", c.date)
		}
		if !strings.Contains(r.body, `<time datetime="`+c.date+`">`) || strings.Contains(r.body, `id="as-today"`) {
			t.Errorf("%s: the page does not show the date asked for", c.date)
		}
		if !strings.Contains(r.body, `href="`+a.path("/assessment/duerp.csv?date="+c.date)+`"`) {
			t.Errorf("%s: the DUERP link does not keep the date", c.date)
		}
		// The ground of Annex III is in force from 2027-12-02.
		if got := strings.Contains(between(r.body, `id="as-ground-AIA-HR"`, ">"), `data-inforce="true"`); got != (c.date == "2027-12-02") {
			t.Errorf("%s: Annex III ground in force = %v", c.date, got)
		}
	}
	// A bad date: 422, the field named, the page still there.
	r := a.get(a.path("/t/evaluation?date=2027-13-45"), a.cReader)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.body), "Date de la situation : date attendue au format AAAA-MM-JJ") ||
		!strings.Contains(r.body, `aria-invalid="true"`) {
		t.Errorf("bad date: %d %q", r.status, between(r.body, `id="as-date-form"`, "</form>"))
	}
	if r := a.get(a.path("/assessment/duerp.csv?date=hier"), a.cReader); r.status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.body), "Date de la situation") {
		t.Errorf("bad DUERP date: %d", r.status)
	}
}

func TestAssessDUERP(t *testing.T) {
	a := newASEnv(t, asCallCentre, nil)
	const date = "2026-11-26"
	want := assess.Evaluate(readCase(t, asCallCentre), vigie.MustDate(date))
	if len(want.DUERP) == 0 {
		t.Fatal("the engine gives no DUERP line for case 01")
	}
	for _, lang := range []string{"fr", "en"} {
		l := law.Lang(lang)
		hdr := map[string][]string{
			"fr": {"Unité de travail", "Danger", "Risque", "Gravité", "Fréquence", "Priorité", "Mesures existantes", "Mesures à mettre en place"},
			"en": {"Work unit", "Hazard", "Risk", "Severity", "Frequency", "Priority", "Existing measures", "Measures to put in place"},
		}[lang]
		pick := func(fr, en string) string {
			if l == law.EN {
				return en
			}
			return fr
		}
		var rows [][]string
		for _, x := range want.DUERP {
			rows = append(rows, []string{x.Unit, pick(x.Hazard, x.HazardEN), pick(x.Risk, x.RiskEN), strconv.Itoa(x.Severity), strconv.Itoa(x.Frequency),
				assess.Label(l, "priority."+x.Priority), pick(x.ExistingMeasures, x.ExistingMeasuresEN), pick(x.ProposedMeasures, x.ProposedMeasuresEN)})
		}

		r := a.get(a.path("/assessment/duerp.csv?date="+date), a.cReader+"; vigie_lang="+lang)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.Contains(r.header.Get("Content-Disposition"), date+".csv") {
			t.Fatalf("csv %s: %d %v", lang, r.status, r.header)
		}
		if !strings.HasPrefix(r.body, "\ufeff") {
			t.Errorf("csv %s: no byte-order mark", lang)
		}
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff")))
		cr.Comma = ';'
		got, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("csv %s: %v", lang, err)
		}
		if !slices.Equal(got[0], hdr) {
			t.Errorf("csv %s header %q", lang, got[0])
		}
		if !slices.EqualFunc(got[1:], rows, slices.Equal) {
			t.Errorf("csv %s rows differ from the engine's DUERP lines:\n%q\n%q", lang, got[1:], rows)
		}

		o := a.get(a.path("/assessment/duerp.ods?date="+date), a.cReader+"; vigie_lang="+lang)
		if o.status != http.StatusOK || o.header.Get("Content-Type") != ods.MediaType {
			t.Fatalf("ods %s: %d %v", lang, o.status, o.header)
		}
		if o.body[30:38] != "mimetype" || o.body[38:38+len(ods.MediaType)] != ods.MediaType {
			t.Errorf("ods %s: the mimetype is not the first, stored entry", lang)
		}
		tables, err := ods.Read([]byte(o.body))
		if err != nil || len(tables) != 1 {
			t.Fatalf("ods %s: %v", lang, err)
		}
		if !slices.Equal(tables[0].Rows[0], hdr) || !slices.EqualFunc(tables[0].Rows[1:], rows, slices.Equal) {
			t.Errorf("ods %s rows differ from the engine's DUERP lines:\n%q", lang, tables[0].Rows)
		}
		if tables[0].Types[1][3] != "float" {
			t.Errorf("ods %s: severity is not a number", lang)
		}
	}
	if r := a.get(a.path("/assessment/duerp.xls"), a.cReader); r.status != http.StatusNotFound {
		t.Errorf("unknown format: %d", r.status)
	}
}

// A unit whose name starts like a formula is not run by a spreadsheet.
func TestAssessDUERPFormula(t *testing.T) {
	a := newASEnv(t, asCallCentre, func(s *vigie.System) { s.Deployment.Units = vigie.SetOf("=HYPERLINK(\"x\")") })
	r := a.get(a.path("/assessment/duerp.csv"), a.cReader)
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff")))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("%v %d", err, len(rows))
	}
	if rows[1][0] != `'=HYPERLINK("x")` {
		t.Errorf("unit cell %q", rows[1][0])
	}
}

// The latest kept footprint is shown beside the environment risk.
func TestAssessFootprintEvidence(t *testing.T) {
	a := newASEnv(t, asCallCentre, nil)
	body := a.get(a.path("/t/evaluation"), a.cReader).body
	if !strings.Contains(body, `id="as-footprint-none"`) {
		t.Error("no invitation to estimate the footprint")
	}
	ctx := vigie.NewContextWithUser(context.Background(), nil)
	for i, sum := range []string{"≈ 1 kWh/an", "≈ 2 kWh/an"} {
		rp := &vigie.Report{SystemID: a.rec.ID, Kind: vigie.ReportFootprint, AsOf: vigie.MustDate("2026-11-0" + strconv.Itoa(i+1)), Title: "Empreinte",
			Summary: sum, Result: json.RawMessage(`{}`)}
		if err := a.db.CreateReport(ctx, rp, nil); err != nil {
			t.Fatal(err)
		}
	}
	reps := a.reports(t, vigie.ReportFootprint)
	body = html.UnescapeString(a.get(a.path("/t/evaluation"), a.cReader).body)
	fp := between(body, `id="as-footprint"`, "</small>")
	if !strings.Contains(fp, reps[0].Summary) || !strings.Contains(fp, "/t/environment?report="+reps[0].ID) {
		t.Errorf("footprint evidence %q, want the latest %q", fp, reps[0].Summary)
	}
	if !strings.Contains(between(body, `id="as-risk-environment"`, "</tr>"), `id="as-footprint"`) {
		t.Error("the footprint is not beside the environment risk")
	}
}

// Every reference case renders, with the engine's tier and statuses.
func TestAssessAllCases(t *testing.T) {
	a := newASEnv(t, asCallCentre, nil)
	files, err := filepath.Glob("../testdata/cases/*.yaml")
	if err != nil || len(files) < 16 {
		t.Fatalf("cases: %v %d", err, len(files))
	}
	date := vigie.DateInFrance(time.Now())
	for _, f := range files {
		if strings.HasSuffix(f, ".expected.yaml") {
			continue
		}
		sys := readCase(t, f)
		rec := &vigie.SystemRecord{OrgID: a.rec.OrgID, System: *sys}
		if err := a.db.CreateSystem(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		want := assess.Evaluate(sys, date)
		for _, lang := range []string{"fr", "en"} {
			r := a.get("/o/"+rec.OrgID+"/systems/"+rec.ID+"/t/evaluation", a.cEditor+"; vigie_lang="+lang)
			if r.status != http.StatusOK || !strings.Contains(r.body, `data-tier="`+want.AIAct.Tier+`"`) {
				t.Errorf("%s %s: %d, tier %q", f, lang, r.status, between(r.body, `id="as-tier"`, "</p>"))
				continue
			}
			for _, o := range want.Obligations {
				if got := oblStatus(r.body, o.ID); got != o.Status {
					t.Errorf("%s %s: %s %q, want %q", f, lang, o.ID, got, o.Status)
				}
			}
		}
	}
}
