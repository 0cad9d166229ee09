package assess

import (
	"slices"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

var day = vigie.MustDate("2028-01-01")

// base is a fully known, unremarkable system: a private employer of 400
// using a tool that only informs, about its workers, with nothing done.
func base(mod func(s *vigie.System)) *vigie.System {
	f, t := vigie.TriFalse, vigie.TriTrue
	s := &vigie.System{
		Schema: vigie.SystemSchema, Name: "test",
		Organisation: vigie.Employer{Kind: "private", Headcount: vigie.IntOf(400), PublicServiceMission: f,
			StaffBodies: vigie.SetOf("cse"), AIActRole: "deployer", CollectiveAgreementOnAI: f},
		Deployment: vigie.Deployment{Status: "deployed", Since: vigie.MustDate("2026-01-05"), WorkersAffected: vigie.IntOf(10),
			Units: vigie.SetOf("unité"), StaffBodyInformed: f, StaffBodyConsulted: f, ExpertAppointed: f, WorkersInformed: f,
			DUERPUpdated: f, DPIADone: f, FRIADone: f, PersonsInformed: f, AITrainingGiven: f},
		Purpose: vigie.Purpose{Domains: vigie.SetOf("other")},
		Capabilities: vigie.Capabilities{EmotionRecognition: f, BiometricCategorisation: f, RemoteBiometricIdentification: f,
			Profiling: f, SocialScoring: f, GeneratesContent: f, Deepfake: f, Chatbot: f, VoiceOrAccentTransformation: f,
			MedicalOrSafetyPurpose: f},
		Decisions: vigie.Decisions{Subjects: vigie.SetOf("workers"), Role: "informs", LegalOrSimilarEffect: f,
			HumanReview: "effective", IndividualDecisionsPerYear: vigie.IntOf(0)},
		Data: vigie.Data{PersonalData: t, SpecialCategories: vigie.SetOf(), ContinuousMonitoring: f, PersonsConcerned: vigie.IntOf(10)},
		Work: vigie.Work{WorkloadIncrease: vigie.IntOf(0), ErrorRepair: vigie.IntOf(0), AutonomyLoss: vigie.IntOf(0),
			SurveillanceFelt: vigie.IntOf(0), Deskilling: vigie.IntOf(0), Opacity: vigie.IntOf(0),
			DiscriminationSignals: vigie.IntOf(0), JobsCut: vigie.IntOf(0), HealthSignals: vigie.IntOf(0)},
	}
	if mod != nil {
		mod(s)
	}
	return s
}

func has(a *Assessment, id string) bool { _, ok := a.Obligation(id); return ok }

func ground(a *Assessment, article string) (Ground, bool) {
	for _, g := range a.AIAct.Grounds {
		if g.Article == article {
			return g, true
		}
	}
	return Ground{}, false
}

func TestBaseIsMinimal(t *testing.T) {
	a := Evaluate(base(nil), day)
	if a.AIAct.Tier != TierMinimal || len(a.AIAct.Grounds) != 0 || len(a.Unknowns) != 0 {
		t.Fatalf("base: tier %s, grounds %v, unknowns %v", a.AIAct.Tier, a.AIAct.Grounds, a.Unknowns)
	}
}

// Each trigger fires on the facts it names and not on near misses.
func TestTriggers(t *testing.T) {
	type check struct {
		name    string
		mod     func(*vigie.System)
		tier    string
		present []string // obligations that must appear
		absent  []string // obligations that must not appear
		annex   []string
	}
	withPoints := func(points ...string) []string { return points }
	checks := []check{
		// Headcount: the CSE consultation on a new technology needs 50.
		{name: "50 employees", mod: func(s *vigie.System) { s.Organisation.Headcount = vigie.IntOf(50) },
			tier: TierMinimal, present: []string{"CT-NT", "CT-INFO", "CT-SST", "CT-IND"}},
		{name: "49 employees", mod: func(s *vigie.System) { s.Organisation.Headcount = vigie.IntOf(49) },
			tier: TierMinimal, present: []string{"CT-SST", "CT-IND"}, absent: []string{"CT-NT", "CT-INFO", "CT-SURV"}},
		// Emotion recognition of workers: prohibited without a medical or safety purpose.
		{name: "emotions at work", mod: func(s *vigie.System) { s.Capabilities.EmotionRecognition = vigie.TriTrue },
			tier: TierProhibited, present: []string{"AIA-5f", "AIA-50"}},
		{name: "emotions at work, medical purpose", mod: func(s *vigie.System) {
			s.Capabilities.EmotionRecognition = vigie.TriTrue
			s.Capabilities.MedicalOrSafetyPurpose = vigie.TriTrue
		}, tier: TierHigh, present: []string{"AIA-50", "AIA-26", "AIA-26-7"}, absent: []string{"AIA-5f"}, annex: withPoints("1(c)")},
		{name: "emotions of customers", mod: func(s *vigie.System) {
			s.Capabilities.EmotionRecognition = vigie.TriTrue
			s.Decisions.Subjects = vigie.SetOf("users")
		}, tier: TierHigh, present: []string{"AIA-50", "AIA-26"}, absent: []string{"AIA-5f", "AIA-26-7"}, annex: withPoints("1(c)")},
		{name: "emotions of candidates", mod: func(s *vigie.System) {
			s.Capabilities.EmotionRecognition = vigie.TriTrue
			s.Decisions.Subjects = vigie.SetOf("candidates")
		}, tier: TierProhibited, present: []string{"AIA-5f"}},
		// Biometrics: verification only is not Annex III 1(a); remote identification is.
		{name: "biometric verification only", mod: func(s *vigie.System) { s.Data.SpecialCategories = vigie.SetOf("biometric") },
			tier: TierMinimal, present: []string{"CNIL-RT-BIO", "GDPR-35", "CT-IND"}, absent: []string{"AIA-26"}},
		{name: "remote biometric identification", mod: func(s *vigie.System) {
			s.Data.SpecialCategories = vigie.SetOf("biometric")
			s.Capabilities.RemoteBiometricIdentification = vigie.TriTrue
		}, tier: TierHigh, present: []string{"AIA-26", "AIA-26-7", "CNIL-RT-BIO"}, annex: withPoints("1(a)")},
		{name: "biometric categorisation", mod: func(s *vigie.System) { s.Capabilities.BiometricCategorisation = vigie.TriTrue },
			tier: TierProhibited, present: []string{"AIA-5g", "AIA-50"}},
		{name: "social scoring", mod: func(s *vigie.System) { s.Capabilities.SocialScoring = vigie.TriTrue },
			tier: TierProhibited, present: []string{"AIA-5c"}},
		// Benefits: natural persons and a public authority are needed for 5(a).
		{name: "benefits, public body, claimants", mod: func(s *vigie.System) {
			s.Organisation.Kind = "public_private_law"
			s.Purpose.Domains = vigie.SetOf("benefits_eligibility")
			s.Decisions.Subjects = vigie.SetOf("users")
			s.Decisions.Role = "recommends"
		}, tier: TierHigh, present: []string{"AIA-27", "AIA-26", "AIA-26-11", "CRPA-ALGO"}, absent: []string{"AIA-26-7"}, annex: withPoints("5(a)")},
		{name: "benefits, public body, companies", mod: func(s *vigie.System) {
			s.Organisation.Kind = "public_private_law"
			s.Purpose.Domains = vigie.SetOf("benefits_eligibility")
			s.Decisions.Subjects = vigie.SetOf("companies")
			s.Decisions.Role = "recommends"
		}, tier: TierMinimal, absent: []string{"AIA-27", "AIA-26", "AIA-26-11"}},
		{name: "benefits, private body with public-service mission", mod: func(s *vigie.System) {
			s.Organisation.PublicServiceMission = vigie.TriTrue
			s.Purpose.Domains = vigie.SetOf("benefits_eligibility")
			s.Decisions.Subjects = vigie.SetOf("users")
		}, tier: TierHigh, present: []string{"AIA-27", "CRPA-DOC"}[:1], annex: withPoints("5(a)")},
		{name: "benefits, private body without mission", mod: func(s *vigie.System) {
			s.Purpose.Domains = vigie.SetOf("benefits_eligibility")
			s.Decisions.Subjects = vigie.SetOf("users")
		}, tier: TierMinimal, absent: []string{"AIA-27", "AIA-26", "CRPA-ALGO"}},
		// Art. 27 for an employment system: public-service mission on and off.
		{name: "rota planner, public-service mission", mod: func(s *vigie.System) {
			s.Purpose.Domains = vigie.SetOf("scheduling")
			s.Organisation.PublicServiceMission = vigie.TriTrue
			s.Decisions.Role = "decides"
			s.Decisions.LegalOrSimilarEffect = vigie.TriTrue
		}, tier: TierHigh, present: []string{"AIA-27", "AIA-26-7"}, absent: []string{"CRPA-ALGO"}, annex: withPoints("4(b)")},
		{name: "rota planner, ordinary private employer", mod: func(s *vigie.System) {
			s.Purpose.Domains = vigie.SetOf("scheduling")
			s.Decisions.Role = "decides"
			s.Decisions.LegalOrSimilarEffect = vigie.TriTrue
		}, tier: TierHigh, present: []string{"AIA-26-7", "AIA-26-11"}, absent: []string{"AIA-27"}, annex: withPoints("4(b)")},
		// Annex III 4(b) (legal.md 7.1): the domain decides, whatever the
		// role and with no legal-effect test; a decision with legal effect
		// outside those domains is not 4(b).
		{name: "task allocation without profiling", mod: func(s *vigie.System) { s.Purpose.Domains = vigie.SetOf("task_allocation") },
			tier: TierHigh, present: []string{"AIA-26-7"}, annex: withPoints("4(b)")},
		{name: "decision with legal effect outside the 4(b) domains", mod: func(s *vigie.System) {
			s.Decisions.Role = "decides"
			s.Decisions.LegalOrSimilarEffect = vigie.TriTrue
		}, tier: TierMinimal, absent: []string{"AIA-26-7"}},
		{name: "task allocation by traits", mod: func(s *vigie.System) {
			s.Purpose.Domains = vigie.SetOf("task_allocation")
			s.Capabilities.Profiling = vigie.TriTrue
		}, tier: TierHigh, present: []string{"AIA-26-7"}, annex: withPoints("4(b)")},
		{name: "task allocation of companies' files", mod: func(s *vigie.System) {
			s.Purpose.Domains = vigie.SetOf("task_allocation", "tax_control")
			s.Capabilities.Profiling = vigie.TriTrue
			s.Decisions.Subjects = vigie.SetOf("companies")
		}, tier: TierMinimal, absent: []string{"AIA-26-7", "AIA-26"}},
		{name: "monitoring workers", mod: func(s *vigie.System) { s.Purpose.Domains = vigie.SetOf("monitoring") },
			tier: TierHigh, present: []string{"CT-SURV", "AIA-26-7"}, annex: withPoints("4(b)")},
		{name: "recruitment", mod: func(s *vigie.System) {
			s.Purpose.Domains = vigie.SetOf("recruitment")
			s.Decisions.Subjects = vigie.SetOf("candidates")
		}, tier: TierHigh, present: []string{"CT-SURV", "CT-IND"}, absent: []string{"AIA-26-7"}, annex: withPoints("4(a)")},
		// Public employers: CSA and F3SCT instead of the CSE.
		{name: "State administration", mod: func(s *vigie.System) {
			s.Organisation.Kind = "public_state"
			s.Organisation.StaffBodies = vigie.SetOf("csa", "f3sct")
		}, tier: TierMinimal, present: []string{"FP-CSA", "FP-F3SCT"}, absent: []string{"CT-NT", "CT-SURV", "CT-SST"}},
		{name: "State administration without an F3SCT", mod: func(s *vigie.System) {
			s.Organisation.Kind = "public_state"
			s.Organisation.StaffBodies = vigie.SetOf("csa")
		}, tier: TierMinimal, present: []string{"FP-CSA"}, absent: []string{"FP-F3SCT", "CT-NT"}},
		{name: "EPA with private-law staff", mod: func(s *vigie.System) { s.Organisation.Kind = "public_private_law" },
			tier: TierMinimal, present: []string{"CT-NT"}, absent: []string{"FP-CSA", "FP-F3SCT"}},
		// Art. 50.
		{name: "chatbot", mod: func(s *vigie.System) {
			s.Capabilities.Chatbot = vigie.TriTrue
			s.Organisation.AIActRole = "provider_and_deployer"
		}, tier: TierTransparency, present: []string{"AIA-50"}},
		{name: "bought generator: marking binds the vendor", mod: func(s *vigie.System) {
			s.Capabilities.GeneratesContent = vigie.TriTrue
			s.Usage = &vigie.Usage{PublishesToPublic: vigie.TriFalse}
		}, tier: TierTransparency, absent: []string{"AIA-50"}},
		{name: "bought generator publishing to the public: 50(4) binds the deployer", mod: func(s *vigie.System) {
			s.Capabilities.GeneratesContent = vigie.TriTrue
			s.Usage = &vigie.Usage{PublishesToPublic: vigie.TriTrue}
		}, tier: TierTransparency, present: []string{"AIA-50"}},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			a := Evaluate(base(c.mod), day)
			if a.AIAct.Tier != c.tier {
				t.Errorf("tier %s, want %s (grounds %+v)", a.AIAct.Tier, c.tier, a.AIAct.Grounds)
			}
			for _, id := range c.present {
				if !has(a, id) {
					t.Errorf("%s missing", id)
				}
			}
			for _, id := range c.absent {
				if has(a, id) {
					t.Errorf("%s present", id)
				}
			}
			if c.annex != nil && !slices.Equal(a.AIAct.AnnexIII, c.annex) {
				t.Errorf("annex_iii %v, want %v", a.AIAct.AnnexIII, c.annex)
			}
		})
	}
}

// Obligation statuses follow the table of testdata/cases/README.md.
func TestStatuses(t *testing.T) {
	consulted := func(opened string, expert bool, since string, bodies ...string) func(*vigie.System) {
		return func(s *vigie.System) {
			s.Deployment.StaffBodyConsulted = vigie.TriTrue
			s.Deployment.ConsultationOpenedOn = vigie.MustDate(opened)
			s.Deployment.ExpertAppointed = vigie.TriOf(expert)
			s.Deployment.Since = vigie.MustDate(since)
			s.Organisation.StaffBodies = vigie.SetOf(bodies...)
		}
	}
	cases := []struct {
		name, id, want string
		mod            func(*vigie.System)
	}{
		{"not consulted", "CT-NT", StatusUnmet, nil},
		// The opinion is deemed given at the expiry: use on the expiry day
		// comes before it (legal.md 7.1).
		{"consulted, used on the expiry day", "CT-NT", StatusUnmet, consulted("2026-01-15", false, "2026-02-15", "cse")},
		{"consulted, used the day after the expiry", "CT-NT", StatusMet, consulted("2026-01-15", false, "2026-02-16", "cse")},
		{"consulted, used one day early", "CT-NT", StatusUnmet, consulted("2026-01-15", false, "2026-02-14", "cse")},
		{"expert: 2 months", "CT-NT", StatusUnmet, consulted("2026-01-15", true, "2026-03-14", "cse")},
		{"expert: used on the expiry day", "CT-NT", StatusUnmet, consulted("2026-01-15", true, "2026-03-15", "cse")},
		{"expert: 2 months ran out", "CT-NT", StatusMet, consulted("2026-01-15", true, "2026-03-16", "cse")},
		// A central CSE and an expert with the single-body fields: the
		// levels are unknown, so 2 or 3 months.
		{"central CSE and expert, levels unknown", "CT-NT", StatusUnknown, consulted("2026-01-15", true, "2026-04-14", "cse", "cse_central")},
		{"central CSE and expert, levels unknown, 3 months ran out", "CT-NT", StatusMet, consulted("2026-01-15", true, "2026-04-16", "cse", "cse_central")},
		{"opinion given before use", "CT-NT", StatusMet, func(s *vigie.System) {
			consulted("2026-01-15", true, "2026-01-20", "cse")(s)
			s.Deployment.StaffBodyOpinionOn = vigie.MustDate("2026-01-19")
		}},
		{"expert unknown, used after 1 month", "CT-NT", StatusUnknown, func(s *vigie.System) {
			consulted("2026-01-15", false, "2026-02-20", "cse")(s)
			s.Deployment.ExpertAppointed = vigie.TriUnknown
		}},
		{"expert unknown, no central CSE, used after 2 months", "CT-NT", StatusMet, func(s *vigie.System) {
			consulted("2026-01-15", false, "2026-03-16", "cse")(s)
			s.Deployment.ExpertAppointed = vigie.TriUnknown
		}},
		{"expert unknown, used within 1 month", "CT-NT", StatusUnmet, func(s *vigie.System) {
			consulted("2026-01-15", false, "2026-02-10", "cse")(s)
			s.Deployment.ExpertAppointed = vigie.TriUnknown
		}},
		{"expert unknown, used after 3 months", "CT-NT", StatusMet, func(s *vigie.System) {
			consulted("2026-01-15", false, "2026-04-16", "cse")(s)
			s.Deployment.ExpertAppointed = vigie.TriUnknown
		}},
		{"opinion recorded after the delay ran out", "CT-NT", StatusMet, func(s *vigie.System) {
			consulted("2026-01-15", false, "2026-03-01", "cse")(s)
			s.Deployment.StaffBodyOpinionOn = vigie.MustDate("2026-06-01")
		}},
		{"consulted, date unknown", "CT-NT", StatusUnknown, func(s *vigie.System) {
			s.Deployment.StaffBodyConsulted = vigie.TriTrue
		}},
		{"consultation unknown", "CT-NT", StatusUnknown, func(s *vigie.System) { s.Deployment.StaffBodyConsulted = vigie.TriUnknown }},
		{"planned, not consulted yet", "CT-NT", StatusUnknown, func(s *vigie.System) { s.Deployment.Status = "planned" }},
		{"pilot counts as use", "CT-NT", StatusUnmet, func(s *vigie.System) { s.Deployment.Status = "pilot" }},
		{"DUERP updated", "CT-SST", StatusMet, func(s *vigie.System) { s.Deployment.DUERPUpdated = vigie.TriTrue }},
		{"DUERP unknown", "CT-SST", StatusUnknown, func(s *vigie.System) { s.Deployment.DUERPUpdated = vigie.TriUnknown }},
		{"workers informed", "CT-IND", StatusMet, func(s *vigie.System) { s.Deployment.WorkersInformed = vigie.TriTrue }},
		{"personnel processing: informed", "CT-SURV", StatusMet, func(s *vigie.System) { s.Deployment.StaffBodyInformed = vigie.TriTrue }},
		{"monitoring needs consultation", "CT-SURV", StatusUnmet, func(s *vigie.System) {
			s.Deployment.StaffBodyInformed = vigie.TriTrue
			s.Data.ContinuousMonitoring = vigie.TriTrue
		}},
		{"26(7) needs both", "AIA-26-7", StatusUnmet, func(s *vigie.System) {
			s.Deployment.Since = vigie.MustDate("2027-12-05")
			s.Purpose.Domains = vigie.SetOf("monitoring")
			s.Deployment.StaffBodyInformed = vigie.TriTrue
		}},
		{"26(7) both informed", "AIA-26-7", StatusMet, func(s *vigie.System) {
			s.Deployment.Since = vigie.MustDate("2027-12-05")
			s.Purpose.Domains = vigie.SetOf("monitoring")
			s.Deployment.StaffBodyInformed = vigie.TriTrue
			s.Deployment.WorkersInformed = vigie.TriTrue
		}},
		{"26 has no fact", "AIA-26", StatusUnknown, func(s *vigie.System) {
			s.Deployment.Since = vigie.MustDate("2027-12-05")
			s.Purpose.Domains = vigie.SetOf("monitoring")
		}},
		{"prohibition retired", "AIA-5f", StatusMet, func(s *vigie.System) {
			s.Capabilities.EmotionRecognition = vigie.TriTrue
			s.Deployment.Status = "retired"
		}},
		{"prohibition planned", "AIA-5f", StatusUnknown, func(s *vigie.System) {
			s.Capabilities.EmotionRecognition = vigie.TriTrue
			s.Deployment.Status = "planned"
		}},
		{"DPIA done", "GDPR-35", StatusMet, func(s *vigie.System) {
			s.Capabilities.Profiling = vigie.TriTrue
			s.Deployment.DPIADone = vigie.TriTrue
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := Evaluate(base(c.mod), day)
			o, ok := a.Obligation(c.id)
			if !ok {
				t.Fatalf("%s missing", c.id)
			}
			if o.Status != c.want {
				t.Errorf("%s: %s, want %s (because %v)", c.id, o.Status, c.want, o.Because)
			}
		})
	}
}

// The Annex III obligations apply from 2027-12-02: upcoming the day before,
// unmet that day.
func TestDateBoundary(t *testing.T) {
	sys := loadSystem(t, "testdata/cases/03-poste-planification-bureaux.yaml")
	// Significantly changed from the cut-off: Art. 111(2) no longer spares it.
	sys.Deployment.SignificantlyModifiedOn = vigie.MustDate("2027-12-02")
	before := Evaluate(sys, vigie.MustDate("2027-12-01"))
	on := Evaluate(sys, vigie.MustDate("2027-12-02"))
	for _, id := range []string{"AIA-26-7", "AIA-26-11"} {
		b, _ := before.Obligation(id)
		o, _ := on.Obligation(id)
		if b.Status != StatusUpcoming || b.AppliesFrom != "2027-12-02" {
			t.Errorf("%s on 2027-12-01: %s from %s, want upcoming from 2027-12-02", id, b.Status, b.AppliesFrom)
		}
		if o.Status != StatusUnmet {
			t.Errorf("%s on 2027-12-02: %s, want unmet", id, o.Status)
		}
	}
	gb, _ := ground(before, "6(2)")
	go_, _ := ground(on, "6(2)")
	if gb.InForce || !go_.InForce {
		t.Errorf("6(2) in force: %v then %v", gb.InForce, go_.InForce)
	}
	if before.AIAct.Tier != TierHigh || on.AIAct.Tier != TierHigh {
		t.Errorf("tier moved with the date")
	}
	// Art. 50 from 2026-08-02.
	sys = loadSystem(t, "testdata/cases/01-centre-appels-analyse-vocale.yaml")
	b, _ := Evaluate(sys, vigie.MustDate("2026-08-01")).Obligation("AIA-50")
	o, _ := Evaluate(sys, vigie.MustDate("2026-08-02")).Obligation("AIA-50")
	if b.Status != StatusUpcoming || o.Status != StatusUnmet {
		t.Errorf("AIA-50: %s then %s", b.Status, o.Status)
	}
	// Art. 50(2) for a system bought before 2026-08-02: 2026-12-02.
	gen := base(func(s *vigie.System) { s.Capabilities.GeneratesContent = vigie.TriTrue })
	g1, _ := ground(Evaluate(gen, vigie.MustDate("2026-12-01")), "50(2)")
	g2, _ := ground(Evaluate(gen, vigie.MustDate("2026-12-02")), "50(2)")
	if g1.InForce || !g2.InForce || g1.AppliesFrom != "2026-12-02" {
		t.Errorf("50(2) legacy: %+v then %+v", g1, g2)
	}
}

// Every rule id the package names exists; every fact a rule or the risk
// formula reads has a question.
func TestIDsAndQuestions(t *testing.T) {
	b := law.MustLoad()
	for _, id := range RuleIDsUsed() {
		if !b.Has(id) {
			t.Errorf("unknown rule id %s used by assess", id)
		}
	}
	qs := questionIndex()
	feeds, dims := FactsRead()
	for f := range feeds {
		if _, ok := qs[f]; !ok {
			t.Errorf("fact %s feeds rules %v but has no question", f, feeds[f])
		}
	}
	for f := range dims {
		if _, ok := qs[f]; !ok {
			t.Errorf("fact %s feeds risks %v but has no question", f, dims[f])
		}
	}
	for _, q := range Questionnaire() {
		if len(q.Feeds) == 0 && len(q.Dimensions) == 0 && q.Fact != "deployment.units" {
			t.Errorf("question %s feeds nothing", q.Fact)
		}
	}
	// A broken formula is refused.
	if _, err := parseFormula([]byte("method: x\n"), b); err == nil {
		t.Error("empty formula accepted")
	}
	bad := []byte(string(riskYAML) + "\n")
	bad = []byte(replaceOnce(string(bad), "rules: [GDPR-35, GDPR-15]", "rules: [GDPR-35, GDPR-99]"))
	if _, err := parseFormula(bad, b); err == nil {
		t.Error("formula with an unknown rule accepted")
	}
}

func replaceOnce(s, old, new string) string {
	i := indexOf(s, old)
	if i < 0 {
		return s
	}
	return s[:i] + new + s[i+len(old):]
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
