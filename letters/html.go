package letters

import (
	"html/template"
	"io"
)

var htmlPage = template.Must(template.New("letter").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body{font-family:"Liberation Serif","DejaVu Serif",Georgia,serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#111}
.from{margin-bottom:1.5rem}.to,.place,.sign{margin-left:50%}.subject{font-weight:bold;margin:1.5rem 0}
h2{font-size:1.05rem;margin-top:1.4rem}.notes{margin-top:3rem;border-top:1px solid #999;font-size:.9rem;color:#333}
</style>
</head>
<body>
{{template "article" .}}</body>
</html>
{{define "article"}}<article class="letter" data-letter="{{.Letter.ID}}" lang="{{.Lang}}">
<div class="from">{{range .From}}{{.}}<br>{{end}}</div>
<div class="to">{{range .To}}{{.}}<br>{{end}}</div>
<p class="place">{{.PlaceDate}}</p>
<p class="subject">{{.Subject}}</p>
{{range .Body}}{{if eq .Kind "h"}}<h2>{{.Text}}</h2>
{{else if eq .Kind "p"}}<p>{{.Text}}</p>
{{else}}<ul>{{range .Items}}<li>{{.}}</li>{{end}}</ul>
{{end}}{{end}}<p class="sign">{{range .Signature}}{{.}}<br>{{end}}</p>
</article>
{{end}}
{{define "notes"}}{{if .Notes}}<aside class="notes"><p>{{if eq .Lang "en"}}For the sender (not part of the letter){{else}}À l'usage de l'expéditeur (ne fait pas partie de la lettre){{end}}</p>
<ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul></aside>
{{end}}{{end}}`))

// WriteHTML writes the letter as a standalone HTML page (a preview; every
// text is escaped).
func (d *Document) WriteHTML(w io.Writer) error { return htmlPage.Execute(w, d) }

// WriteHTMLFragment writes the sender's notes (first, so that they are
// read before sending) and the letter's <article>, for a page of the web
// application to embed. The notes stay outside the article.
func (d *Document) WriteHTMLFragment(w io.Writer) error {
	if err := htmlPage.ExecuteTemplate(w, "notes", d); err != nil {
		return err
	}
	return htmlPage.ExecuteTemplate(w, "article", d)
}
