package main

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func runFootprint(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"footprint"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func footprintJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, errs := runFootprint(t, append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	return m
}

func rng(t *testing.T, v any, path string) (float64, float64) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: not an object: %v", path, v)
	}
	lo, ok1 := m["min"].(float64)
	hi, ok2 := m["max"].(float64)
	if !ok1 || !ok2 {
		t.Fatalf("%s: no numeric min and max: %v", path, m)
	}
	if lo > hi {
		t.Errorf("%s: min %g > max %g", path, lo, hi)
	}
	return lo, hi
}

// checkContract checks the fields spec/cli.md requires of per_request and total.
func checkContract(t *testing.T, m map[string]any) {
	t.Helper()
	for _, block := range []string{"per_request", "total"} {
		b, ok := m[block].(map[string]any)
		if !ok {
			t.Fatalf("no %s", block)
		}
		for _, k := range []string{"energy_kwh", "gwp_kgco2e", "adpe_kgsbeq", "pe_mj", "water_l"} {
			rng(t, b[k], block+"."+k)
		}
		for _, k := range []string{"gwp_kgco2e", "adpe_kgsbeq", "pe_mj"} {
			rng(t, b[k].(map[string]any)["usage"], block+"."+k+".usage")
			rng(t, b[k].(map[string]any)["embodied"], block+"."+k+".embodied")
		}
	}
	if _, ok := m["method"].(string); !ok {
		t.Error("no method")
	}
}

func relErr(a, b float64) float64 { return math.Abs(a-b) / math.Abs(b) }

func TestFootprintJSON(t *testing.T) {
	// Vector V4 of docs/footprint.md: mistral-large-latest with the
	// mistralai defaults (PUE 1.16, WUE 0.09), 400 tokens, FRA.
	m := footprintJSON(t, "--model", "mistral-large-latest", "--output-tokens", "400", "--zone", "FRA")
	checkContract(t, m)
	if m["schema"] != "vigie/footprint/v1" || m["method"] != "ecologits-0.9.1" {
		t.Errorf("schema %v method %v", m["schema"], m["method"])
	}
	pr := m["per_request"].(map[string]any)
	for k, want := range map[string]float64{"energy_kwh": 3.537094841e-04, "gwp_kgco2e": 4.409078132e-05, "water_l": 1.539163991e-03} {
		lo, hi := rng(t, pr[k], k)
		if lo != hi || relErr(lo, want) > 1e-9 {
			t.Errorf("%s: [%g, %g], want %g", k, lo, hi, want)
		}
	}
	// One request by default: total = per request.
	tlo, _ := rng(t, m["total"].(map[string]any)["energy_kwh"], "total")
	if plo, _ := rng(t, pr["energy_kwh"], "pr"); tlo != plo {
		t.Errorf("total %g per request %g", tlo, plo)
	}
	if len(m["anchors"].([]any)) < 5 || len(m["equivalents"].([]any)) == 0 || len(m["data"].([]any)) == 0 {
		t.Error("anchors, equivalents or data missing")
	}

	// A deployment with ranges.
	m = footprintJSON(t, "--params-active", "44-132", "--params-total", "440", "--output-tokens", "300",
		"--users", "2000", "--requests-per-day", "20", "--days", "220", "--pue", "1.1-1.3", "--wue", "0.2-0.6")
	checkContract(t, m)
	prlo, prhi := rng(t, m["per_request"].(map[string]any)["gwp_kgco2e"], "gwp")
	tlo, thi := rng(t, m["total"].(map[string]any)["gwp_kgco2e"], "total gwp")
	if !(prlo < prhi) || relErr(tlo, prlo*2000*20*220) > 1e-12 || relErr(thi, prhi*2000*20*220) > 1e-12 {
		t.Errorf("per request [%g, %g], total [%g, %g]", prlo, prhi, tlo, thi)
	}
	ulo, _ := rng(t, m["per_user"].(map[string]any)["energy_kwh"], "per_user")
	elo, _ := rng(t, m["per_request"].(map[string]any)["energy_kwh"], "per_request")
	if relErr(ulo, elo*20*220) > 1e-12 {
		t.Errorf("per user %g", ulo)
	}
	rng(t, m["per_year"].(map[string]any)["water_l"], "per_year.water_l")

	// Methods.
	if m := footprintJSON(t, "--model", "gpt-4o", "--output-tokens", "10", "--method", "ecologits-0.9"); m["method"] != "ecologits-0.9.1" {
		t.Errorf("--method ecologits-0.9 gives %v", m["method"])
	}
	m = footprintJSON(t, "--model", "gpt-4o", "--output-tokens", "10", "--method", "ecologits-legacy")
	if m["method"] != "ecologits-legacy" || m["per_request"].(map[string]any)["water_l"] != nil {
		t.Errorf("legacy: %v %v", m["method"], m["per_request"].(map[string]any)["water_l"])
	}
	// Extensions as separate lines.
	m = footprintJSON(t, "--model", "gpt-4o", "--output-tokens", "10", "--input-tokens", "2000", "--images", "1", "--classifications", "3")
	if x := m["extensions"].([]any); len(x) != 3 {
		t.Errorf("extensions %v", x)
	}
}

func TestFootprintText(t *testing.T) {
	code, out, errs := runFootprint(t, "--model", "mistral-large-latest", "--output-tokens", "400", "--zone", "FRA")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Par requête", "0,354 Wh", "44,1 mg CO2e", "de Vries", "EcoLogits"} {
		if !strings.Contains(out, want) {
			t.Errorf("French text lacks %q", want)
		}
	}
	code, out, _ = runFootprint(t, "--model", "mistral-large-latest", "--output-tokens", "400", "--zone", "FRA", "--lang", "en")
	if code != 0 || !strings.Contains(out, "Per request") || !strings.Contains(out, "0.354 Wh") {
		t.Errorf("English text: exit %d\n%s", code, out)
	}
	code, out, _ = runFootprint(t, "--list-models")
	if code != 0 || !strings.Contains(out, "mistral-large-latest\n") || !strings.Contains(out, "gpt-35-turbo\n") {
		t.Errorf("--list-models: %d", code)
	}
	code, out, _ = runFootprint(t, "--list-zones")
	if code != 0 || !strings.Contains(out, "FRA\tFrance\n") || strings.Count(out, "\n") != 50 {
		t.Errorf("--list-zones: %d\n%s", code, out)
	}
}

func TestFootprintBadInput(t *testing.T) {
	base := []string{"--model", "gpt-4o", "--output-tokens", "100"}
	cases := []struct {
		args []string
		flag string
		also string
	}{
		{[]string{"--model", "gpt4o", "--output-tokens", "100"}, "--model", "gpt-4o"},
		{[]string{"--model", "mistral-larg", "--output-tokens", "100"}, "--model", "mistral-large-latest"},
		{[]string{"--output-tokens", "100"}, "--model", ""},
		{[]string{"--model", "gpt-4o"}, "--output-tokens", ""},
		{[]string{"--model", "gpt-4o", "--output-tokens", "0"}, "--output-tokens", ""},
		{[]string{"--model", "gpt-4o", "--output-tokens", "-5"}, "--output-tokens", ""},
		{[]string{"--model", "gpt-4o", "--output-tokens", "abc"}, "--output-tokens", ""},
		{append(base, "--zone", "ATL"), "--zone", "FRA"},
		{append(base, "--pue", "0.8"), "--pue", ""},
		{append(base, "--pue", "1.3-1.1"), "--pue", ""},
		{append(base, "--pue", "1.1-"), "--pue", ""},
		{append(base, "--wue", "-1"), "--wue", ""},
		{append(base, "--latency", "soon"), "--latency", ""},
		{append(base, "--latency", "0"), "--latency", ""},
		{append(base, "--requests", "0"), "--requests", ""},
		{append(base, "--users", "10", "--days", "5"), "--requests-per-day", ""},
		{append(base, "--requests-per-day", "10"), "--days", ""},
		{append(base, "--requests", "10", "--users", "5"), "--requests", ""},
		{append(base, "--input-tokens", "0"), "--input-tokens", ""},
		{append(base, "--method", "ecologits-9"), "--method", ""},
		{append(base, "--format", "xml"), "--format", ""},
		{append(base, "--lang", "de"), "--lang", ""},
		{[]string{"--params-active", "44-x", "--output-tokens", "5"}, "--params-active", ""},
		{[]string{"--params-active", "70", "--params-total", "7", "--output-tokens", "5"}, "--params-total", ""},
		{append(base, "--bogus"), "--bogus", ""},
	}
	for _, c := range cases {
		code, out, errs := runFootprint(t, c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", c.args, code, errs)
			continue
		}
		if out != "" {
			t.Errorf("%v: printed %q", c.args, out)
		}
		if !strings.Contains(errs, c.flag) || !strings.Contains(errs, c.also) || strings.Contains(errs, "goroutine") {
			t.Errorf("%v: message %q should name %s", c.args, errs, c.flag)
		}
	}
}
