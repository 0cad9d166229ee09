package web_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law/deadline"
	"github.com/vigie-app/vigie/letters"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

// TestActionsBrowser drives Debian's Chromium from the call-centre case:
// the unmet CSE-consultation obligation's "agir" link (from the Évaluation
// tab when it offers one, else the address it links to), the demand
// generated and previewed, saved, marked sent, and its due date on the
// board, equal to the engine's. It skips, saying so, without Chromium.
func TestActionsBrowser(t *testing.T) {
	e := newEnv(t, func(c *web.Config, _ *store.DB) { c.SecureCookies = true })
	admin := e.user("alice@example.org", "Alice Martin")
	org := e.org(admin, "CSE Villeurbanne")
	rec := e.caseSystem(org, actionsCase)
	base := e.ts.URL
	sys := base + "/o/" + org.ID + "/systems/" + rec.ID

	ctx := startBrowser(t, 120*time.Second)

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
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	shot := func(name string) {
		if dir := os.Getenv("VIGIE_SCREENSHOTS"); dir != "" {
			if b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				_ = os.WriteFile(dir+"/"+name+".png", b, 0o644)
			}
		}
	}

	do("login",
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css("#login-submit")),
		chromedp.SendKeys(css("#email"), admin.Email),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#new-system")),
	)

	// The unmet CSE consultation (CT-NT): its "agir" link on the
	// Évaluation tab, when the tab offers one.
	do("evaluation tab", chromedp.Navigate(sys+"/t/evaluation"), chromedp.WaitReady(css("body")))
	agir := eval(`(() => { const a = document.querySelector('#tab-body a[href*="/actions/new?rule=CT-NT"]'); return a ? a.getAttribute('href') : ''; })()`)
	if agir != "" {
		do("agir", chromedp.Click(css(`#tab-body a[href*="/actions/new?rule=CT-NT"]`)), chromedp.WaitVisible(css("#letter article")))
	} else {
		t.Log("the Évaluation tab offers no \"agir\" link for CT-NT yet: opening /actions/new?rule=CT-NT, where it is to link")
		do("agir (direct)", chromedp.Navigate(sys+"/actions/new?rule=CT-NT"), chromedp.WaitVisible(css("#letter article")))
	}
	if v := eval(`document.querySelector('#al-letter').value`); v != "cse-consultation-new-technology" {
		t.Fatalf("letter chosen for CT-NT: %q", v)
	}
	if preview := text("#letter"); !strings.Contains(preview, "L2312-8") || !strings.Contains(preview, "Analyse vocale des appels") {
		t.Errorf("the preview does not cite L2312-8 or name the system:\n%.1500s", preview)
	}
	// Fill the addressee: the preview follows (htmx, no reload).
	do("addressee",
		chromedp.SendKeys(css("#al-addressee"), "Direction des ressources humaines"),
		chromedp.SendKeys(css("#al-sender"), "Les élus du CSE\t"),
		chromedp.Poll[chromedp.Void](`document.querySelector('#letter') && document.querySelector('#letter').innerText.includes('Les élus du CSE')`,
			chromedp.WithPollingTimeout(15*time.Second)),
	)
	shot("actions-new")
	do("save", chromedp.Click(css("#save-action")), chromedp.WaitVisible(css("#mark-sent")))
	if st := text("#action-state"); !strings.Contains(st, "Brouillon") {
		t.Errorf("state after saving: %q", st)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	id := loc[strings.LastIndex(loc, "/")+1:]

	// Mark it sent today (the form's default date).
	do("mark sent",
		chromedp.SendKeys(css("#at-attachments"), "Tract des salariés"),
		chromedp.Click(css("#mark-sent")),
		chromedp.WaitVisible(css("#chain")),
	)
	if st := text("#action-state"); !strings.Contains(st, "Envoyé") {
		t.Errorf("state after sending: %q", st)
	}
	shot("actions-show")
	a, err := e.db.FindActionByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	sentOn := vigie.DateInFrance(time.Now())
	if a.SentOn != sentOn || a.State != vigie.ActionSent {
		t.Fatalf("stored action: %+v", a)
	}
	steps, err := deadline.Compute("cse-consultation", sentOn, deadline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var due deadline.Step
	for _, s := range steps {
		if s.Kind == deadline.KindDeadline {
			due = s
			break
		}
	}

	// The board, from the organisation's navigation.
	do("board", chromedp.Click(css("#nav-deadlines")), chromedp.WaitVisible(css("#board")))
	shot("board")
	row := `#board tr[data-action="` + id + `"][data-step="` + due.ID + `"]`
	if got := eval(`(() => { const r = document.querySelector('` + row + `'); return r ? r.dataset.due : ''; })()`); got != due.Due.String() {
		t.Fatalf("board: due date of %s is %q, want %s", due.ID, got, due.Due)
	}
	if cell := text(row + " td"); !strings.Contains(cell, letters.LongDate(due.Due, "fr")) {
		t.Errorf("board shows %q, want the date in words %q", cell, letters.LongDate(due.Due, "fr"))
	}
}
