package footprint

import (
	"strings"
	"testing"
)

func TestSplitChart(t *testing.T) {
	r, err := Estimate(Input{ParamsActive: ptr(Range{8, 120}), OutputTokens: Exact(100)})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "en"} {
		c := SplitChart(r.PerRequest, lang)
		if len(c.Rows) < 3 {
			t.Fatalf("%s: %d rows, want one per indicator with a split at least", lang, len(c.Rows))
		}
		for _, row := range c.Rows {
			if len(row.Segments) != 2 || row.Segments[0].Value+row.Segments[1].Value != 1 {
				t.Errorf("%s: row %q segments %v, want usage + embodied = 1", lang, row.Label, row.Segments)
			}
		}
		u := r.PerRequest.GWP.Share(true, true)
		if got := c.Rows[0].Segments[0].Value; got != u {
			t.Errorf("%s: first bar usage %g, want the lower pass's share %g", lang, got, u)
		}
		svg := c.SVG()
		if !strings.Contains(svg, `id="fp-chart-title"`) || !strings.Contains(svg, Percent(u, lang)) {
			t.Errorf("%s: SVG lacks its title id or the usage share %s", lang, Percent(u, lang))
		}
	}
}

func TestRangeChartAnchors(t *testing.T) {
	r, err := Estimate(Input{Model: "mistral-large-latest", OutputTokens: Exact(400), Zone: "SWE"})
	if err != nil {
		t.Fatal(err)
	}
	c := RangeChart(r, "energy_kwh", "fr")
	if len(c.Rows) < 2 {
		t.Fatalf("%d rows, want the estimate and at least one anchor per request", len(c.Rows))
	}
	e := r.PerRequest.EnergyKWh
	if *c.Rows[0].Low != e.Min || *c.Rows[0].High != e.Max {
		t.Errorf("first row %g–%g, want the estimate %v", *c.Rows[0].Low, *c.Rows[0].High, e)
	}
	if c := RangeChart(r, "nothing", "fr"); len(c.Rows) != 0 {
		t.Errorf("unknown indicator: %d rows", len(c.Rows))
	}
}
