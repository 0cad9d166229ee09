package store_test

import (
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

func TestSharingLevel(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		ctx := fx.as(fx.editor)
		def := &vigie.SystemRecord{OrgID: fx.org.ID, System: vigie.System{Name: "Par défaut"}}
		must(t, db.CreateSystem(ctx, def))
		if got, _ := db.FindSystemByID(ctx, def.ID); got.Sharing != vigie.SharingSection {
			t.Fatalf("default sharing = %q", got.Sharing)
		}
		fed := &vigie.SystemRecord{OrgID: fx.org.ID, Sharing: vigie.SharingFederation, System: vigie.System{Name: "Partagé"}}
		must(t, db.CreateSystem(ctx, fed))
		bad := &vigie.SystemRecord{OrgID: fx.org.ID, Sharing: "everyone", System: vigie.System{Name: "Mauvais"}}
		wantCode(t, db.CreateSystem(ctx, bad), vigie.EINVALID)

		// An update that does not name the level keeps it.
		cur, err := db.FindSystemByID(ctx, fed.ID)
		must(t, err)
		cur.Sharing = ""
		cur.System.Vendor = "Éditeur"
		must(t, db.UpdateSystem(ctx, cur))
		if got, _ := db.FindSystemByID(ctx, fed.ID); got.Sharing != vigie.SharingFederation {
			t.Fatalf("sharing after an update without it = %q", got.Sharing)
		}
		// Lowering it is a change of its own, in the history.
		cur, _ = db.FindSystemByID(ctx, fed.ID)
		cur.Sharing = vigie.SharingSection
		must(t, db.UpdateSystem(ctx, cur))
		got, _ := db.FindSystemByID(ctx, fed.ID)
		if got.Sharing != vigie.SharingSection || got.Version != cur.Version {
			t.Fatalf("after lowering: sharing %q version %d (want section, %d)", got.Sharing, got.Version, cur.Version)
		}
		hist, err := db.SystemHistory(ctx, fed.ID)
		must(t, err)
		if last := hist[len(hist)-1]; last.Fact != "sharing" || last.Old != "federation" || last.New != "section" {
			t.Errorf("history: %+v", last)
		}
		got.Sharing = "all"
		wantCode(t, db.UpdateSystem(ctx, got), vigie.EINVALID)

		// The register lists the level.
		rs, _, err := db.FindSystems(ctx, vigie.SystemFilter{OrgID: fx.org.ID})
		must(t, err)
		for _, r := range rs {
			if r.Sharing == "" {
				t.Errorf("%s: no sharing in the register", r.System.Name)
			}
		}
		// An import sets the level of every file.
		imp := []*vigie.SystemRecord{{Sharing: vigie.SharingPublic, System: vigie.System{Name: "Importé"}}}
		must(t, db.ImportSystems(ctx, fx.org.ID, imp))
		if got, _ := db.FindSystemByID(ctx, imp[0].ID); got.Sharing != vigie.SharingPublic {
			t.Errorf("imported sharing = %q", got.Sharing)
		}
		wantCode(t, db.ImportSystems(ctx, fx.org.ID, []*vigie.SystemRecord{{Sharing: "x", System: vigie.System{Name: "Non"}}}), vigie.EINVALID)
	})
}
