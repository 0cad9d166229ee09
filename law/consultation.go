package law

import (
	"slices"

	"github.com/vigie-app/vigie"
)

// Tests of the consultation operator.
const (
	// ConsultInTime: an opinion was given before the first use, or, for a
	// body whose opinion is deemed given (a CSE), its delay expired before
	// it. Use on or before the expiry day is before the deemed opinion.
	ConsultInTime = "in_time"
	// ConsultInformed: a consultation was opened and the representatives
	// judged the information they received sufficient (L2312-15).
	ConsultInformed = "informed"
)

// ConsultationCond is the consultation operator of a condition: the
// consultation of the first of Bodies that the system file describes,
// either by an entry of deployment.consultations or by the single-body
// fields when they describe the first staff body.
type ConsultationCond struct {
	Bodies []string `yaml:"bodies"`
	Test   string   `yaml:"test"`
	// Deemed is true for a body whose opinion is deemed given when its
	// delay expires (a CSE, CT-DEL); the bodies of the public service have
	// no deemed opinion.
	Deemed bool `yaml:"deemed"`
}

// Consultation is one body's consultation as the system file describes it,
// with the path of the fact behind each field.
type Consultation struct {
	// Body is the staff body; Found is false when the file says nothing of
	// its consultation.
	Body  string
	Found bool
	// Legacy is true when the single-body fields describe it; BodyUnknown
	// when they do while the staff bodies are unknown, so that they may be
	// about another body.
	Legacy, BodyUnknown bool
	// Opened: a consultation was opened (the employer transmitted the
	// information, or the single-body field says so).
	Opened     vigie.Tri
	ReceivedOn vigie.Date
	Expert     vigie.Tri
	// Levels is establishment, central, both or "" (unknown).
	Levels     string
	Sufficient vigie.Tri
	OpinionOn  vigie.Date
	// Path maps each field (opened, received, expert, levels, sufficient,
	// opinion) to the fact it comes from.
	Path map[string]string
}

// Consultation returns the consultation of the first of bodies that the
// file describes. The single-body fields describe the first body of
// organisation.staff_bodies, or any body when no staff body is known.
func (e *Env) Consultation(bodies []string) Consultation {
	s := e.sys
	for _, b := range bodies {
		c, ok := s.Consultation(b)
		if !ok {
			continue
		}
		p := func(f string) string { return vigie.ConsultationPath(b, f) }
		out := Consultation{Body: b, Found: true, ReceivedOn: c.InformationReceivedOn, Expert: c.ExpertAppointed,
			Levels: c.Levels, Sufficient: c.InformationSufficient, OpinionOn: c.OpinionOn,
			Path: map[string]string{"opened": p("information_received_on"), "received": p("information_received_on"),
				"expert": p("expert_appointed"), "levels": p("levels"), "sufficient": p("information_sufficient"), "opinion": p("opinion_on")}}
		// An entry without the employer's transmission has not been opened
		// (the body asked for it) unless an opinion was given.
		out.Opened = vigie.TriOf(!c.InformationReceivedOn.IsZero() || !c.OpinionOn.IsZero())
		return out
	}
	first := s.FirstStaffBody()
	body := first
	if body == "" && len(bodies) > 0 {
		body = bodies[0]
	}
	if first == "" || slices.Contains(bodies, first) {
		d := s.Deployment
		if len(s.LegacyConsultationGiven()) > 0 {
			out := Consultation{Body: body, Found: true, Legacy: true, BodyUnknown: !s.Organisation.StaffBodies.Known,
				Opened: d.StaffBodyConsulted, ReceivedOn: d.ConsultationOpenedOn,
				Expert: d.ExpertAppointed, OpinionOn: d.StaffBodyOpinionOn,
				Path: map[string]string{"opened": "deployment.staff_body_consulted", "received": "deployment.consultation_opened_on",
					"expert": "deployment.expert_appointed", "levels": "organisation.staff_bodies",
					"sufficient": vigie.ConsultationPath(body, "information_sufficient"), "opinion": "deployment.staff_body_opinion_on"}}
			if !d.StaffBodyOpinionOn.IsZero() {
				out.Opened = vigie.TriTrue
			}
			// A consultation at both levels needs a central CSE.
			if sb := s.Organisation.StaffBodies; sb.Known && !sb.Has("cse_central") {
				out.Levels = "establishment"
			}
			return out
		}
	}
	if len(bodies) > 0 {
		body = bodies[0]
	}
	return Consultation{Body: body, Path: map[string]string{"opened": vigie.ConsultationPath(body, "information_received_on")}}
}

// delay returns the shortest and the longest CT-DEL delay the consultation
// may have, in months, and the facts that decide it.
func (e *Env) delayOf(c Consultation) (lo, hi int, why []string) {
	base, expert, multi := e.delay["base"], e.delay["expert"], e.delay["multi_level"]
	why = []string{c.Path["expert"]}
	switch c.Expert {
	case vigie.TriFalse:
		return base, base, why
	case vigie.TriUnknown:
		lo = base
	default:
		lo = expert
	}
	why = append(why, c.Path["levels"])
	switch c.Levels {
	case "both":
		if c.Expert.True() {
			return multi, multi, why
		}
		return lo, multi, why
	case "":
		return lo, multi, why
	}
	return lo, expert, why
}

// Expiry returns the first and the last possible day of the consultation
// delay (they differ when the expert or the levels are unknown) and the
// facts they rest on; ok is false without the employer's transmission date
// or when the body has no deemed opinion.
func (e *Env) Expiry(c Consultation) (lo, hi vigie.Date, why []string, ok bool) {
	if c.ReceivedOn.IsZero() {
		return vigie.Date{}, vigie.Date{}, []string{c.Path["received"]}, false
	}
	ml, mh, w := e.delayOf(c)
	why = append([]string{c.Path["received"]}, w...)
	return c.ReceivedOn.AddMonths(ml), c.ReceivedOn.AddMonths(mh), why, true
}

// inUse reports whether the system is in use on the evaluation date:
// unknown when its status is.
func (e *Env) inUse() (vigie.Tri, []string) {
	d := e.sys.Deployment
	switch d.Status {
	case "planned":
		return vigie.TriFalse, []string{"deployment.status"}
	case "pilot", "deployed", "retired":
		if !e.date.IsZero() && !d.Since.IsZero() && d.Since.After(e.date) {
			return vigie.TriFalse, []string{"deployment.status", "deployment.since"}
		}
		return vigie.TriTrue, []string{"deployment.status"}
	}
	return vigie.TriUnknown, []string{"deployment.status"}
}

func (e *Env) consultation(cc *ConsultationCond) Result {
	c := e.Consultation(cc.Bodies)
	if !c.Found {
		return Result{V: vigie.TriUnknown, Why: []string{c.Path["opened"]}}
	}
	r := e.consultationTest(c, cc)
	if r.V == vigie.TriTrue && c.BodyUnknown {
		// The single-body fields may describe another body.
		return Result{V: vigie.TriUnknown, Why: union(r.Why, []string{"organisation.staff_bodies"})}
	}
	return r
}

func (e *Env) consultationTest(c Consultation, cc *ConsultationCond) Result {
	if cc.Test == ConsultInformed {
		switch c.Opened {
		case vigie.TriFalse:
			return Result{V: vigie.TriFalse, Why: []string{c.Path["opened"]}}
		case vigie.TriUnknown:
			return Result{V: vigie.TriUnknown, Why: []string{c.Path["opened"], c.Path["sufficient"]}}
		}
		return Result{V: c.Sufficient, Why: []string{c.Path["opened"], c.Path["sufficient"]}}
	}
	return e.inTime(c, cc.Deemed)
}

// inTime: see ConsultInTime.
func (e *Env) inTime(c Consultation, deemed bool) Result {
	dep := e.sys.Deployment
	use, useWhy := e.inUse()
	if !c.OpinionOn.IsZero() {
		why := []string{c.Path["opinion"]}
		if use == vigie.TriFalse {
			return Result{V: vigie.TriTrue, Why: union(why, useWhy)}
		}
		if dep.Since.IsZero() {
			return Result{V: vigie.TriUnknown, Why: append(why, "deployment.since")}
		}
		if !dep.Since.Before(c.OpinionOn) {
			return Result{V: vigie.TriTrue, Why: append(why, "deployment.since")}
		}
		if !deemed || c.ReceivedOn.IsZero() {
			return Result{V: vigie.TriFalse, Why: append(why, "deployment.since")}
		}
		// Used before the opinion recorded: the deemed opinion may have
		// come first.
	}
	switch c.Opened {
	case vigie.TriFalse:
		return Result{V: vigie.TriFalse, Why: []string{c.Path["opened"]}}
	case vigie.TriUnknown:
		return Result{V: vigie.TriUnknown, Why: []string{c.Path["opened"]}}
	}
	why := []string{c.Path["opened"], c.Path["opinion"]}
	if !deemed {
		// No opinion given, and none is deemed given: not yet consulted.
		return Result{V: vigie.TriFalse, Why: why}
	}
	lo, hi, ewhy, ok := e.Expiry(c)
	why = union(why, ewhy)
	if !ok {
		return Result{V: vigie.TriUnknown, Why: why}
	}
	// The deemed opinion is given at the end of the expiry day: the first
	// use must come after it.
	var first vigie.Date
	switch {
	case use == vigie.TriFalse:
		if e.date.IsZero() {
			return Result{V: vigie.TriUnknown, Why: why}
		}
		first = e.date // not used yet: compare with the evaluation date
		why = union(why, useWhy)
	case dep.Since.IsZero():
		return Result{V: vigie.TriUnknown, Why: append(why, "deployment.since")}
	default:
		first = dep.Since
		why = append(why, "deployment.since")
	}
	switch {
	case first.After(hi):
		return Result{V: vigie.TriTrue, Why: why}
	case !first.After(lo):
		return Result{V: vigie.TriFalse, Why: why}
	}
	return Result{V: vigie.TriUnknown, Why: why}
}

// InProgress reports whether a consultation that c names is in progress on
// the evaluation date: opened, no opinion given, its delay not expired (a
// body without deemed opinion has none), and the system not in use.
func (e *Env) InProgress(c *Cond) (bool, []string) {
	var found bool
	var why []string
	c.walk(func(x *Cond) {
		cc := x.Consultation
		if found || cc == nil || cc.Test != ConsultInTime {
			return
		}
		con := e.Consultation(cc.Bodies)
		if !con.Found || !con.Opened.True() || !con.OpinionOn.IsZero() {
			return
		}
		if use, _ := e.inUse(); use != vigie.TriFalse {
			return
		}
		w := []string{con.Path["opened"], con.Path["opinion"], "deployment.status"}
		if cc.Deemed {
			lo, _, ewhy, ok := e.Expiry(con)
			if !ok || e.date.IsZero() || e.date.After(lo) {
				return
			}
			w = union(w, ewhy)
		}
		found, why = true, w
	})
	return found, why
}

// LegacySystem reports whether the system was put into service before the
// cut-off of AI Act Art. 111(2) and not significantly changed in its design
// from that date; cutoff is the date (2027-12-02). A system never
// significantly changed has no significantly_modified_on.
func (e *Env) LegacySystem(cutoff vigie.Date) Result {
	d := e.sys.Deployment
	if !d.SignificantlyModifiedOn.IsZero() && !d.SignificantlyModifiedOn.Before(cutoff) {
		return Result{V: vigie.TriFalse, Why: []string{"deployment.significantly_modified_on"}}
	}
	if d.Since.IsZero() {
		if d.Status == "planned" && !e.date.IsZero() && !e.date.Before(cutoff) {
			// Not in service yet, on or after the cut-off.
			return Result{V: vigie.TriFalse, Why: []string{"deployment.status"}}
		}
		return Result{V: vigie.TriUnknown, Why: []string{"deployment.since"}}
	}
	if !d.Since.Before(cutoff) {
		return Result{V: vigie.TriFalse, Why: []string{"deployment.since"}}
	}
	return Result{V: vigie.TriTrue, Why: []string{"deployment.since", "deployment.significantly_modified_on"}}
}
