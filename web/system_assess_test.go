package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
)

// TestSystemFormKeepsAssessment: a change of facts through the system form,
// not only through the questionnaire, keeps the assessment of the new
// version, so that the history has one per version.
func TestSystemFormKeepsAssessment(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	o := e.org(admin, "Section A")
	rec := e.system(o, "Planificateur")
	c := e.login("admin@example.org")
	ctx := vigie.NewContextWithUser(context.Background(), admin)

	form := url.Values{"name": {"Planificateur des tournées"}, "version": {strconv.Itoa(rec.Version)}}
	r := e.post("/o/"+o.ID+"/systems/"+rec.ID, c, form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	now, err := e.db.FindSystemByID(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if now.Version != rec.Version+1 {
		t.Fatalf("version %d, want %d", now.Version, rec.Version+1)
	}
	reps, err := e.db.FindReports(ctx, rec.ID, vigie.ReportAssessment)
	if err != nil {
		t.Fatal(err)
	}
	// The new version's assessment, and the one of the version it
	// replaced (never kept before: opening a page keeps nothing), so that
	// the history says what the change did.
	slices.SortFunc(reps, func(a, b *vigie.Report) int { return b.SystemVersion - a.SystemVersion })
	if len(reps) != 2 || reps[0].SystemVersion != now.Version || reps[1].SystemVersion != rec.Version {
		t.Fatalf("want the assessments of versions %d and %d, got %d", now.Version, rec.Version, len(reps))
	}
	var got struct {
		Schema string `json:"schema"`
		System string `json:"system"`
	}
	if err := json.Unmarshal(reps[0].Result, &got); err != nil || got.Schema != "vigie/assessment/v1" || got.System != "Planificateur des tournées" {
		t.Errorf("kept assessment: %+v %v", got, err)
	}

	// The same facts again: no new version, no new assessment.
	form.Set("version", strconv.Itoa(now.Version))
	if r := e.post("/o/"+o.ID+"/systems/"+rec.ID, c, form); r.status != http.StatusSeeOther {
		t.Fatalf("second update: %d", r.status)
	}
	reps, _ = e.db.FindReports(ctx, rec.ID, vigie.ReportAssessment)
	if len(reps) != 2 {
		t.Errorf("an unchanged save kept %d assessments", len(reps)-1)
	}
}

// TestRegisterExportTier: the register exported from the web app carries
// the AI Act tier of each system, as the command line's export does (both
// build their rows with ats.Records).
func TestRegisterExportTier(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	o := e.org(admin, "Section A")
	rec := e.system(o, "Analyse vocale")
	rec.System.Capabilities.EmotionRecognition = vigie.TriTrue
	rec.System.Decisions.Subjects = vigie.SetOf("workers")
	rec.System.Capabilities.MedicalOrSafetyPurpose = vigie.TriFalse
	ctx := vigie.NewContextWithUser(context.Background(), admin)
	if err := e.db.UpdateSystem(ctx, rec); err != nil {
		t.Fatal(err)
	}
	want := assess.Evaluate(&rec.System, vigie.MustDate("2026-11-26")).AIAct.Tier
	r := e.get("/o/"+o.ID+"/export.json", e.login("admin@example.org"))
	if r.status != http.StatusOK {
		t.Fatalf("export: %d", r.status)
	}
	var rows []map[string]string
	if err := json.Unmarshal([]byte(r.body), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0]["vigie_ai_act_tier"] != want || want != assess.TierProhibited || rows[0]["risk_category"] == "" {
		t.Errorf("tier %q (want %q), risk_category %q", rows[0]["vigie_ai_act_tier"], want, rows[0]["risk_category"])
	}
}
