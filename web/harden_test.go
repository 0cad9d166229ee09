package web_test

import (
	"context"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// TestImportNestingBomb: an upload nested 20,000 or 60,000 deep is refused
// with 422 naming its line, allocating under 50 MB (the server went from
// 0.3 to 1.24 GB at 20,000 and died at 60,000).
func TestImportNestingBomb(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)
	for _, depth := range []int{20000, 60000} {
		for name, src := range map[string]string{
			"dashes.yaml": "schema: vigie/system/v1\nname: x\nevidence:\n" + strings.Repeat("- ", depth) + "x\n",
			"bomb.json":   `{"schema": "vigie/system/v1", "name": "x", "evidence": ` + strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth) + "}",
		} {
			body, ct := multipartBody(t, map[string][]byte{name: []byte(src)}, nil)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			r := e.do("POST", "/o/"+org.ID+"/import", c, body, ct)
			runtime.ReadMemStats(&after)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "nesting too deep") || !strings.Contains(r.body, "Ligne ") {
				t.Errorf("%s %d: status %d\n%s", name, depth, r.status, between(r.body, `id="import-error"`, "</div>"))
			}
			if extra := after.TotalAlloc - before.TotalAlloc; extra > 50<<20 {
				t.Errorf("%s %d: %d MB allocated", name, depth, extra>>20)
			}
		}
	}
	if n := e.count(org); n != 0 {
		t.Errorf("%d systems stored", n)
	}
}

// TestImportLatin1: a Latin-1 upload is refused with its line, never stored
// with U+FFFD; with the Windows-1252 box ticked it is decoded.
func TestImportLatin1(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)
	file := map[string][]byte{"latin1.yaml": []byte("schema: vigie/system/v1\nname: Planificateur\nvendor: Soci\xe9t\xe9\n")}
	body, ct := multipartBody(t, file, nil)
	r := e.do("POST", "/o/"+org.ID+"/import", c, body, ct)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "latin1.yaml:3:") || !strings.Contains(r.body, "Ligne 3") {
		t.Fatalf("status %d\n%s", r.status, between(r.body, `id="import-error"`, "</div>"))
	}
	if n := e.count(org); n != 0 {
		t.Fatalf("%d systems stored", n)
	}
	body, ct = multipartBody(t, file, url.Values{"encoding": {"windows-1252"}})
	if r := e.do("POST", "/o/"+org.ID+"/import", c, body, ct); r.status != http.StatusSeeOther {
		t.Fatalf("with windows-1252: status %d\n%s", r.status, between(r.body, `id="import-error"`, "</div>"))
	}
	got := e.systems(org)
	if len(got) != 1 || got[0].System.Vendor != "Société" {
		t.Errorf("stored %+v", got)
	}
}

// TestFormBoundsAndControls: the system form refuses numbers out of their
// bounds saying the bound, control characters in single-line fields, texts
// over their length, and a server country that is not an ISO 3166 code.
func TestFormBoundsAndControls(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"name": {"Outil"}, "organisation.headcount": {"1000000000000"}}, "de 0 à 10 000 000"},
		{url.Values{"name": {"Outil"}, "organisation.headcount": {"99999999999999999999999"}}, "de 0 à 10 000 000"},
		{url.Values{"name": {"Outil"}, "deployment.workers_affected": {"10 000 001"}}, "de 0 à 10 000 000"},
		{url.Values{"name": {"Outil"}, "data.persons_concerned": {"-3"}}, "de 0 à 10 000 000"},
		{url.Values{"name": {"Outil"}, "usage.working_days_per_year": {"400"}}, "de 0 à 366"},
		{url.Values{"name": {"Outil"}, "usage.params_active_b": {"1e308"}}, "de 0 à 100 000"},
		{url.Values{"name": {"Outil\r\nBcc: x"}}, "caractère de contrôle"},
		{url.Values{"name": {"Outil\x1b[31m"}}, "caractère de contrôle"},
		{url.Values{"name": {"Outil"}, "vendor": {"a\u0085b"}}, "caractère de contrôle"},
		{url.Values{"name": {strings.Repeat("n", 92*1024)}}, "300 caractères au plus"},
		{url.Values{"name": {"Outil"}, "description": {strings.Repeat("d", 20001)}}, "20 000 caractères au plus"},
		{url.Values{"name": {"Outil"}, "usage.zone": {"Mars"}}, "ISO 3166"},
		{url.Values{"name": {"Outil"}, "deployment.units": {"a\x07b"}}, "caractère de contrôle"},
	} {
		r := e.post("/o/"+org.ID+"/systems", c, tc.form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, tc.want) {
			t.Errorf("%v: status %d, want 422 with %q", Clip(tc.form.Encode()), r.status, tc.want)
		}
	}
	if n := e.count(org); n != 0 {
		t.Errorf("%d systems stored", n)
	}
	ok := url.Values{"name": {"Outil"}, "organisation.headcount": {"10 000 000"}, "usage.zone": {"fra"},
		"description": {"Ligne un\r\nLigne deux"}}
	if r := e.post("/o/"+org.ID+"/systems", c, ok); r.status != http.StatusSeeOther {
		t.Fatalf("bounds themselves: status %d", r.status)
	}
	if got := e.systems(org); len(got) != 1 || got[0].System.Description != "Ligne un\nLigne deux" || got[0].System.Organisation.Headcount.V != 10_000_000 {
		t.Errorf("stored %+v", got[0].System)
	}
}

// Clip shortens a value shown by a test.
func Clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// systems returns the systems of the organisation.
func (e *env) systems(o *vigie.Organisation) []*vigie.SystemRecord {
	e.t.Helper()
	rs, _, err := e.db.FindSystems(context.Background(), vigie.SystemFilter{OrgID: o.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	return rs
}
