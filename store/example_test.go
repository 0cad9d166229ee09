package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

// A register on SQLite: an organisation, a reader, a system, and what the
// reader finds by searching without accents.
func Example() {
	dir, _ := os.MkdirTemp("", "vigie-example")
	defer os.RemoveAll(dir)
	ctx := context.Background() // no user: the operator
	db, err := store.Open(ctx, filepath.Join(dir, "vigie.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	org := &vigie.Organisation{Name: "Section du plateau", Kind: vigie.OrgSection}
	_ = db.CreateOrganisation(ctx, org)
	reader := &vigie.User{Email: "lea@example.org", Name: "Léa"}
	_ = db.CreateUser(ctx, reader)
	_ = db.SetMember(ctx, org.ID, reader.ID, vigie.RoleReader)
	_ = db.CreateSystem(ctx, &vigie.SystemRecord{OrgID: org.ID, System: vigie.System{
		Name: "Analyse vocale des appels", Description: "Note le « ton » et l'accent des téléconseillers.",
		Deployment: vigie.Deployment{Status: "deployed"},
	}})

	as := vigie.NewContextWithUser(ctx, reader)
	found, total, _ := db.FindSystems(as, vigie.SystemFilter{OrgID: org.ID, Query: "teleconseillers accent"})
	fmt.Println(total, found[0].System.Name, found[0].Version)
	err = db.DeleteSystem(as, found[0].ID)
	fmt.Println(vigie.ErrorCode(err))
	// Output:
	// 1 Analyse vocale des appels 1
	// forbidden
}
