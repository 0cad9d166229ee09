package testimony

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/goccy/go-yaml"

	"github.com/vigie-app/vigie"
)

//go:embed questions.yaml
var questionsYAML []byte

// Text is a text in French and in English.
type Text struct {
	FR string `yaml:"fr" json:"fr"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang ("en" or anything else for French).
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.FR
}

// NotKnown is the answer of a worker who does not know or prefers not to
// answer a scale question. It is counted in its own cell.
const NotKnown = "na"

// ScaleMax is the highest level of every scale question (0 to 3), as for the
// work.* observations of a system file.
const ScaleMax = 3

// Question is one scale question: it observes the work.* fact Fact.
type Question struct {
	ID        string `yaml:"id" json:"id"`
	Fact      string `yaml:"fact" json:"fact"`
	Dimension string `yaml:"dimension" json:"dimension"`
	Text      Text   `yaml:"text" json:"text"`
	Labels    []Text `yaml:"labels" json:"labels"` // levels 0 to ScaleMax
}

// Answers returns the answers a worker may give, in order: "0" to "3", then
// NotKnown.
func (q *Question) Answers() []string { return scaleAnswers }

var scaleAnswers = []string{"0", "1", "2", "3", NotKnown}

// Label returns the label of an answer ("0"…"3" or NotKnown).
func (q *Question) Label(answer, lang string) string {
	if answer == NotKnown {
		return questions.NotKnown.In(lang)
	}
	n, err := strconv.Atoi(answer)
	if err != nil || n < 0 || n >= len(q.Labels) {
		return answer
	}
	return q.Labels[n].In(lang)
}

// UnitQuestion asks for the work unit, chosen among the system's units.
type UnitQuestion struct {
	Text     Text `yaml:"text" json:"text"`
	NotGiven Text `yaml:"not_given" json:"not_given"`
}

// FreeText is the one optional free-text field.
type FreeText struct {
	Text     Text `yaml:"text" json:"text"`
	Warning  Text `yaml:"warning" json:"warning"`
	MaxChars int  `yaml:"max_chars" json:"max_chars"`
}

// Set is the versioned set of questions (questions.yaml).
type Set struct {
	Version   string       `yaml:"version" json:"version"`
	NotKnown  Text         `yaml:"not_known" json:"not_known"`
	Questions []Question   `yaml:"questions" json:"questions"`
	Unit      UnitQuestion `yaml:"unit" json:"unit"`
	FreeText  FreeText     `yaml:"free_text" json:"free_text"`
}

// Question returns the question with that id, or nil.
func (s *Set) Question(id string) *Question {
	for i := range s.Questions {
		if s.Questions[i].ID == id {
			return &s.Questions[i]
		}
	}
	return nil
}

// IDs returns the ids of every question, in order.
func (s *Set) IDs() []string {
	ids := make([]string, len(s.Questions))
	for i, q := range s.Questions {
		ids[i] = q.ID
	}
	return ids
}

// Select returns the questions of ids, in the order of the set; an unknown
// id is EINVALID naming it. No ids means every question.
func (s *Set) Select(ids []string) ([]Question, error) {
	if len(ids) == 0 {
		return slices.Clone(s.Questions), nil
	}
	for _, id := range ids {
		if s.Question(id) == nil {
			return nil, vigie.Errorf(vigie.EINVALID, "question inconnue : %q / unknown question: %q", id, id)
		}
	}
	var out []Question
	for _, q := range s.Questions {
		if slices.Contains(ids, q.ID) {
			out = append(out, q)
		}
	}
	return out, nil
}

var (
	questionsOnce sync.Once
	questions     *Set
)

// Questions returns the embedded question set, validated.
func Questions() *Set {
	questionsOnce.Do(func() {
		s, err := parseSet(questionsYAML)
		if err != nil {
			panic(err)
		}
		questions = s
	})
	return questions
}

func init() { Questions() }

func parseSet(raw []byte) (*Set, error) {
	var s Set
	if err := yaml.UnmarshalWithOptions(raw, &s, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("testimony: questions.yaml: %w", err)
	}
	fail := func(format string, args ...any) (*Set, error) {
		return nil, fmt.Errorf("testimony: questions.yaml: "+format, args...)
	}
	if s.Version == "" {
		return fail("version is required")
	}
	texts := map[string]Text{"not_known": s.NotKnown, "unit.text": s.Unit.Text, "unit.not_given": s.Unit.NotGiven,
		"free_text.text": s.FreeText.Text, "free_text.warning": s.FreeText.Warning}
	seen := map[string]bool{}
	for _, q := range s.Questions {
		if q.ID == "" || seen[q.ID] || q.ID == UnitID {
			return fail("question ids must be unique and not %q (%q)", UnitID, q.ID)
		}
		seen[q.ID] = true
		if q.Fact != "work."+q.ID || !vigie.IsFactPath(q.Fact) {
			return fail("%s: the fact must be work.%s, a fact of the system file", q.ID, q.ID)
		}
		if len(q.Labels) != ScaleMax+1 {
			return fail("%s: %d labels expected (levels 0 to %d)", q.ID, ScaleMax+1, ScaleMax)
		}
		texts[q.ID+".text"] = q.Text
		for i, l := range q.Labels {
			texts[fmt.Sprintf("%s.labels[%d]", q.ID, i)] = l
		}
	}
	if len(s.Questions) == 0 {
		return fail("no question")
	}
	for where, t := range texts {
		if t.FR == "" || t.EN == "" {
			return fail("%s: French and English texts are required", where)
		}
	}
	if s.FreeText.MaxChars <= 0 {
		return fail("free_text.max_chars must be positive")
	}
	return &s, nil
}
