package observatory

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/chart"
	"github.com/vigie-app/vigie/law"
)

// Count is one labelled count of an answer, for tables and charts.
type Count struct {
	Key   string // the value counted (a tier, a rule id, a domain)
	Label string // in the reader's language
	N     int
}

func en(lang string) bool { return strings.HasPrefix(lang, "en") }

func tr(lang, fr, enText string) string {
	if en(lang) {
		return enText
	}
	return fr
}

// Tiers returns the counts by AI Act tier, most severe first.
func (r *Result) Tiers(lang string) []Count {
	l := law.FR
	if en(lang) {
		l = law.EN
	}
	var out []Count
	for _, t := range assess.Tiers {
		out = append(out, Count{Key: t, Label: assess.Label(l, "tier."+t), N: r.ByTier[t]})
	}
	if n := r.ByTier["unknown"]; n > 0 {
		out = append(out, Count{Key: "unknown", Label: tr(lang, "non déterminé", "undetermined"), N: n})
	}
	return out
}

// UnmetObligations returns the counts of unmet obligations, most frequent
// first, labelled with the rule's title.
func (r *Result) UnmetObligations(lang string) []Count {
	b := law.MustLoad()
	var out []Count
	for id, n := range r.Unmet {
		label := id
		if rule := b.Rule(id); rule != nil {
			label = rule.Title.FR
			if en(lang) {
				label = rule.Title.EN
			}
		}
		out = append(out, Count{Key: id, Label: label, N: n})
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Key, b.Key)) })
	return out
}

// HighRisks returns, per risk dimension, the systems where it is of high
// priority, most frequent first.
func (r *Result) HighRisks(lang string) []Count {
	labels := map[string]string{}
	if f, err := assess.LoadFormula(); err == nil {
		for _, d := range f.Dimensions {
			labels[d.ID] = d.Label.FR
			if en(lang) {
				labels[d.ID] = d.Label.EN
			}
		}
	}
	var out []Count
	for d, n := range r.RisksHigh {
		out = append(out, Count{Key: d, Label: cmp.Or(labels[d], d), N: n})
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Key, b.Key)) })
	return out
}

func sorted(m map[string]int, unknown string) []Count {
	var out []Count
	for k, n := range m {
		out = append(out, Count{Key: k, Label: cmp.Or(k, unknown), N: n})
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Key, b.Key)) })
	return out
}

// Charts returns the charts of the answer: systems by tier, unmet
// obligations, and first uses by month.
func (r *Result) Charts(lang string) []chart.Chart {
	bars := func(id, title string, cs []Count, colour string) chart.Chart {
		c := chart.Chart{ID: id, Title: title, Mark: chart.Bar, Lang: lang}
		top := 1
		for _, x := range cs {
			top = max(top, x.N)
			c.Rows = append(c.Rows, chart.Row{Label: x.Label, Value: chart.V(float64(x.N)), Colour: colour, Note: fmt.Sprint(x.N)})
		}
		c.Axis = chart.Axis{Min: 0, Max: float64(top)}
		return c
	}
	out := []chart.Chart{
		bars("obs-tiers", tr(lang, "Systèmes par niveau de risque (règlement IA)", "Systems by AI Act tier"), r.Tiers(lang), "#1e3a8a"),
	}
	if u := r.UnmetObligations(lang); len(u) > 0 {
		out = append(out, bars("obs-unmet", tr(lang, "Obligations non respectées (nombre de systèmes)", "Unmet obligations (number of systems)"), u, "#b91c1c"))
	}
	if ms := r.months(lang); len(ms) > 0 {
		out = append(out, bars("obs-timeline", tr(lang, "Premières mises en service par mois", "First uses by month"), ms, "#0f766e"))
	}
	return out
}

// Namer names a value of a fact in a language: value("purpose.domains",
// "recruitment") is "Recrutement". Nil shows values as they are.
type Namer func(path, v string) string

func (n Namer) or() Namer {
	if n == nil {
		return func(_, v string) string { return v }
	}
	return n
}

func labelled(value Namer, path string, cs []Count) []Count {
	for i := range cs {
		cs[i].Label = value(path, cs[i].Key)
	}
	return cs
}

// months counts the first uses by month, the months in words.
func (r *Result) months(lang string) []Count {
	var ms []Count
	for _, m := range r.Deployments {
		ms = append(ms, Count{Key: m.Month, Label: monthWords(lang, m.Month), N: m.Count})
	}
	return ms
}

// monthWords writes a YYYY-MM month in words ("septembre 2023"); anything
// else is returned as it is.
func monthWords(lang, ym string) string {
	var y, m int
	if n, err := fmt.Sscanf(ym, "%4d-%2d", &y, &m); err != nil || n != 2 || len(ym) != 7 {
		return ym
	}
	return vigie.MonthWords(lang, y, time.Month(m))
}

// day writes the date of the answer in words ("4 décembre 2026").
func (r *Result) day(lang string) string {
	d, err := vigie.ParseDate(r.Date)
	if err != nil {
		return r.Date
	}
	return d.Words(lang)
}

// WriteText writes the answer for a terminal; value names the domains and
// statuses.
func (r *Result) WriteText(w io.Writer, lang string, value Namer) error {
	value = value.or()
	var b strings.Builder
	p := func(format string, a ...any) {
		if en(lang) {
			format = strings.NewReplacer(" : ", ": ", " ; ", "; ").Replace(format)
		}
		fmt.Fprintf(&b, format, a...)
	}
	p("%s — %s\n", tr(lang, "Observatoire", "Observatory"), r.Name)
	p("%s : %s\n", tr(lang, "Date", "Date"), r.day(lang))
	p("%s : %d ; %s : %d\n\n", tr(lang, "Sections membres", "Member sections"), r.Sections, tr(lang, "systèmes partagés", "shared systems"), r.Systems)
	section := func(title string, cs []Count) {
		p("%s\n", title)
		if len(cs) == 0 {
			p("  %s\n", tr(lang, "(aucun)", "(none)"))
		}
		for _, c := range cs {
			p("  %6d  %s\n", c.N, c.Label)
		}
		p("\n")
	}
	section(tr(lang, "Par niveau de risque", "By tier"), r.Tiers(lang))
	section(tr(lang, "Obligations non respectées", "Unmet obligations"), r.UnmetObligations(lang))
	section(tr(lang, "Risques élevés", "High risks"), r.HighRisks(lang))
	section(tr(lang, "Par domaine", "By domain"), labelled(value, "purpose.domains", sorted(r.ByDomain, "")))
	section(tr(lang, "Par éditeur", "By vendor"), sorted(r.ByVendor, tr(lang, "(non renseigné)", "(not given)")))
	section(tr(lang, "Par secteur", "By sector"), sorted(r.BySector, tr(lang, "(non renseigné)", "(not given)")))
	section(tr(lang, "Par état", "By status"), labelled(value, "deployment.status", sorted(r.ByStatus, "")))
	section(tr(lang, "Premières mises en service par mois", "First uses by month"), r.months(lang))
	p("%s : %d ; %s : %d ; %s : %d\n", tr(lang, "Postes supprimés", "Posts cut"), r.Jobs.PostsCut,
		tr(lang, "menacés", "threatened"), r.Jobs.PostsThreatened, tr(lang, "créés", "created"), r.Jobs.PostsCreated)
	resp := tr(lang, "masqué", "suppressed")
	if r.Testimonies.Responses != nil {
		resp = fmt.Sprint(*r.Testimonies.Responses)
	}
	p("%s : %d ; %s : %s", tr(lang, "Campagnes de témoignages", "Testimony campaigns"), r.Testimonies.Campaigns, tr(lang, "réponses", "responses"), resp)
	if r.Testimonies.SuppressedSections > 0 {
		p(tr(lang, " (%d section(s) de moins de %d réponses non comptée(s))", " (%d section(s) with fewer than %d responses not counted)"), r.Testimonies.SuppressedSections, MinShared)
	}
	p("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// View is what the HTML page of an answer shows; web pages reuse it.
type View struct {
	R                           *Result
	Lang                        string
	Day                         string // the date in words
	Charts                      []Figure
	Tiers, Unmet, High, Domains []Count
	Sectors, Statuses           []Count
	T                           func(fr, en string) string
}

// Figure is a chart with its caption.
type Figure struct {
	Caption string
	SVG     template.HTML
}

// NewView prepares the page of r in lang; value, when not nil, names a
// value of a fact in lang (a domain, a status), which is shown as it is
// otherwise.
func NewView(r *Result, lang string, value Namer) *View {
	value = value.or()
	label := func(path string, cs []Count) []Count { return labelled(value, path, cs) }
	v := &View{R: r, Lang: lang, Day: r.day(lang), Tiers: r.Tiers(lang), Unmet: r.UnmetObligations(lang), High: r.HighRisks(lang),
		Domains: label("purpose.domains", sorted(r.ByDomain, "")), Sectors: sorted(r.BySector, tr(lang, "(non renseigné)", "(not given)")),
		Statuses: label("deployment.status", sorted(r.ByStatus, "")), T: func(fr, enText string) string { return tr(lang, fr, enText) }}
	for _, c := range r.Charts(lang) {
		v.Charts = append(v.Charts, Figure{Caption: c.Title, SVG: template.HTML(c.SVG())})
	}
	return v
}

// BodyTemplate is the body of the observatory page (named "observatory-body"),
// shared by the standalone document and the web page.
const BodyTemplate = `{{define "observatory-body"}}{{$t := .T}}{{$c := call $t " : " ": "}}{{$sc := call $t " ; " "; "}}
<p id="obs-summary">{{call $t "Sections membres" "Member sections"}}{{$c}}<strong>{{.R.Sections}}</strong>{{$sc}}{{call $t "systèmes partagés" "shared systems"}}{{$c}}<strong id="obs-systems">{{.R.Systems}}</strong>{{$sc}}{{call $t "postes supprimés" "posts cut"}}{{$c}}<strong id="obs-posts-cut">{{.R.Jobs.PostsCut}}</strong>, {{call $t "menacés" "threatened"}}{{$c}}{{.R.Jobs.PostsThreatened}}, {{call $t "créés" "created"}}{{$c}}{{.R.Jobs.PostsCreated}}.</p>
{{range .Charts}}<figure class="chart obs-chart"><figcaption>{{.Caption}}</figcaption>{{.SVG}}</figure>{{end}}
<h2>{{call $t "Par éditeur" "By vendor"}}</h2>
<div class="overflow-auto"><table id="obs-vendors" class="striped obs-table cards">
<thead><tr><th scope="col">{{call $t "Éditeur" "Vendor"}}</th><th scope="col">{{call $t "Systèmes" "Systems"}}</th><th scope="col">{{call $t "Sections" "Sections"}}</th>{{range .Tiers}}<th scope="col">{{.Label}}</th>{{end}}<th scope="col">{{call $t "Postes supprimés" "Posts cut"}}</th></tr></thead>
<tbody>{{$tiers := .Tiers}}{{range .R.Vendors}}{{$v := .}}<tr><td>{{if .Vendor}}{{.Vendor}}{{else}}{{call $t "(non renseigné)" "(not given)"}}{{end}}</td><td data-label="{{call $t "Systèmes" "Systems"}}">{{.Systems}}</td><td data-label="{{call $t "Sections" "Sections"}}">{{.Sections}}</td>{{range $tiers}}<td data-label="{{.Label}}">{{index $v.ByTier .Key}}</td>{{end}}<td data-label="{{call $t "Postes supprimés" "Posts cut"}}">{{.PostsCut}}</td></tr>{{end}}</tbody>
</table></div>
<h2>{{call $t "Risques élevés" "High risks"}}</h2>
{{if .High}}<ul>{{range .High}}<li>{{.Label}}{{$c}}{{.N}}</li>{{end}}</ul>{{else}}<p>{{call $t "Aucun." "None."}}</p>{{end}}
<h2>{{call $t "Par domaine, secteur et état" "By domain, sector and status"}}</h2>
<div class="grid">
<table><caption>{{call $t "Domaine" "Domain"}}</caption><tbody>{{range .Domains}}<tr><td>{{.Label}}</td><td>{{.N}}</td></tr>{{end}}</tbody></table>
<table><caption>{{call $t "Secteur" "Sector"}}</caption><tbody>{{range .Sectors}}<tr><td>{{.Label}}</td><td>{{.N}}</td></tr>{{end}}</tbody></table>
<table><caption>{{call $t "État" "Status"}}</caption><tbody>{{range .Statuses}}<tr><td>{{.Label}}</td><td>{{.N}}</td></tr>{{end}}</tbody></table>
</div>
<h2>{{call $t "Emplois par section" "Jobs by section"}}</h2>
<div class="overflow-auto"><table id="obs-sections" class="striped obs-table cards">
<thead><tr><th scope="col">{{call $t "Section" "Section"}}</th><th scope="col">{{call $t "Systèmes partagés" "Shared systems"}}</th><th scope="col">{{call $t "Postes supprimés" "Posts cut"}}</th><th scope="col">{{call $t "Postes menacés" "Posts threatened"}}</th></tr></thead>
<tbody>{{range .R.PerSection}}<tr><td>{{.Name}}</td><td data-label="{{call $t "Systèmes partagés" "Shared systems"}}">{{.Systems}}</td><td data-label="{{call $t "Postes supprimés" "Posts cut"}}">{{.PostsCut}}</td><td data-label="{{call $t "Postes menacés" "Posts threatened"}}">{{.PostsThreatened}}</td></tr>{{end}}</tbody>
</table></div>
<h2>{{call $t "Témoignages" "Testimonies"}}</h2>
<p id="obs-testimonies">{{call $t "Campagnes" "Campaigns"}}{{$c}}{{.R.Testimonies.Campaigns}}{{$sc}}{{call $t "réponses" "responses"}}{{$c}}{{with .R.Testimonies.Responses}}{{.}}{{else}}{{call $t "masqué" "suppressed"}}{{end}}.
{{if .R.Testimonies.SuppressedSections}}{{call $t "Les réponses d'une section ne sont comptées qu'à partir de" "A section's responses count only from"}} {{.R.Testimonies.MinResponses}}{{$sc}}{{call $t "sections non comptées" "sections not counted"}}{{$c}}{{.R.Testimonies.SuppressedSections}}.{{end}}</p>
{{end}}`

var page = template.Must(template.New("doc").Parse(BodyTemplate + `<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{call .T "Observatoire" "Observatory"}} — {{.R.Name}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}table{border-collapse:collapse}td,th{padding:.2rem .5rem;border-bottom:1px solid #ddd;text-align:left}.grid{display:flex;flex-wrap:wrap;gap:2rem}figure{margin:1rem 0}svg{max-width:100%;height:auto}.overflow-auto{overflow-x:auto}</style>
</head><body><h1>{{call .T "Observatoire" "Observatory"}} — {{.R.Name}}</h1><p>{{.Day}}</p>
{{template "observatory-body" .}}</body></html>`))

// WriteHTML writes the answer as a standalone HTML document; value names
// the domains and statuses.
func (r *Result) WriteHTML(w io.Writer, lang string, value Namer) error {
	return page.ExecuteTemplate(w, "doc", NewView(r, lang, value))
}

// Body renders the body of the page (what WriteHTML puts under its title),
// for a page of the web application.
func (v *View) Body() (template.HTML, error) {
	var b strings.Builder
	if err := page.ExecuteTemplate(&b, "observatory-body", v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}
