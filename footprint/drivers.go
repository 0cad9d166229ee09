package footprint

import "sort"

// chainIn are the ranged inputs of the chain.
type chainIn struct {
	pAct, pTot, tOut, pue, wue Range
	lat                        float64 // +Inf when absent
}

func (c chainIn) point(z *Zone, water, upper bool) point {
	p := point{
		pAct: c.pAct.bound(upper), pTot: c.pTot.bound(upper), tOut: c.tOut.bound(upper),
		pue: c.pue.bound(upper), latReq: c.lat,
		gwp: z.GWP.Value, adpe: z.ADPe.Value, pe: z.PE.Value,
	}
	if water && z.WUE != nil {
		p.hasWater, p.wueDC, p.wueMix = true, c.wue.bound(upper), z.WUE.Value
	}
	return p
}

// run computes the lower and the upper pass.
func (c chainIn) run(m *Method, z *Zone, water bool) (lo, hi pass) {
	return m.run(c.point(z, water, false), false), m.run(c.point(z, water, true), true)
}

// Driver tells how much one input alone widens the range: the ratio max/min
// of the total when only that input varies and the others stay at their
// minimum (docs/footprint.md).
type Driver struct {
	Input      string   `json:"input"`
	Label      Text     `json:"label"`
	GWPRatio   float64  `json:"gwp_ratio"`
	WaterRatio *float64 `json:"water_ratio"`
}

func drivers(m *Method, z *Zone, c chainIn, water bool, requests Range) []Driver {
	out := []Driver{}
	base := chainIn{pAct: Exact(c.pAct.Min), pTot: Exact(c.pTot.Min), tOut: Exact(c.tOut.Min),
		pue: Exact(c.pue.Min), wue: Exact(c.wue.Min), lat: c.lat}
	add := func(id string, label Text, lo, hi pass, k Range) {
		d := Driver{Input: id, Label: label}
		if g := (lo.gwpU + lo.gwpE) * k.Min; g > 0 {
			d.GWPRatio = (hi.gwpU + hi.gwpE) * k.Max / g
		}
		if lo.hasWater {
			if w := (lo.wOn + lo.wOff) * k.Min; w > 0 {
				r := (hi.wOn + hi.wOff) * k.Max / w
				d.WaterRatio = &r
			}
		}
		out = append(out, d)
	}
	// The legacy fits carry their own ±1.96σ range, even with exact inputs.
	if lo, hi := base.run(m, z, water); hi.eReq != lo.eReq {
		add("fit", Text{FR: "incertitude des ajustements de la méthode", EN: "uncertainty of the method's fits"}, lo, hi, Exact(1))
	}
	vary := []struct {
		id    string
		label Text
		set   func(*chainIn)
		on    bool
	}{
		{"params", Text{FR: "paramètres du modèle", EN: "model parameters"},
			func(x *chainIn) { x.pAct, x.pTot = c.pAct, c.pTot }, !c.pAct.IsExact() || !c.pTot.IsExact()},
		{"output_tokens", Text{FR: "jetons de sortie", EN: "output tokens"}, func(x *chainIn) { x.tOut = c.tOut }, !c.tOut.IsExact()},
		{"pue", Text{FR: "PUE du centre de données", EN: "data-centre PUE"}, func(x *chainIn) { x.pue = c.pue }, !c.pue.IsExact()},
		{"wue", Text{FR: "eau sur site (WUE)", EN: "on-site water (WUE)"}, func(x *chainIn) { x.wue = c.wue }, water && !c.wue.IsExact()},
	}
	for _, v := range vary {
		if !v.on {
			continue
		}
		x := base
		v.set(&x)
		lo, hi := x.run(m, z, water)
		add(v.id, v.label, lo, hi, Exact(1))
	}
	if !requests.IsExact() {
		lo, _ := base.run(m, z, water)
		add("requests", Text{FR: "nombre de requêtes", EN: "number of requests"}, lo, lo, requests)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].GWPRatio > out[j].GWPRatio })
	return out
}
