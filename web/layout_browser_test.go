package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/goccy/go-yaml"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/demo"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

// englishWords may not appear in a French page outside an element marked
// lang="en", nor frenchWords in an English page outside lang="fr". The
// lists hold words that belong to one language only.
var (
	englishWords = []string{"the", "and", "with", "unknown", "unmet", "pending", "draft", "true", "false",
		"null", "none", "should", "must", "employer", "workers", "deadline", "overdue", "upcoming",
		"prohibited", "high-risk", "in_progress", "not_applicable", "report", "letter", "sent", "yes"}
	frenchWords = []string{"le", "les", "des", "avec", "pour", "inconnu", "inconnue", "respectée",
		"échéance", "salariés", "employeur", "courrier", "aucun", "aucune", "envoyé", "envoyée", "oui",
		"non", "délai", "lettre", "évaluation", "enregistrée", "système", "à"}
)

// properNames are names a page keeps in their own language whatever its
// own: French institutions and codes named in English pages, products.
var properNames = []string{"Défenseur des droits", "Code du travail", "Le Chat", "Légifrance"}

// layoutPage is what the browser measured on one page.
type layoutPage struct {
	URL         string   `json:"url"`
	Lang        string   `json:"lang"`
	ScrollWidth int      `json:"sw"`
	Inner       int      `json:"iw"`
	Wide        []string `json:"wide"`
	Links       []string `json:"links"`
	Texts       []string `json:"texts"`
	Small       []string `json:"small"`
}

// measureJS measures the page: its width, the elements that stick out of
// the viewport, its same-site links, its text nodes with the language of
// their element (user data aside), and the links and buttons smaller than
// 44 px in one direction.
const measureJS = `(() => {
  const iw = window.innerWidth, de = document.documentElement;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > iw + 1) {
      let inner = false;
      for (const c of el.children) { if (c.getBoundingClientRect().right > iw + 1) { inner = true; break; } }
      if (!inner) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' ' + Math.round(r.right) + 'px: ' + (el.textContent || '').trim().slice(0, 60));
    }
  }
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest('script,style,template,[hidden],[data-value]')) continue;
    const code = p.closest('code,pre,kbd,samp');
    const t = n.textContent.replace(/[ \t\n\r\f]+/g, ' ').trim();
    if (!t) continue;
    const l = p.closest('[lang]');
    texts.push((l ? l.getAttribute('lang') : '') + '\u0001' + (code ? '\u0002' : '') + t);
  }
  const small = [];
  for (const el of document.querySelectorAll('main a[href], main button, header a[href], header button, header summary, main summary, main input[type=submit]')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (el.closest('p, li:not(nav li), td, dd, small, .tag') && el.tagName === 'A' && !el.matches('[role=button], .tabs a, nav a')) continue;
    if (r.height < 43.5 && r.width < 43.5 || r.height < 43.5 && !el.matches('p a, td a, li a')) {
      if (r.height < 43.5) small.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + Math.round(r.width) + '×' + Math.round(r.height) + ': ' + (el.textContent || '').trim().slice(0, 40));
    }
  }
  return JSON.stringify({url: location.pathname + location.search, lang: de.lang, sw: de.scrollWidth, iw: iw, wide: wide.slice(0, 8), links: links, texts: texts, small: small.slice(0, 8)});
})()`

// skipLink says which links the crawl does not follow: downloads, other
// sites, the language switch, the logout.
func skipLink(href string) bool {
	u, err := url.Parse(href)
	if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/") {
		return true
	}
	p := u.Path
	if u.RawQuery != "" || strings.HasPrefix(p, "/lang/") || strings.HasPrefix(p, "/static/") || p == "/logout" {
		return true
	}
	if strings.Contains(p, "/documents/") || strings.Contains(p, "/feed") {
		return true
	}
	ext := filepath.Ext(p)
	return ext != "" && !strings.Contains(ext, "-")
}

// demoValues are the strings of the demonstration's system files: user
// data, shown as typed, in whatever language they were written.
func demoValues(t *testing.T) []string {
	t.Helper()
	var vals []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if len([]rune(x)) >= 6 {
				vals = append(vals, strings.Join(strings.Fields(x), " "))
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	err := fs.WalkDir(demo.Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".expected.yaml") {
			return err
		}
		b, err := fs.ReadFile(demo.Files(), p)
		if err != nil {
			return err
		}
		var v any
		if err := yaml.Unmarshal(b, &v); err != nil {
			return err
		}
		walk(v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	vals = append(vals, demo.OrgName, "Ma section", "Alice Martin", "alice@example.org")
	// Longest first, so that a value is removed before a part of it.
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	return vals
}

// sentenceIssues lists, in the text nodes of a page of language lang, the
// rule ids, fact paths and flags that sit inside a sentence (a text node
// that is only an id is a tag, allowed) and the words of the other
// language.
func sentenceIssues(lang string, texts, values, ruleIDs []string) []string {
	idRe := regexp.MustCompile(`(^|[^\pL\pN-])(` + strings.Join(quoteAll(ruleIDs), "|") + `)($|[^\pL\pN-])`)
	flagRe := regexp.MustCompile(`(^|\s)--[a-z][a-z-]+`)
	pathRe := regexp.MustCompile(`\b(system|deployment|capabilities|decisions|data|work|provider|staff_bodies|usage|consultation|documents|employer)\.[a-z_]+\b`)
	foreign := englishWords
	if lang == "en" {
		foreign = frenchWords
	}
	// A word followed by a hyphen is the first part of a compound of the
	// page's language (non-binding, non-discrimination).
	wordRe := regexp.MustCompile(`(?i)(^|[^\pL_])(` + strings.Join(quoteAll(foreign), "|") + `)($|[^\pL_-])`)
	tick := regexp.MustCompile("`vigie [^`]*`")
	var issues []string
	minus := map[string]string{} // the minus signs used, with an example
	for _, tx := range texts {
		el, t, _ := strings.Cut(tx, "\u0001")
		// A command shown as such, in code, is not a sentence; a
		// plain-text document shown as such marks its commands with
		// backquotes.
		c, code := strings.CutPrefix(t, "\u0002")
		if code {
			if strings.HasPrefix(c, "vigie ") {
				continue
			}
			t = tick.ReplaceAllString(c, " ")
		}
		for _, v := range values {
			if strings.Contains(t, v) {
				t = strings.ReplaceAll(t, v, " ")
			}
			// A value cut short by the page ("…"), after a word of its own.
			if cut, ok := strings.CutSuffix(t, "…"); ok {
				for i := 0; i < len(cut); i++ {
					if (i == 0 || cut[i-1] == ' ') && len(cut)-i >= 8 && strings.HasPrefix(v, cut[i:]) {
						t = cut[:i] + " "
						break
					}
				}
			}
		}
		for _, n := range properNames {
			t = strings.ReplaceAll(t, n, " ")
		}
		bare := strings.Trim(t, " ()[]·,:;")
		if m := idRe.FindStringSubmatch(t); m != nil && bare != m[2] {
			issues = append(issues, fmt.Sprintf("rule id %s inside %q", m[2], t))
		}
		if m := pathRe.FindString(t); m != "" && bare != m {
			issues = append(issues, fmt.Sprintf("fact path %s inside %q", m, t))
		}
		if m := flagRe.FindString(t); m != "" {
			issues = append(issues, fmt.Sprintf("flag %s inside %q", strings.TrimSpace(m), t))
		}
		if el != "" && el != lang {
			continue
		}
		if m := wordRe.FindStringSubmatch(t); m != nil {
			issues = append(issues, fmt.Sprintf("%q inside %q", m[2], t))
		}
		if code {
			continue
		}
		issues = append(issues, numberIssues(lang, t)...)
		for _, m := range minusRe.FindAllStringSubmatch(t, -1) {
			if _, ok := minus[m[2]]; !ok {
				minus[m[2]] = t
			}
		}
	}
	if len(minus) > 1 {
		issues = append(issues, fmt.Sprintf("two minus signs: %q and %q", minus["-"], minus["−"]))
	}
	return issues
}

// The number formats of each language: French writes 2,5 and 3 617 (with
// a no-break space, narrow or not), English 2.5 and 3,617; a page writes
// its negative numbers with one minus sign. Versions (0.9.1), dates
// (12.7.2024) and references (arXiv:2508.15734, gpt-4.1) are not numbers.
var (
	minusRe      = regexp.MustCompile(`(^|[\s(\[=≈:])([−-])\d`)
	frPointRe    = regexp.MustCompile(`(^|[^\pL\pN.:/_-])(\d+\.\d+)($|[^\pN.])`)
	frCommasRe   = regexp.MustCompile(`\d{1,3},\d{3},\d{3}`)
	frSpaceRe    = regexp.MustCompile(`(^|[^\pN.,])(\d{1,3}( \d{3})+)($|[^\pN])`)
	enCommaRe    = regexp.MustCompile(`(^|[^\pN,])(\d+,\d{1,2})($|[^\pN])`)
	enNoBreakRe  = regexp.MustCompile(`\d[\x{00a0}\x{202f}]\d{3}`)
	numberChecks = map[string][]struct {
		re   *regexp.Regexp
		what string
	}{
		"fr": {{frPointRe, "decimal point"}, {frCommasRe, "English thousands"}, {frSpaceRe, "thousands with a breaking space"}},
		"en": {{enCommaRe, "decimal comma"}, {enNoBreakRe, "French thousands"}},
	}
)

func numberIssues(lang, t string) []string {
	var out []string
	for _, c := range numberChecks[lang] {
		if m := c.re.FindString(t); m != "" {
			out = append(out, fmt.Sprintf("%s %q inside %q", c.what, strings.TrimSpace(m), t))
		}
	}
	return out
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = regexp.QuoteMeta(s)
	}
	return out
}

// TestPagesFitAndSpeak loads every page reachable from the demonstration's
// register in Chromium, at 390 px (a phone) and 1366 px (a laptop), in
// French and in English: no page scrolls sideways, and no French page
// carries a rule id, fact path or flag inside a sentence nor an English
// word (and the reverse), at both widths in both languages. With
// VIGIE_SCREENSHOTS=DIR it also saves a screenshot of each page at each
// width there. Touch targets under 44 px
// on a phone fail it too.
func TestPagesFitAndSpeak(t *testing.T) {
	var demoID string
	e := newEnv(t, func(c *web.Config, db *store.DB) {
		org, err := demo.Load(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		demoID = org.ID
		c.Demo, c.DemoOrgID = true, org.ID
		c.SecureCookies = true
	})
	r := e.post("/setup", "", url.Values{"name": {"Alice Martin"}, "email": {"alice@example.org"}, "password": {testPassword},
		"password2": {testPassword}, "org_name": {"Ma section"}, "org_kind": {"section"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("setup: %d", r.status)
	}
	cookie := e.login("alice@example.org")
	extraPages := demoActivity(t, e, demoID, cookie)

	ctx := startBrowser(t, 25*time.Minute)
	name, value, _ := strings.Cut(cookie, "=")
	u, _ := url.Parse(e.ts.URL)
	yes := true
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: name, Value: value, Domain: u.Hostname(), Path: "/", Secure: &yes, HTTPOnly: &yes})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("VIGIE_SCREENSHOTS")
	var ids []string
	for _, r := range law.MustLoad().Rules() {
		ids = append(ids, r.ID)
	}
	values := demoValues(t)
	wps, err := e.db.FindWorkplaces(context.Background(), demoID)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range wps {
		values = append(values, w.Name)
	}
	// What demoActivity typed.
	values = append(values, "M. le Directeur")
	sort.Slice(values, func(i, j int) bool { return len(values[i]) > len(values[j]) })

	measure := func(path string, width int64) layoutPage {
		t.Helper()
		var raw string
		// A page that never shows its footer (a plain-text error) fails
		// here with its path instead of holding the whole crawl.
		pctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		err := chromedp.Do(pctx,
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(e.ts.URL+path),
			chromedp.WaitReady(chromedp.CSS("footer")),
		)
		if err == nil {
			raw, err = chromedp.Run(pctx, chromedp.Evaluate[string](measureJS))
		}
		if err != nil {
			t.Fatalf("%s at %d px: %v", path, width, err)
		}
		var p layoutPage
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			t.Fatal(err)
		}
		if shots != "" {
			buf, err := chromedp.Run(pctx, chromedp.FullScreenshot(100))
			if err == nil {
				f := strings.Trim(strings.NewReplacer("/", "_", "?", "_").Replace(path), "_")
				_ = os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-%s-%d.png", p.Lang, f, width)), buf, 0o644)
			}
		}
		return p
	}

	check := func(lang string, widths []int64, start []string) int {
		seen := map[string]bool{}
		queue := slices.Clone(start)
		n := 0
		// Pages of one kind (the same path but for its ids) are all
		// visited when they are a system or one of its tabs, three of
		// them otherwise.
		kinds := map[string]int{}
		uuid := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
		for len(queue) > 0 && n < 400 {
			path := queue[0]
			queue = queue[1:]
			if seen[path] {
				continue
			}
			seen[path] = true
			kind := uuid.ReplaceAllString(path, "X")
			if kinds[kind]++; kinds[kind] > 3 && !strings.HasSuffix(kind, "/systems/X") && !strings.Contains(kind, "/systems/X/t/") {
				continue
			}
			n++
			for i, w := range widths {
				p := measure(path, w)
				if p.Lang != lang {
					t.Errorf("%s: lang %q, want %q", path, p.Lang, lang)
				}
				if p.ScrollWidth > p.Inner {
					t.Errorf("%s (%s) at %d px: scrollWidth %d > %d; too wide: %s", path, lang, w, p.ScrollWidth, p.Inner, strings.Join(p.Wide, " | "))
				}
				if w < 600 && len(p.Small) > 0 {
					t.Errorf("%s (%s) at %d px: touch targets under 44 px: %s", path, lang, w, strings.Join(p.Small, " | "))
				}
				if i > 0 {
					continue
				}
				for _, is := range sentenceIssues(lang, p.Texts, values, ids) {
					t.Errorf("%s (%s): %s", path, lang, is)
				}
				for _, l := range p.Links {
					if !skipLink(l) && !seen[l] && strings.HasPrefix(l, "/o/"+demoID) || l == "/account" {
						queue = append(queue, l)
					}
				}
			}
		}
		return n
	}
	start := append([]string{"/o/" + demoID + "/systems", "/account"}, extraPages...)
	n := check("fr", []int64{390, 1366}, start)
	if n < 20 {
		t.Errorf("only %d pages crawled", n)
	}
	if _, err := chromedp.Run(ctx, chromedp.Navigate(e.ts.URL+"/lang/en?next=/account")); err != nil {
		t.Fatal(err)
	}
	check("en", []int64{390, 1366}, start)
}

// demoActivity gives the demonstration what a section does with it: a
// letter drafted and one sent, an audit kept, a footprint kept, so that
// the crawl meets their pages. It returns the pages to start from besides
// the register.
func demoActivity(t *testing.T, e *env, orgID, cookie string) []string {
	t.Helper()
	recs, _, err := e.db.FindSystems(context.Background(), vigie.SystemFilter{OrgID: orgID})
	if err != nil || len(recs) == 0 {
		t.Fatalf("demo systems: %d, %v", len(recs), err)
	}
	var call *vigie.SystemRecord
	for _, r := range recs {
		if strings.Contains(strings.ToLower(r.System.Name), "vocale") || call == nil && r.System.Capabilities.EmotionRecognition == vigie.TriTrue {
			call = r
		}
	}
	if call == nil {
		call = recs[0]
	}
	sys := "/o/" + orgID + "/systems/" + call.ID
	var pages []string
	for i, letter := range []string{"cse-consultation-new-technology", "gdpr-access-request"} {
		r := e.post(sys+"/actions", cookie, url.Values{"letter": {letter}, "date": {today.String()}, "lang": {"fr"}, "addressee": {"M. le Directeur"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("draft %s: %d %.500s", letter, r.status, r.body)
		}
		loc := r.header.Get("Location")
		pages = append(pages, loc)
		if i == 0 {
			id := loc[strings.LastIndex(loc, "/")+1:]
			if r := e.post("/o/"+orgID+"/actions/"+id+"/sent", cookie, url.Values{"sent_on": {today.String()}}); r.status != http.StatusSeeOther {
				t.Fatalf("mark sent: %d %.500s", r.status, r.body)
			}
		}
	}
	up := e.auditUpload(call, cookie, "scores.csv", auditCSV(400))
	if r := e.post(pickPath(t, up), cookie, auditForm("sexe", "age")); r.status != http.StatusSeeOther {
		t.Fatalf("audit: %d %.500s", r.status, r.body)
	} else {
		pages = append(pages, r.header.Get("Location"))
	}
	return pages
}

// TestPageWordingChecks shows what the page check catches and lets pass,
// without a browser.
func TestPageWordingChecks(t *testing.T) {
	ids := []string{"CT-NT", "AIA-4"}
	for _, c := range []struct {
		lang, text string
		want       string // a part of the one issue expected; "" for none
	}{
		{"fr", "\u0001Un taux de 2,5 % sur 3\u202f617 personnes", ""},
		{"fr", "\u0001Un taux de 2.5 % sur 3\u00a0617 personnes", "decimal point"},
		{"fr", "\u0001Sur 3 617 personnes", "breaking space"},
		{"fr", "\u0001Sur 3,617,000 personnes", "English thousands"},
		{"fr", "\u0001EcoLogits 0.9.1, JO du 12.7.2024, arXiv:2508.15734", ""},
		{"en", "\u0001A rate of 2.5% over 3,617 people", ""},
		{"en", "\u0001A rate of 2,5% over 3,617 people", "decimal comma"},
		{"en", "\u0001Over 3\u202f617 people", "French thousands"},
		{"en", "\u0001A non-binding guideline", ""},
		{"fr", "\u0001État de l'obligation CT-NT", "rule id CT-NT"},
		{"fr", "\u0001CT-NT", ""},
		{"fr", "\u0001Relancez avec --format json", "flag --format"},
		{"fr", "\u0001\u0002vigie audit --format json", ""},
		{"fr", "\u0001\u0002Chaque chiffre se reproduit avec `vigie audit --format json`.", ""},
		{"fr", "\u0001Le statut unmet", `"unmet"`},
		{"fr", "en\u0001The Gentle Singularity", ""},
		{"en", "\u0001Referral to the Défenseur des droits", ""},
	} {
		got := sentenceIssues(c.lang, []string{c.text}, nil, ids)
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%s %q: %v, want none", c.lang, c.text, got)
		case c.want != "" && (len(got) != 1 || !strings.Contains(got[0], c.want)):
			t.Errorf("%s %q: %v, want one with %q", c.lang, c.text, got, c.want)
		}
	}
	if got := sentenceIssues("fr", []string{"\u0001écart de −3 points", "\u0001écart de -2 points"}, nil, ids); len(got) != 1 || !strings.Contains(got[0], "two minus signs") {
		t.Errorf("two minus signs: %v", got)
	}
}
