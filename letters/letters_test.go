package letters

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/law/deadline"
)

func loadCase(t testing.TB, name string) *vigie.System {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join("testdata", "cases", name+"*.yaml"))
	if len(matches) != 1 {
		t.Fatalf("case %s: %v", name, matches)
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	s, err := vigie.ParseSystem(matches[0], b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCatalogue(t *testing.T) {
	base := law.MustLoad()
	ls := Catalogue()
	if len(ls) < 13 {
		t.Fatalf("%d letters", len(ls))
	}
	seen := map[string]bool{}
	for _, l := range ls {
		if seen[l.ID] {
			t.Errorf("duplicate id %s", l.ID)
		}
		seen[l.ID] = true
		if l.Title.FR == "" || l.Title.EN == "" || len(l.Rules) == 0 || len(l.Cites) == 0 {
			t.Errorf("%s: title, rules or cites missing", l.ID)
		}
		for _, r := range l.Rules {
			if base.Rule(r) == nil {
				t.Errorf("%s: rule %s is not in the law base", l.ID, r)
			}
		}
		for _, r := range l.Obligations {
			if r != "*" && base.Rule(r) == nil {
				t.Errorf("%s: obligation %s is not in the law base", l.ID, r)
			}
		}
		if !slices.Contains([]string{ScopeAny, ScopePrivate, ScopePublic, ScopeService}, l.Scope) {
			t.Errorf("%s: scope %q", l.ID, l.Scope)
		}
		if l.Questions != "all" && l.Questions != "rules" {
			t.Errorf("%s: questions %q", l.ID, l.Questions)
		}
		for _, lang := range []string{"fr", "en"} {
			if _, err := files.ReadFile("templates/" + l.ID + "." + lang + ".tmpl"); err != nil {
				t.Errorf("%s: no %s template", l.ID, lang)
			}
		}
		if l.From != "" {
			if _, err := vigie.ParseDate(l.From); err != nil {
				t.Errorf("%s: from %q", l.ID, l.From)
			}
		}
		if l.Procedure == "" {
			if l.Next != "" || l.Event != "" {
				t.Errorf("%s: next or event without a procedure", l.ID)
			}
			continue
		}
		p, ok := deadline.Lookup(l.Procedure)
		if !ok {
			t.Errorf("%s: unknown procedure %s", l.ID, l.Procedure)
			continue
		}
		o := deadline.Options{}
		for _, opt := range l.ProcedureOptions {
			switch opt {
			case deadline.OptExpert:
				o.Expert = true
			default:
				t.Errorf("%s: procedure option %s", l.ID, opt)
			}
		}
		steps, err := deadline.ComputeProcedure(p, vigie.MustDate("2026-11-26"), o)
		if err != nil {
			t.Errorf("%s: %v", l.ID, err)
			continue
		}
		if l.Event != "" && !slices.ContainsFunc(p.Events, func(e deadline.Event) bool { return e.ID == l.Event }) {
			t.Errorf("%s: event %s is not an event of %s", l.ID, l.Event, l.Procedure)
		}
		if l.Next != "" {
			if _, ok := Lookup(l.Next); !ok {
				t.Errorf("%s: next letter %s does not exist", l.ID, l.Next)
			}
			if !slices.ContainsFunc(steps, func(s deadline.Step) bool { return s.ID == l.NextAfter }) {
				t.Errorf("%s: next_after %q is not a step of %s", l.ID, l.NextAfter, l.Procedure)
			}
		}
		if l.StartsOn.FR == "" || l.StartsOn.EN == "" {
			t.Errorf("%s: starts_on missing", l.ID)
		}
	}
}

func TestForRuleAndNext(t *testing.T) {
	private := loadCase(t, "01")
	caf := loadCase(t, "04")   // private body with a public-service mission
	dgfip := loadCase(t, "06") // public_state
	ids := func(ls []Letter) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.ID)
		}
		return out
	}
	cases := []struct {
		rule string
		sys  *vigie.System
		want []string
	}{
		{"CT-NT", private, []string{"cse-consultation-new-technology", "cse-agenda-expert"}},
		{"CT-SURV", private, []string{"cse-consultation-monitoring", "cse-agenda-expert"}},
		{"GDPR-35", private, []string{"dpia-request", "cnil-complaint"}},
		{"GDPR-35", dgfip, []string{"dpia-request-public", "cnil-complaint"}},
		{"CRPA-ALGO", private, nil},
		{"CRPA-ALGO", caf, []string{"algorithm-rules-request", "cada-referral"}},
		{"FP-F3SCT", dgfip, []string{"f3sct-referral"}},
		{"FP-F3SCT", caf, nil},
		{"CT-SST", dgfip, []string{"duerp-update"}},
		{"AIA-26-7", private, []string{"ai-act-information"}},
		{"GDPR-15", nil, []string{"gdpr-access-request", "cnil-complaint"}},
	}
	for _, c := range cases {
		if got := ids(ForRule(c.rule, c.sys)); !slices.Equal(got, c.want) {
			t.Errorf("ForRule(%s, %v) = %v, want %v", c.rule, c.sys != nil, got, c.want)
		}
	}
	if n, ok := NextAfter("algorithm-rules-request", "implicit-refusal"); !ok || n.ID != "cada-referral" {
		t.Errorf("after the implicit refusal: %v %v", n.ID, ok)
	}
	if n, ok := NextAfter("gdpr-access-request", "answer-due"); !ok || n.ID != "cnil-complaint" {
		t.Errorf("after the GDPR answer delay: %v %v", n.ID, ok)
	}
	if _, ok := NextAfter("gdpr-access-request", "request-received"); ok {
		t.Error("no next letter at the start of the chain")
	}
}

func TestDatedLetter(t *testing.T) {
	s := loadCase(t, "03")
	_, err := Build("ai-act-information", Data{System: s, Date: vigie.MustDate("2027-12-01")}, "fr")
	if vigie.ErrorCode(err) != vigie.EINVALID || !strings.HasPrefix(vigie.ErrorMessage(err), "--date") ||
		!strings.Contains(vigie.ErrorMessage(err), "2027-12-02") {
		t.Errorf("before 2027-12-02: %v", err)
	}
	if _, err := Build("ai-act-information", Data{System: s, Date: vigie.MustDate("2027-12-02")}, "fr"); err != nil {
		t.Errorf("on 2027-12-02: %v", err)
	}
}

func TestBadInput(t *testing.T) {
	s := loadCase(t, "01")
	d := Data{System: s, Date: vigie.MustDate("2026-11-26")}
	for _, c := range []struct {
		id, lang, format, flag string
		d                      Data
	}{
		{"nope", "fr", "text", "--template", d},
		{"duerp-update", "de", "text", "--lang", d},
		{"duerp-update", "fr", "docx", "--format", d},
		{"duerp-update", "fr", "text", "--system", Data{Date: d.Date}},
		{"duerp-update", "fr", "text", "--date", Data{System: s}},
	} {
		var buf bytes.Buffer
		err := Render(c.id, c.d, c.lang, c.format, &buf)
		if vigie.ErrorCode(err) != vigie.EINVALID || !strings.HasPrefix(vigie.ErrorMessage(err), c.flag) {
			t.Errorf("%+v: %v", c, err)
		}
		if buf.Len() != 0 {
			t.Errorf("%+v: wrote output on bad input", c)
		}
	}
}

func TestLongDate(t *testing.T) {
	for _, c := range []struct{ d, fr, en string }{
		{"2026-03-01", "1er mars 2026", "1 March 2026"},
		{"2026-08-15", "15 août 2026", "15 August 2026"},
		{"2026-12-31", "31 décembre 2026", "31 December 2026"},
	} {
		if got := LongDate(vigie.MustDate(c.d), "fr"); got != c.fr {
			t.Errorf("fr %s: %q", c.d, got)
		}
		if got := LongDate(vigie.MustDate(c.d), "en"); got != c.en {
			t.Errorf("en %s: %q", c.d, got)
		}
	}
}

func TestWrapKeepsFrenchPunctuation(t *testing.T) {
	s := strings.Repeat("mot ", 18) + "« VoxMétrie » ; suite : fin"
	out := wrap(s, 20, "")
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "»") || strings.HasPrefix(line, ";") || strings.HasPrefix(line, ":") || strings.HasSuffix(line, "«") {
			t.Errorf("bad break: %q", line)
		}
	}
	if strings.Join(strings.Fields(out), " ") != strings.Join(strings.Fields(s), " ") {
		t.Errorf("wrap changed the words: %q", out)
	}
	if strings.Contains(out, "\x00") {
		t.Error("glue byte left in the output")
	}
}

func TestDeadlinesOfALetter(t *testing.T) {
	s := loadCase(t, "01")
	gdpr, _ := Lookup("gdpr-access-request")
	steps, err := Deadlines(gdpr, Data{System: s, Date: vigie.MustDate("2026-01-31")})
	if err != nil {
		t.Fatal(err)
	}
	due := map[string]vigie.Date{}
	for _, st := range steps {
		due[st.ID] = st.Due
	}
	if due["answer-due"] != vigie.MustDate("2026-02-28") {
		t.Errorf("GDPR answer due %s", due["answer-due"])
	}

	ref, _ := Lookup("cada-referral")
	if steps, _ := Deadlines(ref, Data{System: s, Date: vigie.MustDate("2026-11-26")}); steps != nil {
		t.Error("a referral without the date of the request it follows has no chain")
	}
	steps, err = Deadlines(ref, Data{System: s, Date: vigie.MustDate("2026-11-26"),
		RequestSentOn: vigie.MustDate("2026-09-15"), RefusalOn: vigie.MustDate("2026-10-01")})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		switch st.ID {
		case "cada-referral":
			if st.Due != vigie.MustDate("2026-12-01") {
				t.Errorf("referral due %s, want two months after the express refusal", st.Due)
			}
		case "cada-opinion":
			if st.Due != vigie.MustDate("2026-12-26") || st.Assumed {
				t.Errorf("CADA opinion %s (assumed %v), want a month after the referral", st.Due, st.Assumed)
			}
		}
	}
	// The notes give the deadlines in words (the command that recomputes
	// them is on the action's page, not in a sentence).
	d := Data{System: s, Date: vigie.MustDate("2026-01-31")}
	doc, err := Build("gdpr-access-request", d, "fr")
	if err != nil {
		t.Fatal(err)
	}
	notes := norm(strings.Join(doc.Notes, " "))
	if strings.Contains(notes, "--") || !strings.Contains(notes, "à recalculer avec la date d'envoi réelle") ||
		!strings.Contains(notes, "28 février 2026 — Réponse due") || !strings.Contains(notes, "samedi") {
		t.Errorf("notes: %s", notes)
	}
	if len(doc.Deadlines) == 0 {
		t.Error("document without its deadlines")
	}
	// A letter with no procedure has no chain.
	ai, _ := Lookup("ai-act-information")
	if steps, _ := Deadlines(ai, Data{System: s, Date: vigie.MustDate("2028-01-01")}); steps != nil {
		t.Error("the AI Act letter starts no chain")
	}
}

func TestProposal(t *testing.T) {
	s := loadCase(t, "04")
	l, _ := Lookup("algorithm-rules-request")
	steps, err := Deadlines(l, Data{System: s, Date: vigie.MustDate("2026-03-16")})
	if err != nil {
		t.Fatal(err)
	}
	// The implicit refusal arises on 2026-04-16: nothing to propose that day,
	// the CADA referral from the day after.
	if _, _, ok := Proposal(l, steps, vigie.MustDate("2026-04-16")); ok {
		t.Error("proposed before the delay expired")
	}
	next, step, ok := Proposal(l, steps, vigie.MustDate("2026-04-17"))
	if !ok || next.ID != "cada-referral" || step.ID != "implicit-refusal" || step.Due != vigie.MustDate("2026-04-16") {
		t.Errorf("after the refusal: %v %v %v", next.ID, step.ID, ok)
	}
	last, _ := Lookup("cada-referral")
	if _, _, ok := Proposal(last, steps, vigie.MustDate("2027-01-01")); ok {
		t.Error("the referral has no next letter")
	}
}
