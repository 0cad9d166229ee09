package assess

import (
	"fmt"
	"slices"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

// Kinds of change between two assessments.
const (
	ChangeTier       = "tier"
	ChangeGround     = "ground"
	ChangeAnnexIII   = "annex_iii"
	ChangeObligation = "obligation"
	ChangeRisk       = "risk"
	ChangeQuestion   = "question"
)

// Change is one difference between two assessments of a system: the tier,
// a ground, an Annex III point, the status of an obligation, the priority of
// a risk, or a question that appeared or was answered. From or To is empty
// when the item appeared or disappeared.
type Change struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	From   string `json:"from"`
	To     string `json:"to"`
	Text   string `json:"text"`
	TextEN string `json:"text_en"`
	// Because lists the facts the new result rests on (or the old one,
	// when the item disappeared).
	Because []string `json:"because"`
}

// TextIn returns the change in words, in l.
func (c Change) TextIn(l law.Lang) string { return pick(l, c.Text, c.TextEN) }

// Diff describes what changed from old to new, for the history of a
// system's assessments: tier, grounds, Annex III points, obligation
// statuses, risk priorities and open questions, in that order. Two
// assessments with the same result give no change, whatever their dates.
func Diff(old, new *Assessment) []Change {
	out := []Change{}
	add := func(kind, id, from, to, fr, en string, because []string) {
		out = append(out, Change{Kind: kind, ID: id, From: from, To: to, Text: fr, TextEN: en, Because: nonNil(because)})
	}
	if old.AIAct.Tier != new.AIAct.Tier {
		var why []string
		for _, g := range new.AIAct.Grounds {
			why = union(why, g.Facts)
		}
		add(ChangeTier, "tier", old.AIAct.Tier, new.AIAct.Tier,
			fmt.Sprintf("Le niveau passe de « %s » à « %s ».", Label(law.FR, "tier."+old.AIAct.Tier), Label(law.FR, "tier."+new.AIAct.Tier)),
			fmt.Sprintf("The tier changes from %s to %s.", Label(law.EN, "tier."+old.AIAct.Tier), Label(law.EN, "tier."+new.AIAct.Tier)), why)
	}
	// Grounds, keyed by rule and article.
	key := func(g Ground) string { return g.Rule + " " + g.Article }
	state := func(g Ground) string {
		if g.InForce {
			return "in_force"
		}
		return "not_in_force"
	}
	oldG := map[string]Ground{}
	for _, g := range old.AIAct.Grounds {
		oldG[key(g)] = g
	}
	newG := map[string]Ground{}
	for _, g := range new.AIAct.Grounds {
		newG[key(g)] = g
		o, ok := oldG[key(g)]
		switch {
		case !ok:
			add(ChangeGround, key(g), "", state(g), "Nouveau motif : art. "+g.Article+" ("+g.Rule+").", "New ground: Art. "+g.Article+" ("+g.Rule+").", g.Facts)
		case o.InForce != g.InForce:
			add(ChangeGround, key(g), state(o), state(g), "L'art. "+g.Article+" ("+g.Rule+") s'applique désormais.", "Art. "+g.Article+" ("+g.Rule+") now applies.", g.Facts)
		}
	}
	for _, g := range old.AIAct.Grounds {
		if _, ok := newG[key(g)]; !ok {
			add(ChangeGround, key(g), state(g), "", "Motif disparu : art. "+g.Article+" ("+g.Rule+").", "Ground gone: Art. "+g.Article+" ("+g.Rule+").", g.Facts)
		}
	}
	for _, p := range new.AIAct.AnnexIII {
		if !slices.Contains(old.AIAct.AnnexIII, p) {
			add(ChangeAnnexIII, p, "", "matched", "Point de l'annexe III désormais retenu : "+p+".", "Annex III point now matched: "+p+".", nil)
		}
	}
	for _, p := range old.AIAct.AnnexIII {
		if !slices.Contains(new.AIAct.AnnexIII, p) {
			add(ChangeAnnexIII, p, "matched", "", "Point de l'annexe III plus retenu : "+p+".", "Annex III point no longer matched: "+p+".", nil)
		}
	}
	// Obligations.
	for _, o := range new.Obligations {
		prev, ok := old.Obligation(o.ID)
		switch {
		case !ok:
			add(ChangeObligation, o.ID, "", o.Status,
				fmt.Sprintf("%s (%s) s'applique désormais : %s.", o.Title, o.ID, Label(law.FR, "status."+o.Status)),
				fmt.Sprintf("%s (%s) now applies: %s.", o.TitleEN, o.ID, Label(law.EN, "status."+o.Status)), o.Because)
		case prev.Status != o.Status:
			add(ChangeObligation, o.ID, prev.Status, o.Status,
				fmt.Sprintf("%s (%s) : %s → %s.", o.Title, o.ID, Label(law.FR, "status."+prev.Status), Label(law.FR, "status."+o.Status)),
				fmt.Sprintf("%s (%s): %s → %s.", o.TitleEN, o.ID, Label(law.EN, "status."+prev.Status), Label(law.EN, "status."+o.Status)), o.Because)
		}
	}
	for _, o := range old.Obligations {
		if _, ok := new.Obligation(o.ID); !ok {
			add(ChangeObligation, o.ID, o.Status, "",
				fmt.Sprintf("%s (%s) ne s'applique plus.", o.Title, o.ID),
				fmt.Sprintf("%s (%s) no longer applies.", o.TitleEN, o.ID), o.Because)
		}
	}
	// Risks.
	for _, r := range new.Risks {
		prev, ok := old.Risk(r.Dimension)
		if ok && prev.Priority != r.Priority {
			add(ChangeRisk, r.Dimension, prev.Priority, r.Priority,
				fmt.Sprintf("Risque « %s » : priorité %s → %s.", r.Label, Label(law.FR, "priority."+prev.Priority), Label(law.FR, "priority."+r.Priority)),
				fmt.Sprintf("Risk '%s': priority %s → %s.", r.LabelEN, Label(law.EN, "priority."+prev.Priority), Label(law.EN, "priority."+r.Priority)), r.Evidence)
		}
	}
	// Questions.
	qkey := func(u Unknown) string {
		if u.Fact == "" && len(u.Affects) > 0 {
			return "rule:" + u.Affects[0]
		}
		return u.Fact
	}
	had := func(a *Assessment, k string) bool {
		return slices.ContainsFunc(a.Unknowns, func(u Unknown) bool { return qkey(u) == k })
	}
	for _, u := range new.Unknowns {
		if !had(old, qkey(u)) {
			add(ChangeQuestion, u.Fact, "", "open", "Nouvelle question : "+u.Question, "New question: "+u.QuestionEN, []string{u.Fact})
		}
	}
	for _, u := range old.Unknowns {
		if !had(new, qkey(u)) {
			add(ChangeQuestion, u.Fact, "open", "", "Question résolue : "+u.Question, "Question answered: "+u.QuestionEN, []string{u.Fact})
		}
	}
	return out
}

// ChangedFacts returns the paths of the facts whose value differs between
// two versions of a system, in file order: the "why" of a new assessment
// version.
func ChangedFacts(old, new *vigie.System) []string {
	a, b := old.Facts(), new.Facts()
	out := []string{}
	for _, p := range vigie.AllFactPaths() {
		if a[p] != b[p] {
			out = append(out, p)
		}
	}
	return out
}
