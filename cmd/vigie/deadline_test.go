package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func runDeadline(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"deadline"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

type deadlineStepJSON struct {
	Step, Due, Basis, Note, Kind, Confidence string
	Warnings                                 []string
	WarningCodes                             []string `json:"warning_codes"`
}

func TestDeadlineJSONContract(t *testing.T) {
	code, out, stderr := runDeadline(t, "--procedure", "cse-consultation", "--from", "2026-01-31", "--expert", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// The contract: a list of {step, due, basis, note}.
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("not a JSON list: %v\n%s", err, out)
	}
	for _, s := range raw {
		for _, k := range []string{"step", "due", "basis", "note"} {
			if _, ok := s[k].(string); !ok {
				t.Errorf("step %v: field %q missing or not a string", s["step"], k)
			}
		}
	}
	var steps []deadlineStepJSON
	if err := json.Unmarshal([]byte(out), &steps); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range steps {
		if s.Step == "negative-opinion-deemed" {
			found = true
			if s.Due != "2026-03-31" || !strings.Contains(s.Basis, "R2312-6") || s.Confidence != "verified" {
				t.Errorf("opinion step: %+v", s)
			}
		}
	}
	if !found {
		t.Errorf("no negative-opinion-deemed step in %s", out)
	}
}

func TestDeadlineWeekendWarningJSON(t *testing.T) {
	code, out, _ := runDeadline(t, "--procedure", "gdpr-request", "--from", "2026-01-31", "--format", "json", "--lang", "en")
	if code != 0 {
		t.Fatal(out)
	}
	var steps []deadlineStepJSON
	if err := json.Unmarshal([]byte(out), &steps); err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if s.Step != "answer-due" {
			continue
		}
		if s.Due != "2026-02-28" || len(s.WarningCodes) != 1 || s.WarningCodes[0] != "non-working-day" || !strings.Contains(s.Warnings[0], "Saturday") {
			t.Errorf("answer-due: %+v", s)
		}
		return
	}
	t.Error("answer-due missing")
}

func TestDeadlineText(t *testing.T) {
	code, out, _ := runDeadline(t, "--procedure", "cada-request", "--from", "2026-03-16")
	if code != 0 {
		t.Fatal(out)
	}
	for _, want := range []string{"Point de départ : 2026-03-16", "2026-04-16", "Fondement : CRPA R311-12, R311-13 (vérifié)", "Saisir la CADA", "⚠"} {
		if !strings.Contains(out, want) {
			t.Errorf("French text lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runDeadline(t, "--procedure", "PROC-C", "--from", "2026-03-16", "--lang", "en", "--at", "cada-registered=2026-05-20")
	if code != 0 {
		t.Fatal(out)
	}
	for _, want := range []string{"Starting point: 2026-03-16", "Refer to the CADA", "2026-06-20", "Basis: CRPA R343-3 (secondary)"} {
		if !strings.Contains(out, want) {
			t.Errorf("English text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Fondement") {
		t.Error("French label in English output")
	}
}

func TestDeadlineBadInput(t *testing.T) {
	cases := []struct {
		args []string
		flag string
	}{
		{[]string{"--procedure", "nope", "--from", "2026-01-01"}, "--procedure"},
		{[]string{"--from", "2026-01-01"}, "--procedure"},
		{[]string{"--procedure", "gdpr-request", "--from", "2026-02-30"}, "--from"},
		{[]string{"--procedure", "gdpr-request"}, "--from"},
		{[]string{"--procedure", "gdpr-request", "--from", "2026-01-01", "--expert"}, "--expert"},
		{[]string{"--procedure", "gdpr-request", "--from", "2026-01-01", "--format", "xml"}, "--format"},
		{[]string{"--procedure", "gdpr-request", "--from", "2026-01-01", "--lang", "de"}, "--lang"},
		{[]string{"--procedure", "cada-request", "--from", "2026-01-01", "--at", "refusal"}, "--at"},
		{[]string{"--procedure", "cada-request", "--from", "2026-01-01", "--at", "nope=2026-02-01"}, "--at"},
	}
	for _, c := range cases {
		code, out, stderr := runDeadline(t, c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", c.args, code)
		}
		if out != "" {
			t.Errorf("%v: printed %q on bad input", c.args, out)
		}
		if !strings.Contains(stderr, c.flag) || !strings.Contains(stderr, " / ") {
			t.Errorf("%v: message %q should name %s, French then English", c.args, stderr, c.flag)
		}
	}
}
