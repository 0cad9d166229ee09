package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-app/vigie/demo"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

// TestDemo starts as `vigie serve --demo` does on a fresh database: the
// first admin lands in a register of the eight reference systems, with
// their facts and provenance.
func TestDemo(t *testing.T) {
	var demoID string
	e := newEnv(t, func(c *web.Config, db *store.DB) {
		org, err := demo.Load(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		demoID = org.ID
		c.Demo, c.DemoOrgID = true, org.ID
	})
	r := e.post("/setup", "", url.Values{"name": {"Alice"}, "email": {"alice@example.org"}, "password": {testPassword},
		"password2": {testPassword}, "org_name": {"Ma section"}, "org_kind": {"section"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("setup: %d", r.status)
	}
	c := e.login("alice@example.org")
	home := e.get("/", c)
	if home.header.Get("Location") != "/o/"+demoID+"/systems" {
		t.Fatalf("home goes to %q, want the demonstration", home.header.Get("Location"))
	}
	list := e.get("/o/"+demoID+"/systems", c)
	if !strings.Contains(list.body, "8 système(s)") || !strings.Contains(list.body, `class="demo"`) || !strings.Contains(list.body, demo.OrgName) {
		t.Fatalf("demo register:\n%s", between(list.body, "<main", "</main>"))
	}
	links := regexp.MustCompile(`href="(/o/[^"]+/systems/[0-9a-f-]{36})"`).FindAllStringSubmatch(list.body, -1)
	if len(links) != 8 {
		t.Fatalf("%d system links, want 8", len(links))
	}
	sawEvidence := false
	for _, l := range links {
		p := e.get(l[1], c)
		if p.status != 200 {
			t.Errorf("%s: %d", l[1], p.status)
		}
		if strings.Contains(p.body, `class="prov"`) {
			sawEvidence = true
		}
	}
	if !sawEvidence {
		t.Error("no provenance shown on any demonstration system")
	}
	if m := web.MissingMessages(); len(m) > 0 {
		t.Errorf("missing messages: %v", m)
	}
}
