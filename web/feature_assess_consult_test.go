package web_test

import (
	"context"
	"html"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// privateCSE is the planning case as a private company with a CSE only.
func privateCSE(s *vigie.System) {
	s.Organisation.Kind = "private"
	s.Organisation.StaffBodies = vigie.SetOf("cse")
	s.Deployment.Consultations = nil
}

// stateCSAF3SCT is a State administration with a CSA and an F3SCT.
func stateCSAF3SCT(s *vigie.System) {
	s.Organisation.Kind = "public_state"
	s.Organisation.StaffBodies = vigie.SetOf("csa", "f3sct")
	s.Deployment.Consultations = []vigie.Consultation{{Body: "csa", InformationReceivedOn: vigie.MustDate("2026-10-01"), ExpertAppointed: vigie.TriFalse}}
	s.Deployment.StaffBodyInformed, s.Deployment.StaffBodyConsulted, s.Deployment.ExpertAppointed = vigie.TriUnknown, vigie.TriUnknown, vigie.TriUnknown
	s.Deployment.ConsultationOpenedOn, s.Deployment.StaffBodyOpinionOn = vigie.Date{}, vigie.Date{}
}

// consultBlocksOf lists the bodies of the questionnaire's consultation
// blocks, in page order.
func consultBlocksOf(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<fieldset class="group consultation" id="as-consult-([a-z_0-9]+)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// The questionnaire shows one block per staff body of the organisation,
// each with the facts of that body's consultation, in French and English.
func TestAssessConsultationBlocks(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(*vigie.System)
		bodies []string
		fr, en string // a question of the first block
	}{
		{"private company with a CSE", privateCSE, []string{"cse"},
			"Le CSE : à quelle date l'employeur a-t-il transmis les informations", "On what date did the employer transmit to the CSE"},
		{"State administration with a CSA and an F3SCT", stateCSAF3SCT, []string{"csa", "f3sct"},
			"comité social d'administration (CSA)", "the comité social d'administration (CSA)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := newASEnv(t, asPlanning, c.edit)
			for _, lang := range []string{"fr", "en"} {
				body := a.get(a.path("/t/evaluation"), a.cEditor+"; vigie_lang="+lang).body
				form := between(body, `id="as-form"`, "</form>")
				if got := consultBlocksOf(form); strings.Join(got, ",") != strings.Join(c.bodies, ",") {
					t.Fatalf("%s: blocks %v, want %v", lang, got, c.bodies)
				}
				for _, b := range c.bodies {
					blk := between(form, `id="as-consult-`+b+`"`, "</fieldset>\n</fieldset>")
					for _, f := range vigie.ConsultationFields {
						p := vigie.ConsultationPath(b, f)
						if !strings.Contains(blk, `name="`+p+`"`) {
							t.Errorf("%s: block %s has no field %s", lang, b, p)
						}
						if !strings.Contains(blk, `id="q-f-consult-`+b+`-`+f+`"`) {
							t.Errorf("%s: block %s has no anchor for %s", lang, b, f)
						}
					}
				}
				want := c.fr
				if lang == "en" {
					want = c.en
				}
				if !strings.Contains(html.UnescapeString(form), want) {
					t.Errorf("%s: no question %q", lang, want)
				}
			}
			// The recorded facts are shown in their block.
			if c.bodies[0] == "csa" {
				form := answers(t, a.get(a.path("/t/evaluation"), a.cEditor).body)
				if form.Get("deployment.consultations[csa].information_received_on") != "2026-10-01" ||
					form.Get("deployment.consultations[csa].expert_appointed") != "false" ||
					form.Get("deployment.consultations[f3sct].expert_appointed") != "unknown" {
					t.Errorf("the CSA block does not show its facts: %v", form)
				}
			}
		})
	}
}

// Saving the questionnaire writes the facts of each body's consultation,
// with the version check; a forged body, field or value is refused, named,
// and stores nothing.
func TestAssessConsultationSave(t *testing.T) {
	a := newASEnv(t, asPlanning, stateCSAF3SCT)
	form := answers(t, a.get(a.path("/t/evaluation"), a.cEditor).body)
	form.Set("deployment.consultations[f3sct].information_received_on", "2026-10-05")
	form.Set("deployment.consultations[f3sct].information_sufficient", "false")
	form.Set("deployment.consultations[csa].opinion_on", "2026-11-02")
	form.Set("deployment.consultations[csa].levels", "central")
	r := a.post(a.path("/assessment"), a.cEditor, form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.status, html.UnescapeString(between(r.body, `id="as-invalid"`, "</div>")))
	}
	rec := a.current(t)
	csa, _ := rec.System.Consultation("csa")
	f3, ok := rec.System.Consultation("f3sct")
	if rec.Version != 2 || !ok || f3.InformationReceivedOn != vigie.MustDate("2026-10-05") || !f3.InformationSufficient.False() ||
		csa.OpinionOn != vigie.MustDate("2026-11-02") || csa.Levels != "central" || csa.InformationReceivedOn != vigie.MustDate("2026-10-01") || !csa.ExpertAppointed.False() {
		t.Fatalf("after save: v%d %+v", rec.Version, rec.System.Deployment.Consultations)
	}
	// The page shows the saved facts again.
	if got := answers(t, a.get(a.path("/t/evaluation"), a.cEditor).body); got.Get("deployment.consultations[csa].opinion_on") != "2026-11-02" ||
		got.Get("deployment.consultations[csa].levels") != "central" {
		t.Errorf("the saved facts are not shown: %v", got)
	}

	form = answers(t, a.get(a.path("/t/evaluation"), a.cEditor).body)
	bad := []struct {
		name, key, value, named string
	}{
		{"forged body", "deployment.consultations[comite].opinion_on", "2026-11-03", "deployment.consultations[comite].opinion_on"},
		{"forged field", "deployment.consultations[csa].avis", "favorable", "deployment.consultations[csa].avis"},
		{"forged level", "deployment.consultations[csa].levels", "partout", "q-f-consult-csa-levels"},
		{"impossible date", "deployment.consultations[f3sct].opinion_on", "2026-02-30", "q-f-consult-f3sct-opinion_on"},
		{"forged yes-no", "deployment.consultations[f3sct].expert_appointed", "peut-être", "q-f-consult-f3sct-expert_appointed"},
		{"markup", "deployment.consultations[<b>x</b>].opinion_on", "2026-11-03", "deployment.consultations[&lt;b&gt;x&lt;/b&gt;].opinion_on"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			f := cloneValues(form)
			f.Set(c.key, c.value)
			r := a.post(a.path("/assessment"), a.cEditor, f)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			inv := between(r.body, `id="as-invalid"`, "</div>")
			if !strings.Contains(inv, c.named) {
				t.Errorf("the error list does not name %s: %s", c.named, inv)
			}
			if strings.Contains(r.body, "<b>x</b>") {
				t.Error("a posted name is written as markup")
			}
			if rec := a.current(t); rec.Version != 2 {
				t.Errorf("the refused answers were stored: v%d", rec.Version)
			}
		})
	}

	// The version check: someone else saved meanwhile; nothing is stored.
	other := a.current(t)
	other.System.Deployment.DPIADone = vigie.TriTrue
	if err := a.db.UpdateSystem(vigie.NewContextWithUser(context.Background(), nil), other); err != nil {
		t.Fatal(err)
	}
	f := cloneValues(form)
	f.Set("deployment.consultations[csa].opinion_on", "2026-11-20")
	if r := a.post(a.path("/assessment"), a.cEditor, f); r.status != http.StatusConflict {
		t.Errorf("stale version: %d, want 409", r.status)
	}
	if csa, _ := a.current(t).System.Consultation("csa"); csa.OpinionOn != vigie.MustDate("2026-11-02") {
		t.Errorf("the stale answer was stored: %v", csa.OpinionOn)
	}
}

// The single-body fields keep working from the questionnaire: they
// describe the first staff body, and filling its block as well is refused.
func TestAssessConsultationLegacy(t *testing.T) {
	a := newASEnv(t, asPlanning, privateCSE)
	form := answers(t, a.get(a.path("/t/evaluation"), a.cEditor).body)
	form.Set("deployment.staff_body_consulted", "true")
	form.Set("deployment.consultation_opened_on", "2026-03-02")
	if r := a.post(a.path("/assessment"), a.cEditor, form); r.status != http.StatusSeeOther {
		t.Fatalf("legacy save: %d %s", r.status, between(r.body, `id="as-invalid"`, "</div>"))
	}
	rec := a.current(t)
	if rec.System.Deployment.ConsultationOpenedOn != vigie.MustDate("2026-03-02") || len(rec.System.Deployment.Consultations) != 0 {
		t.Fatalf("legacy fields: %+v", rec.System.Deployment)
	}
	form = answers(t, a.get(a.path("/t/evaluation"), a.cEditor).body)
	form.Set("deployment.consultations[cse].information_received_on", "2026-03-03")
	r := a.post(a.path("/assessment"), a.cEditor, form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(between(r.body, `id="as-invalid"`, "</div>"), "q-f-deployment-") {
		t.Errorf("both forms: %d %s", r.status, between(r.body, `id="as-invalid"`, "</div>"))
	}
	if a.current(t).Version != rec.Version {
		t.Error("both forms were stored")
	}
}

// Every open question's link lands on a field of the page, for every
// reference case and the two organisations above, in both languages.
func TestAssessUnknownLinksLand(t *testing.T) {
	a := newASEnv(t, asPlanning, privateCSE)
	files, err := filepath.Glob("../testdata/cases/*.yaml")
	if err != nil || len(files) < 16 {
		t.Fatalf("cases: %v %d", err, len(files))
	}
	paths := []string{a.path("/t/evaluation")}
	var systems []*vigie.System
	for _, f := range files {
		if !strings.HasSuffix(f, ".expected.yaml") {
			systems = append(systems, readCase(t, f))
		}
	}
	pub := readCase(t, asPlanning)
	stateCSAF3SCT(pub)
	bare := &vigie.System{Schema: vigie.SystemSchema, Name: "Rien de connu"}
	systems = append(systems, pub, bare)
	for _, s := range systems {
		rec := &vigie.SystemRecord{OrgID: a.rec.OrgID, System: *s}
		if err := a.db.CreateSystem(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, "/o/"+rec.OrgID+"/systems/"+rec.ID+"/t/evaluation")
	}
	links := 0
	for _, p := range paths {
		for _, lang := range []string{"fr", "en"} {
			body := a.get(p, a.cEditor+"; vigie_lang="+lang).body
			ol := between(body, `<ol id="as-unknowns">`, "</ol>")
			for _, li := range regexp.MustCompile(`(?s)<li data-fact="([^"]*)">(.*?)</li>`).FindAllStringSubmatch(ol, -1) {
				if li[1] == "" {
					continue
				}
				m := regexp.MustCompile(`<a href="#([^"]+)">`).FindStringSubmatch(li[2])
				if m == nil {
					t.Errorf("%s %s: the question on %s has no link", p, lang, li[1])
					continue
				}
				links++
				if !strings.Contains(body, `id="`+m[1]+`"`) {
					t.Errorf("%s %s: the question on %s links to #%s, which is not on the page", p, lang, html.UnescapeString(li[1]), m[1])
				}
			}
		}
	}
	if links < 20 {
		t.Errorf("only %d links checked", links)
	}
}

// The court decisions that support a demand are shown with it, in the
// language of the page, and not a second time among the other sources.
func TestAssessCaseLawShown(t *testing.T) {
	a := newASEnv(t, asCallCentre, nil)
	for _, c := range []struct{ lang, head, row string }{
		{"fr", "Décisions de justice à l'appui de cette demande", "astreinte de 1 000 € par jour pendant 90 jours"},
		{"en", "Court decisions supporting this demand", "penalty of EUR 1,000 a day for 90 days"},
	} {
		body := html.UnescapeString(a.get(a.path("/t/evaluation"), a.cEditor+"; vigie_lang="+c.lang).body)
		// Numbers are written with a narrow no-break space (1 000 €).
		body = strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(body)
		obl := between(body, `id="as-obl-CT-NT"`, "</li>\n")
		cl := between(obl, `id="as-caselaw-CT-NT"`, "</div>")
		if !strings.Contains(cl, c.head) || !strings.Contains(cl, c.row) || !strings.Contains(cl, "25/02856") || !strings.Contains(cl, "25/53278") {
			t.Errorf("%s: CT-NT case law: %q", c.lang, cl)
		}
		if src := between(obl, `class="help as-sources"`, "</p>"); strings.Contains(src, "25/02856") || !strings.Contains(src, "Code du travail") {
			t.Errorf("%s: the other sources: %q", c.lang, src)
		}
		if o := between(body, `id="as-obl-GDPR-35"`, "</li>\n"); o == "" || strings.Contains(o, "as-caselaw") {
			t.Errorf("%s: case law shown for a rule with none", c.lang)
		}
	}
}
