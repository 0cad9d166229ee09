package footprint

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

func ptr[T any](v T) *T { return &v }

// vector is one of the test vectors V1–V5 of docs/footprint.md.
type vector struct {
	name       string
	model      string // model of the table giving the same parameters ("" for V5)
	pAct, pTot float64
	tokens     float64
	zone       string
	pue, wue   float64
	table      map[string]string // 6-significant-digit table
	eReq, gwp  float64           // 10-digit checks
	water      float64
}

// The expected values are copied from docs/footprint.md (EcoLogits v0.9.1).
var vectors = []vector{
	{"V1", "open-mistral-7b", 7.3, 7.3, 200, "WOR", 1.2, 0.569, map[string]string{
		"fE": "4.4686e-05", "fL": "0.0443904", "dT": "8.87808", "M": "17.52", "need": "1", "gpu": "1",
		"eGPU": "8.9372e-06", "eSrv": "5.78e-06", "eReq": "1.76606e-05", "gwpU": "8.35366e-06",
		"adpeU": "2.38242e-13", "peU": "4.56899e-05", "wOn": "1.00489e-05", "wOff": "8.28214e-05",
		"w": "9.28703e-05", "iGWP": "876.5", "iADPe": "0.05135", "iPE": "10578", "gwpE": "1.28518e-06",
		"adpeE": "7.52925e-11", "peE": "1.55101e-05", "gwp": "9.63884e-06"},
		1.766064348e-05, 9.638839063e-06, 9.287025979e-05},
	{"V2", "open-mixtral-8x7b", 12.9, 46.7, 200, "WOR", 1.2, 0.569, map[string]string{
		"fE": "4.78747e-05", "fL": "0.0481901", "dT": "9.63801", "M": "112.08", "need": "2", "gpu": "2",
		"eGPU": "9.57494e-06", "eSrv": "1.25495e-05", "eReq": "3.80393e-05", "gwpU": "1.7993e-05",
		"adpeU": "5.1315e-13", "peU": "9.84114e-05", "wOn": "2.16443e-05", "wOff": "0.000178389",
		"w": "0.000200033", "iGWP": "1753", "iADPe": "0.1027", "iPE": "21156", "gwpE": "2.79037e-06",
		"adpeE": "1.63475e-10", "peE": "3.36754e-05", "gwp": "2.07833e-05"},
		3.80392619e-05, 2.078332008e-05, 2.000332626e-04},
	{"V3", "mistral-large-latest", 123, 123, 400, "SWE", 1.16, 0.09, map[string]string{
		"fE": "0.000110567", "fL": "0.122894", "dT": "49.1576", "M": "295.2", "need": "4", "gpu": "4",
		"eGPU": "4.42269e-05", "eSrv": "0.000128014", "eReq": "0.000353709", "gwpU": "1.26699e-05",
		"adpeU": "2.74868e-11", "peU": "0.00167308", "wOn": "3.18339e-05", "wOff": "0.00247474",
		"w": "0.00250658", "iGWP": "3506", "iADPe": "0.2054", "iPE": "42312", "gwpE": "2.84639e-05",
		"adpeE": "1.66757e-09", "peE": "0.000343515", "gwp": "4.11338e-05"},
		3.537094841e-04, 4.113377003e-05, 2.506576408e-03},
	{"V4", "mistral-large-latest", 123, 123, 400, "FRA", 1.16, 0.09, map[string]string{
		"fE": "0.000110567", "fL": "0.122894", "dT": "49.1576", "M": "295.2", "need": "4", "gpu": "4",
		"eGPU": "4.42269e-05", "eSrv": "0.000128014", "eReq": "0.000353709", "gwpU": "1.56269e-05",
		"adpeU": "1.71832e-11", "peU": "0.00329427", "wOn": "3.18339e-05", "wOff": "0.00150733",
		"w": "0.00153916", "iGWP": "3506", "iADPe": "0.2054", "iPE": "42312", "gwpE": "2.84639e-05",
		"adpeE": "1.66757e-09", "peE": "0.000343515", "gwp": "4.40908e-05"},
		3.537094841e-04, 4.409078132e-05, 1.539163991e-03},
	{"V5", "", 70.6, 70.6, 500, "USA", 1.09, 0.13, map[string]string{
		"fE": "8.07299e-05", "fL": "0.08734", "dT": "43.67", "M": "169.44", "need": "3", "gpu": "4",
		"eGPU": "4.0365e-05", "eSrv": "0.000113724", "eReq": "0.00029995", "gwpU": "0.000115046",
		"adpeU": "2.95601e-11", "peU": "0.00290604", "wOn": "3.89935e-05", "wOff": "0.00102403",
		"w": "0.00106302", "iGWP": "3506", "iADPe": "0.2054", "iPE": "42312", "gwpE": "2.52864e-05",
		"adpeE": "1.48141e-09", "peE": "0.000305168", "gwp": "0.000140332"},
		2.999503369e-04, 1.403323745e-04, 1.063020695e-03},
}

// values picks the quantities of the table out of a result, at one bound.
func values(r *Result, upper bool) map[string]float64 {
	b := func(x Range) float64 { return x.bound(upper) }
	s, p := r.Steps, r.PerRequest
	return map[string]float64{
		"fE": b(s.EnergyPerTokenWh), "fL": b(s.LatencyPerTokenS), "dT": b(s.LatencyS), "M": b(s.MemoryGB),
		"need": b(s.GPURequired), "gpu": b(s.GPUCount), "eGPU": b(s.EnergyGPUKWh), "eSrv": b(s.EnergyServerKWh),
		"eReq": b(s.EnergyRequestKWh), "gwpU": b(p.GWP.Usage), "adpeU": b(p.ADPe.Usage), "peU": b(p.PE.Usage),
		"wOn": b(*s.WaterOnsiteL), "wOff": b(*s.WaterOffsiteL), "w": b(*p.Water),
		"iGWP": b(s.HardwareGWPKg), "iADPe": b(s.HardwareADPeKgSb), "iPE": b(s.HardwarePEMJ),
		"gwpE": b(p.GWP.Embodied), "adpeE": b(p.ADPe.Embodied), "peE": b(p.PE.Embodied), "gwp": b(p.GWP.Range),
	}
}

func round6(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return v
}

func rel(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) }

func checkVector(t *testing.T, v vector, r *Result) {
	t.Helper()
	if r.Method != "ecologits-0.9.1" {
		t.Errorf("method %q", r.Method)
	}
	for _, upper := range []bool{false, true} {
		got := values(r, upper)
		for k, ref := range v.table {
			want, err := strconv.ParseFloat(ref, 64)
			if err != nil {
				t.Fatal(err)
			}
			if round6(got[k]) != want {
				t.Errorf("%s %s (upper=%v): got %.10g, rounds to %g, want %s", v.name, k, upper, got[k], round6(got[k]), ref)
			}
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"E_req", got["eReq"], v.eReq}, {"GWP total", got["gwp"], v.gwp}, {"WCF", got["w"], v.water},
			{"energy_kwh", r.PerRequest.EnergyKWh.bound(upper), v.eReq}} {
			if e := rel(c.got, c.want); e > 1e-9 {
				t.Errorf("%s %s: got %.12g, want %.10g (relative error %.2g)", v.name, c.name, c.got, c.want, e)
			}
		}
	}
	// e^(β·64), the common intermediate of §9.
	m, _ := LookupMethod(r.Method)
	if e := rel(math.Exp(m.Constant("energy_beta")*m.Constant("batch_size")), 0.4881273492297933); e > 1e-15 {
		t.Errorf("e^(β·64): relative error %g", e)
	}
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name+"/params", func(t *testing.T) {
			r, err := Estimate(Input{ParamsActive: ptr(Exact(v.pAct)), ParamsTotal: ptr(Exact(v.pTot)),
				OutputTokens: Exact(v.tokens), Zone: v.zone, PUE: ptr(Exact(v.pue)), WUE: ptr(Exact(v.wue))})
			if err != nil {
				t.Fatal(err)
			}
			checkVector(t, v, r)
		})
		if v.model == "" {
			continue
		}
		t.Run(v.name+"/model", func(t *testing.T) {
			r, err := Estimate(Input{Model: v.model, OutputTokens: Exact(v.tokens), Zone: v.zone,
				PUE: ptr(Exact(v.pue)), WUE: ptr(Exact(v.wue))})
			if err != nil {
				t.Fatal(err)
			}
			if r.Inputs.ParamsActive != Exact(v.pAct) || r.Inputs.ParamsTotal != Exact(v.pTot) {
				t.Fatalf("%s resolves to %v/%v, want %g/%g", v.model, r.Inputs.ParamsActive, r.Inputs.ParamsTotal, v.pAct, v.pTot)
			}
			checkVector(t, v, r)
		})
	}
	// V3 with the provider defaults of mistralai (PUE 1.16, WUE 0.09) and its zone.
	r, err := Estimate(Input{Model: "mistral-large-latest", OutputTokens: Exact(400), Zone: "SWE"})
	if err != nil {
		t.Fatal(err)
	}
	checkVector(t, vectors[2], r)
	if r.Inputs.PUE.Range != Exact(1.16) || r.Inputs.WUE.Range != Exact(0.09) || r.Inputs.ProviderZone != "SWE" {
		t.Errorf("mistralai defaults: %+v %+v %s", r.Inputs.PUE, r.Inputs.WUE, r.Inputs.ProviderZone)
	}
}

// walkRanges calls f on every {min, max} object of a JSON value.
func walkRanges(t *testing.T, path string, v any, f func(path string, lo, hi float64)) {
	switch x := v.(type) {
	case map[string]any:
		lo, ok1 := x["min"].(float64)
		hi, ok2 := x["max"].(float64)
		if ok1 && ok2 {
			f(path, lo, hi)
		}
		for k, c := range x {
			walkRanges(t, path+"."+k, c, f)
		}
	case []any:
		for i, c := range x {
			walkRanges(t, path+"["+strconv.Itoa(i)+"]", c, f)
		}
	}
}

func resultJSON(t *testing.T, r *Result) map[string]any {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRanges(t *testing.T) {
	cases := []Input{
		{Model: "gpt-4o", OutputTokens: Range{100, 800}, Zone: "FRA", Users: ptr(Range{1000, 2000}),
			RequestsPerDay: ptr(Range{10, 30}), Days: ptr(Exact(220)), InputTokens: ptr(Range{500, 3000}),
			Images: ptr(Exact(1)), Classifications: ptr(Range{1, 5})},
		{Model: "claude-sonnet-4-20250514", OutputTokens: Exact(300)}, // PUE and WUE ranges only
		{Model: "mistral-medium-latest", OutputTokens: Exact(300), Method: "ecologits-legacy", Zone: "FRA"},
		{ParamsActive: ptr(Range{44, 132}), ParamsTotal: ptr(Exact(440)), OutputTokens: Exact(250), PUE: ptr(Range{1.1, 1.4}), WUE: ptr(Range{0, 2}), LatencyS: ptr(20.0)},
	}
	for i, in := range cases {
		r, err := Estimate(in)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		n, strict := 0, 0
		m := resultJSON(t, r)
		for _, k := range []string{"steps", "per_request", "per_user", "per_year", "total", "extensions", "equivalents", "inputs"} {
			walkRanges(t, k, m[k], func(p string, lo, hi float64) {
				n++
				if !(lo <= hi) {
					t.Errorf("case %d: %s: min %g > max %g", i, p, lo, hi)
				}
				if lo < hi {
					strict++
				}
				if lo < 0 || math.IsNaN(lo) || math.IsInf(hi, 0) {
					t.Errorf("case %d: %s: [%g, %g]", i, p, lo, hi)
				}
			})
		}
		if n < 30 || strict == 0 {
			t.Errorf("case %d: %d ranges, %d with min < max", i, n, strict)
		}
	}
	// gpt-4o: the GPU count is computed in each pass (P_tot 440 exact: same
	// count); a dense range can change it between min and max.
	r, err := Estimate(Input{ParamsActive: ptr(Range{8, 120}), OutputTokens: Exact(100)})
	if err != nil {
		t.Fatal(err)
	}
	if g := r.Steps.GPUCount; g.Min != 1 || g.Max != 4 {
		t.Errorf("GPU count for 8-120B: %v, want 1-4", g)
	}
	// When both kinds of range occur, min comes from the lower pass with the
	// lower PUE, max from the upper pass with the upper PUE.
	lo, _ := Estimate(Input{ParamsActive: ptr(Exact(8)), OutputTokens: Exact(100), PUE: ptr(Exact(1.1)), WUE: ptr(Exact(0.2))})
	hi, _ := Estimate(Input{ParamsActive: ptr(Exact(120)), OutputTokens: Exact(100), PUE: ptr(Exact(1.3)), WUE: ptr(Exact(0.5))})
	both, _ := Estimate(Input{ParamsActive: ptr(Range{8, 120}), OutputTokens: Exact(100), PUE: ptr(Range{1.1, 1.3}), WUE: ptr(Range{0.2, 0.5})})
	if both.PerRequest.GWP.Min != lo.PerRequest.GWP.Min || both.PerRequest.GWP.Max != hi.PerRequest.GWP.Max ||
		both.PerRequest.Water.Min != lo.PerRequest.Water.Min || both.PerRequest.Water.Max != hi.PerRequest.Water.Max {
		t.Errorf("combined ranges: %+v vs %+v / %+v", both.PerRequest.GWP, lo.PerRequest.GWP, hi.PerRequest.GWP)
	}
}

func TestRangeDrivers(t *testing.T) {
	r, err := Estimate(Input{Model: "gpt-4o", OutputTokens: Exact(300), PUE: ptr(Range{1.1, 1.2}), WUE: ptr(Range{0.1, 0.5}),
		Requests: ptr(Range{1000, 1500})})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, d := range r.RangeDrivers {
		ids = append(ids, d.Input)
	}
	// 44–132 B active parameters and 16 GPUs: the parameters lead (≈ ×2.6),
	// then requests (×1.5), PUE (below ×1.2/1.1), WUE (GHG ×1).
	if strings.Join(ids, ",") != "params,requests,pue,wue" {
		t.Errorf("drivers %v", ids)
	}
	if d := r.RangeDrivers[1]; math.Abs(d.GWPRatio-1.5) > 1e-12 {
		t.Errorf("requests ratio %g", d.GWPRatio)
	}
	// PUE scales the usage part only, not the embodied part.
	if d := r.RangeDrivers[2]; !(d.GWPRatio > 1 && d.GWPRatio < 1.2/1.1) {
		t.Errorf("pue ratio %g", d.GWPRatio)
	}
	if d := r.RangeDrivers[3]; d.WaterRatio == nil || *d.WaterRatio <= 1 || d.GWPRatio != 1 {
		t.Errorf("wue %+v", d)
	}
	exact, _ := Estimate(Input{Model: "open-mistral-7b", OutputTokens: Exact(300)})
	if len(exact.RangeDrivers) != 0 {
		t.Errorf("exact: %v", exact.RangeDrivers)
	}
	legacy, _ := Estimate(Input{Method: "legacy", Model: "open-mistral-7b", OutputTokens: Exact(300)})
	if len(legacy.RangeDrivers) != 1 || legacy.RangeDrivers[0].Input != "fit" {
		t.Errorf("legacy: %v", legacy.RangeDrivers)
	}
}

func TestExactCollapses(t *testing.T) {
	for _, method := range []string{"", "ecologits-legacy"} {
		r, err := Estimate(Input{Method: method, Model: "open-mistral-7b", OutputTokens: Exact(200), Zone: "FRA",
			Users: ptr(Exact(2000)), RequestsPerDay: ptr(Exact(20)), Days: ptr(Exact(220))})
		if err != nil {
			t.Fatal(err)
		}
		m := resultJSON(t, r)
		n := 0
		for _, k := range []string{"steps", "per_request", "per_user", "per_year", "total", "equivalents"} {
			walkRanges(t, k, m[k], func(p string, lo, hi float64) {
				n++
				// The legacy fits carry their own ±1.96σ range.
				legacyRange := method != "" && (strings.Contains(p, "energy") || strings.Contains(p, "gwp") ||
					strings.Contains(p, "adpe") || strings.Contains(p, "pe_mj") || strings.Contains(p, "latency") ||
					strings.Contains(p, "equivalents"))
				if lo != hi && !legacyRange {
					t.Errorf("%q: %s: exact inputs give [%g, %g]", method, p, lo, hi)
				}
			})
		}
		if n < 30 {
			t.Errorf("only %d ranges", n)
		}
	}
}

func TestLegacy(t *testing.T) {
	r, err := Estimate(Input{Method: "legacy", ParamsActive: ptr(Exact(70.6)), OutputTokens: Exact(500), Zone: "USA"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "ecologits-legacy" || r.PerRequest.Water != nil || r.Steps.WaterOnsiteL != nil || r.Inputs.WUE != nil {
		t.Fatalf("legacy: method %q, water %v", r.Method, r.PerRequest.Water)
	}
	// The legacy chain written out with the constants of reference §3:
	// Q = 4 bits → M = 1.2·70.6·4/8 = 42.36 GB → 1 GPU (no power of two), B = 1.
	tOut, p := 500.0, 70.6
	eMean := 8.91e-8*p + 1.43e-6
	lMean := 8.02e-4*p + 2.23e-2
	for _, c := range []struct {
		upper bool
		sign  float64
	}{{false, -1}, {true, 1}} {
		eGPU := tOut * (eMean + c.sign*1.96*5.19e-7)
		dT := tOut * (lMean + c.sign*1.96*7.00e-6)
		eSrv := dT / 3600 * 1 * 1 / 8
		eReq := 1.2 * (eSrv + eGPU)
		gwp := eReq*0.672606 + dT/157680000*(3000.0/8+143)
		if e := rel(r.PerRequest.EnergyKWh.bound(c.upper), eReq); e > 1e-12 {
			t.Errorf("legacy E_req (upper=%v): got %g want %g", c.upper, r.PerRequest.EnergyKWh.bound(c.upper), eReq)
		}
		if e := rel(r.PerRequest.GWP.bound(c.upper), gwp); e > 1e-12 {
			t.Errorf("legacy GWP (upper=%v): got %g want %g", c.upper, r.PerRequest.GWP.bound(c.upper), gwp)
		}
	}
	if r.Steps.GPUCount != Exact(1) || r.Inputs.PUE.Range != Exact(1.2) {
		t.Errorf("legacy GPU %v PUE %v", r.Steps.GPUCount, r.Inputs.PUE)
	}
	// One to two orders of magnitude above 0.9.1 (reference §3).
	cur, _ := Estimate(Input{ParamsActive: ptr(Exact(70.6)), OutputTokens: Exact(500), Zone: "USA", PUE: ptr(Exact(1.2))})
	ratio := r.PerRequest.EnergyKWh.Min / cur.PerRequest.EnergyKWh.Max
	if ratio < 10 || ratio > 100 {
		t.Errorf("legacy/current energy ratio %g", ratio)
	}
	// The legacy latency cap: a measured latency below the fitted range replaces it.
	capped, _ := Estimate(Input{Method: "legacy", ParamsActive: ptr(Exact(70.6)), OutputTokens: Exact(500), LatencyS: ptr(5.0)})
	if capped.Steps.LatencyS != Exact(5) {
		t.Errorf("legacy latency cap: %v", capped.Steps.LatencyS)
	}
	// A zone absent from the legacy mixes is refused.
	if _, err := Estimate(Input{Method: "legacy", Model: "gpt-4o", OutputTokens: Exact(10), Zone: "ITA"}); field(err) != "zone" {
		t.Errorf("legacy ITA: %v", err)
	}
}

func TestLatencyCap(t *testing.T) {
	// V3 takes 49.16 s; a measured 5 s replaces it, a measured 100 s does not.
	r, err := Estimate(Input{ParamsActive: ptr(Exact(123)), OutputTokens: Exact(400), Zone: "SWE", LatencyS: ptr(5.0)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Steps.LatencyS != Exact(5) || rel(r.Steps.EnergyServerKWh.Min, 5.0/3600*1.2*(4.0/8)/64) > 1e-12 ||
		rel(r.PerRequest.GWP.Embodied.Min, 5*3506/(64*94608000.0)) > 1e-12 {
		t.Errorf("latency 5 s: %v %v %v", r.Steps.LatencyS, r.Steps.EnergyServerKWh, r.PerRequest.GWP.Embodied)
	}
	r, _ = Estimate(Input{ParamsActive: ptr(Exact(123)), OutputTokens: Exact(400), Zone: "SWE", LatencyS: ptr(100.0)})
	if round6(r.Steps.LatencyS.Min) != 49.1576 {
		t.Errorf("latency 100 s: %v", r.Steps.LatencyS)
	}
}

func field(err error) string {
	var ie *InputError
	if errors.As(err, &ie) && vigie.ErrorCode(err) == vigie.EINVALID {
		return ie.Field
	}
	return ""
}

func TestTotals(t *testing.T) {
	in := Input{Model: "mistral-large-latest", OutputTokens: Exact(400), Zone: "FRA",
		Users: ptr(Exact(2000)), RequestsPerDay: ptr(Range{10, 20}), Days: ptr(Exact(220))}
	r, err := Estimate(in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Inputs.Requests != (Range{2000 * 10 * 220, 2000 * 20 * 220}) {
		t.Fatalf("requests %v", r.Inputs.Requests)
	}
	pr := r.PerRequest
	if e := rel(r.Total.EnergyKWh.Max, pr.EnergyKWh.Max*2000*20*220); e > 1e-12 {
		t.Errorf("total energy %v", r.Total.EnergyKWh)
	}
	if e := rel(r.PerUser.GWP.Embodied.Min, pr.GWP.Embodied.Min*10*220); e > 1e-12 {
		t.Errorf("per user embodied %v", r.PerUser.GWP.Embodied)
	}
	if *r.PerYear.Water != *r.Total.Water {
		t.Errorf("per year water %v vs total %v", r.PerYear.Water, r.Total.Water)
	}
	if e := rel(r.Total.GWP.Min, r.Total.GWP.Usage.Min+r.Total.GWP.Embodied.Min); e > 1e-12 {
		t.Errorf("usage + embodied ≠ total: %+v", r.Total.GWP)
	}
	// Requests per day of the whole deployment: per year, no per user.
	r3, err := Estimate(Input{Model: "mistral-small-latest", OutputTokens: Exact(400), Zone: "FRA",
		RequestsPerDay: ptr(Exact(4000)), Days: ptr(Exact(220))})
	if err != nil || r3.PerUser != nil || r3.PerYear == nil || r3.Inputs.Requests != Exact(880000) {
		t.Errorf("deployment per day: %v %+v", err, r3)
	}
	// A plain count has no per-user or per-year line.
	r2, _ := Estimate(Input{Model: "mistral-large-latest", OutputTokens: Exact(400), Requests: ptr(Exact(1e6))})
	if r2.PerUser != nil || r2.PerYear != nil || r2.Total.EnergyKWh.Min != r2.PerRequest.EnergyKWh.Min*1e6 {
		t.Errorf("count: %+v", r2.Total.EnergyKWh)
	}
	// Equivalents: smartphone charges of 0.012 kWh.
	for _, q := range r.Equivalents {
		if q.ID == "smartphone-charge" && rel(q.Total.Max, r.Total.EnergyKWh.Max/0.012) > 1e-12 {
			t.Errorf("smartphone charges %v", q.Total)
		}
	}
	if len(r.Equivalents) != 2 {
		t.Errorf("%d equivalents", len(r.Equivalents))
	}
}

func TestExtensions(t *testing.T) {
	r, err := Estimate(Input{Model: "mistral-large-latest", OutputTokens: Exact(400), Zone: "FRA", Requests: ptr(Exact(10))})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Extensions) != 0 {
		t.Errorf("extensions without asking: %v", r.Extensions)
	}
	r, err = Estimate(Input{Model: "mistral-large-latest", OutputTokens: Exact(400), Zone: "FRA", Requests: ptr(Exact(10)),
		InputTokens: ptr(Exact(2000)), Images: ptr(Exact(2)), Classifications: ptr(Exact(1000))})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Extension{}
	for _, x := range r.Extensions {
		got[x.ID] = x
		if x.Label.FR == "" || x.Label.EN == "" || x.Assumption.FR == "" || x.Assumption.EN == "" || len(x.Sources) == 0 {
			t.Errorf("%s: unlabelled", x.ID)
		}
		if x.PerRequest.GWP.Embodied != (Range{}) {
			t.Errorf("%s: embodied share claimed", x.ID)
		}
	}
	// Image: 2.907 to 11.49 Wh per image, × PUE 1.16 (mistralai), × 2 images.
	img := got["image_generation"].PerRequest.EnergyKWh
	if rel(img.Min, 2*0.002907*1.16) > 1e-12 || rel(img.Max, 2*0.01149*1.16) > 1e-12 {
		t.Errorf("image energy %v", img)
	}
	cls := got["text_classification"].Total.GWP.Range
	if rel(cls.Min, 10*1000*0.000002*1.16*0.04418) > 1e-12 || cls.Min != cls.Max {
		t.Errorf("classification gwp %v", cls)
	}
	// Prefill: 2·123e9 FLOP × (700 W / 989.4 TFLOP/s) / utilisation, per token.
	pf := got["prefill"].PerRequest.EnergyKWh
	base := 2000 * 2 * 123e9 * 700 / 989.4e12 / 3.6e6 * 1.16
	if rel(pf.Min, base/0.6) > 1e-12 || rel(pf.Max, base/0.2) > 1e-12 {
		t.Errorf("prefill %v, want [%g, %g]", pf, base/0.6, base/0.2)
	}
	// The extensions are never added into the EcoLogits figure.
	r0, _ := Estimate(Input{Model: "mistral-large-latest", OutputTokens: Exact(400), Zone: "FRA", Requests: ptr(Exact(10))})
	if r0.PerRequest.EnergyKWh != r.PerRequest.EnergyKWh {
		t.Error("extensions changed per_request")
	}
}

func TestBadInput(t *testing.T) {
	ok := Input{Model: "gpt-4o", OutputTokens: Exact(100)}
	mod := func(f func(*Input)) Input { in := ok; f(&in); return in }
	cases := []struct {
		field string
		in    Input
	}{
		{"model", mod(func(in *Input) { in.Model = "gpt4o" })},
		{"model", mod(func(in *Input) { in.Model = "" })},
		{"model", mod(func(in *Input) { in.ParamsActive = ptr(Exact(7)) })},
		{"params_active", Input{ParamsActive: ptr(Exact(-7)), OutputTokens: Exact(1)}},
		{"params_total", Input{ParamsActive: ptr(Exact(70)), ParamsTotal: ptr(Exact(7)), OutputTokens: Exact(1)}},
		{"output_tokens", mod(func(in *Input) { in.OutputTokens = Exact(0) })},
		{"output_tokens", mod(func(in *Input) { in.OutputTokens = Exact(-5) })},
		{"input_tokens", mod(func(in *Input) { in.InputTokens = ptr(Exact(0)) })},
		{"zone", mod(func(in *Input) { in.Zone = "XXX" })},
		{"pue", mod(func(in *Input) { in.PUE = ptr(Exact(0.9)) })},
		{"pue", mod(func(in *Input) { in.PUE = ptr(Range{0.95, 1.2}) })},
		{"wue", mod(func(in *Input) { in.WUE = ptr(Exact(-1)) })},
		{"latency", mod(func(in *Input) { in.LatencyS = ptr(0.0) })},
		{"requests", mod(func(in *Input) { in.Requests = ptr(Exact(0)) })},
		{"requests", mod(func(in *Input) { in.Requests = ptr(Exact(5)); in.Users = ptr(Exact(3)) })},
		{"requests_per_day", mod(func(in *Input) { in.Users = ptr(Exact(3)); in.Days = ptr(Exact(3)) })},
		{"days", mod(func(in *Input) { in.Users, in.RequestsPerDay, in.Days = ptr(Exact(3)), ptr(Exact(3)), ptr(Exact(400)) })},
		{"method", mod(func(in *Input) { in.Method = "ecologits-2" })},
		{"images", mod(func(in *Input) { in.Images = ptr(Exact(-1)) })},
		{"output_tokens", mod(func(in *Input) { in.OutputTokens = Range{1, math.Inf(1)} })},
		{"output_tokens", mod(func(in *Input) { in.OutputTokens = Range{math.NaN(), 3} })},
		{"pue", mod(func(in *Input) { in.PUE = ptr(Range{1.2, math.NaN()}) })},
		{"users", mod(func(in *Input) {
			in.Users, in.RequestsPerDay, in.Days = ptr(Range{1, math.Inf(1)}), ptr(Exact(3)), ptr(Exact(3))
		})},
	}
	for _, c := range cases {
		_, err := Estimate(c.in)
		if got := field(err); got != c.field {
			t.Errorf("%+v: error %v on field %q, want %q", c.in, err, got, c.field)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, " / ") || !strings.HasPrefix(msg, c.field+" : ") {
			t.Errorf("message not French / English naming the field: %q", msg)
		}
	}
	_, err := Estimate(mod(func(in *Input) { in.Model = "gpt4o" }))
	var ie *InputError
	if !errors.As(err, &ie) || len(ie.Suggestions) == 0 || ie.Suggestions[0] != "gpt-4o" || ie.Code != "model-not-registered" {
		t.Errorf("suggestions for gpt4o: %v", err)
	}
	_, err = Estimate(mod(func(in *Input) { in.Zone = "ATL" }))
	if !errors.As(err, &ie) || ie.Code != "zone-not-registered" {
		t.Errorf("zone error code: %v", err)
	}
	_, err = Estimate(mod(func(in *Input) { in.Model = "mistral-larg" }))
	if !errors.As(err, &ie) || !strings.Contains(strings.Join(ie.Suggestions, " "), "mistral-large-latest") {
		t.Errorf("suggestions for mistral-larg: %v", err)
	}
}

func TestParseRange(t *testing.T) {
	good := map[string]Range{"44-132": {44, 132}, "1.09-1.14": {1.09, 1.14}, "7": Exact(7), " 2 - 3 ": {2, 3},
		"1e-3-2e-3": {1e-3, 2e-3}, "5–7": {5, 7}, "-5": Exact(-5), "3-3": Exact(3)}
	for s, want := range good {
		if got, err := ParseRange(s); err != nil || got != want {
			t.Errorf("ParseRange(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "a", "5-", "-", "132-44", "1-2-3", "inf", "NaN", "1,2"} {
		if r, err := ParseRange(s); err == nil {
			t.Errorf("ParseRange(%q) = %v, want an error", s, r)
		}
	}
}

func TestAliasesAndLists(t *testing.T) {
	m, target, ok := LookupModel("gpt-35-turbo")
	if !ok || target != "gpt-3.5-turbo" || m.Name != "gpt-3.5-turbo" {
		t.Errorf("alias: %v %q %v", m, target, ok)
	}
	if m, _, ok := LookupModel(" Mistral-Large-Latest"); !ok || m.Name != "mistral-large-latest" {
		t.Errorf("case-insensitive lookup: %v", m)
	}
	names := ModelNames()
	if len(names) != 361+9 {
		t.Errorf("%d names", len(names))
	}
	if z := ZoneCodes(""); len(z) != 50 || z[0] != "ARG" {
		t.Errorf("zones %v", z)
	}
	if z := ZoneCodes("ecologits-legacy"); len(z) != 8 {
		t.Errorf("legacy zones %v", z)
	}
	if ms := Methods(); len(ms) != 2 || ms[0].Name != "ecologits-0.9.1" || !ms[0].Default {
		t.Errorf("methods %v", ms)
	}
	for _, name := range []string{"ecologits-0.9", "ECOLOGITS-0.9.1", "", "current"} {
		if m, ok := LookupMethod(name); !ok || m.Name != "ecologits-0.9.1" {
			t.Errorf("method %q", name)
		}
	}
	if len(Providers()) != 6 {
		t.Errorf("providers %v", Providers())
	}
	// Every anchor the reference requires is present with its source.
	ids := map[string]bool{}
	for _, a := range Anchors() {
		ids[a.ID] = true
	}
	for _, id := range []string{"de-vries-2023", "iea-2024", "google-gemini-2025", "openai-altman-2025", "mistral-large-2-lca-2025"} {
		if !ids[id] {
			t.Errorf("anchor %s missing", id)
		}
	}
}

func BenchmarkEstimate(b *testing.B) {
	in := Input{Model: "gpt-4o", OutputTokens: Range{100, 800}, Zone: "FRA", Users: ptr(Exact(2000)),
		RequestsPerDay: ptr(Exact(20)), Days: ptr(Exact(220)), InputTokens: ptr(Exact(1000))}
	for b.Loop() {
		if _, err := Estimate(in); err != nil {
			b.Fatal(err)
		}
	}
}

// The lists and look-ups hand out copies: changing them leaves the
// embedded data (and later estimates) unchanged.
func TestEmbeddedDataIsNotShared(t *testing.T) {
	m, _, _ := LookupModel("gpt-4o")
	m.Warnings[0] = "x"
	m.ParamsActive = Exact(1)
	me, _ := LookupMethod("")
	me.Constants["batch_size"] = Value{Value: 1}
	zs := Zones("")
	zs[0].WUE.Value = -1
	as := Anchors()
	if len(as[0].Values) > 0 {
		v := 99.0
		as[0].Values[0].Value = &v
	}
	r, err := Estimate(Input{Model: "gpt-4o", OutputTokens: Exact(10), Zone: zs[0].Code})
	if err != nil {
		t.Fatal(err)
	}
	r.Inputs.Model.Warnings[0] = "y"
	m2, _, _ := LookupModel("gpt-4o")
	me2, _ := LookupMethod("")
	if m2.Warnings[0] != "model-arch-not-released" || m2.ParamsActive != (Range{44, 132}) || me2.Constant("batch_size") != 64 ||
		Zones("")[0].WUE.Value < 0 || r.Inputs.Zone.WUE.Value < 0 || *Anchors()[0].Values[0].Value != 0.0029 {
		t.Error("embedded data changed through a returned value")
	}
}
