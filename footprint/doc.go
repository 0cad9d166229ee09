// Package footprint estimates the environmental footprint of generative-AI
// text requests with the EcoLogits method, then scales it to a deployment.
//
// # Method and credit
//
// The method is EcoLogits by GenAI Impact (S. Rincé and A. Banse,
// "EcoLogits: Evaluating the Environmental Impacts of Generative AI", JOSS
// 10(111):7471, 2025, doi:10.21105/joss.07471; methodology CC BY-SA 4.0),
// written here from its published description as restated in vigie's
// docs/footprint.md, not ported from its code. For one request:
// energy per output token (a fit on the active parameters and the batch
// size), latency, memory and GPU count (from the total parameters), the
// server's share, PUE, usage impacts from the electricity zone's factors,
// water as EcoLogits 0.9.1 codes it (E_req·(WUE_dc + PUE·WUE_mix), so that the
// off-site term carries PUE twice, since E_req already holds it), and the
// embodied impacts of the hardware allocated by time (latency over batch
// size times lifetime). Energy and water are usage only; there is no
// embodied water. Out of scope: training, network, storage, end-user
// devices, end of life.
//
// Two constant sets are shipped as data (data/methods.json), each value
// with its source: "ecologits-0.9.1" (the default; also "ecologits-0.9") and
// "ecologits-legacy" (releases 0.1.4 to 0.8.2: linear fits with a ±1.96σ
// range, no batching, 4-bit quantisation, no power-of-two GPU rounding, PUE
// 1.2, no water). The set used is recorded in every result.
//
// # Ranges
//
// Every quantity is a [Range]. The chain runs twice, once with every input at
// its minimum and once at its maximum (every step is non-decreasing in every
// input), which reproduces EcoLogits' semantics: parameter ranges run the
// whole chain per bound, PUE and WUE ranges propagate min with min and max
// with max, and the GPU count is computed in each pass. Exact inputs give
// Min == Max everywhere. Totals multiply min by min and max by max; nothing
// is a midpoint.
//
// # Data
//
// The embedded files under data/ carry a source and a date on every value
// (TestEveryValueHasSource fails otherwise):
//
//   - ecologits-0.9.1-models.json and ecologits-0.9.1-zones.json are generated
//     by `go generate ./footprint` (gen.go, package internal/convert) from the
//     unmodified EcoLogits 0.9.1 files in testdata/ecologits-0.9.1 (MPL-2.0,
//     sha256 checked); TestGeneratedDataUpToDate fails if they drift. Being
//     derived from MPL-2.0 files, they are offered under MPL-2.0.
//   - zones-legacy.json: the legacy mixes quoted by the reference.
//   - providers.json: PUE, on-site water and location per provider.
//   - methods.json: the two constant sets.
//   - anchors.json: published figures shown beside every estimate.
//   - extensions.json: the coarser lines (image generation, text
//     classification, input tokens) and the factors of the equivalents.
//
// A later EcoLogits release comes in as a new, separately hashed file set.
//
// # API
//
// [Estimate] is pure and safe for concurrent use:
//
//	res, err := footprint.Estimate(footprint.Input{
//		Model:          "mistral-small-latest", // or ParamsActive / ParamsTotal
//		OutputTokens:   footprint.Exact(400),
//		Zone:           "FRA",
//		RequestsPerDay: &perDay, // with Days; Users too when per day is per user
//		Days:           &days,
//	})
//
// Bad input returns a *vigie.Error (code vigie.EINVALID) wrapping an
// [*InputError] whose Field names the Input field in snake_case
// (output_tokens, zone, pue…) and, for an unknown model, the closest names.
//
// A [Result] marshals with encoding/json to the contract of `vigie footprint
// --format json` (spec/cli.md, schema "vigie/footprint/v1"): per_request,
// total, and for a deployment per_user and per_year, each with energy_kwh,
// gwp_kgco2e, adpe_kgsbeq, pe_mj (these three with usage and embodied) and
// water_l (null when the method has no water), all {min, max}; plus the
// intermediate steps, the resolved inputs with their provenance, the
// extension lines, anchors, equivalents, warnings and the hashes of the data
// files. [Result.WriteText] renders it as text in French ("fr") or English
// ("en"); [FormatRange] formats one quantity with a readable unit.
//
// For a form: [ModelNames] (aliases included), [LookupModel], [Zones] and
// [ZoneCodes] for a method's zone set, [ZoneName] for a zone's name in a
// language, [Methods], [Providers], [Anchors], [DataFiles].
//
// The `usage` facts of a system file (spec/system-file.md) map onto Input as
// model → Model (or params_active_b / params_total_b → ParamsActive /
// ParamsTotal), output_tokens_per_request → OutputTokens, requests_per_day →
// RequestsPerDay (for the whole deployment, so no Users), working_days_per_year
// → Days, zone → Zone.
//
// # Beyond EcoLogits
//
// Input tokens (prefill, which EcoLogits ignores), image generation and text
// classification are separate, labelled [Extension] lines with their
// assumptions and sources; they are never added into the EcoLogits figure.
// The prefill line uses ≈ 2 FLOPs per active parameter per token (Kaplan et
// al. 2020) over an H100's datasheet efficiency times an assumed 20–60 %
// utilisation (a vigie assumption, stated as such). The image and
// classification lines use the per-1,000-inference measurements of Luccioni,
// Jernite and Strubell (FAccT 2024), × PUE and the zone's factors.
package footprint

//go:generate go run gen.go
