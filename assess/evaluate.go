package assess

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

// ruleProfilingOverride is the rule the 6(2) grounds cite about the
// Art. 6(3) derogation. Every rule id the package names is listed in
// RuleIDsUsed and checked by the tests.
const ruleProfilingOverride = "AIA-6-3"

// ruleIDRe matches a rule id in a text.
var ruleIDRe = regexp.MustCompile(`\b(?:AIA|CT|FP|CRPA|GDPR|LIL|CNIL)-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*`)

// RuleIDsUsed returns the rule ids that the assess package names in its
// code and data (risk formula, question table), so that a test can check
// that each exists in the knowledge base.
func RuleIDsUsed() []string {
	ids := []string{ruleProfilingOverride}
	for _, d := range mustFormula().Dimensions {
		ids = append(ids, d.Rules...)
	}
	for _, q := range mustQuestions() {
		ids = append(ids, q.Rules...)
	}
	// Ids named in the texts of the formula and of the question table.
	ids = append(ids, ruleIDRe.FindAllString(string(riskYAML), -1)...)
	ids = append(ids, ruleIDRe.FindAllString(string(questionsYAML), -1)...)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Evaluate assesses sys as of date with the embedded knowledge base and
// risk formula. It reads no clock and no file: the same arguments always
// give the same result.
func Evaluate(sys *vigie.System, date vigie.Date) *Assessment {
	return evaluate(law.MustLoad(), mustFormula(), sys, date)
}

type unknownAcc struct {
	rules []string
	dims  []string
}

type evaluator struct {
	b     *law.Base
	env   *law.Env
	sys   *vigie.System
	date  vigie.Date
	facts map[string]string
	unk   map[string]*unknownAcc
	warn  []string
	a     *Assessment
}

var constTrue = func() *law.Cond { t := true; return &law.Cond{Const: &t} }()

func evaluate(b *law.Base, f *Formula, sys *vigie.System, date vigie.Date) *Assessment {
	e := &evaluator{
		b: b, env: b.NewEnvOn(sys, date), sys: sys, date: date,
		facts: sys.Facts(), unk: map[string]*unknownAcc{},
	}
	e.a = &Assessment{
		Schema: Schema, Date: date.String(), System: sys.Name,
		AIAct:       AIAct{Grounds: []Ground{}, AnnexIII: []string{}, Undetermined: []Ground{}},
		Obligations: []Obligation{}, Rights: []Right{}, Notes: []Note{}, Unknowns: []Unknown{},
		Risks: []Risk{}, DUERP: []DUERPLine{}, Warnings: []Warning{},
	}
	e.classify()
	for _, r := range b.Rules() {
		switch r.Kind {
		case law.KindObligation, law.KindProhibition:
			e.obligation(r)
		case law.KindRight:
			e.right(r)
		case law.KindInfo, law.KindClassification:
			e.note(r)
		}
	}
	e.a.Risks, e.a.RiskMethod = f.score(e)
	e.a.DUERP = f.duerp(e, e.a.Risks)
	e.unknowns()
	for _, id := range e.warn {
		r := b.Rule(id)
		e.a.Warnings = append(e.a.Warnings, Warning{
			Rule:   id,
			Text:   "Règle non vérifiée, « " + r.Title.FR + " » : une seule source, une interprétation ou une date non confirmée ; à vérifier avant de s'en prévaloir.",
			TextEN: "Unverified rule, “" + r.Title.EN + "”: one source, an interpretation or an unconfirmed date; check it before relying on it.",
		})
	}
	return e.a
}

// inForce reports whether a rule dated from applies on the date.
func (e *evaluator) inForce(from string) bool {
	switch from {
	case law.InForce:
		return true
	case law.FromUnknown, "":
		return false
	}
	return !e.date.Before(vigie.MustDate(from))
}

// addUnknown records the unknown facts among why as questions affecting
// rule (or dimension, when rule is "").
func (e *evaluator) addUnknown(why []string, rule, dim string) {
	for _, f := range why {
		if e.facts[f] != vigie.Unknown {
			continue
		}
		acc := e.unk[f]
		if acc == nil {
			acc = &unknownAcc{}
			e.unk[f] = acc
		}
		if rule != "" && !slices.Contains(acc.rules, rule) {
			acc.rules = append(acc.rules, rule)
		}
		if dim != "" && !slices.Contains(acc.dims, dim) {
			acc.dims = append(acc.dims, dim)
		}
	}
}

func (e *evaluator) uses(r *law.Rule, confidences ...string) {
	if law.Lowest(append(confidences, r.Confidence)...) == law.Unverified && !slices.Contains(e.warn, r.ID) {
		e.warn = append(e.warn, r.ID)
	}
}

// classify follows the reference decision tree: prohibited practices, then
// the Annex III points (the Art. 6(3) derogation is never presumed; profiling
// excludes it anyway), then Art. 50. The tier is the most severe matched.
func (e *evaluator) classify() {
	ai := &e.a.AIAct
	var prohibited, high, transparency bool
	// 1. Prohibited practices.
	for _, r := range e.b.Rules() {
		if r.Kind != law.KindProhibition {
			continue
		}
		t := e.env.Trigger(r)
		g := Ground{Article: r.Article, Rule: r.ID, AppliesFrom: r.From, InForce: e.inForce(r.From),
			Confidence: r.Confidence, Facts: t.Why,
			Text:   r.Title.FR + " : " + lowerFirst(r.Trigger.FR),
			TextEN: r.Title.EN + ": " + lowerFirst(r.Trigger.EN)}
		switch t.V {
		case vigie.TriTrue:
			prohibited = true
			ai.Grounds = append(ai.Grounds, g)
			e.uses(r)
		case vigie.TriUnknown:
			ai.Undetermined = append(ai.Undetermined, g)
			e.addUnknown(t.Why, r.ID, "")
		}
	}
	// 2. Annex III points.
	profiling := e.sys.Capabilities.Profiling
	for _, r := range e.b.Rules() {
		if r.Kind != law.KindClassification || len(r.Limbs) == 0 {
			continue
		}
		var matched, open []string
		var why, openWhy, confs []string
		var fr, en, openFR, openEN []string
		for _, l := range r.Limbs {
			res := e.env.Point(l.ID)
			switch res.V {
			case vigie.TriTrue:
				matched = append(matched, l.ID)
				confs = append(confs, l.Confidence)
				why = union(why, res.Why)
				fr, en = append(fr, l.Label.FR), append(en, l.Label.EN)
			case vigie.TriUnknown:
				open = append(open, l.ID)
				openWhy = union(openWhy, res.Why)
				openFR, openEN = append(openFR, l.Label.FR), append(openEN, l.Label.EN)
				e.addUnknown(res.Why, r.ID, "")
			}
		}
		if len(matched) > 0 {
			high = true
			ai.AnnexIII = append(ai.AnnexIII, matched...)
			derogFR := "La dérogation de l'art. 6(3) n'est jamais présumée : c'est au fournisseur de la documenter (" + ruleProfilingOverride + ")."
			derogEN := "The Art. 6(3) derogation is never presumed: it is for the provider to document it (" + ruleProfilingOverride + ")."
			if profiling.True() {
				derogFR = "Le système profile des personnes : la dérogation de l'art. 6(3) est exclue (" + ruleProfilingOverride + ")."
				derogEN = "The system profiles persons: the Art. 6(3) derogation is excluded (" + ruleProfilingOverride + ")."
				why = union(why, []string{"capabilities.profiling"})
			}
			ai.Grounds = append(ai.Grounds, Ground{Article: "6(2)", Rule: r.ID, Points: matched,
				AppliesFrom: r.From, InForce: e.inForce(r.From), Confidence: law.Lowest(append(confs, r.Confidence)...), Facts: why,
				Text:   "Haut risque (art. 6(2)) : " + strings.Join(fr, " ; ") + ". " + derogFR,
				TextEN: "High risk (Art. 6(2)): " + strings.Join(en, "; ") + ". " + derogEN})
			e.uses(r, confs...)
			e.uses(e.b.Rule(ruleProfilingOverride))
		}
		if len(open) > 0 {
			ai.Undetermined = append(ai.Undetermined, Ground{Article: "6(2)", Rule: r.ID, Points: open,
				AppliesFrom: r.From, InForce: e.inForce(r.From), Confidence: r.Confidence, Facts: openWhy,
				Text:   "Haut risque possible (art. 6(2)) : " + strings.Join(openFR, " ; ") + ".",
				TextEN: "Possibly high risk (Art. 6(2)): " + strings.Join(openEN, "; ") + "."})
		}
	}
	slices.Sort(ai.AnnexIII)
	// 3. Transparency (Art. 50): limbs of AI Act obligations that name an article.
	for _, r := range e.b.Rules() {
		if r.Family != "aia" || r.Kind != law.KindObligation {
			continue
		}
		for i := range r.Limbs {
			l := &r.Limbs[i]
			if l.Article == "" {
				continue
			}
			res := e.env.Eval(l.When)
			from := e.limbFrom(r, l)
			g := Ground{Article: l.Article, Rule: r.ID, AppliesFrom: from, InForce: e.inForce(from),
				Confidence: law.Lowest(r.Confidence, l.Confidence), Facts: res.Why,
				Text:   "Transparence (art. " + l.Article + ") : " + lowerFirst(strings.TrimPrefix(l.Label.FR, l.Article+" : ")) + ".",
				TextEN: "Transparency (Art. " + l.Article + "): " + lowerFirst(strings.TrimPrefix(l.Label.EN, l.Article+": ")) + "."}
			if l.Later != nil && from == l.Later.From {
				g.Text += " " + l.Later.Note.FR
				g.TextEN += " " + l.Later.Note.EN
			}
			switch res.V {
			case vigie.TriTrue:
				transparency = true
				ai.Grounds = append(ai.Grounds, g)
				e.uses(r, l.Confidence)
			case vigie.TriUnknown:
				ai.Undetermined = append(ai.Undetermined, g)
				e.addUnknown(res.Why, r.ID, "")
			}
		}
	}
	switch {
	case prohibited:
		ai.Tier = TierProhibited
	case high:
		ai.Tier = TierHigh
	case transparency:
		ai.Tier = TierTransparency
	default:
		ai.Tier = TierMinimal
	}
}

// limbFrom returns the date a limb applies from: its own date or the
// rule's, or the later date unless the later condition is known to be false.
func (e *evaluator) limbFrom(r *law.Rule, l *law.Limb) string {
	from := r.From
	if l.From != "" {
		from = l.From
	}
	if l.Later != nil && e.env.Eval(l.Later.Unless).V != vigie.TriTrue {
		from = l.Later.From
	}
	return from
}

// obligation computes the status of an obligation or prohibition.
func (e *evaluator) obligation(r *law.Rule) {
	trig := e.env.Trigger(r)
	if trig.V == vigie.TriFalse {
		return
	}
	o := Obligation{
		ID: r.ID, Title: r.Title.FR, TitleEN: r.Title.EN, Basis: r.Basis.FR, BasisEN: r.Basis.EN,
		Binds: r.Binds, BindsText: r.BindsText.FR, BindsTextEN: r.BindsText.EN,
		Applies: "yes", AppliesFrom: r.From, AppliesFromNote: r.FromNote.FR, AppliesFromNoteEN: r.FromNote.EN,
		Confidence: r.Confidence, ConfidenceDetail: r.ConfidenceDetail,
		Obligation: r.Obligation.FR, ObligationEN: r.Obligation.EN, Demand: r.Demand.FR, DemandEN: r.Demand.EN,
		Deadline: r.Deadline.Text.FR, DeadlineEN: r.Deadline.Text.EN, Procedure: r.Deadline.Procedure,
		Sources: e.b.Citations(r), CaseLaw: e.b.CaseLaw(r, law.FR), CaseLawEN: e.b.CaseLaw(r, law.EN),
	}
	if trig.V == vigie.TriUnknown {
		o.Applies = StatusUnknown
		e.addUnknown(trig.Why, r.ID, "")
	}
	var parts []*law.Cond
	inForce := false
	earliest := ""
	later := func(d string) {
		if earliest == "" || vigie.MustDate(d).Before(vigie.MustDate(earliest)) {
			earliest = d
		}
	}
	var confs []string
	if len(r.Limbs) > 0 {
		binding := false
		for i := range r.Limbs {
			l := &r.Limbs[i]
			lt := e.env.Eval(l.When)
			if lt.V == vigie.TriFalse {
				continue
			}
			from := e.limbFrom(r, l)
			ls := LimbStatus{ID: l.ID, Label: l.Label.FR, LabelEN: l.Label.EN, Applies: "yes",
				AppliesFrom: from, InForce: e.inForce(from), Binding: true}
			if lt.V == vigie.TriUnknown {
				ls.Applies = StatusUnknown
			}
			if l.Binding != nil {
				bres := e.env.Eval(l.Binding)
				ls.Binding = bres.V != vigie.TriFalse
				if bres.V == vigie.TriUnknown {
					e.addUnknown(bres.Why, r.ID, "")
				}
			}
			o.Limbs = append(o.Limbs, ls)
			if !ls.Binding {
				continue
			}
			binding = true
			confs = append(confs, l.Confidence)
			if !ls.InForce {
				later(from)
				continue
			}
			inForce = true
			met := l.Met
			if met == nil {
				met = &law.Cond{Check: "no_fact"}
			}
			part := &law.Cond{If: &law.IfCond{Cond: l.When, Then: met, Else: constTrue}}
			if l.Binding != nil {
				part = &law.Cond{If: &law.IfCond{Cond: l.Binding, Then: part, Else: constTrue}}
			}
			parts = append(parts, part)
		}
		if !binding {
			// Every part that applies binds someone else (the provider of
			// a bought system): the grounds show it, the employer owes nothing.
			return
		}
	}
	if r.Met != nil || len(r.Limbs) == 0 {
		if e.inForce(r.From) {
			inForce = true
			met := r.Met
			if met == nil {
				met = &law.Cond{Check: "no_fact"}
			}
			parts = append(parts, met)
		} else if r.From != law.FromUnknown {
			later(r.From)
		}
	}
	e.uses(r, confs...)
	if t := e.b.SparedBy(r.ID); t != nil {
		if done := e.transitional(t, r, &o, trig); done {
			return
		}
	}
	if !inForce {
		o.Status = StatusUpcoming
		o.AppliesFrom = earliest
		o.Because = nonNil(trig.Why)
		e.a.Obligations = append(e.a.Obligations, o)
		return
	}
	res := e.env.Eval(&law.Cond{All: parts})
	switch res.V {
	case vigie.TriTrue:
		o.Status = StatusMet
	case vigie.TriFalse:
		o.Status = StatusUnmet
	default:
		o.Status = StatusUnknown
		e.addUnknown(res.Why, r.ID, "")
	}
	o.Because = union(res.Why, trig.Why)
	if trig.V == vigie.TriUnknown && o.Status == StatusUnmet {
		// It is unmet only if it applies, and that is not known.
		o.Status = StatusUnknown
	}
	if o.Status == StatusUnmet || o.Status == StatusUnknown {
		// A consultation still running is neither a breach nor a question.
		conds := []*law.Cond{r.Met}
		for _, l := range r.Limbs {
			conds = append(conds, l.Met)
		}
		for _, c := range conds {
			if ok, why := e.env.InProgress(c); ok && c != nil {
				o.Status = StatusInProgress
				o.Because = union(why, trig.Why)
				break
			}
		}
	}
	if r.Due == "before_use" && o.Status == StatusUnmet {
		switch e.sys.Deployment.Status {
		case "pilot", "deployed", "retired":
		default:
			// Planned or unknown: nothing is due before first use.
			o.Status = StatusUnknown
			o.Because = union(o.Because, []string{"deployment.status"})
			e.addUnknown([]string{"deployment.status"}, r.ID, "")
		}
	}
	o.Because = nonNil(o.Because)
	e.a.Obligations = append(e.a.Obligations, o)
}

// transitional applies the transitional rule t (AI Act Art. 111(2)) to the
// obligation o of rule r: for a system already in service before the
// cut-off and not significantly changed since, a private deployer owes
// nothing (not_applicable) and a public authority owes it from t.Until
// (upcoming). It reports whether o was added with that status; a system
// whose first use is unknown makes the obligation unknown.
func (e *evaluator) transitional(t *law.Rule, r *law.Rule, o *Obligation, trig law.Result) bool {
	cutoff := vigie.MustDate(t.Cutoff)
	legacy := e.env.LegacySystem(cutoff)
	e.uses(t)
	switch legacy.V {
	case vigie.TriFalse:
		return false
	case vigie.TriUnknown:
		o.Status = StatusUnknown
		o.Because = union(legacy.Why, trig.Why)
		e.addUnknown(legacy.Why, r.ID, "")
		e.a.Obligations = append(e.a.Obligations, *o)
		return true
	}
	pub := e.env.Eval(t.Public)
	if pub.V == vigie.TriUnknown {
		e.addUnknown(pub.Why, r.ID, "")
	}
	if pub.V == vigie.TriTrue {
		until := vigie.MustDate(t.Until)
		if !e.date.Before(until) {
			return false // due now
		}
		o.Status, o.AppliesFrom = StatusUpcoming, t.Until
		o.Note, o.NoteEN = t.PublicNote.FR, t.PublicNote.EN
	} else {
		o.Status = StatusNotApplicable
		o.Note, o.NoteEN = t.Note.FR, t.Note.EN
	}
	o.Confidence = law.Lowest(o.Confidence, t.Confidence)
	o.Because = nonNil(union(legacy.Why, union(pub.Why, trig.Why)))
	e.a.Obligations = append(e.a.Obligations, *o)
	return true
}

func (e *evaluator) right(r *law.Rule) {
	trig := e.env.Trigger(r)
	if trig.V == vigie.TriFalse {
		return
	}
	rt := Right{ID: r.ID, Title: r.Title.FR, TitleEN: r.Title.EN, Basis: r.Basis.FR, BasisEN: r.Basis.EN,
		Applies: "yes", AppliesFrom: r.From, InForce: e.inForce(r.From), Confidence: r.Confidence,
		Text: r.Obligation.FR, TextEN: r.Obligation.EN, Demand: r.Demand.FR, DemandEN: r.Demand.EN,
		Deadline: r.Deadline.Text.FR, DeadlineEN: r.Deadline.Text.EN, Procedure: r.Deadline.Procedure,
		Because: nonNil(trig.Why), Sources: e.b.Citations(r), CaseLaw: e.b.CaseLaw(r, law.FR), CaseLawEN: e.b.CaseLaw(r, law.EN), Act: r.Act}
	if trig.V == vigie.TriUnknown {
		rt.Applies = StatusUnknown
		e.addUnknown(trig.Why, r.ID, "")
	}
	e.uses(r)
	e.a.Rights = append(e.a.Rights, rt)
}

// note adds an info rule, or a classification rule with its own trigger
// (a qualification such as the Art. 6(3) filter or Recital 59), when its
// trigger holds.
func (e *evaluator) note(r *law.Rule) {
	if r.When == nil {
		return
	}
	if e.env.Eval(r.When).V != vigie.TriTrue {
		return
	}
	e.uses(r)
	e.a.Notes = append(e.a.Notes, Note{Rule: r.ID, Title: r.Title.FR, TitleEN: r.Title.EN,
		Text: r.Obligation.FR, TextEN: r.Obligation.EN, Confidence: r.Confidence, Sources: e.b.Citations(r)})
}

// unknowns turns the collected facts into questions, in file order.
func (e *evaluator) unknowns() {
	qs := questionIndex()
	for _, f := range vigie.AllFactPaths() {
		acc := e.unk[f]
		if acc == nil {
			continue
		}
		sort.Strings(acc.rules)
		u := Unknown{Fact: f, Affects: nonNil(acc.rules), Dimensions: acc.dims,
			Question: f + " ?", QuestionEN: f + "?"}
		if q, ok := qs[f]; ok {
			u.Question, u.QuestionEN, u.Why, u.WhyEN = q.Question.FR, q.Question.EN, q.Why.FR, q.Why.EN
		}
		e.a.Unknowns = append(e.a.Unknowns, u)
	}
	// An obligation left unknown with no question on it: its compliance
	// rests on no fact of the file, so ask about the rule itself.
	for _, o := range e.a.Obligations {
		if o.Status != StatusUnknown || slices.ContainsFunc(e.a.Unknowns, func(u Unknown) bool { return slices.Contains(u.Affects, o.ID) }) {
			continue
		}
		r := e.b.Rule(o.ID)
		q, qen := r.Ask.FR, r.Ask.EN
		if q == "" {
			q = "L'employeur respecte-t-il cette règle : " + lowerFirst(r.Title.FR) + " ?"
			qen = "Does the employer comply with this rule: " + lowerFirst(r.Title.EN) + "?"
		}
		e.a.Unknowns = append(e.a.Unknowns, Unknown{Question: q, QuestionEN: qen,
			Why:     "Aucun fait du dossier ne dit si ce devoir est rempli : " + lowerFirst(r.Obligation.FR),
			WhyEN:   "No fact of the file says whether this duty is met: " + lowerFirst(r.Obligation.EN),
			Affects: []string{o.ID}})
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if len(r) > 1 && r[1] >= 'A' && r[1] <= 'Z' {
		return s // an acronym
	}
	return strings.ToLower(string(r[0])) + string(r[1:])
}
