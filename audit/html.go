package audit

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/chart"
)

// About names what an audit is about, for the head of a report that is
// handed on: the system, the organisation, the date of the audit written
// by the caller (the engine has no clock). Empty fields are left out.
type About struct {
	System, Organisation, Date string
}

// WriteHTML writes a self-contained HTML page: the plain-language summary,
// then per attribute and metric an SVG chart of each group's rate with its
// 95 % interval, one of the ratios with their intervals against the
// 0.8–1.25 band, and the tables with the counts.
func (r *Report) WriteHTML(w io.Writer, lang string) error {
	return r.WriteHTMLAbout(w, lang, About{})
}

// WriteHTMLAbout is WriteHTML with a head that names the system, the
// organisation and the date.
func (r *Report) WriteHTMLAbout(w io.Writer, lang string, about About) error {
	f := newFmtr(lang)
	type row struct {
		Group, N, X, Rate, CI, Ratio, RatioCI, Diff, DiffCI, P, PAdj, Test, Verdict, Class string
	}
	type block struct {
		Metric, Code string
		Chart, Rates template.HTML
		Rows         []row
		Sentences    []string
		Omnibus      string
	}
	type attr struct {
		Name, Reference, SEDF string
		Blocks                []block
	}
	var attrs []attr
	var summary []string
	mts := metricTexts(r.Config.Label)
	for ai := range r.Attributes {
		a := &r.Attributes[ai]
		at := attr{Name: a.Name, Reference: a.Reference}
		if s := a.SEDF; s != nil && s.Epsilon != nil {
			at.SEDF = fmt.Sprintf("ε = %s (%s %s / %s)", f.dec(*s.Epsilon, 4), f.t("entre", "between"), f.q(s.Pair[0]), f.q(s.Pair[1]))
		}
		for _, m := range r.metrics() {
			b := block{Metric: vigie.UpperFirst(f.metricName(mts[m])), Code: m}
			for gi := range a.Groups {
				g := &a.Groups[gi]
				mt := g.Metrics[m]
				rw := row{Group: g.Value, N: f.int(mt.Denominator), X: f.int(mt.Numerator), Rate: f.pct(mt.Value)}
				if mt.CILow != nil {
					rw.CI = f.ci(*mt.CILow, *mt.CIHigh)
				}
				if gi == 0 {
					rw.Ratio, rw.Verdict, rw.Class = "1", f.t("référence", "reference"), "ref"
				} else {
					d := g.Disparities[m]
					if d.Ratio != nil {
						rw.Ratio = f.dec(*d.Ratio, 3)
					} else {
						rw.Ratio = f.ratioReason(d)
					}
					if d.RatioCILow != nil {
						rw.RatioCI = f.ci(*d.RatioCILow, *d.RatioCIHigh)
					}
					if d.Difference != nil {
						rw.Diff = f.dec(*d.Difference, 4)
						rw.DiffCI = f.ci(*d.DifferenceCILow, *d.DifferenceCIHigh)
					}
					rw.P, rw.PAdj, rw.Test = f.p(d.PValue), f.p(d.PAdjusted), d.Test
					rw.Verdict, rw.Class = f.verdictWord(d.Verdict), d.Verdict
					s := r.Sentence(lang, m, a, g)
					b.Sentences = append(b.Sentences, s)
					if d.Verdict == VerdictDisparity {
						summary = append(summary, a.Name+" — "+s)
					}
				}
				b.Rows = append(b.Rows, rw)
			}
			if o := a.Omnibus[m]; o.Chi2 != nil && len(a.Groups) > 2 {
				b.Omnibus = fmt.Sprintf("χ² = %s, %d %s, p %s", f.dec(*o.Chi2, 2), o.DF, f.t("ddl", "df"), f.pEq(o.PValue))
			}
			ch := ratioChart(f, a, ai, m, b.Metric)
			b.Chart = template.HTML(ch.SVG())
			rc := rateChart(f, a, ai, m, b.Metric)
			b.Rates = template.HTML(rc.SVG())
			at.Blocks = append(at.Blocks, b)
		}
		attrs = append(attrs, at)
	}
	lang2 := "fr"
	if f.en {
		lang2 = "en"
	}
	var warn []string
	for _, s := range r.Warnings {
		warn = append(warn, pick(f, s))
	}
	data := map[string]any{
		"Lang": lang2, "R": r, "Attrs": attrs, "About": about, "Summary": summary, "Warnings": warn,
		"Flag": r.flagDef(f), "Direction": f.direction(r.Direction),
		"Rows": f.int(r.Input.Rows), "Excluded": f.int(r.Input.Excluded),
		"T": func(fr, en string) string { return f.t(fr, en) },
	}
	return htmlTmpl.Execute(w, data)
}

var htmlTmpl = template.Must(template.New("audit").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{call .T "Audit de discrimination" "Discrimination audit"}} — vigie</title>
<style>
body{font-family:system-ui,sans-serif;max-width:74rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.82rem}
th,td{border:1px solid #ccc;padding:.2rem .4rem;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
tr.disparity td{background:#fde2e1} tr.parity td{background:#e3f4e1} tr.ref td{background:#eef}
.note{color:#555;font-size:.9rem} svg{display:block;margin:.5rem 0}
h3{margin-top:1.5rem}
table.about th,table.about td{text-align:left;white-space:normal;font-size:.9rem} td.hash{font-family:monospace;word-break:break-all}
code{overflow-wrap:anywhere} h1{font-size:1.6rem;line-height:1.2}
.charts{display:flex;flex-wrap:wrap;gap:0 1.5rem} .charts figure{flex:1 1 34rem;margin:.5rem 0;min-width:0;overflow-x:auto} .charts svg{min-width:34rem} figcaption{font-size:.85rem;color:#555}
</style></head><body>
<h1>{{call .T "Audit de discrimination" "Discrimination audit"}}{{with .About.System}} — {{.}}{{end}}</h1>
{{if or .About.System .About.Organisation .About.Date}}<table class="about"><tbody>
{{with .About.System}}<tr><th scope="row">{{call $.T "Système" "System"}}</th><td>{{.}}</td></tr>{{end}}
{{with .About.Organisation}}<tr><th scope="row">{{call $.T "Organisation" "Organisation"}}</th><td>{{.}}</td></tr>{{end}}
{{with .About.Date}}<tr><th scope="row">{{call $.T "Date de l'audit" "Date of the audit"}}</th><td>{{.}}</td></tr>{{end}}
<tr><th scope="row">{{call .T "Fichier analysé" "File analysed"}}</th><td>{{.R.Input.Path}}</td></tr>
{{with .R.Input.SHA256}}<tr><th scope="row">{{call $.T "Empreinte SHA-256 du fichier" "SHA-256 of the file"}}</th><td class="hash">{{.}}</td></tr>{{end}}
</tbody></table>{{end}}
<p>{{call .T "Fichier" "File"}} <code>{{.R.Input.Path}}</code>{{if .R.Input.SHA256}} (sha256 <code>{{.R.Input.SHA256}}</code>){{end}} :
{{.Rows}} {{call .T "lignes lues" "rows read"}}, {{.Excluded}} {{call .T "exclues" "excluded"}}.</p>
<p>{{call .T "Signalé signifie" "Flagged means"}} : {{.Flag}} ; {{.Direction}}.</p>
<p class="note">{{call .T "Intervalles de confiance à 95 % (Wilson pour un taux, Katz pour un rapport, Newcombe pour une différence). Bande de tolérance 0,8–1,25. Tests : z à deux proportions, ou exact de Fisher quand un effectif attendu est inférieur à 5, corrigés par Holm sur" "95% confidence intervals (Wilson for a rate, Katz for a ratio, Newcombe for a difference). Tolerance band 0.8–1.25. Tests: two-proportion z, or Fisher's exact when an expected count is below 5, Holm-corrected over"}} {{.R.Multiplicity.Family}} {{call .T "comparaisons" "comparisons"}}.</p>
{{range .Warnings}}<p class="note">⚠ {{.}}</p>{{end}}
<h2>{{call .T "En bref" "In short"}}</h2>
{{if .Summary}}<ul>{{range .Summary}}<li>{{.}}</li>{{end}}</ul>{{else}}<p>{{call .T "Aucune disparité établie avec ces données." "No disparity established with these data."}}</p>{{end}}
{{range .Attrs}}
<h2>{{call $.T "Attribut" "Attribute"}} « {{.Name}} » — {{call $.T "référence" "reference"}} « {{.Reference}} »</h2>
{{if .SEDF}}<p>{{call $.T "Équité différentielle lissée" "Smoothed differential fairness"}} : {{.SEDF}}</p>{{end}}
{{range .Blocks}}
<h3>{{.Metric}} <small>({{.Code}})</small></h3>
<div class="charts">
<figure>{{.Rates}}<figcaption>{{call $.T "Part de personnes signalées dans chaque groupe, avec son intervalle de confiance à 95 %." "Share of people flagged in each group, with its 95% confidence interval."}}</figcaption></figure>
<figure>{{.Chart}}<figcaption>{{call $.T "Rapport de chaque groupe au groupe de référence ; la bande verte est la tolérance 0,8–1,25." "Ratio of each group to the reference group; the green band is the 0.8–1.25 tolerance."}}</figcaption></figure>
</div>
<div class="scroll"><table><thead><tr><th>{{call $.T "groupe" "group"}}</th><th>{{call $.T "événements" "events"}}</th><th>{{call $.T "dénominateur" "denominator"}}</th><th>{{call $.T "taux" "rate"}}</th><th>IC 95 %</th><th>{{call $.T "rapport" "ratio"}}</th><th>IC 95 %</th><th>{{call $.T "différence" "difference"}}</th><th>IC 95 %</th><th>test</th><th>p</th><th>{{call $.T "p ajusté" "adjusted p"}}</th><th>verdict</th></tr></thead><tbody>
{{range .Rows}}<tr class="{{.Class}}"><td>{{.Group}}</td><td>{{.X}}</td><td>{{.N}}</td><td>{{.Rate}}</td><td>{{.CI}}</td><td>{{.Ratio}}</td><td>{{.RatioCI}}</td><td>{{.Diff}}</td><td>{{.DiffCI}}</td><td>{{.Test}}</td><td>{{.P}}</td><td>{{.PAdj}}</td><td>{{.Verdict}}</td></tr>
{{end}}</tbody></table></div>
{{if .Omnibus}}<p class="note">{{call $.T "Test global" "Overall test"}} : {{.Omnibus}}</p>{{end}}
<ul class="note">{{range .Sentences}}<li>{{.}}</li>{{end}}</ul>
{{end}}{{end}}
<p class="note">{{call .T "Chaque chiffre se reproduit avec la commande :" "Every figure can be reproduced with the command:"}} <code>vigie audit --format json</code></p>
</body></html>
`))

// RatioChart is the chart of one attribute (by index) and metric: each
// group's ratio to the reference with its 95 % interval, on a log scale,
// against the 0.8–1.25 band. Values beyond the axis are drawn at its edge
// with an arrow and written out. The page, the PDF and the ODT of a dossier
// draw this one chart. It is empty when the attribute does not exist.
func (r *Report) RatioChart(lang string, attr int, m string) chart.Chart {
	if attr < 0 || attr >= len(r.Attributes) {
		return chart.Chart{Lang: lang}
	}
	f := newFmtr(lang)
	return ratioChart(f, &r.Attributes[attr], attr, m, vigie.UpperFirst(f.metricName(metricTexts(r.Config.Label)[m])))
}

func ratioChart(f fmtr, a *Attribute, ai int, m, metric string) chart.Chart {
	lang := "fr"
	if f.en {
		lang = "en"
	}
	c := chart.Chart{ID: fmt.Sprintf("audit-chart-%d-%s", ai, m), Lang: lang, Mark: chart.Point,
		Title:   f.t("Rapports au groupe de référence", "Ratios to the reference group") + " « " + a.Reference + " » — " + metric,
		Caption: f.t("rapport au groupe", "ratio to group") + " « " + a.Reference + " »",
		Axis:    chart.Axis{Log: true, Min: 0.1, Max: 10}, Band: &chart.Band{Low: 0.8, High: 1.25}, Ref: chart.V(1),
		Width: 730, LabelWidth: 190, NoteWidth: 120}
	for _, t := range []float64{0.1, 0.25, 0.5, 0.8, 1, 1.25, 2, 4, 10} {
		c.Axis.Ticks = append(c.Axis.Ticks, chart.Tick{Value: t, Label: f.dec(t, decs(t))})
	}
	if len(a.Groups) == 0 {
		return c
	}
	for _, g := range a.Groups[1:] {
		d := g.Disparities[m]
		row := chart.Row{Label: g.Value, Colour: map[string]string{VerdictDisparity: "#c0392b", VerdictParity: "#27ae60"}[d.Verdict]}
		if row.Colour == "" {
			row.Colour = "#7f8c8d"
		}
		if d.Ratio == nil {
			row.Note = f.t("indéfini", "undefined")
			if strings.HasPrefix(d.RatioReason, "infinite") {
				row.Note = "∞"
			}
		} else {
			row.Value = chart.V(*d.Ratio)
			row.Note = f.dec(*d.Ratio, 2)
			if d.RatioCILow != nil {
				row.Low, row.High = chart.V(*d.RatioCILow), chart.V(*d.RatioCIHigh)
				row.Note += " [" + f.ci(*d.RatioCILow, *d.RatioCIHigh) + "]"
			}
		}
		c.Rows = append(c.Rows, row)
	}
	return c
}

// RateChart is the chart of one attribute (by index) and metric: each
// group's rate, in per cent, with its 95 % interval, the reference group
// first. It is empty when the attribute does not exist.
func (r *Report) RateChart(lang string, attr int, m string) chart.Chart {
	if attr < 0 || attr >= len(r.Attributes) {
		return chart.Chart{Lang: lang}
	}
	f := newFmtr(lang)
	return rateChart(f, &r.Attributes[attr], attr, m, vigie.UpperFirst(f.metricName(metricTexts(r.Config.Label)[m])))
}

func rateChart(f fmtr, a *Attribute, ai int, m, metric string) chart.Chart {
	lang := "fr"
	if f.en {
		lang = "en"
	}
	unit := "\u00a0%"
	if f.en {
		unit = "%"
	}
	c := chart.Chart{ID: fmt.Sprintf("audit-rates-%d-%s", ai, m), Lang: lang, Mark: chart.Bar,
		Title:   metric + " — " + f.t("par groupe de", "by group of") + " « " + a.Name + " »",
		Caption: metric + f.t(" (en %, intervalle à 95 %)", " (in %, 95% interval)"),
		Axis:    chart.Axis{Unit: unit},
		Width:   730, LabelWidth: 190, NoteWidth: 150}
	for gi := range a.Groups {
		g := &a.Groups[gi]
		mt := g.Metrics[m]
		label := g.Value
		colour := "#7f8c8d"
		if gi == 0 {
			label += f.t(" (référence)", " (reference)")
			colour = "#1e3a8a"
		} else if d := g.Disparities[m]; d.Verdict == VerdictDisparity {
			colour = "#c0392b"
		} else if d.Verdict == VerdictParity {
			colour = "#27ae60"
		}
		row := chart.Row{Label: label, Colour: colour}
		if mt.Value == nil {
			row.Note = f.t("indéfini", "undefined")
		} else {
			row.Value = chart.V(100 * *mt.Value)
			row.Note = f.pct(mt.Value)
			if mt.CILow != nil && mt.CIHigh != nil {
				row.Low, row.High = chart.V(100**mt.CILow), chart.V(100**mt.CIHigh)
				row.Note += " [" + f.dec(100**mt.CILow, 1) + "–" + f.dec(100**mt.CIHigh, 1) + "]"
			}
		}
		c.Rows = append(c.Rows, row)
	}
	return c
}

func decs(t float64) int {
	switch {
	case t == math.Trunc(t):
		return 0
	case t*10 == math.Trunc(t*10):
		return 1
	}
	return 2
}
