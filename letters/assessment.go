package letters

import (
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/law"
)

// plain puts the rule and procedure ids that the rule base writes inside
// its texts into words: a letter names rules by their titles.
func plain(fr, en string) Text {
	b, err := law.Load()
	if err != nil {
		return Text{FR: fr, EN: en}
	}
	return Text{FR: b.Plain(law.FR, fr), EN: b.Plain(law.EN, en)}
}

// WithAssessment returns d with the results of an assessment: its
// obligations, its open questions and its DUERP lines. The letters cite the
// unmet obligations and turn the questions into the answers they demand.
func WithAssessment(d Data, a *assess.Assessment) Data {
	if a == nil {
		return d
	}
	d.Obligations = nil
	for _, o := range a.Obligations {
		d.Obligations = append(d.Obligations, Obligation{
			ID: o.ID, Status: o.Status, Confidence: o.Confidence,
			Title:      Text{FR: o.Title, EN: o.TitleEN},
			Basis:      Text{FR: o.Basis, EN: o.BasisEN},
			Obligation: plain(o.Obligation, o.ObligationEN),
			Demand:     plain(o.Demand, o.DemandEN),
			Note:       plain(o.Note, o.NoteEN),
		})
	}
	d.Rights = nil
	for _, r := range a.Rights {
		d.Rights = append(d.Rights, Right{ID: r.ID, Applies: r.Applies})
	}
	d.Assessed = true
	d.Unknowns = nil
	for _, u := range a.Unknowns {
		d.Unknowns = append(d.Unknowns, Unknown{
			Fact: u.Fact, Question: plain(u.Question, u.QuestionEN),
			Affects: append([]string(nil), u.Affects...), Dimensions: append([]string(nil), u.Dimensions...),
		})
	}
	d.DUERP = nil
	for _, l := range a.DUERP {
		d.DUERP = append(d.DUERP, DUERPLine{
			Unit: Text{FR: l.Unit, EN: l.Unit}, Hazard: Text{FR: l.Hazard, EN: l.HazardEN},
			Risk: Text{FR: l.Risk, EN: l.RiskEN}, ProposedMeasures: Text{FR: l.ProposedMeasures, EN: l.ProposedMeasuresEN},
			Severity: l.Severity, Frequency: l.Frequency, Priority: l.Priority,
		})
	}
	return d
}
