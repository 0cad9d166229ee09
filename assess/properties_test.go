package assess

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/internal/plaintext"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/law/deadline"
)

var caseDates = []vigie.Date{vigie.MustDate("2026-11-26"), vigie.MustDate("2028-01-01")}

// field returns the settable value of a fact of s by path, copying the
// usage block so that variants do not share it.
func field(s *vigie.System, path string) reflect.Value {
	if strings.HasPrefix(path, "usage.") {
		u := vigie.Usage{}
		if s.Usage != nil {
			u = *s.Usage
		}
		s.Usage = &u
	}
	if strings.HasPrefix(path, "jobs.") {
		j := vigie.Jobs{}
		if s.Jobs != nil {
			j = *s.Jobs
		}
		s.Jobs = &j
	}
	v := reflect.ValueOf(s).Elem()
	for _, part := range strings.Split(path, ".") {
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if name == part {
				v = v.Field(i)
				break
			}
		}
	}
	return v
}

// completions returns values a fact may take once known: every value of
// a yes/no fact or an enumeration, and a few telling values of the others.
func completions(orig *vigie.System, path string) []any {
	v := law.FactValue(orig, path)
	switch x := v.(type) {
	case vigie.Tri:
		return []any{vigie.TriTrue, vigie.TriFalse}
	case string:
		if vals := vigie.Enums[path]; vals != nil {
			out := []any{}
			for _, e := range vals {
				out = append(out, e)
			}
			return out
		}
	case vigie.Set:
		out := []any{vigie.SetOf()}
		if x.Known {
			out = append(out, x)
		}
		for _, e := range vigie.Enums[path] {
			out = append(out, vigie.SetOf(e))
		}
		if vals := vigie.Enums[path]; vals != nil {
			out = append(out, vigie.SetOf(vals...))
		}
		return out
	case vigie.OptInt:
		out := []any{vigie.IntOf(0), vigie.IntOf(3), vigie.IntOf(49), vigie.IntOf(50), vigie.IntOf(300), vigie.IntOf(100000)}
		if x.Known {
			out = append(out, x)
		}
		return out
	case vigie.Date:
		out := []any{vigie.MustDate("2020-01-01"), vigie.MustDate("2026-08-01"), vigie.MustDate("2030-01-01")}
		if !x.IsZero() {
			out = append(out, x)
		}
		return out
	}
	return nil
}

func clone(s *vigie.System) *vigie.System {
	c := *s
	if s.Usage != nil {
		u := *s.Usage
		c.Usage = &u
	}
	return &c
}

func withFact(s *vigie.System, path string, val any) *vigie.System {
	c := clone(s)
	f := field(c, path)
	if val == nil {
		f.Set(reflect.Zero(f.Type()))
	} else {
		f.Set(reflect.ValueOf(val))
	}
	return c
}

// Unknown never yields met: whenever an obligation is met with a fact set
// to unknown, it is met (or absent) whatever the fact turns out to be.
func TestUnknownNeverYieldsMet(t *testing.T) {
	n := 0
	for _, file := range caseFiles(t) {
		sys := loadSystem(t, file)
		for _, path := range vigie.FactPaths() {
			comps := completions(sys, path)
			if comps == nil {
				continue
			}
			variant := withFact(sys, path, nil)
			for _, d := range caseDates {
				av := Evaluate(variant, d)
				for _, o := range av.Obligations {
					if o.Status != StatusMet {
						continue
					}
					for _, c := range comps {
						n++
						ac := Evaluate(withFact(sys, path, c), d)
						if got, ok := ac.Obligation(o.ID); ok && got.Status != StatusMet {
							t.Errorf("%s@%s: %s is met with %s unknown but %s with %s = %v",
								file, d, o.ID, path, got.Status, path, c)
						}
					}
				}
				// An unknown fact that the result reads is asked about; a
				// question with no fact is about one rule.
				for _, u := range av.Unknowns {
					if u.Fact == "" && len(u.Affects) == 1 && u.Question != "" {
						continue
					}
					if !vigie.IsFactPath(u.Fact) {
						t.Errorf("question on %q", u.Fact)
					}
				}
				checkUnknownsAsked(t, file+"@"+d.String()+" "+path+"=unknown", av)
				for _, c := range comps {
					checkUnknownsAsked(t, file+"@"+d.String()+" "+path+"="+fmt.Sprint(c), Evaluate(withFact(sys, path, c), d))
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no met obligation was checked")
	}
	// A system of which nothing is known: nothing is met, nothing is
	// classified, and there are questions to ask.
	empty := &vigie.System{Schema: vigie.SystemSchema, Name: "inconnu"}
	for _, d := range caseDates {
		a := Evaluate(empty, d)
		for _, o := range a.Obligations {
			if o.Status == StatusMet {
				t.Errorf("empty system: %s met", o.ID)
			}
		}
		if a.AIAct.Tier != TierMinimal || len(a.AIAct.Grounds) != 0 {
			t.Errorf("empty system: tier %s, grounds %v", a.AIAct.Tier, a.AIAct.Grounds)
		}
		if len(a.Unknowns) < 20 || len(a.AIAct.Undetermined) == 0 {
			t.Errorf("empty system: only %d questions, %d undetermined grounds", len(a.Unknowns), len(a.AIAct.Undetermined))
		}
	}
}

// Adding a prohibited capability never lowers the tier; on the employer's
// own staff it makes the system prohibited.
func TestProhibitedCapabilityNeverLowersTier(t *testing.T) {
	adds := map[string]func(*vigie.System){
		"social scoring":           func(s *vigie.System) { s.Capabilities.SocialScoring = vigie.TriTrue },
		"biometric categorisation": func(s *vigie.System) { s.Capabilities.BiometricCategorisation = vigie.TriTrue },
		"emotion recognition": func(s *vigie.System) {
			s.Capabilities.EmotionRecognition = vigie.TriTrue
		},
		"emotion recognition at work": func(s *vigie.System) {
			s.Capabilities.EmotionRecognition = vigie.TriTrue
			s.Capabilities.MedicalOrSafetyPurpose = vigie.TriFalse
			s.Decisions.Subjects = vigie.SetOf(append([]string{"workers"}, s.Decisions.Subjects.Items...)...)
		},
	}
	for _, file := range caseFiles(t) {
		sys := loadSystem(t, file)
		for name, add := range adds {
			for _, d := range caseDates {
				before := Evaluate(sys, d).AIAct.Tier
				c := clone(sys)
				add(c)
				after := Evaluate(c, d).AIAct.Tier
				if TierRank(after) < TierRank(before) {
					t.Errorf("%s@%s + %s: tier %s → %s", file, d, name, before, after)
				}
				if name != "emotion recognition" && after != TierProhibited {
					t.Errorf("%s@%s + %s: tier %s, want prohibited", file, d, name, after)
				}
			}
		}
	}
}

// The same input gives byte-identical JSON, the engine leaves the system
// untouched, and the tier does not move with the date.
func TestDeterministicJSON(t *testing.T) {
	for _, file := range caseFiles(t) {
		sys := loadSystem(t, file)
		facts := sys.Facts()
		tiers := map[string]bool{}
		for _, d := range append(caseDates, vigie.MustDate("2024-01-01"), vigie.MustDate("2031-06-30")) {
			a1, err := Evaluate(sys, d).JSON()
			if err != nil {
				t.Fatal(err)
			}
			a2, _ := Evaluate(loadSystem(t, file), d).JSON()
			if !bytes.Equal(a1, a2) {
				t.Errorf("%s@%s: JSON differs between two runs", file, d)
			}
			var m map[string]any
			if err := json.Unmarshal(a1, &m); err != nil {
				t.Fatal(err)
			}
			if m["schema"] != Schema || m["date"] != d.String() {
				t.Errorf("%s: schema %v date %v", file, m["schema"], m["date"])
			}
			for _, k := range []string{"system", "ai_act", "obligations", "unknowns", "risks", "duerp"} {
				if _, ok := m[k]; !ok {
					t.Errorf("%s: no %s in JSON", file, k)
				}
			}
			tiers[Evaluate(sys, d).AIAct.Tier] = true
		}
		if !reflect.DeepEqual(facts, sys.Facts()) {
			t.Errorf("%s: Evaluate changed the system", file)
		}
		if len(tiers) != 1 {
			t.Errorf("%s: tier moves with the date: %v", file, tiers)
		}
	}
}

func BenchmarkEvaluate(b *testing.B) {
	sys := loadSystem(b, "testdata/cases/04-caf-score-risque-controles.yaml")
	d := vigie.MustDate("2028-01-01")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Evaluate(sys, d)
	}
}

// checkUnknownsAsked: every obligation whose status is unknown has an entry
// in unknowns whose affects names it, so the page never says there is no
// open question while one is unknown.
func checkUnknownsAsked(t *testing.T, name string, a *Assessment) {
	t.Helper()
	checkPlain(t, name, a)
	for _, o := range a.Obligations {
		if o.Status != StatusUnknown {
			continue
		}
		if !slices.ContainsFunc(a.Unknowns, func(u Unknown) bool { return slices.Contains(u.Affects, o.ID) }) {
			t.Errorf("%s: %s is unknown but no question names it", name, o.ID)
		}
	}
}

// ruleIDs are the ids of the rules and of the deadline chains.
var ruleIDs = sync.OnceValue(func() []string {
	var ids []string
	for _, r := range law.MustLoad().Rules() {
		ids = append(ids, r.ID)
	}
	for _, p := range deadline.Procedures() {
		ids = append(ids, p.ID, p.Ref)
	}
	return ids
})

// checkPlain: the sentences of an assessment a user reads (questions and
// why, obligations, demands, deadlines and notes, levers, warnings) hold no
// rule id, fact path or flag.
func checkPlain(t *testing.T, name string, a *Assessment) {
	t.Helper()
	var texts []string
	for _, u := range a.Unknowns {
		texts = append(texts, u.Question, u.QuestionEN, u.Why, u.WhyEN)
	}
	for _, o := range a.Obligations {
		for _, l := range []law.Lang{law.FR, law.EN} {
			texts = append(texts, o.TitleIn(l), o.ObligationIn(l), o.DemandIn(l), o.DeadlineIn(l))
		}
		texts = append(texts, o.Note, o.NoteEN, o.AppliesFromNote, o.AppliesFromNoteEN)
	}
	for _, r := range a.Rights {
		texts = append(texts, r.Title, r.TitleEN, r.Text, r.TextEN, r.Demand, r.DemandEN)
	}
	for _, n := range a.Notes {
		texts = append(texts, n.Title, n.TitleEN, n.Text, n.TextEN)
	}
	for _, w := range a.Warnings {
		texts = append(texts, w.Text, w.TextEN)
	}
	for _, s := range texts {
		if f := plaintext.Faults(s, ruleIDs()); len(f) > 0 {
			t.Errorf("%s: %q holds %v", name, s, f)
		}
	}
}
