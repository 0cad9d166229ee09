package web

import (
	"fmt"
	"html"
	"html/template"

	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/status"
)

// The template functions that put things in words: a status as a badge
// (icon and word, the colours from the stylesheet), a rule by its title.
func init() {
	funcs["statusBadge"] = statusBadge
	funcs["statusWord"] = func(key string, lang any) string { return status.Of(key).Word(fmt.Sprint(lang)) }
	funcs["ruleTitle"] = ruleTitle
}

// statusBadge is the one way a status is shown on a page: its icon (hidden
// from screen readers, which read the word) and its word, in a span whose
// class carries the colours (web/static/vigie.css, from the status
// package).
func statusBadge(key string, lang any) template.HTML {
	s := status.Of(key)
	return template.HTML(fmt.Sprintf(`<span class="st st-%s" data-status="%s"><span class="st-icon" aria-hidden="true">%s</span> %s</span>`,
		html.EscapeString(s.Key), html.EscapeString(s.Key), html.EscapeString(s.Icon), html.EscapeString(s.Word(fmt.Sprint(lang)))))
}

// ruleTitle is the title of a rule in lang, or the id itself when the rule
// is not in the base.
func ruleTitle(id string, lang any) string {
	b, err := law.Load()
	if err != nil {
		return id
	}
	r := b.Rule(id)
	if r == nil {
		return id
	}
	l := law.FR
	if fmt.Sprint(lang) == "en" {
		l = law.EN
	}
	return r.Title.In(l)
}
