package footprint

import (
	"fmt"
	"math"
	"strings"

	"github.com/vigie-app/vigie"
)

// Schema is the identifier of the JSON shape of a Result.
const Schema = "vigie/footprint/v1"

// Input describes the requests to estimate. Optional fields are pointers
// (nil = absent). Every quantity may be a range; an exact value has Min == Max.
type Input struct {
	// Method names the constant set: "ecologits-0.9.1" (default, also
	// "ecologits-0.9") or "ecologits-legacy".
	Method string `json:"method,omitempty"`
	// Model is a name (or alias) of the model table; or leave it empty and
	// give ParamsActive (and ParamsTotal for a mixture of experts), in
	// billions of parameters.
	Model        string `json:"model,omitempty"`
	ParamsActive *Range `json:"params_active_b,omitempty"`
	ParamsTotal  *Range `json:"params_total_b,omitempty"`
	// OutputTokens per request (> 0).
	OutputTokens Range `json:"output_tokens"`
	// Zone is the ISO 3166-1 alpha-3 code of the electricity mix ("" = WOR).
	Zone string `json:"zone,omitempty"`
	// PUE (≥ 1) and WUE (on-site water, L/kWh ≥ 0) of the data centre;
	// nil = the provider's defaults.
	PUE *Range `json:"pue,omitempty"`
	WUE *Range `json:"wue,omitempty"`
	// LatencyS is the measured request latency in seconds (> 0).
	LatencyS *float64 `json:"latency_s,omitempty"`
	// Requests is the number of requests; or give RequestsPerDay and Days
	// (days of use in a year, ≤ 366), with Users when the requests per day
	// are per user (then per_user is computed). Neither: one request.
	Requests       *Range `json:"requests,omitempty"`
	Users          *Range `json:"users,omitempty"`
	RequestsPerDay *Range `json:"requests_per_day,omitempty"`
	Days           *Range `json:"days,omitempty"`
	// InputTokens per request adds the prefill line (beyond EcoLogits).
	InputTokens *Range `json:"input_tokens,omitempty"`
	// Images and Classifications per request add the coarse, anchor-based
	// lines for image generation and text classification.
	Images          *Range `json:"images,omitempty"`
	Classifications *Range `json:"classifications,omitempty"`
}

// InputError is a bad input. Field is the Input field at fault, in
// snake_case (output_tokens, zone, pue…); the CLI turns it into a flag name.
type InputError struct {
	Field  string
	FR, EN string
	// Code is EcoLogits' error code when there is one:
	// model-not-registered or zone-not-registered.
	Code        string
	Suggestions []string // closest model names, for an unknown model
}

func (e *InputError) Error() string { return e.Message(e.Field) }

// Message returns the French then English message, naming the field as name
// (for example "--output-tokens").
func (e *InputError) Message(name string) string {
	return name + " : " + e.FR + " / " + name + ": " + e.EN
}

func bad(field, fr, en string, args ...any) error {
	ie := &InputError{Field: field, FR: fmt.Sprintf(fr, args...), EN: fmt.Sprintf(en, args...)}
	return &vigie.Error{Code: vigie.EINVALID, Field: field, Message: ie.Error(), Err: ie}
}

// Split is a total with its usage (electricity) and embodied (hardware
// manufacturing) parts.
type Split struct {
	Range
	Usage    Range `json:"usage"`
	Embodied Range `json:"embodied"`
}

// Impacts are the five indicators of a quantity of requests. Water is usage
// only (no embodied water in the method); nil when the method has no water.
type Impacts struct {
	EnergyKWh Range  `json:"energy_kwh"`
	GWP       Split  `json:"gwp_kgco2e"`
	ADPe      Split  `json:"adpe_kgsbeq"`
	PE        Split  `json:"pe_mj"`
	Water     *Range `json:"water_l"`
}

func (im Impacts) scale(k Range) Impacts {
	sc := func(s Split) Split {
		return Split{Range: s.Range.Mul(k), Usage: s.Usage.Mul(k), Embodied: s.Embodied.Mul(k)}
	}
	out := Impacts{EnergyKWh: im.EnergyKWh.Mul(k), GWP: sc(im.GWP), ADPe: sc(im.ADPe), PE: sc(im.PE)}
	if im.Water != nil {
		w := im.Water.Mul(k)
		out.Water = &w
	}
	return out
}

// Steps are the intermediate values of the EcoLogits chain for one request
// (docs/footprint.md), each as a range.
type Steps struct {
	EnergyPerTokenWh  Range  `json:"energy_per_token_wh"`
	LatencyPerTokenS  Range  `json:"latency_per_token_s"`
	LatencyS          Range  `json:"latency_s"`
	MemoryGB          Range  `json:"memory_gb"`
	GPURequired       Range  `json:"gpu_required"`
	GPUCount          Range  `json:"gpu_count"`
	EnergyGPUKWh      Range  `json:"energy_gpu_kwh"`
	EnergyServerKWh   Range  `json:"energy_server_kwh"`
	EnergyRequestKWh  Range  `json:"energy_request_kwh"`
	WaterOnsiteL      *Range `json:"water_onsite_l"`
	WaterOffsiteL     *Range `json:"water_offsite_l"`
	HardwareGWPKg     Range  `json:"hardware_gwp_kgco2e"`
	HardwareADPeKgSb  Range  `json:"hardware_adpe_kgsbeq"`
	HardwarePEMJ      Range  `json:"hardware_pe_mj"`
	EmbodiedShareNote string `json:"embodied_allocation"`
}

// Setting is a data-centre parameter with where it came from.
type Setting struct {
	Range
	Source string `json:"source"`
}

// ModelRef is the model entry an estimate used.
type ModelRef struct {
	Model
	Requested string `json:"requested"`
	AliasOf   string `json:"alias_of,omitempty"`
}

// Resolved are the inputs as the estimate used them, with their provenance.
type Resolved struct {
	Model          *ModelRef `json:"model"`
	ParamsActive   Range     `json:"params_active_b"`
	ParamsTotal    Range     `json:"params_total_b"`
	OutputTokens   Range     `json:"output_tokens"`
	InputTokens    *Range    `json:"input_tokens"`
	Zone           Zone      `json:"zone"`
	ZoneDataset    string    `json:"zone_dataset"`
	ZoneDefaulted  bool      `json:"zone_defaulted"`
	Provider       string    `json:"provider"`
	ProviderZone   string    `json:"provider_zone,omitempty"`
	PUE            Setting   `json:"pue"`
	WUE            *Setting  `json:"wue"`
	LatencyS       *float64  `json:"latency_s"`
	Requests       Range     `json:"requests"`
	Users          *Range    `json:"users"`
	RequestsPerDay *Range    `json:"requests_per_day"`
	Days           *Range    `json:"days"`
	// Images and Classifications per request (coarse extension lines).
	Images          *Range `json:"images_per_request"`
	Classifications *Range `json:"classifications_per_request"`
}

// Extension is a labelled line beyond the EcoLogits figure: coarser, with its
// assumptions. It is never added into per_request or total.
type Extension struct {
	ID         string   `json:"id"`
	Label      Text     `json:"label"`
	Assumption Text     `json:"assumption"`
	Sources    []string `json:"sources"`
	PerRequest Impacts  `json:"per_request"`
	Total      Impacts  `json:"total"`
}

// Equivalent expresses an energy as a count of familiar things.
type Equivalent struct {
	ID         string `json:"id"`
	Label      Text   `json:"label"`
	Factor     Value  `json:"factor"`
	PerRequest Range  `json:"per_request"`
	Total      Range  `json:"total"`
}

// Warning is a caveat to show with the result.
type Warning struct {
	Code string `json:"code"`
	Text Text   `json:"text"`
}

// Result is an estimate. Its JSON form is the contract of `vigie footprint
// --format json` (spec/cli.md): fields may be added, never renamed.
type Result struct {
	Schema      string   `json:"schema"`
	Method      string   `json:"method"`
	MethodLabel Text     `json:"method_label"`
	Scope       Text     `json:"scope"`
	Inputs      Resolved `json:"inputs"`
	Steps       Steps    `json:"steps"`
	PerRequest  Impacts  `json:"per_request"`
	PerUser     *Impacts `json:"per_user"`
	PerYear     *Impacts `json:"per_year"`
	Total       Impacts  `json:"total"`
	// RangeDrivers names what makes the range wide, the widest first.
	RangeDrivers []Driver     `json:"range_drivers"`
	Extensions   []Extension  `json:"extensions"`
	Anchors      []Anchor     `json:"anchors"`
	Equivalents  []Equivalent `json:"equivalents"`
	Warnings     []Warning    `json:"warnings"`
	Data         []DataFile   `json:"data"`
	Credit       string       `json:"credit"`
}

const credit = "Method: EcoLogits by GenAI Impact (Rincé & Banse, JOSS 10(111):7471, 2025, doi:10.21105/joss.07471), " +
	"reimplemented in vigie from its published description; data tables from EcoLogits 0.9.1 (MPL-2.0)."

var scope = Text{
	FR: "Inférence de génération de texte seulement (méthode EcoLogits). Hors périmètre : entraînement, réseau, stockage, terminaux des utilisateurs, fin de vie, eau de fabrication du matériel.",
	EN: "Inference of text generation only (EcoLogits method). Out of scope: training, network, storage, end-user devices, end of life, embodied water.",
}

var warningTexts = map[string]Text{
	"model-arch-not-released": {
		FR: "L'architecture du modèle n'est pas publiée : les paramètres sont une estimation (pour un modèle fermé à mélange d'experts, EcoLogits prend 10 à 30 % des paramètres comme actifs).",
		EN: "The model's architecture is not released: the parameters are an estimate (for closed MoE models, EcoLogits takes 10–30 % of total parameters as active).",
	},
	"model-arch-multimodal": {
		FR: "Modèle multimodal : les données d'énergie ne couvrent que la génération de texte.",
		EN: "Multimodal model: the energy data cover text generation only.",
	},
}

// clonePtr copies an optional value, so that a Result never shares memory
// with its Input.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func positive(field string, r *Range) error {
	if r != nil && (!(r.Min > 0) || math.IsInf(r.Max, 0) || math.IsNaN(r.Max)) {
		return bad(field, "doit être strictement positif (reçu %s)", "must be positive (got %s)", r.String())
	}
	if r != nil && r.Min > r.Max {
		return bad(field, "minimum au-dessus du maximum (%s)", "minimum above maximum (%s)", r.String())
	}
	return nil
}

// Estimate computes the footprint of the requests described by in. It is pure
// and safe for concurrent use. Bad input gives a *vigie.Error with code
// vigie.EINVALID wrapping an *InputError.
func Estimate(in Input) (*Result, error) {
	m, ok := lookupMethod(in.Method)
	if !ok {
		names := []string{}
		for _, mm := range Methods() {
			names = append(names, mm.Name)
		}
		return nil, bad("method", "méthode inconnue « %s » (connues : %s)", "unknown method %q (known: %s)",
			in.Method, strings.Join(names, ", "))
	}
	res := &Result{Schema: Schema, Method: m.Name, MethodLabel: m.Label, Scope: scope, Credit: credit,
		Anchors: Anchors(), Data: DataFiles(), Extensions: []Extension{}, Warnings: []Warning{}}
	ri := &res.Inputs

	// Model or parameters.
	var provider *Provider
	switch {
	case in.Model != "" && (in.ParamsActive != nil || in.ParamsTotal != nil):
		return nil, bad("model", "donner soit un modèle, soit des paramètres, pas les deux", "give either a model or parameters, not both")
	case in.Model != "":
		mod, target, ok := lookupModel(strings.TrimSpace(in.Model))
		if !ok {
			sug := suggest(in.Model, 5)
			err := bad("model", "modèle inconnu « %s » ; les plus proches : %s", "unknown model %q; closest: %s",
				in.Model, strings.Join(sug, ", "))
			ie := err.(*vigie.Error).Err.(*InputError)
			ie.Code, ie.Suggestions = "model-not-registered", sug
			return nil, err
		}
		ri.Model = &ModelRef{Model: mod.clone(), Requested: in.Model, AliasOf: target}
		ri.ParamsActive, ri.ParamsTotal = mod.ParamsActive, mod.ParamsTotal
		ri.Provider = mod.Provider
		provider = cat.providers[mod.Provider]
		for _, w := range mod.Warnings {
			t, ok := warningTexts[w]
			if !ok {
				t = Text{FR: w, EN: w}
			}
			res.Warnings = append(res.Warnings, Warning{Code: w, Text: t})
		}
	case in.ParamsActive != nil || in.ParamsTotal != nil:
		if err := positive("params_active", in.ParamsActive); err != nil {
			return nil, err
		}
		if err := positive("params_total", in.ParamsTotal); err != nil {
			return nil, err
		}
		a, t := in.ParamsActive, in.ParamsTotal
		if a == nil {
			a = t
		}
		if t == nil {
			t = a
		}
		if t.Min < a.Min || t.Max < a.Max {
			return nil, bad("params_total", "les paramètres totaux (%s) ne peuvent être inférieurs aux paramètres actifs (%s)",
				"total parameters (%s) cannot be below active parameters (%s)", t.String(), a.String())
		}
		ri.ParamsActive, ri.ParamsTotal = *a, *t
	default:
		return nil, bad("model", "un modèle ou des paramètres sont requis", "a model or parameters are required")
	}

	// Tokens.
	if !(in.OutputTokens.Min > 0) || !(in.OutputTokens.Min <= in.OutputTokens.Max) || math.IsInf(in.OutputTokens.Max, 0) {
		return nil, bad("output_tokens", "le nombre de jetons de sortie doit être strictement positif (reçu %s)",
			"output tokens must be positive (got %s)", in.OutputTokens.String())
	}
	ri.OutputTokens = in.OutputTokens
	if err := positive("input_tokens", in.InputTokens); err != nil {
		return nil, err
	}
	ri.InputTokens = clonePtr(in.InputTokens)

	// Zone.
	code := strings.ToUpper(strings.TrimSpace(in.Zone))
	if code == "" {
		code, ri.ZoneDefaulted = "WOR", true
	}
	zone, ok := cat.zones[m.Zones][code]
	if !ok {
		err := bad("zone", "zone électrique inconnue « %s » pour la méthode %s (connues : %s)",
			"unknown electricity zone %q for method %s (known: %s)", in.Zone, m.Name, strings.Join(ZoneCodes(m.Name), ", "))
		err.(*vigie.Error).Err.(*InputError).Code = "zone-not-registered"
		return nil, err
	}
	ri.Zone, ri.ZoneDataset = zone.clone(), m.Zones

	// Data-centre settings.
	if in.PUE != nil {
		if !(in.PUE.Min >= 1) || !(in.PUE.Min <= in.PUE.Max) || math.IsInf(in.PUE.Max, 0) {
			return nil, bad("pue", "le PUE doit être supérieur ou égal à 1 (reçu %s)", "PUE must be at least 1 (got %s)", in.PUE.String())
		}
		ri.PUE = Setting{*in.PUE, "input"}
	} else if m.ProviderDefaults {
		p := provider
		if p == nil {
			p = cat.generic
		}
		ri.PUE = Setting{p.PUE, p.Source}
	} else {
		c := m.Constants["pue"]
		ri.PUE = Setting{Exact(c.Value), c.Source}
	}
	if in.WUE != nil && (!(in.WUE.Min >= 0) || !(in.WUE.Min <= in.WUE.Max) || math.IsInf(in.WUE.Max, 0)) {
		return nil, bad("wue", "l'eau sur site (WUE) doit être positive ou nulle (reçu %s)", "on-site water (WUE) must be zero or more (got %s)", in.WUE.String())
	}
	if provider != nil {
		ri.ProviderZone = provider.Zone
	}
	if m.Water {
		switch {
		case in.WUE != nil:
			ri.WUE = &Setting{*in.WUE, "input"}
		case provider != nil:
			ri.WUE = &Setting{provider.WUE, provider.Source}
		default:
			ri.WUE = &Setting{cat.generic.WUE, cat.generic.Source}
		}
	}
	if in.LatencyS != nil {
		if !(*in.LatencyS > 0) || math.IsInf(*in.LatencyS, 0) {
			return nil, bad("latency", "la latence doit être un nombre de secondes strictement positif (reçu %g)",
				"latency must be a positive number of seconds (got %g)", *in.LatencyS)
		}
		v := *in.LatencyS
		ri.LatencyS = &v
	}

	// Number of requests.
	for _, f := range []struct {
		name string
		r    *Range
	}{{"requests", in.Requests}, {"users", in.Users}, {"requests_per_day", in.RequestsPerDay}, {"days", in.Days},
		{"images", in.Images}, {"classifications", in.Classifications}} {
		if err := positive(f.name, f.r); err != nil {
			return nil, err
		}
	}
	ri.Images, ri.Classifications = clonePtr(in.Images), clonePtr(in.Classifications)
	form := in.Users != nil || in.RequestsPerDay != nil || in.Days != nil
	switch {
	case in.Requests != nil && form:
		return nil, bad("requests", "donner soit un nombre de requêtes, soit utilisateurs × requêtes par jour × jours, pas les deux",
			"give either a request count or users × requests per day × days, not both")
	case form:
		for _, f := range []struct {
			name string
			r    *Range
		}{{"requests_per_day", in.RequestsPerDay}, {"days", in.Days}} {
			if f.r == nil {
				return nil, bad(f.name, "requis avec les requêtes par jour et les jours (et, au choix, les utilisateurs)",
					"required with requests per day and days (and, optionally, users)")
			}
		}
		if in.Days.Max > 366 {
			return nil, bad("days", "nombre de jours d'utilisation dans l'année, au plus 366 (reçu %s)",
				"days of use in a year, at most 366 (got %s)", in.Days.String())
		}
		ri.Users, ri.RequestsPerDay, ri.Days = clonePtr(in.Users), clonePtr(in.RequestsPerDay), clonePtr(in.Days)
		// Without users, requests per day are those of the whole deployment.
		ri.Requests = in.RequestsPerDay.Mul(*in.Days)
		if in.Users != nil {
			ri.Requests = in.Users.Mul(ri.Requests)
		}
	case in.Requests != nil:
		ri.Requests = *in.Requests
	default:
		ri.Requests = Exact(1)
	}

	// The chain, twice.
	lat := math.Inf(1)
	if ri.LatencyS != nil {
		lat = *ri.LatencyS
	}
	ci := chainIn{pAct: ri.ParamsActive, pTot: ri.ParamsTotal, tOut: ri.OutputTokens, pue: ri.PUE.Range, lat: lat}
	if ri.WUE != nil {
		ci.wue = ri.WUE.Range
	}
	lo, hi := ci.run(m, zone, ri.WUE != nil)
	rg := func(f func(p pass) float64) Range { return Range{f(lo), f(hi)} }
	st := &res.Steps
	st.EnergyPerTokenWh = rg(func(p pass) float64 { return p.fE })
	st.LatencyPerTokenS = rg(func(p pass) float64 { return p.fL })
	st.LatencyS = rg(func(p pass) float64 { return p.dT })
	st.MemoryGB = rg(func(p pass) float64 { return p.mem })
	st.GPURequired = rg(func(p pass) float64 { return p.need })
	st.GPUCount = rg(func(p pass) float64 { return p.gpu })
	st.EnergyGPUKWh = rg(func(p pass) float64 { return p.eGPU })
	st.EnergyServerKWh = rg(func(p pass) float64 { return p.eSrv })
	st.EnergyRequestKWh = rg(func(p pass) float64 { return p.eReq })
	st.HardwareGWPKg = rg(func(p pass) float64 { return p.iGWP })
	st.HardwareADPeKgSb = rg(func(p pass) float64 { return p.iADPe })
	st.HardwarePEMJ = rg(func(p pass) float64 { return p.iPE })
	st.EmbodiedShareNote = "latency_s · hardware / (batch_size · lifetime_s)"
	split := func(u, e func(p pass) float64) Split {
		return Split{Range: rg(func(p pass) float64 { return u(p) + e(p) }), Usage: rg(u), Embodied: rg(e)}
	}
	pr := &res.PerRequest
	pr.EnergyKWh = st.EnergyRequestKWh
	pr.GWP = split(func(p pass) float64 { return p.gwpU }, func(p pass) float64 { return p.gwpE })
	pr.ADPe = split(func(p pass) float64 { return p.adpeU }, func(p pass) float64 { return p.adpeE })
	pr.PE = split(func(p pass) float64 { return p.peU }, func(p pass) float64 { return p.peE })
	if lo.hasWater {
		on, off := rg(func(p pass) float64 { return p.wOn }), rg(func(p pass) float64 { return p.wOff })
		st.WaterOnsiteL, st.WaterOffsiteL = &on, &off
		w := on.Add(off)
		pr.Water = &w
	}

	// Deployment totals.
	res.Total = pr.scale(ri.Requests)
	if form {
		if in.Users != nil {
			pu := pr.scale(in.RequestsPerDay.Mul(*in.Days))
			res.PerUser = &pu
		}
		py := res.Total
		res.PerYear = &py
	}

	res.RangeDrivers = drivers(m, zone, ci, ri.WUE != nil, ri.Requests)
	res.Extensions = extensions(m, ri, zone, res.Inputs.Requests)
	res.Equivalents = equivalents(res)
	res.Warnings = append(res.Warnings, methodWarnings(m, ri)...)
	return res, nil
}

func methodWarnings(m *Method, ri *Resolved) []Warning {
	var ws []Warning
	if !m.Water {
		ws = append(ws, Warning{"water-not-computed", Text{
			FR: "Cette méthode ne calcule pas l'eau (les anciennes versions d'EcoLogits n'avaient pas de facteur d'eau par zone).",
			EN: "This method does not compute water (legacy EcoLogits releases had no water factor per zone).",
		}})
	}
	if !m.Default {
		ws = append(ws, Warning{"legacy-constants", Text{
			FR: "Ancien jeu de constantes : les chiffres sont d'un à deux ordres de grandeur au-dessus de la version 0.9 (surtout à cause du traitement par lots, B = 64) ; ne jamais mélanger les chiffres des deux jeux sans les nommer. La table des modèles est celle de la version 0.9.1.",
			EN: "Legacy constant set: figures are one to two orders of magnitude above release 0.9 (mostly through batching, B = 64); never mix figures from the two sets without naming them. The model table is that of release 0.9.1.",
		}})
	}
	if m.ProviderDefaults && ri.ZoneDefaulted && ri.ProviderZone != "" && ri.ProviderZone != ri.Zone.Code {
		ws = append(ws, Warning{"zone-default", Text{
			FR: fmt.Sprintf("Zone par défaut WOR (monde) ; EcoLogits 0.9.1 situe ce fournisseur en %s : choisir la zone %s pour l'utiliser.", ri.ProviderZone, ri.ProviderZone),
			EN: fmt.Sprintf("Default zone WOR (world); EcoLogits 0.9.1 places this provider in %s: choose zone %s to use it.", ri.ProviderZone, ri.ProviderZone),
		}})
	}
	if ri.InputTokens == nil {
		ws = append(ws, Warning{"input-tokens-ignored", Text{
			FR: "La méthode EcoLogits ignore les jetons d'entrée ; de longues entrées (transcriptions, documents) peuvent dominer : donner le nombre de jetons d'entrée par requête pour les compter.",
			EN: "The EcoLogits method ignores input tokens; long inputs (transcripts, documents) can dominate: give the number of input tokens per request to count them.",
		}})
	}
	return ws
}
