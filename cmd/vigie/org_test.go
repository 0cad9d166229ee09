package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

func TestOrgCommands(t *testing.T) {
	db := stNewDB(t)
	out := stMust(t, "", "org", "create", "--db", db, "--name", "Section C", "--parent", "Section B")
	if !strings.Contains(out, "organisation « Section C » créée") {
		t.Fatalf("create: %s", out)
	}
	out = stMust(t, "", "org", "list", "--db", db, "--format", "json")
	var orgs []vigie.Organisation
	if err := json.Unmarshal([]byte(out), &orgs); err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 3 || orgs[0].Name != "Section A" || orgs[1].Kind != vigie.OrgUnion || orgs[2].ParentID != orgs[1].ID {
		t.Fatalf("list: %+v", orgs)
	}
	if out := stMust(t, "", "org", "list", "--db", db, "--lang", "en"); !strings.HasPrefix(out, "ID") || strings.Count(out, "\n") != 4 {
		t.Fatalf("text list:\n%s", out)
	}

	stMust(t, "un mot de passe\n", "user", "create", "--db", db, "--email", "ada@example.org", "--name", "Ada", "--org", "Section A", "--role", "admin")
	stMust(t, "un mot de passe\n", "user", "create", "--db", db, "--email", "bob@example.org", "--name", "Bob")
	out = stMust(t, "", "org", "member", "--db", db, "--org", "Section A", "--email", "bob@example.org", "--role", "editor")
	if !strings.Contains(out, "bob@example.org : rôle editor dans « Section A »") {
		t.Fatalf("member: %s", out)
	}
	if u := stUser(t, db, "bob@example.org"); len(u.Memberships) != 1 || u.Memberships[0].Role != vigie.RoleEditor {
		t.Fatalf("bob: %+v", u.Memberships)
	}
	stMust(t, "", "org", "member", "--db", db, "--org", "Section A", "--email", "bob@example.org", "--remove")
	if u := stUser(t, db, "bob@example.org"); len(u.Memberships) != 0 {
		t.Fatalf("bob after removal: %+v", u.Memberships)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"create", "--name", "Section A"}, "--name"},
		{[]string{"create", "--name", ""}, "--name"},
		{[]string{"create", "--name", "X", "--kind", "club"}, "--kind"},
		{[]string{"create", "--name", "X", "--parent", "Nulle part"}, "--parent"},
		{[]string{"list", "--format", "xml"}, "--format"},
		{[]string{"workplace", "--org", "Section A", "--name", "Y", "--staff-body", "soviet"}, "--staff-body"},
		{[]string{"member", "--org", "Section A", "--email", "ada@example.org", "--role", "reader"}, "dernier administrateur"},
		{[]string{"member", "--org", "Section A", "--email", "ada@example.org", "--remove"}, "dernier administrateur"},
		{[]string{"member", "--org", "Section A", "--email", "bob@example.org", "--remove"}, "--remove"},
		{[]string{"member", "--org", "Section A", "--email", "nobody@example.org", "--role", "reader"}, "--email"},
		{[]string{"member", "--org", "Section A", "--email", "bob@example.org"}, "--role"},
		{[]string{"member", "--org", "Section A", "--email", "bob@example.org", "--role", "boss"}, "--role"},
	} {
		code, _, errs := stRun(t, "", append(append([]string{"org"}, c.args...), "--db", db)...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Fatalf("%v: exit %d, want 2 naming %s\n%s", c.args, code, c.want, errs)
		}
	}
}
