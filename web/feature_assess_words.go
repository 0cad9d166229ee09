package web

import (
	"strings"

	"github.com/vigie-app/vigie/assess"
)

// HeadlineBasis is what the headline names after the tier: the articles of
// Art. 5 for a prohibited system (never the Annex III point that also
// applies), the Annex III points for a high-risk one, the article
// otherwise.
func (d *asData) HeadlineBasis(a *assess.Assessment) string {
	if a == nil {
		return ""
	}
	art := d.T("as.art.lower")
	var arts []string
	for _, g := range a.AIAct.Grounds {
		if a.AIAct.Tier == assess.TierProhibited && !strings.HasPrefix(g.Article, "5(") {
			continue
		}
		if a.AIAct.Tier == assess.TierHigh && len(a.AIAct.AnnexIII) > 0 {
			continue
		}
		arts = append(arts, art+" "+g.Article)
	}
	if a.AIAct.Tier == assess.TierHigh && len(a.AIAct.AnnexIII) > 0 {
		return d.T("as.annex") + " " + strings.Join(a.AIAct.AnnexIII, ", ")
	}
	return strings.Join(arts, ", ")
}

// MethodName is the risk method's name without the words that follow it
// in both languages.
func (d *asData) MethodName(m string) string {
	name, _, _ := strings.Cut(m, " (")
	return name
}
