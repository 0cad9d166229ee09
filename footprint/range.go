package footprint

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Range is a closed interval [Min, Max]. An exact value has Min == Max.
// Every quantity of an estimate is a Range; ranges are carried through the
// arithmetic min with min and max with max, never through midpoints.
type Range struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Exact returns the range that holds the single value v.
func Exact(v float64) Range { return Range{v, v} }

// IsExact reports whether the range holds a single value.
func (r Range) IsExact() bool { return r.Min == r.Max }

// Mul multiplies two ranges of non-negative numbers: min·min, max·max.
func (r Range) Mul(s Range) Range { return Range{r.Min * s.Min, r.Max * s.Max} }

// Scale multiplies both bounds by k (k ≥ 0).
func (r Range) Scale(k float64) Range { return Range{r.Min * k, r.Max * k} }

// Add adds two ranges bound by bound.
func (r Range) Add(s Range) Range { return Range{r.Min + s.Min, r.Max + s.Max} }

// bound returns Min for the lower pass and Max for the upper pass.
func (r Range) bound(upper bool) float64 {
	if upper {
		return r.Max
	}
	return r.Min
}

// String prints the range as "v" or "min-max".
func (r Range) String() string {
	if r.IsExact() {
		return strconv.FormatFloat(r.Min, 'g', -1, 64)
	}
	return strconv.FormatFloat(r.Min, 'g', -1, 64) + "-" + strconv.FormatFloat(r.Max, 'g', -1, 64)
}

// ParseRange reads "v" or "min-max" (for example "44-132", "1.09-1.14",
// "1e-3-2e-3"); an en dash is accepted as separator. It rejects text that is
// not a number, infinities and NaN, and a minimum above the maximum. Signs are
// not checked: a leading "-" makes a negative scalar, for the caller to refuse.
func ParseRange(s string) (Range, error) {
	t := strings.TrimSpace(strings.ReplaceAll(s, "–", "-"))
	if t == "" {
		return Range{}, fmt.Errorf("valeur vide / empty value")
	}
	sep := -1
	for i := 1; i < len(t); i++ {
		if t[i] == '-' && t[i-1] != 'e' && t[i-1] != 'E' {
			sep = i
			break
		}
	}
	if sep < 0 {
		v, err := parseFinite(t)
		if err != nil {
			return Range{}, err
		}
		return Exact(v), nil
	}
	lo, err := parseFinite(strings.TrimSpace(t[:sep]))
	if err != nil {
		return Range{}, err
	}
	hi, err := parseFinite(strings.TrimSpace(t[sep+1:]))
	if err != nil {
		return Range{}, err
	}
	if lo > hi {
		return Range{}, fmt.Errorf("minimum %s supérieur au maximum %s / minimum %s above maximum %s",
			fmtG(lo), fmtG(hi), fmtG(lo), fmtG(hi))
	}
	return Range{lo, hi}, nil
}

func parseFinite(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("« %s » n'est pas un nombre ni une plage min-max / %q is not a number nor a min-max range", s, s)
	}
	return v, nil
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
