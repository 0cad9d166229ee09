package letters

import (
	"archive/zip"
	"bytes"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

// What must never be in a document sent to an employer: the sender's
// notes, a command or flag, a rule id in brackets or in a sentence, the
// "unverified" marker, a rating on the representatives' 0–3 scale.
var (
	bracketedID = regexp.MustCompile(`[\[(](AIA|CT|FP|CRPA|GDPR|LIL|CNIL|ADG)-[0-9A-Z-]+[\])]`)
	ratingRe    = regexp.MustCompile(`\b[0-3]\s*/\s*3\b|\b0[–-]3\b`)
	commandRe   = regexp.MustCompile(`\bvigie [a-z]+\b|(^|\s)--[a-z]`)
)

var lawBase = law.MustLoad()

func notSendable(doc *Document, text string) []string {
	var bad []string
	flat := norm(text)
	low := strings.ToLower(flat)
	for _, n := range doc.Notes {
		if n = norm(n); len(n) > 30 && strings.Contains(flat, n) {
			bad = append(bad, "a note of the sender: "+n)
		}
	}
	for _, m := range []string{"non vérifié", "unverified", "à l'usage de l'expéditeur", "for the sender"} {
		if strings.Contains(low, m) {
			bad = append(bad, "marker "+m)
		}
	}
	if m := bracketedID.FindString(flat); m != "" {
		bad = append(bad, "rule id "+m)
	}
	for _, r := range lawBase.Rules() {
		if strings.Contains(" "+flat+" ", " "+r.ID+" ") || strings.Contains(flat, " "+r.ID+")") || strings.Contains(flat, " "+r.ID+",") {
			bad = append(bad, "rule id "+r.ID+" in a sentence")
		}
	}
	if m := ratingRe.FindString(flat); m != "" {
		bad = append(bad, "0–3 rating "+m)
	}
	if m := commandRe.FindString(flat); m != "" {
		bad = append(bad, "command "+m)
	}
	return bad
}

// TestLettersFitToSend fills every letter from the reference cases in both
// languages and checks its text, its PDF (through pdftotext when
// installed) and its ODT: only the letter, no note, command, bracketed
// rule id, "non vérifié" or 0–3 rating, and no question that asks the
// employer for the representatives' own ratings.
func TestLettersFitToSend(t *testing.T) {
	pdftotext, _ := exec.LookPath("pdftotext")
	for _, l := range Catalogue() {
		for _, lang := range []string{"fr", "en"} {
			d, a := goldenData(t, l.ID)
			doc, err := Build(l.ID, d, lang)
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Notes) == 0 {
				t.Errorf("%s.%s: no notes for the sender (the test would prove nothing)", l.ID, lang)
			}
			for _, b := range notSendable(doc, doc.Text()) {
				t.Errorf("%s.%s text: %s", l.ID, lang, b)
			}
			var odt bytes.Buffer
			if err := doc.WriteODT(&odt); err != nil {
				t.Fatal(err)
			}
			content := odtContent(t, odt.Bytes())
			for _, b := range notSendable(doc, plainOf(content)) {
				t.Errorf("%s.%s ODT: %s", l.ID, lang, b)
			}
			var html bytes.Buffer
			if err := doc.WriteHTML(&html); err != nil {
				t.Fatal(err)
			}
			for _, b := range notSendable(doc, plainOf(html.String())) {
				t.Errorf("%s.%s HTML: %s", l.ID, lang, b)
			}
			if pdftotext != "" {
				var pdf bytes.Buffer
				if err := doc.WritePDF(&pdf); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(pdftotext, "-", "-")
				cmd.Stdin = &pdf
				out, err := cmd.Output()
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range notSendable(doc, strings.ReplaceAll(string(out), "-\n", "")) {
					t.Errorf("%s.%s PDF: %s", l.ID, lang, b)
				}
			}
			// No question on the representatives' own observations.
			for _, u := range a.Unknowns {
				q := u.Question
				if lang == "en" {
					q = u.QuestionEN
				}
				if strings.HasPrefix(u.Fact, "work.") && strings.Contains(norm(doc.Text()), norm(q)) {
					t.Errorf("%s.%s asks the employer %q (%s)", l.ID, lang, q, u.Fact)
				}
			}
		}
	}
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

func plainOf(s string) string {
	s = tagRe.ReplaceAllString(s, " ")
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&apos;", "'").Replace(s)
}

// TestQuestionsAreFactual gives a letter an unknown observation of the
// representatives (work.*) beside a question of fact: only the fact is
// asked.
func TestQuestionsAreFactual(t *testing.T) {
	s := loadCase(t, "01")
	d := Data{System: s, Date: vigie.MustDate("2026-11-26"), Unknowns: []Unknown{
		{Fact: "deployment.dpia_done", Question: Text{"Une AIPD a-t-elle été réalisée ?", "Was a DPIA carried out?"}, Affects: []string{"GDPR-35"}},
		{Fact: "work.surveillance_felt", Question: Text{"De 0 à 3, à quel point les salariés se sentent-ils surveillés ?", "From 0 to 3, how surveilled do workers feel?"}, Dimensions: []string{"privacy"}},
	}}
	for _, lang := range []string{"fr", "en"} {
		doc, err := Build("cse-consultation-new-technology", d, lang)
		if err != nil {
			t.Fatal(err)
		}
		txt := norm(doc.Text())
		if !strings.Contains(txt, norm(d.Unknowns[0].Question.In(lang))) {
			t.Errorf("%s: the question of fact is not asked", lang)
		}
		if strings.Contains(txt, norm(d.Unknowns[1].Question.In(lang))) {
			t.Errorf("%s: the employer is asked the representatives' rating", lang)
		}
	}
}

// The salutation follows the addressee.
func TestSalutation(t *testing.T) {
	for _, c := range []struct{ lang, to, def, want string }{
		{"fr", "M. le Directeur", "Madame, Monsieur", "Monsieur le Directeur"},
		{"fr", "Mme la Directrice des ressources humaines\nSiège", "Madame, Monsieur", "Madame la Directrice des ressources humaines"},
		{"fr", "M. Jean Dupont", "Madame, Monsieur", "Monsieur"},
		{"fr", "Mme Durand, DRH", "Madame, Monsieur", "Madame"},
		{"fr", "Direction des ressources humaines", "Madame, Monsieur", "Madame, Monsieur"},
		{"fr", "", "Madame la Présidente, Monsieur le Président", "Madame la Présidente, Monsieur le Président"},
		{"en", "Ms Jane Smith", "Dear Sir or Madam", "Dear Ms Jane Smith"},
		{"en", "Human resources", "Dear Sir or Madam", "Dear Sir or Madam"},
	} {
		if got := (view{Lang: c.lang, Addressee: c.to}).Salute(c.def); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.lang, c.to, got, c.want)
		}
	}
	s := loadCase(t, "01")
	doc, err := Build("gdpr-access-request", Data{System: s, Date: vigie.MustDate("2026-11-26"), Addressee: "M. le Directeur"}, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if txt := doc.Text(); !strings.Contains(txt, "Monsieur le Directeur,") || strings.Contains(txt, "Madame, Monsieur,") {
		t.Errorf("salutation does not follow the addressee:\n%s", txt)
	}
}

// odtContent is the content.xml of an ODT file.
func odtContent(t *testing.T, raw []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "content.xml" {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatal("no content.xml")
	return ""
}
