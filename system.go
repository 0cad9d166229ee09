package vigie

// SystemSchema is the schema tag of a system file.
const SystemSchema = "vigie/system/v1"

// System is one AI system as the staff representatives know it: the facts of
// a `vigie/system/v1` file (see docs/system-file.md). Every fact may
// be unknown; the zero value of each fact type means unknown.
type System struct {
	Schema      string `yaml:"schema" json:"schema"`
	Name        string `yaml:"name" json:"name"`
	Vendor      string `yaml:"vendor,omitempty" json:"vendor,omitempty"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// PublicDescription is the text the representatives write for open
	// data; only it, never Description, is published (empty: none).
	PublicDescription string       `yaml:"public_description,omitempty" json:"public_description,omitempty"`
	Organisation      Employer     `yaml:"organisation" json:"organisation"`
	Deployment        Deployment   `yaml:"deployment" json:"deployment"`
	Purpose           Purpose      `yaml:"purpose" json:"purpose"`
	Capabilities      Capabilities `yaml:"capabilities" json:"capabilities"`
	Decisions         Decisions    `yaml:"decisions" json:"decisions"`
	Data              Data         `yaml:"data" json:"data"`
	Work              Work         `yaml:"work" json:"work"`
	Usage             *Usage       `yaml:"usage,omitempty" json:"usage,omitempty"`
	Jobs              *Jobs        `yaml:"jobs,omitempty" json:"jobs,omitempty"`
	Evidence          []Evidence   `yaml:"evidence,omitempty" json:"evidence,omitempty"`
}

// Employer describes the employer or establishment where the system is used
// (the "organisation" section of a system file).
type Employer struct {
	Kind      string `yaml:"kind" json:"kind"` // see Enums["organisation.kind"]
	Headcount OptInt `yaml:"headcount" json:"headcount"`
	// CompanyHeadcount is the headcount of the whole company (entreprise):
	// the CSE's attributions depend on it; Headcount is then the
	// establishment's.
	CompanyHeadcount        OptInt `yaml:"company_headcount" json:"company_headcount"`
	PublicServiceMission    Tri    `yaml:"public_service_mission" json:"public_service_mission"`
	StaffBodies             Set    `yaml:"staff_bodies" json:"staff_bodies"`
	AIActRole               string `yaml:"ai_act_role" json:"ai_act_role"`
	CollectiveAgreementOnAI Tri    `yaml:"collective_agreement_on_ai" json:"collective_agreement_on_ai"`
}

// Deployment is the state of the system's introduction and of the procedures
// that should have preceded it.
type Deployment struct {
	Status                  string `yaml:"status" json:"status"`
	Since                   Date   `yaml:"since" json:"since"`
	WorkersAffected         OptInt `yaml:"workers_affected" json:"workers_affected"`
	Units                   Set    `yaml:"units" json:"units"`
	StaffBodyInformed       Tri    `yaml:"staff_body_informed" json:"staff_body_informed"`
	StaffBodyConsulted      Tri    `yaml:"staff_body_consulted" json:"staff_body_consulted"`
	ConsultationOpenedOn    Date   `yaml:"consultation_opened_on" json:"consultation_opened_on"`
	ExpertAppointed         Tri    `yaml:"expert_appointed" json:"expert_appointed"`
	WorkersInformed         Tri    `yaml:"workers_informed" json:"workers_informed"`
	StaffBodyOpinionOn      Date   `yaml:"staff_body_opinion_on" json:"staff_body_opinion_on"`
	DUERPUpdated            Tri    `yaml:"duerp_updated" json:"duerp_updated"`
	DPIADone                Tri    `yaml:"dpia_done" json:"dpia_done"`
	FRIADone                Tri    `yaml:"fria_done" json:"fria_done"`
	PersonsInformed         Tri    `yaml:"persons_informed" json:"persons_informed"`
	SignificantlyModifiedOn Date   `yaml:"significantly_modified_on" json:"significantly_modified_on"`
	// AITrainingGiven: AI literacy measures were taken for the staff who
	// use the system (AI Act Art. 4).
	AITrainingGiven Tri `yaml:"ai_training_given" json:"ai_training_given"`
	// Consultations holds one entry per staff body consulted (or asked to
	// be). The single-body fields above mean the first body of
	// organisation.staff_bodies; a file may not give both forms for the
	// same body. Nil or empty: nothing recorded per body.
	Consultations []Consultation `yaml:"consultations,omitempty" json:"consultations,omitempty"`
}

// Consultation is the consultation of one staff body on the system.
type Consultation struct {
	Body string `yaml:"body" json:"body"` // see Enums["deployment.consultations.body"]
	// InformationReceivedOn is the date the employer transmitted the
	// information for the consultation: the consultation delay runs from it.
	InformationReceivedOn Date `yaml:"information_received_on" json:"information_received_on"`
	ExpertAppointed       Tri  `yaml:"expert_appointed" json:"expert_appointed"`
	// Levels is establishment, central or both (a consultation held at both
	// levels of a company with establishments).
	Levels string `yaml:"levels" json:"levels"`
	// InformationSufficient is the representatives' judgement of the
	// information received (Code du travail L2312-15).
	InformationSufficient Tri `yaml:"information_sufficient" json:"information_sufficient"`
	// OpinionOn is the date an opinion was actually given.
	OpinionOn Date `yaml:"opinion_on" json:"opinion_on"`
}

// Purpose lists the domains the system is used in.
type Purpose struct {
	Domains Set `yaml:"domains" json:"domains"`
}

// Capabilities are what the system technically does.
type Capabilities struct {
	EmotionRecognition            Tri `yaml:"emotion_recognition" json:"emotion_recognition"`
	BiometricCategorisation       Tri `yaml:"biometric_categorisation" json:"biometric_categorisation"`
	RemoteBiometricIdentification Tri `yaml:"remote_biometric_identification" json:"remote_biometric_identification"`
	Profiling                     Tri `yaml:"profiling" json:"profiling"`
	SocialScoring                 Tri `yaml:"social_scoring" json:"social_scoring"`
	GeneratesContent              Tri `yaml:"generates_content" json:"generates_content"`
	Deepfake                      Tri `yaml:"deepfake" json:"deepfake"`
	Chatbot                       Tri `yaml:"chatbot" json:"chatbot"`
	VoiceOrAccentTransformation   Tri `yaml:"voice_or_accent_transformation" json:"voice_or_accent_transformation"`
	MedicalOrSafetyPurpose        Tri `yaml:"medical_or_safety_purpose" json:"medical_or_safety_purpose"`
}

// Decisions describes whom the system's outputs are about and what they do.
type Decisions struct {
	Subjects                   Set    `yaml:"subjects" json:"subjects"`
	Role                       string `yaml:"role" json:"role"`
	LegalOrSimilarEffect       Tri    `yaml:"legal_or_similar_effect" json:"legal_or_similar_effect"`
	HumanReview                string `yaml:"human_review" json:"human_review"`
	IndividualDecisionsPerYear OptInt `yaml:"individual_decisions_per_year" json:"individual_decisions_per_year"`
	// Art22Exception is the GDPR Art. 22(2) exception the employer relies
	// on for a solely automated decision: contract, law, consent or none.
	Art22Exception string `yaml:"art22_exception" json:"art22_exception"`
}

// Data describes the personal data the system processes.
type Data struct {
	PersonalData         Tri    `yaml:"personal_data" json:"personal_data"`
	SpecialCategories    Set    `yaml:"special_categories" json:"special_categories"`
	ContinuousMonitoring Tri    `yaml:"continuous_monitoring" json:"continuous_monitoring"`
	PersonsConcerned     OptInt `yaml:"persons_concerned" json:"persons_concerned"`
}

// Work holds what the representatives observe of the effects on work, each
// from 0 (none) to 3 (severe), or unknown.
type Work struct {
	WorkloadIncrease      OptInt `yaml:"workload_increase" json:"workload_increase"`
	ErrorRepair           OptInt `yaml:"error_repair" json:"error_repair"`
	AutonomyLoss          OptInt `yaml:"autonomy_loss" json:"autonomy_loss"`
	SurveillanceFelt      OptInt `yaml:"surveillance_felt" json:"surveillance_felt"`
	Deskilling            OptInt `yaml:"deskilling" json:"deskilling"`
	Opacity               OptInt `yaml:"opacity" json:"opacity"`
	DiscriminationSignals OptInt `yaml:"discrimination_signals" json:"discrimination_signals"`
	JobsCut               OptInt `yaml:"jobs_cut" json:"jobs_cut"`
	HealthSignals         OptInt `yaml:"health_signals" json:"health_signals"`
}

// Usage describes the generative-AI usage, for the environmental footprint.
type Usage struct {
	Model                  string   `yaml:"model,omitempty" json:"model,omitempty"`
	ParamsActiveB          OptFloat `yaml:"params_active_b" json:"params_active_b"`
	ParamsTotalB           OptFloat `yaml:"params_total_b" json:"params_total_b"`
	RequestsPerDay         OptInt   `yaml:"requests_per_day" json:"requests_per_day"`
	OutputTokensPerRequest OptInt   `yaml:"output_tokens_per_request" json:"output_tokens_per_request"`
	WorkingDaysPerYear     OptInt   `yaml:"working_days_per_year" json:"working_days_per_year"`
	Zone                   string   `yaml:"zone,omitempty" json:"zone,omitempty"`
	// PublishesToPublic: AI-generated text is published to inform the
	// public on matters of public interest (AI Act Art. 50(4)).
	PublishesToPublic Tri `yaml:"publishes_to_public" json:"publishes_to_public"`
	// EditorialResponsibility: a person reviews that text and holds
	// editorial responsibility for it.
	EditorialResponsibility Tri `yaml:"editorial_responsibility" json:"editorial_responsibility"`
}

// Evidence records where a fact comes from.
type Evidence struct {
	Fact     string `yaml:"fact" json:"fact"`         // path of the fact, e.g. capabilities.emotion_recognition
	Source   string `yaml:"source" json:"source"`     // employer | workers | public | vendor | inference
	Document string `yaml:"document" json:"document"` // the document, page, observation
	Date     Date   `yaml:"date" json:"date"`
}

// Enums lists the allowed values of each enumerated fact, by path. For a list
// fact (a Set) they are the allowed items.
var Enums = map[string][]string{
	"organisation.kind":         {"private", "public_state", "public_territorial", "public_hospital", "public_private_law"},
	"organisation.staff_bodies": StaffBodies,
	"organisation.ai_act_role":  {"deployer", "provider", "provider_and_deployer"},
	"deployment.status":         {"planned", "pilot", "deployed", "retired"},
	"purpose.domains": {"recruitment", "task_allocation", "scheduling", "performance_evaluation", "monitoring",
		"promotion_termination", "content_generation", "translation", "customer_interaction",
		"benefits_eligibility", "fraud_detection", "credit_scoring", "insurance_pricing",
		"tax_control", "emergency_dispatch", "other"},
	"decisions.subjects":              {"workers", "candidates", "users", "companies"},
	"decisions.role":                  {"informs", "recommends", "decides"},
	"decisions.human_review":          {"none", "nominal", "effective"},
	"decisions.art22_exception":       {"contract", "law", "consent", "none"},
	"deployment.consultations.body":   StaffBodies,
	"deployment.consultations.levels": {"establishment", "central", "both"},
	"data.special_categories":         {"health", "union_membership", "ethnic_origin", "religion", "sexual_orientation", "political_opinion", "biometric"},
	"evidence.source":                 {"employer", "workers", "public", "vendor", "inference"},
}

// StaffBodies are the staff bodies a system file names: the CSE of an
// establishment or company, the central CSE, its health and safety
// commission, the comité social d'administration (State), the comité social
// territorial, the comité social d'établissement of a public hospital, and
// the health and safety panel of a public comité.
var StaffBodies = []string{"cse", "cse_central", "cssct", "csa", "cst", "cse_hospital", "f3sct"}

// EvidenceSources are the kinds of source of a fact or a document.
var EvidenceSources = Enums["evidence.source"]

// workScale is the range of every work.* observation.
const workScaleMax = 3
