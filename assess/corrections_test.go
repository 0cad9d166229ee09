package assess

import (
	"slices"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

// The tests of this file follow the corrections of the legal review of
// 2026-12-03: each case fails on the behaviour before it.

func rightOf(a *Assessment, id string) (Right, bool) {
	for _, r := range a.Rights {
		if r.ID == id {
			return r, true
		}
	}
	return Right{}, false
}

func status(a *Assessment, id string) string {
	if o, ok := a.Obligation(id); ok {
		return o.Status
	}
	return "absent"
}

func asked(a *Assessment, fact, rule string) bool {
	return slices.ContainsFunc(a.Unknowns, func(u Unknown) bool {
		return (fact == "" || u.Fact == fact) && slices.Contains(u.Affects, rule)
	})
}

// recent puts the system into service after the Art. 111(2) cut-off.
func recent(s *vigie.System) { s.Deployment.Since = vigie.MustDate("2027-12-05") }

// Art. 3(4): whoever uses a system is its deployer, whatever ai_act_role says.
func TestDeployerByUse(t *testing.T) {
	for _, role := range []string{"deployer", "provider", "provider_and_deployer", ""} {
		for _, status := range []string{"planned", "pilot", "deployed"} {
			a := Evaluate(base(func(s *vigie.System) {
				recent(s)
				s.Organisation.AIActRole = role
				s.Deployment.Status = status
				s.Purpose.Domains = vigie.SetOf("monitoring")
				s.Decisions.Role = "recommends"
			}), day)
			for _, id := range []string{"AIA-26", "AIA-26-7", "AIA-26-11"} {
				o, ok := a.Obligation(id)
				if !ok || o.Applies != "yes" {
					t.Errorf("role %q, %s: %s %+v, want it to apply to the deployer by use", role, status, id, o.Status)
				}
			}
		}
	}
	// Status unknown: whether the employer uses it is unknown.
	a := Evaluate(base(func(s *vigie.System) {
		recent(s)
		s.Deployment.Status = ""
		s.Purpose.Domains = vigie.SetOf("monitoring")
	}), day)
	if o, _ := a.Obligation("AIA-26-7"); o.Applies != StatusUnknown {
		t.Errorf("status unknown: AIA-26-7 applies %q", o.Applies)
	}
	// Art. 50(3) binds the deployer by use: a provider using its own
	// emotion recogniser on customers must inform them.
	a = Evaluate(base(func(s *vigie.System) {
		s.Organisation.AIActRole = "provider"
		s.Capabilities.EmotionRecognition = vigie.TriTrue
		s.Decisions.Subjects = vigie.SetOf("users")
	}), day)
	if st := status(a, "AIA-50"); st != StatusUnmet {
		t.Errorf("provider using emotion recognition on customers: AIA-50 %s, want unmet", st)
	}
}

// Art. 111(2) as amended: systems in service before 2027-12-02 and not
// significantly changed from that date.
func TestLegacySystems(t *testing.T) {
	monitoring := func(mod func(*vigie.System)) *vigie.System {
		return base(func(s *vigie.System) {
			s.Purpose.Domains = vigie.SetOf("monitoring")
			mod(s)
		})
	}
	cases := []struct {
		name, kind, since, modified string
		want, from                  string
	}{
		{"private, in service the day before the cut-off", "private", "2027-12-01", "", StatusNotApplicable, ""},
		{"private, in service on the cut-off", "private", "2027-12-02", "", StatusUnmet, ""},
		{"private, modified the day before the cut-off", "private", "2027-12-01", "2027-12-01", StatusNotApplicable, ""},
		{"private, modified on the cut-off", "private", "2026-01-05", "2027-12-02", StatusUnmet, ""},
		{"State, legacy", "public_state", "2026-01-05", "", StatusUpcoming, "2030-08-02"},
		{"hospital, legacy", "public_hospital", "2026-01-05", "", StatusUpcoming, "2030-08-02"},
		{"EPA, legacy", "public_private_law", "2026-01-05", "", StatusUpcoming, "2030-08-02"},
		{"State, legacy but modified", "public_state", "2026-01-05", "2028-03-01", StatusUnmet, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := monitoring(func(s *vigie.System) {
				s.Organisation.Kind = c.kind
				s.Deployment.Since = vigie.MustDate(c.since)
				if c.modified != "" {
					s.Deployment.SignificantlyModifiedOn = vigie.MustDate(c.modified)
				}
			})
			a := Evaluate(s, day)
			o, _ := a.Obligation("AIA-26-7")
			if o.Status != c.want || (c.from != "" && o.AppliesFrom != c.from) {
				t.Fatalf("AIA-26-7: %s from %s, want %s %s (because %v)", o.Status, o.AppliesFrom, c.want, c.from, o.Because)
			}
			if (c.want == StatusNotApplicable || c.want == StatusUpcoming) && (o.Note == "" || o.NoteEN == "") {
				t.Errorf("no note saying why")
			}
			if c.want == StatusNotApplicable && !strings.Contains(o.Note, "modification importante") {
				t.Errorf("the note does not say what would make it apply: %s", o.Note)
			}
		})
	}
	// A public authority is due from 2030-08-02.
	s := monitoring(func(s *vigie.System) { s.Organisation.Kind = "public_state" })
	if st := status(Evaluate(s, vigie.MustDate("2030-08-02")), "AIA-26-7"); st != StatusUnmet {
		t.Errorf("State on 2030-08-02: %s, want unmet", st)
	}
	// First use unknown: unknown, with the question.
	a := Evaluate(monitoring(func(s *vigie.System) { s.Deployment.Since = vigie.Date{} }), day)
	if st := status(a, "AIA-26-7"); st != StatusUnknown || !asked(a, "deployment.since", "AIA-26-7") {
		t.Errorf("since unknown: %s, asked %v", st, asked(a, "deployment.since", "AIA-26-7"))
	}
	for _, u := range a.Unknowns {
		if u.Fact == "deployment.since" && u.Question != "Depuis quand le système est-il en service ?" {
			t.Errorf("question on since: %q", u.Question)
		}
	}
	// Case 03 (La Poste, private with a public-service mission, in service
	// since 2026-01-05): not applicable, on both dates.
	c3 := loadSystem(t, "testdata/cases/03-poste-planification-bureaux.yaml")
	for _, d := range caseDates {
		if st := status(Evaluate(c3, d), "AIA-26-7"); st != StatusNotApplicable {
			t.Errorf("case 03 @%s: %s", d, st)
		}
	}
}

// Annex III 4(b): every domain, every decision role, no legal-effect test.
func TestAnnexIII4b(t *testing.T) {
	for _, dom := range []string{"promotion_termination", "task_allocation", "scheduling", "performance_evaluation", "monitoring"} {
		for _, role := range []string{"informs", "recommends", "decides", ""} {
			a := Evaluate(base(func(s *vigie.System) {
				s.Purpose.Domains = vigie.SetOf(dom)
				s.Decisions.Role = role
				s.Decisions.LegalOrSimilarEffect = vigie.TriFalse
			}), day)
			if a.AIAct.Tier != TierHigh || !slices.Contains(a.AIAct.AnnexIII, "4(b)") {
				t.Errorf("%s, role %q: tier %s, annex %v", dom, role, a.AIAct.Tier, a.AIAct.AnnexIII)
			}
			if !a.Unverified("AIA-HR") {
				t.Errorf("%s: the 4(b) point is unverified and must warn", dom)
			}
		}
		// Near miss: the same domain about companies, not workers.
		a := Evaluate(base(func(s *vigie.System) {
			s.Purpose.Domains = vigie.SetOf(dom)
			s.Decisions.Subjects = vigie.SetOf("companies")
		}), day)
		if slices.Contains(a.AIAct.AnnexIII, "4(b)") {
			t.Errorf("%s about companies: 4(b)", dom)
		}
	}
}

// AIA-5f: emotions inferred from biometric data only.
func TestEmotionRecognitionWording(t *testing.T) {
	q := questionIndex()["capabilities.emotion_recognition"]
	if !strings.Contains(q.Question.FR, "biométriques") || !strings.Contains(q.Question.EN, "biometric") {
		t.Errorf("the question does not say biometric data: %q / %q", q.Question.FR, q.Question.EN)
	}
	if !strings.Contains(q.Why.FR, "texte écrit seul") || !strings.Contains(q.Why.EN, "written text alone") {
		t.Errorf("the question does not exclude written text: %q", q.Why.FR)
	}
	r := law.MustLoad().Rule("AIA-5f")
	if !strings.Contains(r.Trigger.FR, "biométriques") {
		t.Errorf("AIA-5f trigger: %s", r.Trigger.FR)
	}
}

// AIA-4: the Omnibus wording, and a fact with its question.
func TestAILiteracy(t *testing.T) {
	r := law.MustLoad().Rule("AIA-4")
	if strings.Contains(r.Obligation.FR, "niveau suffisant") || !strings.Contains(strings.ToLower(r.Obligation.EN), "take measures to support") {
		t.Errorf("AIA-4 wording: %s", r.Obligation.EN)
	}
	for tri, want := range map[vigie.Tri]string{vigie.TriTrue: StatusMet, vigie.TriFalse: StatusUnmet, vigie.TriUnknown: StatusUnknown} {
		a := Evaluate(base(func(s *vigie.System) { s.Deployment.AITrainingGiven = tri }), day)
		if st := status(a, "AIA-4"); st != want {
			t.Errorf("training %v: AIA-4 %s, want %s", tri, st, want)
		}
		if tri == vigie.TriUnknown && !asked(a, "deployment.ai_training_given", "AIA-4") {
			t.Errorf("AIA-4 unknown without its question: %+v", a.Unknowns)
		}
	}
}

// Art. 50(4): AI text published to inform the public.
func TestArticle50_4Text(t *testing.T) {
	gen := func(pub, ed, informed vigie.Tri) *Assessment {
		return Evaluate(base(func(s *vigie.System) {
			s.Capabilities.GeneratesContent = vigie.TriTrue
			s.Decisions.Subjects = vigie.SetOf("users")
			s.Deployment.PersonsInformed = informed
			s.Usage = &vigie.Usage{PublishesToPublic: pub, EditorialResponsibility: ed}
		}), day)
	}
	f, tr, u := vigie.TriFalse, vigie.TriTrue, vigie.TriUnknown
	cases := []struct {
		pub, ed, informed vigie.Tri
		want              string
	}{
		{tr, tr, f, StatusMet},
		{tr, f, f, StatusUnmet},
		{tr, f, tr, StatusMet},
		{tr, u, f, StatusUnknown},
		{f, f, f, "absent"},
	}
	for _, c := range cases {
		a := gen(c.pub, c.ed, c.informed)
		if st := status(a, "AIA-50"); st != c.want {
			t.Errorf("published %v, editorial %v, informed %v: AIA-50 %s, want %s", c.pub, c.ed, c.informed, st, c.want)
		}
		if c.pub == tr {
			if _, ok := ground(a, "50(4)"); !ok {
				t.Errorf("no 50(4) ground")
			}
		}
	}
}

// A consultation of one body, per-body form.
func consult(body, received, opinion string, expert vigie.Tri, levels string) func(*vigie.System) {
	return func(s *vigie.System) {
		s.Deployment.StaffBodyInformed, s.Deployment.StaffBodyConsulted, s.Deployment.ExpertAppointed = vigie.TriUnknown, vigie.TriUnknown, vigie.TriUnknown
		c := vigie.Consultation{Body: body, ExpertAppointed: expert, Levels: levels, InformationSufficient: vigie.TriTrue}
		if received != "" {
			c.InformationReceivedOn = vigie.MustDate(received)
		}
		if opinion != "" {
			c.OpinionOn = vigie.MustDate(opinion)
		}
		s.Deployment.Consultations = append(s.Deployment.Consultations, c)
	}
}

// CT-NT and CT-DEL: in progress, deemed opinion at the expiry, 3 months only
// at both levels with an expertise.
func TestConsultationStatuses(t *testing.T) {
	f, tr := vigie.TriFalse, vigie.TriTrue
	cases := []struct {
		name, date, status, since string
		mod                       func(*vigie.System)
		want                      string
	}{
		{"opened, running, planned", "2026-10-10", "planned", "", consult("cse", "2026-09-26", "", f, "establishment"), StatusInProgress},
		{"opened, on the expiry day, planned", "2026-10-26", "planned", "", consult("cse", "2026-09-26", "", f, "establishment"), StatusInProgress},
		{"opened, expired, planned", "2026-10-27", "planned", "", consult("cse", "2026-09-26", "", f, "establishment"), StatusMet},
		{"opinion given, planned", "2026-10-01", "planned", "", consult("cse", "2026-09-26", "2026-09-30", f, "establishment"), StatusMet},
		{"running but already in use", "2026-10-10", "pilot", "2026-10-01", consult("cse", "2026-09-26", "", f, "establishment"), StatusUnmet},
		{"used on the expiry day", "2026-12-01", "deployed", "2026-10-26", consult("cse", "2026-09-26", "", f, "establishment"), StatusUnmet},
		{"used the day after the expiry", "2026-12-01", "deployed", "2026-10-27", consult("cse", "2026-09-26", "", f, "establishment"), StatusMet},
		{"expert, one level: 2 months", "2027-01-01", "deployed", "2026-11-27", consult("cse", "2026-09-26", "", tr, "establishment"), StatusMet},
		{"expert, both levels: 3 months", "2027-01-01", "deployed", "2026-11-27", consult("cse", "2026-09-26", "", tr, "both"), StatusUnmet},
		{"expert, both levels, after 3 months", "2027-01-01", "deployed", "2026-12-27", consult("cse", "2026-09-26", "", tr, "both"), StatusMet},
		{"no expert, both levels: 1 month", "2027-01-01", "deployed", "2026-10-27", consult("cse", "2026-09-26", "", f, "both"), StatusMet},
		{"asked, not transmitted, in use", "2027-01-01", "deployed", "2026-10-27", consult("cse", "", "", f, "establishment"), StatusUnmet},
		{"asked, not transmitted, planned", "2027-01-01", "planned", "", consult("cse", "", "", f, "establishment"), StatusUnknown},
		{"central CSE only", "2027-01-01", "deployed", "2026-10-27", consult("cse_central", "2026-09-26", "", f, "central"), StatusMet},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := base(func(s *vigie.System) {
				s.Organisation.StaffBodies = vigie.SetOf("cse", "cse_central")
				s.Deployment.Status = c.status
				s.Deployment.Since = vigie.Date{}
				if c.since != "" {
					s.Deployment.Since = vigie.MustDate(c.since)
				}
				c.mod(s)
			})
			a := Evaluate(s, vigie.MustDate(c.date))
			if st := status(a, "CT-NT"); st != c.want {
				o, _ := a.Obligation("CT-NT")
				t.Errorf("CT-NT %s, want %s (because %v)", st, c.want, o.Because)
			}
		})
	}
}

// CT-INFO: met only inside an opened consultation judged sufficient.
func TestInformationSufficient(t *testing.T) {
	// Informed, not consulted: unmet (it was met on information alone).
	a := Evaluate(base(func(s *vigie.System) { s.Deployment.StaffBodyInformed = vigie.TriTrue }), day)
	if st := status(a, "CT-INFO"); st != StatusUnmet {
		t.Errorf("informed only: CT-INFO %s", st)
	}
	for tri, want := range map[vigie.Tri]string{vigie.TriTrue: StatusMet, vigie.TriFalse: StatusUnmet, vigie.TriUnknown: StatusUnknown} {
		a := Evaluate(base(func(s *vigie.System) {
			consult("cse", "2025-09-26", "2025-10-20", vigie.TriFalse, "establishment")(s)
			s.Deployment.Consultations[0].InformationSufficient = tri
		}), day)
		if st := status(a, "CT-INFO"); st != want {
			t.Errorf("sufficient %v: CT-INFO %s, want %s", tri, st, want)
		}
		if tri == vigie.TriUnknown && !asked(a, "deployment.consultations[cse].information_sufficient", "CT-INFO") {
			t.Errorf("sufficiency not asked: %+v", a.Unknowns)
		}
	}
}

// CSE thresholds use the company's headcount.
func TestCompanyHeadcount(t *testing.T) {
	cases := []struct {
		company, est int
		want         bool
	}{
		{50, 40, true}, {49, 40, false}, {49, 60, false}, {-1, 60, true}, {-1, 40, false},
	}
	for _, c := range cases {
		a := Evaluate(base(func(s *vigie.System) {
			s.Organisation.Headcount = vigie.IntOf(c.est)
			if c.company >= 0 {
				s.Organisation.CompanyHeadcount = vigie.IntOf(c.company)
			}
		}), day)
		for _, id := range []string{"CT-NT", "CT-INFO", "CT-SURV"} {
			if has(a, id) != c.want {
				t.Errorf("company %d, establishment %d: %s present %v", c.company, c.est, id, has(a, id))
			}
		}
		if _, ok := rightOf(a, "CT-EXP"); ok != c.want {
			t.Errorf("company %d, establishment %d: CT-EXP %v", c.company, c.est, ok)
		}
		if c.company == 50 {
			o, _ := a.Obligation("CT-NT")
			if !slices.Contains(o.Because, "organisation.company_headcount") || slices.Contains(o.Because, "organisation.headcount") {
				t.Errorf("CT-NT rests on %v, want the company's headcount", o.Because)
			}
		}
	}
	// A company of 30: the L2312-5 route (labour inspectorate), no consultation.
	a := Evaluate(base(func(s *vigie.System) { s.Organisation.CompanyHeadcount = vigie.IntOf(30) }), day)
	if has(a, "CT-NT") {
		t.Error("CT-NT for a company of 30")
	}
	if _, ok := rightOf(a, "CT-INSP"); !ok {
		t.Error("no CT-INSP route for a company of 30")
	}
}

// Public service: the right body per branch, no deemed opinion, F3SCT only
// where it exists.
func TestPublicBodies(t *testing.T) {
	branches := map[string]string{"public_state": "csa", "public_territorial": "cst", "public_hospital": "cse_hospital"}
	for kind, body := range branches {
		for _, f3sct := range []bool{false, true} {
			bodies := []string{body}
			if f3sct {
				bodies = append(bodies, "f3sct")
			}
			pub := func(mod func(*vigie.System)) *Assessment {
				return Evaluate(base(func(s *vigie.System) {
					s.Organisation.Kind = kind
					s.Organisation.StaffBodies = vigie.SetOf(bodies...)
					s.Deployment.Since = vigie.MustDate("2026-06-01")
					s.Deployment.StaffBodyInformed, s.Deployment.StaffBodyConsulted, s.Deployment.ExpertAppointed = vigie.TriUnknown, vigie.TriUnknown, vigie.TriUnknown
					mod(s)
				}), day)
			}
			// Opinion actually given before first use: met.
			a := pub(consult(body, "2026-03-01", "2026-04-01", vigie.TriFalse, ""))
			if st := status(a, "FP-CSA"); st != StatusMet {
				t.Errorf("%s: opinion given, FP-CSA %s", kind, st)
			}
			// Consulted long before use but no opinion: a CSE would be
			// deemed to have given one; a public body is not.
			a = pub(consult(body, "2026-01-01", "", vigie.TriFalse, ""))
			if st := status(a, "FP-CSA"); st != StatusUnmet {
				t.Errorf("%s: no opinion, FP-CSA %s, want unmet (no deemed opinion)", kind, st)
			}
			o, _ := a.Obligation("FP-CSA")
			if len(o.Limbs) != 1 || !strings.Contains(o.Limbs[0].Label, strings.ToUpper(map[string]string{"csa": "csa", "cst": "cst", "cse_hospital": "cse"}[body])) {
				t.Errorf("%s: FP-CSA limbs %+v do not name the branch's body", kind, o.Limbs)
			}
			if has(a, "FP-F3SCT") != f3sct {
				t.Errorf("%s, F3SCT %v: FP-F3SCT present %v", kind, f3sct, has(a, "FP-F3SCT"))
			}
			if f3sct && status(a, "FP-F3SCT") != StatusUnknown {
				t.Errorf("%s: F3SCT without an entry: %s, want unknown", kind, status(a, "FP-F3SCT"))
			}
		}
	}
}

// CRPA-PUB from 50 agents.
func TestAlgorithmPublicationThreshold(t *testing.T) {
	for n, want := range map[int]bool{49: false, 50: true} {
		a := Evaluate(base(func(s *vigie.System) {
			s.Organisation.Kind = "public_territorial"
			s.Organisation.Headcount = vigie.IntOf(n)
			s.Decisions.Subjects = vigie.SetOf("users")
			s.Decisions.Role = "recommends"
		}), day)
		if has(a, "CRPA-PUB") != want {
			t.Errorf("%d agents: CRPA-PUB %v", n, has(a, "CRPA-PUB"))
		}
	}
}

// GDPR Art. 22: a prohibition in principle, with its exceptions.
func TestGDPR22Obligation(t *testing.T) {
	for exc, want := range map[string]string{"contract": StatusMet, "law": StatusMet, "consent": StatusMet, "none": StatusUnmet, "": StatusUnknown} {
		a := Evaluate(base(func(s *vigie.System) {
			s.Decisions.Role = "decides"
			s.Decisions.HumanReview = "none"
			s.Decisions.LegalOrSimilarEffect = vigie.TriTrue
			s.Decisions.Art22Exception = exc
		}), day)
		if st := status(a, "GDPR-22"); st != want {
			t.Errorf("exception %q: GDPR-22 %s, want %s", exc, st, want)
		}
		if exc == "" && !asked(a, "decisions.art22_exception", "GDPR-22") {
			t.Error("exception unknown but not asked")
		}
	}
	// Effective human review: not solely automated.
	a := Evaluate(base(func(s *vigie.System) {
		s.Decisions.Role = "decides"
		s.Decisions.LegalOrSimilarEffect = vigie.TriTrue
	}), day)
	if has(a, "GDPR-22") {
		t.Error("GDPR-22 with effective human review")
	}
}

// The CNIL: data subjects complain, a union acts under a mandate, the staff
// body sends a report.
func TestCNILRoutes(t *testing.T) {
	a := Evaluate(base(nil), day)
	r, ok := rightOf(a, "GDPR-77")
	if !ok || !strings.Contains(r.Text, "mandat") || !strings.Contains(r.Text, "signalement") {
		t.Errorf("GDPR-77: %+v", r.Text)
	}
	if _, ok := rightOf(a, "GDPR-80"); !ok {
		t.Error("no GDPR-80")
	}
}

// The levers of legal.md 7.2: each triggers on its facts, not on a near
// miss, and an unverified one warns.
func TestLevers(t *testing.T) {
	cases := []struct {
		id       string
		on, miss func(*vigie.System)
	}{
		{"CT-ALERTE-DROITS", func(s *vigie.System) { s.Work.SurveillanceFelt = vigie.IntOf(2) }, func(s *vigie.System) { s.Work.SurveillanceFelt = vigie.IntOf(1) }},
		{"CT-EXP-RG", func(s *vigie.System) { s.Work.HealthSignals = vigie.IntOf(2) }, func(s *vigie.System) { s.Work.HealthSignals = vigie.IntOf(1) }},
		{"CT-DISCRIM", func(s *vigie.System) { s.Work.DiscriminationSignals = vigie.IntOf(1) }, func(s *vigie.System) { s.Organisation.Kind = "public_state" }},
		{"DDD", func(s *vigie.System) { s.Capabilities.VoiceOrAccentTransformation = vigie.TriTrue }, nil},
		{"FP-DISCRIM", func(s *vigie.System) {
			s.Organisation.Kind = "public_state"
			s.Work.DiscriminationSignals = vigie.IntOf(2)
		}, func(s *vigie.System) { s.Work.DiscriminationSignals = vigie.IntOf(2) }},
		{"CT-DGI", func(s *vigie.System) { s.Work.HealthSignals = vigie.IntOf(3) }, func(s *vigie.System) { s.Work.HealthSignals = vigie.IntOf(2) }},
		{"CT-INSP", nil, func(s *vigie.System) { s.Organisation.Kind = "public_state" }},
		{"CT-AGENDA", nil, consult("cse", "2025-01-05", "2025-02-01", vigie.TriFalse, "establishment")},
		{"CT-ENQ", func(s *vigie.System) { s.Work.WorkloadIncrease = vigie.IntOf(2) }, nil},
		{"CT-EXPR", nil, func(s *vigie.System) { s.Decisions.Subjects = vigie.SetOf("users") }},
		{"CT-NEGO", nil, func(s *vigie.System) { s.Organisation.CompanyHeadcount = vigie.IntOf(40) }},
		{"CT-REFERE", nil, func(s *vigie.System) {
			consult("cse", "2025-01-05", "2025-02-01", vigie.TriFalse, "establishment")(s)
		}},
		{"GDPR-80", nil, func(s *vigie.System) { s.Data.PersonalData = vigie.TriFalse }},
		{"FP-REFERE", func(s *vigie.System) {
			s.Organisation.Kind = "public_state"
			s.Organisation.StaffBodies = vigie.SetOf("csa")
		}, func(s *vigie.System) {
			s.Organisation.Kind = "public_state"
			s.Organisation.StaffBodies = vigie.SetOf("csa")
			s.Deployment.StaffBodyConsulted = vigie.TriUnknown
			s.Deployment.StaffBodyInformed = vigie.TriUnknown
			s.Deployment.ExpertAppointed = vigie.TriUnknown
			consult("csa", "2025-01-05", "2025-02-01", vigie.TriFalse, "")(s)
		}},
		{"FP-ISST", func(s *vigie.System) {
			s.Organisation.Kind = "public_hospital"
			s.Work.HealthSignals = vigie.IntOf(2)
		}, func(s *vigie.System) { s.Organisation.Kind = "public_hospital" }},
	}
	b := law.MustLoad()
	for _, c := range cases {
		a := Evaluate(base(c.on), day)
		r, ok := rightOf(a, c.id)
		if !ok {
			t.Errorf("%s: does not trigger", c.id)
			continue
		}
		rule := b.Rule(c.id)
		if r.Basis == "" || r.Demand == "" || r.Confidence == "" {
			t.Errorf("%s: basis, demand or confidence missing", c.id)
		}
		if rule.Confidence == law.Unverified && !a.Unverified(c.id) {
			t.Errorf("%s: unverified without the warning", c.id)
		}
		if c.miss != nil {
			if m, ok := rightOf(Evaluate(base(c.miss), day), c.id); ok && m.Applies == "yes" {
				t.Errorf("%s: triggers on the near miss", c.id)
			}
		}
	}
	// The court cases are steps for the lawyer.
	for _, id := range []string{"CT-REFERE", "FP-REFERE"} {
		if b.Rule(id).Act != law.ActLawyer {
			t.Errorf("%s is not a step for the lawyer", id)
		}
	}
}

// The case law rows of legal.md 7.1 are shown with the demand they support:
// the CSE consultation and the référé carry the three decisions with their
// numbers and penalties, in French and English; a rule without case law
// has none.
func TestCaseLawWithDemand(t *testing.T) {
	a := Evaluate(base(func(s *vigie.System) {
		s.Deployment.Status = "pilot"
		s.Deployment.Since = vigie.MustDate("2026-06-01")
	}), day)
	o, ok := a.Obligation("CT-NT")
	if !ok {
		t.Fatal("no CT-NT")
	}
	want := []struct{ fr, en string }{
		{"1 000 € par jour pendant 90 jours", "EUR 1,000 a day for 90 days"},
		{"n° 25/02856", "no. 25/02856"},
		{"1 500 € par jour", "EUR 1,500 a day"},
	}
	if len(o.CaseLaw) != len(want) || len(o.CaseLawEN) != len(want) {
		t.Fatalf("CT-NT case law: %v / %v", o.CaseLaw, o.CaseLawEN)
	}
	for i, w := range want {
		if !strings.Contains(o.CaseLaw[i]+" "+strings.Join(o.CaseLaw, " "), w.fr) || !strings.Contains(strings.Join(o.CaseLawEN, " "), w.en) {
			t.Errorf("CT-NT case law lacks %q / %q: %v / %v", w.fr, w.en, o.CaseLaw, o.CaseLawEN)
		}
		if !slices.Contains(o.Sources, o.CaseLaw[i]) {
			t.Errorf("case law %q is not among the sources", o.CaseLaw[i])
		}
	}
	if r, ok := rightOf(a, "CT-REFERE"); !ok || len(r.CaseLawEN) != 3 || !strings.Contains(strings.Join(r.CaseLaw, " "), "Nanterre") {
		t.Errorf("CT-REFERE case law: %v", r.CaseLaw)
	}
	if o, ok := a.Obligation("CT-INFO"); ok && len(o.CaseLaw) != 0 {
		t.Errorf("CT-INFO shows case law: %v", o.CaseLaw)
	}
}

// GDPR Art. 22 over every exception and every solely automated shape
// (a decision, or a score the decision draws on, with no or a nominal
// human review), with the near misses: an effective review, no legal or
// similar effect, a review not known.
func TestGDPR22Table(t *testing.T) {
	exceptions := map[string]string{"contract": StatusMet, "law": StatusMet, "consent": StatusMet,
		"none": StatusUnmet, "unknown": StatusUnknown, "": StatusUnknown}
	for _, role := range []string{"decides", "recommends"} {
		for _, review := range []string{"none", "nominal"} {
			for exc, want := range exceptions {
				a := Evaluate(base(func(s *vigie.System) {
					s.Decisions.Role, s.Decisions.HumanReview = role, review
					s.Decisions.LegalOrSimilarEffect = vigie.TriTrue
					s.Decisions.Art22Exception = exc
				}), day)
				o, ok := a.Obligation("GDPR-22")
				if !ok || o.Applies != "yes" || o.Status != want {
					t.Errorf("%s, review %s, exception %q: GDPR-22 %+v, want %s", role, review, exc, o.Status, want)
				}
				if want == StatusUnknown && !asked(a, "decisions.art22_exception", "GDPR-22") {
					t.Errorf("%s, review %s, exception %q: the exception is not asked", role, review, exc)
				}
			}
		}
	}
	near := []struct {
		name string
		mod  func(*vigie.System)
		want string
	}{
		{"effective review", func(s *vigie.System) { s.Decisions.HumanReview = "effective" }, "absent"},
		{"no legal or similar effect", func(s *vigie.System) { s.Decisions.LegalOrSimilarEffect = vigie.TriFalse }, "absent"},
		{"the system only informs", func(s *vigie.System) { s.Decisions.Role = "informs" }, "absent"},
		{"review unknown", func(s *vigie.System) { s.Decisions.HumanReview = "" }, StatusUnknown},
	}
	for _, c := range near {
		a := Evaluate(base(func(s *vigie.System) {
			s.Decisions.Role, s.Decisions.HumanReview = "decides", "none"
			s.Decisions.LegalOrSimilarEffect = vigie.TriTrue
			s.Decisions.Art22Exception = "none"
			c.mod(s)
		}), day)
		got := status(a, "GDPR-22")
		if o, ok := a.Obligation("GDPR-22"); ok && c.want == StatusUnknown {
			got = o.Applies
		}
		if got != c.want {
			t.Errorf("%s: GDPR-22 %s, want %s", c.name, got, c.want)
		}
	}
}

// ai_act_role decides only the provider's limbs: the 50(1) chatbot notice
// binds the employer when it built the system (provider, or both), not
// when it only uses it; whatever the role, the employer that uses it is a
// deployer (50(3) below, AIA-26 in TestDeployerByUse).
func TestRoleDecidesProviderLimbsOnly(t *testing.T) {
	for role, provider := range map[string]bool{"deployer": false, "provider": true, "provider_and_deployer": true} {
		a := Evaluate(base(func(s *vigie.System) {
			s.Organisation.AIActRole = role
			s.Capabilities.Chatbot = vigie.TriTrue
			s.Capabilities.EmotionRecognition = vigie.TriTrue
			s.Decisions.Subjects = vigie.SetOf("users")
		}), day)
		o, ok := a.Obligation("AIA-50")
		if !ok {
			t.Fatalf("%s: no AIA-50", role)
		}
		limbs := map[string]LimbStatus{}
		for _, l := range o.Limbs {
			limbs[l.ID] = l
		}
		if l, ok := limbs["50(1)"]; !ok || l.Binding != provider {
			t.Errorf("%s: 50(1) %+v, binding want %v", role, l, provider)
		}
		if l, ok := limbs["50(3)"]; !ok || !l.Binding {
			t.Errorf("%s: 50(3) %+v, want binding on the deployer by use", role, l)
		}
	}
}
