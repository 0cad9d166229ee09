package assess

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

//go:embed questions.yaml
var questionsYAML []byte

//go:embed consultation_questions.yaml
var consultationQuestionsYAML []byte

// consultationQuestions are the questions on each body's consultation.
type consultationQuestions struct {
	Bodies map[string]law.Text `yaml:"bodies"`
	Fields []struct {
		Field    string   `yaml:"field"`
		Question law.Text `yaml:"question"`
		Why      law.Text `yaml:"why"`
	} `yaml:"fields"`
}

// loadConsultationQuestions expands the table for every staff body, by
// fact path (deployment.consultations[cse].opinion_on).
var loadConsultationQuestions = sync.OnceValues(func() (map[string]QuestionDef, error) {
	var t consultationQuestions
	if err := yaml.UnmarshalWithOptions(consultationQuestionsYAML, &t, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("assess: consultation_questions.yaml: %w", err)
	}
	out := map[string]QuestionDef{}
	for _, b := range vigie.StaffBodies {
		name, ok := t.Bodies[b]
		if !ok || name.FR == "" || name.EN == "" {
			return nil, fmt.Errorf("assess: consultation_questions.yaml: no name for body %s", b)
		}
		for _, f := range t.Fields {
			fill := func(s, body string) string {
				// "à quelle date" → "À quelle date"
				return vigie.UpperFirst(strings.ReplaceAll(s, "{body}", body))
			}
			out[vigie.ConsultationPath(b, f.Field)] = QuestionDef{Fact: vigie.ConsultationPath(b, f.Field),
				Question: law.Text{FR: fill(f.Question.FR, name.FR), EN: fill(f.Question.EN, name.EN)}, Why: f.Why}
		}
	}
	for _, f := range vigie.ConsultationFields {
		if _, ok := out[vigie.ConsultationPath("cse", f)]; !ok {
			return nil, fmt.Errorf("assess: consultation_questions.yaml: no question on %s", f)
		}
	}
	return out, nil
})

// QuestionDef is an entry of the question table (questions.yaml).
type QuestionDef struct {
	Fact     string   `yaml:"fact"`
	Question law.Text `yaml:"question"`
	Why      law.Text `yaml:"why"`
	Rules    []string `yaml:"rules,omitempty"`
}

// Question is one question of the questionnaire that sets the facts: what
// to ask, why it matters, which rules and risk dimensions the answer feeds,
// and what kind of answer it takes.
type Question struct {
	Fact       string   `json:"fact"`
	Section    string   `json:"section"`
	Question   law.Text `json:"question"`
	Why        law.Text `json:"why"`
	Feeds      []string `json:"feeds"`
	Dimensions []string `json:"dimensions"`
	// Kind is yes_no, choice, choices (several), number or date.
	Kind    string   `json:"kind"`
	Options []string `json:"options,omitempty"`
}

var (
	questionsOnce sync.Once
	questions     []QuestionDef
	questionsErr  error
)

func loadQuestions() ([]QuestionDef, error) {
	questionsOnce.Do(func() {
		questionsErr = yaml.UnmarshalWithOptions(questionsYAML, &questions, yaml.DisallowUnknownField())
		if questionsErr != nil {
			questionsErr = fmt.Errorf("assess: questions.yaml: %w", questionsErr)
			return
		}
		b := law.MustLoad()
		seen := map[string]bool{}
		for _, q := range questions {
			switch {
			case !vigie.IsFactPath(q.Fact):
				questionsErr = fmt.Errorf("assess: questions.yaml: %q is not a fact", q.Fact)
			case seen[q.Fact]:
				questionsErr = fmt.Errorf("assess: questions.yaml: %s twice", q.Fact)
			case q.Question.FR == "" || q.Question.EN == "" || q.Why.FR == "" || q.Why.EN == "":
				questionsErr = fmt.Errorf("assess: questions.yaml: %s: question and why in French and English", q.Fact)
			}
			for _, r := range q.Rules {
				if !b.Has(r) {
					questionsErr = fmt.Errorf("assess: questions.yaml: %s: unknown rule %q", q.Fact, r)
				}
			}
			if questionsErr != nil {
				return
			}
			seen[q.Fact] = true
		}
	})
	return questions, questionsErr
}

func mustQuestions() []QuestionDef {
	q, err := loadQuestions()
	if err != nil {
		panic(err)
	}
	return q
}

func questionIndex() map[string]QuestionDef {
	out, err := loadConsultationQuestions()
	if err != nil {
		panic(err)
	}
	out = maps.Clone(out)
	for _, q := range mustQuestions() {
		out[q.Fact] = q
	}
	return out
}

// FactsRead returns every fact the rules and the risk formula read, with the
// rules (Feeds) and the dimensions each feeds.
func FactsRead() (feeds map[string][]string, dims map[string][]string) {
	feeds = law.MustLoad().FactsUsed()
	dims = map[string][]string{}
	f := mustFormula()
	add := func(fact, dim string) {
		if !slices.Contains(dims[fact], dim) {
			dims[fact] = append(dims[fact], dim)
		}
	}
	for _, d := range f.Dimensions {
		if d.Signal != "" {
			add(d.Signal, d.ID)
		}
		var cs []*law.Cond
		if d.Applies != nil {
			cs = append(cs, d.Applies)
		}
		for _, a := range append(slices.Clone(d.Sev), d.Freq...) {
			cs = append(cs, a.When)
		}
		for _, c := range cs {
			for _, fact := range c.Facts() {
				add(fact, d.ID)
			}
		}
	}
	add("deployment.units", "")
	delete(dims, "")
	return feeds, dims
}

// Questionnaire returns the questions that set the facts, in the order of
// the system file: each with why it matters and the rules and risk
// dimensions it feeds. It is what the web form asks, section by section.
func Questionnaire() []Question {
	feeds, dims := FactsRead()
	var out []Question
	for _, q := range mustQuestions() {
		fs := slices.Clone(feeds[q.Fact])
		for _, r := range q.Rules {
			if !slices.Contains(fs, r) {
				fs = append(fs, r)
			}
		}
		slices.Sort(fs)
		ds := dims[q.Fact]
		if ds == nil {
			ds = []string{}
		}
		section, _, _ := strings.Cut(q.Fact, ".")
		out = append(out, Question{Fact: q.Fact, Section: section, Question: q.Question, Why: q.Why,
			Feeds: nonNil(fs), Dimensions: ds, Kind: kindOf(q.Fact), Options: vigie.Enums[q.Fact]})
	}
	order := vigie.FactPaths()
	slices.SortStableFunc(out, func(a, b Question) int {
		return slices.Index(order, a.Fact) - slices.Index(order, b.Fact)
	})
	return out
}

func kindOf(fact string) string {
	switch law.FactValue(&vigie.System{}, fact).(type) {
	case vigie.Tri:
		return "yes_no"
	case vigie.Set:
		return "choices"
	case vigie.OptInt, vigie.OptFloat:
		return "number"
	case vigie.Date:
		return "date"
	}
	if vigie.Enums[fact] != nil {
		return "choice"
	}
	return "text"
}

// ConsultationQuestions returns the questions on the consultation of body
// (an entry of deployment.consultations), in the order of
// vigie.ConsultationFields, each with the rules it feeds. They are asked
// body by body: the questionnaire shows one block per staff body. It
// returns nil for a name that is no staff body.
func ConsultationQuestions(body string) []Question {
	if !slices.Contains(vigie.StaffBodies, body) {
		return nil
	}
	defs, err := loadConsultationQuestions()
	if err != nil {
		panic(err)
	}
	feeds, dims := FactsRead()
	var out []Question
	for _, f := range vigie.ConsultationFields {
		p := vigie.ConsultationPath(body, f)
		q := defs[p]
		ds := dims[p]
		if ds == nil {
			ds = []string{}
		}
		kind, opts := "date", []string(nil)
		switch f {
		case "expert_appointed", "information_sufficient":
			kind = "yes_no"
		case "levels":
			kind, opts = "choice", slices.Clone(vigie.Enums["deployment.consultations.levels"])
		}
		out = append(out, Question{Fact: p, Section: "deployment", Question: q.Question, Why: q.Why,
			Feeds: nonNil(slices.Sorted(slices.Values(feeds[p]))), Dimensions: ds, Kind: kind, Options: opts})
	}
	return out
}
