package testimony

import (
	"testing"
	"time"

	"github.com/vigie-app/vigie"
)

func TestWeekAndPeriod(t *testing.T) {
	if got := Week(time.Date(2026, 3, 17, 14, 23, 51, 0, time.UTC)); got != "2026-W12" {
		t.Fatalf("Week = %s", got)
	}
	if got := Week(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); got != "2026-W53" {
		t.Fatalf("Week of 2027-01-01 = %s", got)
	}
	fr, en := Period("2026-W47", "2026-W49")
	if fr != "semaines 2026-W47 à W49" || en != "weeks 2026-W47 to W49" {
		t.Fatalf("Period = %q %q", fr, en)
	}
	if fr, _ := Period("2026-W52", "2027-W02"); fr != "semaines 2026-W52 à 2027-W02" {
		t.Fatalf("Period across years = %q", fr)
	}
	if fr, _ := Period("2026-W47", "2026-W47"); fr != "semaine 2026-W47" {
		t.Fatalf("one week = %q", fr)
	}
	if !ValidWeek("2026-W12") || ValidWeek("2026-W54") || ValidWeek("2026-03-17") {
		t.Fatal("ValidWeek")
	}
}

func answersOf(vals ...string) []Answer {
	var out []Answer
	for _, v := range vals {
		out = append(out, Answer{Values: map[string]string{"surveillance_felt": v}})
	}
	return out
}

func repeat(v string, n int) []string {
	var out []string
	for range n {
		out = append(out, v)
	}
	return out
}

func TestObservationsAndApply(t *testing.T) {
	c := Campaign{ID: "c", Questions: []string{"surveillance_felt", "opacity"}}
	vals := append(append(repeat("3", 12), repeat("2", 6)...), repeat("0", 5)...)
	answers := answersOf(vals...)
	for i := range answers {
		if err := c.Validate(&answers[i]); err != nil {
			t.Fatal(err)
		}
	}
	res := Aggregate(c, answers)
	obs := Observations(res, Closed{FirstWeek: "2026-W47", LastWeek: "2026-W49", ClosedOn: vigie.DateOf(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))})
	if len(obs) != 2 {
		t.Fatalf("%d observations", len(obs))
	}
	sv := obs[0]
	if sv.Fact != "work.surveillance_felt" || sv.Value != vigie.IntOf(3) || sv.Source != "workers" {
		t.Fatalf("surveillance: %+v", sv)
	}
	if sv.Document != "questionnaire, n = 23, semaines 2026-W47 à W49" {
		t.Fatalf("document %q", sv.Document)
	}
	if obs[1].Value.Known {
		t.Fatalf("opacity: every answer is not known, so no level: %+v", obs[1].Value)
	}

	var sys vigie.System
	sys.Work.SurveillanceFelt = vigie.IntOf(1)
	got := Apply(&sys, obs)
	if got.Work.SurveillanceFelt != vigie.IntOf(1) {
		t.Fatal("the representatives' rating must stay")
	}
	if len(sys.Evidence) != 0 || len(got.Evidence) != 1 || got.Evidence[0].Source != "workers" {
		t.Fatalf("evidence: %+v (original %+v)", got.Evidence, sys.Evidence)
	}
	var blank vigie.System
	if Apply(&blank, obs).Work.SurveillanceFelt != vigie.IntOf(3) {
		t.Fatal("an unknown rating takes the workers' level")
	}
	if Observations(Aggregate(c, answers[:4]), Closed{}) != nil {
		t.Fatal("no evidence below k")
	}
}

func TestMedianFromShownCountsOnly(t *testing.T) {
	// 20 × "3", 3 × "0", 2 × "1": "0" and "1" are hidden, the median is 3
	// whatever they hold.
	c := Campaign{Questions: []string{"surveillance_felt"}}
	res := Aggregate(c, answersOf(append(append(repeat("3", 20), repeat("0", 3)...), repeat("1", 2)...)...))
	if v := median(res.Questions[0].Cells, 25); v != vigie.IntOf(3) {
		t.Fatalf("median %v", v)
	}
	// 6 × "0", 6 × "3", 2 × "1", 3 × "2": the hidden cells decide, so
	// the median is unknown.
	res = Aggregate(c, answersOf(append(append(append(repeat("0", 6), repeat("3", 6)...), repeat("1", 2)...), repeat("2", 3)...)...))
	if v := median(res.Questions[0].Cells, 17); v.Known {
		t.Fatalf("median should be undetermined, got %v", v)
	}
}
