package chart

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"os/exec"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

func sample() Chart {
	return Chart{ID: "c1", Title: "Rapports <à> la référence", Mark: Point, Lang: "fr",
		Caption: "rapport au groupe « A »",
		Axis:    Axis{Log: true, Min: 0.1, Max: 10, Ticks: []Tick{{Value: 0.1}, {Value: 0.8}, {Value: 1}, {Value: 1.25}, {Value: 10}}},
		Band:    &Band{Low: 0.8, High: 1.25}, Ref: V(1),
		Rows: []Row{
			{Label: "B & C", Value: V(1.9), Low: V(1.7), High: V(2.1), Colour: "#c0392b", Note: "1,90 [1,70–2,10]"},
			{Label: "D", Value: V(40), Colour: "#27ae60", Note: "40"},
			{Label: "E", Note: "indéfini"},
		}}
}

// wellFormed parses s as XML and returns the elements' names.
func wellFormed(t *testing.T, s string) []string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	var names []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, s)
		}
		if se, ok := tok.(xml.StartElement); ok {
			names = append(names, se.Name.Local)
		}
	}
}

func TestSVGAccessibleAndEscaped(t *testing.T) {
	c := sample()
	svg := c.SVG()
	names := wellFormed(t, svg)
	if names[0] != "svg" || names[1] != "title" || names[2] != "desc" {
		t.Errorf("first elements %v, want svg, title, desc", names[:3])
	}
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-title c1-desc"`, `id="c1-title"`, `id="c1-desc"`,
		"Rapports &lt;à&gt; la référence", "B &amp; C", "1,90 [1,70–2,10]", `fill="#e3f4e1"`, "0,8", "1,25"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Contains(svg, "<script") || strings.Contains(svg, "style=") {
		t.Error("SVG has a script or a style attribute")
	}
	// One dot per row with a value, and an arrow for the value beyond the axis.
	if n := strings.Count(svg, "<circle"); n != 2 {
		t.Errorf("%d dots, want 2", n)
	}
	if n := strings.Count(svg, "<polygon"); n != 1 {
		t.Errorf("%d arrows, want 1 (the value 40 beyond 10)", n)
	}
	// The description is built from the rows when Desc is empty.
	if !strings.Contains(svg, "<desc id=\"c1-desc\">B &amp; C : 1,90 [1,70–2,10] ; D : 40 ; E : indéfini</desc>") {
		t.Errorf("desc: %s", svg)
	}
}

func TestHostileColourAndLabel(t *testing.T) {
	c := Chart{Title: `"><script>`, Rows: []Row{{Label: `</text><script>alert(1)</script>`, Value: V(1), Colour: `red" onload="x`}}}
	svg := c.SVG()
	wellFormed(t, svg)
	if strings.Contains(svg, "<script") || strings.Contains(svg, "onload") {
		t.Errorf("hostile data reached the markup: %s", svg)
	}
	if !strings.Contains(svg, `aria-label="&#34;&gt;&lt;script&gt;"`) {
		t.Errorf("no aria-label without an id: %s", svg)
	}
}

func TestLogScale(t *testing.T) {
	s := scale{log: true, min: 0.1, max: 10, x0: 0, x1: 200}
	for _, c := range []struct{ v, x float64 }{{0.1, 0}, {1, 100}, {10, 200}, {100, 200}, {0.01, 0}} {
		if got := s.at(c.v); math.Abs(got-c.x) > 1e-9 {
			t.Errorf("at(%g) = %g, want %g", c.v, got, c.x)
		}
	}
}

func TestAutomaticAxis(t *testing.T) {
	c := Chart{Mark: Bar, Rows: []Row{{Label: "a", Value: V(3.2)}, {Label: "b", Value: V(7.9), Low: V(6), High: V(9.4)}}}
	lo, hi := c.domain()
	if lo != 0 || hi != 10 {
		t.Errorf("domain %g–%g, want 0–10", lo, hi)
	}
	ticks := c.ticks(scale{min: lo, max: hi})
	var vs []float64
	for _, tk := range ticks {
		vs = append(vs, tk.Value)
	}
	if len(vs) != 6 || vs[0] != 0 || vs[5] != 10 {
		t.Errorf("ticks %v, want 0, 2, …, 10", vs)
	}
	c.Axis.Log = true
	c.Mark = Range
	c.Rows = []Row{{Label: "x", Low: V(0.0003), High: V(0.004)}}
	if lo, hi := c.domain(); lo != 0.0001 || hi != 0.01 {
		t.Errorf("log domain %g–%g, want 1e-4–1e-2", lo, hi)
	}
}

func TestTimeline(t *testing.T) {
	start, due := Day(2026, time.February, 12), Day(2026, time.April, 13)
	today, _ := ParseDay("2026-12-03")
	c := Chart{Mark: Range, Lang: "fr", Axis: Axis{Time: true}, Ref: V(today), Rows: []Row{
		{Label: "Consultation", Low: V(start), High: V(due)},
		{Label: "Information", Low: V(start), High: V(start)}}}
	lo, hi := c.domain()
	if lo != Day(2026, time.February, 1) || hi != Day(2027, time.January, 1) {
		t.Errorf("domain %v–%v", dayTime(lo), dayTime(hi))
	}
	svg := c.SVG()
	wellFormed(t, svg)
	for _, want := range []string{"févr. 2026", "2026-02-12 – 2026-04-13"} {
		if !strings.Contains(svg, want) {
			t.Errorf("timeline lacks %q: %s", want, svg)
		}
	}
	c.Lang = "en"
	if svg := c.SVG(); !strings.Contains(svg, "Feb 2026") {
		t.Errorf("English timeline lacks Feb 2026: %s", svg)
	}
}

func TestStackLabelsInside(t *testing.T) {
	c := Chart{Mark: Stack, Axis: Axis{Min: 0, Max: 1, NoTicks: true}, Rows: []Row{{Label: "GES", Segments: []Segment{
		{Value: 0.86, Colour: "#1d4ed8", Label: "86 %"}, {Value: 0.14, Colour: "#b45309", Label: "14 %"}}},
		{Label: "ADPe", Segments: []Segment{{Value: 0.01, Colour: "#1d4ed8", Label: "1 %"}, {Value: 0.99, Colour: "#b45309", Label: "99 %"}}}}}
	svg := c.SVG()
	for _, want := range []string{">86 %<", ">14 %<", ">99 %<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Contains(svg, ">1 %<") {
		t.Error("a label is written in a segment too narrow for it")
	}
	head, rows := c.Table()
	if len(head) != 2 || len(rows) != 2 || rows[0][1] != "86 % / 14 %" {
		t.Errorf("table %v %v", head, rows)
	}
	if tbl := c.TableHTML(); !strings.Contains(tbl, `<th scope="row">GES</th><td>86 % / 14 %</td>`) {
		t.Errorf("table HTML: %s", tbl)
	}
}

// TestPDF draws the chart in a PDF and checks, through pdftotext when it
// is installed, that its texts are there; the drawing is vector (no image).
func TestPDF(t *testing.T) {
	pdf := fpdf.New("P", "mm", "A4", "")
	fam := RegisterPDFFont(pdf)
	RegisterPDFFont(pdf)
	pdf.SetCompression(false)
	pdf.AddPage()
	c := sample()
	h := c.DrawPDF(pdf, 20, 30, 170, fam)
	if want := c.Size(170); math.Abs(h-want) > 1e-9 || h <= 0 {
		t.Errorf("height %g, Size %g", h, want)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("/Subtype /Image")) {
		t.Error("the chart was drawn as an image")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = &buf
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"C", "1,90 [1,70–2,10]", "indéfini", "rapport au groupe « A »", "1,25"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("PDF text lacks %q:\n%s", want, out)
		}
	}
}

func TestFormatNum(t *testing.T) {
	for _, c := range []struct {
		x    float64
		en   bool
		want string
	}{{0, false, "0"}, {2, false, "2"}, {1.25, false, "1,25"}, {1.25, true, "1.25"}, {0.00031, false, "0,00031"}, {1500, true, "1500"}} {
		if got := formatNum(c.x, c.en); got != c.want {
			t.Errorf("formatNum(%g, %v) = %q, want %q", c.x, c.en, got, c.want)
		}
	}
}
