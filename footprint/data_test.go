package footprint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/vigie-app/vigie/footprint/internal/convert"
)

// The hashes of the unmodified EcoLogits 0.9.1 files (footprint/data/README.md).
var upstreamSHA = map[string]string{
	"electricity_mixes.csv": "ac20b97774833ac9e0b716dbe71c234d4418e0b762451bdfe818d40c50e096db",
	"models.json":           "da8971ce9e32de1fd744754535dfaaead58eb189728757ff53d810623f4d57eb",
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/ecologits-0.9.1/" + name)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	if got := hex.EncodeToString(h[:]); got != upstreamSHA[name] {
		t.Fatalf("%s: sha256 %s, want %s", name, got, upstreamSHA[name])
	}
	return b
}

// TestGeneratedDataUpToDate checks that the committed tables are exactly the
// output of the conversion (go generate) of the unmodified upstream files.
func TestGeneratedDataUpToDate(t *testing.T) {
	m, err := convert.Models(readTestdata(t, "models.json"), convert.EcoLogits091)
	if err != nil {
		t.Fatal(err)
	}
	z, err := convert.Zones(readTestdata(t, "electricity_mixes.csv"), convert.EcoLogits091)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{"ecologits-0.9.1-models.json": m, "ecologits-0.9.1-zones.json": z} {
		got, err := dataFS.ReadFile("data/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("data/%s is not the output of the conversion: run go generate ./footprint", name)
		}
	}
	for _, f := range DataFiles() {
		if f.Upstream != nil && f.Upstream.SHA256 != upstreamSHA[f.Upstream.File[strings.LastIndex(f.Upstream.File, "/")+1:]] {
			t.Errorf("%s: upstream hash %s", f.File, f.Upstream.SHA256)
		}
	}
}

// TestTablesMatchUpstream compares the embedded tables with the upstream
// files value by value, and checks the counts of reference §6 and README.
func TestTablesMatchUpstream(t *testing.T) {
	var up struct {
		Aliases []map[string]any `json:"aliases"`
		Models  []struct {
			Provider     string
			Name         string
			Architecture struct {
				Type       string
				Parameters any
			}
			Warnings []string
		} `json:"models"`
	}
	if err := json.Unmarshal(readTestdata(t, "models.json"), &up); err != nil {
		t.Fatal(err)
	}
	if len(up.Models) != 361 || len(up.Aliases) != 9 || len(cat.models) != 361 || len(cat.aliases) != 9 {
		t.Fatalf("models %d/%d aliases %d/%d", len(up.Models), len(cat.models), len(up.Aliases), len(cat.aliases))
	}
	providers, warnings, arch := map[string]int{}, map[string]int{}, map[string]int{}
	for _, u := range up.Models {
		m := cat.models[u.Name]
		if m == nil || m.Provider != u.Provider || m.Architecture != u.Architecture.Type || !reflect.DeepEqual(m.Warnings, append([]string{}, u.Warnings...)) {
			t.Errorf("%s: %+v", u.Name, m)
			continue
		}
		providers[m.Provider]++
		arch[m.Architecture]++
		for _, w := range m.Warnings {
			warnings[w]++
		}
		var act, tot Range
		switch p := u.Architecture.Parameters.(type) {
		case float64:
			act, tot = Exact(p), Exact(p)
		case map[string]any:
			rng := func(v any) Range {
				if f, ok := v.(float64); ok {
					return Exact(f)
				}
				mm := v.(map[string]any)
				return Range{mm["min"].(float64), mm["max"].(float64)}
			}
			if _, ok := p["total"]; ok {
				act, tot = rng(p["active"]), rng(p["total"])
			} else {
				act = rng(p)
				tot = act
			}
		}
		if m.ParamsActive != act || m.ParamsTotal != tot {
			t.Errorf("%s: %v/%v, upstream %v/%v", u.Name, m.ParamsActive, m.ParamsTotal, act, tot)
		}
	}
	wantProv := map[string]int{"huggingface_hub": 176, "openai": 64, "mistralai": 59, "google_genai": 33, "anthropic": 16, "cohere": 13}
	if !reflect.DeepEqual(providers, wantProv) {
		t.Errorf("providers %v", providers)
	}
	if arch["dense"] != 278 || arch["moe"] != 83 || warnings["model-arch-not-released"] != 127 || warnings["model-arch-multimodal"] != 109 {
		t.Errorf("architectures %v warnings %v", arch, warnings)
	}
	for p := range wantProv {
		if cat.providers[p] == nil {
			t.Errorf("no defaults for provider %s", p)
		}
	}
	// Examples of reference §6.
	for name, want := range map[string][2]Range{
		"open-mistral-7b":                      {Exact(7.3), Exact(7.3)},
		"open-mixtral-8x7b":                    {Exact(12.9), Exact(46.7)},
		"mistral-large-latest":                 {Exact(123), Exact(123)},
		"mistral-small-latest":                 {Exact(23.6), Exact(23.6)},
		"mistral-medium-latest":                {{70, 120}, {70, 120}},
		"gpt-4o":                               {{44, 132}, Exact(440)},
		"gpt-4o-mini":                          {{8, 28}, {8, 28}},
		"gpt-5":                                {{30, 90}, Exact(300)},
		"claude-sonnet-4-20250514":             {{44, 132}, Exact(440)},
		"meta-llama/Meta-Llama-3-70B-Instruct": {Exact(70.55), Exact(70.55)},
	} {
		m, _, ok := LookupModel(name)
		if !ok || m.ParamsActive != want[0] || m.ParamsTotal != want[1] {
			t.Errorf("%s: %+v", name, m)
		}
	}
	// Zones: every CSV row, and the rows quoted in reference §5.
	lines := strings.Split(strings.TrimSpace(string(readTestdata(t, "electricity_mixes.csv"))), "\n")
	zs := cat.zones["ecologits-0.9.1"]
	if len(lines) != 51 || len(zs) != 50 {
		t.Fatalf("%d lines, %d zones", len(lines), len(zs))
	}
	for code, want := range map[string][4]float64{
		"FRA": {4.858e-8, 9.3135, 0.04418, 3.6737}, "WOR": {1.349e-8, 2.5871, 0.47301, 3.908},
		"USA": {9.855e-8, 9.6884, 0.38355, 3.1321}, "DEU": {8.787e-8, 8.7477, 0.34414, 1.947},
		"SWE": {7.771e-8, 4.7301, 0.03582, 6.0315}, "IRL": {2.193e-8, 8.0614, 0.2797, 1.4769},
		"GBR": {3.71e-8, 9.0976, 0.21089, 2.329},
	} {
		z := zs[code]
		if z == nil || z.ADPe.Value != want[0] || z.PE.Value != want[1] || z.GWP.Value != want[2] || z.WUE.Value != want[3] {
			t.Errorf("zone %s: %+v", code, z)
		}
	}
	for code, want := range map[string][3]float64{
		"FRA": {4.85798e-8, 9.31353, 0.0800844}, "WOR": {7.37708e-8, 9.988, 0.590478}, "EEE": {6.42317e-8, 12.873, 0.509427},
	} {
		z := cat.zones["ecologits-legacy"][code]
		if z == nil || z.ADPe.Value != want[0] || z.PE.Value != want[1] || z.GWP.Value != want[2] || z.WUE != nil {
			t.Errorf("legacy zone %s: %+v", code, z)
		}
	}
}

// TestEveryValueHasSource fails if any embedded value lacks its source or date.
func TestEveryValueHasSource(t *testing.T) {
	val := func(what string, v Value) {
		if strings.TrimSpace(v.Source) == "" || strings.TrimSpace(v.Date) == "" || v.Unit == "" {
			t.Errorf("%s: value %g without source, date or unit", what, v.Value)
		}
	}
	src := func(what, source, date string) {
		if strings.TrimSpace(source) == "" || strings.TrimSpace(date) == "" {
			t.Errorf("%s: no source or date", what)
		}
	}
	for _, m := range cat.models {
		src("model "+m.Name, m.Source, m.Date)
		if len(m.References) == 0 {
			t.Errorf("model %s: no upstream reference", m.Name)
		}
	}
	for set, zs := range cat.zones {
		for _, z := range zs {
			for k, v := range map[string]Value{"gwp": z.GWP, "adpe": z.ADPe, "pe": z.PE} {
				val(set+" zone "+z.Code+" "+k, v)
			}
			if z.WUE != nil {
				val(set+" zone "+z.Code+" wue", *z.WUE)
			} else if set == "ecologits-0.9.1" {
				t.Errorf("zone %s: no wue", z.Code)
			}
		}
	}
	for _, p := range append(Providers(), *cat.generic) {
		src("provider "+p.Key, p.Source, p.Date)
	}
	for _, m := range cat.methods {
		if m.Label.FR == "" || m.Label.EN == "" {
			t.Errorf("method %s: no label", m.Name)
		}
		for k, v := range m.Constants {
			val("method "+m.Name+" "+k, v)
		}
	}
	for _, a := range cat.anchors {
		src("anchor "+a.ID, a.Source, a.Date)
		if a.Figure.FR == "" || a.Figure.EN == "" || a.Scope.FR == "" || a.Scope.EN == "" {
			t.Errorf("anchor %s: figure or scope missing in a language", a.ID)
		}
		for _, v := range a.Values {
			if v.Label.FR == "" || v.Label.EN == "" || (v.Value == nil && (v.Min == nil || v.Max == nil)) {
				t.Errorf("anchor %s: bad value %+v", a.ID, v)
			}
		}
	}
	x := cat.ext
	src("image generation", x.ImageGeneration.Source, x.ImageGeneration.Date)
	src("text classification", x.TextClassification.Source, x.TextClassification.Date)
	if x.ImageGeneration.EnergyPerImage == nil || x.TextClassification.EnergyPerInference == nil {
		t.Error("extension factors missing")
	}
	val("prefill flops", x.Prefill.FLOPsPerParam)
	val("prefill peak", x.Prefill.PeakFLOPs)
	val("prefill power", x.Prefill.PowerW)
	src("prefill utilisation", x.Prefill.Utilisation.Source, x.Prefill.Utilisation.Date)
	for _, e := range x.Equivalents {
		src("equivalent "+e.ID, e.Source, e.Date)
		if e.Value <= 0 || e.Label.FR == "" || e.Label.EN == "" {
			t.Errorf("equivalent %s: %+v", e.ID, e)
		}
	}
	if len(DataFiles()) != 7 {
		t.Errorf("%d data files", len(DataFiles()))
	}
}
