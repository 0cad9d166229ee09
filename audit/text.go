package audit

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/vigie-app/vigie"
)

// fmtr formats numbers and words in one language ("fr" or "en").
type fmtr struct{ en bool }

func newFmtr(lang string) fmtr { return fmtr{en: strings.HasPrefix(strings.ToLower(lang), "en")} }

func (f fmtr) t(fr, en string) string {
	if f.en {
		return en
	}
	return fr
}

// dec formats x with d decimals, decimal comma in French.
func (f fmtr) dec(x float64, d int) string {
	s := strconv.FormatFloat(x, 'f', d, 64)
	if !f.en {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// int formats an integer with thousands separators.
func (f fmtr) int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if !f.en {
		sep = "\u00a0"
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func (f fmtr) pct(p *float64) string {
	if p == nil {
		return f.t("indéfini", "undefined")
	}
	if f.en {
		return f.dec(100**p, 1) + "%"
	}
	return f.dec(100**p, 1) + "\u00a0%"
}

// ratio: 1 decimal from 1 up, 2 below, none from 10.
func (f fmtr) ratio(r float64) string {
	switch {
	case r >= 10:
		return f.dec(r, 0)
	case r >= 1.1:
		return f.dec(r, 1)
	case r >= 1:
		return f.dec(r, 2)
	case r >= 0.1:
		return f.dec(r, 2)
	}
	return f.dec(r, 3)
}

func (f fmtr) ci(lo, hi float64) string {
	d := 2
	if lo < 0.1 && lo > -0.1 {
		d = 3
	}
	if lo >= 0 {
		return f.dec(lo, d) + "–" + f.dec(hi, d)
	}
	minus := func(s string) string { return strings.Replace(s, "-", "−", 1) }
	return minus(f.dec(lo, d)) + f.t(" à ", " to ") + minus(f.dec(hi, d))
}

func (f fmtr) p(p *float64) string {
	if p == nil {
		return "–"
	}
	if *p < 0.0001 {
		return "< " + f.dec(0.0001, 4)
	}
	s := strconv.FormatFloat(*p, 'g', 3, 64)
	if strings.Contains(s, "e") {
		s = strconv.FormatFloat(*p, 'f', 4, 64)
	}
	if !f.en {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func (f fmtr) q(s string) string {
	if f.en {
		return "“" + s + "”"
	}
	return "«\u00a0" + s + "\u00a0»"
}

// metricText names a metric and says who it counts: the population and
// what happened to them.
type metricText struct {
	nameFR, nameEN   string
	popFR, popEN     string // "" for everyone
	eventFR, eventEN string
}

func metricTexts(label string) map[string]metricText {
	negFR := "Parmi les personnes dont l'issue observée (« " + label + " ») est négative, "
	negEN := "Among people whose observed outcome (“" + label + "”) is negative, "
	posFR := "Parmi les personnes dont l'issue observée (« " + label + " ») est positive, "
	posEN := "Among people whose observed outcome (“" + label + "”) is positive, "
	flFR, flEN := "Parmi les personnes signalées, ", "Among flagged people, "
	nflFR, nflEN := "Parmi les personnes non signalées, ", "Among people not flagged, "
	return map[string]metricText{
		"pprev":     {"taux de signalement", "selection rate", "", "", "ont été signalées", "were flagged"},
		"fpr":       {"taux de faux positifs", "false positive rate", negFR, negEN, "ont été signalées", "were flagged"},
		"tnr":       {"taux de vrais négatifs", "true negative rate", negFR, negEN, "n'ont pas été signalées", "were not flagged"},
		"fnr":       {"taux de faux négatifs", "false negative rate", posFR, posEN, "n'ont pas été signalées", "were not flagged"},
		"tpr":       {"taux de vrais positifs", "true positive rate", posFR, posEN, "ont été signalées", "were flagged"},
		"precision": {"précision", "precision", flFR, flEN, "avaient une issue observée positive", "had a positive observed outcome"},
		"fdr":       {"taux de fausses alertes", "false discovery rate", flFR, flEN, "avaient une issue observée négative", "had a negative observed outcome"},
		"npv":       {"valeur prédictive négative", "negative predictive value", nflFR, nflEN, "avaient une issue observée négative", "had a negative observed outcome"},
		"for":       {"taux d'omission", "false omission rate", nflFR, nflEN, "avaient une issue observée positive", "had a positive observed outcome"},
		"prev":      {"taux de base (issue observée positive, indépendant de la décision)", "base rate (positive observed outcome, independent of the decision)", "", "", "avaient une issue observée positive", "had a positive observed outcome"},
	}
}

func (f fmtr) metricName(mt metricText) string { return f.t(mt.nameFR, mt.nameEN) }

// Sentence says one disparity in plain words, always from the side of the
// group with the higher rate, whichever is the reference: « Parmi les
// personnes dont l'issue observée (« y ») est négative, 44,8 % des « A »
// ont été signalées contre 23,5 % des « B » : 1,9 fois plus (IC 95 %
// 1,72–2,12), soit 384 personnes de plus. » When the reference has the
// higher rate, it comes first and the ratio and its interval are inverted
// (1/r, 1/high–1/low); the count of people stays the group's.
func (r *Report) Sentence(lang, metric string, a *Attribute, g *Group) string {
	f := newFmtr(lang)
	mt := metricTexts(r.Config.Label)[metric]
	d := g.Disparities[metric]
	ref := &a.Groups[0]
	var b strings.Builder
	pop := f.t(mt.popFR, mt.popEN)
	hi, lo := g, ref
	hx, lx := d.Group, d.Ref
	inverted := d.Ratio != nil && *d.Ratio < 1 && *d.Ratio > 0
	if inverted {
		hi, lo, hx, lx = ref, g, d.Ref, d.Group
	}
	hm, lm := hi.Metrics[metric], lo.Metrics[metric]
	if f.en {
		fmt.Fprintf(&b, "%s%s of %s %s against %s of %s", pop, f.pct(hm.Value), f.q(hi.Value), mt.eventEN, f.pct(lm.Value), f.q(lo.Value))
	} else {
		fmt.Fprintf(&b, "%s%s des %s %s contre %s des %s", pop, f.pct(hm.Value), f.q(hi.Value), mt.eventFR, f.pct(lm.Value), f.q(lo.Value))
	}
	fmt.Fprintf(&b, " (%s/%s %s %s/%s)", f.int(hx.X), f.int(hx.N), f.t("contre", "vs"), f.int(lx.X), f.int(lx.N))
	sp := f.t("\u00a0:", ":")
	switch {
	case d.Ratio == nil:
		fmt.Fprintf(&b, "%s %s", sp, f.ratioReason(d))
	case *d.Ratio == 0:
		fmt.Fprintf(&b, "%s %s", sp, f.t("aucune personne du groupe dans ce cas, contre un taux non nul pour la référence", "nobody of the group in this case, against a non-zero rate for the reference"))
	default:
		rr := *d.Ratio
		var low, high *float64
		if d.RatioCILow != nil {
			l, h := *d.RatioCILow, *d.RatioCIHigh
			low, high = &l, &h
		}
		if inverted {
			rr = 1 / rr
			if low != nil {
				l, h := 1 / *high, 1 / *low
				low, high = &l, &h
			}
		}
		rs := f.ratio(rr)
		if low != nil {
			// one decimal fewer only when it stays inside the printed interval
			if v, err := strconv.ParseFloat(strings.Replace(rs, ",", ".", 1), 64); err == nil &&
				(v < math.Round(*low*100)/100 || v > math.Round(*high*100)/100) {
				rs = f.dec(rr, 2)
			}
		}
		fmt.Fprintf(&b, "%s %s %s", sp, rs, f.t("fois plus", "times as often"))
		if low != nil {
			fmt.Fprintf(&b, " (%s %s)", f.t("IC 95\u00a0%", "95% CI"), f.ci(*low, *high))
		} else {
			fmt.Fprintf(&b, " (%s)", f.t("pas d'intervalle : effectif nul", "no interval: zero count"))
		}
	}
	if d.Excess != nil {
		e := int64(math.Round(*d.Excess))
		// The count is the group's: named when the group is not the one
		// the sentence starts with.
		among := ""
		if inverted {
			among = f.t(" parmi les ", " among ") + f.q(g.Value)
		}
		switch {
		case e > 0:
			fmt.Fprintf(&b, f.t(", soit %s personne%s de plus", ", i.e. %s more %s"), f.int(e), f.plural(e))
			b.WriteString(among)
		case e < 0:
			fmt.Fprintf(&b, f.t(", soit %s personne%s de moins", ", i.e. %s fewer %s"), f.int(-e), f.plural(-e))
			b.WriteString(among)
		}
	}
	b.WriteString(". ")
	b.WriteString(f.verdict(d, r.Config.MinN))
	if pop == "" {
		// The sentence starts with a rate, or with a word when the rate
		// is undefined: « indéfini », "undefined".
		return vigie.UpperFirst(b.String())
	}
	return b.String()
}

func (f fmtr) plural(n int64) string {
	if f.en {
		if n == 1 {
			return "person"
		}
		return "people"
	}
	if n > 1 {
		return "s"
	}
	return ""
}

func (f fmtr) ratioReason(d Disparity) string {
	switch {
	case strings.HasPrefix(d.RatioReason, "infinite"):
		return f.t("rapport infini (le taux de référence est nul) : il n'est pas remplacé par un nombre", "infinite ratio (the reference rate is 0): not replaced by a number")
	case strings.Contains(d.RatioReason, "0/0"):
		return f.t("rapport indéfini (0/0 : les deux taux sont nuls)", "undefined ratio (0/0: both rates are 0)")
	}
	return f.t("rapport indéfini (dénominateur nul)", "undefined ratio (zero denominator)")
}

func (f fmtr) verdict(d Disparity, minN int) string {
	switch d.Verdict {
	case VerdictDisparity:
		return f.t("Disparité établie : tout l'intervalle est hors de la bande 0,8–1,25 et le test corrigé (Holm) la confirme (p ajusté ", "Disparity established: the whole interval lies outside the 0.8–1.25 band and the corrected test (Holm) confirms it (adjusted p ") + f.pEq(d.PAdjusted) + ")."
	case VerdictParity:
		return f.t("Dans la tolérance : tout l'intervalle est dans la bande 0,8–1,25", "Within tolerance: the whole interval lies inside the 0.8–1.25 band") + " (" + f.t("p ajusté ", "adjusted p ") + f.pEq(d.PAdjusted) + ")."
	}
	why := ""
	switch d.Code {
	case "min_n":
		why = fmt.Sprintf(f.t("moins de %d personnes dans le groupe ou la référence pour ce taux", "fewer than %d people in the group or the reference for this rate"), minN)
	case "no_interval":
		why = f.t("le rapport n'a pas d'intervalle (effectif nul)", "the ratio has no interval (zero count)")
	case "not_significant":
		why = f.t("l'intervalle est hors de la bande mais le test corrigé n'est pas significatif", "the interval lies outside the band but the corrected test is not significant")
	default:
		why = f.t("l'intervalle chevauche une borne de la bande 0,8–1,25", "the interval crosses an edge of the 0.8–1.25 band")
	}
	return f.t("Non concluant : ", "Inconclusive: ") + why + "."
}

func (f fmtr) pEq(p *float64) string {
	s := f.p(p)
	if strings.HasPrefix(s, "<") {
		return s
	}
	return "= " + s
}

func (f fmtr) verdictWord(v string) string {
	switch v {
	case VerdictDisparity:
		return f.t("disparité", "disparity")
	case VerdictParity:
		return f.t("tolérance", "parity")
	}
	return f.t("non concluant", "inconclusive")
}

func (r *Report) metrics() []string {
	if r.Config.Label == "" {
		return []string{"pprev"}
	}
	return MetricNames
}

func (r *Report) flagDef(f fmtr) string {
	if r.Config.Threshold != nil {
		return fmt.Sprintf("%s ≥ %s", f.q(r.Config.Score), f.dec(*r.Config.Threshold, -1))
	}
	return fmt.Sprintf("%s ∈ {%s}", f.q(r.Config.Score), strings.Join(r.Config.Positive, ", "))
}

func (f fmtr) direction(d Direction) string {
	if d == Favourable {
		return f.t("être signalé est FAVORABLE à la personne (sélection, attribution)", "being flagged is FAVOURABLE to the person (selected, granted)")
	}
	return f.t("être signalé est DÉFAVORABLE à la personne (contrôle, refus, sanction)", "being flagged is ADVERSE to the person (controlled, refused, sanctioned)")
}

// WriteText writes the report for a reader who is not a statistician:
// French by default, English when lang is "en".
func (r *Report) WriteText(w io.Writer, lang string) error {
	f := newFmtr(lang)
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("%s\n\n", f.t("Audit de discrimination (vigie)", "Discrimination audit (vigie)"))
	in := r.Input
	name := in.Path
	if name == "" {
		name = f.t("entrée standard", "standard input")
	}
	sha := ""
	if in.SHA256 != "" {
		sha = ", sha256 " + in.SHA256[:16] + "…"
	}
	p("%s %s%s%s%s %s, %s %s.\n", f.t("Fichier", "File"), name, sha, f.t(" : ", ": "), f.int(in.Rows), f.t("lignes lues", "rows read"), f.int(in.Excluded), f.t("exclues (valeur manquante ou invalide)", "excluded (missing or invalid value)"))
	p("%s %s%s%s.\n", f.t("Signalé signifie :", "Flagged means:"), r.flagDef(f), f.t(" ; ", "; "), f.direction(r.Direction))
	if r.Config.Label != "" {
		p("%s %s.\n", f.t("Issue observée :", "Observed outcome:"), f.q(r.Config.Label))
	}
	p("%s\n", f.t("Les fourchettes sont des intervalles de confiance à 95 % ; un rapport entre 0,8 et 1,25 est dans la tolérance (règle des quatre cinquièmes) ; les tests sont corrigés (Holm) pour le nombre de comparaisons",
		"Ranges are 95% confidence intervals; a ratio between 0.8 and 1.25 is within tolerance (four-fifths rule); tests are corrected (Holm) for the number of comparisons")+
		fmt.Sprintf(" (%d).", r.Multiplicity.Family))
	for _, wn := range r.Warnings {
		p("%s %s\n", f.t("Attention :", "Warning:"), pick(f, wn))
	}
	// summary: the established disparities
	p("\n%s\n", f.t("== En bref ==", "== In short =="))
	n := 0
	for ai := range r.Attributes {
		a := &r.Attributes[ai]
		for gi := range a.Groups {
			g := &a.Groups[gi]
			for _, m := range r.metrics() {
				if d, ok := g.Disparities[m]; ok && d.Verdict == VerdictDisparity {
					n++
					p("- [%s, %s] %s\n", a.Name, f.metricName(metricTexts(r.Config.Label)[m]), r.Sentence(lang, m, a, g))
				}
			}
		}
	}
	if n == 0 {
		p("%s\n", f.t("Aucune disparité établie avec ces données (voir le détail : une absence de preuve n'est pas une preuve d'absence).",
			"No disparity established with these data (see the details: absence of evidence is not evidence of absence)."))
	}
	for ai := range r.Attributes {
		a := &r.Attributes[ai]
		rule := f.t("le plus nombreux", "the largest")
		if a.ReferenceRule == "given" {
			rule = f.t("choisi", "chosen")
		}
		p("\n== %s %s — %s %s (%s, %s %s) ==\n", f.t("Attribut", "Attribute"), f.q(a.Name), f.t("groupe de référence", "reference group"), f.q(a.Reference), rule, f.int(a.Groups[0].N), f.t("personnes", "people"))
		for _, m := range r.metrics() {
			mt := metricTexts(r.Config.Label)[m]
			p("\n%s (%s)\n", vigie.UpperFirst(f.metricName(mt)), m)
			for gi := range a.Groups[1:] {
				g := &a.Groups[gi+1]
				p("- %s\n", r.Sentence(lang, m, a, g))
			}
			if o := a.Omnibus[m]; o.Chi2 != nil && len(a.Groups) > 2 {
				p("  %s χ² = %s, %d %s, p %s.\n", f.t("Test global (tous les groupes) :", "Overall test (all groups):"), f.dec(*o.Chi2, 2), o.DF, f.t("ddl", "df"), f.pEq(o.PValue))
			}
		}
		if s := a.SEDF; s != nil && s.Epsilon != nil {
			p("\n%s ε = %s (e^ε = %s) : %s %s / %s",
				f.t("Équité différentielle lissée :", "Smoothed differential fairness:"), f.dec(*s.Epsilon, 4), f.dec(math.Exp(*s.Epsilon), 2),
				f.t("écart maximal entre", "largest gap between"), f.q(s.Pair[0]), f.q(s.Pair[1]))
			if s.EpsilonMinN != nil {
				p(" ; %s %d : ε = %s", f.t("sur les groupes d'au moins", "over groups of at least"), s.MinN, f.dec(*s.EpsilonMinN, 4))
			}
			p(".\n")
		}
	}
	p("\n%s\n", f.t("Chaque chiffre se reproduit avec `vigie audit --format json` ; les comptes sont dans le JSON.",
		"Every figure can be reproduced with `vigie audit --format json`; the counts are in the JSON."))
	return bw.Flush()
}

// pick returns the French or English half of a "fr / en" message.
func pick(f fmtr, s string) string {
	i := strings.Index(s, " / ")
	if i < 0 {
		return s
	}
	return f.t(s[:i], s[i+3:])
}
