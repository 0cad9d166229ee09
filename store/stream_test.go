package store_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

// TestEachSystem walks more than two batches, with names that repeat
// across a batch's end, in the order of FindSystems, and never another
// organisation's systems.
func TestEachSystem(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		ed := fx.as(fx.editor)
		base := loadCase(t, caseFiles(t)[0])
		var rs []*vigie.SystemRecord
		for i := 0; i < 450; i++ {
			s := base
			s.Name = fmt.Sprintf("Système %03d", i/3) // three of each name
			rs = append(rs, &vigie.SystemRecord{System: s})
		}
		must(t, db.ImportSystems(ed, fx.org.ID, rs))
		must(t, db.ImportSystems(fx.as(fx.outside), fx.other.ID, []*vigie.SystemRecord{{System: base}}))

		rd := fx.as(fx.reader)
		want, _, err := db.FindSystems(rd, vigie.SystemFilter{OrgID: fx.org.ID})
		must(t, err)
		var got []string
		must(t, db.EachSystem(rd, vigie.SystemFilter{OrgID: fx.org.ID}, func(r *vigie.SystemRecord) error {
			if r.OrgID != fx.org.ID {
				t.Fatalf("system of organisation %s", r.OrgID)
			}
			got = append(got, r.ID)
			return nil
		}))
		if len(got) != len(want) || len(got) != 450 {
			t.Fatalf("%d systems walked, FindSystems has %d", len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i].ID {
				t.Fatalf("system %d: %s, FindSystems has %s", i, got[i], want[i].ID)
			}
		}
		stop := errors.New("stop")
		n := 0
		err = db.EachSystem(rd, vigie.SystemFilter{OrgID: fx.org.ID}, func(*vigie.SystemRecord) error {
			n++
			if n == 10 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 10 {
			t.Errorf("stopping: %v after %d", err, n)
		}
		wantCode(t, db.EachSystem(fx.as(fx.outside), vigie.SystemFilter{OrgID: fx.org.ID}, func(*vigie.SystemRecord) error { return nil }), vigie.ENOTFOUND)
	})
}
