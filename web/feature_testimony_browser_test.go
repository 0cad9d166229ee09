package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestTestimonyPublicFormBrowser fills the public form in headless Chromium
// on a 390 px wide screen: it needs no script, sets no cookie, fits the
// width, and the answer appears in the results only once k answered.
func TestTestimonyPublicFormBrowser(t *testing.T) {
	fx := newTmFixture(t)
	page, public, _ := fx.create(t, url.Values{"min_group": {"3"}})
	ctx := startBrowser(t, 120*time.Second)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			body, _ := chromedp.Run(ctx, chromedp.OuterHTML(css("main")))
			t.Fatalf("%s: %v\n%.3000s", step, err, body)
		}
	}
	eval := func(js string) float64 {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	cookies := func() int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Action[int](func(ctx context.Context, tg *chromedp.Target) (int, error) {
			res, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{fx.e.ts.URL}})
			return len(res.Cookies), err
		}))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	answer := func(i int, unit string) {
		t.Helper()
		do("answer",
			chromedp.EmulateViewport(390, 844),
			chromedp.Navigate(fx.e.ts.URL+public),
			chromedp.WaitVisible(css("#tm-submit")),
		)
		if w := eval(`document.documentElement.scrollWidth`); w > 390 {
			t.Fatalf("the form is %v px wide on a 390 px screen", w)
		}
		if n := eval(`document.scripts.length`); n != 0 {
			t.Fatalf("%v scripts on the public form", n)
		}
		do("fill",
			chromedp.Click(css(`input[name="q_surveillance_felt"][value="3"]`)),
			chromedp.Click(css(`input[name="q_workload_increase"][value="`+string(rune('0'+i%4))+`"]`)),
			chromedp.SetValue(css("#tm-unit"), unit),
			chromedp.SendKeys(css("#tm-text"), "réponse du navigateur"),
			chromedp.Click(css("#tm-submit")),
			chromedp.WaitVisible(css("#tm-thanks")),
		)
		if n := cookies(); n != 0 {
			t.Fatalf("%d cookies after answering", n)
		}
	}
	answer(0, "Tri")
	answer(1, "Distribution")
	// Two answers, k = 3: nothing is shown.
	if r := fx.e.get(page, fx.reader); !strings.Contains(r.body, `id="tm-noresults"`) {
		t.Fatal("results shown below k")
	}
	// The English form.
	do("english",
		chromedp.Navigate(fx.e.ts.URL+public),
		chromedp.WaitVisible(css("#tm-lang")),
		chromedp.Click(css("#tm-lang")),
		chromedp.WaitVisible(css("#tm-submit")),
	)
	if txt, _ := chromedp.Run(ctx, chromedp.Text(css("#tm-submit"))); txt != "Send my answers" {
		t.Fatalf("English button %q", txt)
	}
	do("answer in English",
		chromedp.Click(css(`input[name="q_surveillance_felt"][value="3"]`)),
		chromedp.Click(css("#tm-submit")),
		chromedp.WaitVisible(css("#tm-thanks")),
	)
	r := fx.e.get(page, fx.reader)
	if r.status != http.StatusOK || !strings.Contains(r.body, `data-responses="3"`) {
		t.Fatalf("results after k answers:\n%.2000s", r.body)
	}
	if cookies() != 0 {
		t.Fatal("a cookie was set")
	}
}
