package report

import (
	"strings"

	"github.com/vigie-app/vigie"
)

// EnumWords are the words of the enumerated facts' values, by "path.value"
// (French, English): the same as the web pages' (web/locales/facts.*.json,
// kept equal by a test of the web package), so that a dossier made from
// the command line reads as the pages do.
var EnumWords = map[string][2]string{
	"data.special_categories.biometric":              {"Données biométriques", "Biometric data"},
	"data.special_categories.ethnic_origin":          {"Origine ethnique", "Ethnic origin"},
	"data.special_categories.health":                 {"Santé", "Health"},
	"data.special_categories.political_opinion":      {"Opinions politiques", "Political opinions"},
	"data.special_categories.religion":               {"Religion", "Religion"},
	"data.special_categories.sexual_orientation":     {"Orientation sexuelle", "Sexual orientation"},
	"data.special_categories.union_membership":       {"Appartenance syndicale", "Union membership"},
	"decisions.art22_exception.consent":              {"Consentement explicite de la personne", "The person's explicit consent"},
	"decisions.art22_exception.contract":             {"Nécessaire à un contrat avec la personne", "Necessary for a contract with the person"},
	"decisions.art22_exception.law":                  {"Autorisée par une loi", "Authorised by a law"},
	"decisions.art22_exception.none":                 {"Aucune de ces exceptions", "None of these exceptions"},
	"decisions.human_review.effective":               {"Vrai contrôle humain", "Real human check"},
	"decisions.human_review.nominal":                 {"Vérification de pure forme", "Check in name only"},
	"decisions.human_review.none":                    {"Aucune vérification", "No check"},
	"decisions.role.decides":                         {"Il décide", "It decides"},
	"decisions.role.informs":                         {"Il informe", "It informs"},
	"decisions.role.recommends":                      {"Il recommande", "It recommends"},
	"decisions.subjects.candidates":                  {"Candidats à un emploi", "Job candidates"},
	"decisions.subjects.companies":                   {"Entreprises", "Companies"},
	"decisions.subjects.users":                       {"Usagers, clients, allocataires", "Users, customers, claimants"},
	"decisions.subjects.workers":                     {"Salariés ou agents", "Workers"},
	"deployment.status.deployed":                     {"En service", "In service"},
	"deployment.status.pilot":                        {"À l'essai", "On trial"},
	"deployment.status.planned":                      {"En projet", "Planned"},
	"deployment.status.retired":                      {"Arrêté", "Stopped"},
	"evidence.source.employer":                       {"Employeur", "Employer"},
	"evidence.source.inference":                      {"Déduction des élus", "Representatives' inference"},
	"evidence.source.public":                         {"Source publique", "Public source"},
	"evidence.source.vendor":                         {"Fournisseur", "Vendor"},
	"evidence.source.workers":                        {"Salariés (observation)", "Workers (observation)"},
	"organisation.ai_act_role.deployer":              {"Utilisateur (déployeur)", "User (deployer)"},
	"organisation.ai_act_role.provider":              {"Fabricant (fournisseur)", "Maker (provider)"},
	"organisation.ai_act_role.provider_and_deployer": {"Fabricant et utilisateur", "Maker and user"},
	"organisation.kind.private":                      {"Entreprise privée", "Private company"},
	"organisation.kind.public_hospital":              {"Fonction publique hospitalière", "Public hospital service"},
	"organisation.kind.public_private_law":           {"Établissement public à personnel de droit privé", "Public body with private-law staff"},
	"organisation.kind.public_state":                 {"Fonction publique d'État", "State civil service"},
	"organisation.kind.public_territorial":           {"Fonction publique territoriale", "Local government service"},
	"organisation.staff_bodies.csa":                  {"CSA (comité social d'administration)", "CSA (public-service staff committee)"},
	"organisation.staff_bodies.cse":                  {"CSE", "CSE (works council)"},
	"organisation.staff_bodies.cse_central":          {"CSE central", "Central CSE"},
	"organisation.staff_bodies.cse_hospital":         {"CSE d'un hôpital public (comité social d'établissement)", "Public hospital's staff committee (comité social d'établissement)"},
	"organisation.staff_bodies.cssct":                {"CSSCT (commission santé, sécurité)", "CSSCT (health and safety committee)"},
	"organisation.staff_bodies.cst":                  {"CST (comité social territorial)", "CST (territorial staff committee)"},
	"organisation.staff_bodies.f3sct":                {"F3SCT (formation spécialisée santé, sécurité)", "F3SCT (public-service health and safety body)"},
	"purpose.domains.benefits_eligibility":           {"Droit à une prestation ou aide", "Eligibility for a benefit"},
	"purpose.domains.content_generation":             {"Rédaction, création de contenus", "Writing, content creation"},
	"purpose.domains.credit_scoring":                 {"Notation de crédit", "Credit scoring"},
	"purpose.domains.customer_interaction":           {"Relation avec les clients ou usagers", "Dealing with customers or users"},
	"purpose.domains.emergency_dispatch":             {"Tri des appels d'urgence", "Emergency call dispatch"},
	"purpose.domains.fraud_detection":                {"Détection de fraude", "Fraud detection"},
	"purpose.domains.insurance_pricing":              {"Tarification d'assurance", "Insurance pricing"},
	"purpose.domains.monitoring":                     {"Surveillance de l'activité", "Monitoring of activity"},
	"purpose.domains.other":                          {"Autre", "Other"},
	"purpose.domains.performance_evaluation":         {"Évaluation des salariés", "Evaluation of workers"},
	"purpose.domains.promotion_termination":          {"Promotion ou licenciement", "Promotion or dismissal"},
	"purpose.domains.recruitment":                    {"Recrutement", "Recruitment"},
	"purpose.domains.scheduling":                     {"Plannings et horaires", "Rotas and schedules"},
	"purpose.domains.task_allocation":                {"Répartition des tâches", "Allocation of tasks"},
	"purpose.domains.tax_control":                    {"Contrôle fiscal", "Tax audits"},
	"purpose.domains.translation":                    {"Traduction", "Translation"},
}

// valueWords writes the value of the fact at path in words; a list is
// written item by item; a value without words is left as it is.
func (b *builder) valueWords(path, v string) string {
	if _, ok := vigie.Enums[path]; !ok {
		return b.answer(v)
	}
	items := strings.Split(strings.Trim(v, "[]"), ",")
	out := make([]string, 0, len(items))
	for _, it := range items {
		it = strings.TrimSpace(it)
		if w, ok := enumWord(b.lang, path, it); ok {
			out = append(out, w)
		} else if it != "" {
			out = append(out, b.answer(it))
		}
	}
	if len(out) == 0 {
		return b.answer(v)
	}
	return strings.Join(out, ", ")
}

// enumWord is the word of the value v of the enumerated fact at path in
// lang, if it has one.
func enumWord(lang, path, v string) (string, bool) {
	w, ok := EnumWords[path+"."+v]
	if !ok {
		return "", false
	}
	return pick(lang, w[0], w[1]), true
}

// ValueWords names one value of the enumerated fact at path ("purpose.domains",
// "deployment.status"…) in lang, "unknown" as the pages say it; a value
// without words is returned as it is.
func ValueWords(lang, path, v string) string {
	if w, ok := enumWord(lang, path, v); ok {
		return w
	}
	if v == vigie.Unknown {
		return pick(lang, "Inconnu", "Unknown")
	}
	return v
}
