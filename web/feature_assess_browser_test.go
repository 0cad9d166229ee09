package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigie-app/vigie"
)

// TestAssessBrowser answers the questionnaire for the call-centre case in
// Chromium: the system starts with emotion recognition unknown (high
// risk); answering "oui" updates the result live (htmx, under the CSP) to
// "interdit" with Art. 5(1)(f) and the CSE consultation (CT-NT) unmet;
// saving keeps a new version with its assessment in the history.
func TestAssessBrowser(t *testing.T) {
	a := newASEnv(t, asCallCentre, unknownEmotion)

	ctx := startBrowser(t, 90*time.Second)

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			body, _ := chromedp.Run(ctx, chromedp.OuterHTML(css("main")))
			t.Fatalf("%s: %v\n%.3000s", step, err, body)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	attrOf := func(sel, name string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('`+sel+`').getAttribute('`+name+`')`))
		if err != nil {
			t.Fatalf("%s[%s]: %v", sel, name, err)
		}
		return s
	}

	do("login",
		chromedp.Navigate(a.ts.URL+"/login"),
		chromedp.WaitVisible(css("#login-submit")),
		chromedp.SendKeys(css("#email"), "editor@as.test"),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#count")),
	)
	do("evaluation tab",
		chromedp.Navigate(a.ts.URL+a.path("/t/evaluation")),
		chromedp.WaitVisible(css("#as-tier")),
	)
	if tier := attrOf("#as-tier", "data-tier"); tier != "high" {
		t.Fatalf("before answering: tier %q", tier)
	}
	if u := text("#as-unknowns"); !strings.Contains(u, "émotions") {
		t.Errorf("the unknown fact is not a question for the employer: %q", u)
	}
	// Answer "oui": the result follows without a page load.
	do("answer",
		chromedp.Click(css(`input[name="capabilities.emotion_recognition"][value="true"]`)),
		chromedp.WaitVisible(css(`#as-tier[data-tier="prohibited"]`)),
	)
	if tier := text("#as-tier"); !strings.Contains(tier, "interdit") {
		t.Errorf("tier %q, want interdit", tier)
	}
	if g := text("#as-ground-AIA-5f"); !strings.Contains(g, "5(1)(f)") {
		t.Errorf("ground %q lacks Art. 5(1)(f)", g)
	}
	if st := attrOf("#as-obl-CT-NT", "data-status"); st != "unmet" {
		t.Errorf("CT-NT status %q, want unmet", st)
	}
	if o := text("#as-obl-CT-NT"); !strings.Contains(o, "non respectée") {
		t.Errorf("CT-NT does not say non respectée: %q", o)
	}
	if note := text("#as-preview-note"); !strings.Contains(note, "rien n'est enregistré") {
		t.Errorf("preview note %q", note)
	}
	if rec := a.current(t); rec.Version != 1 {
		t.Fatalf("the live preview stored version %d", rec.Version)
	}
	// Save: a new version, its assessment kept, the change in the history.
	do("save",
		chromedp.Click(css("#as-save")),
		chromedp.WaitVisible(css("#as-hist-v2")),
	)
	if rec := a.current(t); rec.Version != 2 || rec.System.Capabilities.EmotionRecognition != vigie.TriTrue {
		t.Errorf("after saving: v%d, emotion recognition %v", rec.Version, rec.System.Capabilities.EmotionRecognition)
	}
	if h := text("#as-hist-v2"); !strings.Contains(h, "interdit") || !strings.Contains(h, "émotions") {
		t.Errorf("history entry: %q", h)
	}
	if tier := attrOf("#as-tier", "data-tier"); tier != "prohibited" {
		t.Errorf("after saving: tier %q", tier)
	}
}
