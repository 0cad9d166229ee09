package assess

import (
	"testing"

	"github.com/vigie-app/vigie"
)

func pseSystem(dismissals vigie.OptInt, procedure string, jobsCut int) *vigie.System {
	return &vigie.System{Schema: vigie.SystemSchema, Name: "Synthèses",
		Organisation: vigie.Employer{Kind: "private", Headcount: vigie.IntOf(383), StaffBodies: vigie.SetOf("cse")},
		Deployment:   vigie.Deployment{Status: "deployed", Since: vigie.MustDate("2026-09-01")},
		Work:         vigie.Work{JobsCut: vigie.IntOf(jobsCut)},
		Jobs:         &vigie.Jobs{PostsCut: vigie.IntOf(217), Dismissals30Days: dismissals, Procedure: procedure}}
}

func findObligation(a *Assessment, id string) *Obligation {
	for i := range a.Obligations {
		if a.Obligations[i].ID == id {
			return &a.Obligations[i]
		}
	}
	return nil
}

// CT-PSE applies from 10 dismissals within 30 days in a company of at least
// 50, is met by a job-protection plan, names its deadline chain, and is
// absent when the representatives record no effect on jobs.
func TestCTPSE(t *testing.T) {
	date := vigie.MustDate("2026-11-26")
	o := findObligation(Evaluate(pseSystem(vigie.IntOf(209), vigie.ProcedurePSE, 3), date), "CT-PSE")
	if o == nil || o.Applies != "yes" || o.Status != StatusMet || o.Procedure != "CT-PSE" {
		t.Fatalf("209 dismissals under a PSE: %+v", o)
	}
	if o := findObligation(Evaluate(pseSystem(vigie.IntOf(209), vigie.ProcedureNonReplacement, 3), date), "CT-PSE"); o == nil || o.Status != StatusUnmet {
		t.Errorf("209 dismissals without a PSE: %+v", o)
	}
	if o := findObligation(Evaluate(pseSystem(vigie.IntOf(9), vigie.ProcedureNone, 3), date), "CT-PSE"); o != nil {
		t.Errorf("9 dismissals: CT-PSE present")
	}
	if o := findObligation(Evaluate(pseSystem(vigie.OptInt{}, "", 0), date), "CT-PSE"); o != nil {
		t.Errorf("no effect on jobs: CT-PSE present")
	}
	a := Evaluate(pseSystem(vigie.OptInt{}, "", 2), date)
	if o := findObligation(a, "CT-PSE"); o == nil || o.Applies != StatusUnknown {
		t.Fatalf("posts cut, dismissals unknown: %+v", o)
	}
	asked := false
	for _, u := range a.Unknowns {
		if u.Fact == "jobs.dismissals_30_days" {
			asked = true
		}
	}
	if !asked {
		t.Error("the number of dismissals is not asked for")
	}
}
