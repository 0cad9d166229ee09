package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigie-app/vigie"
)

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestInvitationSameAnswer: the admin of B invites an address that has an
// account (a member of A) on one instance, and one that has none on an
// identical other instance: the answer to the form and the members page
// that follows are the same bytes, ids aside (there is no CSRF token: the
// server checks the origin of a form, not a token).
func TestInvitationSameAnswer(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { invitationSameAnswer(t, newEnv(t), newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { invitationSameAnswer(t, newPostgresEnv(t), newPostgresEnv(t)) })
}

func invitationSameAnswer(t *testing.T, with, without *env) {
	answer := func(e *env, hasAccount bool) []resp {
		adminB := e.user("admin-b@example.org", "Admin B")
		orgB := e.org(adminB, "Section Beta")
		adminA := e.user("admin-a@example.org", "Admin A")
		orgA := e.org(adminA, "Section Alpha")
		if hasAccount {
			e.member(orgA, e.user("target@example.org", "Cible"), vigie.RoleEditor)
		}
		c := e.login(adminB.Email)
		o := "/o/" + orgB.ID
		post := e.post(o+"/invitations", c, url.Values{"email": {"target@example.org"}, "role": {"reader"}})
		page := e.get(o+"/members", c)
		again := e.post(o+"/invitations", c, url.Values{"email": {"Target@Example.org"}, "role": {"editor"}})
		return []resp{post, page, again}
	}
	a, b := answer(with, true), answer(without, false)
	for i := range a {
		if a[i].status != b[i].status || uuidRE.ReplaceAllString(a[i].header.Get("Location"), "ID") != uuidRE.ReplaceAllString(b[i].header.Get("Location"), "ID") {
			t.Errorf("answer %d: status %d %q with an account, %d %q without", i, a[i].status, a[i].header.Get("Location"), b[i].status, b[i].header.Get("Location"))
		}
		if x, y := uuidRE.ReplaceAllString(a[i].body, "ID"), uuidRE.ReplaceAllString(b[i].body, "ID"); x != y {
			t.Errorf("answer %d differs:\nwith an account:\n%s\nwithout:\n%s", i, x, y)
		}
	}
	if a[0].status != http.StatusSeeOther || !strings.Contains(a[1].body, "target@example.org") || !strings.Contains(a[1].body, "Invitation enregistrée") {
		t.Errorf("the invitation is not shown: %d\n%.600s", a[0].status, a[1].body)
	}
	if strings.Contains(a[1].body, "Cible") || strings.Contains(a[1].body, "Section Alpha") {
		t.Error("the members page names the account or its organisation")
	}
}

// TestInvitationLifecycle: invited, seen after login and on the account
// page, accepted (then a member with the role), declined (never a
// member), withdrawn, expired, forged ids, wrong roles; on both databases.
func TestInvitationLifecycle(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { invitationLifecycle(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { invitationLifecycle(t, newPostgresEnv(t)) })
}

func invitationLifecycle(t *testing.T, e *env) {
	ctx := context.Background()
	adminB := e.user("admin-b@example.org", "Admin B")
	editorB := e.user("editor-b@example.org", "Editor B")
	orgB := e.org(adminB, "Section Beta")
	e.member(orgB, editorB, vigie.RoleEditor)
	alice := e.user("alice@example.org", "Alice")
	orgA := e.org(alice, "Section Alpha")
	cb, ce := e.login(adminB.Email), e.login(editorB.Email)
	o := "/o/" + orgB.ID

	// Only an admin invites.
	if r := e.post(o+"/invitations", ce, url.Values{"email": {"alice@example.org"}, "role": {"admin"}}); r.status != http.StatusForbidden {
		t.Errorf("an editor invites: %d", r.status)
	}
	if r := e.post(o+"/invitations", cb, url.Values{"email": {"alice@example.org"}, "role": {"editor"}}); r.status != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", r.status, r.body)
	}
	if u, _ := e.db.FindUserByID(ctx, alice.ID); len(u.Memberships) != 1 {
		t.Fatalf("a member before accepting: %+v", u.Memberships)
	}
	// Alice sees it after login and on her account page.
	r := e.post("/login", "", url.Values{"email": {alice.Email}, "password": {testPassword}, "next": {"/o/" + orgA.ID + "/systems"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account#invitations" {
		t.Errorf("login with an invitation waiting: %d %s", r.status, r.header.Get("Location"))
	}
	ca := sessionHeader(r)
	acc := e.get("/account", ca)
	if !strings.Contains(acc.body, "Des invitations attendent votre réponse") || !strings.Contains(acc.body, "Section Beta") || !strings.Contains(acc.body, "Admin B") {
		t.Fatalf("account page:\n%.2000s", acc.body)
	}
	ids := uuidRE.FindAllString(acc.body[strings.Index(acc.body, `id="invitations"`):], -1)
	if len(ids) == 0 {
		t.Fatal("no invitation id on the account page")
	}
	id := ids[0]
	// Nobody else answers it; a made-up id is not found.
	if r := e.post("/invitations/"+id+"/accept", ce, nil); r.status != http.StatusNotFound {
		t.Errorf("the editor accepts Alice's invitation: %d", r.status)
	}
	if r := e.post("/invitations/0190c0de-0000-7000-8000-000000000000/accept", ca, nil); r.status != http.StatusNotFound {
		t.Errorf("a made-up id: %d", r.status)
	}
	if r := e.post("/invitations/"+id+"/revoke", ca, nil); r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed {
		t.Errorf("revoke outside an organisation: %d", r.status)
	}
	// Accepted.
	if r := e.post("/invitations/"+id+"/accept", ca, nil); r.status != http.StatusSeeOther || r.header.Get("Location") != o+"/systems" {
		t.Fatalf("accept: %d %s", r.status, r.header.Get("Location"))
	}
	if r := e.get(o+"/systems", ca); r.status != http.StatusOK {
		t.Errorf("Alice in B after accepting: %d", r.status)
	}
	if role, ok := func() (vigie.Role, bool) { u, _ := e.db.FindUserByID(ctx, alice.ID); return u.RoleIn(orgB.ID) }(); !ok || role != vigie.RoleEditor {
		t.Errorf("Alice's role in B: %q %v", role, ok)
	}
	if r := e.post("/invitations/"+id+"/accept", ca, nil); r.status != http.StatusNotFound {
		t.Errorf("accepted twice: %d", r.status)
	}
	ev := e.get(o+"/events", cb)
	for _, w := range []string{"Invitation envoyée", "Invitation acceptée", "Membre ajouté"} {
		if !strings.Contains(ev.body, w) {
			t.Errorf("B's journal lacks %q", w)
		}
	}

	// Declined: Bob never becomes a member.
	bob := e.user("bob@example.org", "Bob")
	inv, err := e.db.Invite(vigie.NewContextWithUser(ctx, adminB), orgB.ID, bob.Email, vigie.RoleReader)
	if err != nil {
		t.Fatal(err)
	}
	cbob := e.login(bob.Email)
	if r := e.post("/invitations/"+inv.ID+"/decline", cbob, nil); r.status != http.StatusSeeOther {
		t.Errorf("decline: %d", r.status)
	}
	if r := e.get(o+"/systems", cbob); r.status != http.StatusNotFound {
		t.Errorf("Bob in B after declining: %d", r.status)
	}
	if r := e.post("/invitations/"+inv.ID+"/accept", cbob, nil); r.status != http.StatusNotFound {
		t.Errorf("accept after declining: %d", r.status)
	}

	// Withdrawn by B's admin (not by its editor, not through A's URL).
	inv, err = e.db.Invite(vigie.NewContextWithUser(ctx, adminB), orgB.ID, bob.Email, vigie.RoleReader)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.post(o+"/invitations/"+inv.ID+"/revoke", ce, nil); r.status != http.StatusForbidden {
		t.Errorf("the editor withdraws: %d", r.status)
	}
	if r := e.post("/o/"+orgA.ID+"/invitations/"+inv.ID+"/revoke", ca, nil); r.status != http.StatusNotFound {
		t.Errorf("A's admin withdraws B's invitation: %d", r.status)
	}
	if r := e.get(o+"/members", cb); !strings.Contains(r.body, "bob@example.org") {
		t.Error("the pending invitation is not on B's members page")
	}
	if r := e.post(o+"/invitations/"+inv.ID+"/revoke", cb, nil); r.status != http.StatusSeeOther {
		t.Errorf("withdraw: %d", r.status)
	}
	if r := e.get("/account", cbob); strings.Contains(r.body, `id="invitations"`) {
		t.Error("a withdrawn invitation is on Bob's account page")
	}
	if r := e.post("/invitations/"+inv.ID+"/accept", cbob, nil); r.status != http.StatusNotFound {
		t.Errorf("accept a withdrawn invitation: %d", r.status)
	}

	// Expired after 14 days: an invitation made 14 days and an hour ago.
	now := e.db.Now
	e.db.Now = func() time.Time { return now().Add(-vigie.InvitationLifetime - time.Hour) }
	inv, err = e.db.Invite(vigie.NewContextWithUser(ctx, adminB), orgB.ID, bob.Email, vigie.RoleReader)
	e.db.Now = now
	if err != nil {
		t.Fatal(err)
	}
	if r := e.get("/account", cbob); strings.Contains(r.body, `id="invitations"`) {
		t.Error("an expired invitation is on Bob's account page")
	}
	if r := e.get(o+"/members", cb); strings.Contains(r.body, "bob@example.org") {
		t.Error("an expired invitation is on B's members page")
	}
	if r := e.post("/invitations/"+inv.ID+"/accept", cbob, nil); r.status != http.StatusNotFound {
		t.Errorf("accept an expired invitation: %d", r.status)
	}

	// An address without an account: the invitation waits for the account.
	if r := e.post(o+"/invitations", cb, url.Values{"email": {"later@example.org"}, "role": {"reader"}}); r.status != http.StatusSeeOther {
		t.Fatalf("invite an address without an account: %d", r.status)
	}
	later := e.user("later@example.org", "Later")
	cl := e.login(later.Email)
	acc = e.get("/account", cl)
	ids = uuidRE.FindAllString(acc.body[max(0, strings.Index(acc.body, `id="invitations"`)):], 1)
	if len(ids) != 1 {
		t.Fatal("the new account does not see its invitation")
	}
	if r := e.post("/invitations/"+ids[0]+"/accept", cl, nil); r.status != http.StatusSeeOther {
		t.Errorf("the new account accepts: %d", r.status)
	}
	if r := e.get(o+"/systems", cl); r.status != http.StatusOK {
		t.Errorf("the new account in B: %d", r.status)
	}
}
