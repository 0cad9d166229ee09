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
}).Parse(htmlTemplate))

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
