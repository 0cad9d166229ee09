// Package cite writes a cited source for a page. A citation keeps the
// language of the work it names: a French statute cited in an English page,
// an English paper cited in a French one. HTML marks each part of a
// citation (the parts a " / " separates, and each title in quotes) with the
// language its words show, when that is not the page's, so that a reader
// and a screen reader take it as such. The package is pure.
package cite

import (
	"html"
	"regexp"
	"strings"
	"unicode"
)

var (
	citeEN = wordSet("the of and for in on with to by from at an a is are per report guidelines environmental sustainability measuring impact energy growing power hungry processing making less thirsty reviewed delivering scale artificial intelligence electricity")
	citeFR = wordSet("le la les des du de et en pour sur au aux relative relatif décret loi code règlement avis délibération ordonnance arrêt fiche texte dispositions avant vigueur plus tard liste traitements lignes directrices analyse cycle revue par juin février juillet")
	// citeQuote finds a title in French or English quotes.
	citeQuote = regexp.MustCompile(`(«\s*)([^»]+?)(\s*»)|(“)([^”]+)(”)`)
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// guessLang says which of French and English the words of s belong to, or
// "" when they do not tell.
func guessLang(s string) string {
	fr, en := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r)
	}) {
		if citeFR[w] {
			fr++
		}
		if citeEN[w] {
			en++
		}
	}
	switch {
	case fr > en:
		return "fr"
	case en > fr:
		return "en"
	}
	return ""
}

// HTML writes the citation s for a page of language page ("fr" or
// "en"), escaped, with the parts of the other language marked.
func HTML(s, page string) string {
	var b strings.Builder
	for i, part := range strings.Split(s, " / ") {
		if i > 0 {
			b.WriteString(" / ")
		}
		b.WriteString(citePart(part, page))
	}
	return b.String()
}

// citePart marks one part of a citation: the whole part when its words
// are of the other language, else each quoted title that is.
func citePart(s, page string) string {
	e := html.EscapeString
	if l := guessLang(citeQuote.ReplaceAllString(s, " ")); l != "" && l != page {
		return `<span lang="` + l + `">` + e(s) + "</span>"
	}
	var b strings.Builder
	last := 0
	for _, m := range citeQuote.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(e(s[last:m[0]]))
		o, t, c := 2, 4, 6
		if m[2] < 0 {
			o, t, c = 8, 10, 12
		}
		title := s[m[t]:m[t+1]]
		b.WriteString(e(s[m[o]:m[o+1]]))
		if l := guessLang(title); l != "" && l != page {
			b.WriteString(`<span lang="` + l + `">` + e(title) + "</span>")
		} else {
			b.WriteString(e(title))
		}
		b.WriteString(e(s[m[c]:m[c+1]]))
		last = m[1]
	}
	b.WriteString(e(s[last:]))
	return b.String()
}
