package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/cite"
	"github.com/vigie-app/vigie/footprint"
	"github.com/vigie-app/vigie/web"
)

// fpCase is the reference case with a usage block (the others have none).
const fpCase = "../testdata/cases/07-redaction-articles-generes.yaml"

// fpEnv is an organisation with an admin, an editor, a reader and a user
// of another organisation, and the system of fpCase.
type fpEnv struct {
	*env
	rec                                 *vigie.SystemRecord
	admin, editor, reader, outsider     *vigie.User
	cAdmin, cEditor, cReader, cOutsider string
}

func newFPEnv(t *testing.T) *fpEnv {
	t.Helper()
	e := newEnv(t)
	f := &fpEnv{env: e}
	f.admin = e.user("admin@fp.test", "Alice Admin")
	f.editor = e.user("editor@fp.test", "Eddie Éditeur")
	f.reader = e.user("reader@fp.test", "Rita Lectrice")
	f.outsider = e.user("out@fp.test", "Oscar Ailleurs")
	o := e.org(f.admin, "Section FP")
	e.org(f.outsider, "Autre section")
	e.member(o, f.editor, vigie.RoleEditor)
	e.member(o, f.reader, vigie.RoleReader)
	b, err := os.ReadFile(fpCase)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := vigie.ParseSystem(fpCase, b)
	if err != nil {
		t.Fatal(err)
	}
	if sys.Usage == nil {
		t.Fatalf("%s has no usage block", fpCase)
	}
	f.rec = &vigie.SystemRecord{OrgID: o.ID, System: *sys}
	if err := e.db.CreateSystem(context.Background(), f.rec); err != nil {
		t.Fatal(err)
	}
	f.cAdmin, f.cEditor, f.cReader, f.cOutsider = e.login(f.admin.Email), e.login(f.editor.Email), e.login(f.reader.Email), e.login(f.outsider.Email)
	return f
}

func (f *fpEnv) path(rest string) string { return "/o/" + f.rec.OrgID + "/systems/" + f.rec.ID + rest }

// usageInput maps the system's usage facts onto footprint.Input as the
// package documents it, so that the test computes the expected figures
// through the engine.
func usageInput(u *vigie.Usage) footprint.Input {
	perDay, days := footprint.Exact(float64(u.RequestsPerDay.V)), footprint.Exact(float64(u.WorkingDaysPerYear.V))
	return footprint.Input{Model: u.Model, OutputTokens: footprint.Exact(float64(u.OutputTokensPerRequest.V)),
		Zone: u.Zone, RequestsPerDay: &perDay, Days: &days}
}

// usageForm is the form as the tab pre-fills it from the usage facts.
func usageForm(u *vigie.Usage) url.Values {
	return url.Values{"method": {"ecologits-0.9.1"}, "model": {u.Model}, "output_tokens": {u.OutputTokensPerRequest.String()},
		"zone": {u.Zone}, "requests_per_day": {u.RequestsPerDay.String()}, "days": {u.WorkingDaysPerYear.String()}}
}

func (f *fpEnv) reports(t *testing.T) []*vigie.Report {
	t.Helper()
	reps, err := f.db.FindReports(context.Background(), f.rec.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return reps
}

func htmx(e *env, path, cookie string, form url.Values) resp {
	return e.do(http.MethodPost, path, cookie, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded",
		"HX-Request", "true", "HX-Target", "fp-result")
}

func TestFootprintTabByRole(t *testing.T) {
	f := newFPEnv(t)
	u := f.rec.System.Usage
	want, err := footprint.Estimate(usageInput(u))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who, cookie string
		keep        bool
	}{{"admin", f.cAdmin, true}, {"editor", f.cEditor, true}, {"reader", f.cReader, false}} {
		for _, lang := range []string{"fr", "en"} {
			r := f.get(f.path("/t/environment"), c.cookie+"; vigie_lang="+lang)
			if r.status != http.StatusOK {
				t.Fatalf("%s %s: status %d", c.who, lang, r.status)
			}
			body := html.UnescapeString(r.body)
			// The per-request energy is the engine's, formatted and raw.
			pr := footprint.FormatRange(want.PerRequest.EnergyKWh, "energy_kwh", lang)
			cell := fpBetween(body, `id="fp-pr-energy_kwh"`, "</td>")
			if !strings.Contains(cell, pr) || !strings.Contains(cell, `value="`+want.PerRequest.EnergyKWh.String()+`"`) {
				t.Errorf("%s %s: per-request energy cell %q, want %q (%s kWh)", c.who, lang, cell, pr, want.PerRequest.EnergyKWh)
			}
			py := fpBetween(body, `id="fp-py-energy_kwh"`, "</td>")
			if !strings.Contains(py, footprint.FormatRange(want.PerYear.EnergyKWh, "energy_kwh", lang)) {
				t.Errorf("%s %s: per-year energy cell %q", c.who, lang, py)
			}
			for _, s := range []string{
				`<svg`, `id="fp-chart-title"`, `id="fp-split"`, `id="fp-anchors"`,
				cite.HTML(want.Anchors[0].Source, lang), want.MethodLabel.In(lang),
				"vigie footprint --model " + u.Model + " --output-tokens 700 --zone WOR --requests-per-day 600 --days 360 --method " + want.Method,
				`value="` + u.Model + `"`, // pre-filled
			} {
				if !strings.Contains(body, s) {
					t.Errorf("%s %s: tab lacks %q", c.who, lang, s)
				}
			}
			if got := strings.Contains(r.body, `id="fp-keep"`); got != c.keep {
				t.Errorf("%s %s: keep button shown = %v, want %v", c.who, lang, got, c.keep)
			}
			if strings.Contains(r.body, "<script") && strings.Contains(fpBetween(r.body, `id="tab-body"`, "</section>"), "<script") {
				t.Errorf("%s %s: script in the tab", c.who, lang)
			}
		}
	}
	if bad := unlabelled(f.get(f.path("/t/environment"), f.cEditor).body); len(bad) > 0 {
		t.Errorf("unlabelled controls: %v", bad)
	}
	for _, m := range web.MissingMessages() {
		if strings.Contains(m, ":fp.") || strings.Contains(m, "usage.") {
			t.Errorf("missing message %s", m)
		}
	}

	// Every member may compute, live or not; nothing is stored.
	for _, c := range []string{f.cAdmin, f.cEditor, f.cReader} {
		form := usageForm(u)
		form.Set("pue", "1.1-1.4")
		r := htmx(f.env, f.path("/footprint"), c, form)
		if r.status != http.StatusOK || !strings.Contains(r.body, `id="fp-result"`) || strings.Contains(r.body, "<html") {
			t.Fatalf("live POST: status %d, body %.300s", r.status, r.body)
		}
		in := usageInput(u)
		pue := footprint.Range{Min: 1.1, Max: 1.4}
		in.PUE = &pue
		res, err := footprint.Estimate(in)
		if err != nil {
			t.Fatal(err)
		}
		if cell := html.UnescapeString(fpBetween(r.body, `id="fp-pr-energy_kwh"`, "</td>")); !strings.Contains(cell, footprint.FormatRange(res.PerRequest.EnergyKWh, "energy_kwh", "fr")) {
			t.Errorf("live POST with a PUE range: energy cell %q", cell)
		}
		r = f.post(f.path("/footprint"), c, form)
		if r.status != http.StatusOK || !strings.Contains(r.body, `id="fp-form"`) {
			t.Errorf("plain POST: status %d", r.status)
		}
		// The language switch leads back to the tab, not to the POST.
		if sw := strings.ToLower(fpBetween(r.body, `/lang/en?next=`, `"`)); !strings.Contains(sw, "t%2fenvironment") {
			t.Errorf("plain POST: language switch to %q", sw)
		}
	}
	if n := len(f.reports(t)); n != 0 {
		t.Errorf("computing stored %d reports", n)
	}

	// Another organisation's user sees nothing of it.
	for _, r := range []resp{
		f.get(f.path("/t/environment"), f.cOutsider),
		f.post(f.path("/footprint"), f.cOutsider, usageForm(u)),
		htmx(f.env, f.path("/footprint"), f.cOutsider, usageForm(u)),
		f.post(f.path("/footprint/keep"), f.cOutsider, usageForm(u)),
	} {
		if r.status != http.StatusNotFound || strings.Contains(r.body, u.Model) {
			t.Errorf("outsider: status %d (want 404), leaks model: %v", r.status, strings.Contains(r.body, u.Model))
		}
	}
}

func TestFootprintBadInput(t *testing.T) {
	f := newFPEnv(t)
	u := f.rec.System.Usage

	// An unknown model: the error next to the field with the closest names.
	form := usageForm(u)
	form.Set("model", "mistral-smal")
	_, err := footprint.Estimate(footprint.Input{Model: "mistral-smal", OutputTokens: footprint.Exact(700)})
	var ie *footprint.InputError
	if !errors.As(err, &ie) || len(ie.Suggestions) == 0 {
		t.Fatalf("engine: %v", err)
	}
	r := htmx(f.env, f.path("/footprint"), f.cEditor, form)
	body := html.UnescapeString(r.body)
	slot := fpBetween(body, `id="fp-model-err"`, "</div>")
	if r.status != http.StatusOK || !strings.Contains(slot, "modèle inconnu « mistral-smal »") || !strings.Contains(slot, ie.Suggestions[0]) ||
		!strings.Contains(r.body, `hx-swap-oob="true"`) || strings.Contains(r.body, `id="fp-table"`) {
		t.Fatalf("live unknown model: status %d, slot %q", r.status, slot)
	}
	// The same without JavaScript: the whole page, the error by the field.
	r = f.post(f.path("/footprint"), f.cEditor, form)
	if slot := html.UnescapeString(fpBetween(r.body, `id="fp-model-err"`, "</div>")); r.status != http.StatusOK ||
		!strings.Contains(slot, ie.Suggestions[0]) || !strings.Contains(r.body, `aria-invalid="true"`) {
		t.Errorf("plain unknown model: status %d, slot %q", r.status, slot)
	}

	for _, c := range []struct {
		field, value, fr, en string
	}{
		{"zone", "XYZ", "zone électrique inconnue « XYZ »", "unknown electricity zone “XYZ”"},
		{"output_tokens", "0", "strictement positif", "must be positive"},
		{"output_tokens", "-5", "strictement positif", "must be positive"},
		{"output_tokens", "", "champ obligatoire", "required"},
		{"pue", "0.9", "supérieur ou égal à 1", "at least 1"},
		{"pue", "1,2-abc", "« 1,2-abc » n'est pas lisible", "“1,2-abc” cannot be read"},
		{"days", "300-200", "n'est pas lisible", "cannot be read"},
		{"requests_per_day", "beaucoup", "n'est pas lisible", "cannot be read"},
	} {
		form := usageForm(u)
		form.Set(c.field, c.value)
		for _, lang := range []string{"fr", "en"} {
			want := c.fr
			if lang == "en" {
				want = c.en
			}
			cookie := f.cEditor + "; vigie_lang=" + lang
			r := htmx(f.env, f.path("/footprint"), cookie, form)
			slot := html.UnescapeString(fpBetween(r.body, `id="fp-`+c.field+`-err"`, "</div>"))
			if !strings.Contains(slot, want) {
				t.Errorf("%s=%q (%s): slot %q, want %q", c.field, c.value, lang, slot, want)
			}
			// Keeping bad input stores nothing and says why.
			r = f.post(f.path("/footprint/keep"), cookie, form)
			slot = html.UnescapeString(fpBetween(r.body, `id="fp-`+c.field+`-err"`, "</div>"))
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(slot, want) {
				t.Errorf("keep %s=%q (%s): status %d, slot %q", c.field, c.value, lang, r.status, slot)
			}
		}
	}
	if n := len(f.reports(t)); n != 0 {
		t.Errorf("bad input stored %d reports", n)
	}
}

func TestFootprintKeep(t *testing.T) {
	f := newFPEnv(t)
	u := f.rec.System.Usage
	form := usageForm(u)
	form.Set("wue", "0.1-0.5")
	in := usageInput(u)
	in.Method = "ecologits-0.9.1"
	wue := footprint.Range{Min: 0.1, Max: 0.5}
	in.WUE = &wue
	want, err := footprint.Estimate(in)
	if err != nil {
		t.Fatal(err)
	}

	// A reader may not keep, even by forging the POST.
	if r := f.post(f.path("/footprint/keep"), f.cReader, form); r.status != http.StatusForbidden {
		t.Errorf("reader keep: status %d, want 403", r.status)
	}
	if n := len(f.reports(t)); n != 0 {
		t.Fatalf("reader's keep stored %d reports", n)
	}

	r := f.post(f.path("/footprint/keep"), f.cEditor, form)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), f.path("/t/environment?report=")) {
		t.Fatalf("keep: status %d, location %q: %.300s", r.status, r.header.Get("Location"), r.body)
	}
	reps := f.reports(t)
	if len(reps) != 1 {
		t.Fatalf("%d reports, want 1", len(reps))
	}
	rep := reps[0]
	if rep.Kind != vigie.ReportFootprint || rep.SystemID != f.rec.ID || rep.CreatedBy != f.editor.ID || rep.SystemVersion != f.rec.Version {
		t.Errorf("report: kind %q, system %q, by %q, version %d", rep.Kind, rep.SystemID, rep.CreatedBy, rep.SystemVersion)
	}
	if today := vigie.DateInFrance(time.Now()); rep.AsOf != today {
		t.Errorf("as of %s, want %s", rep.AsOf, today)
	}
	var gotIn footprint.Input
	if err := json.Unmarshal(rep.Config, &gotIn); err != nil {
		t.Fatal(err)
	}
	if a, b := mustJSON(t, gotIn), mustJSON(t, in); a != b {
		t.Errorf("config %s, want %s", a, b)
	}
	// The result is the footprint JSON of the same input.
	var gotRes map[string]any
	if err := json.Unmarshal(rep.Result, &gotRes); err != nil {
		t.Fatal(err)
	}
	if gotRes["schema"] != footprint.Schema || gotRes["method"] != want.Method {
		t.Errorf("result schema %v, method %v", gotRes["schema"], gotRes["method"])
	}
	if a, b := mustJSON(t, gotRes["per_request"]), mustJSON(t, jsonRoundTrip(t, want.PerRequest)); a != b {
		t.Errorf("per_request %s, want %s", a, b)
	}
	wantSummary := "≈ " + footprint.FormatRange(want.PerYear.EnergyKWh, "energy_kwh", "fr") + "/an"
	if !strings.HasPrefix(rep.Summary, wantSummary) {
		t.Errorf("summary %q, want it to start with %q", rep.Summary, wantSummary)
	}

	// The tab lists it, newest first, with who kept it; it reopens it.
	if r := f.post(f.path("/footprint/keep"), f.cAdmin, usageForm(u)); r.status != http.StatusSeeOther {
		t.Fatalf("second keep: status %d", r.status)
	}
	for _, c := range []string{f.cAdmin, f.cEditor, f.cReader} {
		r := f.get(f.path("/t/environment"), c)
		list := html.UnescapeString(fpBetween(r.body, `id="fp-kept"`, "</table>"))
		iA, iE := strings.Index(list, "Alice Admin"), strings.Index(list, "Eddie Éditeur")
		if iA < 0 || iE < 0 || iA > iE || !strings.Contains(list, rep.Summary) || !strings.Contains(list, rep.AsOf.String()) {
			t.Errorf("kept list (newest first, with names and summary): %q", list)
		}
	}
	r = f.get(f.path("/t/environment?report="+rep.ID), f.cReader)
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="fp-from"`) || !strings.Contains(r.body, `value="0.1-0.5"`) {
		t.Errorf("reopen: status %d", r.status)
	}
	if r := f.get(f.path("/t/environment?report="+rep.ID), f.cOutsider); r.status != http.StatusNotFound {
		t.Errorf("outsider reopen: status %d", r.status)
	}
	if r := f.post(f.path("/footprint/keep"), f.cReader, form); r.status != http.StatusForbidden {
		t.Errorf("reader keep: status %d, want 403", r.status)
	}
	if n := len(f.reports(t)); n != 2 {
		t.Errorf("%d reports, want 2", n)
	}
}

func TestFootprintNoUsage(t *testing.T) {
	e := newEnv(t)
	a := e.user("a@fp.test", "A")
	rd := e.user("r@fp.test", "R")
	o := e.org(a, "Org")
	e.member(o, rd, vigie.RoleReader)
	rec := e.system(o, "Sans usage")
	for _, c := range []struct {
		email, edit string
	}{{a.Email, `id="fp-edit-usage"`}, {rd.Email, "fp.nousage.ask"}} {
		r := e.get("/o/"+o.ID+"/systems/"+rec.ID+"/t/environment", e.login(c.email))
		body := html.UnescapeString(r.body)
		if r.status != http.StatusOK || !strings.Contains(body, "La fiche ne dit rien de l'usage") ||
			!strings.Contains(body, "risque environnemental") || strings.Contains(body, `id="fp-table"`) {
			t.Errorf("%s: status %d, no explanation or a result", c.email, r.status)
		}
		if c.edit == `id="fp-edit-usage"` && !strings.Contains(body, c.edit) {
			t.Errorf("admin: no link to complete the record")
		}
		if c.edit != `id="fp-edit-usage"` && strings.Contains(body, `id="fp-edit-usage"`) {
			t.Errorf("reader: link to edit")
		}
	}
}

// between returns the text of s after the first from, up to the next to.
func fpBetween(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func jsonRoundTrip(t *testing.T, v any) any {
	var out any
	if err := json.Unmarshal([]byte(mustJSON(t, v)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFootprintBrowser drives Chromium through the tab: the live update as
// a field changes (htmx, under the strict CSP), an unknown model with the
// closest names beside the field, and keeping the figure. It skips, saying
// so, when Chromium is absent.
func TestFootprintBrowser(t *testing.T) {
	f := newFPEnv(t)
	u := f.rec.System.Usage

	ctx := startBrowser(t, 90*time.Second)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			body, _ := chromedp.Run(ctx, chromedp.OuterHTML(css("main")))
			t.Fatalf("%s: %v\n%.3000s", step, err, body)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	// waitText waits until the element sel holds want.
	waitText := func(step, sel, want string) {
		t.Helper()
		b, _ := json.Marshal(want)
		s, _ := json.Marshal(sel)
		do(step, chromedp.Poll[chromedp.Void](`(document.querySelector(`+string(s)+`)?.textContent ?? "").includes(`+string(b)+`)`,
			chromedp.WithPollingTimeout(20*time.Second)))
	}
	// empty empties a field without an event (chromedp.Clear leaves typed
	// text in place).
	empty := func(sel string) chromedp.Action[chromedp.Void] {
		b, _ := json.Marshal(sel)
		return chromedp.Evaluate[chromedp.Void](`void (document.querySelector(` + string(b) + `).value = "")`)
	}
	energy := func(in footprint.Input) string {
		t.Helper()
		res, err := footprint.Estimate(in)
		if err != nil {
			t.Fatal(err)
		}
		return footprint.FormatRange(res.PerRequest.EnergyKWh, "energy_kwh", "fr")
	}

	do("login",
		chromedp.Navigate(f.ts.URL+"/login"),
		chromedp.WaitVisible(css("#login-submit")),
		chromedp.SendKeys(css("#email"), f.editor.Email),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#logout")),
	)
	do("tab", chromedp.Navigate(f.ts.URL+f.path("/t/environment")), chromedp.WaitVisible(css("#fp-table")))
	if got, want := text("#fp-pr-energy_kwh"), energy(usageInput(u)); !strings.Contains(got, want) {
		t.Errorf("per-request energy %q, want %q", got, want)
	}

	// Twice the tokens: the result follows without a submit.
	in := usageInput(u)
	in.OutputTokens = footprint.Exact(1400)
	do("tokens", empty("#fp-output_tokens"), chromedp.SendKeys(css("#fp-output_tokens"), "1400"))
	waitText("live update", "#fp-pr-energy_kwh", energy(in))

	// An unknown model: the closest names beside the field, no result.
	do("bad model", empty("#fp-model"), chromedp.SendKeys(css("#fp-model"), "mistral-smal"))
	// Typing may send the first letters on their own: wait for the whole name.
	waitText("bad model answered", "#fp-model-err", "« mistral-smal »")
	do("no result", chromedp.WaitVisible(css("#fp-suggestions")), chromedp.WaitNotPresent(css("#fp-table")))
	if s := text("#fp-model-err"); !strings.Contains(s, "mistral-small") {
		t.Errorf("suggestions: %q", s)
	}
	if n := len(f.reports(t)); n != 0 {
		t.Fatalf("%d reports after live changes", n)
	}

	// Back to a known model, then keep the figure.
	do("good model", empty("#fp-model"), chromedp.SendKeys(css("#fp-model"), u.Model))
	waitText("live update again", "#fp-pr-energy_kwh", energy(in))
	do("keep", chromedp.Click(css("#fp-keep")), chromedp.WaitVisible(css("#fp-from")), chromedp.WaitVisible(css("#fp-kept")))
	reps := f.reports(t)
	if len(reps) != 1 {
		t.Fatalf("%d reports after keep, want 1", len(reps))
	}
	var kept footprint.Input
	if err := json.Unmarshal(reps[0].Config, &kept); err != nil || kept.OutputTokens.Max != 1400 {
		t.Errorf("kept config: %s (%v)", reps[0].Config, err)
	}
}
