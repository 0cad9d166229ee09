package store_test

import (
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

// TestFindBoardActions: the actions that are not drafts, each with its
// system's name and employer, and nothing of another organisation.
func TestFindBoardActions(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		ed := fx.as(fx.editor)
		s := loadCase(t, caseFiles(t)[3])
		rec := &vigie.SystemRecord{OrgID: fx.org.ID, System: s}
		must(t, db.CreateSystem(ed, rec))
		sent, _ := vigie.ParseDate("2026-10-01")
		var ids []string
		for _, st := range []string{vigie.ActionSent, vigie.ActionDraft, vigie.ActionClosed} {
			a := &vigie.Action{OrgID: fx.org.ID, SystemID: rec.ID, Letter: "dpia-request", Procedure: "gdpr-request", State: st, Title: "Demande", Body: "Le corps de la lettre"}
			if st != vigie.ActionDraft {
				a.SentOn = sent
			}
			must(t, db.CreateAction(ed, a))
			ids = append(ids, a.ID)
		}
		got, err := db.FindBoardActions(fx.as(fx.reader), fx.org.ID)
		must(t, err)
		if len(got) != 2 || got[0].Action.ID != ids[0] || got[1].Action.ID != ids[2] {
			t.Fatalf("%d actions: %+v", len(got), got)
		}
		for _, b := range got {
			if b.SystemName != s.Name || b.Employer.Kind != s.Organisation.Kind || b.Employer.PublicServiceMission != s.Organisation.PublicServiceMission {
				t.Errorf("system %q, employer %+v; want %q, %+v", b.SystemName, b.Employer, s.Name, s.Organisation)
			}
			if b.Action.Body != "" || b.Action.SentOn != sent {
				t.Errorf("action %+v", b.Action)
			}
		}
		if s.Organisation.Kind == "" {
			t.Error("the case has no employer kind: the test proves little")
		}
		wantCode(t, func() error { _, err := db.FindBoardActions(fx.as(fx.outside), fx.org.ID); return err }(), vigie.ENOTFOUND)
	})
}
