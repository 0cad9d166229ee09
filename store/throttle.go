package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// Login throttling in the database, so that every server on it counts the
// same failures (web/throttle.go decides what is counted under which key).

// digest is the stored form of a throttling key or device token: neither
// the addresses tried nor the tokens are kept in clear.
func digest(kind, s string) string {
	sum := sha256.Sum256([]byte("vigie login\x00" + kind + "\x00" + s))
	return hex.EncodeToString(sum[:])
}

// LoginFailures returns the number of failures counted under key within
// the last window.
func (db *DB) LoginFailures(ctx context.Context, key string, window time.Duration) (int, error) {
	var n int
	err := db.read().queryRow(ctx, "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?", digest("key", key), db.Now().Add(-window).UnixNano()).Scan(&n)
	return n, err
}

// AddLoginFailure counts one failure under key, and forgets the failures
// older than keep (of every key).
func (db *DB) AddLoginFailure(ctx context.Context, key string, keep time.Duration) error {
	now := db.Now()
	return db.inTx(ctx, func(c conn) error {
		if _, err := c.exec(ctx, "DELETE FROM login_failures WHERE at <= ?", now.Add(-keep).UnixNano()); err != nil {
			return err
		}
		_, err := c.exec(ctx, "INSERT INTO login_failures (key, at) VALUES (?, ?)", digest("key", key), now.UnixNano())
		return err
	})
}

// ClearLoginFailures forgets the failures counted under key.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	return db.inTx(ctx, func(c conn) error {
		_, err := c.exec(ctx, "DELETE FROM login_failures WHERE key = ?", digest("key", key))
		return err
	})
}

// MaxLoginDevices is the number of device tokens kept per address: the
// oldest go first.
const MaxLoginDevices = 20

// NewLoginDevice returns a new device token for email, valid for ttl; old
// (the token the browser sent, if any) is replaced.
func (db *DB) NewLoginDevice(ctx context.Context, email, old string, ttl time.Duration) (string, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	now := db.Now()
	err := db.inTx(ctx, func(c conn) error {
		if _, err := c.exec(ctx, "DELETE FROM login_devices WHERE expiry <= ? OR token_hash = ?", now.UnixNano(), digest("device", old)); err != nil {
			return err
		}
		if _, err := c.exec(ctx, "INSERT INTO login_devices (token_hash, email, expiry) VALUES (?, ?, ?)", digest("device", tok), NormalizeEmail(email), now.Add(ttl).UnixNano()); err != nil {
			return err
		}
		_, err := c.exec(ctx, `DELETE FROM login_devices WHERE email = ? AND token_hash NOT IN
			(SELECT token_hash FROM login_devices WHERE email = ? ORDER BY expiry DESC LIMIT ?)`, NormalizeEmail(email), NormalizeEmail(email), MaxLoginDevices)
		return err
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

// LoginDeviceValid reports whether tok is an unexpired device token of
// email.
func (db *DB) LoginDeviceValid(ctx context.Context, email, tok string) (bool, error) {
	if tok == "" {
		return false, nil
	}
	var n int
	err := db.read().queryRow(ctx, "SELECT COUNT(*) FROM login_devices WHERE token_hash = ? AND email = ? AND expiry > ?",
		digest("device", tok), NormalizeEmail(email), db.Now().UnixNano()).Scan(&n)
	return n > 0, err
}
