package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/vigie-app/vigie/cite"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/status"
)

// The template functions that put things in words: a status as a badge
// (icon and word, the colours from the stylesheet), a rule by its title.
func init() {
	funcs["statusBadge"] = statusBadge
	funcs["badge"] = badge
	funcs["statusWord"] = func(key string, lang any) string { return status.Of(key).Word(fmt.Sprint(lang)) }
	funcs["ruleTitle"] = ruleTitle
	funcs["size"] = sizeWords
}

// sizeWords writes a file's size as a reader does: "850 o", "12 Ko",
// "3,4 Mo" in French; "850 B", "12 kB", "3.4 MB" in English (powers of
// 1,000, as the units say).
func sizeWords(n int64, lang any) string {
	en := fmt.Sprint(lang) == "en"
	units := []string{"o", "Ko", "Mo", "Go"}
	if en {
		units = []string{"B", "kB", "MB", "GB"}
	}
	if n < 1000 {
		return fmt.Sprintf("%d\u00a0%s", n, units[0])
	}
	x, i := float64(n), 0
	for x >= 1000 && i < len(units)-1 {
		x /= 1000
		i++
	}
	s := fmt.Sprintf("%.0f", x)
	if x < 10 {
		s = fmt.Sprintf("%.1f", x)
		if !en {
			s = strings.Replace(s, ".", ",", 1)
		}
	}
	return s + "\u00a0" + units[i]
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

// badge shows text (a count, a date's word) with the colours and icon of
// the status key: the register and the board say "3 non respectées" or "en
// retard" in the same badges as the Évaluation tab.
func badge(key, text string) template.HTML {
	s := status.Of(key)
	return template.HTML(fmt.Sprintf(`<span class="st st-%s" data-status="%s"><span class="st-icon" aria-hidden="true">%s</span> %s</span>`,
		html.EscapeString(s.Key), html.EscapeString(s.Key), html.EscapeString(s.Icon), html.EscapeString(text)))
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

// A cited source keeps the language of the work it names (see package
// cite).
func init() {
	funcs["cite"] = func(s string, lang any) template.HTML { return template.HTML(citeText(s, fmt.Sprint(lang))) }
	funcs["cites"] = func(ss []string, lang any) template.HTML {
		parts := make([]string, len(ss))
		for i, s := range ss {
			parts[i] = citeText(s, fmt.Sprint(lang))
		}
		return template.HTML(strings.Join(parts, " ; "))
	}
}

// citeText is the HTML of a citation in a page of language lang, its
// numbers written as the rule base's texts are.
func citeText(s, lang string) string {
	if b, err := law.Load(); err == nil {
		l := law.FR
		if lang == "en" {
			l = law.EN
		}
		s = b.Plain(l, s)
	}
	return cite.HTML(s, lang)
}
