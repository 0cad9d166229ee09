package web_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/web"
)

// TestPagesRenderInBothLanguages visits every page in French and English
// and checks that no message is missing.
func TestPagesRenderInBothLanguages(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Alice Admin")
	org := e.org(admin, "Section Alpha")
	rec := e.system(org, "Analyse vocale")
	c := e.login("admin@example.org")
	o := "/o/" + org.ID
	pages := []string{o + "/systems", o + "/systems?q=vocale&status=deployed", o + "/systems/new", o + "/systems/" + rec.ID,
		o + "/systems/" + rec.ID + "/edit", o + "/import", o + "/workplaces", o + "/members", o + "/events", o + "/systems/" + rec.ID + "/delete", "/orgs/new", "/nope"}
	for _, tab := range []string{"facts", "evaluation", "actions", "evidence", "environment", "history"} {
		pages = append(pages, o+"/systems/"+rec.ID+"/t/"+tab)
	}
	for _, lang := range []string{"fr", "en"} {
		for _, p := range pages {
			r := e.get(p, c+"; vigie_lang="+lang)
			want := http.StatusOK
			if p == "/nope" {
				want = http.StatusNotFound
			}
			if r.status != want {
				t.Errorf("GET %s (%s): %d, want %d\n%s", p, lang, r.status, want, r.body)
			}
			if !strings.Contains(r.body, `<html lang="`+lang+`">`) {
				t.Errorf("GET %s (%s): no lang attribute %q", p, lang, lang)
			}
		}
	}
	if m := web.MissingMessages(); len(m) > 0 {
		t.Errorf("missing messages: %v", m)
	}
	// The French page is in French, the English one in English.
	fr := e.get(o+"/systems/new", c)
	en := e.get(o+"/systems/new", c+"; vigie_lang=en")
	if !strings.Contains(fr.body, "Devine-t-il les émotions ?") || !strings.Contains(en.body, "Does it guess emotions?") {
		t.Error("the form's labels are not translated")
	}
}

// TestCataloguesComplete checks that every French message has an English
// one and the reverse, and that every fact has a label and a help text.
func TestCataloguesComplete(t *testing.T) {
	keys := map[string][]string{}
	for _, lang := range []string{"fr", "en"} {
		files, _ := filepath.Glob("locales/*." + lang + ".json")
		if len(files) == 0 {
			t.Fatalf("no %s catalogue", lang)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]string
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for k, v := range m {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s: %s is empty", f, k)
				}
				keys[lang] = append(keys[lang], k)
			}
		}
	}
	for _, k := range keys["fr"] {
		if !slices.Contains(keys["en"], k) {
			t.Errorf("%s: French only", k)
		}
	}
	for _, k := range keys["en"] {
		if !slices.Contains(keys["fr"], k) {
			t.Errorf("%s: English only", k)
		}
	}
	for _, p := range vigie.FactPaths() {
		for _, pre := range []string{"fact.", "help."} {
			if !slices.Contains(keys["fr"], pre+p) {
				t.Errorf("no %s%s", pre, p)
			}
		}
		for _, v := range vigie.Enums[p] {
			if !slices.Contains(keys["fr"], "enum."+p+"."+v) {
				t.Errorf("no enum.%s.%s", p, v)
			}
		}
	}
}
