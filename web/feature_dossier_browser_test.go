package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDossierBrowser opens the Dossier tab in Chromium at a phone's and a
// laptop's width: the preview shows with its charts, breaks no page
// policy (startBrowser fails on a CSP violation) and stays within the
// window. VIGIE_SCREENSHOTS=DIR keeps the screenshots.
func TestDossierBrowser(t *testing.T) {
	e := newEnv(t)
	admin := e.user("a@db.test", "Alice")
	o := e.org(admin, "Section DB")
	rec := e.caseSystem(o, "../testdata/cases/04-caf-score-risque-controles.yaml")
	ctx := startBrowser(t, 90*time.Second)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	if err := chromedp.Do(ctx,
		chromedp.Navigate(e.ts.URL+"/login"),
		chromedp.WaitVisible(css("#login-submit")),
		chromedp.SendKeys(css("#email"), admin.Email),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#logout")),
	); err != nil {
		t.Fatal(err)
	}
	path := e.ts.URL + "/o/" + o.ID + "/systems/" + rec.ID + "/t/dossier?audience=inspection&date=2026-12-03"
	for _, w := range []int64{390, 1366} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900), chromedp.Navigate(path), chromedp.WaitVisible(css("#dossier-preview"))); err != nil {
			t.Fatal(err)
		}
		// Nothing of the tab sticks out of the window (wide tables scroll
		// inside their own box).
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#dossier-form, #dossier-download, #dossier-preview, #dossier-preview > *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + "#" + e.id + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`))
		if err != nil || wide != "" {
			t.Errorf("%d px: the tab is wider than the window (%v): %s", w, err, wide)
		}
		charts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#dossier-preview figure svg").length`))
		if err != nil || charts < 2 {
			t.Errorf("%d px: %d charts in the preview (%v), want the risks and the chronology", w, charts, err)
		}
		if dir := os.Getenv("VIGIE_SCREENSHOTS"); dir != "" {
			if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("dossier-%d.png", w)), shot, 0o644)
			}
		}
	}
}
