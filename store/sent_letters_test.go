package store_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

// A sent letter's files are kept byte for byte with their SHA-256, once:
// archiving again never replaces them. Drafts are not archived; readers
// read, outsiders do not see.
func TestSentLetters(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		sys := newSystem(t, db, fx)
		a := &vigie.Action{SystemID: sys.ID, Letter: "cse-consultation-new-technology", State: vigie.ActionDraft, Title: "Demande"}
		must(t, db.CreateAction(fx.as(fx.editor), a))
		pdf := []byte("%PDF-1.4 first sending \x00\xff")
		files := []vigie.SentLetter{{ActionID: a.ID, Format: "pdf", Content: pdf}, {ActionID: a.ID, Format: "txt", Content: []byte("Madame, Monsieur,")}}
		wantCode(t, db.ArchiveSentLetter(fx.as(fx.editor), files), vigie.ECONFLICT) // a draft
		a.State, a.SentOn = vigie.ActionSent, vigie.MustDate("2026-11-26")
		must(t, db.UpdateAction(fx.as(fx.editor), a))
		wantCode(t, db.ArchiveSentLetter(fx.as(fx.reader), files), vigie.EFORBIDDEN)
		wantCode(t, db.ArchiveSentLetter(fx.as(fx.editor), []vigie.SentLetter{{ActionID: a.ID, Format: "docx", Content: pdf}}), vigie.EINVALID)
		must(t, db.ArchiveSentLetter(fx.as(fx.editor), files))
		// A second archive (the letter rebuilt after the system changed)
		// does not replace the first.
		must(t, db.ArchiveSentLetter(fx.as(fx.editor), []vigie.SentLetter{{ActionID: a.ID, Format: "pdf", Content: []byte("%PDF rebuilt")}}))

		got, err := db.FindSentLetter(fx.as(fx.reader), a.ID, "pdf")
		must(t, err)
		sum := sha256.Sum256(pdf)
		if !bytes.Equal(got.Content, pdf) || got.SHA256 != hex.EncodeToString(sum[:]) || got.CreatedAt.IsZero() {
			t.Errorf("kept pdf: %q %s", got.Content, got.SHA256)
		}
		_, err = db.FindSentLetter(fx.as(fx.reader), a.ID, "odt")
		wantCode(t, err, vigie.ENOTFOUND)
		_, err = db.FindSentLetter(fx.as(fx.outside), a.ID, "pdf")
		wantCode(t, err, vigie.ENOTFOUND)
	})
}
