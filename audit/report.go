package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Schema is the value of Report.Schema.
const Schema = "vigie/audit/v1"

// Report is the result of an audit. It marshals to the JSON contract of
// `vigie audit --format json` (schema vigie/audit/v1). Floats that are
// undefined (0/0, x/0, no interval) are nil pointers, encoded as null, with
// the reason beside them.
type Report struct {
	Schema       string       `json:"schema"`
	Input        Input        `json:"input"`
	Config       ReportConfig `json:"config"`
	Direction    Direction    `json:"direction"`
	Outcome      string       `json:"outcome"`
	Multiplicity Multiplicity `json:"multiplicity"`
	Attributes   []Attribute  `json:"attributes"`
	Inequality   *Inequality  `json:"inequality,omitempty"`
	Warnings     []string     `json:"warnings"`
}

// Input describes the data read.
type Input struct {
	Path       string           `json:"path"`
	SHA256     string           `json:"sha256"`
	Rows       int64            `json:"rows"`
	Used       int64            `json:"used"`
	Excluded   int64            `json:"excluded"`
	Exclusions map[string]int64 `json:"exclusions"`
	// FirstExcluded gives, per reason, the first excluded line (1-based,
	// header included; the row number for Parquet) and its value.
	FirstExcluded map[string]Location `json:"first_excluded,omitempty"`
	Bytes         int64               `json:"bytes"`
	Format        string              `json:"format"`
	Delimiter     string              `json:"delimiter,omitempty"`
	Encoding      string              `json:"encoding,omitempty"`
	Reader        string              `json:"reader"`
	Columns       []string            `json:"columns"`
}

// Location points at a value in the input.
type Location struct {
	Line   int64  `json:"line"`
	Column string `json:"column,omitempty"`
	Value  string `json:"value"`
}

// ReportConfig echoes the settings that shaped the numbers.
type ReportConfig struct {
	Groups        []string          `json:"groups"`
	Intersect     bool              `json:"intersect"`
	Label         string            `json:"label,omitempty"`
	LabelPositive []string          `json:"label_positive,omitempty"`
	Score         string            `json:"score"`
	Threshold     *float64          `json:"threshold,omitempty"`
	Positive      []string          `json:"positive,omitempty"`
	Reference     map[string]string `json:"reference,omitempty"`
	MinN          int               `json:"min_n"`
	Alpha         float64           `json:"alpha"`
	Concentration float64           `json:"concentration"`
	Confidence    float64           `json:"confidence"`
	Band          [2]float64        `json:"band"`
}

// Multiplicity describes the correction of the tests.
type Multiplicity struct {
	Method string `json:"method"`
	Family int    `json:"family_size"`
	Also   string `json:"also"`
}

// Attribute holds the groups of one protected attribute (or of an
// intersection of attributes).
type Attribute struct {
	Name string `json:"name"`
	// Columns lists the attributes of an intersection.
	Columns       []string             `json:"columns,omitempty"`
	Reference     string               `json:"reference"`
	ReferenceRule string               `json:"reference_rule"`
	Groups        []Group              `json:"groups"`
	Omnibus       map[string]Omnibus   `json:"omnibus"`
	Aggregates    map[string]Aggregate `json:"aggregates"`
	SEDF          *SEDF                `json:"sedf,omitempty"`
	// BetweenGroupGE2 is AIF360's between-group generalized entropy
	// index (α = 2), with a label only.
	BetweenGroupGE2 *float64 `json:"between_group_ge2,omitempty"`
}

// Group is one value of an attribute.
type Group struct {
	Value       string               `json:"value"`
	Values      []string             `json:"values,omitempty"`
	N           int64                `json:"n"`
	Reference   bool                 `json:"reference,omitempty"`
	Counts      Counts               `json:"counts"`
	Metrics     map[string]Metric    `json:"metrics"`
	Disparities map[string]Disparity `json:"disparities"`
	Summary     *Summary             `json:"summary,omitempty"`
}

// Counts: flagged or not; with a label, the confusion counts (the label's
// positive class is the event that the flag predicts).
type Counts struct {
	TP         *int64 `json:"tp,omitempty"`
	FP         *int64 `json:"fp,omitempty"`
	FN         *int64 `json:"fn,omitempty"`
	TN         *int64 `json:"tn,omitempty"`
	Flagged    int64  `json:"flagged"`
	NotFlagged int64  `json:"not_flagged"`
}

// Metric is a rate with its Wilson interval.
type Metric struct {
	Value       *float64 `json:"value"`
	CILow       *float64 `json:"ci_low"`
	CIHigh      *float64 `json:"ci_high"`
	Numerator   int64    `json:"numerator"`
	Denominator int64    `json:"denominator"`
	Undefined   bool     `json:"undefined,omitempty"`
	// Insufficient: the denominator is below min-n.
	Insufficient bool `json:"insufficient,omitempty"`
}

// Verdicts.
const (
	VerdictDisparity    = "disparity"
	VerdictParity       = "parity"
	VerdictInsufficient = "insufficient"
)

// Disparity compares a group's rate with the reference group's.
type Disparity struct {
	Ratio            *float64 `json:"ratio"`
	RatioCILow       *float64 `json:"ratio_ci_low"`
	RatioCIHigh      *float64 `json:"ratio_ci_high"`
	RatioReason      string   `json:"ratio_reason,omitempty"`
	Difference       *float64 `json:"difference"`
	DifferenceCILow  *float64 `json:"difference_ci_low"`
	DifferenceCIHigh *float64 `json:"difference_ci_high"`
	// InBand: the point ratio lies in [0.8, 1.25], decided exactly on counts.
	InBand *bool `json:"in_band"`
	// Excess: x_g − p_ref·n_g, the people of the group with the event beyond
	// what the reference rate would give.
	Excess    *float64 `json:"excess"`
	Test      string   `json:"test,omitempty"`
	Z         *float64 `json:"z,omitempty"`
	PValue    *float64 `json:"p_value"`
	PAdjusted *float64 `json:"p_adjusted"`
	PBH       *float64 `json:"p_bh"`
	Verdict   string   `json:"verdict"`
	Reason    string   `json:"verdict_reason,omitempty"`
	// Code is the reason as a stable code: min_n, no_interval, inside_band,
	// outside_band, not_significant, crosses_band.
	Code  string   `json:"verdict_code,omitempty"`
	Group Fraction `json:"group"`
	Ref   Fraction `json:"reference"`
}

// Fraction is x events out of n.
type Fraction struct {
	X int64 `json:"x"`
	N int64 `json:"n"`
}

// Omnibus is Pearson's χ² on the k×2 table of a metric.
type Omnibus struct {
	Chi2   *float64 `json:"chi2"`
	DF     int      `json:"df"`
	PValue *float64 `json:"p_value"`
}

// Aggregate gives Fairlearn's summaries of a metric over the groups.
type Aggregate struct {
	BetweenDifference *float64 `json:"between_groups_difference"`
	BetweenRatio      *float64 `json:"between_groups_ratio"`
	OverallDifference *float64 `json:"to_overall_difference"`
	OverallRatio      *float64 `json:"to_overall_ratio"`
	Overall           *float64 `json:"overall"`
}

// Summary gives AIF360's summaries of a group against the reference, in
// terms of the flag (label required).
type Summary struct {
	EqualOpportunity *float64 `json:"equal_opportunity_difference"`
	AverageOdds      *float64 `json:"average_odds_difference"`
	AverageAbsOdds   *float64 `json:"average_abs_odds_difference"`
	EqualizedOdds    *float64 `json:"equalized_odds_difference"`
}

// SEDF is the smoothed empirical differential fairness of the groups of an
// attribute (Foulds et al. 2020), on the flag.
type SEDF struct {
	Epsilon       *float64 `json:"epsilon"`
	Pair          []string `json:"pair"`
	Term          string   `json:"term"`
	Favourable    bool     `json:"favourable_term"`
	MinN          int      `json:"min_n"`
	EpsilonMinN   *float64 `json:"epsilon_min_n"`
	PairMinN      []string `json:"pair_min_n,omitempty"`
	TermMinN      string   `json:"term_min_n,omitempty"`
	Concentration float64  `json:"concentration"`
}

// Inequality holds AIF360's individual inequality indices (label
// required), with b = ŷ − y + 1 in favourable terms.
type Inequality struct {
	GE2   *float64 `json:"generalized_entropy_2"`
	Theil *float64 `json:"theil"`
}

// MetricNames lists the metrics in report order.
var MetricNames = []string{"pprev", "fpr", "fnr", "tpr", "tnr", "precision", "fdr", "npv", "for", "prev"}

// counts of a cell: c[flag][label]
func tp(c cell) int64 { return c[1][1] }
func fp(c cell) int64 { return c[1][0] }
func fn(c cell) int64 { return c[0][1] }
func tn(c cell) int64 { return c[0][0] }

// fraction returns numerator and denominator of metric m.
func fraction(m string, c cell) (x, n int64) {
	TP, FP, FN, TN := tp(c), fp(c), fn(c), tn(c)
	switch m {
	case "pprev":
		return TP + FP, TP + FP + FN + TN
	case "prev":
		return TP + FN, TP + FP + FN + TN
	case "fpr":
		return FP, FP + TN
	case "tnr":
		return TN, FP + TN
	case "fnr":
		return FN, FN + TP
	case "tpr":
		return TP, FN + TP
	case "precision":
		return TP, TP + FP
	case "fdr":
		return FP, TP + FP
	case "npv":
		return TN, FN + TN
	case "for":
		return FN, FN + TN
	}
	panic("audit: unknown metric " + m)
}

func num(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

func ptr[T any](v T) *T { return &v }

type rgroup struct {
	value  string
	values []string
	c      cell
}

func total(c cell) int64 { return c[0][0] + c[0][1] + c[1][0] + c[1][1] }

// build turns the tally into the report.
func build(t *tally, cfg *Config) (*Report, error) {
	hasLabel := cfg.Label != ""
	metrics := MetricNames
	if !hasLabel {
		metrics = []string{"pprev"}
	}
	r := &Report{
		Schema:    Schema,
		Direction: cfg.Direction,
		Outcome:   "flagged",
		Warnings:  append([]string{}, t.warnings...),
		Config: ReportConfig{
			Groups: cfg.Groups, Intersect: cfg.Intersect, Label: cfg.Label, LabelPositive: cfg.LabelPositive,
			Score: cfg.Score, Threshold: cfg.Threshold, Positive: cfg.Positive, Reference: cfg.Reference,
			MinN: cfg.MinN, Alpha: cfg.Alpha, Concentration: cfg.Concentration, Confidence: 0.95, Band: [2]float64{0.8, 1.25},
		},
	}
	in := Input{Path: cfg.Path, SHA256: t.sha, Rows: t.rows, Exclusions: map[string]int64{}, Bytes: t.bytes,
		Format: t.format, Delimiter: t.delimiter, Encoding: t.encoding, Reader: t.reader, Columns: t.columns}
	for i, k := range reasonKey {
		in.Exclusions[k] = t.excl[i]
		in.Excluded += t.excl[i]
		if f := t.first[i]; f.set {
			if in.FirstExcluded == nil {
				in.FirstExcluded = map[string]Location{}
			}
			col := ""
			if f.col >= 0 && f.col < len(t.columns) {
				col = t.columns[f.col]
			}
			in.FirstExcluded[k] = Location{Line: f.line, Column: col, Value: t.text([]byte(f.val))}
		}
	}
	in.Used = in.Rows - in.Excluded
	r.Input = in
	if err := checkUsable(t, cfg, in); err != nil {
		return nil, err
	}
	for i, k := range reasonKey {
		if t.excl[i] > 0 {
			f := in.FirstExcluded[k]
			r.Warnings = append(r.Warnings, fmt.Sprintf("%d ligne(s) exclue(s) : %s (première : ligne %d, « %s ») / %d row(s) excluded: %s (first: line %d, %q)",
				t.excl[i], reasonFR[i], f.Line, f.Value, t.excl[i], k, f.Line, f.Value))
		}
	}

	// groups per attribute, recoded
	var attrs [][]rgroup
	var names []string
	var colsOf [][]string
	for i, g := range cfg.Groups {
		var gs []rgroup
		idx := map[string]int{}
		for k, raw := range t.attrVals[i] {
			v := recode(cfg.Recode[g], t.text([]byte(raw)))
			j, ok := idx[v]
			if !ok {
				j = len(gs)
				idx[v] = j
				gs = append(gs, rgroup{value: v})
			}
			addCell(&gs[j].c, &t.attrCnt[i][k])
		}
		attrs = append(attrs, gs)
		names = append(names, g)
		colsOf = append(colsOf, nil)
	}
	if cfg.Intersect {
		var gs []rgroup
		idx := map[string]int{}
		for k, raws := range t.comboVals {
			vals := make([]string, len(raws))
			for i, raw := range raws {
				vals[i] = recode(cfg.Recode[cfg.Groups[i]], t.text([]byte(raw)))
			}
			v := strings.Join(vals, " × ")
			j, ok := idx[v]
			if !ok {
				j = len(gs)
				idx[v] = j
				gs = append(gs, rgroup{value: v, values: vals})
			}
			addCell(&gs[j].c, &t.comboCnt[k])
		}
		attrs = append(attrs, gs)
		names = append(names, strings.Join(cfg.Groups, " × "))
		colsOf = append(colsOf, cfg.Groups)
	}

	for ai, gs := range attrs {
		name := names[ai]
		if len(gs) < 2 {
			one := ""
			if len(gs) == 1 {
				one = gs[0].value
			}
			return nil, invalid("%s : la colonne de groupe « %s » n'a qu'une valeur (« %s ») dans les lignes retenues : rien à comparer / %s: group column %q has a single value (%q) in the rows kept: nothing to compare",
				inputName(cfg), name, one, inputName(cfg), name, one)
		}
		sort.Slice(gs, func(i, j int) bool { return gs[i].value < gs[j].value })
		ref, rule := -1, "largest"
		if want, ok := cfg.Reference[name]; ok {
			rule = "given"
			for i := range gs {
				if gs[i].value == want {
					ref = i
				}
			}
			if ref < 0 {
				var vs []string
				for _, g := range gs {
					vs = append(vs, g.value)
				}
				return nil, invalid("--reference %s=%s : valeur absente (valeurs : %s) / --reference %s=%s: no such value (values: %s)",
					name, want, strings.Join(vs, ", "), name, want, strings.Join(vs, ", "))
			}
		} else {
			for i := range gs {
				if ref < 0 || total(gs[i].c) > total(gs[ref].c) {
					ref = i
				}
			}
		}
		// reference first, then by n descending, then by value
		refG := gs[ref]
		gs = append(gs[:ref:ref], gs[ref+1:]...)
		sort.SliceStable(gs, func(i, j int) bool { return total(gs[i].c) > total(gs[j].c) })
		gs = append([]rgroup{refG}, gs...)

		at := Attribute{Name: name, Columns: colsOf[ai], Reference: refG.value, ReferenceRule: rule,
			Omnibus: map[string]Omnibus{}, Aggregates: map[string]Aggregate{}}
		var all cell
		for _, g := range gs {
			addCell(&all, &g.c)
		}
		for gi, g := range gs {
			grp := Group{Value: g.value, Values: g.values, N: total(g.c), Reference: gi == 0,
				Counts:  Counts{Flagged: g.c[1][0] + g.c[1][1], NotFlagged: g.c[0][0] + g.c[0][1]},
				Metrics: map[string]Metric{}, Disparities: map[string]Disparity{}}
			if hasLabel {
				grp.Counts.TP, grp.Counts.FP, grp.Counts.FN, grp.Counts.TN = ptr(tp(g.c)), ptr(fp(g.c)), ptr(fn(g.c)), ptr(tn(g.c))
			}
			for _, m := range metrics {
				x, n := fraction(m, g.c)
				mt := Metric{Numerator: x, Denominator: n, Undefined: n == 0, Insufficient: n < int64(cfg.MinN)}
				if n > 0 {
					lo, hi := Wilson(x, n)
					mt.Value, mt.CILow, mt.CIHigh = num(float64(x)/float64(n)), num(lo), num(hi)
				}
				grp.Metrics[m] = mt
				if gi > 0 {
					rx, rn := fraction(m, refG.c)
					grp.Disparities[m] = compare(x, n, rx, rn, cfg.MinN)
				}
			}
			if gi > 0 && hasLabel {
				grp.Summary = summary(g.c, refG.c)
			}
			at.Groups = append(at.Groups, grp)
		}
		for _, m := range metrics {
			var xs, ns []int64
			for _, g := range gs {
				x, n := fraction(m, g.c)
				xs, ns = append(xs, x), append(ns, n)
			}
			chi, df, p := ChiSquare(xs, ns)
			at.Omnibus[m] = Omnibus{Chi2: num(chi), DF: df, PValue: num(p)}
			at.Aggregates[m] = aggregate(xs, ns)
		}
		at.SEDF = sedf(gs, cfg)
		if hasLabel {
			at.BetweenGroupGE2 = num(betweenGE2(gs, cfg.Direction))
		}
		r.Attributes = append(r.Attributes, at)
	}
	for k := range cfg.Reference {
		found := false
		for _, n := range names {
			found = found || n == k
		}
		if !found {
			return nil, invalid("--reference %s : %q n'est pas un attribut de l'audit (%s) / --reference %s: %q is not an attribute of the audit (%s)",
				k, k, strings.Join(names, ", "), k, k, strings.Join(names, ", "))
		}
	}
	var all cell
	for _, g := range attrs[0] {
		addCell(&all, &g.c)
	}
	if fl := all[1][0] + all[1][1]; fl == 0 || fl == total(all) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("toutes les lignes retenues ont le même signalement (%d signalées sur %d) : vérifiez --threshold ou --positive / every row kept has the same flag (%d flagged out of %d): check --threshold or --positive",
			fl, total(all), fl, total(all)))
	}
	if pos := all[0][1] + all[1][1]; hasLabel && (pos == 0 || pos == total(all)) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("toutes les lignes retenues ont la même issue observée (%d positives sur %d) : vérifiez --label-positive / every row kept has the same observed outcome (%d positive out of %d): check --label-positive",
			pos, total(all), pos, total(all)))
	}
	// Holm (and BH) across every cell of the report
	var ps []float64
	var cells []struct {
		g *Group
		m string
	}
	for ai := range r.Attributes {
		for gi := range r.Attributes[ai].Groups {
			g := &r.Attributes[ai].Groups[gi]
			for _, m := range metrics {
				if d, ok := g.Disparities[m]; ok {
					p := math.NaN()
					if d.PValue != nil {
						p = *d.PValue
					}
					ps = append(ps, p)
					cells = append(cells, struct {
						g *Group
						m string
					}{g, m})
				}
			}
		}
	}
	holm, bh := Holm(ps), BH(ps)
	fam := 0
	for i, c := range cells {
		d := c.g.Disparities[c.m]
		d.PAdjusted, d.PBH = num(holm[i]), num(bh[i])
		if !math.IsNaN(ps[i]) {
			fam++
		}
		verdict(&d, cfg)
		c.g.Disparities[c.m] = d
	}
	r.Multiplicity = Multiplicity{Method: "holm", Family: fam, Also: "benjamini-hochberg (p_bh)"}
	if hasLabel {
		ge, th := inequality(all, cfg.Direction)
		r.Inequality = &Inequality{GE2: num(ge), Theil: num(th)}
	}
	return r, nil
}

func recode(m map[string]string, v string) string {
	if m == nil {
		return v
	}
	if to, ok := m[v]; ok {
		return to
	}
	if to, ok := m["*"]; ok {
		return to
	}
	return v
}

func checkUsable(t *tally, cfg *Config, in Input) error {
	name := inputName(cfg)
	if t.rows == 0 {
		return invalid("%s : aucune ligne de données après l'en-tête / %s: no data row after the header", name, name)
	}
	loc := func(r int) string {
		f := t.first[r]
		col := ""
		if f.col >= 0 && f.col < len(t.columns) {
			col = t.columns[f.col]
		}
		return fmt.Sprintf("ligne %d, colonne « %s », valeur « %s » / line %d, column %q, value %q", f.line, col, t.text([]byte(f.val)), f.line, col, t.text([]byte(f.val)))
	}
	withScore := t.rows - t.excl[rShortRow] - t.excl[rMissingGroup] - t.excl[rInvalidGroup] - t.excl[rMissingLabel] - t.excl[rInvalidLabel] - t.excl[rMissingScore]
	if cfg.Threshold != nil && t.excl[rInvalidScore] > 0 && 2*t.excl[rInvalidScore] >= withScore {
		return invalid("%s : le score « %s » n'est pas numérique (%d valeurs sur %d ; %s) : pour un score catégoriel, utilisez --positive au lieu de --threshold / %s: score %q is not numeric (%d values out of %d); for a categorical score use --positive instead of --threshold",
			name, cfg.Score, t.excl[rInvalidScore], withScore, loc(rInvalidScore), name, cfg.Score, t.excl[rInvalidScore], withScore)
	}
	withLabel := t.rows - t.excl[rShortRow] - t.excl[rMissingGroup] - t.excl[rInvalidGroup] - t.excl[rMissingLabel]
	if cfg.Label != "" && t.excl[rInvalidLabel] > 0 && 2*t.excl[rInvalidLabel] >= withLabel {
		return invalid("%s : le label « %s » n'est pas reconnu (%d valeurs sur %d ; %s) : valeurs attendues 1/0, true/false, yes/no, oui/non, ou précisez --label-positive / %s: label %q not recognised (%d values out of %d); expected 1/0, true/false, yes/no, oui/non, or give --label-positive",
			name, cfg.Label, t.excl[rInvalidLabel], withLabel, loc(rInvalidLabel), name, cfg.Label, t.excl[rInvalidLabel], withLabel)
	}
	if t.excl[rShortRow] > 0 && 2*t.excl[rShortRow] >= t.rows {
		return invalid("%s : la plupart des lignes ont moins de colonnes que l'en-tête (%s) : séparateur erroné ? essayez --delimiter / %s: most rows have fewer fields than the header: wrong delimiter? try --delimiter",
			name, loc(rShortRow), name)
	}
	if in.Used == 0 {
		var parts []string
		for i, k := range reasonKey {
			if t.excl[i] > 0 {
				parts = append(parts, fmt.Sprintf("%s : %d", k, t.excl[i]))
			}
		}
		return invalid("%s : aucune ligne utilisable, toutes exclues (%s) / %s: no usable row, all excluded (%s)", name, strings.Join(parts, ", "), name, strings.Join(parts, ", "))
	}
	return nil
}

// compare builds the disparity of x/n against the reference rx/rn, without
// the multiplicity correction and verdict.
func compare(x, n, rx, rn int64, minN int) Disparity {
	d := Disparity{Group: Fraction{x, n}, Ref: Fraction{rx, rn}}
	if n == 0 || rn == 0 {
		d.RatioReason = "undefined rate (denominator 0)"
		return d
	}
	rr, lo, hi, ok := Katz(x, n, rx, rn)
	switch {
	case rx == 0 && x == 0:
		d.RatioReason = "undefined: 0/0 (both rates 0)"
	case rx == 0:
		d.RatioReason = "infinite: reference rate 0"
	default:
		d.Ratio = num(rr)
		if !ok {
			d.RatioReason = "no interval: group count 0 (Katz not estimable; see difference and test)"
		} else {
			d.RatioCILow, d.RatioCIHigh = num(lo), num(hi)
		}
		d.InBand = ptr(InBand(x, n, rx, rn))
	}
	diff, dlo, dhi := Newcombe(x, n, rx, rn)
	d.Difference, d.DifferenceCILow, d.DifferenceCIHigh = num(diff), num(dlo), num(dhi)
	d.Excess = num(float64(x) - float64(rx)/float64(rn)*float64(n))
	if MinExpected(x, n, rx, rn) < 5 {
		d.Test = "fisher"
		d.PValue = num(FisherExact(x, n-x, rx, rn-rx))
	} else {
		d.Test = "z"
		z, p := ZTest(x, n, rx, rn)
		d.Z, d.PValue = num(z), num(p)
	}
	return d
}

func verdict(d *Disparity, cfg *Config) {
	d.Verdict = VerdictInsufficient
	switch {
	case d.Group.N < int64(cfg.MinN) || d.Ref.N < int64(cfg.MinN):
		d.Reason = fmt.Sprintf("denominator below min-n (%d)", cfg.MinN)
		d.Code = "min_n"
	case d.RatioCILow == nil || d.RatioCIHigh == nil:
		d.Reason = "ratio interval not estimable"
		d.Code = "no_interval"
		if d.RatioReason != "" {
			d.Reason += ": " + d.RatioReason
		}
	case *d.RatioCILow >= 0.8 && *d.RatioCIHigh <= 1.25:
		d.Verdict = VerdictParity
		d.Reason = "ratio interval inside [0.8, 1.25]"
		d.Code = "inside_band"
	case *d.RatioCIHigh < 0.8 || *d.RatioCILow > 1.25:
		if d.PAdjusted != nil && *d.PAdjusted < cfg.Alpha {
			d.Verdict = VerdictDisparity
			d.Reason = "ratio interval outside [0.8, 1.25] and Holm-adjusted p < " + strconv.FormatFloat(cfg.Alpha, 'g', -1, 64)
			d.Code = "outside_band"
		} else {
			d.Reason = "ratio interval outside [0.8, 1.25] but the corrected test does not reject"
			d.Code = "not_significant"
		}
	default:
		d.Reason = "ratio interval crosses a band edge"
		d.Code = "crosses_band"
	}
}

func aggregate(xs, ns []int64) Aggregate {
	var tx, tn int64
	mn, mx := math.Inf(1), math.Inf(-1)
	k := 0
	for i := range xs {
		tx += xs[i]
		tn += ns[i]
		if ns[i] > 0 {
			v := float64(xs[i]) / float64(ns[i])
			mn, mx = math.Min(mn, v), math.Max(mx, v)
			k++
		}
	}
	var a Aggregate
	if k == 0 || tn == 0 {
		return a
	}
	all := float64(tx) / float64(tn)
	a.Overall = num(all)
	a.BetweenDifference = num(mx - mn)
	if mx > 0 {
		a.BetweenRatio = num(mn / mx)
	}
	od, or := 0.0, math.Inf(1)
	for i := range xs {
		if ns[i] == 0 {
			continue
		}
		v := float64(xs[i]) / float64(ns[i])
		od = math.Max(od, math.Abs(v-all))
		if v > 0 && all > 0 {
			or = math.Min(or, math.Min(v/all, all/v))
		} else if v != all {
			or = 0
		}
	}
	a.OverallDifference = num(od)
	if all > 0 {
		a.OverallRatio = num(or)
	}
	return a
}

func rate(x, n int64) float64 {
	if n == 0 {
		return math.NaN()
	}
	return float64(x) / float64(n)
}

func summary(g, r cell) *Summary {
	dt := rate(tp(g), tp(g)+fn(g)) - rate(tp(r), tp(r)+fn(r))
	df := rate(fp(g), fp(g)+tn(g)) - rate(fp(r), fp(r)+tn(r))
	return &Summary{
		EqualOpportunity: num(dt),
		AverageOdds:      num((df + dt) / 2),
		AverageAbsOdds:   num((math.Abs(df) + math.Abs(dt)) / 2),
		EqualizedOdds:    num(math.Max(math.Abs(df), math.Abs(dt))),
	}
}

// sedf computes the smoothed empirical differential fairness of the groups
// on the flag: p_s = (flagged_s + c/2)/(n_s + c).
func sedf(gs []rgroup, cfg *Config) *SEDF {
	c := cfg.Concentration
	s := &SEDF{MinN: cfg.MinN, Concentration: c}
	type pr struct {
		name string
		p    float64
		n    int64
	}
	var ps []pr
	for _, g := range gs {
		n := total(g.c)
		if n == 0 {
			continue
		}
		f := g.c[1][0] + g.c[1][1]
		ps = append(ps, pr{g.value, (float64(f) + c/2) / (float64(n) + c), n})
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].name < ps[j].name })
	eps := func(min int64) (float64, []string, string) {
		hi, lo := -1, -1
		for i, x := range ps {
			if x.n < min {
				continue
			}
			if hi < 0 || x.p > ps[hi].p {
				hi = i
			}
			if lo < 0 || x.p < ps[lo].p {
				lo = i
			}
		}
		if hi < 0 || hi == lo {
			return math.NaN(), nil, ""
		}
		e1 := math.Log(ps[hi].p) - math.Log(ps[lo].p)
		e0 := math.Log(1-ps[lo].p) - math.Log(1-ps[hi].p)
		if e1 >= e0 {
			return e1, []string{ps[hi].name, ps[lo].name}, "flagged"
		}
		return e0, []string{ps[lo].name, ps[hi].name}, "not_flagged"
	}
	e, pair, term := eps(0)
	s.Epsilon, s.Pair, s.Term = num(e), pair, term
	s.Favourable = (term == "flagged") == (cfg.Direction == Favourable)
	e2, pair2, term2 := eps(int64(cfg.MinN))
	s.EpsilonMinN, s.PairMinN, s.TermMinN = num(e2), pair2, term2
	return s
}

// bvals gives b = ŷ − y + 1 in favourable terms for TP, FP, FN, TN.
func bvals(dir Direction) (bTP, bFP, bFN, bTN float64) {
	if dir == Favourable {
		return 1, 2, 0, 1
	}
	return 1, 0, 2, 1
}

func inequality(c cell, dir Direction) (ge2, theil float64) {
	n := float64(total(c))
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	b := [4]float64{}
	b[0], b[1], b[2], b[3] = bvals(dir)
	w := [4]float64{float64(tp(c)), float64(fp(c)), float64(fn(c)), float64(tn(c))}
	mu := 0.0
	for i := range b {
		mu += w[i] * b[i]
	}
	mu /= n
	for i := range b {
		r := b[i] / mu
		ge2 += w[i] * (r*r - 1)
		if r > 0 {
			theil += w[i] * r * math.Log(r)
		}
	}
	return ge2 / (2 * n), theil / n
}

func betweenGE2(gs []rgroup, dir Direction) float64 {
	bTP, bFP, bFN, bTN := bvals(dir)
	var n, sum float64
	for _, g := range gs {
		n += float64(total(g.c))
		sum += bTP*float64(tp(g.c)) + bFP*float64(fp(g.c)) + bFN*float64(fn(g.c)) + bTN*float64(tn(g.c))
	}
	if n == 0 {
		return math.NaN()
	}
	mu := sum / n
	ge := 0.0
	for _, g := range gs {
		ng := float64(total(g.c))
		if ng == 0 {
			continue
		}
		mg := (bTP*float64(tp(g.c)) + bFP*float64(fp(g.c)) + bFN*float64(fn(g.c)) + bTN*float64(tn(g.c))) / ng
		r := mg / mu
		ge += ng * (r*r - 1)
	}
	return ge / (2 * n)
}

// WriteJSON writes the report as indented JSON (the vigie/audit/v1 contract).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
