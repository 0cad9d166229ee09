package footprint

import "math"

// point holds the scalar inputs of one pass of the chain: the lower pass
// takes every input at its minimum, the upper pass at its maximum. Every step
// of the method is non-decreasing in every input, so this reproduces the
// EcoLogits range semantics (docs/footprint.md).
type point struct {
	pAct, pTot float64 // billions
	tOut       float64 // output tokens
	pue, wueDC float64
	latReq     float64 // +Inf when absent
	gwp, adpe  float64 // zone factors per kWh
	pe, wueMix float64
	hasWater   bool
}

// pass is the result of one pass: every intermediate of §2.
type pass struct {
	fE       float64 // energy per output token, Wh/token (one GPU)
	fL       float64 // latency per output token, s/token
	dT       float64 // generation latency, s
	mem      float64 // GB
	need     float64 // ⌈M/M_gpu⌉
	gpu      float64 // GPU count
	eGPU     float64 // kWh, one GPU
	eSrv     float64 // kWh, server without GPUs
	eReq     float64 // kWh, with PUE
	gwpU     float64 // kgCO2e
	adpeU    float64 // kgSbeq
	peU      float64 // MJ
	wOn      float64 // L, E_req·WUE_dc
	wOff     float64 // L, E_req·PUE·WUE_mix
	iGWP     float64 // kgCO2e, hardware share I_srv
	iADPe    float64
	iPE      float64
	gwpE     float64 // embodied share of the request
	adpeE    float64
	peE      float64
	hasWater bool
}

// z95 is the two-sided 95 % normal quantile used by EcoLogits' legacy ranges.
const z95 = 1.96

// run computes one pass of the chain with the method's constants.
func (m *Method) run(p point, upper bool) pass {
	var r pass
	B := m.k("batch_size")
	switch m.EnergyModel {
	case "exp":
		// 1. f_E = α·e^(β·B)·P_act + γ (Wh/token); E_gpu = T·f_E/1000 (kWh).
		r.fE = m.k("energy_alpha")*math.Exp(m.k("energy_beta")*B)*p.pAct + m.k("energy_gamma")
		r.eGPU = p.tOut * r.fE / 1000
		// 2. f_L = a·P_act + b·B + c; ΔT = min(T·f_L, ΔT_req).
		r.fL = m.k("latency_a")*p.pAct + m.k("latency_b")*B + m.k("latency_c")
		r.dT = math.Min(p.tOut*r.fL, p.latReq)
	default: // linear legacy fits, in kWh/token, with a ±1.96σ range
		mean := m.k("energy_slope")*p.pAct + m.k("energy_intercept")
		sd := m.k("energy_stdev")
		if upper {
			r.eGPU = p.tOut * (mean + z95*sd)
		} else {
			r.eGPU = math.Max(0, p.tOut*(mean-z95*sd))
		}
		r.fE = r.eGPU / p.tOut * 1000
		lmean := m.k("latency_slope")*p.pAct + m.k("latency_intercept")
		lsd := m.k("latency_stdev")
		lo := math.Max(0, p.tOut*(lmean-z95*lsd))
		hi := p.tOut * (lmean + z95*lsd)
		// The fitted range is used when its max is below ΔT_req, else ΔT_req.
		switch {
		case hi >= p.latReq:
			r.dT = p.latReq
		case upper:
			r.dT = hi
		default:
			r.dT = lo
		}
		if upper {
			r.fL = lmean + z95*lsd
		} else {
			r.fL = math.Max(0, lmean-z95*lsd)
		}
	}
	// 3. M = 1.2·P_tot·Q/8; 4. GPU count.
	r.mem = m.k("memory_overhead") * p.pTot * m.k("quantization_bits") / 8
	r.need = math.Max(1, math.Ceil(r.mem/m.k("gpu_memory_gb")))
	r.gpu = r.need
	if m.GPURounding == "power-of-two" {
		g := 1.0
		for g < r.need {
			g *= 2
		}
		r.gpu = g
	}
	N := m.k("server_gpus")
	// 5. E_srv = (ΔT/3600)·W_srv·(GPU/N_gpu)·(1/B); 6. E_req = PUE·(E_srv + GPU·E_gpu).
	r.eSrv = r.dT / 3600 * m.k("server_power_kw") * (r.gpu / N) / B
	r.eReq = p.pue * (r.eSrv + r.gpu*r.eGPU)
	// 7. Usage impacts.
	r.gwpU = r.eReq * p.gwp
	r.adpeU = r.eReq * p.adpe
	r.peU = r.eReq * p.pe
	// 8. Water as coded in EcoLogits 0.9.1: E_req already holds PUE, so the
	// off-site term carries PUE twice.
	if m.Water && p.hasWater {
		r.hasWater = true
		r.wOn = r.eReq * p.wueDC
		r.wOff = r.eReq * p.pue * p.wueMix
	}
	// 9. Hardware share; 10. embodied share of the request, by time.
	r.iGWP = r.gpu/N*m.k("server_gwp") + r.gpu*m.k("gpu_gwp")
	r.iADPe = r.gpu/N*m.k("server_adpe") + r.gpu*m.k("gpu_adpe")
	r.iPE = r.gpu/N*m.k("server_pe") + r.gpu*m.k("gpu_pe")
	share := r.dT / (B * m.k("lifetime_s"))
	r.gwpE = r.iGWP * share
	r.adpeE = r.iADPe * share
	r.peE = r.iPE * share
	return r
}
