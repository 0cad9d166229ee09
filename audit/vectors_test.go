package audit

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// The expected values below are copied from docs/audit.md.

// near checks got against a value printed with the given number of decimals.
func near(t *testing.T, what string, got float64, want float64, decimals int) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > 0.5*math.Pow(10, -float64(decimals))+1e-12 {
		t.Errorf("%s = %.10g, want %.*f", what, got, decimals, want)
	}
}

// sig checks got against a value printed with 6 significant digits.
func sig(t *testing.T, what string, got, want float64, digits int) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > 0.5*math.Pow(10, -float64(digits-1))*math.Abs(want)*1.0000001 {
		t.Errorf("%s = %.10g, want %.*g", what, got, digits, want)
	}
}

// rel checks got against an exact value to 1e-12 relative.
func rel(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-12*math.Abs(want) {
		t.Errorf("%s = %.17g, want %.17g", what, got, want)
	}
}

func val(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func group(t *testing.T, a Attribute, v string) Group {
	t.Helper()
	for _, g := range a.Groups {
		if g.Value == v {
			return g
		}
	}
	t.Fatalf("attribute %s: no group %q", a.Name, v)
	return Group{}
}

func attr(t *testing.T, r *Report, name string) Attribute {
	t.Helper()
	for _, a := range r.Attributes {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no attribute %q", name)
	return Attribute{}
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPublishedStatistics(t *testing.T) {
	// Wilson (Newcombe 1998, Stat. Med. 17:857)
	for _, c := range []struct {
		x, n   int64
		lo, hi float64
	}{{81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}, {0, 20, 0, 0.1611}, {1, 29, 0.0061, 0.1718}} {
		lo, hi := Wilson(c.x, c.n)
		near(t, fmt.Sprintf("Wilson %d/%d low", c.x, c.n), lo, c.lo, 4)
		near(t, fmt.Sprintf("Wilson %d/%d high", c.x, c.n), hi, c.hi, 4)
	}
	// hand-computed: 7/20
	lo, hi := Wilson(7, 20)
	rel(t, "Wilson 7/20 low", lo, 0.1811918241010821)
	rel(t, "Wilson 7/20 high", hi, 0.5671457233147638)
	if lo, hi := Wilson(20, 20); hi != 1 || lo >= 1 {
		t.Errorf("Wilson 20/20 = [%g, %g]", lo, hi)
	}
	// Newcombe hybrid score (Newcombe 1998, Stat. Med. 17:873)
	for _, c := range []struct {
		x1, n1, x2, n2 int64
		lo, hi         float64
	}{{56, 70, 48, 80, 0.0524, 0.3339}, {9, 10, 3, 10, 0.1705, 0.8090}, {6, 7, 2, 7, 0.0582, 0.8062},
		{5, 56, 0, 29, -0.0381, 0.1926}, {0, 10, 0, 20, -0.1611, 0.2775}, {0, 10, 0, 10, -0.2775, 0.2775},
		{10, 10, 0, 20, 0.6791, 1.0000}, {10, 10, 0, 10, 0.6075, 1.0000}} {
		_, lo, hi := Newcombe(c.x1, c.n1, c.x2, c.n2)
		w := fmt.Sprintf("Newcombe %d/%d − %d/%d", c.x1, c.n1, c.x2, c.n2)
		near(t, w+" low", lo, c.lo, 4)
		near(t, w+" high", hi, c.hi, 4)
	}
	// Katz, hand-computed: 10/20 vs 5/20, RR 2, se √0.2
	rr, klo, khi, ok := Katz(10, 20, 5, 20)
	if !ok || rr != 2 {
		t.Fatalf("Katz 10/20 vs 5/20: %g %v", rr, ok)
	}
	rel(t, "Katz low", klo, 0.8324556265274535)
	rel(t, "Katz high", khi, 4.805060921608275)
	if _, _, _, ok := Katz(0, 20, 5, 20); ok {
		t.Error("Katz with a zero count must not be estimable")
	}
	// Fisher, lady tasting tea
	rel(t, "Fisher tea", FisherExact(3, 1, 1, 3), 34.0/70)
	// Benjamini & Hochberg 1995
	ps := []float64{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1}
	bh := BH(ps)
	wantBH := []float64{0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.063857, 0.063857, 0.0645, 0.0765, 0.486, 0.581182, 0.714875, 0.753231, 0.813214, 1}
	holm := Holm(ps)
	wantHolm := []float64{0.0015, 0.0056, 0.0247, 0.114, 0.2211}
	nbh, nholm := 0, 0
	for i := range ps {
		near(t, fmt.Sprintf("BH[%d]", i), bh[i], wantBH[i], 6)
		if i < len(wantHolm) {
			near(t, fmt.Sprintf("Holm[%d]", i), holm[i], wantHolm[i], 6)
		}
		if bh[i] <= 0.05 {
			nbh++
		}
		if holm[i] <= 0.05 {
			nholm++
		}
	}
	if nbh != 4 || nholm != 3 {
		t.Errorf("rejections at 0.05: BH %d Holm %d, want 4 and 3", nbh, nholm)
	}
	// exact band decision on counts: 4/5 exactly is in the band
	if !InBand(4, 10, 5, 10) || !InBand(5, 10, 4, 10) || InBand(399, 1000, 500, 1000) || InBand(5001, 10000, 4000, 10000) {
		t.Error("InBand edges")
	}
	// z² = Pearson χ²
	z, _ := ZTest(1179, 10771, 6662, 21790)
	chi, df, _ := ChiSquare([]int64{1179, 6662}, []int64{10771, 21790})
	if df != 1 || math.Abs(z*z-chi) > 1e-8*chi {
		t.Errorf("z² %g vs χ² %g", z*z, chi)
	}
}

func TestAdultBySex(t *testing.T) {
	data := readFile(t, "adult.data")
	r := runBytes(t, data, Config{Groups: []string{"sex"}, Score: "Y", Positive: []string{">50K"}, Direction: Favourable})
	if r.Input.Rows != 32561 || r.Input.Excluded != 0 {
		t.Fatalf("rows %d excluded %d", r.Input.Rows, r.Input.Excluded)
	}
	a := attr(t, r, "sex")
	if a.Reference != "Male" || a.ReferenceRule != "largest" {
		t.Errorf("reference %q (%s)", a.Reference, a.ReferenceRule)
	}
	f, m := group(t, a, "Female"), group(t, a, "Male")
	if f.N != 10771 || f.Counts.Flagged != 1179 || m.N != 21790 || m.Counts.Flagged != 6662 {
		t.Fatalf("counts F %d/%d M %d/%d", f.Counts.Flagged, f.N, m.Counts.Flagged, m.N)
	}
	near(t, "rate F", val(f.Metrics["pprev"].Value), 0.109461, 6)
	near(t, "rate M", val(m.Metrics["pprev"].Value), 0.305737, 6)
	near(t, "Wilson F low", val(f.Metrics["pprev"].CILow), 0.103703, 6)
	near(t, "Wilson F high", val(f.Metrics["pprev"].CIHigh), 0.115497, 6)
	near(t, "Wilson M low", val(m.Metrics["pprev"].CILow), 0.299654, 6)
	near(t, "Wilson M high", val(m.Metrics["pprev"].CIHigh), 0.311888, 6)
	d := f.Disparities["pprev"]
	near(t, "DI", val(d.Ratio), 0.358023, 6)
	near(t, "SPD", val(d.Difference), -0.196276, 6)
	near(t, "Newcombe low", val(d.DifferenceCILow), -0.204701, 6)
	near(t, "Newcombe high", val(d.DifferenceCIHigh), -0.187707, 6)
	near(t, "Katz low", val(d.RatioCILow), 0.338030, 6)
	near(t, "Katz high", val(d.RatioCIHigh), 0.379198, 6)
	near(t, "z", val(d.Z), -38.9729, 4)
	near(t, "χ²", val(a.Omnibus["pprev"].Chi2), 1518.887, 3)
	if d.Test != "z" || d.Verdict != VerdictDisparity || *d.InBand {
		t.Errorf("test %s verdict %s in band %v", d.Test, d.Verdict, *d.InBand)
	}
	if len(m.Disparities) != 0 || !m.Reference {
		t.Error("the reference group has no disparity")
	}
	// the adverse event (<=50K) is not the reciprocal
	r2 := runBytes(t, data, Config{Groups: []string{"sex"}, Score: "Y", Positive: []string{"<=50K"}})
	d2 := group(t, attr(t, r2, "sex"), "Female").Disparities["pprev"]
	near(t, "≤50K ratio", val(d2.Ratio), 1.282711, 6)
	near(t, "1/DI", 1/val(d.Ratio), 2.793120, 6)
	if r2.Direction != Adverse || r.Direction != Favourable {
		t.Error("direction not reported")
	}
}

func TestAdultByRace(t *testing.T) {
	r := runBytes(t, readFile(t, "adult.data"), Config{Groups: []string{"race"}, Score: "Y", Positive: []string{">50K"}, Direction: Favourable})
	a := attr(t, r, "race")
	if a.Reference != "White" || a.Groups[0].Value != "White" {
		t.Fatalf("reference %q", a.Reference)
	}
	w := group(t, a, "White")
	if w.Counts.Flagged != 7117 || w.N != 27816 {
		t.Errorf("White %d/%d", w.Counts.Flagged, w.N)
	}
	near(t, "White Wilson low", val(w.Metrics["pprev"].CILow), 0.250766, 6)
	near(t, "White Wilson high", val(w.Metrics["pprev"].CIHigh), 0.261021, 6)
	rows := []struct {
		race                       string
		x, n                       int64
		rate, ratio, wlo, whi      float64
		klo, khi, p, holm, bh, fis float64
		verdict                    string
	}{
		{"Black", 387, 3124, 0.123880, 0.484170, 0.112787, 0.135896, 0.440122, 0.532626, 7.27389e-60, 2.90955e-59, 2.90955e-59, 9.15174e-68, VerdictDisparity},
		{"Asian-Pac-Islander", 276, 1039, 0.265640, 1.038224, 0.239683, 0.293324, 0.936548, 1.150939, 0.478307, 0.478307, 0.478307, 0.491662, VerdictParity},
		{"Amer-Indian-Eskimo", 36, 311, 0.115756, 0.452418, 0.084795, 0.156093, 0.332547, 0.615498, 1.67796e-08, 3.35591e-08, 2.23728e-08, 1.65477e-09, VerdictDisparity},
		{"Other", 25, 271, 0.092251, 0.360552, 0.063267, 0.132633, 0.248049, 0.524083, 7.49854e-10, 2.24956e-09, 1.49971e-09, 2.03797e-11, VerdictDisparity},
	}
	for _, c := range rows {
		g := group(t, a, c.race)
		if g.Counts.Flagged != c.x || g.N != c.n {
			t.Errorf("%s %d/%d", c.race, g.Counts.Flagged, g.N)
		}
		m, d := g.Metrics["pprev"], g.Disparities["pprev"]
		near(t, c.race+" rate", val(m.Value), c.rate, 6)
		near(t, c.race+" ratio", val(d.Ratio), c.ratio, 6)
		near(t, c.race+" Wilson low", val(m.CILow), c.wlo, 6)
		near(t, c.race+" Wilson high", val(m.CIHigh), c.whi, 6)
		near(t, c.race+" Katz low", val(d.RatioCILow), c.klo, 6)
		near(t, c.race+" Katz high", val(d.RatioCIHigh), c.khi, 6)
		sig(t, c.race+" p", val(d.PValue), c.p, 6)
		sig(t, c.race+" Holm p", val(d.PAdjusted), c.holm, 6)
		sig(t, c.race+" BH p", val(d.PBH), c.bh, 6)
		sig(t, c.race+" Fisher p", FisherExact(c.x, c.n-c.x, 7117, 27816-7117), c.fis, 6)
		if d.Verdict != c.verdict {
			t.Errorf("%s verdict %s (%s), want %s", c.race, d.Verdict, d.Reason, c.verdict)
		}
	}
	if r.Multiplicity.Family != 4 || r.Multiplicity.Method != "holm" {
		t.Errorf("multiplicity %+v", r.Multiplicity)
	}
	om := a.Omnibus["pprev"]
	near(t, "omnibus χ²", val(om.Chi2), 330.9204, 4)
	if om.DF != 4 {
		t.Errorf("df %d", om.DF)
	}
	ag := a.Aggregates["pprev"]
	near(t, "overall", val(ag.Overall), 0.240810, 6)
	near(t, "between difference", val(ag.BetweenDifference), 0.173389, 6)
	near(t, "between ratio", val(ag.BetweenRatio), 0.347278, 6)
	near(t, "to overall difference", val(ag.OverallDifference), 0.148559, 6)
	near(t, "to overall ratio", val(ag.OverallRatio), 0.383087, 6)
}

// aif360Adult is AIF360's default AdultDataset: adult.test then adult.data,
// rows with a '?' dropped.
func aif360Adult(t testing.TB) []byte {
	var out bytes.Buffer
	for i, name := range []string{"adult.test", "adult.data"} {
		lines := strings.Split(string(readFile(t, name)), "\n")
		for j, l := range lines {
			if j == 0 {
				if i == 0 {
					out.WriteString(l + "\n")
				}
				continue
			}
			if l == "" || strings.Contains(l, "?") {
				continue
			}
			out.WriteString(l + "\n")
		}
	}
	return out.Bytes()
}

func TestAIF360AdultDataset(t *testing.T) {
	data := aif360Adult(t)
	cfg := Config{Groups: []string{"sex", "race"}, Score: "Y", Positive: []string{">50K", ">50K."}, Direction: Favourable,
		Recode: map[string]map[string]string{"race": {"White": "White", "*": "non-White"}}}
	r := runBytes(t, data, cfg)
	if r.Input.Rows != 45222 {
		t.Fatalf("rows %d, want 45222", r.Input.Rows)
	}
	sex := attr(t, r, "sex")
	near(t, "overall rate", val(sex.Aggregates["pprev"].Overall), 0.247844, 6)
	f := group(t, sex, "Female")
	if f.Counts.Flagged != 1669 || f.N != 14695 || group(t, sex, "Male").Counts.Flagged != 9539 || group(t, sex, "Male").N != 30527 {
		t.Errorf("sex counts %+v", f.Counts)
	}
	d := f.Disparities["pprev"]
	near(t, "DI sex", val(d.Ratio), 0.363470, 6)
	near(t, "Katz low", val(d.RatioCILow), 0.346388, 6)
	near(t, "Katz high", val(d.RatioCIHigh), 0.381394, 6)
	race := attr(t, r, "race")
	nw := group(t, race, "non-White")
	if nw.Counts.Flagged != 1001 || nw.N != 6319 {
		t.Errorf("non-White %d/%d", nw.Counts.Flagged, nw.N)
	}
	near(t, "DI race", val(nw.Disparities["pprev"].Ratio), 0.603769, 6)

	// SEDF vector 3: sex × 5-level race on the complete rows
	r3 := runBytes(t, data, Config{Groups: []string{"sex", "race"}, Intersect: true, Score: "Y", Positive: []string{">50K", ">50K."}, Direction: Favourable})
	s := attr(t, r3, "sex × race").SEDF
	rel(t, "SEDF vector 3", val(s.Epsilon), 1.7547611985549287)
	if strings.Join(s.Pair, "|") != "Male × Asian-Pac-Islander|Female × Black" || s.Term != "flagged" || !s.Favourable {
		t.Errorf("SEDF 3 pair %v term %s", s.Pair, s.Term)
	}
}

func TestSEDF(t *testing.T) {
	data := readFile(t, "adult.test")
	tf := func(v string) map[string]string { return map[string]string{v: "T", "*": "F"} }
	cfg := Config{Groups: []string{"race", "sex", "native-country"}, Intersect: true, Score: "Y", Positive: []string{">50K."}, Direction: Favourable,
		Recode: map[string]map[string]string{"race": tf("White"), "sex": tf("Male"), "native-country": tf("United-States")}}
	r := runBytes(t, data, cfg)
	if r.Input.Rows != 16281 {
		t.Fatalf("rows %d", r.Input.Rows)
	}
	a := attr(t, r, "race × sex × native-country")
	want := map[string][2]int64{"F × F × F": {184, 18}, "F × F × T": {852, 58}, "F × T × F": {361, 103}, "F × T × T": {938, 177},
		"T × F × F": {310, 31}, "T × F × T": {4075, 483}, "T × T × F": {764, 171}, "T × T × T": {8797, 2805}}
	if len(a.Groups) != 8 {
		t.Errorf("%d cells", len(a.Groups))
	}
	for v, w := range want {
		g := group(t, a, v)
		if g.N != w[0] || g.Counts.Flagged != w[1] {
			t.Errorf("cell %s: %d/%d, want %d/%d", v, g.Counts.Flagged, g.N, w[1], w[0])
		}
	}
	rel(t, "SEDF vector 1", val(a.SEDF.Epsilon), 1.53679014653623)
	if strings.Join(a.SEDF.Pair, "|") != "T × T × T|F × F × T" || a.SEDF.Term != "flagged" || !a.SEDF.Favourable {
		t.Errorf("SEDF 1 pair %v term %s", a.SEDF.Pair, a.SEDF.Term)
	}

	cfg2 := Config{Groups: []string{"sex", "native-country", "race"}, Intersect: true, Score: "Y", Positive: []string{">50K."}, Direction: Favourable,
		Recode: map[string]map[string]string{"native-country": {"United-States": "US", "*": "non-US"}}}
	r2 := runBytes(t, data, cfg2)
	a2 := attr(t, r2, "sex × native-country × race")
	if len(a2.Groups) != 19 {
		t.Errorf("%d cells, want 19", len(a2.Groups))
	}
	rel(t, "SEDF vector 2", val(a2.SEDF.Epsilon), 2.063813731996515)
	rel(t, "SEDF vector 2, n ≥ 30", val(a2.SEDF.EpsilonMinN), 2.063813731996515)
	if strings.Join(a2.SEDF.Pair, "|") != "Male × US × Asian-Pac-Islander|Female × non-US × Black" {
		t.Errorf("SEDF 2 pair %v", a2.SEDF.Pair)
	}
	lo, hi := group(t, a2, "Female × non-US × Black"), group(t, a2, "Male × US × Asian-Pac-Islander")
	if lo.N != 50 || lo.Counts.Flagged != 2 || hi.N != 78 || hi.Counts.Flagged != 30 {
		t.Errorf("SEDF 2 cells %d/%d %d/%d", lo.Counts.Flagged, lo.N, hi.Counts.Flagged, hi.N)
	}
}

func TestRuleAsClassifier(t *testing.T) {
	cfg := Config{Groups: []string{"sex", "race"}, Score: "education-num", Threshold: fptr(13), Label: "Y", LabelPositive: []string{">50K"},
		Direction: Favourable, Reference: map[string]string{"sex": "Male"}}
	r := runBytes(t, readFile(t, "adult.data"), cfg)
	sex, race := attr(t, r, "sex"), attr(t, r, "race")
	var k int64
	for _, g := range sex.Groups {
		k += g.Counts.Flagged
	}
	if k != 8067 {
		t.Errorf("K = %d", k)
	}
	type row struct {
		tp, fp, fn, tn             int64
		pprev, fpr, fnr, prec, npv float64
	}
	want := map[string]row{
		"Female": {610, 1723, 569, 7869, 0.216600, 0.179629, 0.482612, 0.261466, 0.932567},
		"Male":   {3299, 2435, 3363, 12693, 0.263148, 0.160960, 0.504803, 0.575340, 0.790546},
		"White":  {3544, 3558, 3573, 17141, 0.255321, 0.171892, 0.502037, 0.499014, 0.827508},
		"Other":  {12, 34, 13, 212, 0.169742, 0.138211, 0.520000, 0.260870, 0.942222},
	}
	for v, w := range want {
		a := sex
		if v == "White" || v == "Other" {
			a = race
		}
		g := group(t, a, v)
		c := g.Counts
		if *c.TP != w.tp || *c.FP != w.fp || *c.FN != w.fn || *c.TN != w.tn {
			t.Errorf("%s counts %d %d %d %d", v, *c.TP, *c.FP, *c.FN, *c.TN)
		}
		near(t, v+" pprev", val(g.Metrics["pprev"].Value), w.pprev, 6)
		near(t, v+" fpr", val(g.Metrics["fpr"].Value), w.fpr, 6)
		near(t, v+" fnr", val(g.Metrics["fnr"].Value), w.fnr, 6)
		near(t, v+" precision", val(g.Metrics["precision"].Value), w.prec, 6)
		near(t, v+" npv", val(g.Metrics["npv"].Value), w.npv, 6)
	}
	f, m := group(t, sex, "Female"), group(t, sex, "Male")
	near(t, "ppr ratio", float64(f.Counts.Flagged)/float64(k)/(float64(m.Counts.Flagged)/float64(k)), 0.406871, 6)
	near(t, "fdr ratio", val(f.Disparities["fdr"].Ratio), 1.739119, 6)
	near(t, "for ratio", val(f.Disparities["for"].Ratio), 0.321946, 6)
	near(t, "DI", val(f.Disparities["pprev"].Ratio), 0.823111, 6)
	near(t, "SPD", val(f.Disparities["pprev"].Difference), -0.046548, 6)
	near(t, "equal opportunity", val(f.Summary.EqualOpportunity), 0.022191, 6)
	near(t, "average odds", val(f.Summary.AverageOdds), 0.020430, 6)
	near(t, "equalized odds", val(f.Summary.EqualizedOdds), 0.022191, 6)
	ag := sex.Aggregates["pprev"]
	near(t, "DP difference", val(ag.BetweenDifference), 0.046548, 6)
	near(t, "DP ratio", val(ag.BetweenRatio), 0.823111, 6)
	near(t, "DP to_overall difference", val(ag.OverallDifference), 0.031150, 6)
	near(t, "DP to_overall ratio", val(ag.OverallRatio), 0.874268, 6)
	near(t, "EO ratio", math.Min(val(sex.Aggregates["tpr"].BetweenRatio), val(sex.Aggregates["fpr"].BetweenRatio)), 0.896069, 6)

	d := f.Disparities["fpr"]
	if d.Group != (Fraction{1723, 9592}) || d.Ref != (Fraction{2435, 15128}) {
		t.Errorf("fpr fractions %+v %+v", d.Group, d.Ref)
	}
	near(t, "fpr ratio", val(d.Ratio), 1.115986, 6)
	near(t, "fpr Katz low", val(d.RatioCILow), 1.055051, 6)
	near(t, "fpr Katz high", val(d.RatioCIHigh), 1.180440, 6)
	near(t, "fpr z", val(d.Z), 3.82399, 5)
	sig(t, "fpr p", val(d.PValue), 1.31309e-4, 6)
	sig(t, "fpr Fisher", FisherExact(1723, 9592-1723, 2435, 15128-2435), 1.4229e-4, 5)
	if d.Verdict != VerdictParity {
		t.Errorf("fpr verdict %s (%s)", d.Verdict, d.Reason)
	}
	d = f.Disparities["fnr"]
	near(t, "fnr ratio", val(d.Ratio), 0.956040, 6)
	near(t, "fnr Katz low", val(d.RatioCILow), 0.897033, 6)
	near(t, "fnr Katz high", val(d.RatioCIHigh), 1.018929, 6)
	near(t, "fnr difference", val(d.Difference), -0.022191, 6)
	near(t, "fnr Newcombe low", val(d.DifferenceCILow), -0.053041, 6)
	near(t, "fnr Newcombe high", val(d.DifferenceCIHigh), 0.008765, 6)
	sig(t, "fnr p", val(d.PValue), 0.160112, 6)
	o := group(t, race, "Other")
	for _, m := range []string{"fnr", "tpr"} {
		if !o.Metrics[m].Insufficient || o.Disparities[m].Verdict != VerdictInsufficient || o.Metrics[m].Denominator != 25 {
			t.Errorf("Other %s: %+v %+v", m, o.Metrics[m], o.Disparities[m])
		}
	}
}

func TestGermanCredit(t *testing.T) {
	cfg := Config{Groups: []string{"Status/sex", "Age"}, Score: "target", Positive: []string{"1"}, Direction: Favourable,
		Recode: map[string]map[string]string{"Status/sex": {"A91": "M", "A93": "M", "A94": "M", "A92": "F"}},
		Cut:    map[string][]float64{"Age": {25}}}
	r := runBytes(t, readFile(t, "german.data"), cfg)
	for _, c := range []struct {
		attr, g, ref             string
		x, n, rx, rn             int64
		di, wlo, whi, rwlo, rwhi float64
		d, dlo, dhi, klo, khi, z float64
		p, fisher                float64
		verdict                  string
	}{
		{"Status/sex", "F", "M", 201, 310, 499, 690, 0.896567, 0.593714, 0.699427, 0.688638, 0.755267,
			-0.074801, -0.138190, -0.013167, 0.816065, 0.985011, -2.38729, 0.0169732, 0.0206219, VerdictParity},
		{"Age", "<= 25", "> 25", 110, 190, 590, 810, 0.794826, 0.507861, 0.646905, 0.696740, 0.757894,
			-0.149448, -0.226412, -0.074479, 0.699089, 0.903674, -4.04575, 5.21562e-05, 9.94463e-05, VerdictInsufficient},
	} {
		a := attr(t, r, c.attr)
		if a.Reference != c.ref {
			t.Errorf("%s reference %q", c.attr, a.Reference)
		}
		g, rg := group(t, a, c.g), group(t, a, c.ref)
		if g.Counts.Flagged != c.x || g.N != c.n || rg.Counts.Flagged != c.rx || rg.N != c.rn {
			t.Errorf("%s counts %d/%d %d/%d", c.attr, g.Counts.Flagged, g.N, rg.Counts.Flagged, rg.N)
		}
		d := g.Disparities["pprev"]
		near(t, c.attr+" DI", val(d.Ratio), c.di, 6)
		near(t, c.attr+" Wilson low", val(g.Metrics["pprev"].CILow), c.wlo, 6)
		near(t, c.attr+" Wilson high", val(g.Metrics["pprev"].CIHigh), c.whi, 6)
		near(t, c.attr+" ref Wilson low", val(rg.Metrics["pprev"].CILow), c.rwlo, 6)
		near(t, c.attr+" ref Wilson high", val(rg.Metrics["pprev"].CIHigh), c.rwhi, 6)
		near(t, c.attr+" d", val(d.Difference), c.d, 6)
		near(t, c.attr+" Newcombe low", val(d.DifferenceCILow), c.dlo, 6)
		near(t, c.attr+" Newcombe high", val(d.DifferenceCIHigh), c.dhi, 6)
		near(t, c.attr+" Katz low", val(d.RatioCILow), c.klo, 6)
		near(t, c.attr+" Katz high", val(d.RatioCIHigh), c.khi, 6)
		near(t, c.attr+" z", val(d.Z), c.z, 5)
		sig(t, c.attr+" p", val(d.PValue), c.p, 6)
		sig(t, c.attr+" Fisher", FisherExact(c.x, c.n-c.x, c.rx, c.rn-c.rx), c.fisher, 6)
		if d.Verdict != c.verdict {
			t.Errorf("%s verdict %s (%s), want %s", c.attr, d.Verdict, d.Reason, c.verdict)
		}
	}
}

// AIF360 tests/test_classification_metric.py
func TestAIF360Toy(t *testing.T) {
	toy := func(yhat []int) []byte {
		feat := []int{0, 0, 1, 1, 1, 1, 2, 2, 2, 2}
		y := []int{1, 0, 0, 1, 0, 0, 1, 0, 1, 1}
		var b bytes.Buffer
		b.WriteString("feat,y,yhat\n")
		for i := range feat {
			fmt.Fprintf(&b, "%d,%d,%d\n", feat[i], y[i], yhat[i])
		}
		return b.Bytes()
	}
	data := toy([]int{1, 0, 0, 0, 1, 1, 1, 0, 1, 0})
	cfg := Config{Groups: []string{"feat"}, Label: "y", Score: "yhat", Positive: []string{"1"}, Direction: Favourable, MinN: 1}
	r := runBytes(t, data, cfg)
	a := attr(t, r, "feat")
	if a.Reference != "1" {
		t.Errorf("majority tie between 1 and 2 must go to the lexically first: %q", a.Reference)
	}
	type row struct{ tp, fp, fn, tn int64 }
	frac := map[string]map[string][2]int64{
		"0": {"pprev": {1, 2}, "prev": {1, 2}, "fpr": {0, 1}, "fnr": {0, 1}, "precision": {1, 1}, "npv": {1, 1}, "for": {0, 1}, "fdr": {0, 1}},
		"1": {"pprev": {2, 4}, "prev": {1, 4}, "fpr": {2, 3}, "fnr": {1, 1}, "precision": {0, 2}, "npv": {1, 2}, "for": {1, 2}, "fdr": {2, 2}},
		"2": {"pprev": {2, 4}, "prev": {3, 4}, "fpr": {0, 1}, "fnr": {1, 3}, "precision": {2, 2}, "npv": {1, 2}, "for": {1, 2}, "fdr": {0, 2}},
	}
	counts := map[string]row{"0": {1, 0, 0, 1}, "1": {0, 2, 1, 1}, "2": {2, 0, 1, 1}}
	var k int64
	for v, c := range counts {
		g := group(t, a, v)
		if *g.Counts.TP != c.tp || *g.Counts.FP != c.fp || *g.Counts.FN != c.fn || *g.Counts.TN != c.tn {
			t.Errorf("group %s counts %+v", v, g.Counts)
		}
		for m, f := range frac[v] {
			if g.Metrics[m].Numerator != f[0] || g.Metrics[m].Denominator != f[1] {
				t.Errorf("group %s %s = %d/%d, want %d/%d", v, m, g.Metrics[m].Numerator, g.Metrics[m].Denominator, f[0], f[1])
			}
		}
		k += g.Counts.Flagged
	}
	if k != 5 {
		t.Errorf("K = %d", k)
	}
	// ppr = PP/K: 1/5, 2/5, 2/5
	if group(t, a, "0").Counts.Flagged != 1 || group(t, a, "2").Counts.Flagged != 2 {
		t.Error("ppr numerators")
	}
	ag := a.Aggregates
	for m, f := range map[string][2]int64{"pprev": {5, 10}, "prev": {5, 10}, "fpr": {2, 5}, "fnr": {2, 5}, "precision": {3, 5}, "npv": {3, 5}, "for": {2, 5}, "fdr": {2, 5}} {
		rel(t, "overall "+m, val(ag[m].Overall), float64(f[0])/float64(f[1]))
	}
	// fnr of group 1 against group 0: 1/0 → infinite, never capped
	r0 := runBytes(t, data, withRef(cfg, "0"))
	d := group(t, attr(t, r0, "feat"), "1").Disparities["fnr"]
	if d.Ratio != nil || !strings.Contains(d.RatioReason, "reference rate 0") || d.Verdict != VerdictInsufficient {
		t.Errorf("fnr 1 vs 0: %+v", d)
	}
	// fpr of group 0 against group 2: 0/0 → undefined
	r2 := runBytes(t, data, withRef(cfg, "2"))
	d = group(t, attr(t, r2, "feat"), "0").Disparities["fpr"]
	if d.Ratio != nil || !strings.Contains(d.RatioReason, "0/0") {
		t.Errorf("fpr 0 vs 2: %+v", d)
	}
	// inequality indices
	rel(t, "GE(2)", val(r.Inequality.GE2), 0.2)
	rel(t, "Theil", val(r.Inequality.Theil), 0.2772588722239781)
	rel(t, "between-group GE(2)", val(a.BetweenGroupGE2), 0.025)
	r3 := runBytes(t, toy([]int{0, 1, 1, 0, 0, 0, 0, 1, 1, 1}), cfg)
	rel(t, "GE(2) second prediction", val(r3.Inequality.GE2), 0.3)

	// between group on (feat, feat2)
	var b bytes.Buffer
	b.WriteString("feat,feat2,label,pred\n")
	lab := []int{1, 0, 0, 1, 0, 0}
	pred := []int{0, 0, 0, 0, 1, 1}
	f1 := []int{0, 0, 1, 1, 1, 1}
	f2 := []int{0, 1, 1, 1, 0, 0}
	for i := range lab {
		fmt.Fprintf(&b, "%d,%d,%d,%d\n", f1[i], f2[i], lab[i], pred[i])
	}
	r4 := runBytes(t, b.Bytes(), Config{Groups: []string{"feat"}, Label: "label", Score: "pred", Positive: []string{"1"}, Direction: Favourable, MinN: 1})
	rel(t, "between-group GE(2), feat", val(attr(t, r4, "feat").BetweenGroupGE2), 0.0625)

	// multi-valued favourable label {0, 1}, unfavourable {2}
	b.Reset()
	b.WriteString("feat,label,pred\n")
	labels := []int{1, 0, 0, 1, 0, 2, 1, 0, 2, 1}
	preds := append([]int{}, labels...)
	preds[3], preds[4] = 0, 2
	feat := []int{0, 0, 1, 1, 1, 1, 2, 2, 2, 2}
	for i := range labels {
		fmt.Fprintf(&b, "%d,%d,%d\n", feat[i], labels[i], preds[i])
	}
	r5 := runBytes(t, b.Bytes(), Config{Groups: []string{"feat"}, Label: "label", LabelPositive: []string{"0", "1"}, Score: "pred",
		Positive: []string{"0", "1"}, Direction: Favourable, MinN: 1,
		Recode: map[string]map[string]string{"feat": {"2": "u", "*": "p"}}, Reference: map[string]string{"feat": "p"}})
	fa := attr(t, r5, "feat")
	var all [4]int64
	for _, g := range fa.Groups {
		all[0] += *g.Counts.TP
		all[1] += *g.Counts.FN
		all[2] += *g.Counts.TN
		all[3] += *g.Counts.FP
	}
	if all != [4]int64{7, 1, 2, 0} {
		t.Errorf("confusion TP FN TN FP = %v", all)
	}
	rel(t, "FNR difference", val(group(t, fa, "u").Disparities["fnr"].Difference), -0.2)
}

func withRef(c Config, ref string) Config {
	c.Reference = map[string]string{"feat": ref}
	return c
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, data string
		cfg        Config
		want       string
	}{
		{"missing column", "a,b,s\n1,2,3\n", Config{Groups: []string{"race"}, Score: "s", Threshold: fptr(1)}, "race"},
		{"empty file", "", Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1)}, "vide"},
		{"header only", "g,s\n", Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1)}, "aucune ligne"},
		{"non-numeric score", "g,s\na,oui\nb,non\na,oui\n", Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1)}, "--positive"},
		{"one group", "g,s\na,1\na,0\n", Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1)}, "une valeur"},
		{"no score flag", "g,s\na,1\n", Config{Groups: []string{"g"}, Score: "s"}, "--threshold"},
		{"bad label", "g,s,l\na,1,peut-être\nb,1,bof\n", Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1), Label: "l"}, "--label-positive"},
		{"bad reference", "g,s\na,1\nb,0\n", Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1), Reference: map[string]string{"g": "z"}}, "valeurs : a, b"},
		{"reference of no attribute", "g,s\na,1\nb,0\n", Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1), Reference: map[string]string{"race": "a"}}, "n'est pas un attribut"},
		{"utf-16", "\xff\xfeg\x00", Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1)}, "UTF-16"},
		{"too many groups", "g,s\n" + strings.Repeat("x,1\n", 1) + func() string {
			var b strings.Builder
			for i := 0; i < 50; i++ {
				fmt.Fprintf(&b, "v%d,1\n", i)
			}
			return b.String()
		}(), Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1), MaxGroups: 20}, "distinctes"},
	}
	for _, c := range cases {
		_, err := Run(ctx, strings.NewReader(c.data), c.cfg)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), " / ") {
			t.Errorf("%s: %v (want %q, French / English)", c.name, err, c.want)
		}
		if code := errCode(err); code != "invalid" {
			t.Errorf("%s: code %q", c.name, code)
		}
	}
	// an occasional bad score is excluded and counted, with its line
	r := runBytes(t, []byte("g,s\na,1\nb,n/a\na,0\nb,1\nb,\n"), Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1)})
	if r.Input.Exclusions["invalid score"] != 1 || r.Input.Exclusions["missing score"] != 1 || r.Input.FirstExcluded["invalid score"].Line != 3 {
		t.Errorf("exclusions %+v %+v", r.Input.Exclusions, r.Input.FirstExcluded)
	}
}

func TestCutBands(t *testing.T) {
	r := runBytes(t, []byte("age,s\n18,1\n25,0\n26,1\n40,0\n41,1\n70,0\nabc,1\n"), Config{Groups: []string{"age"}, Score: "s", Threshold: fptr(1), MinN: 1,
		Cut: map[string][]float64{"age": {25, 40}}})
	a := attr(t, r, "age")
	got := map[string]int64{}
	for _, g := range a.Groups {
		got[g.Value] = g.N
	}
	if got["<= 25"] != 2 || got["> 25 & <= 40"] != 2 || got["> 40"] != 2 || len(got) != 3 {
		t.Errorf("bands %v", got)
	}
	if r.Input.Exclusions["invalid group"] != 1 {
		t.Errorf("exclusions %v", r.Input.Exclusions)
	}
}
