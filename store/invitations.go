package store

import (
	"context"
	"fmt"
	"time"

	"github.com/vigie-app/vigie"
)

// Membership by consent. An admin invites an address with a role; the
// invitation is stored whatever the address (nothing here looks for an
// account, so that the answer and its time are the same whether or not
// one exists); the holder of an account with that address sees it, and
// only their acceptance makes them a member. Invitations are rows of their
// organisation (row-level security on PostgreSQL); the invitee, not yet a
// member, reads theirs through withAllOrgs with the Go side keeping to
// their own address.

func checkInvitation(email string, role vigie.Role) error {
	if !role.Valid() {
		return &vigie.Error{Code: vigie.EINVALID, Field: "role", Message: fmt.Sprintf("role : attendu admin, editor ou reader, trouvé %q / role: expected admin, editor or reader, found %q", vigie.Clip(string(role), 20), vigie.Clip(string(role), 20))}
	}
	return checkEmail(email)
}

// Invite invites email to orgID with role; the actor must be an admin of
// orgID (or the operator). A pending invitation of the same address to
// orgID is replaced. The journal records invitation.created (detail: the
// role), never the address.
func (db *DB) Invite(ctx context.Context, orgID, email string, role vigie.Role) (*vigie.Invitation, error) {
	email = NormalizeEmail(email)
	if err := checkInvitation(email, role); err != nil {
		return nil, err
	}
	inv := &vigie.Invitation{OrgID: orgID, Email: email, Role: role}
	err := db.inTx(ctx, func(c conn) error {
		if err := db.access(ctx, c, orgID, vigie.RoleAdmin, "organisation", "organisation", orgID); err != nil {
			return err
		}
		now := db.now()
		if _, err := c.exec(ctx, "UPDATE invitations SET status = 'revoked', answered_at = ? WHERE org_id = ? AND email = ? AND status = 'pending'", now, orgID, email); err != nil {
			return err
		}
		inv.ID, inv.CreatedAt, inv.ExpiresAt = newID(), now, now.Add(vigie.InvitationLifetime)
		if _, err := c.exec(ctx, "INSERT INTO invitations (id, org_id, email, role, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			inv.ID, orgID, email, string(role), nullString(actorID(ctx)), inv.CreatedAt, inv.ExpiresAt); err != nil {
			return err
		}
		return db.addEvent(ctx, c, orgID, "invitation.created", inv.ID, string(role))
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

const invitationSelect = `SELECT i.id, i.org_id, o.name, i.email, i.role, COALESCE(u.name, ''), i.created_at, i.expires_at
	FROM invitations i JOIN organisations o ON o.id = i.org_id LEFT JOIN users u ON u.id = i.invited_by `

func scanInvitations(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}) ([]*vigie.Invitation, error) {
	var out []*vigie.Invitation
	for rows.Next() {
		inv := &vigie.Invitation{}
		var role string
		var created, expires time.Time
		if err := rows.Scan(&inv.ID, &inv.OrgID, &inv.OrgName, &inv.Email, &role, &inv.InvitedBy, &created, &expires); err != nil {
			return nil, err
		}
		inv.Role, inv.CreatedAt, inv.ExpiresAt = vigie.Role(role), created.UTC(), expires.UTC()
		out = append(out, inv)
	}
	return out, rows.Err()
}

// Invitations lists the pending, unexpired invitations of orgID, newest
// first (admin of orgID).
func (db *DB) Invitations(ctx context.Context, orgID string) ([]*vigie.Invitation, error) {
	c := db.read()
	if err := db.access(ctx, c, orgID, vigie.RoleAdmin, "organisation", "organisation", orgID); err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, invitationSelect+"WHERE i.org_id = ? AND i.status = 'pending' AND i.expires_at > ? ORDER BY i.created_at DESC, i.id", orgID, db.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanInvitations(rows)
}

// RevokeInvitation withdraws the pending invitation id of orgID (admin of
// orgID); an invitation of another organisation, or already answered, is
// ENOTFOUND.
func (db *DB) RevokeInvitation(ctx context.Context, orgID, id string) error {
	return db.inTx(ctx, func(c conn) error {
		if err := db.access(ctx, c, orgID, vigie.RoleAdmin, "organisation", "organisation", orgID); err != nil {
			return err
		}
		if !validID(id) {
			return notFound("invitation", "invitation", id)
		}
		res, err := c.exec(ctx, "UPDATE invitations SET status = 'revoked', answered_at = ? WHERE id = ? AND org_id = ? AND status = 'pending'", db.now(), id, orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("invitation", "invitation", id)
		}
		return db.addEvent(ctx, c, orgID, "invitation.revoked", id, "")
	})
}

// actorEmail returns the address of the acting user, read from the
// database; the operator has none.
func (db *DB) actorEmail(ctx context.Context, c conn) (string, error) {
	u := vigie.UserFromContext(ctx)
	if u == nil {
		return "", vigie.Errorf(vigie.EINVALID, "une invitation se lit depuis le compte invité / an invitation is read from the invited account")
	}
	var email string
	err := c.queryRow(ctx, "SELECT email FROM users WHERE id = ?", u.ID).Scan(&email)
	if isNoRows(err) {
		return "", notFound("utilisateur", "user", u.ID)
	}
	return email, err
}

// MyInvitations lists the pending, unexpired invitations of the actor's
// address, newest first.
func (db *DB) MyInvitations(ctx context.Context) ([]*vigie.Invitation, error) {
	ctx = withAllOrgs(ctx)
	c := db.read()
	email, err := db.actorEmail(ctx, c)
	if err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, invitationSelect+"WHERE i.email = ? AND i.status = 'pending' AND i.expires_at > ? ORDER BY i.created_at DESC, i.id", email, db.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanInvitations(rows)
}

// answer runs f on the pending, unexpired invitation id of the actor's
// address, in a transaction; any other is ENOTFOUND.
func (db *DB) answer(ctx context.Context, id string, f func(c conn, inv *vigie.Invitation) error) (*vigie.Invitation, error) {
	if !validID(id) {
		return nil, notFound("invitation", "invitation", id)
	}
	inv := &vigie.Invitation{ID: id}
	ctx = withAllOrgs(ctx)
	err := db.inTx(ctx, func(c conn) error {
		email, err := db.actorEmail(ctx, c)
		if err != nil {
			return err
		}
		var role string
		err = c.queryRow(ctx, `SELECT i.org_id, o.name, i.role FROM invitations i JOIN organisations o ON o.id = i.org_id
			WHERE i.id = ? AND i.email = ? AND i.status = 'pending' AND i.expires_at > ?`, id, email, db.now()).Scan(&inv.OrgID, &inv.OrgName, &role)
		if isNoRows(err) {
			return notFound("invitation", "invitation", id)
		}
		if err != nil {
			return err
		}
		inv.Email, inv.Role = email, vigie.Role(role)
		return f(c, inv)
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// AcceptInvitation makes the actor a member of the invitation's
// organisation with its role (a member already has their role changed,
// except the last admin, who stays one). The journal of the organisation
// records invitation.accepted and member.added or member.role_changed.
func (db *DB) AcceptInvitation(ctx context.Context, id string) (*vigie.Invitation, error) {
	return db.answer(ctx, id, func(c conn, inv *vigie.Invitation) error {
		ctx := withAllOrgs(ctx)
		uid := actorID(ctx)
		if _, err := c.exec(ctx, "UPDATE invitations SET status = 'accepted', answered_at = ? WHERE id = ?", db.now(), inv.ID); err != nil {
			return err
		}
		if err := db.addEvent(ctx, c, inv.OrgID, "invitation.accepted", inv.ID, string(inv.Role)); err != nil {
			return err
		}
		var old string
		err := c.queryRow(ctx, "SELECT role FROM memberships WHERE user_id = ? AND org_id = ?", uid, inv.OrgID).Scan(&old)
		switch {
		case isNoRows(err):
			if _, err := c.exec(ctx, "INSERT INTO memberships (user_id, org_id, role) VALUES (?, ?, ?)", uid, inv.OrgID, string(inv.Role)); err != nil {
				return err
			}
			return db.addEvent(ctx, c, inv.OrgID, "member.added", uid, string(inv.Role))
		case err != nil:
			return err
		case old == string(inv.Role):
			return nil
		}
		if old == string(vigie.RoleAdmin) {
			if err := lastAdmin(ctx, c, inv.OrgID); err != nil {
				return err
			}
		}
		if _, err := c.exec(ctx, "UPDATE memberships SET role = ? WHERE user_id = ? AND org_id = ?", string(inv.Role), uid, inv.OrgID); err != nil {
			return err
		}
		return db.addEvent(ctx, c, inv.OrgID, "member.role_changed", uid, old+" → "+string(inv.Role))
	})
}

// DeclineInvitation refuses the invitation id of the actor's address; the
// journal of the organisation records invitation.declined.
func (db *DB) DeclineInvitation(ctx context.Context, id string) error {
	_, err := db.answer(ctx, id, func(c conn, inv *vigie.Invitation) error {
		ctx := withAllOrgs(ctx)
		if _, err := c.exec(ctx, "UPDATE invitations SET status = 'declined', answered_at = ? WHERE id = ?", db.now(), inv.ID); err != nil {
			return err
		}
		return db.addEvent(ctx, c, inv.OrgID, "invitation.declined", inv.ID, "")
	})
	return err
}
