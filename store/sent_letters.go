package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/vigie-app/vigie"
)

var _ vigie.SentLetterService = (*DB)(nil)

// SentLetterFormats are the files kept of a sent letter.
var SentLetterFormats = []string{"pdf", "odt", "txt"}

// ArchiveSentLetter keeps the files of a sent letter, each with its
// SHA-256 computed here (editor of the action's organisation). A file
// already kept for an action and format stays as it was: the first
// sending is the record.
func (db *DB) ArchiveSentLetter(ctx context.Context, files []vigie.SentLetter) error {
	for _, f := range files {
		if !contains(SentLetterFormats, f.Format) {
			return vigie.Errorf(vigie.EINVALID, "format : %q inconnu (pdf, odt, txt) / format: unknown %q (pdf, odt, txt)", f.Format, f.Format)
		}
		if len(f.Content) == 0 {
			return vigie.Errorf(vigie.EINVALID, "content : fichier vide / content: empty file")
		}
	}
	return db.inTx(ctx, func(c conn) error {
		for i := range files {
			f := &files[i]
			a, err := db.action(ctx, c, f.ActionID)
			if err != nil {
				return err
			}
			if err := db.access(ctx, c, a.OrgID, vigie.RoleEditor, "action", "action", a.ID); err != nil {
				return err
			}
			if a.State == vigie.ActionDraft {
				return vigie.Errorf(vigie.ECONFLICT, "action %s : pas encore envoyée / not sent yet", a.ID)
			}
			sum := sha256.Sum256(f.Content)
			f.SHA256 = hex.EncodeToString(sum[:])
			f.CreatedAt = db.now()
			if _, err := c.exec(ctx, `INSERT INTO sent_letters (action_id, format, sha256, content, created_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (action_id, format) DO NOTHING`, f.ActionID, f.Format, f.SHA256, f.Content, f.CreatedAt); err != nil {
				return err
			}
		}
		return nil
	})
}

// FindSentLetter returns the file kept for an action in format (reader).
func (db *DB) FindSentLetter(ctx context.Context, actionID, format string) (*vigie.SentLetter, error) {
	c := db.read()
	a, err := db.action(ctx, c, actionID)
	if err != nil {
		return nil, err
	}
	if err := db.access(ctx, c, a.OrgID, vigie.RoleReader, "action", "action", a.ID); err != nil {
		return nil, err
	}
	f := &vigie.SentLetter{ActionID: actionID, Format: format}
	err = c.queryRow(ctx, "SELECT sha256, content, created_at FROM sent_letters WHERE action_id = ? AND format = ?", actionID, format).
		Scan(&f.SHA256, &f.Content, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("lettre envoyée", "sent letter", actionID+"/"+format)
	}
	if err != nil {
		return nil, fmt.Errorf("store: sent letter: %w", err)
	}
	f.CreatedAt = f.CreatedAt.UTC()
	return f, nil
}
