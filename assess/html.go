package assess

import (
	_ "embed"
	"html/template"
	"io"
	"strings"

	"github.com/vigie-app/vigie/law"
)

//go:embed assessment.html.tmpl
var htmlTemplate string

var pageTmpl = template.Must(template.New("assessment").Funcs(template.FuncMap{
	"label": func(l law.Lang, key string) string { return Label(l, key) },
	"date":  LongDate,
	"t":     func(l law.Lang, fr, en string) string { return pick(l, fr, en) },
	"join":  strings.Join,
	"when":  when,
}).Parse(htmlTemplate))

// when says from when a rule applies: "en vigueur", "depuis le …" or "à
// partir du …".
func when(l law.Lang, from string, upcoming bool) string {
	switch {
	case from == law.InForce:
		return Label(l, "date."+law.InForce)
	case upcoming:
		return pick(l, "à partir du ", "from ") + LongDate(l, from)
	}
	return pick(l, "depuis le ", "since ") + LongDate(l, from)
}

type page struct {
	A    *Assessment
	L    law.Lang
	Lang string
}

// RenderHTML writes the assessment as a self-contained HTML page (no
// external style sheet, script or font), in French or English. Unverified
// rules carry a visible warning.
func RenderHTML(w io.Writer, a *Assessment, l law.Lang) error {
	return pageTmpl.Execute(w, page{A: a, L: l, Lang: string(l)})
}

// RenderHTMLBody writes the same content without the page around it (an
// <article class="vigie-assessment"> element), for a page of the web
// application to embed; the styles are the page's.
func RenderHTMLBody(w io.Writer, a *Assessment, l law.Lang) error {
	return pageTmpl.ExecuteTemplate(w, "body", page{A: a, L: l, Lang: string(l)})
}
