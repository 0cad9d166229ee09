package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const case01 = "../../assess/testdata/cases/01-centre-appels-analyse-vocale.yaml"

func runAssess(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"assess"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAssessJSON(t *testing.T) {
	code, out, errs := runAssess(t, case01, "--date", "2026-11-26", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var a struct {
		Schema string `json:"schema"`
		Date   string `json:"date"`
		System string `json:"system"`
		AIAct  struct {
			Tier    string `json:"tier"`
			Grounds []struct {
				Article     string `json:"article"`
				Rule        string `json:"rule"`
				Text        string `json:"text"`
				AppliesFrom string `json:"applies_from"`
				InForce     *bool  `json:"in_force"`
				Confidence  string `json:"confidence"`
			} `json:"grounds"`
			AnnexIII []string `json:"annex_iii"`
		} `json:"ai_act"`
		Obligations []struct {
			ID          string   `json:"id"`
			Basis       string   `json:"basis"`
			Binds       string   `json:"binds"`
			Status      string   `json:"status"`
			AppliesFrom string   `json:"applies_from"`
			Confidence  string   `json:"confidence"`
			Because     []string `json:"because"`
			Demand      string   `json:"demand"`
			Sources     []string `json:"sources"`
		} `json:"obligations"`
		Unknowns []struct {
			Fact     string   `json:"fact"`
			Question string   `json:"question"`
			Affects  []string `json:"affects"`
		} `json:"unknowns"`
		Risks []struct {
			Dimension string   `json:"dimension"`
			Severity  int      `json:"severity"`
			Frequency int      `json:"frequency"`
			Priority  string   `json:"priority"`
			Evidence  []string `json:"evidence"`
		} `json:"risks"`
		DUERP []struct {
			Unit             string `json:"unit"`
			Hazard           string `json:"hazard"`
			Risk             string `json:"risk"`
			Severity         int    `json:"severity"`
			Frequency        int    `json:"frequency"`
			Priority         string `json:"priority"`
			ExistingMeasures string `json:"existing_measures"`
			ProposedMeasures string `json:"proposed_measures"`
		} `json:"duerp"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.Schema != "vigie/assessment/v1" || a.Date != "2026-11-26" || a.System == "" {
		t.Errorf("header: %s %s %q", a.Schema, a.Date, a.System)
	}
	if a.AIAct.Tier != "prohibited" || len(a.AIAct.AnnexIII) != 1 || a.AIAct.AnnexIII[0] != "4(b)" {
		t.Errorf("ai_act: %+v", a.AIAct)
	}
	found := false
	for _, g := range a.AIAct.Grounds {
		if g.Article == "5(1)(f)" && g.Rule == "AIA-5f" && g.InForce != nil && *g.InForce && g.AppliesFrom == "2025-02-02" && g.Confidence == "verified" && g.Text != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("no 5(1)(f) ground in %+v", a.AIAct.Grounds)
	}
	var ctnt bool
	for _, o := range a.Obligations {
		if o.ID == "CT-NT" {
			ctnt = o.Status == "unmet" && o.Binds == "employer" && strings.Contains(o.Basis, "L2312-8") &&
				len(o.Because) > 0 && o.Because[0] == "deployment.staff_body_consulted" && o.Demand != "" && len(o.Sources) > 0 &&
				o.Confidence == "verified"
		}
	}
	if !ctnt {
		t.Errorf("CT-NT not unmet with its basis, because, demand and sources: %s", out[:200])
	}
	if len(a.Risks) != 11 || len(a.DUERP) == 0 {
		t.Errorf("%d risks, %d DUERP lines", len(a.Risks), len(a.DUERP))
	}
	for _, r := range a.Risks {
		if r.Dimension == "surveillance" && (r.Priority != "high" || len(r.Evidence) == 0) {
			t.Errorf("surveillance: %+v", r)
		}
	}
	// Same input, same bytes.
	_, out2, _ := runAssess(t, case01, "--date", "2026-11-26", "--format", "json")
	if out != out2 {
		t.Error("two runs differ")
	}
}

func TestAssessTextAndHTML(t *testing.T) {
	code, out, errs := runAssess(t, case01, "--date", "2026-11-26")
	if code != 0 || !strings.Contains(out, "INTERDIT") || !strings.Contains(out, "5(1)(f)") || !strings.Contains(out, "⚠") {
		t.Errorf("text: exit %d %s\n%s", code, errs, out)
	}
	code, out, _ = runAssess(t, case01, "--date", "2026-11-26", "--lang", "en")
	if code != 0 || !strings.Contains(out, "PROHIBITED") || !strings.Contains(out, "WHAT THE EMPLOYER OWED") {
		t.Errorf("text en: exit %d\n%s", code, out)
	}
	code, out, _ = runAssess(t, case01, "--date", "2026-11-26", "--format", "html")
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, `class="warn"`) || strings.Contains(out, "<script") || strings.Contains(out, "<link") {
		t.Errorf("html: exit %d", code)
	}
}

// The default date is today, read from the command's clock.
func TestAssessDefaultDate(t *testing.T) {
	old := assessNow
	assessNow = func() time.Time { return time.Date(2027, 12, 2, 10, 0, 0, 0, time.UTC) }
	defer func() { assessNow = old }()
	code, out, _ := runAssess(t, case01, "--format", "json")
	if code != 0 || !strings.Contains(out, `"date": "2027-12-02"`) {
		t.Errorf("exit %d, %.200s", code, out)
	}
}

func TestAssessBadInput(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile(case01)
	if err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(dir, "typo.yaml")
	os.WriteFile(typo, bytes.Replace(raw, []byte("  emotion_recognition: true"), []byte("  emotion_recognitoin: true"), 1), 0o644)
	enum := filepath.Join(dir, "enum.yaml")
	os.WriteFile(enum, bytes.Replace(raw, []byte("kind: private"), []byte("kind: privee"), 1), 0o644)
	date := filepath.Join(dir, "date.yaml")
	os.WriteFile(date, bytes.Replace(raw, []byte("since: 2026-03-02"), []byte("since: 2026-02-30"), 1), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{typo}, "capabilities.emotion_recognitoin: unknown field"},
		{[]string{enum}, "organisation.kind"},
		{[]string{date}, "deployment.since"},
		{[]string{filepath.Join(dir, "absent.yaml")}, "absent.yaml"},
		{[]string{case01, "--date", "2026-13-01"}, "--date"},
		{[]string{case01, "--date", "demain"}, "--date"},
		{[]string{case01, "--format", "pdf"}, "--format"},
		{[]string{case01, "--lang", "de"}, "--lang"},
		{[]string{}, "arg"},
	}
	for _, c := range cases {
		code, out, errs := runAssess(t, c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", c.args, code, errs)
		}
		if !strings.Contains(errs, c.want) {
			t.Errorf("%v: message %q does not name %q", c.args, errs, c.want)
		}
		if out != "" || strings.Contains(errs, "goroutine") {
			t.Errorf("%v: stdout %q / stack trace", c.args, out)
		}
	}
}
