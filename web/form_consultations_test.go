package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// The system form has one consultation block per staff body of the
// employer; what is typed there becomes deployment.consultations, and a
// body described both there and by the single-body fields is refused with
// the field named.
func TestFormConsultationBlocks(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)
	form := url.Values{
		"name":                      {"Outil RH"},
		"organisation.kind":         {"private"},
		"organisation.staff_bodies": {"cse", "cse_central"},
		"deployment.consultations[cse].information_received_on": {"2026-09-26"},
		"deployment.consultations[cse].expert_appointed":        {"true"},
		"deployment.consultations[cse].levels":                  {"both"},
		"deployment.consultations[cse].information_sufficient":  {"false"},
		"deployment.consultations[cse_central].levels":          {"central"},
	}
	r := e.post("/o/"+org.ID+"/systems", c, form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.status, between(r.body, `id="form-errors"`, "</div>"))
	}
	recs, _, err := e.db.FindSystems(context.Background(), vigie.SystemFilter{OrgID: org.ID})
	if err != nil || len(recs) != 1 {
		t.Fatalf("%d systems, %v", len(recs), err)
	}
	s := recs[0].System
	cse, ok := s.Consultation("cse")
	if !ok || cse.InformationReceivedOn != vigie.MustDate("2026-09-26") || !cse.ExpertAppointed.True() || cse.Levels != "both" || !cse.InformationSufficient.False() {
		t.Errorf("cse consultation: %+v", s.Deployment.Consultations)
	}
	if central, ok := s.Consultation("cse_central"); !ok || central.Levels != "central" || central.ExpertAppointed.Known() {
		t.Errorf("central CSE consultation: %+v", central)
	}
	// The edit form shows one block per staff body, with the values.
	page := e.get("/o/"+org.ID+"/systems/"+recs[0].ID+"/edit", c)
	for _, want := range []string{`id="consult-cse"`, `id="consult-cse_central"`, `value="2026-09-26"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("edit form lacks %s", want)
		}
	}
	if strings.Contains(page.body, `id="consult-csa"`) {
		t.Error("a block for a body the employer does not have")
	}
	// Both forms for the first body: refused, the single-body field named.
	form.Set("deployment.staff_body_consulted", "true")
	form.Set("name", "Outil RH 2")
	r = e.post("/o/"+org.ID+"/systems", c, form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(between(r.body, `id="form-errors"`, "</div>"), "f-deployment-staff_body_consulted") {
		t.Errorf("both forms: %d %s", r.status, between(r.body, `id="form-errors"`, "</div>"))
	}
	if e.count(org) != 1 {
		t.Error("the refused form stored a system")
	}
}
