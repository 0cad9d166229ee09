package assess

import (
	"fmt"
	"io"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

var labels = map[string][2]string{
	"tier." + TierProhibited:        {"interdit", "prohibited"},
	"tier." + TierHigh:              {"à haut risque", "high-risk"},
	"tier." + TierTransparency:      {"soumis à des obligations de transparence", "subject to transparency obligations"},
	"tier." + TierMinimal:           {"à risque minimal", "minimal-risk"},
	"status." + StatusMet:           {"respectée", "met"},
	"status." + StatusUnmet:         {"non respectée", "not met"},
	"status." + StatusUnknown:       {"inconnue", "unknown"},
	"status." + StatusUpcoming:      {"à venir", "upcoming"},
	"status." + StatusInProgress:    {"en cours", "in progress"},
	"status." + StatusNotApplicable: {"non applicable", "not applicable"},
	"priority." + High:              {"élevée", "high"},
	"priority." + Medium:            {"moyenne", "medium"},
	"priority." + Low:               {"faible", "low"},
	"confidence." + law.Verified:    {"vérifié", "verified"},
	"confidence." + law.Secondary:   {"sources secondaires", "secondary sources"},
	"confidence." + law.Unverified:  {"non vérifié", "unverified"},
	"date." + law.InForce:           {"en vigueur", "in force"},
	"date." + law.FromUnknown:       {"date inconnue", "date unknown"},
	"unverified_mark":               {"⚠ NON VÉRIFIÉ", "⚠ UNVERIFIED"},
}

// Label returns the French or English word for a key of the form
// "tier.high", "status.unmet", "priority.high", "confidence.secondary" or
// "date.in_force".
func Label(l law.Lang, key string) string {
	v, ok := labels[key]
	if !ok {
		return key
	}
	if l == law.EN {
		return v[1]
	}
	return v[0]
}

// LongDate writes a YYYY-MM-DD date as "26 novembre 2026" or
// "26 November 2026"; other values (in_force…) become their label.
func LongDate(l law.Lang, s string) string {
	d, err := vigie.ParseDate(s)
	if err != nil {
		return Label(l, "date."+s)
	}
	return d.Words(string(l))
}

// Unverified reports whether the assessment relies on rule id while that
// rule is unverified.
func (a *Assessment) Unverified(id string) bool {
	for _, w := range a.Warnings {
		if w.Rule == id {
			return true
		}
	}
	return false
}

// ObligationsWith returns the obligations with the given status.
func (a *Assessment) ObligationsWith(status string) []Obligation {
	var out []Obligation
	for _, o := range a.Obligations {
		if o.Status == status {
			out = append(out, o)
		}
	}
	return out
}

// RisksWith returns the risks with the given priority.
func (a *Assessment) RisksWith(priority string) []Risk {
	var out []Risk
	for _, r := range a.Risks {
		if r.Priority == priority {
			out = append(out, r)
		}
	}
	return out
}

// RenderText writes the assessment as a short note that a representative
// could read aloud in a meeting, in French or English.
func RenderText(w io.Writer, a *Assessment, l law.Lang) error {
	var b strings.Builder
	t := func(fr, en string) string { return pick(l, fr, en) }
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	mark := func(id string) string {
		if a.Unverified(id) {
			return " [" + Label(l, "unverified_mark") + "]"
		}
		return ""
	}

	p("%s « %s »\n", t("Évaluation de", "Assessment of"), a.System)
	p("%s %s.\n\n", t("Situation au", "As of"), LongDate(l, a.Date))

	// AI Act.
	p("%s\n", t("RÈGLEMENT EUROPÉEN SUR L'IA", "EU AI ACT"))
	known := ""
	for _, g := range a.AIAct.Undetermined {
		if r := law.MustLoad().Rule(g.Rule); r != nil && tierOf(r) > TierRank(a.AIAct.Tier) {
			known = t(" en l'état des faits connus", " on the facts known so far")
		}
	}
	p("%s %s%s.\n", t("Le système est", "The system is"), strings.ToUpper(Label(l, "tier."+a.AIAct.Tier)), known)
	for _, g := range a.AIAct.Grounds {
		when := t("s'applique depuis le ", "applies since ")
		if !g.InForce {
			when = t("s'appliquera à partir du ", "will apply from ")
		}
		p("  - %s %s (%s) : %s\n", t("Art.", "Art."), g.Article, g.Rule, g.TextIn(l))
		p("    %s%s ; %s%s.\n", when, LongDate(l, g.AppliesFrom), Label(l, "confidence."+g.Confidence), mark(g.Rule))
	}
	if len(a.AIAct.AnnexIII) > 0 {
		p("  %s %s.\n", t("Points de l'annexe III :", "Annex III points:"), strings.Join(a.AIAct.AnnexIII, ", "))
	}
	if len(a.AIAct.Undetermined) > 0 {
		p("  %s\n", t("Pourrait aussi relever, selon des faits encore inconnus, de :", "Could also fall under, depending on facts still unknown:"))
		for _, g := range a.AIAct.Undetermined {
			p("  - %s %s (%s) — %s %s\n", t("art.", "Art."), g.Article, g.Rule, t("faits à établir :", "facts to establish:"), strings.Join(g.Facts, ", "))
		}
	}
	for _, n := range a.Notes {
		if strings.HasPrefix(n.Rule, "AIA-") {
			p("  %s (%s) : %s%s\n", pick(l, n.Title, n.TitleEN), n.Rule, pick(l, n.Text, n.TextEN), mark(n.Rule))
		}
	}
	p("\n")

	// Obligations by status.
	groups := []struct {
		status, fr, en string
	}{
		{StatusUnmet, "CE QUE L'EMPLOYEUR DEVAIT FAIRE ET N'A PAS FAIT", "WHAT THE EMPLOYER OWED AND DID NOT DO"},
		{StatusUnknown, "CE QUE NOUS NE SAVONS PAS ENCORE", "WHAT WE DO NOT KNOW YET"},
		{StatusInProgress, "CONSULTATIONS EN COURS", "CONSULTATIONS IN PROGRESS"},
		{StatusUpcoming, "CE QUI S'APPLIQUERA BIENTÔT", "WHAT WILL APPLY SOON"},
		{StatusNotApplicable, "CE QUE LE RÈGLEMENT ÉPARGNE ENCORE", "WHAT THE REGULATION STILL SPARES"},
		{StatusMet, "CE QUI A ÉTÉ FAIT", "WHAT WAS DONE"},
	}
	said := map[string]string{}
	for _, g := range groups {
		os := a.ObligationsWith(g.status)
		if len(os) == 0 {
			continue
		}
		p("%s (%d)\n", t(g.fr, g.en), len(os))
		for _, o := range os {
			p("  - %s (%s ; %s).", o.TitleIn(l), o.ID, o.BasisIn(l))
			if o.Status == StatusUpcoming {
				p(" %s %s.", t("À partir du", "From"), LongDate(l, o.AppliesFrom))
				if n := pick(l, o.AppliesFromNote, o.AppliesFromNoteEN); n != "" {
					if prev, ok := said[n]; ok {
						p(" %s", fmt.Sprintf(t("(voir %s pour la date)", "(see %s on the date)"), prev))
					} else {
						said[n] = o.ID
						p(" %s", n)
					}
				}
			}
			if n := pick(l, o.Note, o.NoteEN); n != "" {
				p(" %s", n)
			}
			if o.Applies == StatusUnknown {
				p(" %s", t("(si les faits à établir le confirment)", "(if the facts still to establish confirm it)"))
			}
			p("%s\n", mark(o.ID))
			if o.Status != StatusMet && o.Status != StatusNotApplicable {
				p("    %s %s\n", t("Nous pouvons exiger :", "We can demand:"), o.DemandIn(l))
			}
			if len(o.Because) > 0 {
				p("    %s %s\n", t("Sur la base de :", "Based on:"), strings.Join(o.Because, ", "))
			}
		}
		p("\n")
	}

	// Questions.
	if len(a.Unknowns) > 0 {
		p("%s\n", t("QUESTIONS À POSER À L'EMPLOYEUR", "QUESTIONS FOR THE EMPLOYER"))
		for i, u := range a.Unknowns {
			p("  %d. %s", i+1, u.QuestionIn(l))
			var about []string
			about = append(about, u.Affects...)
			about = append(about, u.Dimensions...)
			if len(about) > 0 {
				p(" (%s %s)", t("concerne", "affects"), strings.Join(about, ", "))
			}
			p("\n")
		}
		p("\n")
	}

	// Risks.
	p("%s\n", t("RISQUES POUR LE TRAVAIL", "RISKS TO WORK"))
	for _, pr := range []string{High, Medium} {
		for _, r := range a.RisksWith(pr) {
			p("  - %s : %s %s (%s %d/4, %s %d/4)", r.LabelIn(l), t("priorité", "priority"), Label(l, "priority."+r.Priority),
				t("gravité", "severity"), r.Severity, t("fréquence", "frequency"), r.Frequency)
			if len(r.Evidence) > 0 {
				p(" — %s %s", t("constats :", "evidence:"), strings.Join(r.Evidence, ", "))
			}
			if !r.Complete {
				p(" — %s", t("observation manquante", "observation missing"))
			}
			p("\n")
		}
	}
	var low []string
	for _, r := range a.RisksWith(Low) {
		low = append(low, r.LabelIn(l))
	}
	if len(low) > 0 {
		p("  %s %s.\n", t("Priorité faible :", "Low priority:"), strings.Join(low, ", "))
	}
	p("  %s %s.\n\n", t("Méthode :", "Method:"), a.RiskMethod)

	// DUERP, grouped by risk.
	if len(a.DUERP) > 0 {
		p("%s (%d)\n", t("LIGNES À INSCRIRE AU DUERP", "LINES FOR THE DUERP"), len(a.DUERP))
		seen := map[string]bool{}
		for _, d := range a.DUERP {
			if seen[d.Dimension] {
				continue
			}
			seen[d.Dimension] = true
			var units []string
			for _, e := range a.DUERP {
				if e.Dimension == d.Dimension {
					units = append(units, e.Unit)
				}
			}
			p("  - %s : %s (%s %s) — %s %s.\n", pick(l, d.Hazard, d.HazardEN), lowerFirst(pick(l, d.Risk, d.RiskEN)),
				t("priorité", "priority"), Label(l, "priority."+d.Priority), t("unités :", "units:"), strings.Join(units, " ; "))
			p("    %s %s. %s %s.\n", t("Mesures existantes :", "Existing measures:"), pick(l, d.ExistingMeasures, d.ExistingMeasuresEN),
				t("À mettre en place :", "To put in place:"), pick(l, d.ProposedMeasures, d.ProposedMeasuresEN))
		}
		p("\n")
	}

	// Other notes.
	var others []Note
	for _, n := range a.Notes {
		if !strings.HasPrefix(n.Rule, "AIA-") {
			others = append(others, n)
		}
	}
	if len(others) > 0 {
		p("%s\n", t("À SAVOIR", "GOOD TO KNOW"))
		for _, n := range others {
			p("  - %s (%s) : %s%s\n", pick(l, n.Title, n.TitleEN), n.Rule, pick(l, n.Text, n.TextEN), mark(n.Rule))
		}
		p("\n")
	}

	// Rights.
	if len(a.Rights) > 0 {
		p("%s\n", t("LEVIERS À NOTRE DISPOSITION", "LEVERS AVAILABLE TO US"))
		for _, r := range a.Rights {
			lawyer := ""
			if r.Act == law.ActLawyer {
				lawyer = t(" (étape pour l'avocat)", " (a step for the lawyer)")
			}
			p("  - %s (%s)%s : %s%s\n", pick(l, r.Title, r.TitleEN), r.ID, lawyer, pick(l, r.Demand, r.DemandEN), mark(r.ID))
		}
		p("\n")
	}

	if len(a.Warnings) > 0 {
		p("%s\n", t("AVERTISSEMENTS", "WARNINGS"))
		for _, wn := range a.Warnings {
			p("  ⚠ %s [%s]\n", pick(l, wn.Text, wn.TextEN), wn.Rule)
		}
		p("\n")
	}
	p("%s\n", t("Cette note applique les règles de vigie (base juridique, date et degré de certitude de chaque règle) aux faits déclarés ; un fait inconnu n'est jamais tenu pour acquis.",
		"This note applies vigie's rules (each with its legal basis, date and confidence) to the recorded facts; an unknown fact is never taken as settled."))
	_, err := io.WriteString(w, b.String())
	return err
}

// tierOf returns the rank of the tier a rule's ground leads to.
func tierOf(r *law.Rule) int {
	switch r.Kind {
	case law.KindProhibition:
		return TierRank(TierProhibited)
	case law.KindClassification:
		return TierRank(TierHigh)
	}
	return TierRank(TierTransparency)
}
