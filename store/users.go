package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigie-app/vigie"
)

var _ vigie.UserService = (*DB)(nil)

// CountUsers returns the number of accounts (0 before the first setup).
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.read().queryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// NormalizeEmail trims and lower-cases an e-mail address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// checkEmail checks a normalised address: one line, with an @, no space,
// bounded.
func checkEmail(email string) error {
	if email == "" || !strings.Contains(email, "@") || strings.ContainsAny(email, " \t\r\n") || vigie.CheckLine(email) != nil || len(email) > 254 {
		shown := vigie.Clip(strings.ToValidUTF8(email, "?"), 60)
		return &vigie.Error{Code: vigie.EINVALID, Field: "email", Message: fmt.Sprintf("email : adresse invalide %q / email: invalid address %q", shown, shown)}
	}
	return nil
}

// CreateUser stores u (with its PasswordHash already set) and fills its ID
// and CreatedAt. The operator, or an admin of some organisation, may create
// accounts; the first account needs no actor.
func (db *DB) CreateUser(ctx context.Context, u *vigie.User) error {
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if err := checkEmail(u.Email); err != nil {
		return err
	}
	if u.Name == "" {
		return &vigie.Error{Code: vigie.EINVALID, Field: "name", Message: "name : le nom est obligatoire / name: the name is required"}
	}
	if err := vigie.CheckName("name", u.Name); err != nil {
		return err
	}
	if u.Lang == "" {
		u.Lang = "fr"
	}
	if u.Lang != "fr" && u.Lang != "en" {
		return &vigie.Error{Code: vigie.EINVALID, Field: "lang", Message: fmt.Sprintf("lang : attendu fr ou en, trouvé %q / lang: expected fr or en, found %q", u.Lang, u.Lang)}
	}
	return db.inTx(ctx, func(c conn) error {
		var n int
		if err := c.queryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			ok, err := db.isAdminSomewhere(ctx, c)
			if err != nil {
				return err
			}
			if !ok {
				return forbidden(vigie.RoleAdmin)
			}
		}
		u.ID = newID()
		u.CreatedAt = db.now()
		u.Memberships = nil
		_, err := c.exec(ctx, "INSERT INTO users (id, email, name, password_hash, lang, created_at, must_change_password) VALUES (?, ?, ?, ?, ?, ?, ?)",
			u.ID, u.Email, u.Name, u.PasswordHash, u.Lang, u.CreatedAt, u.MustChangePassword)
		if isUniqueViolation(err) {
			return &vigie.Error{Code: vigie.ECONFLICT, Field: "email", Message: fmt.Sprintf("email : un compte existe déjà pour %s / email: an account already exists for %s", u.Email, u.Email)}
		}
		if err != nil {
			return err
		}
		return db.addEvent(ctx, c, "", "user.created", u.ID, u.Email)
	})
}

// mayReadUser reports whether the actor may read the account id: the
// operator, the user themself, or an admin of some organisation (who needs
// it to add members).
func (db *DB) mayReadUser(ctx context.Context, c conn, id string) (bool, error) {
	if a := vigie.UserFromContext(ctx); a == nil || a.ID == id {
		return true, nil
	}
	return db.isAdminSomewhere(ctx, c)
}

const userColumns = "id, email, name, password_hash, lang, created_at, must_change_password"

func scanUser(sc interface{ Scan(...any) error }) (*vigie.User, error) {
	u := &vigie.User{}
	var created time.Time
	if err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Lang, &created, &u.MustChangePassword); err != nil {
		return nil, err
	}
	u.CreatedAt = created.UTC()
	return u, nil
}

// loadMemberships fills u.Memberships: all of them for the operator and for
// the user themself, otherwise only those in the actor's organisations.
func (db *DB) loadMemberships(ctx context.Context, c conn, u *vigie.User) error {
	q := `SELECT m.org_id, o.name, m.role FROM memberships m JOIN organisations o ON o.id = m.org_id
		WHERE m.user_id = ?`
	args := []any{u.ID}
	if a := vigie.UserFromContext(ctx); a != nil && a.ID != u.ID {
		q += " AND m.org_id IN (SELECT org_id FROM memberships WHERE user_id = ?)"
		args = append(args, a.ID)
	}
	rows, err := c.query(ctx, q+" ORDER BY o.name, o.id", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	u.Memberships = nil
	for rows.Next() {
		m := vigie.Membership{UserID: u.ID}
		var role string
		if err := rows.Scan(&m.OrgID, &m.OrgName, &role); err != nil {
			return err
		}
		m.Role = vigie.Role(role)
		u.Memberships = append(u.Memberships, m)
	}
	return rows.Err()
}

func (db *DB) findUser(ctx context.Context, where, arg, shown string) (*vigie.User, error) {
	c := db.read()
	u, err := scanUser(c.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE "+where+" = ?", arg))
	if isNoRows(err) {
		return nil, notFound("utilisateur", "user", shown)
	}
	if err != nil {
		return nil, err
	}
	ok, err := db.mayReadUser(ctx, c, u.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound("utilisateur", "user", shown)
	}
	if err := db.loadMemberships(ctx, c, u); err != nil {
		return nil, err
	}
	hideHash(ctx, u)
	return u, nil
}

// hideHash blanks the password hash of an account read by someone else
// than its owner or the operator (who checks passwords at login).
func hideHash(ctx context.Context, u *vigie.User) {
	if a := vigie.UserFromContext(ctx); a != nil && a.ID != u.ID {
		u.PasswordHash = ""
	}
}

// FindUserByID returns the account with its memberships.
func (db *DB) FindUserByID(ctx context.Context, id string) (*vigie.User, error) {
	if !validID(id) {
		return nil, notFound("utilisateur", "user", id)
	}
	return db.findUser(ctx, "id", id, id)
}

// FindUserByEmail returns the account with its memberships (used at login,
// without an actor).
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*vigie.User, error) {
	e := NormalizeEmail(email)
	return db.findUser(ctx, "email", e, e)
}

// SetPasswordHash replaces the password hash of userID: the operator, or
// the user themself.
func (db *DB) SetPasswordHash(ctx context.Context, userID, hash string) error {
	if hash == "" {
		return &vigie.Error{Code: vigie.EINVALID, Field: "password", Message: "mot de passe vide / empty password"}
	}
	if a := vigie.UserFromContext(ctx); a != nil && a.ID != userID {
		return &vigie.Error{Code: vigie.EFORBIDDEN, Message: "on ne peut changer que son propre mot de passe / one may only change one's own password"}
	}
	if !validID(userID) {
		return notFound("utilisateur", "user", userID)
	}
	return db.inTx(ctx, func(c conn) error {
		res, err := c.exec(ctx, "UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?", hash, false, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("utilisateur", "user", userID)
		}
		return db.addEvent(ctx, c, "", "user.password_changed", userID, "")
	})
}

// SetPasswordTemporary marks the password of userID as chosen by someone
// else: its holder must change it at the next login (the operator only).
func (db *DB) SetPasswordTemporary(ctx context.Context, userID string) error {
	if vigie.UserFromContext(ctx) != nil {
		return &vigie.Error{Code: vigie.EFORBIDDEN, Message: "réservé à l'exploitant / operator only"}
	}
	if !validID(userID) {
		return notFound("utilisateur", "user", userID)
	}
	return db.inTx(ctx, func(c conn) error {
		res, err := c.exec(ctx, "UPDATE users SET must_change_password = ? WHERE id = ?", true, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("utilisateur", "user", userID)
		}
		return nil
	})
}

// ListUsers returns every account for the operator; for an admin, the
// accounts that are members of the organisations they administer, and
// themself; for anyone else, themself.
func (db *DB) ListUsers(ctx context.Context) ([]*vigie.User, error) {
	c := db.read()
	a := vigie.UserFromContext(ctx)
	q := "SELECT " + userColumns + " FROM users ORDER BY email"
	var args []any
	if a != nil {
		q = "SELECT " + userColumns + ` FROM users WHERE id = ? OR id IN (
			SELECT m.user_id FROM memberships m JOIN memberships me ON me.org_id = m.org_id
			WHERE me.user_id = ? AND me.role = 'admin') ORDER BY email`
		args = []any{a.ID, a.ID}
	}
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var users []*vigie.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		users = append(users, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, u := range users {
		if err := db.loadMemberships(ctx, c, u); err != nil {
			return nil, err
		}
		hideHash(ctx, u)
	}
	return users, nil
}
