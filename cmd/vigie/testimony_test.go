package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/testimony"
)

// tmUnratedCase writes reference case 03 with the work section left unknown,
// so that the workers' answers are the only rating.
func tmUnratedCase(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "cases", "03-poste-planification-bureaux.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	i := strings.Index(s, "\nwork:\n")
	j := strings.Index(s[i+1:], "\n\n")
	s = s[:i+1] + s[i+1+j+2:]
	path := filepath.Join(t.TempDir(), "03-sans-avis.yaml")
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTestimonyCommands(t *testing.T) {
	at := time.Date(2026, 3, 17, 14, 23, 51, 0, time.UTC)
	testimonyNow = func() time.Time { return at }
	t.Cleanup(func() { testimonyNow = time.Now })
	db := stNewDB(t)
	sysFile := tmUnratedCase(t)
	stMust(t, "", "import", "--db", db, "--org", "Section A", sysFile)
	sysID := stSystems(t, db, "Section A")[0].ID
	key := filepath.Join(t.TempDir(), "cle.txt")

	out := stMust(t, "", "testimony", "campaign", "--db", db, "--org", "Section A", "--system", sysID, "--title", "Planification",
		"--codes", "25", "--identity-out", key, "--opens", "2026-03-02", "--closes", "2026-03-29", "--format", "json")
	var camp map[string]any
	if err := json.Unmarshal([]byte(out), &camp); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	keys := []string{}
	for k := range camp {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"codes", "id", "min_group", "path", "recipient"}) {
		t.Fatalf("campaign JSON keys %v", keys)
	}
	path, _ := camp["path"].(string)
	if !regexp.MustCompile(`^/t/[A-Za-z0-9_-]{43}$`).MatchString(path) || camp["min_group"] != 5.0 ||
		!strings.HasPrefix(camp["recipient"].(string), "age1") || len(camp["codes"].([]any)) != 25 {
		t.Fatalf("campaign %s", out)
	}
	id := camp["id"].(string)
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	keyRaw, _ := os.ReadFile(key)
	if !strings.Contains(string(keyRaw), "AGE-SECRET-KEY-1") {
		t.Fatal("no secret key written")
	}
	// The key file is never overwritten.
	code, _, errs := stRun(t, "", "testimony", "campaign", "--db", db, "--org", "Section A", "--title", "Autre", "--identity-out", key)
	if code != 2 || !strings.Contains(errs, "--identity-out") {
		t.Fatalf("existing key file: %d %s", code, errs)
	}

	// Below k: responses is null, every count null.
	codes := camp["codes"].([]any)
	submitN := func(n int, val, text string) {
		t.Helper()
		st, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		for range n {
			s := &vigie.TestimonySubmission{Answer: vigie.TestimonyAnswer{Values: map[string]string{"surveillance_felt": val}},
				Week: testimony.Week(at), Text: text}
			s.Code, codes = codes[0].(string), codes[1:]
			if err := st.Submit(context.Background(), strings.TrimPrefix(path, "/t/"), s, vigie.DateInFrance(at)); err != nil {
				t.Fatal(err)
			}
		}
	}
	submitN(3, "3", "")
	res := stMust(t, "", "testimony", "results", "--db", db, "--org", "Section A", "--campaign", id, "--format", "json")
	if !strings.Contains(res, `"responses": null`) || strings.Contains(res, `"count": 3`) {
		t.Fatalf("results below k:\n%s", res)
	}
	code, _, errs = stRun(t, "", "testimony", "read", "--db", db, "--org", "Section A", "--campaign", id, "--identity", key)
	if code == 0 || !strings.Contains(errs, "5 réponses") {
		t.Fatalf("read below k: %d %s", code, errs)
	}

	submitN(11, "3", "")
	submitN(1, "3", "la cadence est intenable")
	submitN(7, "0", "")
	submitN(1, "1", "on nous observe")
	res = stMust(t, "", "testimony", "results", "--db", db, "--org", "Section A", "--campaign", id, "--format", "json")
	var r map[string]any
	if err := json.Unmarshal([]byte(res), &r); err != nil {
		t.Fatal(err)
	}
	if r["schema"] != "vigie/testimony-results/v1" || r["campaign"] != id || r["min_group"] != 5.0 || r["responses"] != 23.0 {
		t.Fatalf("results header:\n%s", res)
	}
	if _, ok := r["closed_on"]; ok {
		t.Fatal("an open campaign has no closing day in its results")
	}
	var sv map[string]any
	for _, q := range r["questions"].([]any) {
		if q.(map[string]any)["id"] == "surveillance_felt" {
			sv = q.(map[string]any)
		}
	}
	got := map[string]any{}
	for _, c := range sv["cells"].([]any) {
		cell := c.(map[string]any)
		got[cell["answer"].(string)] = cell["count"]
	}
	want := map[string]any{"0": nil, "1": nil, "2": 0.0, "3": 15.0, "na": 0.0}
	if len(got) != len(want) {
		t.Fatalf("cells %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("surveillance_felt cells %v, want %v", got, want)
		}
	}
	if sv["text"] == "" || !strings.Contains(res, `"count": null`) || strings.Contains(res, "intenable") {
		t.Fatalf("results:\n%s", res)
	}
	text := stMust(t, "", "testimony", "results", "--db", db, "--org", "Section A", "--campaign", id)
	if !strings.Contains(text, "23 réponses") || !strings.Contains(text, "masqué") || !strings.Contains(text, "En permanence") {
		t.Fatalf("text results:\n%s", text)
	}

	read := stMust(t, "", "testimony", "read", "--db", db, "--org", "Section A", "--campaign", id, "--identity", key)
	lines := strings.Split(strings.TrimSpace(read), "\n")
	slices.Sort(lines)
	if !slices.Equal(lines, []string{"---", "la cadence est intenable", "on nous observe"}) {
		t.Fatalf("read:\n%s", read)
	}
	other := filepath.Join(t.TempDir(), "autre.txt")
	stMust(t, "", "testimony", "campaign", "--db", db, "--org", "Section A", "--title", "Autre", "--identity-out", other)
	code, _, errs = stRun(t, "", "testimony", "read", "--db", db, "--org", "Section A", "--campaign", id, "--identity", other)
	if code != 2 || !strings.Contains(errs, "--identity") {
		t.Fatalf("read with another key: %d %s", code, errs)
	}
	code, _, errs = stRun(t, "", "testimony", "results", "--db", db, "--org", "Section B", "--campaign", id)
	if code != 2 || !strings.Contains(errs, "--campaign") {
		t.Fatalf("another organisation: %d %s", code, errs)
	}

	// Closed: the results carry the weeks and the closing day, and become
	// evidence for the assessment.
	stMust(t, "", "testimony", "close", "--db", db, "--org", "Section A", "--campaign", id, "--date", "2026-03-17")
	res = stMust(t, "", "testimony", "results", "--db", db, "--org", "Section A", "--campaign", id, "--format", "json")
	if !strings.Contains(res, `"closed_on": "2026-03-17"`) || !strings.Contains(res, `"first_week": "2026-W12"`) {
		t.Fatalf("closed results:\n%s", res)
	}
	resFile := filepath.Join(t.TempDir(), "resultats.json")
	os.WriteFile(resFile, []byte(res), 0o600)
	risk := func(args ...string) map[string]any {
		t.Helper()
		out := stMust(t, "", append([]string{"assess", sysFile, "--date", "2026-03-21", "--format", "json"}, args...)...)
		var a struct {
			Risks []map[string]any `json:"risks"`
		}
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatal(err)
		}
		for _, r := range a.Risks {
			if r["dimension"] == "surveillance" {
				return r
			}
		}
		t.Fatal("no surveillance risk")
		return nil
	}
	before, after := risk(), risk("--testimony", resFile)
	if before["complete"] != false || after["severity"].(float64) < 3 || after["complete"] != true {
		t.Fatalf("surveillance before %v, after %v", before, after)
	}
	code, _, errs = stRun(t, "", "assess", sysFile, "--testimony", sysFile)
	if code != 2 || !strings.Contains(errs, "--testimony") {
		t.Fatalf("bad --testimony: %d %s", code, errs)
	}
}
