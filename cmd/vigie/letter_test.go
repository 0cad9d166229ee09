package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const letterCase = "../../testdata/cases/01-centre-appels-analyse-vocale.yaml"

func runLetter(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"letter"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestLetterText(t *testing.T) {
	code, out, stderr := runLetter(t, "--template", "cse-consultation-new-technology", "--system", letterCase, "--date", "2026-11-26")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"Le 26 novembre 2026", "Analyse vocale des appels", "en service depuis le 2 mars 2026",
		"L2312-8", "R2312-6", "RG n° 24/01457", "n° 25/00851", "n° 25/53278",
		// From the assessment of the case: unmet obligations are cited.
		"Reconnaissance des émotions au travail interdite", "Analyse d'impact relative à la protection des données",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("letter lacks %q", want)
		}
	}
	code, out, _ = runLetter(t, "--template", "cse-consultation-new-technology", "--system", letterCase, "--date", "2026-11-26", "--lang", "en")
	if code != 0 || !strings.Contains(out, "26 November 2026") || !strings.Contains(out, "Yours faithfully") {
		t.Errorf("English letter: exit %d\n%s", code, out)
	}
}

func TestLetterDefaultDate(t *testing.T) {
	old := letterNow
	letterNow = func() time.Time { return time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC) }
	defer func() { letterNow = old }()
	code, out, _ := runLetter(t, "--template", "duerp-update", "--system", letterCase)
	if code != 0 || !strings.Contains(out, "Le 1er mars 2027") {
		t.Errorf("default date: exit %d\n%s", code, out)
	}
}

func TestLetterODTAndPDFToFile(t *testing.T) {
	dir := t.TempDir()
	odt := filepath.Join(dir, "l.odt")
	if code, _, stderr := runLetter(t, "--template", "gdpr-access-request", "--system", letterCase, "--date", "2026-11-26",
		"--format", "odt", "--output", odt, "--requester", "Camille Martin"); code != 0 {
		t.Fatalf("odt: %s", stderr)
	}
	z, err := zip.OpenReader(odt)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	if z.File[0].Name != "mimetype" {
		t.Errorf("first entry %s", z.File[0].Name)
	}
	var content []byte
	for _, f := range z.File {
		if f.Name == "content.xml" {
			rc, _ := f.Open()
			var b bytes.Buffer
			_, _ = b.ReadFrom(rc)
			rc.Close()
			content = b.Bytes()
		}
	}
	if !bytes.Contains(content, []byte("Camille Martin")) || !bytes.Contains(content, []byte("12(3)")) {
		t.Error("content.xml lacks the requester or the article")
	}
	pdf := filepath.Join(dir, "l.pdf")
	if code, _, stderr := runLetter(t, "--template", "gdpr-access-request", "--system", letterCase, "--date", "2026-11-26",
		"--format", "pdf", "-o", pdf); code != 0 {
		t.Fatalf("pdf: %s", stderr)
	}
	b, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("pdf: %v", err)
	}
}

func TestLetterList(t *testing.T) {
	code, out, _ := runLetter(t, "--list", "--lang", "en")
	if code != 0 {
		t.Fatal(out)
	}
	for _, want := range []string{"cada-referral", "gdpr-access-request", "next: cada-referral (implicit-refusal)", "from 2027-12-02"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q", want)
		}
	}
}

func TestLetterBadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "never.txt")
	cases := []struct {
		args []string
		flag string
	}{
		{[]string{"--system", letterCase}, "--template"},
		{[]string{"--template", "nope", "--system", letterCase}, "--template"},
		{[]string{"--template", "duerp-update"}, "--system"},
		{[]string{"--template", "duerp-update", "--system", filepath.Join(dir, "missing.yaml")}, "--system"},
		{[]string{"--template", "duerp-update", "--system", letterCase, "--date", "2026-13-01"}, "--date"},
		{[]string{"--template", "duerp-update", "--system", letterCase, "--format", "docx"}, "--format"},
		{[]string{"--template", "duerp-update", "--system", letterCase, "--lang", "de"}, "--lang"},
		{[]string{"--template", "cada-referral", "--system", letterCase, "--request-date", "hier"}, "--request-date"},
		{[]string{"--template", "ai-act-information", "--system", letterCase, "--date", "2026-11-26", "-o", out}, "--date"},
	}
	for _, c := range cases {
		code, stdout, stderr := runLetter(t, c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", c.args, code, stderr)
		}
		if stdout != "" {
			t.Errorf("%v: output on bad input", c.args)
		}
		if !strings.Contains(stderr, c.flag) || !strings.Contains(stderr, " / ") {
			t.Errorf("%v: message %q should name %s, in French then English", c.args, stderr, c.flag)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("an output file was written for a letter that could not be built")
	}
	// A malformed system file: exit 2 with the file and line.
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("schema: vigie/system/v1\nname: x\nnope: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runLetter(t, "--template", "duerp-update", "--system", bad, "--date", "2026-11-26")
	if code != 2 || !strings.Contains(stderr, "bad.yaml") {
		t.Errorf("malformed system file: exit %d, %q", code, stderr)
	}
}

// A letter whose rule does not apply is refused with exit 2, naming the
// rule and why: a company of 30 gets the L2312-5 route, not a consultation
// demand; a system in service before the AI Act's cut-off is spared.
func TestLetterRuleDoesNotApply(t *testing.T) {
	raw, err := os.ReadFile(letterCase)
	if err != nil {
		t.Fatal(err)
	}
	small := strings.Replace(string(raw), "  headcount: 400", "  headcount: 30", 1)
	if small == string(raw) {
		t.Fatal("headcount not found in the case")
	}
	path := filepath.Join(t.TempDir(), "small.yaml")
	if err := os.WriteFile(path, []byte(small), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runLetter(t, "--template", "cse-consultation-new-technology", "--system", path, "--date", "2026-11-26")
	if code != 2 || out != "" || !strings.Contains(stderr, "CT-NT") || !strings.Contains(stderr, "50 salariés") {
		t.Errorf("consultation demand for a company of 30: exit %d, stdout %d bytes, stderr %s", code, len(out), stderr)
	}
	if code, _, stderr := runLetter(t, "--template", "labour-inspector-referral", "--system", path, "--date", "2026-11-26"); code != 0 {
		t.Errorf("labour inspectorate route refused: %s", stderr)
	}
	code, _, stderr = runLetter(t, "--template", "ai-act-information", "--system", letterCase, "--date", "2028-01-01")
	if code != 2 || !strings.Contains(stderr, "AIA-26-7") || !strings.Contains(stderr, "111(2)") {
		t.Errorf("AI Act letter for a system in service since 2026: exit %d, %s", code, stderr)
	}
}
