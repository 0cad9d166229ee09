package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/vigie-app/vigie"
)

// TestAssessConsultationBrowser shows the questionnaire of a State
// administration with a CSA and an F3SCT in Chromium, at 390 and 1366 px,
// in French and English: one block per body, no horizontal scrolling, the
// open question on the F3SCT's transmission date leads to its field, and a
// date typed there is saved. With VIGIE_SCREENSHOTS=DIR, each view is
// written there as a PNG.
func TestAssessConsultationBrowser(t *testing.T) {
	a := newASEnv(t, asPlanning, stateCSAF3SCT)
	ctx := startBrowser(t, 3*time.Minute)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			body, _ := chromedp.Run(ctx, chromedp.OuterHTML(css("main")))
			t.Fatalf("%s: %v\n%.2000s", step, err, body)
		}
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
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
	u, _ := url.Parse(a.ts.URL)
	shots := os.Getenv("VIGIE_SCREENSHOTS")
	for _, lang := range []string{"fr", "en"} {
		do("language "+lang, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: "vigie_lang", Value: lang, Domain: u.Hostname(), Path: "/"})
			return err
		}))
		for _, w := range []int64{390, 1366} {
			do(fmt.Sprintf("%s at %d px", lang, w),
				chromedp.EmulateViewport(w, 900),
				chromedp.Navigate(a.ts.URL+a.path("/t/evaluation")),
				chromedp.WaitVisible(css("#as-consult-csa")),
				chromedp.WaitVisible(css("#as-consult-f3sct")),
			)
			if got := eval(`document.documentElement.lang`); got != lang {
				t.Errorf("page language %q, want %s", got, lang)
			}
			if over := eval(`String(document.documentElement.scrollWidth - window.innerWidth)`); over != "0" && !strings.HasPrefix(over, "-") {
				t.Errorf("%s at %d px: the page is %s px too wide", lang, w, over)
			}
			// Each block's fields fit in the block.
			if bad := eval(`[...document.querySelectorAll('#as-consult input, #as-consult select')].filter(e => { const b = e.closest('fieldset.consultation').getBoundingClientRect(), r = e.getBoundingClientRect(); return r.right > b.right + 1 }).map(e => e.name).join(' ')`); bad != "" {
				t.Errorf("%s at %d px: fields wider than their block: %s", lang, w, bad)
			}
			if shots != "" {
				do("scroll", chromedp.ScrollIntoView(css("#as-consult")))
				buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err == nil {
					_ = os.WriteFile(filepath.Join(shots, fmt.Sprintf("consult-%s-%d.png", lang, w)), buf, 0o644)
				}
			}
		}
	}
	// The open question on the F3SCT leads to its field.
	link := `#as-unknowns a[href="#q-f-consult-f3sct-information_received_on"]`
	do("follow the question", chromedp.Click(css(link)), chromedp.WaitVisible(css("#q-f-consult-f3sct-information_received_on")))
	if got := eval(`location.hash`); got != "#q-f-consult-f3sct-information_received_on" {
		t.Errorf("after the link: %q", got)
	}
	inView := `(() => { const r = document.getElementById('q-f-consult-f3sct-information_received_on').getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight })()`
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](inView, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		pos := eval(`(() => { const r = document.getElementById('q-f-consult-f3sct-information_received_on').getBoundingClientRect(); return r.top + ' ' + r.bottom + ' / ' + window.innerHeight + ' scrollY ' + window.scrollY })()`)
		t.Errorf("the field is not in view after following its question: %s", pos)
	}
	// Typing the date and saving stores it.
	do("type the date",
		chromedp.SetValue(css("#q-f-consult-f3sct-information_received_on"), "2026-10-05"),
		chromedp.Click(css("#as-save")),
		chromedp.WaitVisible(css("#as-hist-v2")),
	)
	if f3, ok := a.current(t).System.Consultation("f3sct"); !ok || f3.InformationReceivedOn != vigie.MustDate("2026-10-05") {
		t.Errorf("after saving: %+v", a.current(t).System.Deployment.Consultations)
	}
}
