package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// TestSharingForm sets the sharing level and the job counts in the form,
// shows the level on the register, and refuses a forged level.
func TestSharingForm(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)
	form := url.Values{"name": {"Synthèses"}, "sharing": {"federation"}, "jobs.posts_cut": {"217"}, "jobs.procedure": {"pse"},
		"jobs.dismissals_30_days": {"209"}, "jobs.announced_on": {"2026-09-05"}}
	if r := e.post("/o/"+org.ID+"/systems", c, form); r.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.status, r.body)
	}
	recs, _, err := e.db.FindSystems(context.Background(), vigie.SystemFilter{OrgID: org.ID})
	if err != nil || len(recs) != 1 {
		t.Fatalf("%d systems, %v", len(recs), err)
	}
	rec := recs[0]
	if rec.Sharing != vigie.SharingFederation || rec.System.Jobs == nil || rec.System.Jobs.PostsCut != vigie.IntOf(217) ||
		rec.System.Jobs.Procedure != "pse" || rec.System.Jobs.Dismissals30Days != vigie.IntOf(209) {
		t.Fatalf("stored: sharing %q jobs %+v", rec.Sharing, rec.System.Jobs)
	}
	reg := e.get("/o/"+org.ID+"/systems", c)
	if !strings.Contains(reg.body, `class="tag sharing"`) || !strings.Contains(reg.body, "fédération") {
		t.Errorf("the register does not show the sharing level")
	}
	edit := e.get("/o/"+org.ID+"/systems/"+rec.ID+"/edit", c)
	if !strings.Contains(edit.body, `<option value="federation" selected>`) || !strings.Contains(edit.body, `value="217"`) {
		t.Errorf("the edit form does not show the level and the counts back")
	}
	// Lowering it back to the section.
	form.Set("version", "1")
	form.Set("sharing", "section")
	if r := e.post("/o/"+org.ID+"/systems/"+rec.ID, c, form); r.status != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", r.status, r.body)
	}
	if cur, _ := e.db.FindSystemByID(context.Background(), rec.ID); cur.Sharing != vigie.SharingSection {
		t.Errorf("after lowering: %q", cur.Sharing)
	}
	// A forged level is refused, naming the field; nothing changes.
	form.Set("version", "2")
	form.Set("sharing", "everyone")
	r := e.post("/o/"+org.ID+"/systems/"+rec.ID, c, form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#f-sharing"`) {
		t.Errorf("forged level: %d", r.status)
	}
	if cur, _ := e.db.FindSystemByID(context.Background(), rec.ID); cur.Sharing != vigie.SharingSection || cur.Version != 2 {
		t.Errorf("after a forged level: %q v%d", cur.Sharing, cur.Version)
	}
}
