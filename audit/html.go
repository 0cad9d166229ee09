package audit

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"strings"
)

// WriteHTML writes a self-contained HTML page: the plain-language summary,
// then per attribute and metric an SVG chart of the ratios with their 95 %
// intervals against the 0.8–1.25 band, and the tables with the counts.
func (r *Report) WriteHTML(w io.Writer, lang string) error {
	f := newFmtr(lang)
	type row struct {
		Group, N, X, Rate, CI, Ratio, RatioCI, Diff, DiffCI, P, PAdj, Test, Verdict, Class string
	}
	type block struct {
		Metric, Code string
		Chart        template.HTML
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
			b := block{Metric: capitalize(f.metricName(mts[m])), Code: m}
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
			b.Chart = template.HTML(ratioChart(f, a, m))
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
		"Lang": lang2, "R": r, "Attrs": attrs, "Summary": summary, "Warnings": warn,
		"Flag": r.flagDef(f), "Direction": f.direction(r.Direction),
		"Rows": f.int(r.Input.Rows), "Excluded": f.int(r.Input.Excluded),
		"T": func(fr, en string) string { return f.t(fr, en) },
	}
	return htmlTmpl.Execute(w, data)
}

var htmlTmpl = template.Must(template.New("audit").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8">
<title>{{call .T "Audit de discrimination" "Discrimination audit"}} — vigie</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.82rem}
th,td{border:1px solid #ccc;padding:.2rem .4rem;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
tr.disparity td{background:#fde2e1} tr.parity td{background:#e3f4e1} tr.ref td{background:#eef}
.note{color:#555;font-size:.9rem} svg{display:block;margin:.5rem 0}
h3{margin-top:1.5rem}
</style></head><body>
<h1>{{call .T "Audit de discrimination" "Discrimination audit"}}</h1>
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
{{.Chart}}
<div class="scroll"><table><thead><tr><th>{{call $.T "groupe" "group"}}</th><th>{{call $.T "événements" "events"}}</th><th>{{call $.T "dénominateur" "denominator"}}</th><th>{{call $.T "taux" "rate"}}</th><th>IC 95 %</th><th>{{call $.T "rapport" "ratio"}}</th><th>IC 95 %</th><th>{{call $.T "différence" "difference"}}</th><th>IC 95 %</th><th>test</th><th>p</th><th>{{call $.T "p ajusté" "adjusted p"}}</th><th>verdict</th></tr></thead><tbody>
{{range .Rows}}<tr class="{{.Class}}"><td>{{.Group}}</td><td>{{.X}}</td><td>{{.N}}</td><td>{{.Rate}}</td><td>{{.CI}}</td><td>{{.Ratio}}</td><td>{{.RatioCI}}</td><td>{{.Diff}}</td><td>{{.DiffCI}}</td><td>{{.Test}}</td><td>{{.P}}</td><td>{{.PAdj}}</td><td>{{.Verdict}}</td></tr>
{{end}}</tbody></table></div>
{{if .Omnibus}}<p class="note">{{call $.T "Test global" "Overall test"}} : {{.Omnibus}}</p>{{end}}
<ul class="note">{{range .Sentences}}<li>{{.}}</li>{{end}}</ul>
{{end}}{{end}}
<p class="note">{{call .T "Chaque chiffre se reproduit avec vigie audit --format json." "Every figure can be reproduced with vigie audit --format json."}}</p>
</body></html>
`))

// ratioChart draws the ratio of each group to the reference with its 95 %
// interval on a log scale, against the 0.8–1.25 band. Values beyond the
// axis are drawn at its edge with an arrow and their value written out.
func ratioChart(f fmtr, a *Attribute, m string) string {
	const (
		left, width, rowH, top = 190.0, 420.0, 22.0, 24.0
		lo, hi                 = 0.1, 10.0
	)
	groups := a.Groups[1:]
	h := top + rowH*float64(len(groups)) + 24
	x := func(v float64) float64 {
		v = math.Max(lo, math.Min(hi, v))
		return left + width*(math.Log(v)-math.Log(lo))/(math.Log(hi)-math.Log(lo))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" role="img" aria-label="%s">`, left+width+120, h,
		html.EscapeString(f.t("rapports au groupe de référence", "ratios to the reference group")+" "+a.Reference))
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#e3f4e1"/>`, x(0.8), top-8, x(1.25)-x(0.8), rowH*float64(len(groups))+8)
	for _, t := range []float64{0.1, 0.25, 0.5, 0.8, 1, 1.25, 2, 4, 10} {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s"/>`, x(t), x(t), top-8, h-20, map[bool]string{true: "#333", false: "#ddd"}[t == 1])
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle">%s</text>`, x(t), h-6, f.dec(t, decs(t)))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="12" font-size="11">%s « %s »</text>`, left, html.EscapeString(f.t("rapport au groupe", "ratio to group")), html.EscapeString(a.Reference))
	for i, g := range groups {
		y := top + rowH*float64(i) + rowH/2 - 6
		d := g.Disparities[m]
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="end">%s</text>`, left-8, y+4, html.EscapeString(trunc(g.Value, 28)))
		color := map[string]string{VerdictDisparity: "#c0392b", VerdictParity: "#27ae60"}[d.Verdict]
		if color == "" {
			color = "#7f8c8d"
		}
		label := ""
		if d.Ratio == nil {
			label = f.t("indéfini", "undefined")
			if strings.HasPrefix(d.RatioReason, "infinite") {
				label = "∞"
			}
		} else {
			rr := *d.Ratio
			if d.RatioCILow != nil {
				fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>`, x(*d.RatioCILow), x(*d.RatioCIHigh), y, y, color)
			}
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>`, x(rr), y, color)
			if rr < lo || rr > hi {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" fill="%s">%s</text>`, x(rr), y-6, color, map[bool]string{true: "◀", false: "▶"}[rr < lo])
			}
			label = f.dec(rr, 2)
			if d.RatioCILow != nil {
				label += " [" + f.ci(*d.RatioCILow, *d.RatioCIHigh) + "]"
			}
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="%s">%s</text>`, left+width+6, y+4, color, html.EscapeString(label))
	}
	b.WriteString(`</svg>`)
	return b.String()
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

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
