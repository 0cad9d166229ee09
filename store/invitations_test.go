package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

// Membership by consent, on SQLite, on PostgreSQL, and on PostgreSQL
// through the application role under row-level security.
func TestInvitations(t *testing.T) {
	eachDB(t, invitations)
	t.Run("postgres-rls", func(t *testing.T) {
		db, _ := rlsDB(t)
		invitations(t, db)
	})
}

func invitations(t *testing.T, db *store.DB) {
	fx := newFixture(t, db)
	ctx := context.Background()
	// An admin adds nobody directly: the outsider (admin of B, with an
	// account) and a made-up id answer the same.
	err1 := db.SetMember(fx.as(fx.admin), fx.org.ID, fx.outside.ID, vigie.RoleReader)
	err2 := db.SetMember(fx.as(fx.admin), fx.org.ID, "0190c0de-0000-7000-8000-000000000000", vigie.RoleReader)
	wantCode(t, err1, vigie.ENOTFOUND)
	if vigie.ErrorCode(err2) != vigie.ENOTFOUND || vigie.ErrorMessage(err1) == "" ||
		len(vigie.ErrorMessage(err1)) != len(vigie.ErrorMessage(err2)) {
		t.Errorf("adding an account and a made-up id answer differently: %v / %v", err1, err2)
	}

	// Roles: only an admin of the organisation invites, lists, revokes.
	_, err := db.Invite(fx.as(fx.editor), fx.org.ID, "x@example.org", vigie.RoleReader)
	wantCode(t, err, vigie.EFORBIDDEN)
	_, err = db.Invite(fx.as(fx.outside), fx.org.ID, "x@example.org", vigie.RoleReader)
	wantCode(t, err, vigie.ENOTFOUND)
	_, err = db.Invite(fx.as(fx.admin), fx.org.ID, "x@example.org", "boss")
	wantCode(t, err, vigie.EINVALID)
	_, err = db.Invite(fx.as(fx.admin), fx.org.ID, "pas une adresse", vigie.RoleReader)
	wantCode(t, err, vigie.EINVALID)
	_, err = db.Invitations(fx.as(fx.reader), fx.org.ID)
	wantCode(t, err, vigie.EFORBIDDEN)

	// The admin of A invites the outsider as editor: nothing changes until
	// they accept.
	inv, err := db.Invite(fx.as(fx.admin), fx.org.ID, " Outside@Example.org ", vigie.RoleEditor)
	must(t, err)
	if inv.Email != "outside@example.org" || inv.ExpiresAt.Sub(inv.CreatedAt) != vigie.InvitationLifetime {
		t.Errorf("invitation: %+v", inv)
	}
	mine, err := db.MyInvitations(fx.as(fx.outside))
	must(t, err)
	if len(mine) != 1 || mine[0].ID != inv.ID || mine[0].OrgName != "Section A" || mine[0].Role != vigie.RoleEditor || mine[0].InvitedBy != "admin" {
		t.Fatalf("the outsider's invitations: %+v", mine)
	}
	if u, _ := db.FindUserByID(ctx, fx.outside.ID); slices.ContainsFunc(u.Memberships, func(m vigie.Membership) bool { return m.OrgID == fx.org.ID }) {
		t.Fatal("a member before accepting")
	}
	// Nobody else sees or answers it; B's admin does not see A's list.
	if m, err := db.MyInvitations(fx.as(fx.reader)); err != nil || len(m) != 0 {
		t.Errorf("the reader sees %v %v", m, err)
	}
	_, err = db.AcceptInvitation(fx.as(fx.reader), inv.ID)
	wantCode(t, err, vigie.ENOTFOUND)
	wantCode(t, db.DeclineInvitation(fx.as(fx.admin), inv.ID), vigie.ENOTFOUND)
	_, err = db.Invitations(fx.as(fx.outside), fx.org.ID)
	wantCode(t, err, vigie.ENOTFOUND)
	// Another organisation's admin cannot revoke it, through their own
	// organisation either.
	wantCode(t, db.RevokeInvitation(fx.as(fx.outside), fx.org.ID, inv.ID), vigie.ENOTFOUND)
	wantCode(t, db.RevokeInvitation(fx.as(fx.outside), fx.other.ID, inv.ID), vigie.ENOTFOUND)
	_, err = db.AcceptInvitation(fx.as(fx.outside), "0190c0de-0000-7000-8000-000000000000")
	wantCode(t, err, vigie.ENOTFOUND)
	_, err = db.AcceptInvitation(fx.as(fx.outside), "x' OR 1=1 --")
	wantCode(t, err, vigie.ENOTFOUND)

	// Accepted: a member with the role, once.
	got, err := db.AcceptInvitation(fx.as(fx.outside), inv.ID)
	must(t, err)
	if got.OrgID != fx.org.ID || got.Role != vigie.RoleEditor {
		t.Errorf("accepted: %+v", got)
	}
	if u, _ := db.FindUserByID(ctx, fx.outside.ID); !slices.ContainsFunc(u.Memberships, func(m vigie.Membership) bool {
		return m.OrgID == fx.org.ID && m.Role == vigie.RoleEditor
	}) {
		t.Errorf("not a member after accepting: %+v", u.Memberships)
	}
	_, err = db.AcceptInvitation(fx.as(fx.outside), inv.ID)
	wantCode(t, err, vigie.ENOTFOUND)
	// Now a member, their role may be changed directly.
	must(t, db.SetMember(fx.as(fx.admin), fx.org.ID, fx.outside.ID, vigie.RoleReader))

	// Declined: no membership.
	inv2, err := db.Invite(fx.as(fx.outside), fx.other.ID, "reader@example.org", vigie.RoleAdmin)
	must(t, err)
	must(t, db.DeclineInvitation(fx.as(fx.reader), inv2.ID))
	if u, _ := db.FindUserByID(ctx, fx.reader.ID); slices.ContainsFunc(u.Memberships, func(m vigie.Membership) bool { return m.OrgID == fx.other.ID }) {
		t.Error("a member after declining")
	}
	_, err = db.AcceptInvitation(fx.as(fx.reader), inv2.ID)
	wantCode(t, err, vigie.ENOTFOUND)

	// Revoked: gone from both lists, no longer accepted.
	inv3, err := db.Invite(fx.as(fx.outside), fx.other.ID, "editor@example.org", vigie.RoleReader)
	must(t, err)
	list, err := db.Invitations(fx.as(fx.outside), fx.other.ID)
	must(t, err)
	if len(list) != 1 || list[0].ID != inv3.ID || list[0].Email != "editor@example.org" {
		t.Errorf("B's pending invitations: %+v", list)
	}
	wantCode(t, db.RevokeInvitation(fx.as(fx.admin), fx.other.ID, inv3.ID), vigie.ENOTFOUND)
	must(t, db.RevokeInvitation(fx.as(fx.outside), fx.other.ID, inv3.ID))
	wantCode(t, db.RevokeInvitation(fx.as(fx.outside), fx.other.ID, inv3.ID), vigie.ENOTFOUND)
	if m, _ := db.MyInvitations(fx.as(fx.editor)); len(m) != 0 {
		t.Errorf("a revoked invitation is still shown: %+v", m)
	}
	_, err = db.AcceptInvitation(fx.as(fx.editor), inv3.ID)
	wantCode(t, err, vigie.ENOTFOUND)

	// Expired after 14 days.
	inv4, err := db.Invite(fx.as(fx.outside), fx.other.ID, "editor@example.org", vigie.RoleReader)
	must(t, err)
	now := db.Now
	db.Now = func() time.Time { return now().Add(vigie.InvitationLifetime + time.Minute) }
	if m, _ := db.MyInvitations(fx.as(fx.editor)); len(m) != 0 {
		t.Errorf("an expired invitation is still shown: %+v", m)
	}
	if l, _ := db.Invitations(fx.as(fx.outside), fx.other.ID); len(l) != 0 {
		t.Errorf("an expired invitation is still listed: %+v", l)
	}
	_, err = db.AcceptInvitation(fx.as(fx.editor), inv4.ID)
	wantCode(t, err, vigie.ENOTFOUND)
	db.Now = now

	// An address without an account: the invitation waits for one.
	inv5, err := db.Invite(fx.as(fx.outside), fx.other.ID, "later@example.org", vigie.RoleReader)
	must(t, err)
	later := &vigie.User{Email: "later@example.org", Name: "Later", PasswordHash: "x"}
	must(t, db.CreateUser(ctx, later))
	if m, _ := db.MyInvitations(fx.as(later)); len(m) != 1 || m[0].ID != inv5.ID {
		t.Fatalf("the new account's invitations: %+v", m)
	}
	_, err = db.AcceptInvitation(fx.as(later), inv5.ID)
	must(t, err)
	// A second invitation of the same address replaces the first.
	a, err := db.Invite(fx.as(fx.admin), fx.org.ID, "nobody@example.org", vigie.RoleReader)
	must(t, err)
	b, err := db.Invite(fx.as(fx.admin), fx.org.ID, "nobody@example.org", vigie.RoleAdmin)
	must(t, err)
	if l, _ := db.Invitations(fx.as(fx.admin), fx.org.ID); len(l) != 1 || l[0].ID != b.ID || l[0].ID == a.ID {
		t.Errorf("after a second invitation of one address: %+v", l)
	}

	// Journaled, without the address.
	evs, err := db.FindEvents(ctx, fx.org.ID, 0)
	must(t, err)
	kinds := map[string]int{}
	for _, e := range evs {
		kinds[e.Kind]++
		if e.Detail == "outside@example.org" || e.Detail == "nobody@example.org" {
			t.Errorf("the journal holds an address: %+v", e)
		}
		if e.Kind == "invitation.accepted" && e.UserID != fx.outside.ID {
			t.Errorf("the acceptance is not the invitee's: %+v", e)
		}
	}
	for _, k := range []string{"invitation.created", "invitation.accepted", "member.added"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in A's journal: %v", k, kinds)
		}
	}
	evs, err = db.FindEvents(ctx, fx.other.ID, 0)
	must(t, err)
	kinds = map[string]int{}
	for _, e := range evs {
		kinds[e.Kind]++
	}
	if kinds["invitation.declined"] != 1 || kinds["invitation.revoked"] != 1 {
		t.Errorf("B's journal: %v", kinds)
	}
}
