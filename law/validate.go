package law

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/vigie-app/vigie"
)

var (
	idRe    = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$`)
	limbRe  = regexp.MustCompile(`^[0-9a-z()]+$`)
	binders = []string{"employer", "public_employer", "deployer", "provider", "operator", "controller",
		"administration", "authority", "staff_body", "none"}
)

// validate checks every rule against the schema of the package. It is run
// at load time: a rule that lacks a basis, a date, a confidence or a source,
// or that names an unknown fact, rule, point, check or source, is an error.
func (b *Base) validate() error {
	for _, r := range b.rules {
		if err := b.validateRule(r); err != nil {
			return fmt.Errorf("law: rules/%s.yaml: %s: %w", r.Family, r.ID, err)
		}
	}
	// Trigger references (rule: and point:) must not loop.
	state := map[string]int{}
	var visit func(node string, c *Cond) error
	visit = func(node string, c *Cond) error {
		switch state[node] {
		case 1:
			return fmt.Errorf("law: %s refers to itself through its triggers", node)
		case 2:
			return nil
		}
		state[node] = 1
		var err error
		c.walk(func(x *Cond) {
			if err != nil {
				return
			}
			if x.Rule != "" {
				err = visit("rule:"+x.Rule, b.byID[x.Rule].TriggerCond())
			}
			if x.Point != "" {
				err = visit("point:"+x.Point, b.byID[b.Points()[x.Point]].Limb(x.Point).When)
			}
		})
		if err != nil {
			return err
		}
		state[node] = 2
		return nil
	}
	for _, r := range b.rules {
		if err := visit("rule:"+r.ID, r.TriggerCond()); err != nil {
			return err
		}
	}
	return nil
}

func needText(t Text, name string) error {
	if t.FR == "" || t.EN == "" {
		return fmt.Errorf("%s: French and English texts are required", name)
	}
	return nil
}

func validDate(s string) bool {
	_, err := vigie.ParseDate(s)
	return err == nil
}

func (b *Base) validateRule(r *Rule) error {
	if !idRe.MatchString(r.ID) {
		return fmt.Errorf("malformed id")
	}
	if !slices.Contains(kinds, r.Kind) {
		return fmt.Errorf("kind %q is not one of %v", r.Kind, kinds)
	}
	for name, t := range map[string]Text{"title": r.Title, "basis": r.Basis, "binds_text": r.BindsText, "trigger": r.Trigger} {
		if err := needText(t, name); err != nil {
			return err
		}
	}
	if !slices.Contains(binders, r.Binds) {
		return fmt.Errorf("binds %q is not one of %v", r.Binds, binders)
	}
	switch r.Kind {
	case KindObligation, KindProhibition, KindRight:
		if err := needText(r.Obligation, "obligation"); err != nil {
			return err
		}
		if err := needText(r.Demand, "demand"); err != nil {
			return err
		}
	default:
		if err := needText(r.Obligation, "obligation"); err != nil {
			return err
		}
	}
	if r.Kind == KindTransitional {
		if len(r.Spares) == 0 || !validDate(r.Cutoff) || !validDate(r.Until) || r.Public == nil {
			return fmt.Errorf("a transitional rule needs spares, cutoff, until and public")
		}
		for _, id := range r.Spares {
			if o := b.byID[id]; o == nil || o.Kind != KindObligation {
				return fmt.Errorf("spares %q, which is not an obligation", id)
			}
		}
		if err := needText(r.Note, "note"); err != nil {
			return err
		}
		if err := needText(r.PublicNote, "public_note"); err != nil {
			return err
		}
		if err := b.validateCond(r.Public, "public"); err != nil {
			return err
		}
	} else if len(r.Spares) > 0 || r.Public != nil {
		return fmt.Errorf("spares and public are for transitional rules")
	}
	if r.Act != "" && (r.Act != ActLawyer || r.Kind != KindRight) {
		return fmt.Errorf("act %q: only a right may be acted on by a lawyer", r.Act)
	}
	if !r.Ask.IsZero() {
		if err := needText(r.Ask, "ask"); err != nil {
			return err
		}
	}
	if r.Kind != KindProcedure && r.Kind != KindTransitional && r.When == nil && len(r.Limbs) == 0 {
		return fmt.Errorf("a %s rule needs a trigger condition (when) or limbs", r.Kind)
	}
	if (r.Kind == KindProhibition) && r.Article == "" {
		return fmt.Errorf("a prohibition needs its AI Act article")
	}
	if r.From == "" {
		return fmt.Errorf("from (date of application) is required")
	}
	switch {
	case r.From == InForce:
	case r.From == FromUnknown:
		if r.Kind != KindInfo || r.Confidence != Unverified {
			return fmt.Errorf("from %q is allowed only for an unverified info rule", FromUnknown)
		}
	case !validDate(r.From):
		return fmt.Errorf("from %q is neither a YYYY-MM-DD date nor %q", r.From, InForce)
	}
	if ConfidenceRank(r.Confidence) == 0 {
		return fmt.Errorf("confidence %q is not verified, secondary or unverified", r.Confidence)
	}
	if len(r.Sources) == 0 {
		return fmt.Errorf("at least one source is required")
	}
	for _, s := range r.Sources {
		if _, ok := b.sources[s]; !ok {
			return fmt.Errorf("unknown source %q", s)
		}
	}
	if r.Due != "" && r.Due != "before_use" {
		return fmt.Errorf("due %q is not before_use", r.Due)
	}
	if p := r.Deadline.Procedure; p != "" && !slices.Contains(Procedures, p) && b.byID[p] == nil {
		return fmt.Errorf("deadline procedure %q is neither a PROC-x chain nor a rule", p)
	}
	if err := needText(r.Deadline.Text, "deadline.text"); err != nil {
		return err
	}
	if r.Kind == KindProcedure && r.ID == "CT-DEL" {
		for _, k := range []string{"base", "expert", "multi_level"} {
			if r.DelayMonths[k] <= 0 {
				return fmt.Errorf("delay_months.%s is required", k)
			}
		}
	}
	if r.When != nil {
		if err := b.validateCond(r.When, "when"); err != nil {
			return err
		}
	}
	if r.Met != nil {
		if err := b.validateCond(r.Met, "met"); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i, l := range r.Limbs {
		where := fmt.Sprintf("limbs[%d]", i)
		if !limbRe.MatchString(l.ID) || seen[l.ID] {
			return fmt.Errorf("%s: missing, malformed or duplicate limb id %q", where, l.ID)
		}
		seen[l.ID] = true
		if err := needText(l.Label, where+".label"); err != nil {
			return err
		}
		if err := b.validateCond(l.When, where+".when"); err != nil {
			return err
		}
		for name, c := range map[string]*Cond{"met": l.Met, "binding": l.Binding} {
			if c != nil {
				if err := b.validateCond(c, where+"."+name); err != nil {
					return err
				}
			}
		}
		if l.From != "" && !validDate(l.From) {
			return fmt.Errorf("%s: from %q is not a date", where, l.From)
		}
		if l.Later != nil {
			if !validDate(l.Later.From) {
				return fmt.Errorf("%s: later.from %q is not a date", where, l.Later.From)
			}
			if err := b.validateCond(l.Later.Unless, where+".later.unless"); err != nil {
				return err
			}
		}
		if l.Confidence != "" && ConfidenceRank(l.Confidence) == 0 {
			return fmt.Errorf("%s: confidence %q", where, l.Confidence)
		}
	}
	return nil
}
