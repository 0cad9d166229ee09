package main

import (
	"context"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

func TestImportShare(t *testing.T) {
	path := stNewDB(t)
	cases := stCases(t)
	code, _, errs := stRun(t, "", "import", "--db", path, "--org", "Section A", "--share", "everyone", cases[0])
	if code != 2 || !strings.Contains(errs, "--share") {
		t.Fatalf("bad --share: exit %d, %s", code, errs)
	}
	stMust(t, "", "import", "--db", path, "--org", "Section A", "--share", "federation", cases[0], cases[1])
	stMust(t, "", "import", "--db", path, "--org", "Section A", cases[2])
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o, err := stOrg(context.Background(), db, "Section A")
	if err != nil {
		t.Fatal(err)
	}
	rs, _, err := db.FindSystems(context.Background(), vigie.SystemFilter{OrgID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, r := range rs {
		n[r.Sharing]++
	}
	if n["federation"] != 2 || n["section"] != 1 || len(rs) != 3 {
		t.Errorf("sharing after import: %v", n)
	}
}
