package letters

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/vigie-app/vigie"
)

// view is what a template sees: the facts of the system and the results of
// the assessment, already put into words in the letter's language.
type view struct {
	Lang      string
	Date      string
	PlaceDate string
	Sender    string
	Addressee string
	Signatory string
	SignAs    string // the signature line when no signatory is given
	Requester string
	Body      string // the staff body, in words ("le comité social et économique")
	Workers   string // "salariés" or "agents" (public service), "workers"

	Name, Vendor, Description string

	Status           string // planned, pilot, deployed, retired, or ""
	Since            string
	Units            []string
	WorkersAffected  string
	PersonsConcerned string
	Headcount        string
	Domains          []string
	Capabilities     []string
	SpecialData      []string
	Monitoring       bool // continuous monitoring of persons
	Profiling        bool
	Role             string
	HumanReview      string
	LegalEffect      bool
	Subjects         []string
	AboutWorkers     bool // the decisions concern the employer's own staff
	Public           bool // public employer or public-service mission (CRPA, AI Act Art. 27)
	PublicService    bool // public_state, public_territorial or public_hospital (CSA, F3SCT)
	// SmallCSE: a company of 11 to 49 employees, whose CSE is not
	// consulted on new technologies (Code du travail L2312-5).
	SmallCSE bool

	Informed, Consulted, Expert, DUERPUpdated, DPIADone, WorkersInformed string // true, false, unknown
	OpenedOn                                                             string

	Signals     []string
	Obligations []obligationView
	Questions   []string
	DUERP       []duerpView
	Evidence    []string

	RequestSentOn, RefusalOn string
	Documents                []string
	StartsOn                 string
}

type obligationView struct {
	ID, Title, Basis, Obligation, Demand, Confidence string
	Unverified                                       bool
}

type duerpView struct {
	Unit, Hazard, Risk, Measures, Priority string
	Severity, Frequency                    int
}

// LongDate writes d in words: "1er mars 2026", "2 March 2026"; "" for a zero date.
func LongDate(d vigie.Date, lang string) string { return d.Words(lang) }

func tr(lang, fr, en string) string {
	if lang == "en" {
		return en
	}
	return fr
}

func newView(l Letter, d Data, lang string) view {
	s := d.System
	v := view{
		Lang: lang, Date: LongDate(d.Date, lang),
		Name: strings.TrimSpace(s.Name), Vendor: strings.TrimSpace(s.Vendor),
		Description: strings.Join(strings.Fields(s.Description), " "),
		Status:      s.Deployment.Status, Since: LongDate(s.Deployment.Since, lang),
		Units:      s.Deployment.Units.Items,
		Monitoring: s.Data.ContinuousMonitoring.True(), Profiling: s.Capabilities.Profiling.True(),
		LegalEffect: s.Decisions.LegalOrSimilarEffect.True(),
		Public:      strings.HasPrefix(s.Organisation.Kind, "public_") || s.Organisation.PublicServiceMission.True(),
		Informed:    s.Deployment.StaffBodyInformed.String(), Consulted: s.Deployment.StaffBodyConsulted.String(),
		Expert: s.Deployment.ExpertAppointed.String(), DUERPUpdated: s.Deployment.DUERPUpdated.String(),
		DPIADone: s.Deployment.DPIADone.String(), WorkersInformed: s.Deployment.WorkersInformed.String(),
		OpenedOn:      LongDate(s.Deployment.ConsultationOpenedOn, lang),
		RequestSentOn: LongDate(d.RequestSentOn, lang), RefusalOn: LongDate(d.RefusalOn, lang),
		StartsOn: l.StartsOn.In(lang),
	}
	if n := s.Organisation.CompanyHeadcount; n.Known {
		v.SmallCSE = n.V >= 11 && n.V < 50
	} else if n := s.Organisation.Headcount; n.Known {
		v.SmallCSE = n.V >= 11 && n.V < 50
	}
	v.Workers = tr(lang, "salariés", "workers")
	switch s.Organisation.Kind {
	case "public_state", "public_territorial", "public_hospital":
		v.Workers = tr(lang, "agents", "staff")
		v.PublicService = true
	}
	if s.Deployment.WorkersAffected.Known {
		v.WorkersAffected = fmt.Sprint(s.Deployment.WorkersAffected.V)
	}
	if s.Data.PersonsConcerned.Known {
		v.PersonsConcerned = fmt.Sprint(s.Data.PersonsConcerned.V)
	}
	if s.Organisation.Headcount.Known {
		v.Headcount = fmt.Sprint(s.Organisation.Headcount.V)
	}
	for _, x := range s.Purpose.Domains.Items {
		v.Domains = append(v.Domains, label(domainLabels, x, lang))
	}
	for _, c := range capabilityList(s) {
		v.Capabilities = append(v.Capabilities, c.In(lang))
	}
	for _, x := range s.Data.SpecialCategories.Items {
		v.SpecialData = append(v.SpecialData, label(specialLabels, x, lang))
	}
	for _, x := range s.Decisions.Subjects.Items {
		v.Subjects = append(v.Subjects, label(subjectLabels, x, lang))
	}
	v.AboutWorkers = s.Decisions.Subjects.Has("workers")
	v.Documents = d.Documents
	v.Role = label(roleLabels, s.Decisions.Role, lang)
	v.HumanReview = label(reviewLabels, s.Decisions.HumanReview, lang)
	v.Signals = signals(s, lang)

	// Who writes, to whom.
	bodies := s.Organisation.StaffBodies
	switch {
	case l.Scope == ScopeService || bodies.Has("f3sct") && !bodies.Has("cse"):
		v.Body = tr(lang, "la formation spécialisée en matière de santé, de sécurité et de conditions de travail (F3SCT)",
			"the specialised health, safety and working conditions committee (F3SCT)")
	case bodies.Has("cse_central") && !bodies.Has("cse"):
		v.Body = tr(lang, "le comité social et économique central", "the central social and economic committee (CSE central)")
	default:
		v.Body = tr(lang, "le comité social et économique (CSE)", "the social and economic committee (CSE)")
	}
	v.Sender = strings.TrimSpace(d.Sender)
	v.Addressee = strings.TrimSpace(d.Addressee)
	v.Signatory = strings.TrimSpace(d.Signatory)
	v.Requester = strings.TrimSpace(d.Requester)
	if v.Sender == "" {
		switch {
		case l.Sender == "person":
			v.Sender = v.Requester
		case l.Scope == ScopeService:
			v.Sender = tr(lang, "Les représentants du personnel à la F3SCT", "The staff representatives on the F3SCT")
		case l.Scope == ScopePrivate || bodies.Has("cse") || bodies.Has("cse_central"):
			v.Sender = tr(lang, "Les membres élus du comité social et économique", "The elected members of the social and economic committee")
		default:
			v.Sender = tr(lang, "Les représentants du personnel", "The staff representatives")
		}
	}
	switch {
	case l.Scope == ScopeService:
		v.SignAs = tr(lang, "Pour les représentants du personnel à la formation spécialisée", "For the staff representatives on the specialised committee")
	case l.Scope == ScopePrivate || bodies.Has("cse") || bodies.Has("cse_central"):
		v.SignAs = tr(lang, "Pour les élus du comité social et économique", "For the elected members of the social and economic committee")
	default:
		v.SignAs = tr(lang, "Pour les représentants du personnel", "For the staff representatives")
	}
	if d.Place != "" {
		v.PlaceDate = tr(lang, "À "+d.Place+", le "+v.Date, d.Place+", "+v.Date)
	} else {
		v.PlaceDate = tr(lang, "Le "+v.Date, v.Date)
	}

	// The assessment: unmet obligations the letter cites, open questions.
	all := slices.Contains(l.Obligations, "*")
	for _, o := range d.Obligations {
		if o.Status != "unmet" || (!all && !slices.Contains(l.Obligations, o.ID)) {
			continue
		}
		v.Obligations = append(v.Obligations, obligationView{
			ID: o.ID, Title: o.Title.In(lang), Basis: sendable(o.Basis.In(lang)),
			Obligation: o.Obligation.In(lang), Demand: o.Demand.In(lang),
			Confidence: o.Confidence, Unverified: o.Confidence == "unverified",
		})
	}
	for _, u := range d.Unknowns {
		relevant := slices.ContainsFunc(u.Affects, func(r string) bool {
			return slices.Contains(l.Rules, r) || slices.Contains(l.Obligations, r)
		})
		if l.Questions == "all" {
			// Every question on the law or on harm to work; not those
			// that only feed the environmental estimate.
			relevant = len(u.Affects) > 0 || slices.ContainsFunc(u.Dimensions, func(d string) bool { return d != "environment" })
		}
		// Only questions of fact go to the employer: the observations the
		// representatives rate themselves (work.*, 0 to 3) are theirs to
		// answer, not the employer's.
		if !relevant || strings.HasPrefix(u.Fact, "work.") {
			continue
		}
		if q := strings.TrimSpace(u.Question.In(lang)); q != "" && !slices.Contains(v.Questions, q) {
			v.Questions = append(v.Questions, q)
		}
	}
	for _, line := range d.DUERP {
		v.DUERP = append(v.DUERP, duerpView{
			Unit: line.Unit.In(lang), Hazard: line.Hazard.In(lang), Risk: line.Risk.In(lang),
			Measures: line.ProposedMeasures.In(lang), Priority: label(priorityLabels, line.Priority, lang),
			Severity: line.Severity, Frequency: line.Frequency,
		})
	}
	for _, e := range s.Evidence {
		doc := strings.Join(strings.Fields(e.Document), " ")
		if doc == "" {
			continue
		}
		item := doc + " (" + label(sourceLabels, e.Source, lang)
		if !e.Date.IsZero() {
			item += ", " + LongDate(e.Date, lang)
		}
		v.Evidence = append(v.Evidence, item+")")
	}
	return v
}

func label(m map[string]Text, k, lang string) string {
	if t, ok := m[k]; ok {
		return t.In(lang)
	}
	return k
}

var domainLabels = map[string]Text{
	"recruitment":            {"recrutement", "recruitment"},
	"task_allocation":        {"répartition des tâches", "task allocation"},
	"scheduling":             {"planification des horaires", "scheduling"},
	"performance_evaluation": {"évaluation des performances", "performance evaluation"},
	"monitoring":             {"contrôle de l'activité", "monitoring of activity"},
	"promotion_termination":  {"promotion ou rupture du contrat", "promotion or termination"},
	"content_generation":     {"génération de contenus", "content generation"},
	"translation":            {"traduction", "translation"},
	"customer_interaction":   {"relation avec la clientèle ou les usagers", "customer or user interaction"},
	"benefits_eligibility":   {"droit aux prestations", "eligibility for benefits"},
	"fraud_detection":        {"détection de la fraude", "fraud detection"},
	"credit_scoring":         {"évaluation de la solvabilité", "credit scoring"},
	"insurance_pricing":      {"tarification d'assurance", "insurance pricing"},
	"tax_control":            {"contrôle fiscal", "tax control"},
	"emergency_dispatch":     {"répartition des appels d'urgence", "emergency dispatch"},
	"other":                  {"autre usage", "other use"},
}

var capabilityLabels = []struct {
	get func(*vigie.System) vigie.Tri
	t   Text
}{
	{func(s *vigie.System) vigie.Tri { return s.Capabilities.EmotionRecognition }, Text{"il infère les émotions, le ton ou l'humeur des personnes", "it infers people's emotions, tone or mood"}},
	{func(s *vigie.System) vigie.Tri { return s.Capabilities.BiometricCategorisation }, Text{"il classe les personnes d'après leurs données biométriques", "it categorises people from their biometric data"}},
	{func(s *vigie.System) vigie.Tri { return s.Capabilities.RemoteBiometricIdentification }, Text{"il identifie les personnes à distance par la biométrie", "it identifies people remotely by biometrics"}},
	{func(s *vigie.System) vigie.Tri { return s.Capabilities.Profiling }, Text{"il évalue des aspects personnels des personnes (profilage)", "it evaluates personal aspects of people (profiling)"}},
	{func(s *vigie.System) vigie.Tri { return s.Capabilities.SocialScoring }, Text{"il note les comportements des personnes dans la durée", "it scores people's behaviour over time"}},
	{func(s *vigie.System) vigie.Tri { return s.Capabilities.GeneratesContent }, Text{"il produit des textes, images, sons ou vidéos", "it generates text, images, audio or video"}},
	{func(s *vigie.System) vigie.Tri { return s.Capabilities.Deepfake }, Text{"il produit des contenus réalistes imitant des personnes ou des événements", "it produces realistic content imitating people or events"}},
	{func(s *vigie.System) vigie.Tri { return s.Capabilities.Chatbot }, Text{"il dialogue directement avec des personnes", "it talks directly with people"}},
	{func(s *vigie.System) vigie.Tri { return s.Capabilities.VoiceOrAccentTransformation }, Text{"il transforme la voix ou l'accent", "it transforms voices or accents"}},
}

func capabilityList(s *vigie.System) []Text {
	var out []Text
	for _, c := range capabilityLabels {
		if c.get(s).True() {
			out = append(out, c.t)
		}
	}
	return out
}

var specialLabels = map[string]Text{
	"health": {"santé", "health"}, "union_membership": {"appartenance syndicale", "trade-union membership"},
	"ethnic_origin": {"origine ethnique", "ethnic origin"}, "religion": {"religion", "religion"},
	"sexual_orientation": {"orientation sexuelle", "sexual orientation"},
	"political_opinion":  {"opinions politiques", "political opinions"}, "biometric": {"données biométriques", "biometric data"},
}

var subjectLabels = map[string]Text{
	"workers": {"les salariés ou agents", "workers"}, "candidates": {"les candidats", "candidates"},
	"users": {"les usagers ou clients", "users or customers"}, "companies": {"des entreprises", "companies"},
}

var roleLabels = map[string]Text{
	"informs":    {"il informe une décision humaine", "it informs a human decision"},
	"recommends": {"il recommande une décision", "it recommends a decision"},
	"decides":    {"il prend la décision", "it takes the decision"},
}

var reviewLabels = map[string]Text{
	"none": {"aucun contrôle humain", "no human review"}, "nominal": {"un contrôle humain de pure forme", "a nominal human review"},
	"effective": {"un contrôle humain effectif", "an effective human review"},
}

var sourceLabels = map[string]Text{
	"employer": {"document de l'employeur", "employer's document"}, "workers": {"constat des salariés", "workers' observation"},
	"public": {"source publique", "public source"}, "vendor": {"document du fournisseur", "vendor's document"},
	"inference": {"déduction", "inference"},
}

var priorityLabels = map[string]Text{
	"high": {"élevée", "high"}, "medium": {"moyenne", "medium"}, "low": {"faible", "low"},
}

var signalLabels = []struct {
	get func(*vigie.System) vigie.OptInt
	t   Text
}{
	{func(s *vigie.System) vigie.OptInt { return s.Work.WorkloadIncrease }, Text{"intensification du travail", "work intensification"}},
	{func(s *vigie.System) vigie.OptInt { return s.Work.ErrorRepair }, Text{"temps passé à corriger les erreurs de l'outil", "time spent repairing the tool's errors"}},
	{func(s *vigie.System) vigie.OptInt { return s.Work.AutonomyLoss }, Text{"perte d'autonomie", "loss of autonomy"}},
	{func(s *vigie.System) vigie.OptInt { return s.Work.SurveillanceFelt }, Text{"surveillance ressentie", "surveillance felt"}},
	{func(s *vigie.System) vigie.OptInt { return s.Work.Deskilling }, Text{"perte de savoir-faire et de sens", "loss of skills and meaning"}},
	{func(s *vigie.System) vigie.OptInt { return s.Work.Opacity }, Text{"opacité : impossible d'expliquer ou de contester le résultat", "opacity: results cannot be explained or contested"}},
	{func(s *vigie.System) vigie.OptInt { return s.Work.DiscriminationSignals }, Text{"signes de traitement discriminatoire", "signs of discriminatory treatment"}},
	{func(s *vigie.System) vigie.OptInt { return s.Work.JobsCut }, Text{"suppressions de postes", "jobs cut"}},
	{func(s *vigie.System) vigie.OptInt { return s.Work.HealthSignals }, Text{"atteintes à la santé (stress, arrêts, signalements)", "health effects (stress, sick leave, reports)"}},
}

// signalStrength words the representatives' ratings 2 and 3.
var signalStrength = map[int]Text{2: {"marquée", "marked"}, 3: {"forte", "strong"}}

// signals lists the observations of the representatives rated 2 or 3 (of 3).
func signals(s *vigie.System, lang string) []string {
	var out []string
	for _, sg := range signalLabels {
		o := sg.get(s)
		if o.Known && o.V >= 2 {
			// In words, not the representatives' own 0–3 rating.
			out = append(out, sg.t.In(lang)+" ("+signalStrength[o.V].In(lang)+")")
		}
	}
	return out
}

// funcs are the template functions.
func funcs(lang string) template.FuncMap {
	return template.FuncMap{
		// join writes a list in words: "a, b et c" / "a, b and c".
		"join": func(xs []string) string {
			switch len(xs) {
			case 0:
				return ""
			case 1:
				return xs[0]
			}
			return strings.Join(xs[:len(xs)-1], ", ") + tr(lang, " et ", " and ") + xs[len(xs)-1]
		},
		"semi": func(xs []string) string { return strings.Join(xs, tr(lang, " ; ", "; ")) },
	}
}

// Salute is the salutation that follows the addressee: "M. le Directeur"
// is greeted "Monsieur le Directeur", "Mme Durand" "Madame", "Ms Smith"
// "Dear Ms Smith"; with no addressee, or one that says no more, the
// letter's own salutation def.
func (v view) Salute(def string) string {
	a := v.Addressee
	if i := strings.IndexAny(a, "\n,"); i >= 0 {
		a = a[:i]
	}
	a = strings.Join(strings.Fields(a), " ")
	if v.Lang == "en" {
		for _, t := range []string{"Mr ", "Mr. ", "Ms ", "Ms. ", "Mrs ", "Mrs. ", "Dr ", "Dr. "} {
			if strings.HasPrefix(a, t) && len(a) > len(t) {
				return "Dear " + a
			}
		}
		return def
	}
	for _, p := range []struct{ prefix, word string }{
		{"M. ", "Monsieur"}, {"Monsieur ", "Monsieur"}, {"Mme ", "Madame"}, {"Madame ", "Madame"}, {"Me ", "Maître"}, {"Maître ", "Maître"},
	} {
		rest, ok := strings.CutPrefix(a, p.prefix)
		if !ok {
			continue
		}
		// A title ("le Directeur", "la Présidente") is kept; a name is not
		// used in a French salutation.
		for _, art := range []string{"le ", "la ", "l'", "l’"} {
			if strings.HasPrefix(rest, art) {
				return p.word + " " + rest
			}
		}
		return p.word
	}
	return def
}

// doubtRemark is a remark in brackets on how sure the rule base is of a
// basis ("(articles non vérifiés)").
var doubtRemark = regexp.MustCompile(`\s*\([^()]*\b(?i:non vérifiée?s?|pas vérifiée?s?|unverified|not verified)\b[^()]*\)`)

// sendable removes from a basis the remarks on its confidence: they are for
// the sender (see unverifiedNotes), not for the employer.
func sendable(s string) string { return doubtRemark.ReplaceAllString(s, "") }
