// Package gather collects what the services hold about a stored system
// into a report.Input: its documents, actions with their deadline chains,
// audit and footprint reports, testimony aggregates and the exhibit
// numbers already given. The command line and the web server both build
// their dossiers through it.
package gather

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/audit"
	"github.com/vigie-app/vigie/footprint"
	"github.com/vigie-app/vigie/letters"
	"github.com/vigie-app/vigie/report"
	"github.com/vigie-app/vigie/testimony"
)

// Services are the services a dossier reads; Workplaces and Testimony may
// be nil.
type Services struct {
	Workplaces vigie.WorkplaceService
	Documents  vigie.DocumentService
	Actions    vigie.ActionService
	Reports    vigie.ReportService
	Testimony  vigie.TestimonyService
	Dossiers   vigie.DossierService
}

// FromFile is what a system file alone gives: the facts, the assessment
// on date and, when the usage facts are complete, the footprint.
func FromFile(sys *vigie.System, date vigie.Date) report.Input {
	return report.Input{System: sys, Assessment: assess.Evaluate(sys, date), Date: date, Footprint: UsageFootprint(sys.Usage)}
}

// UsageFootprint estimates the footprint from the usage facts when they
// are complete (model, tokens, requests a day, days a year), nil otherwise.
func UsageFootprint(u *vigie.Usage) *report.Footprint {
	if u == nil || u.Model == "" || !u.OutputTokensPerRequest.Known || !u.RequestsPerDay.Known || !u.WorkingDaysPerYear.Known {
		return nil
	}
	perDay, days := footprint.Exact(float64(u.RequestsPerDay.V)), footprint.Exact(float64(u.WorkingDaysPerYear.V))
	in := footprint.Input{Model: u.Model, OutputTokens: footprint.Exact(float64(u.OutputTokensPerRequest.V)), Zone: strings.ToUpper(u.Zone),
		RequestsPerDay: &perDay, Days: &days}
	res, err := footprint.Estimate(in)
	if err != nil {
		return nil
	}
	return &report.Footprint{Input: in, Result: res}
}

// Stored gathers everything kept about rec (of the organisation named org)
// for its dossier on date; today dates the testimony aggregates. It reads
// only: the numbers of new exhibits are given by Keep.
func Stored(ctx context.Context, sv Services, org string, rec *vigie.SystemRecord, date, today vigie.Date) (report.Input, error) {
	in := FromFile(&rec.System, date)
	in.Org, in.SystemID = org, rec.ID
	if rec.WorkplaceID != "" && sv.Workplaces != nil {
		if w, err := sv.Workplaces.FindWorkplaceByID(ctx, rec.WorkplaceID); err == nil {
			in.Workplace = w.Name
		}
	}
	var err error
	if in.Documents, err = sv.Documents.FindDocuments(ctx, rec.ID); err != nil {
		return in, err
	}
	acts, err := sv.Actions.FindActions(ctx, vigie.ActionFilter{OrgID: rec.OrgID, SystemID: rec.ID})
	if err != nil {
		return in, err
	}
	byID := map[string]*vigie.Action{}
	for _, a := range acts {
		byID[a.ID] = a
	}
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].CreatedAt.Before(acts[j].CreatedAt) })
	for _, a := range acts {
		c, err := letters.ActionChain(a, byID[a.ParentID], &rec.System)
		if err != nil {
			return in, err
		}
		in.Actions = append(in.Actions, report.Action{Action: a, Steps: c.Steps, Command: c.Command})
	}
	reps, err := sv.Reports.FindReports(ctx, rec.ID, "")
	if err != nil {
		return in, err
	}
	for _, r := range reps {
		switch r.Kind {
		case vigie.ReportAudit:
			var ar audit.Report
			if json.Unmarshal(r.Result, &ar) == nil {
				in.Audits = append(in.Audits, report.Audit{Report: r, Result: &ar})
			}
		case vigie.ReportFootprint:
			if in.Footprint != nil && in.Footprint.Report != nil {
				continue // the newest kept estimate only
			}
			var res footprint.Result
			var fin footprint.Input
			if json.Unmarshal(r.Result, &res) == nil && json.Unmarshal(r.Config, &fin) == nil {
				in.Footprint = &report.Footprint{Report: r, Input: fin, Result: &res}
			}
		}
	}
	if sv.Testimony != nil {
		camps, err := sv.Testimony.FindCampaigns(ctx, rec.OrgID, rec.ID)
		if err != nil {
			return in, err
		}
		for _, c := range camps {
			answers, first, last, err := sv.Testimony.CampaignAnswers(ctx, c.ID)
			if err != nil {
				return in, err
			}
			in.Testimonies = append(in.Testimonies, report.Testimony{Campaign: c, Results: testimony.ResultsOf(c, answers, first, last, today)})
		}
	}
	in.Numbers, err = sv.Dossiers.ExhibitNumbers(ctx, rec.ID)
	return in, err
}

// Keep gives the exhibits of in that have no number yet their numbers, in
// the order Build gives them, keeps them, and sets in.Numbers to every
// number kept: the dossier built from in then never changes a number.
func Keep(ctx context.Context, sv Services, in *report.Input) error {
	probe, err := report.Build(*in)
	if err != nil || len(probe.NewNumbers) == 0 {
		return err
	}
	keys := make([]string, 0, len(probe.NewNumbers))
	for k := range probe.NewNumbers {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return probe.NewNumbers[keys[i]] < probe.NewNumbers[keys[j]] })
	in.Numbers, err = sv.Dossiers.KeepExhibitNumbers(ctx, in.SystemID, keys)
	return err
}
