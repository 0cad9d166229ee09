package assess

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

//go:embed risk.yaml
var riskYAML []byte

// Dimensions are the eleven dimensions of harm, in the contract's order.
var Dimensions = []string{"discrimination", "intensification", "surveillance", "autonomy", "overload",
	"meaning", "employment", "health", "users", "environment", "data_protection"}

// Formula is the risk formula (risk.yaml, documented in RISKS.md): each
// dimension's severity and frequency come from the facts, and the product of
// their weights gives the priority, in the manner of OiRA.
type Formula struct {
	Method        string         `yaml:"method"`
	Severity      []Level        `yaml:"severity_levels"`
	Frequency     []Level        `yaml:"frequency_levels"`
	Priority      PriorityBands  `yaml:"priority"`
	FrequencyBase map[string]int `yaml:"frequency_base"`
	DefaultUnit   law.Text       `yaml:"default_unit"`
	Existing      []Measure      `yaml:"existing_measures"`
	Dimensions    []Dimension    `yaml:"dimensions"`
}

// Level is a level of a scale with its weight.
type Level struct {
	Level  int      `yaml:"level"`
	Weight int      `yaml:"weight"`
	Label  law.Text `yaml:"label"`
}

// PriorityBands turn a score into a priority.
type PriorityBands struct {
	LowBelow   int `yaml:"low_below"`
	MediumUpTo int `yaml:"medium_up_to"`
}

// Measure is an existing measure, shown when its condition holds.
type Measure struct {
	When       *law.Cond `yaml:"when"`
	Dimensions []string  `yaml:"dimensions,omitempty"`
	Text       law.Text  `yaml:"text"`
}

// Dimension is how one dimension is scored.
type Dimension struct {
	ID        string    `yaml:"id"`
	Label     law.Text  `yaml:"label"`
	Signal    string    `yaml:"signal,omitempty"`
	Applies   *law.Cond `yaml:"applies,omitempty"`
	Sev       []Adjust  `yaml:"severity,omitempty"`
	Freq      []Adjust  `yaml:"frequency,omitempty"`
	Rules     []string  `yaml:"rules,omitempty"`
	Hazard    law.Text  `yaml:"hazard"`
	Damage    law.Text  `yaml:"damage"`
	Proposals law.Text  `yaml:"proposed"`
}

// Adjust raises a level when its condition holds.
type Adjust struct {
	When *law.Cond `yaml:"when"`
	Add  int       `yaml:"add"`
}

var (
	formulaOnce sync.Once
	formula     *Formula
	formulaErr  error
)

// LoadFormula returns the embedded risk formula, validated.
func LoadFormula() (*Formula, error) {
	formulaOnce.Do(func() { formula, formulaErr = parseFormula(riskYAML, law.MustLoad()) })
	return formula, formulaErr
}

func mustFormula() *Formula {
	f, err := LoadFormula()
	if err != nil {
		panic(err)
	}
	return f
}

func parseFormula(raw []byte, b *law.Base) (*Formula, error) {
	var f Formula
	if err := yaml.UnmarshalWithOptions(raw, &f, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("assess: risk.yaml: %w", err)
	}
	fail := func(format string, args ...any) (*Formula, error) {
		return nil, fmt.Errorf("assess: risk.yaml: "+format, args...)
	}
	if f.Method == "" {
		return fail("method is required")
	}
	for name, ls := range map[string][]Level{"severity_levels": f.Severity, "frequency_levels": f.Frequency} {
		if len(ls) != 4 {
			return fail("%s: 4 levels expected", name)
		}
		for i, l := range ls {
			if l.Level != i+1 || l.Weight <= 0 || l.Label.FR == "" || l.Label.EN == "" {
				return fail("%s[%d]: levels 1 to 4 in order, with a weight and labels", name, i)
			}
		}
	}
	if f.Priority.LowBelow <= 0 || f.Priority.MediumUpTo < f.Priority.LowBelow {
		return fail("priority bands")
	}
	for _, s := range append(slices.Clone(vigie.Enums["deployment.status"]), vigie.Unknown) {
		if v := f.FrequencyBase[s]; v < 1 || v > 4 {
			return fail("frequency_base.%s must be 1 to 4", s)
		}
	}
	for i, m := range f.Existing {
		if err := b.ValidateCond(m.When, fmt.Sprintf("existing_measures[%d].when", i)); err != nil {
			return fail("%v", err)
		}
		for _, d := range m.Dimensions {
			if !slices.Contains(Dimensions, d) {
				return fail("existing_measures[%d]: unknown dimension %q", i, d)
			}
		}
	}
	var ids []string
	for _, d := range f.Dimensions {
		ids = append(ids, d.ID)
		where := "dimensions." + d.ID
		if d.Signal != "" && !strings.HasPrefix(d.Signal, "work.") {
			return fail("%s: the signal must be a work.* observation", where)
		}
		if d.Signal != "" && !vigie.IsFactPath(d.Signal) {
			return fail("%s: unknown fact %q", where, d.Signal)
		}
		if d.Applies != nil {
			if err := b.ValidateCond(d.Applies, where+".applies"); err != nil {
				return fail("%v", err)
			}
		}
		for i, a := range append(slices.Clone(d.Sev), d.Freq...) {
			if a.Add < 1 || a.Add > 3 {
				return fail("%s: adjustment %d adds 1 to 3", where, i)
			}
			if err := b.ValidateCond(a.When, fmt.Sprintf("%s[%d].when", where, i)); err != nil {
				return fail("%v", err)
			}
		}
		for _, r := range d.Rules {
			if !b.Has(r) {
				return fail("%s: unknown rule %q", where, r)
			}
		}
		for name, t := range map[string]law.Text{"label": d.Label, "hazard": d.Hazard, "damage": d.Damage, "proposed": d.Proposals} {
			if t.FR == "" || t.EN == "" {
				return fail("%s.%s: French and English texts are required", where, name)
			}
		}
	}
	if !slices.Equal(ids, Dimensions) {
		return fail("dimensions must be, in order: %s", strings.Join(Dimensions, ", "))
	}
	return &f, nil
}

func (f *Formula) severityWeight(level int) int {
	if level <= 0 {
		return 0
	}
	return f.Severity[level-1].Weight
}

func (f *Formula) frequencyWeight(level int) int { return f.Frequency[level-1].Weight }

// PriorityOf returns the priority of a score.
func (f *Formula) PriorityOf(score int) string {
	switch {
	case score < f.Priority.LowBelow:
		return Low
	case score <= f.Priority.MediumUpTo:
		return Medium
	}
	return High
}

func clamp(v, lo, hi int) int { return max(lo, min(hi, v)) }

// score computes the eleven risks.
func (f *Formula) score(e *evaluator) ([]Risk, string) {
	out := make([]Risk, 0, len(f.Dimensions))
	status := e.sys.Deployment.Status
	if status == "" {
		status = vigie.Unknown
	}
	for _, d := range f.Dimensions {
		r := Risk{Dimension: d.ID, Label: d.Label.FR, LabelEN: d.Label.EN, Complete: true,
			Evidence: []string{}, Rules: nonNil(d.Rules)}
		sev := 0
		if d.Signal != "" {
			v, _ := law.FactValue(e.sys, d.Signal).(vigie.OptInt)
			if v.Known {
				sev = v.V
				if v.V > 0 {
					r.Evidence = append(r.Evidence, d.Signal)
				}
			} else {
				r.Complete = false
				e.addUnknown([]string{d.Signal}, "", d.ID)
			}
		}
		applies := true
		if d.Applies != nil {
			res := e.env.Eval(d.Applies)
			switch res.V {
			case vigie.TriFalse:
				applies = false
			case vigie.TriUnknown:
				r.Complete = false
				e.addUnknown(res.Why, "", d.ID)
			}
		}
		if applies {
			for _, a := range d.Sev {
				res := e.env.Eval(a.When)
				switch res.V {
				case vigie.TriTrue:
					sev += a.Add
					r.Evidence = union(r.Evidence, res.Why)
				case vigie.TriUnknown:
					e.addUnknown(res.Why, "", d.ID)
				}
			}
		} else {
			sev = 0
		}
		r.Severity = clamp(sev, 0, 4)
		freq := f.FrequencyBase[status]
		if r.Severity > 0 {
			r.Evidence = union(r.Evidence, []string{"deployment.status"})
		}
		for _, a := range d.Freq {
			if r.Severity == 0 {
				// No harm to weigh: its frequency does not matter.
				break
			}
			res := e.env.Eval(a.When)
			switch res.V {
			case vigie.TriTrue:
				freq += a.Add
				r.Evidence = union(r.Evidence, res.Why)
			case vigie.TriUnknown:
				e.addUnknown(res.Why, "", d.ID)
			}
		}
		r.Frequency = clamp(freq, 1, 4)
		r.Score = f.severityWeight(r.Severity) * f.frequencyWeight(r.Frequency)
		r.Priority = f.PriorityOf(r.Score)
		out = append(out, r)
	}
	return out, f.Method
}

// duerp writes a DUERP line per work unit for every medium or high risk.
func (f *Formula) duerp(e *evaluator, risks []Risk) []DUERPLine {
	units := e.sys.Deployment.Units.Items
	if len(units) == 0 {
		units = []string{f.DefaultUnit.FR}
	}
	byID := map[string]Dimension{}
	for _, d := range f.Dimensions {
		byID[d.ID] = d
	}
	out := []DUERPLine{}
	for _, u := range units {
		for _, r := range risks {
			if r.Priority == Low {
				continue
			}
			d := byID[r.Dimension]
			var fr, en []string
			for _, m := range f.Existing {
				if len(m.Dimensions) > 0 && !slices.Contains(m.Dimensions, d.ID) {
					continue
				}
				if e.env.Eval(m.When).V == vigie.TriTrue {
					fr, en = append(fr, m.Text.FR), append(en, m.Text.EN)
				}
			}
			line := DUERPLine{Unit: u, Dimension: d.ID,
				Hazard: d.Hazard.FR, HazardEN: d.Hazard.EN, Risk: d.Damage.FR, RiskEN: d.Damage.EN,
				Severity: r.Severity, Frequency: r.Frequency, Priority: r.Priority,
				ExistingMeasures: "aucune mesure connue", ExistingMeasuresEN: "no known measure",
				ProposedMeasures: d.Proposals.FR, ProposedMeasuresEN: d.Proposals.EN}
			if len(fr) > 0 {
				line.ExistingMeasures, line.ExistingMeasuresEN = strings.Join(fr, " ; "), strings.Join(en, "; ")
			}
			out = append(out, line)
		}
	}
	return out
}
