package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// TestSentLetterIsArchived marks a letter sent and downloads its PDF, ODT
// and text: each is the file kept in the store, with its SHA-256. Then the
// system changes (its name, a fact): the sent letter's downloads stay the
// same bytes, while a draft's follow the record.
func TestSentLetterIsArchived(t *testing.T) {
	f := newActionsFixture(t)
	sent := f.create(t, f.editor, "cse-consultation-new-technology", nil)
	draft := f.create(t, f.editor, "cse-consultation-new-technology", nil)
	f.markSent(t, sent, today, nil)

	get := func(id, ext string) resp {
		t.Helper()
		r := f.e.get(f.o()+"/actions/"+id+"/letter."+ext, f.reader)
		if r.status != http.StatusOK || len(r.body) == 0 {
			t.Fatalf("download %s.%s: %d", id, ext, r.status)
		}
		return r
	}
	before := map[string]string{}
	for _, ext := range []string{"pdf", "odt", "txt"} {
		r := get(sent, ext)
		kept, err := f.e.db.FindSentLetter(vigie.NewContextWithUser(context.Background(), mustUser(t, f, "reader@example.org")), sent, ext)
		if err != nil {
			t.Fatalf("%s not kept: %v", ext, err)
		}
		sum := sha256.Sum256([]byte(r.body))
		if !bytes.Equal(kept.Content, []byte(r.body)) || kept.SHA256 != hex.EncodeToString(sum[:]) || r.header.Get("X-Content-SHA256") != kept.SHA256 {
			t.Errorf("%s: the download is not the kept file (sha %s, header %s)", ext, kept.SHA256, r.header.Get("X-Content-SHA256"))
		}
		before[ext] = r.body
	}
	if a := f.action(t, sent); !strings.Contains(before["txt"], "Madame") || a.Body != before["txt"] {
		t.Errorf("the action's text is not the letter as sent")
	}
	draftBefore := get(draft, "odt").body

	// The system changes.
	rec, err := f.e.db.FindSystemByID(vigie.NewContextWithUser(context.Background(), mustUser(t, f, "editor@example.org")), f.rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	rec.System.Name = "Outil renommé après l'envoi"
	rec.System.Vendor = "Autre éditeur"
	if err := f.e.db.UpdateSystem(vigie.NewContextWithUser(context.Background(), mustUser(t, f, "editor@example.org")), rec); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"pdf", "odt", "txt"} {
		if got := get(sent, ext).body; got != before[ext] {
			t.Errorf("%s of the sent letter changed with the system", ext)
		}
	}
	// A draft is rebuilt from the record: its file follows the change,
	// which proves that the sent one would have changed too.
	if get(draft, "odt").body == draftBefore {
		t.Error("the draft did not follow the system's change")
	}
	if strings.Contains(before["txt"], "Outil renommé") {
		t.Error("the sent letter names the new system")
	}
}

func mustUser(t *testing.T, f *actionsFixture, email string) *vigie.User {
	t.Helper()
	u, err := f.e.db.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
