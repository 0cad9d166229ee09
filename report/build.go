package report

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/chart"
	"github.com/vigie-app/vigie/footprint"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/law/deadline"
)

// builder accumulates the dossier while Build writes it.
type builder struct {
	in      Input
	l       law.Lang
	lang    string
	public  bool
	figures []FigureRef
	ex      []Exhibit // before numbering
}

func (b *builder) t(fr, en string) string {
	if b.lang == "en" {
		return en
	}
	return fr
}

// Build makes the dossier of in. The assessment must be the system's at
// in.Date.
func Build(in Input) (*Dossier, error) {
	if in.System == nil || in.Assessment == nil {
		return nil, vigie.Errorf(vigie.EINVALID, "report: a system and its assessment are needed")
	}
	if in.Audience == "" {
		in.Audience = AudienceCSE
	}
	if !slices.Contains(Audiences, in.Audience) {
		return nil, vigie.Errorf(vigie.EINVALID, "audience %q inconnue (cse, inspection, court, public) / unknown audience %q (cse, inspection, court, public)", in.Audience, in.Audience)
	}
	if in.Lang != "en" {
		in.Lang = "fr"
	}
	b := &builder{in: in, lang: in.Lang, l: law.FR, public: in.Audience == AudiencePublic}
	if in.Lang == "en" {
		b.l = law.EN
	}
	d := &Dossier{Lang: in.Lang, Audience: in.Audience, Date: in.Date}
	d.Title = b.t("Dossier — ", "Dossier — ") + in.System.Name
	d.Subtitle = b.audienceName() + " · " + b.t("situation au ", "as of ") + b.longDate(in.Date)

	b.collectExhibits()
	numbers, fresh := Number(in.Numbers, b.ex)
	for i := range b.ex {
		b.ex[i].N = numbers[b.ex[i].Key]
	}
	sort.SliceStable(b.ex, func(i, j int) bool { return b.ex[i].N < b.ex[j].N })
	d.NewNumbers = fresh

	d.Cover = b.cover()
	secs := map[string]Section{
		"summary":    b.summary(),
		"facts":      b.facts(),
		"assessment": b.assessment(),
		"actions":    b.actions(),
		"proofs":     b.proofs(),
		"exhibits":   b.bordereau(),
	}
	var order []string
	switch in.Audience {
	case AudienceInspection:
		order = []string{"summary", "assessment", "facts", "actions", "proofs", "exhibits"}
	case AudienceCourt:
		order = []string{"summary", "exhibits", "actions", "assessment", "facts", "proofs"}
	default:
		order = []string{"summary", "facts", "assessment", "actions", "proofs", "exhibits"}
	}
	for _, id := range order {
		if s := secs[id]; len(s.Blocks) > 0 {
			d.Sections = append(d.Sections, s)
		}
	}
	// The annex comes last: it lists the figures of every section above.
	d.Sections = append(d.Sections, b.annex())
	m := Manifest{Schema: Schema, System: in.System.Name, Date: in.Date.String(), Audience: in.Audience, Lang: in.Lang,
		Exhibits: b.ex, Figures: b.figures}
	for _, s := range d.Sections {
		m.Sections = append(m.Sections, SectionRef{ID: s.ID, Title: s.Title})
	}
	if m.Exhibits == nil {
		m.Exhibits = []Exhibit{}
	}
	if m.Figures == nil {
		m.Figures = []FigureRef{}
	}
	d.Manifest = m
	return d, nil
}

func (b *builder) audienceName() string {
	switch b.in.Audience {
	case AudienceInspection:
		return b.t("Pour l'inspection du travail", "For the labour inspectorate")
	case AudienceCourt:
		return b.t("Pour la juridiction", "For the court")
	case AudiencePublic:
		return b.t("Version publique", "Public version")
	}
	return b.t("Pour le comité (CSE)", "For the staff committee (CSE)")
}

func (b *builder) longDate(d vigie.Date) string {
	if d.IsZero() {
		return b.t("date inconnue", "date unknown")
	}
	return assess.LongDate(b.l, d.String())
}

func (b *builder) shortDate(d vigie.Date) string {
	if d.IsZero() {
		return "—"
	}
	if b.lang == "en" {
		return d.String()
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

// assessCommand is the command that gives the assessment's JSON.
func (b *builder) assessCommand() []string {
	return []string{"vigie", "assess", SystemFile, "--date", b.in.Date.String(), "--format", "json"}
}

func (b *builder) figure(id, label string, value any, cmd []string, ptr string) {
	b.figures = append(b.figures, FigureRef{ID: id, Label: label, Value: value, Command: cmd, JSONPointer: ptr})
}

// statusWord is the word of an obligation's status.
func (b *builder) statusWord(s string) string {
	if w := assess.Label(b.l, "status."+s); w != "status."+s {
		return w
	}
	switch s {
	case "in_progress":
		return b.t("en cours", "in progress")
	case "not_applicable":
		return b.t("sans objet à cette date", "not applicable on this date")
	}
	return s
}

func (b *builder) tierWord(t string) string { return assess.Label(b.l, "tier."+t) }

func (b *builder) cover() []Field {
	s := b.in.System
	var f []Field
	f = append(f, Field{b.t("Système", "System"), s.Name})
	if s.Vendor != "" {
		f = append(f, Field{b.t("Fournisseur", "Vendor"), s.Vendor})
	}
	if b.in.Workplace != "" {
		f = append(f, Field{b.t("Lieu de travail", "Workplace"), b.in.Workplace})
	}
	f = append(f, Field{b.t("Situation au", "As of"), b.longDate(b.in.Date)})
	f = append(f, Field{b.t("Destinataire", "Audience"), b.audienceName()})
	f = append(f, Field{b.t("Pièces", "Exhibits"), strconv.Itoa(len(b.ex))})
	return f
}

var statusLabels = map[string][2]string{
	"planned": {"prévu", "planned"}, "pilot": {"en test", "pilot"}, "deployed": {"en service", "deployed"}, "retired": {"retiré", "retired"},
	"private": {"entreprise privée", "private company"}, "public_state": {"administration de l'État", "State administration"},
	"public_territorial": {"collectivité territoriale", "local authority"}, "public_hospital": {"établissement hospitalier public", "public hospital"},
	"public_private_law": {"établissement public à personnel de droit privé", "public body with private-law staff"},
	"deployer":           {"déployeur (il l'utilise)", "deployer (it uses it)"}, "provider": {"fournisseur (il l'a développé)", "provider (it developed it)"},
	"provider_and_deployer": {"fournisseur et déployeur", "provider and deployer"},
	"informs":               {"informe", "informs"}, "recommends": {"recommande", "recommends"}, "decides": {"décide", "decides"},
	"none": {"aucun", "none"}, "nominal": {"de pure forme", "nominal"}, "effective": {"effectif", "effective"},
}

func (b *builder) enumWord(v string) string {
	if w, ok := statusLabels[v]; ok {
		if b.lang == "en" {
			return w[1]
		}
		return w[0]
	}
	return v
}

// summary is the one page read aloud in a meeting.
func (b *builder) summary() Section {
	s, a := b.in.System, b.in.Assessment
	sec := Section{ID: "summary", Title: b.t("Synthèse", "Summary")}
	var intro []string
	if s.Description != "" {
		intro = append(intro, s.Description)
	}
	sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: strings.Join(intro, " ")})
	var f []Field
	if s.Organisation.Kind != "" {
		f = append(f, Field{b.t("Employeur", "Employer"), b.enumWord(s.Organisation.Kind)})
	}
	if len(s.Deployment.Units.Items) > 0 {
		f = append(f, Field{b.t("Où", "Where"), strings.Join(s.Deployment.Units.Items, ", ")})
	}
	if s.Deployment.Status != "" {
		f = append(f, Field{b.t("État", "Status"), b.enumWord(s.Deployment.Status)})
	}
	if !s.Deployment.Since.IsZero() {
		f = append(f, Field{b.t("Depuis", "Since"), b.longDate(s.Deployment.Since)})
	}
	if s.Deployment.WorkersAffected.Known {
		f = append(f, Field{b.t("Personnes au travail concernées", "Workers affected"), s.Deployment.WorkersAffected.String()})
	}
	var arts []string
	for _, g := range a.AIAct.Grounds {
		if !slices.Contains(arts, g.Article) {
			arts = append(arts, g.Article)
		}
	}
	tier := b.tierWord(a.AIAct.Tier)
	if len(arts) > 0 {
		tier += " (" + b.t("art. ", "Art. ") + strings.Join(arts, ", ") + ")"
	}
	f = append(f, Field{b.t("Règlement européen sur l'IA", "EU AI Act"), tier})
	b.figure("tier", b.t("Classement au sens du règlement IA", "Classification under the AI Act"), a.AIAct.Tier, b.assessCommand(), "/ai_act/tier")
	sec.Blocks = append(sec.Blocks, Block{Kind: Fields, Fields: f})

	unmet := a.ObligationsWith(assess.StatusUnmet)
	sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Obligations non respectées et ce que le comité peut exiger", "Obligations not met and what the committee can demand")})
	if len(unmet) == 0 {
		sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: b.t("Aucune obligation n'est établie comme non respectée à cette date.", "No obligation is established as not met on this date.")})
	} else {
		var items []string
		for _, o := range unmet {
			items = append(items, o.TitleIn(b.l)+" ("+o.BasisIn(b.l)+") — "+o.DemandIn(b.l))
		}
		sec.Blocks = append(sec.Blocks, Block{Kind: List, Items: items})
	}
	var high []string
	for _, r := range a.RisksWith(assess.High) {
		high = append(high, r.LabelIn(b.l))
	}
	sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Risques élevés", "High risks")})
	if len(high) == 0 {
		sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: b.t("Aucun risque n'est évalué comme élevé.", "No risk is rated high.")})
	} else {
		sec.Blocks = append(sec.Blocks, Block{Kind: List, Items: high})
	}
	sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Prochaine échéance", "Next deadline")})
	sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: b.nextDeadline()})
	if n := len(a.Unknowns); n > 0 {
		sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: fmt.Sprintf(b.t("%d questions restent à poser à l'employeur (voir « Faits et sources »).", "%d questions remain to be put to the employer (see “Facts and sources”)."), n)})
	}
	return sec
}

// nextDeadline is the soonest due date on or after the dossier's date: of
// an action's chain, or else the date an upcoming obligation applies from.
func (b *builder) nextDeadline() string {
	var best vigie.Date
	var what string
	for _, ac := range b.in.Actions {
		for _, st := range ac.Steps {
			if st.Kind != deadline.KindDeadline || st.Due.Before(b.in.Date) {
				continue
			}
			if best.IsZero() || st.Due.Before(best) {
				best, what = st.Due, st.Label.In(b.lang)+" — "+b.actionTitle(ac.Action)
			}
		}
	}
	for _, o := range b.in.Assessment.Obligations {
		if o.Status != assess.StatusUpcoming {
			continue
		}
		d, err := vigie.ParseDate(o.AppliesFrom)
		if err != nil || d.Before(b.in.Date) {
			continue
		}
		if best.IsZero() || d.Before(best) {
			best, what = d, o.TitleIn(b.l)+" ("+o.BasisIn(b.l)+") "+b.t("s'applique", "applies")
		}
	}
	if best.IsZero() {
		return b.t("Aucune échéance connue après cette date.", "No known deadline after this date.")
	}
	return b.longDate(best) + b.t(" : ", ": ") + what
}

func (b *builder) actionTitle(a *vigie.Action) string {
	if a.Title != "" {
		return a.Title
	}
	return a.Letter
}

// sourceWord names a kind of source.
func (b *builder) sourceWord(s string) string {
	switch s {
	case "employer":
		return b.t("employeur", "employer")
	case "workers":
		return b.t("salariés", "workers")
	case "public":
		return b.t("source publique", "public source")
	case "vendor":
		return b.t("fournisseur", "vendor")
	case "inference":
		return b.t("déduction", "inference")
	}
	return s
}

// answer writes a fact's value for a reader.
func (b *builder) answer(v string) string {
	switch v {
	case "true":
		return b.t("oui", "yes")
	case "false":
		return b.t("non", "no")
	case "[]":
		return b.t("aucun", "none")
	}
	if d, err := vigie.ParseDate(v); err == nil {
		return b.shortDate(d)
	}
	return b.enumWord(v)
}

// facts lists the known facts with where they come from, and the unknowns
// as questions to the employer.
func (b *builder) facts() Section {
	sec := Section{ID: "facts", Title: b.t("Faits et sources", "Facts and sources")}
	s := b.in.System
	facts := s.Facts()
	byFact := map[string][]vigie.Evidence{}
	for _, e := range s.Evidence {
		byFact[e.Fact] = append(byFact[e.Fact], e)
	}
	t := &TableData{Head: []string{b.t("Question", "Question"), b.t("Réponse", "Answer"), b.t("Source", "Source")}, Widths: []float64{5, 2, 4}}
	for _, q := range assess.Questionnaire() {
		v := facts[q.Fact]
		if v == "" || v == vigie.Unknown {
			continue
		}
		var src []string
		for _, e := range byFact[q.Fact] {
			src = append(src, b.evidenceText(e))
		}
		if len(src) == 0 {
			src = []string{"—"}
		}
		t.Rows = append(t.Rows, []Cell{{Text: q.Question.In(b.l)}, {Text: b.valueWords(q.Fact, v)}, {Text: strings.Join(src, " ; ")}})
	}
	sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: b.t("Ce que l'on sait du système, et d'où vient chaque réponse.", "What is known of the system, and where each answer comes from.")}, Block{Kind: Table, Table: t})
	if len(b.in.Assessment.Unknowns) > 0 {
		sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Questions à poser à l'employeur", "Questions to put to the employer")})
		var items []string
		for _, u := range b.in.Assessment.Unknowns {
			items = append(items, u.QuestionIn(b.l)+" — "+u.WhyIn(b.l))
		}
		sec.Blocks = append(sec.Blocks, Block{Kind: List, Items: items})
	}
	return sec
}

// evidenceText is where a fact comes from: the kind of source, the document
// (not in the public version: it may name a person) and its exhibit number.
func (b *builder) evidenceText(e vigie.Evidence) string {
	out := b.sourceWord(e.Source)
	if n := b.exhibitOf(evidenceKey(e)); n > 0 {
		out += ", " + b.t("pièce n° ", "exhibit no. ") + strconv.Itoa(n)
	} else if !b.public && e.Document != "" {
		out += ", " + e.Document
	}
	if !e.Date.IsZero() {
		out += ", " + b.shortDate(e.Date)
	}
	return out
}

func (b *builder) exhibitOf(key string) int {
	for _, x := range b.ex {
		if x.Key == key {
			return x.N
		}
	}
	return 0
}

// priorityColour colours a risk's bar.
var priorityColour = map[string]string{assess.High: "#b91c1c", assess.Medium: "#b45309", assess.Low: "#15803d"}

func (b *builder) assessment() Section {
	a := b.in.Assessment
	sec := Section{ID: "assessment", Title: b.t("Évaluation", "Assessment")}
	obligations := func() {
		sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Obligations de l'employeur", "The employer's obligations")})
		t := &TableData{Head: []string{b.t("Obligation", "Obligation"), b.t("Fondement", "Basis"), b.t("État", "Status"), b.t("Depuis", "From"), b.t("Certitude", "Confidence")},
			Widths: []float64{5, 3.4, 2, 2, 2}}
		for i, o := range a.Obligations {
			title := o.TitleIn(b.l)
			if a.Unverified(o.ID) {
				title += " — " + assess.Label(b.l, "unverified_mark")
			}
			t.Rows = append(t.Rows, []Cell{{Text: title, Tag: o.ID}, {Text: o.BasisIn(b.l)}, {Text: b.statusWord(o.Status), Status: o.Status},
				{Text: assess.LongDate(b.l, o.AppliesFrom)}, {Text: assess.Label(b.l, "confidence."+o.Confidence)}})
			b.figure("obligation."+o.ID, b.t("État de l'obligation « ", "Status of the obligation “")+o.TitleIn(b.l)+b.t(" »", "”"), o.Status, b.assessCommand(), fmt.Sprintf("/obligations/%d/status", i))
		}
		sec.Blocks = append(sec.Blocks, Block{Kind: Table, Table: t})
		for _, w := range a.Warnings {
			sec.Blocks = append(sec.Blocks, Block{Kind: Warning, Text: pick(b.lang, w.Text, w.TextEN)})
		}
	}
	grounds := func() {
		sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Classement au titre du règlement IA : ", "Classification under the AI Act: ") + b.tierWord(a.AIAct.Tier)})
		var items []string
		for _, g := range a.AIAct.Grounds {
			when := b.t("s'applique depuis le ", "applies since ")
			if !g.InForce {
				when = b.t("s'appliquera le ", "will apply on ")
			}
			items = append(items, b.t("Art. ", "Art. ")+g.Article+" — "+g.TextIn(b.l)+" ("+when+assess.LongDate(b.l, g.AppliesFrom)+" ; "+assess.Label(b.l, "confidence."+g.Confidence)+")")
		}
		if len(items) > 0 {
			sec.Blocks = append(sec.Blocks, Block{Kind: List, Items: items})
		}
	}
	if b.in.Audience == AudienceInspection {
		obligations()
		grounds()
	} else {
		grounds()
		obligations()
	}
	// The risk matrix as a chart: severity × frequency of each dimension.
	if len(a.Risks) > 0 {
		sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Risques pour le travail", "Risks to work")})
		c := chart.Chart{ID: "dossier-risks", Lang: b.lang, Mark: chart.Bar, Width: 720,
			Title:   b.t("Gravité × fréquence de chaque risque", "Severity × frequency of each risk"),
			Caption: b.t("score (gravité × fréquence, pondérées) ; la couleur dit la priorité", "score (weighted severity × frequency); the colour gives the priority")}
		maxScore := 0
		for i, r := range a.Risks {
			maxScore = max(maxScore, r.Score)
			c.Rows = append(c.Rows, chart.Row{Label: r.LabelIn(b.l), Value: chart.V(float64(r.Score)), Colour: priorityColour[r.Priority],
				Note: assess.Label(b.l, "priority."+r.Priority) + fmt.Sprintf(" (%d × %d)", r.Severity, r.Frequency)})
			b.figure("risk."+r.Dimension, b.t("Priorité du risque : ", "Risk priority: ")+r.LabelIn(b.l), r.Priority, b.assessCommand(), fmt.Sprintf("/risks/%d/priority", i))
		}
		c.Axis = chart.Axis{Min: 0, Max: float64(max(maxScore, 1))}
		sec.Blocks = append(sec.Blocks, Block{Kind: Figure, Chart: &c})
	}
	if len(a.DUERP) > 0 {
		sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Lignes à inscrire au DUERP", "Lines for the occupational-risk document (DUERP)")})
		t := &TableData{Head: []string{b.t("Unité", "Unit"), b.t("Danger", "Hazard"), b.t("Risque", "Risk"), b.t("Priorité", "Priority"), b.t("Mesures proposées", "Proposed measures")},
			Widths: []float64{2, 3, 3, 1.6, 4}}
		for _, l := range a.DUERP {
			t.Rows = append(t.Rows, []Cell{{Text: l.Unit}, {Text: pick(b.lang, l.Hazard, l.HazardEN)}, {Text: pick(b.lang, l.Risk, l.RiskEN)},
				{Text: assess.Label(b.l, "priority."+l.Priority), Status: l.Priority}, {Text: pick(b.lang, l.ProposedMeasures, l.ProposedMeasuresEN)}})
		}
		sec.Blocks = append(sec.Blocks, Block{Kind: Table, Table: t})
	}
	return sec
}

func pick(lang, fr, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return fr
}

func (b *builder) actionStateWord(s string) string {
	m := map[string][2]string{vigie.ActionDraft: {"brouillon", "draft"}, vigie.ActionSent: {"envoyée", "sent"}, vigie.ActionAnswered: {"réponse reçue", "answered"},
		vigie.ActionNoAnswer: {"sans réponse", "no answer"}, vigie.ActionEscalated: {"suite donnée", "escalated"}, vigie.ActionClosed: {"close", "closed"}}
	if w, ok := m[s]; ok {
		return pick(b.lang, w[0], w[1])
	}
	return s
}

// actions lists the letters sent, their answers and deadlines, what is
// overdue, and the chronology of the file as a timeline.
func (b *builder) actions() Section {
	sec := Section{ID: "actions", Title: b.t("Démarches et chronologie", "Actions and chronology")}
	if len(b.in.Actions) > 0 {
		t := &TableData{Head: []string{b.t("Démarche", "Action"), b.t("Envoyée le", "Sent on"), b.t("État", "State"), b.t("Réponse", "Answer"), b.t("Échéances", "Deadlines")},
			Widths: []float64{4, 2, 2, 3, 4}}
		for _, ac := range b.in.Actions {
			a := ac.Action
			// The title is in the letter's language; the exhibit number, a tag.
			title := Cell{Text: b.actionTitle(a)}
			if a.Lang != "" && a.Lang != b.lang {
				title.Lang = a.Lang
			}
			if n := b.exhibitOf("action:" + a.ID); n > 0 {
				title.Tag = b.t("pièce n° ", "exhibit no. ") + strconv.Itoa(n)
			}
			ans := "—"
			if !a.AnsweredOn.IsZero() {
				ans = b.t("le ", "on ") + b.shortDate(a.AnsweredOn)
				if !b.public && a.Answer != "" {
					ans += " : " + a.Answer
				}
			}
			var dues []string
			overdue := false
			for _, st := range ac.Steps {
				if st.Kind != deadline.KindDeadline {
					continue
				}
				line := b.shortDate(st.Due) + " " + st.Label.In(b.lang)
				if st.Due.Before(b.in.Date) && (a.State == vigie.ActionSent || a.State == vigie.ActionNoAnswer) {
					line += " — " + b.t("dépassée", "overdue")
					overdue = true
				}
				dues = append(dues, line)
			}
			state := Cell{Text: b.actionStateWord(a.State)}
			if overdue {
				state.Status = assess.StatusUnmet
			}
			t.Rows = append(t.Rows, []Cell{title, {Text: b.shortDate(a.SentOn)}, state, {Text: ans}, {Text: strings.Join(dues, " ; ")}})
		}
		sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Lettres et demandes", "Letters and requests")}, Block{Kind: Table, Table: t})
	}
	// Chronology: the dated facts, the documents, the letters and their deadlines.
	type ev struct {
		d    vigie.Date
		what string
		end  vigie.Date
	}
	var evs []ev
	s := b.in.System
	add := func(d vigie.Date, what string) {
		if !d.IsZero() {
			evs = append(evs, ev{d: d, what: what})
		}
	}
	add(s.Deployment.Since, b.t("Mise en service", "Put into service"))
	add(s.Deployment.ConsultationOpenedOn, b.t("Ouverture de la consultation", "Consultation opened"))
	add(s.Deployment.StaffBodyOpinionOn, b.t("Avis de l'instance", "Staff body's opinion"))
	add(s.Deployment.SignificantlyModifiedOn, b.t("Modification substantielle", "Substantial modification"))
	for _, c := range s.Deployment.Consultations {
		add(c.InformationReceivedOn, b.t("Information reçue", "Information received")+" ("+strings.ToUpper(c.Body)+")")
		add(c.OpinionOn, b.t("Avis rendu", "Opinion given")+" ("+strings.ToUpper(c.Body)+")")
	}
	for _, x := range b.ex {
		if x.Date != nil && !strings.HasPrefix(x.Key, "action:") {
			if d, err := vigie.ParseDate(*x.Date); err == nil {
				add(d, b.t("Pièce n° ", "Exhibit no. ")+strconv.Itoa(x.N)+" — "+x.Title)
			}
		}
	}
	for _, ac := range b.in.Actions {
		a := ac.Action
		if a.SentOn.IsZero() {
			continue
		}
		e := ev{d: a.SentOn, what: b.t("Envoi : ", "Sent: ") + b.actionTitle(a)}
		for _, st := range ac.Steps {
			if st.Kind == deadline.KindDeadline && st.Due.After(e.end) {
				e.end = st.Due
			}
		}
		evs = append(evs, e)
		add(a.AnsweredOn, b.t("Réponse : ", "Answer: ")+b.actionTitle(a))
	}
	if len(evs) == 0 {
		return sec
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].d.Before(evs[j].d) })
	today, _ := chart.ParseDay(b.in.Date.String())
	c := chart.Chart{ID: "dossier-timeline", Lang: b.lang, Mark: chart.Range, Axis: chart.Axis{Time: true}, Ref: chart.V(today), Width: 720,
		Title:   b.t("Chronologie", "Chronology"),
		Caption: b.t("de la première date connue à celle du dossier (trait vertical) ; une barre court jusqu'à la dernière échéance d'une démarche", "from the first known date to the dossier's (vertical line); a bar runs to an action's last deadline")}
	var items []string
	for _, e := range evs {
		lo, _ := chart.ParseDay(e.d.String())
		hi := lo
		note := b.shortDate(e.d)
		if !e.end.IsZero() {
			hi, _ = chart.ParseDay(e.end.String())
			note += " → " + b.shortDate(e.end)
		}
		c.Rows = append(c.Rows, chart.Row{Label: e.what, Low: chart.V(lo), High: chart.V(hi), Note: note, Colour: "#1d4ed8"})
		items = append(items, note+" — "+e.what)
	}
	sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Chronologie", "Chronology")}, Block{Kind: Figure, Chart: &c}, Block{Kind: List, Items: items})
	return sec
}

// proofs shows the audits, the footprint, the testimonies and the jobs.
func (b *builder) proofs() Section {
	sec := Section{ID: "proofs", Title: b.t("Preuves", "Proofs")}
	for ai, au := range b.in.Audits {
		r := au.Result
		if r == nil {
			continue
		}
		head := b.t("Audit de discrimination", "Discrimination audit")
		if au.Report != nil {
			if n := b.exhibitOf("report:" + au.Report.ID); n > 0 {
				head += " — " + b.t("pièce n° ", "exhibit no. ") + strconv.Itoa(n)
			}
		}
		sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: head})
		metric := "pprev"
		if r.Config.Label != "" {
			metric = "fpr"
		}
		cmd := auditCommand(au)
		for i := range r.Attributes {
			at := &r.Attributes[i]
			c := r.RatioChart(b.lang, i, metric)
			c.ID = fmt.Sprintf("dossier-audit-%d-%d", ai, i)
			sec.Blocks = append(sec.Blocks, Block{Kind: Figure, Chart: &c})
			var items []string
			for gi := 1; gi < len(at.Groups); gi++ {
				g := &at.Groups[gi]
				items = append(items, r.Sentence(b.lang, metric, at, g))
				if d, ok := g.Disparities[metric]; ok && d.Ratio != nil && cmd != nil {
					b.figure(fmt.Sprintf("audit.%d.%s.%s.%s", ai, at.Name, g.Value, metric),
						b.t("Rapport ", "Ratio ")+metric+" « "+g.Value+" » / « "+at.Reference+" »", *d.Ratio, cmd,
						fmt.Sprintf("/attributes/%d/groups/%d/disparities/%s/ratio", i, gi, metric))
				}
			}
			if len(items) > 0 {
				sec.Blocks = append(sec.Blocks, Block{Kind: List, Items: items})
			}
		}
	}
	if fp := b.in.Footprint; fp != nil && fp.Result != nil {
		res := fp.Result
		sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Empreinte environnementale", "Environmental footprint")})
		t := &TableData{Head: []string{b.t("Indicateur", "Indicator"), b.t("Par requête", "Per request"), b.t("Total", "Total")}, Widths: []float64{3, 3, 3}}
		cmd := footprintCommand(fp)
		for _, q := range []string{"energy_kwh", "gwp_kgco2e", "adpe_kgsbeq", "pe_mj", "water_l"} {
			pr, ok1 := quantity(res.PerRequest, q)
			tot, ok2 := quantity(res.Total, q)
			if !ok1 || !ok2 {
				continue
			}
			t.Rows = append(t.Rows, []Cell{{Text: footprint.QuantityName(q, b.lang)}, {Text: footprint.FormatRange(pr, q, b.lang)}, {Text: footprint.FormatRange(tot, q, b.lang)}})
			for _, end := range []struct {
				k string
				v float64
			}{{"min", tot.Min}, {"max", tot.Max}} {
				b.figure("footprint.total."+q+"."+end.k, b.t("Total (", "Total (")+pick(b.lang, map[string]string{"min": "bas", "max": "haut"}[end.k], map[string]string{"min": "low", "max": "high"}[end.k])+b.t(") : ", "): ")+footprint.QuantityName(q, b.lang),
					end.v, cmd, "/total/"+q+"/"+end.k)
			}
		}
		sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: res.Scope.In(b.lang)}, Block{Kind: Table, Table: t})
		sc := footprint.SplitChart(res.PerRequest, b.lang)
		sc.ID = "dossier-fp-split"
		sec.Blocks = append(sec.Blocks, Block{Kind: Figure, Chart: &sc})
		rc := footprint.RangeChart(res, "energy_kwh", b.lang)
		if len(rc.Rows) > 1 {
			rc.ID = "dossier-fp-range"
			sec.Blocks = append(sec.Blocks, Block{Kind: Figure, Chart: &rc})
		}
		var anchors, cites []string
		for _, a := range res.Anchors {
			anchors = append(anchors, a.Figure.In(b.lang)+" — "+a.Source+" ("+a.Date+")")
			cites = append(cites, a.Source)
		}
		if len(anchors) > 0 {
			sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Repères publiés", "Published anchors")}, Block{Kind: List, Items: anchors, Cites: cites})
		}
		for _, w := range res.Warnings {
			sec.Blocks = append(sec.Blocks, Block{Kind: Warning, Text: w.Text.In(b.lang)})
		}
	}
	for _, tm := range b.in.Testimonies {
		b.testimonyBlocks(&sec, tm)
	}
	if j := b.in.System.Jobs; j != nil {
		var f []Field
		for _, x := range []struct {
			key, fr, en string
			v           vigie.OptInt
		}{{"posts_cut", "Postes supprimés", "Posts cut", j.PostsCut}, {"posts_threatened", "Postes menacés", "Posts threatened", j.PostsThreatened},
			{"posts_created", "Postes créés", "Posts created", j.PostsCreated}} {
			if !x.v.Known {
				continue
			}
			f = append(f, Field{pick(b.lang, x.fr, x.en), x.v.String()})
			b.figure("jobs."+x.key, pick(b.lang, x.fr, x.en), x.v.V, b.factsCommand(), "/jobs/"+x.key)
		}
		if len(f) > 0 {
			sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: b.t("Emplois", "Jobs")}, Block{Kind: Fields, Fields: f})
		}
	}
	return sec
}

// factsCommand gives the system's facts as JSON: from a file, vigie facts;
// from the database, vigie export.
func (b *builder) factsCommand() []string {
	if b.in.SystemID != "" {
		return []string{"vigie", "export", "--db", "DSN", "--org", b.in.Org, "--system", b.in.SystemID, "--format", "json"}
	}
	return []string{"vigie", "facts", SystemFile, "--format", "json"}
}

func (b *builder) testimonyBlocks(sec *Section, tm Testimony) {
	c, r := tm.Campaign, tm.Results
	if c == nil || r == nil {
		return
	}
	head := b.t("Témoignages : ", "Testimonies: ") + c.Title
	if n := b.exhibitOf("campaign:" + c.ID); n > 0 {
		head += " — " + b.t("pièce n° ", "exhibit no. ") + strconv.Itoa(n)
	}
	sec.Blocks = append(sec.Blocks, Block{Kind: Heading, Text: head})
	cmd := []string{"vigie", "testimony", "results", "--db", "DSN", "--org", b.in.Org, "--campaign", c.ID, "--format", "json"}
	if !r.Shown() {
		sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: fmt.Sprintf(b.t("Moins de %d réponses : aucun résultat n'est montré, pour que personne ne soit reconnaissable.", "Fewer than %d answers: no result is shown, so that nobody can be recognised."), r.MinGroup)})
		return
	}
	sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: fmt.Sprintf(b.t("%d réponses. Une case « masquée » compte moins de %d personnes, ou permettrait d'en déduire une autre.", "%d answers. A “hidden” cell counts fewer than %d people, or would let another be derived."), *r.Responses, r.MinGroup)})
	b.figure("testimony."+c.ID+".responses", b.t("Réponses : ", "Answers: ")+c.Title, *r.Responses, cmd, "/responses")
	for qi, q := range r.Questions {
		t := &TableData{Caption: pick(b.lang, q.Text, q.TextEN), Head: []string{b.t("Réponse", "Answer"), b.t("Nombre", "Count")}, Widths: []float64{4, 2}}
		for ci, cell := range q.Cells {
			n := b.t("masqué", "hidden")
			if cell.Count != nil {
				n = strconv.Itoa(*cell.Count)
				b.figure(fmt.Sprintf("testimony.%s.%s.%s", c.ID, q.ID, cell.Answer), pick(b.lang, q.Text, q.TextEN)+" — "+pick(b.lang, cell.Label, cell.LabelEN),
					*cell.Count, cmd, fmt.Sprintf("/questions/%d/cells/%d/count", qi, ci))
			}
			t.Rows = append(t.Rows, []Cell{{Text: pick(b.lang, cell.Label, cell.LabelEN)}, {Text: n}})
		}
		sec.Blocks = append(sec.Blocks, Block{Kind: Table, Table: t})
	}
}

func quantity(im footprint.Impacts, q string) (footprint.Range, bool) {
	switch q {
	case "energy_kwh":
		return im.EnergyKWh, true
	case "gwp_kgco2e":
		return im.GWP.Range, true
	case "adpe_kgsbeq":
		return im.ADPe.Range, true
	case "pe_mj":
		return im.PE.Range, true
	case "water_l":
		if im.Water != nil {
			return *im.Water, true
		}
	}
	return footprint.Range{}, false
}

// footprintCommand is the vigie footprint command of the estimate.
func footprintCommand(fp *Footprint) []string {
	in := fp.Input
	args := []string{"vigie", "footprint"}
	if in.Model != "" {
		args = append(args, "--model", in.Model)
	}
	rng := func(flag string, r *footprint.Range) {
		if r != nil {
			args = append(args, flag, r.String())
		}
	}
	rng("--params-active", in.ParamsActive)
	rng("--params-total", in.ParamsTotal)
	args = append(args, "--output-tokens", in.OutputTokens.String())
	rng("--input-tokens", in.InputTokens)
	args = append(args, "--zone", fp.Result.Inputs.Zone.Code)
	rng("--pue", in.PUE)
	rng("--wue", in.WUE)
	rng("--requests", in.Requests)
	rng("--users", in.Users)
	rng("--requests-per-day", in.RequestsPerDay)
	rng("--days", in.Days)
	rng("--images", in.Images)
	rng("--classifications", in.Classifications)
	return append(args, "--method", fp.Result.Method, "--format", "json")
}

// auditCommand is the vigie audit command of a kept audit, from its
// configuration; nil when it cannot be rebuilt.
func auditCommand(au Audit) []string {
	if au.Report == nil || au.Report.InputName == "" {
		return nil
	}
	c := au.Result.Config
	args := []string{"vigie", "audit", "--input", au.Report.InputName}
	for _, g := range c.Groups {
		args = append(args, "--group", g)
	}
	if c.Intersect {
		args = append(args, "--intersect")
	}
	if c.Label != "" {
		args = append(args, "--label", c.Label)
		if len(c.LabelPositive) > 0 {
			args = append(args, "--label-positive", strings.Join(c.LabelPositive, ","))
		}
	}
	args = append(args, "--score", c.Score)
	if c.Threshold != nil {
		args = append(args, "--threshold", strconv.FormatFloat(*c.Threshold, 'g', -1, 64))
	}
	if len(c.Positive) > 0 {
		args = append(args, "--positive", strings.Join(c.Positive, ","))
	}
	keys := make([]string, 0, len(c.Reference))
	for k := range c.Reference {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "--reference", k+"="+c.Reference[k])
	}
	if au.Result.Direction != "" {
		args = append(args, "--direction", string(au.Result.Direction))
	}
	if c.MinN > 0 {
		args = append(args, "--min-n", strconv.Itoa(c.MinN))
	}
	return append(args, "--format", "json")
}

// bordereau lists the exhibits.
func (b *builder) bordereau() Section {
	sec := Section{ID: "exhibits", Title: b.t("Bordereau des pièces", "List of exhibits")}
	if len(b.ex) == 0 {
		sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: b.t("Aucune pièce n'est rattachée à ce système.", "No exhibit is attached to this system.")})
		return sec
	}
	sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: b.t("Chaque pièce garde son numéro d'un dossier à l'autre ; l'empreinte sha256 identifie le fichier conservé.", "Each exhibit keeps its number from one dossier to the next; the sha256 fingerprint identifies the stored file.")})
	t := &TableData{Head: []string{b.t("N°", "No."), b.t("Pièce", "Exhibit"), b.t("Date", "Date"), b.t("Source", "Source"), "sha256"}, Widths: []float64{1.1, 5, 2, 2, 5}}
	for _, x := range b.ex {
		d := "—"
		if x.Date != nil {
			if dd, err := vigie.ParseDate(*x.Date); err == nil {
				d = b.shortDate(dd)
			}
		}
		h := b.t("fichier non conservé", "file not stored")
		if x.SHA256 != nil {
			h = *x.SHA256
		}
		t.Rows = append(t.Rows, []Cell{{Text: b.t("Pièce n° ", "Exhibit no. ") + strconv.Itoa(x.N)}, {Text: x.Title}, {Text: d}, {Text: b.sourceWord(x.Source)}, {Text: h, Mono: x.SHA256 != nil}})
	}
	sec.Blocks = append(sec.Blocks, Block{Kind: Table, Table: t})
	return sec
}

// annex lists every figure with the command that reproduces it.
func (b *builder) annex() Section {
	sec := Section{ID: "figures", Title: b.t("Reproduire chaque chiffre", "Reproduce every figure")}
	intro := b.t("Chaque chiffre de ce dossier est le résultat d'une commande vigie. Lancée avec le fichier du système à la place de "+SystemFile+
		", elle écrit un JSON où le chiffre se lit à l'adresse indiquée (pointeur JSON, RFC 6901).",
		"Every figure of this dossier is the output of a vigie command. Run with the system file in place of "+SystemFile+
			", it prints JSON in which the figure is found at the address given (JSON pointer, RFC 6901).")
	if b.in.SystemID != "" {
		intro += b.t(" Depuis la base, « vigie export » écrit ce fichier ; DSN désigne la base.", " From the database, “vigie export” writes that file; DSN stands for the database.")
	}
	sec.Blocks = append(sec.Blocks, Block{Kind: Paragraph, Text: intro})
	t := &TableData{Head: []string{b.t("Chiffre", "Figure"), b.t("Valeur", "Value"), b.t("Commande", "Command"), b.t("Pointeur", "Pointer")}, Widths: []float64{3.2, 2, 6, 3}}
	for _, f := range b.figures {
		// The JSON holds keys and plain numbers; the reader gets words and
		// numbers in the dossier's language.
		v := b.valueText(f.Value)
		if st, ok := f.Value.(string); ok {
			switch {
			case strings.HasPrefix(f.ID, "obligation."):
				v = b.statusWord(st)
			case f.ID == "tier":
				v = b.tierWord(st)
			case strings.HasPrefix(f.ID, "risk."):
				v = assess.Label(b.l, "priority."+st)
			}
		}
		t.Rows = append(t.Rows, []Cell{{Text: f.Label}, {Text: v}, {Text: strings.Join(f.Command, " "), Mono: true}, {Text: f.JSONPointer, Mono: true}})
	}
	sec.Blocks = append(sec.Blocks, Block{Kind: Table, Table: t})
	return sec
}

func (b *builder) valueText(v any) string {
	num := func(x float64, prec int) string {
		s := strconv.FormatFloat(x, 'g', prec, 64)
		if strings.ContainsAny(s, "e") {
			s = strconv.FormatFloat(x, 'f', -1, 64)
		}
		if b.lang != "en" {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		return num(x, 6)
	case map[string]float64:
		if x["min"] == x["max"] {
			return num(x["min"], 4)
		}
		return num(x["min"], 4) + " – " + num(x["max"], 4)
	}
	bs, _ := json.Marshal(v)
	return string(bs)
}
