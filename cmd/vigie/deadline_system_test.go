package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dlSystemFile is a system file with the consultations of three bodies: a
// CSE with an expert at one level, a central CSE with an expert at both
// levels, an F3SCT; the CSSCT asked for information that never came.
const dlSystemFile = `schema: vigie/system/v1
name: "Outil RH"
organisation:
  kind: private
  headcount: 400
  company_headcount: 4200
  staff_bodies: [cse, cse_central, cssct]
deployment:
  status: planned
  consultations:
    - body: cse
      information_received_on: 2026-09-26
      expert_appointed: true
      levels: establishment
    - body: cse_central
      information_received_on: 2026-01-31
      expert_appointed: true
      levels: both
      opinion_on: 2026-04-15
    - body: cssct
      information_sufficient: false
    - body: f3sct
      information_received_on: 2026-10-01
`

// dlLegacyFile describes its first staff body by the single-body fields.
const dlLegacyFile = `schema: vigie/system/v1
name: "Planning"
organisation:
  kind: private
  headcount: 120
  staff_bodies: [cse]
deployment:
  status: planned
  staff_body_consulted: true
  consultation_opened_on: 2026-03-02
`

func dlWrite(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func dlDue(t *testing.T, out, step string) string {
	t.Helper()
	var steps []deadlineStepJSON
	if err := json.Unmarshal([]byte(out), &steps); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, s := range steps {
		if s.Step == step {
			return s.Due
		}
	}
	return ""
}

// The chain of a body's consultation starts on the employer's transmission
// recorded for that body, with its expert and its levels.
func TestDeadlineFromSystem(t *testing.T) {
	f := dlWrite(t, "outil.yaml", dlSystemFile)
	cases := []struct {
		name                  string
		args                  []string
		start, deemed, stderr string
	}{
		// Expert at one level: 2 months from 2026-09-26.
		{"cse", []string{"--body", "cse"}, "2026-09-26", "2026-11-26", ""},
		// Expert at both levels: 3 months from 2026-01-31; the opinion given is noted.
		{"central CSE", []string{"--body", "cse_central"}, "2026-01-31", "2026-04-30", "2026-04-15"},
		// A flag adds an option the file does not record.
		{"cse with --multi-level", []string{"--body", "cse", "--multi-level"}, "2026-09-26", "2026-12-26", ""},
		{"cse with its own procedure", []string{"--body", "cse", "--procedure", "cse-consultation"}, "2026-09-26", "2026-11-26", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := runDeadline(t, append([]string{"--system", f, "--format", "json"}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := dlDue(t, out, "information-transmitted"); got != c.start {
				t.Errorf("starting point %s, want %s", got, c.start)
			}
			if got := dlDue(t, out, "negative-opinion-deemed"); got != c.deemed {
				t.Errorf("deemed opinion %s, want %s", got, c.deemed)
			}
			if c.stderr != "" && !strings.Contains(stderr, c.stderr) {
				t.Errorf("stderr does not note %s: %q", c.stderr, stderr)
			}
			if c.stderr == "" && stderr != "" {
				t.Errorf("unexpected notes: %q", stderr)
			}
		})
	}
	// The F3SCT follows its own chain, from its own date.
	code, out, stderr := runDeadline(t, "--system", f, "--body", "f3sct", "--format", "json")
	if code != 0 {
		t.Fatalf("f3sct: exit %d: %s", code, stderr)
	}
	if got := dlDue(t, out, "project-transmitted"); got != "2026-10-01" {
		t.Errorf("f3sct: starting point %q, want 2026-10-01\n%s", got, out)
	}
	// The text output names the starting point and the options read.
	code, out, stderr = runDeadline(t, "--system", f, "--body", "cse_central", "--lang", "en")
	if code != 0 {
		t.Fatalf("text: exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "Starting point: 2026-01-31") || !strings.Contains(out, "options: expert, multi-level") || !strings.Contains(out, "2026-04-30") {
		t.Errorf("text output:\n%s", out)
	}
	if !strings.Contains(stderr, "opinion was given on 2026-04-15") {
		t.Errorf("text: no note of the opinion: %q", stderr)
	}
}

// The single-body fields describe the first staff body.
func TestDeadlineFromSystemLegacy(t *testing.T) {
	f := dlWrite(t, "planning.yaml", dlLegacyFile)
	code, out, stderr := runDeadline(t, "--system", f, "--body", "cse", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := dlDue(t, out, "negative-opinion-deemed"); got != "2026-04-02" {
		t.Errorf("deemed opinion %s, want 2026-04-02 (1 month from 2026-03-02)", got)
	}
	// The expert is unknown: counted without one, and said so.
	if !strings.Contains(stderr, "deployment.expert_appointed") || !strings.Contains(stderr, "--expert") {
		t.Errorf("no note on the unknown expert: %q", stderr)
	}
	code, out, _ = runDeadline(t, "--system", f, "--body", "cse", "--expert", "--format", "json")
	if code != 0 || dlDue(t, out, "negative-opinion-deemed") != "2026-05-02" {
		t.Errorf("with --expert: exit %d, deemed %s, want 2026-05-02", code, dlDue(t, out, "negative-opinion-deemed"))
	}
}

// Bad uses exit 2 and name the flag at fault.
func TestDeadlineFromSystemErrors(t *testing.T) {
	f := dlWrite(t, "outil.yaml", dlSystemFile)
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown body", []string{"--system", f, "--body", "comite"}, []string{"--body", `"comite"`}},
		{"body without a chain", []string{"--system", f, "--body", "csa"}, []string{"--body csa", "cse, cse_central, f3sct"}},
		{"body with no consultation", []string{"--system", dlWrite(t, "legacy.yaml", dlLegacyFile), "--body", "cse_central"}, []string{"--body cse_central", "does not describe"}},
		{"the CSSCT", []string{"--system", f, "--body", "cssct"}, []string{"--body cssct", "--body cse"}},
		{"no transmission recorded", []string{"--system", dlWrite(t, "asked.yaml", strings.Replace(dlSystemFile, "      information_received_on: 2026-09-26\n", "", 1)), "--body", "cse"},
			[]string{"--body cse", "deployment.consultations[cse].information_received_on"}},
		{"no body", []string{"--system", f}, []string{"--body", "required with --system"}},
		{"body without a file", []string{"--body", "cse"}, []string{"--body", "--system"}},
		{"both --from and --system", []string{"--system", f, "--body", "cse", "--from", "2026-01-01"}, []string{"--from"}},
		{"another procedure", []string{"--system", f, "--body", "cse", "--procedure", "gdpr-request"}, []string{"--procedure gdpr-request", "cse-consultation"}},
		{"missing file", []string{"--system", filepath.Join(t.TempDir(), "none.yaml"), "--body", "cse"}, []string{"--system"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := runDeadline(t, c.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2 (stdout %q, stderr %q)", code, out, stderr)
			}
			if out != "" {
				t.Errorf("a chain was printed: %s", out)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not name %q", stderr, w)
				}
			}
		})
	}
}
