package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigie-app/vigie"
)

var _ vigie.OrganisationService = (*DB)(nil)

var orgKinds = []string{vigie.OrgFederation, vigie.OrgUnion, vigie.OrgSection}

// CreateOrganisation stores o and fills its ID and CreatedAt; the actor (if
// any) becomes its admin. A section of a parent organisation may only be
// created by an admin of the parent.
func (db *DB) CreateOrganisation(ctx context.Context, o *vigie.Organisation) error {
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		return &vigie.Error{Code: vigie.EINVALID, Field: "name", Message: "name : le nom de l'organisation est obligatoire / name: the organisation's name is required"}
	}
	if err := vigie.CheckName("name", o.Name); err != nil {
		return err
	}
	if o.Kind == "" {
		o.Kind = vigie.OrgSection
	}
	if !contains(orgKinds, o.Kind) {
		return &vigie.Error{Code: vigie.EINVALID, Field: "kind", Message: fmt.Sprintf("kind : attendu %s, trouvé %q / kind: expected %s, found %q",
			strings.Join(orgKinds, ", "), o.Kind, strings.Join(orgKinds, ", "), o.Kind)}
	}
	return db.inTx(ctx, func(c conn) error {
		if o.ParentID != "" {
			if err := db.access(ctx, c, o.ParentID, vigie.RoleAdmin, "organisation", "organisation", o.ParentID); err != nil {
				return err
			}
		}
		o.ID = newID()
		o.CreatedAt = db.now()
		if err := db.addActingOrg(ctx, c, o.ID); err != nil {
			return err
		}
		_, err := c.exec(ctx, "INSERT INTO organisations (id, name, kind, parent_id, created_at) VALUES (?, ?, ?, ?, ?)",
			o.ID, o.Name, o.Kind, nullString(o.ParentID), o.CreatedAt)
		if isUniqueViolation(err) {
			return &vigie.Error{Code: vigie.ECONFLICT, Field: "name", Message: fmt.Sprintf("name : une organisation s'appelle déjà %q / name: an organisation is already called %q", o.Name, o.Name)}
		}
		if err != nil {
			return err
		}
		if a := vigie.UserFromContext(ctx); a != nil {
			if _, err := c.exec(ctx, "INSERT INTO memberships (user_id, org_id, role) VALUES (?, ?, 'admin')", a.ID, o.ID); err != nil {
				return err
			}
		}
		return db.addEvent(ctx, c, o.ID, "organisation.created", o.ID, o.Name)
	})
}

const orgColumns = "id, name, kind, parent_id, created_at"

func scanOrg(sc interface{ Scan(...any) error }) (*vigie.Organisation, error) {
	o := &vigie.Organisation{}
	var parent *string
	var created time.Time
	if err := sc.Scan(&o.ID, &o.Name, &o.Kind, &parent, &created); err != nil {
		return nil, err
	}
	if parent != nil {
		o.ParentID = *parent
	}
	o.CreatedAt = created.UTC()
	return o, nil
}

// FindOrganisationByID returns an organisation the actor is a member of.
func (db *DB) FindOrganisationByID(ctx context.Context, id string) (*vigie.Organisation, error) {
	c := db.read()
	if err := db.access(ctx, c, id, vigie.RoleReader, "organisation", "organisation", id); err != nil {
		return nil, err
	}
	return scanOrg(c.queryRow(ctx, "SELECT "+orgColumns+" FROM organisations WHERE id = ?", id))
}

// FindOrganisationByRef returns the organisation whose id or exact name is
// ref (what the command line's --org takes), among those the actor sees.
func (db *DB) FindOrganisationByRef(ctx context.Context, ref string) (*vigie.Organisation, error) {
	if validID(ref) {
		o, err := db.FindOrganisationByID(ctx, ref)
		if vigie.ErrorCode(err) != vigie.ENOTFOUND {
			return o, err
		}
	}
	var id string
	err := db.read().queryRow(ctx, "SELECT id FROM organisations WHERE name = ?", strings.TrimSpace(ref)).Scan(&id)
	if isNoRows(err) {
		return nil, notFound("organisation", "organisation", ref)
	}
	if err != nil {
		return nil, err
	}
	o, err := db.FindOrganisationByID(ctx, id)
	if vigie.ErrorCode(err) == vigie.ENOTFOUND {
		return nil, notFound("organisation", "organisation", ref)
	}
	return o, err
}

// FindOrganisations returns the organisations the actor is a member of
// (all of them for the operator), by name.
func (db *DB) FindOrganisations(ctx context.Context) ([]*vigie.Organisation, error) {
	q := "SELECT " + orgColumns + " FROM organisations ORDER BY name, id"
	var args []any
	if a := vigie.UserFromContext(ctx); a != nil {
		q = "SELECT " + orgColumns + " FROM organisations WHERE id IN (SELECT org_id FROM memberships WHERE user_id = ?) ORDER BY name, id"
		args = append(args, a.ID)
	}
	rows, err := db.read().query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vigie.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SetMember gives userID the role in orgID (admin actor, or the operator).
// The last admin of an organisation cannot be demoted. Membership is by
// consent: an admin only changes the role of a member (anyone else is
// ENOTFOUND, whether or not the account exists; they are invited, see
// Invite); the operator, trusted on the server, may add anyone.
func (db *DB) SetMember(ctx context.Context, orgID, userID string, role vigie.Role) error {
	if !role.Valid() {
		return &vigie.Error{Code: vigie.EINVALID, Field: "role", Message: fmt.Sprintf("role : attendu admin, editor ou reader, trouvé %q / role: expected admin, editor or reader, found %q", role, role)}
	}
	return db.inTx(ctx, func(c conn) error {
		if err := db.access(ctx, c, orgID, vigie.RoleAdmin, "organisation", "organisation", orgID); err != nil {
			return err
		}
		if !validID(userID) {
			return notFound("utilisateur", "user", userID)
		}
		var one int
		if err := c.queryRow(ctx, "SELECT 1 FROM users WHERE id = ?", userID).Scan(&one); isNoRows(err) && vigie.UserFromContext(ctx) != nil {
			return notFound("adhésion", "membership", userID)
		} else if isNoRows(err) {
			return notFound("utilisateur", "user", userID)
		} else if err != nil {
			return err
		}
		var old string
		err := c.queryRow(ctx, "SELECT role FROM memberships WHERE user_id = ? AND org_id = ?", userID, orgID).Scan(&old)
		switch {
		case isNoRows(err) && vigie.UserFromContext(ctx) != nil:
			return notFound("adhésion", "membership", userID)
		case isNoRows(err):
			if _, err := c.exec(ctx, "INSERT INTO memberships (user_id, org_id, role) VALUES (?, ?, ?)", userID, orgID, string(role)); err != nil {
				return err
			}
			return db.addEvent(ctx, c, orgID, "member.added", userID, string(role))
		case err != nil:
			return err
		case old == string(role):
			return nil
		}
		if old == string(vigie.RoleAdmin) {
			if err := lastAdmin(ctx, c, orgID); err != nil {
				return err
			}
		}
		if _, err := c.exec(ctx, "UPDATE memberships SET role = ? WHERE user_id = ? AND org_id = ?", string(role), userID, orgID); err != nil {
			return err
		}
		return db.addEvent(ctx, c, orgID, "member.role_changed", userID, old+" → "+string(role))
	})
}

// lastAdmin returns ECONFLICT when orgID has only one admin left.
func lastAdmin(ctx context.Context, c conn, orgID string) error {
	var n int
	if err := c.queryRow(ctx, "SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'admin'", orgID).Scan(&n); err != nil {
		return err
	}
	if n <= 1 {
		return &vigie.Error{Code: vigie.ECONFLICT, Field: "role", Message: "c'est le dernier administrateur de l'organisation : nommer d'abord un autre administrateur / this is the organisation's last admin: appoint another admin first"}
	}
	return nil
}

// RemoveMember removes userID from orgID (admin actor, or the operator).
func (db *DB) RemoveMember(ctx context.Context, orgID, userID string) error {
	return db.inTx(ctx, func(c conn) error {
		if err := db.access(ctx, c, orgID, vigie.RoleAdmin, "organisation", "organisation", orgID); err != nil {
			return err
		}
		var old string
		err := c.queryRow(ctx, "SELECT role FROM memberships WHERE user_id = ? AND org_id = ?", userID, orgID).Scan(&old)
		if isNoRows(err) {
			return notFound("adhésion", "membership", userID)
		}
		if err != nil {
			return err
		}
		if old == string(vigie.RoleAdmin) {
			if err := lastAdmin(ctx, c, orgID); err != nil {
				return err
			}
		}
		if _, err := c.exec(ctx, "DELETE FROM memberships WHERE user_id = ? AND org_id = ?", userID, orgID); err != nil {
			return err
		}
		return db.addEvent(ctx, c, orgID, "member.removed", userID, old)
	})
}

// Members lists the members of orgID (any member may read them).
func (db *DB) Members(ctx context.Context, orgID string) ([]vigie.Membership, error) {
	c := db.read()
	if err := db.access(ctx, c, orgID, vigie.RoleReader, "organisation", "organisation", orgID); err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT m.user_id, m.org_id, o.name, m.role, u.name, u.email
		FROM memberships m JOIN organisations o ON o.id = m.org_id JOIN users u ON u.id = m.user_id
		WHERE m.org_id = ? ORDER BY u.name, u.email`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.Membership
	for rows.Next() {
		var m vigie.Membership
		var role string
		if err := rows.Scan(&m.UserID, &m.OrgID, &m.OrgName, &role, &m.UserName, &m.UserEmail); err != nil {
			return nil, err
		}
		m.Role = vigie.Role(role)
		out = append(out, m)
	}
	return out, rows.Err()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
