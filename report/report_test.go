package report

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/ods"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var day = vigie.Date{Year: 2026, Month: 12, Day: 3}

// cases returns the reference system files.
func cases(t testing.TB) []string {
	t.Helper()
	all, err := filepath.Glob("../testdata/cases/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range all {
		if !strings.HasSuffix(p, ".expected.yaml") {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		t.Fatal("no reference case")
	}
	return out
}

func load(t testing.TB, path string) *vigie.System {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := vigie.ParseSystem(filepath.Base(path), raw)
	if err != nil {
		t.Fatal(err)
	}
	return sys
}

func build(t testing.TB, in Input) *Dossier {
	t.Helper()
	if in.Assessment == nil {
		in.Assessment = assess.Evaluate(in.System, in.Date)
	}
	d, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tool returns the path of a poppler tool, or skips (fails in CI).
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if testenv.Required() {
			t.Fatalf("%s is required (VIGIE_REQUIRE_SERVICES=1) but absent", name)
		}
		t.Skipf("skipped: %s is absent (poppler-utils)", name)
	}
	return p
}

func render(t testing.TB, d *Dossier, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := d.Write(&buf, format); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

// TestManifestPerCase: every reference case lists its tier and one status
// figure per obligation, each pointing at the assessment JSON where the
// value is (the command line test runs the commands themselves).
func TestManifestPerCase(t *testing.T) {
	for _, p := range cases(t) {
		sys := load(t, p)
		a := assess.Evaluate(sys, day)
		d := build(t, Input{System: sys, Assessment: a, Date: day})
		raw, err := a.JSON()
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		figs := map[string]FigureRef{}
		for _, f := range d.Manifest.Figures {
			figs[f.ID] = f
		}
		if f := figs["tier"]; f.Value != a.AIAct.Tier || f.JSONPointer != "/ai_act/tier" {
			t.Errorf("%s: tier figure %+v, want %s", p, f, a.AIAct.Tier)
		}
		for _, o := range a.Obligations {
			f, ok := figs["obligation."+o.ID]
			if !ok {
				t.Errorf("%s: no figure for obligation %s", p, o.ID)
				continue
			}
			if got, err := Pointer(doc, f.JSONPointer); err != nil || got != o.Status {
				t.Errorf("%s: %s at %s = %v (%v), want %s", p, o.ID, f.JSONPointer, got, err, o.Status)
			}
		}
		if d.Manifest.Schema != Schema || d.Manifest.Date != "2026-12-03" || d.Manifest.Audience != AudienceCSE || len(d.Manifest.Sections) < 4 {
			t.Errorf("%s: manifest head %+v", p, d.Manifest)
		}
	}
}

// TestSummaryGolden compares the synthèse page of case 01, in French and
// English, with its golden file.
func TestSummaryGolden(t *testing.T) {
	sys := load(t, "../testdata/cases/01-centre-appels-analyse-vocale.yaml")
	for _, lang := range []string{"fr", "en"} {
		d := build(t, Input{System: sys, Date: day, Lang: lang})
		var b strings.Builder
		for _, bl := range d.Sections[0].Blocks {
			writeBlock(&b, bl, lang)
		}
		got := "<h2>" + d.Sections[0].Title + "</h2>\n" + b.String()
		path := "testdata/summary." + lang + ".golden.html"
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./report -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s summary differs from %s (go test ./report -run Golden -update after checking):\n%s", lang, path, got)
		}
		// English is English: no French word of the labels leaks into it.
		if lang == "en" {
			for _, fr := range []string{"Obligations non", "Risques", "Prochaine", "interdit", "Synthèse"} {
				if strings.Contains(got, fr) {
					t.Errorf("English summary holds %q", fr)
				}
			}
		}
	}
}

// TestExhibitsKeepNumbers: a document added later gets the next number,
// even when it is dated before the others, and the others keep theirs.
func TestExhibitsKeepNumbers(t *testing.T) {
	sys := load(t, "../testdata/cases/01-centre-appels-analyse-vocale.yaml")
	doc := func(id, name string, d vigie.Date) *vigie.Document {
		return &vigie.Document{ID: id, Name: name, Date: d, Source: "employer", SHA256: strings.Repeat(id[:1], 64)}
	}
	first := build(t, Input{System: sys, Date: day, Documents: []*vigie.Document{doc("a1", "Note d'information", vigie.Date{Year: 2026, Month: 2, Day: 12})}})
	if len(first.NewNumbers) != len(first.Manifest.Exhibits) {
		t.Fatalf("first dossier: %d new numbers for %d exhibits", len(first.NewNumbers), len(first.Manifest.Exhibits))
	}
	for i, x := range first.Manifest.Exhibits {
		if x.N != i+1 {
			t.Errorf("exhibit %d numbered %d", i, x.N)
		}
	}
	kept := first.NewNumbers
	second := build(t, Input{System: sys, Date: day, Numbers: kept, Documents: []*vigie.Document{
		doc("a1", "Note d'information", vigie.Date{Year: 2026, Month: 2, Day: 12}),
		doc("b2", "Procès-verbal ancien", vigie.Date{Year: 2025, Month: 1, Day: 1})}})
	for _, x := range second.Manifest.Exhibits {
		if n, ok := kept[x.Key]; ok && n != x.N {
			t.Errorf("%s renumbered %d → %d", x.Key, n, x.N)
		}
	}
	if n := second.NewNumbers["document:b2"]; n != len(kept)+1 || len(second.NewNumbers) != 1 {
		t.Errorf("new document numbered %d (new %v), want %d", n, second.NewNumbers, len(kept)+1)
	}
	var sha *string
	for _, x := range second.Manifest.Exhibits {
		if x.Key == "document:b2" {
			sha = x.SHA256
		}
	}
	if sha == nil || *sha != strings.Repeat("b", 64) {
		t.Errorf("stored document's sha256 %v", sha)
	}
}

func TestNumber(t *testing.T) {
	d := func(s string) *string { return &s }
	all, fresh := Number(map[string]int{"x": 4}, []Exhibit{{Key: "c"}, {Key: "x"}, {Key: "b", Date: d("2026-01-02")}, {Key: "a", Date: d("2026-01-02")}, {Key: "z", Date: d("2025-01-01")}})
	want := map[string]int{"x": 4, "z": 5, "a": 6, "b": 7, "c": 8}
	for k, n := range want {
		if all[k] != n {
			t.Errorf("%s = %d, want %d", k, all[k], n)
		}
	}
	if _, ok := fresh["x"]; ok || len(fresh) != 4 {
		t.Errorf("fresh %v", fresh)
	}
}

// TestPDF: the text holds the name, the tier in French, every obligation
// id and « Pièce n° »; every font is embedded.
func TestPDF(t *testing.T) {
	pdftotext, pdffonts := tool(t, "pdftotext"), tool(t, "pdffonts")
	sys := load(t, "../testdata/cases/01-centre-appels-analyse-vocale.yaml")
	a := assess.Evaluate(sys, day)
	d := build(t, Input{System: sys, Assessment: a, Date: day})
	raw := render(t, d, FormatPDF)
	if again := render(t, d, FormatPDF); !bytes.Equal(raw, again) {
		t.Error("the PDF is not deterministic")
	}
	cmd := exec.Command(pdftotext, "-", "-")
	cmd.Stdin = bytes.NewReader(raw)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(strings.ReplaceAll(string(out), "\u00a0", " ")), " ")
	wants := []string{sys.Name, assess.Label(law.FR, "tier."+a.AIAct.Tier), "Pièce n° 1", "Bordereau des pièces", "Reproduire chaque chiffre", "page 2 / "}
	for _, o := range a.Obligations {
		wants = append(wants, o.ID)
	}
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	if strings.Contains(text, "{nb}") {
		t.Error("the page count alias was not replaced")
	}
	cmd = exec.Command(pdffonts, "-")
	cmd.Stdin = bytes.NewReader(raw)
	fonts, err := cmd.Output()
	if err != nil {
		// Older poppler reads no stdin: use a file.
		f := filepath.Join(t.TempDir(), "d.pdf")
		if err := os.WriteFile(f, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		if fonts, err = exec.Command(pdffonts, f).Output(); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(string(fonts)), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts: %s", fonts)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		if len(f) < 5 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
	}
}

// TestODT: mimetype first and stored, every XML part well-formed, headings
// as styles, tables readable by the project's ODF reader, charts as SVG.
func TestODT(t *testing.T) {
	sys := load(t, "../testdata/cases/04-caf-score-risque-controles.yaml")
	d := build(t, Input{System: sys, Date: day})
	raw := render(t, d, FormatODT)
	if string(raw[30:38]) != "mimetype" || string(raw[38:38+len(MediaTypes[FormatODT])]) != MediaTypes[FormatODT] {
		t.Fatalf("mimetype is not the first, stored entry: %q", raw[30:80])
	}
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if z.File[0].Method != zip.Store {
		t.Error("mimetype is compressed")
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = b
		if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".svg") {
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("%s is not well-formed: %v", f.Name, err)
				}
			}
		}
	}
	content := string(parts["content.xml"])
	for _, w := range []string{`text:style-name="Heading_20_1" text:outline-level="1"`, `text:style-name="Heading_20_2"`, "<table:table ", "<text:table-of-content", `xlink:href="Pictures/chart-1.svg"`} {
		if !strings.Contains(content, w) {
			t.Errorf("content.xml lacks %s", w)
		}
	}
	if !strings.Contains(string(parts["styles.xml"]), `style:name="Heading_20_1"`) || !strings.Contains(string(parts["styles.xml"]), "<text:page-number") {
		t.Error("styles.xml lacks the heading style or the page number")
	}
	if !strings.Contains(string(parts["META-INF/manifest.xml"]), `manifest:full-path="Pictures/chart-1.svg" manifest:media-type="image/svg+xml"`) {
		t.Error("the manifest does not list the charts")
	}
	tables, err := ods.Read(raw)
	if err != nil {
		t.Fatalf("the project's ODF reader cannot read it: %v", err)
	}
	found := false
	for _, tb := range tables {
		if len(tb.Rows) > 0 && len(tb.Rows[0]) == 5 && tb.Rows[0][0] == "N°" {
			found = len(tb.Rows) == len(d.Manifest.Exhibits)+1
		}
	}
	if !found {
		t.Errorf("the bordereau is not a table of %d rows in the ODT (%d tables read)", len(d.Manifest.Exhibits)+1, len(tables))
	}
	if again := render(t, d, FormatODT); !bytes.Equal(raw, again) {
		t.Error("the ODT is not deterministic")
	}
}

// canarySystem is case 01 with a person's name in the evidence, a stored
// document named after a person, an action whose answer is a section note.
func canaryInput(t testing.TB) Input {
	sys := load(t, "../testdata/cases/01-centre-appels-analyse-vocale.yaml")
	sys.Evidence = append(sys.Evidence, vigie.Evidence{Fact: "deployment.dpia_done", Source: "workers", Document: "témoignage de Mme CANARYDUPONT au local syndical", Date: vigie.Date{Year: 2026, Month: 5, Day: 4}})
	return Input{System: sys, Date: day,
		Documents: []*vigie.Document{{ID: "d1", Name: "CR entretien M. CANARYMARTIN.pdf", Date: vigie.Date{Year: 2026, Month: 6, Day: 1}, Source: "employer", SHA256: strings.Repeat("c", 64)}},
		Actions: []Action{{Action: &vigie.Action{ID: "a1", Title: "Demande d'information", Letter: "info", State: vigie.ActionAnswered, SentOn: vigie.Date{Year: 2026, Month: 6, Day: 2},
			AnsweredOn: vigie.Date{Year: 2026, Month: 6, Day: 20}, Answer: "note de section : CANARYNOTE a refusé de répondre", Addressee: "M. CANARYDIRECTEUR", Body: "lettre"}}}}
}

// TestPublicAudience: the public version holds no name from the evidence,
// no section note, no free text; the others do hold the evidence.
func TestPublicAudience(t *testing.T) {
	in := canaryInput(t)
	in.Audience = AudiencePublic
	d := build(t, in)
	for _, f := range []string{FormatHTML, FormatJSON, FormatODT} {
		raw := render(t, d, f)
		if f == FormatODT {
			raw = odtContent(t, raw)
		}
		if bytes.Contains(raw, []byte("CANARY")) {
			i := bytes.Index(raw, []byte("CANARY"))
			t.Errorf("%s of the public version holds a canary: …%s…", f, raw[max(0, i-80):min(len(raw), i+40)])
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command("pdftotext", "-", "-")
		cmd.Stdin = bytes.NewReader(render(t, d, FormatPDF))
		out, err := cmd.Output()
		if err != nil || bytes.Contains(out, []byte("CANARY")) {
			t.Errorf("PDF of the public version (%v) holds a canary", err)
		}
	}
	in.Audience = AudienceCourt
	if html := render(t, build(t, in), FormatHTML); !bytes.Contains(html, []byte("CANARYDUPONT")) || !bytes.Contains(html, []byte("CANARYNOTE")) {
		t.Error("the court version lost the evidence it should hold (the canary test would prove nothing)")
	}
}

func odtContent(t testing.TB, raw []byte) []byte {
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, f := range z.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		all = append(all, b...)
	}
	return all
}

// TestHTMLSelfContained: no script, nothing loaded from elsewhere, values
// escaped.
func TestHTMLSelfContained(t *testing.T) {
	in := canaryInput(t)
	in.System.Name = `<script>alert(1)</script> & "x"`
	html := string(render(t, build(t, in), FormatHTML))
	if strings.Contains(strings.ToLower(html), "<script") {
		t.Error("the HTML holds a script")
	}
	for _, re := range []string{`(?i)\ssrc\s*=`, `(?i)<link\b`, `(?i)url\(`, `(?i)@import`, `(?i)href="(https?:)?//`, `(?i)<iframe|<object|<embed`} {
		if m := regexp.MustCompile(re).FindString(html); m != "" {
			t.Errorf("the HTML loads something: %q", m)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;") {
		t.Error("the system's name is not escaped")
	}
	for _, id := range []string{`id="summary"`, `id="exhibits"`, `id="figures"`, "@media print", "break-before:page", "size:A4"} {
		if !strings.Contains(html, id) {
			t.Errorf("the HTML lacks %s", id)
		}
	}
}

// TestHTMLPrintsOnA4 prints the HTML of the largest case through headless
// Chromium and checks that no page is wider than A4.
func TestHTMLPrintsOnA4(t *testing.T) {
	chromium := testenv.Chromium(t)
	pdfinfo := tool(t, "pdfinfo")
	sys := load(t, "../testdata/cases/04-caf-score-risque-controles.yaml")
	dir := t.TempDir()
	page := filepath.Join(dir, "d.html")
	if err := os.WriteFile(page, render(t, build(t, Input{System: sys, Date: day}), FormatHTML), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "d.pdf")
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--no-first-run", "--no-pdf-header-footer", "--user-data-dir="+filepath.Join(dir, "profile"), "--print-to-pdf="+out, "file://"+page)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	info, err := exec.Command(pdfinfo, "-f", "1", "-l", "1000", out).Output()
	if err != nil {
		t.Fatal(err)
	}
	sizes := regexp.MustCompile(`Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`).FindAllStringSubmatch(string(info), -1)
	if len(sizes) < 3 {
		t.Fatalf("%d pages printed: %s", len(sizes), info)
	}
	for _, s := range sizes {
		if w, _ := strconv.ParseFloat(s[1], 64); w > 595.28+0.5 {
			t.Errorf("a page is %s pt wide, wider than A4 (595.28 pt)", s[1])
		}
	}
}

// BenchmarkDossier builds and writes the dossier of the largest reference
// case in each format.
func BenchmarkDossier(b *testing.B) {
	sys := load(b, "../testdata/cases/04-caf-score-risque-controles.yaml")
	a := assess.Evaluate(sys, day)
	for _, f := range Formats {
		b.Run(f, func(b *testing.B) {
			for b.Loop() {
				d, err := Build(Input{System: sys, Assessment: a, Date: day})
				if err != nil {
					b.Fatal(err)
				}
				if err := d.Write(io.Discard, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSummaryOnePage: in the PDF of every reference case, the synthèse
// takes one page (the next section starts on the page after it).
func TestSummaryOnePage(t *testing.T) {
	for _, p := range cases(t) {
		for _, lang := range []string{"fr", "en"} {
			d := build(t, Input{System: load(t, p), Date: day, Lang: lang})
			pages, err := d.pdf(nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if d.Sections[0].ID != "summary" || pages[1] != pages[0]+1 {
				t.Errorf("%s %s: the summary runs from page %d to %d", p, lang, pages[0], pages[1]-1)
			}
		}
	}
}

// TestODTInLibreOffice converts the ODT to PDF with LibreOffice when it is
// installed (it is not required: the structure checks above always run)
// and checks that the text came through.
func TestODTInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("skipped: LibreOffice (soffice) is absent")
	}
	pdftotext := tool(t, "pdftotext")
	sys := load(t, "../testdata/cases/04-caf-score-risque-controles.yaml")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.odt"), render(t, build(t, Input{System: sys, Date: day}), FormatODT), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", dir, filepath.Join(dir, "d.odt"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	out, err := exec.Command(pdftotext, filepath.Join(dir, "d.pdf"), "-").Output()
	if err != nil {
		t.Fatalf("LibreOffice made no PDF: %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, w := range []string{"Bordereau des pièces", "Pièce n° 1", "Reproduire chaque chiffre", "Gravité × fréquence"} {
		if !strings.Contains(text, w) {
			t.Errorf("LibreOffice's rendering lacks %q", w)
		}
	}
}
