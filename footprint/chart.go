package footprint

import (
	"fmt"
	"math"
	"strings"

	"github.com/vigie-app/vigie/chart"
)

// quantityNames are the short names of the five indicators.
var quantityNames = map[string]Text{
	"energy_kwh":  {"Énergie", "Energy"},
	"gwp_kgco2e":  {"Gaz à effet de serre", "Greenhouse gases"},
	"adpe_kgsbeq": {"Métaux (ADPe)", "Metals (ADPe)"},
	"pe_mj":       {"Énergie primaire", "Primary energy"},
	"water_l":     {"Eau", "Water"},
}

// QuantityName returns the short name of an indicator ("gwp_kgco2e") in
// lang.
func QuantityName(q, lang string) string {
	if t, ok := quantityNames[q]; ok {
		return t.In(lang)
	}
	return q
}

// Share is the part of usage (or of embodied) in the total of one pass of
// the chain: the lower pass (lower) or the upper one. It is 0 when the
// total is 0.
func (s Split) Share(usage, lower bool) float64 {
	u, e := s.Usage.Max, s.Embodied.Max
	if lower {
		u, e = s.Usage.Min, s.Embodied.Min
	}
	if u+e <= 0 {
		return 0
	}
	if usage {
		return u / (u + e)
	}
	return e / (u + e)
}

// Percent writes a share as a whole percentage, "< 1 %" and "> 99 %" at
// the ends, with French or English spacing.
func Percent(x float64, lang string) string {
	sp := "\u202f%"
	if lang == "en" {
		sp = "%"
	}
	switch p := x * 100; {
	case p > 0 && p < 1:
		return "< 1" + sp
	case p < 100 && p > 99:
		return "> 99" + sp
	default:
		return fmt.Sprintf("%.0f", math.Round(p)) + sp
	}
}

// Colours of the charts, readable on white and told apart by their
// position and labels too: usage (electricity) in blue, embodied
// (manufacturing of the hardware) in amber.
const (
	UsageColour    = "#1d4ed8"
	EmbodiedColour = "#b45309"
)

// SplitChart is the usage/embodied split of im as stacked 100 % bars, one
// per indicator that has the split and pass of the chain (lower and upper
// end of the range when they differ). The pages, the PDF and the ODT draw
// this one chart.
func SplitChart(im Impacts, lang string) chart.Chart {
	t := func(fr, en string) string { return Text{fr, en}.In(lang) }
	colon, semi := " :", " ;"
	if lang == "en" {
		colon, semi = ":", ";"
	}
	c := chart.Chart{ID: "fp-chart", Lang: lang, Mark: chart.Stack, Width: 720, LabelWidth: 250,
		Title:  t("Répartition usage / fabrication d'une requête", "Usage / embodied split of one request"),
		Axis:   chart.Axis{Min: 0, Max: 1, NoTicks: true},
		Legend: []chart.Legend{{Label: t("Usage (électricité)", "Usage (electricity)"), Colour: UsageColour}, {Label: t("Fabrication du matériel", "Hardware manufacturing"), Colour: EmbodiedColour}}}
	var desc []string
	add := func(label string, u float64) {
		c.Rows = append(c.Rows, chart.Row{Label: label, Segments: []chart.Segment{
			{Value: u, Colour: UsageColour, Label: Percent(u, lang)},
			{Value: 1 - u, Colour: EmbodiedColour, Label: Percent(1-u, lang)}}})
		desc = append(desc, fmt.Sprintf("%s%s %s %s, %s %s", label, colon, t("usage", "usage"), Percent(u, lang), t("fabrication", "embodied"), Percent(1-u, lang)))
	}
	for _, x := range []struct {
		q string
		s Split
	}{{"gwp_kgco2e", im.GWP}, {"adpe_kgsbeq", im.ADPe}, {"pe_mj", im.PE}} {
		name := QuantityName(x.q, lang)
		lo, hi := x.s.Share(true, true), x.s.Share(true, false)
		if Percent(lo, lang) == Percent(hi, lang) {
			add(name, lo)
			continue
		}
		add(name+" ("+t("bas de la plage", "lower end of the range")+")", lo)
		add(name+" ("+t("haut de la plage", "upper end of the range")+")", hi)
	}
	c.Desc = strings.Join(desc, semi+" ")
	return c
}

// RangeChart draws one indicator's estimate (min–max) beside the published
// anchors that give a figure for the same quantity and unit, on a
// logarithmic axis: how the estimate compares with what others measured.
// Anchors give figures per request, so the chart is per request. It has no
// row when the indicator is absent.
func RangeChart(res *Result, q, lang string) chart.Chart {
	t := func(fr, en string) string { return Text{fr, en}.In(lang) }
	c := chart.Chart{ID: "fp-range-" + q, Lang: lang, Mark: chart.Range, Axis: chart.Axis{Log: true},
		Title:   QuantityName(q, lang) + " — " + t("estimation par requête et repères publiés", "estimate per request and published anchors"),
		Caption: t("échelle logarithmique", "logarithmic scale")}
	r, ok := res.PerRequest.quantity(q)
	if !ok || r.Max <= 0 {
		return c
	}
	c.Rows = append(c.Rows, chart.Row{Label: t("Cette estimation", "This estimate"), Low: chart.V(r.Min), High: chart.V(r.Max),
		Colour: UsageColour, Note: FormatRange(r, q, lang)})
	for _, a := range res.Anchors {
		for _, v := range a.Values {
			if v.Quantity != q || v.Per != "request" {
				continue
			}
			lo, hi := v.Min, v.Max
			if v.Value != nil {
				lo, hi = v.Value, v.Value
			}
			if lo == nil || hi == nil || *lo <= 0 {
				continue
			}
			label := a.Source
			if l := v.Label.In(lang); l != "" {
				label = l
			}
			c.Rows = append(c.Rows, chart.Row{Label: label, Low: chart.V(*lo), High: chart.V(*hi), Colour: "#6b7280",
				Note: FormatRange(Range{*lo, *hi}, q, lang)})
		}
	}
	return c
}

// quantity returns one indicator of im.
func (im Impacts) quantity(q string) (Range, bool) {
	switch q {
	case "energy_kwh":
		return im.EnergyKWh, true
	case "gwp_kgco2e":
		return im.GWP.Range, true
	case "adpe_kgsbeq":
		return im.ADPe.Range, true
	case "pe_mj":
		return im.PE.Range, true
	case "water_l":
		if im.Water != nil {
			return *im.Water, true
		}
	}
	return Range{}, false
}
