package letters

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/law/deadline"
)

// Deadlines returns the deadline chain that sending letter l on d.Date
// starts, with the procedure options of the letter. A letter that continues
// an earlier request (l.Event: the CADA referral, the CNIL complaint) marks
// that event on d.Date in the chain of the request sent on d.RequestSentOn,
// with the refusal on d.RefusalOn when it is known; without the date of the
// earlier request, it has no chain. A letter with no procedure has none.
func Deadlines(l Letter, d Data) ([]deadline.Step, error) {
	if l.Procedure == "" || d.Date.IsZero() {
		return nil, nil
	}
	o := deadline.Options{AlsaceMoselle: d.AlsaceMoselle}
	o.Expert = slices.Contains(l.ProcedureOptions, deadline.OptExpert)
	if p, ok := deadline.Lookup(l.Procedure); ok && slices.Contains(p.Options, deadline.OptPublic) && d.System != nil {
		o.Public = l.Fits(d.System) && (l.Scope == ScopePublic || l.Scope == ScopeService)
	}
	from := d.Date
	if l.Procedure == deadlineCSE && l.Event == "" {
		// The consultation delay runs from the employer's transmission of
		// the information, never from the representatives' own letter.
		_, start, co, ok := ConsultationChain(d.System, cseBodies)
		if !ok {
			return nil, nil
		}
		from = start
		o.Expert = o.Expert || co.Expert
		o.MultiLevel = co.MultiLevel
	}
	if l.Event != "" {
		if d.RequestSentOn.IsZero() || d.Date.Before(d.RequestSentOn) {
			return nil, nil
		}
		from = d.RequestSentOn
		o.At = map[string]vigie.Date{l.Event: d.Date}
		if !d.RefusalOn.IsZero() && l.Procedure == "cada-request" && !d.RefusalOn.Before(from) {
			o.At["refusal"] = d.RefusalOn
		}
	}
	return deadline.Compute(l.Procedure, from, o)
}

// deadlineCSE is the procedure of the CSE consultation (PROC-A).
const deadlineCSE = "cse-consultation"

// cseBodies are the bodies whose consultation the CSE letters are about.
var cseBodies = []string{"cse", "cse_central"}

// BodyProcedures gives the deadline chain of the consultation of each staff
// body that has one. The bodies of the public service other than the F3SCT
// have no recorded delay and no deemed opinion: no chain.
var BodyProcedures = map[string]string{"cse": deadlineCSE, "cse_central": deadlineCSE, "f3sct": "f3sct-opinion"}

// ConsultationChain returns the consultation of the first of bodies that
// sys describes, and where its deadline chain starts: on the employer's
// transmission of the information (R2312-5), never on a letter of the
// representatives, with an expert when one was appointed, and the longest
// delay only for a consultation at both levels with an expertise (R2312-6).
// ok is false when the transmission date is not recorded.
func ConsultationChain(sys *vigie.System, bodies []string) (c law.Consultation, from vigie.Date, o deadline.Options, ok bool) {
	if sys == nil {
		return law.Consultation{}, vigie.Date{}, o, false
	}
	c = law.MustLoad().NewEnv(sys).Consultation(bodies)
	if !c.Found || c.ReceivedOn.IsZero() {
		return c, vigie.Date{}, o, false
	}
	o.Expert = c.Expert.True()
	o.MultiLevel = c.Expert.True() && c.Levels == "both"
	return c, c.ReceivedOn, o, true
}

// noTransmissionNote says why a consultation letter shows no deemed-opinion
// date.
func noTransmissionNote(l Letter, d Data, lang string) []string {
	if l.Procedure != deadlineCSE || l.Event != "" || d.Date.IsZero() {
		return nil
	}
	if _, _, _, ok := ConsultationChain(d.System, cseBodies); ok {
		return nil
	}
	return []string{tr(lang,
		"Aucune date d'avis réputé rendu n'est calculée : le délai de consultation court de la transmission des informations par l'employeur (R2312-5), dont la date n'est pas encore enregistrée ; il ne court jamais de cette lettre.",
		"No deemed-opinion date is computed: the consultation delay runs from the employer's transmission of the information (R2312-5), whose date is not recorded yet; it never runs from this letter.")}
}

// deadlineNotes puts the chain into words for the sender's notes: the
// deadlines, and the steps with no legal delay that open after the letter's
// date, with their basis and warnings.
func deadlineNotes(l Letter, d Data, steps []deadline.Step, lang string) []string {
	var out []string
	for _, s := range steps {
		when := LongDate(s.Due, lang)
		switch {
		case s.Kind == deadline.KindDeadline:
		case s.Kind == deadline.KindFrom && s.Due.After(d.Date):
			when = tr(lang, "à partir du ", "from ") + when
		default:
			continue
		}
		line := fmt.Sprintf("%s — %s (%s)", when, s.Label.In(lang), s.Basis.In(lang))
		if s.Confidence == deadline.Unverified {
			line += tr(lang, " — fondement non vérifié", " — unverified basis")
		}
		if s.Assumed {
			line += tr(lang, " — date supposée", " — assumed date")
		}
		if len(s.NonWorking) > 0 {
			var why []string
			for _, w := range s.NonWorking {
				why = append(why, w.In(lang))
			}
			line += tr(lang, " — tombe un jour non ouvré (", " — falls on a non-working day (") + strings.Join(why, ", ") + tr(lang, ") : date non déplacée", "): date not moved")
		}
		out = append(out, line)
	}
	if len(out) == 0 {
		return nil
	}
	head := tr(lang, "Échéances si la lettre est envoyée le ", "Deadlines if the letter is sent on ") + LongDate(d.Date, lang) +
		tr(lang, " (à recalculer avec la date d'envoi réelle) :", " (to recompute with the actual date of sending):")
	return append([]string{head}, out...)
}

// Proposal returns the letter to propose on date today for a letter l whose
// chain is steps (see Deadlines): l.Next, once the step l.NextAfter has
// expired (its date is before today), with that step. It is what a tracking
// board shows when an answer is overdue.
func Proposal(l Letter, steps []deadline.Step, today vigie.Date) (Letter, deadline.Step, bool) {
	if l.Next == "" {
		return Letter{}, deadline.Step{}, false
	}
	for _, s := range steps {
		if s.ID != l.NextAfter || !s.Due.Before(today) {
			continue
		}
		next, ok := Lookup(l.Next)
		if !ok {
			return Letter{}, deadline.Step{}, false
		}
		return next, s, true
	}
	return Letter{}, deadline.Step{}, false
}
