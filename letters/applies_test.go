package letters

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/law/deadline"
)

func assessed(s *vigie.System, date string) Data {
	d := vigie.MustDate(date)
	return WithAssessment(Data{System: s, Date: d}, assess.Evaluate(s, d))
}

// A letter is offered only when a rule it rests on applies.
func TestLettersOfferedOnlyWhenTheirRuleApplies(t *testing.T) {
	s := loadCase(t, "01")
	s.Organisation.Headcount = vigie.IntOf(30)
	d := assessed(s, "2026-11-26")
	ids := func(ls []Letter) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.ID)
		}
		return out
	}
	offered := ids(Offered(d))
	for _, id := range []string{"cse-consultation-new-technology", "cse-consultation-monitoring", "cse-agenda-expert", "cse-extraordinary-meeting", "cse-expert-serious-risk"} {
		if slices.Contains(offered, id) {
			t.Errorf("company of 30: %s offered", id)
		}
		l, _ := Lookup(id)
		_, err := Build(id, d, "fr")
		var e *vigie.Error
		if !errors.As(err, &e) || e.Code != vigie.EINVALID || !strings.Contains(e.Message, l.Rules[0]) {
			t.Errorf("company of 30: %s built: %v", id, err)
		}
	}
	for _, id := range []string{"labour-inspector-referral", "rights-alert", "cnil-signalement", "gdpr-art80-mandate", "ddd-referral"} {
		if !slices.Contains(offered, id) {
			t.Errorf("company of 30: %s not offered (offered %v)", id, offered)
		}
	}
	// Company of 50: the consultation letters come back.
	s.Organisation.CompanyHeadcount = vigie.IntOf(50)
	if !slices.Contains(ids(Offered(assessed(s, "2026-11-26"))), "cse-consultation-new-technology") {
		t.Error("company of 50: no consultation letter")
	}
	// Without an assessment nothing is refused on this ground.
	if ok, _, _ := Applies(mustLookup(t, "ai-act-information"), Data{System: s}); !ok {
		t.Error("unassessed data refused")
	}
}

func mustLookup(t *testing.T, id string) Letter {
	t.Helper()
	l, ok := Lookup(id)
	if !ok {
		t.Fatalf("no letter %s", id)
	}
	return l
}

// The deemed-opinion date never counts from the representatives' letter:
// only from the employer's transmission, with the body's expert and levels.
func TestConsultationDeadlinesFromEmployerTransmission(t *testing.T) {
	s := loadCase(t, "01") // not consulted: no transmission recorded
	l := mustLookup(t, "cse-consultation-new-technology")
	d := assessed(s, "2026-11-26")
	steps, err := Deadlines(l, d)
	if err != nil || steps != nil {
		t.Fatalf("no transmission: steps %v, %v", steps, err)
	}
	doc, err := Build(l.ID, d, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(doc.Notes, func(n string) bool { return strings.Contains(n, "ne court jamais de cette lettre") }) {
		t.Errorf("no note on the missing transmission: %v", doc.Notes)
	}
	// The employer transmitted on 2026-09-26, an expert and both levels.
	s.Deployment.StaffBodyInformed, s.Deployment.StaffBodyConsulted, s.Deployment.ExpertAppointed = vigie.TriUnknown, vigie.TriUnknown, vigie.TriUnknown
	s.Deployment.ConsultationOpenedOn = vigie.Date{}
	s.Organisation.StaffBodies = vigie.SetOf("cse", "cse_central")
	s.Deployment.Consultations = []vigie.Consultation{{Body: "cse", InformationReceivedOn: vigie.MustDate("2026-09-26"),
		ExpertAppointed: vigie.TriTrue, Levels: "both"}}
	d = assessed(s, "2026-11-26")
	steps, err = Deadlines(l, d)
	if err != nil || len(steps) == 0 {
		t.Fatalf("with the transmission: %v %v", steps, err)
	}
	if steps[0].Due != vigie.MustDate("2026-09-26") {
		t.Errorf("chain starts %s, want the employer's transmission 2026-09-26", steps[0].Due)
	}
	i := slices.IndexFunc(steps, func(s deadline.Step) bool { return s.ID == "negative-opinion-deemed" })
	if i < 0 || steps[i].Due != vigie.MustDate("2026-12-26") {
		t.Errorf("deemed opinion: %+v, want 2026-12-26 (3 months, both levels with an expert)", steps)
	}
	// One level with an expert: 2 months.
	s.Deployment.Consultations[0].Levels = "establishment"
	steps, _ = Deadlines(l, assessed(s, "2026-11-26"))
	i = slices.IndexFunc(steps, func(s deadline.Step) bool { return s.ID == "negative-opinion-deemed" })
	if i < 0 || steps[i].Due != vigie.MustDate("2026-11-26") {
		t.Errorf("one level with an expert: %+v, want 2026-11-26", steps[i])
	}
}
