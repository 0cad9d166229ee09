package assess

import (
	"slices"
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

// CT-PSE's threshold of 50 is the company's: an establishment of 40 in a
// company of 50 is in, in a company of 49 out; with the company's headcount
// unknown, the establishment's is read, and the obligation says which.
func TestCTPSECompanyHeadcount(t *testing.T) {
	date := vigie.MustDate("2026-11-26")
	cases := []struct {
		name         string
		company, est vigie.OptInt
		want         bool
		rests        string
	}{
		{"company 50, establishment 40", vigie.IntOf(50), vigie.IntOf(40), true, "organisation.company_headcount"},
		{"company 49, establishment 40", vigie.IntOf(49), vigie.IntOf(40), false, ""},
		{"company 49, establishment 60", vigie.IntOf(49), vigie.IntOf(60), false, ""},
		{"company unknown, establishment 60", vigie.OptInt{}, vigie.IntOf(60), true, "organisation.headcount"},
		{"company unknown, establishment 40", vigie.OptInt{}, vigie.IntOf(40), false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := pseSystem(vigie.IntOf(12), vigie.ProcedureNone, 3)
			s.Organisation.Headcount, s.Organisation.CompanyHeadcount = c.est, c.company
			o := findObligation(Evaluate(s, date), "CT-PSE")
			if (o != nil) != c.want {
				t.Fatalf("CT-PSE present %v, want %v", o != nil, c.want)
			}
			if o == nil {
				return
			}
			if o.Applies != "yes" || o.Status != StatusUnmet {
				t.Errorf("applies %s, status %s; want yes, unmet", o.Applies, o.Status)
			}
			if !slices.Contains(o.Because, c.rests) {
				t.Errorf("CT-PSE rests on %v, want %s", o.Because, c.rests)
			}
			other := "organisation.headcount"
			if c.rests == other {
				other = "organisation.company_headcount"
			}
			if slices.Contains(o.Because, other) {
				t.Errorf("CT-PSE rests on %v, which names %s too", o.Because, other)
			}
		})
	}
	// Both unknown: the obligation is open, and the headcount is asked.
	s := pseSystem(vigie.IntOf(12), vigie.ProcedureNone, 3)
	s.Organisation.Headcount = vigie.OptInt{}
	a := Evaluate(s, date)
	if o := findObligation(a, "CT-PSE"); o == nil || o.Applies != StatusUnknown {
		t.Fatalf("headcounts unknown: %+v", o)
	}
}
