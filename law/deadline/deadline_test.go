package deadline

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

var d = vigie.MustDate

func TestEaster(t *testing.T) {
	for year, want := range map[int]string{
		2000: "2000-04-23", 2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20",
		2026: "2026-04-05", 2027: "2027-03-28", 2028: "2028-04-16", 2038: "2038-04-25",
	} {
		if got := Easter(year); got != d(want) {
			t.Errorf("Easter(%d) = %s, want %s", year, got, want)
		}
		if Easter(year).Weekday() != 0 {
			t.Errorf("Easter(%d) is not a Sunday", year)
		}
	}
}

func TestHolidays(t *testing.T) {
	national := Holidays(2026, false)
	if len(national) != 11 {
		t.Fatalf("2026: %d national holidays, want 11", len(national))
	}
	all := Holidays(2026, true)
	if len(all) != 13 {
		t.Fatalf("2026 with Alsace-Moselle: %d holidays, want 13", len(all))
	}
	want := map[string]string{
		"easter-monday": "2026-04-06", "ascension": "2026-05-14", "whit-monday": "2026-05-25",
		"good-friday": "2026-04-03", "st-stephen": "2026-12-26", "national-day": "2026-07-14",
	}
	for _, h := range all {
		if w, ok := want[h.ID]; ok && h.Date != d(w) {
			t.Errorf("%s: %s, want %s", h.ID, h.Date, w)
		}
		if h.Name.FR == "" || h.Name.EN == "" {
			t.Errorf("%s: missing name", h.ID)
		}
	}
	for i := 1; i < len(all); i++ {
		if !all[i-1].Date.Before(all[i].Date) {
			t.Errorf("not in date order: %s then %s", all[i-1].Date, all[i].Date)
		}
	}
	for _, h := range national {
		if h.AlsaceMoselle {
			t.Errorf("%s listed without the Alsace-Moselle option", h.ID)
		}
	}
	// 2025-12-26 is a Friday: a working day in general, not in Alsace-Moselle.
	if _, off := NonWorking(d("2025-12-26"), false); off {
		t.Error("2025-12-26 should be a working day outside Alsace-Moselle")
	}
	if why, off := NonWorking(d("2025-12-26"), true); !off || !strings.Contains(why[0].FR, "Saint-Étienne") {
		t.Errorf("2025-12-26 in Alsace-Moselle: %v %v", why, off)
	}
	// A holiday on a weekend gives both reasons: 2026-11-01 is a Sunday.
	if why, _ := NonWorking(d("2026-11-01"), false); len(why) != 2 {
		t.Errorf("2026-11-01: %v, want Sunday and All Saints", why)
	}
	// Friday 2026-05-01 (Labour Day) → Saturday, Sunday → Monday 4 May.
	if got := NextWorkingDay(d("2026-05-01"), false); got != d("2026-05-04") {
		t.Errorf("NextWorkingDay(2026-05-01) = %s", got)
	}
}

// stepDates returns id → due of a chain.
func stepDates(t *testing.T, proc, from string, o Options) map[string]Step {
	t.Helper()
	steps, err := Compute(proc, d(from), o)
	if err != nil {
		t.Fatalf("Compute(%s, %s, %+v): %v", proc, from, o, err)
	}
	m := map[string]Step{}
	for _, s := range steps {
		if _, dup := m[s.ID]; dup {
			t.Fatalf("%s: duplicate step %s", proc, s.ID)
		}
		m[s.ID] = s
	}
	return m
}

func hasWarning(s Step, code string) bool {
	return slices.ContainsFunc(s.Warnings, func(w Warning) bool { return w.Code == code })
}

func TestCSEConsultationMonthForMonth(t *testing.T) {
	cases := []struct {
		from string
		o    Options
		want string // negative-opinion-deemed
	}{
		{"2026-03-15", Options{}, "2026-04-15"},
		{"2026-01-31", Options{}, "2026-02-28"},                 // end-of-month clamp
		{"2028-01-31", Options{}, "2028-02-29"},                 // leap year
		{"2027-12-31", Options{Expert: true}, "2028-02-29"},     // leap year, 2 months
		{"2026-12-31", Options{Expert: true}, "2027-02-28"},     // not a leap year
		{"2026-01-31", Options{Expert: true}, "2026-03-31"},     // 31 kept when the month has it
		{"2026-11-30", Options{MultiLevel: true}, "2027-02-28"}, // 3 months, clamp
		{"2026-03-31", Options{MultiLevel: true}, "2026-06-30"}, // 3 months, 30-day month
		{"2026-10-15", Options{MultiLevel: true}, "2027-01-15"}, // across the year
		{"2026-03-31", Options{Expert: true, MultiLevel: true}, "2026-06-30"},
	}
	for _, c := range cases {
		m := stepDates(t, "cse-consultation", c.from, c.o)
		s := m["negative-opinion-deemed"]
		if s.Due != d(c.want) {
			t.Errorf("from %s %+v: opinion deemed %s, want %s", c.from, c.o, s.Due, c.want)
		}
		if s.Kind != KindDeadline || s.Confidence != Verified || !strings.Contains(s.Basis.FR, "R2312-6") {
			t.Errorf("opinion step: kind %s, confidence %s, basis %q", s.Kind, s.Confidence, s.Basis.FR)
		}
		// The court must be seized before the same date.
		if m["seize-court-missing-information"].Due != s.Due {
			t.Errorf("seize-court step %s, want %s", m["seize-court-missing-information"].Due, s.Due)
		}
		if m["information-transmitted"].Due != d(c.from) || m["information-transmitted"].Kind != KindStart {
			t.Errorf("start step: %+v", m["information-transmitted"])
		}
		_, hasExpert := m["expert-appointed"]
		if hasExpert != (c.o.Expert || c.o.MultiLevel) {
			t.Errorf("%+v: expert step present = %v", c.o, hasExpert)
		}
		est, hasEst := m["establishment-opinions"]
		if hasEst != c.o.MultiLevel {
			t.Errorf("%+v: establishment step present = %v", c.o, hasEst)
		}
		if hasEst && est.Due != s.Due.AddDays(-7) {
			t.Errorf("establishment opinions %s, want 7 days before %s", est.Due, s.Due)
		}
	}
}

func TestCSEConsultationChain(t *testing.T) {
	steps, err := Compute("PROC-A", d("2026-09-10"), Options{Expert: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range steps {
		got = append(got, s.Number+" "+s.ID+" "+s.Due.String())
	}
	want := []string{
		"1 information-transmitted 2026-09-10",
		"2 expert-appointed 2026-09-10",
		"4 negative-opinion-deemed 2026-11-10",
		"5 seize-court-missing-information 2026-11-10",
		"6 deployment-before-opinion 2026-09-10",
		"7 ai-act-high-risk 2027-12-02",
	}
	if !slices.Equal(got, want) {
		t.Errorf("chain:\n got %q\nwant %q", got, want)
	}
	ai := steps[len(steps)-1]
	if !hasWarning(ai, "applies-from") || ai.Kind != KindFrom {
		t.Errorf("AI Act step should be a 'from' step held to 2027-12-02: %+v", ai)
	}
	// After 2027-12-02 the AI Act step is not held back.
	m := stepDates(t, "cse-consultation", "2028-03-01", Options{})
	if m["ai-act-high-risk"].Due != d("2028-03-01") || hasWarning(m["ai-act-high-risk"], "applies-from") {
		t.Errorf("2028 AI Act step: %+v", m["ai-act-high-risk"])
	}
	// The 2025 court decisions are the basis of the deployment step.
	dep := m["deployment-before-opinion"]
	for _, n := range []string{"24/01457", "25/00851", "25/53278", "L2317-1"} {
		if !strings.Contains(dep.Basis.FR, n) || !strings.Contains(dep.Basis.EN, n) {
			t.Errorf("deployment step basis lacks %s: %q", n, dep.Basis.FR)
		}
	}
}

func TestGDPRChain(t *testing.T) {
	m := stepDates(t, "gdpr-request", "2026-01-31", Options{})
	if m["answer-due"].Due != d("2026-02-28") || m["no-action-reasons"].Due != d("2026-02-28") {
		t.Errorf("answer %s / no action %s, want 2026-02-28", m["answer-due"].Due, m["no-action-reasons"].Due)
	}
	if _, ok := m["extended-answer-due"]; ok {
		t.Error("extended step without --extended")
	}
	if m["cnil-complaint"].Due != d("2026-02-28") || m["cnil-complaint"].Kind != KindFrom {
		t.Errorf("complaint: %+v", m["cnil-complaint"])
	}
	court := m["court-if-cnil-silent"]
	if court.Due != d("2026-05-28") || !court.Assumed || !hasWarning(court, "assumed") || !hasWarning(court, "unverified") {
		t.Errorf("court step: %+v", court)
	}

	x := stepDates(t, "gdpr-request", "2026-01-31", Options{Extended: true})
	if x["extended-answer-due"].Due != d("2026-04-30") {
		t.Errorf("extended answer %s, want 2026-04-30", x["extended-answer-due"].Due)
	}
	if x["cnil-complaint"].Due != d("2026-04-30") || x["cnil-complaint"].Anchor != "extended-answer-due" {
		t.Errorf("complaint after extension: %+v", x["cnil-complaint"])
	}
	// The real complaint date replaces the assumption.
	at := stepDates(t, "gdpr-request", "2026-01-31", Options{At: map[string]vigie.Date{"complaint-filed": d("2026-06-10")}})
	if c := at["court-if-cnil-silent"]; c.Due != d("2026-09-10") || c.Assumed || hasWarning(c, "assumed") {
		t.Errorf("court with the real complaint date: %+v", c)
	}
	// Leap year.
	if got := stepDates(t, "gdpr-request", "2027-11-30", Options{Extended: true})["extended-answer-due"].Due; got != d("2028-02-29") {
		t.Errorf("2027-11-30 + 3 months = %s, want 2028-02-29", got)
	}
}

func TestCADAChain(t *testing.T) {
	m := stepDates(t, "cada-request", "2026-03-16", Options{})
	want := map[string]string{
		"request-sent":                 "2026-03-16",
		"implicit-refusal":             "2026-04-16",
		"cada-referral":                "2026-06-16",
		"cada-opinion":                 "2026-05-16", // registration assumed on the refusal day
		"administration-reply-to-cada": "2026-06-16",
		"confirmed-refusal":            "2026-06-16",
		"administrative-court":         "2026-08-16",
	}
	for id, w := range want {
		if m[id].Due != d(w) {
			t.Errorf("%s: %s, want %s", id, m[id].Due, w)
		}
	}
	if m["implicit-refusal"].Assumed || m["cada-referral"].Assumed {
		t.Error("the refusal and referral deadlines follow from silence, not from an assumption")
	}
	for _, id := range []string{"cada-opinion", "confirmed-refusal", "administrative-court"} {
		if !m[id].Assumed {
			t.Errorf("%s should be marked as counted from an assumed registration date", id)
		}
	}
	if !hasWarning(m["cada-referral"], "rule") {
		t.Error("the notified-remedies warning (step 3a) is missing")
	}
	// Real dates: an express refusal, the registration, the opinion.
	at := map[string]vigie.Date{
		"refusal": d("2026-04-02"), "cada-registered": d("2026-05-20"), "opinion-given": d("2026-06-25"),
	}
	r := stepDates(t, "cada-request", "2026-03-16", Options{At: at})
	want = map[string]string{
		"implicit-refusal":             "2026-04-16",
		"cada-referral":                "2026-06-02",
		"cada-opinion":                 "2026-06-20",
		"administration-reply-to-cada": "2026-07-25",
		"confirmed-refusal":            "2026-07-20",
		"administrative-court":         "2026-09-20",
	}
	for id, w := range want {
		if r[id].Due != d(w) {
			t.Errorf("with real dates, %s: %s, want %s", id, r[id].Due, w)
		}
		if r[id].Assumed {
			t.Errorf("with real dates, %s is still assumed", id)
		}
	}
}

func TestF3SCTHasNoInventedDelay(t *testing.T) {
	steps, err := Compute("f3sct-opinion", d("2026-11-26"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if s.Kind == KindDeadline {
			t.Errorf("F3SCT step %s is a deadline, but no delay has a verified basis", s.ID)
		}
		if s.Due != d("2026-11-26") {
			t.Errorf("F3SCT step %s dated %s", s.ID, s.Due)
		}
		if !hasWarning(s, "unverified") {
			t.Errorf("F3SCT step %s lacks the unverified warning", s.ID)
		}
	}
}

func TestDPIA(t *testing.T) {
	priv := stepDates(t, "dpia", "2026-01-31", Options{Expert: true})
	if priv["private-consultation-opinion"].Due != d("2026-03-31") {
		t.Errorf("private DPIA in the consultation: %s", priv["private-consultation-opinion"].Due)
	}
	if _, ok := priv["implicit-refusal"]; ok {
		t.Error("CRPA steps for a private employer")
	}
	pub := stepDates(t, "dpia", "2026-01-31", Options{Public: true})
	if _, ok := pub["private-consultation-opinion"]; ok {
		t.Error("private step for a public body")
	}
	if pub["implicit-refusal"].Due != d("2026-02-28") || pub["implicit-refusal"].Number != "3b.2" {
		t.Errorf("public DPIA: CRPA refusal %+v", pub["implicit-refusal"])
	}
	if pub["implicit-refusal"].Anchor != "dpia-request" {
		t.Errorf("included chain should start at the DPIA request, anchor %q", pub["implicit-refusal"].Anchor)
	}
}

func TestNonWorkingDayWarning(t *testing.T) {
	// 2026-01-31 + 1 month = Saturday 2026-02-28: warned, not moved.
	m := stepDates(t, "cse-consultation", "2026-01-31", Options{})
	s := m["negative-opinion-deemed"]
	if s.Due != d("2026-02-28") || !hasWarning(s, "non-working-day") || hasWarning(s, "moved") || !s.Unmoved.IsZero() {
		t.Errorf("Saturday deadline: %+v", s)
	}
	if len(s.NonWorking) != 1 || s.NonWorking[0].FR != "samedi" {
		t.Errorf("reason %v", s.NonWorking)
	}
	// 2026-04-14 + 1 month = Thursday 2026-05-14, Ascension.
	g := stepDates(t, "gdpr-request", "2026-04-14", Options{})["answer-due"]
	if !hasWarning(g, "non-working-day") || !strings.Contains(g.Warnings[0].Text.FR, "Ascension") || !strings.Contains(g.Warnings[0].Text.EN, "Ascension") {
		t.Errorf("Ascension deadline: %+v", g.Warnings)
	}
	// A working day: no warning.
	w := stepDates(t, "gdpr-request", "2026-03-10", Options{})["answer-due"]
	if w.Due != d("2026-04-10") || hasWarning(w, "non-working-day") {
		t.Errorf("Friday 2026-04-10: %+v", w)
	}
	// Good Friday is a holiday only with the Alsace-Moselle option.
	plain := stepDates(t, "gdpr-request", "2026-03-03", Options{})["answer-due"]
	am := stepDates(t, "gdpr-request", "2026-03-03", Options{AlsaceMoselle: true})["answer-due"]
	if plain.Due != d("2026-04-03") || hasWarning(plain, "non-working-day") {
		t.Errorf("Good Friday outside Alsace-Moselle: %+v", plain)
	}
	if am.Due != d("2026-04-03") || !hasWarning(am, "non-working-day") {
		t.Errorf("Good Friday in Alsace-Moselle: %+v", am)
	}
	// "from" steps carry no non-working-day warning: they are not deadlines.
	if hasWarning(m["deployment-before-opinion"], "non-working-day") {
		t.Error("warning on a step that is not a deadline")
	}
}

// The shift mechanism moves a date only for a verified basis.
func TestShiftOnlyWithVerifiedBasis(t *testing.T) {
	p := Procedure{ID: "test", Steps: []StepRule{
		{ID: "t0", Kind: KindStart},
		{ID: "verified", Kind: KindDeadline, Anchor: "t0", Delay: []Delay{{Months: 1}}, Shift: true, Confidence: Verified},
		{ID: "secondary", Kind: KindDeadline, Anchor: "t0", Delay: []Delay{{Months: 1}}, Shift: true, Confidence: Secondary},
	}}
	steps, err := ComputeProcedure(p, d("2026-01-31"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v := steps[1]; v.Due != d("2026-03-02") || v.Unmoved != d("2026-02-28") || !hasWarning(v, "moved") {
		t.Errorf("verified shift: %+v", v)
	}
	if s := steps[2]; s.Due != d("2026-02-28") || !hasWarning(s, "non-working-day") {
		t.Errorf("secondary shift must not move: %+v", s)
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		proc string
		from vigie.Date
		o    Options
		flag string
	}{
		{"nope", d("2026-01-01"), Options{}, "--procedure"},
		{"cse-consultation", vigie.Date{}, Options{}, "--from"},
		{"gdpr-request", d("2026-01-01"), Options{Expert: true}, "--expert"},
		{"cse-consultation", d("2026-01-01"), Options{Extended: true}, "--extended"},
		{"cada-request", d("2026-01-01"), Options{MultiLevel: true}, "--multi-level"},
		{"cada-request", d("2026-01-01"), Options{At: map[string]vigie.Date{"nope": d("2026-02-01")}}, "--at"},
		{"cada-request", d("2026-01-01"), Options{At: map[string]vigie.Date{"refusal": d("2025-12-01")}}, "--at"},
	}
	for _, c := range cases {
		_, err := Compute(c.proc, c.from, c.o)
		if vigie.ErrorCode(err) != vigie.EINVALID {
			t.Errorf("%s %+v: error %v, want EINVALID", c.proc, c.o, err)
			continue
		}
		msg := vigie.ErrorMessage(err)
		if !strings.HasPrefix(msg, c.flag) || !strings.Contains(msg, " / ") {
			t.Errorf("%s %+v: message %q should start with %s and have the English after ' / '", c.proc, c.o, msg, c.flag)
		}
	}
}

// TestDataIntegrity checks the embedded chains: every step has a bilingual
// label and basis and a known confidence, ids are unique, every procedure
// computes with every combination of its options, and every article it cites
// is in the legal reference.
func TestDataIntegrity(t *testing.T) {
	ref, err := os.ReadFile("testdata/legal.md")
	if err != nil {
		t.Fatal(err)
	}
	article := regexp.MustCompile(`\b[LR]\d{3,4}(?:-\d+)+\b|\b\d{2}/\d{5}\b|\bart\. \d+ CPC\b|\bR421-1\b|\b2020-1427\b`)
	cited := 0
	defer func() {
		if cited < 15 {
			t.Errorf("only %d citations checked against the reference", cited)
		}
	}()
	procs := Procedures()
	if len(procs) < 5 {
		t.Fatalf("%d procedures", len(procs))
	}
	for _, id := range []string{"cse-consultation", "gdpr-request", "cada-request", "f3sct-opinion"} {
		if _, ok := Lookup(id); !ok {
			t.Errorf("contract procedure %s missing", id)
		}
	}
	for _, p := range procs {
		if p.Title.FR == "" || p.Title.EN == "" || p.Ref == "" {
			t.Errorf("%s: title or ref missing", p.ID)
		}
		ids := map[string]bool{}
		for _, e := range p.Events {
			ids[e.ID] = true
			if e.Label.FR == "" || e.Label.EN == "" || e.Assumption.FR == "" || e.Assumption.EN == "" {
				t.Errorf("%s: event %s lacks a label or assumption text", p.ID, e.ID)
			}
		}
		for _, s := range p.Steps {
			if s.Include != "" {
				continue
			}
			if ids[s.ID] {
				t.Errorf("%s: id %s used twice (steps and events share one namespace)", p.ID, s.ID)
			}
			ids[s.ID] = true
			if s.Label.FR == "" || s.Label.EN == "" || s.Basis.FR == "" || s.Basis.EN == "" || s.Number == "" {
				t.Errorf("%s/%s: label, basis or number missing", p.ID, s.ID)
			}
			if !slices.Contains([]string{Verified, Secondary, Unverified}, s.Confidence) {
				t.Errorf("%s/%s: confidence %q", p.ID, s.ID, s.Confidence)
			}
			if !slices.Contains([]string{KindStart, KindDeadline, KindFrom}, s.Kind) {
				t.Errorf("%s/%s: kind %q", p.ID, s.ID, s.Kind)
			}
			if (s.Note.FR == "") != (s.Note.EN == "") || (s.Warning.FR == "") != (s.Warning.EN == "") {
				t.Errorf("%s/%s: a note or warning exists in one language only", p.ID, s.ID)
			}
			if s.Shift {
				t.Errorf("%s/%s: shift set, but the reference records no rule that moves a date", p.ID, s.ID)
			}
			for _, a := range article.FindAllString(s.Basis.FR+" "+s.Note.FR, -1) {
				cited++
				if !strings.Contains(string(ref), a) {
					t.Errorf("%s/%s cites %q, which the legal reference does not contain", p.ID, s.ID, a)
				}
			}
		}
		// Every combination of the procedure's options computes.
		n := len(p.Options)
		for mask := 0; mask < 1<<n; mask++ {
			var o Options
			for i, name := range p.Options {
				if mask&(1<<i) == 0 {
					continue
				}
				switch name {
				case OptExpert:
					o.Expert = true
				case OptMultiLevel:
					o.MultiLevel = true
				case OptExtended:
					o.Extended = true
				case OptPublic:
					o.Public = true
				}
			}
			steps, err := Compute(p.ID, d("2026-11-26"), o)
			if err != nil {
				t.Errorf("%s %+v: %v", p.ID, o, err)
				continue
			}
			for _, s := range steps {
				if s.Due.Before(d("2026-11-26")) {
					t.Errorf("%s/%s: due %s before the start", p.ID, s.ID, s.Due)
				}
			}
			if steps[0].Kind != KindStart {
				t.Errorf("%s: first step is %s", p.ID, steps[0].Kind)
			}
		}
	}
}

func TestProceduresIsACopy(t *testing.T) {
	ps := Procedures()
	ps[0].Steps[0].Label.FR = "changed"
	ps[0].Options = append(ps[0].Options[:0], "x")
	p, _ := Lookup(ps[0].ID)
	if p.Steps[0].Label.FR == "changed" || slices.Contains(p.Options, "x") {
		t.Error("Procedures leaks the package's data")
	}
}

func TestAIActExplanation(t *testing.T) {
	m := stepDates(t, "PROC-E", "2026-10-05", Options{Public: true})
	if m["gdpr-answer-due"].Due != d("2026-11-05") || m["crpa-implicit-refusal"].Due != d("2026-11-05") {
		t.Errorf("parallel routes: %s / %s", m["gdpr-answer-due"].Due, m["crpa-implicit-refusal"].Due)
	}
	if s := m["no-delay-in-ai-act"]; s.Kind != KindFrom || !hasWarning(s, "rule") || !hasWarning(s, "unverified") {
		t.Errorf("the AI Act sets no delay, and the step must say so: %+v", s)
	}
	if _, ok := stepDates(t, "PROC-E", "2026-10-05", Options{})["crpa-implicit-refusal"]; ok {
		t.Error("CRPA route for a private body")
	}
	if c := stepDates(t, "PROC-E", "2026-05-01", Options{})["ai-act-complaint"]; c.Due != d("2026-08-02") || !hasWarning(c, "applies-from") {
		t.Errorf("Art. 85 complaint before 2026-08-02: %+v", c)
	}
}

// Every deadline procedure that a rule of the law base names exists here.
func TestLawProceduresExist(t *testing.T) {
	n := 0
	for _, r := range law.MustLoad().Rules() {
		if p := r.Deadline.Procedure; p != "" {
			n++
			if _, ok := Lookup(p); !ok {
				t.Errorf("rule %s names procedure %s, which has no chain", r.ID, p)
			}
		}
	}
	if n == 0 {
		t.Error("no rule names a procedure")
	}
}

// The CADA month runs from the administration's receipt of the request
// (cada.fr): the start says so, and the implicit refusal warns about the
// postal delay when the date given is only the sending date; step 5 rests on
// R343-3.
func TestCADAMonthFromReceipt(t *testing.T) {
	m := stepDates(t, "cada-request", "2026-09-15", Options{})
	start := m["request-sent"]
	if !strings.Contains(start.Label.FR, "Réception") || !strings.Contains(start.Label.EN, "Receipt") {
		t.Errorf("start: %+v", start.Label)
	}
	ref := m["implicit-refusal"]
	if ref.Due != d("2026-10-15") {
		t.Errorf("implicit refusal %s, want one month after receipt", ref.Due)
	}
	if !slices.ContainsFunc(ref.Warnings, func(w Warning) bool {
		return strings.Contains(w.Text.FR, "délai postal") && strings.Contains(w.Text.EN, "postal delay")
	}) {
		t.Errorf("no postal-delay warning: %+v", ref.Warnings)
	}
	if !strings.Contains(m["cada-referral"].Note.FR, "irrecevable") {
		t.Errorf("the referral step does not say an early referral is inadmissible")
	}
	if five := m["administration-reply-to-cada"]; five.Basis.FR != "CRPA R343-3" || five.Confidence != Secondary {
		t.Errorf("step 5: %+v %s", five.Basis, five.Confidence)
	}
}
