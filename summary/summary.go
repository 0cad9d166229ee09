// Package summary computes what the register lists of a system beyond its
// facts (vigie.SystemSummary): the AI Act tier and the obligations unmet
// from package assess, the next due date from the deadline chains of the
// system's letters (package letters) and from the obligations that start
// to apply later.
//
// The package is pure: the date is an argument.
package summary

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sync"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/law/deadline"
	"github.com/vigie-app/vigie/letters"
)

// method names the way Of computes: change it when Of changes, so that
// kept summaries are recomputed.
const method = "summary/v3"

// Revision identifies the rules, the chains, the letters and the method a
// summary was computed with: a summary kept with another revision is out
// of date.
var Revision = sync.OnceValue(func() string {
	h := sha256.New()
	for _, s := range []string{method, law.Fingerprint(), deadline.Fingerprint(), letters.Fingerprint()} {
		h.Write([]byte(s + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
})

// lawDates are the dates (sorted) from which a rule, a limb of a rule or
// a later date of a limb applies: on those dates, and on the dates the
// assessment itself gives (an obligation's date of application), alone
// can the passing of time change an assessment.
var lawDates = sync.OnceValue(func() []vigie.Date {
	seen := map[vigie.Date]bool{}
	add := func(s string) {
		if d, err := vigie.ParseDate(s); err == nil {
			seen[d] = true
		}
	}
	for _, r := range law.MustLoad().Rules() {
		add(r.From)
		for _, l := range r.Limbs {
			add(l.From)
			if l.Later != nil {
				add(l.Later.From)
			}
		}
	}
	out := make([]vigie.Date, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b vigie.Date) int { return a.Time().Compare(b.Time()) })
	return out
})

// Of returns the summary of sys on today. acts are the system's actions
// (any state; the parent of an escalated action is looked up among them).
// An action whose chain cannot be computed adds no due date.
func Of(sys *vigie.System, acts []*vigie.Action, today vigie.Date) vigie.SystemSummary {
	return From(sys, assess.Evaluate(sys, today), acts, today)
}

// From is Of with a, the assessment of sys on today, already computed (so
// that one assessment feeds every summary of a system).
func From(sys *vigie.System, a *assess.Assessment, acts []*vigie.Action, today vigie.Date) vigie.SystemSummary {
	s := vigie.SystemSummary{Tier: a.AIAct.Tier, AsOf: today}
	if sys.Jobs != nil {
		s.PostsCut = sys.Jobs.PostsCut
	}
	var until vigie.Date
	soonest := func(d vigie.Date) {
		if until.IsZero() || d.Before(until) {
			until = d
		}
	}
	due := func(d vigie.Date, kind string) {
		if d.Before(today) {
			return
		}
		if s.NextDue.IsZero() || d.Before(s.NextDue) {
			s.NextDue, s.NextDueKind = d, kind
		}
	}
	later := func(from string) {
		if d, err := vigie.ParseDate(from); err == nil && d.After(today) {
			soonest(d)
		}
	}
	for _, g := range a.AIAct.Grounds {
		later(g.AppliesFrom)
	}
	for _, g := range a.AIAct.Undetermined {
		later(g.AppliesFrom)
	}
	for _, o := range a.Obligations {
		later(o.AppliesFrom)
		for _, l := range o.Limbs {
			later(l.AppliesFrom)
		}
		switch o.Status {
		case assess.StatusUnmet:
			s.Unmet++
		case assess.StatusUpcoming:
			if d, err := vigie.ParseDate(o.AppliesFrom); err == nil {
				due(d, vigie.DueObligation)
			}
		}
	}
	byID := make(map[string]*vigie.Action, len(acts))
	for _, x := range acts {
		byID[x.ID] = x
	}
	for _, x := range letters.Live(acts) {
		c, err := letters.ActionChain(x, byID[x.ParentID], sys)
		if err != nil {
			continue
		}
		for _, st := range c.Dues() {
			due(st.Due, vigie.DueAction)
		}
	}
	if !s.NextDue.IsZero() {
		// The day after it passes, the next due date is another.
		soonest(s.NextDue.AddDays(1))
	}
	for _, d := range lawDates() {
		if d.After(today) {
			soonest(d)
			break
		}
	}
	s.Until = until
	return s
}
