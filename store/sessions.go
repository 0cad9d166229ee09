package store

import (
	"context"
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionStore keeps the web sessions in the database. It implements
// scs.Store and scs.CtxStore; expired sessions are never found and are
// deleted every CleanupInterval until the database is closed.
type SessionStore struct{ db *DB }

var (
	_ scs.Store    = (*SessionStore)(nil)
	_ scs.CtxStore = (*SessionStore)(nil)
)

// CleanupInterval is how often expired sessions are deleted.
const CleanupInterval = 5 * time.Minute

// SessionStore returns the session store of db and starts its cleanup
// (once per DB).
func (db *DB) SessionStore() *SessionStore {
	db.sessionsOnce.Do(func() {
		db.wg.Add(1)
		go func() {
			defer db.wg.Done()
			t := time.NewTicker(CleanupInterval)
			defer t.Stop()
			for {
				select {
				case <-db.stop:
					return
				case <-t.C:
					_, _ = db.DeleteExpiredSessions(context.Background())
				}
			}
		}()
	})
	return &SessionStore{db: db}
}

// DeleteExpiredSessions removes the expired sessions and returns how many.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(c conn) error {
		res, err := c.exec(ctx, "DELETE FROM sessions WHERE expiry <= ?", db.Now().UnixNano())
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}

// FindCtx returns the data of an unexpired session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.read().queryRow(ctx, "SELECT data FROM sessions WHERE token = ? AND expiry > ?", token, s.db.Now().UnixNano()).Scan(&b)
	if isNoRows(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// CommitCtx stores or replaces a session.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if b == nil {
		b = []byte{}
	}
	return s.db.inTx(ctx, func(c conn) error {
		_, err := c.exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
			ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, expiry.UnixNano())
		return err
	})
}

// DeleteCtx removes a session; an unknown token is not an error.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.db.inTx(ctx, func(c conn) error {
		_, err := c.exec(ctx, "DELETE FROM sessions WHERE token = ?", token)
		return err
	})
}

// Find implements scs.Store.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}
