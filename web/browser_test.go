package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

// TestBrowser drives Debian's Chromium through the whole first use: setup →
// login → create a system through the form → see it in the list (and filter
// it live with htmx) → export it → import it back in a second organisation
// → see the same facts. It skips, saying so, when Chromium is absent.
func TestBrowser(t *testing.T) {
	// Secure cookies, as in production: Chromium accepts them from
	// http://127.0.0.1.
	e := newEnv(t, func(c *web.Config, _ *store.DB) { c.SecureCookies = true })

	ctx := startBrowser(t, 120*time.Second)

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	base := e.ts.URL
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
	location := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// Setup, from the first page: the visitor is sent to /setup.
	do("setup",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(css("#setup-submit")),
		chromedp.SendKeys(css("#name"), "Alice Martin"),
		chromedp.SendKeys(css("#email"), "alice@example.org"),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.SendKeys(css("#password2"), testPassword),
		chromedp.SendKeys(css("#org_name"), "Section Lyon"),
		chromedp.Click(css("#setup-submit")),
		chromedp.WaitVisible(css("#login-submit")),
	)
	// Login.
	do("login",
		chromedp.SendKeys(css("#email"), "alice@example.org"),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#new-system")),
	)
	// Create a system through the form.
	const name = "Analyse vocale des appels"
	do("create",
		chromedp.Click(css("#new-system")),
		chromedp.WaitVisible(css("#save-system")),
		chromedp.SendKeys(css("#f-name"), name),
		chromedp.SendKeys(css("#f-vendor"), "VoxMétrie"),
		chromedp.SetValue(css("#f-deployment-status"), "deployed"),
		chromedp.SetValue(css("#f-deployment-since"), "2026-03-02"),
		chromedp.SendKeys(css("#f-deployment-workers_affected"), "320"),
		chromedp.Click(css(`input[name="deployment.staff_body_consulted"][value="false"]`)),
		chromedp.Click(css(`input[name="capabilities.emotion_recognition"][value="true"]`)),
		chromedp.Click(css(`input[name="purpose.domains"][value="monitoring"]`)),
		chromedp.Click(css(`input[name="work.surveillance_felt"][value="3"]`)),
		chromedp.Click(css("#save-system")),
		chromedp.WaitVisible(css("#system-name")),
	)
	facts1 := pageFacts(t, ctx)
	for k, v := range map[string]string{"name": name, "vendor": "VoxMétrie", "deployment.status": "deployed", "deployment.since": "2026-03-02",
		"deployment.staff_body_consulted": "false", "deployment.dpia_done": "unknown", "capabilities.emotion_recognition": "true",
		"purpose.domains": "monitoring", "work.surveillance_felt": "3", "deployment.workers_affected": "320"} {
		if facts1[k] != v {
			t.Errorf("after creation, %s = %q, want %q", k, facts1[k], v)
		}
	}
	url1 := location()
	org1 := strings.Split(url1, "/systems/")[0]

	// See it in the list, and filter the list live (htmx, no submit).
	do("list", chromedp.Navigate(org1+"/systems"), chromedp.WaitVisible(css("#results table")))
	if list := text("#results"); !strings.Contains(list, name) {
		t.Fatalf("the list does not show %q:\n%s", name, list)
	}
	do("live filter", chromedp.SendKeys(css("#q"), "introuvable"), chromedp.WaitNotPresent(css("#results table")))
	if c := text("#count"); !strings.HasPrefix(strings.TrimSpace(c), "0 ") {
		t.Errorf("live filter: %q", c)
	}
	if u := location(); !strings.Contains(u, "q=introuvable") {
		t.Errorf("the live filter did not update the address: %s", u)
	}

	// Export it as YAML: a real download.
	dir := t.TempDir()
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true),
	}); err != nil {
		t.Fatal(err)
	}
	do("export", chromedp.Navigate(url1), chromedp.WaitVisible(css("#export-yaml")), chromedp.Click(css("#export-yaml")))
	var guid string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			guid = ev.GUID
			break
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("download canceled")
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil || !strings.Contains(string(b), "schema: vigie/system/v1") {
		t.Fatalf("downloaded export: %v\n%s", err, b)
	}
	yamlPath := filepath.Join(dir, "export.yaml")
	if err := os.Rename(filepath.Join(dir, guid), yamlPath); err != nil {
		t.Fatal(err)
	}

	// A second organisation, and the import into it.
	do("second organisation",
		chromedp.Navigate(base+"/orgs/new"),
		chromedp.WaitVisible(css("#org-submit")),
		chromedp.SendKeys(css("#name"), "Section Villeurbanne"),
		chromedp.Click(css("#org-submit")),
		chromedp.WaitVisible(css("#new-system")),
	)
	org2 := strings.Split(location(), "/systems")[0]
	if c := text("#count"); !strings.HasPrefix(strings.TrimSpace(c), "0 ") || org2 == org1 {
		t.Fatalf("not in a new, empty register: %s (%q)", org2, c)
	}
	do("import",
		chromedp.Navigate(org2+"/import"),
		chromedp.WaitVisible(css("#import-submit")),
		chromedp.SetUploadFiles(css("#file"), []string{yamlPath}),
		chromedp.Click(css("#import-submit")),
		chromedp.WaitVisible(css("#system-name")),
	)
	if u := location(); !strings.HasPrefix(u, org2+"/systems/") {
		t.Errorf("the import did not land in the second organisation: %s", u)
	}
	facts2 := pageFacts(t, ctx)
	if len(facts1) < 50 || len(facts2) != len(facts1) {
		t.Errorf("%d facts then %d", len(facts1), len(facts2))
	}
	for k, v := range facts1 {
		if facts2[k] != v {
			t.Errorf("after import, %s = %q, want %q", k, facts2[k], v)
		}
	}
	// The first organisation still has its system, the second its copy.
	do("back", chromedp.Navigate(org1+"/systems"), chromedp.WaitVisible(css("#results table")))
	if c := text("#count"); !strings.HasPrefix(strings.TrimSpace(c), "1 ") {
		t.Errorf("first register: %q", c)
	}
}

// pageFacts reads the facts shown on a system page: path → raw value.
func pageFacts(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	facts, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](
		`Object.fromEntries([...document.querySelectorAll('td[data-fact]')].map(td => [td.dataset.fact, td.dataset.value]))`))
	if err != nil {
		t.Fatal(err)
	}
	return facts
}
