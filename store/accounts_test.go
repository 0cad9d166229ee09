package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

func TestCreateAccount(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fx := newFixture(t, db)
		absent := func(email string) {
			t.Helper()
			_, err := db.FindUserByEmail(ctx, email)
			wantCode(t, err, vigie.ENOTFOUND)
		}

		// Only an admin of the organisation creates accounts in it.
		for _, c := range []struct {
			who  *vigie.User
			code string
		}{{fx.editor, vigie.EFORBIDDEN}, {fx.reader, vigie.EFORBIDDEN}, {fx.outside, vigie.ENOTFOUND}} {
			u := &vigie.User{Email: "refused-" + c.who.Name + "@example.org", Name: "Refused", PasswordHash: "h"}
			wantCode(t, db.CreateAccount(fx.as(c.who), fx.org.ID, u, vigie.RoleReader), c.code)
			if u.ID != "" {
				t.Fatalf("%s: refused account got an id", c.who.Name)
			}
			absent(u.Email)
		}
		// An outsider does not learn that an address of A has an account.
		wantCode(t, db.CreateAccount(fx.as(fx.outside), fx.org.ID,
			&vigie.User{Email: "reader@example.org", Name: "X", PasswordHash: "h"}, vigie.RoleReader), vigie.ENOTFOUND)

		// Bad input names the field and stores nothing.
		for field, u := range map[string]*vigie.User{
			"email":    {Email: "no-at-sign", Name: "N", PasswordHash: "h"},
			"name":     {Email: "noname@example.org", Name: "  ", PasswordHash: "h"},
			"password": {Email: "nohash@example.org", Name: "N"},
			"lang":     {Email: "lang@example.org", Name: "N", PasswordHash: "h", Lang: "de"},
		} {
			err := db.CreateAccount(fx.as(fx.admin), fx.org.ID, u, vigie.RoleReader)
			wantCode(t, err, vigie.EINVALID)
			if e := err.(*vigie.Error); e.Field != field {
				t.Fatalf("field %q, want %q (%v)", e.Field, field, err)
			}
		}
		wantCode(t, db.CreateAccount(fx.as(fx.admin), fx.org.ID, &vigie.User{Email: "role@example.org", Name: "N", PasswordHash: "h"}, "boss"), vigie.EINVALID)
		absent("role@example.org")
		absent("lang@example.org")

		// The admin creates an account: the user and the membership exist.
		before, err := db.FindEvents(ctx, fx.org.ID, 0)
		must(t, err)
		u := &vigie.User{Email: " Nouvelle@Example.org ", Name: " Nadia Nouvelle ", PasswordHash: "hash-n", Lang: "en"}
		must(t, db.CreateAccount(fx.as(fx.admin), fx.org.ID, u, vigie.RoleEditor))
		if u.ID == "" || u.Email != "nouvelle@example.org" || u.Name != "Nadia Nouvelle" || u.CreatedAt.IsZero() {
			t.Fatalf("account = %+v", u)
		}
		got, err := db.FindUserByEmail(ctx, "nouvelle@example.org")
		must(t, err)
		if got.ID != u.ID || got.PasswordHash != "hash-n" || got.Lang != "en" {
			t.Fatalf("stored account = %+v", got)
		}
		if role, ok := got.RoleIn(fx.org.ID); !ok || role != vigie.RoleEditor || len(got.Memberships) != 1 {
			t.Fatalf("memberships = %+v", got.Memberships)
		}
		// The journal of A says who created whom.
		evs, err := db.FindEvents(fx.as(fx.reader), fx.org.ID, 0)
		must(t, err)
		if len(evs) != len(before)+2 {
			t.Fatalf("%d events, want %d", len(evs), len(before)+2)
		}
		if evs[0].Kind != "member.added" || evs[0].Subject != u.ID || evs[0].Detail != "editor" ||
			evs[1].Kind != "user.created" || evs[1].Subject != u.ID || evs[1].Detail != "Nadia Nouvelle" {
			t.Fatalf("events: %+v %+v", evs[0], evs[1])
		}
		for _, e := range evs[:2] {
			if e.UserID != fx.admin.ID || e.UserName != "admin" {
				t.Fatalf("event %s by %q (%q), want the admin", e.Kind, e.UserID, e.UserName)
			}
		}

		// An address that has an account: a conflict that names no one and
		// no organisation, and nothing changes.
		for _, email := range []string{"NOUVELLE@example.org", "outside@example.org"} {
			err := db.CreateAccount(fx.as(fx.admin), fx.org.ID, &vigie.User{Email: email, Name: "Autre", PasswordHash: "other"}, vigie.RoleAdmin)
			wantCode(t, err, vigie.ECONFLICT)
			msg := vigie.ErrorMessage(err)
			if msg != store.ErrAccountExists || strings.Contains(msg, "Section B") || strings.Contains(msg, "outside") {
				t.Fatalf("conflict says %q", msg)
			}
		}
		got, err = db.FindUserByEmail(ctx, "nouvelle@example.org")
		must(t, err)
		if got.Name != "Nadia Nouvelle" || got.PasswordHash != "hash-n" || len(got.Memberships) != 1 || got.Memberships[0].Role != vigie.RoleEditor {
			t.Fatalf("existing account changed: %+v", got)
		}
		out, err := db.FindUserByEmail(ctx, "outside@example.org")
		must(t, err)
		if _, ok := out.RoleIn(fx.org.ID); ok {
			t.Fatal("the conflict added the outsider to A")
		}
		after, err := db.FindEvents(ctx, fx.org.ID, 0)
		must(t, err)
		if len(after) != len(evs) {
			t.Fatalf("refused creations wrote %d events", len(after)-len(evs))
		}

		// The operator (command line) may create accounts too; a missing
		// organisation is ENOTFOUND.
		must(t, db.CreateAccount(ctx, fx.other.ID, &vigie.User{Email: "op@example.org", Name: "Op", PasswordHash: "h"}, vigie.RoleReader))
		wantCode(t, db.CreateAccount(ctx, "01890000-0000-7000-8000-000000000000", &vigie.User{Email: "ghost@example.org", Name: "G", PasswordHash: "h"}, vigie.RoleReader), vigie.ENOTFOUND)
		absent("ghost@example.org")
	})
}

func TestSetUserLang(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fx := newFixture(t, db)
		must(t, db.SetUserLang(fx.as(fx.reader), fx.reader.ID, "en"))
		wantCode(t, db.SetUserLang(fx.as(fx.admin), fx.reader.ID, "fr"), vigie.EFORBIDDEN)
		err := db.SetUserLang(fx.as(fx.reader), fx.reader.ID, "de")
		wantCode(t, err, vigie.EINVALID)
		if e := err.(*vigie.Error); e.Field != "lang" {
			t.Fatalf("field %q", e.Field)
		}
		u, err := db.FindUserByID(ctx, fx.reader.ID)
		must(t, err)
		if u.Lang != "en" {
			t.Fatalf("Lang = %q, want en", u.Lang)
		}
		must(t, db.SetUserLang(ctx, fx.reader.ID, "fr"))
		u, _ = db.FindUserByID(ctx, fx.reader.ID)
		if u.Lang != "fr" {
			t.Fatalf("Lang = %q, want fr", u.Lang)
		}
		wantCode(t, db.SetUserLang(ctx, "01890000-0000-7000-8000-000000000000", "fr"), vigie.ENOTFOUND)
	})
}

// TestEventsNameTheActor checks that the journal carries the name of who
// acted, for the events of the organisation only.
func TestEventsNameTheActor(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fx := newFixture(t, db)
		must(t, db.CreateWorkplace(fx.as(fx.editor), &vigie.Workplace{OrgID: fx.org.ID, Name: "Plateau d'appels"}))
		must(t, db.CreateWorkplace(fx.as(fx.outside), &vigie.Workplace{OrgID: fx.other.ID, Name: "Ailleurs"}))
		evs, err := db.FindEvents(fx.as(fx.reader), fx.org.ID, 0)
		must(t, err)
		var editor, operator bool
		for _, e := range evs {
			if e.UserID == fx.outside.ID || e.UserName == "outside" {
				t.Fatalf("an event of B in A's journal: %+v", e)
			}
			switch e.UserID {
			case fx.editor.ID:
				editor = e.UserName == "editor"
				if !editor {
					t.Fatalf("editor's event names %q", e.UserName)
				}
			case "":
				operator = true
				if e.UserName != "" {
					t.Fatalf("operator's event names %q", e.UserName)
				}
			}
		}
		if !editor || !operator {
			t.Fatalf("events %+v: want one by the editor and one by the operator", evs)
		}
		// The outsider still cannot read A's journal.
		_, err = db.FindEvents(fx.as(fx.outside), fx.org.ID, 0)
		wantCode(t, err, vigie.ENOTFOUND)
		// With a limit, names still come.
		evs, err = db.FindEvents(ctx, fx.other.ID, 1)
		must(t, err)
		if len(evs) != 1 || evs[0].UserName != "outside" {
			t.Fatalf("journal of B: %+v", evs)
		}
	})
}
