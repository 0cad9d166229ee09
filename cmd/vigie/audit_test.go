package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const adult = "../../audit/testdata/adult.data"

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAuditJSON(t *testing.T) {
	code, out, errs := runCLI(t, "", "audit", "--input", adult, "--group", "sex", "--group", "race", "--intersect",
		"--score", "education-num", "--threshold", "13", "--label", "Y", "--label-positive", ">50K",
		"--direction", "favourable", "--reference", "sex=Male", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if m["schema"] != "vigie/audit/v1" || m["direction"] != "favourable" {
		t.Errorf("schema %v direction %v", m["schema"], m["direction"])
	}
	in := m["input"].(map[string]any)
	if in["rows"].(float64) != 32561 || in["sha256"] != "a5b3a620cb7325a48f5090531afd611ce4622440451a5cfbd11c49be2ed868e5" || in["path"] != adult {
		t.Errorf("input %v", in)
	}
	attrs := m["attributes"].([]any)
	if len(attrs) != 3 {
		t.Fatalf("%d attributes, want sex, race and their intersection", len(attrs))
	}
	sex := attrs[0].(map[string]any)
	if sex["name"] != "sex" || sex["reference"] != "Male" {
		t.Errorf("sex %v %v", sex["name"], sex["reference"])
	}
	f := sex["groups"].([]any)[1].(map[string]any)
	if f["value"] != "Female" || f["counts"].(map[string]any)["tp"].(float64) != 610 {
		t.Errorf("Female %v", f["counts"])
	}
	d := f["disparities"].(map[string]any)["fpr"].(map[string]any)
	if d["verdict"] != "parity" || d["ratio"].(float64) < 1.115 || d["ratio"].(float64) > 1.117 {
		t.Errorf("fpr %v", d)
	}
	if inter := attrs[2].(map[string]any); inter["name"] != "sex × race" || inter["sedf"] == nil {
		t.Errorf("intersection %v", inter["name"])
	}
}

func TestAuditTextAndStdin(t *testing.T) {
	data, err := os.ReadFile("../../audit/testdata/german.data")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"audit", "--input", "-", "--group", "Status/sex", "--recode", "Status/sex=A91:M,A93:M,A94:M,A92:F",
		"--group", "Age", "--cut", "Age=25", "--score", "target", "--positive", "1", "--direction", "favourable"}
	code, out, errs := runCLI(t, string(data), args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Audit de discrimination", "FAVORABLE", "des «\u00a0M\u00a0» ont été signalées contre", "fois plus", "Non concluant"} {
		if !strings.Contains(out, want) {
			t.Errorf("French text lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, string(data), append(args, "--lang", "en")...)
	if code != 0 || !strings.Contains(out, "Discrimination audit") || !strings.Contains(out, "Inconclusive") {
		t.Errorf("English text (exit %d):\n%s", code, out)
	}
	code, out, _ = runCLI(t, string(data), append(args, "--format", "html")...)
	// Per attribute, one chart of each group's rate with its interval and one of
	// the ratio to the reference group: two attributes, four charts.
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") || strings.Count(out, "<svg") != 4 ||
		strings.Count(out, `<svg xmlns="http://www.w3.org/2000/svg" id="audit-rates-`) != 2 || strings.Count(out, `<svg xmlns="http://www.w3.org/2000/svg" id="audit-chart-`) != 2 {
		t.Errorf("HTML (exit %d): %d charts", code, strings.Count(out, "<svg"))
	}
}

func TestAuditBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.csv", "")
	words := write("words.csv", "g,s\na,oui\nb,non\n")
	one := write("one.csv", "g,s\na,1\na,0\n")
	good := write("good.csv", "g,s\na,1\nb,0\n")
	out := filepath.Join(dir, "out.json")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing column", []string{"--input", adult, "--group", "genre", "--score", "Y", "--positive", ">50K"}, "genre"},
		{"empty file", []string{"--input", empty, "--group", "g", "--score", "s", "--threshold", "1"}, "vide"},
		{"non-numeric score", []string{"--input", words, "--group", "g", "--score", "s", "--threshold", "1"}, "--positive"},
		{"one group", []string{"--input", one, "--group", "g", "--score", "s", "--threshold", "1"}, "une valeur"},
		{"no such file", []string{"--input", filepath.Join(dir, "nope.csv"), "--group", "g", "--score", "s", "--threshold", "1"}, "nope.csv"},
		{"no input", []string{"--group", "g", "--score", "s", "--threshold", "1"}, "--input"},
		{"bad format", []string{"--input", good, "--group", "g", "--score", "s", "--threshold", "1", "--format", "pdf"}, "--format"},
		{"bad delimiter", []string{"--input", good, "--group", "g", "--score", "s", "--threshold", "1", "--delimiter", "#"}, "--delimiter"},
		{"both score flags", []string{"--input", good, "--group", "g", "--score", "s", "--threshold", "1", "--positive", "1"}, "--threshold"},
		{"unknown flag", []string{"--input", good, "--groupe", "g"}, "groupe"},
	}
	for _, c := range cases {
		args := append([]string{"audit"}, c.args...)
		args = append(args, "--output", out)
		code, stdout, stderr := runCLI(t, "", args...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2 (%s)", c.name, code, stderr)
		}
		if !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%s: stderr %q stdout %q", c.name, stderr, stdout)
		}
		if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
			t.Errorf("%s: stack trace on stderr", c.name)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%s: output file written on error", c.name)
		}
	}
	// --output writes the whole report and nothing on stdout
	code, stdout, stderr := runCLI(t, "", "audit", "--input", good, "--group", "g", "--score", "s", "--threshold", "1", "--min-n", "1", "--format", "json", "--output", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	var m map[string]any
	if err != nil || json.Unmarshal(b, &m) != nil || m["schema"] != "vigie/audit/v1" {
		t.Errorf("output file: %v %s", err, b)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".vigie-audit-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}
