package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/vigie-app/vigie"
)

// checkNewAccount normalises and checks the fields of a new account.
func checkNewAccount(u *vigie.User) error {
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
	if u.PasswordHash == "" {
		return &vigie.Error{Code: vigie.EINVALID, Field: "password", Message: "password : mot de passe vide / password: empty password"}
	}
	if u.Lang == "" {
		u.Lang = "fr"
	}
	return checkLang(u.Lang)
}

func checkLang(lang string) error {
	if lang != "fr" && lang != "en" {
		return &vigie.Error{Code: vigie.EINVALID, Field: "lang", Message: fmt.Sprintf("lang : attendu fr ou en, trouvé %q / lang: expected fr or en, found %q", lang, lang)}
	}
	return nil
}

// ErrAccountExists is the message of the ECONFLICT returned by CreateAccount
// when the address already has an account. It says no more than the members
// form does (which tells whether an address has an account): not whose it
// is, nor where it is a member.
const ErrAccountExists = "email : un compte existe déjà avec cette adresse ; invitez-le avec le formulaire « Inviter » / email: an account already exists with this address; invite it with the “Invite” form"

// CreateAccount stores the new account u (its PasswordHash already set) and
// makes it a member of orgID with role, in one transaction: both or
// neither. The actor must be an admin of orgID (or the operator); a
// non-member gets ENOTFOUND, a member with a lower role EFORBIDDEN. An
// address that already has an account is ECONFLICT (ErrAccountExists).
// The journal of orgID records user.created (detail: the name) and
// member.added (detail: the role).
func (db *DB) CreateAccount(ctx context.Context, orgID string, u *vigie.User, role vigie.Role) error {
	if !role.Valid() {
		return &vigie.Error{Code: vigie.EINVALID, Field: "role", Message: fmt.Sprintf("role : attendu admin, editor ou reader, trouvé %q / role: expected admin, editor or reader, found %q", role, role)}
	}
	if err := checkNewAccount(u); err != nil {
		return err
	}
	return db.inTx(ctx, func(c conn) error {
		// Access first: an outsider learns nothing, not even whether the
		// address has an account.
		if err := db.access(ctx, c, orgID, vigie.RoleAdmin, "organisation", "organisation", orgID); err != nil {
			return err
		}
		var one int
		err := c.queryRow(ctx, "SELECT 1 FROM users WHERE email = ?", u.Email).Scan(&one)
		if err == nil {
			return &vigie.Error{Code: vigie.ECONFLICT, Field: "email", Message: ErrAccountExists}
		}
		if !isNoRows(err) {
			return err
		}
		id, created := newID(), db.now()
		_, err = c.exec(ctx, "INSERT INTO users (id, email, name, password_hash, lang, created_at, must_change_password) VALUES (?, ?, ?, ?, ?, ?, ?)",
			id, u.Email, u.Name, u.PasswordHash, u.Lang, created, u.MustChangePassword)
		if isUniqueViolation(err) {
			return &vigie.Error{Code: vigie.ECONFLICT, Field: "email", Message: ErrAccountExists}
		}
		if err != nil {
			return err
		}
		if _, err := c.exec(ctx, "INSERT INTO memberships (user_id, org_id, role) VALUES (?, ?, ?)", id, orgID, string(role)); err != nil {
			return err
		}
		if err := db.addEvent(ctx, c, orgID, "user.created", id, u.Name); err != nil {
			return err
		}
		if err := db.addEvent(ctx, c, orgID, "member.added", id, string(role)); err != nil {
			return err
		}
		u.ID, u.CreatedAt = id, created
		u.Memberships = nil
		return nil
	})
}

// SetUserLang sets the interface language of userID (fr or en): the user
// themself, or the operator.
func (db *DB) SetUserLang(ctx context.Context, userID, lang string) error {
	if err := checkLang(lang); err != nil {
		return err
	}
	if a := vigie.UserFromContext(ctx); a != nil && a.ID != userID {
		return &vigie.Error{Code: vigie.EFORBIDDEN, Message: "on ne peut changer que sa propre langue / one may only change one's own language"}
	}
	if !validID(userID) {
		return notFound("utilisateur", "user", userID)
	}
	return db.inTx(ctx, func(c conn) error {
		res, err := c.exec(ctx, "UPDATE users SET lang = ? WHERE id = ?", lang, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("utilisateur", "user", userID)
		}
		return nil
	})
}
