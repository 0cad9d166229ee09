package footprint

import "fmt"

// usageOnly turns an energy range at the wall (kWh, PUE included) into
// usage impacts with the zone's factors, water as in the method (step 8).
func usageOnly(e Range, pue Range, wue *Setting, z *Zone, water bool) Impacts {
	im := Impacts{EnergyKWh: e}
	im.GWP = Split{Range: e.Scale(z.GWP.Value), Usage: e.Scale(z.GWP.Value)}
	im.ADPe = Split{Range: e.Scale(z.ADPe.Value), Usage: e.Scale(z.ADPe.Value)}
	im.PE = Split{Range: e.Scale(z.PE.Value), Usage: e.Scale(z.PE.Value)}
	if water && wue != nil && z.WUE != nil {
		w := Range{
			e.Min * (wue.Min + pue.Min*z.WUE.Value),
			e.Max * (wue.Max + pue.Max*z.WUE.Value),
		}
		im.Water = &w
	}
	return im
}

func extensions(m *Method, ri *Resolved, z *Zone, requests Range) []Extension {
	out := []Extension{}
	x := cat.ext
	pue := ri.PUE.Range
	add := func(id string, label, assumption Text, sources []string, gpuKWh Range) {
		per := usageOnly(gpuKWh.Mul(pue), pue, ri.WUE, z, m.Water)
		out = append(out, Extension{ID: id, Label: label, Assumption: assumption, Sources: sources,
			PerRequest: per, Total: per.scale(requests)})
	}
	if ri.InputTokens != nil {
		p := x.Prefill
		// Energy per input token (J) = 2·P_act·1e9 FLOP × (W / peak FLOP/s) / utilisation.
		jPerFLOP := p.PowerW.Value / p.PeakFLOPs.Value
		perToken := func(pAct, util float64) float64 {
			return p.FLOPsPerParam.Value * pAct * 1e9 * jPerFLOP / util / 3.6e6 // kWh
		}
		e := Range{
			ri.InputTokens.Min * perToken(ri.ParamsActive.Min, p.Utilisation.Max),
			ri.InputTokens.Max * perToken(ri.ParamsActive.Max, p.Utilisation.Min),
		}
		add("prefill",
			Text{FR: "Jetons d'entrée (préremplissage), hors EcoLogits", EN: "Input (prefill) tokens, beyond EcoLogits"},
			Text{
				FR: fmt.Sprintf("≈ %s FLOP par paramètre actif et par jeton d'entrée ; GPU H100 à %s W pour %s TFLOP/s de crête, utilisé à %s–%s %% de sa crête (hypothèse vigie) ; énergie des GPU seulement, × PUE ; sans part fabriquée.",
					formatNumber(p.FLOPsPerParam.Value, "fr"), formatNumber(p.PowerW.Value, "fr"), formatNumber(p.PeakFLOPs.Value/1e12, "fr"),
					formatNumber(p.Utilisation.Min*100, "fr"), formatNumber(p.Utilisation.Max*100, "fr")),
				EN: fmt.Sprintf("≈ %g FLOPs per active parameter per input token; H100 GPU at %g W for %.4g TFLOP/s peak, used at %g–%g %% of its peak (vigie assumption); GPU energy only, × PUE; no embodied share.",
					p.FLOPsPerParam.Value, p.PowerW.Value, p.PeakFLOPs.Value/1e12, p.Utilisation.Min*100, p.Utilisation.Max*100),
			},
			[]string{p.FLOPsPerParam.Source, p.PeakFLOPs.Source, p.PowerW.Source, p.Utilisation.Source},
			e)
	}
	if ri.Images != nil {
		f := x.ImageGeneration
		add("image_generation",
			Text{FR: "Génération d'images (estimation grossière, d'après des mesures publiées)", EN: "Image generation (coarse estimate, from published measurements)"},
			Text{
				FR: "Par image : de 2,907 kWh pour 1 000 images (moyenne des modèles mesurés) à 11,49 kWh (pire modèle), sur A100, GPU seulement ; × PUE et facteurs de la zone ; sans part fabriquée.",
				EN: "Per image: from 2.907 kWh per 1,000 images (mean of the measured models) to 11.49 kWh (worst model), on A100, GPU only; × PUE and the zone's factors; no embodied share.",
			},
			[]string{f.Source}, f.EnergyPerImage.Mul(*ri.Images))
	}
	if ri.Classifications != nil {
		f := x.TextClassification
		add("text_classification",
			Text{FR: "Classification de texte (estimation grossière, d'après des mesures publiées)", EN: "Text classification (coarse estimate, from published measurements)"},
			Text{
				FR: "Par inférence : ≈ 0,002 kWh pour 1 000 classifications (moyenne mesurée sur A100, GPU seulement) ; × PUE et facteurs de la zone ; sans part fabriquée ; ordre de grandeur.",
				EN: "Per inference: ≈ 0.002 kWh per 1,000 classifications (mean measured on A100, GPU only); × PUE and the zone's factors; no embodied share; order of magnitude.",
			},
			[]string{f.Source}, f.EnergyPerInference.Mul(*ri.Classifications))
	}
	return out
}

func equivalents(res *Result) []Equivalent {
	out := []Equivalent{}
	for _, f := range cat.ext.Equivalents {
		if f.Quantity != "energy_kwh" {
			continue
		}
		out = append(out, Equivalent{
			ID: f.ID, Label: f.Label,
			Factor:     Value{Value: f.Value, Unit: f.Unit, Source: f.Source, Date: f.Date},
			PerRequest: res.PerRequest.EnergyKWh.Scale(1 / f.Value),
			Total:      res.Total.EnergyKWh.Scale(1 / f.Value),
		})
	}
	return out
}
