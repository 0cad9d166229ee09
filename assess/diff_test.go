package assess

import (
	"testing"

	"github.com/vigie-app/vigie"
)

func TestDiff(t *testing.T) {
	sys := loadSystem(t, "testdata/cases/03-poste-planification-bureaux.yaml")
	sys.Deployment.SignificantlyModifiedOn = vigie.MustDate("2027-12-02") // no longer spared by Art. 111(2)
	a := Evaluate(sys, vigie.MustDate("2027-12-01"))
	if ch := Diff(a, Evaluate(sys, vigie.MustDate("2027-12-01"))); len(ch) != 0 {
		t.Fatalf("same result, changes %v", ch)
	}
	// The date passes 2027-12-02: the 6(2) ground comes into force and
	// AIA-26-7 goes from upcoming to unmet.
	b := Evaluate(sys, vigie.MustDate("2027-12-02"))
	var ground, ob bool
	for _, c := range Diff(a, b) {
		if c.Kind == ChangeGround && c.From == "not_in_force" && c.To == "in_force" {
			ground = true
		}
		if c.Kind == ChangeObligation && c.ID == "AIA-26-7" && c.From == StatusUpcoming && c.To == StatusUnmet {
			ob = true
			if len(c.Because) == 0 || c.Text == "" || c.TextEN == "" {
				t.Errorf("change without reason or text: %+v", c)
			}
		}
		if c.Kind == ChangeTier {
			t.Errorf("tier changed with the date: %+v", c)
		}
	}
	if !ground || !ob {
		t.Errorf("missing changes: ground %v, obligation %v in %+v", ground, ob, Diff(a, b))
	}
	// The facts change: the workers are now informed and the CSE consulted.
	next := clone(sys)
	next.Deployment.WorkersInformed = vigie.TriTrue
	next.Deployment.ExpertAppointed = vigie.TriFalse
	if got := ChangedFacts(sys, next); len(got) != 1 || got[0] != "deployment.workers_informed" {
		t.Errorf("changed facts %v", got)
	}
	c := Evaluate(next, vigie.MustDate("2027-12-02"))
	found := false
	for _, ch := range Diff(b, c) {
		if ch.ID == "AIA-26-7" && ch.From == StatusUnmet && ch.To == StatusMet {
			found = true
		}
	}
	if !found {
		t.Errorf("AIA-26-7 unmet → met not reported: %+v", Diff(b, c))
	}
	// Removing the emotion module of case 01: prohibited → high.
	sys1 := loadSystem(t, "testdata/cases/01-centre-appels-analyse-vocale.yaml")
	no := clone(sys1)
	no.Capabilities.EmotionRecognition = vigie.TriFalse
	d := vigie.MustDate("2026-11-26")
	tier := false
	for _, ch := range Diff(Evaluate(sys1, d), Evaluate(no, d)) {
		if ch.Kind == ChangeTier && ch.From == TierProhibited && ch.To == TierHigh {
			tier = true
		}
	}
	if !tier {
		t.Error("tier change prohibited → high not reported")
	}
}
