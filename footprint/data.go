package footprint

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

//go:embed data/*.json
var dataFS embed.FS

// Value is one sourced figure of the embedded data.
type Value struct {
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
	Date   string  `json:"date"`
}

// Text is a label in French and English.
type Text struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

// In returns the text in lang ("en" gives English, anything else French).
func (t Text) In(lang string) string {
	if lang == "en" {
		return t.EN
	}
	return t.FR
}

// Upstream names the file a table was generated from.
type Upstream struct {
	Project string `json:"project"`
	Release string `json:"release"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
	URL     string `json:"url"`
	Licence string `json:"licence"`
	File    string `json:"file"`
	SHA256  string `json:"sha256"`
}

// Model is an entry of the model table.
type Model struct {
	Name         string   `json:"name"`
	Provider     string   `json:"provider"`
	Architecture string   `json:"architecture"` // dense or moe
	ParamsActive Range    `json:"params_active_b"`
	ParamsTotal  Range    `json:"params_total_b"`
	Warnings     []string `json:"warnings"`
	References   []string `json:"references"`
	Source       string   `json:"source"`
	Date         string   `json:"date"`
}

type alias struct {
	Name     string `json:"name"`
	Provider string `json:"provider"`
	Model    string `json:"model"`
	Source   string `json:"source"`
	Date     string `json:"date"`
}

type modelFile struct {
	Schema   string   `json:"schema"`
	Dataset  string   `json:"dataset"`
	Upstream Upstream `json:"upstream"`
	Models   []Model  `json:"models"`
	Aliases  []alias  `json:"aliases"`
}

// Zone is an electricity mix. WUE (off-site water) is nil in the legacy set.
type Zone struct {
	Code string `json:"code"`
	GWP  Value  `json:"gwp"`
	ADPe Value  `json:"adpe"`
	PE   Value  `json:"pe"`
	WUE  *Value `json:"wue"`
}

type zoneFile struct {
	Schema   string    `json:"schema"`
	Dataset  string    `json:"dataset"`
	Upstream *Upstream `json:"upstream,omitempty"`
	Zones    []Zone    `json:"zones"`
}

// Provider holds the data-centre defaults of a provider.
type Provider struct {
	Key    string `json:"key"`
	Zone   string `json:"zone"`
	PUE    Range  `json:"pue"`
	WUE    Range  `json:"wue"`
	Source string `json:"source"`
	Date   string `json:"date"`
}

// Method is a constant set of the EcoLogits method.
type Method struct {
	Name             string           `json:"name"`
	Aliases          []string         `json:"aliases"`
	Default          bool             `json:"default"`
	Label            Text             `json:"label"`
	EnergyModel      string           `json:"energy_model"` // exp (0.9.x) or linear (legacy)
	GPURounding      string           `json:"gpu_rounding"` // power-of-two or none
	Water            bool             `json:"water"`
	ProviderDefaults bool             `json:"provider_defaults"`
	Zones            string           `json:"zones"`
	Constants        map[string]Value `json:"constants"`
}

// AnchorValue is a per-request figure of an anchor, in the unit of the
// result field named by Quantity.
type AnchorValue struct {
	Quantity string   `json:"quantity"`
	Per      string   `json:"per"`
	Value    *float64 `json:"value,omitempty"`
	Min      *float64 `json:"min,omitempty"`
	Max      *float64 `json:"max,omitempty"`
	Label    Text     `json:"label"`
}

// Anchor is a published reference figure, shown beside every estimate.
type Anchor struct {
	ID     string        `json:"id"`
	Source string        `json:"source"`
	DOI    string        `json:"doi,omitempty"`
	URL    string        `json:"url,omitempty"`
	Date   string        `json:"date"`
	Figure Text          `json:"figure"`
	Scope  Text          `json:"scope"`
	Values []AnchorValue `json:"values,omitempty"`
}

type equivalentFactor struct {
	ID       string  `json:"id"`
	Quantity string  `json:"quantity"`
	Value    float64 `json:"value"`
	Unit     string  `json:"unit"`
	Label    Text    `json:"label"`
	Source   string  `json:"source"`
	Date     string  `json:"date"`
}

type rangeFactor struct {
	EnergyPerImage     *Range `json:"energy_kwh_per_image,omitempty"`
	EnergyPerInference *Range `json:"energy_kwh_per_inference,omitempty"`
	Unit               string `json:"unit"`
	Source             string `json:"source"`
	Date               string `json:"date"`
}

type utilisation struct {
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
	Date   string  `json:"date"`
}

type extensionFile struct {
	Schema             string      `json:"schema"`
	ImageGeneration    rangeFactor `json:"image_generation"`
	TextClassification rangeFactor `json:"text_classification"`
	Prefill            struct {
		FLOPsPerParam Value       `json:"flops_per_param_per_token"`
		PeakFLOPs     Value       `json:"gpu_peak_flops"`
		PowerW        Value       `json:"gpu_power_w"`
		Utilisation   utilisation `json:"utilisation"`
	} `json:"prefill"`
	Equivalents []equivalentFactor `json:"equivalents"`
}

// DataFile identifies an embedded data file by name and hash.
type DataFile struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	// Upstream is the unmodified file it was generated from, if any.
	Upstream *Upstream `json:"upstream,omitempty"`
}

// catalogue holds all embedded data. It is built once at package
// initialisation and never modified afterwards.
type catalogue struct {
	models      map[string]*Model
	aliases     map[string]string
	modelNames  []string
	zones       map[string]map[string]*Zone // by dataset, then code
	providers   map[string]*Provider
	generic     *Provider
	methods     []*Method
	methodByKey map[string]*Method
	anchors     []Anchor
	ext         extensionFile
	files       []DataFile
}

var cat = mustLoad()

func mustLoad() *catalogue {
	c, err := load()
	if err != nil {
		panic("footprint: embedded data: " + err.Error())
	}
	return c
}

func readJSON(name string, v any) (DataFile, error) {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return DataFile{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return DataFile{}, fmt.Errorf("%s: %w", name, err)
	}
	h := sha256.Sum256(b)
	return DataFile{File: name, SHA256: hex.EncodeToString(h[:])}, nil
}

func load() (*catalogue, error) {
	c := &catalogue{
		models: map[string]*Model{}, aliases: map[string]string{},
		zones: map[string]map[string]*Zone{}, providers: map[string]*Provider{},
		methodByKey: map[string]*Method{},
	}
	// Models.
	var mf struct {
		modelFile
		Note string `json:"note"`
	}
	df, err := readJSON("ecologits-0.9.1-models.json", &mf)
	if err != nil {
		return nil, err
	}
	up := mf.Upstream
	df.Upstream = &up
	c.files = append(c.files, df)
	for i := range mf.Models {
		m := &mf.Models[i]
		c.models[m.Name] = m
		c.modelNames = append(c.modelNames, m.Name)
	}
	for _, a := range mf.Aliases {
		if c.models[a.Model] == nil {
			return nil, fmt.Errorf("alias %q: unknown model %q", a.Name, a.Model)
		}
		c.aliases[a.Name] = a.Model
		c.modelNames = append(c.modelNames, a.Name)
	}
	sort.Strings(c.modelNames)
	// Zones.
	for _, name := range []string{"ecologits-0.9.1-zones.json", "zones-legacy.json"} {
		var zf struct {
			zoneFile
			Note string `json:"note"`
		}
		df, err := readJSON(name, &zf)
		if err != nil {
			return nil, err
		}
		df.Upstream = zf.Upstream
		c.files = append(c.files, df)
		set := map[string]*Zone{}
		for i := range zf.Zones {
			set[zf.Zones[i].Code] = &zf.Zones[i]
		}
		c.zones[zf.Dataset] = set
	}
	// Providers.
	var pf struct {
		Schema    string     `json:"schema"`
		Note      string     `json:"note"`
		Providers []Provider `json:"providers"`
		Generic   Provider   `json:"generic"`
	}
	if df, err = readJSON("providers.json", &pf); err != nil {
		return nil, err
	}
	c.files = append(c.files, df)
	for i := range pf.Providers {
		c.providers[pf.Providers[i].Key] = &pf.Providers[i]
	}
	c.generic = &pf.Generic
	// Methods.
	var ms struct {
		Schema  string    `json:"schema"`
		Note    string    `json:"note"`
		Methods []*Method `json:"methods"`
	}
	if df, err = readJSON("methods.json", &ms); err != nil {
		return nil, err
	}
	c.files = append(c.files, df)
	c.methods = ms.Methods
	for _, m := range ms.Methods {
		if c.zones[m.Zones] == nil {
			return nil, fmt.Errorf("method %s: unknown zone set %q", m.Name, m.Zones)
		}
		for _, k := range append([]string{m.Name}, m.Aliases...) {
			c.methodByKey[strings.ToLower(k)] = m
		}
		if m.Default {
			c.methodByKey[""] = m
		}
		for _, k := range requiredConstants(m) {
			if _, ok := m.Constants[k]; !ok {
				return nil, fmt.Errorf("method %s: constant %q missing", m.Name, k)
			}
		}
	}
	// Anchors.
	var af struct {
		Schema  string   `json:"schema"`
		Note    string   `json:"note"`
		Anchors []Anchor `json:"anchors"`
	}
	if df, err = readJSON("anchors.json", &af); err != nil {
		return nil, err
	}
	c.files = append(c.files, df)
	c.anchors = af.Anchors
	// Extensions and equivalents.
	var ef struct {
		extensionFile
		Note string `json:"note"`
	}
	if df, err = readJSON("extensions.json", &ef); err != nil {
		return nil, err
	}
	c.files = append(c.files, df)
	c.ext = ef.extensionFile
	return c, nil
}

func requiredConstants(m *Method) []string {
	common := []string{"batch_size", "quantization_bits", "memory_overhead", "gpu_memory_gb",
		"gpu_gwp", "gpu_adpe", "gpu_pe", "server_power_kw", "server_gpus",
		"server_gwp", "server_adpe", "server_pe", "lifetime_s"}
	switch m.EnergyModel {
	case "exp":
		return append(common, "energy_alpha", "energy_beta", "energy_gamma", "latency_a", "latency_b", "latency_c")
	default:
		return append(common, "energy_slope", "energy_intercept", "energy_stdev",
			"latency_slope", "latency_intercept", "latency_stdev", "pue")
	}
}

// k returns a constant of the method (present: checked at load).
func (m *Method) k(name string) float64 { return m.Constants[name].Value }

// clone returns a deep copy of the method, so that callers cannot change
// the embedded data.
func (m *Method) clone() Method {
	c := *m
	c.Aliases = append([]string(nil), m.Aliases...)
	c.Constants = make(map[string]Value, len(m.Constants))
	for k, v := range m.Constants {
		c.Constants[k] = v
	}
	return c
}

func (m *Model) clone() Model {
	c := *m
	c.Warnings = append([]string{}, m.Warnings...)
	c.References = append([]string{}, m.References...)
	return c
}

func (z *Zone) clone() Zone {
	c := *z
	if z.WUE != nil {
		w := *z.WUE
		c.WUE = &w
	}
	return c
}

func (a Anchor) clone() Anchor {
	a.Values = append([]AnchorValue(nil), a.Values...)
	return a
}

// Methods returns the constant sets, the default first.
func Methods() []Method {
	out := make([]Method, 0, len(cat.methods))
	for _, m := range cat.methods {
		if m.Default {
			out = append([]Method{m.clone()}, out...)
		} else {
			out = append(out, m.clone())
		}
	}
	return out
}

func lookupMethod(name string) (*Method, bool) {
	m, ok := cat.methodByKey[strings.ToLower(strings.TrimSpace(name))]
	return m, ok
}

// LookupMethod returns the constant set named name or one of its aliases
// ("" gives the default, ecologits-0.9.1).
func LookupMethod(name string) (Method, bool) {
	m, ok := lookupMethod(name)
	if !ok {
		return Method{}, false
	}
	return m.clone(), true
}

// Constant returns the value of one of the method's constants (0 if absent).
func (m Method) Constant(name string) float64 { return m.Constants[name].Value }

// ModelNames returns the names of the model table, aliases included, sorted.
func ModelNames() []string { return append([]string(nil), cat.modelNames...) }

// LookupModel returns a copy of the model named name (or an alias of it;
// case does not matter when it leaves one match). The second result is the
// model name an alias resolved to, "" when name is a model.
func LookupModel(name string) (Model, string, bool) {
	m, target, ok := lookupModel(name)
	if !ok {
		return Model{}, "", false
	}
	return m.clone(), target, true
}

func lookupModel(name string) (*Model, string, bool) {
	if m, ok := cat.models[name]; ok {
		return m, "", true
	}
	if t, ok := cat.aliases[name]; ok {
		return cat.models[t], t, true
	}
	var found string
	for _, n := range cat.modelNames {
		if strings.EqualFold(n, strings.TrimSpace(name)) {
			if found != "" {
				return nil, "", false
			}
			found = n
		}
	}
	if found != "" {
		return lookupModel(found)
	}
	return nil, "", false
}

// Zones returns the electricity zones of a method's zone set, sorted by code
// ("" gives the default method's zones).
func Zones(method string) []Zone {
	m, ok := lookupMethod(method)
	if !ok {
		return nil
	}
	set := cat.zones[m.Zones]
	out := make([]Zone, 0, len(set))
	for _, z := range set {
		out = append(out, z.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// ZoneCodes returns the zone codes of a method's zone set, sorted.
func ZoneCodes(method string) []string {
	zs := Zones(method)
	out := make([]string, len(zs))
	for i, z := range zs {
		out[i] = z.Code
	}
	return out
}

// Providers returns the provider defaults, sorted by key.
func Providers() []Provider {
	out := make([]Provider, 0, len(cat.providers))
	for _, p := range cat.providers {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Anchors returns the published reference figures.
func Anchors() []Anchor {
	out := make([]Anchor, len(cat.anchors))
	for i, a := range cat.anchors {
		out[i] = a.clone()
	}
	return out
}

// DataFiles returns the embedded data files with their sha256.
func DataFiles() []DataFile {
	out := append([]DataFile(nil), cat.files...)
	for i, f := range out {
		if f.Upstream != nil {
			u := *f.Upstream
			out[i].Upstream = &u
		}
	}
	return out
}

// suggest returns up to n names of the model table closest to name.
func suggest(name string, n int) []string {
	q := strings.ToLower(name)
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, m := range cat.modelNames {
		l := strings.ToLower(m)
		d := levenshtein(q, l)
		// A name that contains the query (or the reverse) is a strong hint.
		if q != "" && (strings.Contains(l, q) || strings.Contains(q, l)) {
			d = min(d, abs(len(l)-len(q))/4)
		}
		cs = append(cs, cand{m, d})
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	out := []string{}
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.name)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
