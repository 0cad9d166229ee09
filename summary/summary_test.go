package summary_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/letters"
	"github.com/vigie-app/vigie/summary"
)

func cases(t *testing.T) map[string]*vigie.System {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "cases", "0*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*vigie.System{}
	for _, f := range files {
		if strings.HasSuffix(f, ".expected.yaml") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := vigie.ParseSystem(f, b)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = s
	}
	if len(out) != 8 {
		t.Fatalf("%d reference cases, want 8", len(out))
	}
	return out
}

// TestOf checks the summary of each reference case on two dates against
// the assessment: the tier, the unmet obligations, the next due date
// (the soonest upcoming obligation) and the date it stops holding.
func TestOf(t *testing.T) {
	upcoming := 0
	for name, sys := range cases(t) {
		for _, d := range []string{"2026-03-01", "2026-12-04", "2028-01-01"} {
			today := vigie.MustDate(d)
			s := summary.Of(sys, nil, today)
			a := assess.Evaluate(sys, today)
			unmet := 0
			var next vigie.Date
			for _, o := range a.Obligations {
				switch o.Status {
				case assess.StatusUnmet:
					unmet++
				case assess.StatusUpcoming:
					if f, err := vigie.ParseDate(o.AppliesFrom); err == nil && !f.Before(today) && (next.IsZero() || f.Before(next)) {
						next = f
					}
				}
			}
			if s.Tier != a.AIAct.Tier || s.Unmet != unmet || s.NextDue != next || s.AsOf != today {
				t.Errorf("%s on %s: %+v, want tier %s, %d unmet, next %s", name, d, s, a.AIAct.Tier, unmet, next)
			}
			if !next.IsZero() {
				upcoming++
				if s.NextDueKind != vigie.DueObligation {
					t.Errorf("%s on %s: kind %q", name, d, s.NextDueKind)
				}
			}
			if !s.Until.IsZero() && !s.Until.After(today) {
				t.Errorf("%s on %s: holds until %s, not after the date", name, d, s.Until)
			}
			// Until then, time alone changes nothing.
			if !s.Until.IsZero() {
				before := summary.Of(sys, nil, s.Until.AddDays(-1))
				before.AsOf, before.Until = s.AsOf, s.Until
				if before != s {
					t.Errorf("%s: the summary of %s differs from the day before %s", name, d, s.Until)
				}
			}
		}
	}
	if upcoming == 0 {
		t.Error("no case has an upcoming obligation: the next due dates are untested")
	}
}

// TestOfActions checks that the due dates of a letter sent count, those
// of a draft or a closed action do not, and that a due date passed is
// not the next one.
func TestOfActions(t *testing.T) {
	sys := cases(t)["01-centre-appels-analyse-vocale.yaml"]
	today := vigie.MustDate("2030-01-10")
	a := &vigie.Action{ID: "a1", Letter: "gdpr-access-request", Procedure: "gdpr-request", State: vigie.ActionSent, SentOn: today.AddDays(-2)}
	c, err := letters.ActionChain(a, nil, sys)
	if err != nil || len(c.Dues()) == 0 {
		t.Fatalf("no chain: %v", err)
	}
	first := c.Dues()[0].Due
	s := summary.Of(sys, []*vigie.Action{a}, today)
	if s.NextDue != first || s.NextDueKind != vigie.DueAction || s.Until != first.AddDays(1) {
		t.Fatalf("letter sent: %+v, want %s", s, first)
	}
	for _, state := range []string{vigie.ActionDraft, vigie.ActionClosed} {
		b := *a
		b.State = state
		if s := summary.Of(sys, []*vigie.Action{&b}, today); s.NextDueKind == vigie.DueAction {
			t.Errorf("%s: %+v", state, s)
		}
	}
	if s := summary.Of(sys, []*vigie.Action{a}, first.AddDays(1)); s.NextDue == first {
		t.Errorf("a passed due date is still next: %+v", s)
	}
}
