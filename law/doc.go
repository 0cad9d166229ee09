package law

import (
	"fmt"
	"io"
	"strings"
)

//go:generate go run ./gendoc ../docs/law.md

// WriteDoc writes docs/law.md: every rule of the base with its basis, date
// of application, confidence and sources, then the sources themselves,
// from the rule files alone. The document is generated; a test keeps it
// up to date.
func (b *Base) WriteDoc(w io.Writer) error {
	var sb strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	p("# Les règles de droit de vigie / vigie's rules of law\n\n")
	p("<!-- Generated from law/rules/*.yaml and law/sources.yaml by `go generate ./law`; do not edit. -->\n\n")
	p("Chaque règle est une donnée : sa base légale, la date à partir de laquelle elle s'applique, son degré de certitude et ses sources. ")
	p("Les textes sont ceux du projet, pas des citations. Une règle *non vérifiée* est montrée avec un avertissement aux représentants, jamais comme telle dans une lettre à l'employeur.\n\n")
	p("Each rule is data: its legal basis, the date it applies from, its confidence and its sources. ")
	p("The texts are the project's own words, not quotations. An *unverified* rule is shown with a warning to the representatives, never as such in a letter to the employer.\n\n")
	p("Degrés / confidence: `verified` (vérifié : texte officiel lu), `secondary` (sources secondaires), `unverified` (non vérifié).\n\n")
	famTitle := map[string]string{
		"aia":  "Règlement (UE) 2024/1689 sur l'IA / AI Act",
		"ct":   "Code du travail / French Labour Code",
		"fp":   "Fonction publique / Public service",
		"crpa": "Relations avec l'administration (CRPA) / Public administration",
		"dp":   "Protection des données / Data protection",
	}
	for _, fam := range Families {
		p("## %s\n\n", famTitle[fam])
		for _, r := range b.rules {
			if r.Family != fam {
				continue
			}
			p("### %s — %s\n\n", r.ID, r.Title.FR)
			p("*%s*\n\n", r.Title.EN)
			p("- Base / basis: %s", r.Basis.FR)
			if r.Basis.EN != "" && r.Basis.EN != r.Basis.FR {
				p(" / %s", r.Basis.EN)
			}
			p("\n")
			p("- Nature / kind: `%s`", r.Kind)
			if r.Article != "" {
				p(", article %s", r.Article)
			}
			p("\n")
			from := r.From
			if r.FromNote.FR != "" {
				from += " (" + r.FromNote.FR + ")"
			}
			p("- S'applique à partir du / applies from: %s\n", from)
			p("- Certitude / confidence: `%s`", r.Confidence)
			if r.ConfidenceDetail != "" {
				p(" (%s)", r.ConfidenceDetail)
			}
			p("\n")
			if r.Trigger.FR != "" {
				p("- Quand / when: %s\n", r.Trigger.FR)
			}
			if r.Obligation.FR != "" {
				p("- Ce qu'elle dit / what it says: %s\n", r.Obligation.FR)
			}
			if len(r.Sources) > 0 {
				p("- Sources: %s\n", strings.Join(r.Sources, ", "))
			}
			p("\n")
		}
	}
	p("## Sources\n\n")
	for _, k := range b.srcKeys {
		s := b.sources[k]
		p("- **%s** — %s", s.Key, s.Citation)
		if s.URL != "" {
			p(" <%s>", s.URL)
		}
		if s.Note != "" {
			p(". %s", s.Note)
		}
		p("\n")
	}
	_, err := io.WriteString(w, sb.String())
	return err
}
