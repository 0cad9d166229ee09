package ats

import (
	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
)

// Records builds the rows of a register: each system with its workplace
// (looked up in workplaces) and its AI Act tier from the assessment engine.
// The tier is the system's classification whatever the date (see the
// command-line contract); date only feeds the engine, which needs one.
func Records(orgName string, systems []*vigie.SystemRecord, workplaces []*vigie.Workplace, date vigie.Date) []Record {
	byID := make(map[string]*vigie.Workplace, len(workplaces))
	for _, wp := range workplaces {
		byID[wp.ID] = wp
	}
	out := make([]Record, len(systems))
	for i, r := range systems {
		out[i] = Record{System: r, Organisation: orgName, Workplace: byID[r.WorkplaceID],
			Tier: assess.Evaluate(&r.System, date).AIAct.Tier}
	}
	return out
}
