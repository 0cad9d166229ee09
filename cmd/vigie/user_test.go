package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/password"
	"github.com/vigie-app/vigie/store"
)

func stUser(t *testing.T, db, email string) *vigie.User {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.FindUserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUserCommands(t *testing.T) {
	db := stNewDB(t)
	out := stMust(t, "un mot de passe\n", "user", "create", "--db", db, "--email", "Ada@Example.org", "--name", "Ada Lovelace", "--org", "Section A", "--role", "admin")
	if !strings.Contains(out, "compte ada@example.org créé, rôle admin dans « Section A »") {
		t.Fatalf("output: %s", out)
	}
	u := stUser(t, db, "ada@example.org")
	if !password.Verify(u.PasswordHash, "un mot de passe") || password.Verify(u.PasswordHash, "un mot de passe\n") {
		t.Fatal("the stored hash does not verify the password read from stdin")
	}
	if !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Fatalf("hash %q", u.PasswordHash)
	}
	if role, ok := u.RoleIn(u.Memberships[0].OrgID); !ok || role != vigie.RoleAdmin || u.Memberships[0].OrgName != "Section A" {
		t.Fatalf("memberships %+v", u.Memberships)
	}
	stMust(t, "lecteur-du-B\r\n", "user", "create", "--db", db, "--email", "bob@example.org", "--name", "Bob", "--org", "Section B", "--role", "reader", "--lang", "en")
	if !password.Verify(stUser(t, db, "bob@example.org").PasswordHash, "lecteur-du-B") {
		t.Fatal("CRLF not trimmed")
	}

	stMust(t, "nouveau mot de passe\n", "user", "set-password", "--db", db, "--email", "ADA@example.org")
	h := stUser(t, db, "ada@example.org").PasswordHash
	if !password.Verify(h, "nouveau mot de passe") || password.Verify(h, "un mot de passe") {
		t.Fatal("set-password did not replace the password")
	}

	out = stMust(t, "", "user", "list", "--db", db)
	if !strings.Contains(out, "ada@example.org") || !strings.Contains(out, "Section A (admin)") || !strings.Contains(out, "Section B (reader)") || !strings.Contains(out, "2 compte(s)") {
		t.Fatalf("list:\n%s", out)
	}
	out = stMust(t, "", "user", "list", "--db", db, "--format", "json")
	var users []map[string]any
	if err := json.Unmarshal([]byte(out), &users); err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || strings.Contains(out, "argon2") {
		t.Fatalf("JSON list (must not hold hashes):\n%s", out)
	}

	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"un autre mot de passe\n", []string{"create", "--email", "ada@example.org", "--name", "Ada bis"}, "--email"},
		{"court\n", []string{"create", "--email", "eve@example.org", "--name", "Eve"}, "mot de passe"},
		{"", []string{"create", "--email", "eve@example.org", "--name", "Eve"}, "mot de passe"},
		{"un mot de passe\n", []string{"create", "--email", "eve@example.org", "--name", "Eve", "--org", "Section A"}, "--role"},
		{"un mot de passe\n", []string{"create", "--email", "eve@example.org", "--name", "Eve", "--org", "Section A", "--role", "boss"}, "--role"},
		{"un mot de passe\n", []string{"create", "--email", "eve@example.org", "--name", "Eve", "--org", "Section Z", "--role", "reader"}, "--org"},
		{"un mot de passe\n", []string{"create", "--name", "Eve"}, "--email"},
		{"un mot de passe\n", []string{"set-password", "--email", "nobody@example.org"}, "--email"},
		{"", []string{"list", "--format", "xml"}, "--format"},
	} {
		code, _, errs := stRun(t, c.stdin, append(append([]string{"user"}, c.args...), "--db", db)...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Fatalf("%v: exit %d, want 2 naming %s\n%s", c.args, code, c.want, errs)
		}
	}
	if out := stMust(t, "", "user", "list", "--db", db); !strings.Contains(out, "2 compte(s)") {
		t.Fatalf("a refused command created an account:\n%s", out)
	}
}
