package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

func newSystem(t *testing.T, db *store.DB, fx *fixture) *vigie.SystemRecord {
	t.Helper()
	r := &vigie.SystemRecord{OrgID: fx.org.ID, System: loadCase(t, "01-centre-appels-analyse-vocale.yaml")}
	must(t, db.CreateSystem(fx.as(fx.editor), r))
	return r
}

func TestReports(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		sys := newSystem(t, db, fx)
		rep := &vigie.Report{SystemID: sys.ID, Kind: vigie.ReportAudit, Title: "scores", Summary: "2 disparités",
			InputName: "scores.csv", InputSHA256: strings.Repeat("ab", 32), InputRows: 7214,
			Config: json.RawMessage(`{"group":["sexe"]}`), Result: json.RawMessage(`{"schema":"vigie/audit/v1"}`)}

		wantCode(t, db.CreateReport(fx.as(fx.reader), rep, nil), vigie.EFORBIDDEN)
		wantCode(t, db.CreateReport(fx.as(fx.outside), rep, nil), vigie.ENOTFOUND)
		bad := *rep
		bad.Result = json.RawMessage(`{broken`)
		wantCode(t, db.CreateReport(fx.as(fx.editor), &bad, nil), vigie.EINVALID)
		bad = *rep
		bad.Kind = "horoscope"
		wantCode(t, db.CreateReport(fx.as(fx.editor), &bad, nil), vigie.EINVALID)

		must(t, db.CreateReport(fx.as(fx.editor), rep, []byte("sexe,score\nF,1\n")))
		if rep.ID == "" || rep.OrgID != fx.org.ID || rep.SystemVersion != sys.Version || !rep.HasContent {
			t.Fatalf("report not filled: %+v", rep)
		}
		fp := &vigie.Report{SystemID: sys.ID, Kind: vigie.ReportFootprint, Result: json.RawMessage(`{"method":"x"}`), AsOf: vigie.MustDate("2026-11-26")}
		must(t, db.CreateReport(fx.as(fx.editor), fp, nil))

		all, err := db.FindReports(fx.as(fx.reader), sys.ID, "")
		must(t, err)
		if len(all) != 2 || all[0].ID != fp.ID {
			t.Fatalf("want 2 reports newest first, got %d", len(all))
		}
		audits, err := db.FindReports(fx.as(fx.reader), sys.ID, vigie.ReportAudit)
		must(t, err)
		if len(audits) != 1 || audits[0].InputRows != 7214 || string(audits[0].Config) != `{"group":["sexe"]}` || audits[0].Summary != "2 disparités" {
			t.Fatalf("audit report read back wrong: %+v", audits)
		}
		got, err := db.FindReportByID(fx.as(fx.reader), fp.ID)
		must(t, err)
		if got.AsOf.String() != "2026-11-26" || got.HasContent {
			t.Errorf("footprint read back: %+v", got)
		}
		content, err := db.ReportContent(fx.as(fx.reader), rep.ID)
		must(t, err)
		if string(content) != "sexe,score\nF,1\n" {
			t.Errorf("content %q", content)
		}
		_, err = db.ReportContent(fx.as(fx.reader), fp.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		_, err = db.FindReportByID(fx.as(fx.outside), rep.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		_, err = db.FindReports(fx.as(fx.outside), sys.ID, "")
		wantCode(t, err, vigie.ENOTFOUND)
	})
}

func TestActions(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		sys := newSystem(t, db, fx)
		a := &vigie.Action{SystemID: sys.ID, Letter: "cse-consultation", Rules: []string{"CT-NT"}, Procedure: "cse-consultation",
			State: vigie.ActionDraft, Title: "Demande de consultation", Body: "Madame, Monsieur…"}
		wantCode(t, db.CreateAction(fx.as(fx.reader), a), vigie.EFORBIDDEN)
		wantCode(t, db.CreateAction(fx.as(fx.outside), a), vigie.ENOTFOUND)
		sent := *a
		sent.State = vigie.ActionSent
		wantCode(t, db.CreateAction(fx.as(fx.editor), &sent), vigie.EINVALID) // sent without a date
		must(t, db.CreateAction(fx.as(fx.editor), a))

		a.State = vigie.ActionSent
		a.SentOn = vigie.MustDate("2026-11-26")
		a.Addressee = "Direction des ressources humaines"
		a.Options.Expert = true
		must(t, db.UpdateAction(fx.as(fx.editor), a))
		a.AnsweredOn = vigie.MustDate("2026-11-01")
		wantCode(t, db.UpdateAction(fx.as(fx.editor), a), vigie.EINVALID) // answer before sending
		a.AnsweredOn = vigie.Date{}
		bogus := *a
		bogus.State = "lost"
		wantCode(t, db.UpdateAction(fx.as(fx.editor), &bogus), vigie.EINVALID)
		wantCode(t, db.UpdateAction(fx.as(fx.outside), a), vigie.ENOTFOUND)

		next := &vigie.Action{SystemID: sys.ID, Letter: "cse-expert", State: vigie.ActionDraft, ParentID: a.ID}
		must(t, db.CreateAction(fx.as(fx.editor), next))

		got, err := db.FindActionByID(fx.as(fx.reader), a.ID)
		must(t, err)
		if got.State != vigie.ActionSent || got.SentOn.String() != "2026-11-26" || !got.Options.Expert || got.Rules[0] != "CT-NT" || got.Body != "Madame, Monsieur…" {
			t.Fatalf("action read back: %+v", got)
		}
		list, err := db.FindActions(fx.as(fx.reader), vigie.ActionFilter{OrgID: fx.org.ID, States: []string{vigie.ActionSent}})
		must(t, err)
		if len(list) != 1 || list[0].ID != a.ID {
			t.Fatalf("sent actions: %d", len(list))
		}
		list, err = db.FindActions(fx.as(fx.reader), vigie.ActionFilter{OrgID: fx.org.ID, SystemID: sys.ID})
		must(t, err)
		if len(list) != 2 || list[1].ParentID != a.ID {
			t.Fatalf("system actions: %+v", list)
		}
		_, err = db.FindActions(fx.as(fx.outside), vigie.ActionFilter{OrgID: fx.org.ID})
		wantCode(t, err, vigie.ENOTFOUND)
		events, err := db.FindEvents(fx.as(fx.reader), fx.org.ID, 100)
		must(t, err)
		n := 0
		for _, e := range events {
			if strings.HasPrefix(e.Kind, "action.") {
				n++
			}
		}
		if n != 3 {
			t.Errorf("want 3 action events, got %d", n)
		}
	})
}

func TestCalendarTokens(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		ctx := context.Background()
		_, err := db.CreateCalendarToken(fx.as(fx.reader), fx.org.ID)
		wantCode(t, err, vigie.EFORBIDDEN)
		tok, err := db.CreateCalendarToken(fx.as(fx.editor), fx.org.ID)
		must(t, err)
		org, err := db.OrgForCalendarToken(ctx, tok)
		must(t, err)
		if org != fx.org.ID {
			t.Fatalf("token for %s, want %s", org, fx.org.ID)
		}
		has, err := db.HasCalendarToken(fx.as(fx.reader), fx.org.ID)
		must(t, err)
		if !has {
			t.Error("token not seen")
		}
		_, err = db.OrgForCalendarToken(ctx, tok+"x")
		wantCode(t, err, vigie.ENOTFOUND)
		tok2, err := db.CreateCalendarToken(fx.as(fx.admin), fx.org.ID)
		must(t, err)
		_, err = db.OrgForCalendarToken(ctx, tok)
		wantCode(t, err, vigie.ENOTFOUND) // replaced
		must(t, db.RevokeCalendarToken(fx.as(fx.editor), fx.org.ID))
		_, err = db.OrgForCalendarToken(ctx, tok2)
		wantCode(t, err, vigie.ENOTFOUND) // revoked
		wantCode(t, db.RevokeCalendarToken(fx.as(fx.outside), fx.org.ID), vigie.ENOTFOUND)
	})
}
