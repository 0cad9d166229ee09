package web

import (
	"os"
	"slices"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/letters"
)

// The Actions tab offers a letter only when the rule it rests on applies: a
// company of 30 gets the labour inspectorate route (L2312-5), not the
// consultation demands of a CSE of 50 or more.
func TestActionsOfferOnlyApplicableLetters(t *testing.T) {
	raw, err := os.ReadFile("../testdata/cases/01-centre-appels-analyse-vocale.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sys, err := vigie.ParseSystem("01.yaml", raw)
	if err != nil {
		t.Fatal(err)
	}
	date := vigie.MustDate("2026-11-26")
	offered := func(s *vigie.System) []string {
		a := assess.Evaluate(s, date)
		var ids []string
		for _, x := range suggestions(s, a, date) {
			ids = append(ids, x.Letter.ID)
		}
		for _, l := range letters.Offered(letters.WithAssessment(letters.Data{System: s, Date: date}, a)) {
			ids = append(ids, l.ID)
		}
		return ids
	}
	big := offered(sys)
	if !slices.Contains(big, "cse-consultation-new-technology") {
		t.Fatalf("400 employees: no consultation demand in %v", big)
	}
	small := *sys
	small.Organisation.Headcount = vigie.IntOf(30)
	ids := offered(&small)
	for _, id := range []string{"cse-consultation-new-technology", "cse-consultation-monitoring", "cse-agenda-expert", "cse-extraordinary-meeting"} {
		if slices.Contains(ids, id) {
			t.Errorf("30 employees: %s offered", id)
		}
	}
	if !slices.Contains(ids, "labour-inspector-referral") {
		t.Errorf("30 employees: no labour inspectorate route in %v", ids)
	}
}
