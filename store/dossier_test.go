package store_test

import (
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

// TestExhibitNumbers: numbers are given once, in the order asked, after
// the largest; they never change; an outsider sees none.
func TestExhibitNumbers(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		ed, rd := fx.as(fx.editor), fx.as(fx.reader)
		r := &vigie.SystemRecord{OrgID: fx.org.ID, System: loadCase(t, "01-centre-appels-analyse-vocale.yaml")}
		must(t, db.CreateSystem(ed, r))
		got, err := db.KeepExhibitNumbers(rd, r.ID, []string{"document:b", "document:a"})
		must(t, err)
		if got["document:b"] != 1 || got["document:a"] != 2 {
			t.Fatalf("first numbers %v", got)
		}
		got, err = db.KeepExhibitNumbers(ed, r.ID, []string{"document:c", "document:a", ""})
		must(t, err)
		if got["document:b"] != 1 || got["document:a"] != 2 || got["document:c"] != 3 || len(got) != 3 {
			t.Fatalf("numbers after adding c: %v", got)
		}
		again, err := db.ExhibitNumbers(rd, r.ID)
		must(t, err)
		if len(again) != 3 || again["document:c"] != 3 {
			t.Errorf("read back %v", again)
		}
		must(t, db.RecordDossier(rd, r.ID, "pdf cse 2026-12-03 sha256 00"))
		_, err = db.ExhibitNumbers(fx.as(fx.outside), r.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		_, err = db.KeepExhibitNumbers(fx.as(fx.outside), r.ID, []string{"x"})
		wantCode(t, err, vigie.ENOTFOUND)
	})
}
