package footprint

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// ZoneName returns the name of an electricity zone in lang ("fr" or "en"):
// the country for an ISO 3166-1 alpha-3 code, "Monde"/"World" for WOR.
func ZoneName(code, lang string) string {
	switch code {
	case "WOR":
		return Text{"Monde", "World"}.In(lang)
	case "EEE":
		return "Europe"
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	tag := language.French
	if lang == "en" {
		tag = language.English
	}
	if n := display.Regions(tag).Name(r); n != "" {
		return n
	}
	return code
}

// unit is one step of a ladder of units for a quantity.
type unit struct {
	factor float64 // multiply the base value by factor
	below  float64 // use this unit when the base value is below this
	fr, en string
}

var ladders = map[string][]unit{
	"energy_kwh":  {{1e6, 1e-6, "mWh", "mWh"}, {1e3, 1, "Wh", "Wh"}, {1, 1e3, "kWh", "kWh"}, {1e-3, 1e6, "MWh", "MWh"}, {1e-6, math.Inf(1), "GWh", "GWh"}},
	"gwp_kgco2e":  {{1e6, 1e-3, "mg CO2e", "mg CO2e"}, {1e3, 1, "g CO2e", "g CO2e"}, {1, 1e3, "kg CO2e", "kg CO2e"}, {1e-3, 1e6, "t CO2e", "t CO2e"}, {1e-6, math.Inf(1), "kt CO2e", "kt CO2e"}},
	"adpe_kgsbeq": {{1e9, 1e-6, "µg Sb éq", "µg Sb eq"}, {1e6, 1e-3, "mg Sb éq", "mg Sb eq"}, {1e3, 1, "g Sb éq", "g Sb eq"}, {1, math.Inf(1), "kg Sb éq", "kg Sb eq"}},
	"pe_mj":       {{1e3, 1, "kJ", "kJ"}, {1, 1e3, "MJ", "MJ"}, {1e-3, 1e6, "GJ", "GJ"}, {1e-6, math.Inf(1), "TJ", "TJ"}},
	"water_l":     {{1e3, 1, "mL", "mL"}, {1, 1e3, "L", "L"}, {1e-3, math.Inf(1), "m³", "m³"}},
}

// formatNumber writes x with three significant digits, French or English
// separators.
func formatNumber(x float64, lang string) string {
	dec, sep := ",", "\u202f"
	if lang == "en" {
		dec, sep = ".", ","
	}
	if x == 0 {
		return "0"
	}
	ax := math.Abs(x)
	if ax < 1e-4 {
		s := strconv.FormatFloat(x, 'e', 2, 64)
		return strings.Replace(s, ".", dec, 1)
	}
	if ax >= 1000 {
		mag := math.Pow(10, math.Floor(math.Log10(ax))-2)
		n := strconv.FormatFloat(math.Round(x/mag)*mag, 'f', 0, 64)
		var b strings.Builder
		for i, c := range n {
			if i > 0 && (len(n)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(c)
		}
		return b.String()
	}
	d := max(0, 2-int(math.Floor(math.Log10(ax))))
	s := strconv.FormatFloat(x, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return strings.Replace(s, ".", dec, 1)
}

// FormatRange writes a range of the quantity q (energy_kwh, gwp_kgco2e,
// adpe_kgsbeq, pe_mj, water_l) in a readable unit, e.g. "0,354 Wh" or
// "41,1 – 44,1 mg CO2e".
func FormatRange(r Range, q, lang string) string {
	ladder, ok := ladders[q]
	if !ok {
		return formatRangeIn(r, 1, "", lang)
	}
	u := ladder[len(ladder)-1]
	for _, c := range ladder {
		if r.Max < c.below {
			u = c
			break
		}
	}
	name := u.fr
	if lang == "en" {
		name = u.en
	}
	return formatRangeIn(r, u.factor, name, lang)
}

func formatRangeIn(r Range, factor float64, unit, lang string) string {
	s := formatNumber(r.Min*factor, lang)
	if a, b := s, formatNumber(r.Max*factor, lang); a != b {
		s = a + " – " + b
	}
	if unit != "" {
		s += " " + unit
	}
	return s
}

// WriteText writes the result as text in lang ("fr", the default, or "en").
func (r *Result) WriteText(w io.Writer, lang string) error {
	if lang != "en" {
		lang = "fr"
	}
	var bw strings.Builder
	t := func(fr, en string) string { return Text{fr, en}.In(lang) }
	p := func(format string, args ...any) { fmt.Fprintf(&bw, format, args...) }
	num := func(x Range) string { return formatRangeIn(x, 1, "", lang) }
	in := r.Inputs

	p("%s\n", t("Empreinte environnementale de requêtes d'IA générative", "Environmental footprint of generative-AI requests"))
	p("%s : %s [%s]\n", t("Méthode", "Method"), r.MethodLabel.In(lang), r.Method)
	if in.Model != nil {
		m := in.Model
		name := m.Name
		if m.AliasOf != "" {
			name = m.Requested + " → " + m.Name
		}
		p("%s : %s (%s, %s)\n", t("Modèle", "Model"), name, m.Provider, m.Architecture)
	}
	p("%s : %s %s, %s %s\n", t("Paramètres", "Parameters"), num(in.ParamsActive), t("milliards actifs", "billion active"),
		num(in.ParamsTotal), t("au total", "in total"))
	p("%s : %s", t("Jetons de sortie par requête", "Output tokens per request"), num(in.OutputTokens))
	if in.InputTokens != nil {
		p(" ; %s : %s", t("jetons d'entrée", "input tokens"), num(*in.InputTokens))
	}
	p("\n")
	zoneNote := ""
	if in.ZoneDefaulted {
		zoneNote = t(", par défaut", ", default")
	}
	p("%s : %s (%s%s) ; PUE %s", t("Zone électrique", "Electricity zone"), in.Zone.Code, ZoneName(in.Zone.Code, lang), zoneNote, num(in.PUE.Range))
	if in.WUE != nil {
		p(" ; %s %s L/kWh", t("eau sur site", "on-site water"), num(in.WUE.Range))
	}
	p("\n")
	if in.LatencyS != nil {
		p("%s : %s s\n", t("Latence mesurée", "Measured latency"), formatNumber(*in.LatencyS, lang))
	}
	if in.Users != nil {
		p("%s : %s %s × %s %s × %s %s = %s\n", t("Requêtes", "Requests"),
			num(*in.Users), t("utilisateurs", "users"), num(*in.RequestsPerDay), t("requêtes par jour", "requests per day"),
			num(*in.Days), t("jours par an", "days a year"), num(in.Requests))
	} else if in.RequestsPerDay != nil {
		p("%s : %s %s × %s %s = %s\n", t("Requêtes", "Requests"),
			num(*in.RequestsPerDay), t("requêtes par jour", "requests per day"),
			num(*in.Days), t("jours par an", "days a year"), num(in.Requests))
	} else {
		p("%s : %s\n", t("Requêtes", "Requests"), num(in.Requests))
	}
	p("%s : %s ; %s : %s %s ; %s : %s s\n", t("GPU", "GPUs"), num(r.Steps.GPUCount),
		t("mémoire", "memory"), formatRangeIn(r.Steps.MemoryGB, 1, "", lang), t("Go", "GB"),
		t("durée de génération", "generation time"), formatRangeIn(r.Steps.LatencyS, 1, "", lang))

	block := func(title string, im Impacts) {
		p("\n%s\n", title)
		p("  %-22s %s\n", t("énergie", "energy"), FormatRange(im.EnergyKWh, "energy_kwh", lang))
		for _, s := range []struct {
			fr, en, q string
			v         Split
		}{
			{"gaz à effet de serre", "greenhouse gases", "gwp_kgco2e", im.GWP},
			{"métaux (ADPe)", "metals (ADPe)", "adpe_kgsbeq", im.ADPe},
			{"énergie primaire", "primary energy", "pe_mj", im.PE},
		} {
			p("  %-22s %s  (%s %s ; %s %s)\n", t(s.fr, s.en), FormatRange(s.v.Range, s.q, lang),
				t("usage", "usage"), FormatRange(s.v.Usage, s.q, lang),
				t("fabrication", "embodied"), FormatRange(s.v.Embodied, s.q, lang))
		}
		if im.Water != nil {
			p("  %-22s %s\n", t("eau", "water"), FormatRange(*im.Water, "water_l", lang))
		} else {
			p("  %-22s %s\n", t("eau", "water"), t("non calculée par cette méthode", "not computed by this method"))
		}
	}
	block(t("Par requête", "Per request"), r.PerRequest)
	if r.PerUser != nil {
		block(t("Par utilisateur et par an", "Per user and year"), *r.PerUser)
	}
	if r.PerYear != nil {
		block(t("Par an (total)", "Per year (total)"), *r.PerYear)
	} else if !in.Requests.IsExact() || in.Requests.Min != 1 {
		block(t("Total", "Total"), r.Total)
	}

	if len(r.RangeDrivers) > 0 {
		var parts []string
		for _, d := range r.RangeDrivers {
			x := d.GWPRatio
			if d.Input == "wue" && d.WaterRatio != nil {
				x = *d.WaterRatio
			}
			parts = append(parts, fmt.Sprintf("%s (× %s)", d.Label.In(lang), formatNumber(x, lang)))
		}
		p("\n%s : %s\n", t("Ce qui élargit la plage (max/min, une hypothèse à la fois ; eau pour le WUE, GES sinon)",
			"What widens the range (max/min, one assumption at a time; water for WUE, GHG otherwise)"), strings.Join(parts, ", "))
	}

	if len(r.Extensions) > 0 {
		p("\n%s\n", t("Au-delà d'EcoLogits — estimations plus grossières, non additionnées au chiffre EcoLogits",
			"Beyond EcoLogits — coarser estimates, not added into the EcoLogits figure"))
		for _, x := range r.Extensions {
			p("  %s\n", x.Label.In(lang))
			for _, b := range []struct {
				fr, en string
				im     Impacts
			}{{"par requête", "per request", x.PerRequest}, {"total", "total", x.Total}} {
				p("    %-12s %s ; %s", t(b.fr, b.en), FormatRange(b.im.EnergyKWh, "energy_kwh", lang), FormatRange(b.im.GWP.Range, "gwp_kgco2e", lang))
				if b.im.Water != nil {
					p(" ; %s %s", t("eau", "water"), FormatRange(*b.im.Water, "water_l", lang))
				}
				p("\n")
			}
			p("    %s : %s\n", t("Hypothèse", "Assumption"), x.Assumption.In(lang))
			p("    %s : %s\n", t("Sources", "Sources"), strings.Join(x.Sources, " ; "))
		}
	}

	if len(r.Equivalents) > 0 {
		p("\n%s\n", t("Équivalents (énergie)", "Equivalents (energy)"))
		for _, q := range r.Equivalents {
			p("  %s %s %s", t("par requête :", "per request:"), num(q.PerRequest), q.Label.In(lang))
			if !in.Requests.IsExact() || in.Requests.Min != 1 {
				p(" ; %s %s", t("total :", "total:"), num(q.Total))
			}
			p("\n    %s %s kWh — %s\n", t("facteur", "factor"), formatNumber(q.Factor.Value, lang), q.Factor.Source)
		}
	}

	p("\n%s\n", t("Chiffres publiés, à lire à côté (méthodes et périmètres différents : pas directement comparables)",
		"Published figures, to read alongside (different methods and scopes: not directly comparable)"))
	for _, a := range r.Anchors {
		ref := a.Source
		if a.DOI != "" {
			ref += ", doi:" + a.DOI
		} else if a.URL != "" {
			ref += ", " + a.URL
		}
		p("  • %s\n    [%s] — %s\n", a.Figure.In(lang), a.Scope.In(lang), ref)
	}

	if len(r.Warnings) > 0 {
		p("\n%s\n", t("Avertissements", "Warnings"))
		for _, wn := range r.Warnings {
			p("  ! %s\n", wn.Text.In(lang))
		}
	}
	p("\n%s\n", r.Scope.In(lang))
	p("%s\n", t("Méthode : EcoLogits de GenAI Impact (Rincé & Banse, JOSS 10(111):7471, 2025, doi:10.21105/joss.07471), réimplémentée dans vigie à partir de sa description publiée ; tables de données d'EcoLogits 0.9.1 (MPL-2.0).",
		r.Credit))
	out := bw.String()
	if lang == "en" {
		// The formats use French punctuation spacing; English has none.
		out = strings.NewReplacer(" : ", ": ", " ; ", "; ").Replace(out)
	}
	_, err := io.WriteString(w, out)
	return err
}
