package audit

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A sentence that starts with an undefined rate starts with a word: its
// first letter is capitalised whole in French (« Indéfini », two bytes for
// « é » further on, and an accented first letter elsewhere) and in English.
func TestSentenceStartsWithACapital(t *testing.T) {
	r := &Report{Config: ReportConfig{Label: "y", MinN: 30}}
	ref := Group{Value: "A", N: 0, Reference: true, Metrics: map[string]Metric{"pprev": {Undefined: true}}}
	g := Group{Value: "B", N: 0, Metrics: map[string]Metric{"pprev": {Undefined: true}},
		Disparities: map[string]Disparity{"pprev": {RatioReason: "undefined"}}}
	a := Attribute{Name: "g", Groups: []Group{ref, g}}
	for lang, want := range map[string]string{"fr": "Indéfini des « B »", "en": "Undefined of “B”"} {
		s := spaces(r.Sentence(lang, "pprev", &a, &a.Groups[1]))
		if !strings.HasPrefix(s, spaces(want)) || !utf8.ValidString(s) {
			t.Errorf("%s: %q does not start with %q", lang, s, want)
		}
	}
}
