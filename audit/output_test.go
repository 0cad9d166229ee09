package audit

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

// compasLike builds a file with ProPublica's COMPAS confusion counts
// (African-American TP 1369 FP 805 FN 532 TN 990; Caucasian TP 505 FP 349
// FN 461 TN 1139), the numbers of the contract's JSON example.
func compasLike() []byte {
	var b bytes.Buffer
	b.WriteString("race;decile;two_year_recid\n")
	put := func(race string, tp, fp, fn, tn int) {
		for i := 0; i < tp; i++ {
			fmt.Fprintf(&b, "%s;8;1\n", race)
		}
		for i := 0; i < fp; i++ {
			fmt.Fprintf(&b, "%s;7;0\n", race)
		}
		for i := 0; i < fn; i++ {
			fmt.Fprintf(&b, "%s;2;1\n", race)
		}
		for i := 0; i < tn; i++ {
			fmt.Fprintf(&b, "%s;1;0\n", race)
		}
	}
	put("African-American", 1369, 805, 532, 990)
	put("Caucasian", 505, 349, 461, 1139)
	return b.Bytes()
}

func compasConfig() Config {
	return Config{Groups: []string{"race"}, Score: "decile", Threshold: fptr(5), Label: "two_year_recid",
		Reference: map[string]string{"race": "Caucasian"}}
}

func TestContractExample(t *testing.T) {
	r := runBytes(t, compasLike(), compasConfig())
	a := attr(t, r, "race")
	g := group(t, a, "African-American")
	if g.N != 3696 || *g.Counts.TP != 1369 || *g.Counts.FP != 805 || *g.Counts.FN != 532 || *g.Counts.TN != 990 {
		t.Fatalf("counts %+v", g.Counts)
	}
	m := g.Metrics["fpr"]
	near(t, "fpr", val(m.Value), 0.448468, 6)
	near(t, "fpr ci low", val(m.CILow), 0.4256, 4)
	near(t, "fpr ci high", val(m.CIHigh), 0.4716, 4)
	d := g.Disparities["fpr"]
	near(t, "ratio", val(d.Ratio), 1.912093, 6)
	near(t, "ratio ci low", val(d.RatioCILow), 1.7212, 4)
	near(t, "ratio ci high", val(d.RatioCIHigh), 2.1241, 4)
	near(t, "difference", val(d.Difference), 0.213925, 6)
	if d.Verdict != VerdictDisparity {
		t.Errorf("verdict %s", d.Verdict)
	}
	fr := r.Sentence("fr", "fpr", &a, &g)
	for _, want := range []string{
		"Parmi les personnes dont l'issue observée (« two_year_recid ») est négative, 44,8\u00a0% des «\u00a0African-American\u00a0» ont été signalées contre 23,5\u00a0% des «\u00a0Caucasian\u00a0»",
		"1,9 fois plus (IC 95\u00a0% 1,72–2,12), soit 384 personnes de plus.",
		"Disparité établie",
	} {
		if !strings.Contains(fr, want) {
			t.Errorf("French sentence\n%s\nlacks\n%s", fr, want)
		}
	}
	en := r.Sentence("en", "fpr", &a, &g)
	for _, want := range []string{
		"Among people whose observed outcome (“two_year_recid”) is negative, 44.8% of “African-American” were flagged against 23.5% of “Caucasian”",
		"1.9 times as often (95% CI 1.72–2.12), i.e. 384 more people.",
		"Disparity established",
	} {
		if !strings.Contains(en, want) {
			t.Errorf("English sentence\n%s\nlacks\n%s", en, want)
		}
	}
}

func TestTextAndHTML(t *testing.T) {
	r := runBytes(t, compasLike(), compasConfig())
	var fr, en, h bytes.Buffer
	if err := r.WriteText(&fr, "fr"); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteText(&en, "en"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DÉFAVORABLE", "«\u00a0decile\u00a0» ≥ 5", "En bref", "groupe de référence «\u00a0Caucasian\u00a0» (choisi", "Taux de faux positifs (fpr)"} {
		if !strings.Contains(fr.String(), want) {
			t.Errorf("French text lacks %q", want)
		}
	}
	for _, want := range []string{"ADVERSE", "In short", "False positive rate (fpr)", "reference group “Caucasian” (chosen"} {
		if !strings.Contains(en.String(), want) {
			t.Errorf("English text lacks %q", want)
		}
	}
	if strings.Contains(en.String(), "personnes") {
		t.Error("French words in the English text")
	}
	if err := r.WriteHTML(&h, "fr"); err != nil {
		t.Fatal(err)
	}
	page := h.String()
	if n := strings.Count(page, "<svg"); n != 2*len(MetricNames) {
		t.Errorf("%d charts, want two per metric (%d)", n, 2*len(MetricNames))
	}
	// every chart is well-formed XML: the rates as bars with their
	// intervals, the ratios as points against the band
	rest := page
	for {
		i := strings.Index(rest, "<svg")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], "</svg>") + i + len("</svg>")
		svg := rest[i:j]
		dec := xml.NewDecoder(strings.NewReader(svg))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("chart is not well-formed: %v\n%s", err, svg)
			}
		}
		if strings.Contains(svg, `id="audit-rates-`) {
			if strings.Count(svg, "<rect") != len(r.Attributes[0].Groups) || strings.Contains(svg, "pprev") && (!strings.Contains(svg, "Caucasian (référence)") || !strings.Contains(svg, "[32,9–36,7]")) {
				t.Errorf("rate chart lacks a bar per group or the reference's rate and interval: %s", svg)
			}
		} else if !strings.Contains(svg, `fill="#e3f4e1"`) || !strings.Contains(svg, "<circle") {
			t.Errorf("chart lacks band or points: %s", svg)
		}
		rest = rest[j:]
	}
	for _, want := range []string{`<html lang="fr">`, "African-American", "1,912", "1,72–2,12", `class="disparity"`} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	// A report handed on names the system, the organisation and the day.
	var ab strings.Builder
	if err := r.WriteHTMLAbout(&ab, "fr", About{System: "Score <COMPAS>", Organisation: "CSE Alpha", Date: "2 août 2030"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Score &lt;COMPAS&gt;", "CSE Alpha", "2 août 2030", r.Input.SHA256} {
		if !strings.Contains(ab.String(), want) {
			t.Errorf("HTML with its head lacks %q", want)
		}
	}
}

func TestJSONContract(t *testing.T) {
	r := runBytes(t, compasLike(), compasConfig())
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["schema"] != "vigie/audit/v1" {
		t.Errorf("schema %v", m["schema"])
	}
	in := m["input"].(map[string]any)
	for _, k := range []string{"path", "sha256", "rows", "excluded", "exclusions"} {
		if _, ok := in[k]; !ok {
			t.Errorf("input.%s missing", k)
		}
	}
	if _, ok := in["exclusions"].(map[string]any)["missing score"]; !ok {
		t.Error(`input.exclusions["missing score"] missing`)
	}
	a := m["attributes"].([]any)[0].(map[string]any)
	if a["name"] != "race" || a["reference"] != "Caucasian" {
		t.Errorf("attribute %v %v", a["name"], a["reference"])
	}
	g := a["groups"].([]any)[1].(map[string]any)
	for _, k := range []string{"value", "n", "counts", "metrics", "disparities"} {
		if _, ok := g[k]; !ok {
			t.Errorf("group.%s missing", k)
		}
	}
	c := g["counts"].(map[string]any)
	for _, k := range []string{"tp", "fp", "fn", "tn"} {
		if _, ok := c[k]; !ok {
			t.Errorf("counts.%s missing", k)
		}
	}
	mt := g["metrics"].(map[string]any)
	for _, name := range MetricNames {
		x, ok := mt[name].(map[string]any)
		if !ok {
			t.Errorf("metric %s missing", name)
			continue
		}
		for _, k := range []string{"value", "ci_low", "ci_high"} {
			if _, ok := x[k]; !ok {
				t.Errorf("metrics.%s.%s missing", name, k)
			}
		}
	}
	d := g["disparities"].(map[string]any)["fpr"].(map[string]any)
	for _, k := range []string{"ratio", "ratio_ci_low", "ratio_ci_high", "difference", "p_value", "verdict"} {
		if _, ok := d[k]; !ok {
			t.Errorf("disparities.fpr.%s missing", k)
		}
	}
	if m["direction"] != "adverse" {
		t.Errorf("direction %v", m["direction"])
	}
	// without a label only pprev
	r2 := runBytes(t, compasLike(), Config{Groups: []string{"race"}, Score: "decile", Threshold: fptr(5)})
	if len(r2.Attributes[0].Groups[1].Metrics) != 1 || r2.Attributes[0].Groups[1].Counts.TP != nil {
		t.Errorf("without label: %+v", r2.Attributes[0].Groups[1])
	}
	// a zero reference rate: null with its reason, never a number
	r3 := runBytes(t, []byte("g,s\n"+strings.Repeat("a,1\n", 40)+strings.Repeat("b,0\n", 40)), Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1), Reference: map[string]string{"g": "b"}})
	b3, _ := json.Marshal(r3.Attributes[0].Groups[1].Disparities["pprev"])
	if !strings.Contains(string(b3), `"ratio":null`) || !strings.Contains(string(b3), "reference rate 0") {
		t.Errorf("zero reference rate: %s", b3)
	}
}

// TestJSONRoundTrip: a stored report (JSON) renders the same text and HTML
// as the report it came from, so the web app can keep only the JSON.
func TestJSONRoundTrip(t *testing.T) {
	r := runBytes(t, compasLike(), compasConfig())
	var j bytes.Buffer
	if err := r.WriteJSON(&j); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(j.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "en"} {
		var a, b bytes.Buffer
		r.WriteText(&a, lang)
		back.WriteText(&b, lang)
		if a.String() != b.String() {
			t.Errorf("%s text differs after a JSON round trip", lang)
		}
		a.Reset()
		b.Reset()
		r.WriteHTML(&a, lang)
		back.WriteHTML(&b, lang)
		if a.String() != b.String() {
			t.Errorf("%s HTML differs after a JSON round trip", lang)
		}
	}
}
