package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// attackPayloads are the texts of the attack on the instance: markup,
// attribute breakers, script URLs, spreadsheet formulas, template markers,
// CRLF and control characters, a very long string.
var attackPayloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(2)>`,
	`' onmouseover='alert(3)`,
	`javascript:alert(4)`,
	`=HYPERLINK("http://evil.example","x")`,
	`+cmd|'/C calc'!A0`,
	`@SUM(1+1)*cmd|' /C calc'!A0`,
	`{{.Name}} {{template "x"}} %!d @notes`,
	"Outil\r\nSet-Cookie: x=1",
	"Outil\x1b[2J\x07",
	"</textarea><svg onload=alert(5)>",
	"&lt;b&gt; &#x3C;i&#x3E;",
	strings.Repeat("A", 100000),
}

// dangerous are what must never appear raw in a page: the payloads' markup
// as the browser would run it.
var dangerous = []string{"<script>alert(1)", "<img src=x onerror", "onmouseover='alert", `href="javascript:`, "<svg onload", "\x1b[2J"}

// TestReplayAttackPayloads stores each payload in every text the store keeps
// (refused when it holds control characters or is too long) and renders
// every GET page of the application, as the members of the organisation
// see them: no payload's markup comes out raw.
func TestReplayAttackPayloads(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)
	ctx := vigie.NewContextWithUser(context.Background(), admin)
	var recs []*vigie.SystemRecord
	for _, p := range attackPayloads {
		rec := &vigie.SystemRecord{OrgID: org.ID, System: vigie.System{Schema: vigie.SystemSchema, Name: p, Vendor: p, Description: p,
			Deployment: vigie.Deployment{Status: "deployed", Units: vigie.SetOf(p)}, Purpose: vigie.Purpose{Domains: vigie.SetOf("monitoring")},
			Evidence: []vigie.Evidence{{Fact: "name", Source: "workers", Document: p}}}}
		err := e.db.CreateSystem(ctx, rec)
		refused := vigie.CheckLine(p) != nil
		if refused != (err != nil) {
			t.Errorf("%.40q: stored %v, refused by the check %v (%v)", p, err == nil, refused, err)
		}
		if err == nil {
			recs = append(recs, rec)
		}
		wp := &vigie.Workplace{OrgID: org.ID, Name: p}
		if err := e.db.CreateWorkplace(ctx, wp); (err != nil) != refused {
			t.Errorf("workplace %.40q: %v", p, err)
		}
	}
	// Invitations: the address shown on the members page, and on the
	// admin's account page the inviting organisation's name and the
	// inviter's name.
	invited := 0
	for i, p := range attackPayloads {
		if _, err := e.db.Invite(ctx, org.ID, strings.ReplaceAll(p, " ", "")+"@example.org", vigie.RoleReader); err == nil {
			invited++
		}
		inviter := &vigie.User{Email: "inviter" + strconv.Itoa(i) + "@example.org", Name: p, PasswordHash: "x"}
		if err := e.db.CreateUser(context.Background(), inviter); err != nil {
			continue
		}
		ictx := vigie.NewContextWithUser(context.Background(), inviter)
		o := &vigie.Organisation{Name: p, Kind: vigie.OrgSection}
		if err := e.db.CreateOrganisation(ictx, o); err != nil {
			continue
		}
		if _, err := e.db.Invite(ictx, o.ID, admin.Email, vigie.RoleEditor); err != nil {
			t.Fatal(err)
		}
		invited++
	}
	if invs, err := e.db.MyInvitations(ctx); err != nil || len(invs) < 8 || invited < 16 {
		t.Fatalf("%d invitations stored, %d for the admin (%v)", invited, len(invs), err)
	}
	if len(recs) < 8 {
		t.Fatalf("only %d payloads stored", len(recs))
	}
	pages := 0
	for _, rec := range recs {
		for _, rt := range e.srv.Routes() {
			if rt.Method != http.MethodGet || strings.HasPrefix(rt.Pattern, "/static/") {
				continue
			}
			p := fillRoute(rt.Pattern, org, rec)
			if strings.Contains(rt.Pattern, "{tab}") {
				for _, tab := range []string{"facts", "evaluation", "evidence", "history", "actions", "environment"} {
					checkPage(t, e, strings.Replace(p, "/t/facts", "/t/"+tab, 1), c)
					pages++
				}
				continue
			}
			checkPage(t, e, p, c)
			pages++
		}
	}
	t.Logf("%d pages rendered with %d payloads stored", pages, len(recs))
}

func checkPage(t *testing.T, e *env, p, cookie string) {
	t.Helper()
	r := e.get(p, cookie)
	if r.status >= 500 {
		t.Errorf("GET %s: %d", p, r.status)
		return
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		// Data (JSON, CSV, iCal, PDF) holds the value as it is: served
		// with its own type and nosniff, a browser never runs it.
		if r.header.Get("X-Content-Type-Options") != "nosniff" || ct == "" {
			t.Errorf("GET %s: %q without nosniff", p, ct)
		}
		return
	}
	for _, d := range dangerous {
		if strings.Contains(r.body, d) {
			i := strings.Index(r.body, d)
			t.Errorf("GET %s: raw %q in the page: …%s…", p, d, r.body[max(0, i-80):min(len(r.body), i+80)])
		}
	}
}
