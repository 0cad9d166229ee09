package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// TestDossierTab: every member previews the dossier in the page (no write);
// a download is a POST that keeps the exhibit numbers and journals the file
// with its sha256; bad fields are named; an outsider sees nothing.
func TestDossierTab(t *testing.T) {
	e := newEnv(t)
	admin, reader, out := e.user("a@d.test", "Alice"), e.user("r@d.test", "Rita"), e.user("o@d.test", "Oscar")
	o := e.org(admin, "Section D")
	e.org(out, "Ailleurs")
	e.member(o, reader, vigie.RoleReader)
	rec := e.caseSystem(o, "../testdata/cases/01-centre-appels-analyse-vocale.yaml")
	ctx := vigie.NewContextWithUser(context.Background(), admin)
	if err := e.db.CreateDocument(ctx, &vigie.Document{SystemID: rec.ID, Name: "Note d'information.pdf", Date: vigie.Date{Year: 2026, Month: 2, Day: 12}, Source: "employer"}, []byte("note")); err != nil {
		t.Fatal(err)
	}
	base := "/o/" + o.ID + "/systems/" + rec.ID
	cr, co := e.login(reader.Email), e.login(out.Email)
	for _, lang := range []string{"fr", "en"} {
		r := e.get(base+"/t/dossier?audience=court&date=2026-12-03", cr+"; vigie_lang="+lang)
		if r.status != http.StatusOK {
			t.Fatalf("%s: tab status %d", lang, r.status)
		}
		for _, want := range []string{`id="dossier-preview"`, `id="dossier-get-pdf"`, `id="dossier-get-odt"`, `id="dossier-get-html"`, "/static/dossier.css", rec.System.Name[:20], "<svg"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("%s: tab lacks %q", lang, want)
			}
		}
		if want := map[string]string{"fr": "Bordereau des pièces", "en": "List of exhibits"}[lang]; !strings.Contains(r.body, want) {
			t.Errorf("%s: preview lacks %q", lang, want)
		}
	}
	if n, _ := e.db.ExhibitNumbers(ctx, rec.ID); len(n) != 0 {
		t.Errorf("the preview (a GET) kept %d numbers", len(n))
	}
	if r := e.get(base+"/t/dossier?audience=press", cr); !strings.Contains(r.body, `id="dossier-error"`) {
		t.Error("an unknown audience is not named")
	}
	for _, f := range []string{"pdf", "odt", "html"} {
		r := e.post(base+"/dossier", cr, url.Values{"audience": {"cse"}, "date": {"2026-12-03"}, "lang": {"fr"}, "format": {f}})
		if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Disposition"), "dossier-") || len(r.body) < 1000 {
			t.Fatalf("%s: status %d, %q, %d bytes", f, r.status, r.header.Get("Content-Disposition"), len(r.body))
		}
		sum := sha256.Sum256([]byte(r.body))
		evs, err := e.db.FindEvents(ctx, o.ID, 20)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, ev := range evs {
			found = found || (ev.Kind == "dossier.made" && ev.Detail == f+" cse 2026-12-03 sha256 "+hex.EncodeToString(sum[:]))
		}
		if !found {
			t.Errorf("%s: the download is not journaled with its sha256", f)
		}
	}
	n, err := e.db.ExhibitNumbers(ctx, rec.ID)
	if err != nil || len(n) == 0 {
		t.Errorf("the download kept no number (%v)", err)
	}
	if r := e.post(base+"/dossier", cr, url.Values{"format": {"docx"}}); r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest {
		t.Errorf("bad format: status %d", r.status)
	}
	if r := e.get(base+"/t/dossier", co); r.status != http.StatusNotFound {
		t.Errorf("outsider: status %d", r.status)
	}
	if r := e.post(base+"/dossier", co, url.Values{"format": {"pdf"}}); r.status != http.StatusNotFound {
		t.Errorf("outsider download: status %d", r.status)
	}
}
