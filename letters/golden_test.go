package letters

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenInput is the case and the data each letter is filled from in the
// golden tests: the real system file and its real assessment on the date.
var goldenInput = map[string]struct {
	caseName string
	date     string
	extra    func(*Data)
}{
	"cse-consultation-new-technology": {"01", "2026-11-26", nil},
	"cse-consultation-monitoring":     {"01", "2026-11-26", nil},
	"cse-agenda-expert":               {"03", "2026-11-26", nil},
	"duerp-update":                    {"03", "2026-11-26", nil},
	"dpia-request":                    {"01", "2026-11-26", nil},
	"dpia-request-public":             {"06", "2026-11-26", nil},
	"algorithm-rules-request":         {"04", "2026-11-26", func(d *Data) { d.Requester = "Camille Martin" }},
	"source-code-request":             {"05", "2026-11-26", func(d *Data) { d.Place = "Montreuil" }},
	"cada-referral":                   {"05", "2026-11-26", func(d *Data) { d.RequestSentOn = vigie.MustDate("2026-09-15") }},
	"gdpr-access-request":             {"01", "2026-11-26", func(d *Data) { d.Requester = "Camille Martin" }},
	"cnil-complaint": {"01", "2026-11-26", func(d *Data) {
		d.RequestSentOn, d.RefusalOn = vigie.MustDate("2026-09-01"), vigie.MustDate("2026-10-20")
		d.Requester = "Camille Martin"
	}},
	"prohibited-practice-stop":  {"01", "2026-11-26", nil},
	"ai-act-complaint":          {"01", "2026-11-26", func(d *Data) { d.RequestSentOn = vigie.MustDate("2026-10-01") }},
	"f3sct-referral":            {"06", "2026-11-26", nil},
	"ai-act-information":        {"03", "2028-01-01", nil},
	"rights-alert":              {"01", "2026-11-26", nil},
	"cse-expert-serious-risk":   {"01", "2026-11-26", nil},
	"cse-extraordinary-meeting": {"01", "2026-11-26", nil},
	"labour-inspector-referral": {"01", "2026-11-26", nil},
	"ddd-referral":              {"02", "2026-11-26", nil},
	"cnil-signalement":          {"01", "2026-11-26", nil},
	"gdpr-art80-mandate":        {"01", "2026-11-26", func(d *Data) { d.Requester = "Camille Martin" }},
}

// goldenSystem changes a case before it is assessed.
var goldenSystem = map[string]func(*vigie.System){
	// Significantly changed after the AI Act's cut-off: Art. 111(2) no
	// longer spares it, so the letter applies.
	"ai-act-information": func(s *vigie.System) {
		s.Deployment.SignificantlyModifiedOn = vigie.MustDate("2027-12-10")
	},
}

func goldenData(t *testing.T, id string) (Data, *assess.Assessment) {
	t.Helper()
	in, ok := goldenInput[id]
	if !ok {
		t.Fatalf("no golden input for letter %s", id)
	}
	s := loadCase(t, in.caseName)
	if mod := goldenSystem[id]; mod != nil {
		mod(s)
	}
	date := vigie.MustDate(in.date)
	a := assess.Evaluate(s, date)
	d := WithAssessment(Data{System: s, Date: date}, a)
	if in.extra != nil {
		in.extra(&d)
	}
	return d, a
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestGolden renders every letter in both languages from a reference case
// and its assessment, compares the text with testdata/golden, and checks
// what must be there whatever the wording: the articles and decisions the
// letter cites, the system's own facts, the unmet obligations, and no
// unfilled placeholder.
func TestGolden(t *testing.T) {
	for _, l := range Catalogue() {
		for _, lang := range []string{"fr", "en"} {
			t.Run(l.ID+"."+lang, func(t *testing.T) {
				d, a := goldenData(t, l.ID)
				doc, err := Build(l.ID, d, lang)
				if err != nil {
					t.Fatal(err)
				}
				got := doc.Text()
				path := filepath.Join("testdata", "golden", l.ID+"."+lang+".txt")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./letters -update to create it)", err)
				}
				if got != string(want) {
					t.Errorf("differs from %s (go test ./letters -update to accept):\n%s", path, firstDiff(string(want), got))
				}

				flat := norm(got)
				// What the letter cites may sit in the sender's notes (a
				// basis to check before relying on it).
				lower := strings.ToLower(flat + " " + norm(doc.NotesText()))
				for _, c := range l.Cites {
					if !strings.Contains(lower, strings.ToLower(c)) {
						t.Errorf("does not cite %q", c)
					}
				}
				if !strings.Contains(flat, norm(d.System.Name)) {
					t.Errorf("does not name the system %q", d.System.Name)
				}
				if since := d.System.Deployment.Since; !since.IsZero() && (strings.Contains(flat, "État :") || strings.Contains(flat, "Status:")) {
					if !strings.Contains(flat, LongDate(since, lang)) {
						t.Errorf("the facts do not give the date of first use %s", LongDate(since, lang))
					}
				}
				for _, bad := range []string{"{{", "}}", "<no value>", "%!", "\x00", "<nil>", "map[", "[]", "unknown", "inconnu(e)"} {
					if strings.Contains(got, bad) {
						t.Errorf("unfilled placeholder or raw value %q in the letter", bad)
					}
				}
				// The unmet obligations the letter is meant to cite are there.
				all := slices.Contains(l.Obligations, "*")
				for _, o := range a.Obligations {
					if o.Status != "unmet" || (!all && !slices.Contains(l.Obligations, o.ID)) {
						continue
					}
					title := o.Title
					if lang == "en" {
						title = o.TitleEN
					}
					if !strings.Contains(flat, norm(title)) {
						t.Errorf("unmet obligation %s (%q) is not in the letter", o.ID, title)
					}
				}
				// No met obligation is listed as unmet.
				for _, o := range a.Obligations {
					if o.Status == "met" && o.Title != "" && strings.Contains(flat, norm(o.Title)+" (") {
						t.Errorf("met obligation %s listed", o.ID)
					}
				}
				// One language per letter.
				foreign := []string{"Yours faithfully", "We therefore ask", "This is what we know"}
				if lang == "en" {
					foreign = []string{"Veuillez agréer", "Nous vous demandons", "Voici ce que nous en savons", "salutations"}
				}
				for _, f := range foreign {
					if strings.Contains(flat, f) {
						t.Errorf("%q in the %s letter", f, lang)
					}
				}
			})
		}
	}
	for id := range goldenInput {
		if _, ok := Lookup(id); !ok {
			t.Errorf("golden input for unknown letter %s", id)
		}
	}
}

// The open questions of the assessment become the answers a letter demands.
func TestQuestionsFromUnknowns(t *testing.T) {
	s := loadCase(t, "01")
	d := Data{System: s, Date: vigie.MustDate("2026-11-26"), Unknowns: []Unknown{
		{Fact: "deployment.dpia_done", Question: Text{"Une AIPD a-t-elle été réalisée ?", "Was a DPIA carried out?"}, Affects: []string{"GDPR-35"}},
		{Fact: "usage.requests_per_day", Question: Text{"Combien de requêtes par jour ?", "How many requests a day?"}, Dimensions: []string{"environment"}},
		{Fact: "decisions.human_review", Question: Text{"Qui contrôle les résultats ?", "Who reviews the results?"}, Affects: []string{"AIA-26"}},
	}}
	doc, err := Build("dpia-request", d, "fr")
	if err != nil {
		t.Fatal(err)
	}
	txt := norm(doc.Text())
	if !strings.Contains(txt, "Une AIPD a-t-elle été réalisée ?") {
		t.Error("the DPIA question is missing from the DPIA request")
	}
	if strings.Contains(txt, "Qui contrôle") || strings.Contains(txt, "requêtes par jour") {
		t.Error("a question unrelated to the DPIA rules is in the DPIA request")
	}
	doc, err = Build("cse-consultation-new-technology", d, "en")
	if err != nil {
		t.Fatal(err)
	}
	txt = norm(doc.Text())
	if !strings.Contains(txt, "Was a DPIA carried out?") || !strings.Contains(txt, "Who reviews the results?") {
		t.Errorf("the CSE demand should ask every question on the law:\n%s", txt)
	}
	if strings.Contains(txt, "How many requests") {
		t.Error("a question that only feeds the footprint estimate is in the CSE demand")
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n- " + x + "\n+ " + y
		}
	}
	return ""
}
