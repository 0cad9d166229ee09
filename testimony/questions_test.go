package testimony

import (
	"testing"

	"github.com/vigie-app/vigie"
)

func TestQuestionsCoverEveryWorkObservation(t *testing.T) {
	s := Questions()
	if s.Version == "" {
		t.Fatal("no version")
	}
	var sys vigie.System
	seen := map[string]bool{}
	for _, q := range s.Questions {
		if workField(&sys.Work, q.Fact) == nil {
			t.Errorf("%s: no work field for %s", q.ID, q.Fact)
		}
		seen[q.Fact] = true
		for i := 0; i <= ScaleMax; i++ {
			if q.Label(string(rune('0'+i)), "fr") == q.Label(string(rune('0'+i)), "en") && i > 0 {
				t.Errorf("%s: level %d has the same label in French and English", q.ID, i)
			}
		}
	}
	for _, f := range []string{"work.workload_increase", "work.error_repair", "work.autonomy_loss", "work.surveillance_felt",
		"work.deskilling", "work.opacity", "work.discrimination_signals", "work.jobs_cut", "work.health_signals"} {
		if !seen[f] {
			t.Errorf("no question observes %s", f)
		}
	}
}

func TestParseSetRefusesBadFiles(t *testing.T) {
	for name, raw := range map[string]string{
		"unknown key": "version: x\nnope: 1\n",
		"no version":  "questions: []\n",
		"bad fact": `version: x
not_known: {fr: a, en: b}
questions:
  - {id: foo, fact: work.foo, dimension: d, text: {fr: a, en: b}, labels: [{fr: a, en: b},{fr: a, en: b},{fr: a, en: b},{fr: a, en: b}]}
unit: {text: {fr: a, en: b}, not_given: {fr: a, en: b}}
free_text: {text: {fr: a, en: b}, warning: {fr: a, en: b}, max_chars: 10}
`,
		"three labels": `version: x
not_known: {fr: a, en: b}
questions:
  - {id: opacity, fact: work.opacity, dimension: d, text: {fr: a, en: b}, labels: [{fr: a, en: b},{fr: a, en: b},{fr: a, en: b}]}
unit: {text: {fr: a, en: b}, not_given: {fr: a, en: b}}
free_text: {text: {fr: a, en: b}, warning: {fr: a, en: b}, max_chars: 10}
`,
		"no english": `version: x
not_known: {fr: a}
questions:
  - {id: opacity, fact: work.opacity, dimension: d, text: {fr: a, en: b}, labels: [{fr: a, en: b},{fr: a, en: b},{fr: a, en: b},{fr: a, en: b}]}
unit: {text: {fr: a, en: b}, not_given: {fr: a, en: b}}
free_text: {text: {fr: a, en: b}, warning: {fr: a, en: b}, max_chars: 10}
`,
	} {
		if _, err := parseSet([]byte(raw)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
