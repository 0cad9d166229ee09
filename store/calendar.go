package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	"github.com/vigie-app/vigie"
)

var _ vigie.CalendarService = (*DB)(nil)

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateCalendarToken makes a new secret token for orgID (editor), revoking
// the previous one. Only the token's sha256 is stored.
func (db *DB) CreateCalendarToken(ctx context.Context, orgID string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	err := db.inTx(ctx, func(c conn) error {
		if err := db.access(ctx, c, orgID, vigie.RoleEditor, "organisation", "organisation", orgID); err != nil {
			return err
		}
		if _, err := c.exec(ctx, "DELETE FROM calendar_tokens WHERE org_id = ?", orgID); err != nil {
			return err
		}
		if _, err := c.exec(ctx, "INSERT INTO calendar_tokens (org_id, token_hash, created_at) VALUES (?, ?, ?)", orgID, tokenHash(token), db.now()); err != nil {
			return err
		}
		return db.addEvent(ctx, c, orgID, "calendar.token_created", orgID, "")
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeCalendarToken revokes the calendar token of orgID (editor).
func (db *DB) RevokeCalendarToken(ctx context.Context, orgID string) error {
	return db.inTx(ctx, func(c conn) error {
		if err := db.access(ctx, c, orgID, vigie.RoleEditor, "organisation", "organisation", orgID); err != nil {
			return err
		}
		if _, err := c.exec(ctx, "DELETE FROM calendar_tokens WHERE org_id = ?", orgID); err != nil {
			return err
		}
		return db.addEvent(ctx, c, orgID, "calendar.token_revoked", orgID, "")
	})
}

// HasCalendarToken reports whether orgID has a live calendar token (reader).
func (db *DB) HasCalendarToken(ctx context.Context, orgID string) (bool, error) {
	c := db.read()
	if err := db.access(ctx, c, orgID, vigie.RoleReader, "organisation", "organisation", orgID); err != nil {
		return false, err
	}
	var n int
	err := c.queryRow(ctx, "SELECT COUNT(*) FROM calendar_tokens WHERE org_id = ?", orgID).Scan(&n)
	return n > 0, err
}

// OrgForCalendarToken returns the organisation whose live token is token.
// It needs no actor: the token is the credential.
func (db *DB) OrgForCalendarToken(ctx context.Context, token string) (string, error) {
	if len(token) < 20 || len(token) > 100 {
		return "", notFound("calendrier", "calendar", "")
	}
	var org string
	err := db.read().queryRow(ctx, "SELECT org_id FROM calendar_tokens WHERE token_hash = ?", tokenHash(token)).Scan(&org)
	if isNoRows(err) {
		return "", notFound("calendrier", "calendar", "")
	}
	return org, err
}
