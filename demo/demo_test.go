package demo

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

func TestCasesComeInPairs(t *testing.T) {
	cases, err := Cases()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 8 {
		t.Fatalf("%d cases, want 8", len(cases))
	}
	for _, c := range cases {
		if !bytes.Contains(c.Expected, []byte("case: "+c.Name+".yaml")) {
			t.Fatalf("%s: its expected file is about another case", c.Name)
		}
		if _, ok := workplaces[c.Name[:2]]; !ok {
			t.Fatalf("%s: no workplace", c.Name)
		}
	}
}

// TestCopiesMatchTheReference checks that the embedded cases are the
// project's reference cases (testdata/cases at the top of the repository),
// byte for byte, so that the demonstration shows what the tests check.
func TestCopiesMatchTheReference(t *testing.T) {
	shared := filepath.Join("..", "testdata", "cases")
	names, err := fs.Glob(Files(), "*")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.Glob(filepath.Join(shared, "*"))
	if len(names) != len(want) {
		t.Fatalf("%d embedded files, %d reference files", len(names), len(want))
	}
	for _, n := range names {
		a, _ := fs.ReadFile(Files(), n)
		b, err := os.ReadFile(filepath.Join(shared, n))
		if err != nil || !bytes.Equal(a, b) {
			t.Fatalf("%s differs from the reference copy (%v)", n, err)
		}
	}
}

func TestLoadIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	org, err := Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if org.Name != OrgName || org.Kind != vigie.OrgSection {
		t.Fatalf("organisation %+v", org)
	}
	rs, n, err := db.FindSystems(ctx, vigie.SystemFilter{OrgID: org.ID})
	if err != nil {
		t.Fatal(err)
	}
	if n != 8 {
		t.Fatalf("%d systems, want 8", n)
	}
	ws, err := db.FindWorkplaces(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 8 {
		t.Fatalf("%d workplaces, want 8", len(ws))
	}
	wpName := map[string]*vigie.Workplace{}
	for _, w := range ws {
		wpName[w.ID] = w
	}
	cases, _ := Cases()
	for _, c := range cases {
		var found *vigie.SystemRecord
		for _, r := range rs {
			if r.System.Name == c.System.Name {
				found = r
			}
		}
		if found == nil {
			t.Fatalf("%s not loaded", c.Name)
		}
		if !reflect.DeepEqual(found.System.Facts(), c.System.Facts()) {
			t.Fatalf("%s: facts differ from the case file", c.Name)
		}
		w := wpName[found.WorkplaceID]
		if w == nil || w.Name != workplaces[c.Name[:2]][0] || w.Headcount != c.System.Organisation.Headcount || w.Kind != c.System.Organisation.Kind {
			t.Fatalf("%s: workplace %+v", c.Name, w)
		}
	}
	evs, _ := db.FindEvents(ctx, org.ID, 0)

	again, err := Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != org.ID {
		t.Fatal("a second load made another organisation")
	}
	_, n, _ = db.FindSystems(ctx, vigie.SystemFilter{OrgID: org.ID})
	evs2, _ := db.FindEvents(ctx, org.ID, 0)
	orgs, _ := db.FindOrganisations(ctx)
	if n != 8 || len(evs2) != len(evs) || len(orgs) != 1 {
		t.Fatalf("second load: %d systems, %d→%d events, %d organisations", n, len(evs), len(evs2), len(orgs))
	}
	if !strings.Contains(cases[0].System.Description, "fictifs") {
		t.Fatal("case 01 no longer says its details are fictional; check the workplace labels")
	}
}

// TestLoadFinishesAnInterruptedLoad: an organisation left without systems
// (a load cut short) is completed, reusing its workplaces.
func TestLoadFinishesAnInterruptedLoad(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	org := &vigie.Organisation{Name: OrgName, Kind: vigie.OrgSection}
	if err := db.CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateWorkplace(ctx, &vigie.Workplace{OrgID: org.ID, Name: workplaces["01"][0]}); err != nil {
		t.Fatal(err)
	}
	got, err := Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	_, n, _ := db.FindSystems(ctx, vigie.SystemFilter{OrgID: org.ID})
	ws, _ := db.FindWorkplaces(ctx, org.ID)
	if got.ID != org.ID || n != 8 || len(ws) != 8 {
		t.Fatalf("%d systems, %d workplaces", n, len(ws))
	}
}
