package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var (
	controlRe = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	idRe      = regexp.MustCompile(`\bid="([^"]+)"`)
	typeRe    = regexp.MustCompile(`\btype="([^"]+)"`)
)

// unlabelled returns the form controls of page that have no label: neither
// a <label for> naming their id nor a <label> wrapping them.
func unlabelled(page string) []string {
	var bad []string
	for _, loc := range controlRe.FindAllStringIndex(page, -1) {
		tag := page[loc[0]:loc[1]]
		if m := typeRe.FindStringSubmatch(tag); m != nil && (m[1] == "hidden" || m[1] == "submit") {
			continue
		}
		if m := idRe.FindStringSubmatch(tag); m != nil && strings.Contains(page, `for="`+m[1]+`"`) {
			continue
		}
		if strings.HasSuffix(page[:loc[0]], "<label>") {
			continue
		}
		bad = append(bad, tag)
	}
	return bad
}

// TestFormsAccessible checks that every form control of every page has a
// label, that choice groups are fieldsets with a legend, and that an
// invalid field is marked and described.
func TestFormsAccessible(t *testing.T) {
	e := newEnv(t)
	if r := e.get("/setup", ""); len(unlabelled(r.body)) > 0 {
		t.Errorf("/setup: unlabelled %v", unlabelled(r.body))
	}
	u := e.user("alice@example.org", "Alice")
	org := e.org(u, "Section")
	rec := e.system(org, "Outil")
	c := e.login(u.Email)
	o := "/o/" + org.ID
	pages := []string{"/login", o + "/systems", o + "/systems/new", o + "/systems/" + rec.ID + "/edit", o + "/systems/" + rec.ID + "/t/evidence",
		o + "/import", o + "/workplaces", o + "/members", "/orgs/new"}
	for _, p := range pages {
		cookie := c
		if p == "/login" {
			cookie = ""
		}
		r := e.get(p, cookie)
		if r.status != http.StatusOK {
			t.Errorf("%s: %d", p, r.status)
			continue
		}
		if bad := unlabelled(r.body); len(bad) > 0 {
			t.Errorf("%s: controls without a label: %v", p, bad)
		}
		if strings.Count(r.body, "<fieldset") != strings.Count(r.body, "<legend>") {
			t.Errorf("%s: a fieldset without a legend", p)
		}
		if strings.Contains(r.body, `tabindex="-1"`) {
			t.Errorf("%s: a control taken out of the keyboard order", p)
		}
	}
	// Every radio group of the system form is a fieldset with a legend.
	form := e.get(o+"/systems/new", c).body
	for _, group := range regexp.MustCompile(`(?s)<fieldset class="choices"[^>]*>(.*?)</fieldset>`).FindAllStringSubmatch(form, -1) {
		if !strings.Contains(group[1], "<legend>") {
			t.Errorf("choice group without legend: %.200s", group[1])
		}
	}
	// An invalid field is marked and its message is tied to it.
	r := e.post(o+"/systems", c, map[string][]string{"name": {"Outil"}, "deployment.workers_affected": {"beaucoup"}})
	if !strings.Contains(r.body, `id="f-deployment-workers_affected" name="deployment.workers_affected" value="beaucoup"`) ||
		!regexp.MustCompile(`aria-describedby="f-deployment-workers_affected-help f-deployment-workers_affected-err" aria-invalid="true"`).MatchString(r.body) ||
		!strings.Contains(r.body, `id="f-deployment-workers_affected-err"`) {
		t.Errorf("the invalid field is not marked:\n%s", between(r.body, `for="f-deployment-workers_affected"`, "</small>\n"))
	}
}
