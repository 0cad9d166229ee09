package vigie_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/vigie-app/vigie"
)

func caseFiles(t *testing.T) []string {
	t.Helper()
	all, err := filepath.Glob("testdata/cases/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".expected.yaml") {
			out = append(out, f)
		}
	}
	if len(out) != 8 {
		t.Fatalf("want the 8 reference cases, found %d", len(out))
	}
	return out
}

func TestParseCases(t *testing.T) {
	for _, f := range caseFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := vigie.ParseSystem(f, b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if s.Name == "" || !s.Organisation.Headcount.Known || s.Deployment.Status == "" {
			t.Errorf("%s: facts not decoded: %+v", f, s)
		}
		if s.Deployment.Since.IsZero() {
			t.Errorf("%s: deployment.since not decoded", f)
		}
		// Round trip: what we export reads back to the same facts.
		out, err := yaml.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := vigie.ParseSystem("roundtrip", out)
		if err != nil {
			t.Fatalf("%s: re-reading the export: %v\n%s", f, err, out)
		}
		a, b2 := s.Facts(), s2.Facts()
		for k, v := range a {
			if b2[k] != v {
				t.Errorf("%s: %s: %q became %q after a round trip", f, k, v, b2[k])
			}
		}
		if len(s2.Evidence) != len(s.Evidence) {
			t.Errorf("%s: evidence lost in round trip", f)
		}
	}
}

func TestParseCallCentreFacts(t *testing.T) {
	b, err := os.ReadFile("testdata/cases/01-centre-appels-analyse-vocale.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := vigie.ParseSystem("01", b)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Capabilities.EmotionRecognition.True() || !s.Deployment.StaffBodyConsulted.False() {
		t.Errorf("tri facts wrong: %+v %+v", s.Capabilities, s.Deployment)
	}
	if s.Deployment.FRIADone.Known() || s.Deployment.PersonsInformed.Known() {
		t.Errorf("missing keys must be unknown, got fria=%v persons=%v", s.Deployment.FRIADone, s.Deployment.PersonsInformed)
	}
	if got := s.Deployment.Since.String(); got != "2026-03-02" {
		t.Errorf("since = %q", got)
	}
	if !s.Organisation.StaffBodies.Known || !s.Organisation.StaffBodies.Has("cse") {
		t.Errorf("staff bodies = %+v", s.Organisation.StaffBodies)
	}
	if !s.Data.SpecialCategories.Known || len(s.Data.SpecialCategories.Items) != 0 {
		t.Errorf("[] must be known and empty, got %+v", s.Data.SpecialCategories)
	}
	f := s.Facts()
	if f["deployment.fria_done"] != "unknown" || f["organisation.headcount"] != "400" || f["work.surveillance_felt"] != "3" {
		t.Errorf("facts: %v", f)
	}
}

func TestParseRejects(t *testing.T) {
	base := "schema: vigie/system/v1\nname: x\n"
	cases := []struct {
		name, src, want string
	}{
		{"unknown key", base + "capabilities:\n  emotion_recognitoin: true\n", "capabilities.emotion_recognitoin: unknown field"},
		{"unknown top key", base + "colour: red\n", "colour: unknown field"},
		{"wrong type", base + "organisation:\n  headcount: beaucoup\n", "organisation.headcount"},
		{"tri wrong", base + "deployment:\n  dpia_done: maybe\n", "deployment.dpia_done"},
		{"wrong enum", base + "deployment:\n  status: launched\n", "deployment.status"},
		{"wrong list item", base + "purpose:\n  domains: [monitoring, spying]\n", "purpose.domains[1]"},
		{"bad date", base + "deployment:\n  since: 2026-02-30\n", "deployment.since"},
		{"work scale", base + "work:\n  opacity: 7\n", "work.opacity"},
		{"broken yaml", base + "organisation: [\n", "YAML"},
		{"wrong schema", "schema: vigie/system/v9\nname: x\n", "schema"},
		{"no name", "schema: vigie/system/v1\n", "name"},
		{"evidence fact", base + "evidence:\n  - fact: capabilities.telepathy\n    source: workers\n", "evidence[0].fact"},
		{"evidence source", base + "evidence:\n  - fact: capabilities.profiling\n    source: rumour\n", "evidence[0].source"},
		{"duplicate key", base + "vendor: a\nvendor: b\n", "vendor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := vigie.ParseSystem("f.yaml", []byte(c.src))
			if err == nil {
				t.Fatalf("accepted:\n%s", c.src)
			}
			if vigie.ErrorCode(err) != vigie.EINVALID {
				t.Errorf("code %q, want invalid", vigie.ErrorCode(err))
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "f.yaml") {
				t.Errorf("message %q does not name %q and the file", err, c.want)
			}
		})
	}
	// Positions: the unknown key is on line 4, column 3.
	_, err := vigie.ParseSystem("f.yaml", []byte(base+"capabilities:\n  emotion_recognitoin: true\n"))
	if !strings.Contains(err.Error(), "f.yaml:4:3:") {
		t.Errorf("position missing: %v", err)
	}
}

func TestParseJSONAndUnknown(t *testing.T) {
	src := `{"schema":"vigie/system/v1","name":"j","deployment":{"dpia_done":"unknown","since":"2026-01-05"},"purpose":{"domains":"unknown"}}`
	s, err := vigie.ParseSystem("j.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if s.Deployment.DPIADone.Known() || s.Purpose.Domains.Known || s.Deployment.Since.String() != "2026-01-05" {
		t.Errorf("json decode: %+v", s)
	}
}

const additionsFile = `schema: vigie/system/v1
name: "Outil RH"
organisation:
  kind: private
  headcount: 40
  company_headcount: 4200
  staff_bodies: [cse, cse_central]
deployment:
  status: pilot
  ai_training_given: unknown
  consultations:
    - body: cse
      information_received_on: 2026-09-26
      expert_appointed: true
      levels: establishment
      information_sufficient: false
      opinion_on: null
    - body: cse_central
      levels: both
decisions:
  art22_exception: consent
usage:
  publishes_to_public: false
  editorial_responsibility: true
`

// The facts added on 2026-12-03 parse, survive a round trip and have paths.
func TestParseAdditions(t *testing.T) {
	s, err := vigie.ParseSystem("additions.yaml", []byte(additionsFile))
	if err != nil {
		t.Fatal(err)
	}
	if s.Organisation.CompanyHeadcount != vigie.IntOf(4200) || s.Decisions.Art22Exception != "consent" ||
		!s.Usage.EditorialResponsibility.True() || !s.Usage.PublishesToPublic.False() || s.Deployment.AITrainingGiven.Known() {
		t.Errorf("facts not decoded: %+v %+v %+v", s.Organisation, s.Decisions, s.Usage)
	}
	c, ok := s.Consultation("cse")
	if !ok || c.InformationReceivedOn != vigie.MustDate("2026-09-26") || !c.ExpertAppointed.True() || c.Levels != "establishment" ||
		!c.InformationSufficient.False() || !c.OpinionOn.IsZero() {
		t.Errorf("consultation not decoded: %+v", c)
	}
	facts := s.Facts()
	for p, want := range map[string]string{
		"organisation.company_headcount":                         "4200",
		"deployment.consultations[cse].information_received_on":  "2026-09-26",
		"deployment.consultations[cse].opinion_on":               "unknown",
		"deployment.consultations[cse_central].levels":           "both",
		"deployment.consultations[cse_central].expert_appointed": "unknown",
		"deployment.consultations[csa].information_received_on":  "unknown",
		"decisions.art22_exception":                              "consent",
	} {
		if facts[p] != want {
			t.Errorf("%s = %q, want %q", p, facts[p], want)
		}
		if !vigie.IsFactPath(p) {
			t.Errorf("%s is not a fact path", p)
		}
	}
	for _, p := range []string{"deployment.consultations", "deployment.consultations[cse].body", "deployment.consultations[xyz].levels", "deployment.consultations[0].levels"} {
		if vigie.IsFactPath(p) {
			t.Errorf("%s taken for a fact path", p)
		}
	}
	out, err := yaml.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := vigie.ParseSystem("roundtrip", out)
	if err != nil {
		t.Fatalf("re-reading: %v\n%s", err, out)
	}
	f2 := s2.Facts()
	for k, v := range facts {
		if f2[k] != v {
			t.Errorf("%s: %q became %q after a round trip", k, v, f2[k])
		}
	}
	// An older file has no consultation entry: every per-body fact is unknown.
	old := strings.Replace(additionsFile, "  consultations:", "  old_consultations:", 1)
	if _, err := vigie.ParseSystem("x.yaml", []byte(old)); err == nil {
		t.Error("unknown key accepted")
	}
}

// Bad consultation entries are refused with the field named.
func TestParseConsultationErrors(t *testing.T) {
	cases := map[string]struct{ from, to, field string }{
		"unknown body":    {"- body: cse_central", "- body: comite", "deployment.consultations[1].body"},
		"unknown levels":  {"levels: both", "levels: tous", "deployment.consultations[1].levels"},
		"body twice":      {"- body: cse_central", "- body: cse", "deployment.consultations[1].body"},
		"no body":         {"- body: cse_central\n      levels: both", "- levels: both", "deployment.consultations[1].body"},
		"bad date":        {"2026-09-26", "2026-02-30", "deployment.consultations[0].information_received_on"},
		"art22 exception": {"art22_exception: consent", "art22_exception: yes_please", "decisions.art22_exception"},
		// The single-body fields mean the first staff body (cse): giving
		// them too is an error naming the field.
		"both forms": {"  ai_training_given: unknown", "  ai_training_given: unknown\n  staff_body_consulted: true", "deployment.staff_body_consulted"},
	}
	for name, c := range cases {
		src := strings.Replace(additionsFile, c.from, c.to, 1)
		if src == additionsFile {
			t.Fatalf("%s: replacement did not apply", name)
		}
		_, err := vigie.ParseSystem("bad.yaml", []byte(src))
		var e *vigie.Error
		if !errors.As(err, &e) || e.Code != vigie.EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", name, err)
			continue
		}
		if e.Field != c.field || !strings.Contains(e.Message, c.field) {
			t.Errorf("%s: field %q, message %q; want %s", name, e.Field, e.Message, c.field)
		}
	}
	// The single-body fields with entries for other bodies only are fine:
	// they describe the first body (cse), the entry the second.
	src := strings.Replace(additionsFile, "    - body: cse\n      information_received_on: 2026-09-26\n      expert_appointed: true\n      levels: establishment\n      information_sufficient: false\n      opinion_on: null\n", "", 1)
	src = strings.Replace(src, "  ai_training_given: unknown", "  ai_training_given: true\n  staff_body_consulted: true\n  consultation_opened_on: 2026-09-01", 1)
	s, err := vigie.ParseSystem("mixed.yaml", []byte(src))
	if err != nil {
		t.Fatalf("mixed forms for different bodies refused: %v", err)
	}
	if _, ok := s.Consultation("cse"); ok || !s.Deployment.StaffBodyConsulted.True() {
		t.Errorf("mixed: %+v", s.Deployment)
	}
}
