package audit

import (
	"math"
	"math/bits"
	"sort"
)

// Z95 is Φ⁻¹(0.975), the normal quantile of the 95 % intervals.
const Z95 = 1.959963984540054

// Wilson returns the 95 % Wilson score interval of the rate x/n. The lower
// end is exactly 0 when x = 0 and the upper end exactly 1 when x = n. It
// returns NaN, NaN when n = 0.
func Wilson(x, n int64) (lo, hi float64) {
	if n <= 0 {
		return math.NaN(), math.NaN()
	}
	z := Z95
	fn := float64(n)
	p := float64(x) / fn
	z2 := z * z
	den := 1 + z2/fn
	mid := p + z2/(2*fn)
	half := z * math.Sqrt(p*(1-p)/fn+z2/(4*fn*fn))
	lo = (mid - half) / den
	hi = (mid + half) / den
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	if lo < 0 {
		lo = 0
	}
	if hi > 1 {
		hi = 1
	}
	return lo, hi
}

// Newcombe returns the difference d = x1/n1 − x2/n2 and its 95 % hybrid score
// interval (Newcombe 1998, method 10), built from the Wilson limits of each
// rate.
func Newcombe(x1, n1, x2, n2 int64) (d, lo, hi float64) {
	if n1 <= 0 || n2 <= 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	p1 := float64(x1) / float64(n1)
	p2 := float64(x2) / float64(n2)
	l1, u1 := Wilson(x1, n1)
	l2, u2 := Wilson(x2, n2)
	d = p1 - p2
	lo = d - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2))
	hi = d + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))
	return d, lo, hi
}

// Katz returns the rate ratio (x1/n1)/(x2/n2) and its 95 % Katz log
// interval. ok is false when the interval is not estimable (x1 or x2 is 0,
// or a denominator is 0); the ratio itself is then NaN or +Inf as the
// counts say, and must be reported with its reason, never replaced.
func Katz(x1, n1, x2, n2 int64) (rr, lo, hi float64, ok bool) {
	if n1 <= 0 || n2 <= 0 {
		return math.NaN(), math.NaN(), math.NaN(), false
	}
	p1 := float64(x1) / float64(n1)
	p2 := float64(x2) / float64(n2)
	if x2 == 0 {
		if x1 == 0 {
			return math.NaN(), math.NaN(), math.NaN(), false
		}
		return math.Inf(1), math.NaN(), math.NaN(), false
	}
	rr = p1 / p2
	if x1 == 0 {
		return rr, math.NaN(), math.NaN(), false
	}
	se := math.Sqrt(1/float64(x1) - 1/float64(n1) + 1/float64(x2) - 1/float64(n2))
	return rr, rr * math.Exp(-Z95*se), rr * math.Exp(Z95*se), true
}

// ZTest is the pooled two-proportion z test of x1/n1 against x2/n2; p is
// two-sided. z is NaN (and p 1) when the pooled rate is 0 or 1.
func ZTest(x1, n1, x2, n2 int64) (z, p float64) {
	if n1 <= 0 || n2 <= 0 {
		return math.NaN(), math.NaN()
	}
	p1 := float64(x1) / float64(n1)
	p2 := float64(x2) / float64(n2)
	pp := float64(x1+x2) / float64(n1+n2)
	v := pp * (1 - pp) * (1/float64(n1) + 1/float64(n2))
	if v <= 0 {
		return math.NaN(), 1
	}
	z = (p1 - p2) / math.Sqrt(v)
	return z, math.Erfc(math.Abs(z) / math.Sqrt2)
}

func lfact(n int64) float64 {
	v, _ := math.Lgamma(float64(n) + 1)
	return v
}

// FisherExact returns the two-sided p-value of Fisher's exact test on the
// 2×2 table [[a, b], [c, d]]: the sum of the probabilities of the tables with
// the same margins that are no more probable than the observed one (relative
// tolerance 1e-7, as R and SciPy).
func FisherExact(a, b, c, d int64) float64 {
	r1, r2 := a+b, c+d
	c1 := a + c
	n := r1 + r2
	if n == 0 {
		return 1
	}
	lo := c1 - r2
	if lo < 0 {
		lo = 0
	}
	hi := c1
	if r1 < hi {
		hi = r1
	}
	base := lfact(r1) + lfact(r2) + lfact(c1) + lfact(n-c1) - lfact(n)
	lp := func(x int64) float64 {
		return base - lfact(x) - lfact(r1-x) - lfact(c1-x) - lfact(r2-c1+x)
	}
	obs := lp(a)
	lim := obs + 1e-7
	p := 0.0
	for x := lo; x <= hi; x++ {
		if l := lp(x); l <= lim {
			p += math.Exp(l)
		}
	}
	if p > 1 {
		p = 1
	}
	return p
}

// MinExpected returns the smallest expected count of the 2×2 table
// [[x1, n1−x1], [x2, n2−x2]] under independence.
func MinExpected(x1, n1, x2, n2 int64) float64 {
	n := float64(n1 + n2)
	if n == 0 {
		return 0
	}
	c1 := float64(x1 + x2)
	c2 := n - c1
	m := math.Inf(1)
	for _, r := range []float64{float64(n1), float64(n2)} {
		for _, c := range []float64{c1, c2} {
			if e := r * c / n; e < m {
				m = e
			}
		}
	}
	return m
}

// Holm returns the Holm step-down adjusted p-values, in the order of p.
// NaN entries are left out of the family and stay NaN.
func Holm(p []float64) []float64 {
	idx, out := family(p)
	m := len(idx)
	run := 0.0
	for i, k := range idx {
		v := math.Min(1, float64(m-i)*p[k])
		if v > run {
			run = v
		}
		out[k] = run
	}
	return out
}

// BH returns the Benjamini–Hochberg adjusted p-values, in the order of p.
// NaN entries are left out of the family and stay NaN.
func BH(p []float64) []float64 {
	idx, out := family(p)
	m := len(idx)
	run := 1.0
	for i := m - 1; i >= 0; i-- {
		k := idx[i]
		v := math.Min(1, float64(m)*p[k]/float64(i+1))
		if v < run {
			run = v
		}
		out[k] = run
	}
	return out
}

func family(p []float64) ([]int, []float64) {
	out := make([]float64, len(p))
	var idx []int
	for i, v := range p {
		out[i] = math.NaN()
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	return idx, out
}

// ChiSquare is Pearson's χ² test of homogeneity on the k×2 table whose rows
// are x[i] events out of n[i]; rows with n[i] = 0 are skipped. It returns the
// statistic, the degrees of freedom (k−1) and the p-value.
func ChiSquare(x, n []int64) (chi2 float64, df int, p float64) {
	var tx, tn float64
	k := 0
	for i := range x {
		if n[i] > 0 {
			tx += float64(x[i])
			tn += float64(n[i])
			k++
		}
	}
	if k < 2 || tx == 0 || tx == tn {
		return math.NaN(), k - 1, math.NaN()
	}
	pr := tx / tn
	for i := range x {
		if n[i] <= 0 {
			continue
		}
		e1 := float64(n[i]) * pr
		e0 := float64(n[i]) - e1
		o1 := float64(x[i])
		o0 := float64(n[i]) - o1
		chi2 += (o1-e1)*(o1-e1)/e1 + (o0-e0)*(o0-e0)/e0
	}
	df = k - 1
	return chi2, df, ChiSquareSF(chi2, float64(df))
}

// ChiSquareSF is the survival function of the χ² distribution with df
// degrees of freedom: Q(df/2, x/2).
func ChiSquareSF(x, df float64) float64 {
	if x <= 0 {
		return 1
	}
	return gammaQ(df/2, x/2)
}

// gammaQ is the regularized upper incomplete gamma function.
func gammaQ(a, x float64) float64 {
	lg, _ := math.Lgamma(a)
	if x < a+1 {
		// series for P
		sum := 1 / a
		del := sum
		ap := a
		for i := 0; i < 10000; i++ {
			ap++
			del *= x / ap
			sum += del
			if math.Abs(del) < math.Abs(sum)*1e-16 {
				break
			}
		}
		return 1 - sum*math.Exp(-x+a*math.Log(x)-lg)
	}
	// continued fraction for Q (modified Lentz)
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 10000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	return math.Exp(-x+a*math.Log(x)-lg) * h
}

// InBand reports exactly, on counts, whether the ratio (a/b)/(c/d) lies in
// [4/5, 5/4], ends included: 5·a·d ≥ 4·b·c and 4·a·d ≤ 5·b·c. All counts
// must be non-negative and b, c, d positive.
func InBand(a, b, c, d int64) bool {
	ad := mul128(uint64(a), uint64(d))
	bc := mul128(uint64(b), uint64(c))
	return !less(scale(ad, 5), scale(bc, 4)) && !less(scale(bc, 5), scale(ad, 4))
}

type u192 struct{ hi, mid, lo uint64 }

func mul128(x, y uint64) u192 {
	hi, lo := bits.Mul64(x, y)
	return u192{0, hi, lo}
}

func scale(v u192, k uint64) u192 {
	h1, l1 := bits.Mul64(v.lo, k)
	h2, l2 := bits.Mul64(v.mid, k)
	mid, carry := bits.Add64(l2, h1, 0)
	return u192{v.hi*k + h2 + carry, mid, l1}
}

func less(x, y u192) bool {
	if x.hi != y.hi {
		return x.hi < y.hi
	}
	if x.mid != y.mid {
		return x.mid < y.mid
	}
	return x.lo < y.lo
}
