package assess

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

func TestRenderers(t *testing.T) {
	for _, file := range caseFiles(t) {
		sys := loadSystem(t, file)
		a := Evaluate(sys, vigie.MustDate("2026-11-26"))
		for _, l := range []law.Lang{law.FR, law.EN} {
			var txt, html bytes.Buffer
			if err := RenderText(&txt, a, l); err != nil {
				t.Fatal(err)
			}
			if err := RenderHTML(&html, a, l); err != nil {
				t.Fatal(err)
			}
			tier := strings.ToUpper(Label(l, "tier."+a.AIAct.Tier))
			if !strings.Contains(txt.String(), tier) || !strings.Contains(txt.String(), sys.Name) {
				t.Errorf("%s %s: text lacks the tier %q or the name", file, l, tier)
			}
			for _, g := range a.AIAct.Grounds {
				if !strings.Contains(txt.String(), g.Article) || !strings.Contains(html.String(), g.Article) {
					t.Errorf("%s: ground %s not shown", file, g.Article)
				}
			}
			for _, o := range a.Obligations {
				if !strings.Contains(txt.String(), o.ID) || !strings.Contains(html.String(), o.ID) {
					t.Errorf("%s: obligation %s not shown", file, o.ID)
				}
			}
			// Every unverified rule carries a visible warning.
			for _, w := range a.Warnings {
				if !strings.Contains(txt.String(), "["+w.Rule+"]") || !strings.Contains(html.String(), pick(l, w.Text, w.TextEN)[:20]) {
					t.Errorf("%s: warning for %s not shown", file, w.Rule)
				}
			}
			h := html.String()
			if !strings.HasPrefix(h, "<!DOCTYPE html>") || !strings.Contains(h, `<html lang="`+string(l)+`">`) ||
				strings.Contains(h, "<script") || strings.Contains(h, "<link") || strings.Contains(h, "src=") {
				t.Errorf("%s: the page is not self-contained", file)
			}
		}
	}
	// The call-centre case in French: prohibited, 5(1)(f), CSE consultation not met, the warning mark.
	a := Evaluate(loadSystem(t, "testdata/cases/01-centre-appels-analyse-vocale.yaml"), vigie.MustDate("2026-11-26"))
	var txt bytes.Buffer
	RenderText(&txt, a, law.FR)
	for _, want := range []string{"INTERDIT", "5(1)(f)", "CT-NT", "non respect", "⚠ NON VÉRIFIÉ", "26 novembre 2026", "DUERP"} {
		if !strings.Contains(txt.String(), want) && !(want == "non respect" && strings.Contains(txt.String(), "N'A PAS FAIT")) {
			t.Errorf("text lacks %q", want)
		}
	}
}

func TestLongDate(t *testing.T) {
	for in, want := range map[string]string{"2027-12-02": "2 décembre 2027", "2026-08-01": "1er août 2026", "in_force": "en vigueur"} {
		if got := LongDate(law.FR, in); got != want {
			t.Errorf("LongDate(%s) = %s, want %s", in, got, want)
		}
	}
	if got := LongDate(law.EN, "2027-12-02"); got != "2 December 2027" {
		t.Errorf("en: %s", got)
	}
}

func TestQuestionnaire(t *testing.T) {
	qs := Questionnaire()
	if len(qs) < 40 {
		t.Fatalf("%d questions", len(qs))
	}
	for _, q := range qs {
		if q.Question.FR == "" || q.Question.EN == "" || q.Why.FR == "" || q.Kind == "" {
			t.Errorf("%s: incomplete %+v", q.Fact, q)
		}
	}
	var emo Question
	for _, q := range qs {
		if q.Fact == "capabilities.emotion_recognition" {
			emo = q
		}
	}
	if emo.Kind != "yes_no" || !contains(emo.Feeds, "AIA-5f") || !contains(emo.Feeds, "AIA-ANNEX-III-1C") || !contains(emo.Dimensions, "surveillance") {
		t.Errorf("emotion question: %+v", emo)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestRenderHTMLBody(t *testing.T) {
	a := Evaluate(loadSystem(t, "testdata/cases/06-dgfip-listes-controle-fiscal.yaml"), vigie.MustDate("2026-11-26"))
	var b bytes.Buffer
	if err := RenderHTMLBody(&b, a, law.FR); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if !strings.HasPrefix(s, `<article class="vigie-assessment">`) || strings.Contains(s, "<html") || !strings.Contains(s, "FP-F3SCT") || !strings.Contains(s, "en vigueur") {
		t.Errorf("body: %.300s", s)
	}
}
