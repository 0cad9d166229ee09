package web

import (
	"html/template"
	"strings"

	"github.com/vigie-app/vigie/footprint"
)

// fpView is a footprint.Result laid out for the environment tab. Every
// figure in it comes from the result; this file only formats.
type fpView struct {
	Method, MethodLabel, Scope, Credit string
	Model, Provider, Architecture      string
	AliasOf                            string
	ParamsActive, ParamsTotal          string
	Zone                               string
	ZoneDefaulted                      bool
	PUE, PUESource                     string
	WUE, WUESource                     string // empty when the method has no water
	Requests, PerDay, Days             string
	HasYear                            bool
	Rows                               []fpRow
	Chart                              template.HTML
	Split                              []fpSplitRow
	Extensions                         []fpExt
	Anchors                            []fpAnchor
	Equivalents                        []fpEquiv
	Drivers                            []string
	Warnings                           []string
	Command                            string
}

// fpRow is one indicator: per request, per year and in total.
type fpRow struct {
	Q, Label                       string
	PerRequest, PerYear, Total     string
	PerRequestRaw, PerYearRaw      string // min-max in the result's unit, for <data value>
	PerRequestSplit, PerYearSplit  string // "usage … ; fabrication …"
	TotalRaw, TotalSplit, NoneText string
}

// fpSplitRow is one indicator of the usage/embodied split, per request.
type fpSplitRow struct {
	Label, Usage, Embodied, UsageShare, EmbodiedShare string
}

type fpExt struct {
	Label, Assumption string
	Sources           []string
	PerRequest, Total string
}

type fpAnchor struct {
	Figure, Scope, Source, DOI, URL, Date string
}

type fpEquiv struct {
	Label, PerRequest, Total, Factor, Source string
}

func newFPView(res *footprint.Result, in footprint.Input, l *loc) *fpView {
	lang := l.Lang
	num := func(r footprint.Range) string { return footprint.FormatRange(r, "", lang) }
	v := &fpView{Method: res.Method, MethodLabel: res.MethodLabel.In(lang), Scope: res.Scope.In(lang), Credit: res.Credit,
		ParamsActive: num(res.Inputs.ParamsActive), ParamsTotal: num(res.Inputs.ParamsTotal),
		Zone:          res.Inputs.Zone.Code + " — " + footprint.ZoneName(res.Inputs.Zone.Code, lang),
		ZoneDefaulted: res.Inputs.ZoneDefaulted,
		PUE:           num(res.Inputs.PUE.Range), PUESource: res.Inputs.PUE.Source,
		Requests: num(res.Inputs.Requests), HasYear: res.PerYear != nil,
		Command: fpCommand(in, res, lang)}
	if m := res.Inputs.Model; m != nil {
		v.Model, v.Provider, v.Architecture = m.Name, m.Provider, m.Architecture
		if m.AliasOf != "" {
			v.AliasOf = m.Requested
		}
	}
	if w := res.Inputs.WUE; w != nil {
		v.WUE, v.WUESource = num(w.Range), w.Source
	}
	if p := res.Inputs.RequestsPerDay; p != nil {
		v.PerDay = num(*p)
	}
	if d := res.Inputs.Days; d != nil {
		v.Days = num(*d)
	}
	split := func(s footprint.Split, q string) string {
		return l.T("fp.usage") + " " + footprint.FormatRange(s.Usage, q, lang) + l.T("fp.semi") + " " +
			l.T("fp.embodied") + " " + footprint.FormatRange(s.Embodied, q, lang)
	}
	for _, q := range []string{"energy_kwh", "gwp_kgco2e", "adpe_kgsbeq", "pe_mj", "water_l"} {
		row := fpRow{Q: q, Label: l.T("fp.q." + q)}
		cell := func(im footprint.Impacts) (text, raw, sp string) {
			var r footprint.Range
			switch q {
			case "energy_kwh":
				r = im.EnergyKWh
			case "gwp_kgco2e":
				r, sp = im.GWP.Range, split(im.GWP, q)
			case "adpe_kgsbeq":
				r, sp = im.ADPe.Range, split(im.ADPe, q)
			case "pe_mj":
				r, sp = im.PE.Range, split(im.PE, q)
			case "water_l":
				if im.Water == nil {
					return l.T("fp.nowater"), "", ""
				}
				r = *im.Water
			}
			return footprint.FormatRange(r, q, lang), r.String(), sp
		}
		row.PerRequest, row.PerRequestRaw, row.PerRequestSplit = cell(res.PerRequest)
		if res.PerYear != nil {
			row.PerYear, row.PerYearRaw, row.PerYearSplit = cell(*res.PerYear)
		}
		row.Total, row.TotalRaw, row.TotalSplit = cell(res.Total)
		v.Rows = append(v.Rows, row)
	}
	for _, x := range fpSplits(res.PerRequest) {
		v.Split = append(v.Split, fpSplitRow{Label: l.T("fp.q." + x.q),
			Usage: footprint.FormatRange(x.s.Usage, x.q, lang), Embodied: footprint.FormatRange(x.s.Embodied, x.q, lang),
			UsageShare: sharesText(x.s, true, lang), EmbodiedShare: sharesText(x.s, false, lang)})
	}
	v.Chart = fpChart(res.PerRequest, l)
	for _, x := range res.Extensions {
		line := func(im footprint.Impacts) string {
			s := footprint.FormatRange(im.EnergyKWh, "energy_kwh", lang) + l.T("fp.semi") + " " + footprint.FormatRange(im.GWP.Range, "gwp_kgco2e", lang)
			if im.Water != nil {
				s += l.T("fp.semi") + " " + l.T("fp.water") + " " + footprint.FormatRange(*im.Water, "water_l", lang)
			}
			return s
		}
		v.Extensions = append(v.Extensions, fpExt{Label: x.Label.In(lang), Assumption: x.Assumption.In(lang), Sources: x.Sources,
			PerRequest: line(x.PerRequest), Total: line(x.Total)})
	}
	for _, a := range res.Anchors {
		v.Anchors = append(v.Anchors, fpAnchor{Figure: a.Figure.In(lang), Scope: a.Scope.In(lang), Source: a.Source, DOI: a.DOI, URL: a.URL, Date: a.Date})
	}
	for _, q := range res.Equivalents {
		v.Equivalents = append(v.Equivalents, fpEquiv{Label: q.Label.In(lang), PerRequest: num(q.PerRequest), Total: num(q.Total),
			Factor: num(footprint.Exact(q.Factor.Value)) + " " + q.Factor.Unit, Source: q.Factor.Source})
	}
	for _, d := range res.RangeDrivers {
		x := d.GWPRatio
		if d.Input == "wue" && d.WaterRatio != nil {
			x = *d.WaterRatio
		}
		v.Drivers = append(v.Drivers, d.Label.In(lang)+" (× "+num(footprint.Exact(x))+")")
	}
	for _, w := range res.Warnings {
		v.Warnings = append(v.Warnings, w.Text.In(lang))
	}
	return v
}

type fpSplitOf struct {
	q string
	s footprint.Split
}

func fpSplits(im footprint.Impacts) []fpSplitOf {
	return []fpSplitOf{{"gwp_kgco2e", im.GWP}, {"adpe_kgsbeq", im.ADPe}, {"pe_mj", im.PE}}
}

// sharesText is the share of usage or embodied in both passes: "86 %" or
// "80 – 86 %" when the passes differ.
func sharesText(s footprint.Split, usage bool, lang string) string {
	a, b := footprint.Percent(s.Share(usage, true), lang), footprint.Percent(s.Share(usage, false), lang)
	if a == b {
		return a
	}
	return strings.TrimSuffix(strings.TrimSuffix(a, "%"), "\u202f") + " – " + b
}

// fpChart draws the usage/embodied split of one request (the chart the
// dossier draws too) as inline SVG. The same figures are in the table that
// follows it.
func fpChart(im footprint.Impacts, l *loc) template.HTML {
	c := footprint.SplitChart(im, l.Lang)
	return template.HTML(c.SVG())
}
