package store

import (
	"context"
	"fmt"

	"github.com/vigie-app/vigie"
)

// access checks that the actor in ctx holds at least the role need in the
// organisation orgID. The organisation must exist. A user who is not a member
// gets ENOTFOUND naming what (fr, en) and id, so that nothing of another
// organisation leaks; a member with too low a role gets EFORBIDDEN. The
// operator (no user in ctx) may do everything.
func (db *DB) access(ctx context.Context, c conn, orgID string, need vigie.Role, fr, en, id string) error {
	if !validID(orgID) {
		return notFound(fr, en, id)
	}
	u := vigie.UserFromContext(ctx)
	if u == nil {
		var one int
		err := c.queryRow(ctx, "SELECT 1 FROM organisations WHERE id = ?", orgID).Scan(&one)
		if isNoRows(err) {
			return notFound(fr, en, id)
		}
		return err
	}
	var role string
	err := c.queryRow(ctx, "SELECT role FROM memberships WHERE user_id = ? AND org_id = ?", u.ID, orgID).Scan(&role)
	if isNoRows(err) {
		return notFound(fr, en, id)
	}
	if err != nil {
		return err
	}
	if !vigie.Role(role).Allows(need) {
		return forbidden(need)
	}
	return nil
}

func forbidden(need vigie.Role) error {
	return &vigie.Error{Code: vigie.EFORBIDDEN, Message: fmt.Sprintf(
		"droits insuffisants : il faut le rôle %s dans cette organisation / insufficient rights: the %s role in this organisation is needed", roleFR[need], need)}
}

var roleFR = map[vigie.Role]string{vigie.RoleAdmin: "administrateur", vigie.RoleEditor: "éditeur", vigie.RoleReader: "lecteur"}

// actorID returns the id of the acting user, or "" for the operator.
func actorID(ctx context.Context) string {
	if u := vigie.UserFromContext(ctx); u != nil {
		return u.ID
	}
	return ""
}

// isAdminSomewhere reports whether the user in ctx is an admin of at least
// one organisation (the operator is).
func (db *DB) isAdminSomewhere(ctx context.Context, c conn) (bool, error) {
	u := vigie.UserFromContext(ctx)
	if u == nil {
		return true, nil
	}
	var n int
	err := c.queryRow(ctx, "SELECT COUNT(*) FROM memberships WHERE user_id = ? AND role = 'admin'", u.ID).Scan(&n)
	return n > 0, err
}

// addEvent appends an event to the log, inside the caller's transaction.
func (db *DB) addEvent(ctx context.Context, c conn, orgID, kind, subject, detail string) error {
	_, err := c.exec(ctx, "INSERT INTO events (org_id, user_id, at, kind, subject, detail) VALUES (?, ?, ?, ?, ?, ?)",
		orgID, actorID(ctx), db.now(), kind, subject, detail)
	if err != nil {
		return fmt.Errorf("journal / event log: %w", err)
	}
	return nil
}
